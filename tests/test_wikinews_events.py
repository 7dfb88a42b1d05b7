"""The learned event layer over all of Wikinews (../shared/data/wikinews_cc, a real-news
corpus nobody tuned for): coding raises nothing, and no event has the same mention as its
source and its target (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from blocwatch.store import Store
from tests.conftest import run_module

WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews_cc"


@pytest.mark.skipif(not WIKINEWS.is_dir(), reason=f"{WIKINEWS} is not here")
def test_wikinews_ingest_with_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv("BLOCWATCH_CODER", "model")
    db = tmp_path / "wikinews.duckdb"
    proc = run_module("ingest", str(WIKINEWS), "--db", str(db), "--jobs", "2")
    assert "Traceback" not in proc.stderr and "coding failed" not in proc.stderr, \
        proc.stderr[-1000:]
    with Store(str(db), read_only=True) as store:
        docs = store.count("documents")
        events = store.events()
    assert docs > 250 and len(events) > 50
    same = [e for e in events for s in e["source"] for t in e["target"]
            if s.get("start") is not None and (s["start"], s["end"]) == (t["start"], t["end"])]
    assert not same
    assert all(e["source"] for e in events)  # no event without an actor doing it
