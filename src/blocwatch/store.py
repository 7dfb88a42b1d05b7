"""The only stateful stage: a DuckDB file (one file, zero set-up) with a versioned schema.

Every write is a bulk insert of an Arrow table inside one transaction per batch, so a run that is
killed loses at most the batch in flight and a re-run resumes where the last commit left off.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from blocwatch.document import Document

DEFAULT_DB = "blocwatch.duckdb"

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
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


class StoreError(RuntimeError):
    """A store that cannot be opened or is newer than this blocwatch."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """A blocwatch database file: opens, migrates, and writes in bulk."""

    def __init__(self, path: str | os.PathLike = DEFAULT_DB, read_only: bool = False):
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (run 'blocwatch ingest' first)")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from exc
        if not read_only:
            self.migrate()
        elif self.version() < SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema v{self.version()} is older; open it read-write")

    # -- schema ---------------------------------------------------------------------------------
    def version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchall()[0][0]
        if not exists:
            return 0
        sql = "SELECT coalesce(max(version), 0) FROM schema_version"
        return self.con.execute(sql).fetchall()[0][0]

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
        self.con.close()

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
        self.con.execute("UPDATE batches SET committed_at = ? WHERE id = ?", [_now(), batch_id])
        self.con.execute("COMMIT")

    def rollback(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")

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

    # -- reads ----------------------------------------------------------------------------------
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
        rows = self.con.execute(
            "SELECT path, size, mtime FROM sources WHERE status = 'done'"
        ).fetchall()
        return {path: (size, mtime) for path, size, mtime in rows}

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
        self.con.register(
            "_probe",
            pa.table(
                {
                    "pos": pos,
                    "band": pa.array(band_no, pa.int16()),
                    "bucket": pa.array(buckets, pa.uint64()),
                }
            ),
        )
        try:
            rows = self.con.execute(
                "SELECT DISTINCT p.pos, b.doc_id FROM _probe p "
                "JOIN document_buckets b ON b.band = p.band AND b.bucket = p.bucket"
            ).fetchall()
        finally:
            self.con.unregister("_probe")
        out: dict[int, set[str]] = {}
        for p, doc_id in rows:
            out.setdefault(p, set()).add(doc_id)
        return out

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

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def count(self, table: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
