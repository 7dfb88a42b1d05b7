"""`blocwatch watch`: new files and feed items are ingested once, pass after pass (issue 11)."""

from __future__ import annotations

import threading
import time

from blocwatch import watch
from blocwatch.pipeline import Hooks, IngestOptions
from blocwatch.store import Store, open_store

ARTICLE = ("Germany delivered {n} tanks to Ukraine on Monday, the defence ministry in Berlin "
           "said. The shipment was announced after talks between the two governments.")


def _rss(n: int) -> str:
    items = "".join(
        f"<item><title>Item {i}</title><link>https://feed.example/{i}</link>"
        f"<guid>https://feed.example/{i}</guid><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{ARTICLE.format(n=i + 1)} Report number {i}.&lt;/p&gt;"
        f"</description></item>" for i in range(n))
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed Example</title>'
            f"<link>https://feed.example/</link>{items}</channel></rss>")


def test_interval():
    assert watch.interval("30s") == 30 and watch.interval("5m") == 300
    assert watch.interval("1h") == 3600 and watch.interval("2") == 2


def test_a_feed_of_20_items_ingests_once(cli, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(_rss(20), encoding="utf-8")
    first = cli("watch", "--feed", str(feed), "--passes", "2", "--every", "1s")
    assert first.exit_code == 0, first.output
    lines = [line for line in first.output.splitlines() if "pass" in line]
    assert "pass 1: 20 new documents" in lines[0]
    assert "pass 2: 0 new documents, 20 already stored" in lines[1]
    with open_store(cli.db, read_only=True) as store:
        docs = store.documents()
    assert len(docs) == 20 and {d["outlet"] for d in docs} == {"Feed Example"}
    assert all(d["url"].startswith("https://feed.example/") for d in docs)
    assert {str(d["published"]) for d in docs} == {"2024-03-04"}


def test_a_file_dropped_into_the_folder_is_taken_within_one_interval(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE.format(n=14), encoding="utf-8")
    passes: list[int] = []

    def dropped() -> None:
        while not passes:
            time.sleep(0.05)
        (folder / "b.txt").write_text(ARTICLE.format(n=12), encoding="utf-8")

    with Store(tmp_path / "w.duckdb") as store:
        t = threading.Thread(target=dropped)
        t.start()
        watch.run(store, [str(folder)], [], 0.5, IngestOptions(), Hooks(), passes=2,
                  on_pass=lambda n, r: passes.append(r.ingested))
        t.join()
        assert passes == [1, 1]  # a.txt in the first pass, b.txt in the second, once each
        assert store.count("documents") == 2


def test_a_bad_feed_is_one_line_and_the_rest_goes_on(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE.format(n=14), encoding="utf-8")
    bad = tmp_path / "bad.xml"
    bad.write_text("this is not a feed", encoding="utf-8")
    result = cli("watch", str(folder), "--feed", str(bad), "--passes", "1")
    assert result.exit_code == 0, result.output
    assert "not a feed" in result.output and "pass 1: 1 new documents" in result.output
    with open_store(cli.db, read_only=True) as store:
        assert store.count("documents") == 1


def test_digest_since_a_date_in_markdown_and_escaped_html(cli, tmp_path):
    from tests.eventdb import EventDB

    db = EventDB(cli.db)
    old = db.doc("A", "2024-02-01")
    new = db.doc("B", "2024-03-05")
    db.event(old, "ACCUSE", "PRK", "RUS", date="2024-02-01", goldstein=-5.0)
    db.event(new, "AID", "PRK", "RUS", date="2024-03-05",
             evidence="<script>alert(1)</script> North Korea sent shells to Russia.")
    db.flush()
    db.store.close()
    md = cli("digest", "--since", "7d", "--out", "-")
    assert md.exit_code == 0, md.output
    assert "# blocwatch digest: 2024-02-27 – 2024-03-05" in md.output
    assert "PRK → RUS" in md.output and "## Top stories since then" in md.output
    out = tmp_path / "digest.html"
    assert cli("digest", "--since", "2024-03", "--out", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert cli("digest", "--since", "soon", "--out", "-").exit_code == 2
