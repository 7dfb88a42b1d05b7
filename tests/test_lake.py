"""`blocwatch ingest --out-parquet DIR`: Parquet shards that hold exactly the stored rows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from blocwatch.store_pg import arrow_schema
from tests.conftest import REPO, run_module

KEYS = {
    "documents": ("id", "id, title, published, duplicate_of, coded_with, text"),
    "mentions": ("doc_id", "doc_id, start_char, end_char, text, code, actor"),
    "events": ("doc_id", "id, doc_id, type, mode, source_codes, target_codes, modality, "
                         "evidence"),
}


def _same_rows(db: Path | str, lake: Path) -> dict[str, int]:
    """Each table's rows in the store (read by the store itself) and in the shards, compared;
    the row counts."""
    from blocwatch.store import open_store

    con = duckdb.connect()
    counts = {}
    with open_store(str(db), read_only=True) as store:
        for table, (_, columns) in KEYS.items():
            names = [c.strip() for c in columns.split(",")]
            parts = list(store.table_batches(table, columns=names))
            con.register("_stored", pa.concat_tables(parts) if parts else
                         pa.schema([arrow_schema(table).field(c) for c in names]).empty_table())
            stored = con.execute(f"SELECT {columns} FROM _stored ORDER BY ALL").fetchall()
            shards = con.execute(f"SELECT {columns} FROM read_parquet('{lake}/{table}/*.parquet')"
                                 f" ORDER BY ALL").fetchall()
            con.unregister("_stored")
            assert shards == stored, table
            counts[table] = len(stored)
    con.close()
    return counts


def test_shards_hold_the_stored_rows_once(tmp_path, store_url):
    db, lake = store_url, tmp_path / "lake"
    proc = run_module("ingest", str(REPO / "samples"), "--db", str(db), "--out-parquet",
                      str(lake), "--batch-size", "4", "-q")
    assert proc.returncode == 0, proc.stderr
    counts = _same_rows(db, lake)
    assert counts["documents"] > 10 and counts["mentions"] and counts["events"]
    shards = sorted(p.name for p in (lake / "events").iterdir())
    assert len(shards) >= 4 and all(p.startswith("batch-") for p in shards)
    # a re-run resumes: nothing new is stored, so no new shard and no row twice
    again = run_module("ingest", str(REPO / "samples"), "--db", str(db), "--out-parquet",
                       str(lake), "-q")
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (lake / "events").iterdir()) == shards
    assert _same_rows(db, lake) == counts


def test_a_document_the_store_refuses_is_in_no_shard(tmp_path):
    """A fault while one document is written rolls its transaction back: the others are
    stored and sharded, that one is in neither."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPO / "samples" / "wire.jsonl", folder / "wire.jsonl")
    (folder / "odd.txt").write_text("Poland and Lithuania signed a border agreement in "
                                    "Warsaw on Monday. MARKER-7731", encoding="utf-8")
    db, lake = tmp_path / "s.duckdb", tmp_path / "lake"
    env = {"BLOCWATCH_FAULT": "store:MARKER-7731"}
    proc = run_module("ingest", str(folder), "--db", str(db), "--out-parquet", str(lake),
                      "-q", env={**os.environ, **env})
    assert proc.returncode == 3 and "odd.txt" in proc.stderr
    counts = _same_rows(db, lake)
    assert counts["documents"] >= 2
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE text LIKE '%MARKER-7731%'"
                       ).fetchall()[0][0] == 0
    con.close()
    assert not list(lake.rglob("*.tmp"))


def test_shards_left_by_a_killed_run_are_settled(tmp_path):
    """A run killed after a commit and before its shards were renamed left a committed
    batch's shards as .tmp; one killed before the commit left an uncommitted one. The next
    run keeps the first and deletes the second."""
    db, lake = tmp_path / "s.duckdb", tmp_path / "lake"
    assert run_module("ingest", str(REPO / "samples"), "--db", str(db), "--out-parquet",
                      str(lake), "--batch-size", "4", "-q").returncode == 0
    first = sorted((lake / "events").iterdir())[0]
    name = first.name
    for table in KEYS:
        shard = lake / table / name
        shard.rename(shard.with_name(name + ".tmp"))
        (lake / table / "batch-000999-0123456789ab.parquet.tmp").write_bytes(b"half a file")
    proc = run_module("ingest", str(REPO / "samples"), "--db", str(db), "--out-parquet",
                      str(lake), "-q")
    assert proc.returncode == 0, proc.stderr
    assert not list(lake.rglob("*.tmp"))
    assert (lake / "events" / name).exists()
    _same_rows(db, lake)
