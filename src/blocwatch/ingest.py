"""Readers: turn files, folders, globs, stdin and archives into raw items for the clean stage.

Readers never stop a batch: a file or record that cannot be read becomes an ``InputError``
(one line naming it and the reason) and the rest goes on.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from blocwatch.clean import decode_bytes, looks_binary

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES
# Files that describe a folder rather than report news: skipped when walking folders
# (named explicitly, they are read like any other file).
FOLDER_DOCS = ("readme", "license", "licence", "changelog", "source", "attribution", "notice")

# Column names that commonly carry each field, in order of preference.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "full_text", "story",
             "maintext", "articlebody"),
    "html": ("html", "raw_html", "page"),
    "title": ("title", "headline", "heading", "head"),
    "date": ("date", "published", "pubdate", "publication_date", "published_at",
             "date_publish", "datetime", "publish_date", "timestamp"),
    "url": ("url", "link", "source_url", "href"),
    "outlet": ("outlet", "source", "publisher", "site", "sitename", "site_name", "media",
               "source_name", "newspaper"),
    "section": ("section", "category", "desk"),
    "author": ("author", "byline", "authors"),
    "id": ("id", "doc_id", "article_id", "guid"),
}

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # one text/HTML page larger than this is not an article
MAX_RECORD_CHARS = 2_000_000


@dataclass
class SourceFile:
    """One input: a path on disk, or '-' for standard input."""

    path: str
    size: int | None = None
    mtime: float | None = None

    @property
    def is_stdin(self) -> bool:
        return self.path == "-"


@dataclass
class RawItem:
    """One article as read, before cleaning: its text or HTML and the metadata its record gave."""

    origin: str  # file, or file:line for records
    source_path: str
    kind: str  # "text" | "html"
    content: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class InputError:
    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class ReadOptions:
    """How to read records: column mapping for JSON/CSV and limits."""

    fields: dict[str, str] = field(default_factory=dict)  # canonical field -> column name
    max_bytes: int = MAX_DOCUMENT_BYTES
    delimiter: str | None = None


# -- finding sources ----------------------------------------------------------------------------
def _suffixes(path: str) -> tuple[str, bool]:
    """The format suffix of a path and whether it is gzipped (``a.jsonl.gz`` -> .jsonl, True)."""
    name = path.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    return Path(name).suffix, gz


def find_sources(paths: list[str], exclude: Iterable[str] = ()) -> Iterator[
        SourceFile | InputError]:
    """Expand paths, folders (recursively) and globs into input files, in a stable order.

    ``exclude`` names files never to read (the database being written, and its WAL).
    """
    skip = {os.path.abspath(p) for p in exclude}
    for found in _find(paths):
        if isinstance(found, SourceFile) and os.path.abspath(found.path) in skip:
            continue
        if isinstance(found, InputError) and os.path.abspath(found.origin) in skip:
            continue
        yield found


def _find(paths: list[str]) -> Iterator[SourceFile | InputError]:
    for raw in paths:
        if raw == "-":
            yield SourceFile("-")
            continue
        if glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield InputError(raw, "no file matches this pattern")
            for m in matches:
                yield from _from_path(m, explicit=False)
            continue
        yield from _from_path(raw, explicit=True)


def _from_path(raw: str, explicit: bool) -> Iterator[SourceFile | InputError]:
    path = Path(raw)
    try:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or name.lower().startswith(FOLDER_DOCS):
                        continue
                    full = os.path.join(root, name)
                    suffix, _ = _suffixes(name)
                    if suffix not in KNOWN_SUFFIXES:
                        yield InputError(full, f"skipped: unsupported file type '{suffix or name}'")
                        continue
                    yield from _stat(full)
            return
        if not path.exists():
            yield InputError(raw, "no such file or directory")
            return
    except PermissionError:
        yield InputError(raw, "permission denied")
        return
    yield from _stat(str(path))


def _stat(path: str) -> Iterator[SourceFile | InputError]:
    try:
        st = os.stat(path)
    except OSError as exc:
        yield InputError(path, exc.strerror or str(exc))
        return
    yield SourceFile(path, st.st_size, st.st_mtime)


# -- reading ------------------------------------------------------------------------------------
def _open_binary(src: SourceFile) -> BinaryIO:
    """The input as a binary stream, gunzipped when it is gzip data."""
    raw: BinaryIO = sys.stdin.buffer if src.is_stdin else open(src.path, "rb")  # noqa: SIM115
    head = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
    if src.path.lower().endswith(".gz") or head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
    return raw


def _read_bytes(src: SourceFile, limit: int | None) -> bytes:
    stream = _open_binary(src)
    try:
        return stream.read() if limit is None else stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"corrupt gzip data ({exc})") from exc
    finally:
        if not src.is_stdin:
            stream.close()


def _iter_lines(src: SourceFile, origin: str) -> Iterator[tuple[int, str] | InputError]:
    """Lines of a JSON-lines file, streamed: a file of any size is read in constant memory."""
    stream = _open_binary(src)
    try:
        for lineno, line in enumerate(stream, 1):
            if lineno == 1 and looks_binary(line[:65536]):
                yield InputError(origin, "binary data, not text")
                return
            yield lineno, decode_bytes(line)
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(origin, f"corrupt gzip data ({exc})")
    finally:
        if not src.is_stdin:
            stream.close()


def sniff_kind(text: str) -> str:
    """Format of unnamed input (stdin): jsonl, json, html or text."""
    head = text.lstrip()[:2000].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith("["):
        return "json"
    if head.startswith("<!doctype html") or head.startswith("<html") or "<body" in head:
        return "html"
    return "text"


def read_source(src: SourceFile, options: ReadOptions) -> Iterator[RawItem | InputError]:
    """Every article in one input, or the errors that kept them out."""
    suffix, gz = _suffixes(src.path)
    origin = "<stdin>" if src.is_stdin else src.path
    if suffix in {".jsonl", ".ndjson"}:
        yield from _read_jsonl(origin, _iter_lines(src, origin), options)
        return
    streaming = suffix in JSON_SUFFIXES | CSV_SUFFIXES
    limit = None if streaming else options.max_bytes
    if limit is not None and src.size is not None and not gz and src.size > limit:
        yield InputError(origin, f"file too large ({src.size / 1e6:.1f} MB > "
                                 f"{limit / 1e6:.2f} MB limit for one article)")
        return
    try:
        data = _read_bytes(src, limit)
    except PermissionError:
        yield InputError(origin, "permission denied")
        return
    except (OSError, ValueError) as exc:
        yield InputError(origin, str(exc) if isinstance(exc, ValueError) else
                         (exc.strerror or str(exc)))
        return
    if limit is not None and len(data) > limit:
        yield InputError(origin, f"file too large (over {limit / 1e6:.2f} MB for one article)")
        return
    if not data.strip():
        yield InputError(origin, "empty file")
        return
    if looks_binary(data[:65536]):
        yield InputError(origin, "binary data, not text")
        return
    text = decode_bytes(data)
    kind = suffix
    if src.is_stdin or suffix not in KNOWN_SUFFIXES:
        kind = {"jsonl": ".jsonl", "json": ".json", "html": ".html", "text": ".txt"}[
            sniff_kind(text)]
    if kind in HTML_SUFFIXES:
        yield RawItem(origin, origin, "html", text)
    elif kind == ".jsonl":
        yield from _read_jsonl(origin, enumerate(text.splitlines(), 1), options)
    elif kind in JSON_SUFFIXES:
        yield from _read_json(origin, text, options)
    elif kind in CSV_SUFFIXES:
        yield from _read_csv(origin, text, options, kind == ".tsv")
    else:
        yield RawItem(origin, origin, "text", text)


def _pick(record: dict[str, Any], options: ReadOptions) -> dict[str, Any]:
    """Map a record's columns onto blocwatch fields (explicit mapping first, then aliases)."""
    lowered = {str(k).strip().lower(): v for k, v in record.items() if k is not None}
    out: dict[str, Any] = {}
    for name, aliases in FIELD_ALIASES.items():
        column = options.fields.get(name)
        if column is not None:
            value = record.get(column, lowered.get(column.lower()))
        else:
            value = next((lowered[a] for a in aliases if lowered.get(a) not in (None, "")), None)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) if name != "text" else "\n\n".join(
                str(v) for v in value)
        if value not in (None, ""):
            out[name] = value
    return out


def _record_item(origin: str, source: str, record: Any,
                 options: ReadOptions) -> RawItem | InputError:
    if not isinstance(record, dict):
        return InputError(origin, f"record is a {type(record).__name__}, not an object")
    meta = _pick(record, options)
    if "text" in meta:
        kind, content = "text", meta.pop("text")
    elif "html" in meta:
        kind, content = "html", meta.pop("html")
    else:
        wanted = options.fields.get("text", "text")
        return InputError(origin, f"no '{wanted}' field (columns: "
                                  f"{', '.join(map(str, list(record)[:8]))})")
    meta.pop("html", None)
    if not isinstance(content, str):
        return InputError(origin, "text field is not a string")
    if len(content) > MAX_RECORD_CHARS:
        return InputError(origin, f"text too long ({len(content):,} characters)")
    if not content.strip():
        return InputError(origin, "empty text")
    return RawItem(origin, source, kind, content, meta)


def _read_json(origin: str, text: str, options: ReadOptions) -> Iterator[RawItem | InputError]:
    """A .json file: an array of records, one record, or JSON lines under a .json name."""
    stripped = text.lstrip()
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError as exc:
        if stripped.startswith("{") and "\n" in stripped.strip():
            yield from _read_jsonl(origin, enumerate(text.splitlines(), 1), options)
        else:
            yield InputError(origin, f"malformed JSON ({exc.msg} at line {exc.lineno})")
        return
    if isinstance(value, list):
        for i, record in enumerate(value, 1):
            yield _record_item(f"{origin}[{i}]", origin, record, options)
    else:
        yield _record_item(origin, origin, value, options)


def _read_jsonl(origin: str, lines: Iterable[tuple[int, str] | InputError],
                options: ReadOptions) -> Iterator[RawItem | InputError]:
    for entry in lines:
        if isinstance(entry, InputError):
            yield entry
            return
        lineno, line = entry
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{origin}:{lineno}", f"malformed JSON line ({exc.msg})")
            continue
        yield _record_item(f"{origin}:{lineno}", origin, record, options)


def _read_csv(origin: str, text: str, options: ReadOptions,
              tsv: bool) -> Iterator[RawItem | InputError]:
    csv.field_size_limit(MAX_RECORD_CHARS * 4)
    delimiter = options.delimiter or ("\t" if tsv else None)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], ",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames:
        yield InputError(origin, "CSV without a header row")
        return
    start = reader.line_num + 1
    try:
        for record in reader:
            where = f"{origin}:{start}"  # the line the row starts on, as an editor shows it
            start = reader.line_num + 1
            if None in record:
                extra = len(record[None])
                yield InputError(where, f"malformed CSV row ({len(record) - 1 + extra} fields, "
                                        f"header has {len(reader.fieldnames)})")
                continue
            if any(v is None for v in record.values()) and not any(
                    (record.get(c) or "").strip() for c in reader.fieldnames[1:]):
                yield InputError(where, "malformed CSV row (too few fields)")
                continue
            yield _record_item(where, origin, record, options)
    except csv.Error as exc:
        yield InputError(f"{origin}:{reader.line_num}", f"malformed CSV ({exc})")
