"""Sentences in, events out: candidates from the parse, the model's judgement, the remaining
rules, then the attributes of each event."""

from __future__ import annotations

from blocwatch import __version__
from blocwatch.events import attributes, rules
from blocwatch.events.candidates import Frame, frames
from blocwatch.events.model import NONE, EventModel, Prediction, default_model
from blocwatch.events.records import Candidate, Event
from blocwatch.events.view import Arg, SentenceView
from blocwatch.plover import Plover, load_plover


def _depth(frame: Frame) -> int:
    t, depth = frame.trigger, 0
    while t.head.i != t.i and depth < 50:
        t = t.head
        depth += 1
    return depth


def _unique(args: list[Arg]) -> list[Arg]:
    seen, out = set(), []
    for a in args:
        if a.key not in seen:
            seen.add(a.key)
            out.append(a)
    return out


def _carry_target(d: rules.Decision, before: list[Event]) -> None:
    """A recipient named in the sentence before and left out of this one ("Germany sent tanks
    to Ukraine. France will send armoured cars as well"; "Oman hosted the first round. Qatar
    will host the second"): an act of the same type by another actor, with its target in the
    previous sentence, takes that target when the previous sentence names exactly one."""
    same = [e for e in before if e.type == d.prediction.type and e.target and not e.background]
    codes = {c for e in same for c in e.target_codes}
    own = {a.code for a in d.source}
    if len(codes) != 1 or codes & own:
        return
    t = same[0].target[0]
    d.target = [Arg(t["text"], t["code"], t.get("sector"), t.get("actor"), "previous-sentence",
                    "previous-sentence", -1, -1, t["start"], t["end"])]
    d.dropped_by = None
    d.notes.append("target carried from the previous sentence")


class EventCoder:
    """Codes the events of parsed sentences; build once (model, PLOVER tables), call often."""

    def __init__(self, model: EventModel | None = None, plover: Plover | None = None):
        self.model = model or default_model()
        self.plover = plover or load_plover()
        self.extractor = f"blocwatch-events/{__version__}+{self.model.version}"
        self.chooser = self.model.chooser

    def code(self, views: list[SentenceView], all_candidates: bool = False
             ) -> tuple[list[Event], list[Candidate]]:
        """Events and judged candidates of the sentences (of one or more documents).
        ``all_candidates`` also judges frames whose actors are all uncoded (they never become
        events: evaluation of event types reads them)."""
        return self.code_documents([views], all_candidates)[0]

    def code_documents(self, documents: list[list[SentenceView]], all_candidates: bool = False
                       ) -> list[tuple[list[Event], list[Candidate]]]:
        """:meth:`code` for each document's sentences, with one model pass over all of them:
        the encoder batches sentences of like length across documents and pads less."""
        items = [(v, f) for views in documents for v in views
                 for f in frames(v, coded_only=not all_candidates)]
        preds = self.model.predict(items)
        by_view: dict[int, list[tuple[Frame, Prediction]]] = {}
        for (v, f), p in zip(items, preds, strict=True):
            by_view.setdefault(id(v), []).append((f, p))
        return [self._decide(views, by_view) for views in documents]

    def _decide(self, views: list[SentenceView],
                by_view: dict[int, list[tuple[Frame, Prediction]]]
                ) -> tuple[list[Event], list[Candidate]]:
        """The rules and the events of one document's judged candidates."""
        events: list[Event] = []
        cands: list[Candidate] = []
        previous: dict[str, tuple[int, list[Event]]] = {}  # doc -> its last sentence's events
        for v in views:
            judged = by_view.get(id(v), [])
            decisions = [rules.Decision(f, p, _unique(list(f.source.args)),
                                        _unique(list(f.target.args)))
                         for f, p in judged if p.type != NONE]
            if decisions:
                rules.apply(v, decisions, self.chooser)
            before = previous.get(v.doc_id)
            before_events = before[1] if before and before[0] == v.index - 1 else []
            kept = {id(d.frame): d for d in decisions}
            made_here: list[Event] = []
            for f, p in judged:
                d = kept.get(id(f))
                if d is not None and d.dropped_by == "needs_target":
                    _carry_target(d, before_events)
                made = self._events(v, d) if d is not None and d.live else []
                made_here.extend(made)
                cands.append(self._candidate(v, f, p, made[0] if made else None, d))
            events.extend(made_here)
            previous[v.doc_id] = (v.index, made_here)
        return events, cands

    def _events(self, view: SentenceView, d: rules.Decision) -> list[Event]:
        """The event of a decision; a joint act of two parties ("Russia and China signed")
        is two directed events, one each way, so that no mention is on both sides."""
        if d.frame.joint:  # "X and Y signed", "talks between X and Y"
            parties = _unique(d.source + d.target)
            if len(parties) == 2 and parties[0].code != parties[1].code or \
                    len(parties) == 2 and parties[0].sector != parties[1].sector:
                a, b = parties
                return [self._event(view, d, [a], [b]), self._event(view, d, [b], [a])]
            if len(parties) < 3:
                return []  # a joint act with one party named is no event of ours
            return [self._event(view, d, parties, [])]  # many parties: no bilateral pair
        return [self._event(view, d, d.source, d.target)]

    def _event(self, view: SentenceView, d: rules.Decision, source: list[Arg],
               target: list[Arg]) -> Event:
        f, p = d.frame, d.prediction
        score = self.plover.score(p.type, p.mode, p.modality)
        qs = attributes.quantities(view, f)
        when = attributes.event_date(view, f)
        background = p.background or attributes.is_history(when, view.published) or \
            attributes.told_before(f, p.modality) or attributes.named_as_topic(f)
        start = view.offset + f.trigger.idx
        return Event(
            type=p.type, mode=p.mode, cameo=score["cameo"], quad=score["quad"],
            goldstein=score["goldstein"],
            source=[a.to_json() for a in source], target=[a.to_json() for a in target],
            modality=p.modality,
            attribution=p.attribution if p.modality == "reported" else None,
            quantity=qs[0].to_json() if qs else None,
            date=when[0], date_precision=when[1], date_text=when[2],
            location=attributes.location(view, f),
            evidence={"doc_id": view.doc_id, "sentence": view.index, "start": view.offset,
                      "end": view.offset + len(view.text), "text": view.text},
            confidence=attributes.confidence(f, source, target, p.modality, p.p_event),
            extractor=self.extractor,
            trigger={"text": f.trigger.text, "lemma": f.trigger.lemma_, "start": start,
                     "end": start + len(f.trigger.text), "p": p.p_event},
            quantities=[q.to_json() for q in qs],
            background=background)

    def _candidate(self, view: SentenceView, f: Frame, p: Prediction, event: Event | None,
                   d: rules.Decision | None) -> Candidate:
        start = view.offset + f.trigger.idx
        cameo = event.cameo if event is not None else (
            self.plover.cameo(p.type, p.mode, p.modality) if p.type != NONE else "010")
        return Candidate(
            sentence=view.index, lemma=f.trigger.lemma_, type=p.type, mode=p.mode, cameo=cameo,
            start=start, end=start + len(f.trigger.text), depth=_depth(f), p_event=p.p_event,
            source=tuple(f.source.codes), target=tuple(f.target.codes), modality=p.modality,
            event=event is not None, dropped_by=d.dropped_by if d is not None else None)
