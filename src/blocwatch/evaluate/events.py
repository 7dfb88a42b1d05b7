"""How well does event coding read who did what to whom? Three public gold sets, one command.

(1) PLOVER GSR (openeventdata/PLOVER, CAMEO-manual sentences coded in PLOVER; older labels read
    through plover.yaml's aliases: DEMAND=REQUEST, DISAPPROVE/INVESTIGATE=ACCUSE, FIGHT=ASSAULT,
    YIELD=CONCEDE). A record is *correct* when one of our events has its type and its actors:
    - type: our type, or the type our CAMEO code reads back to (an offered AID has CAMEO 033,
      which PLOVER files under AGREE, as the gold does for plans and promises);
    - actors: the gold's actor codes are compared by their country part (the record's `code`
      field); our actor matches a code when its code is that code, or when the gold writes a
      generic "IGO"/"NGO" and ours is such an organisation by our reference data. Each side
      matches when the two sets share a code. A gold target "" (PLOVER's reciprocal compound
      source) is compared with our target as with the source; a gold record without target is
      checked on its source only (and one without source on its target): as we code no
      event without both, such records are read from the sentence's triggers.
    *Type-only* accuracy compares the gold type with the sentence's primary trigger (below).
(2) PETRARCH-2 GSR (UniversalPetrarch validation, real news, CAMEO codes with Phoenix actor
    codes; `<Sentence …</Sentence>` blocks read with a regex as SOURCE.txt says). Per gold
    coding: is there an event with the same CAMEO root, one with the same actors (first three
    letters of the codes; "---" matches anything), and one with both. Sentences marked
    ``noevents`` count as correct when we code no event.
(3) ConfliBERT CAMEO classes (sentence -> PentaClass 0-4). Our prediction is the PentaClass of
    the CAMEO code of the sentence's primary trigger, coded or not. With no trigger at all we
    predict 0 ("make statement"): an event coder that finds no act in a news sentence is
    reading a statement, which is also what CAMEO codes a bare "said".

The *primary* trigger of a sentence: the trigger nearest the root of the parse (the main
clause's act, as a one-event coder reads it), then a coded event before an uncoded trigger, a
specific word before a weak one, then text order.
Never special-cases a sentence, name or number of any gold set; data live in ../shared/data
(never copied into the repository). Run:
``python -m blocwatch.evaluate.events [SHARED_DIR] [--only plover,petrarch,conflibert]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from blocwatch.events import Candidate, DocumentCoding, Event, EventCoder
from blocwatch.plover import Plover

WHICH = ("plover", "petrarch", "conflibert", "roles")
PLOVER_DEV = "data/plover_gsr/dev/PLOVER_GSR_CAMEO.dev.json"
PETRARCH_DEV = "data/petrarch_validation/dev/PETR2_GSR_validation.dev.xml"
CONFLIBERT_DEV = ("data/conflibert_cameo/dev/cameo_class_train.dev.tsv",
                  "data/conflibert_cameo/dev/cameo_class_test.dev.tsv")
CONFLIBERT_ROLES = ("data/conflibert_cameo/dev/cameo_ner_train.dev.txt",
                    "data/conflibert_cameo/dev/cameo_ner_test.dev.txt")
STATEMENT_CLASS = 0



def default_coder(actor_files=()):
    """The document coder in use (``BLOCWATCH_CODER=model``: the learned model; see
    ``pipeline.document_coder``)."""
    from blocwatch.pipeline import document_coder
    return document_coder(actor_files)


def primary(coding: DocumentCoding, sentence: int | None = None) -> Candidate | None:
    """The trigger a one-event coder would report for the text (or one of its sentences)."""
    cands = [c for c in coding.candidates if _judged(c)
             and (sentence is None or c.sentence == sentence)]
    if not cands:
        return None
    return min(cands, key=lambda c: (c.depth, not c.event, -_p(c), c.start))


def _judged(c) -> bool:
    """A candidate the coder took for an event (before the rules that may drop it)."""
    if hasattr(c, "suppressed"):  # the rule coder's candidates
        return not c.suppressed
    return c.type != "NONE"


def _p(c) -> float:
    return getattr(c, "p_event", 0.0 if getattr(c, "weak", False) else 1.0)


def _event_types(plover: Plover, event: Event | Candidate) -> set[str]:
    types = {event.type}
    back = plover.from_cameo(event.cameo)
    if back is not None:
        types.add(back[0])
    return types


# ============================================================================ PLOVER GSR

def _gold_codes(value) -> list[str] | None:
    if isinstance(value, list):
        return [str(a.get("code") or "")[:3] for a in value if isinstance(a, dict)]
    return None


def _our_codes(coder: EventCoder, codes: list[str] | tuple[str, ...]) -> set[str]:
    out = set()
    orgs = coder.actors.ref.organisations
    for code in codes:
        out.add(code)
        org = orgs.get(code)
        if org is not None and org.sector in ("IGO", "NGO"):
            out.add(org.sector)
    return out


def _plover_match(coder: EventCoder, e: Event | Candidate, gold_type: str,
                  gold_source: list[str] | None, gold_target) -> bool:
    if gold_type not in _event_types(coder.plover, e):
        return False
    if isinstance(e, Event):
        src, tgt = e.source_codes, e.target_codes
    else:
        src, tgt = e.source, e.target
    src, tgt = _our_codes(coder, src), _our_codes(coder, tgt)
    if gold_source is not None and not src & set(gold_source):
        return False
    if gold_target == "":  # reciprocal: both sides are the compound source
        return gold_source is None or bool(tgt & set(gold_source))
    codes = _gold_codes(gold_target)
    return codes is None or bool(tgt & set(codes))


def read_plover_records(path: Path) -> list[dict]:
    """The event records of a PLOVER JSON file (an array of records; the DOCUMENT records
    that document the file are left out). Reads the gold-standard records and blocwatch's
    ``export --to plover`` alike."""
    return [r for r in json.loads(Path(path).read_text(encoding="utf-8"))
            if r.get("event") != "DOCUMENT"]


def evaluate_plover(shared: Path, coder: EventCoder) -> dict:
    """Type accuracy with actors, type-only accuracy and the confusion of types."""
    plover = coder.plover
    records = read_plover_records(shared / PLOVER_DEV)
    texts = [(r["id"], r["text"].strip().strip("{}").strip(), None) for r in records]
    correct = type_only = any_type = coverable = coverable_ok = 0
    confusion: Counter = Counter()
    per_type: dict[str, list[int]] = {}
    misses = []
    for r, coding in zip(records, coder.code_many(texts, parse_all=True), strict=True):
        gold = plover.event_type(r["event"]).name
        gold_source = _gold_codes(r.get("source"))
        gold_target = r.get("target")
        if not isinstance(gold_target, list | str) or (
                isinstance(gold_target, str) and gold_target):
            gold_target = None  # no target, or a misplaced field: checked on the source only
        if gold_source is not None and gold_target is not None:
            ok = any(_plover_match(coder, e, gold, gold_source, gold_target)
                     for e in coding.events)
        else:  # one side is not given: we code no event without both, so read the triggers
            ok = any(_plover_match(coder, c, gold, gold_source, gold_target)
                     for c in coding.candidates if _judged(c))
        top = primary(coding)
        top_types = _event_types(plover, top) if top else set()
        predicted = top.type if top else "none"
        correct += ok
        found = _our_codes(coder, [m.code for m in coding.actors if m.code] +
                           [p.country for p in coding.places if p.country])
        if all(codes is None or set(codes) & found for codes in (
                gold_source, _gold_codes(gold_target) if isinstance(gold_target, list) else None)):
            coverable += 1  # the actor coder found the gold's actors somewhere in the text
            coverable_ok += ok
        type_only += gold in top_types
        any_type += any(gold in _event_types(plover, e) for e in coding.events)
        confusion[(gold, gold if gold in top_types else predicted)] += 1
        stats = per_type.setdefault(gold, [0, 0, 0])
        stats[0] += 1
        stats[1] += ok
        stats[2] += gold in top_types
        if not ok:
            misses.append({"id": r["id"], "gold": gold, "source": gold_source,
                           "target": gold_target if isinstance(gold_target, str)
                           else _gold_codes(gold_target), "text": r["text"][:160],
                           "ours": [f"{'+'.join(e.source_codes)} {e.type} "
                                    f"{'+'.join(e.target_codes)}" for e in coding.events]})
    n = len(records)
    return {"records": n, "type_with_actors": correct / n, "type_only": type_only / n,
            "actors_found": coverable / n,
            "type_with_actors_where_found": coverable_ok / max(coverable, 1),
            "type_in_any_event": any_type / n,
            "per_type": {t: {"n": s[0], "with_actors": s[1] / s[0], "type_only": s[2] / s[0]}
                         for t, s in sorted(per_type.items())},
            "confusion": {f"{g}->{p}": k for (g, p), k in sorted(confusion.items())},
            "misses": misses}


# ============================================================================ PETRARCH-2 GSR

_BLOCK = re.compile(r"<Sentence .*?</Sentence>", re.S)
_CODING = re.compile(r"<EventCoding\s+([^>]*?)/?>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)


def read_petrarch(path: Path) -> list[dict]:
    """Sentence records: id, date, text, codings [(code, source, target)], noevents."""
    out = []
    for block in _BLOCK.findall(path.read_text(encoding="utf-8")):
        head = dict(_ATTR.findall(block.split(">", 1)[0]))
        text = _TEXT.search(block)
        if not text:
            continue
        codings = []
        noevents = head.get("noevents", "").lower() == "true"
        for m in _CODING.finditer(block):
            attrs = dict(_ATTR.findall(m.group(1)))
            if "eventcode" in attrs:
                codings.append((attrs["eventcode"], attrs.get("sourcecode", "---"),
                                attrs.get("targetcode", "---")))
            noevents |= attrs.get("noevents", "").lower() == "true"
        raw = head.get("date", "")
        day = None
        if re.fullmatch(r"\d{8}", raw):
            try:
                day = date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
            except ValueError:
                day = None
        out.append({"id": head.get("id", ""), "date": day, "codings": codings,
                    "noevents": noevents and not codings,
                    "text": " ".join(text.group(1).split())})
    return out


def _petr_actor(ours: set[str], gold: str) -> bool:
    code = gold[:3]
    return code == "---" or code in ours


def evaluate_petrarch(shared: Path, coder: EventCoder) -> dict:
    """CAMEO root and actor agreement per gold coding; no-event sentences kept clear."""
    records = read_petrarch(shared / PETRARCH_DEV)
    items = [(r["id"], r["text"], r["date"]) for r in records]
    n = root = actors = both = 0
    quiet = quiet_ok = 0
    for r, coding in zip(records, coder.code_many(items, parse_all=True), strict=True):
        if r["noevents"]:
            quiet += 1
            quiet_ok += not coding.events
            continue
        for code, src, tgt in r["codings"]:
            n += 1
            r_ok = a_ok = b_ok = False
            for e in coding.events:
                same_root = e.cameo[:2] == code[:2]
                same_actors = _petr_actor(_our_codes(coder, e.source_codes), src) and \
                    _petr_actor(_our_codes(coder, e.target_codes), tgt)
                r_ok |= same_root
                a_ok |= same_actors
                b_ok |= same_root and same_actors
            root += r_ok
            actors += a_ok
            both += b_ok
    return {"sentences": len(records), "codings": n, "root": root / max(n, 1),
            "actors": actors / max(n, 1), "root_and_actors": both / max(n, 1),
            "noevent_sentences": quiet, "noevent_kept_clear": quiet_ok / max(quiet, 1)}


# ============================================================================ ConfliBERT

def read_conflibert(paths: list[Path]) -> list[tuple[str, int]]:
    rows = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) >= 2 and row[-1].strip().isdigit():
                    rows.append(("\t".join(row[:-1]).strip(), int(row[-1])))
    return rows


def pentaclass_of(plover: Plover, coding: DocumentCoding) -> int:
    top = primary(coding)
    return plover.pentaclass(top.cameo) if top is not None else STATEMENT_CLASS


def evaluate_conflibert(shared: Path, coder: EventCoder) -> dict:
    """PentaClass accuracy and confusion (rows gold, columns ours)."""
    rows = read_conflibert([shared / p for p in CONFLIBERT_DEV])
    items = [(str(i), text, None) for i, (text, _) in enumerate(rows)]
    confusion = [[0] * 5 for _ in range(5)]
    correct = none = reduce_relations = 0
    for (_, gold), coding in zip(rows, coder.code_many(items, parse_all=True), strict=True):
        pred = pentaclass_of(coder.plover, coding)
        top = primary(coding)
        none += top is None
        if gold == 3 and pred == 4 and top is not None and top.cameo.startswith("16"):
            reduce_relations += 1
        confusion[gold][pred] += 1
        correct += pred == gold
    n = len(rows)
    return {"sentences": n, "accuracy": correct / n, "no_trigger": none / n,
            "confusion": confusion, "gold3_ours4_reduce_relations": reduce_relations}


def _covers(actor: dict, text: str, s: int, e: int) -> bool:
    """Whether an event's actor is the gold span: by offsets, or by its words where the coder
    keeps none (the rule coder)."""
    if "start" in actor:
        return actor["start"] < e and s < actor["end"]
    ours, gold = actor.get("text", "").lower(), text[s:e].lower()
    return bool(ours) and (ours in gold or gold in ours)


def evaluate_roles(shared: Path, coder: EventCoder) -> dict:
    """ConfliBERT's source (S), target (T) and reciprocal (R) actor spans: the share our
    events put in the right role (a source span inside one of our events' sources, a target
    span inside a target, a reciprocal one on either side), and the share any of our coded
    actors covers at all (detected)."""
    from blocwatch.evaluate.actors import _text_and_spans, conll_sentences

    items = [_text_and_spans(s) for p in CONFLIBERT_ROLES for s in conll_sentences(shared / p)]
    total: Counter = Counter()
    detected: Counter = Counter()
    in_role: Counter = Counter()
    texts = [(str(i), text, None) for i, (text, _) in enumerate(items)]
    for (text, spans), coding in zip(items, coder.code_many(texts), strict=True):
        sides = {"S": [a for e in coding.events for a in e.source],
                 "T": [a for e in coding.events for a in e.target]}
        sides["R"] = sides["S"] + sides["T"]
        for role, s, e, _ in spans:
            if role not in sides:
                continue
            total[role] += 1
            detected[role] += any(m.start < e and s < m.end for m in coding.actors)
            in_role[role] += any(_covers(a, text, s, e) for a in sides[role])
    n = sum(total.values())
    return {"sentences": len(items), "spans": n,
            "detected": sum(detected.values()) / max(n, 1),
            "in_role": sum(in_role.values()) / max(n, 1),
            "by_role": {r: {"n": total[r], "detected": detected[r] / total[r],
                            "in_role": in_role[r] / total[r]} for r in sorted(total)}}


# ============================================================================ driver

def evaluate_events(shared: Path, which: tuple[str, ...] = WHICH,
                    coder: EventCoder | None = None) -> dict:
    """Run the chosen evaluations; each entry also records its run time."""
    coder = coder or default_coder()
    out: dict = {"extractor": coder.extractor}
    runs = {"plover": evaluate_plover, "petrarch": evaluate_petrarch,
            "conflibert": evaluate_conflibert, "roles": evaluate_roles}
    for name in which:
        t0 = time.perf_counter()
        out[name] = runs[name](Path(shared), coder)
        out[name]["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def format_report(result: dict) -> str:
    """The figures as a plain-text report."""
    lines = [f"event coding: {result.get('extractor', '')}"]
    p = result.get("plover")
    if p:
        lines += [f"PLOVER GSR dev ({p['records']} records): type with correct actors "
                  f"{_pct(p['type_with_actors'])} (target >= 70%); type only (primary trigger) "
                  f"{_pct(p['type_only'])}; type in any event {_pct(p['type_in_any_event'])}",
                  f"  the gold's actors are among our coded actors in {_pct(p['actors_found'])} "
                  f"of records; there, type with correct actors "
                  f"{_pct(p['type_with_actors_where_found'])}",
                  "  per type:  n  with-actors  type-only"]
        for t, s in p["per_type"].items():
            lines.append(f"  {t:<10} {s['n']:>3}  {_pct(s['with_actors'])}  "
                         f"{_pct(s['type_only'])}")
        off = {k: v for k, v in p["confusion"].items() if k.split("->")[0] != k.split("->")[1]}
        lines.append("  confusions (gold->ours: n): " + ", ".join(
            f"{k}: {v}" for k, v in sorted(off.items(), key=lambda kv: -kv[1])))
    q = result.get("petrarch")
    if q:
        lines.append(f"PETR-2 GSR dev ({q['sentences']} sentences, {q['codings']} codings): "
                     f"CAMEO root {_pct(q['root'])}, actors {_pct(q['actors'])}, both "
                     f"{_pct(q['root_and_actors'])}; no-event sentences kept clear "
                     f"{_pct(q['noevent_kept_clear'])} of {q['noevent_sentences']}")
    c = result.get("conflibert")
    if c:
        lines.append(f"ConfliBERT CAMEO dev ({c['sentences']} sentences): PentaClass accuracy "
                     f"{_pct(c['accuracy'])} (target >= 75%); no trigger found in "
                     f"{_pct(c['no_trigger'])}")
        lines.append(f"  of the gold-3/ours-4 confusions, {c['gold3_ours4_reduce_relations']} are "
                     "CAMEO 16 (reduce relations: sanctions, expulsions, aid cuts), which "
                     "PentaClass puts in 4 and this data set's labels mostly in 3")
        lines.append("  gold\\ours    0    1    2    3    4")
        for i, row in enumerate(c["confusion"]):
            lines.append(f"  {i:>9} " + " ".join(f"{k:>4}" for k in row))
    r = result.get("roles")
    if r:
        lines.append(f"ConfliBERT actor roles dev ({r['spans']} source/target spans in "
                     f"{r['sentences']} sentences): in the right role of an event "
                     f"{_pct(r['in_role'])} (target >= 70%); detected as an actor "
                     f"{_pct(r['detected'])}")
        lines.append("  " + ", ".join(f"{k}: {_pct(v['in_role'])} of {v['n']}"
                                      for k, v in r["by_role"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=Path(os.environ.get(
        "BLOCWATCH_SHARED", Path(__file__).resolve().parents[4] / "shared")))
    parser.add_argument("--only", default=",".join(WHICH))
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    which = tuple(w for w in args.only.split(",") if w)
    unknown = set(which) - set(WHICH)
    if unknown:
        parser.error(f"unknown evaluation(s): {', '.join(sorted(unknown))}")
    result = evaluate_events(args.shared, which)
    print(json.dumps(result, indent=1) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
