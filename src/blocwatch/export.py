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
    """Make a format available to `blocwatch export --format NAME`."""
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
    """The signed alignment graph as GraphML (undirected; `weight` is the signed net tie)."""
    result = _graph(store, options)
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    keys = [("label", "node", "string"), ("bloc", "node", "int"), ("strength", "node", "double"),
            ("colour", "node", "string"),
            ("weight", "edge", "double"), ("positive", "edge", "double"),
            ("negative", "edge", "double"), ("sign", "edge", "int"),
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
        data(edge, "weight", round(t.net, 6))
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
    """The alignment graph as GEXF 1.3 for Gephi: bloc colours, |net| as weight, sign kept."""
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


register_format("graphml", write_graphml, "alignment graph (signed, with blocs) as GraphML",
                ".graphml")
register_format("gexf", write_gexf, "alignment graph (signed, with blocs) as GEXF 1.3 for Gephi",
                ".gexf")
