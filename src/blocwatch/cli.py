"""The `blocwatch` command: a thin layer over the pipeline, the store and the analyses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from blocwatch import __version__, ingest, output
from blocwatch.cli_analysis import db_option
from blocwatch.cli_analysis import register as register_analysis
from blocwatch.config import ConfigError, load_config
from blocwatch.dates import parse_date
from blocwatch.engine_ray import RayUnavailable
from blocwatch.pipeline import DEFAULT_BATCH_SIZE, Coder, Hooks, IngestOptions, ingest_paths
from blocwatch.reference import ReferenceDataError
from blocwatch.safety import log_exception, printable, scrub, too_deep
from blocwatch.store import DEFAULT_DB, DEFAULT_WAIT, Store, StoreError
from blocwatch.store import open_store as store_at
from blocwatch.store_pg import is_postgres

FORMAT = click.option("--format", "fmt", type=click.Choice(output.FORMATS), default="table",
                      show_default=True, help="Output format.")


def _default_db() -> str:
    try:
        return load_config().db or DEFAULT_DB
    except ConfigError:
        return DEFAULT_DB


def actors_option(fn):
    return click.option("--actors", "actor_files", multiple=True,
                        type=click.Path(exists=True, dir_okay=False),
                        help="Extra actor reference file (YAML, same format as the bundled "
                             "data); adds or overrides entries. Repeatable; also `actors:` in "
                             "blocwatch.yaml.")(fn)


def actor_files_from(flags: tuple[str, ...]) -> tuple[Path, ...]:
    """Config-file actor files first, then the command line's (later files override)."""
    try:
        configured = load_config().actors
    except ConfigError as exc:
        fail(str(exc))
    return (*configured, *(Path(f) for f in flags))


def fail(message: str, code: int = 2) -> None:
    click.echo(f"blocwatch: error: {printable(message)}", err=True)
    sys.exit(code)


WAIT_ENV = "BLOCWATCH_WAIT"


def _wait() -> float:
    import os

    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def open_store(path: str, read_only: bool = False) -> Store:
    """The store, waiting (``--wait``) while another process holds it; one line and exit
    status 2 when it cannot be opened or trusted."""
    if not path or not path.strip():
        fail("--db: an empty path names no database")
    try:
        return store_at(path, read_only=read_only, wait=_wait(),
                     on_wait=lambda m: click.echo(f"blocwatch: {printable(m)}", err=True))
    except StoreError as exc:
        fail(str(exc))
        raise  # unreachable


def _date_arg(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """--since/--until: a day, month (2024-03), quarter (2024-Q1) or year (2024); `until`
    takes the period's last day, the others its first."""
    from blocwatch.filters import FilterError, period

    if value is None:
        return None
    try:
        first, last = period(value)
    except FilterError as exc:
        raise click.BadParameter(str(exc)) from None
    return last if param.name == "until" else first


def filter_arg(read: Callable[[Any], Any], every: tuple[str, ...] | None = None
               ) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback reading an option with a :mod:`blocwatch.filters` function; its
    FilterError becomes a usage error. ``every``: what the value ``all`` stands for."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        from blocwatch.filters import FilterError, split

        if every is not None and any(v.lower() == "all" for v in split(value)):
            return every
        try:
            return read(value)
        except FilterError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


def _types_arg(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
               ) -> tuple[str, ...]:
    """PLOVER types (repeated or comma-separated, any case, older names read as today's)."""
    from blocwatch.filters import event_types

    return filter_arg(event_types)(ctx, param, value)


def _modalities_arg(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
                    ) -> tuple[str, ...]:
    from blocwatch.filters import modalities

    return filter_arg(modalities)(ctx, param, value)


def resolve_actors(db: str, values: tuple[str, ...] | list[str] | str | None
                   ) -> tuple[str, ...]:
    """Actor codes from codes or names; an unknown one is a usage error naming the nearest
    names. Codes the reference data lacks are looked up in the store (actor files)."""
    from blocwatch.filters import FilterError, actor_codes

    def known() -> list[str]:
        if not is_postgres(db) and not Path(db).exists():
            return []
        with open_store(db, read_only=True) as store:
            return store.actor_codes()

    try:
        return actor_codes(values, known)
    except FilterError as exc:
        raise click.UsageError(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="blocwatch")
@click.option("--event-model", envvar="BLOCWATCH_EVENT_MODEL", default=None,
              metavar="accurate|fast|FILE",
              help="Event model: accurate (default: with the sentence encoder), fast (no "
                   "encoder: faster, less valid), or a .npz file; also `event_model:` in "
                   "blocwatch.yaml.")
@click.option("--event-threshold", envvar="BLOCWATCH_EVENT_THRESHOLD", default=None,
              type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True), metavar="P",
              help="Event probability a candidate needs to be coded, instead of the model's "
                   "trained one (0.5: precision first): lower for recall; also "
                   "`event_threshold:` in blocwatch.yaml.")
@click.option("--wait", envvar=WAIT_ENV, default=None, type=click.FloatRange(0.0),
              metavar="SECONDS",
              help=f"How long to wait for a store another process is using (default "
                   f"{DEFAULT_WAIT:.0f}).")
def main(event_model: str | None, event_threshold: float | None, wait: float | None) -> None:
    """blocwatch: who did what to whom between international actors, from news text.

    Typical use: `blocwatch ingest articles/` then `blocwatch docs`.
    """
    import contextlib
    import os

    if event_model:
        os.environ["BLOCWATCH_EVENT_MODEL"] = event_model
    if event_threshold is not None:
        os.environ["BLOCWATCH_EVENT_THRESHOLD"] = repr(event_threshold)
    if wait is not None:
        os.environ[WAIT_ENV] = repr(wait)
    with contextlib.suppress(ConfigError):  # reported by the command that reads it
        load_config()  # `event_model:` and `event_threshold:` in blocwatch.yaml; flags win


# -- ingest -------------------------------------------------------------------------------------
class _CliHooks(Hooks):
    """Errors as one line each on stderr; a progress bar only on a terminal."""

    def __init__(self, quiet: bool, verbose: bool):
        self.quiet, self.verbose = quiet, verbose
        self.progress = None
        self.task = None
        self.docs = 0
        if not quiet and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self.progress = Progress(
                TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                TextColumn("{task.fields[docs]} docs coded · {task.fields[rate]} docs/s"),
                TimeElapsedColumn(), console=Console(stderr=True), transient=True)

    def __enter__(self) -> _CliHooks:
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.stop()

    def _print(self, line: str) -> None:
        if self.progress:
            self.progress.console.print(line, markup=False, highlight=False)
        else:
            click.echo(line, err=True)

    def error(self, err: ingest.InputError) -> None:
        self._print(f"blocwatch: error: {err}")

    def skipped(self, item: ingest.Skipped) -> None:
        if self.verbose:
            self._print(f"blocwatch: {item}")

    def warning(self, message: str) -> None:
        if not self.quiet:
            self._print(f"blocwatch: warning: {printable(message)}")

    def total_files(self, n: int) -> None:
        if self.progress:
            self.task = self.progress.add_task("ingest", total=n, docs=0, rate="0")

    def file_done(self, path: str, documents: int) -> None:
        if self.progress and self.task is not None:
            self.progress.update(self.task, advance=1)

    def coded(self, documents: int) -> None:
        """Moves with every document coded, so a long file shows progress too."""
        self.docs += documents
        if self.progress and self.task is not None:
            elapsed = self.progress.tasks[0].elapsed or 0
            rate = f"{self.docs / elapsed:.1f}" if elapsed > 0 else "0"
            self.progress.update(self.task, docs=self.docs, rate=rate)

    def batch_committed(self, batch_id: int, documents: int) -> None:
        if self.verbose:
            self._print(f"blocwatch: batch {batch_id} committed ({documents} documents)")


@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option("--date", "default_date", callback=_date_arg,
              help="Publication date for texts that carry none (YYYY-MM-DD).")
@click.option("--outlet", "default_outlet", help="Outlet name for texts that carry none.")
@click.option("--text-field", help="JSON/CSV column holding the article text.")
@click.option("--title-field", help="JSON/CSV column holding the title.")
@click.option("--date-field", help="JSON/CSV column holding the publication date.")
@click.option("--url-field", help="JSON/CSV column holding the URL.")
@click.option("--outlet-field", help="JSON/CSV column holding the outlet name.")
@click.option("--section-field", help="JSON/CSV column holding the section.")
@click.option("--delimiter", help="CSV delimiter (default: sniffed).")
@click.option("--batch-size", type=click.IntRange(1), default=DEFAULT_BATCH_SIZE,
              show_default=True, help="Documents per transaction.")
@click.option("--max-mb", type=click.FloatRange(0.001), default=20.0, show_default=True,
              help="Largest single HTML/text file to accept, in MB.")
@click.option("--max-collection-mb", type=click.FloatRange(0.001), default=200.0,
              show_default=True,
              help="Largest .json array or .csv file, read whole, in MB (JSON lines are "
                   "streamed and have no such limit).")
@click.option("--max-inflated-mb", type=click.FloatRange(0.001), default=4096.0,
              show_default=True,
              help="What one .gz/.bz2/.xz file may inflate to, in MB.")
@click.option("--commit-seconds", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Commit at least this often (as well as every --batch-size documents).")
@click.option("--follow-links", is_flag=True,
              help="Follow links inside folders that lead out of them.")
@click.option("--near-duplicate", "threshold", type=click.FloatRange(0.0, 1.0), default=0.7,
              show_default=True,
              help="Estimated shingle overlap (containment) that makes a near-duplicate.")
@click.option("--no-resume", is_flag=True, help="Re-read files already ingested unchanged.")
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True,
              help="Processes for actor and event coding (2 uses both cores).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
              show_default=True,
              help="Where cleaning and coding run: this process (and --jobs forks), or a pool "
                   "of Ray actors (needs the ray extra); this process stays the one writer.")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="Ray actors for --engine ray (one CPU and one loaded model each).")
@click.option("--address", metavar="auto|HOST:PORT",
              help="Join an existing Ray cluster instead of starting one for the run.")
@click.option("--out-parquet", type=click.Path(file_okay=False, path_type=Path),
              metavar="DIR",
              help="Also write each committed part as Parquet shards (DIR/documents, "
                   "DIR/mentions, DIR/events), with the store's ids, for a data lake.")
@click.option("--no-code", is_flag=True,
              help="Store documents only; code actors and events later with `blocwatch recode`.")
@actors_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Report each committed batch.")
@FORMAT
def ingest_cmd(paths: tuple[str, ...], db: str, default_date: date | None,
               default_outlet: str | None, text_field: str | None, title_field: str | None,
               date_field: str | None, url_field: str | None, outlet_field: str | None,
               section_field: str | None, delimiter: str | None, batch_size: int,
               max_mb: float, max_collection_mb: float, max_inflated_mb: float,
               commit_seconds: float, follow_links: bool, threshold: float, no_resume: bool,
               jobs: int, engine: str, workers: int, address: str | None,
               out_parquet: Path | None, no_code: bool,
               actor_files: tuple[str, ...], quiet: bool, verbose: bool, fmt: str) -> None:
    """Read news text into the store: files, folders, globs, or - for stdin.

    Formats: .txt/.md (plain text or scraped page dumps), .html/.htm, .jsonl/.json and
    .csv/.tsv records (fields text, title, date, url, outlet, section), any of these
    compressed (.gz, .bz2, .xz), and .zip or .tar(.gz/.bz2/.xz) archives of them, read in
    place. Bad files and records are reported one line each and the rest
    goes on; re-running the same command resumes without duplicates. The store is held only
    while a batch is written, so other commands can read it meanwhile.

    Exit status: 0 all stored; 1 some inputs skipped or coded with errors; 2 usage or store
    error; 3 internal error (one line each, the traceback in the error log).
    """
    if any(not p.strip() for p in paths):
        fail("an empty path names no file or folder (use . for the current folder)")
    fields = {k: v for k, v in {"text": text_field, "title": title_field, "date": date_field,
                                "url": url_field, "outlet": outlet_field,
                                "section": section_field}.items() if v}
    options = IngestOptions(
        batch_size=batch_size,
        read=ingest.ReadOptions(fields=fields, max_bytes=int(max_mb * ingest.MB),
                                delimiter=delimiter,
                                max_collection_bytes=int(max_collection_mb * ingest.MB),
                                max_inflated_bytes=int(max_inflated_mb * ingest.MB)),
        default_date=default_date, default_outlet=default_outlet,
        near_duplicate_threshold=threshold, resume=not no_resume, code=not no_code, jobs=jobs,
        actor_files=actor_files_from(actor_files), commit_seconds=commit_seconds,
        follow_links=follow_links, engine=engine, workers=workers, address=address,
        out_parquet=out_parquet)
    if address and engine != "ray":
        fail("--address names a Ray cluster: use it with --engine ray")
    store = open_store(db)
    with store, _CliHooks(quiet, verbose) as hooks:
        try:
            report = ingest_paths(store, paths, options, hooks,
                                  command="ingest " + " ".join(paths))
        except ReferenceDataError as exc:
            fail(str(exc))
        except RayUnavailable as exc:
            fail(str(exc))
        except StoreError as exc:
            fail(f"{exc}; batches committed before are kept, run the same command to resume")
        try:
            total = store.count("documents")
        except StoreError as exc:
            fail(str(exc))
    summary = {
        "files": report.files, "unchanged_files": report.unchanged_files,
        "ingested": report.ingested, "near_duplicates": report.near_duplicates,
        "duplicates": report.duplicates, "skipped": report.skipped,
        "skipped_on_purpose": len(report.skipped_on_purpose),
        "internal_errors": report.internal_errors,
        "coded_with_errors": len(report.coding_errors),
        "warnings": len(report.warnings), "documents_in_store": total, "db": db,
        "interrupted": report.interrupted,
    }
    if fmt == "table":
        line = (f"{report.ingested} ingested ({report.near_duplicates} near-duplicates flagged), "
                f"{report.duplicates} duplicates skipped, {report.skipped} skipped with "
                f"errors, from {report.files} files")
        if report.skipped_on_purpose:
            line += (f"; {len(report.skipped_on_purpose)} left out on purpose (folder READMEs "
                     f"and licences, links out of a folder; -v lists them)")
        if report.internal_errors:
            line += f"; {report.internal_errors} internal errors (see the lines above)"
        if report.coding_errors:
            line += f"; {len(report.coding_errors)} coded with errors (stored uncoded)"
        if report.unchanged_files:
            line += f" ({report.unchanged_files} unchanged files already ingested)"
        click.echo(line)
        click.echo(f"{db}: {total} documents")
        if report.interrupted:
            click.echo("interrupted: committed batches are kept; run the same command to resume",
                       err=True)
    else:
        output.emit([summary], fmt)
    if report.interrupted:
        sys.exit(130)
    sys.exit(report.exit_status)


# -- docs ---------------------------------------------------------------------------------------
DOC_COLUMNS = ["id", "title", "outlet", "published", "section", "words", "duplicate_of"]


@main.command("docs")
@db_option
@FORMAT
@click.option("--id", "doc_id", help="Only this document (id or unique prefix).")
@click.option("--outlet", help="Only documents from this outlet.")
@click.option("--since", callback=_date_arg,
              help="Published on or after (a day, 2024-03, 2024-Q1 or 2024).")
@click.option("--until", callback=_date_arg, help="Published on or before (same forms).")
@click.option("--duplicates", type=click.Choice(["include", "exclude", "only"]),
              default="include", show_default=True, help="Near-duplicates in the listing.")
@click.option("--limit", type=click.IntRange(0), default=None, help="At most this many.")
@click.option("--set-outlet", metavar="NAME",
              help="Set the outlet of the documents selected (by --id, --outlet, --since, "
                   "--until) to NAME; at least one of those must be given.")
@click.option("--set-date", metavar="DATE",
              help="Set the publication date of the selected documents (by --id, --outlet, "
                   "--since, --until) and mark them for `blocwatch recode`, which reads the "
                   "dates in their text against it.")
@click.option("--outlet-from-url", is_flag=True,
              help="Give the selected documents that have no outlet the registrable domain "
                   "of their URL (reuters.com, bbc.co.uk).")
def docs_cmd(db: str, fmt: str, doc_id: str | None, outlet: str | None, since: date | None,
             until: date | None, duplicates: str, limit: int | None, set_outlet: str | None,
             set_date: str | None, outlet_from_url: bool) -> None:
    """List stored documents; --format json gives full records with the cleaned text.

    Corroboration counts distinct outlets, and documents without one count together as one
    outlet, "unknown". A re-ingest of the same text is skipped as a duplicate, so outlets of
    stored documents are set here: --set-outlet NAME, or --outlet-from-url; and a publication
    date with --set-date (then `blocwatch recode` codes them again)."""
    if set_date is not None:
        _set_date(db, doc_id, outlet, since, until, duplicates, set_date)
        return
    if set_outlet is not None or outlet_from_url:
        _set_outlets(db, doc_id, outlet, since, until, duplicates, set_outlet, outlet_from_url)
        return
    with open_store(db, read_only=True) as store:
        rows = store.documents(doc_id=doc_id, outlet=outlet, since=since, until=until,
                               duplicates=duplicates, limit=limit)
    if fmt == "json":
        output.emit(rows, "json")
        return
    for row in rows:  # one word-count column, named "words" in every format
        row["words"] = row.pop("word_count")
    output.emit(rows, fmt, DOC_COLUMNS if fmt == "table" else
                [c for c in rows[0] if c != "text"] if rows else DOC_COLUMNS,
                widths={"title": 58, "outlet": 20, "duplicate_of": 16})


def _set_date(db: str, doc_id: str | None, outlet: str | None, since: date | None,
              until: date | None, duplicates: str, value: str) -> None:
    day = parse_date(value)
    if day is None:
        fail(f"--set-date: not a date: {value!r} (use YYYY-MM-DD)")
    if not (doc_id or outlet or since or until):
        fail("--set-date: select the documents with --id, --outlet, --since or --until")
    with open_store(db) as store:
        rows = store.documents(doc_id=doc_id, outlet=outlet, since=since, until=until,
                               duplicates=duplicates)
        n = store.set_published([r["id"] for r in rows], day)
    click.echo(f"{n:,} documents: published {day.isoformat()}; run `blocwatch recode` to read "
               f"the dates in their text against it")


def _set_outlets(db: str, doc_id: str | None, outlet: str | None, since: date | None,
                 until: date | None, duplicates: str, name: str | None, from_url: bool) -> None:
    from blocwatch.outlets import outlet_of_url

    if name is not None and from_url:
        fail("--set-outlet and --outlet-from-url: give one of them")
    if name is not None and not name.strip():
        fail("--set-outlet: an empty name names no outlet")
    if name is not None and not (doc_id or outlet or since or until):
        fail("--set-outlet: select the documents with --id, --outlet, --since or --until")
    with open_store(db) as store:
        rows = store.documents(doc_id=doc_id, outlet=outlet, since=since, until=until,
                               duplicates=duplicates)
        if name is not None:
            chosen = {r["id"]: name.strip() for r in rows}
        else:
            chosen = {r["id"]: o for r in rows if not r["outlet"]
                      for o in [outlet_of_url(r["url"])] if o}
        n = store.set_outlets(chosen)
    left = sum(1 for r in rows if not r["outlet"]) - (n if from_url else 0)
    what = f"outlet set to {name.strip()!r}" if name is not None else "outlet taken from the URL"
    click.echo(f"{n:,} of {len(rows):,} selected documents: {what}"
               + (f"; {left:,} still have no outlet" if from_url and left else ""))


@main.command("watch")
@click.argument("paths", nargs=-1)
@db_option
@actors_option
@click.option("--feed", "feeds", multiple=True, metavar="FILE_OR_URL",
              help="An RSS or Atom feed to read each pass (repeatable).")
@click.option("--every", default="5m", show_default=True,
              help="Time between passes: 30s, 5m, 1h.")
@click.option("--passes", type=click.IntRange(0), default=0,
              help="Stop after this many passes (default: run until interrupted).")
@click.option("-q", "--quiet", is_flag=True, help="No line per pass, no warnings.")
def watch_cmd(paths: tuple[str, ...], db: str, actor_files: tuple[str, ...],
              feeds: tuple[str, ...], every: str, passes: int, quiet: bool) -> None:
    """Keep the store current: ingest new files in PATHS and new items of --feed every
    --every. Files finished in an earlier pass are skipped and feed items already stored
    are duplicates, so nothing is coded twice; the store is held only while a batch is
    written, so `blocwatch serve` can run beside it."""
    from blocwatch import watch

    if not paths and not feeds:
        fail("give folders or files to watch, or --feed")
    try:
        seconds = watch.interval(every)
    except ValueError as exc:
        fail(str(exc))
        return
    options = IngestOptions(actor_files=actor_files_from(actor_files))

    def said(n: int, report: Any) -> None:
        if not quiet:
            click.echo(f"blocwatch: pass {n}: {report.ingested:,} new documents, "
                       f"{report.duplicates:,} already stored, {report.skipped:,} skipped",
                       err=True)

    store = open_store(db)
    with store, _CliHooks(quiet, False) as hooks:
        try:
            watch.run(store, paths, feeds, seconds, options, hooks, passes, said)
        except KeyboardInterrupt:
            click.echo("blocwatch: watch stopped", err=True)


@main.command("digest")
@db_option
@click.option("--since", "since_text", default="7d", show_default=True,
              help="Start: 7d, 2w, 1m before the latest event, or a date or period.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="File to write: .html for HTML, anything else Markdown; - for stdout.")
@click.option("--top", type=click.IntRange(1), default=8, show_default=True)
def digest_cmd(db: str, since_text: str, out: str, top: int) -> None:
    """What changed since a date, ready to send: the dyads that moved most, actors that
    changed bloc, alignments begun and ended, the strongest stories, each with its sentence."""
    from blocwatch import digest
    from blocwatch.analysis.api import Analysis
    from blocwatch.filters import FilterError

    with open_store(db, read_only=True) as store, Analysis(store) as analysis:
        last = analysis.counts()["last_day"] or date.today()
        try:
            since = digest.since_day(since_text, last)
        except FilterError as exc:
            fail(f"--since: {exc}")
            return
        content = digest.build(analysis, since, max(last, since), top)
    text = digest.html(content) if out.endswith((".html", ".htm")) else \
        digest.markdown(content)
    if out == "-":
        click.echo(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{out}: digest of {since} – {max(last, since)}", err=True)


@main.command("serve")
@db_option
@actors_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (localhost only unless you say otherwise).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--token", envvar="BLOCWATCH_TOKEN", default=None,
              help="Accept POST /api/ingest from clients that send this as "
                   "'Authorization: Bearer TOKEN' (or set BLOCWATCH_TOKEN). Without it the "
                   "server is read-only.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Let pages from ORIGIN call the API (repeatable). Default: none.")
@click.option("--max-body-mb", type=click.FloatRange(0.001, 1024), default=20.0,
              show_default=True, help="Largest request body accepted.")
@click.option("--actors-dir", type=click.Path(file_okay=False), default=None,
              help="Where actor files uploaded with PUT /api/actor-files are kept. Default: "
                   "beside the store file (STORE.actors/); for PostgreSQL, "
                   "~/.local/share/blocwatch/HOST-DB.actors/.")
def serve_cmd(db: str, actor_files: tuple[str, ...], host: str, port: int, token: str | None,
              cors: tuple[str, ...], max_body_mb: float, actors_dir: str | None) -> None:
    """The store as a REST API and a dashboard: the dashboard at /, /api/events,
    /api/documents, /api/dyads, /api/blocs, /api/shifts, /api/stories, /api/actors,
    /api/export/FORMAT, /api/health; the OpenAPI schema at /openapi.json and its docs at
    /docs (served from the package: no CDN). Read-only unless --token is given: then
    POST /api/ingest takes news and PUT /api/actor-files/NAME actor files (kept beside the
    store in STORE.actors/, used by the API's ingests after --actors)."""
    import uvicorn

    from blocwatch.serve import create_app

    if not is_postgres(db) and not Path(db).exists():
        fail(f"{db}: no such store (ingest first)")
    if token is not None and len(token) < 16:
        fail("--token: use at least 16 characters (e.g. python -c 'import secrets; "
             "print(secrets.token_urlsafe())')")
    app = create_app(db, wait=_wait(), token=token, cors=cors,
                     max_body=int(max_body_mb * 1024 * 1024),
                     actor_files=actor_files_from(actor_files),
                     actors_dir=Path(actors_dir) if actors_dir else None)
    # Slow or idle clients are dropped after 5 s between requests; past 256 open
    # connections a client gets 503 rather than the server running out of threads.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_keep_alive=5,
                limit_concurrency=256)


@main.command("recode")
@db_option
@actors_option
@click.option("--all", "everything", is_flag=True,
              help="Code every document again (after changing reference data).")
@click.option("-v", "--verbose", is_flag=True, help="Report each committed batch.")
def recode_cmd(db: str, actor_files: tuple[str, ...], everything: bool, verbose: bool) -> None:
    """Code actors and events of stored documents not yet coded by this version."""
    from blocwatch.pipeline import recode

    with open_store(db) as store:
        try:
            n = recode(store, actor_files_from(actor_files), everything,
                       hooks=_CliHooks(quiet=True, verbose=verbose))
        except ReferenceDataError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("interrupted: committed batches are kept; run again to finish", err=True)
            sys.exit(130)
        events = store.count("events")
    click.echo(f"{n} documents coded; {db}: {events} events")


# -- code ---------------------------------------------------------------------------------------
@main.command("code")
@click.argument("source", default="-", type=click.File("r", encoding="utf-8", errors="replace"))
@actors_option
@click.option("--date", "default_date", callback=_date_arg,
              help="Date for records without a `date` field (resolves leaders and 'last week').")
def code_cmd(source, actor_files: tuple[str, ...], default_date: date | None) -> None:
    """Code JSON lines {"id", "text", "date"?} to {"id", "actors", "events"}; no database.

    Reads FILE (or stdin) and writes one JSON line per record to stdout, in input order. This is
    how accuracy is measured on any gold set. A malformed line gets one error line on stderr
    (with its line number) and the rest goes on; exit status 1 if any line failed.
    """
    import json

    try:
        coder = Coder(actor_files_from(actor_files))
    except ReferenceDataError as exc:
        fail(str(exc))
    failed = False
    name = getattr(source, "name", "<stdin>")

    def records():
        nonlocal failed
        for lineno, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                failed = True
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
                click.echo(f"blocwatch: error: {printable(name)}:{lineno}: malformed JSON line "
                           f"({why})", err=True)
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str) \
                    or too_deep(record):
                failed = True
                click.echo(f"blocwatch: error: {printable(name)}:{lineno}: no string field "
                           f"'text'" + (" (record nested too deeply)"
                                        if isinstance(record, dict) and too_deep(record)
                                        else ""), err=True)
                continue
            given = record.get("date")
            day = (parse_date(given) if isinstance(given, (str, int, float)) and given
                   else default_date)
            doc_id = record.get("id", lineno)
            doc_id = scrub(str(doc_id)) if isinstance(doc_id, (str, int, float)) else str(lineno)
            yield doc_id, scrub(record["text"]), day

    batch: list[tuple[str, str, date | None]] = []

    def flush() -> None:
        nonlocal failed
        for (doc_id, _, _), coded in zip(batch, coder.code_many(batch), strict=True):
            out = {"id": doc_id, "actors": [m.to_json() for m in coded.actors],
                   "events": coded.events}
            if coded.error:
                failed = True
                out["error"] = coded.error
                click.echo(f"blocwatch: error: {printable(name)}: record {printable(doc_id)}: "
                           f"coding failed: {printable(coded.error)}", err=True)
            click.echo(output.dumps(out, indent=None))
        batch.clear()

    for item in records():
        batch.append(item)
        if len(batch) >= 64:
            flush()
    flush()
    sys.exit(1 if failed else 0)


# -- actors -------------------------------------------------------------------------------------
@main.command("actors")
@db_option
@FORMAT
@click.option("--doc", "doc_id", help="Show one document's mentions (id or unique prefix).")
@click.option("--all", "include_uncoded", is_flag=True,
              help="Include mentions blocwatch recognised but could not code.")
@click.option("--limit", type=click.IntRange(0), default=None, help="At most this many rows.")
def actors_cmd(db: str, fmt: str, doc_id: str | None, include_uncoded: bool,
               limit: int | None) -> None:
    """Actors with their mention counts, or one document's mentions with --doc."""
    with open_store(db, read_only=True) as store:
        if doc_id:
            rows = store.query(
                "SELECT m.sentence, m.start_char AS start, m.end_char AS \"end\", m.text, m.code, "
                "m.sector, m.actor, m.kind, m.resolved_by FROM mentions m "
                "WHERE m.doc_id LIKE ? ORDER BY m.start_char", [doc_id + "%"])
            columns = ["sentence", "start", "end", "text", "code", "sector", "actor", "kind",
                       "resolved_by"]
        else:
            # one row per actor: Russia, Vladimir Putin and Sergei Lavrov are three actors of
            # RUS/GOV, not one name standing for all; an uncoded mention keeps its own words
            where = "" if include_uncoded else "WHERE code IS NOT NULL"
            rows = store.query(
                "SELECT coalesce(code, '(uncoded)') AS code, sector, "
                "CASE WHEN code IS NULL THEN text ELSE coalesce(actor, text) END AS actor, "
                "min(kind) AS kind, count(*) AS mentions, "
                "count(DISTINCT doc_id) AS documents FROM mentions "
                f"{where} GROUP BY 1, 2, 3 ORDER BY mentions DESC, code, sector, actor"
                + (f" LIMIT {int(limit)}" if limit is not None else ""))
            columns = ["code", "sector", "actor", "kind", "mentions", "documents"]
    output.emit(rows, fmt, columns, widths={"text": 40, "actor": 32})


# -- events -------------------------------------------------------------------------------------
MODALITIES = ("asserted", "reported", "intended", "speculative", "negated", "hypothetical")


def _actor_list(actors: list[dict]) -> str:
    return "+".join(f"{a.get('code') or '?'}{('/' + a['sector']) if a.get('sector') else ''}"
                    for a in actors)


@main.command("events")
@db_option
@FORMAT
@click.option("--actor", help="Events with this actor as source or target (PRK, North Korea).")
@click.option("--dyad", nargs=2, metavar="SOURCE TARGET", help="Events from SOURCE to TARGET.")
@click.option("--type", "types", multiple=True, callback=_types_arg,
              help="PLOVER type (repeatable or comma-separated), e.g. AID.")
@click.option("--modality", "modalities", multiple=True, callback=_modalities_arg,
              help=f"Only these modalities (repeatable or comma-separated): "
                   f"{', '.join(MODALITIES)}. Default: all.")
@click.option("--since", callback=_date_arg,
              help="On or after (event date, else published): a day, 2024-03, 2024-Q1, 2024.")
@click.option("--until", callback=_date_arg, help="On or before (same forms).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), help="Confidence at least this.")
@click.option("--doc", "doc_id", help="Events of one document (id or prefix).")
@click.option("--no-duplicates", is_flag=True, help="Leave out events of near-duplicate copies.")
@click.option("--limit", type=click.IntRange(0), default=None, help="At most this many.")
def events_cmd(db: str, fmt: str, actor: str | None, dyad: tuple[str, str] | None,
               types: tuple[str, ...], modalities: tuple[str, ...], since: date | None,
               until: date | None, min_confidence: float | None, doc_id: str | None,
               no_duplicates: bool, limit: int | None) -> None:
    """Coded events with their evidence; --format json gives the full PLOVER-style records.

    --actor and --dyad take codes or names ("North Korea"); --since and --until a day, month
    (2024-03), quarter (2024-Q1) or year (2024)."""
    if actor:
        (actor,) = resolve_actors(db, [actor])
    if dyad:
        dyad = (resolve_actors(db, [dyad[0]])[0], resolve_actors(db, [dyad[1]])[0])
    with open_store(db, read_only=True) as store:
        events = store.events(actor=actor, dyad=dyad or None, types=types,
                              modalities=modalities, since=since, until=until,
                              min_confidence=min_confidence, doc_id=doc_id,
                              include_duplicates=not no_duplicates, limit=limit)
    if fmt == "json":
        output.emit(events, "json")
        return
    rows = [{
        "date": e["date"] or e["document"]["published"], "source": _actor_list(e["source"]),
        "type": e["type"] + (f"/{e['mode']}" if e["mode"] else ""), "target":
        _actor_list(e["target"]), "modality": e["modality"],
        "quantity": (e["quantity"] or {}).get("text"), "confidence": e["confidence"],
        "outlet": e["document"]["outlet"], "evidence": e["evidence"]["text"],
        "doc_id": e["evidence"]["doc_id"], "cameo": e["cameo"], "goldstein": e["goldstein"],
    } for e in events]
    columns = ["date", "source", "type", "target", "modality", "quantity", "evidence"]
    if fmt == "csv":
        columns += ["confidence", "cameo", "goldstein", "outlet", "doc_id"]
    output.emit(rows, fmt, columns, widths={"evidence": 70, "quantity": 24, "type": 20})


# -- eval ---------------------------------------------------------------------------------------
@main.group("eval")
def eval_group() -> None:
    """Measure blocwatch against gold data (every figure a command anyone can re-run)."""


@eval_group.command("extraction")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--limit", type=click.IntRange(1), help="Only the first N pages.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def eval_extraction_cmd(folder: Path, limit: int | None, fmt: str) -> None:
    """Body extraction P/R/F1 on a folder like the article-extraction benchmark.

    FOLDER holds html/*.html.gz and ground-truth.json (e.g. ../shared/data/scrapinghub_aeb).
    """
    from blocwatch.evaluate import extraction

    result: dict[str, Any] = extraction.evaluate_extraction(folder, limit=limit)
    if fmt == "json":
        click.echo(output.dumps(result))
    else:
        click.echo(extraction.format_report(result))


def _shared_default() -> str:
    """../shared beside the current folder (how a clone of blocwatch sits next to its data)."""
    return str(Path.cwd().parent / "shared")


@eval_group.command("actors")
@click.argument("shared", required=False, type=click.Path(file_okay=False, path_type=Path))
@actors_option
@click.option("--examples", type=click.IntRange(0), default=0,
              help="Also print this many misses and false alarms.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def eval_actors_cmd(shared: Path | None, actor_files: tuple[str, ...], examples: int,
                    fmt: str) -> None:
    """Actor recognition: F1 on re3d entities, recall of ConfliBERT source/target spans.

    SHARED is the folder holding data/re3d and data/conflibert_cameo (default ../shared).
    """
    from blocwatch.actors import get_coder
    from blocwatch.evaluate import actors

    shared = shared or Path(_shared_default())
    if not (shared / "data").is_dir():
        fail(f"{shared}: no data/ folder with the gold sets")
    coder = get_coder(tuple(str(f) for f in actor_files_from(actor_files)))
    result = actors.evaluate_actors(shared, coder=coder, examples=examples)
    click.echo(output.dumps(result) if fmt == "json" else actors.format_report(result))


@eval_group.command("events")
@click.argument("shared", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--only", "which", multiple=True, type=click.Choice(["plover", "petrarch",
                                                                  "conflibert"]),
              help="Run only these evaluations (repeatable). Default: all three.")
@actors_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def eval_events_cmd(shared: Path | None, which: tuple[str, ...], actor_files: tuple[str, ...],
                    fmt: str) -> None:
    """Event coding: PLOVER GSR type+actors, PETR-2 CAMEO root+actors, ConfliBERT PentaClass.

    SHARED is the folder holding data/plover_gsr, data/petrarch_validation and
    data/conflibert_cameo (default ../shared). Each prints a confusion table.
    """
    from blocwatch.evaluate import events

    shared = shared or Path(_shared_default())
    if not (shared / "data").is_dir():
        fail(f"{shared}: no data/ folder with the gold sets")
    coder = events.default_coder(actor_files_from(actor_files))
    result = events.evaluate_events(shared, which or events.WHICH, coder=coder)
    click.echo(output.dumps(result) if fmt == "json" else events.format_report(result))


@eval_group.command("corpus")
@click.option("--part", type=click.Choice(["independent", "articles", "test", "dev", "train"]),
              default="independent", show_default=True,
              help="independent: the test set written apart; articles: whole news articles "
                   "written apart; test/dev: splits of codebook/")
@click.option("--limit", type=int, default=None, help="Only the first N records.")
@click.option("--errors", "show_errors", type=int, default=0,
              help="Also print N misses and wrong events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def eval_corpus_cmd(part: str, limit: int | None, show_errors: int, fmt: str) -> None:
    """Event type + source + target on our own labelled corpus (corpus/), per type."""
    from blocwatch.evaluate import corpus

    result = corpus.evaluate_corpus(part, limit=limit)
    if fmt == "json":
        click.echo(output.dumps(result))
        return
    click.echo(corpus.format_report(result))
    for e in result["errors"][:show_errors]:
        click.echo(f"- {e['kind']} {e['id']}: gold {e['gold']} ours {e['ours']}\n    {e['text']}")


register_analysis(main)


@main.command("check")
@db_option
def check_cmd(db: str) -> None:
    """Verify a store: schema, every table readable, ids unique and matching their text,
    mentions and events tied to stored documents. Exit status 0 if sound, 2 if not."""
    with open_store(db, read_only=True) as store:
        try:
            counts, problems = store.check()
        except StoreError as exc:
            fail(str(exc))
        version = store.version()
        name = store.path  # a PostgreSQL URL without its password
    click.echo(f"{printable(name)}: blocwatch store, schema v{version}; " + ", ".join(
        f"{n:,} {t.replace('_', ' ')}" for t, n in counts.items() if t != "schema_version"))
    for p in problems:
        click.echo(f"problem: {p}")
    click.echo("sound" if not problems else f"{len(problems)} problems found")
    sys.exit(2 if problems else 0)


@main.command("migrate")
@click.option("--from", "source", required=True, metavar="DB",
              help="The store to copy: a DuckDB file or a postgresql:// URL.")
@click.option("--to", "target", required=True, metavar="DB",
              help="Where to copy it: a new DuckDB file or an empty PostgreSQL database.")
def migrate_cmd(source: str, target: str) -> None:
    """Copy a whole store to another database: a DuckDB file to PostgreSQL when a team
    shares it, or back. Same ids, rows and batches; one transaction, so a failed copy leaves
    the target as it was. The source is only read."""
    from blocwatch.store_pg import copy_store

    if source == target:
        fail("--from and --to name the same store")
    if not is_postgres(source) and not Path(source).exists():
        fail(f"{source}: no such store")
    with open_store(source, read_only=True) as src, open_store(target) as dst:
        try:
            copied = copy_store(src, dst)
        except StoreError as exc:
            fail(str(exc))
        name = dst.path
        counts = {t: dst.count(t) for t in ("documents", "mentions", "events", "batches")}
    click.echo(f"{printable(name)}: copied " + ", ".join(
        f"{n:,} {t.replace('_', ' ')}" for t, n in copied.items()) + f" from {printable(src.path)}")
    click.echo("now holds " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))


def run() -> None:
    """The console entry point: an unexpected error is one line that points to its traceback
    in the error log, and exit status 3; never a traceback on the terminal. A store that
    fails under a read is named as damaged (exit status 2)."""
    import duckdb

    try:
        main(prog_name="blocwatch")
    except duckdb.Error as exc:
        log_exception(" ".join(sys.argv), exc)
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        fail(f"the store could not be read: {first} (a damaged store? blocwatch check --db "
             f"FILE; traceback in the error log)")
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        click.echo(f"blocwatch: error: {log_exception(' '.join(sys.argv), exc)}", err=True)
        sys.exit(3)


if __name__ == "__main__":
    run()
