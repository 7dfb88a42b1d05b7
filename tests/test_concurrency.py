"""Readers during ingest, and two writers at once (issue 9): the store is held only while a
batch is written, and whoever meets the lock waits (``--wait``) instead of failing. The first
two run on a DuckDB file and on PostgreSQL, where readers never wait and writers queue per
batch."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from blocwatch.store import StoreError, open_store

from .conftest import REPO, need_shared, run_module


def _is_store(db: str) -> bool:
    """The ingest has made the store (a file, or the schema in a PostgreSQL database)."""
    if not db.startswith("postgresql://"):
        return Path(db).exists()
    try:
        open_store(db, read_only=True).close()
    except StoreError:
        return False
    return True


def _contents(db: str) -> tuple:
    with open_store(db, read_only=True) as store:
        return tuple(sorted(tuple(r.values()) for r in store.query(sql)) for sql in (
            "SELECT id FROM documents", "SELECT doc_id, start_char, code FROM mentions",
            "SELECT id FROM events"))


def _ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_queries_every_half_second_while_wikinews_is_ingested(store_url: str):
    corpus = need_shared("data", "wikinews_cc")
    db = store_url
    writer = _ingest(str(corpus), "--db", db, "--commit-seconds", "3", "-q")
    failures: list[str] = []
    queries = 0
    seen: list[int] = []  # documents a reader saw, query by query
    while writer.poll() is None:
        if _is_store(db):
            for args in (["events", "--limit", "5"], ["docs"]):
                proc = run_module(*args, "--db", db, "--format", "json", timeout=300)
                queries += 1
                if proc.returncode != 0:
                    failures.append(proc.stderr.strip())
                elif args == ["docs"]:
                    seen.append(proc.stdout.count('"id":'))
        time.sleep(0.5)
    out, err = writer.communicate()
    assert writer.returncode in (0, 1), err[-1000:]
    assert "Traceback" not in err
    assert not failures, failures[:3]
    assert queries >= 10, queries
    with open_store(db, read_only=True) as store:
        batches, docs = store.count("batches"), store.count("documents")
    assert docs > 200 and batches > 3  # committed as it went, not at the end
    assert seen == sorted(seen) and any(0 < n < docs for n in seen), seen  # it grew as read


def test_two_ingests_at_once_take_turns_and_both_finish(store_url: str, tmp_path: Path):
    samples = REPO / "samples"
    db = store_url
    first = _ingest(str(samples), "--db", db, "--commit-seconds", "1", "-q")
    time.sleep(1.0)
    second = _ingest(str(samples), "--db", db, "--commit-seconds", "1", "-q")
    results = [p.communicate(timeout=900) + (p.returncode,) for p in (first, second)]
    for _out, err, code in results:
        assert code == 0, err[-1000:]
        assert "Traceback" not in err
    alone = tmp_path / "alone.duckdb"
    assert run_module("ingest", str(samples), "--db", str(alone), "-q").returncode == 0
    assert _contents(db) == _contents(str(alone))  # nothing lost, nothing twice


def test_a_reader_that_cannot_get_the_store_says_so_in_its_own_words(tmp_path: Path):
    db = tmp_path / "held.duckdb"
    good = tmp_path / "g.txt"
    good.write_text("Norway and Sweden held talks on energy in Oslo on Monday.")
    assert run_module("ingest", str(good), "--db", str(db), "--no-code").returncode == 0
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "print('held', flush=True); time.sleep(30)"), str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        proc = run_module("--wait", "1", "events", "--db", str(db))
        waited = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "in use by another process" in lines[-1] and "--wait" in lines[-1], proc.stderr
    assert "DuckDB" not in proc.stderr and "Conflicting lock" not in proc.stderr
    assert waited >= 1.0
    # with the holder gone, the same command works
    assert run_module("events", "--db", str(db)).returncode == 0


def test_a_writer_is_not_starved_by_readers_back_to_back(tmp_path: Path):
    """Readers that open the store one after another without pause (a busy API) yield to a
    writer that says it waits: the writer gets in within seconds, not never."""
    from blocwatch.store import Store

    db = tmp_path / "busy.duckdb"
    Store(db).close()
    readers = [subprocess.Popen(
        [sys.executable, "-c",
         "import time, sys\n"
         "from blocwatch.store import Store\n"
         "end = time.time() + 12\n"
         "while time.time() < end:\n"
         f"    s = Store({str(db)!r}, read_only=True, wait=30); s.count('documents'); "
         "time.sleep(0.01); s.close()\n"], cwd=REPO) for _ in range(3)]
    try:
        time.sleep(2.0)  # the readers are at it
        started = time.monotonic()
        writer = Store(db, wait=30)
        writer.con.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
        took = time.monotonic() - started
        writer.close()
    finally:
        for r in readers:
            r.wait(timeout=60)
    assert took < 10, took
    assert all(r.returncode == 0 for r in readers)  # no reader saw a lock error
    assert not Path(str(db) + ".writer").exists()
