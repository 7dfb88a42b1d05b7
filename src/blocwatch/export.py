"""`blocwatch export`: writers by format name, so each new format is one function and one entry.

A writer takes the open store, the output path (or '-' for stdout where the format is text) and
the options, and returns a small summary for the command to print. The alignment graph formats
live here; event formats (PLOVER JSON, GDELT-style TSV, CSV, Parquet) join `WRITERS` the same
way with `register_format`.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from blocwatch import __version__
from blocwatch.analysis.events import EventFilter
from blocwatch.analysis.names import actor_name

if TYPE_CHECKING:
    from blocwatch.analysis.blocs import BlocResult

# Colours shared with the report, so a bloc looks the same in Gephi and in the HTML.
BLOC_COLOURS = ["#3b6fd8", "#d9572b", "#2e9e6a", "#9c4fd0", "#c9a227", "#d6437e", "#2aa6b8",
                "#7a8b2f", "#8a5a3c", "#5561a8"]
UNALIGNED_COLOUR = "#9aa3ad"


def bloc_colour(bloc: int | None) -> str:
    return UNALIGNED_COLOUR if bloc is None else BLOC_COLOURS[bloc % len(BLOC_COLOURS)]


@dataclass
class ExportOptions:
    """What to export: the events filter, the weights file, and format-specific extras."""

    flt: EventFilter = field(default_factory=EventFilter)
    weights: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Writer = Callable[[Any, str, ExportOptions], dict[str, Any]]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    writer: Writer
    description: str
    suffix: str
    binary: bool = False


WRITERS: dict[str, ExportFormat] = {}


def register_format(name: str, writer: Writer, description: str, suffix: str,
                    binary: bool = False) -> None:
    """Make a format available to `blocwatch export --to NAME`."""
    WRITERS[name] = ExportFormat(name, writer, description, suffix, binary)


def export(store: Any, fmt: str, out: str, options: ExportOptions | None = None
           ) -> dict[str, Any]:
    """Write the store's data in format `fmt` to `out` ('-' for stdout)."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(sorted(WRITERS))})")
    spec = WRITERS[fmt]
    if out == "-" and spec.binary:
        raise ValueError(f"{fmt} is binary: give a file with --out")
    return spec.writer(store, out, options or ExportOptions())


@contextmanager
def _text_out(out: str):  # noqa: ANN202 - a context manager yielding a text stream
    if out == "-":
        yield sys.stdout
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        yield fh


# -- alignment graph ------------------------------------------------------------------------------
def _graph(store: Any, options: ExportOptions) -> BlocResult:
    from blocwatch.analysis.api import Analysis

    with Analysis(store, options.weights) as analysis:
        return analysis.blocs(options.flt, evidence=0)


def _write_xml(root: ET.Element, fh: TextIO) -> None:
    ET.indent(root)
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write(ET.tostring(root, encoding="unicode"))
    fh.write("\n")


def _period(flt: EventFilter) -> str:
    return (f"{flt.since.isoformat() if flt.since else 'start'} .. "
            f"{flt.until.isoformat() if flt.until else 'end'}")


def write_graphml(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """The signed alignment graph as GraphML (undirected). The signed tie is split so that
    community functions, which need weights of one sign, run on it as it is: ``weight`` and
    ``positive`` the cooperative part, ``negative`` the hostile part (as a positive number),
    ``net`` their difference. ``--network events`` writes the directed event network instead."""
    if options.extra.get("network") == "events":
        return _write_event_network(store, out, options, "graphml")
    result = _graph(store, options)
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [("label", "node", "string"), ("bloc", "node", "int"), ("strength", "node", "double"),
            ("colour", "node", "string"),
            ("weight", "edge", "double"), ("net", "edge", "double"),
            ("positive", "edge", "double"), ("negative", "edge", "double"), ("sign", "edge", "int"),
            ("stories", "edge", "int"), ("reports", "edge", "int")]
    for name, where, kind in keys:
        ET.SubElement(root, f"{{{ns}}}key", {"id": name, "for": where, "attr.name": name,
                                              "attr.type": kind})
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "alignment",
                                                   "edgedefault": "undirected"})
    desc = ET.SubElement(graph, f"{{{ns}}}desc")
    desc.text = f"blocwatch {__version__} alignment graph, {_period(options.flt)}"

    def data(parent: ET.Element, key: str, value: Any) -> None:
        ET.SubElement(parent, f"{{{ns}}}data", {"key": key}).text = str(value)

    for code in result.graph.actors:
        node = ET.SubElement(graph, f"{{{ns}}}node", {"id": code})
        member = result.member(code)
        bloc = result.membership.get(code)
        data(node, "label", actor_name(code))
        data(node, "bloc", bloc if bloc is not None else -1)
        data(node, "strength", round(member.strength, 4) if member else 0.0)
        data(node, "colour", bloc_colour(bloc))
    for i, t in enumerate(result.graph.ties):
        edge = ET.SubElement(graph, f"{{{ns}}}edge", {"id": f"e{i}", "source": t.a,
                                                      "target": t.b})
        data(edge, "weight", round(t.positive, 6))
        data(edge, "net", round(t.net, 6))
        data(edge, "positive", round(t.positive, 6))
        data(edge, "negative", round(t.negative, 6))
        data(edge, "sign", t.sign)
        data(edge, "stories", t.stories)
        data(edge, "reports", t.reports)
    with _text_out(out) as fh:
        _write_xml(root, fh)
    return {"format": "graphml", "out": out, "nodes": len(result.graph.actors),
            "edges": len(result.graph.ties), "blocs": len(result.blocs)}


def write_gexf(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """The alignment graph as GEXF 1.3 for Gephi: bloc colours, |net| as weight, sign kept;
    ``--network events`` writes the directed event network instead."""
    if options.extra.get("network") == "events":
        return _write_event_network(store, out, options, "gexf")
    result = _graph(store, options)
    ns, viz = "http://gexf.net/1.3", "http://gexf.net/1.3/viz"
    ET.register_namespace("", ns)
    ET.register_namespace("viz", viz)
    root = ET.Element(f"{{{ns}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{ns}}}meta", {
        "lastmodifieddate": datetime.now(UTC).date().isoformat()})
    ET.SubElement(meta, f"{{{ns}}}creator").text = f"blocwatch {__version__}"
    ET.SubElement(meta, f"{{{ns}}}description").text = (
        f"Signed alignment graph, {_period(options.flt)}")
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"defaultedgetype": "undirected",
                                                   "mode": "static"})
    node_attrs = [("bloc", "integer"), ("strength", "double")]
    edge_attrs = [("net", "double"), ("positive", "double"), ("negative", "double"),
                  ("sign", "integer"), ("stories", "integer"), ("reports", "integer")]
    for cls, attrs in (("node", node_attrs), ("edge", edge_attrs)):
        block = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": cls})
        for name, kind in attrs:
            ET.SubElement(block, f"{{{ns}}}attribute", {"id": name, "title": name, "type": kind})

    def values(parent: ET.Element, pairs: list[tuple[str, Any]]) -> None:
        block = ET.SubElement(parent, f"{{{ns}}}attvalues")
        for key, value in pairs:
            ET.SubElement(block, f"{{{ns}}}attvalue", {"for": key, "value": str(value)})

    nodes = ET.SubElement(graph, f"{{{ns}}}nodes")
    for code in result.graph.actors:
        bloc = result.membership.get(code)
        member = result.member(code)
        node = ET.SubElement(nodes, f"{{{ns}}}node", {"id": code, "label": actor_name(code)})
        values(node, [("bloc", bloc if bloc is not None else -1),
                      ("strength", round(member.strength, 4) if member else 0.0)])
        colour = bloc_colour(bloc).lstrip("#")
        ET.SubElement(node, f"{{{viz}}}color", {"r": str(int(colour[0:2], 16)),
                                                "g": str(int(colour[2:4], 16)),
                                                "b": str(int(colour[4:6], 16))})
    edges = ET.SubElement(graph, f"{{{ns}}}edges")
    for i, t in enumerate(result.graph.ties):
        edge = ET.SubElement(edges, f"{{{ns}}}edge", {
            "id": str(i), "source": t.a, "target": t.b, "weight": f"{abs(t.net):.6f}"})
        values(edge, [("net", round(t.net, 6)), ("positive", round(t.positive, 6)),
                      ("negative", round(t.negative, 6)), ("sign", t.sign),
                      ("stories", t.stories), ("reports", t.reports)])
    with _text_out(out) as fh:
        _write_xml(root, fh)
    return {"format": "gexf", "out": out, "nodes": len(result.graph.actors),
            "edges": len(result.graph.ties), "blocs": len(result.blocs)}


def _write_event_network(store: Any, out: str, options: ExportOptions,
                         fmt: str) -> dict[str, Any]:
    """The directed event network: one edge per source -> target pair of the filtered events,
    weighted by their number, with a count per PLOVER type (``AID``, ``ASSAULT``, ...) and the
    summed Goldstein score."""
    from collections import Counter

    edges: dict[tuple[str, str], Counter] = {}
    goldstein: dict[tuple[str, str], float] = {}
    for e in _events(store, options):
        for s in sorted({a["code"] for a in e["source"] if a.get("code")}):
            for t in sorted({a["code"] for a in e["target"] if a.get("code")}):
                if s == t:
                    continue
                edges.setdefault((s, t), Counter())[e["type"]] += 1
                goldstein[(s, t)] = goldstein.get((s, t), 0.0) + float(e.get("goldstein") or 0)
    types = sorted({t for c in edges.values() for t in c})
    nodes = sorted({a for pair in edges for a in pair})
    if fmt == "graphml":
        ns = "http://graphml.graphdrawing.org/xmlns"
        ET.register_namespace("", ns)
        root = ET.Element(f"{{{ns}}}graphml")
        keys = [("label", "node", "string"), ("weight", "edge", "double"),
                ("events", "edge", "int"), ("goldstein", "edge", "double"),
                *((t, "edge", "int") for t in types)]
        for name, where, kind in keys:
            ET.SubElement(root, f"{{{ns}}}key", {"id": name, "for": where, "attr.name": name,
                                                  "attr.type": kind})
        graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "events",
                                                       "edgedefault": "directed"})
        for code in nodes:
            node = ET.SubElement(graph, f"{{{ns}}}node", {"id": code})
            ET.SubElement(node, f"{{{ns}}}data", {"key": "label"}).text = actor_name(code)
        for i, ((s, t), counts) in enumerate(sorted(edges.items())):
            edge = ET.SubElement(graph, f"{{{ns}}}edge", {"id": f"e{i}", "source": s,
                                                          "target": t})
            n = sum(counts.values())
            for key, value in [("weight", n), ("events", n),
                               ("goldstein", round(goldstein[(s, t)], 3)),
                               *((k, counts.get(k, 0)) for k in types)]:
                ET.SubElement(edge, f"{{{ns}}}data", {"key": key}).text = str(value)
    else:
        ns = "http://gexf.net/1.3"
        ET.register_namespace("", ns)
        root = ET.Element(f"{{{ns}}}gexf", {"version": "1.3"})
        graph = ET.SubElement(root, f"{{{ns}}}graph", {"defaultedgetype": "directed",
                                                       "mode": "static"})
        block = ET.SubElement(graph, f"{{{ns}}}attributes", {"class": "edge"})
        for name, kind in [("events", "integer"), ("goldstein", "double"),
                           *((t, "integer") for t in types)]:
            ET.SubElement(block, f"{{{ns}}}attribute", {"id": name, "title": name, "type": kind})
        xml_nodes = ET.SubElement(graph, f"{{{ns}}}nodes")
        for code in nodes:
            ET.SubElement(xml_nodes, f"{{{ns}}}node", {"id": code, "label": actor_name(code)})
        xml_edges = ET.SubElement(graph, f"{{{ns}}}edges")
        for i, ((s, t), counts) in enumerate(sorted(edges.items())):
            n = sum(counts.values())
            edge = ET.SubElement(xml_edges, f"{{{ns}}}edge", {"id": str(i), "source": s,
                                                              "target": t, "weight": str(n)})
            vals = ET.SubElement(edge, f"{{{ns}}}attvalues")
            for key, value in [("events", n), ("goldstein", round(goldstein[(s, t)], 3)),
                               *((k, counts.get(k, 0)) for k in types)]:
                ET.SubElement(vals, f"{{{ns}}}attvalue", {"for": key, "value": str(value)})
    with _text_out(out) as fh:
        _write_xml(root, fh)
    return {"format": fmt, "network": "events", "out": out, "nodes": len(nodes),
            "edges": len(edges)}


register_format("graphml", write_graphml, "alignment graph (signed, with blocs) as GraphML",
                ".graphml")
register_format("gexf", write_gexf, "alignment graph (signed, with blocs) as GEXF 1.3 for Gephi",
                ".gexf")


# -- event formats -------------------------------------------------------------------------
#: What event exports hold unless told otherwise: what the analyses count (acts told as fact,
#: by the writer or a named source; between states; news, not history).
DEFAULT_MODALITIES = ("asserted", "reported")


def scope(options: ExportOptions) -> str:
    """The event export's scope in words, for the summary line."""
    mods = options.extra.get("modalities") or DEFAULT_MODALITIES
    parts = [" and ".join(mods), "domestic pairs included" if options.extra.get("domestic")
             else "international", "background included" if options.flt.background
             else "not background"]
    return ", ".join(parts)


def _domestic(e: dict[str, Any]) -> bool:
    """Both sides one and the same state (a government and its opposition)."""
    codes = {a.get("code") for a in e["source"] + e["target"]}
    return bool(e["source"]) and bool(e["target"]) and len(codes) == 1


def _events(store: Any, options: ExportOptions) -> list[dict[str, Any]]:
    """Stored events under the export's filter (dates, actors, types, confidence) and scope
    (:data:`DEFAULT_MODALITIES`, international, not background, unless widened)."""
    flt = options.flt
    events = store.events(types=flt.types, since=flt.since, until=flt.until,
                          min_confidence=flt.min_confidence, include_duplicates=flt.duplicates,
                          modalities=options.extra.get("modalities") or DEFAULT_MODALITIES,
                          background=flt.background)
    keep, drop = set(flt.actors), set(flt.exclude)
    domestic = bool(options.extra.get("domestic"))

    def wanted(e: dict[str, Any]) -> bool:
        codes = {a.get("code") for a in e["source"] + e["target"]}
        return (not keep or bool(codes & keep)) and not (codes & drop) and (
            domestic or not _domestic(e)) and (
            not flt.modes or (e.get("mode") or "").lower() in flt.modes)

    return [e for e in events if wanted(e)]


def write_json(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """Events as a JSON array in blocwatch's own shape (that of ``blocwatch code`` and
    ``events --format json``: every field, evidence and document)."""
    import json

    events = _events(store, options)
    with _text_out(out) as fh:
        json.dump(events, fh, ensure_ascii=False, indent=1, default=str)
        fh.write("\n")
    return {"format": "json", "out": out, "events": len(events), "scope": scope(options)}


def _iso2(code: str | None) -> str:
    """PLOVER's ``eventLoc`` "country code" is two letters (ISO 3166-1)."""
    if not code:
        return ""
    import pycountry

    found = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return found.alpha_2 if found else code


def plover_record(e: dict[str, Any], plover: Any) -> dict[str, Any]:
    """One event in the field names of the PLOVER specification (openeventdata/PLOVER, as in
    its gold-standard records): ``id``, ``date``, ``event``, ``mode``, ``context``, ``source``
    and ``target`` as lists of ``actorText``/``code``/``sector``, ``eventText``, ``text``,
    ``eventLoc``, ``language``, ``publication``. The context is PLOVER's, apart from the mode;
    what PLOVER has no field for is under ``blocwatch``."""
    doc = e.get("document") or {}
    ev = e.get("evidence") or {}

    def actors(items: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"actorText": a.get("text") or "", "code": a.get("code") or "",
                 "sector": a.get("sector") or ""} for a in items]

    record: dict[str, Any] = {
        "id": e["id"], "date": str(e.get("date") or doc.get("published") or ""),
        "event": e["type"], "mode": e.get("mode") or "",
        "context": plover.context(e["type"], e.get("mode")) or "",
        "source": actors(e.get("source") or []), "target": actors(e.get("target") or []),
        "eventText": (e.get("trigger") or {}).get("text") or "", "text": ev.get("text") or "",
        "language": "en", "publication": doc.get("outlet") or "",
    }
    loc = e.get("location")
    if loc:
        record["eventLoc"] = {"name": loc.get("text") or "",
                              "country code": _iso2(loc.get("country"))}
    q = e.get("quantity") or {}
    if e["type"] == "PROTEST" and q.get("value") is not None:
        record["size"] = q["value"]
    record["blocwatch"] = {
        "modality": e.get("modality"), "attribution": e.get("attribution"),
        "background": bool(e.get("background")), "confidence": e.get("confidence"),
        "cameo": e.get("cameo"), "quad": e.get("quad"), "goldstein": e.get("goldstein"),
        "datePrecision": e.get("date_precision"), "quantity": e.get("quantity"),
        "evidence": {"docId": ev.get("doc_id"), "sentence": ev.get("sentence"),
                     "start": ev.get("start"), "end": ev.get("end")},
        "url": doc.get("url"), "published": doc.get("published"),
        "extractor": e.get("extractor"),
    }
    return record


def write_plover(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """Events as a JSON array of PLOVER records (:func:`plover_record`), which readers of the
    PLOVER gold-standard records load unchanged."""
    import json

    from blocwatch.plover import load_plover

    plover = load_plover()
    records = [plover_record(e, plover) for e in _events(store, options)]
    with _text_out(out) as fh:
        json.dump(records, fh, ensure_ascii=False, indent=1, default=str)
        fh.write("\n")
    return {"format": "plover", "out": out, "events": len(records), "scope": scope(options)}


def _tsv(out: str, columns: list[str], rows: list[dict[str, Any]], header: bool) -> None:
    import csv

    with _text_out(out) as fh:
        writer = csv.DictWriter(fh, columns, delimiter="\t", lineterminator="\n",
                                quoting=csv.QUOTE_NONE, escapechar=None, quotechar=None)
        if header:
            writer.writeheader()
        for row in rows:  # GDELT files carry no quoting: tabs and newlines in text become spaces
            writer.writerow({k: " ".join(str(v).split()) if isinstance(v, str) else v
                             for k, v in row.items()})


def write_gdelt(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """The GDELT 2.0 event table: its 61 columns in the codebook's order, tab-separated, no
    header (``--header`` adds one); one row per story and actor pair. blocwatch's own fields go
    to ``--extras FILE``, keyed by GLOBALEVENTID."""
    from blocwatch import gdelt

    events, _, extras = gdelt.tables(store, options.flt, options.weights,
                                     bool(options.extra.get("domestic")))
    header = bool(options.extra.get("header"))
    _tsv(out, gdelt.EVENT_COLUMNS, events, header)
    summary: dict[str, Any] = {"format": "gdelt", "out": out, "rows": len(events)}
    if options.extra.get("extras"):
        _tsv(options.extra["extras"], gdelt.EXTRA_COLUMNS, extras, True)
        summary["extras"] = options.extra["extras"]
    return summary


def write_gdelt_mentions(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """The GDELT 2.0 mentions table (16 columns): one row per report of each exported event."""
    from blocwatch import gdelt

    _, mentions, _ = gdelt.tables(store, options.flt, options.weights,
                                  bool(options.extra.get("domestic")))
    _tsv(out, gdelt.MENTION_COLUMNS, mentions, bool(options.extra.get("header")))
    return {"format": "gdelt-mentions", "out": out, "rows": len(mentions)}


def _flat(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per event, for CSV and Parquet (actor lists joined with '+')."""

    def actors(items: list[dict[str, Any]], key: str) -> str:
        return "+".join(a.get(key) or "" for a in items)

    return [{
        "id": e["id"], "date": e["date"] or e["document"]["published"],
        "date_precision": e.get("date_precision"), "type": e["type"], "mode": e.get("mode"),
        "cameo": e.get("cameo"), "quad": e.get("quad"), "goldstein": e.get("goldstein"),
        "source": actors(e["source"], "code"), "source_sector": actors(e["source"], "sector"),
        "source_text": actors(e["source"], "text"), "target": actors(e["target"], "code"),
        "target_sector": actors(e["target"], "sector"),
        "target_text": actors(e["target"], "text"), "modality": e["modality"],
        "attribution": e.get("attribution"),
        "quantity_value": (e.get("quantity") or {}).get("value"),
        "quantity_unit": (e.get("quantity") or {}).get("unit"),
        "quantity_text": (e.get("quantity") or {}).get("text"),
        "location": (e.get("location") or {}).get("text"),
        "location_country": (e.get("location") or {}).get("country"),
        "confidence": e.get("confidence"), "doc_id": e["evidence"]["doc_id"],
        "sentence": e["evidence"].get("sentence"), "start": e["evidence"].get("start"),
        "end": e["evidence"].get("end"), "evidence": e["evidence"].get("text"),
        "outlet": e["document"].get("outlet"), "published": e["document"].get("published"),
        "title": e["document"].get("title"), "url": e["document"].get("url"),
        "duplicate_of": e["document"].get("duplicate_of"), "extractor": e.get("extractor"),
    } for e in events]


def write_csv(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """Events as CSV, one row per event with its evidence sentence and document."""
    import csv

    rows = _flat(_events(store, options))
    columns = list(_flat([_EMPTY_EVENT])[0])
    with _text_out(out) as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return {"format": "csv", "out": out, "events": len(rows), "scope": scope(options)}


def write_parquet(store: Any, out: str, options: ExportOptions) -> dict[str, Any]:
    """Events as a Parquet file (typed columns) for pandas, R arrow, DuckDB or Spark."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _flat(_events(store, options))
    columns = list(_flat([_EMPTY_EVENT])[0])
    table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string())
                                                              for c in columns})
    pq.write_table(table, out)
    return {"format": "parquet", "out": out, "events": len(rows), "scope": scope(options)}


_EMPTY_EVENT: dict[str, Any] = {
    "id": "", "date": None, "type": "", "source": [], "target": [], "modality": "",
    "evidence": {"doc_id": ""}, "document": {"published": None},
}

register_format("plover", write_plover, "events as PLOVER records (the specification's "
                "fields; blocwatch's own under 'blocwatch')", ".json")
register_format("json", write_json, "events in blocwatch's own JSON shape (as `blocwatch "
                "code`)", ".json")
register_format("gdelt", write_gdelt, "the GDELT 2.0 event table (61 columns, TSV)", ".tsv")
register_format("gdelt-mentions", write_gdelt_mentions, "the GDELT 2.0 mentions table (TSV)",
                ".tsv")
register_format("csv", write_csv, "events as CSV, one row per event", ".csv")
register_format("parquet", write_parquet, "events as Parquet", ".parquet", binary=True)
