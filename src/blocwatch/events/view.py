"""A parsed sentence with the actors and places the actor stage found in it.

The event layer reads sentences, not documents: :class:`SentenceView` is the small data model
every part of it shares (candidates, attributes, the model's features), built once per
sentence from the parse that ``pipeline.py`` ran and the document's mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Token

from blocwatch.actors import Mention, Place


@dataclass
class Arg:
    """An actor filling a role: a mention, or a place standing for its country's territory."""

    text: str
    code: str | None
    sector: str | None
    actor: str | None
    resolved_by: str
    kind: str  # Mention.kind, or "place"
    start: int  # token span in the sentence doc
    end: int
    char_start: int  # character offsets in the document
    char_end: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_json(self) -> dict:
        return {"text": self.text, "code": self.code, "sector": self.sector,
                "actor": self.actor}


@dataclass
class SentenceView:
    """One parsed sentence: its doc, where it sits in the document, its actors and places."""

    doc: Doc
    index: int  # sentence index in the document (annotate's segmentation)
    offset: int  # character offset of the sentence in the document
    published: date | None
    doc_id: str = ""
    args: dict[int, Arg] = field(default_factory=dict)  # token -> actor covering it
    places: list[tuple[Place, int, int]] = field(default_factory=list)  # place, token span
    place_args: dict[int, Arg] = field(default_factory=dict)  # token -> place as territory

    @property
    def text(self) -> str:
        return self.doc.text

    def actor(self, tok: Token) -> Arg | None:
        return self.args.get(tok.i)

    def place(self, tok: Token) -> Arg | None:
        return self.place_args.get(tok.i)

    def covered(self, tok: Token) -> bool:
        return tok.i in self.args or tok.i in self.place_args


def sentence_view(doc: Doc, index: int, offset: int, mentions: list[Mention],
                  places: list[Place], published: date | None, doc_id: str = "") -> SentenceView:
    """Map the document's mentions and places (character offsets) onto the sentence's tokens."""
    view = SentenceView(doc, index, offset, published, doc_id)
    end = offset + len(doc.text)
    for m in mentions:
        if not (offset <= m.start and m.end <= end):
            continue
        span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if span is None:
            continue
        arg = Arg(m.text, m.code, m.sector, m.actor, m.resolved_by, m.kind, span.start,
                  span.end, m.start, m.end)
        for i in range(span.start, span.end):
            view.args.setdefault(i, arg)
    for p in places:
        if not (offset <= p.start and p.end <= end):
            continue
        span = doc.char_span(p.start - offset, p.end - offset, alignment_mode="expand")
        if span is None:
            continue
        view.places.append((p, span.start, span.end))
        if p.country:
            arg = Arg(p.text, p.country, None, None, "place", "place", span.start, span.end,
                      p.start, p.end)
            for i in range(span.start, span.end):
                if i not in view.args:
                    view.place_args[i] = arg
    return view
