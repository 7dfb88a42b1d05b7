"""The only stateful stage: a DuckDB file (one file, zero set-up) with a versioned schema.

Every write is a bulk insert of an Arrow table inside one transaction per batch, so a run that is
killed loses at most the batch in flight and a re-run resumes where the last commit left off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from blocwatch.document import Document

DEFAULT_DB = "blocwatch.duckdb"
#: Rows per Arrow part when a table is read out whole.
BATCH_ROWS = 50_000

# Each migration moves the schema one version forward; never edit a released one, append.
MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "documents, sources, near-duplicate index; mentions and events laid out",
        """
        CREATE TABLE documents (
            id            VARCHAR PRIMARY KEY,   -- hash of the normalised body
            title         VARCHAR,
            outlet        VARCHAR,
            published     DATE,
            section       VARCHAR,
            url           VARCHAR,
            author        VARCHAR,
            text          VARCHAR NOT NULL,
            word_count    INTEGER NOT NULL,
            source_path   VARCHAR,
            duplicate_of  VARCHAR,               -- first copy of a near-duplicate, else NULL
            similarity    DOUBLE,                -- estimated overlap with duplicate_of
            minhash       BLOB,                  -- shingle count + MinHash signature (uint32 LE)
            batch_id      INTEGER NOT NULL,
            ingested_at   TIMESTAMP NOT NULL
        );
        -- LSH buckets of each signature: candidates for near-duplicates are found by a join.
        CREATE TABLE document_buckets (
            doc_id  VARCHAR NOT NULL,
            band    SMALLINT NOT NULL,
            bucket  UBIGINT NOT NULL
        );
        -- One row per input file (or stdin) fully processed: lets a re-run skip finished work.
        CREATE TABLE sources (
            path        VARCHAR NOT NULL,
            size        BIGINT,
            mtime       DOUBLE,
            status      VARCHAR NOT NULL,        -- done | error
            reason      VARCHAR,
            documents   INTEGER,
            batch_id    INTEGER NOT NULL,
            seen_at     TIMESTAMP NOT NULL
        );
        CREATE TABLE batches (
            id          INTEGER PRIMARY KEY,
            command     VARCHAR,
            started_at  TIMESTAMP NOT NULL,
            committed_at TIMESTAMP
        );
        -- Actor mentions (filled by the actors stage).
        CREATE TABLE mentions (
            doc_id     VARCHAR NOT NULL,
            sentence   INTEGER,
            start_char INTEGER NOT NULL,
            end_char   INTEGER NOT NULL,
            text       VARCHAR NOT NULL,
            code       VARCHAR,
            sector     VARCHAR,
            actor      VARCHAR,                  -- canonical name
            resolved_by VARCHAR                  -- how: name, demonym, capital, person+office, ...
        );
        -- Coded events with their evidence (filled by the events stage).
        CREATE TABLE events (
            id            VARCHAR PRIMARY KEY,
            doc_id        VARCHAR NOT NULL,
            type          VARCHAR NOT NULL,      -- PLOVER event type
            mode          VARCHAR,
            cameo         VARCHAR,
            quad          SMALLINT,
            goldstein     DOUBLE,
            source        JSON,                  -- list of {text, code, sector}
            target        JSON,
            source_codes  VARCHAR[],
            target_codes  VARCHAR[],
            modality      VARCHAR NOT NULL,
            attribution   VARCHAR,
            quantity      JSON,
            event_date    DATE,
            date_precision VARCHAR,
            location      JSON,
            sentence      INTEGER,
            start_char    INTEGER,
            end_char      INTEGER,
            evidence      VARCHAR,
            confidence    DOUBLE,
            extractor     VARCHAR
        );
        """,
    ),
    (
        2,
        "coding: which extractor coded a document; mention kinds; event extras",
        """
        ALTER TABLE documents ADD COLUMN coded_with VARCHAR;   -- extractor version, NULL: not yet
        ALTER TABLE mentions ADD COLUMN kind VARCHAR;          -- state, igo, group, person, ...
        ALTER TABLE events ADD COLUMN quantities JSON;         -- every quantity in the clause
        ALTER TABLE events ADD COLUMN trigger JSON;            -- the word(s) that coded it
        ALTER TABLE events ADD COLUMN date_text VARCHAR;
        CREATE INDEX mentions_doc ON mentions (doc_id);
        CREATE INDEX events_doc ON events (doc_id);
        """,
    ),
    (
        3,
        "background events; why coding a document failed",
        """
        ALTER TABLE events ADD COLUMN background BOOLEAN DEFAULT false;  -- history, not news
        ALTER TABLE documents ADD COLUMN coding_error VARCHAR;  -- coding failed: stored uncoded
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def event_rows(events: Sequence[dict[str, Any]], extractor: str) -> pa.Table:
    """Arrow rows for the events table from events in their JSON shape (DESIGN.md)."""

    def codes(actors: list[dict] | None) -> list[str]:
        return sorted({a["code"] for a in actors or [] if a.get("code")})

    def js(value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    ev = [e.get("evidence") or {} for e in events]
    return pa.table({
        "id": [e.get("id") or _event_id(e) for e in events],
        "doc_id": [x.get("doc_id") for x in ev],
        "type": [e["type"] for e in events],
        "mode": pa.array([e.get("mode") for e in events], pa.string()),
        "cameo": pa.array([e.get("cameo") for e in events], pa.string()),
        "quad": pa.array([e.get("quad") for e in events], pa.int16()),
        "goldstein": pa.array([e.get("goldstein") for e in events], pa.float64()),
        "source": pa.array([js(e.get("source")) for e in events], pa.string()),
        "target": pa.array([js(e.get("target")) for e in events], pa.string()),
        "source_codes": pa.array([codes(e.get("source")) for e in events], pa.list_(pa.string())),
        "target_codes": pa.array([codes(e.get("target")) for e in events], pa.list_(pa.string())),
        "modality": [e["modality"] for e in events],
        "attribution": pa.array([e.get("attribution") for e in events], pa.string()),
        "quantity": pa.array([js(e.get("quantity")) for e in events], pa.string()),
        "quantities": pa.array([js(e.get("quantities")) for e in events], pa.string()),
        "event_date": pa.array([_day(e.get("date")) for e in events], pa.date32()),
        "date_precision": pa.array([e.get("date_precision") for e in events], pa.string()),
        "date_text": pa.array([e.get("date_text") for e in events], pa.string()),
        "location": pa.array([js(e.get("location")) for e in events], pa.string()),
        "sentence": pa.array([x.get("sentence") for x in ev], pa.int32()),
        "start_char": pa.array([x.get("start") for x in ev], pa.int32()),
        "end_char": pa.array([x.get("end") for x in ev], pa.int32()),
        "evidence": pa.array([x.get("text") for x in ev], pa.string()),
        "confidence": pa.array([e.get("confidence") for e in events], pa.float64()),
        "extractor": [e.get("extractor") or extractor for e in events],
        "trigger": pa.array([js(e.get("trigger")) for e in events], pa.string()),
        "background": pa.array([bool(e.get("background")) for e in events], pa.bool_()),
    })


def _event_json(row: dict[str, Any]) -> dict[str, Any]:
    """A stored event row back in the JSON shape it was coded in."""

    def load(value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    return {
        "id": row["id"], "type": row["type"], "mode": row["mode"], "cameo": row["cameo"],
        "quad": row["quad"], "goldstein": row["goldstein"],
        "source": load(row["source"]) or [], "target": load(row["target"]) or [],
        "modality": row["modality"], "attribution": row["attribution"],
        "quantity": load(row["quantity"]), "quantities": load(row["quantities"]),
        "date": row["event_date"].isoformat() if row["event_date"] else None,
        "date_precision": row["date_precision"], "date_text": row["date_text"],
        "location": load(row["location"]),
        "evidence": {"doc_id": row["doc_id"], "sentence": row["sentence"],
                     "start": row["start_char"], "end": row["end_char"],
                     "text": row["evidence"]},
        "confidence": row["confidence"], "extractor": row["extractor"],
        "trigger": load(row["trigger"]), "background": bool(row.get("background")),
        "document": {"title": row["title"], "outlet": row["outlet"],
                     "published": row["published"].isoformat() if row["published"] else None,
                     "url": row["url"], "duplicate_of": row["duplicate_of"],
                     "ingested_at": row.get("ingested_at"), "length": row.get("doc_length")},
    }


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _event_id(event: dict[str, Any]) -> str:
    """Stable id: the same event coded again from the same sentence gets the same id."""
    ev = event.get("evidence") or {}
    key = json.dumps([ev.get("doc_id"), ev.get("start"), event.get("type"),
                      (event.get("trigger") or {}).get("start"),
                      [a.get("code") for a in event.get("source") or []],
                      [a.get("code") for a in event.get("target") or []]], default=str)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


class StoreError(RuntimeError):
    """A store that cannot be opened, is in use past the wait, is newer than this blocwatch,
    is not a blocwatch store, or is damaged. The message is one line for the user."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


#: The tables every blocwatch store has (its marker, with ``schema_version``).
TABLES = ("documents", "document_buckets", "sources", "batches", "mentions", "events")
#: How long a command waits for a store another process holds, by default (``--wait``).
DEFAULT_WAIT = 60.0
_LOCK = re.compile(r"lock", re.IGNORECASE)
_PID = re.compile(r"PID (\d+)")


#: How long a writer's note that it waits for the file is believed (a crashed writer's note
#: must not hold readers back for ever).
INTENT_SECONDS = 120.0


class Store:
    """A blocwatch database file: opens, migrates, and writes in bulk.

    DuckDB lets one process hold a file for writing, and no reader beside it. So the store
    holds its connection only while it is used: ingest calls :meth:`release` while it codes
    (most of its time) and the next use reconnects, waiting up to ``wait`` seconds for another
    process to let go (``on_wait`` hears about it once). Readers do the same, so a reader and
    an ingest take turns instead of failing.
    """

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, read_only: bool = False,
                 wait: float = 0.0, on_wait: Callable[[str], None] | None = None):
        self.path = str(path)
        self.read_only = read_only
        self.wait = wait
        self.on_wait = on_wait
        self._con: duckdb.DuckDBPyConnection | None = None
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (run 'blocwatch ingest' first)")
        con = self.con
        try:
            self._trust(con)
        except duckdb.Error as exc:
            self.close()
            raise StoreError(f"{self.path}: damaged store ({_first_line(exc)}); nothing "
                             f"will be written to it (blocwatch check --db {self.path})") from exc
        except StoreError:
            self.close()
            raise

    # -- the connection -------------------------------------------------------------------------
    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self._connect()
        return self._con

    @property
    def _intent(self) -> Path:
        """A writer waiting for the file says so here, and readers let it in first: with
        readers opening the file back to back (a busy API) a writer would otherwise never find
        it free."""
        return Path(self.path + ".writer")

    def _writer_waiting(self) -> bool:
        try:
            stat = self._intent.stat()
        except OSError:
            return False
        return time.time() - stat.st_mtime < INTENT_SECONDS  # a stale note is ignored

    def _connect(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.wait
        told = False
        noted = False
        try:
            while True:
                if self.read_only and self._writer_waiting() and time.monotonic() < deadline:
                    time.sleep(0.05)  # a reader yields to a waiting writer
                    continue
                try:
                    return duckdb.connect(self.path, read_only=self.read_only)
                except duckdb.Error as exc:
                    if not self.read_only and _LOCK.search(str(exc)) and not noted:
                        with contextlib.suppress(OSError):
                            self._intent.write_text(str(os.getpid()))
                            noted = True
                    self._refused(exc, deadline, told)
                    told = True
        finally:
            if noted:
                with contextlib.suppress(OSError):
                    self._intent.unlink()

    def _refused(self, exc: duckdb.Error, deadline: float, told: bool) -> None:
        """After a failed connect: raise, or say we wait (once) and pause."""
        if not _LOCK.search(str(exc)):
            raise StoreError(f"{self.path}: cannot open: not a DuckDB file or damaged "
                             f"({_first_line(exc)})") from exc
        pid = _PID.search(str(exc))
        who = f"another process (PID {pid.group(1)})" if pid else "another process"
        if time.monotonic() >= deadline:
            raise StoreError(
                f"{self.path}: in use by {who}; waited {self.wait:.0f} s "
                f"(--wait SECONDS to wait longer)") from None
        if not told and self.on_wait:
            self.on_wait(f"{self.path}: in use by {who}; waiting up to {self.wait:.0f} s")
        time.sleep(0.05 if not self.read_only else 0.2)

    def release(self) -> None:
        """Let other processes at the file; the next use reconnects (and may wait)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    # -- schema ---------------------------------------------------------------------------------
    def _trust(self, con: duckdb.DuckDBPyConnection) -> None:
        """Refuse what cannot be trusted: another program's DuckDB file, a newer schema, a
        damaged marker. A new, empty file becomes a store (read-write only)."""
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        self._judge(tables, "a DuckDB file", lambda: self._readable(con))

    def _judge(self, tables: set[str], what: str,
               readable: Callable[[], object] | None = None) -> None:
        """The store's tables against this blocwatch's schema: refused, migrated, or fine.
        ``readable`` reads every row before a write is allowed (where the database does not
        check its own pages)."""
        if "schema_version" not in tables:
            if tables:
                raise StoreError(f"{self.path}: not a blocwatch store ({what} with other "
                                 f"tables: {', '.join(sorted(tables)[:5])}); refused")
            if self.read_only:
                raise StoreError(f"{self.path}: an empty database, not yet a blocwatch store "
                                 f"(run 'blocwatch ingest' first)")
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema v{current} is newer than this blocwatch "
                             f"(v{SCHEMA_VERSION}); upgrade blocwatch to read it")
        if current and (missing := [t for t in TABLES if t not in tables]):
            raise StoreError(f"{self.path}: damaged store (schema v{current} but no table "
                             f"{', '.join(missing)}); refused")
        if not self.read_only:
            if current and readable is not None:
                readable()  # never write to a file that cannot be read back
            self.migrate()
        elif current < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema v{current} is older; open it read-write "
                             f"(any ingest migrates it)")

    def _readable(self, con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        """Read every row of every table (DuckDB checks each block it reads): row counts, or
        StoreError naming the damage."""
        counts = {}
        for table in ("schema_version", *TABLES):
            try:
                counts[table] = con.execute(
                    f"SELECT count(*), bit_xor(hash(t)) FROM {table} t").fetchall()[0][0]
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: damaged store (table {table}: "
                                 f"{_first_line(exc)}); refused") from exc
        return counts

    def check(self) -> tuple[dict[str, int], list[str]]:
        """Verify the store: every table readable, ids unique, every mention and event of a
        stored document, no batch left open. Returns the row counts and the problems found."""
        counts = self._row_counts()
        problems = []
        for what, sql in self._probes():
            n = next(iter(self.query(sql)[0].values()))
            if n:
                problems.append(f"{n} {what}")
        from blocwatch.document import document_id

        bad = 0
        for i in range(0, counts["documents"], 1000):
            rows = self.query("SELECT id, text FROM documents ORDER BY id LIMIT 1000 "
                              f"OFFSET {i}")
            bad += sum(1 for r in rows if document_id(r["text"]) != r["id"])
        if bad:
            problems.append(f"{bad} documents whose id is not the hash of their text")
        return counts, problems

    def _row_counts(self) -> dict[str, int]:
        """Row counts of every table, read through so that DuckDB checks each block."""
        return self._readable(self.con)

    @staticmethod
    def _probes() -> list[tuple[str, str]]:
        """What :meth:`check` counts, each a problem when not zero (SQL of both databases)."""
        return [
            ("documents with the same id", "SELECT count(*) - count(DISTINCT id) FROM documents"),
            ("events with the same id", "SELECT count(*) - count(DISTINCT id) FROM events"),
            ("mentions of no stored document", "SELECT count(*) FROM mentions m WHERE NOT "
             "EXISTS (SELECT 1 FROM documents d WHERE d.id = m.doc_id)"),
            ("events of no stored document", "SELECT count(*) FROM events e WHERE NOT EXISTS "
             "(SELECT 1 FROM documents d WHERE d.id = e.doc_id)"),
            ("near-duplicates of no stored document", "SELECT count(*) FROM documents c WHERE "
             "duplicate_of IS NOT NULL AND NOT EXISTS (SELECT 1 FROM documents d WHERE "
             "d.id = c.duplicate_of)"),
            ("documents of a batch never committed", "SELECT count(*) FROM documents d JOIN "
             "batches b ON b.id = d.batch_id WHERE b.committed_at IS NULL"),
        ]

    def version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchall()[0][0]
        if not exists:
            return 0
        try:
            value = self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: damaged schema marker ({_first_line(exc)}); "
                             f"refused") from exc
        if not isinstance(value, int) or value < 1:
            raise StoreError(f"{self.path}: damaged schema marker (version {value!r}); refused")
        return value

    def migrate(self) -> None:
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema v{current} is newer than this blocwatch (v{SCHEMA_VERSION})"
            )
        for version, description, sql in MIGRATIONS:
            if version <= current:
                continue
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version "
                    "(version INTEGER, description VARCHAR, applied_at TIMESTAMP)"
                )
                self.con.execute(sql)
                self.con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)", [version, description, _now()]
                )
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- batches --------------------------------------------------------------------------------
    def begin_batch(self, command: str) -> int:
        """Open a transaction for one batch; returns its id."""
        self.con.execute("BEGIN TRANSACTION")
        batch_id = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM batches").fetchall()[0][0]
        self.con.execute(
            "INSERT INTO batches (id, command, started_at) VALUES (?, ?, ?)",
            [batch_id, command, _now()],
        )
        return batch_id

    def commit_batch(self, batch_id: int) -> None:
        self._run("UPDATE batches SET committed_at = ? WHERE id = ?", [_now(), batch_id])
        self._commit()

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _run(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """A statement that returns nothing, in the SQL both databases speak."""
        self.con.execute(sql, params or [])

    @contextlib.contextmanager
    def batch(self, command: str) -> Iterator[int]:
        """One batch as one transaction: committed whole on success, rolled back on any error
        or interruption. Yields the batch id."""
        try:
            batch_id = self.begin_batch(command)  # a failure here leaves a transaction open too
            yield batch_id
            self.commit_batch(batch_id)
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.execute("ROLLBACK")

    # -- writes (bulk only) ---------------------------------------------------------------------
    def _append(self, table: str, rows: pa.Table) -> None:
        if rows.num_rows == 0:
            return
        self.con.register("_incoming", rows)
        try:
            cols = ", ".join(rows.column_names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def add_documents(
        self, docs: Sequence[Document], signatures: Sequence[bytes], batch_id: int
    ) -> None:
        now = _now()
        rows = pa.table(
            {
                "id": [d.id for d in docs],
                "title": [d.title for d in docs],
                "outlet": [d.outlet for d in docs],
                "published": pa.array([d.published for d in docs], pa.date32()),
                "section": [d.section for d in docs],
                "url": [d.url for d in docs],
                "author": [d.author for d in docs],
                "text": [d.text for d in docs],
                "word_count": pa.array([d.word_count for d in docs], pa.int32()),
                "source_path": [d.source_path for d in docs],
                "duplicate_of": pa.array([d.duplicate_of for d in docs], pa.string()),
                "similarity": pa.array([d.similarity for d in docs], pa.float64()),
                "minhash": pa.array(list(signatures), pa.binary()),
                "batch_id": pa.array([batch_id] * len(docs), pa.int32()),
                "ingested_at": pa.array([now] * len(docs), pa.timestamp("us")),
            }
        )
        self._append("documents", rows)

    def add_buckets(self, doc_ids: Sequence[str], bands: Sequence[Sequence[int]]) -> None:
        ids, band_no, buckets = [], [], []
        for doc_id, doc_bands in zip(doc_ids, bands, strict=True):
            for i, bucket in enumerate(doc_bands):
                ids.append(doc_id)
                band_no.append(i)
                buckets.append(bucket)
        self._append(
            "document_buckets",
            pa.table(
                {
                    "doc_id": ids,
                    "band": pa.array(band_no, pa.int16()),
                    "bucket": pa.array(buckets, pa.uint64()),
                }
            ),
        )

    def add_sources(self, sources: Sequence[dict[str, Any]], batch_id: int) -> None:
        now = _now()
        self._append(
            "sources",
            pa.table(
                {
                    "path": [s["path"] for s in sources],
                    "size": pa.array([s.get("size") for s in sources], pa.int64()),
                    "mtime": pa.array([s.get("mtime") for s in sources], pa.float64()),
                    "status": [s["status"] for s in sources],
                    "reason": pa.array([s.get("reason") for s in sources], pa.string()),
                    "documents": pa.array([s.get("documents", 0) for s in sources], pa.int32()),
                    "batch_id": pa.array([batch_id] * len(sources), pa.int32()),
                    "seen_at": pa.array([now] * len(sources), pa.timestamp("us")),
                }
            ),
        )

    def add_coding(self, doc_ids: Sequence[str], mentions: Sequence[Sequence[Any]],
                   events: Sequence[Sequence[dict[str, Any]]], extractor: str,
                   errors: Sequence[str | None] | None = None) -> None:
        """Mentions and events of documents, replacing any earlier coding of the same ones.
        A document whose coding failed (``errors``) keeps no coding and the reason, and is
        left for ``recode`` (``coded_with`` stays NULL)."""
        if not doc_ids:
            return
        errs = list(errors) if errors is not None else [None] * len(doc_ids)
        self._clear_coding(list(doc_ids), errs, extractor)
        rows: dict[str, list] = {k: [] for k in (
            "doc_id", "sentence", "start_char", "end_char", "text", "code", "sector", "actor",
            "resolved_by", "kind")}
        for doc_id, doc_mentions in zip(doc_ids, mentions, strict=True):
            for m in doc_mentions:
                rows["doc_id"].append(doc_id)
                rows["sentence"].append(m.sentence)
                rows["start_char"].append(m.start)
                rows["end_char"].append(m.end)
                rows["text"].append(m.text)
                rows["code"].append(m.code)
                rows["sector"].append(m.sector)
                rows["actor"].append(m.actor)
                rows["resolved_by"].append(m.resolved_by)
                rows["kind"].append(m.kind)
        self._append("mentions", pa.table({
            **{k: pa.array(v, pa.string()) for k, v in rows.items()
               if k not in ("sentence", "start_char", "end_char")},
            "sentence": pa.array(rows["sentence"], pa.int32()),
            "start_char": pa.array(rows["start_char"], pa.int32()),
            "end_char": pa.array(rows["end_char"], pa.int32()),
        }))
        seen: set[str] = set()
        flat = []
        for e in (e for doc_events in events for e in doc_events):
            e["id"] = e.get("id") or _event_id(e)
            if e["id"] not in seen:  # the same event found twice in one sentence is one event
                seen.add(e["id"])
                flat.append(e)
        if flat:
            self._append("events", event_rows(flat, extractor))

    def _clear_coding(self, doc_ids: list[str], errors: list[str | None],
                      extractor: str) -> None:
        """Drop the documents' earlier coding and note how this one went."""
        self.con.register("_coded", pa.table({"id": doc_ids,
                                              "error": pa.array(errors, pa.string())}))
        try:
            self.con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT id FROM _coded)")
            self.con.execute("DELETE FROM events WHERE doc_id IN (SELECT id FROM _coded)")
            self.con.execute("UPDATE documents SET coded_with = CASE WHEN c.error IS NULL "
                             "THEN ? END, coding_error = c.error FROM _coded c "
                             "WHERE documents.id = c.id", [extractor])
        finally:
            self.con.unregister("_coded")

    # -- reads ----------------------------------------------------------------------------------
    def set_outlets(self, outlets: dict[str, str]) -> int:
        """Give stored documents an outlet (document id -> outlet), in one batch; the
        metadata a re-ingest cannot change, because the same text is a duplicate."""
        if not outlets:
            return 0
        with self.batch("docs set outlet"):
            self._update_outlets(outlets)
        return len(outlets)

    def _update_outlets(self, outlets: dict[str, str]) -> None:
        rows = pa.table({"id": list(outlets), "outlet": list(outlets.values())})
        self.con.register("_outlets", rows)
        try:
            self.con.execute("UPDATE documents SET outlet = o.outlet FROM _outlets o "
                             "WHERE documents.id = o.id")
        finally:
            self.con.unregister("_outlets")

    def set_published(self, ids: Sequence[str], day: date) -> int:
        """Give stored documents a publication date, in one batch, and mark them for
        ``recode`` (``coded_with`` NULL): dates in their text ("on Tuesday") are read against
        the publication date."""
        if not ids:
            return 0
        with self.batch("docs set date"):
            self._run("UPDATE documents SET published = ?, coded_with = NULL "
                      "WHERE id IN (SELECT unnest(?::VARCHAR[]))", [day, list(ids)])
        return len(ids)

    def actor_codes(self) -> list[str]:
        """Every actor code the stored events name (actor files add codes the reference
        data lacks)."""
        return [r["code"] for r in self.actor_event_counts()]

    def actor_event_counts(self) -> list[dict[str, Any]]:
        """Each actor code the stored events name, with how many events name it, busiest
        first."""
        return self.query(  # SQL both databases speak
            "SELECT code, count(*) AS events FROM (SELECT unnest(source_codes || target_codes) "
            "AS code FROM events) c WHERE code IS NOT NULL GROUP BY code "
            "ORDER BY events DESC, code")

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        self.con.register("_ids", pa.table({"id": ids}))
        try:
            rows = self.con.execute(
                "SELECT d.id FROM documents d JOIN _ids USING (id)"
            ).fetchall()
        finally:
            self.con.unregister("_ids")
        return {r[0] for r in rows}

    def finished_sources(self) -> dict[str, tuple[int | None, float | None]]:
        """Files already fully ingested: path -> (size, mtime) at the time."""
        rows = self.query("SELECT path, size, mtime FROM sources WHERE status = 'done'")
        return {r["path"]: (r["size"], r["mtime"]) for r in rows}

    def bucket_candidates(self, bands: Sequence[Sequence[int]]) -> dict[int, set[str]]:
        """For each new signature (by position), stored documents sharing any LSH bucket."""
        pos, band_no, buckets = [], [], []
        for p, doc_bands in enumerate(bands):
            for i, bucket in enumerate(doc_bands):
                pos.append(p)
                band_no.append(i)
                buckets.append(bucket)
        if not pos:
            return {}
        out: dict[int, set[str]] = {}
        for p, doc_id in self._bucket_matches(pos, band_no, buckets):
            out.setdefault(p, set()).add(doc_id)
        return out

    def _bucket_matches(self, pos: list[int], bands: list[int],
                        buckets: list[int]) -> list[tuple[int, str]]:
        """(position, stored document) for each probe (position, band, bucket) that matches."""
        self.con.register("_probe", pa.table({"pos": pos, "band": pa.array(bands, pa.int16()),
                                              "bucket": pa.array(buckets, pa.uint64())}))
        try:
            return self.con.execute(
                "SELECT DISTINCT p.pos, b.doc_id FROM _probe p "
                "JOIN document_buckets b ON b.band = p.band AND b.bucket = p.bucket"
            ).fetchall()
        finally:
            self.con.unregister("_probe")

    def signatures(self, doc_ids: Iterable[str]) -> dict[str, tuple[bytes, str | None]]:
        """Stored signature and duplicate_of of the given documents."""
        ids = list(doc_ids)
        if not ids:
            return {}
        self.con.register("_ids", pa.table({"id": ids}))
        try:
            rows = self.con.execute(
                "SELECT d.id, d.minhash, d.duplicate_of FROM documents d JOIN _ids USING (id)"
            ).fetchall()
        finally:
            self.con.unregister("_ids")
        return {r[0]: (r[1], r[2]) for r in rows}

    def documents(self, doc_id: str | None = None, outlet: str | None = None,
                  since: date | None = None, until: date | None = None,
                  duplicates: str = "include", limit: int | None = None) -> list[dict[str, Any]]:
        """Stored documents with their metadata and cleaned text, oldest first.

        ``doc_id`` is an id or a unique prefix; ``duplicates`` is include, exclude or only
        (near-duplicate copies).
        """
        where, params = [], []
        if doc_id:
            where.append("id LIKE ?")
            params.append(doc_id + "%")
        if outlet:
            where.append("lower(outlet) = lower(?)")
            params.append(outlet)
        if since:
            where.append("published >= ?")
            params.append(since)
        if until:
            where.append("published <= ?")
            params.append(until)
        if duplicates == "exclude":
            where.append("duplicate_of IS NULL")
        elif duplicates == "only":
            where.append("duplicate_of IS NOT NULL")
        return self._select(
            "SELECT id, title, outlet, published, section, url, author, word_count, "
            "duplicate_of, similarity, source_path, coded_with, text FROM documents",
            where, params, "published NULLS LAST, ingested_at, id", limit)

    def events(self, actor: str | None = None, dyad: tuple[str, str] | None = None,
               types: Sequence[str] = (), modalities: Sequence[str] = (),
               since: date | None = None, until: date | None = None,
               min_confidence: float | None = None, doc_id: str | None = None,
               include_duplicates: bool = True, limit: int | None = None,
               background: bool = True, newest_first: bool = False) -> list[dict[str, Any]]:
        """Stored events in their JSON shape (DESIGN.md), with the document's metadata.

        An event's day is its own date, else its document's publication date. ``dyad`` is
        ordered (source, target); ``actor`` matches either side; ``background=False`` leaves
        out history and context.
        """
        where, params = event_where(
            actor=actor, source=dyad[0] if dyad else None, target=dyad[1] if dyad else None,
            types=types, modalities=modalities, since=since, until=until,
            min_confidence=min_confidence, doc_id=doc_id, include_duplicates=include_duplicates,
            background=background, dialect=self._listing_dialect())
        rows = self._select(
            "SELECT e.*, d.title, d.outlet, d.published, d.url, d.duplicate_of, d.ingested_at, "
            "length(d.text) AS doc_length FROM events e JOIN documents d ON d.id = e.doc_id",
            where, params,
            f"coalesce(e.event_date, d.published) {'DESC' if newest_first else 'ASC'} NULLS LAST, "
            "e.doc_id, e.start_char, e.id", limit)
        return [_event_json(row) for row in rows]

    def _select(self, select: str, where: list[str], params: list[Any], order: str,
                limit: int | None) -> list[dict[str, Any]]:
        """A listing query: filters joined with AND, an order, an optional limit."""
        sql = select + (" WHERE " + " AND ".join(where) if where else "") + f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.query(sql, params)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self, table: str) -> int:
        return self.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]

    def _listing_dialect(self) -> str:
        return "duckdb"

    def table_batches(self, table: str, where: str = "", params: Sequence[Any] = (),
                      columns: Sequence[str] | None = None,
                      order: str | None = None) -> Iterator[pa.Table]:
        """Rows of a table as Arrow tables, a part at a time (``migrate``, Parquet shards)."""
        sql = f"SELECT {', '.join(columns) if columns else '*'} FROM {table}" \
            + (f" WHERE {where}" if where else "") + (f" ORDER BY {order}" if order else "")
        reader = self.con.sql(sql, params=list(params) or None).to_arrow_reader(BATCH_ROWS)
        for part in reader:
            yield pa.Table.from_batches([part])


def event_where(actor: str | None = None, source: str | None = None, target: str | None = None,
                types: Sequence[str] = (), modalities: Sequence[str] = (),
                since: date | None = None, until: date | None = None,
                min_confidence: float | None = None, doc_id: str | None = None,
                include_duplicates: bool = True, background: bool = True,
                dialect: str = "duckdb") -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters over ``events e JOIN documents d`` for the event filters
    every listing shares (the CLI's ``events``, the Python API): ``actor`` on either side,
    ``source``/``target`` on one; an event's day is its own date, else its document's."""
    where: list[str] = []
    params: list[Any] = []

    def has(values: str, value: str) -> str:  # a list holds a value, in either database
        return (f"{value} = ANY({values})" if dialect == "postgres"
                else f"list_contains({values}, {value})")

    if actor:
        where.append(f"({has('e.source_codes', '?')} OR {has('e.target_codes', '?')})")
        params += [actor.upper(), actor.upper()]
    for column, code in (("source_codes", source), ("target_codes", target)):
        if code:
            where.append(has(f"e.{column}", "?"))
            params.append(code.upper())
    if types:
        where.append(has("?::VARCHAR[]", "e.type"))
        params.append([t.upper() for t in types])
    if modalities:
        where.append(has("?::VARCHAR[]", "e.modality"))
        params.append([m.lower() for m in modalities])
    for op, day in ((">=", since), ("<=", until)):
        if day:
            where.append(f"coalesce(e.event_date, d.published) {op} ?")
            params.append(day)
    if min_confidence is not None:
        where.append("e.confidence >= ?")
        params.append(float(min_confidence))
    if doc_id:
        where.append("e.doc_id LIKE ?")
        params.append(doc_id + "%")
    if not include_duplicates:
        where.append("d.duplicate_of IS NULL")
    if not background:
        where.append("NOT coalesce(e.background, false)")
    return where, params


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def open_store(db: str | os.PathLike = DEFAULT_DB, read_only: bool = False, wait: float = 0.0,
               on_wait: Callable[[str], None] | None = None) -> Store:
    """The store ``db`` names: a DuckDB file, or a PostgreSQL database by its
    ``postgresql://`` URL."""
    from blocwatch.store_pg import PostgresStore, is_postgres

    if is_postgres(db):
        return PostgresStore(str(db), read_only=read_only, wait=wait, on_wait=on_wait)
    return Store(db, read_only=read_only, wait=wait, on_wait=on_wait)
