"""Shifts: what changed between two periods, and the events that changed it.

Three views, each with its evidence: the dyads whose score moved most; the actors that changed
bloc; and alignments that began or ended (a pair's net tie turning positive, or ceasing to be).
Blocs of the two periods are matched by shared members (bloc numbers need not agree); an actor
changed bloc when its bloc does not continue its old one and it both left some old bloc-mates and
joined new ones: a bloc that merely merged with another or split is not a change of camp.

Periods: see periods.py.
"""

from __future__ import annotations

from typing import Any

from blocwatch.analysis.blocs import BlocResult, evidence_item
from blocwatch.analysis.consolidate import StoryFrame
from blocwatch.analysis.dyads import dyad_scores
from blocwatch.analysis.periods import PERIOD_SYNTAX, Period, PeriodError, parse_period

__all__ = ["PERIOD_SYNTAX", "Period", "PeriodError", "compare", "match_blocs", "parse_period"]

# -- matching blocs across periods ----------------------------------------------------------------
def match_blocs(before: BlocResult, after: BlocResult) -> dict[int, int]:
    """Bloc of `after` -> bloc of `before` it continues, greedily by shared members."""
    pairs = []
    for b in after.blocs:
        for a in before.blocs:
            shared = len(set(a.codes) & set(b.codes))
            if shared:
                pairs.append((-shared, b.bloc, a.bloc))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, b, a in sorted(pairs):
        if b not in matched and a not in used:
            matched[b] = a
            used.add(a)
    return matched


def _between(frame: StoryFrame, one: list[str], other: list[str], sign: int,
             limit: int) -> list[dict[str, Any]]:
    """Top stories between two sets of actors with alignment of the given sign."""
    if not one or not other:
        return []
    stories = frame.query(f"""
        SELECT story, type, src, tgt, first_day, precision,
               modality, reports, outlets, align, quantities
        FROM {{stories}}
        WHERE ((list_has_any(src, ?::VARCHAR[]) AND list_has_any(tgt, ?::VARCHAR[]))
            OR (list_has_any(src, ?::VARCHAR[]) AND list_has_any(tgt, ?::VARCHAR[])))
          AND align {'>' if sign > 0 else '<'} 0
        ORDER BY abs(align) DESC, first_day, story LIMIT {int(limit)}
    """, [one, other, other, one])
    reports = frame.reports([s["story"] for s in stories], per_story=2)
    return [evidence_item(s, reports.get(s["story"], [])) for s in stories]


def _dyad_stories(frame: StoryFrame, source: str, target: str,
                  limit: int) -> list[dict[str, Any]]:
    stories = frame.query(f"""
        SELECT story, type, src, tgt, first_day, precision,
               modality, reports, outlets, align, quantities,
               score
        FROM {{stories}}
        WHERE list_contains(src, ?) AND list_contains(tgt, ?)
        ORDER BY abs(score) DESC, first_day, story LIMIT {int(limit)}
    """, [source, target])
    reports = frame.reports([s["story"] for s in stories], per_story=2)
    out = []
    for s in stories:
        item = evidence_item(s, reports.get(s["story"], []))
        item["score"] = round(float(s["score"]), 4)
        out.append(item)
    return out


# -- the comparison -------------------------------------------------------------------------------
def compare(before: StoryFrame, after: StoryFrame, blocs_before: BlocResult,
            blocs_after: BlocResult, top: int = 10, evidence: int = 3) -> dict[str, Any]:
    """Dyad moves, bloc changes and begun/ended alignments from `before` to `after`."""
    return {
        "dyads": _dyad_moves(before, after, top, evidence),
        "changed_bloc": _bloc_changes(before, after, blocs_before, blocs_after, top, evidence),
        "new_alignments": _alignments(after, blocs_before, blocs_after, top, evidence,
                                      begun=True),
        "ended_alignments": _alignments(after, blocs_before, blocs_after, top, evidence,
                                        begun=False, before=before),
        "blocs_from": [b.codes for b in blocs_before.blocs if len(b.codes) > 1],
        "blocs_to": [b.codes for b in blocs_after.blocs if len(b.codes) > 1],
    }


def _dyad_moves(before: StoryFrame, after: StoryFrame, top: int,
                evidence: int) -> list[dict[str, Any]]:
    s1, s2 = dyad_scores(before), dyad_scores(after)
    moves = []
    for key in set(s1) | set(s2):
        a, b = s1.get(key, {"score": 0.0, "stories": 0}), s2.get(key, {"score": 0.0, "stories": 0})
        moves.append((key, a, b, b["score"] - a["score"]))
    moves.sort(key=lambda m: (-abs(m[3]), m[0]))
    out = []
    for (source, target), a, b, change in moves[:top]:
        out.append({
            "source": source, "target": target, "score_from": round(a["score"], 4),
            "score_to": round(b["score"], 4), "change": round(change, 4),
            "stories_from": a["stories"], "stories_to": b["stories"],
            "evidence": _dyad_stories(after, source, target, evidence)
            or _dyad_stories(before, source, target, evidence),
        })
    return out


def _bloc_changes(before: StoryFrame, after: StoryFrame, blocs_before: BlocResult,
                  blocs_after: BlocResult, top: int, evidence: int) -> list[dict[str, Any]]:
    matched = match_blocs(blocs_before, blocs_after)
    found = []
    for code in sorted(set(blocs_before.membership) & set(blocs_after.membership)):
        was, now = blocs_before.membership[code], blocs_after.membership[code]
        if matched.get(now) == was:
            continue
        old = [c for c in blocs_before.blocs[was].codes if c != code]
        new = [c for c in blocs_after.blocs[now].codes if c != code]
        left = [c for c in old if c not in new]
        joined = [c for c in new if c not in old]
        if not left or not joined:
            continue  # a bloc merged into another or split: the actor kept its old company
        # How far it moved: the ties it now has with its new company and had with the old.
        moved = (sum(max(t.net, 0.0) for c in joined if (t := blocs_after.graph.tie(code, c)))
                 + sum(max(t.net, 0.0) for c in left
                       if (t := blocs_before.graph.tie(code, c))))
        found.append((-moved, code, was, now, left, joined))
    out = []
    for negative_moved, code, was, now, left, joined in sorted(found)[:top]:
        m_before, m_after = blocs_before.member(code), blocs_after.member(code)
        out.append({
            "code": code, "moved": round(-negative_moved, 4),
            "from_bloc": blocs_before.blocs[was].codes, "to_bloc": blocs_after.blocs[now].codes,
            "left": left, "joined": joined,
            "strength_from": round(m_before.strength, 3) if m_before else None,
            "strength_to": round(m_after.strength, 3) if m_after else None,
            "explanation": _move_line(code, left, joined),
            "evidence": (_between(after, [code], joined, +1, evidence)
                         + _between(after, [code], left, -1, evidence)),
            "evidence_before": _between(before, [code], left, +1, evidence),
        })
    return out


def _move_line(code: str, left: list[str], joined: list[str]) -> str:
    parts = []
    if left:
        parts.append(f"left {', '.join(left)}")
    if joined:
        parts.append(f"joined {', '.join(joined)}")
    return f"{code} " + " and ".join(parts) if parts else f"{code} changed bloc"


def _alignments(after: StoryFrame, blocs_before: BlocResult, blocs_after: BlocResult, top: int,
                evidence: int, begun: bool,
                before: StoryFrame | None = None) -> list[dict[str, Any]]:
    g1, g2 = blocs_before.graph, blocs_after.graph
    found = []
    pairs = {(t.a, t.b) for t in g1.ties} | {(t.a, t.b) for t in g2.ties}
    for a, b in pairs:
        t1, t2 = g1.tie(a, b), g2.tie(a, b)
        n1, n2 = (t1.net if t1 else 0.0), (t2.net if t2 else 0.0)
        if (n2 > 0 >= n1) if begun else (n1 > 0 >= n2):
            found.append((a, b, n1, n2))
    found.sort(key=lambda f: (-(f[3] - f[2]) if begun else (f[3] - f[2]), f[0], f[1]))
    out = []
    for a, b, n1, n2 in found[:top]:
        item: dict[str, Any] = {"a": a, "b": b, "net_from": round(n1, 4), "net_to": round(n2, 4)}
        if begun:
            item["evidence"] = _between(after, [a], [b], +1, evidence)
        else:
            item["now"] = "hostile" if n2 < 0 else "no signed ties"
            item["evidence"] = _between(after, [a], [b], -1, evidence)
            if before is not None:
                item["evidence_before"] = _between(before, [a], [b], +1, evidence)
        out.append(item)
    return out
