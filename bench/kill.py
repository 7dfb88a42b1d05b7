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
        ref_db = Path(tmp) / "whole.duckdb"
        start = time.perf_counter()
        ingest(corpus, ref_db).wait()
        whole = time.perf_counter() - start
        ref = contents(ref_db)
        print(f"uninterrupted run: {whole:.0f} s, {len(ref['documents'])} documents")
        kills = rounds = progress = 0
        ok = True
        while kills < args.kills:
            # one round: a fresh store, killed again and again until a run ends by itself
            rounds += 1
            db = Path(tmp) / f"round{rounds}.duckdb"
            while True:
                stored = len(contents(db)["documents"]) if db.exists() else 0
                proc = ingest(corpus, db)
                time.sleep(rng.uniform(1.0, max(2.0, whole / 2)))
                if proc.poll() is not None or kills >= args.kills:
                    proc.wait()  # ended by itself (or enough kills): the round is complete
                    break
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                after = len(contents(db)["documents"]) if db.exists() else 0
                progress += after > stored
            got = contents(db)
            same = report(ref, got, f"round {rounds}")
            ok &= same
    print(f"{kills} kills (SIGKILL at random moments) in {rounds} rounds; {progress} killed runs "
          f"had committed work before they died")
    print("same store every round" if ok else "DIFFERENT")
    return 0 if ok else 1


def report(ref: dict, got: dict, label: str) -> bool:
    ok = True
    parts = []
    for key in ("documents", "mentions", "events"):
        a, b = set(ref[key]), got[key]
        lost, extra, twice = len(a - set(b)), len(set(b) - a), len(b) - len(set(b))
        ok &= not (lost or extra or twice)
        parts.append(f"{key} {len(b):,} (lost {lost}, extra {extra}, twice {twice})")
    print(f"  {label}: " + "; ".join(parts) + f"; uncoded {got['uncoded']}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
