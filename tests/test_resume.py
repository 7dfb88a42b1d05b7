"""A thousand files, 5% of them corrupt: every good one in, every bad one named; re-runs add
nothing; a run killed half-way and re-run ends with the same store as an uninterrupted one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from blocwatch.store import open_store

N_FILES = 1000
N_BAD = 50

WORDS = [
    "minister", "talks", "border", "troops", "sanctions", "ceasefire", "summit", "envoy",
    "missile", "aid", "grain", "pipeline", "treaty", "embassy", "protest", "election",
    "drone", "convoy", "refugees", "port", "vote", "tariff", "satellite", "navy",
    "airspace", "corridor", "delegation", "parliament", "reactor", "loan",
]


def _body(rng: random.Random, n: int) -> str:
    paras = []
    for p in range(3):
        sentences = []
        for s in range(4):
            words = [rng.choice(WORDS) for _ in range(rng.randint(9, 16))]
            sentences.append(f"Report {n}.{p}.{s}: " + " ".join(words).capitalize() + ".")
        paras.append(" ".join(sentences))
    return "\n\n".join(paras)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, set[str]]:
    """1,000 files in nested folders; 50 of them corrupt in assorted ways."""
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(7)
    bad_kinds = ["binary", "empty", "gzip", "json", "csv"]
    bad_positions = set(rng.sample(range(N_FILES), N_BAD))
    bad: set[str] = set()
    for i in range(N_FILES):
        folder = root / f"part{i % 10}"
        folder.mkdir(exist_ok=True)
        if i in bad_positions:
            kind = bad_kinds[len(bad) % len(bad_kinds)]
            if kind == "binary":
                path = folder / f"doc{i:04}.txt"
                path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)) + b"\x00" * 10)
            elif kind == "empty":
                path = folder / f"doc{i:04}.html"
                path.write_bytes(b"   \n")
            elif kind == "gzip":
                path = folder / f"doc{i:04}.txt.gz"
                path.write_bytes(b"\x1f\x8b\x08" + bytes(rng.randrange(256) for _ in range(500)))
            elif kind == "json":
                path = folder / f"doc{i:04}.jsonl"
                path.write_text('{"text": "unterminated, "title": 3,\n')
            else:
                path = folder / f"doc{i:04}.csv"
                path.write_text("text,title\n")  # a header and no rows is fine ...
                path.write_bytes(b"\x00\x01\x02" * 100)  # ... but this is binary
            bad.add(str(path))
        elif i % 3 == 0:
            (folder / f"doc{i:04}.jsonl").write_text(
                json.dumps({"text": _body(rng, i), "title": f"Doc {i}"}) + "\n")
        else:
            (folder / f"doc{i:04}.txt").write_text(_body(rng, i))
    return root, bad


def _ingest(root: Path, db: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "blocwatch", "ingest", str(root), "--db",
                           str(db), "--format", "json", *extra], capture_output=True, text=True)


def _store(db: Path | str) -> set[tuple]:
    with open_store(str(db), read_only=True) as store:
        return {tuple(r.values()) for r in store.query(
            "SELECT id, source_path, duplicate_of, title FROM documents")}


def _mentions(db: Path | str) -> Counter:
    """The mentions as a multiset (the same rows, however each database orders them)."""
    with open_store(str(db), read_only=True) as store:
        return Counter(tuple(r.values()) for r in store.query(
            "SELECT doc_id, start_char, end_char, code, sector FROM mentions"))


def test_thousand_files_with_corrupt_ones(corpus, tmp_path):
    root, bad = corpus
    db = tmp_path / "one.duckdb"
    first = _ingest(root, db, "--no-code")  # the coding stage is exercised by the next test
    assert first.returncode == 1  # something failed, and the status says so
    summary = json.loads(first.stdout)[0]
    assert summary["ingested"] == N_FILES - N_BAD
    assert summary["skipped"] == N_BAD
    named = {line.split("blocwatch: error: ", 1)[1].split(": ", 1)[0]
             for line in first.stderr.splitlines() if line.startswith("blocwatch: error: ")}
    # the json file's lines are named by file:line
    assert {n.split(":")[0] for n in named} == bad
    stored = _store(db)
    assert len(stored) == N_FILES - N_BAD

    second = _ingest(root, db, "--no-code")
    assert json.loads(second.stdout)[0]["ingested"] == 0
    assert _store(db) == stored


def test_killed_run_resumes_to_the_same_store(corpus, tmp_path, store_url):
    """On PostgreSQL too: the killed writer's open batch is rolled back by the server and its
    advisory lock freed with its connection."""
    root, _ = corpus
    reference = tmp_path / "reference.duckdb"
    _ingest(root, reference, "--batch-size", "40")
    db = store_url
    proc = subprocess.Popen([sys.executable, "-m", "blocwatch", "ingest", str(root), "--db",
                             str(db), "--batch-size", "40", "-v"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    committed = 0
    for line in proc.stderr:
        if "committed" in line:
            committed += 1
            if committed == 8:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    partial = _store(db)
    assert 8 * 40 <= len(partial) < N_FILES - N_BAD
    resumed = _ingest(root, db, "--batch-size", "40")
    assert json.loads(resumed.stdout)[0]["unchanged_files"] > 0
    assert _store(db) == _store(reference)
    # coding went in with each batch: nothing half-coded, nothing coded twice
    assert _mentions(db) == _mentions(reference) and _mentions(db)
