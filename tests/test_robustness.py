"""Nothing a user feeds in takes a run down (issue 9): record-level isolation, read limits,
store trust, input hygiene, exit statuses. Real CLI processes over real DuckDB files."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import json
import lzma
import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from blocwatch.ingest import ReadOptions, SourceFile, read_source
from blocwatch.pipeline import CODING_CHARS, text_parts
from blocwatch.safety import printable, web_link
from blocwatch.store import Store

from .conftest import run_module

GOOD = [
    "Norway pledged two air-defence systems to Ukraine on Tuesday, the defence ministry in "
    "Oslo said, adding that the first would arrive before the winter.",
    "Kenya and Ethiopia signed an agreement on cross-border trade in Nairobi on Friday, "
    "officials of both governments said after two days of talks.",
    "Chile recalled its ambassador from Venezuela on Monday after Caracas expelled two Chilean "
    "diplomats, the foreign ministry in Santiago said.",
]


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("blocwatch: error:")]


def _fifo_ok() -> bool:
    return hasattr(os, "mkfifo")


def test_malformed_inputs_are_named_one_line_each_and_good_ones_stored(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    for i, text in enumerate(GOOD):
        (src / f"good{i}.txt").write_text(text)
    (src / "deep.json").write_text("[" * 3000 + "]" * 3000)
    (src / "deep.jsonl").write_text('{"a": ' * 2000 + "1" + "}" * 2000 + "\n")
    (src / "date_object.jsonl").write_text(
        json.dumps({"text": "Peru and Bolivia reopened their border on Sunday, both "
                            "governments said.", "date": {"year": 2024}}) + "\n")
    (src / "surrogates.jsonl").write_text(
        '{"text": "Mali and Niger held security talks in Niamey \\ud800 on Monday.", '
        '"title": "Talks \\udc00", "outlet": "Wire \\ud801"}\n')
    (src / "empty.jsonl").write_text("")
    (src / "array.json").write_text("[]")
    (src / "header_only.csv").write_text("text,title\n")
    (src / "numbers.json").write_text(json.dumps(list(range(5000))))
    (src / "noise.txt").write_bytes(b"\x8f\x12")
    (src / "digits.txt").write_text("12 34 -- 56")
    (src / "README.md").write_text("what this folder holds")
    (src / "sources.txt").write_text("Qatar mediated talks between Sudan and Chad in Doha on "
                                     "Thursday, diplomats said.")
    outside = tmp_path / "secret.txt"
    outside.write_text("Private text outside the folder that must not be read.")
    (src / "link.txt").symlink_to(outside)
    if _fifo_ok():
        os.mkfifo(src / "pipe.txt")
    (src / "esc\x1b[31mred.txt").write_text("Ghana and Togo agreed to patrol their border "
                                            "together, officials in Accra said.")
    (src / os.fsdecode(b"latin\xe9.txt")).write_text("Nepal and India signed a power trade "
                                                     "deal in Kathmandu, officials said.")
    db = tmp_path / "s.duckdb"
    proc = run_module("ingest", str(src), "--db", str(db), "--no-code", "-v", timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "\x1b" not in proc.stderr + proc.stdout  # escapes reach no terminal raw
    errors = _errors(proc.stderr)
    text = "\n".join(errors)
    expected = [("deep.json", "nested too deeply"), ("deep.jsonl:1", "nested too deeply"),
                ("empty.jsonl", "no records"), ("array.json", "no records"),
                ("header_only.csv", "no records"), ("numbers.json[1]", "a number"),
                ("numbers.json", "4,980 more errors"), ("noise.txt", ""),
                ("digits.txt", "no words")]
    if _fifo_ok():
        expected.append(("pipe.txt", "not a regular file"))
    for name, reason in expected:
        assert any(name in e and reason in e for e in errors), (name, text)
    # at most 20 lines for the 5,000 bad records of one file, plus its summary line
    assert sum("numbers.json" in e for e in errors) == 21
    assert "field 'date' is an object" in proc.stderr
    assert "link.txt: skipped: a link out of the folder" in proc.stderr
    assert "README.md: skipped" in proc.stderr
    rows = {r[0]: r for r in duckdb.connect(str(db), read_only=True).execute(
        "SELECT source_path, title, outlet, text FROM documents").fetchall()}
    names = {Path(p).name for p in rows}
    assert {f"good{i}.txt" for i in range(3)} <= names
    assert {"sources.txt", "date_object.jsonl", "surrogates.jsonl"} <= names
    assert "secret.txt" not in names and "link.txt" not in names
    assert any(n == "esc\x1b[31mred.txt" for n in names)  # stored as given, printed escaped
    assert any(n == "latin\\xe9.txt" for n in names)  # a non-UTF-8 name, kept as escapes
    surrogate = next(r for p, r in rows.items() if p.endswith("surrogates.jsonl"))
    assert surrogate[1] == "Talks \ufffd" and "\ufffd" in surrogate[3]
    assert len(rows) == 8
    # the same run again: every finished file is recognised, nothing stored twice
    again = run_module("ingest", str(src), "--db", str(db), "--no-code", timeout=300)
    assert "0 ingested" in again.stdout and "Traceback" not in again.stderr
    # links out of the folder are read when asked
    linked = run_module("ingest", str(src), "--db", str(db), "--no-code", "--follow-links",
                        timeout=300)
    assert "1 ingested" in linked.stdout, linked.stdout + linked.stderr


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz"])
@pytest.mark.parametrize("fill", [b"\0", b" "])
def test_decompression_bombs_are_refused(tmp_path: Path, kind: str, fill: bytes):
    path = tmp_path / f"bomb.jsonl.{kind}"
    opener = {"gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind]
    block = fill * (1 << 20)
    with opener(path, "wb") as fh:
        for _ in range(300):  # 300 MB inflated from a few hundred KB
            fh.write(block)
    good = tmp_path / "good.txt"
    good.write_text(GOOD[0])
    db = tmp_path / "b.duckdb"
    proc = run_module("ingest", str(path), str(good), "--db", str(db), "--no-code",
                      timeout=300)
    assert proc.returncode == 1, proc.stderr
    (line,) = _errors(proc.stderr)
    assert path.name in line and ("bomb" in line or "binary" in line), line
    assert "1 ingested" in proc.stdout


def test_inflation_limit_applies_to_every_format(tmp_path: Path):
    # text that compresses like news but inflates past a small limit
    records = "".join(json.dumps({"text": f"{GOOD[i % 3]} ({i})"}) + "\n" for i in range(4000))
    for name in ("a.jsonl.gz", "a.json.gz", "a.csv.gz"):
        path = tmp_path / name
        if name.startswith("a.json."):
            body = json.dumps([{"text": GOOD[0]}] * 4000)
        elif name.startswith("a.csv"):
            body = "text\n" + "".join(f'"{GOOD[i % 3]} ({i})"\n' for i in range(4000))
        else:
            body = records
        path.write_bytes(gzip.compress(body.encode()))
        opts = ReadOptions(max_inflated_bytes=100_000)
        out = list(read_source(SourceFile(str(path), path.stat().st_size), opts))
        assert any("inflates to over" in str(e) for e in out if not hasattr(e, "content")), name


def test_long_lines_and_long_texts(tmp_path: Path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "x " * 600_000}) + "\n" + json.dumps({"text": GOOD[1]})
                    + "\n")
    out = list(read_source(SourceFile(str(path), path.stat().st_size),
                           ReadOptions(max_line_bytes=1_000_000)))
    assert "longer than" in str(out[0]) and out[1].content == GOOD[1]
    # a text longer than one coding part is cut at paragraph ends and covers the whole text
    text = ("A paragraph about talks between two states. " * 40 + "\n\n") * 200
    parts = text_parts(text, 10_000)
    assert "".join(p for _, p in parts) == text
    assert all(len(p) <= 10_000 for _, p in parts)
    assert all(text[off:off + len(p)] == p for off, p in parts)
    assert all(p.endswith("\n\n") for _, p in parts[:-1])
    assert CODING_CHARS < 1_000_000  # under spaCy's own limit


def test_a_text_over_spacys_limit_is_coded_in_parts(tmp_path: Path):
    para = ("Germany and France signed a defence pact in Paris on Monday, officials of both "
            "governments said.\n\n")
    text = para * (1_050_000 // len(para) + 1)
    src = tmp_path / "long.jsonl"
    src.write_text(json.dumps({"id": "long", "text": text, "date": "2024-03-01"}) + "\n")
    proc = run_module("code", str(src), timeout=900)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert "error" not in record and record["events"]
    for e in record["events"][::500]:
        ev = e["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"]
    assert max(m["start"] for m in record["actors"]) > 1_000_000


def test_a_fault_at_any_stage_costs_one_record(tmp_path: Path):
    records = tmp_path / "r.jsonl"
    lines = [{"text": t} for t in GOOD] + [{"text": "Fiji and Tonga held talks in Suva on "
                                                     "maritime patrols, officials said. BADREC"}]
    records.write_text("".join(json.dumps(r) + "\n" for r in lines))
    log = tmp_path / "errors.log"
    for stage in ("read", "clean", "code", "store"):
        db = tmp_path / f"{stage}.duckdb"
        env = {**os.environ, "BLOCWATCH_FAULT": f"{stage}:BADREC", "BLOCWATCH_ERROR_LOG": str(log)}
        proc = run_module("ingest", str(records), "--db", str(db), env=env, timeout=600)
        assert "Traceback" not in proc.stderr, proc.stderr
        con = duckdb.connect(str(db), read_only=True)
        texts = [r[0] for r in con.execute("SELECT text FROM documents").fetchall()]
        assert set(GOOD) <= set(texts), stage
        if stage == "code":  # stored uncoded with the reason, for recode
            assert proc.returncode == 1, proc.stderr
            (err,) = con.execute("SELECT coding_error FROM documents WHERE text LIKE '%BADREC%'"
                                 ).fetchall()[0]
            assert "fault injected" in err
            assert "coding failed" in proc.stderr
        else:  # named with the traceback's place, left out, exit status 3
            assert proc.returncode == 3, (stage, proc.stderr)
            assert len(texts) == 3
            (line,) = _errors(proc.stderr)
            assert "internal error" in line and str(log) in line, line
        con.close()
    assert "fault injected at the store stage" in log.read_text()


def test_exit_statuses(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD[0])
    db = str(tmp_path / "e.duckdb")
    assert run_module("ingest", str(good), "--db", db, "--no-code").returncode == 0
    assert run_module("ingest", str(tmp_path / "missing.txt"), "--db", db).returncode == 1
    empty = run_module("ingest", "", "--db", db)
    assert empty.returncode == 2 and "empty path" in empty.stderr
    assert run_module("ingest", str(good), "--db", "").returncode == 2
    assert run_module("docs", "--db", str(tmp_path / "none.duckdb")).returncode == 2


def test_a_name_with_glob_characters_is_taken_literally(tmp_path: Path):
    path = tmp_path / "news[1].txt"
    path.write_text(GOOD[2])
    proc = run_module("ingest", str(path), "--db", str(tmp_path / "g.duckdb"), "--no-code")
    assert proc.returncode == 0 and "1 ingested" in proc.stdout, proc.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "ok.duckdb"
    good = tmp_path / "g.txt"
    good.write_text(GOOD[1])
    assert run_module("ingest", str(good), "--db", str(db), "--no-code").returncode == 0
    return db


@pytest.mark.parametrize("case", ["foreign", "newer", "bad marker", "truncated"])
def test_a_store_that_cannot_be_trusted_is_refused(tmp_path: Path, case: str):
    db = tmp_path / "x.duckdb"
    if case == "foreign":
        con = duckdb.connect(str(db))
        con.execute("CREATE TABLE measurements (a INTEGER)")
        con.close()
        expect = "not a blocwatch store"
    else:
        ok = _store(tmp_path)
        if case == "truncated":
            data = ok.read_bytes()
            db.write_bytes(data[: len(data) // 2])
            expect = "damaged"
        else:
            db.write_bytes(ok.read_bytes())
            con = duckdb.connect(str(db))
            if case == "newer":
                con.execute("INSERT INTO schema_version VALUES (99, 'future', now())")
                expect = "newer than this blocwatch"
            else:
                con.execute("DELETE FROM schema_version")
                con.execute("INSERT INTO schema_version VALUES (NULL, 'x', now())")
                expect = "damaged schema marker"
            con.close()
    before = _digest(db)
    good = tmp_path / "new.txt"
    good.write_text(GOOD[2])
    for args in (["docs"], ["events"], ["report", "--out", str(tmp_path / "r.html")],
                 ["ingest", str(good), "--no-code"], ["check"]):
        proc = run_module(*args, "--db", str(db), timeout=300)
        assert proc.returncode == 2, (case, args, proc.stderr)
        assert "Traceback" not in proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and expect in lines[0], (case, args, proc.stderr)
    assert _digest(db) == before  # nothing written to it


def test_check_finds_a_tampered_store(tmp_path: Path):
    db = _store(tmp_path)
    proc = run_module("check", "--db", str(db))
    assert proc.returncode == 0 and "sound" in proc.stdout, proc.stdout + proc.stderr
    con = duckdb.connect(str(db))
    con.execute("UPDATE documents SET text = text || ' (edited)'")
    con.execute("INSERT INTO events (id, doc_id, type, modality) VALUES "
                "('e1', 'nowhere', 'CONSULT', 'asserted')")
    con.close()
    proc = run_module("check", "--db", str(db))
    assert proc.returncode == 2
    assert "1 events of no stored document" in proc.stdout
    assert "1 documents whose id is not the hash of their text" in proc.stdout


def test_only_web_links_become_links():
    assert web_link("https://example.org/a") == "https://example.org/a"
    assert web_link("HTTP://example.org") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example", "http:/x", None, 3):
        assert web_link(bad) is None


def test_report_links_only_web_urls(tmp_path: Path):
    records = tmp_path / "r.jsonl"
    records.write_text(
        json.dumps({"text": GOOD[0], "url": "javascript:alert(document.cookie)",
                    "date": "2024-05-01", "outlet": "Evil"}) + "\n"
        + json.dumps({"text": GOOD[2], "url": "https://news.example.org/chile",
                      "date": "2024-05-02", "outlet": "Good"}) + "\n")
    db = str(tmp_path / "r.duckdb")
    assert run_module("ingest", str(records), "--db", db).returncode == 0
    out = tmp_path / "r.html"
    assert run_module("report", "--db", db, "--out", str(out)).returncode == 0
    page = out.read_text()
    assert "javascript:" not in page
    assert 'href="https://news.example.org/chile"' in page


def test_printable_escapes_terminal_controls():
    assert printable("a\x1b]0;title\x07b") == "a\\x1b]0;title\\x07b"
    assert printable("tab\tstays") == "tab\tstays"
    assert printable(os.fsdecode(b"n\xe9")) == "n\\xe9"
    assert printable("\u009b31m") == "\\x9b31m"


def test_a_new_store_is_not_created_by_a_reader(tmp_path: Path):
    db = tmp_path / "never.duckdb"
    proc = run_module("events", "--db", str(db))
    assert proc.returncode == 2 and not db.exists()
    Store(str(db)).close()  # a writer creates it
    assert run_module("events", "--db", str(db)).returncode == 0


def test_archives_are_read_in_place_with_the_same_limits(tmp_path: Path):
    import io
    import tarfile
    import zipfile

    src = tmp_path / "in"
    src.mkdir()
    with zipfile.ZipFile(src / "news.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a/one.txt", GOOD[0])
        z.writestr("b/two.jsonl", json.dumps({"text": GOOD[1]}) + "\n")
        z.writestr("c/three.txt.gz", gzip.compress(GOOD[2].encode()))
        z.writestr("../escape.txt", GOOD[0] + " (outside)")
        z.writestr("inner.zip", b"PK")
        z.writestr("README.md", "about")
    with tarfile.open(src / "news.tar.gz", "w:gz") as t:
        for name, text in (("x/one.txt", GOOD[0]), ("/abs.txt", GOOD[1])):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(src / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("spaces.jsonl", b" " * (200 << 20))
    (src / "corrupt.zip").write_bytes(b"PK\x03\x04garbage" * 10)
    db = tmp_path / "a.duckdb"
    proc = run_module("ingest", str(src), "--db", str(db), "--no-code", timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    errors = "\n".join(_errors(proc.stderr))
    for name, reason in [("news.zip!../escape.txt", "outside the archive"),
                         ("news.zip!inner.zip", "archive inside an archive"),
                         ("news.tar.gz!/abs.txt", "outside the archive"),
                         ("bomb.zip!spaces.jsonl", "bomb"), ("corrupt.zip", "corrupt archive")]:
        assert any(name in e and reason in e for e in errors.splitlines()), (name, errors)
    assert len(_errors(proc.stderr)) == 5, errors
    con = duckdb.connect(str(db), read_only=True)
    texts = {r[0] for r in con.execute("SELECT text FROM documents").fetchall()}
    assert texts == set(GOOD)
    (origin,) = con.execute("SELECT source_path FROM documents WHERE text = ?",
                            [GOOD[2]]).fetchall()[0]
    assert origin.endswith("news.zip!c/three.txt.gz")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads every folder: an unreadable one cannot be made")
def test_an_unreadable_subfolder_is_named(tmp_path: Path):
    src = tmp_path / "in"
    (src / "locked").mkdir(parents=True)
    (src / "locked" / "a.txt").write_text(GOOD[0])
    (src / "b.txt").write_text(GOOD[1])
    (src / "locked").chmod(0)
    try:
        proc = run_module("ingest", str(src), "--db", str(tmp_path / "u.duckdb"), "--no-code")
    finally:
        (src / "locked").chmod(0o755)
    assert proc.returncode == 1 and "locked: folder not readable" in proc.stderr, proc.stderr
    assert "1 ingested" in proc.stdout


def test_an_overlong_field_is_cut_with_a_warning():
    from blocwatch.ingest import RawItem
    from blocwatch.pipeline import MAX_FIELD_CHARS, IngestOptions, to_document

    warnings: list[str] = []
    doc = to_document(RawItem("f.jsonl:1", "f.jsonl", "text", GOOD[0],
                              {"title": "T" * 100_000, "outlet": "Wire"}),
                      IngestOptions(), warnings.append)
    assert len(doc.title) == MAX_FIELD_CHARS and doc.outlet == "Wire"
    assert warnings == [f"f.jsonl:1: field 'title' over {MAX_FIELD_CHARS:,} characters; cut"]


def test_a_long_article_coded_in_parts_has_the_events_of_the_whole():
    """Long texts are coded in parts of CODING_CHARS (spaCy's memory grows with what it reads
    at once): cut at paragraph ends, the parts give the events the whole text gives."""
    from blocwatch.pipeline import Coder

    paras = ["Kenya and Uganda signed a border accord in Kampala on Monday, officials said.",
             "Chile's foreign minister said he had asked Bolivia to withdraw its complaint.",
             "Polish border guards detained 40 migrants who had crossed from Belarus.",
             "Vietnam protested to China over the seizure of a fishing boat near the Paracels."]
    filler = "Markets were calm and the weather stayed mild across the region this week. " * 8
    text = "\n\n".join(f"{paras[i % 4]} {filler}" for i in range(3 * CODING_CHARS // 700))
    assert len(text) > 2 * CODING_CHARS
    coder = Coder()
    [parts] = list(coder.code_many([("long", text, date(2024, 3, 1))]))
    [whole] = list(coder.documents.code_many([("long", text, date(2024, 3, 1))]))

    def key(e: dict) -> tuple:
        return (e["type"], e["evidence"]["start"], tuple(a.get("code") for a in e["source"]),
                tuple(a.get("code") for a in e["target"]))

    assert parts.events and sorted(map(key, parts.events)) == sorted(
        key(e.to_json()) for e in whole.events)
