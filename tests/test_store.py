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


EVENT = {
    "type": "AID", "mode": "military", "cameo": "07", "quad": 2, "goldstein": 7.4,
    "source": [{"text": "North Korea", "code": "PRK", "sector": "GOV"}],
    "target": [{"text": "Russian forces", "code": "RUS", "sector": "MIL"}],
    "modality": "reported", "attribution": "Reports",
    "quantity": {"value": 11000, "unit": "troops", "approx": True,
                 "text": "an estimated 11,000 troops"},
    "date": "2024-11-13", "date_precision": "day", "location": {"text": "Kursk",
                                                                "country": "RUS"},
    "evidence": {"doc_id": "d1", "sentence": 7, "start": 10, "end": 60,
                 "text": "Reports indicate that North Korea has sent 11,000 troops."},
    "confidence": 0.82,
}


def test_events_round_trip_in_their_json_shape(tmp_path):
    from datetime import date

    from blocwatch.document import Document

    with Store(tmp_path / "s.duckdb") as store:
        batch = store.begin_batch("test")
        store.add_documents([Document(id="d1", text="x", outlet="Atlas Wire",
                                      published=date(2024, 11, 13))], [b""], batch)
        store.add_coding(["d1"], [[]], [[dict(EVENT), dict(EVENT)]], "test-extractor")
        store.commit_batch(batch)
        [event] = store.events()  # the same event twice in one sentence is stored once
        assert store.events(dyad=("RUS", "PRK")) == []
        assert len(store.events(dyad=("PRK", "RUS"), modalities=["reported"])) == 1
        assert store.events(since=date(2024, 11, 14)) == []
    for key in ("type", "mode", "source", "target", "modality", "quantity", "location",
                "evidence", "confidence", "goldstein", "date"):
        assert event[key] == EVENT[key], key
    assert event["document"]["outlet"] == "Atlas Wire" and event["extractor"] == "test-extractor"
