"""Corroboration counts real outlets: taken from the URL's registrable domain when a record
names none, all outlet-less documents counted as one "unknown", and outlets of stored documents
set afterwards (a re-ingest of the same text is a duplicate)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blocwatch.analysis import Analysis
from blocwatch.outlets import outlet_of_url
from blocwatch.store import Store
from tests.eventdb import EventDB


@pytest.mark.parametrize(("url", "outlet"), [
    ("https://www.reuters.com/world/europe/story-2024-03-01/", "reuters.com"),
    ("http://news.bbc.co.uk/2/hi/europe/123.stm", "bbc.co.uk"),
    ("https://edition.cnn.com/2024/03/01/world/x", "cnn.com"),
    ("https://EN.Wikinews.ORG/wiki/Some_page", "wikinews.org"),
    ("https://www.abc.net.au/news/2024-03-01/x", "abc.net.au"),
    ("http://192.168.1.4/story", None),
    ("file:///home/me/story.html", None),
    ("javascript:alert(1)", None),
    ("http://localhost:8000/x", None),
    ("not a url", None),
    ("", None),
    (None, None),
])
def test_outlet_is_the_registrable_domain_of_a_web_address(url, outlet):
    assert outlet_of_url(url) == outlet


def test_documents_without_an_outlet_count_as_one(tmp_path: Path):
    """Three outlet-less reports of one story are one outlet ("unknown"), not three; three
    outlets are three."""
    db = EventDB(tmp_path / "a.duckdb")
    for i in range(3):
        db.event(db.doc(None, "2024-03-01", text=f"report {i}"), "AID", "USA", "UKR",
                 date="2024-03-01")
    for outlet in ("A", "B", "C"):
        db.event(db.doc(outlet, "2024-03-01"), "AID", "DEU", "POL", date="2024-03-01")
    db.flush()
    with Analysis(db.store) as a:
        stories = {("+".join(s.source), "+".join(s.target)): s.outlets for s in a.stories()}
    assert stories == {("USA", "UKR"): 1, ("DEU", "POL"): 3}


def _ingest(cli, records: list[dict], path: Path) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = cli("ingest", str(path), "--quiet")
    assert result.exit_code == 0, result.output


TEXT = ("Germany delivered {n} tanks to Ukraine on Monday, the defence ministry in Berlin said. "
        "The shipment was the {k} this year.")


def test_ingest_takes_the_outlet_from_the_url_and_docs_sets_it_afterwards(cli, tmp_path):
    records = [
        {"id": "a", "text": TEXT.format(n=14, k="first"),
         "url": "https://www.reuters.com/world/a", "date": "2024-03-04"},
        {"id": "b", "text": TEXT.format(n=12, k="second"), "outlet": "Der Spiegel",
         "url": "https://www.spiegel.de/a", "date": "2024-03-04"},
        {"id": "c", "text": TEXT.format(n=10, k="third"), "date": "2024-03-04"},
        {"id": "d", "text": TEXT.format(n=8, k="fourth"), "date": "2024-03-05"},
    ]
    _ingest(cli, records, tmp_path / "news.jsonl")
    docs = json.loads(cli("docs", "--format", "json").output)
    assert sorted(d["outlet"] or "" for d in docs) == ["", "", "Der Spiegel", "reuters.com"]

    # --set-outlet needs a selection, and changes only what it selects
    refused = cli("docs", "--set-outlet", "AP")
    assert refused.exit_code == 2 and "--id" in refused.output
    done = cli("docs", "--since", "2024-03-05", "--set-outlet", "AP")
    assert done.exit_code == 0 and "1 of 1" in done.output
    docs = {d["text"][:30]: d["outlet"] for d in json.loads(cli("docs", "--format",
                                                                  "json").output)}
    assert sorted(o or "" for o in docs.values()) == ["", "AP", "Der Spiegel", "reuters.com"]

    # a re-ingest of the same text is a duplicate and changes nothing stored
    _ingest(cli, [{**records[2], "outlet": "Ignored"}], tmp_path / "again.jsonl")
    assert "Ignored" not in cli("docs").output


def test_outlet_from_url_fills_only_documents_without_one(cli, tmp_path):
    """Stores built before outlets came from URLs: --outlet-from-url fills the gaps and
    leaves named outlets alone."""
    db = EventDB(tmp_path / "old.duckdb")
    db.doc(None, "2024-03-01", url="https://www.aljazeera.com/news/x", text="one")
    db.doc("The Guardian", "2024-03-01", url="https://www.theguardian.com/x", text="two")
    db.doc(None, "2024-03-01", text="three")
    db.flush()
    db.store.close()
    out = cli("docs", "--outlet-from-url", "--db", str(tmp_path / "old.duckdb"), db=False)
    assert out.exit_code == 0, out.output
    assert "1 of 3" in out.output and "1 still have no outlet" in out.output
    with Store(tmp_path / "old.duckdb", read_only=True) as s:
        got = sorted((d["text"], d["outlet"]) for d in s.documents())
    assert got == [("one", "aljazeera.com"), ("three", None), ("two", "The Guardian")]


def test_a_date_set_on_stored_documents_is_read_by_recode(cli, tmp_path):
    """--set-date gives a stored document its publication date and marks it for recode,
    which reads "on Tuesday" against it."""
    text = ("Germany delivered 14 tanks to Ukraine on Tuesday, the defence ministry in Berlin "
            "said. The shipment was the first this year.")
    _ingest(cli, [{"id": "a", "text": text}], tmp_path / "a.jsonl")
    (doc,) = json.loads(cli("docs", "--format", "json").output)
    assert doc["published"] is None
    refused = cli("docs", "--set-date", "2024-03-08")
    assert refused.exit_code == 2 and "--id" in refused.output
    done = cli("docs", "--id", doc["id"][:8], "--set-date", "2024-03-08")
    assert done.exit_code == 0 and "recode" in done.output
    (doc,) = json.loads(cli("docs", "--format", "json").output)
    assert doc["published"] == "2024-03-08" and doc["coded_with"] is None
    again = cli("recode")
    assert again.exit_code == 0, again.output
    events = json.loads(cli("events", "--format", "json").output)
    assert events and all(e["date"] == "2024-03-05" for e in events if e["type"] == "AID")


def test_page_dumps_say_where_they_come_from():
    """A URL line, a copyright line or a wire dateline in a page dump gives its outlet; prose
    that mentions copyright does not."""
    from blocwatch.clean import clean_text

    body = ("Ukraine received new air defence systems from Germany on Friday, the defence "
            "ministry said, as Russia kept up its attacks on cities across the country.\n"
            "Officials said the systems would be deployed to protect energy infrastructure, "
            "which has been hit repeatedly over the winter months.\n")
    dump = ("https://www.example-news.com/world/ukraine-air-defence/\nWorld\n"
            "Ukraine receives new air defence systems\nMarch 1, 2024\n" + body +
            "© 2024 Example News Group. All rights reserved.\n")
    found = clean_text(dump)
    assert found.url == "https://www.example-news.com/world/ukraine-air-defence/"
    assert found.outlet == "Example News Group"
    assert "All rights" not in found.text
    wire = clean_text("KYIV (Reuters) - " + body)
    assert wire.outlet == "Reuters"
    prose = clean_text("Copyright is a matter for the courts, the minister said on Monday "
                       "after a long dispute between publishers and the search companies.")
    assert prose.outlet is None
