"""Readers: turn files, folders, globs, stdin and archives into raw items for the clean stage.

Readers never stop a batch: a file or record that cannot be read becomes an ``InputError``
(one line naming it and the reason) and the rest goes on.
"""

from __future__ import annotations

import bz2
import csv
import glob
import gzip
import io
import json
import lzma
import os
import stat
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from blocwatch.clean import decode_bytes, looks_binary
from blocwatch.safety import fault, path_text, printable, scrub, too_deep

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
CSV_SUFFIXES = {".csv", ".tsv"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | CSV_SUFFIXES
# Files that describe a folder rather than report news: skipped when walking folders, and
# counted in the summary (named explicitly, they are read like any other file). Only the names
# folders use for their own metadata: a news file called "sources.txt" is news.
FOLDER_DOCS = ("readme", "license", "licence")
COMPRESSED = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}

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

MB = 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * MB  # one text/HTML page larger than this is not an article
MAX_RECORD_CHARS = 2_000_000
#: A whole .json or .csv file is parsed in memory: larger collections belong in JSON lines,
#: which are streamed.
MAX_COLLECTION_BYTES = 200 * MB
#: Bytes one compressed file may inflate to, and the ratio above which a large file is taken
#: for a decompression bomb (news text compresses about 3-10 times).
MAX_INFLATED_BYTES = 4096 * MB
MAX_RATIO = 100
RATIO_FROM = 64 * MB
MAX_LINE_BYTES = 16 * MB  # one JSON line (a record of at most MAX_RECORD_CHARS characters)


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
        return printable(f"{self.origin}: {self.reason}")


@dataclass
class Skipped:
    """A file left out on purpose (a folder's README or licence, a link out of the folder)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return printable(f"{self.path}: {self.reason}")


class LimitError(ValueError):
    """An input over one of the read limits: named, refused, and the batch goes on."""


@dataclass
class ReadOptions:
    """How to read records: column mapping for JSON/CSV and limits."""

    fields: dict[str, str] = field(default_factory=dict)  # canonical field -> column name
    max_bytes: int = MAX_DOCUMENT_BYTES  # one text or HTML file
    delimiter: str | None = None
    max_collection_bytes: int = MAX_COLLECTION_BYTES  # one .json or .csv file
    max_inflated_bytes: int = MAX_INFLATED_BYTES  # what one compressed file may inflate to
    max_record_chars: int = MAX_RECORD_CHARS  # one record's text
    max_line_bytes: int = MAX_LINE_BYTES  # one JSON line


# -- finding sources ----------------------------------------------------------------------------
def _suffixes(path: str) -> tuple[str, bool]:
    """The format suffix of a path and whether it is compressed (``a.jsonl.gz`` -> .jsonl,
    True; also ``.bz2`` and ``.xz``)."""
    name = path.lower()
    packed = Path(name).suffix in COMPRESSED
    if packed:
        name = name[: -len(Path(name).suffix)]
    return Path(name).suffix, packed


def find_sources(paths: list[str], exclude: Iterable[str] = (), follow_links: bool = False
                 ) -> Iterator[SourceFile | InputError | Skipped]:
    """Expand paths, folders (recursively) and globs into input files, in a stable order.

    ``exclude`` names files never to read (the database being written, and its WAL). Inside a
    folder, links that lead out of it are not followed unless ``follow_links``: a folder of
    scraped news must not pull in ``/etc`` through a link.
    """
    skip = {os.path.abspath(p) for p in exclude}
    for found in _find(paths, follow_links):
        where = found.origin if isinstance(found, InputError) else found.path
        if os.path.abspath(where) in skip:
            continue
        yield found


def _find(paths: list[str], follow_links: bool) -> Iterator[SourceFile | InputError | Skipped]:
    for raw in paths:
        if raw == "-":
            yield SourceFile("-")
            continue
        if not raw.strip():
            yield InputError(repr(raw), "an empty path names no file")
            continue
        if glob.has_magic(raw) and not os.path.lexists(raw):  # a real name is taken literally
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield InputError(raw, "no file matches this pattern")
            for m in matches:
                yield from _from_path(m, follow_links)
            continue
        yield from _from_path(raw, follow_links)


def _from_path(raw: str, follow_links: bool) -> Iterator[SourceFile | InputError | Skipped]:
    path = Path(raw)
    try:
        if path.is_dir():
            yield from _walk(raw, follow_links)
            return
        if not path.exists():
            yield InputError(raw, "no such file or directory" if not path.is_symlink()
                             else "broken link")
            return
    except PermissionError:
        yield InputError(raw, "permission denied")
        return
    yield from _stat(raw)


def _walk(top: str, follow_links: bool) -> Iterator[SourceFile | InputError | Skipped]:
    root_real = os.path.realpath(top)

    def unreadable(err: OSError) -> None:
        problems.append(InputError(err.filename or top, f"folder not readable "
                                                         f"({err.strerror or err})"))

    problems: list[InputError] = []
    for root, dirs, files in os.walk(top, onerror=unreadable, followlinks=follow_links):
        yield from problems
        problems.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            full = os.path.join(root, name)
            if name.startswith("."):
                continue  # hidden: editors' and tools' own files
            if name.lower().startswith(FOLDER_DOCS):
                yield Skipped(full, "skipped: the folder's own README or licence")
                continue
            if not follow_links and os.path.islink(full):
                real = os.path.realpath(full)
                if os.path.commonpath([root_real, real]) != root_real:
                    yield Skipped(full, "skipped: a link out of the folder (--follow-links "
                                        "reads it)")
                    continue
            suffix, _ = _suffixes(name)
            if suffix not in KNOWN_SUFFIXES and not archive_kind(name):
                yield InputError(full, f"skipped: unsupported file type '{suffix or name}'")
                continue
            yield from _stat(full)
    yield from problems


def _stat(path: str) -> Iterator[SourceFile | InputError]:
    try:
        st = os.stat(path)
    except OSError as exc:
        yield InputError(path, exc.strerror or str(exc))
        return
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a socket"
                if stat.S_ISSOCK(st.st_mode) else "a device")
        yield InputError(path, f"not a regular file ({kind}); give its content on stdin")
        return
    yield SourceFile(path, st.st_size, st.st_mtime)


# -- reading ------------------------------------------------------------------------------------
CHUNK = 1024 * 1024  # bytes inflated at a time
_MAGIC = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz"}


class _Bounded(io.RawIOBase):
    """A decompressing stream that stops at a size limit, and at a ratio that only a bomb
    reaches, before the bytes are in memory: nothing is ever inflated whole."""

    def __init__(self, inner: BinaryIO, packed_size: int | None, limit: int, what: str):
        self.inner, self.packed_size, self.limit, self.what = inner, packed_size, limit, what
        self.seen = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        try:
            data = self.inner.read(min(len(buffer), CHUNK))  # counted before it grows
        except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
            raise ValueError(f"corrupt {self.what} data ({exc})") from exc
        n = len(data)
        buffer[:n] = data
        self.seen += n
        if self.seen > self.limit:
            raise LimitError(f"{self.what} data inflates to over {self.limit / MB:,.0f} MB "
                             f"(limit; --max-inflated-mb)")
        if (self.packed_size and self.seen > RATIO_FROM
                and self.seen > MAX_RATIO * self.packed_size):
            raise LimitError(f"{self.what} data inflates over {MAX_RATIO} times its size: a "
                             f"decompression bomb, refused")
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


def _decompressing(raw: BinaryIO, name: str | None, packed_size: int | None,
                   options: ReadOptions | None) -> BinaryIO:
    """``raw`` decompressed (gzip, bzip2, xz) by its magic bytes or its name, with the
    inflation limits of ``options``; ``raw`` itself when it is not compressed."""
    if not hasattr(raw, "peek"):
        raw = io.BufferedReader(raw)  # type: ignore[arg-type]
    head = raw.peek(6)[:6]
    what = next((kind for magic, kind in _MAGIC.items() if head.startswith(magic)), None)
    if what is None and name is not None:
        what = COMPRESSED.get(Path(name.lower()).suffix)
    if what is None:
        return raw
    opener = {"gzip": lambda: gzip.GzipFile(fileobj=raw), "bzip2": lambda: bz2.BZ2File(raw),
              "xz": lambda: lzma.LZMAFile(raw)}[what]  # noqa: SIM115 - closed by the caller
    inner = opener()
    limit = (options or ReadOptions()).max_inflated_bytes
    return io.BufferedReader(_Bounded(inner, packed_size, limit, what),  # type: ignore[return-value]
                             buffer_size=1024 * 1024)


def _open_binary(src: SourceFile, options: ReadOptions | None = None) -> BinaryIO:
    """The input as a binary stream, decompressed by its magic bytes or name."""
    raw: BinaryIO = sys.stdin.buffer if src.is_stdin else open(src.path, "rb")  # noqa: SIM115
    return _decompressing(raw, None if src.is_stdin else src.path, src.size, options)


@dataclass
class _Input:
    """One stream to read articles from: a file, stdin, or a member of an archive."""

    origin: str  # how errors name it
    name: str  # for its format suffix
    open: Callable[[], BinaryIO]  # a fresh, decompressed stream
    size: int | None  # bytes as stored (compressed size for a compressed file)
    packed: bool
    sniff: bool  # format from the content (stdin, unknown suffixes)
    close: bool = True


def _read_bytes(inp: _Input, limit: int | None) -> bytes:
    stream = inp.open()
    try:
        head = stream.read(65536)
        if head and looks_binary(head):  # refuse a binary file (or a bomb of zeros) early
            raise ValueError("binary data, not text")
        rest = stream.read() if limit is None else stream.read(max(0, limit + 1 - len(head)))
        return head + rest
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise ValueError(f"corrupt compressed data ({exc})") from exc
    finally:
        if inp.close:
            stream.close()


def _iter_lines(inp: _Input, options: ReadOptions) -> Iterator[tuple[int, str] | InputError]:
    """Lines of a JSON-lines file, streamed: a file of any size is read in constant memory,
    and a line over the limit is skipped without being held whole."""
    origin = inp.origin
    try:
        stream = inp.open()
    except OSError as exc:
        yield InputError(origin, exc.strerror or str(exc))
        return
    limit = options.max_line_bytes
    try:
        lineno = 0
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            lineno += 1
            if len(line) > limit and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # drain the rest of the long line
                    line = stream.readline(limit + 1)
                yield InputError(f"{origin}:{lineno}", f"line longer than {limit / MB:.0f} MB, "
                                                       f"skipped")
                continue
            if lineno == 1 and looks_binary(line[:65536]):
                yield InputError(origin, "binary data, not text")
                return
            yield lineno, decode_bytes(line)
    except ValueError as exc:  # LimitError too
        yield InputError(origin, str(exc))
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        yield InputError(origin, f"corrupt compressed data ({exc})")
    finally:
        if inp.close:
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
    origin = "<stdin>" if src.is_stdin else path_text(src.path)
    if not src.is_stdin and archive_kind(src.path):
        yield from _read_archive(src, origin, options)
        return
    suffix, packed = _suffixes(src.path)
    yield from _read_input(_Input(origin, src.path, lambda: _open_binary(src, options), src.size,
                                  packed, src.is_stdin or suffix not in KNOWN_SUFFIXES,
                                  close=not src.is_stdin), options)


def _read_input(inp: _Input, options: ReadOptions) -> Iterator[RawItem | InputError]:
    suffix, _ = _suffixes(inp.name)
    origin = inp.origin
    if suffix in {".jsonl", ".ndjson"} and not inp.sniff:
        yield from _nonempty(origin, _read_jsonl(origin, _iter_lines(inp, options), options))
        return
    collection = suffix in JSON_SUFFIXES | CSV_SUFFIXES or inp.sniff
    limit = options.max_collection_bytes if collection else options.max_bytes
    if inp.size is not None and not inp.packed and inp.size > limit:
        yield InputError(origin, _too_large(inp.size, limit, collection))
        return
    try:
        data = _read_bytes(inp, limit)
    except PermissionError:
        yield InputError(origin, "permission denied")
        return
    except (OSError, ValueError) as exc:
        yield InputError(origin, str(exc) if isinstance(exc, ValueError) else
                         (exc.strerror or str(exc)))
        return
    if len(data) > limit:
        yield InputError(origin, _too_large(None, limit, collection))
        return
    if not data.strip():
        yield InputError(origin, "empty file")
        return
    if looks_binary(data[:65536]):
        yield InputError(origin, "binary data, not text")
        return
    text = decode_bytes(data)
    del data
    kind = suffix
    if inp.sniff:
        kind = {"jsonl": ".jsonl", "json": ".json", "html": ".html", "text": ".txt"}[
            sniff_kind(text)]
    fault("read", text)
    if kind in HTML_SUFFIXES:
        yield RawItem(origin, origin, "html", text)
    elif kind == ".jsonl":
        yield from _nonempty(origin, _read_jsonl(origin, enumerate(text.splitlines(), 1),
                                                 options))
    elif kind in JSON_SUFFIXES:
        yield from _nonempty(origin, _read_json(origin, text, options))
    elif kind in CSV_SUFFIXES:
        yield from _nonempty(origin, _read_csv(origin, text, options, kind == ".tsv"))
    else:
        yield RawItem(origin, origin, "text", text)


# -- archives -----------------------------------------------------------------------------------
ARCHIVES = {".zip": "zip", ".tar": "tar", ".tgz": "tar", ".tbz2": "tar", ".txz": "tar",
            ".tar.gz": "tar", ".tar.bz2": "tar", ".tar.xz": "tar"}
#: Members one archive may hold: a news dump has thousands; millions is an attack.
MAX_MEMBERS = 100_000


def archive_kind(path: str) -> str | None:
    """``zip`` or ``tar`` for an archive's name, else None."""
    name = path.lower()
    return next((kind for ext, kind in ARCHIVES.items() if name.endswith(ext)), None)


def _outside(name: str) -> bool:
    """Whether a member's path leads out of the archive (absolute, ``..``, a drive)."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]


def _read_archive(src: SourceFile, origin: str, options: ReadOptions
                  ) -> Iterator[RawItem | InputError]:
    """The articles of every member of a .zip or .tar(.gz/.bz2/.xz) archive, read in place (no
    member is written to disk), with the same limits as files: each member's inflated size, the
    archive's total and its number of members. Archives inside archives are not opened."""
    budget = [options.max_inflated_bytes]  # what the members may inflate to, together

    def member_input(name: str, opener: Callable[[], BinaryIO], packed_size: int | None,
                     size: int | None) -> _Input:
        def opened() -> BinaryIO:
            stream = _Bounded(opener(), packed_size, budget[0], "archive member")
            return io.BufferedReader(_Counted(stream, budget), buffer_size=1024 * 1024)

        packed = Path(name.lower()).suffix in COMPRESSED
        member_origin = f"{origin}!{path_text(name)}"
        return _Input(member_origin, name, (lambda: _decompressing(opened(), name, size, options))
                      if packed else opened, size, packed,
                      sniff=_suffixes(name)[0] not in KNOWN_SUFFIXES)

    members = 0
    seen = False
    try:
        for name, opener, packed_size, size in _members(src, options):
            members += 1
            if members > MAX_MEMBERS:
                yield InputError(origin, f"over {MAX_MEMBERS:,} members: the rest is refused")
                return
            if _outside(name):
                yield InputError(f"{origin}!{path_text(name)}",
                                 "a path outside the archive, skipped")
                continue
            base = name.rsplit("/", 1)[-1]
            if not base or base.startswith(".") or base.lower().startswith(FOLDER_DOCS):
                continue
            if archive_kind(name):
                yield InputError(f"{origin}!{path_text(name)}", "an archive inside an archive, "
                                                                "not opened")
                continue
            suffix, _ = _suffixes(name)
            if suffix not in KNOWN_SUFFIXES:
                yield InputError(f"{origin}!{path_text(name)}",
                                 f"skipped: unsupported file type '{suffix or base}'")
                continue
            seen = True
            for item in _read_input(member_input(name, opener, packed_size, size), options):
                yield item
                if isinstance(item, InputError) and "inflates" in item.reason:
                    return  # a bomb: the stream around the rest is not worth reading
            if budget[0] <= 0:
                yield InputError(origin, f"members inflate to over "
                                         f"{options.max_inflated_bytes / MB:,.0f} MB together "
                                         f"(limit; --max-inflated-mb): the rest is refused")
                return
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError, zipfile.BadZipFile,
            tarfile.TarError) as exc:
        yield InputError(origin, f"corrupt archive ({exc})")
        return
    if not seen:
        yield InputError(origin, "no articles in this archive")


class _Counted(io.RawIOBase):
    """Counts what the members of one archive inflate to, together, against one budget."""

    def __init__(self, inner: io.RawIOBase, budget: list[int]):
        self.inner, self.budget = inner, budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self.inner.readinto(buffer)
        self.budget[0] -= n or 0
        if self.budget[0] < 0:
            raise LimitError("archive members inflate past --max-inflated-mb together")
        return n or 0

    def close(self) -> None:
        self.inner.close()
        super().close()


def _members(src: SourceFile, options: ReadOptions
             ) -> Iterator[tuple[str, Callable[[], BinaryIO], int | None, int | None]]:
    """(name, opener, compressed size, stored size) of each regular member, in order."""
    if archive_kind(src.path) == "zip":
        with zipfile.ZipFile(src.path) as zf:
            for info in sorted(zf.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                yield (info.filename, lambda info=info: zf.open(info), info.compress_size,
                       info.file_size)
        return
    raw = _open_binary(src, options)  # the .gz/.bz2/.xz around a tar, bounded
    try:
        with tarfile.open(fileobj=raw, mode="r|") as tf:
            for member in tf:
                if not member.isfile():
                    continue
                stream = tf.extractfile(member)
                if stream is None:
                    continue
                yield member.name, (lambda stream=stream: stream), None, member.size
    finally:
        raw.close()


def _too_large(size: int | None, limit: int, collection: bool) -> str:
    what = (f"{size / MB:,.1f} MB > {limit / MB:,.2f} MB" if size is not None
            else f"over {limit / MB:,.2f} MB")
    if collection:
        return (f"file too large ({what} limit for a JSON array or CSV file, read whole; use "
                f"JSON lines, which are streamed, or --max-collection-mb)")
    return f"file too large ({what} limit for one article; --max-mb)"


def _nonempty(origin: str, items: Iterable[RawItem | InputError]
              ) -> Iterator[RawItem | InputError]:
    """The items of a record file, or one line saying it held no records at all."""
    seen = False
    for item in items:
        seen = True
        yield item
    if not seen:
        yield InputError(origin, "no records (an empty file, array or table)")


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
        if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            value = ", ".join(str(v) for v in value) if name != "text" else "\n\n".join(
                str(v) for v in value)
        if isinstance(value, (dict, list)):
            out.setdefault("_ignored", []).append(name)  # an object where a value belongs
            continue
        if isinstance(value, str):
            value = scrub(value)
        if value is not None and value != "" and not isinstance(value, bool):
            out[name] = value
    return out


_KINDS = {int: "a number", float: "a number", str: "a string", list: "a list",
          bool: "true or false", type(None): "null"}


def _record_item(origin: str, source: str, record: Any,
                 options: ReadOptions) -> RawItem | InputError:
    if not isinstance(record, dict):
        kind = _KINDS.get(type(record), "a value")
        return InputError(origin, f"record is {kind}, not an object")
    if too_deep(record):
        return InputError(origin, "record nested too deeply")
    meta = _pick(record, options)
    if "text" in meta:
        kind, content = "text", meta.pop("text")
    elif "html" in meta:
        kind, content = "html", meta.pop("html")
    elif "text" in meta.get("_ignored", ()) or "html" in meta.get("_ignored", ()):
        return InputError(origin, "text field is an object or a list, not a string")
    else:
        wanted = options.fields.get("text", "text")
        return InputError(origin, f"no '{wanted}' field (columns: "
                                  f"{', '.join(map(str, list(record)[:8]))})")
    meta.pop("html", None)
    if not isinstance(content, str):
        return InputError(origin, "text field is not a string")
    if len(content) > options.max_record_chars:
        return InputError(origin, f"text too long ({len(content):,} characters > "
                                  f"{options.max_record_chars:,})")
    if not content.strip():
        return InputError(origin, "empty text")
    fault("read", content)
    return RawItem(origin, source, kind, content, meta)


def _read_json(origin: str, text: str, options: ReadOptions) -> Iterator[RawItem | InputError]:
    """A .json file: an array of records, one record, or JSON lines under a .json name."""
    stripped = text.lstrip()
    try:
        value = json.loads(stripped)
    except RecursionError:
        yield InputError(origin, "malformed JSON (nested too deeply)")
        return
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
            if entry.origin == origin:  # the file itself failed; a line's error is one line's
                return
            continue
        lineno, line = entry
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            yield InputError(f"{origin}:{lineno}", "malformed JSON line (nested too deeply)")
            continue
        except json.JSONDecodeError as exc:
            yield InputError(f"{origin}:{lineno}", f"malformed JSON line ({exc.msg})")
            continue
        yield _record_item(f"{origin}:{lineno}", origin, record, options)


def _read_csv(origin: str, text: str, options: ReadOptions,
              tsv: bool) -> Iterator[RawItem | InputError]:
    csv.field_size_limit(options.max_record_chars * 4)
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
