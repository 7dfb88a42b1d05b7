"""How well do we code our own labelled corpus? Event-level type + source + target.

Reads ``corpus/<part>`` (``independent`` by default: the test set written apart from the
training corpus; ``articles``: whole news articles written apart, sentence by sentence, most
sentences no event, as real news is; or the ``test`` / ``dev`` split of ``codebook``), codes
every record with the coder in use, and matches events to gold events:

* a predicted event matches a gold event when the types are equal and each side matches:
  a predicted actor overlaps a gold actor's characters, or shares its code; a gold side that
  is empty is matched by an empty side (an event coded with a target the gold lacks is wrong);
* gold events without a named source ("since the invasion of Ukraine") are counted apart and
  not scored: the coder codes no event without an actor doing it;
* recall = gold events matched / gold events; precision = predicted events that match a gold
  event / predicted events; F1 of the two. Events of every modality count; modality and
  background are scored on the matched pairs;
* records of one article (``article``) are coded together, as one document whose paragraphs
  are its sentences, as an ingest codes an article: a later sentence keeps what the earlier
  ones said (a surname after the full name); each event goes back to the sentence of its
  trigger;
* invented = predicted events in sentences that hold no event / predicted events: the share of
  coded events a reader would call made up.

Run: ``blocwatch eval corpus [--part independent|articles|test|dev]``.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator

from blocwatch.events import corpus as corpus_mod

_PARTS = ("independent", "articles", "test", "dev", "train")
_APART = ("independent", "articles")  # folders of their own, never trained on


def _side_match(pred: list[dict], gold: list[corpus_mod.GoldActor]) -> bool:
    if not gold:
        return not pred
    for g in gold:
        for a in pred:
            if a.get("code") and g.code and a["code"] == g.code:
                return True
            s, e = a.get("start"), a.get("end")
            if s is not None and g.start >= 0 and s < g.end and g.start < e:
                return True
    return False


def _multilateral(g: corpus_mod.GoldEvent) -> bool:
    """A joint act of three or more parties, labelled in the joint form (all on both sides)."""
    parties = {a.code for a in g.source}
    return len(parties) >= 3 and parties == {a.code for a in g.target}


def _match(e, g: corpus_mod.GoldEvent) -> bool:
    if e.type == g.type and not e.target and _multilateral(g):
        # the coder's form of an act by many (corpus/GUIDE.md): the parties, no target
        return _side_match(e.source, g.source)
    return e.type == g.type and _side_match(e.source, g.source) and _side_match(e.target, g.target)


def records_of(part: str) -> list[corpus_mod.Record]:
    if part in _APART:
        return corpus_mod.load(part)
    return [r for r in corpus_mod.load("codebook") if r.split == part]


def evaluate_corpus(part: str = "independent", coder=None, limit: int | None = None) -> dict:
    """Event-level figures on one part of the corpus, per type, with the misses."""
    if part not in _PARTS:
        raise ValueError(f"part must be one of {', '.join(_PARTS)}")
    if coder is None:
        from blocwatch.evaluate.events import default_coder
        coder = default_coder()
    recs = records_of(part)[:limit]
    per_type: dict[str, Counter] = {}
    totals: Counter = Counter()
    modality_ok = background_ok = 0
    errors = []
    for r, coded in zip(recs, _codings(recs, coder), strict=True):
        used: set[int] = set()
        for g in r.events:
            if not g.source:
                totals["no_source"] += 1
                continue
            c = per_type.setdefault(g.type, Counter())
            c["gold"] += 1
            totals["gold"] += 1
            hit = next((i for i, e in enumerate(coded) if i not in used and _match(e, g)),
                       None)
            if hit is not None:
                used.add(hit)
                c["matched"] += 1
                totals["matched"] += 1
                modality_ok += coded[hit].modality == g.modality
                background_ok += getattr(coded[hit], "background", False) == g.background
            elif len(errors) < 400:
                errors.append({"id": r.id, "kind": "missed", "gold": _gold_str(g),
                               "ours": [_ev_str(e) for e in coded], "text": r.text})
        for i, e in enumerate(coded):
            c = per_type.setdefault(e.type, Counter())
            c["predicted"] += 1
            totals["predicted"] += 1
            if any(_match(e, g) for g in r.events):
                c["correct"] += 1
                totals["correct"] += 1
            elif len(errors) < 400 and i not in used:
                errors.append({"id": r.id, "kind": "invented" if not r.events else "wrong",
                               "gold": [_gold_str(g) for g in r.events], "ours": _ev_str(e),
                               "text": r.text})
        if not r.events:
            totals["negatives"] += 1
            totals["negatives_clear"] += not coded
            totals["invented"] += len(coded)

    def prf(c: Counter) -> dict:
        p = c["correct"] / c["predicted"] if c["predicted"] else 0.0
        rc = c["matched"] / c["gold"] if c["gold"] else 0.0
        return {"gold": c["gold"], "predicted": c["predicted"], "precision": p, "recall": rc,
                "f1": 2 * p * rc / (p + rc) if p + rc else 0.0}

    out = {"part": part, "records": len(recs), "extractor": coder.extractor, **prf(totals),
           "negatives": totals["negatives"], "gold_without_source": totals["no_source"],
           "negatives_clear": totals["negatives_clear"] / max(totals["negatives"], 1),
           "invented": totals["invented"] / max(totals["predicted"], 1),
           "modality_on_matched": modality_ok / max(totals["matched"], 1),
           "background_on_matched": background_ok / max(totals["matched"], 1),
           "per_type": {t: prf(c) for t, c in sorted(per_type.items())},
           "errors": errors}
    return out


def _codings(recs: list[corpus_mod.Record], coder) -> Iterator[list]:
    """Each record's coded events, in order; an article's records coded as one document."""
    groups: list[list[corpus_mod.Record]] = []
    for r in recs:
        if r.article and groups and groups[-1][0].article == r.article:
            groups[-1].append(r)
        else:
            groups.append([r])
    items = []
    offsets: list[list[int]] = []
    for g in groups:
        starts, at = [], 0
        for r in g:
            starts.append(at)
            at += len(r.text) + 2
        offsets.append(starts)
        items.append((g[0].id, "\n\n".join(r.text for r in g), g[0].published))
    for g, starts, coding in zip(groups, offsets, coder.code_many(items), strict=True):
        per: list[list] = [[] for _ in g]
        for e in coding.events:
            at = e.trigger["start"]
            k = max(i for i, s in enumerate(starts) if s <= at)
            per[k].append(_shifted(e, starts[k]) if starts[k] else e)
        yield from per


def _shifted(e, by: int):
    """The event with its offsets counted from its sentence, not its article."""
    out = copy.copy(e)

    def side(actors: list[dict]) -> list[dict]:
        return [{**a, **({"start": a["start"] - by} if a.get("start") is not None else {}),
                 **({"end": a["end"] - by} if a.get("end") is not None else {})}
                for a in actors]

    out.source, out.target = side(e.source), side(e.target)
    out.trigger = {**e.trigger, "start": e.trigger["start"] - by,
                   "end": e.trigger["end"] - by}
    return out


def _gold_str(g: corpus_mod.GoldEvent) -> str:
    return (f"{'+'.join(a.code or a.text for a in g.source)} {g.type}/{g.mode} "
            f"{'+'.join(a.code or a.text for a in g.target)} [{g.trigger}] {g.modality}")


def _ev_str(e) -> str:
    return (f"{'+'.join(e.source_codes)} {e.type}/{e.mode} {'+'.join(e.target_codes)} "
            f"[{e.trigger['text']}] {e.modality}")


def format_report(result: dict) -> str:
    r = result
    lines = [f"corpus/{r['part']}: {r['records']} records, {r['gold']} gold events scored, "
             f"{r['gold_without_source']} without a source not scored ({r['extractor']})",
             f"type + source + target: precision {r['precision']:.3f}, recall {r['recall']:.3f},"
             f" F1 {r['f1']:.3f}; negatives left clear {r['negatives_clear']:.3f} of "
             f"{r['negatives']}; invented {r['invented']:.3f} of coded events; modality right "
             f"on matched {r['modality_on_matched']:.3f}, "
             f"background {r['background_on_matched']:.3f}",
             "  type          gold  pred   prec  recall    F1"]
    for t, s in r["per_type"].items():
        lines.append(f"  {t:<12} {s['gold']:>5} {s['predicted']:>5}  {s['precision']:.3f}  "
                     f"{s['recall']:.3f}  {s['f1']:.3f}")
    return "\n".join(lines)
