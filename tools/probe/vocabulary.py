"""Which everyday words of each PLOVER type the event model misses: one short sentence per
word (``vocabulary.txt``, ``TYPE|sentence with {A} and {B}``), filled with several pairs of
states, coded end to end, and counted as found when an event of that type comes out.

    BLOCWATCH_CODER=model .venv/bin/python tools/probe/vocabulary.py [--pairs 3]

The sentences were written from the codebook (``src/blocwatch/data/plover.yaml``) for this
probe, never taken from a gold set. They chose what the `nm19` and `nm20` corpus batches were
written about, so after those batches this is a diagnostic, not a test set: the honest
figures stay `blocwatch eval corpus --part independent` and `blocwatch eval events`.
A few labels are debatable by the guide (an apology, a closed border); read the misses, not
only the count.
"""

from __future__ import annotations

import argparse
import collections
import os
from pathlib import Path

PAIRS = [("France", "Germany"), ("Russia", "Ukraine"), ("China", "Japan"),
         ("Brazil", "Argentina"), ("Kenya", "Ethiopia"), ("Turkey", "Greece"),
         ("India", "Pakistan"), ("Iran", "Iraq")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=3, help="pairs of states per sentence")
    ap.add_argument("--file", type=Path, default=Path(__file__).with_name("vocabulary.txt"))
    args = ap.parse_args()
    os.environ.setdefault("BLOCWATCH_CODER", "model")
    from blocwatch.pipeline import document_coder

    rows = [line.rstrip("\n").split("|", 1) for line in args.file.read_text().splitlines()
            if line.strip()]
    items = [(f"{k}|{i}", tpl.format(A=a, B=b), None)
             for k, (_, tpl) in enumerate(rows) for i, (a, b) in enumerate(PAIRS[:args.pairs])]
    got: dict[int, list[str]] = collections.defaultdict(list)
    for coding in document_coder().code_many(items):
        k = int(coding.doc_id.split("|")[0])
        got[k].append(",".join(sorted({e.type for e in coding.events})) or "-")
    found: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    for k, (typ, tpl) in enumerate(rows):
        hits = sum(typ in g.split(",") for g in got[k])
        found[typ] += hits
        total[typ] += len(got[k])
        if hits < len(got[k]):
            print(f"{typ:10} {hits}/{len(got[k])}  {tpl}   got: {got[k]}")
    print("found per type: " + ", ".join(f"{t} {found[t]}/{total[t]}" for t in total))
    print(f"all: {sum(found.values())}/{sum(total.values())}")


if __name__ == "__main__":
    main()
