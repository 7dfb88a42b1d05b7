"""Near-duplicates: syndicated copies and light edits are linked to the first copy."""

from __future__ import annotations

import json

from blocwatch.dedup import fingerprint, jaccard, overlap

ORIGINAL = """Russia and North Korea signed a comprehensive strategic partnership treaty in Pyongyang on Wednesday, pledging mutual assistance if either country comes under attack, state media in both countries reported.

President Vladimir Putin, on his first visit to North Korea in 24 years, was greeted by Kim Jong Un at the airport before dawn. The two leaders held talks for several hours and described the agreement as a breakthrough in relations between the two countries.

Officials in Seoul and Washington said the pact raised concerns about deepening military cooperation, including the transfer of artillery shells and ballistic missiles that Russia has used in Ukraine. South Korea's national security adviser said Seoul would reconsider its policy on supplying weapons to Kyiv.

Analysts said the treaty formalised an arms relationship that had grown since 2023, when Kim travelled to Russia's Far East to meet Putin at the Vostochny spaceport."""

SYNDICATED = ORIGINAL.replace(
    "Russia and North Korea signed", "Moscow and Pyongyang on Wednesday signed").replace(
    " on Wednesday, pledging", ", pledging").replace(
    "Analysts said the treaty formalised", "Analysts said the treaty formalized")
SYNDICATED = SYNDICATED.rsplit("\n\n", 1)[0]  # the copy drops the last paragraph

UNRELATED = """Finland formally joined NATO on Tuesday, becoming the alliance's 31st member after Turkey's parliament ratified its accession. Foreign Minister Pekka Haavisto handed the documents to US Secretary of State Antony Blinken in Brussels. Russia said it would take countermeasures, a Kremlin spokesman told reporters. The accession doubles the length of NATO's land border with Russia to about 2,600 kilometres, officials said."""


def test_similarity_separates_copies_from_other_stories():
    a, b, c = fingerprint(ORIGINAL), fingerprint(SYNDICATED), fingerprint(UNRELATED)
    # the copy is cut short, so Jaccard alone would miss it; overlap (containment) does not
    assert jaccard(a, b) < overlap(a, b)
    assert overlap(a, b) >= 0.7
    assert overlap(a, c) < 0.1
    assert sum(x == y for x, y in zip(a.bands, b.bands, strict=True)) > 0


def test_syndicated_copy_is_flagged_not_independent(cli, tmp_path):
    (tmp_path / "1.jsonl").write_text(json.dumps({"text": ORIGINAL, "outlet": "Atlas Wire"}))
    (tmp_path / "2.jsonl").write_text(json.dumps({"text": SYNDICATED, "outlet": "Harbour Times"})
                                      + "\n" + json.dumps({"text": UNRELATED}))
    result = cli("ingest", str(tmp_path / "1.jsonl"))
    assert "0 near-duplicates" in result.output
    # the copy arrives in a later run: found through the stored LSH buckets
    result = cli("ingest", str(tmp_path / "2.jsonl"))
    assert "2 ingested (1 near-duplicates flagged)" in result.output
    docs = {d["outlet"]: d for d in json.loads(cli("docs", "--format", "json").output)}
    assert docs["Harbour Times"]["duplicate_of"] == docs["Atlas Wire"]["id"]
    assert docs["Harbour Times"]["similarity"] >= 0.7
    assert docs["Atlas Wire"]["duplicate_of"] is None and docs[None]["duplicate_of"] is None
    only = json.loads(cli("docs", "--duplicates", "exclude", "--format", "json").output)
    assert len(only) == 2


def test_copies_in_one_batch_link_to_the_first(cli, tmp_path):
    third = SYNDICATED.replace("several hours", "about three hours")
    (tmp_path / "all.jsonl").write_text("\n".join(
        json.dumps({"text": t, "title": n}) for n, t in
        [("first", ORIGINAL), ("second", SYNDICATED), ("third", third)]))
    cli("ingest", str(tmp_path / "all.jsonl"))
    docs = {d["title"]: d for d in json.loads(cli("docs", "--format", "json").output)}
    assert docs["second"]["duplicate_of"] == docs["first"]["id"]
    # a copy of a copy still points at the first report
    assert docs["third"]["duplicate_of"] == docs["first"]["id"]
