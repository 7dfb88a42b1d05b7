"""The two seed articles: metadata as ../shared/seeds/expected.yaml says."""

from __future__ import annotations

import json

import yaml

from tests.conftest import need_shared


def test_seed_documents_match_expected(cli):
    seeds = need_shared("seeds")
    expected = yaml.safe_load((seeds / "expected.yaml").read_text())["documents"]
    result = cli("ingest", str(seeds / "000_fa228e5f52996d4d.txt"),
                 str(seeds / "004_b8bba668440c413e.txt"))
    assert result.exit_code == 0, result.output
    docs = json.loads(cli("docs", "--format", "json").output)
    by_file = {d["source_path"].rsplit("/", 1)[-1]: d for d in docs}
    assert set(by_file) == set(expected)
    for name, spec in expected.items():
        doc, meta = by_file[name], spec["metadata"]
        assert doc["title"] == meta["title"], name
        published = meta["published"]
        assert doc["published"] == (published.isoformat() if published else None), name
        if "section" in meta:
            assert doc["section"] == meta["section"]
        if "body_ends_before" in meta:
            assert meta["body_ends_before"] not in doc["text"]
            # the body is the article: its last paragraph is prose, not a teaser headline
            assert doc["text"].rstrip().endswith(".")
        assert doc["text"].split()[:3] and doc["word_count"] > 300


def test_seed_without_metadata_keeps_whole_body(cli):
    seed = need_shared("seeds", "000_fa228e5f52996d4d.txt")
    cli("ingest", str(seed))
    [doc] = json.loads(cli("docs", "--format", "json").output)
    original = seed.read_text(encoding="utf-8")
    assert doc["title"] is None and doc["published"] is None and doc["outlet"] is None
    assert doc["word_count"] == len(original.split())


def test_date_and_outlet_flags_fill_missing_metadata(cli):
    seeds = need_shared("seeds")
    result = cli("ingest", str(seeds / "000_fa228e5f52996d4d.txt"),
                 str(seeds / "004_b8bba668440c413e.txt"), "--date", "2024-11-20",
                 "--outlet", "Seed Desk")
    assert result.exit_code == 0, result.output
    docs = {d["source_path"].rsplit("/", 1)[-1]: d
            for d in json.loads(cli("docs", "--format", "json").output)}
    # the flag fills what the text lacks and never overrides what the text says
    assert docs["000_fa228e5f52996d4d.txt"]["published"] == "2024-11-20"
    assert docs["004_b8bba668440c413e.txt"]["published"] == "2024-11-13"
    assert {d["outlet"] for d in docs.values()} == {"Seed Desk"}
