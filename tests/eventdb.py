"""Writes hand-made documents and events into a real blocwatch store (the store's own schema).

The analysis tests describe what articles report as events, the way the extractor will code them,
and load them here in bulk, so they run on a real DuckDB file and not on mocks.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from blocwatch.store import open_store


def _day(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _actors(codes: str | list[str]) -> list[str]:
    return [codes] if isinstance(codes, str) else list(codes)


class EventDB:
    """A store plus buffers of documents and events; `flush` writes them in one batch each."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.store = open_store(self.path)
        self.docs: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    def doc(self, outlet: str | None = None, published: str | date | None = None,
            title: str | None = None, url: str | None = None, text: str | None = None,
            duplicate_of: str | None = None, doc_id: str | None = None) -> str:
        text = text or f"{title or 'Untitled'} ({outlet}, {published}) #{len(self.docs)}"
        doc_id = doc_id or hashlib.sha1(text.encode()).hexdigest()[:16]
        self.docs.append({"id": doc_id, "title": title, "outlet": outlet,
                          "published": _day(published), "url": url, "text": text,
                          "duplicate_of": duplicate_of})
        return doc_id

    def event(self, doc_id: str, type: str, source: str | list[str], target: str | list[str],
              modality: str = "asserted", date: str | None = None, mode: str | None = None,
              goldstein: float | None = None, quad: int | None = None,
              quantity: dict | None = None, evidence: str | None = None,
              sentence: int | None = None, attribution: str | None = None,
              background: bool = False) -> str:
        src, tgt = _actors(source), _actors(target)
        event_id = f"{doc_id}:{len(self.events)}"
        self.events.append({
            "id": event_id, "doc_id": doc_id, "type": type, "mode": mode, "quad": quad,
            "goldstein": goldstein,
            "source": json.dumps([{"text": c, "code": c, "sector": None} for c in src]),
            "target": json.dumps([{"text": c, "code": c, "sector": None} for c in tgt]),
            "source_codes": src, "target_codes": tgt, "modality": modality,
            "attribution": attribution,
            "quantity": json.dumps(quantity) if quantity is not None else None,
            "event_date": _day(date), "date_precision": "day" if date else None,
            "sentence": sentence if sentence is not None else len(self.events),
            "evidence": evidence or f"{'+'.join(src)} {type} {'+'.join(tgt)}",
            "confidence": 0.9, "extractor": "hand", "background": background})
        return event_id

    def flush(self) -> None:
        """Write the buffers with the store's own bulk writes, in one batch."""
        now = datetime.now(UTC).replace(tzinfo=None)
        if not self.docs and not self.events:
            return
        with self.store.batch("test events"):
            if self.docs:
                self.store._append("documents", pa.table({
                    "id": [d["id"] for d in self.docs],
                    "title": pa.array([d["title"] for d in self.docs], pa.string()),
                    "outlet": pa.array([d["outlet"] for d in self.docs], pa.string()),
                    "published": pa.array([d["published"] for d in self.docs], pa.date32()),
                    "url": pa.array([d["url"] for d in self.docs], pa.string()),
                    "text": [d["text"] for d in self.docs],
                    "word_count": pa.array([len(d["text"].split()) for d in self.docs],
                                           pa.int32()),
                    "duplicate_of": pa.array([d["duplicate_of"] for d in self.docs],
                                             pa.string()),
                    "batch_id": pa.array([0] * len(self.docs), pa.int32()),
                    "ingested_at": pa.array([now] * len(self.docs), pa.timestamp("us")),
                }))
                self.docs = []
            if self.events:
                cols = list(self.events[0])
                types = {"quad": pa.int16(), "goldstein": pa.float64(),
                         "event_date": pa.date32(), "sentence": pa.int32(),
                         "confidence": pa.float64(), "background": pa.bool_(),
                         "source_codes": pa.list_(pa.string()),
                         "target_codes": pa.list_(pa.string())}
                self.store._append("events", pa.table({
                    c: pa.array([e[c] for e in self.events], types.get(c, pa.string()))
                    for c in cols}))
                self.events = []

    def close(self) -> None:
        self.flush()
        self.store.close()

    def __enter__(self) -> EventDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
