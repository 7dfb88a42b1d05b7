"""A document that cannot be coded never takes the run down: it is stored uncoded with the
reason, named on stderr, counted in the summary, and left for `recode` (issues 8 and 9).

The failure is real code failing at the coding stage's fault-injection point
(``BLOCWATCH_FAULT``, :func:`blocwatch.safety.fault`); texts too long for spaCy, which used to
fail here, are now coded in parts (tests/test_robustness.py)."""

from __future__ import annotations

import json
import os

import duckdb

from tests.conftest import run_module

GOOD = {"id": "good", "text": "Chile sent two firefighting aircraft to Bolivia on Monday.",
        "date": "2024-09-16"}
BAD = {"id": "bad", "text": "Kenya and Uganda held talks on trade in Kampala on Monday. XFAULT",
       "date": "2024-09-16"}


def test_a_document_that_fails_coding_is_stored_uncoded_and_recoded_later(tmp_path):
    src = tmp_path / "news.jsonl"
    src.write_text(json.dumps(BAD) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    env = {**os.environ, "BLOCWATCH_FAULT": "code:XFAULT",
           "BLOCWATCH_ERROR_LOG": str(tmp_path / "log")}
    proc = run_module("ingest", str(src), "--db", str(db), env=env)
    assert proc.returncode == 1, proc.stderr[-800:]
    assert "coding failed, stored uncoded" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "1 coded with errors" in proc.stdout
    con = duckdb.connect(str(db), read_only=True)
    rows = dict(con.execute("SELECT text LIKE '%XFAULT%', coding_error FROM documents"
                            ).fetchall())
    uncoded = con.execute("SELECT count(*) FROM documents WHERE coded_with IS NULL"
                          ).fetchall()[0][0]
    mentions = con.execute("SELECT count(*) FROM mentions").fetchall()[0][0]
    con.close()
    assert rows[False] is None and "fault injected" in rows[True]
    assert uncoded == 1 and mentions > 0  # the good one is coded
    # once the cause is gone, recode codes what was left uncoded
    proc = run_module("recode", "--db", str(db))
    assert proc.returncode == 0 and "1 documents coded" in proc.stdout, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE coded_with IS NULL OR "
                       "coding_error IS NOT NULL").fetchall()[0][0] == 0
    assert con.execute("SELECT count(DISTINCT doc_id) FROM mentions").fetchall()[0][0] == 2


def test_a_lone_document_that_fails_is_named_not_raised(tmp_path):
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(BAD) + "\n", encoding="utf-8")
    for coder in ("rules", "model"):
        proc = run_module("code", str(src), env={**os.environ, "BLOCWATCH_CODER": coder,
                                                 "BLOCWATCH_FAULT": "code:XFAULT",
                                                 "BLOCWATCH_ERROR_LOG": str(tmp_path / "log")})
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (coder, proc.stderr[-500:])
        assert "coding failed" in proc.stderr
        assert json.loads(proc.stdout)["error"]
