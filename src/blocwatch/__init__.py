"""blocwatch: a time-stamped, evidence-backed record of who did what to whom between
international actors, and the blocs those interactions form.

``blocwatch.open("news.duckdb")`` opens a store for analysis (:mod:`blocwatch.api`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from blocwatch.api import Session


def open(path: str = "blocwatch.duckdb", wait: float = 60.0) -> Session:  # noqa: A001
    """Open a blocwatch store for analysis, read-only: ``s.events(...).df()``."""
    from blocwatch.api import open as _open

    return _open(path, wait)
