"""The PostgreSQL store beside the DuckDB file, same run: ingest time of a corpus into each,
what a reader querying every 0.5 s during the PostgreSQL ingest met, the size on disk, and a
``migrate`` round trip (DuckDB → PostgreSQL → DuckDB) compared table by table.

    .venv/bin/python bench/store_pg.py [CORPUS]      (default: ../shared/data/wikinews_cc)

Needs psycopg (requirements-scale.txt) and a server: ``BLOCWATCH_TEST_PG`` or Debian's
PostgreSQL binaries, which it starts in a temporary folder (tests/pgserver.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.pgserver import Server  # noqa: E402

from blocwatch.store import open_store  # noqa: E402

TABLES = ("batches", "documents", "document_buckets", "sources", "mentions", "events")
KEYS = {"batches": "id", "documents": "id", "document_buckets": "doc_id, band",
        "sources": "path", "mentions": "doc_id, start_char, end_char, code", "events": "id"}


def blocwatch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blocwatch", *args], capture_output=True,
                          text=True, cwd=REPO)


def timed_ingest(corpus: str, db: str, reader: bool = False) -> tuple[float, int, int]:
    """Seconds to ingest; queries a reader made meanwhile and how many failed."""
    start = time.perf_counter()
    writer = subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", corpus, "--db", db,
                               "--commit-seconds", "3", "-q"], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    queries = failed = 0
    while reader and writer.poll() is None:
        proc = blocwatch("events", "--db", db, "--limit", "5", "--format", "json")
        queries += 1
        failed += proc.returncode not in (0,) and "not yet a blocwatch store" not in proc.stderr
        time.sleep(0.5)
    _, err = writer.communicate()
    if writer.returncode not in (0, 1):
        raise SystemExit(f"ingest into {db} failed: {err[-500:]}")
    return time.perf_counter() - start, queries, failed


def rows(db: str) -> dict[str, list]:
    with open_store(db, read_only=True) as store:
        out = {}
        for t in TABLES:
            parts = list(store.table_batches(t, order=KEYS[t]))
            out[t] = [r for p in parts for r in p.to_pylist()]
        return out


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else str(REPO.parent / "shared/data/wikinews_cc")
    server = Server()
    if not server.url:
        raise SystemExit(server.reason)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            duck = str(Path(tmp) / "b.duckdb")
            pg = server.database()
            t_duck, _, _ = timed_ingest(corpus, duck)
            t_pg, queries, failed = timed_ingest(corpus, pg, reader=True)
            with open_store(pg, read_only=True) as store:
                words = store.query("SELECT sum(word_count) AS n FROM documents")[0]["n"]
                size = int(store.query(  # the tables with their indexes and TOAST
                    "SELECT sum(pg_total_relation_size(c.oid)) AS n FROM pg_class c JOIN "
                    "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                    "current_schema() AND c.relkind = 'r'")[0]["n"])
                docs = store.count("documents")
            print(f"{docs} documents, {words:,} words ({corpus})")
            print(f"DuckDB file: {t_duck:.1f} s ({words / t_duck:,.0f} words/s), "
                  f"{os.path.getsize(duck) / 1e6:.1f} MB")
            print(f"PostgreSQL: {t_pg:.1f} s ({words / t_pg:,.0f} words/s) with a reader every "
                  f"0.5 s: {queries} queries, {failed} failed; tables {size / 1e6:.1f} MB "
                  f"({size / docs / 1e3:.1f} KB per document)")
            print(f"PostgreSQL / DuckDB time: {t_pg / t_duck:.2f} (same run)")
            pg2 = server.database()
            back = str(Path(tmp) / "back.duckdb")
            start = time.perf_counter()
            for src, dst in ((duck, pg2), (pg2, back)):
                proc = blocwatch("migrate", "--from", src, "--to", dst)
                if proc.returncode:
                    raise SystemExit(proc.stderr)
            took = time.perf_counter() - start
            a, b = rows(duck), rows(back)
            same = [t for t in TABLES if a[t] == b[t]]
            print(f"migrate DuckDB → PostgreSQL → DuckDB: {took:.1f} s; tables identical: "
                  f"{len(same)} of {len(TABLES)} "
                  + ", ".join(f"{t} {len(a[t]):,}" for t in TABLES))
            server.drop(pg)
            server.drop(pg2)
    finally:
        server.close()


if __name__ == "__main__":
    main()
