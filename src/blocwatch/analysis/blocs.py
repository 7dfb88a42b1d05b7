"""Blocs: signed community detection on the alignment graph, with evidence for every member.

Method: Leiden on two layers of the same actors, positive ties with layer weight +1 and negative
ties with layer weight -1 (`leidenalg.find_partition_multiplex`, RB-configuration quality, i.e.
modularity at resolution 1). Positive ties pull actors together; negative ties push them apart
and, as structural balance has it, make the enemies of one's enemies a little closer. Several
fixed seeds are tried and the best partition kept, so the result is the same run to run.

Then one structural rule is enforced, whatever the optimiser found: two actors whose tie is net
negative (which includes "linked only by negative ties") never share a bloc. The weaker-placed
of the two moves to the bloc where it fits best without such a tie, or stands alone.

Actors with no signed tie in the period are left out (they are listed as `unaligned`); an actor
that ends up alone is a singleton bloc (the CLI hides those unless --min-size 1).

Membership strength of actor i in bloc C: (P_in - N_in) / (P + N_in), clipped to 0..1, where P
is i's total positive tie weight, P_in the part of it inside C and N_in its negative tie weight
inside C: 1.0 means all of i's friends are in its bloc and none of its adversaries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import igraph
import leidenalg
import pyarrow as pa

from blocwatch.analysis.alignment import AlignmentGraph, alignment_graph
from blocwatch.analysis.consolidate import Report, StoryFrame, parse_json
from blocwatch.analysis.names import actor_name

SEEDS = tuple(range(8))
EVIDENCE_PER_MEMBER = 3


@dataclass
class Member:
    """An actor in a bloc: how firmly, with whom, and the stories that put it there."""

    code: str
    strength: float
    partners: list[str] = field(default_factory=list)
    adversaries: list[str] = field(default_factory=list)
    events: int = 0
    outlets: int = 0
    explanation: str = ""
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return actor_name(self.code)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "strength": round(self.strength, 3),
                "partners": self.partners, "adversaries": self.adversaries,
                "events": self.events, "outlets": self.outlets,
                "explanation": self.explanation, "evidence": self.evidence}


@dataclass
class Bloc:
    bloc: int
    members: list[Member]
    cohesion: float = 0.0  # sum of positive tie weight inside

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.members]

    def to_dict(self) -> dict[str, Any]:
        return {"bloc": self.bloc, "size": len(self.members), "cohesion": round(self.cohesion, 4),
                "members": [m.to_dict() for m in self.members]}


@dataclass
class BlocResult:
    """Blocs of one period, the graph they were found on, and who was left out."""

    blocs: list[Bloc]
    graph: AlignmentGraph
    membership: dict[str, int]
    quality: float
    unaligned: list[str] = field(default_factory=list)

    def bloc_of(self, code: str) -> Bloc | None:
        i = self.membership.get(code)
        return self.blocs[i] if i is not None else None

    def member(self, code: str) -> Member | None:
        bloc = self.bloc_of(code)
        return next((m for m in bloc.members if m.code == code), None) if bloc else None

    def together(self, a: str, b: str) -> bool:
        return a in self.membership and self.membership.get(a) == self.membership.get(b)

    def to_list(self, min_size: int = 1) -> list[dict[str, Any]]:
        return [b.to_dict() for b in self.blocs if len(b.members) >= min_size]


# -- partition ------------------------------------------------------------------------------------
def _layers(graph: AlignmentGraph) -> tuple[igraph.Graph, igraph.Graph]:
    n = len(graph.actors)
    pos = {c: i for i, c in enumerate(graph.actors)}
    layers = []
    for sign in (1, -1):
        ties = [t for t in graph.ties if t.sign == sign]
        g = igraph.Graph(n=n, edges=[(pos[t.a], pos[t.b]) for t in ties], directed=False)
        g.es["weight"] = [abs(t.net) for t in ties]
        layers.append(g)
    return layers[0], layers[1]


def partition(graph: AlignmentGraph, seeds: tuple[int, ...] = SEEDS,
              resolution: float = 1.0) -> tuple[dict[str, int], float]:
    """Actor -> community id (before canonical numbering) and the partition's quality."""
    if not graph.actors:
        return {}, 0.0
    positive, negative = _layers(graph)
    best: list[int] | None = None
    best_quality = float("-inf")
    for seed in seeds:
        membership, quality = leidenalg.find_partition_multiplex(
            [positive, negative], leidenalg.RBConfigurationVertexPartition,
            layer_weights=[1.0, -1.0], weights="weight", resolution_parameter=resolution,
            seed=seed, n_iterations=-1)
        if quality > best_quality + 1e-9:
            best, best_quality = list(membership), quality
    assert best is not None
    found = dict(zip(graph.actors, best, strict=True))
    return _separate_adversaries(graph, found), best_quality


def _separate_adversaries(graph: AlignmentGraph, membership: dict[str, int]) -> dict[str, int]:
    """Move actors until no bloc holds a net-negative tie (each move removes at least one)."""
    net: dict[str, dict[str, float]] = defaultdict(dict)
    for t in graph.ties:
        net[t.a][t.b] = t.net
        net[t.b][t.a] = t.net
    membership = dict(membership)

    def fit(code: str, bloc: int) -> float:
        return sum(w for other, w in net[code].items()
                   if other != code and membership.get(other) == bloc)

    hostile = [t for t in graph.ties if t.net < 0]
    while True:
        clashes = [t for t in hostile if membership[t.a] == membership[t.b]]
        if not clashes:
            return membership
        worst = min(clashes, key=lambda t: (t.net, t.a, t.b))
        here = membership[worst.a]
        # The one held less firmly by the bloc moves; ties go to the later code.
        mover = min((worst.b, worst.a), key=lambda c: (fit(c, here), c == worst.a))
        enemies = {membership[o] for o, w in net[mover].items() if w < 0}
        options = [(fit(mover, bloc), -bloc)
                   for bloc in sorted(set(membership.values()) - {here} - enemies)]
        best = max(options, default=None)
        if best is not None and best[0] > 0:
            membership[mover] = -best[1]
        else:
            membership[mover] = max(membership.values()) + 1


def _strength(code: str, bloc: int, membership: dict[str, int],
              graph: AlignmentGraph) -> float:
    pos_all = pos_in = neg_in = 0.0
    for t in graph.ties_of(code):
        inside = membership.get(t.other(code)) == bloc
        if t.net > 0:
            pos_all += t.net
            if inside:
                pos_in += t.net
        elif inside:
            neg_in += -t.net
    denominator = pos_all + neg_in
    if denominator <= 0:
        return 0.0
    return max(0.0, min(1.0, (pos_in - neg_in) / denominator))


# -- evidence -------------------------------------------------------------------------------------
def _quote(text: str | None, limit: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _names(codes: list[str]) -> str:
    if len(codes) <= 1:
        return "".join(codes)
    return ", ".join(codes[:-1]) + " and " + codes[-1]


def _source_line(report: Report | None) -> str:
    if report is None:
        return ""
    when = (report.published or report.day)
    bits = [b for b in (report.outlet, when.isoformat() if isinstance(when, date) else None) if b]
    return f" ({', '.join(bits)})" if bits else ""


def evidence_item(story: dict[str, Any], reports: list[Report]) -> dict[str, Any]:
    """One story as evidence: what, when, how firmly, how often, and the sentences behind it."""
    return {
        "story": story["story"], "type": story["type"], "source": list(story["src"]),
        "target": list(story["tgt"]), "date": story["first_day"],
        "precision": story.get("precision") or "day",
        "modality": story["modality"], "reports": int(story["reports"]),
        "outlets": int(story["outlets"]), "weight": round(float(story["align"]), 4),
        "quantities": [q for q in map(parse_json, story.get("quantities") or []) if q],
        "sentences": [{"text": r.evidence, "outlet": r.outlet, "title": r.title, "url": r.url,
                       "published": r.published, "doc_id": r.doc_id, "modality": r.modality}
                      for r in reports],
    }


def _evidence(frame: StoryFrame, result: BlocResult, per_member: int) -> None:
    """Fill each member's partners, counts, top stories and one-line explanation."""
    if not result.membership:
        return
    table = pa.table({"code": list(result.membership),
                      "bloc": pa.array(list(result.membership.values()), pa.int32())})
    name = f"_bw_membership_{id(result)}"
    frame.con.register(name, table)
    try:
        placing = frame.query(f"""
            WITH p AS (
                SELECT x.s AS u, y.t AS v, st.story, st.align
                FROM {{stories}} st, unnest(st.src) AS x(s), unnest(st.tgt) AS y(t)
                WHERE x.s <> y.t AND st.align <> 0
            ), q AS (
                SELECT u AS code, v AS other, story, align FROM p
                UNION ALL SELECT v, u, story, align FROM p
            ), r AS (
                SELECT DISTINCT q.code, q.story, q.align, (mc.bloc = mo.bloc) AS inside
                FROM q JOIN {name} mc ON mc.code = q.code JOIN {name} mo ON mo.code = q.other
                WHERE (mc.bloc = mo.bloc AND q.align > 0) OR (mc.bloc <> mo.bloc AND q.align < 0)
            ), chosen AS (
                -- Ties inside the bloc place a member; lacking any, its enmities outside do.
                SELECT r.* FROM r JOIN (SELECT code, bool_or(inside) AS inside FROM r
                                        GROUP BY code) c USING (code, inside)
            ), counts AS (
                SELECT c.code, count(*) AS events, count(DISTINCT e.outlet_key) AS outlets
                FROM chosen c JOIN {{events}} e ON e.story = c.story
                GROUP BY c.code
            ), ranked AS (
                SELECT chosen.*, row_number() OVER (PARTITION BY code
                    ORDER BY abs(align) DESC, story) AS rn
                FROM chosen
            )
            SELECT ranked.code, ranked.inside, ranked.story, ranked.align,
                   counts.events, counts.outlets,
                   st.type, st.src, st.tgt, st.first_day, st.modality, st.reports,
                   st.outlets AS story_outlets, st.quantities, st.precision
            FROM ranked JOIN counts USING (code)
            JOIN {{stories}} st ON st.story = ranked.story
            WHERE ranked.rn <= ?
            ORDER BY ranked.code, ranked.rn
        """, [per_member])
    finally:
        frame.con.unregister(name)
    reports = frame.reports(sorted({r["story"] for r in placing}), per_story=2)
    by_code: dict[str, dict[bool, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for r in placing:
        by_code[r["code"]][bool(r["inside"])].append(r)
    for bloc in result.blocs:
        for m in bloc.members:
            m.partners, m.adversaries = _partners(m.code, result)
            groups = by_code.get(m.code, {})
            inside = bool(groups.get(True))
            chosen = groups.get(True) or groups.get(False) or []
            m.events = int(chosen[0]["events"]) if chosen else 0
            m.outlets = int(chosen[0]["outlets"]) if chosen else 0
            m.evidence = [evidence_item({**r, "outlets": r["story_outlets"]},
                                        reports.get(r["story"], [])) for r in chosen]
            first = reports.get(chosen[0]["story"], [None])[0] if chosen else None
            example = (f", e.g. “{_quote(first.evidence)}”{_source_line(first)}"
                       if first and first.evidence else "")
            counts = f"{m.events} event{'s' * (m.events != 1)}, " \
                     f"{m.outlets} outlet{'s' * (m.outlets != 1)}"
            if inside:
                m.explanation = f"{m.code} is with {_names(m.partners[:3])}: {counts}{example}"
            elif chosen:
                m.explanation = (f"{m.code} stands against {_names(m.adversaries[:3])}: "
                                 f"{counts}{example}")
            else:
                m.explanation = f"{m.code} has no decisive tie in this period"


def _partners(code: str, result: BlocResult) -> tuple[list[str], list[str]]:
    mine = result.membership.get(code)
    ties = result.graph.ties_of(code)
    partners = sorted((t for t in ties if t.net > 0 and result.membership.get(t.other(code))
                       == mine), key=lambda t: (-t.net, t.other(code)))
    adversaries = sorted((t for t in ties if t.net < 0), key=lambda t: (t.net, t.other(code)))
    return [t.other(code) for t in partners], [t.other(code) for t in adversaries]


# -- putting it together --------------------------------------------------------------------------
def find_blocs(frame: StoryFrame, graph: AlignmentGraph | None = None,
               seeds: tuple[int, ...] = SEEDS, resolution: float = 1.0,
               evidence: int = EVIDENCE_PER_MEMBER) -> BlocResult:
    """Blocs of the frame's period, numbered by size (largest first), members by strength."""
    graph = graph if graph is not None else alignment_graph(frame)
    raw, quality = partition(graph, seeds, resolution)
    groups: dict[int, list[str]] = defaultdict(list)
    for code, c in raw.items():
        groups[c].append(code)

    cohesion: dict[int, float] = defaultdict(float)
    for t in graph.ties:
        if t.net > 0 and raw[t.a] == raw[t.b]:
            cohesion[raw[t.a]] += t.net
    order = sorted(groups, key=lambda c: (-len(groups[c]), -cohesion[c], min(groups[c])))
    membership = {code: i for i, c in enumerate(order) for code in groups[c]}
    blocs = []
    for i, c in enumerate(order):
        members = [Member(code, _strength(code, i, membership, graph)) for code in groups[c]]
        members.sort(key=lambda m: (-m.strength, m.code))
        blocs.append(Bloc(i, members, cohesion[c]))
    result = BlocResult(blocs, graph, membership, quality, _unaligned(frame, graph))
    if evidence:
        _evidence(frame, result, evidence)
    else:
        for bloc in result.blocs:
            for m in bloc.members:
                m.partners, m.adversaries = _partners(m.code, result)
    return result


def _unaligned(frame: StoryFrame, graph: AlignmentGraph) -> list[str]:
    codes = frame.query("""
        SELECT DISTINCT c FROM (SELECT unnest(src) AS c FROM {stories}
                                UNION ALL SELECT unnest(tgt) FROM {stories}) ORDER BY c
    """)
    present = set(graph.actors)
    return [r["c"] for r in codes if r["c"] not in present]
