"""The analysis commands: stories, dyads, blocs, shifts, profile, export, report.

Kept apart from cli.py so the analysis can grow without touching ingest; `register(main)` adds
the commands to the `blocwatch` group. This module imports nothing from cli.py at import time
(cli.py imports it), only at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from blocwatch import output
from blocwatch.analysis.dyads import WINDOWS
from blocwatch.analysis.events import EventFilter
from blocwatch.analysis.periods import PERIOD_SYNTAX, PeriodError, parse_period
from blocwatch.analysis.weights import WeightsError
from blocwatch.store import DEFAULT_DB

if TYPE_CHECKING:
    from blocwatch.analysis.api import Analysis

FORMAT = click.option("--format", "fmt", type=click.Choice(output.FORMATS), default="table",
                      show_default=True, help="Output format.")


def _default_db() -> str:
    """The default every blocwatch command uses (cli.py's: config file, else DEFAULT_DB);
    looked up when a command runs, since cli.py imports this module."""
    try:
        from blocwatch.cli import _default_db as default
    except ImportError:
        return DEFAULT_DB
    return default()


def db_option(fn: Callable) -> Callable:
    """The --db option of every blocwatch command (cli.py's commands use this one too)."""
    return click.option("--db", default=_default_db, envvar="BLOCWATCH_DB",
                        show_default=DEFAULT_DB, type=click.Path(dir_okay=False),
                        metavar="DB",
                        help="DuckDB file, or a PostgreSQL database as "
                             "postgresql://USER@HOST/DB (env BLOCWATCH_DB, or `db:` in "
                             "blocwatch.yaml).")(fn)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    from blocwatch.cli import _date_arg

    return _date_arg(ctx, param, value)


def _modalities_opt(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
                    ) -> tuple[str, ...]:
    from blocwatch.cli import filter_arg
    from blocwatch.events.model import MODALITIES
    from blocwatch.filters import modalities

    return filter_arg(modalities, every=MODALITIES)(ctx, param, value)


def _modes_opt(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
               ) -> tuple[str, ...]:
    from blocwatch.cli import filter_arg
    from blocwatch.filters import modes

    return filter_arg(modes)(ctx, param, value)


def _types_opt(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
               ) -> tuple[str, ...]:
    from blocwatch.cli import _types_arg

    return _types_arg(ctx, param, value)


def _actors(db: str, values: Any) -> tuple[str, ...]:
    from blocwatch.cli import resolve_actors

    return resolve_actors(db, values)


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def filter_options(fn: Callable, dates: bool = True) -> Callable:
    """--since/--until, actor, type, mode, modality, confidence and background filters and
    --weights, shared by the analyses (``dates=False``: shifts, which takes two periods)."""
    options = [
        click.option("--since", callback=_date,
                     help="Events on or after: a day, month (2024-03), quarter (2024-Q1) or "
                          "year (2024)."),
        click.option("--until", callback=_date, help="Events on or before (same forms)."),
    ] if dates else []
    options += [
        click.option("--only", "actors", multiple=True,
                     help="Only these actors (codes or names): the others are dropped from "
                          "every event (repeat or comma-separate)."),
        click.option("--exclude", multiple=True,
                     help="Leave out these actors, e.g. WST,NATO (repeat or comma-separate)."),
        click.option("--type", "types", multiple=True, callback=_types_opt,
                     help="Only these PLOVER event types (repeat or comma-separate)."),
        click.option("--mode", "modes", multiple=True, callback=_modes_opt,
                     help="Only these PLOVER modes, e.g. military,arrest (repeat or "
                          "comma-separate)."),
        click.option("--modality", "modalities", multiple=True, callback=_modalities_opt,
                     help="Only these modalities (repeat or comma-separate; `all`). Analyses "
                          "default to all, weighted by weights.yaml; event exports to asserted "
                          "and reported."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
                     help="Only events coded with at least this confidence."),
        click.option("--no-duplicates", is_flag=True,
                     help="Leave out events of near-duplicate copies (by default they count, "
                          "as their original's outlet: one story, one outlet)."),
        click.option("--domestic", is_flag=True,
                     help="Include events within one state (its government and opposition), "
                          "left out by default: the analyses are of international relations."),
        click.option("--background", is_flag=True,
                     help="Include history and context (background events), left out by "
                          "default."),
        click.option("--weights", type=click.Path(exists=True, dir_okay=False),
                     help="Your copy of weights.yaml (modality weights, type signs, window)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filter(db: str, since: date | None, until: date | None, actors: tuple[str, ...],
            exclude: tuple[str, ...], types: tuple[str, ...], min_confidence: float | None = None,
            background: bool = False, modes: tuple[str, ...] = (),
            modalities: tuple[str, ...] = (), domestic: bool = False,
            no_duplicates: bool = False, **_: Any) -> EventFilter:
    """The analyses' event filter from the shared options (:func:`filter_options`)."""
    if since and until and until < since:
        raise click.BadParameter("--until is before --since")
    return EventFilter(since=since, until=until, actors=_actors(db, actors),
                       exclude=_actors(db, exclude), types=_codes(types),
                       min_confidence=min_confidence, background=background, modes=modes,
                       modalities=modalities, domestic=domestic, duplicates=not no_duplicates)


def _analysis(db: str, weights: str | None) -> tuple[Any, Analysis]:
    from blocwatch.analysis.api import Analysis
    from blocwatch.cli import fail, open_store

    store = open_store(db, read_only=True)
    try:
        return store, Analysis(store, weights)
    except WeightsError as exc:
        store.close()
        fail(str(exc))
        raise  # unreachable


def _section(title: str, rows: list[dict[str, Any]], columns: list[str],
             widths: dict[str, int] | None = None) -> None:
    click.echo(f"\n{title}")
    output.emit(rows, "table", columns, widths=widths or {})


def _types(types: dict[str, int]) -> str:
    return ", ".join(f"{t} {n}" for t, n in types.items())


def _example(evidence: list[dict[str, Any]]) -> str:
    for item in evidence:
        for sentence in item.get("sentences", []):
            if sentence.get("text"):
                src = ", ".join(x for x in (sentence.get("outlet"),
                                            str(sentence.get("published") or "")) if x)
                return f"{sentence['text']}" + (f" ({src})" if src else "")
    return ""


def _score(value: float) -> str:
    return f"{value:+.2f}"


# -- stories --------------------------------------------------------------------------------------
@click.command("stories")
@db_option
@FORMAT
@filter_options
@click.option("--actor", "involving", help="Only stories this actor takes part in.")
@click.option("--limit", type=click.IntRange(0), default=20, show_default=True,
              help="At most this many stories (0: all).")
@click.option("--evidence", type=click.IntRange(0), default=3, show_default=True,
              help="Reports to show per story (json).")
def stories_cmd(db: str, fmt: str, since: date | None, until: date | None,
                actors: tuple[str, ...], exclude: tuple[str, ...], types: tuple[str, ...],
                weights: str | None, involving: str | None, limit: int, evidence: int,
                **more: Any) -> None:
    """Consolidated events: one story per real-world event, with its corroboration.

    Reports of the same type between the same actors within 7 days are one story; outlets
    counts distinct outlets (a near-duplicate counts as its original). Strongest first.
    """
    flt = _filter(db, since, until, actors, exclude, types, **more)
    involving = _actors(db, [involving])[0] if involving else None
    store, analysis = _analysis(db, weights)
    with store, analysis:
        found = analysis.stories(flt, limit=limit or None, evidence=evidence, actor=involving)
    rows = [s.to_dict() for s in found]
    if fmt == "json":
        output.emit(rows, "json")
        return
    for s, r in zip(found, rows, strict=True):
        r["date"] = s.first_day or "undated"
        r["source"] = "+".join(s.source)
        r["target"] = "+".join(s.target)
        r["quantities"] = "; ".join(str(q.get("text") or q.get("value")) for q in s.quantities)
        r["example"] = next((e.evidence for e in s.evidence if e.evidence), "")
        r["score"] = round(s.score, 2)
    output.emit(rows, fmt, ["date", "type", "source", "target", "modality", "outlets",
                            "reports", "score", "quantities", "example"],
                widths={"example": 70, "quantities": 24})


# -- dyads ----------------------------------------------------------------------------------------
@click.command("dyads")
@click.argument("source", required=False)
@click.argument("target", required=False)
@db_option
@FORMAT
@filter_options
@click.option("--window", type=click.Choice(WINDOWS), default="week", show_default=True,
              help="Time window of the series.")
@click.option("--both", is_flag=True, help="Also TARGET to SOURCE.")
@click.option("--fill", is_flag=True, help="Show empty windows too (a gap-free series).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="Dyads to list when not given both actors.")
def dyads_cmd(source: str | None, target: str | None, db: str, fmt: str, since: date | None,
              until: date | None, actors: tuple[str, ...], exclude: tuple[str, ...],
              types: tuple[str, ...], weights: str | None, window: str, both: bool,
              fill: bool, limit: int, **more: Any) -> None:
    """What SOURCE did to TARGET, window by window, and the cooperation-conflict score.

    With both actors: a time series (stories, reports, outlets, types, score per window).
    With one actor or none: the dyads of that actor (or all), strongest |score| first.
    score = sum of goldstein x modality weight x log2(1 + outlets) (see weights.yaml).
    """
    flt = _filter(db, since, until, actors, exclude, types, **more)
    source = _actors(db, [source])[0] if source else None
    target = _actors(db, [target])[0] if target else None
    store, analysis = _analysis(db, weights)
    with store, analysis:
        if source and target:
            rows = analysis.dyads(source.upper(), target.upper(), window, flt, symmetric=both,
                                  fill=fill)
            columns = ["source", "target", "window", "stories", "reports", "outlets", "score",
                       "types"]
        else:
            rows = analysis.top_dyads(flt, actor=source.upper() if source else None,
                                      limit=limit)
            columns = ["source", "target", "stories", "reports", "outlets", "score",
                       "cooperation", "conflict", "types"]
    if fmt == "table":
        for r in rows:
            r["types"] = _types(r["types"])
            for key in ("score", "cooperation", "conflict"):
                if key in r:
                    r[key] = f"{r[key]:.2f}"
            if "window" in r and r["window"] is None:
                r["window"] = "undated"
    output.emit(rows, fmt, columns, widths={"types": 50})


# -- blocs ----------------------------------------------------------------------------------------
@click.command("blocs")
@db_option
@FORMAT
@filter_options
@click.option("--min-size", type=click.IntRange(1), default=2, show_default=True,
              help="Hide blocs smaller than this (1 shows actors standing alone).")
@click.option("--evidence", type=click.IntRange(0), default=3, show_default=True,
              help="Stories of evidence per member.")
@click.option("--resolution", type=click.FloatRange(0.0, min_open=True), default=1.0,
              show_default=True, help="Higher: more, smaller blocs.")
def blocs_cmd(db: str, fmt: str, since: date | None, until: date | None,
              actors: tuple[str, ...], exclude: tuple[str, ...], types: tuple[str, ...],
              weights: str | None, min_size: int, evidence: int, resolution: float,
              **more: Any) -> None:
    """Who stands with whom: blocs from signed community detection, each member with evidence.

    Leiden on positive (+1) and negative (-1) ties, seeded (same result every run); two actors
    whose tie is net negative are never put in one bloc. strength (0..1): the share of an
    actor's positive ties that lie inside its bloc, less hostile ties inside. Actors with no
    signed tie are left out; actors standing alone are hidden unless --min-size 1.
    """
    flt = _filter(db, since, until, actors, exclude, types, **more)
    store, analysis = _analysis(db, weights)
    with store, analysis:
        result = analysis.blocs(flt, evidence=evidence, resolution=resolution)
    blocs = result.to_list(min_size)
    if fmt == "json":
        output.emit(blocs, "json")
        return
    rows = [{"bloc": b["bloc"], "code": m["code"], "name": m["name"], "strength": m["strength"],
             "events": m["events"], "outlets": m["outlets"], "explanation": m["explanation"]}
            for b in blocs for m in b["members"]]
    output.emit(rows, fmt, ["bloc", "code", "name", "strength", "events", "outlets",
                            "explanation"], widths={"name": 24, "explanation": 110})
    if fmt == "table":
        alone = [b.codes[0] for b in result.blocs if len(b.codes) < min_size]
        if alone:
            click.echo(f"\nstanding alone (--min-size 1 to list): {', '.join(alone)}")
        if result.unaligned:
            click.echo(f"no signed ties (left out): {', '.join(result.unaligned)}")


# -- shifts ---------------------------------------------------------------------------------------
def _period(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise click.BadParameter(str(exc)) from exc


@click.command("shifts")
@click.option("--from", "before", required=True, callback=_period,
              help=f"Earlier period: {PERIOD_SYNTAX}.")
@click.option("--to", "after", required=True, callback=_period, help="Later period, same syntax.")
@db_option
@FORMAT
@lambda fn: filter_options(fn, dates=False)
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="Items per list.")
def shifts_cmd(before: Any, after: Any, db: str, fmt: str, actors: tuple[str, ...],
               exclude: tuple[str, ...], types: tuple[str, ...], weights: str | None,
               top: int, **more: Any) -> None:
    """What changed from one period to another, with the events behind each change.

    Periods: YYYY-MM-DD..YYYY-MM-DD (inclusive), YYYY-MM, YYYY-Qn, YYYY, YYYY-MM-DD, or A..B
    of any two (2024-01..2024-03). Lists the dyads whose score moved most, the actors that
    changed bloc, and alignments that began or ended.
    """
    flt = _filter(db, None, None, actors, exclude, types, **more)
    store, analysis = _analysis(db, weights)
    with store, analysis:
        result = analysis.shifts(before, after, flt, top=top)
    if fmt == "json":
        output.emit([result], "json")
        return
    rows = _shift_rows(result)
    if fmt == "csv":
        output.emit(rows, "csv", ["kind", "subject", "from", "to", "change", "explanation",
                                  "example"])
        return
    click.echo(f"shifts from {before} ({before.start}..{before.end}) "
               f"to {after} ({after.start}..{after.end})")
    sections = [
        ("changed_bloc", "Actors that changed bloc", ["actor", "left", "joined", "example"],
         lambda c: {"actor": c["code"], "left": ", ".join(c["left"]),
                    "joined": ", ".join(c["joined"]), "example": _example(c["evidence"])}),
        ("dyads", "Dyads that moved most", ["dyad", "from", "to", "change", "stories",
                                            "example"],
         lambda d: {"dyad": f"{d['source']}->{d['target']}", "from": _score(d["score_from"]),
                    "to": _score(d["score_to"]), "change": _score(d["change"]),
                    "stories": f"{d['stories_from']} -> {d['stories_to']}",
                    "example": _example(d["evidence"])}),
        ("new_alignments", "New alignments", ["pair", "from", "to", "example"],
         lambda a: {"pair": f"{a['a']}-{a['b']}", "from": _score(a["net_from"]),
                    "to": _score(a["net_to"]), "example": _example(a["evidence"])}),
        ("ended_alignments", "Alignments that ended", ["pair", "from", "to", "now", "example"],
         lambda a: {"pair": f"{a['a']}-{a['b']}", "from": _score(a["net_from"]),
                    "to": _score(a["net_to"]), "now": a["now"],
                    "example": _example(a["evidence"] or a.get("evidence_before", []))}),
    ]
    for key, title, columns, row in sections:
        if result[key]:
            _section(title, [row(x) for x in result[key]], columns,
                     widths={"left": 30, "joined": 30, "example": 90})
        else:
            click.echo(f"\n{title}: none")


def _shift_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for c in result["changed_bloc"]:
        rows.append({"kind": "bloc", "subject": c["code"], "from": "+".join(c["from_bloc"]),
                     "to": "+".join(c["to_bloc"]), "change": "",
                     "explanation": c["explanation"], "example": _example(c["evidence"])})
    for d in result["dyads"]:
        rows.append({"kind": "dyad", "subject": f"{d['source']}->{d['target']}",
                     "from": _score(d["score_from"]), "to": _score(d["score_to"]),
                     "change": _score(d["change"]),
                     "explanation": f"{d['stories_from']} -> {d['stories_to']} stories",
                     "example": _example(d["evidence"])})
    for kind, key in (("new", "new_alignments"), ("ended", "ended_alignments")):
        for a in result[key]:
            rows.append({"kind": kind, "subject": f"{a['a']}-{a['b']}",
                         "from": _score(a["net_from"]), "to": _score(a["net_to"]),
                         "change": _score(a["net_to"] - a["net_from"]),
                         "explanation": a.get("now", "now aligned"),
                         "example": _example(a["evidence"])})
    return rows


# -- profile --------------------------------------------------------------------------------------
@click.command("profile")
@click.argument("actor")
@db_option
@FORMAT
@filter_options
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="Partners, adversaries and dyads to list.")
@click.option("--recent", type=click.IntRange(0), default=10, show_default=True,
              help="Latest stories to list.")
def profile_cmd(actor: str, db: str, fmt: str, since: date | None, until: date | None,
                actors: tuple[str, ...], exclude: tuple[str, ...], types: tuple[str, ...],
                weights: str | None, top: int, recent: int, **more: Any) -> None:
    """One actor (a code or a name): its bloc, partners, adversaries, main dyads and latest
    stories."""
    flt = _filter(db, since, until, actors, exclude, types, **more)
    (actor,) = _actors(db, [actor])
    store, analysis = _analysis(db, weights)
    with store, analysis:
        p = analysis.profile(actor, flt, top, recent)
    if fmt == "json":
        output.emit([p], "json")
        return
    rows = _profile_rows(p)
    if fmt == "csv":
        output.emit(rows, "csv", ["section", "code", "date", "type", "score", "stories",
                                  "detail"])
        return
    if not p["stories"]:
        click.echo(f"{p['code']}: no events in the store for this period")
        return
    span = f"{p['first_day'] or '?'} .. {p['last_day'] or '?'}"
    click.echo(f"{p['code']} — {p['name']}: {p['events']} events in {p['stories']} stories "
               f"({span})")
    click.echo(p["bloc"]["explanation"] if p["bloc"] else "in no bloc for this period")
    if p["bloc"]:
        click.echo(f"bloc {p['bloc']['bloc']}: {', '.join(p['bloc']['members'])} "
                   f"(strength {p['bloc']['strength']})")
    for section, title, columns in (
            ("partner", "Partners", ["code", "score", "stories", "detail"]),
            ("adversary", "Adversaries", ["code", "score", "stories", "detail"]),
            ("dyad", "Dyads", ["code", "score", "stories", "detail"]),
            ("recent", "Recent stories", ["date", "type", "code", "score", "detail"])):
        mine = [r for r in rows if r["section"] == section]
        if mine:
            _section(title, mine, columns, widths={"detail": 90})


def _profile_rows(p: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for section, key in (("partner", "partners"), ("adversary", "adversaries")):
        for t in p[key]:
            rows.append({"section": section, "code": t["code"], "score": round(t["net"], 2),
                         "stories": t["stories"],
                         "detail": f"{t['name']}{' (same bloc)' if t['same_bloc'] else ''}"})
    for d in p["dyads"]:
        rows.append({"section": "dyad", "code": f"{d['source']}->{d['target']}",
                     "score": round(d["score"], 2), "stories": d["stories"],
                     "detail": _types(d["types"])})
    for s in p["recent"]:
        rows.append({"section": "recent", "date": s["date"] or "undated", "type": s["type"],
                     "code": f"{'+'.join(s['source'])}->{'+'.join(s['target'])}",
                     "score": round(s["score"], 2), "stories": 1,
                     "detail": f"[{s['modality']}, {s['outlets']} outlet(s)] "
                               + _example([s])})
    return rows


# -- export ---------------------------------------------------------------------------------------
def _export_formats() -> list[str]:
    from blocwatch.export import WRITERS  # light: writers load the analysis when they run

    return sorted(WRITERS)


@click.command("export")
@click.option("--to", "fmt", type=click.Choice(_export_formats()),
              help="File format. Events: plover (JSON), gdelt (the GDELT 2.0 event table), "
                   "gdelt-mentions, csv, parquet; the alignment graph with blocs: graphml, gexf.")
@click.option("--format", "old_fmt", type=click.Choice(_export_formats()), hidden=True,
              help="Deprecated alias of --to.")
@click.option("--out", required=True, help="File to write, or - for stdout (text formats).")
@click.option("--header", is_flag=True,
              help="gdelt, gdelt-mentions: add a header row (GDELT's own files have none).")
@click.option("--network", type=click.Choice(["alignment", "events"]), default="alignment",
              show_default=True,
              help="graphml, gexf: the signed alignment graph with blocs, or the directed event "
                   "network (one edge per source -> target, counts by type).")
@click.option("--extras", type=click.Path(dir_okay=False),
              help="gdelt: also write blocwatch's fields (PLOVER type and mode, modality, "
                   "evidence) to this TSV, keyed by GLOBALEVENTID.")
@db_option
@filter_options
def export_cmd(fmt: str | None, old_fmt: str | None, out: str, header: bool,
               network: str,
               extras: str | None, db: str,
               since: date | None, until: date | None,
               actors: tuple[str, ...], exclude: tuple[str, ...], types: tuple[str, ...],
               weights: str | None, **more: Any) -> None:
    """Write the store's data for other tools: events for R/pandas/GDELT pipelines, the
    alignment graph for Gephi, Cytoscape or igraph.

    Events hold what the analyses count unless widened: asserted and reported (--modality),
    international (--domestic), not background (--background); the summary line says which."""
    from blocwatch.cli import fail, open_store
    from blocwatch.export import ExportOptions, export

    if old_fmt and not fmt:
        click.echo("blocwatch: warning: export --format is deprecated; use --to", err=True)
    fmt = fmt or old_fmt
    if not fmt:
        raise click.UsageError("give the file format with --to")
    flt = _filter(db, since, until, actors, exclude, types, **more)
    options = ExportOptions(flt=flt, weights=weights,
                            extra={"header": header, "extras": extras, "network": network,
                                   "domestic": flt.domestic, "modalities": flt.modalities})
    with open_store(db, read_only=True) as store:
        try:
            summary = export(store, fmt, out, options)
        except (ValueError, OSError) as exc:
            fail(str(exc))
            return
    click.echo(", ".join(f"{k}: {v}" for k, v in summary.items()), err=True)


# -- report ---------------------------------------------------------------------------------------
@click.command("report")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="HTML file to write (one self-contained file, works offline).")
@db_option
@filter_options
@click.option("--title", default="blocwatch report", show_default=True, help="Report title.")
@click.option("--window", type=click.Choice(WINDOWS), default=None,
              help="Timeline window (default: chosen from the period's length).")
@click.option("--top", type=click.IntRange(1), default=12, show_default=True,
              help="Events to show in the top-events section.")
@click.option("--min-bloc-events", type=click.IntRange(1), default=3, show_default=True,
              help="A bloc none of whose members has this many events is shown as unaligned "
                   "actors.")
@click.option("--from", "before", callback=_period,
              help="Shifts: earlier period (default: first half of the report's span).")
@click.option("--to", "after", callback=_period,
              help="Shifts: later period (default: second half).")
def report_cmd(out: str, db: str, since: date | None, until: date | None,
               actors: tuple[str, ...], exclude: tuple[str, ...], types: tuple[str, ...],
               weights: str | None, title: str, window: str | None, top: int, before: Any,
               after: Any, min_bloc_events: int, **more: Any) -> None:
    """An HTML report: the bloc network, dyad timelines, biggest shifts and top events.

    One self-contained file (inline CSS, JS and SVG; nothing loaded from the network).
    Shifts compare the two halves of the period unless --from and --to are given.
    """
    from blocwatch.report import ReportOptions, write_report

    if (before is None) != (after is None):
        raise click.BadParameter("give both --from and --to, or neither")
    flt = _filter(db, since, until, actors, exclude, types, **more)
    store, analysis = _analysis(db, weights)
    options = ReportOptions(title=title, window=window, top_events=top, before=before,
                            after=after, min_bloc_events=min_bloc_events)
    with store, analysis:
        summary = write_report(analysis, out, flt, options)
    click.echo(f"{out}: {summary['stories']} stories, {summary['blocs']} blocs, "
               f"{summary['actors']} actors ({summary['bytes'] // 1024} KiB)", err=True)


COMMANDS = [stories_cmd, dyads_cmd, blocs_cmd, shifts_cmd, profile_cmd, export_cmd, report_cmd]


def register(main: click.Group) -> None:
    """Add the analysis commands to the `blocwatch` group (once; existing names win)."""
    for command in COMMANDS:
        if command.name not in main.commands:
            main.add_command(command)
