"""The store: versioned schema, migrations, refusal of newer files."""

from __future__ import annotations

import duckdb
import pytest

from blocwatch.store import SCHEMA_VERSION, Store, StoreError


def test_new_store_has_current_schema_and_tables(tmp_path):
    with Store(tmp_path / "s.duckdb") as store:
        assert store.version() == SCHEMA_VERSION
        tables = {r["table_name"] for r in store.query(
            "SELECT table_name FROM information_schema.tables")}
    assert {"documents", "sources", "batches", "mentions", "events",
            "document_buckets", "schema_version"} <= tables


def test_reopening_does_not_migrate_twice(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    with Store(path) as store:
        assert store.count("schema_version") == SCHEMA_VERSION


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("INSERT INTO schema_version VALUES (?, 'from the future', now())",
                [SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError, match="newer than this blocwatch"):
        Store(path)
