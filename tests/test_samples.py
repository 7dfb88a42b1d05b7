"""The bundled sample corpus (what `make demo` runs on) ingests whole, with its metadata."""

from __future__ import annotations

import json

from tests.conftest import REPO


def test_sample_corpus(cli):
    result = cli("ingest", str(REPO / "samples"))
    assert result.exit_code == 0, result.output
    assert "16 ingested (1 near-duplicates flagged)" in result.output
    docs = json.loads(cli("docs", "--format", "json").output)
    assert all(d["title"] and d["published"] for d in docs), [
        (d["source_path"], d["title"], d["published"]) for d in docs]
    dumps = {d["title"]: d for d in docs if "/dumps/" in d["source_path"]}
    # a headline with a comma in it is still a headline; the scrape date is not the date
    finland = dumps["Finland Joins NATO, Doubling Alliance's Land Border With Russia"]
    assert finland["published"] == "2023-04-04" and finland["section"] == "Europe"
    assert "Share this article" not in finland["text"]
    assert finland["text"].rstrip().endswith("strategically.")
    [copy] = [d for d in docs if d["duplicate_of"]]
    original = next(d for d in docs if d["id"] == copy["duplicate_of"])
    assert "Houthi" in copy["title"] and "Houthi" in original["title"]
