"""The whole flow, top to bottom: read -> clean -> deduplicate -> code -> store.

Each stage is a pure function of its input (see the modules named below); this file only wires
them together and cuts the stream into batches, each committed in one transaction.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from blocwatch import clean, dedup, ingest
from blocwatch.dates import parse_date
from blocwatch.document import Document, Extracted, document_id
from blocwatch.events.records import DocumentCoding
from blocwatch.outlets import outlet_of_url
from blocwatch.safety import fault, log_exception, path_text, scrub
from blocwatch.store import Store, StoreError

DEFAULT_BATCH_SIZE = 500
#: A batch is committed after this many seconds of coding even when it is not full, so a
#: killed run loses seconds of work, not the run.
DEFAULT_COMMIT_SECONDS = 10.0
#: Error lines printed per input file; the rest are counted in one summary line.
MAX_ERROR_LINES = 20
#: A tag this long holds thousands of attributes: lxml takes minutes on one, and no news page
#: has one. Found in linear time (the class stops at the next angle bracket).
HUGE_TAG = re.compile(r"<[^<>]{65536}")
#: A word of two letters or more: a text with fewer than two is no article (stray bytes that
#: happen to decode to a letter, page furniture).
WORD = re.compile(r"[^\W\d_]{2,}")
# Documents per spaCy batch: long articles make big batches costly in memory (32 took 1.2 GB
# on the Wikinews benchmark, 8 takes 0.85 GB) and small ones cost no speed.
NLP_BATCH = 8


#: Characters coded in one piece. Longer texts (a long feature, a book-length record, a page
#: dump of a whole site) are coded in parts cut at paragraph or sentence ends and joined
#: again, rather than refused: spaCy's memory grows with the length of what it reads at once
#: (its NER took 200 MB more on one 12,000-word text). At 20,000 characters (about 3,500
#: words, longer than most news articles) the Wikinews bench peaks at 0.73 GB instead of
#: 1.03 GB at 100,000, with the same events (bench/pipeline.py; docs/event-model.md).
CODING_CHARS = 20_000


@dataclass
class Coded:
    """What the coding stages found in one document."""

    actors: list = field(default_factory=list)  # actors.Mention
    places: list = field(default_factory=list)  # actors.Place
    events: list[dict] = field(default_factory=list)  # events in their JSON shape
    error: str | None = None  # coding failed: the document is stored uncoded, with the reason
    sentences: int = 0


def text_parts(text: str, size: int = CODING_CHARS) -> list[tuple[int, str]]:
    """``text`` as (offset, part) pieces of at most ``size`` characters, cut at the last
    paragraph, line or sentence end before the limit when there is one in its second half."""
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            half = start + size // 2
            for sep in ("\n\n", "\n", ". "):
                cut = text.rfind(sep, half, end)
                if cut > half:
                    end = cut + len(sep)
                    break
        out.append((start, text[start:end]))
        start = end
    return out


def _shift(value: dict | None, chars: int) -> None:
    if isinstance(value, dict):
        for key in ("start", "end"):
            if isinstance(value.get(key), int):
                value[key] += chars


def _joined(doc_id: str, parts: list[tuple[int, Coded]]) -> Coded:
    """The codings of a long text's parts as one coding of the whole text."""
    import dataclasses

    whole = Coded()
    sentences = 0
    for offset, c in parts:
        if c.error and not whole.error:
            whole.error = c.error
        whole.actors += [dataclasses.replace(m, start=m.start + offset, end=m.end + offset,
                                             sentence=m.sentence + sentences) for m in c.actors]
        whole.places += [dataclasses.replace(p, start=p.start + offset, end=p.end + offset,
                                             sentence=p.sentence + sentences) for p in c.places]
        for e in c.events:
            ev = e.get("evidence") or {}
            _shift(ev, offset)
            ev["doc_id"] = doc_id
            if isinstance(ev.get("sentence"), int):
                ev["sentence"] += sentences
            for key in ("trigger", "quantity", "location"):
                _shift(e.get(key), offset)
            for q in e.get("quantities") or []:
                _shift(q, offset)
            e.pop("id", None)
            whole.events.append(e)
        sentences += c.sentences
    whole.sentences = sentences
    if whole.error:  # one part failed: the document is stored uncoded, for recode
        whole.actors, whole.places, whole.events = [], [], []
    return whole


class DocumentCoder:
    """Actors and events of whole documents: the spaCy passes (passes.py), then the event
    layer on the parsed sentences. Built once per run: loading the reference data, the spaCy
    model and the event model is the expensive part.

    A document whose coding raises is coded alone again, and if it fails again it comes back
    with ``error`` set and nothing coded: one document never takes the batch down.
    """

    def __init__(self, actor_files: Iterable[str | Path] = (), model=None):
        from blocwatch.actors import get_coder  # spaCy loads only when something is coded
        from blocwatch.events.coder import EventCoder
        from blocwatch.passes import Passes

        self.actors = get_coder(tuple(str(f) for f in actor_files))
        self.passes = Passes(self.actors)
        self.events = EventCoder(model)
        self.plover = self.events.plover
        self.extractor = self.events.extractor

    def code_many(self, items: Iterable[tuple[str, str, date | None]], batch_size: int = NLP_BATCH,
                  n_process: int = 1, parse_all: bool = False) -> Iterator[DocumentCoding]:
        """Codings of (doc_id, text, published) items, in order; ``n_process`` > 1 codes whole
        batches in forked worker processes (the models are loaded once, before the fork)."""
        batches = chunks(iter(items), batch_size)
        if n_process <= 1:
            for chunk in batches:
                yield from self.code_chunk(chunk, parse_all)
            return
        yield from in_processes(self, batches, n_process, parse_all)

    def code(self, text: str, published: date | None = None, doc_id: str = "") -> DocumentCoding:
        return self.code_chunk([(doc_id, text, published)])[0]

    def code_chunk(self, chunk: list[tuple[str, str, date | None]],
                   parse_all: bool = False) -> list[DocumentCoding]:
        return isolated(lambda part: self._code_chunk(part, parse_all), chunk)

    def _code_chunk(self, chunk, parse_all: bool) -> list[DocumentCoding]:
        from blocwatch.quantities import find_quantities

        passes = self.passes.run(chunk, parse_all)
        coded = self.events.code_documents([dp.views for dp in passes], all_candidates=parse_all)
        return [DocumentCoding(dp.doc_id, dp.mentions, dp.places, events=events,
                               quantities=find_quantities(dp.text), candidates=candidates,
                               sentences=dp.sentences, parsed_sentences=len(dp.views))
                for dp, (events, candidates) in zip(passes, coded, strict=True)]


def document_coder(actor_files: Iterable[str | Path] = ()):
    """The document coder in use. Transition (issue 8): the rule coder stays the default until
    the learned model beats it on the held-apart tests; ``BLOCWATCH_CODER=model`` selects the
    model."""
    if os.environ.get("BLOCWATCH_CODER", "rules") == "model":
        return DocumentCoder(actor_files)
    from blocwatch.actors import get_coder
    from blocwatch.events_legacy import EventCoder

    return EventCoder(actor_coder=get_coder(tuple(str(f) for f in actor_files)))


class Coder:
    """What ingest and recode use: documents in, :class:`Coded` out. With ``pool`` (a
    :class:`~blocwatch.engine_ray.RayPool`) the chunks are coded by its workers instead."""

    def __init__(self, actor_files: Iterable[str | Path] = (), n_process: int = 1, pool=None):
        self.pool = pool
        self.documents = None if pool else document_coder(actor_files)
        self.n_process = n_process

    @property
    def extractor(self) -> str:
        """The extractor version stored with each coding; asked of the pool only when a part
        is written, so the run does not wait for a worker's models before it reads."""
        return self.pool.extractor if self.pool is not None else self.documents.extractor

    def code_many(self, items: Iterable[tuple[str, str, date | None]]) -> Iterator[Coded]:
        """Codings of (doc_id, text, published) items, in order. One document that cannot be
        coded comes back with ``error`` and nothing coded; the others are coded. A text longer
        than :data:`CODING_CHARS` is coded in parts and joined."""
        plan: deque[tuple[str, list[int]]] = deque()  # (doc id, offsets of its parts)

        def parts() -> Iterator[tuple[str, str, date | None]]:
            for doc_id, text, published in items:
                pieces = text_parts(text) if len(text) > CODING_CHARS else [(0, text)]
                plan.append((doc_id, [off for off, _ in pieces]))
                for _, piece in pieces:
                    yield doc_id, piece, published

        codings = self._code_parts(parts())
        while True:
            try:
                first = next(codings)
            except StopIteration:
                return
            doc_id, offsets = plan.popleft()
            if len(offsets) == 1:
                yield first
                continue
            done = [(offsets[0], first)] + [(off, next(codings)) for off in offsets[1:]]
            yield _joined(doc_id, done)

    def _code_parts(self, items: Iterable[tuple[str, str, date | None]]) -> Iterator[Coded]:
        if self.pool is not None:
            yield from self.pool.code_chunks(chunks(iter(items), NLP_BATCH))
            return
        if isinstance(self.documents, DocumentCoder) or self.n_process > 1:
            codings = self.documents.code_many(items, batch_size=NLP_BATCH,
                                               n_process=self.n_process)
        else:
            codings = (c for chunk in chunks(iter(items), NLP_BATCH) for c in isolated(
                lambda part: list(self.documents.code_many(part, batch_size=NLP_BATCH)), chunk))
        for dc in codings:
            yield Coded(actors=dc.actors, places=dc.places,
                        events=[e.to_json() for e in dc.events],
                        error=getattr(dc, "error", None), sentences=dc.sentences)


def isolated(code: Callable[[list], list[DocumentCoding]], chunk: list) -> list[DocumentCoding]:
    """``code(chunk)``; if it raises, each document alone, and a document that still fails
    gets an empty coding with the reason: one document never takes a batch down."""
    def checked(part: list) -> list[DocumentCoding]:
        for item in part:
            fault("code", item[1])
        return code(part)

    try:
        return checked(chunk)
    except Exception:  # noqa: BLE001 - find the document that fails, code the others
        pass
    out: list[DocumentCoding] = []
    for item in chunk:
        try:
            out.extend(checked([item]))
        except Exception as exc:  # noqa: BLE001 - named and stored uncoded, run goes on
            out.append(DocumentCoding(item[0], error=f"{type(exc).__name__}: {exc}"[:300]))
    return out


def chunks(items: Iterator, size: int) -> Iterator[list]:
    """Lists of ``size`` items from a stream, never reading it all."""
    while True:
        chunk = list(itertools.islice(items, max(1, size)))
        if not chunk:
            return
        yield chunk


_WORKER = None  # the coder a forked worker process codes with


def _work_chunk(args: tuple[list, bool]) -> list[DocumentCoding]:
    chunk, parse_all = args
    assert _WORKER is not None
    return _WORKER.code_chunk(chunk, parse_all)


def in_processes(coder, batches: Iterator[list], n_process: int,
                 parse_all: bool) -> Iterator[DocumentCoding]:
    """``coder.code_chunk`` over batches in forked worker processes (the models are loaded
    once, before the fork), in order, a few batches ahead."""
    global _WORKER
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: stay in one process
        for chunk in batches:
            yield from coder.code_chunk(chunk, parse_all)
        return
    _WORKER = coder
    with ctx.Pool(n_process) as pool:
        pending: deque = deque()  # a few batches ahead, so a long stream is never all read
        for chunk in batches:
            pending.append(pool.apply_async(_work_chunk, ((chunk, parse_all),)))
            if len(pending) >= 2 * n_process:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


@dataclass
class IngestOptions:
    batch_size: int = DEFAULT_BATCH_SIZE
    read: ingest.ReadOptions = field(default_factory=ingest.ReadOptions)
    default_date: date | None = None  # --date: for texts that carry none
    default_outlet: str | None = None  # --outlet
    near_duplicate_threshold: float = dedup.DEFAULT_THRESHOLD
    resume: bool = True  # skip files already ingested unchanged
    code: bool = True  # code actors and events as documents arrive
    jobs: int = 1  # spaCy processes for coding (2 uses both cores of a laptop)
    engine: str = "local"  # local | ray: clean and code in a pool of Ray actors
    workers: int = 2  # Ray actors (--engine ray)
    address: str | None = None  # an existing Ray cluster ("auto", HOST:PORT); None: start one
    out_parquet: Path | None = None  # also write each committed part as Parquet shards here
    actor_files: tuple[Path, ...] = ()  # user reference data on top of the bundled files
    commit_seconds: float = DEFAULT_COMMIT_SECONDS  # commit at least this often
    follow_links: bool = False  # follow links that lead out of a given folder


@dataclass
class IngestReport:
    files: int = 0
    ingested: int = 0
    near_duplicates: int = 0
    duplicates: int = 0  # exact copies of a stored or earlier document: not stored again
    unchanged_files: int = 0  # finished in an earlier run, skipped
    errors: list[str] = field(default_factory=list)  # the lines printed (capped per file)
    skipped: int = 0  # inputs (files or records) left out with an error
    skipped_on_purpose: list[str] = field(default_factory=list)  # READMEs, links out
    coding_errors: list[str] = field(default_factory=list)  # stored uncoded, for recode
    internal_errors: int = 0  # unexpected errors caught (a bug): exit status 3
    warnings: list[str] = field(default_factory=list)
    batches: int = 0
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.skipped or self.coding_errors)

    @property
    def exit_status(self) -> int:
        """0 all good, 1 some inputs skipped or coded with errors, 3 an internal error."""
        return 3 if self.internal_errors else 1 if self.failed else 0


class Hooks:
    """What a surface (CLI, API) wants to hear about as the run goes."""

    def error(self, err: ingest.InputError) -> None: ...
    def skipped(self, item: ingest.Skipped) -> None: ...
    def warning(self, message: str) -> None: ...
    def file_done(self, path: str, documents: int) -> None: ...
    def batch_committed(self, batch_id: int, documents: int) -> None: ...
    def total_files(self, n: int) -> None: ...
    def coded(self, documents: int) -> None:
        """Documents just coded (the progress that moves inside a long file)."""


def to_document(item: ingest.RawItem, options: IngestOptions,
                warn: Callable[[str], None]) -> Document | ingest.InputError:
    """Clean one raw item into a Document: the record's own metadata wins over what is found."""
    fault("clean", item.content)
    found: Extracted
    if item.kind == "html" and HUGE_TAG.search(item.content):
        return ingest.InputError(item.origin, "pathological HTML (a tag over 64 KB long: "
                                              "thousands of attributes), refused")
    if item.kind == "html":
        found = clean.extract_html(item.content, item.meta.get("url"))
    else:
        found = clean.clean_text(item.content, item.meta.get("url"))
    text = scrub(found.text or "").strip()
    if not text:
        return ingest.InputError(item.origin, "no article text found")
    if len(WORD.findall(text, 0, 10_000)) < 2:
        return ingest.InputError(item.origin, "empty: no words in the text")
    meta = item.meta
    for name in meta.get("_ignored", ()):
        warn(f"{item.origin}: field '{name}' is an object or a list, not a value; ignored")
    for name in ("title", "outlet", "section", "url", "author"):
        if len(str(meta.get(name) or "")) > MAX_FIELD_CHARS:
            warn(f"{item.origin}: field '{name}' over {MAX_FIELD_CHARS:,} characters; cut")
    published = found.published
    if "date" in meta:
        given = parse_date(meta["date"])
        if given is None:
            warn(f"{item.origin}: unreadable date {str(meta['date'])[:40]!r}, ignored")
        else:
            published = given
    published = published or options.default_date
    url = _str(meta.get("url")) or found.url
    return Document(
        id=document_id(text),
        text=text,
        title=_str(meta.get("title")) or found.title,
        outlet=_str(meta.get("outlet")) or found.outlet or outlet_of_url(url)
        or options.default_outlet,
        published=published,
        section=_str(meta.get("section")) or found.section,
        url=url,
        author=_str(meta.get("author")) or found.author,
        source_path=item.source_path,
        word_count=len(text.split()),
    )


@dataclass
class Cleaned:
    """A raw item cleaned elsewhere (a Ray worker): the document or input error, the warnings
    cleaning raised, and an unexpected error's text (a bug, counted as an internal error)."""

    origin: str
    result: Document | ingest.InputError | None
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None
    fingerprint: dedup.Fingerprint | None = None  # of a document, made where it was cleaned


def clean_item(item: ingest.RawItem, options: IngestOptions) -> Cleaned:
    """:func:`to_document` with its warnings and any unexpected error kept, not raised; a
    document's near-duplicate fingerprint is made here too, off the writer's core."""
    warnings: list[str] = []
    try:
        doc = to_document(item, options, warnings.append)
        fp = dedup.fingerprint(doc.text) if isinstance(doc, Document) else None
        return Cleaned(item.origin, doc, warnings, fingerprint=fp)
    except Exception as exc:  # noqa: BLE001 - reported by the run that writes
        return Cleaned(item.origin, None, warnings, f"{type(exc).__name__}: {exc}"[:500])


#: Raw items sent to the Ray workers at once for cleaning.
CLEAN_GROUP = 64


def cleaned_in(pool, items: Iterator, options: IngestOptions) -> Iterator:
    """A file's items with its raw items cleaned by the pool's workers, in order; a reader
    error is raised after the items read before it."""
    group: list = []

    def flush() -> Iterator:
        raw = [i for i in group if isinstance(i, ingest.RawItem)]
        done = iter(pool.clean(raw, options) if raw else [])
        for i in group:
            yield next(done) if isinstance(i, ingest.RawItem) else i
        group.clear()

    while True:
        try:
            item = next(items, None)
        except Exception:
            yield from flush()
            raise
        if item is None:
            break
        group.append(item)
        if len(group) >= CLEAN_GROUP:
            yield from flush()
    yield from flush()


#: Longest title, outlet, section, author or URL kept; a longer value is cut (a text pasted
#: into the wrong column), with a warning.
MAX_FIELD_CHARS = 2000


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(scrub(str(value)[:MAX_FIELD_CHARS * 4]).split())
    return text[:MAX_FIELD_CHARS] or None


class _Batch:
    def __init__(self) -> None:
        self.docs: list[Document] = []
        self.fps: list[dedup.Fingerprint] = []
        self.sources: list[dict] = []
        self.ids: set[str] = set()

    def __len__(self) -> int:
        return len(self.docs)


def ingest_paths(store: Store, paths: Iterable[str], options: IngestOptions | None = None,
                 hooks: Hooks | None = None, command: str = "ingest") -> IngestReport:
    """Read, clean, deduplicate, code and store every article under ``paths``.

    One record's failure, expected or not, is named, counted and passed over. The store is
    held only while a batch is written: coding runs with the file released, so readers and
    other writers take turns with this run instead of failing.
    """
    options = options or IngestOptions()
    hooks = hooks or Hooks()
    pool = None
    if options.engine == "ray":
        from blocwatch.engine_ray import RayPool

        pool = RayPool(options.actor_files, options.workers, options.address, options.code)
    try:
        return _ingest_paths(store, paths, options, hooks, command, pool)
    finally:
        if pool is not None:
            pool.close()


def _ingest_paths(store: Store, paths: Iterable[str], options: IngestOptions, hooks: Hooks,
                  command: str, pool) -> IngestReport:
    report = IngestReport()
    coder = Coder(options.actor_files, n_process=options.jobs, pool=pool) \
        if options.code else None
    finished = store.finished_sources() if options.resume else {}
    lake = None
    if options.out_parquet is not None:
        from blocwatch.lake import ParquetShards

        lake = ParquetShards(options.out_parquet)
        lake.recover(store)
    store.release()

    def error(err: ingest.InputError, shown: bool = True) -> None:
        report.skipped += 1
        if shown:
            report.errors.append(str(err))
            hooks.error(err)

    def internal(origin: str, exc: Exception) -> ingest.InputError:
        report.internal_errors += 1
        return ingest.InputError(origin, log_exception(origin, exc))

    sources: list[ingest.SourceFile] = []
    for found in ingest.find_sources(list(paths), exclude=(store.path, store.path + ".wal"),
                                     follow_links=options.follow_links):
        if isinstance(found, ingest.InputError):
            error(found)
        elif isinstance(found, ingest.Skipped):
            report.skipped_on_purpose.append(str(found))
            hooks.skipped(found)
        elif (not found.is_stdin
              and finished.get(path_text(found.path)) == (found.size, found.mtime)):
            report.unchanged_files += 1
        else:
            sources.append(found)
    report.files = len(sources)
    hooks.total_files(len(sources))

    def warn(message: str) -> None:
        report.warnings.append(message)
        hooks.warning(message)

    batch = _Batch()

    def flush() -> None:
        nonlocal batch
        if not batch.docs and not batch.sources:
            return
        _commit(store, batch, options, report, hooks, command, coder, lake)
        batch = _Batch()

    try:
        for src in sources:
            stored_here = 0
            file_errors = 0
            origin = "<stdin>" if src.is_stdin else path_text(src.path)
            items = ingest.read_source(src, options.read)
            if pool is not None:
                items = cleaned_in(pool, items, options)
            while True:
                try:
                    item = next(items, None)
                except Exception as exc:  # noqa: BLE001 - a reader bug: the rest of this file
                    item = internal(origin, exc)  # is lost, the run goes on
                    items = iter(())
                if item is None:
                    break
                fp = None
                if isinstance(item, ingest.RawItem):
                    try:
                        item = to_document(item, options, warn)
                    except Exception as exc:  # noqa: BLE001 - one record, named and skipped
                        item = internal(item.origin, exc)
                elif isinstance(item, Cleaned):  # cleaned by a Ray worker
                    for message in item.warnings:
                        warn(message)
                    fp = item.fingerprint
                    item = item.result if item.failure is None else \
                        internal(item.origin, RuntimeError(item.failure))
                if isinstance(item, ingest.InputError):
                    file_errors += 1
                    error(item, shown=file_errors <= MAX_ERROR_LINES)
                    continue
                if item.id in batch.ids:
                    report.duplicates += 1
                    continue
                batch.ids.add(item.id)
                batch.docs.append(item)
                batch.fps.append(fp or dedup.fingerprint(item.text))
                stored_here += 1
                if len(batch) >= options.batch_size:
                    flush()
            if file_errors > MAX_ERROR_LINES:
                more = ingest.InputError(origin, f"{file_errors - MAX_ERROR_LINES:,} more errors "
                                                 f"in this file not shown "
                                                 f"({file_errors:,} in all)")
                report.errors.append(str(more))
                hooks.error(more)
            if not src.is_stdin:
                status = "error" if file_errors and not stored_here else "done"
                batch.sources.append({"path": origin, "size": src.size, "mtime": src.mtime,
                                      "status": status, "documents": stored_here,
                                      "reason": f"{file_errors} errors" if file_errors else None})
            hooks.file_done(src.path, stored_here)
        flush()
    except KeyboardInterrupt:  # the batch in flight was rolled back by store.batch
        report.interrupted = True
    return report


def _commit(store: Store, batch: _Batch, options: IngestOptions, report: IngestReport,
            hooks: Hooks, command: str, coder: Coder | None, lake=None) -> None:
    """Drop exact copies already stored, link near-duplicates, code, and write.

    The batch is written in parts, each one transaction, whenever ``commit_seconds`` of coding
    have passed: a killed run loses seconds. A file's record of being finished goes with the
    last part, so a re-run reads a file again until all of it is stored."""
    try:
        existing = store.existing_ids(batch.ids)
        docs, fps = [], []
        for doc, fp in zip(batch.docs, batch.fps, strict=True):
            if doc.id in existing:
                report.duplicates += 1
            else:
                docs.append(doc)
                fps.append(fp)
        index = dedup.NearDuplicateIndex(options.near_duplicate_threshold)
        candidates = store.bucket_candidates([fp.bands for fp in fps])
        index.add_known(store.signatures(set().union(*candidates.values()) if candidates
                                         else ()))
    finally:
        store.release()
    for pos, (doc, fp) in enumerate(zip(docs, fps, strict=True)):
        found = index.match(fp, candidates.get(pos, set()))
        if found:
            doc.duplicate_of, doc.similarity = found[0], round(found[1], 3)
            report.near_duplicates += 1
        index.remember(doc.id, fp, doc.duplicate_of)

    codings = coder.code_many((d.id, d.text, d.published) for d in docs) if coder else None
    done = 0
    while True:
        started = time.monotonic()
        part: list[Coded] = []
        while done + len(part) < len(docs):
            if codings is not None:
                part.append(next(codings))
                hooks.coded(1)
            else:
                part.append(Coded())
            if time.monotonic() - started >= options.commit_seconds:
                break
        last = done + len(part) >= len(docs)
        _write(store, docs[done:done + len(part)], fps[done:done + len(part)], part,
               batch.sources if last else [], report, hooks, command, coder, lake)
        done += len(part)
        if last:
            return


def _write(store: Store, docs: list[Document], fps: list, codings: list[Coded],
           sources: list[dict], report: IngestReport, hooks: Hooks, command: str,
           coder: Coder | None, lake=None) -> None:
    """One part of a batch in one transaction; the store is released after it."""
    for doc, c in zip(docs, codings, strict=True):
        if c.error:
            err = ingest.InputError(f"{doc.source_path or '-'} (document {doc.id[:12]})",
                                    f"coding failed, stored uncoded: {c.error}")
            report.coding_errors.append(str(err))
            hooks.error(err)
    try:
        try:
            batch_id, n = _transaction(store, docs, fps, codings, sources, report, command,
                                       coder, lake)
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - one record the store refuses: find it, keep the rest
            store.rollback()
            batch_id, n = _one_by_one(store, docs, fps, codings, sources, report, hooks,
                                      command, coder, lake)
    finally:
        store.release()
    report.ingested += n
    report.batches += 1
    hooks.batch_committed(batch_id, n)


def _transaction(store: Store, docs: list[Document], fps: list, codings: list[Coded],
                 sources: list[dict], report: IngestReport, command: str,
                 coder: Coder | None, lake=None) -> tuple[int, int]:
    """One part in one transaction; with ``lake``, its Parquet shards are written inside it
    and published after the commit (removed if it rolls back)."""
    try:
        batch_id, n = _stored(store, docs, fps, codings, sources, report, command, coder, lake)
    except BaseException:
        if lake is not None:
            lake.discard()
        raise
    if lake is not None:
        lake.publish()
    return batch_id, n


def _stored(store: Store, docs: list[Document], fps: list, codings: list[Coded],
            sources: list[dict], report: IngestReport, command: str,
            coder: Coder | None, lake) -> tuple[int, int]:
    with store.batch(command) as batch_id:
        # another run may have stored some of them while this one was coding
        stored = store.existing_ids(d.id for d in docs)
        if stored:
            keep = [i for i, d in enumerate(docs) if d.id not in stored]
            report.duplicates += len(docs) - len(keep)
            docs, fps, codings = ([docs[i] for i in keep], [fps[i] for i in keep],
                                  [codings[i] for i in keep])
        for d in docs:
            fault("store", d.text)
        store.add_documents(docs, [fp.to_bytes() for fp in fps], batch_id)
        store.add_buckets([d.id for d in docs], [fp.bands for fp in fps])
        if coder:
            store.add_coding([d.id for d in docs], [c.actors for c in codings],
                             [c.events for c in codings], coder.extractor,
                             [c.error for c in codings])
        store.add_sources(sources, batch_id)
        if lake is not None:
            lake.write(store, batch_id, [d.id for d in docs])
    return batch_id, len(docs)


def _one_by_one(store: Store, docs: list[Document], fps: list, codings: list[Coded],
                sources: list[dict], report: IngestReport, hooks: Hooks, command: str,
                coder: Coder | None, lake=None) -> tuple[int, int]:
    """Write a part whose transaction failed one document at a time: the ones the store
    refuses are named (an internal error) and left out; the files' records go last."""
    stored = 0
    batch_id = 0
    failed_files: set[str | None] = set()
    for i, doc in enumerate(docs):
        try:
            batch_id, n = _transaction(store, [doc], [fps[i]], [codings[i]], [], report,
                                       command, coder, lake)
            stored += n
        except StoreError:
            raise
        except Exception as exc:  # noqa: BLE001 - named, counted, the rest goes on
            store.rollback()
            origin = f"{doc.source_path or '-'} (document {doc.id[:12]})"
            report.internal_errors += 1
            report.skipped += 1
            err = ingest.InputError(origin, "not stored: " + log_exception(origin, exc))
            report.errors.append(str(err))
            hooks.error(err)
            failed_files.add(doc.source_path)
    for src in sources:  # a file with a document not stored is read again by the next run
        if src["path"] in failed_files:
            src["status"], src["reason"] = "error", "a document could not be stored"
    if sources:
        batch_id, _ = _transaction(store, [], [], [], sources, report, command, coder)
    return batch_id, stored


def recode(store: Store, actor_files: Iterable[str | Path] = (), everything: bool = False,
           batch_size: int = DEFAULT_BATCH_SIZE, hooks: Hooks | None = None) -> int:
    """Code stored documents again: those never coded, or coded by another extractor version
    (after an upgrade or a change of reference data, ``everything``). Returns how many."""
    hooks = hooks or Hooks()
    coder = Coder(actor_files)
    where = "" if everything else "WHERE coded_with IS NULL OR coded_with <> ?"
    params = [] if everything else [coder.extractor]
    todo = [r["id"] for r in store.query(f"SELECT id FROM documents {where} ORDER BY id", params)]
    done = 0
    for i in range(0, len(todo), batch_size):
        # texts are read a batch at a time: a large store never sits in memory whole
        chunk = store.query("SELECT id, text, published FROM documents WHERE id IN "
                            "(SELECT unnest(?::VARCHAR[])) ORDER BY id", [todo[i : i + batch_size]])
        store.release()  # coding is the long part: readers may use the store meanwhile
        codings = list(coder.code_many((d["id"], d["text"], d["published"]) for d in chunk))
        try:
            with store.batch("recode") as batch_id:
                store.add_coding([d["id"] for d in chunk], [c.actors for c in codings],
                                 [c.events for c in codings], coder.extractor,
                                 [c.error for c in codings])
        finally:
            store.release()
        done += len(chunk)
        hooks.batch_committed(batch_id, len(chunk))
    return done
