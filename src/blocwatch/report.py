"""`blocwatch report`: one self-contained HTML file a person wants to read.

Everything is inline (CSS, a little JS, SVG drawn here in Python), so the file opens offline, can
be mailed, and loads nothing from anywhere. The network picture is laid out with igraph
(Fruchterman-Reingold on the positive ties plus a light pull inside each bloc, from a fixed start,
so the same data gives the same picture); timelines are SVG bar charts of the dyad score per
window. The page says what it shows: the period, the counts, and how scores are weighted.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path
from typing import Any

import igraph
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from blocwatch import __version__
from blocwatch.analysis import Analysis, BlocResult, EventFilter, Period, actor_name
from blocwatch.analysis.dyads import window_range
from blocwatch.export import bloc_colour
from blocwatch.safety import web_link

TEMPLATES = Path(__file__).resolve().parent / "templates"
POSITIVE, NEGATIVE = "#2e9e6a", "#d64545"
QUAD_CLASS = {1: "vc", 2: "mc", 3: "vk", 4: "mk"}  # verbal/material cooperation/conflict


@dataclass
class ReportOptions:
    """What the report shows; defaults suit a few hundred to a few thousand stories."""

    title: str = "blocwatch report"
    window: str | None = None          # timeline window; None: from the period's length
    top_events: int = 12
    min_bloc_events: int = 3           # a bloc none of whose members has this many events is
    #                                    shown as unaligned actors, not as a bloc
    top_dyads: int = 8
    max_edges: int = 160               # network edges drawn (strongest first)
    before: Period | None = None       # shifts: default first half vs second half
    after: Period | None = None


def auto_window(first: date | None, last: date | None) -> str:
    """A window giving a readable number of bars for the period."""
    if not first or not last:
        return "week"
    days = (last - first).days
    if days <= 31:
        return "day"
    if days <= 200:
        return "week"
    if days <= 3 * 366:
        return "month"
    return "quarter"


def _fmt_day(day: date | None, precision: str = "day") -> str:
    """A day as the text dated it: "1978" and "March 2024", never "1 Jan 1978"."""
    if not day:
        return "undated"
    if precision == "year":
        return f"{day:%Y}"
    if precision == "month":
        return f"{day:%B %Y}"
    return day.strftime("%-d %b %Y")


def _score(value: float) -> str:
    return f"{value:+.1f}"


# -- network --------------------------------------------------------------------------------------
def _layout(result: BlocResult, width: float, height: float,
            pad: float = 46.0) -> dict[str, tuple[float, float]]:
    graph = result.graph
    codes = graph.actors
    if not codes:
        return {}
    index = {c: i for i, c in enumerate(codes)}
    g = igraph.Graph(n=len(codes))
    edges, weights = [], []
    strongest = max((t.net for t in graph.ties if t.net > 0), default=1.0) or 1.0
    for t in graph.ties:
        if t.net > 0:
            edges.append((index[t.a], index[t.b]))
            weights.append(0.5 + 2.0 * t.net / strongest)
    for bloc in result.blocs:  # a light pull inside each bloc keeps it together on the page
        members = [index[c] for c in bloc.codes]
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                edges.append((a, b))
                weights.append(0.35)
    g.add_edges(edges)
    # Start from blocs placed round a circle, so the picture is the same every run.
    order = [c for b in result.blocs for c in b.codes]
    start = [[0.0, 0.0] for _ in codes]
    for k, c in enumerate(order):
        angle = 2 * math.pi * k / max(len(order), 1)
        start[index[c]] = [math.cos(angle) * 10, math.sin(angle) * 10]
    saved = random.getstate()
    igraph.set_random_number_generator(random.Random(20241113))
    try:
        layout = g.layout_fruchterman_reingold(weights=weights or None, seed=start,
                                               niter=1500)
    finally:
        igraph.set_random_number_generator(random)
        random.setstate(saved)
    xs, ys = [p[0] for p in layout.coords], [p[1] for p in layout.coords]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    off_x = (width - scale * span_x) / 2
    off_y = (height - scale * span_y) / 2
    return {c: (off_x + (xs[i] - min(xs)) * scale, off_y + (ys[i] - min(ys)) * scale)
            for c, i in index.items()}


def network_svg(result: BlocResult, activity: dict[str, int], width: int = 680,
                height: int = 520, max_edges: int = 160,
                unaligned: frozenset[str] = frozenset()) -> Markup:
    """The blocs as a picture: one colour per bloc, green ties of cooperation, red of conflict."""
    if not result.graph.actors:
        return Markup('<p class="empty">No signed ties between actors in this period.</p>')
    pos = _layout(result, width, height)
    # Fit the picture's height to the layout, so a flat layout leaves no empty band.
    low = min(y for _, y in pos.values())
    high = max(y for _, y in pos.values())
    fitted = max(320.0, min(float(height), high - low + 110))
    shift = (fitted - (high - low)) / 2 - low
    pos = {c: (x, y + shift) for c, (x, y) in pos.items()}
    height = int(fitted)
    ties = sorted(result.graph.ties, key=lambda t: -abs(t.net))[:max_edges]
    strongest = max((abs(t.net) for t in ties), default=1.0) or 1.0
    busiest = max(activity.values(), default=1) or 1
    parts = [f'<svg id="network" class="network" viewBox="0 0 {width} {height}" '
             f'width="100%" role="img" aria-label="Network of actors coloured by bloc">']
    parts.append('<g class="edges">')
    for t in sorted(ties, key=lambda t: (t.net > 0, abs(t.net))):
        (x1, y1), (x2, y2) = pos[t.a], pos[t.b]
        w = 0.8 + 4.2 * abs(t.net) / strongest
        colour = POSITIVE if t.net > 0 else NEGATIVE
        dash = "" if t.net > 0 else ' stroke-dasharray="5 4"'
        same = result.membership.get(t.a) == result.membership.get(t.b)
        blocs = f"{result.membership.get(t.a)} {result.membership.get(t.b)}"
        label = (f"{actor_name(t.a)} – {actor_name(t.b)}: {_score(t.net)} "
                 f"({t.stories} stories; +{t.positive:.2f} / −{t.negative:.2f})")
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{w:.2f}" stroke-opacity="{0.75 if same else 0.5}"{dash} '
            f'data-blocs="{blocs}"><title>{escape(label)}</title></line>')
    parts.append("</g><g class=\"nodes\">")
    radius = {c: 8 + 14 * math.sqrt(activity.get(c, 0) / busiest) for c in pos}
    labels = _place_labels(pos, radius, width, height)
    for code in sorted(pos, key=lambda c: -activity.get(c, 0)):  # big first: none hides a label
        x, y = pos[code]
        bloc = None if code in unaligned else result.membership.get(code)
        member = result.member(code)
        r = radius[code]
        lx, ly, anchor = labels[code]
        strength = member.strength if member else 0.0
        tip = f"{actor_name(code)} ({code}) · bloc {bloc + 1 if bloc is not None else '–'}"
        if member:
            tip += f" · strength {strength:.2f}\n{member.explanation}"
        parts.append(
            f'<g class="node" data-bloc="{bloc}" data-code="{escape(code)}" tabindex="0">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{bloc_colour(bloc)}" '
            f'fill-opacity="{0.55 + 0.45 * strength:.2f}" stroke="#fff" stroke-width="2"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{escape(code)}</text>'
            f'<title>{escape(tip)}</title></g>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def _place_labels(pos: dict[str, tuple[float, float]], radius: dict[str, float], width: float,
                  height: float) -> dict[str, tuple[float, float, str]]:
    """Where each actor's code goes: below its circle, else above, right or left, whichever
    first overlaps no label placed before it and no other circle (busiest actors first)."""
    char_w, line_h = 7.5, 13.0
    placed: list[tuple[float, float, float, float]] = []
    out: dict[str, tuple[float, float, str]] = {}

    def box(x: float, y: float, anchor: str, w: float) -> tuple[float, float, float, float]:
        left = x - w / 2 if anchor == "middle" else x if anchor == "start" else x - w
        return left, y - line_h + 3, left + w, y + 3

    def clear(b: tuple[float, float, float, float], own: str) -> bool:
        if b[0] < 0 or b[2] > width or b[1] < 0 or b[3] > height:
            return False
        for (x0, y0, x1, y1) in placed:
            if b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3]:
                return False
        for code, (cx, cy) in pos.items():
            r = radius[code]
            if code != own and b[0] < cx + r and cx - r < b[2] and b[1] < cy + r and \
                    cy - r < b[3]:
                return False
        return True

    for code in sorted(pos, key=lambda c: (-radius[c], c)):
        x, y = pos[code]
        r = radius[code]
        w = char_w * len(code) + 4
        options = [(x, y + r + 14, "middle"), (x, y - r - 6, "middle"),
                   (x + r + 4, y + 4, "start"), (x - r - 4, y + 4, "end")]
        chosen = next((o for o in options if clear(box(o[0], o[1], o[2], w), code)), options[0])
        placed.append(box(chosen[0], chosen[1], chosen[2], w))
        out[code] = chosen
    return out


# -- timelines ------------------------------------------------------------------------------------
def timeline_svg(series: list[dict[str, Any]], width: int = 340, height: int = 80,
                 window: str = "week") -> Markup:
    """Bars of the dyad score per window: green above the line, red below."""
    dated = [r for r in series if r.get("window") is not None]
    if not dated:
        return Markup('<p class="empty">No dated events.</p>')
    top, bottom, left = 8, 4, 4
    peak = max((abs(r["score"]) for r in dated), default=1.0) or 1.0
    has_neg = any(r["score"] < 0 for r in dated)
    has_pos = any(r["score"] > 0 for r in dated)
    plot_h = height - top - bottom
    zero = top + (plot_h if not has_neg else plot_h / 2 if has_pos else 0)
    scale = (plot_h / 2 if has_neg and has_pos else plot_h) / peak
    step = (width - 2 * left) / len(dated)
    bar = max(1.0, step * 0.72)
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" width="100%" '
             f'preserveAspectRatio="none" role="img" aria-label="Score per window">']
    parts.append(f'<line class="axis" x1="{left}" x2="{width - left}" y1="{zero:.1f}" '
                 f'y2="{zero:.1f}"/>')
    for i, r in enumerate(dated):
        x = left + i * step + (step - bar) / 2
        h = abs(r["score"]) * scale
        if r["stories"] and h < 1.5:
            h = 1.5
        y = zero - h if r["score"] >= 0 else zero
        colour = POSITIVE if r["score"] >= 0 else NEGATIVE
        types = ", ".join(f"{t} {n}" for t, n in r["types"].items())
        tip = (f"{r['window'].isoformat()}: {_score(r['score'])} · {r['stories']} stories"
               + (f" ({types})" if types else ""))
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                     f'rx="1" fill="{colour}"><title>{escape(tip)}</title></rect>')
    first, last = dated[0]["window"], dated[-1]["window"]
    fmt = {"month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}.get(window, "%-d %b %Y")
    prefix = "week of " if window == "week" else ""
    # Dates under the chart in HTML, so stretching the chart never squeezes the text.
    parts.append(f'</svg><div class="ticks"><span>{prefix}{first:{fmt}}</span>'
                 f'<span>{prefix}{last:{fmt}}</span></div>')
    return Markup("".join(parts))


# -- the page -------------------------------------------------------------------------------------
def _periods(first: date | None, last: date | None,
             options: ReportOptions) -> tuple[Period, Period] | None:
    if options.before and options.after:
        return options.before, options.after
    if not first or not last or (last - first).days < 2:
        return None
    middle = first + (last - first) // 2
    second = middle.fromordinal(middle.toordinal() + 1)
    return (Period(first, middle, f"{first:%-d %b %Y} – {middle:%-d %b %Y}"),
            Period(second, last, f"{second:%-d %b %Y} – {last:%-d %b %Y}"))


def _period_text(first: date | None, last: date | None, span: tuple, counts: dict,
                 flt: EventFilter) -> str:
    """The report's period, with both years; when old stories were left off the timelines,
    from the year they start, saying so."""
    if not first and not last:
        return "all dates"
    if not flt.since and span[0] and first and span[0] > first:
        older = f" (and older events from {first:%Y}, listed but not on the timelines)"
        return f"{span[0]:%B %Y} – {_fmt_day(last)}{older}"
    return f"{_fmt_day(first)} – {_fmt_day(last)}"


def _dense_start(frame: Any, first: date | None, last: date | None,
                 share: float = 0.95) -> date | None:
    """Where the timelines start when no --since is given: the first of January of the year
    from which ``share`` of the stories are dated, when the dates span more than two years;
    the older stories stay in the lists."""
    if not first or not last or (last - first).days <= 2 * 366:
        return first
    days = [r["d"] for r in frame.query(
        "SELECT first_day AS d FROM {stories} WHERE first_day IS NOT NULL ORDER BY 1")]
    if not days:
        return first
    start = days[min(int(len(days) * (1.0 - share)), len(days) - 1)]
    return max(first, date(start.year, 1, 1))


def _evidence_rows(items: list[dict[str, Any]], limit: int = 2) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen = set()
    for item in items:
        if len(out) == limit:
            break
        sentence = next((s for s in item.get("sentences", []) if s.get("text")), None)
        key = " ".join((sentence or {}).get("text", "").split()).lower()
        if key in seen:
            continue
        seen.add(key)
        out.append({"type": item["type"], "source": "+".join(item["source"]),
                    "target": "+".join(item["target"]),
                    "date": _fmt_day(item["date"], item.get("precision", "day")),
                    "text": sentence["text"] if sentence else "",
                    "outlet": sentence.get("outlet") if sentence else None,
                    "url": web_link(sentence.get("url")) if sentence else None,
                    "title": sentence.get("title") if sentence else None})
    return out


def build_context(analysis: Analysis, flt: EventFilter | None = None,
                  options: ReportOptions | None = None) -> dict[str, Any]:
    """Everything the template shows, computed once."""
    options = options or ReportOptions()
    flt = flt or EventFilter()
    frame = analysis.frame(flt)
    counts = frame.counts()
    first, last = flt.since or counts["first_day"], flt.until or counts["last_day"]
    net = network_parts(analysis, flt, options.min_bloc_events, options.max_edges, frame)
    blocs, alone, result = net["blocs"], net["alone"], net["result"]
    span = timeline_span(frame, flt, counts)
    window = options.window or auto_window(*span)

    dyads = []
    for d in analysis.top_dyads(flt, limit=options.top_dyads):
        dated = dyad_series(analysis, d["source"], d["target"], window, flt, span)
        dyads.append({
            "source": d["source"], "target": d["target"],
            "source_name": actor_name(d["source"]), "target_name": actor_name(d["target"]),
            "score": d["score"], "score_text": _score(d["score"]), "stories": d["stories"],
            "outlets": d["outlets"], "types": ", ".join(f"{t} {n}" for t, n in d["types"].items()),
            "svg": timeline_svg(dated, window=window), "positive": d["score"] >= 0,
        })

    shifts = None
    periods = _periods(counts["first_day"] if not flt.since else first,
                       counts["last_day"] if not flt.until else last, options)
    if periods:
        raw = analysis.shifts(periods[0], periods[1], flt.between(None, None), top=6,
                              evidence=2)
        peak = max((abs(d["change"]) for d in raw["dyads"]), default=1.0) or 1.0
        shifts = {
            "from": periods[0].label, "to": periods[1].label,
            "changed": [{"code": c["code"], "name": actor_name(c["code"]),
                         "left": ", ".join(c["left"]), "joined": ", ".join(c["joined"]),
                         "evidence": _evidence_rows(c["evidence"])}
                        for c in raw["changed_bloc"]],
            "dyads": [{"source": d["source"], "target": d["target"],
                       "from": _score(d["score_from"]), "to": _score(d["score_to"]),
                       "change": _score(d["change"]), "up": d["change"] >= 0,
                       "pct": round(100 * abs(d["change"]) / peak),
                       "evidence": _evidence_rows(d["evidence"], 1)} for d in raw["dyads"]],
            "new": [{"a": a["a"], "b": a["b"], "to": _score(a["net_to"]),
                     "evidence": _evidence_rows(a["evidence"], 1)}
                    for a in raw["new_alignments"]],
            "ended": [{"a": a["a"], "b": a["b"], "now": a["now"], "from": _score(a["net_from"]),
                       "evidence": _evidence_rows(a["evidence"] or a.get("evidence_before", []),
                                                  1)}
                      for a in raw["ended_alignments"]],
        }

    events = []
    for s in _diverse(analysis.stories(flt, limit=options.top_events * 6, evidence=0),
                      options.top_events, analysis, flt):
        events.append({
            "date": _fmt_day(s.first_day, s.precision), "type": s.type,
            "modes": ", ".join(s.modes),
            "cls": QUAD_CLASS.get(_quad(analysis, s.type, s.goldstein), "vc"),
            "source": " + ".join(actor_name(c) for c in s.source) or "?",
            "target": " + ".join(actor_name(c) for c in s.target) or "?",
            "codes": f"{'+'.join(s.source)} → {'+'.join(s.target)}",
            "modality": s.modality, "outlets": s.outlets, "reports": s.reports,
            "score": _score(s.score), "positive": s.score >= 0,
            "quantities": [q.get("text") or f"{q.get('value')} {q.get('unit') or ''}".strip()
                           for q in s.quantities],
            "evidence": _grouped(s.evidence),
        })

    w = analysis.weights
    return {
        "title": options.title, "version": __version__,
        "generated": datetime.now(UTC).strftime("%-d %b %Y %H:%M UTC"),
        "period": _period_text(first, last, span, counts, flt),
        "undated_note": flt.since is None and flt.until is None,
        "counts": {"documents": counts["documents"], "events": counts["events"],
                   "stories": counts["stories"], "outlets": counts["outlets"],
                   "actors": counts["actors"], "blocs": len(blocs)},
        "network": net["svg"],
        "min_bloc_events": options.min_bloc_events,
        "blocs": blocs, "alone": alone, "unaligned": result.unaligned,
        "window": window, "dyads": dyads, "shifts": shifts, "events": events,
        "modality_weights": [(m, w.modality[m]) for m in ("asserted", "reported", "intended",
                                                          "speculative", "hypothetical")],
        "story_window": w.story_window_days,
    }


def timeline_span(frame: Any, flt: EventFilter, counts: dict[str, Any]
                  ) -> tuple[date | None, date | None]:
    """The days the timelines cover: the filter's period, else the stored events' days from
    where they become dense (a few old events, "in 1978", must not stretch every timeline)."""
    span = (counts["first_day"], counts["last_day"])
    if not flt.since:
        span = (_dense_start(frame, *span), span[1])
    if flt.since or flt.until:
        span = (flt.since or span[0], flt.until or span[1])
    return span


def dyad_series(analysis: Analysis, source: str, target: str, window: str, flt: EventFilter,
                span: tuple[date | None, date | None]) -> list[dict[str, Any]]:
    """A dyad's score per window over the whole span, empty windows as zero."""
    series = analysis.dyads(source, target, window, flt)
    dated = [r for r in series if r["window"] is not None]
    if dated and span[0] and span[1]:
        have = {r["window"]: r for r in dated}
        dated = [have.get(w) or {"window": w, "score": 0.0, "stories": 0, "types": {}}
                 for w in window_range(span[0], span[1], window)]
    return dated


def network_parts(analysis: Analysis, flt: EventFilter, min_bloc_events: int = 3,
                  max_edges: int = 160, frame: Any = None) -> dict[str, Any]:
    """The bloc network picture and the blocs it shows (the report's and the dashboard's)."""
    frame = frame if frame is not None else analysis.frame(flt)
    result = analysis.blocs(flt, evidence=2)
    activity = {r["c"]: int(r["n"]) for r in frame.query("""
        SELECT c, sum(reports) AS n FROM (
            SELECT unnest(src) AS c, reports FROM {stories}
            UNION ALL SELECT unnest(tgt), reports FROM {stories}) GROUP BY c""")}
    blocs = []
    thin = []  # blocs too thinly documented to call a bloc: shown as unaligned
    for b in result.blocs:
        if len(b.members) < 2:
            continue
        if max(m.events for m in b.members) < min_bloc_events:
            thin.extend(b.codes)
            continue
        blocs.append({
            "bloc": b.bloc, "label": b.bloc + 1, "colour": bloc_colour(b.bloc),
            "size": len(b.members),
            "members": [{"code": m.code, "name": m.name, "strength": m.strength,
                         "pct": round(100 * m.strength), "explanation": m.explanation}
                        for m in b.members],
            "lead": max(b.members, key=lambda m: (m.events, m.strength)).explanation,
        })
    alone = [b.codes[0] for b in result.blocs if len(b.members) == 1] + thin
    svg = network_svg(result, activity, max_edges=max_edges, unaligned=frozenset(alone))
    return {"svg": svg, "blocs": blocs, "alone": alone, "result": result, "activity": activity}


def _grouped(reports: list) -> list[dict[str, Any]]:
    """Reports with the same sentence (wire copy) shown once, with all their sources."""
    groups: dict[str, dict[str, Any]] = {}
    for r in reports:
        key = " ".join((r.evidence or "").split()).lower()
        group = groups.setdefault(key, {"text": r.evidence, "modality": r.modality,
                                        "sources": []})
        group["sources"].append({
            "outlet": r.outlet or "unknown outlet", "date": _fmt_day(r.published or r.day),
            "title": r.title if r.title and r.title.strip(". ") not in (r.evidence or "")
            else None, "url": web_link(r.url), "duplicate": r.duplicate_of is not None})
    return list(groups.values())


def _diverse(stories: list, limit: int, analysis: Analysis, flt: EventFilter) -> list:
    """The strongest stories, at most two per (type, source, target), so one busy dyad does
    not fill the page; then their evidence."""
    seen: dict[tuple, int] = {}
    chosen = []
    for s in stories:
        key = (s.type, tuple(s.source), tuple(s.target))
        if seen.get(key, 0) >= 2:
            continue
        seen[key] = seen.get(key, 0) + 1
        chosen.append(s)
        if len(chosen) == limit:
            break
    reports = analysis.frame(flt).reports([s.id for s in chosen], per_story=3)
    for s in chosen:
        s.evidence = reports.get(s.id, [])
    return chosen


def _quad(analysis: Analysis, type_: str, goldstein: float) -> int:
    known = analysis.weights.types.get(type_)
    if known and known.quad:
        return known.quad
    return 2 if goldstein >= 0 else 4


def render(context: dict[str, Any]) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)
    return env.get_template("report.html.j2").render(**context)


def write_report(analysis: Analysis, out: str | Path, flt: EventFilter | None = None,
                 options: ReportOptions | None = None) -> dict[str, Any]:
    """Render the report for a filter and write it; returns what it holds."""
    context = build_context(analysis, flt, options)
    html = render(context)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return {"out": str(path), "bytes": len(html.encode("utf-8")), **context["counts"]}
