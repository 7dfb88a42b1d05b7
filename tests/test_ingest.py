"""Ingest: every input form a user has, and every kind of bad input, through the real CLI."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from tests.conftest import run_module

ARTICLE = (
    "Finland formally joined the North Atlantic Treaty Organization on Tuesday, becoming the "
    "alliance's 31st member after Turkey's parliament ratified its accession last week.\n\n"
    "Foreign Minister Pekka Haavisto handed the accession documents to US Secretary of State "
    "Antony Blinken at a ceremony in Brussels, officials said. Russia warned that it would take "
    "countermeasures to protect its security, according to a Kremlin spokesman.\n\n"
    "The move doubles the length of the border between NATO and Russia to about 2,600 km."
)


def _article(n: int) -> str:
    """A distinct plausible article body per n (different figures and places)."""
    places = ["Vilnius", "Warsaw", "Tallinn", "Riga", "Helsinki", "Oslo", "Prague", "Sofia"]
    return (f"Officials in {places[n % len(places)]} said on Monday that {100 + n} new border "
            f"guards would be deployed along the eastern frontier by the end of month {n % 12 + 1}"
            f". The ministry said report number {n} covered {n * 7 % 97} crossings.\n\n"
            f"A spokesman added that {n * 13 % 89} vehicles had been inspected since the start "
            f"of the operation, code-named Watchtower {n}, which began {n % 28 + 1} days ago.")


def docs(cli) -> list[dict]:
    return json.loads(cli("docs", "--format", "json").output)


def test_plain_text_markdown_and_folder(cli, tmp_path):
    folder = tmp_path / "in" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "b.md").write_text(_article(1))
    result = cli("ingest", str(tmp_path / "in"))
    assert result.exit_code == 0, result.output
    assert "2 ingested" in result.output
    assert {d["source_path"].rsplit("/", 1)[-1] for d in docs(cli)} == {"a.txt", "b.md"}


def test_reingest_is_a_noop(cli, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    cli("ingest", str(tmp_path / "a.txt"))
    again = cli("ingest", str(tmp_path / "a.txt"), "--no-resume")
    assert "0 ingested" in again.output and "1 duplicates skipped" in again.output
    copy = tmp_path / "copy.txt"  # the same article from another path: same id, not stored twice
    copy.write_text("  " + ARTICLE.replace("\n\n", "\n\n\n") + "\n")
    third = cli("ingest", str(copy))
    assert "0 ingested" in third.output
    assert len(docs(cli)) == 1


def test_jsonl_json_csv_and_field_mapping(cli, tmp_path):
    jl = tmp_path / "feed.jsonl"
    jl.write_text("\n".join(json.dumps({"text": _article(i), "title": f"Report {i}",
                                        "date": f"2024-03-0{i + 1}", "url": f"https://x.example/{i}",
                                        "outlet": "Atlas Wire"}) for i in range(3)))
    arr = tmp_path / "list.json"
    arr.write_text(json.dumps([{"content": _article(10), "headline": "Array item",
                                "published": "5 March 2024"}]))
    with open(tmp_path / "odd.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["story_body", "hed", "when", "paper"])
        writer.writerow([_article(20), "Mapped headline", "2024-04-01", "Harbour Times"])
    result = cli("ingest", str(jl), str(arr))
    assert result.exit_code == 0, result.output
    result = cli("ingest", str(tmp_path / "odd.csv"), "--text-field", "story_body",
                 "--title-field", "hed", "--date-field", "when", "--outlet-field", "paper")
    assert result.exit_code == 0, result.output
    by_title = {d["title"]: d for d in docs(cli)}
    assert by_title["Report 1"]["published"] == "2024-03-02"
    assert by_title["Report 1"]["outlet"] == "Atlas Wire"
    assert by_title["Report 1"]["url"] == "https://x.example/1"
    assert by_title["Array item"]["published"] == "2024-03-05"
    assert by_title["Mapped headline"]["outlet"] == "Harbour Times"
    assert by_title["Mapped headline"]["published"] == "2024-04-01"


def test_html_gzip_glob_and_stdin(cli, tmp_path):
    html = f"""<!doctype html><html><head><title>Finland joins NATO | The Meridian Post</title>
    <meta property="og:title" content="Finland joins NATO as 31st member">
    <meta property="og:site_name" content="The Meridian Post">
    <meta property="article:published_time" content="2023-04-04T12:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
    <article><h1>Finland joins NATO as 31st member</h1>
    {"".join(f"<p>{p}</p>" for p in ARTICLE.split(chr(10) * 2))}</article>
    <footer>© 2023 The Meridian Post. All rights reserved.</footer></body></html>"""
    (tmp_path / "page.html").write_text(html)
    with gzip.open(tmp_path / "feed.jsonl.gz", "wt") as fh:
        fh.write(json.dumps({"text": _article(5), "title": "Zipped"}) + "\n")
    (tmp_path / "x1.txt").write_text(_article(6))
    (tmp_path / "x2.txt").write_text(_article(7))
    result = cli("ingest", str(tmp_path / "page.html"), str(tmp_path / "feed.jsonl.gz"),
                 str(tmp_path / "x*.txt"))
    assert result.exit_code == 0, result.output
    result = cli("ingest", "-", input=json.dumps({"text": _article(8), "title": "From stdin"}))
    assert result.exit_code == 0, result.output
    by_title = {d["title"]: d for d in docs(cli)}
    page = by_title["Finland joins NATO as 31st member"]
    assert page["outlet"] == "The Meridian Post" and page["published"] == "2023-04-04"
    assert "All rights reserved" not in page["text"] and "2,600 km" in page["text"]
    assert "Zipped" in by_title and "From stdin" in by_title
    assert len(docs(cli)) == 5 and by_title[None]["word_count"] > 40


def test_bad_inputs_are_named_and_the_batch_goes_on(tmp_path):
    db = tmp_path / "bad.duckdb"
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage-not-gzip" * 4)
    (tmp_path / "lines.jsonl").write_text(
        json.dumps({"text": _article(30)}) + "\n{not json\n" + json.dumps({"title": "no text"})
        + "\n" + json.dumps({"text": _article(31)}) + "\n")
    (tmp_path / "rows.csv").write_text(
        f'text,title\n"{_article(40)}",ok\n"{_article(41)}",ok,extra,cells\n')
    (tmp_path / "big.txt").write_text(ARTICLE * 400)
    (tmp_path / "latin1.txt").write_bytes(
        ("Caf\u00e9 talks in Bogot\u00e1: " + ARTICLE).encode("cp1252"))
    (tmp_path / "mixed.txt").write_bytes(
        ("Na\u00efve \u201cpeace\u201d plan \u2014 " + _article(50)).encode("utf-8")
        + " Citt\u00e0 del Vaticano.".encode("cp1252"))
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    proc = run_module("ingest", str(tmp_path), str(tmp_path / "missing.txt"), "--db", str(db),
                      "--max-mb", "0.05")
    assert proc.returncode == 1, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("blocwatch: error:")]
    text = "\n".join(errors)
    for name, reason in [("image.txt", "binary"), ("empty.txt", "empty"),
                         ("broken.txt.gz", "gzip"), ("lines.jsonl:2", "malformed JSON"),
                         ("lines.jsonl:3", "no 'text' field"), ("rows.csv:5", "malformed CSV"),
                         ("big.txt", "too large"), ("missing.txt", "no such file"),
                         ("dangling.txt", "")]:
        assert any(name in e and reason in e for e in errors), (name, text)
    assert len(errors) == 9, text
    # good files and good records of bad files are all in
    assert "6 ingested" in proc.stdout, proc.stdout
    listing = json.loads(run_module("docs", "--db", str(db), "--format", "json").stdout)
    texts = " ".join(d["text"] for d in listing)
    assert "Café talks in Bogotá" in texts
    assert "Naïve \u201cpeace\u201d plan" in texts or 'Naïve "peace" plan' in texts
    assert "Città del Vaticano" in texts


def test_unsupported_file_in_folder_is_reported(cli, tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 binary")
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 1
    assert "scan.pdf: skipped: unsupported file type '.pdf'" in result.output
    assert "1 ingested" in result.output


def test_docs_listing_formats(cli, tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": ARTICLE, "title": "Finland joins",
                                                  "date": "2023-04-04", "outlet": "Atlas"}))
    cli("ingest", str(tmp_path / "a.jsonl"))
    table = cli("docs").output
    assert "Finland joins" in table and "2023-04-04" in table and "words" in table
    rows = list(csv.DictReader(cli("docs", "--format", "csv").output.splitlines()))
    assert rows[0]["title"] == "Finland joins" and int(rows[0]["words"]) > 50
    assert "word_count" not in rows[0]  # one word-count column
    assert json.loads(cli("docs", "--since", "2024-01-01", "--format", "json").output) == []


def test_help_on_every_command():
    for args in (["--help"], ["ingest", "--help"], ["docs", "--help"], ["eval", "--help"],
                 ["eval", "extraction", "--help"]):
        proc = run_module(*args)
        assert proc.returncode == 0 and "Usage:" in proc.stdout, args


def test_missing_database_is_a_clear_error(tmp_path: Path):
    proc = run_module("docs", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2
    assert "none.duckdb: no such database" in proc.stderr


def test_folder_readme_is_not_an_article(cli, tmp_path):
    (tmp_path / "README.md").write_text("# My corpus\n\nArticles collected for a class project.")
    (tmp_path / "a.txt").write_text(ARTICLE)
    result = cli("ingest", str(tmp_path))
    assert result.exit_code == 0 and "1 ingested" in result.output


def test_tables_fit_the_terminal(tmp_path, monkeypatch):
    """On a terminal the widest columns give way until a row fits its width; files and pipes
    get whole cells."""
    import io

    from blocwatch.output import print_table

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    rows = [{"id": "eb750883038958be", "title": "Xi and Putin declare partnership " * 3,
             "words": 283}]
    monkeypatch.setenv("COLUMNS", "60")
    tty, pipe = Tty(), io.StringIO()
    print_table(rows, ["id", "title", "words"], tty, {"title": 58})
    print_table(rows, ["id", "title", "words"], pipe, {"title": 58})
    assert max(len(line) for line in tty.getvalue().splitlines()) <= 60
    assert max(len(line) for line in pipe.getvalue().splitlines()) > 60


def test_progress_moves_with_every_document_coded(tmp_path):
    """Inside one long file the progress moves per document coded, not only per file read."""
    from blocwatch.pipeline import Hooks, ingest_paths
    from blocwatch.store import Store

    seen: list[str] = []

    class Watch(Hooks):
        def coded(self, documents: int) -> None:
            seen.append("coded")

        def file_done(self, path: str, documents: int) -> None:
            seen.append("file")

    lines = [json.dumps({"id": str(i), "text": f"{ARTICLE} Report {i}."}) for i in range(4)]
    (tmp_path / "long.jsonl").write_text("\n".join(lines) + "\n")
    with Store(tmp_path / "p.duckdb") as store:
        ingest_paths(store, [str(tmp_path / "long.jsonl")], hooks=Watch())
    assert seen.count("coded") == 4 and seen.count("file") == 1
