"""The fallback rules that remain after the model: registered by name, run in the order of
``data/events/rules.yaml``. Each takes the sentence's decisions and drops or trims some; none
names a word, a sentence or an actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

import yaml

from blocwatch.events.candidates import Frame
from blocwatch.events.model import NONE, Prediction
from blocwatch.events.view import Arg, SentenceView

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
                      frozenset(data.get("place_targets") or ()))


def apply(view: SentenceView, decisions: list[Decision]) -> None:
    cfg = config()
    for name in cfg.order:
        REGISTRY[name](view, [d for d in decisions if d.live], cfg)


def _drop(d: Decision, why: str) -> None:
    d.dropped_by = why


@rule("coded_source")
def coded_source(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """No event without an actor we can code doing it: an agentless passive ("five fighters
    were killed") has no source, and its patient never becomes one."""
    for d in decisions:
        d.source = [a for a in d.source if a.code is not None and a.kind != "place"]
        d.target = [a for a in d.target if a.code is not None]
        if not d.source:
            _drop(d, "coded_source")


def _same_actor(a: Arg, b: Arg) -> bool:
    return a.key == b.key or (a.code == b.code and (a.sector or "") == (b.sector or "")
                              and (a.actor or a.code) == (b.actor or b.code))


@rule("distinct_sides")
def distinct_sides(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """The two sides are different actors: a target that is the source is no target, and an
    event inside one state needs two distinct actors of it (its government and rebels)."""
    for d in decisions:
        if d.frame.joint:
            continue
        d.target = [t for t in d.target if not any(_same_actor(s, t) for s in d.source)]
        if not d.target and d.frame.target.args and \
                d.prediction.type not in cfg.target_optional:
            _drop(d, "distinct_sides")


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


@rule("one_fact_one_event")
def one_fact_one_event(view: SentenceView, decisions: list[Decision], cfg: RuleConfig) -> None:
    """A light verb and the event noun it carries ("imposed sanctions", "held talks") are one
    fact: the noun's reading is kept, with the verb's roles where the noun lacks them."""
    by_trigger = {d.frame.trigger.i: d for d in decisions}
    for d in decisions:
        if d.dropped_by is not None:
            continue
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
