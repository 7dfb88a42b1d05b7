"""The event frame every analysis starts from: stored events with filters, weights and outlets.

One SQL query (not a Python loop) joins each event to its document and to the document's
original when it is a near-duplicate, so that a syndicated copy counts as the outlet that first
ran it. Negated events are dropped here: they are not the event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import duckdb

from blocwatch.analysis.weights import Weights, load_weights


def _codes(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(sorted({v.strip().upper() for v in values or () if v and v.strip()}))


@dataclass(frozen=True)
class EventFilter:
    """Which events an analysis looks at.

    An event's day is its own date, else its document's publication date; with `since` or
    `until` set, events with neither are left out. `actors` keeps only these codes in the
    source/target lists (the graph induced on them); `exclude` drops codes (e.g. WST, NATO).
    Either way an event whose source or target side is emptied by the filter is dropped.
    Background events (history and context) count only with `background`.
    """

    since: date | None = None
    until: date | None = None
    actors: tuple[str, ...] = ()     # `--only`: the graph induced on these codes
    exclude: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    min_confidence: float | None = None
    background: bool = False  # include history and context ("since the 2014 annexation")
    modes: tuple[str, ...] = ()        # PLOVER modes (military, arrest …); empty: all
    domestic: bool = False  # include events within one state (its government and rebels)
    duplicates: bool = True  # events of near-duplicate copies (they count as their original)
    modalities: tuple[str, ...] = ()   # only these modalities; empty: all, weighted

    def __post_init__(self) -> None:
        object.__setattr__(self, "actors", _codes(self.actors))
        object.__setattr__(self, "exclude", _codes(self.exclude))
        object.__setattr__(self, "types", _codes(self.types))

    def between(self, since: date | None, until: date | None) -> EventFilter:
        """The same filter over another date range."""
        return replace(self, since=since, until=until)


def _codes_sql(column: str, flt: EventFilter, params: list[Any]) -> str:
    expr = f"coalesce(list_sort(list_distinct({column})), []::VARCHAR[])"
    if flt.actors:
        expr = f"list_filter({expr}, lambda x: list_contains(?::VARCHAR[], x))"
        params.append(list(flt.actors))
    if flt.exclude:
        expr = f"list_filter({expr}, lambda x: NOT list_contains(?::VARCHAR[], x))"
        params.append(list(flt.exclude))
    return expr


def event_frame_sql(flt: EventFilter, weights: Weights) -> tuple[str, list[Any]]:
    """SQL (and its parameters) for the filtered, weighted event rows; used as a subquery.

    Columns: id, doc_id, orig_doc, outlet_key, type, mode, modality, mweight, mrank, quad,
    goldstein (the event's, else the type default), sign, src, tgt, quantity, event_date,
    published, day, precision (of the day: day, month or year), confidence.
    """
    params: list[Any] = []
    src = _codes_sql("e.source_codes", flt, params)
    tgt = _codes_sql("e.target_codes", flt, params)
    where = ["e.modality <> 'negated'"]
    if not flt.background:  # history told as context is not news of its day
        where.append("NOT coalesce(e.background, false)")
    # The date test on the event alone comes first: it prunes most rows before the joins.
    if flt.since is not None:
        where.append("(e.event_date >= ? OR e.event_date IS NULL)")
        where.append("coalesce(e.event_date, d.published) >= ?")
        params.extend([flt.since, flt.since])
    if flt.until is not None:
        where.append("(e.event_date <= ? OR e.event_date IS NULL)")
        where.append("coalesce(e.event_date, d.published) <= ?")
        params.extend([flt.until, flt.until])
    if flt.types:
        where.append("list_contains(?::VARCHAR[], upper(e.type))")
        params.append(list(flt.types))
    if flt.min_confidence is not None:
        where.append("coalesce(e.confidence, 1.0) >= ?")
        params.append(flt.min_confidence)
    if not flt.domestic:  # international by default: one state on both sides is left out
        where.append("NOT (len(coalesce(e.source_codes, [])) > 0 "
                     "AND len(coalesce(e.target_codes, [])) > 0 "
                     "AND len(list_distinct(list_concat(e.source_codes, e.target_codes))) = 1)")
    if not flt.duplicates:
        where.append("d.duplicate_of IS NULL")
    if flt.modes:
        where.append("list_contains(?::VARCHAR[], lower(e.mode))")
        params.append([m.lower() for m in flt.modes])
    if flt.modalities:
        where.append("list_contains(?::VARCHAR[], e.modality)")
        params.append(list(flt.modalities))
    sql = f"""
        SELECT e.id, e.doc_id,
               coalesce(d.duplicate_of, e.doc_id) AS orig_doc,
               CASE WHEN d.duplicate_of IS NOT NULL
                    THEN coalesce(nullif(lower(trim(o.outlet)), ''), 'unknown')
                    ELSE coalesce(nullif(lower(trim(d.outlet)), ''), 'unknown') END
                    AS outlet_key,
               upper(e.type) AS type, e.mode, e.modality,
               coalesce(mw.mweight, 0.0) AS mweight, coalesce(mw.mrank, 9) AS mrank,
               coalesce(e.quad, tw.quad) AS quad,
               coalesce(e.goldstein, tw.goldstein, 0.0) AS goldstein,
               CAST(coalesce(tw.sign, sign(e.goldstein),
                    CASE WHEN e.quad IN (1, 2) THEN 1 WHEN e.quad IN (3, 4) THEN -1 END, 0)
                    AS INTEGER) AS sign,
               {src} AS src, {tgt} AS tgt,
               len(coalesce(e.source_codes, [])) AS n_src,
               len(coalesce(e.target_codes, [])) AS n_tgt,
               CAST(e.quantity AS VARCHAR) AS quantity,
               e.event_date, d.published,
               coalesce(e.event_date, d.published) AS day,
               CASE WHEN e.event_date IS NULL THEN 'day'
                    ELSE coalesce(e.date_precision, 'day') END AS precision,
               e.confidence
        FROM events e
        LEFT JOIN documents d ON d.id = e.doc_id
        LEFT JOIN documents o ON o.id = d.duplicate_of
        LEFT JOIN {weights.modality_sql()} AS mw(modality, mweight, mrank)
               ON mw.modality = e.modality
        LEFT JOIN {weights.types_sql()} AS tw(type, sign, goldstein, quad)
               ON tw.type = upper(e.type)
        WHERE {" AND ".join(where)}
    """
    if flt.actors or flt.exclude:
        # An event whose source or target side the code filter emptied is no longer an event
        # between the actors kept: drop it (events that never had a target stay).
        sql = (f"SELECT * EXCLUDE (n_src, n_tgt) FROM ({sql}) "
               f"WHERE (len(src) > 0 OR n_src = 0) AND (len(tgt) > 0 OR n_tgt = 0)")
    return sql, params


def load_events(con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None,
                weights: Weights | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The filtered event frame as rows (for inspection and tests; analyses stay in SQL)."""
    sql, params = event_frame_sql(flt or EventFilter(), weights or load_weights())
    sql = f"SELECT * FROM ({sql}) ORDER BY day NULLS LAST, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return rows(con, sql, params)


def rows(con: duckdb.DuckDBPyConnection, sql: str,
         params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
    """A query's rows as dicts, fully fetched (DuckDB 2 wants that before the next statement)."""
    cur = con.execute(sql, list(params or []))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
