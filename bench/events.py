"""Throughput of event coding next to spaCy's own full pipeline, on the same text, same run.

    .venv/bin/python bench/events.py [--shared DIR] [--n-process 1,2] [--limit DOCS]

Reads ../shared/data/wikinews_cc/*.csv (url,date,title,text). Prints words/s for (1) spaCy
with every component of the model (tok2vec, tagger, parser, lemmatizer, NER) over the whole
text, and (2) blocwatch event coding end to end (actor pipeline over everything, the parser
over the sentences that name a coded actor and hold a trigger word, then roles, modality,
quantities, dates, places), for each process count asked for; plus how many sentences were
parsed, events found, and peak memory. Runs alternate so a busy machine hurts both alike.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from blocwatch.annotate import load_nlp
from blocwatch.events import EventCoder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from actors import peak_mb, read_wikinews  # noqa: E402  (shared with the actor benchmark)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--n-process", default="1,2", help="comma-separated process counts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--skip-full", action="store_true", help="do not time spaCy's pipeline")
    args = parser.parse_args()

    folder = args.shared / "data" / "wikinews_cc"
    if not folder.is_dir():
        print(f"no benchmark data at {folder}", file=sys.stderr)
        return 2
    items = [(str(i), text, day) for i, (text, day) in
             enumerate(read_wikinews(folder, args.limit))]
    texts = [t for _, t, _ in items]
    words = sum(len(t.split()) for t in texts)

    t0 = time.perf_counter()
    nlp = load_nlp()
    coder = EventCoder(nlp=nlp)
    setup = time.perf_counter() - t0
    list(coder.code_many(items[:3]))  # warm up
    print(f"wikinews_cc: {len(texts)} articles, {words:,} words; set-up {setup:.1f} s")

    def rate(label: str, seconds: float) -> float:
        print(f"{label:<40} {words / seconds:>9,.0f} words/s  ({seconds:.1f} s)", flush=True)
        return words / seconds

    results = {}
    for n in [int(x) for x in args.n_process.split(",") if x]:
        if not args.skip_full:
            t0 = time.perf_counter()
            with nlp.select_pipes(disable=[nlp.pipe_names[0]]):  # spaCy's own pipeline, all
                for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=n):
                    pass
            results[("full", n)] = rate(f"spaCy full pipeline, n_process={n}",
                                        time.perf_counter() - t0)
        t0 = time.perf_counter()
        sentences = parsed = events = 0
        for coding in coder.code_many(items, batch_size=args.batch_size, n_process=n):
            sentences += coding.sentences
            parsed += coding.parsed_sentences
            events += len(coding.events)
        results[("events", n)] = rate(f"blocwatch event coding, n_process={n}",
                                      time.perf_counter() - t0)
        print(f"  parsed {parsed:,} of {sentences:,} sentences ({parsed / sentences:.0%}); "
              f"{events:,} events")
    for n in sorted({k[1] for k in results}):
        if ("full", n) in results:
            print(f"n_process={n}: event coding / full pipeline = "
                  f"{results[('events', n)] / results[('full', n)]:.2f}x")
    print(f"peak memory: {peak_mb():,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
