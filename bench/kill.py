"""Kill and resume (issue 9): 20 kill -9 at random moments of an ingest with the default
settings, then the same command to the end; the store must hold exactly what an uninterrupted
run stores: the same documents, mentions and events, none lost, none twice.

The corpus is ../shared/data/wikinews_cc (else the bundled samples). Run:
    .venv/bin/python bench/kill.py [--kills 20] [--seed 3]
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
WIKINEWS = REPO.parent / "shared" / "data" / "wikinews_cc"


def ingest(corpus: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", str(corpus), "--db",
                             str(db), "-q"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def contents(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    out = {
        "documents": sorted(con.execute("SELECT id FROM documents").fetchall()),
        "mentions": sorted(con.execute(
            "SELECT doc_id, start_char, end_char, code FROM mentions").fetchall()),
        "events": sorted(con.execute("SELECT id FROM events").fetchall()),
        "uncoded": con.execute("SELECT count(*) FROM documents WHERE coded_with IS NULL"
                               ).fetchall()[0][0],
    }
    con.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    corpus = WIKINEWS if WIKINEWS.exists() else REPO / "samples"
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        ref_db, db = Path(tmp) / "whole.duckdb", Path(tmp) / "killed.duckdb"
        start = time.perf_counter()
        ingest(corpus, ref_db).wait()
        whole = time.perf_counter() - start
        print(f"uninterrupted run: {whole:.0f} s")
        kills = 0
        while kills < args.kills:
            proc = ingest(corpus, db)
            time.sleep(rng.uniform(1.0, max(2.0, whole / 6)))
            if proc.poll() is not None:  # finished before the kill: the run is complete
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
        final = ingest(corpus, db)
        final.wait()
        ref, got = contents(ref_db), contents(db)
    print(f"kills: {kills} (SIGKILL at random moments), then the same command to the end")
    ok = True
    for key in ("documents", "mentions", "events"):
        a, b = set(ref[key]), got[key]
        lost, extra = len(a - set(b)), len(set(b) - a)
        twice = len(b) - len(set(b))
        ok &= not (lost or extra or twice)
        print(f"  {key:10} uninterrupted {len(ref[key]):>7,}  killed+resumed {len(b):>7,}  "
              f"lost {lost}  extra {extra}  twice {twice}")
    print(f"  documents left uncoded: {got['uncoded']} (uninterrupted {ref['uncoded']})")
    print("same store" if ok else "DIFFERENT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
