"""The alignment graph: a signed, weighted, undirected graph of who stands with whom.

Each story adds, to every (source, target) pair it names, sign x intensity x weight: the sign from
the PLOVER type table (SUPPORT, AID, COOPERATE, AGREE, CONSULT +; ACCUSE, SANCTION, THREATEN,
ASSAULT, PROTEST, REJECT, COERCE -; types that say nothing about alignment 0), the intensity
|goldstein| / 10, the weight from modality and corroboration (weights.yaml). Both directions of a
pair add up: A aiding B and B aiding A both bind them. Positive and negative weight are kept
apart as well as netted, so a pair that trades and quarrels shows both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import igraph

from blocwatch.analysis.consolidate import StoryFrame


@dataclass
class Tie:
    """The alignment between two actors (a < b) over the frame."""

    a: str
    b: str
    positive: float
    negative: float
    stories: int
    reports: int

    @property
    def net(self) -> float:
        return self.positive - self.negative

    @property
    def sign(self) -> int:
        return (self.net > 0) - (self.net < 0)

    def other(self, code: str) -> str:
        return self.b if code == self.a else self.a

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["net"] = self.net
        for key in ("positive", "negative", "net"):
            out[key] = round(out[key], 4)
        return out


@dataclass
class AlignmentGraph:
    """Actors (sorted codes) and the ties between them."""

    actors: list[str]
    ties: list[Tie]
    _index: dict[tuple[str, str], Tie] = field(default_factory=dict, repr=False)
    _adjacent: dict[str, list[Tie]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {(t.a, t.b): t for t in self.ties}
        for t in self.ties:
            self._adjacent.setdefault(t.a, []).append(t)
            self._adjacent.setdefault(t.b, []).append(t)

    def tie(self, a: str, b: str) -> Tie | None:
        return self._index.get((a, b) if a < b else (b, a))

    def ties_of(self, code: str) -> list[Tie]:
        return self._adjacent.get(code, [])

    def to_igraph(self) -> igraph.Graph:
        """Undirected igraph: vertex `name`; edge `weight` (net), `positive`, `negative`,
        `stories`, `reports`."""
        g = igraph.Graph(n=len(self.actors), directed=False)
        g.vs["name"] = list(self.actors)
        pos = {c: i for i, c in enumerate(self.actors)}
        g.add_edges([(pos[t.a], pos[t.b]) for t in self.ties])
        g.es["weight"] = [t.net for t in self.ties]
        g.es["positive"] = [t.positive for t in self.ties]
        g.es["negative"] = [t.negative for t in self.ties]
        g.es["stories"] = [t.stories for t in self.ties]
        g.es["reports"] = [t.reports for t in self.ties]
        return g


def alignment_graph(frame: StoryFrame, min_stories: int = 1) -> AlignmentGraph:
    """Signed ties from all stories of the frame; actors with no signed tie are left out."""
    found = frame.query("""
        SELECT least(x.s, y.t) AS a, greatest(x.s, y.t) AS b,
               sum(greatest(st.align, 0)) AS positive, sum(greatest(-st.align, 0)) AS negative,
               count(*) AS stories, sum(st.reports) AS reports
        FROM {stories} st, unnest(st.src) AS x(s), unnest(st.tgt) AS y(t)
        WHERE x.s <> y.t AND st.align <> 0
        GROUP BY 1, 2
        HAVING count(*) >= ?
        ORDER BY 1, 2
    """, [int(min_stories)])
    ties = [Tie(r["a"], r["b"], float(r["positive"]), float(r["negative"]), int(r["stories"]),
                int(r["reports"])) for r in found]
    ties = [t for t in ties if abs(t.net) > 1e-12]
    actors = sorted({t.a for t in ties} | {t.b for t in ties})
    return AlignmentGraph(actors, ties)
