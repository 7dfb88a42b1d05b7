"""An actor's profile: its bloc, its partners and adversaries, its main dyads, its latest stories.

The question a reader asks first about any actor ("who is PRK with, who against, and since
when?"), answered from the same frame, graph and blocs as everything else.
"""

from __future__ import annotations

from typing import Any

from blocwatch.analysis.blocs import BlocResult, evidence_item
from blocwatch.analysis.consolidate import StoryFrame
from blocwatch.analysis.dyads import top_dyads
from blocwatch.analysis.names import actor_name


def actor_profile(frame: StoryFrame, blocs: BlocResult, code: str, top: int = 10,
                  recent: int = 10) -> dict[str, Any]:
    """Everything the frame says about one actor, each claim with its stories."""
    code = code.strip().upper()
    totals = frame.query("""
        SELECT count(*) AS stories, coalesce(sum(reports), 0) AS events,
               min(first_day) AS first_day, max(last_day) AS last_day
        FROM {stories} WHERE list_contains(src, ?) OR list_contains(tgt, ?)
    """, [code, code])[0]
    ties = sorted(blocs.graph.ties_of(code), key=lambda t: (-abs(t.net), t.other(code)))

    def tie_row(t: Any) -> dict[str, Any]:
        other = t.other(code)
        return {"code": other, "name": actor_name(other), "net": round(t.net, 4),
                "positive": round(t.positive, 4), "negative": round(t.negative, 4),
                "stories": t.stories, "reports": t.reports,
                "same_bloc": blocs.together(code, other)}

    partners = [tie_row(t) for t in ties if t.net > 0][:top]
    adversaries = [tie_row(t) for t in ties if t.net < 0][:top]
    bloc = blocs.bloc_of(code)
    member = blocs.member(code)
    latest = frame.query(f"""
        SELECT story, type, src, tgt, first_day, precision,
               modality, reports, outlets, align, score,
               quantities
        FROM {{stories}} WHERE list_contains(src, ?) OR list_contains(tgt, ?)
        ORDER BY first_day DESC NULLS LAST, abs(score) DESC, story LIMIT {int(recent)}
    """, [code, code])
    reports = frame.reports([s["story"] for s in latest], per_story=2)
    recent_items = []
    for s in latest:
        item = evidence_item(s, reports.get(s["story"], []))
        item["score"] = round(float(s["score"]), 4)
        recent_items.append(item)
    return {
        "code": code, "name": actor_name(code),
        "stories": int(totals["stories"]), "events": int(totals["events"]),
        "first_day": totals["first_day"], "last_day": totals["last_day"],
        "bloc": None if bloc is None or member is None else {
            "bloc": bloc.bloc, "members": bloc.codes, "strength": round(member.strength, 3),
            "explanation": member.explanation, "evidence": member.evidence},
        "partners": partners, "adversaries": adversaries,
        "dyads": top_dyads(frame, actor=code, limit=top),
        "recent": recent_items,
    }
