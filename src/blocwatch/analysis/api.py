"""`Analysis`: one object over a store that answers every analysis question.

It holds the connection and the weights and caches one story frame (two temporary tables) per
filter, so the CLI, the report and a notebook all ask the same questions the same way and
nothing is consolidated twice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from blocwatch.analysis import dyads as _dyads
from blocwatch.analysis.alignment import AlignmentGraph, alignment_graph
from blocwatch.analysis.blocs import SEEDS, BlocResult, find_blocs
from blocwatch.analysis.consolidate import Story, StoryFrame
from blocwatch.analysis.events import EventFilter
from blocwatch.analysis.profile import actor_profile
from blocwatch.analysis.shifts import Period, compare
from blocwatch.analysis.weights import Weights, load_weights


class Analysis:
    """Analyses of one store (a `Store`, or any DuckDB connection holding its tables)."""

    def __init__(self, store: Any, weights: Weights | str | Path | None = None):
        self.con: duckdb.DuckDBPyConnection = getattr(store, "con", store)
        self.weights = weights if isinstance(weights, Weights) else load_weights(weights)
        self._frames: dict[EventFilter, StoryFrame] = {}
        self._blocs: dict[tuple, BlocResult] = {}

    # -- frames ----------------------------------------------------------------------------------
    def frame(self, flt: EventFilter | None = None) -> StoryFrame:
        """The consolidated stories for a filter (built once, then reused)."""
        flt = flt or EventFilter()
        if flt not in self._frames:
            self._frames[flt] = StoryFrame(self.con, flt, self.weights)
        return self._frames[flt]

    def close(self) -> None:
        for frame in self._frames.values():
            frame.close()
        self._frames.clear()
        self._blocs.clear()

    def __enter__(self) -> Analysis:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- questions -------------------------------------------------------------------------------
    def stories(self, flt: EventFilter | None = None, limit: int | None = 20,
                evidence: int = 3, actor: str | None = None) -> list[Story]:
        """Strongest stories first (by |score|), each with its reports as evidence."""
        where, params = "", []
        if actor:
            where = "list_contains(src, ?) OR list_contains(tgt, ?)"
            params = [actor, actor]
        return self.frame(flt).stories(where, params, limit=limit, evidence=evidence)

    def dyads(self, source: str | None = None, target: str | None = None,
              window: str = "week", flt: EventFilter | None = None, symmetric: bool = False,
              fill: bool = False) -> list[dict[str, Any]]:
        """Dyad time series (see `dyads.dyad_series`)."""
        flt = flt or EventFilter()
        return _dyads.dyad_series(self.frame(flt), source, target, window, symmetric, fill,
                                  first=flt.since, last=flt.until)

    def top_dyads(self, flt: EventFilter | None = None, actor: str | None = None,
                  limit: int | None = 20, order: str = "magnitude") -> list[dict[str, Any]]:
        return _dyads.top_dyads(self.frame(flt), actor, limit, order)

    def alignment(self, flt: EventFilter | None = None, min_stories: int = 1) -> AlignmentGraph:
        return alignment_graph(self.frame(flt), min_stories)

    def blocs(self, flt: EventFilter | None = None, evidence: int = 3, min_stories: int = 1,
              resolution: float = 1.0, seeds: tuple[int, ...] = SEEDS) -> BlocResult:
        """Blocs of the filtered period, with evidence per member (cached per arguments)."""
        flt = flt or EventFilter()
        key = (flt, evidence, min_stories, resolution, seeds)
        if key not in self._blocs:
            frame = self.frame(flt)
            graph = alignment_graph(frame, min_stories)
            self._blocs[key] = find_blocs(frame, graph, seeds, resolution, evidence)
        return self._blocs[key]

    def shifts(self, before: Period, after: Period, flt: EventFilter | None = None,
               top: int = 10, evidence: int = 3) -> dict[str, Any]:
        """What changed from `before` to `after` (see `shifts.compare`)."""
        flt = flt or EventFilter()
        f1, f2 = flt.between(before.start, before.end), flt.between(after.start, after.end)
        # The comparison brings its own evidence; the blocs need none of theirs.
        result = compare(self.frame(f1), self.frame(f2), self.blocs(f1, evidence=0),
                         self.blocs(f2, evidence=0), top, evidence)
        return {"from": before.to_dict(), "to": after.to_dict(), **result}

    def profile(self, code: str, flt: EventFilter | None = None, top: int = 10,
                recent: int = 10) -> dict[str, Any]:
        """Bloc, partners, adversaries, dyads and latest stories of one actor."""
        return actor_profile(self.frame(flt), self.blocs(flt), code, top, recent)

    def counts(self, flt: EventFilter | None = None) -> dict[str, Any]:
        return self.frame(flt).counts()

    def span(self, flt: EventFilter | None = None) -> tuple[date | None, date | None]:
        c = self.counts(flt)
        return c["first_day"], c["last_day"]
