"""`blocwatch migrate`: a store copied to PostgreSQL and back is the same store; the Python
API and the analyses read a PostgreSQL store as they read the file."""

from __future__ import annotations

from pathlib import Path

import blocwatch
from blocwatch.store import open_store
from tests.conftest import REPO, run_module

TABLES = {"batches": "id", "documents": "id", "document_buckets": "doc_id, band",
          "sources": "path", "mentions": "doc_id, start_char, end_char, code", "events": "id"}


def _rows(db: str) -> dict[str, list[dict]]:
    """Every row of every table, in a fixed order (all columns, timestamps too)."""
    with open_store(db, read_only=True) as store:
        return {t: [r for part in store.table_batches(t, order=order) for r in part.to_pylist()]
                for t, order in TABLES.items()}


def test_a_round_trip_through_postgresql_keeps_every_row(tmp_path: Path, pg_url: str):
    first, back = str(tmp_path / "first.duckdb"), str(tmp_path / "back.duckdb")
    assert run_module("ingest", str(REPO / "samples"), "--db", first, "-q").returncode == 0
    there = run_module("migrate", "--from", first, "--to", pg_url)
    assert there.returncode == 0, there.stderr
    assert "documents" in there.stdout and "events" in there.stdout
    home = run_module("migrate", "--from", pg_url, "--to", back)
    assert home.returncode == 0, home.stderr
    rows = _rows(first)
    assert rows["documents"] and rows["events"] and rows["mentions"]
    assert _rows(pg_url) == rows
    assert _rows(back) == rows
    assert run_module("check", "--db", pg_url).returncode == 0
    # the same answers from both stores, by the CLI and by the Python API
    for command in (["events", "--format", "json"], ["dyads"], ["blocs"], ["actors"]):
        a = run_module(*command, "--db", first)
        b = run_module(*command, "--db", pg_url)
        assert a.returncode == 0 and a.stdout == b.stdout, command
    with blocwatch.open(first) as f, blocwatch.open(pg_url) as p:
        assert f.events(actor="RUS").rows() == p.events(actor="RUS").rows()
        assert f.blocs().rows() == p.blocs().rows()


def test_migrate_copies_into_an_empty_store_only(tmp_path: Path, pg_url: str):
    db = str(tmp_path / "s.duckdb")
    assert run_module("ingest", str(REPO / "samples" / "wire.jsonl"), "--db", db,
                      "-q").returncode == 0
    assert run_module("migrate", "--from", db, "--to", pg_url).returncode == 0
    with open_store(pg_url, read_only=True) as store:
        before = store.count("documents")
    again = run_module("migrate", "--from", db, "--to", pg_url)
    assert again.returncode == 2
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1 and "not empty" in lines[0] and "Traceback" not in again.stderr
    with open_store(pg_url, read_only=True) as store:
        assert store.count("documents") == before
    missing = run_module("migrate", "--from", str(tmp_path / "nope.duckdb"), "--to", pg_url)
    assert missing.returncode == 2 and "no such store" in missing.stderr


def test_a_password_in_the_url_is_not_printed(pg_url: str):
    user, rest = pg_url.split("//", 1)[1].split("@", 1)
    with_password = f"postgresql://{user}:s3cret-pw@{rest}"  # trust auth: ignored by the server
    proc = run_module("check", "--db", with_password)
    assert proc.returncode == 2  # an empty database is not yet a store
    assert "s3cret-pw" not in proc.stdout + proc.stderr
    assert "***" in proc.stderr
