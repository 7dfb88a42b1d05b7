"""Gold data measures, never teaches: no sentence of our corpus, tests or code repeats a gold
sentence. Checked by 10-word windows (a whole sentence when shorter) against every gold file
in ../shared/data (skipped when the gold sets are absent)."""

import ast
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
GOLD = ("plover_gsr", "petrarch_validation", "conflibert_cameo", "re3d")
WINDOW = 10


def _norm(text: str) -> list[str]:
    return re.sub(r"\W+", " ", text.lower()).split()


@pytest.fixture(scope="module")
def gold_text() -> str:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED}: the gold sets are not here")
    return " ".join(" ".join(_norm(p.read_text(encoding="utf-8", errors="ignore")))
                    for name in GOLD for p in (SHARED / name).rglob("*")
                    if p.is_file() and p.suffix in (".json", ".xml", ".tsv", ".txt", ".csv"))


@pytest.fixture(scope="module")
def gold_windows() -> set[str]:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED}: the gold sets are not here")
    windows: set[str] = set()
    for name in GOLD:
        for p in (SHARED / name).rglob("*"):
            if p.is_file() and p.suffix in (".json", ".xml", ".tsv", ".txt", ".csv"):
                w = _norm(p.read_text(encoding="utf-8", errors="ignore"))
                windows.update(" ".join(w[i:i + WINDOW]) for i in range(len(w) - WINDOW + 1))
    assert windows
    return windows


def _overlaps(text: str, windows: set[str], short: str) -> bool:
    w = _norm(text)
    if len(w) < WINDOW:  # a short sentence, quoted whole
        words = [x for x in w if x.isalpha() and len(x) > 1]
        return len(words) >= 6 and " ".join(w) in short
    return any(" ".join(w[i:i + WINDOW]) in windows for i in range(len(w) - WINDOW + 1))


def test_corpus_repeats_no_gold_sentence(gold_windows, gold_text):
    bad = []
    for f in sorted((REPO / "corpus").rglob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if _overlaps(r["text"], gold_windows, gold_text):
                bad.append(r["id"])
    assert not bad


def test_code_and_tests_quote_no_gold_sentence(gold_windows, gold_text):
    bad = []
    for f in [*REPO.joinpath("src").rglob("*.py"), *REPO.joinpath("tests").glob("*.py")]:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    _overlaps(node.value, gold_windows, gold_text):
                bad.append(f"{f.relative_to(REPO)}:{node.lineno}")
    assert not bad


def test_corpus_repeats_no_seed_or_wikinews_sentence():
    """The seed articles and the Wikinews sample are acceptance data too: the corpus is
    written beside them, never from them."""
    folders = [REPO.parent / "shared" / "seeds", SHARED / "wikinews_cc"]
    if not all(f.is_dir() for f in folders):
        pytest.skip("the seeds or the Wikinews sample are not here")
    windows: set[str] = set()
    for folder in folders:
        for p in folder.rglob("*"):
            if p.is_file() and p.suffix in (".txt", ".csv", ".json", ".jsonl"):
                w = _norm(p.read_text(encoding="utf-8", errors="ignore"))
                windows.update(" ".join(w[i:i + WINDOW]) for i in range(len(w) - WINDOW + 1))
    bad = []
    for f in sorted((REPO / "corpus").rglob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            w = _norm(json.loads(line)["text"])
            if any(" ".join(w[i:i + WINDOW]) in windows for i in range(len(w) - WINDOW + 1)):
                bad.append(json.loads(line)["id"])
    assert not bad
