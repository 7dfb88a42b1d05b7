"""The fallback rules that remain after the model: registered by name, run in the order of
``data/events/rules.yaml``. Each takes the sentence's decisions and drops or trims some; none
names a word, a sentence or an actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files

import yaml
from spacy.tokens import Token

from blocwatch.events.candidates import Frame, _pobj, actors_of, subject_of
from blocwatch.events.model import NONE, Prediction
from blocwatch.events.targets import distance
from blocwatch.events.view import Arg, SentenceView, distinct_sectors

RULES_FILE = "data/events/rules.yaml"


@dataclass
class Decision:
    """A candidate the model called an event, with the actors it will be coded with."""

    frame: Frame
    prediction: Prediction
    source: list[Arg]
    target: list[Arg]
    dropped_by: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.dropped_by is None and self.prediction.type != NONE


@dataclass(frozen=True)
class RuleConfig:
    order: tuple[str, ...]
    target_optional: frozenset[str]
    place_targets: frozenset[str]
    target_reach: int = 4
    no_fallback: frozenset[str] = frozenset()
    habitual: frozenset[str] = frozenset()
    hardware: frozenset[str] = frozenset()
    leaving: frozenset[str] = frozenset()  # TYPE/mode of acts of leaving
    giving: frozenset[str] = frozenset()  # types of acts of giving
    territory: frozenset[str] = frozenset()  # types aimed at the territory where they land
    chooser: object | None = None  # the model's learned target ranker, per run


Rule = Callable[[SentenceView, list[Decision], RuleConfig], None]
REGISTRY: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule under ``name`` (its place in the run comes from rules.yaml)."""
    def add(fn: Rule) -> Rule:
        REGISTRY[name] = fn
        return fn
    return add


@lru_cache(maxsize=1)
def config() -> RuleConfig:
    data = yaml.safe_load(files("blocwatch").joinpath(RULES_FILE).read_text(encoding="utf-8"))
    order = tuple(data.get("rules") or ())
    unknown = [n for n in order if n not in REGISTRY]
    if unknown:
        raise ValueError(f"{RULES_FILE}: unknown rules {unknown}")
    return RuleConfig(order, frozenset(data.get("target_optional") or ()),
                      frozenset(data.get("place_targets") or ()),
                      int(data.get("target_reach", 4)),
                      frozenset(data.get("no_fallback_target") or ()),
                      frozenset(w.lower() for w in data.get("habitual") or ()),
                      frozenset(w.lower() for w in data.get("hardware") or ()),
                      frozenset(data.get("leaving") or ()),
                      frozenset(data.get("giving") or ()),
                      frozenset(data.get("territory_targets") or ()))


def apply(view: SentenceView, decisions: list[Decision], chooser=None) -> None:
    """Run the rules in order; ``chooser`` is the model's learned target ranker."""
    cfg = replace(config(), chooser=chooser) if chooser is not None else config()
    for name in cfg.order:
        REGISTRY[name](view, [d for d in decisions if d.live], cfg)


def _drop(d: Decision, why: str) -> None:
    d.dropped_by = why


@rule("leaving_from")
def leaving_from(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """In a noun of leaving ("the withdrawal of US troops from Afghanistan") the of-phrase
    names those who leave and the from-phrase what they leave: the from-phrase is the
    target, not the doer it is in "aid from Germany". Without a coded of-phrase the doer is
    the subject of the verb carrying the noun ("Moscow announced the withdrawal of its
    troops from Syria")."""
    for d in decisions:
        f, p = d.frame, d.prediction
        if f.kind != "noun" or f.source.how != "from" or f"{p.type}/{p.mode}" not in cfg.leaving:
            continue
        left = list(d.source)
        keys = {a.key for a in left}
        movers = [a for c in f.trigger.children if c.dep_ == "prep" and c.lower_ == "of"
                  and (o := _pobj(c)) is not None for a in actors_of(view, o)]
        if not any(a.code for a in movers) and f.carrier is not None:
            movers = subject_of(view, f.carrier).args
        d.source = [a for a in movers if a.key not in keys]
        d.target = left
        d.notes.append("the from-phrase of a noun of leaving is what is left, not the doer")


@rule("received_from")
def received_from(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """An act of giving told from the side of the one who gets it ("Ukraine received tanks
    from Germany", "Modi accepted an honour from Putin"): the from-phrase names the giver and
    the subject the recipient, the other way round from the parse's subject and object."""
    for d in decisions:
        f = d.frame
        if f.kind != "verb" or d.prediction.type not in cfg.giving or \
                f.source.how != "subject" or f.target.how != "prep:from":
            continue
        if not d.target or any(a.kind == "place" for a in d.target):
            continue  # "evacuated civilians from Kabul": a place left, not a giver
        d.source, d.target = list(d.target), list(d.source)
        d.notes.append("the from-phrase of an act of giving told by its recipient is the giver")


@rule("coded_source")
def coded_source(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """No event without an actor we can code doing it: an agentless passive ("five fighters
    were killed") has no source, and its patient never becomes one. A private person (a name
    the reference data lacks, with no office or role, placed only by the state the sentence
    names) does nothing political of their own; they can still be acted upon (arrested)."""
    for d in decisions:
        d.source = [a for a in d.source if a.code is not None and a.kind != "place"
                    and not _private_person(a)]
        d.target = [a for a in d.target if a.code is not None]
        if not d.source:
            _drop(d, "coded_source")


def _private_person(a: Arg) -> bool:
    """A person the reference data does not know, named with no office or role, whose state
    is only the one the sentence names ("Maria Delgado met two officers at a Mexican bar")."""
    return a.kind == "person" and a.resolved_by == "context" and a.sector is None


def _same_actor(a: Arg, b: Arg) -> bool:
    return a.key == b.key or (a.code == b.code and (a.sector or "") == (b.sector or "")
                              and (a.actor or a.code) == (b.actor or b.code))


@rule("standing_relation")
def standing_relation(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """A relation told as a habit ("Beijing, which has traditionally supported Pyongyang",
    "the two have long cooperated") is how things stand, not something that happened: no
    event."""
    for d in decisions:
        t = d.frame.trigger
        heads = [t] + ([d.frame.carrier] if d.frame.carrier is not None else [])
        if any(c.dep_ == "advmod" and c.lower_ in cfg.habitual
               for h in heads for c in h.children):
            _drop(d, "standing_relation")


@rule("distinct_sides")
def distinct_sides(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """The two sides are different actors: a target that is the source is no target, and an
    event inside one state needs two distinct actors of it (its government and rebels). What
    is left without a target goes to the fallback and the target rule after it."""
    for d in decisions:
        if d.frame.joint:
            continue
        kept = [t for t in d.target if not any(_same_actor(s, t) for s in d.source)]
        if len(kept) < len(d.target):
            d.notes.append("a target that is the source is no target")
        d.target = kept


@rule("places_as_targets")
def places_as_targets(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """Cities, regions and buildings are where, not whom, except as the object of force."""
    for d in decisions:
        if d.prediction.type in cfg.place_targets:
            continue
        kept = [a for a in d.target if a.kind != "place"]
        if len(kept) != len(d.target):
            d.target = kept
            d.notes.append("place is not a target")


@rule("nearest_target")
def nearest_target(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """An act the parse gave no target ("voiced concerns about the involvement of X", "sent
    troops to assist X's forces") takes the coded actor nearest its trigger in the parse,
    within a few edges. Never its source; of its source's state only when the two are of
    plainly different sectors (police and protesters). The subject of another verb is doing
    something else and is passed over."""
    args = {a.key: a for a in view.args.values() if a.code is not None}
    for d in decisions:
        if d.target or d.frame.joint or d.prediction.type in cfg.no_fallback:
            continue
        trig = d.frame.trigger
        best: tuple[int, int, Arg] | None = None
        for a in args.values():
            if any(s.code == a.code and not distinct_sectors(s, a)  # also the same actor
                   or s.start < a.end and a.start < s.end for s in d.source):
                continue
            head = view.doc[a.start:a.end].root
            if head.dep_ in ("nsubj", "nsubjpass", "csubj") and head.head.i != trig.i:
                continue  # the doer of another verb ("X is supporting Y's campaign")
            dist = distance(trig, head)
            if dist > cfg.target_reach:
                continue
            key = (dist, abs(head.i - trig.i))
            if best is None or key < best[:2]:
                best = (*key, a)
        if best is not None:
            d.target = [best[2]]
            d.notes.append("target nearest in the parse")


@rule("learned_target")
def learned_target(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """An act the parse gave no target takes the coded actor the model's target ranker
    (:mod:`blocwatch.events.targets`) scores highest over the parse path from the trigger,
    when it scores enough; without a trained ranker, the nearest actor in the parse. An
    object "him" or "her" that no actor stands for is a person the sentence speaks of: no
    other actor takes its place."""
    if cfg.chooser is None:
        nearest_target(view, decisions, cfg)
        return
    override = getattr(cfg.chooser, "override", None)
    for d in decisions:
        if d.frame.joint or d.prediction.type in cfg.no_fallback:
            continue
        if d.target:
            if override is not None:
                best, p, mine = cfg.chooser.reconsider(view, d.frame, d.prediction.type,
                                                       d.source, d.target)
                if best is not None and p - mine >= override:
                    d.notes.append(f"target {d.target[0].text!r} of the parse replaced by the "
                                   f"ranker's (p {p:.2f} against {mine:.2f})")
                    d.target = [best]
            continue
        obj = d.frame.object
        if obj is not None and obj.lower_ in ("him", "her"):
            continue  # "an officer restrained him": a person no actor stands for
        best, p = cfg.chooser.choose(view, d.frame, d.prediction.type, d.source,
                                     d.prediction.type in cfg.target_optional)
        if best is not None:
            d.target = [best]
            d.notes.append(f"target chosen by the ranker (p {p:.2f})")


@rule("territory_struck")
def territory_struck(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """Force that lands on a place and names no actor hit ("struck a hospital in Kharkiv",
    "an air strike destroyed a theatre in Mariupol") is aimed at the state whose territory it
    is, as "shelled Kharkiv" is (corpus/GUIDE.md, Targets): the place nearest the trigger in
    the parse within the act's own phrase, never in the source's phrase and never the source's
    own state."""
    from blocwatch.events.attributes import clause_span

    for d in decisions:
        if d.target or d.frame.joint or d.prediction.type not in cfg.territory:
            continue
        lo, hi = clause_span(d.frame)
        trig = d.frame.trigger
        if trig.dep_ == "nsubj" and trig.pos_ == "NOUN":  # an event noun as subject lands
            lo, hi = min(lo, trig.head.left_edge.i), max(hi, trig.head.right_edge.i)  # where
        own = {a.code for a in d.source}  # its verb does ("a strike destroyed a theatre in …")
        in_source = {i for a in d.source for i in range(a.start, a.end)}
        for a in d.source:  # the source's own phrase: "Russian forces in Belgorod fired"
            head = view.doc[a.start].head if a.start >= 0 else trig
            if head.i != trig.i:
                in_source.update(t.i for t in head.subtree)
        best: tuple[int, Arg] | None = None
        for i in range(lo, hi + 1):
            a = view.place_args.get(i)
            if a is None or i in in_source or a.code in own or i != a.start:
                continue
            dist = distance(trig, view.doc[a.end - 1])
            if dist <= cfg.target_reach and (best is None or dist < best[0]):
                best = (dist, a)
        if best is not None:
            d.target = [best[1]]
            d.notes.append(f"the territory struck: {best[1].text!r}")


@rule("needs_target")
def needs_target(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """Most acts are done to someone: without a coded target they are not coded."""
    for d in decisions:
        if not d.target and d.prediction.type not in cfg.target_optional and not d.frame.joint:
            _drop(d, "needs_target")


@rule("multilateral")
def multilateral(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """A joint act of three or more parties (a treaty signed by many) names no bilateral
    pair: it is kept with its parties as the source and no target."""
    for d in decisions:
        if d.frame.joint and len({a.code for a in d.source}) >= 3:
            d.target = []


def _codes(args: list[Arg]) -> set[str]:
    return {a.code for a in args if a.code}


def _restates(t: Token, head: Token) -> bool:
    """``t`` hangs on ``head`` as a clause ("…, bolstering its air force"), a conjunct, its
    object, the object of its preposition ("spoke on the phone", "entered into an
    agreement") or its passive agent ("were killed by an ambush"): with the same type and
    actors, the same fact told twice."""
    if t.head.i == head.i and t.dep_ in ("advcl", "xcomp", "acl", "conj", "dobj"):
        return True
    if t.head.i == head.i and t.dep_ == "nsubj" and t.pos_ == "NOUN":
        return True  # "a Russian air strike destroyed the theatre": the strike is the act
    return t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent") and t.head.head.i == head.i


@rule("one_fact_one_event")
def one_fact_one_event(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """A light verb and the event noun it carries ("imposed sanctions", "held talks") are one
    fact: the noun's reading is kept, with the verb's roles where the noun lacks them. A clause
    that restates the act it hangs on, with the same type and actors, is the same fact."""
    by_trigger = {d.frame.trigger.i: d for d in decisions}
    for d in decisions:
        if d.dropped_by is not None:
            continue
        if d.frame.target.how.startswith("object-") or d.frame.target.how == "predicative":
            continue  # an act on another's act ("condemned Ethiopia's offensive"): two facts
        for other_i in ([d.frame.object.i] if d.frame.object is not None else []):
            o = by_trigger.get(other_i)
            if o is None or o.dropped_by is not None or o.frame.carrier is None:
                continue
            # the event noun says what happened ("delivered a démarche", "set off bombs")
            winner, loser = o, d
            if not winner.source and loser.source:
                winner.source = loser.source
            if not winner.target and loser.target:
                winner.target = loser.target
            _drop(loser, "one_fact_one_event")
    live = [d for d in decisions if d.dropped_by is None]
    for d in live:  # "delivered helicopters to Mali, bolstering its air force": one act
        for other in live:
            if other is d or other.dropped_by is not None or \
                    other.prediction.type != d.prediction.type:
                continue
            if _restates(d.frame.trigger, other.frame.trigger) and \
                    _codes(d.source) <= _codes(other.source) and \
                    _codes(d.target) <= _codes(other.target) | _codes(other.source):
                _drop(d, "one_fact_one_event")
                break
