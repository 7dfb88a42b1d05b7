"""A document that cannot be coded never takes the run down: it is stored uncoded with the
reason, named on stderr, counted in the summary, and left for `recode` (issue 8)."""

from __future__ import annotations

import json

import duckdb

from tests.conftest import run_module

GOOD = {"id": "good", "text": "Chile sent two firefighting aircraft to Bolivia on Monday.",
        "date": "2024-09-16"}


def test_a_document_spacy_refuses_is_stored_uncoded_and_the_batch_goes_on(tmp_path):
    # spaCy refuses texts over 1,000,000 characters; --max-mb lets this one through.
    huge = {"id": "huge", "text": ("Kenya and Uganda held talks on trade. " * 27_000),
            "date": "2024-09-16"}
    src = tmp_path / "news.jsonl"
    src.write_text(json.dumps(huge) + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    proc = run_module("ingest", str(src), "--db", str(db))
    assert proc.returncode == 1, proc.stderr[-800:]
    assert "coding failed, stored uncoded" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "1 coded with errors" in proc.stdout
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT word_count > 100000, coded_with IS NULL, coding_error "
                       "FROM documents ORDER BY word_count").fetchall()
    mentions = con.execute("SELECT count(*) FROM mentions").fetchall()[0][0]
    con.close()
    assert len(rows) == 2
    (small_big, small_uncoded, small_err), (big, big_uncoded, big_err) = rows
    assert not small_big and not small_uncoded and small_err is None  # the good one is coded
    assert big and big_uncoded and big_err  # the huge one kept, uncoded, with its reason
    assert mentions > 0


def test_a_lone_document_that_fails_is_named_not_raised(tmp_path):
    huge = {"id": "huge", "text": ("Peru and Chile held talks on fishing. " * 27_000)}
    src = tmp_path / "one.jsonl"
    src.write_text(json.dumps(huge) + "\n", encoding="utf-8")
    for coder in ("rules", "model"):
        proc = run_module("code", str(src), env={**__import__("os").environ,
                                                 "BLOCWATCH_CODER": coder})
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (coder, proc.stderr[-500:])
        assert "coding failed" in proc.stderr
        assert json.loads(proc.stdout)["error"]
