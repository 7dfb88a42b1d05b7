"""From events to blocs: consolidation, dyads, the alignment graph, blocs, shifts, profiles.

Typical use::

    from blocwatch.store import Store
    from blocwatch.analysis import Analysis, EventFilter, parse_period

    with Store("blocwatch.duckdb", read_only=True) as store, Analysis(store) as a:
        blocs = a.blocs(EventFilter(since=date(2024, 1, 1)))
        a.shifts(parse_period("2024-09"), parse_period("2024-11"))

Every number comes from `data/analysis/weights.yaml`; every aggregation runs in DuckDB. Names
are loaded on first use, so `blocwatch docs` does not pay for igraph and leidenalg.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "AlignmentGraph": "alignment", "Tie": "alignment", "alignment_graph": "alignment",
    "Analysis": "api",
    "Bloc": "blocs", "BlocResult": "blocs", "Member": "blocs", "find_blocs": "blocs",
    "partition": "blocs",
    "Report": "consolidate", "Story": "consolidate", "StoryFrame": "consolidate",
    "consolidate": "consolidate",
    "WINDOWS": "dyads", "dyad_series": "dyads", "top_dyads": "dyads",
    "EventFilter": "events", "load_events": "events",
    "actor_name": "names",
    "PERIOD_SYNTAX": "periods", "Period": "periods", "PeriodError": "periods",
    "parse_period": "periods",
    "actor_profile": "profile",
    "compare": "shifts",
    "Weights": "weights", "WeightsError": "weights", "load_weights": "weights",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'blocwatch.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"blocwatch.analysis.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
