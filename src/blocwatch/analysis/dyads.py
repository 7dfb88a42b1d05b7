"""Dyads over time: what one actor did to another, window by window, and how it scores.

A dyad is an ordered pair (source code, target code); a story with several sources or targets
counts for each pair. Per window: stories by PLOVER type, reports, distinct outlets, and the
cooperation-conflict score (sum of goldstein x modality weight x corroboration; see
weights.yaml). All of it is one GROUP BY in DuckDB.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from blocwatch.analysis.consolidate import StoryFrame

WINDOWS = ("day", "week", "month", "quarter", "year")


def _pairs_sql(source: str | None, target: str | None, symmetric: bool,
               actor: str | None, params: list[Any], window: str | None = None) -> str:
    day = (f"CAST(date_trunc('{window}', st.first_day) AS DATE) AS win" if window
           else "st.first_day")
    where = ["x.s <> y.t"]
    if source and target:
        if symmetric:
            where.append("((x.s = ? AND y.t = ?) OR (x.s = ? AND y.t = ?))")
            params.extend([source, target, target, source])
        else:
            where.append("x.s = ? AND y.t = ?")
            params.extend([source, target])
    elif source:
        where.append("x.s = ?")
        params.append(source)
    elif target:
        where.append("y.t = ?")
        params.append(target)
    if actor:
        where.append("(x.s = ? OR y.t = ?)")
        params.extend([actor, actor])
    return f"""
        SELECT x.s AS source, y.t AS target, st.story, st.type, {day}, st.reports,
               st.score
        FROM {{stories}} st, unnest(st.src) AS x(s), unnest(st.tgt) AS y(t)
        WHERE {" AND ".join(where)}
    """


def _finish(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        row: dict[str, Any] = {"source": r["source"], "target": r["target"]}
        if "win" in r:
            row["window"] = r["win"]
        for key in ("stories", "reports", "outlets"):
            row[key] = int(r[key] or 0)
        row["types"] = {t["type"]: int(t["n"]) for t in r["type_counts"] or []}
        for key in ("score", "cooperation", "conflict"):
            row[key] = round(float(r[key] or 0.0), 4)
        out.append(row)
    return out


def _aggregate_sql(pairs: str, group: str) -> str:
    cols = [c.strip() for c in group.split(",")]
    on = " AND ".join(f"t.{c} IS NOT DISTINCT FROM o.{c}" for c in cols)
    return f"""
        WITH p AS ({pairs}),
        t AS (
            SELECT {group}, type, count(*) AS n, sum(reports) AS reports, sum(score) AS score,
                   sum(greatest(score, 0)) AS cooperation, sum(least(score, 0)) AS conflict
            FROM p GROUP BY ALL
        ),
        o AS (
            SELECT {group}, count(DISTINCT e.outlet_key) AS outlets
            FROM p JOIN {{events}} e ON e.story = p.story GROUP BY ALL
        )
        SELECT {", ".join(f"t.{c} AS {c}" for c in cols)}, sum(n) AS stories,
               sum(t.reports) AS reports, any_value(o.outlets) AS outlets,
               sum(score) AS score, sum(cooperation) AS cooperation, sum(conflict) AS conflict,
               list(struct_pack(type := type, n := n) ORDER BY n DESC, type) AS type_counts
        FROM t JOIN o ON {on}
        GROUP BY {", ".join(f"t.{c}" for c in cols)}
    """


def _step(day: date, window: str) -> date:
    if window == "day":
        return day + timedelta(days=1)
    if window == "week":
        return day + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[window]
    m = day.month - 1 + months
    return date(day.year + m // 12, m % 12 + 1, 1)


def window_start(day: date, window: str) -> date:
    """The first day of the window holding `day` (weeks start on Monday, as in DuckDB)."""
    if window == "day":
        return day
    if window == "week":
        return day - timedelta(days=day.weekday())
    if window == "month":
        return day.replace(day=1)
    if window == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def window_range(first: date, last: date, window: str) -> list[date]:
    """Every window start from the one holding `first` to the one holding `last`."""
    out, day = [], window_start(first, window)
    while day <= last:
        out.append(day)
        day = _step(day, window)
    return out


def dyad_series(frame: StoryFrame, source: str | None = None, target: str | None = None,
                window: str = "week", symmetric: bool = False, fill: bool = False,
                first: date | None = None, last: date | None = None) -> list[dict[str, Any]]:
    """Per dyad and window: stories, reports, outlets, types and score (undated last).

    `symmetric` adds the reverse direction (B to A) as its own rows. `fill` adds empty windows
    between `first` and `last` (default: the data's span) so a timeline has no gaps.
    """
    if window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}")
    params: list[Any] = []
    pairs = _pairs_sql(source, target, symmetric, None, params, window=window)
    sql = _aggregate_sql(pairs, "source, target, win")
    sql = f"SELECT * FROM ({sql}) ORDER BY source, target, win NULLS LAST"
    out = _finish(frame.query(sql, params))
    if fill:
        out = _fill(out, window, first, last)
    return out


def _fill(rows: list[dict[str, Any]], window: str, first: date | None,
          last: date | None) -> list[dict[str, Any]]:
    days = [r["window"] for r in rows if r["window"] is not None]
    if not days and not (first and last):
        return rows
    lo = first or min(days)
    hi = last or max(days)
    by_key = {(r["source"], r["target"], r["window"]): r for r in rows}
    pairs = sorted({(r["source"], r["target"]) for r in rows})
    out = []
    for s, t in pairs:
        for w in window_range(lo, hi, window):
            out.append(by_key.get((s, t, w)) or {
                "source": s, "target": t, "window": w, "stories": 0, "reports": 0, "outlets": 0,
                "types": {}, "score": 0.0, "cooperation": 0.0, "conflict": 0.0})
        undated = by_key.get((s, t, None))
        if undated:
            out.append(undated)
    return out


def top_dyads(frame: StoryFrame, actor: str | None = None, limit: int | None = 20,
              order: str = "magnitude") -> list[dict[str, Any]]:
    """Dyads over the whole frame, by |score| (or `order`='stories'|'cooperation'|'conflict').

    Totals are ranked first; types and distinct outlets are then counted for the chosen dyads
    only, which keeps this fast on a large store.
    """
    orders = {"magnitude": "abs(score) DESC", "stories": "stories DESC, abs(score) DESC",
              "cooperation": "score DESC", "conflict": "score ASC"}
    params: list[Any] = []
    pairs = _pairs_sql(None, None, False, actor, params)
    sql = f"""
        SELECT * FROM (SELECT source, target, sum(score) AS score, count(*) AS stories
                       FROM ({pairs}) GROUP BY source, target)
        ORDER BY {orders[order]}, source, target
    """
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    chosen = frame.query(sql, params)
    if not chosen:
        return []
    keys = [f"{r['source']}>{r['target']}" for r in chosen]
    params = []
    pairs = _pairs_sql(None, None, False, actor, params)
    pairs = f"SELECT * FROM ({pairs}) WHERE list_contains(?::VARCHAR[], source || '>' || target)"
    params.append(keys)
    found = {(r["source"], r["target"]): r
             for r in _finish(frame.query(_aggregate_sql(pairs, "source, target"), params))}
    return [found[(r["source"], r["target"])] for r in chosen]


def dyad_scores(frame: StoryFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """Score and story count of every dyad in the frame, keyed by (source, target)."""
    rows = frame.query(f"""
        SELECT source, target, sum(score) AS score, count(*) AS stories
        FROM ({_pairs_sql(None, None, False, None, [])}) GROUP BY ALL
    """)
    return {(r["source"], r["target"]): {"score": float(r["score"] or 0.0),
                                         "stories": int(r["stories"])} for r in rows}
