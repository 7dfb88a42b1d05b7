"""Parquet shards of what ingest stores, for a data lake (``ingest --out-parquet DIR``).

Why: a team that keeps its news in a lake (S3, HDFS, a shared disk) reads Parquet with Spark,
Trino, DuckDB or pandas, not a database file. Each committed part of an ingest becomes one shard
per table, written from the store's own rows in the same transaction, so the lake holds the
same ids and values as the store and never a row the store rolled back::

    DIR/documents/batch-000012-3f9a0c2e71d4.parquet   the documents' metadata and cleaned text
    DIR/mentions/batch-000012-3f9a0c2e71d4.parquet    actor mentions
    DIR/events/batch-000012-3f9a0c2e71d4.parquet      coded events with their evidence

(the store's batch number, then a hash of the shard's document ids: stores that share one lake
folder never overwrite each other's shards, and the same documents always make the same name).

A shard is written as ``.tmp`` before the commit and renamed after it. A run killed between the
two leaves a ``.tmp``: the next run with the same folder renames it if its batch was committed
and deletes it if not, so the lake ends up with each stored row exactly once.
``blocwatch recode`` does not rewrite shards; ``blocwatch export --format parquet`` writes the
store's current events.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from blocwatch.store import Store
from blocwatch.store_pg import arrow_schema, is_postgres

#: Table -> (the columns written, their order). The near-duplicate signature is the store's
#: own business.
TABLES = {
    "documents": ("id, title, outlet, published, section, url, author, text, word_count, "
                  "source_path, duplicate_of, similarity, coded_with, coding_error, batch_id, "
                  "ingested_at", "id"),
    "mentions": ("doc_id, sentence, start_char, end_char, text, code, sector, actor, "
                 "resolved_by, kind", "doc_id, start_char, end_char, code"),
    "events": ("*", "doc_id, start_char, id"),
}
_SHARD = re.compile(r"batch-(\d+)-[0-9a-f]+\.parquet\.tmp$")


class ParquetShards:
    """The shard folder of one run."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._pending: str | None = None  # the name of the shards that await their commit
        for table in TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)

    def path(self, table: str, name: str) -> Path:
        return self.folder / table / f"{name}.parquet"

    def recover(self, store: Store) -> None:
        """Settle the shards a killed run left half-done: kept if the store committed their
        batch, deleted if not."""
        left = [p for table in TABLES for p in (self.folder / table).glob("*.parquet.tmp")]
        if not left:
            return
        committed = {r["id"] for r in store.query(
            "SELECT id FROM batches WHERE committed_at IS NOT NULL")}
        for tmp in left:
            match = _SHARD.search(tmp.name)
            if match and int(match.group(1)) in committed:
                tmp.replace(tmp.with_suffix(""))
            else:
                tmp.unlink()

    def write(self, store: Store, batch_id: int, doc_ids: Sequence[str]) -> None:
        """The rows of ``doc_ids`` as this batch's shards (``.tmp``), read inside the open
        transaction so they are exactly what it commits."""
        if not doc_ids:
            return
        tag = hashlib.sha1("\n".join(sorted(doc_ids)).encode()).hexdigest()[:12]
        self._pending = name = f"batch-{batch_id:06d}-{tag}"
        if is_postgres(store.path):
            self._write_rows(store, name, list(doc_ids))
            return
        con = store.con
        con.register("_shard_ids", pa.table({"id": list(doc_ids)}))
        try:
            for table, (columns, order) in TABLES.items():
                key = "id" if table == "documents" else "doc_id"
                target = str(self.path(table, name)) + ".tmp"
                con.execute(
                    f"COPY (SELECT {columns} FROM {table} WHERE {key} IN "
                    f"(SELECT id FROM _shard_ids) ORDER BY {order}) TO "
                    f"'{_quoted(target)}' (FORMAT parquet, COMPRESSION zstd)")
        finally:
            con.unregister("_shard_ids")

    def _write_rows(self, store: Store, name: str, doc_ids: list[str]) -> None:
        """The same shards from a PostgreSQL store: its rows as Arrow, written here."""
        import pyarrow.parquet as pq

        for table, (columns, order) in TABLES.items():
            key = "id" if table == "documents" else "doc_id"
            names = None if columns == "*" else [c.strip() for c in columns.split(",")]
            parts = list(store.table_batches(table, where=f"{key} = ANY(?)", params=[doc_ids],
                                             columns=names, order=order))
            rows = pa.concat_tables(parts) if parts else None
            if rows is None:
                schema = arrow_schema(table)
                rows = schema.empty_table() if names is None else \
                    pa.schema([schema.field(c) for c in names]).empty_table()
            pq.write_table(rows, str(self.path(table, name)) + ".tmp", compression="zstd")

    def publish(self) -> None:
        """After the commit: the batch's shards take their final names."""
        if self._pending is None:
            return
        for table in TABLES:
            tmp = Path(str(self.path(table, self._pending)) + ".tmp")
            if tmp.exists():
                tmp.replace(self.path(table, self._pending))
        self._pending = None

    def discard(self) -> None:
        """After a rollback: the batch's shards go."""
        if self._pending is None:
            return
        for table in TABLES:
            Path(str(self.path(table, self._pending)) + ".tmp").unlink(missing_ok=True)
        self._pending = None


def _quoted(path: str) -> str:
    return path.replace("'", "''")
