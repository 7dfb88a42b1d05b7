"""The Python API for analysts: a store opened for reading, with results as DuckDB relations
that become pandas (``.df()``), polars (``.pl()``) or Arrow (``.arrow()``) without a Python loop.

    import blocwatch
    s = blocwatch.open("news.duckdb")
    s.events(actor="RUS", since="2024-01-01").df()
    s.blocs().df()

Events and documents are SQL over the store itself. Dyads and blocs come from the same analysis
the CLI runs (consolidated stories, signed graph, blocs), so the numbers are the CLI's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from blocwatch.store import DEFAULT_DB, DEFAULT_WAIT, event_where, open_store
from blocwatch.store_pg import arrow_schema, is_postgres


class Result:
    """A query result: a DuckDB relation, read as a DataFrame, an Arrow table or rows."""

    def __init__(self, relation: duckdb.DuckDBPyRelation):
        self.relation = relation

    def df(self):  # noqa: ANN201 - pandas is optional
        """A pandas DataFrame (needs pandas)."""
        return self.relation.df()

    def pl(self):  # noqa: ANN201 - polars is optional
        """A polars DataFrame (needs polars)."""
        return self.relation.pl()

    def arrow(self) -> pa.Table:
        """An Arrow table."""
        return self.relation.to_arrow_table()

    @property
    def columns(self) -> list[str]:
        return list(self.relation.columns)

    def rows(self) -> list[dict[str, Any]]:
        return self.arrow().to_pylist()

    def __len__(self) -> int:
        return int(self.relation.aggregate("count(*)").fetchall()[0][0])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows())

    def __repr__(self) -> str:
        return f"<blocwatch.Result {len(self)} rows: {', '.join(self.columns[:8])}…>"


def _day(value: date | str | None, name: str) -> date | None:
    """A date, or a day, month (2024-03), quarter (2024-Q1) or year (2024): ``until`` takes
    the period's last day, the others its first (as the CLI)."""
    from blocwatch.filters import FilterError, period

    if value is None or isinstance(value, date):
        return value
    try:
        first, last = period(str(value))
    except FilterError as exc:
        raise ValueError(f"{name}: {exc}") from None
    return last if name == "until" else first


def _list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Session:
    """One store, read-only; close it (or use ``with``) to let writers at the file."""

    def __init__(self, path: str = DEFAULT_DB, wait: float = DEFAULT_WAIT):
        self.store = open_store(path, read_only=True, wait=wait)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self.store.con

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the store's own tables ---------------------------------------------------------------
    def events(self, actor: str | None = None, source: str | None = None,
               target: str | None = None, type: str | Sequence[str] | None = None,  # noqa: A002
               modality: str | Sequence[str] | None = None, since: date | str | None = None,
               until: date | str | None = None, min_confidence: float | None = None,
               background: bool = False, duplicates: bool = True) -> Result:
        """Events with their evidence and document: one row per event. ``actor`` matches
        either side, ``source`` and ``target`` one side; codes as stored (``RUS``, ``NATO``).
        History and context (``background``) and near-duplicate copies can be left out."""
        where, params = event_where(
            actor=actor, source=source, target=target, types=_list(type),
            modalities=_list(modality), since=_day(since, "since"), until=_day(until, "until"),
            min_confidence=min_confidence, include_duplicates=duplicates,
            background=background)
        sql = ("SELECT e.id, coalesce(e.event_date, d.published) AS date, e.type, e.mode, "
               "e.cameo, e.quad, e.goldstein, e.source_codes, e.target_codes, e.modality, "
               "e.attribution, e.confidence, e.background, e.evidence, e.doc_id, e.sentence, "
               "e.start_char, e.end_char, d.title, d.outlet, d.published, d.url, "
               "d.duplicate_of, e.source, e.target, e.quantity, e.location "
               "FROM events e JOIN documents d ON d.id = e.doc_id"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY date NULLS LAST, e.doc_id, e.start_char, e.id")
        return Result(self.con.sql(sql, params=params))

    def documents(self, outlet: str | None = None, since: date | str | None = None,
                  until: date | str | None = None, duplicates: bool = True) -> Result:
        """Stored documents with their metadata and cleaned text."""
        where, params = [], []
        if outlet:
            where.append("lower(outlet) = lower(?)")
            params.append(outlet)
        for op, value, name in ((">=", since, "since"), ("<=", until, "until")):
            if value is not None:
                where.append(f"published {op} ?")
                params.append(_day(value, name))
        if not duplicates:
            where.append("duplicate_of IS NULL")
        columns = ["id", "title", "outlet", "published", "section", "url", "author",
                   "word_count", "duplicate_of", "similarity", "source_path", "coded_with",
                   "coding_error", "text"]
        if is_postgres(self.store.path):  # the analysis copy has no text: read it there
            parts = list(self.store.table_batches(
                "documents", where=" AND ".join(where), params=params, columns=columns,
                order="published NULLS LAST, id"))
            table = pa.concat_tables(parts) if parts else pa.schema(
                [arrow_schema("documents").field(c) for c in columns]).empty_table()
            return Result(self.con.from_arrow(table))
        sql = (f"SELECT {', '.join(columns)} FROM documents"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY published NULLS LAST, id")
        return Result(self.con.sql(sql, params=params))

    # -- analyses ----------------------------------------------------------------------------
    def _filter(self, since: date | str | None, until: date | str | None,
                types: str | Sequence[str] | None, exclude: str | Sequence[str] | None):
        from blocwatch.analysis.events import EventFilter

        return EventFilter(since=_day(since, "since"), until=_day(until, "until"),
                           types=tuple(_list(types)), exclude=tuple(_list(exclude)))

    def _table(self, rows: list[dict[str, Any]], columns: list[str]) -> Result:
        table = (pa.Table.from_pylist(rows) if rows
                 else pa.table({c: pa.array([], pa.string()) for c in columns}))
        return Result(self.con.from_arrow(table))

    def dyads(self, source: str | None = None, target: str | None = None,
              window: str = "month", since: date | str | None = None,
              until: date | str | None = None, type: str | Sequence[str] | None = None,  # noqa: A002
              exclude: str | Sequence[str] | None = None) -> Result:
        """What each source did to each target, window by window: stories, reports, outlets
        and the signed score, as ``blocwatch dyads`` gives them."""
        from blocwatch.analysis.api import Analysis

        flt = self._filter(since, until, type, exclude)
        with Analysis(self.store) as analysis:
            rows = analysis.dyads(source.upper() if source else None,
                                  target.upper() if target else None, window, flt)
        rows = [{k: (", ".join(f"{t}:{n}" for t, n in v.items()) if isinstance(v, dict) else v)
                 for k, v in r.items()} for r in rows]
        return self._table(rows, ["source", "target", "window", "stories", "score"])

    def blocs(self, since: date | str | None = None, until: date | str | None = None,
              type: str | Sequence[str] | None = None,  # noqa: A002
              exclude: str | Sequence[str] | None = None, min_size: int = 2) -> Result:
        """One row per actor in a bloc (bloc number, strength, partners, adversaries, events,
        outlets), as ``blocwatch blocs`` finds them: blocs of fewer than ``min_size`` actors
        are actors standing alone, not listed (as the CLI's ``--min-size``)."""
        from blocwatch.analysis.api import Analysis
        from blocwatch.analysis.names import actor_name

        flt = self._filter(since, until, type, exclude)
        with Analysis(self.store) as analysis:
            result = analysis.blocs(flt, evidence=0)
        rows = [{"bloc": b.bloc, "code": m.code, "name": actor_name(m.code),
                 "strength": round(m.strength, 4), "partners": list(m.partners),
                 "adversaries": list(m.adversaries), "events": m.events, "outlets": m.outlets,
                 "cohesion": round(b.cohesion, 4)}
                for b in result.blocs if len(b.members) >= min_size for m in b.members]
        return self._table(rows, ["bloc", "code", "name", "strength"])


def open(path: str = DEFAULT_DB, wait: float = DEFAULT_WAIT) -> Session:  # noqa: A001
    """Open a blocwatch store for analysis (read-only)."""
    return Session(path, wait)
