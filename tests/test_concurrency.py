"""Readers during ingest, and two writers at once (issue 9): the store is held only while a
batch is written, and whoever meets the lock waits (``--wait``) instead of failing."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb

from .conftest import REPO, need_shared, run_module


def _ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_queries_every_half_second_while_wikinews_is_ingested(tmp_path: Path):
    corpus = need_shared("data", "wikinews_cc")
    db = tmp_path / "w.duckdb"
    writer = _ingest(str(corpus), "--db", str(db), "--commit-seconds", "3", "-q")
    failures: list[str] = []
    queries = 0
    while writer.poll() is None:
        if db.exists():
            for args in (["events", "--limit", "5"], ["docs", "--limit", "5"]):
                proc = run_module(*args, "--db", str(db), "--format", "json", timeout=300)
                queries += 1
                if proc.returncode != 0:
                    failures.append(proc.stderr.strip())
        time.sleep(0.5)
    out, err = writer.communicate()
    assert writer.returncode in (0, 1), err[-1000:]
    assert "Traceback" not in err
    assert not failures, failures[:3]
    assert queries >= 10, queries
    con = duckdb.connect(str(db), read_only=True)
    batches = con.execute("SELECT count(*) FROM batches").fetchall()[0][0]
    docs = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    assert docs > 200 and batches > 3  # committed as it went, not at the end


def test_two_ingests_at_once_take_turns_and_both_finish(tmp_path: Path):
    samples = REPO / "samples"
    db = tmp_path / "two.duckdb"
    first = _ingest(str(samples), "--db", str(db), "--commit-seconds", "1", "-q")
    time.sleep(1.0)
    second = _ingest(str(samples), "--db", str(db), "--commit-seconds", "1", "-q")
    results = [p.communicate(timeout=900) + (p.returncode,) for p in (first, second)]
    for _out, err, code in results:
        assert code == 0, err[-1000:]
        assert "Traceback" not in err
    alone = tmp_path / "alone.duckdb"
    assert run_module("ingest", str(samples), "--db", str(alone), "-q").returncode == 0

    def contents(path: Path) -> tuple:
        con = duckdb.connect(str(path), read_only=True)
        out = tuple(sorted(r) for r in (
            con.execute("SELECT id FROM documents").fetchall(),
            con.execute("SELECT doc_id, start_char, code FROM mentions").fetchall(),
            con.execute("SELECT id FROM events").fetchall()))
        con.close()
        return out

    assert contents(db) == contents(alone)  # nothing lost, nothing twice


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
