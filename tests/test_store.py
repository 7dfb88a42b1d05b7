"""The store: versioned schema, migrations, refusal of newer stores; each test on a DuckDB
file and on a PostgreSQL database (``store_url``)."""

from __future__ import annotations

from datetime import datetime

import pytest

from blocwatch.store import SCHEMA_VERSION, StoreError, open_store


def test_new_store_has_current_schema_and_tables(store_url):
    with open_store(store_url) as store:
        assert store.version() == SCHEMA_VERSION
        tables = {r["table_name"] for r in store.query(
            "SELECT table_name FROM information_schema.tables")}
    assert {"documents", "sources", "batches", "mentions", "events",
            "document_buckets", "schema_version"} <= tables


def test_reopening_does_not_migrate_twice(store_url):
    open_store(store_url).close()
    with open_store(store_url) as store:
        assert store.count("schema_version") == SCHEMA_VERSION


def test_newer_schema_is_refused(store_url):
    with open_store(store_url) as store:
        store._run("INSERT INTO schema_version VALUES (?, 'from the future', ?)",
                   [SCHEMA_VERSION + 1, datetime(2030, 1, 1)])
    with pytest.raises(StoreError, match="newer than this blocwatch"):
        open_store(store_url)
    with pytest.raises(StoreError, match="newer than this blocwatch"):
        open_store(store_url, read_only=True)


def test_another_programs_database_is_refused(store_url):
    with open_store(store_url) as store:  # a blocwatch store, emptied of its marker
        store._run("DROP TABLE schema_version")
        store._run("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreError, match="not a blocwatch store"):
        open_store(store_url)


def test_a_new_store_is_not_made_by_a_reader(store_url, backend):
    if backend == "postgres":  # an empty database exists; it is not yet a store
        with pytest.raises(StoreError, match="not yet a blocwatch store"):
            open_store(store_url, read_only=True)
    else:
        with pytest.raises(StoreError, match="no such database"):
            open_store(store_url, read_only=True)


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


def test_events_round_trip_in_their_json_shape(store_url):
    from datetime import date

    from blocwatch.document import Document

    with open_store(store_url) as store:
        batch = store.begin_batch("test")
        store.add_documents([Document(id="d1", text="x", outlet="Atlas Wire",
                                      published=date(2024, 11, 13))], [b""], batch)
        store.add_coding(["d1"], [[]], [[dict(EVENT), dict(EVENT)]], "test-extractor")
        store.commit_batch(batch)
        [event] = store.events()  # the same event twice in one sentence is stored once
        assert store.events(dyad=("RUS", "PRK")) == []
        assert len(store.events(dyad=("PRK", "RUS"), modalities=["reported"])) == 1
        assert store.events(since=date(2024, 11, 14)) == []
        assert [e["id"] for e in store.events(actor="prk", types=["aid"])] == [event["id"]]
        assert store.events(actor="PRK", types=["SANCTION"]) == []
        assert store.actor_event_counts() == [{"code": "PRK", "events": 1},
                                              {"code": "RUS", "events": 1}]
        assert store.check() == ({"schema_version": SCHEMA_VERSION, "documents": 1,
                                  "document_buckets": 0, "sources": 0, "batches": 1,
                                  "mentions": 0, "events": 1},
                                 ["1 documents whose id is not the hash of their text"])
    for key in ("type", "mode", "source", "target", "modality", "quantity", "location",
                "evidence", "confidence", "goldstein", "date"):
        assert event[key] == EVENT[key], key
    assert event["document"]["outlet"] == "Atlas Wire" and event["extractor"] == "test-extractor"


def test_a_read_only_store_refuses_writes_and_stays_usable(store_url):
    with open_store(store_url) as store:
        store.set_outlets({})  # nothing to write: no batch
    with open_store(store_url, read_only=True) as store:
        with pytest.raises(Exception, match="(?i)read.only"):
            store.set_outlets({"d1": "Atlas Wire"})
        assert store.count("batches") == 0  # the failed batch left no transaction behind


def test_the_analysis_copy_of_postgresql_is_kept_until_the_store_changes(pg_url):
    """``serve`` opens the store per request: the tables are copied once per change, and a
    commit is seen by the next reader."""
    from datetime import date

    from blocwatch import store_pg
    from blocwatch.document import Document, document_id

    def add(store, text: str, start: int) -> None:
        doc = Document(id=document_id(text), text=text, published=date(2024, 11, 13))
        event = dict(EVENT, evidence=dict(EVENT["evidence"], doc_id=doc.id, start=start))
        with store.batch("test") as batch:
            store.add_documents([doc], [b""], batch)
            store.add_coding([doc.id], [[]], [[event]], "test")

    with open_store(pg_url) as store:
        add(store, "North Korea sent troops to Russia.", 0)
    before = store_pg.copies_made
    for _ in range(3):
        with open_store(pg_url, read_only=True) as store:
            assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 1
            # the text stays in PostgreSQL; the Python API's documents() reads it there
            assert store.con.execute("SELECT text FROM documents").fetchone()[0] == ""
    assert store_pg.copies_made == before + 1
    with open_store(pg_url) as store:
        add(store, "Russia sent oil to North Korea.", 5)
    with open_store(pg_url, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    assert store_pg.copies_made == before + 2
    import blocwatch

    with blocwatch.open(pg_url) as session:
        texts = sorted(r["text"] for r in session.documents().rows())
    assert texts == ["North Korea sent troops to Russia.", "Russia sent oil to North Korea."]
