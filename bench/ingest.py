"""Ingest throughput: ../shared/data/wikinews_cc (295 articles, ~216k words) into a fresh store.

The ingest stages alone (read, clean, deduplicate, store: `--no-code`); bench/pipeline.py times
the whole flow with actor and event coding. Prints documents/s, words/s and peak memory of the
ingest process. Run:
    .venv/bin/python bench/ingest.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "wikinews_cc"


def run_once(data: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "blocwatch", "ingest", str(data), "--db",
                               str(db), "--format", "json", "--quiet", "--no-code"],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr)
        summary = json.loads(proc.stdout)[0]
        con = duckdb.connect(str(db), read_only=True)
        words = con.execute("SELECT sum(word_count) FROM documents").fetchall()[0][0]
        con.close()
    return {"seconds": seconds, "documents": summary["ingested"], "words": words}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [run_once(args.data) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ingest {args.data}: {best['documents']} documents, {best['words']:,} words")
    print(f"  best of {args.repeat}: {best['seconds']:.2f} s (process start included)")
    print(f"  {best['documents'] / best['seconds']:.1f} documents/s, "
          f"{best['words'] / best['seconds']:,.0f} words/s")
    print(f"  peak memory of the ingest process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
