"""How well does actor coding find actors? Two public gold sets, one command.

(a) re3d (dstl/re3d): expert entity spans in defence and security documents. Gold actors are
    the entities of type Person, Organisation and Nationality, and Location entities whose text
    is a state by our countries data ("Syria", "the United States"); only annotations with
    IBCC confidence >= 0.5 count (re3d keeps rejected candidates with confidence ~0). A gold
    span is found when any of our mentions overlaps it by at least one character (recall); a
    mention is correct when it overlaps any gold actor span (precision). Mentions are counted
    once per distinct span (coreference puts two actors on "the two nations"). Uncoded
    mentions (an unknown person the NER found) count: this measures detection. Gold spans
    that are only a pronoun ("he", "it", "they") count in the headline figure, as actor
    coding resolves pronouns to the actor just named (``coreference:pronoun``); the figure
    without them (pronoun gold left out, and predicted spans that overlap only such a span
    neither right nor wrong) is printed beside it for comparison. re3d marks personal pronouns
    but not possessive determiners (in the data: "he" 27 of 28 times, "his" and "their" never),
    so our mentions on "his", "her", "its", "their" are not scored: like for like.
(b) ConfliBERT CAMEO NER (eventdata/ConfliBERT): sentences with BIO spans for the source (S),
    target (T) and reciprocal (R) actors of the sentence's event. Recall: share of those spans
    overlapped by at least one of our mentions (their tokens are joined by single spaces to
    rebuild the text; offsets follow). No precision: only event participants are marked.

Data live in ../shared/data (never copied into the repository). Run:
``python -m blocwatch.evaluate.actors [SHARED_DIR]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from blocwatch.actors import ActorCoder, Mention

RE3D_TYPES = ("Person", "Organisation", "Nationality")
MIN_CONFIDENCE = 0.5
# Gold spans that are only a pronoun: counted in the headline figure, left out of the second.
PRONOUNS = frozenset({
    "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him",
    "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "himself",
    "herself", "itself", "themselves", "ourselves", "myself", "yourself", "who", "whom",
    "whose", "which", "that", "this", "these", "those",
})


@dataclass
class _Gold:
    start: int
    end: int
    kind: str
    text: str


def _ndjson(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def re3d_gold(folder: Path, coder: ActorCoder) -> tuple[dict[str, str], dict[str, list[_Gold]]]:
    """Texts by document id, and gold actor spans by document id, for one re3d sub-folder."""
    texts = {d["_id"]: d["text"] for d in _ndjson(folder / "documents.json")}
    gold: dict[str, list[_Gold]] = {k: [] for k in texts}
    seen: set[tuple[str, int, int]] = set()
    for ent in _ndjson(folder / "entities.json"):
        if float(ent.get("confidence") or 0) < MIN_CONFIDENCE:
            continue
        kind = ent["type"]
        if kind == "Location":
            if coder.ref.state_code(ent["value"]) is None:
                continue
            kind = "Location(state)"
        elif kind not in RE3D_TYPES:
            continue
        if ent["value"].strip().lower() in PRONOUNS:
            kind = "pronoun"
        key = (ent["documentId"], ent["begin"], ent["end"])
        if key in seen or ent["documentId"] not in gold:
            continue
        seen.add(key)
        gold[ent["documentId"]].append(_Gold(ent["begin"], ent["end"], kind, ent["value"]))
    return texts, gold


_POSSESSIVE_DETERMINERS = frozenset({"his", "her", "its", "their"})


def evaluate_re3d(root: Path, coder: ActorCoder, examples: int = 0) -> dict:
    """Span-overlap precision/recall/F1 of our mentions against re3d's actor entities, with
    pronoun spans counted (headline) and without them (for comparison)."""
    found = Counter()
    total = Counter()
    pred_total = pred_ok = 0  # every predicted span, against all gold
    bare_total = bare_ok = 0  # without pronouns: spans overlapping only pronoun gold skipped
    misses: list[str] = []
    false: list[str] = []
    docs = 0
    for folder in sorted(p for p in root.iterdir() if (p / "entities.json").exists()):
        texts, gold = re3d_gold(folder, coder)
        ids = list(texts)
        for doc_id, mentions in zip(ids, coder.code_many((texts[i], None) for i in ids),
                                    strict=True):
            docs += 1
            spans = sorted({(m.start, m.end) for m in mentions})
            for g in gold[doc_id]:
                total[g.kind] += 1
                if any(_overlaps(g.start, g.end, s, e) for s, e in spans):
                    found[g.kind] += 1
                elif len(misses) < examples:
                    misses.append(f"{g.kind}: {g.text!r}")
            for s, e in spans:
                if texts[doc_id][s:e].lower() in _POSSESSIVE_DETERMINERS:
                    continue  # not annotated in re3d: neither right nor wrong
                hits = {g.kind == "pronoun" for g in gold[doc_id]
                        if _overlaps(g.start, g.end, s, e)}
                pred_total += 1
                if hits:
                    pred_ok += 1
                elif len(false) < examples:
                    false.append(texts[doc_id][s:e])
                if hits != {True}:
                    bare_total += 1
                    bare_ok += False in hits
    n_gold = sum(total.values())
    n_found = sum(found.values())
    pronouns = total["pronoun"]
    recall = n_found / max(1, n_gold)
    precision = pred_ok / max(1, pred_total)
    bare_recall = (n_found - found["pronoun"]) / max(1, n_gold - pronouns)
    bare_precision = bare_ok / max(1, bare_total)
    return {
        "documents": docs, "gold": n_gold, "predicted": pred_total, "pronouns": pronouns,
        "pronouns_found": found["pronoun"],
        "precision": precision, "recall": recall, "f1": _f1(precision, recall),
        "without_pronouns": {"gold": n_gold - pronouns, "predicted": bare_total,
                             "precision": bare_precision, "recall": bare_recall,
                             "f1": _f1(bare_precision, bare_recall)},
        "recall_by_type": {k: found[k] / total[k] for k in sorted(total)},
        "gold_by_type": dict(sorted(total.items())),
        "missed_examples": misses, "false_examples": false,
    }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def conll_sentences(path: Path) -> Iterable[list[tuple[str, str]]]:
    """Sentences of (token, tag) pairs from a CoNLL file (blank line between sentences)."""
    sent: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            token, _, tag = line.rpartition(" ")
            sent.append((token, tag))
    if sent:
        yield sent


def _text_and_spans(sent: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int, str]]]:
    """Tokens joined by spaces, and the gold (role, start, end, text) spans in it."""
    offsets, pos = [], 0
    for token, _ in sent:
        offsets.append((pos, pos + len(token)))
        pos += len(token) + 1
    text = " ".join(t for t, _ in sent)
    spans: list[tuple[str, int, int, str]] = []
    role, start, end = None, 0, 0
    for (_token, tag), (s, e) in zip(sent, offsets, strict=True):
        if tag.startswith("B-") or (tag.startswith("I-") and role != tag[2:]):
            if role:
                spans.append((role, start, end, text[start:end]))
            role, start, end = tag[2:], s, e
        elif tag.startswith("I-"):
            end = e
        else:
            if role:
                spans.append((role, start, end, text[start:end]))
            role = None
    if role:
        spans.append((role, start, end, text[start:end]))
    return text, spans


def evaluate_conflibert(folder: Path, coder: ActorCoder, examples: int = 0) -> dict:
    """Recall of ConfliBERT's source/target/reciprocal actor spans by our mentions."""
    found, total = Counter(), Counter()
    misses: list[str] = []
    files = sorted(folder.glob("cameo_ner_*.dev.txt"))
    items = [_text_and_spans(s) for f in files for s in conll_sentences(f)]
    for (text, spans), mentions in zip(items, coder.code_many((t, None) for t, _ in items),
                                       strict=True):
        for role, s, e, span_text in spans:
            total[role] += 1
            if any(_overlaps(s, e, m.start, m.end) for m in mentions):
                found[role] += 1
            elif len(misses) < examples:
                misses.append(f"{role}: {span_text!r}  <- {text[:100]!r}")
    recall = sum(found.values()) / max(1, sum(total.values()))
    return {
        "sentences": len(items), "spans": sum(total.values()), "recall": recall,
        "recall_by_role": {k: found[k] / total[k] for k in sorted(total)},
        "missed_examples": misses,
    }


def evaluate_actors(shared: Path, coder: ActorCoder | None = None, examples: int = 0) -> dict:
    """Both evaluations on the data under ``shared`` (the folder holding ``data/``)."""
    coder = coder or ActorCoder()
    data = Path(shared) / "data"
    report: dict = {}
    t0 = time.perf_counter()
    if (data / "re3d").is_dir():
        report["re3d"] = evaluate_re3d(data / "re3d", coder, examples)
    conflibert = data / "conflibert_cameo" / "dev"
    if conflibert.is_dir():
        report["conflibert"] = evaluate_conflibert(conflibert, coder, examples)
    report["seconds"] = time.perf_counter() - t0
    return report


def format_report(report: dict) -> str:
    """The figures as a short plain-text table."""
    lines = []
    if "re3d" in report:
        r = report["re3d"]
        lines.append(f"re3d actor spans ({r['documents']} docs, {r['gold']} gold incl. "
                     f"{r['pronouns']} pronouns, {r['predicted']} predicted; overlap match)")
        lines.append(f"  precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
                     f"F1 {r['f1']:.3f}   (target F1 >= 0.75)   pronoun spans found "
                     f"{r['pronouns_found']}/{r['pronouns']}")
        w = r["without_pronouns"]
        lines.append(f"  without pronoun spans ({w['gold']} gold, {w['predicted']} predicted): "
                     f"precision {w['precision']:.3f}  recall {w['recall']:.3f}  "
                     f"F1 {w['f1']:.3f}")
        by_type = ", ".join(f"{k} {v:.2f} (n={r['gold_by_type'][k]})"
                            for k, v in r["recall_by_type"].items())
        lines.append(f"  recall by type: {by_type}")
        for ex in r["missed_examples"]:
            lines.append(f"    missed  {ex}")
        for ex in r["false_examples"]:
            lines.append(f"    extra   {ex!r}")
    if "conflibert" in report:
        c = report["conflibert"]
        lines.append(f"ConfliBERT CAMEO source/target spans ({c['sentences']} sentences, "
                     f"{c['spans']} spans)")
        by_role = ", ".join(f"{k} {v:.2f}" for k, v in c["recall_by_role"].items())
        lines.append(f"  detection recall {c['recall']:.3f}   (target >= 0.85)   by role: "
                     f"{by_role}")
        for ex in c["missed_examples"]:
            lines.append(f"    missed  {ex}")
    if not lines:
        lines.append("no evaluation data found")
    lines.append(f"({report.get('seconds', 0):.1f} s)")
    return "\n".join(lines)


def _mentions_json(mentions: list[Mention]) -> list[dict]:
    return [m.to_json() for m in mentions]


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    examples = 0
    if "--examples" in args:
        i = args.index("--examples")
        examples = int(args[i + 1])
        del args[i:i + 2]
    shared = Path(args[0]) if args else Path(__file__).resolve().parents[4] / "shared"
    print(format_report(evaluate_actors(shared, examples=examples)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
