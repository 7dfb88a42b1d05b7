"""The data model shared by every stage of the flow.

Stages pass these plain dataclasses along; only ``store`` turns them into rows.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalise_body(text: str) -> str:
    """Canonical form of an article body used for identity: NFKC, folded quotes, one space."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES)
    return _WS.sub(" ", text).strip().lower()


def document_id(body: str) -> str:
    """Stable id: the same article re-ingested from any source gets the same id."""
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()[:16]


@dataclass
class Extracted:
    """What the clean stage reads out of one raw page or text: never invented, None when absent."""

    text: str
    title: str | None = None
    published: date | None = None
    section: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass
class Document:
    """One cleaned article, ready to store and to code."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    section: str | None = None
    url: str | None = None
    author: str | None = None
    source_path: str | None = None
    word_count: int = 0
    duplicate_of: str | None = None
    similarity: float | None = None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        record = asdict(self)
        record["published"] = self.published.isoformat() if self.published else None
        return record
