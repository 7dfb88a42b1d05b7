"""``blocwatch digest``: what changed since a date, ready to send (issue 11).

The window since the date is compared with the window of the same length before it (the
shifts of ``blocwatch shifts``): dyads whose score moved most, actors that changed bloc,
alignments that began or ended, and the strongest stories since the date, each with its
evidence sentence. Markdown or HTML (every text from articles escaped).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import escape
from typing import Any

from blocwatch.analysis.events import EventFilter
from blocwatch.analysis.periods import Period

_AGO = re.compile(r"^\s*(\d+)\s*([dwm])\s*$")


def since_day(text: str, today: date) -> date:
    """"7d", "2w", "1m" before ``today``, or a day, month, quarter or year (its first day)."""
    from blocwatch.filters import period

    if m := _AGO.match(text or ""):
        n, unit = int(m.group(1)), m.group(2)
        return today - timedelta(days=n * {"d": 1, "w": 7, "m": 30}[unit])
    return period(text)[0]


def build(analysis: Any, since: date, until: date, top: int = 8) -> dict[str, Any]:
    """The digest's content: shifts from the window before ``since`` to ``since..until``,
    and the strongest stories since ``since``."""
    length = (until - since).days + 1
    before = Period(since - timedelta(days=length), since - timedelta(days=1), "before")
    after = Period(since, until, "since")
    shifts = analysis.shifts(before, after, EventFilter(), top=top, evidence=1)
    stories = analysis.stories(EventFilter(since=since, until=until), limit=top, evidence=1)
    return {"since": since, "until": until, "before": before, "shifts": shifts,
            "stories": stories}


def _sentence(items: list[dict[str, Any]]) -> str:
    for item in items:
        for s in item.get("sentences", []):
            if s.get("text"):
                return s["text"]
    return ""


def _lines(d: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Sections as (title, [(line, evidence)])."""
    sh = d["shifts"]
    return [
        ("Dyads that moved most", [
            (f"{x['source']} → {x['target']}: {x['score_from']:+.1f} → {x['score_to']:+.1f}",
             _sentence(x["evidence"])) for x in sh["dyads"]]),
        ("Actors that changed bloc", [
            (f"{c['code']}: left {', '.join(c['left']) or '—'}, joined "
             f"{', '.join(c['joined']) or '—'}", _sentence(c["evidence"]))
            for c in sh["changed_bloc"]]),
        ("New alignments", [(f"{a['a']} with {a['b']} ({a['net_to']:+.1f})",
                             _sentence(a["evidence"])) for a in sh["new_alignments"]]),
        ("Ended alignments", [(f"{a['a']} and {a['b']} (was {a['net_from']:+.1f})",
                               _sentence(a["evidence"] or a.get("evidence_before", [])))
                              for a in sh["ended_alignments"]]),
        ("Top stories since then", [
            (f"{s.first_day} {s.type} {'+'.join(s.source)} → {'+'.join(s.target)} "
             f"({s.outlets} outlet{'s' if s.outlets != 1 else ''})",
             s.evidence[0].evidence if s.evidence else "") for s in d["stories"]]),
    ]


def markdown(d: dict[str, Any]) -> str:
    out = [f"# blocwatch digest: {d['since']} – {d['until']}",
           f"Compared with {d['before'].start} – {d['before'].end}.", ""]
    for title, rows in _lines(d):
        out.append(f"## {title}")
        out.extend([f"- {line}" + (f"\n  > {ev}" if ev else "") for line, ev in rows]
                   or ["- none"])
        out.append("")
    return "\n".join(out)


def html(d: dict[str, Any]) -> str:
    parts = ["<!doctype html><meta charset=\"utf-8\"><title>blocwatch digest</title>",
             "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;"
             "padding:0 1rem}blockquote{color:#444;margin:.2rem 0 .8rem 1rem}</style>",
             f"<h1>blocwatch digest: {escape(str(d['since']))} – {escape(str(d['until']))}</h1>",
             f"<p>Compared with {escape(str(d['before'].start))} – "
             f"{escape(str(d['before'].end))}.</p>"]
    for title, rows in _lines(d):
        parts.append(f"<h2>{escape(title)}</h2><ul>")
        parts.extend(f"<li>{escape(line)}" + (f"<blockquote>{escape(ev)}</blockquote>"
                                               if ev else "") + "</li>" for line, ev in rows)
        if not rows:
            parts.append("<li>none</li>")
        parts.append("</ul>")
    return "\n".join(parts) + "\n"
