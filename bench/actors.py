"""Throughput of actor coding next to spaCy's own full pipeline, on the same text, same run.

    .venv/bin/python bench/actors.py [--shared DIR] [--n-process N] [--limit DOCS]

Reads ../shared/data/wikinews_cc/*.csv (url,date,title,text). Prints words/s and sentences/s
for (1) spaCy with every component of the model (tagger, parser, lemmatizer, NER), (2) spaCy
NER alone, and (3) blocwatch actor coding end to end (tokenizer + NER + sentence rule +
matchers + rules), plus the process's peak memory. Sentences are counted once, by our rule
segmentation, so all rates share a denominator.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from datetime import date
from pathlib import Path

from blocwatch.actors import ActorCoder
from blocwatch.annotate import ACTORS, BATCH_SIZE, annotate, load_nlp
from blocwatch.dates import parse_date

csv.field_size_limit(sys.maxsize)


def read_wikinews(folder: Path, limit: int | None = None) -> list[tuple[str, date | None]]:
    items: list[tuple[str, date | None]] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                items.append((row["text"], parse_date(row.get("date"))))
    return items[:limit] if limit else items


def peak_mb() -> float:
    """Peak resident memory of this process (and of finished children), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best one counts")
    args = parser.parse_args()

    folder = args.shared / "data" / "wikinews_cc"
    if not folder.is_dir():
        print(f"no benchmark data at {folder}", file=sys.stderr)
        return 2
    items = read_wikinews(folder, args.limit)
    texts = [t for t, _ in items]
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    nlp = load_nlp()
    coder = ActorCoder(nlp=nlp)
    setup = time.perf_counter() - t0
    for _ in coder.code_many(items[:3]):  # warm up
        pass
    kw = {"batch_size": args.batch_size, "n_process": args.n_process}
    sentences = sum(len(list(d.sents)) for d in annotate(texts, (ACTORS[0],), nlp=nlp))
    best: dict[str, float] = {}
    mentions = 0
    coding_peak = 0.0
    for _ in range(args.repeat):  # interleaved, best of N: other load on the machine varies
        t0 = time.perf_counter()
        mentions = sum(len(found) for found in coder.code_many(items, **kw))
        best["coding"] = min(best.get("coding", 1e9), time.perf_counter() - t0)
        coding_peak = coding_peak or peak_mb()  # before the parser ever ran

        t0 = time.perf_counter()
        for _ in annotate(texts, ("ner",), nlp=nlp, **kw):
            pass
        best["ner"] = min(best.get("ner", 1e9), time.perf_counter() - t0)

        t0 = time.perf_counter()
        with nlp.select_pipes(disable=[nlp.pipe_names[0]]):  # spaCy's own pipeline, all of it
            for _ in nlp.pipe(texts, **kw):
                pass
        best["full"] = min(best.get("full", 1e9), time.perf_counter() - t0)

    def rate(label: str, seconds: float) -> None:
        print(f"{label:<34} {words / seconds:>9,.0f} words/s {sentences / seconds:>8,.0f} "
              f"sentences/s  ({seconds:.1f} s)")

    print(f"wikinews_cc: {len(texts)} articles, {words:,} words, {sentences:,} sentences; "
          f"n_process={args.n_process}; best of {args.repeat}; set-up (model + matchers) "
          f"{setup:.1f} s")
    rate("spaCy full pipeline (all comps)", best["full"])
    rate("spaCy NER alone", best["ner"])
    rate("blocwatch actor coding", best["coding"])
    print(f"actor coding is {best['full'] / best['coding']:.1f}x the full pipeline's rate and "
          f"{best['ner'] / best['coding']:.2f}x NER's; {mentions:,} mentions")
    print(f"peak memory: {coding_peak:,.0f} MB after actor coding (model + matchers), "
          f"{peak_mb():,.0f} MB after the full pipeline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
