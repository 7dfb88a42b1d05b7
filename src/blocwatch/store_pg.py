"""A PostgreSQL store for teams (``--db postgresql://…``): the same schema, batches and
duplicate rules as the DuckDB file, for many readers and writers at once.

Why: a DuckDB file has one writer and no reader beside it, so a team that reads while a
feed is ingested takes turns. PostgreSQL lets any number of readers see the last committed
batch while a writer works. What stays the same:

- the schema: :data:`blocwatch.store.MIGRATIONS`, each statement translated to PostgreSQL's
  names for three types (:func:`pg_ddl`), so a migration is written once for both;
- writes: the same Arrow rows the DuckDB store inserts, sent with ``COPY … FROM STDIN``
  (psycopg 3), one transaction per batch; writers queue on an advisory lock taken when a
  batch opens, so two ingests never store the same document twice, as one DuckDB writer;
- reads: the store's own listings (documents, events, ids, near-duplicate candidates) run in
  PostgreSQL. The analyses (dyads, blocs, reports, exports) are written in DuckDB's SQL; on a
  PostgreSQL store they run in an in-process DuckDB over a copy of the tables read once
  (:attr:`PostgresStore.con`). DuckDB's postgres scanner would read in place, but its only
  offline build (``duckdb-ext-postgres``) is for another DuckDB version.

``blocwatch migrate --from x.duckdb --to postgresql://…`` (:func:`copy_store`) copies a store
either way.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import duckdb
import pyarrow as pa

from blocwatch.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    Store,
    StoreError,
    _first_line,
    _now,
)

#: DuckDB type names PostgreSQL spells otherwise. UBIGINT (the near-duplicate buckets) has no
#: unsigned twin; NUMERIC(20) holds every value exactly.
PG_TYPES = ((r"\bDOUBLE\b", "DOUBLE PRECISION"), (r"\bBLOB\b", "BYTEA"),
            (r"\bUBIGINT\b", "NUMERIC(20)"))
#: The advisory lock a writer holds for its batch (any number; "bloc" in ASCII).
WRITER_LOCK = 0x626C6F63
#: Rows fetched from PostgreSQL at a time when tables are copied out.
FETCH_ROWS = 20_000
#: Tables copied into the analysis copy: the near-duplicate index is ingest's own business.
ANALYSED = ("schema_version", "documents", "sources", "batches", "mentions", "events")
#: Analysis copies kept in a process (``serve`` opens the store per request), one per
#: database, reused until a commit changes its batches table.
KEEP_COPIES = 4
_COPIES: OrderedDict[str, tuple[tuple, duckdb.DuckDBPyConnection]] = OrderedDict()
_COPIES_LOCK = threading.Lock()
#: How many analysis copies this process has read from PostgreSQL (tests watch it).
copies_made = 0


def is_postgres(db: str | object) -> bool:
    """``--db`` names a PostgreSQL database (a ``postgresql://`` or ``postgres://`` URL)."""
    return str(db).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def actors_folder(url: str) -> Path:
    """Where ``serve`` keeps actor files uploaded for a PostgreSQL store (a file store keeps
    them beside the file): the user's data folder, one folder per server and database."""
    parts = urlsplit(url)
    host = parse_qs(parts.query).get("host", [parts.hostname or "localhost"])[0]
    label = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{host.strip('/')}-{parts.path.strip('/')}")
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "blocwatch" / f"{label}.actors"


class ChangeMark:
    """What changes whenever a PostgreSQL store is written (every write is a batch): for a
    server that keeps answers until the store changes. One connection, opened again if lost;
    a store that cannot be asked gives a mark no cached answer has."""

    SQL = "SELECT count(*), max(id), max(committed_at) FROM batches"

    def __init__(self, url: str):
        self.url = url
        self._pg: Any = None
        self._misses = 0

    def now(self) -> tuple:
        import psycopg

        for _ in range(2):
            try:
                if self._pg is None or self._pg.closed:
                    self._pg = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
                return tuple(self._pg.execute(self.SQL).fetchone())
            except psycopg.Error:
                if self._pg is not None:
                    self._pg.close()
                self._pg = None
        self._misses += 1
        return ("unknown", self._misses)


def pg_ddl(sql: str) -> str:
    """A migration written for DuckDB, in PostgreSQL's type names."""
    for pattern, name in PG_TYPES:
        sql = re.sub(pattern, name, sql)
    return sql


def pg_sql(sql: str) -> str:
    """DuckDB-style ``?`` parameters as psycopg's ``%s`` (a literal ``%`` doubled). The
    store's portable queries put no ``?`` inside string literals."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(Store):
    """A blocwatch store in a PostgreSQL database (its current schema, usually ``public``)."""

    def __init__(self, url: str, read_only: bool = False, wait: float = 0.0,
                 on_wait: Callable[[str], None] | None = None):
        try:
            import psycopg
        except ImportError:
            raise StoreError(f"{redacted(url)}: PostgreSQL needs psycopg "
                             f"(pip install 'blocwatch[postgres]')") from None
        self.path = redacted(url)
        self.url = url
        self.read_only = read_only
        self.wait = wait
        self.on_wait = on_wait
        self._con = None
        self._duck: duckdb.DuckDBPyConnection | None = None
        self._psycopg = psycopg
        try:
            self._pg = psycopg.connect(url, autocommit=True, connect_timeout=max(5, int(wait)),
                                       application_name="blocwatch")
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot connect ({_first_line(exc)})") from None
        try:
            if read_only:  # the server refuses any write, as DuckDB does for a read-only file
                self._pg.execute("SET default_transaction_read_only = on")
            self._judge(self._tables(), "a database")
        except psycopg.Error as exc:
            self.close()
            raise StoreError(f"{self.path}: {_first_line(exc)}") from None
        except StoreError:
            self.close()
            raise

    # -- the connections ------------------------------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        return self._pg.execute(pg_sql(sql), list(params or []))

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """An in-process DuckDB holding the tables as of the last commit: the analyses' SQL
        runs on it unchanged. Read-only use; writes go to PostgreSQL. The documents' text is
        left out (no analysis reads it; ``documents()`` reads it from PostgreSQL). One copy per
        database is kept in the process and reused while the store has not changed."""
        if self._duck is None:
            if self._pg.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
                self._duck = self._analysis_copy()  # with this batch's own writes: not kept
            else:
                mark = tuple(self._execute(ChangeMark.SQL).fetchone())
                with _COPIES_LOCK:
                    kept = _COPIES.get(self.url)
                    if kept is None or kept[0] != mark:
                        kept = (mark, self._analysis_copy())
                        _COPIES[self.url] = kept
                        while len(_COPIES) > KEEP_COPIES:
                            _COPIES.popitem(last=False)[1][1].close()
                    _COPIES.move_to_end(self.url)
                    self._duck = kept[1].cursor()  # a connection of its own to the copy
        return self._duck

    def release(self) -> None:
        """PostgreSQL readers never wait for a writer: nothing to let go of."""

    def close(self) -> None:
        if self._duck is not None:
            self._duck.close()
            self._duck = None
        pg = getattr(self, "_pg", None)
        if pg is not None and not pg.closed:
            pg.close()

    def _tables(self) -> set[str]:
        return {r[0] for r in self._execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()").fetchall()}

    # -- schema ---------------------------------------------------------------------------------
    def version(self) -> int:
        if "schema_version" not in self._tables():
            return 0
        value = self._execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if not isinstance(value, int) or value < 1:
            raise StoreError(f"{self.path}: damaged schema marker (version {value!r}); refused")
        return value

    def migrate(self) -> None:
        with self._pg.transaction():
            # two processes opening a new database at once: one migrates, the other waits
            self._execute("SELECT pg_advisory_xact_lock(?)", [WRITER_LOCK])
            self._execute("CREATE TABLE IF NOT EXISTS schema_version "
                          "(version INTEGER, description VARCHAR, applied_at TIMESTAMP)")
            current = self._execute("SELECT coalesce(max(version), 0) FROM schema_version"
                                    ).fetchone()[0]
            if current > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: schema v{current} is newer than this "
                                 f"blocwatch (v{SCHEMA_VERSION})")
            for version, description, sql in MIGRATIONS:
                if version > current:
                    self._pg.execute(pg_ddl(sql))
                    self._execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                                  [version, description, _now()])

    def _row_counts(self) -> dict[str, int]:
        """PostgreSQL checks its own pages, so reading is counting."""
        return {t: self.count(t) for t in ("schema_version", *TABLES)}

    # -- batches --------------------------------------------------------------------------------
    def begin_batch(self, command: str) -> int:
        """Open a transaction for one batch. Writers take turns here, so the existing-id check
        inside the batch sees every batch committed before it."""
        self._pg.execute("BEGIN")
        self._execute("SELECT pg_advisory_xact_lock(?)", [WRITER_LOCK])
        batch_id = self._execute("SELECT coalesce(max(id), 0) + 1 FROM batches").fetchone()[0]
        self._execute("INSERT INTO batches (id, command, started_at) VALUES (?, ?, ?)",
                      [batch_id, command, _now()])
        return batch_id

    def _commit(self) -> None:
        self._pg.execute("COMMIT")
        self._duck = None  # the next analysis reads what this commit changed

    def _run(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self._execute(sql, params)

    def rollback(self) -> None:
        if not self._pg.closed:
            with contextlib.suppress(self._psycopg.Error):
                self._pg.execute("ROLLBACK")

    # -- writes ---------------------------------------------------------------------------------
    def _append(self, table: str, rows: pa.Table) -> None:
        if rows.num_rows == 0:
            return
        columns = [rows.column(i).to_pylist() for i in range(rows.num_columns)]
        names = ", ".join(rows.column_names)
        with self._pg.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)

    def _clear_coding(self, doc_ids: list[str], errors: list[str | None],
                      extractor: str) -> None:
        self._execute("DELETE FROM mentions WHERE doc_id = ANY(?)", [doc_ids])
        self._execute("DELETE FROM events WHERE doc_id = ANY(?)", [doc_ids])
        self._execute("UPDATE documents SET coded_with = CASE WHEN c.error IS NULL THEN "
                      "?::VARCHAR END, coding_error = c.error FROM (SELECT unnest(?::VARCHAR[]) "
                      "AS id, unnest(?::VARCHAR[]) AS error) c WHERE documents.id = c.id",
                      [extractor, doc_ids, errors])

    def _update_outlets(self, outlets: dict[str, str]) -> None:
        self._execute("UPDATE documents SET outlet = o.outlet FROM (SELECT unnest(?::VARCHAR[]) "
                      "AS id, unnest(?::VARCHAR[]) AS outlet) o WHERE documents.id = o.id",
                      [list(outlets), list(outlets.values())])

    # -- reads ----------------------------------------------------------------------------------
    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        return {r[0] for r in self._execute("SELECT id FROM documents WHERE id = ANY(?)",
                                            [ids]).fetchall()}

    def _bucket_matches(self, pos: list[int], bands: list[int],
                        buckets: list[int]) -> list[tuple[int, str]]:
        return self._execute(
            "SELECT DISTINCT p.pos, b.doc_id FROM (SELECT unnest(?::INTEGER[]) AS pos, "
            "unnest(?::SMALLINT[]) AS band, unnest(?::NUMERIC[]) AS bucket) p "
            "JOIN document_buckets b ON b.band = p.band AND b.bucket = p.bucket",
            [pos, bands, [Decimal(b) for b in buckets]]).fetchall()

    def signatures(self, doc_ids: Iterable[str]) -> dict[str, tuple[bytes, str | None]]:
        ids = list(doc_ids)
        if not ids:
            return {}
        rows = self._execute("SELECT id, minhash, duplicate_of FROM documents "
                             "WHERE id = ANY(?)", [ids]).fetchall()
        return {r[0]: (bytes(r[1]), r[2]) for r in rows}

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """A query in the SQL both databases speak, with ``?`` parameters."""
        cur = self._execute(sql, params)
        names = [d.name for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _listing_dialect(self) -> str:
        return "postgres"

    # -- tables as Arrow ------------------------------------------------------------------------
    def table_batches(self, table: str, where: str = "", params: Sequence[Any] = (),
                      columns: Sequence[str] | None = None,
                      order: str | None = None) -> Iterator[pa.Table]:
        """Rows of a table as Arrow tables of the DuckDB store's types (the same schema), a
        few thousand rows at a time: the analysis copy, ``migrate`` and Parquet shards."""
        schema = arrow_schema(table)
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        select = ", ".join(f"{f.name}::text" if _is_json(table, f.name) else f.name
                           for f in schema)
        sql = f"SELECT {select} FROM {table}" + (f" WHERE {where}" if where else "") \
            + (f" ORDER BY {order}" if order else "")
        with self._pg.cursor() as cur:
            cur.execute(pg_sql(sql), list(params))
            while rows := cur.fetchmany(FETCH_ROWS):
                yield pa.table({f.name: pa.array([_plain(r[i]) for r in rows], f.type)
                                for i, f in enumerate(schema)}, schema=schema)

    def _analysis_copy(self) -> duckdb.DuckDBPyConnection:
        global copies_made
        copies_made += 1
        con = duckdb.connect(":memory:")
        _create_schema(con)
        if self._pg.info.transaction_status == self._psycopg.pq.TransactionStatus.IDLE:
            # one snapshot of every table, not each as it was when its turn came
            with self._pg.transaction():
                self._execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                _fill(con, self, ANALYSED)
        else:
            _fill(con, self, ANALYSED)
        return con


def _fill(con: duckdb.DuckDBPyConnection, store: Store, tables: Sequence[str]) -> None:
    for table in tables:
        names = [f.name for f in arrow_schema(table) if (table, f.name) != ("documents", "text")]
        text = ", '' AS text" if table == "documents" else ""  # the text stays in PostgreSQL
        for part in store.table_batches(table, columns=names):
            con.register("_incoming", part)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT *{text} FROM _incoming")
            finally:
                con.unregister("_incoming")


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The current schema in an empty DuckDB database (the migrations, in order)."""
    con.execute("CREATE TABLE schema_version "
                "(version INTEGER, description VARCHAR, applied_at TIMESTAMP)")
    for _, _, sql in MIGRATIONS:
        con.execute(sql)


_SCHEMAS: dict[str, pa.Schema] = {}
_JSON: dict[str, set[str]] = {}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a table of the current schema, as DuckDB gives it."""
    if table not in _SCHEMAS:
        con = duckdb.connect(":memory:")
        try:
            _create_schema(con)
            for name in ("schema_version", *TABLES):
                _SCHEMAS[name] = con.sql(f"SELECT * FROM {name} LIMIT 0").to_arrow_table().schema
                _JSON[name] = {r[0] for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "AND data_type = 'JSON'", [name]).fetchall()}
        finally:
            con.close()
    return _SCHEMAS[table]


def _is_json(table: str, column: str) -> bool:
    arrow_schema(table)
    return column in _JSON[table]


def _plain(value: Any) -> Any:
    """A PostgreSQL value as Arrow takes it (NUMERIC buckets as integers, BYTEA as bytes)."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def copy_store(source: Store, target: Store) -> dict[str, int]:
    """Every row of ``source`` into ``target``, which must hold no documents or batches; one
    transaction on the target, so a failed copy leaves it as it was. Returns the rows copied
    per table."""
    if target.count("batches") or target.count("documents"):
        raise StoreError(f"{target.path}: not empty ({target.count('documents')} documents, "
                         f"{target.count('batches')} batches); migrate copies into an empty "
                         f"store only")
    copied = {}
    target.begin_batch("migrate")
    try:
        # begin_batch wrote a batch row of its own: the source's batches replace it
        target._run("DELETE FROM batches")
        for table in ("batches", "documents", "document_buckets", "sources", "mentions",
                      "events"):
            copied[table] = 0
            for part in source.table_batches(table):
                target._append(table, part)
                copied[table] += part.num_rows
        target._commit()
    except BaseException:
        target.rollback()
        raise
    return copied
