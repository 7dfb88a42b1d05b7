"""Check labelled event-corpus files against corpus/GUIDE.md and print their make-up.

Usage: python tools/corpus_check.py FILE_OR_DIR… [--quiet]
Exit status 1 when any record breaks the schema (each problem: FILE:LINE: reason).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PLOVER = yaml.safe_load((ROOT / "src/blocwatch/data/plover.yaml").read_text(encoding="utf-8"))
TYPES = {t: set(v.get("modes", {})) for t, v in PLOVER["types"].items()}
MODALITIES = {"asserted", "reported", "intended", "speculative", "negated", "hypothetical"}
SECTORS = {"GOV", "MIL", "REB", "ISM", "SEP", "OPP", "PTY", "LEG", "JUD", "COP", "SPY", "BUS",
           "MED", "CVL", "LAB", "EDU", "HLH", "REF", "NGO", "IGO", "ELI", "CRM", "UAF", None}
NEAR_MISS = {"speech", "trip", "ceremony", "disease", "accident", "crime", "court", "sport",
             "business", "weather", "background", "advice", "opinion", "hypothetical",
             "agentless", "one-actor", "domestic", "statement", "culture", "science",
             "economy", "election", "other"}
DATE = re.compile(r"^(19[89]\d|20[0-2]\d)-\d\d-\d\d$")


def check_actor(a, text: str, where: str, problems: list[str]) -> None:
    if not isinstance(a, dict) or not isinstance(a.get("text"), str):
        problems.append(f"{where}: actor must be an object with 'text'")
        return
    if a["text"] not in text:
        problems.append(f"{where}: actor text {a['text']!r} is not in the sentence")
    code = a.get("code")
    if code is not None and not (isinstance(code, str) and re.fullmatch(r"[A-Z]{2,8}", code)):
        problems.append(f"{where}: actor code {code!r} is not an upper-case code")
    if a.get("sector") not in SECTORS:
        problems.append(f"{where}: unknown sector {a.get('sector')!r}")


def check_record(r, where: str, problems: list[str]) -> None:
    if not isinstance(r, dict):
        problems.append(f"{where}: not a JSON object")
        return
    text = r.get("text")
    if not isinstance(text, str) or len(text) < 20:
        problems.append(f"{where}: 'text' missing or too short")
        return
    if not isinstance(r.get("date"), str) or not DATE.match(r["date"]):
        problems.append(f"{where}: 'date' must be YYYY-MM-DD, 1980-2029")
    events = r.get("events")
    if not isinstance(events, list):
        problems.append(f"{where}: 'events' must be a list")
        return
    kind = r.get("kind")
    if kind not in ("positive", "negative"):
        problems.append(f"{where}: 'kind' must be positive or negative")
    elif (kind == "positive") != bool(events):
        problems.append(f"{where}: kind {kind!r} but {len(events)} events")
    if r.get("near_miss") is not None and r["near_miss"] not in NEAR_MISS:
        problems.append(f"{where}: unknown near_miss {r['near_miss']!r}")
    for i, e in enumerate(events):
        w = f"{where}: event {i}"
        if not isinstance(e, dict):
            problems.append(f"{w}: not an object")
            continue
        t = e.get("type")
        if t not in TYPES:
            problems.append(f"{w}: unknown type {t!r}")
        elif e.get("mode") is not None and e["mode"] not in TYPES[t]:
            problems.append(f"{w}: {t} has no mode {e['mode']!r}")
        trig = e.get("trigger")
        if not isinstance(trig, str) or trig not in text:
            problems.append(f"{w}: trigger {trig!r} is not in the sentence")
        elif "trigger_start" in e and text[e["trigger_start"]:e["trigger_start"] + len(trig)] != trig:
            problems.append(f"{w}: trigger_start does not point at the trigger")
        for role in ("source", "target"):
            if not isinstance(e.get(role), list):
                problems.append(f"{w}: '{role}' must be a list")
                continue
            for a in e[role]:
                check_actor(a, text, f"{w} {role}", problems)
        if not e.get("source") and not e.get("target"):
            problems.append(f"{w}: an event needs a source or a target")
        if e.get("modality") not in MODALITIES:
            problems.append(f"{w}: unknown modality {e.get('modality')!r}")
        if not isinstance(e.get("background"), bool):
            problems.append(f"{w}: 'background' must be true or false")


def records(paths: list[Path]):
    for p in paths:
        files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
        for f in files:
            for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    yield f, n, line


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    problems: list[str] = []
    ids: dict[str, str] = {}
    texts: set[str] = set()
    n = neg = 0
    per_type: Counter = Counter()
    triggers: dict[str, Counter] = defaultdict(Counter)
    modes: Counter = Counter()
    modality: Counter = Counter()
    near: Counter = Counter()
    background = 0
    for f, line_no, line in records(paths):
        where = f"{f}:{line_no}"
        try:
            r = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: bad JSON ({exc.msg})")
            continue
        check_record(r, where, problems)
        if not isinstance(r, dict):
            continue
        rid = r.get("id")
        if not isinstance(rid, str) or not rid:
            problems.append(f"{where}: 'id' missing")
        elif rid in ids:
            problems.append(f"{where}: id {rid!r} already used at {ids[rid]}")
        else:
            ids[rid] = where
        if r.get("text") in texts:
            problems.append(f"{where}: the same text appears twice")
        texts.add(r.get("text"))
        n += 1
        evs = r.get("events") or []
        if not evs:
            neg += 1
            near[r.get("near_miss")] += 1
        for e in evs:
            if isinstance(e, dict):
                per_type[e.get("type")] += 1
                modes[(e.get("type"), e.get("mode"))] += 1
                modality[e.get("modality")] += 1
                background += bool(e.get("background"))
                triggers[e.get("type")][str(e.get("trigger", "")).lower()] += 1
    for p in problems[:200]:
        print(p)
    if len(problems) > 200:
        print(f"... {len(problems) - 200} more problems")
    if not quiet:
        print(f"\n{n} records, {neg} without events ({neg / max(n, 1):.0%}), "
              f"{sum(per_type.values())} events, {background} background")
        for t in TYPES:
            print(f"  {t:10} {per_type[t]:5} events, {len(triggers[t]):4} distinct triggers")
        print("  modality:", dict(modality.most_common()))
        print("  near misses:", dict(near.most_common()))
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
