"""Analysis speed: 1,000,000 synthetic events among 200 actors over 5 years in a fresh store.

Events are generated with numpy (five latent camps: mostly cooperation inside a camp, conflict
across; activity skewed so a few actors dominate, as in news), written in bulk via Arrow, then
timed: dyads (whole store and one dyad), blocs for one-year windows, shifts between two years,
and the HTML report for one year. Target: blocs for any one-year window in under 10 s. Run:
    .venv/bin/python bench/analysis.py [--events 1000000] [--actors 200] [--keep FILE]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa

from blocwatch.analysis import Analysis, EventFilter, parse_period
from blocwatch.store import Store

TYPES = ["AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
FRIENDLY = [0.15, 0.25, 0.15, 0.15, 0.15, 0.05, 0.04, 0.02, 0.01, 0.01, 0.01, 0.005, 0.0025,
            0.0025]
HOSTILE = [0.02, 0.08, 0.01, 0.01, 0.01, 0.05, 0.25, 0.15, 0.12, 0.08, 0.08, 0.04, 0.05, 0.05]
GOLDSTEIN = {"AGREE": 4.0, "CONSULT": 2.0, "SUPPORT": 3.4, "COOPERATE": 6.0, "AID": 7.0,
             "REQUEST": 3.0, "ACCUSE": -2.0, "REJECT": -4.0, "THREATEN": -6.0, "PROTEST": -6.5,
             "SANCTION": -5.0, "MOBILIZE": -7.2, "COERCE": -7.0, "ASSAULT": -9.0}
MODALITIES = ["asserted", "reported", "intended", "speculative", "negated"]
MODALITY_P = [0.60, 0.25, 0.07, 0.05, 0.03]
START = date(2020, 1, 1)
DAYS = 5 * 365


def _lists(first: np.ndarray, second: np.ndarray, has_second: np.ndarray,
           codes: np.ndarray) -> pa.ListArray:
    """Lists of one code, or two where `has_second`, as an Arrow list column (no Python loop)."""
    lengths = 1 + has_second.astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    values = np.empty(offsets[-1], dtype=np.int64)
    values[offsets[:-1]] = first
    values[offsets[:-1][has_second] + 1] = second[has_second]
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(codes[values]))


def generate(path: Path, n_events: int, n_actors: int, seed: int = 7) -> dict:
    rng = np.random.default_rng(seed)
    codes = np.array([f"A{i:03d}" for i in range(n_actors)])
    camp = rng.integers(0, 5, n_actors)
    activity = 1.0 / np.arange(1, n_actors + 1) ** 0.8
    activity /= activity.sum()

    n_docs = n_events // 4
    outlets = np.array([f"outlet {i:02d}" for i in range(60)])
    published = rng.integers(0, DAYS, n_docs)
    duplicate = rng.random(n_docs) < 0.05
    dup_of = np.where(duplicate, rng.integers(0, n_docs, n_docs), -1)
    doc_ids = np.array([f"d{i:07d}" for i in range(n_docs)])
    now = datetime.now(UTC).replace(tzinfo=None)
    docs = pa.table({
        "id": doc_ids,
        "title": pa.array(np.char.add("Report ", doc_ids.astype(str))),
        "outlet": pa.array(outlets[rng.integers(0, len(outlets), n_docs)]),
        "published": pa.array(np.datetime64("2020-01-01") + published.astype("timedelta64[D]")),
        "url": pa.array(np.char.add("https://news.example/", doc_ids.astype(str))),
        "text": pa.array(np.full(n_docs, "synthetic")),
        "word_count": pa.array(np.ones(n_docs, dtype=np.int32)),
        "duplicate_of": pa.array(np.where(dup_of >= 0, doc_ids[np.maximum(dup_of, 0)], None),
                                 pa.string()),
        "batch_id": pa.array(np.zeros(n_docs, dtype=np.int32)),
        "ingested_at": pa.array([now] * n_docs, pa.timestamp("us")),
    })

    doc = rng.integers(0, n_docs, n_events)
    src = rng.choice(n_actors, n_events, p=activity)
    same_camp = rng.random(n_events) < 0.7
    tgt = rng.choice(n_actors, n_events, p=activity)
    # Re-draw targets until they sit in (or out of) the source's camp as decided; vectorised.
    for _ in range(30):
        bad = (tgt == src) | ((camp[tgt] == camp[src]) != same_camp)
        if not bad.any():
            break
        tgt[bad] = rng.choice(n_actors, bad.sum(), p=activity)
    types = np.array(TYPES)
    kind = np.where(same_camp,
                    rng.choice(len(TYPES), n_events, p=np.array(FRIENDLY) / sum(FRIENDLY)),
                    rng.choice(len(TYPES), n_events, p=np.array(HOSTILE) / sum(HOSTILE)))
    event_day = published[doc] - rng.integers(0, 3, n_events)
    dated = rng.random(n_events) > 0.1
    goldstein = np.array([GOLDSTEIN[t] for t in TYPES])[kind]
    two_src = rng.random(n_events) < 0.05
    two_tgt = rng.random(n_events) < 0.05
    events = pa.table({
        "id": pa.array(np.char.add("e", np.arange(n_events).astype(str))),
        "doc_id": pa.array(doc_ids[doc]),
        "type": pa.array(types[kind]),
        "quad": pa.array(np.where(goldstein > 0, 1, 3).astype(np.int16)),
        "goldstein": pa.array(goldstein),
        "source_codes": _lists(src, rng.choice(n_actors, n_events, p=activity), two_src, codes),
        "target_codes": _lists(tgt, rng.choice(n_actors, n_events, p=activity), two_tgt, codes),
        "modality": pa.array(np.array(MODALITIES)[rng.choice(5, n_events, p=MODALITY_P)]),
        "event_date": pa.array(np.where(dated, np.datetime64("2020-01-01")
                                        + event_day.astype("timedelta64[D]"),
                                        np.datetime64("NaT")).astype("datetime64[D]")),
        "evidence": pa.array(np.full(n_events, "synthetic evidence sentence")),
        "confidence": pa.array(np.full(n_events, 0.8)),
        "extractor": pa.array(np.full(n_events, "bench")),
    })
    start = time.perf_counter()
    with Store(path) as store:
        for name, table in (("documents", docs), ("events", events)):
            store.con.register("_bulk", table)
            store.con.execute(f"INSERT INTO {name} ({', '.join(table.column_names)}) "
                              f"SELECT * FROM _bulk").fetchall()
            store.con.unregister("_bulk")
    return {"documents": n_docs, "events": n_events, "write_s": time.perf_counter() - start}


def timed(label: str, fn, results: dict) -> object:  # noqa: ANN001 - any callable
    """Wall time (what a user waits) and CPU time of all threads (steady on a busy machine)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn()
    results[label] = time.perf_counter() - start
    print(f"  {label:<44} {results[label]:7.2f} s wall {time.process_time() - cpu:7.2f} s cpu")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="Keep the generated store at this path.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.duckdb"
        if path.exists():
            path.unlink()
        start = time.perf_counter()
        info = generate(path, args.events, args.actors)
        print(f"{info['events']:,} events, {info['documents']:,} documents, {args.actors} actors, "
              f"2020-2024: generated in {time.perf_counter() - start:.1f} s "
              f"(store write {info['write_s']:.2f} s)")
        results: dict[str, float] = {}
        with Store(path, read_only=True) as store:
            with Analysis(store) as a:
                timed("consolidate all events into stories", a.frame, results)
                timed("dyads: top 20 over 5 years", lambda: a.top_dyads(limit=20), results)
                timed("dyads: A000->A001 by month, 5 years",
                      lambda: a.dyads("A000", "A001", "month"), results)
            for year in (2021, 2024):
                with Analysis(store) as a:
                    flt = EventFilter(since=date(year, 1, 1), until=date(year, 12, 31))
                    result = timed(f"blocs {year} (one year, evidence, cold)",
                                   lambda flt=flt, a=a: a.blocs(flt), results)
                sizes = sorted((len(b.members) for b in result.blocs), reverse=True)
                print(f"    {len(result.graph.actors)} actors, {len(result.graph.ties)} ties, "
                      f"bloc sizes {sizes[:8]}")
            with Analysis(store) as a:
                timed("shifts 2023 -> 2024 (two years, cold)",
                      lambda: a.shifts(parse_period("2023"), parse_period("2024")), results)
            with Analysis(store) as a:
                timed("shifts 2024-05 -> 2024-06 (two months, cold)",
                      lambda: a.shifts(parse_period("2024-05"), parse_period("2024-06")),
                      results)
            from blocwatch.report import write_report

            with Analysis(store) as a:
                out = Path(tmp) / "report.html"
                timed("report 2024 (one year, cold)", lambda: write_report(
                    a, out, EventFilter(since=date(2024, 1, 1), until=date(2024, 12, 31))),
                    results)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")
    worst = max(v for k, v in results.items() if k.startswith("blocs"))
    print(f"blocs for a one-year window: {worst:.2f} s (target < 10 s): "
          f"{'ok' if worst < 10 else 'TOO SLOW'}")


if __name__ == "__main__":
    main()
