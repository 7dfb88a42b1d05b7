"""`blocwatch ingest --engine ray`: the same store as the local run, from real Ray workers.

Each test runs the real CLI in a subprocess that starts a local Ray cluster of two workers;
the stores are real DuckDB files compared table by table. Skipped when Ray (the optional
`ray` extra) is not installed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, SHARED, run_module


def _tables(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "documents": con.execute(
                "SELECT id, title, published, duplicate_of, similarity, coded_with, "
                "coding_error FROM documents ORDER BY id").fetchall(),
            "mentions": con.execute(
                "SELECT doc_id, sentence, start_char, end_char, text, code, sector, actor, "
                "resolved_by, kind FROM mentions ORDER BY ALL").fetchall(),
            "events": con.execute(
                "SELECT id, doc_id, type, mode, source_codes, target_codes, modality, "
                "event_date, evidence, confidence, background FROM events ORDER BY id"
            ).fetchall(),
        }
    finally:
        con.close()


def _ingest(path: Path, db: Path, *extra: str, env: dict | None = None):
    proc = run_module("ingest", str(path), "--db", str(db), "--quiet", "--format", "json",
                      *extra, env={**os.environ, **(env or {})}, timeout=600)
    summary = json.loads(proc.stdout)[0] if proc.stdout.strip().startswith("[") else {}
    summary.pop("db", None)
    return proc, summary


def _same_as_local(folder: Path, tmp_path: Path, env: dict | None = None) -> dict:
    pytest.importorskip("ray", reason="the ray extra is not installed "
                                      "(pip install -r requirements-scale.txt)")
    local, local_summary = _ingest(folder, tmp_path / "local.duckdb", env=env)
    ray_run, ray_summary = _ingest(folder, tmp_path / "ray.duckdb", "--engine", "ray",
                                   "--workers", "2", env=env)
    assert ray_run.returncode == local.returncode, ray_run.stderr[-2000:]
    assert ray_summary == local_summary
    assert sorted(ray_run.stderr.splitlines()) == sorted(local.stderr.splitlines())
    ray_tables = _tables(tmp_path / "ray.duckdb")
    assert ray_tables == _tables(tmp_path / "local.duckdb")
    return ray_tables


def test_ray_run_stores_what_the_local_run_stores(tmp_path):
    """The bundled samples (pages, dumps, CSV, JSON lines: cleaning runs in the workers)
    with the default coder: identical documents, mentions and events."""
    tables = _same_as_local(REPO / "samples", tmp_path)
    assert len(tables["documents"]) > 10 and tables["mentions"] and tables["events"]


def test_ray_run_with_the_event_model_on_real_news(tmp_path):
    """A subset of Wikinews coded by the learned event model in two Ray workers: the same
    ids, mentions and events as the local run (the bench compares the whole corpus)."""
    source = SHARED / "data" / "wikinews_cc"
    files = sorted(source.glob("*.csv"))
    if not files:
        pytest.skip(f"{source} not present (shared data sits beside the repository)")
    csv.field_size_limit(1 << 30)
    with open(files[0], newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = [row for _, row in zip(range(40), reader, strict=False)]
        fields = reader.fieldnames
    folder = tmp_path / "wikinews"
    folder.mkdir()
    with open(folder / "subset.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    tables = _same_as_local(folder, tmp_path, env={"BLOCWATCH_CODER": "model"})
    assert len(tables["documents"]) == 40 and tables["events"]


def test_ray_run_names_bad_input_and_goes_on(tmp_path):
    """A broken file and an empty one are named on stderr, one line each, exactly as in the
    local run; the good files are stored and coded."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPO / "samples" / "wire.jsonl", folder / "wire.jsonl")
    (folder / "broken.json").write_text('[{"text": "Russia and China signed', encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "records.jsonl").write_text(
        json.dumps({"text": "The foreign ministers of Egypt and Jordan met in Cairo on "
                            "Monday to discuss the crisis.", "date": "2024-03-04"}) + "\n"
        + json.dumps({"text": 42}) + "\n", encoding="utf-8")
    _same_as_local(folder, tmp_path)
    proc, summary = _ingest(folder, tmp_path / "again.duckdb", "--engine", "ray")
    assert proc.returncode == 1
    assert summary["skipped"] >= 2 and summary["ingested"] >= 2
    named = [line for line in proc.stderr.splitlines() if line.startswith("blocwatch: error:")]
    assert any("broken.json" in line for line in named)
    assert any("empty.txt" in line for line in named)


def test_address_needs_the_ray_engine(tmp_path):
    proc = run_module("ingest", str(REPO / "samples"), "--db", str(tmp_path / "x.duckdb"),
                      "--address", "auto")
    assert proc.returncode == 2
    assert "--engine ray" in proc.stderr
    assert not (tmp_path / "x.duckdb").exists()


def test_joining_a_running_cluster(tmp_path):
    """`ray start --head` runs a cluster on this machine: `--address auto` joins it (Ray
    listens on the node's address, which `auto` finds) and stores what the local run stores;
    without --address the run starts a cluster of its own beside it instead of failing."""
    pytest.importorskip("ray", reason="the ray extra is not installed "
                                      "(pip install -r requirements-scale.txt)")
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ray_cli = str(Path(sys.executable).with_name("ray"))
    started = subprocess.run([ray_cli, "start", "--head", "--num-cpus", "1", "--port",
                              str(port), "--include-dashboard=false"],
                             capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        joined, _ = _ingest(REPO / "samples", tmp_path / "joined.duckdb", "--engine", "ray",
                            "--workers", "1", "--address", "auto")
        beside, _ = _ingest(REPO / "samples", tmp_path / "beside.duckdb", "--engine", "ray",
                            "--workers", "1")
    finally:
        subprocess.run([ray_cli, "stop"], capture_output=True, timeout=180)
    local, _ = _ingest(REPO / "samples", tmp_path / "local.duckdb")
    assert joined.returncode == beside.returncode == local.returncode == 0, (
        joined.stderr[-1000:] + beside.stderr[-1000:])
    tables = _tables(tmp_path / "local.duckdb")
    assert _tables(tmp_path / "joined.duckdb") == tables
    assert _tables(tmp_path / "beside.duckdb") == tables
