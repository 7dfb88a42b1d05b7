"""Our labelled event corpus (``corpus/`` in the repository): records, gold events, splits.

The corpus is written by us from the PLOVER codebook and ``corpus/GUIDE.md``; it is what the
event model learns from. ``codebook/`` is split train/dev/test by a fixed hash of each
record's id; ``independent/`` is a second test set written apart from it and never trained on.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SPLITS = {"train": 80, "dev": 10, "test": 10}  # percentages of codebook/


def corpus_dir() -> Path:
    """``corpus/`` of the source checkout (the corpus is not installed with the package), or
    the folder named by ``BLOCWATCH_CORPUS`` (a corpus of your own, or a frozen copy to
    compare two coders on the same records)."""
    if os.environ.get("BLOCWATCH_CORPUS"):
        return Path(os.environ["BLOCWATCH_CORPUS"])
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "corpus" / "GUIDE.md").is_file():
            return parent / "corpus"
    raise FileNotFoundError("corpus/ not found: the labelled corpus lives in the source tree")


def split_of(record_id: str) -> str:
    """train, dev or test, by a hash of the id: fixed, and independent of file order."""
    bucket = int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < SPLITS["train"]:
        return "train"
    if bucket < SPLITS["train"] + SPLITS["dev"]:
        return "dev"
    return "test"


@dataclass
class GoldActor:
    text: str
    code: str | None
    sector: str | None
    start: int
    end: int


@dataclass
class GoldEvent:
    type: str
    mode: str | None
    trigger: str
    start: int  # trigger characters in the record's text
    end: int
    source: list[GoldActor]
    target: list[GoldActor]
    modality: str
    background: bool


@dataclass
class Record:
    id: str
    text: str
    published: date | None
    events: list[GoldEvent] = field(default_factory=list)
    near_miss: str | None = None
    origin: str = ""
    article: str | None = None  # records of one written article share it, in article order

    @property
    def split(self) -> str:
        return split_of(self.id)


def _actor(a: dict, text: str, near: int) -> GoldActor:
    t = a["text"]
    starts = [i for i in range(len(text)) if text.startswith(t, i)]
    start = min(starts, key=lambda i: abs(i - near)) if starts else -1
    return GoldActor(t, a.get("code"), a.get("sector"), start, start + len(t) if start >= 0 else -1)


def parse_record(obj: dict, origin: str = "") -> Record:
    text = obj["text"]
    events = []
    for e in obj.get("events") or []:
        trig = e["trigger"]
        start = e.get("trigger_start")
        if start is None:
            start = text.find(trig)
        near = start
        events.append(GoldEvent(
            e["type"], e.get("mode"), trig, start, start + len(trig),
            [_actor(a, text, near) for a in e.get("source") or []],
            [_actor(a, text, near) for a in e.get("target") or []],
            e.get("modality", "asserted"), bool(e.get("background"))))
    published = None
    if obj.get("date"):
        try:
            published = date.fromisoformat(obj["date"])
        except ValueError:
            published = None
    return Record(obj["id"], text, published, events, obj.get("near_miss"), origin,
                  obj.get("article"))


def load(part: str = "codebook", root: Path | None = None) -> list[Record]:
    """Every record of ``corpus/<part>/*.jsonl``, in file and line order."""
    folder = (root or corpus_dir()) / part
    out: list[Record] = []
    for f in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                out.append(parse_record(json.loads(line), f"{f.name}:{n}"))
    return out
