"""Scaling: `blocwatch ingest` of ../shared/data/wikinews_cc with the local engine (--jobs 1
and 2) and the Ray engine (--workers 1 and 2), in the same run, and whether the Ray stores
hold exactly what the local one holds.

    .venv/bin/python bench/scale.py [--data DIR] [--workers 1,2] [--copies K]

Needs the ray extra (pip install -r requirements-scale.txt). Prints words/s end to end
(process start, model loads and the DuckDB writes included) for each, the speed-up from one
Ray worker to two (target >= 1.8x), Ray's overhead against the local run with the same
number of processes, and the time a local Ray cluster takes to start and stop. The coder is
the one BLOCWATCH_CODER selects, as for every other run. ``--copies K`` ingests K copies of
the corpus, each text marked with its copy number (so none is an exact duplicate; the copies
are flagged as near-duplicates and coded all the same): the fixed costs (process and cluster
start, model loads) weigh less, as they do in a long run. Last, two independent one-process
ingests run side by side: their speed-up over one alone is the ceiling any two-worker engine
meets on this machine (shared caches and memory bandwidth, the writer, the OS).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "wikinews_cc"

RAY_START = """
import logging, sys, time
import ray
t = time.perf_counter()
ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False, logging_level=logging.ERROR)
ray.get([ray.remote(lambda: 1).remote() for _ in range(int(sys.argv[1]))])
ray.shutdown()
print(time.perf_counter() - t)
"""


def ingest(data: Path, db: Path, *extra: str) -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "blocwatch", "ingest", str(data), "--db",
                           str(db), "--format", "json", "--quiet", *extra],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest {' '.join(extra)} failed ({proc.returncode}): "
                         f"{proc.stderr.strip()[-500:]}")
    summary = json.loads(proc.stdout)[0]
    con = duckdb.connect(str(db), read_only=True)
    words = con.execute("SELECT sum(word_count) FROM documents").fetchall()[0][0]
    con.close()
    return {"seconds": seconds, "articles": summary["ingested"], "words": words}


def side_by_side(data: Path, folder: Path) -> float:
    """Seconds for two independent one-process ingests of ``data`` run at the same time (two
    stores): what two processes reach on this machine whatever engine shares the work."""
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", str(data), "--db",
                               str(folder / f"alone{i}.duckdb"), "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    for proc in procs:
        _, err = proc.communicate()
        if proc.returncode not in (0, 1):
            raise SystemExit(f"side-by-side ingest failed: {err.strip()[-500:]}")
    return time.perf_counter() - start


def copies(data: Path, k: int, folder: Path) -> Path:
    """``k`` copies of the CSV files of ``data`` in ``folder``, texts marked by copy."""
    csv.field_size_limit(1 << 30)
    for path in sorted(data.glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            rows, fields = list(reader), reader.fieldnames
        for i in range(k):
            with open(folder / f"{path.stem}-{i}.csv", "w", newline="", encoding="utf-8") as fh:
                out = csv.DictWriter(fh, fieldnames=fields)
                out.writeheader()
                mark = f"\n\nThis report was filed as copy {i + 1} of the benchmark corpus."
                out.writerows({**r, "text": r["text"] + mark} if i else r for r in rows)
    return folder


def tables(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(con.execute(sql).fetchall() for sql in (
            "SELECT id, duplicate_of, coded_with, coding_error FROM documents ORDER BY id",
            "SELECT doc_id, start_char, end_char, code, sector, actor, kind FROM mentions "
            "ORDER BY ALL",
            "SELECT id, doc_id, type, mode, source_codes, target_codes, modality, event_date "
            "FROM events ORDER BY id"))
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--copies", type=int, default=1, help="copies of the corpus")
    parser.add_argument("--no-ceiling", dest="ceiling", action="store_false",
                        help="skip the two one-process runs side by side")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    print(f"coder: {os.environ.get('BLOCWATCH_CODER', 'rules')}; {os.cpu_count()} CPUs; "
          f"{args.copies} cop{'y' if args.copies == 1 else 'ies'} of {args.data}")
    runs: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.copies > 1:
            (Path(tmp) / "in").mkdir()
            args.data = copies(args.data, args.copies, Path(tmp) / "in")
        for n in counts:
            for engine, flags in (("local", ["--jobs", str(n)]),
                                  ("ray", ["--engine", "ray", "--workers", str(n)])):
                db = Path(tmp) / f"{engine}{n}.duckdb"
                run = ingest(args.data, db, *flags)
                runs[engine, n] = run
                print(f"{engine:5} {n} process(es): {run['articles']} articles, "
                      f"{run['words']:,} words in {run['seconds']:.1f} s: "
                      f"{run['words'] / run['seconds']:,.0f} words/s", flush=True)
        if args.ceiling and ("local", 1) in runs:
            pair = side_by_side(args.data, Path(tmp))
            one = runs["local", 1]
            ceiling = 2 * one["seconds"] / pair
            print(f"two one-process ingests side by side: {pair:.1f} s for twice the words: "
                  f"{ceiling:.2f}x one alone (the most two processes give on this machine)",
                  flush=True)
        base = tables(Path(tmp) / f"local{counts[0]}.duckdb")
        for engine, n in runs:
            same = tables(Path(tmp) / f"{engine}{n}.duckdb") == base
            print(f"{engine} {n}: documents, mentions and events "
                  f"{'identical to' if same else 'DIFFERENT from'} local {counts[0]}")
    rate = {k: v["words"] / v["seconds"] for k, v in runs.items()}
    if len(counts) > 1:
        a, b = counts[0], counts[-1]
        print(f"speed-up {a} -> {b}: ray {rate['ray', b] / rate['ray', a]:.2f}x, "
              f"local {rate['local', b] / rate['local', a]:.2f}x")
    for n in counts:
        print(f"ray / local with {n} process(es): {rate['ray', n] / rate['local', n]:.2f}")
        start = subprocess.run([sys.executable, "-c", RAY_START, str(n)], capture_output=True,
                               text=True, check=True)
        print(f"a local Ray cluster of {n} CPU(s) starts, runs a task on each and stops in "
              f"{float(start.stdout.split()[-1]):.1f} s")


if __name__ == "__main__":
    main()
