"""How well does ``clean.extract_html`` find the article body? Measured like upstream.

The scoring follows scrapinghub/article-extraction-benchmark ``evaluate.py`` so the figure is
comparable with the published table: texts become ``\\w+`` tokens (case kept), tokens become
4-token shingles, and per page TP/FP/FN over the shingle multisets are normalised to sum to one
so long pages do not outweigh short ones. Precision and recall are averaged over pages, F1 is
their harmonic mean, accuracy is the share of pages whose token sequence matches exactly.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from blocwatch.clean import clean_text, decode_bytes, extract_html, html_to_text

NGRAM_N = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    """Word tokens as upstream counts them (no lowercasing, punctuation dropped)."""
    return _TOKEN_RE.findall(text or "")


def _shingles(text: str, n: int = NGRAM_N) -> Counter:
    tokens = tokenize(text)
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_counts(true: str, pred: str, n: int = NGRAM_N) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) over shingle multisets, exactly as upstream computes them."""
    true_sh, pred_sh = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score_pages(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    """Page-averaged precision and recall and their F1 (upstream ``metrics_from_tp_fp_fns``)."""
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate_extraction(folder: Path, limit: int | None = None, mode: str = "html") -> dict:
    """Run ``extract_html`` over a benchmark folder and score it against the ground truth.

    ``folder`` holds ``html/<id>.html.gz`` and ``ground-truth.json`` (id -> articleBody, url).
    Pages whose HTML file is missing are skipped, so a partial copy of the data still works.
    ``mode="text"`` scores ``clean_text`` instead, on each page flattened to plain text (menus,
    header and footer elements removed): a stand-in for page dumps nobody tuned the rules on.
    """
    if mode not in {"html", "text"}:
        raise ValueError(f"mode must be 'html' or 'text', not {mode!r}")
    folder = Path(folder)
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(key for key in truth if (folder / "html" / f"{key}.html.gz").exists())
    if limit is not None:
        ids = ids[:limit]
    started = time.perf_counter()
    counts: list[tuple[float, float, float]] = []
    exact: list[float] = []
    per_page: list[dict] = []
    for key in ids:
        html = decode_bytes(gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()))
        gold = truth[key].get("articleBody", "") or ""
        if mode == "text":
            extracted = clean_text(html_to_text(html), truth[key].get("url"))
        else:
            extracted = extract_html(html, truth[key].get("url"))
        tp_fp_fn = shingle_counts(gold, extracted.text)
        counts.append(tp_fp_fn)
        match = float(tokenize(gold) == tokenize(extracted.text))
        exact.append(match)
        per_page.append(
            {
                "id": key,
                "url": truth[key].get("url"),
                "precision": _precision(*tp_fp_fn),
                "recall": _recall(*tp_fp_fn),
                "exact": bool(match),
                "words_gold": len(tokenize(gold)),
                "words_extracted": len(tokenize(extracted.text)),
            }
        )
    result: dict = {"pages": len(ids), "mode": mode}
    result.update(score_pages(counts) if counts else {"precision": 0.0, "recall": 0.0, "f1": 0.0})
    result["accuracy"] = statistics.mean(exact) if exact else 0.0
    result["per_page"] = per_page
    result["seconds"] = time.perf_counter() - started
    return result


def format_report(result: dict, worst: int = 5) -> str:
    """A few readable lines: the headline figures, then the pages that pull them down."""
    lines = [
        f"article extraction ({result.get('mode', 'html')}): {result['pages']} pages"
        f" in {result['seconds']:.1f} s",
        f"  precision={result['precision']:.3f}  recall={result['recall']:.3f}  "
        f"F1={result['f1']:.3f}  accuracy={result['accuracy']:.3f}",
    ]
    pages = result.get("per_page") or []
    if pages and worst:
        lines.append(f"  worst {min(worst, len(pages))} pages (by P+R):")
        for page in sorted(pages, key=lambda p: p["precision"] + p["recall"])[:worst]:
            lines.append(
                f"    P={page['precision']:.2f} R={page['recall']:.2f} "
                f"{page['words_extracted']}/{page['words_gold']} words  {page['url']}"
            )
    return "\n".join(lines)


def main(folder: str | Path, limit: int | None = None, mode: str = "html") -> dict:
    """Entry point for ``blocwatch eval extraction DIR``: print the report, return the result."""
    result = evaluate_extraction(Path(folder), limit=limit, mode=mode)
    print(format_report(result))
    return result


if __name__ == "__main__":
    # python -m blocwatch.evaluate.extraction DIR [LIMIT] [html|text]
    main(
        sys.argv[1],
        int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else None,
        sys.argv[3] if len(sys.argv) > 3 else "html",
    )
