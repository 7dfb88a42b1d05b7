"""Consolidation: many reports of one real-world event become one story with a corroboration count.

Ten outlets repeating one wire story are one event seen ten times, not ten events. Reports join a
story when they share the PLOVER type and the (sorted) source and target codes and fall within
the story window (weights.yaml, 7 days by default) of the story's first report; undated reports
join only undated reports published in the same week (and reports with no date at all only each
other). Corroboration counts distinct outlets, a near-duplicate document counting as its original.
Quantities are kept side by side ("11,000" and "thousands"), never averaged.

Everything happens in DuckDB: the frame materialises two temporary tables per filter (events with
their story id, and the stories) that the other analyses query.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb

from blocwatch.analysis.events import EventFilter, event_frame_sql, rows
from blocwatch.analysis.weights import Weights, load_weights

_counter = itertools.count(1)


@dataclass
class Report:
    """One event as one document reported it: the evidence behind a story."""

    event_id: str
    doc_id: str
    outlet: str | None
    title: str | None
    url: str | None
    published: date | None
    day: date | None
    modality: str
    attribution: str | None
    mode: str | None
    quantity: dict | None
    evidence: str | None
    sentence: int | None
    confidence: float | None
    duplicate_of: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Story:
    """One real-world event, consolidated from its reports."""

    id: str
    type: str
    source: list[str]
    target: list[str]
    first_day: date | None
    last_day: date | None
    reports: int
    documents: int
    outlets: int
    modality: str
    weight: float
    goldstein: float
    score: float
    align: float
    quantities: list[dict] = field(default_factory=list)
    modes: list[str] = field(default_factory=list)
    evidence: list[Report] = field(default_factory=list)
    precision: str = "day"  # of first_day: day, month or year ("in 1978")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["evidence"] = [r.to_dict() for r in self.evidence]
        for key in ("weight", "goldstein", "score", "align"):
            out[key] = round(out[key], 4)
        return out

    def headline(self) -> str:
        """'PRK AID RUS' with the date: how a story is named in one line."""
        when = self.first_day.isoformat() if self.first_day else "undated"
        return f"{'+'.join(self.source) or '?'} {self.type} {'+'.join(self.target) or '?'} ({when})"


def parse_json(value: Any) -> Any:
    """A JSON column's value as Python (DuckDB hands JSON over as text)."""
    if value is None or isinstance(value, (dict, list)):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return {"text": str(value)}


STORY_COLUMNS = ("story, type, src, tgt, first_day, last_day, reports, documents, outlets, "
                 "modality, weight, goldstein, score, align, quantities, modes, precision")


class StoryFrame:
    """Stories for one filter, materialised as temporary tables on the connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None,
                 weights: Weights | None = None):
        self.con = con
        self.flt = flt or EventFilter()
        self.weights = weights or load_weights()
        n = next(_counter)
        self.events_table = f"bw_story_events_{n}"
        self.stories_table = f"bw_stories_{n}"
        self._build()

    # -- building --------------------------------------------------------------------------------
    def _build(self) -> None:
        base, params = event_frame_sql(self.flt, self.weights)
        w = int(self.weights.story_window_days)
        key = "type, src_key, tgt_key, dkind"
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {self.events_table} AS
            WITH k AS (
                SELECT *,
                       CASE WHEN event_date IS NOT NULL THEN 'd'
                            WHEN published IS NOT NULL THEN 'w' ELSE 'u' END AS dkind,
                       array_to_string(src, '+') AS src_key,
                       array_to_string(tgt, '+') AS tgt_key
                FROM ({base})
            ), g AS (
                SELECT *,
                       CASE WHEN event_date - lag(event_date) OVER
                                 (PARTITION BY {key} ORDER BY event_date, id) > {w}
                            THEN 1 ELSE 0 END AS brk
                FROM k
            ), c AS (
                SELECT *, sum(brk) OVER (PARTITION BY {key} ORDER BY event_date, id
                                         ROWS UNBOUNDED PRECEDING) AS chain
                FROM g
            ), a AS (
                SELECT *, CASE dkind
                    WHEN 'd' THEN CAST(min(event_date) OVER (PARTITION BY {key}, chain)
                        + INTERVAL 1 DAY * ((event_date - min(event_date) OVER
                            (PARTITION BY {key}, chain)) // {w + 1}) * {w + 1} AS DATE)
                    WHEN 'w' THEN CAST(date_trunc('week', published) AS DATE)
                    END AS anchor
                FROM c
            )
            SELECT id, doc_id, orig_doc, outlet_key, type, mode, modality, mweight, mrank, quad,
                   goldstein, sign, src, tgt, quantity, event_date, published, day, precision,
                   confidence, dkind,
                   md5(concat_ws('|', type, src_key, tgt_key, dkind,
                                 coalesce(CAST(anchor AS VARCHAR), '')))[:16] AS story
            FROM a
        """, params).fetchall()
        floor = float(self.weights.min_intensity)
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {self.stories_table} AS
            WITH s AS (
                SELECT story, any_value(type) AS type, any_value(src) AS src,
                       any_value(tgt) AS tgt, any_value(dkind) AS dkind,
                       min(day) AS first_day, max(day) AS last_day,
                       -- the finest precision any report gives the day ("1978" only when
                       -- no report dates it closer)
                       CASE min(CASE precision WHEN 'year' THEN 2 WHEN 'month' THEN 1
                                ELSE 0 END)
                            WHEN 2 THEN 'year' WHEN 1 THEN 'month' ELSE 'day' END
                           AS precision,
                       count(*) AS reports, count(DISTINCT orig_doc) AS documents,
                       count(DISTINCT outlet_key) AS outlets,
                       max(mweight) AS mweight,
                       arg_max(modality, mweight * 1000 - mrank) AS modality,
                       CAST(avg(CAST(goldstein AS DECIMAL(18, 6))) AS DOUBLE) AS goldstein,
                       CAST(sign(sum(sign)) AS INTEGER) AS sign,
                       list(DISTINCT quantity) FILTER (WHERE quantity IS NOT NULL) AS quantities,
                       list(DISTINCT mode) FILTER (WHERE mode IS NOT NULL) AS modes
                FROM {self.events_table}
                GROUP BY story
            )
            -- Scores as exact decimals: sums over them are then the same on every run,
            -- whatever order DuckDB's threads add them in (floating-point sums are not).
            SELECT *, mweight * log2(1 + outlets) AS weight,
                   CAST(goldstein * mweight * log2(1 + outlets) AS DECIMAL(18, 9)) AS score,
                   CAST(sign * greatest(abs(goldstein) / 10.0, {floor}) * mweight
                        * log2(1 + outlets) AS DECIMAL(18, 9)) AS align
            FROM s
        """).fetchall()

    def close(self) -> None:
        """Drop the temporary tables (they also go with the connection)."""
        for table in (self.events_table, self.stories_table):
            self.con.execute(f"DROP TABLE IF EXISTS {table}").fetchall()

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run SQL where {events} and {stories} name this frame's tables."""
        sql = sql.replace("{events}", self.events_table).replace("{stories}", self.stories_table)
        return rows(self.con, sql, params)

    def stories(self, where: str = "", params: list[Any] | None = None,
                order: str = "abs(score) DESC, first_day, story", limit: int | None = None,
                evidence: int = 0) -> list[Story]:
        """Stories matching a SQL condition on the stories table, with up to `evidence` reports."""
        sql = f"SELECT {STORY_COLUMNS} FROM {{stories}}"
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        out = [self._story(r) for r in self.query(sql, params)]
        if evidence and out:
            reports = self.reports([s.id for s in out], per_story=evidence)
            for s in out:
                s.evidence = reports.get(s.id, [])
        return out

    @staticmethod
    def _story(r: dict[str, Any]) -> Story:
        return Story(
            id=r["story"], type=r["type"], source=list(r["src"] or []),
            target=list(r["tgt"] or []), first_day=r["first_day"], last_day=r["last_day"],
            reports=r["reports"], documents=r["documents"], outlets=r["outlets"],
            modality=r["modality"], weight=float(r["weight"] or 0.0),
            goldstein=float(r["goldstein"] or 0.0), score=float(r["score"] or 0.0),
            align=float(r["align"] or 0.0),
            quantities=[q for q in (parse_json(x) for x in (r["quantities"] or [])) if q],
            modes=sorted(r["modes"] or []), precision=r.get("precision") or "day")

    def reports(self, story_ids: list[str], per_story: int | None = None
                ) -> dict[str, list[Report]]:
        """The reports behind stories, firmest and earliest first: the evidence to show.

        Three small queries (the frame's rows, then events and documents by key) rather than
        one join, so fetching evidence stays cheap however large the store is.
        """
        if not story_ids:
            return {}
        found = self.query("""
            SELECT story, id, doc_id, day, modality, mode, mrank FROM {events}
            WHERE list_contains(?::VARCHAR[], story)
        """, [list(story_ids)])
        if not found:
            return {}
        event_ids = sorted({r["id"] for r in found})
        details = {r["id"]: r for r in rows(self.con, f"""
            SELECT id, attribution, CAST(quantity AS VARCHAR) AS quantity, evidence, sentence,
                   confidence FROM events WHERE id IN ({", ".join("?" * len(event_ids))})
        """, event_ids)}
        doc_ids = sorted({r["doc_id"] for r in found})
        docs = {r["id"]: r for r in rows(self.con, f"""
            SELECT id, outlet, title, url, published, duplicate_of FROM documents
            WHERE id IN ({", ".join("?" * len(doc_ids))})
        """, doc_ids)}
        empty: dict[str, Any] = {}

        def order(r: dict[str, Any]) -> tuple:
            doc = docs.get(r["doc_id"], empty)
            sentence = details.get(r["id"], empty).get("sentence")
            return (r["story"], r["mrank"], doc.get("duplicate_of") is not None,
                    r["day"] or date.max, r["doc_id"], sentence if sentence is not None
                    else 1 << 30, r["id"])

        out: dict[str, list[Report]] = {}
        for r in sorted(found, key=order):
            mine = out.setdefault(r["story"], [])
            if per_story and len(mine) >= per_story:
                continue
            e, d = details.get(r["id"], empty), docs.get(r["doc_id"], empty)
            mine.append(Report(
                event_id=r["id"], doc_id=r["doc_id"], outlet=d.get("outlet"),
                title=d.get("title"), url=d.get("url"), published=d.get("published"),
                day=r["day"], modality=r["modality"], attribution=e.get("attribution"),
                mode=r["mode"], quantity=parse_json(e.get("quantity")),
                evidence=e.get("evidence"), sentence=e.get("sentence"),
                confidence=e.get("confidence"), duplicate_of=d.get("duplicate_of")))
        return out

    def counts(self) -> dict[str, Any]:
        """How much the frame holds: for headers and summaries."""
        r = self.query("""
            SELECT count(*) AS events, count(DISTINCT doc_id) AS documents,
                   count(DISTINCT outlet_key) AS outlets, min(day) AS first_day,
                   max(day) AS last_day,
                   (SELECT count(*) FROM {stories}) AS stories,
                   (SELECT count(DISTINCT c) FROM (SELECT unnest(src) AS c FROM {stories}
                    UNION ALL SELECT unnest(tgt) FROM {stories})) AS actors
            FROM {events}
        """)[0]
        return r


def consolidate(con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None,
                weights: Weights | None = None, evidence: int = 3,
                limit: int | None = None) -> list[Story]:
    """All stories for a filter, strongest first, each with up to `evidence` reports."""
    frame = StoryFrame(con, flt, weights)
    try:
        return frame.stories(limit=limit, evidence=evidence)
    finally:
        frame.close()
