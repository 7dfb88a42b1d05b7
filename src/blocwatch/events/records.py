"""What the event layer hands on: events in DESIGN.md's JSON shape, and the candidates it read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from blocwatch.actors import Mention, Place
from blocwatch.quantities import Quantity


@dataclass
class Event:
    """One coded event, in the JSON shape of DESIGN.md (plus extractor, trigger, background)."""

    type: str
    mode: str | None
    cameo: str
    quad: int
    goldstein: float
    source: list[dict]
    target: list[dict]
    modality: str
    attribution: str | None
    quantity: dict | None
    date: str | None
    date_precision: str | None
    location: dict | None
    evidence: dict
    confidence: float
    extractor: str
    trigger: dict
    quantities: list[dict] = field(default_factory=list)  # every amount in the trigger's phrase
    date_text: str | None = None  # the words that gave the date (None: publication date)
    background: bool = False  # history or context, not news of the article's day

    @property
    def source_codes(self) -> list[str]:
        return _codes(self.source)

    @property
    def target_codes(self) -> list[str]:
        return _codes(self.target)

    def to_json(self) -> dict:
        return asdict(self)


def _codes(actors: list[dict]) -> list[str]:
    out: list[str] = []
    for a in actors:
        if a.get("code") and a["code"] not in out:
            out.append(a["code"])
    return out


@dataclass(frozen=True)
class Candidate:
    """A candidate frame and what the model made of it: what evaluation and debugging see."""

    sentence: int
    lemma: str
    type: str  # NONE when the model saw no event
    mode: str | None
    cameo: str
    start: int
    end: int
    depth: int  # steps from the trigger up to the root of its sentence
    p_event: float
    source: tuple[str, ...]
    target: tuple[str, ...]
    modality: str
    event: bool  # became an Event
    dropped_by: str | None = None  # the rule that dropped it, if one did


@dataclass
class DocumentCoding:
    """What the coding stages read out of one document."""

    doc_id: str
    actors: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    sentences: int = 0
    parsed_sentences: int = 0
    error: str | None = None  # why coding this document failed (it is stored uncoded)

    def to_json(self) -> dict:
        """The record `blocwatch code` writes: id, actors, places, quantities, events."""
        out = {"id": self.doc_id, "actors": [m.to_json() for m in self.actors],
               "places": [p.to_json() for p in self.places],
               "quantities": [q.to_json() for q in self.quantities],
               "events": [e.to_json() for e in self.events]}
        if self.error:
            out["error"] = self.error
        return out
