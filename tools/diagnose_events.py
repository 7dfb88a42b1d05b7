"""Why are gold events of our corpus missed? One line per cause, with counts and examples.

For each gold event of a corpus part: no candidate on its trigger; a candidate the model
called NONE; a candidate typed otherwise; the right type with a wrong source or target; the
right candidate dropped by a rule; or matched. Uses the coder in use (BLOCWATCH_CODER=model).
Usage: python tools/diagnose_events.py [dev|test|independent|articles] [--examples N] [--cause C]

The independent and article sets are test sets: for them only counts are printed unless
``--examples`` asks for sentences (reading them to fix them would spoil them). Study the dev
split's examples instead.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from blocwatch.evaluate.corpus import _match, _side_match, records_of
from blocwatch.events.candidates import frames
from blocwatch.events.train import match
from blocwatch.pipeline import DocumentCoder


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("part", nargs="?", default="dev")
    ap.add_argument("--examples", type=int, default=None,
                    help="examples per cause (default 5 for dev and test, 0 for the test sets "
                         "written apart)")
    ap.add_argument("--cause", default=None)
    ap.add_argument("--show-sought", action="store_true",
                    help="print the word the parse took as the source of each event dropped "
                         "for want of a coded source")
    args = ap.parse_args()
    if args.examples is None:
        args.examples = 0 if args.part in ("independent", "articles") else 5
    coder = DocumentCoder()
    recs = records_of(args.part)
    causes: Counter = Counter()
    examples: dict[str, list[str]] = {}
    by_type: dict[str, Counter] = {}
    sought: Counter = Counter()  # how the parse sought the source of events dropped for it
    for i in range(0, len(recs), 64):
        part = recs[i:i + 64]
        dps = coder.passes.run([(r.id, r.text, r.published) for r in part])
        for r, dp in zip(part, dps, strict=True):
            events, cands = coder.events.code(dp.views)
            fr = [(v, f) for v in dp.views for f in frames(v)]
            for g in r.events:
                if any(_match(e, g) for e in events):
                    cause = "matched"
                else:
                    hits = [(v, f) for v, f in fr if match(v, f, [g]) is g]
                    cs = [c for c in cands if g.start < c.end and c.start < g.end]
                    if not hits:
                        coded = [m for m in dp.mentions if m.code]
                        cause = "no candidate" + ("" if coded else " (no coded actor)")
                    elif not cs or all(c.type == "NONE" for c in cs):
                        cause = "model: NONE"
                    elif not any(c.type == g.type for c in cs):
                        cause = f"model: other type ({cs[0].type})"
                        cause = "model: other type"
                    elif any(c.type == g.type and c.dropped_by for c in cs):
                        cause = "dropped by " + next(c.dropped_by for c in cs
                                                     if c.type == g.type and c.dropped_by)
                        if cause == "dropped by coded_source":
                            src = hits[0][1].source
                            how = f"{src.how or 'none'}:{src.token.pos_ if src.token else '-'}"
                            sought[how] += 1
                            if args.show_sought:
                                print("   sought", how, repr(src.token.text if src.token
                                                          else None), "|", r.text[:150])
                    else:
                        ev = [e for e in events if e.type == g.type]
                        if ev and not any(_side_match(e.source, g.source) for e in ev):
                            cause = "wrong source"
                        elif ev:
                            cause = "wrong target"
                        else:
                            cause = "typed, not kept"
                causes[cause] += 1
                by_type.setdefault(g.type, Counter())[cause] += 1
                ours = "; ".join(f"{'+'.join(e.source_codes)} {e.type} "
                                 f"{'+'.join(e.target_codes)} [{e.trigger['text']}]"
                                 for e in events)
                examples.setdefault(cause, []).append(
                    f"{r.id} gold {'+'.join(a.code or a.text for a in g.source)} {g.type} "
                    f"{'+'.join(a.code or a.text for a in g.target)} [{g.trigger}] | ours {ours}"
                    f"\n      {r.text}")
    total = sum(causes.values())
    for cause, n in causes.most_common():
        print(f"{n:5} {n / total:6.1%}  {cause}")
    if sought:
        print("  dropped by coded_source, by how the source was sought: " + ", ".join(
            f"{k} {v}" for k, v in sought.most_common()))
    print()
    for t, c in sorted(by_type.items()):
        print(f"  {t:10} " + ", ".join(f"{k}: {v}" for k, v in c.most_common()))
    rnd = random.Random(0)
    for cause, ex in examples.items():
        if cause == "matched" or (args.cause and not cause.startswith(args.cause)):
            continue
        print(f"\n== {cause}")
        for line in rnd.sample(ex, min(args.examples, len(ex))):
            print("  " + line)


if __name__ == "__main__":
    main()
