"""The spaCy passes over documents, in the order the coding stages need them.

1. the actor pass: tokens and the sentence rule over whole documents, NER only over the
   sentences that name an actor of the data or a role word (the others can hold no coded
   actor, and NER is the costliest step here); then actors and places;
2. the parser, only over sentences that can hold an event (a coded actor is named in them,
   or an actor named by role with a state to take: a place, or the dateline), with the wire
   dateline cut off ("KYIV, Ukraine (AP) —" names a place, not an actor: the state it names
   is where the story was filed, the state of "police" or "protesters" in a sentence that
   names no state).

The event layer receives the parsed sentences as :class:`~blocwatch.events.view.SentenceView`
and never runs spaCy itself; ``pipeline.py`` drives this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Span

from blocwatch.actors import ActorCoder, Mention, Place
from blocwatch.annotate import ACTORS, disabled_for
from blocwatch.events.view import DOMESTIC_SECTORS, SentenceView, sentence_view

PARSER = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
PARSE_BATCH = 256
#: A wire dateline at the start of a line: "KYIV, Ukraine (AP) —", "WASHINGTON (Reuters) -",
#: "GAZA CITY, Jan 5 (Reuters) -", "BEIRUT —". Upper-case place, optional region/date/agency,
#: then a dash.
DATELINE = re.compile(
    r"^[ \t]*(?:[A-Z][A-Z.'\-]+(?:[ \t]+[A-Z][A-Z.'\-]+){0,3})"
    r"(?:,[ \t]*[A-Z][A-Za-z.]+(?:[ \t]+[A-Za-z.]+){0,2})?"
    r"(?:,?[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"
    r"(?:[ \t]*\((?:[A-Za-z .&-]{1,30})\))?[ \t]*[-\u2013\u2014]{1,2}[ \t]+",
    re.MULTILINE)


@dataclass
class DocPass:
    """One document after the passes: its actors, places and parsed candidate sentences."""

    doc_id: str
    text: str
    published: date | None
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    views: list[SentenceView] = field(default_factory=list)
    sentences: int = 0
    datelines: list[tuple[int, int]] = field(default_factory=list)
    #: The state each dateline names ("NAIROBI, Kenya (Reuters) -" -> KEN), or None.
    dateline_states: list[str | None] = field(default_factory=list)

    def filed_from(self, at: int) -> str | None:
        """The state of the last dateline before character ``at``: where the story was filed,
        and so the state of actors named only by role when their sentence names none."""
        state = None
        for (start, _), code in zip(self.datelines, self.dateline_states, strict=True):
            if start <= at:
                state = code
        return state


def datelines(text: str) -> list[tuple[int, int]]:
    """Character spans of wire datelines at the start of lines."""
    return [m.span() for m in DATELINE.finditer(text)]


def dateline_state(span: tuple[int, int], mentions: Sequence[Mention],
                   places: Sequence[Place]) -> str | None:
    """The state a dateline names: a state or capital coded in it ("BEIRUT", "Kenya"), else a
    town of the gazetteer ("GAZA CITY")."""
    from blocwatch.events.attributes import place_country

    start, end = span
    for m in mentions:
        if start <= m.start < end and m.code is not None and m.kind == "state":
            return m.code
    for p in places:
        if start <= p.start < end and (code := p.country or place_country(p.text.title())):
            return code
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _placed(places, start: int, end: int) -> bool:
    """Whether a sentence names a place of a known state ("in Jakarta", "across Poland")."""
    from blocwatch.events.attributes import place_country

    return any(start <= p.start < end and (p.country or place_country(p.text))
               for p in places)


class Passes:
    """Runs the passes for a batch of documents; built once (the model is loaded once)."""

    def __init__(self, actor_coder: ActorCoder, nlp: Language | None = None):
        self.actors = actor_coder
        self.nlp = nlp or actor_coder.nlp
        self._actor_disable = disabled_for(self.nlp, ACTORS)
        self._parse_disable = [p for p in self.nlp.pipe_names if p not in PARSER]
        # NER alone over the named sentences, when it has its own tok2vec (en_core_web_sm)
        self._ner_alone = "ner" in self.nlp.pipe_names and "tok2vec" in self._actor_disable
        self._light_disable = self._actor_disable + ["ner"]

    def actor_docs(self, texts: Sequence[str]) -> list:
        """Tokens and sentences over whole texts; entities only in the sentences that name an
        actor of the data or a role word (:meth:`ActorCoder.named_sentences`). NER is the
        costliest step of the actor pass and most sentences name no one it could code."""
        docs = list(self.nlp.pipe(texts, batch_size=max(1, len(texts)), disable=(
            self._light_disable if self._ner_alone else self._actor_disable)))
        if not self._ner_alone:
            return docs
        spans = []  # (document index, named sentence)
        subdocs = []  # each named sentence as a Doc of its own, for NER alone
        for di, doc in enumerate(docs):
            named = self.actors.named_sentences(doc)
            if named:  # the document's arrays once: as_doc reads them all again per sentence
                sents = list(doc.sents)
                head = doc._get_array_attrs()
                array = doc.to_array(head)
                for i in named:
                    spans.append((di, sents[i]))
                    subdocs.append(sents[i].as_doc(array_head=head, array=array))
        ents: list[list[Span]] = [[] for _ in docs]
        subs = self.nlp.get_pipe("ner").pipe(subdocs, batch_size=PARSE_BATCH)
        for (di, sent), sub in zip(spans, subs, strict=True):
            ents[di].extend(Span(docs[di], sent.start + e.start, sent.start + e.end,
                                 label=e.label) for e in sub.ents)
        for doc, found in zip(docs, ents, strict=True):
            doc.set_ents(found, default="outside")
        return docs

    def run(self, chunk: Sequence[tuple[str, str, date | None]],
            parse_all: bool = False) -> list[DocPass]:
        texts = [text for _, text, _ in chunk]
        docs = self.actor_docs(texts)
        out: list[DocPass] = []
        jobs: list[tuple[int, int, int, str]] = []  # (doc, sentence, offset, text)
        for (doc_id, text, published), doc in zip(chunk, docs, strict=True):
            coding = self.actors.code_doc(doc, published)
            lines = datelines(text)
            mentions = [m for m in coding.mentions
                        if not any(s <= m.start < e for s, e in lines)]
            dp = DocPass(doc_id, text, published, mentions, coding.places, datelines=lines,
                         dateline_states=[dateline_state(span, coding.mentions, coding.places)
                                          for span in lines])
            out.append(dp)
            coded = {m.sentence for m in mentions if m.code is not None}
            roles = {m.sentence for m in mentions if m.code is None and m.sector in
                     DOMESTIC_SECTORS}  # "police", "protesters": coded by a place beside them
            for i, sent in enumerate(doc.sents):
                dp.sentences += 1
                if not parse_all and i not in coded and not (
                        i in roles and (_placed(coding.places, sent.start_char, sent.end_char)
                                        or dp.filed_from(sent.start_char))):
                    continue
                start, end = _trimmed(text, sent.start_char, sent.end_char)
                for s, e in lines:
                    if s <= start < e:
                        start = e
                if end > start:
                    jobs.append((len(out) - 1, i, start, text[start:end]))
        parsed = self.nlp.pipe((t for *_, t in jobs), batch_size=PARSE_BATCH,
                               disable=self._parse_disable)
        for (di, sent_i, offset, _), sdoc in zip(jobs, parsed, strict=True):
            dp = out[di]
            dp.views.append(sentence_view(sdoc, sent_i, offset, dp.mentions, dp.places,
                                          dp.published, dp.doc_id, self.actors.ref.is_state,
                                          dp.filed_from(offset)))
        return out
