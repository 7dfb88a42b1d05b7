"""Whom an act was done to when the parse names no one in a target role: a learned choice
among the sentence's coded actors, by the parse path from the trigger to each of them, and in
the fine-tuned model also by the trigger and the actor as the encoder reads them in context.

Why learned: "the nearest actor in the parse" was a hand rule that took the wrong actor as
often as the right one (a possessor of the theme, an actor in a time clause, the victim of
another act). The ranker reads the same parse, so the parse still decides roles; what it
learns from our corpus is which paths carry the one acted upon ("sent troops to assist X's
army": to > xcomp > dobj > poss) and which do not.

Features name dependency labels, prepositions, actor kinds and sectors, never content words:
they carry to sentences nobody wrote for the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy
from spacy.tokens import Token

from blocwatch.events.candidates import LOCATIVE_PREPS, PASSIVE_SUBJECTS, SUBJECTS, Frame
from blocwatch.events.view import REPORTING, Arg, SentenceView, distinct_sectors

YES = "target"
ANY_SUBJECT = SUBJECTS | PASSIVE_SUBJECTS
MAX_PATH = 8
FAR = 99  # the distance of tokens with no path between them


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


@dataclass(frozen=True)
class Path:
    """The dependency labels up from one token to the lowest common ancestor and down to
    another, and the prepositions met on the way down; ``length`` is :data:`FAR` when the two
    share no ancestor."""

    ups: tuple[str, ...] = ()
    downs: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    length: int = FAR


def path(a: Token, b: Token) -> Path:
    up_a = _ancestors(a)
    index = {t.i: n for n, t in enumerate(up_a)}
    up_b: list[Token] = []
    t = b
    while t.i not in index:
        up_b.append(t)
        if t.head.i == t.i or len(up_b) > 40:
            return Path()
        t = t.head
    down = list(reversed(up_b))
    return Path(tuple(x.dep_ for x in up_a[:index[t.i]]), tuple(x.dep_ for x in down),
                tuple(x.lower_ for x in down if x.dep_ in ("prep", "agent")),
                index[t.i] + len(down))


def distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse, through their lowest common ancestor."""
    return path(a, b).length


def _where(view: SentenceView, arg: Arg) -> bool:
    """A state named as where a thing is ("bases in Iraq", "an air strike in Syria", "the
    Houthi movement in Yemen"): a locative phrase on a noun gives a place, never whom an act
    was done to."""
    head = _head(view, arg)
    prep = head.head
    return arg.kind == "state" and head.dep_ == "pobj" and prep.dep_ == "prep" and \
        prep.lower_ in LOCATIVE_PREPS and prep.head.pos_ in ("NOUN", "PROPN")


def _speakers(view: SentenceView, frame: Frame) -> set[int]:
    """Tokens of whoever tells of the act: the subject of a reporting verb whose complement
    holds the trigger ("police are questioning suspects, the minister told reporters") and
    the object of "according to". They report the act; it is not done to them. Verbs of
    agreeing or demanding ("agreed that the coalition would wind down in Iraq") are not
    reporting: their subjects are parties."""
    out: set[int] = set()
    t = frame.trigger
    for _ in range(6):
        head = t.head
        if head.i == t.i:
            break
        if t.dep_ in ("ccomp", "parataxis") and head.pos_ in ("VERB", "AUX") and \
                head.lemma_.lower() in REPORTING:
            for c in head.children:
                if c.dep_ in SUBJECTS:
                    out.update(x.i for x in c.subtree)
        t = head
    for tok in view.doc:
        if tok.lower_ == "according" and (to := next(
                (c for c in tok.children if c.lower_ == "to"), None)) is not None:
            for p in to.children:
                if p.dep_ == "pobj":
                    out.update(x.i for x in p.subtree)
    return out


def eligible(view: SentenceView, frame: Frame, source: Sequence[Arg]) -> list[Arg]:
    """Coded actors that can be the target: not the source, not inside it, not whoever tells
    of the act, not of the source's state unless of a plainly different sector (police and
    protesters), not a state
    named as where something is unless no one else is named. The subject of another verb
    stays eligible: the ranker weighs it (excluding it outright was measured worse,
    docs/event-model.md)."""
    out, seen = [], set()
    speakers = _speakers(view, frame)
    for a in view.args.values():
        if a.code is None or a.key in seen:
            continue
        if _head(view, a).i in speakers:
            continue
        if any(s.start < a.end and a.start < s.end for s in source):
            continue
        if any(s.code == a.code and not distinct_sectors(s, a) for s in source):
            continue
        seen.add(a.key)
        out.append(a)
    # A state named as where is its territory only when the sentence names no one else
    # (the guide: "shelled Kharkiv" is aimed at Ukraine when no actor is given).
    named = [a for a in out if not _where(view, a)]
    return named or out


def _head(view: SentenceView, arg: Arg) -> Token:
    return view.doc[arg.start:arg.end].root


def features(view: SentenceView, frame: Frame, type_: str, arg: Arg, rank: int,
             route: Path) -> dict[str, float]:
    """What says whether ``arg`` is the one the act of ``frame`` was done to; ``route`` is
    the parse path from the trigger to it."""
    trig = frame.trigger
    head = _head(view, arg)
    n, preps = route.length, route.preps
    steps = ["^" + d for d in route.ups] + ["v" + d for d in route.downs]
    p = " ".join(steps) if n <= MAX_PATH else "long"
    f = {f"path={p}": 1.0, f"type+path={type_}|{p}": 1.0, f"len={min(n, 9)}": 1.0,
         f"type+len={type_}|{min(n, 9)}": 1.0, f"rank={min(rank, 3)}": 1.0,
         f"type+rank={type_}|{min(rank, 3)}": 1.0, f"kind={arg.kind}": 1.0,
         f"sector={arg.sector}": 1.0, f"type+sector={type_}|{arg.sector}": 1.0,
         f"dep={head.dep_}": 1.0, f"type+dep={type_}|{head.dep_}": 1.0,
         f"trigger={frame.kind}": 1.0, "after" if head.i > trig.i else "before": 1.0,
         f"ups={min(len(route.ups), 4)}": 1.0, f"downs={min(len(route.downs), 4)}": 1.0}
    if steps:
        f[f"first={steps[0]}"] = 1.0
        f[f"last={steps[-1]}"] = 1.0
        f[f"type+last={type_}|{steps[-1]}"] = 1.0
    for w in preps:
        f[f"prep={w}"] = 1.0
        f[f"type+prep={type_}|{w}"] = 1.0
    if preps:
        f[f"last_prep={preps[-1]}"] = 1.0
    if head.dep_ in ANY_SUBJECT and head.head.i != trig.i:
        f["subject_of_other"] = 1.0
    if any(a.key == arg.key for a in frame.target.args):
        f["parse_target"] = 1.0
        f[f"parse_how={frame.target.how}"] = 1.0
    if any(a.code == arg.code for a in frame.source.args):
        f["source_state"] = 1.0
    if arg.resolved_by.startswith("coreference"):
        f["pronoun"] = 1.0
    return f


def ranked(view: SentenceView, frame: Frame, type_: str, args: list[Arg]
           ) -> list[dict[str, float]]:
    """Features of each eligible actor, with its rank by parse distance from the trigger."""
    trig = frame.trigger
    heads = [_head(view, a) for a in args]
    routes = [path(trig, h) for h in heads]
    order = sorted(range(len(args)),
                   key=lambda i: (routes[i].length, abs(heads[i].i - trig.i)))
    rank = {i: r for r, i in enumerate(order)}
    return [features(view, frame, type_, a, rank[i], routes[i]) for i, a in enumerate(args)]


@dataclass
class TargetChooser:
    """The learned ranker: a logistic regression over :func:`features` (a head of the event
    model), and the score an actor needs to be taken."""

    head: object  # blocwatch.events.model.Head
    threshold: float  # for types that need a target
    threshold_optional: float  # for types that stand alone (rules.yaml target_optional)
    #: The fine-tuned model's vectors of trigger and actor in context, through its hidden
    #: layer (:meth:`blocwatch.events.model.EventModel.target_dense`); None: the parse alone.
    dense: Callable[[SentenceView, Frame, list[Arg]], numpy.ndarray] | None = None

    def scores(self, view: SentenceView, frame: Frame, type_: str, args: list[Arg]
               ) -> numpy.ndarray:
        if not args:
            return numpy.zeros(0)
        feats = ranked(view, frame, type_, args)
        dense = self.dense(view, frame, args) if self.dense is not None else \
            numpy.zeros((len(args), 0), numpy.float32)
        p = self.head.scores(feats, dense)
        return p[:, self.head.classes.index(YES)]

    #: With the fine-tuned ranker, a target the parse gave is replaced when another actor
    #: scores this much more (None: the parse's target always stands).
    override: float | None = None

    def reconsider(self, view: SentenceView, frame: Frame, type_: str, source: Sequence[Arg],
                   given: Sequence[Arg]) -> tuple[Arg | None, float, float]:
        """The best-scored eligible actor, its score and the best score of the parse's own
        target (0 when that is not eligible)."""
        args = eligible(view, frame, source)
        if not args:
            return None, 0.0, 0.0
        p = self.scores(view, frame, type_, args)
        keys = {a.key for a in given}
        mine = max((float(p[i]) for i, a in enumerate(args) if a.key in keys), default=0.0)
        best = int(p.argmax())
        return args[best], float(p[best]), mine

    def choose(self, view: SentenceView, frame: Frame, type_: str, source: Sequence[Arg],
               optional: bool = False) -> tuple[Arg | None, float]:
        """The best-scored eligible actor, if it scores enough (more for ``optional`` types)."""
        args = eligible(view, frame, source)
        if not args:
            return None, 0.0
        p = self.scores(view, frame, type_, args)
        best = int(p.argmax())
        need = self.threshold_optional if optional else self.threshold
        return (args[best] if p[best] >= need else None), float(p[best])
