"""`blocwatch code` (the JSONL contract of DESIGN.md), `blocwatch actors`, user actor files."""

from __future__ import annotations

import json

from tests.conftest import run_module

RECORDS = [
    {"id": "r1", "text": "President Trump met Kim Jong Un on Tuesday.", "date": "2018-06-12"},
    {"id": "r2", "text": "President Trump spoke to reporters.", "date": "2022-06-12"},
    {"id": "r3", "text": "North Korean troops arrived in Russia's Kursk region."},
]


def _code(lines: list[str], *args: str):
    return run_module("code", *args, input="\n".join(lines) + "\n")


def test_code_contract_and_dates():
    proc = _code([json.dumps(r) for r in RECORDS])
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["r1", "r2", "r3"]
    assert all(set(o) == {"id", "actors", "events"} for o in out)
    trump_2018 = next(a for a in out[0]["actors"] if a["actor"] == "Donald Trump")
    assert (trump_2018["code"], trump_2018["sector"]) == ("USA", "GOV")
    trump_2022 = next(a for a in out[1]["actors"] if a["actor"] == "Donald Trump")
    assert trump_2022["sector"] is None  # out of office in 2022
    for actor in out[0]["actors"]:
        assert {"text", "start", "end", "code", "sector", "actor", "resolved_by"} <= set(actor)
        assert RECORDS[0]["text"][actor["start"]:actor["end"]] == actor["text"]
    troops = [a for a in out[2]["actors"] if a["code"] == "PRK"]
    assert troops and troops[0]["sector"] == "MIL"
    assert not any("Kursk" in a["text"] for a in out[2]["actors"])


def test_code_bad_lines_are_named_and_the_rest_goes_on():
    proc = _code([json.dumps(RECORDS[0]), "{oops", json.dumps({"id": "x"}),
                  json.dumps(RECORDS[2])])
    assert proc.returncode == 1
    assert "<stdin>:2: malformed JSON line" in proc.stderr
    assert "<stdin>:3: no string field 'text'" in proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == ["r1", "r3"]


USER_ACTORS = """\
countries:
  - code: XFR
    name: Freedonia
    demonyms: [Freedonian, Freedonians]
    capitals: [Fredville]
people:
  - name: Rufus T. Firefly
    aliases: [Firefly]
    nationality: XFR
    offices:
      - {title: President, country: XFR, sector: GOV, start: 1933-11-17, end: null}
"""


def test_user_actor_file_adds_actors(tmp_path):
    extra = tmp_path / "my_actors.yaml"
    extra.write_text(USER_ACTORS)
    text = "President Firefly said Freedonian troops would stay in Fredville."
    proc = _code([json.dumps({"id": "f", "text": text, "date": "2024-01-01"})],
                 "--actors", str(extra))
    assert proc.returncode == 0, proc.stderr
    actors = json.loads(proc.stdout)["actors"]
    found = {(a["code"], a["sector"]) for a in actors}
    assert ("XFR", "GOV") in found and ("XFR", "MIL") in found


def test_malformed_user_actor_file_is_rejected_with_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("countries:\n  - code: XFR\n    name: Freedonia\n  - name: Nowhere\n")
    proc = _code([json.dumps(RECORDS[0])], "--actors", str(bad))
    assert proc.returncode == 2
    assert "bad.yaml:4" in proc.stderr


def test_ingest_stores_mentions_and_actors_lists_them(cli, tmp_path):
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(
        {"text": r["text"] + " Moscow and Pyongyang confirmed the visit.",
         "date": r.get("date"), "title": r["id"]}) for r in RECORDS))
    result = cli("ingest", str(tmp_path / "a.jsonl"))
    assert result.exit_code == 0, result.output
    listing = json.loads(cli("actors", "--format", "json").output)
    by_actor = {(r["code"], r["sector"], r["actor"]): r for r in listing}
    assert len(by_actor) == len(listing)  # one row per actor
    assert by_actor[("RUS", "GOV", "Russia")]["documents"] == 3
    assert by_actor[("PRK", "GOV", "North Korea")]["mentions"] >= 3
    people = [r for r in listing if r["kind"] == "person"]
    assert people and all(r["actor"] not in ("Russia", "North Korea") for r in people)
    everything = json.loads(cli("actors", "--all", "--format", "json").output)
    assert len(everything) >= len(listing)
    assert all(r["actor"] for r in everything if r["code"] == "(uncoded)")
    docs = json.loads(cli("docs", "--format", "json").output)
    mentions = json.loads(cli("actors", "--doc", docs[0]["id"], "--format", "json").output)
    assert mentions and all(docs[0]["text"][m["start"]:m["end"]] == m["text"] for m in mentions)


def test_config_file_supplies_db_and_actors(tmp_path):
    (tmp_path / "my_actors.yaml").write_text(USER_ACTORS)
    (tmp_path / "blocwatch.yaml").write_text("db: news.duckdb\nactors: [my_actors.yaml]\n")
    (tmp_path / "a.txt").write_text("Freedonian troops crossed the border on Monday, "
                                    "officials in Fredville said.")
    proc = run_module("ingest", "a.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "news.duckdb").exists()
    listing = json.loads(run_module("actors", "--format", "json", cwd=tmp_path).stdout)
    assert any(r["code"] == "XFR" for r in listing)


def test_recode_codes_documents_stored_without_coding(cli, tmp_path):
    (tmp_path / "a.txt").write_text("North Korean troops arrived in Russia on Monday, "
                                    "officials in Seoul said. Moscow denied it.")
    cli("ingest", str(tmp_path / "a.txt"), "--no-code")
    assert json.loads(cli("actors", "--format", "json").output) == []
    result = cli("recode")
    assert result.exit_code == 0 and "1 documents coded" in result.output
    codes = {r["code"] for r in json.loads(cli("actors", "--format", "json").output)}
    assert {"PRK", "RUS"} <= codes
    assert "0 documents coded" in cli("recode").output  # nothing left to do


# The sentence that sent the rule coder into endless recursion (issue 8): the phrases its
# role search reads can lead back to themselves through the appositions and "his".
RECURSION = ("Indian police arrested Jammu and Kashmir Liberation Front (JKLF) Chairman "
             "Muhammad Yasin Malik from his office in Srinagar on Tuesday to stop him from "
             "carrying out an election boycott drive.")


def test_the_recursion_sentence_codes_with_either_coder(monkeypatch):
    record = json.dumps({"id": "jklf", "text": RECURSION, "date": "2019-02-26"})
    for coder in ("rules", "model"):
        monkeypatch.setenv("BLOCWATCH_CODER", coder)
        proc = _code([record, json.dumps(RECORDS[0])])
        assert proc.returncode == 0, (coder, proc.stderr[-500:])
        out = [json.loads(line) for line in proc.stdout.splitlines()]
        assert [o["id"] for o in out] == ["jklf", "r1"]
        assert any(a["text"] == "Muhammad Yasin Malik" for a in out[0]["actors"])


def test_event_model_by_name():
    """`--event-model fast` codes with the sparse-only model, the default with the encoder;
    `event_model:` in blocwatch.yaml does the same as the flag."""
    import os
    import tempfile
    from pathlib import Path

    record = json.dumps({"id": "m", "text": "Germany delivered 14 tanks to Ukraine on Monday."})
    env = {**os.environ, "BLOCWATCH_CODER": "model"}
    env.pop("BLOCWATCH_EVENT_MODEL", None)

    def extractors(*args: str, extra: dict | None = None) -> set[str]:
        proc = run_module(*args, "code", input=record + "\n", env={**env, **(extra or {})})
        assert proc.returncode == 0, proc.stderr
        return {e["extractor"] for e in json.loads(proc.stdout)["events"]}

    accurate, fast = extractors(), extractors("--event-model", "fast")
    assert accurate and fast
    assert all("tuned" in x for x in accurate) and all("sparse" in x for x in fast)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "blocwatch.yaml"
        config.write_text("event_model: fast\n", encoding="utf-8")
        assert extractors(extra={"BLOCWATCH_CONFIG": str(config)}) == fast


def test_event_threshold_sets_the_operating_point():
    """`--event-threshold` (and `event_threshold:` in blocwatch.yaml) replaces the trained
    threshold: every event coded has at least that probability, and the extractor says so;
    a threshold outside (0, 1) is refused in one line."""
    import os
    import tempfile
    from pathlib import Path

    text = ("Germany delivered 14 tanks to Ukraine on Monday. Kenya condemned Ethiopia's "
            "shelling of Somali border towns. Turkey and Libya agreed on a maritime border.")
    record = json.dumps({"id": "t", "text": text, "date": "2024-05-02"})
    env = {**os.environ, "BLOCWATCH_CODER": "model"}
    env.pop("BLOCWATCH_EVENT_THRESHOLD", None)

    def events(*args: str, extra: dict | None = None) -> list[dict]:
        proc = run_module(*args, "code", input=record + "\n", env={**env, **(extra or {})})
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)["events"]

    default, low, high = events(), events("--event-threshold", "0.2"), \
        events("--event-threshold", "0.97")
    assert default and len(low) >= len(default) >= len(high)
    assert all(e["trigger"]["p"] >= 0.2 and e["extractor"].endswith("@0.2") for e in low)
    assert all(e["trigger"]["p"] >= 0.97 for e in high)
    assert not any("@" in e["extractor"] for e in default)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "blocwatch.yaml"
        config.write_text("event_threshold: 0.97\n", encoding="utf-8")
        assert events(extra={"BLOCWATCH_CONFIG": str(config)}) == high
    bad = run_module("--event-threshold", "1.5", "code", input=record + "\n", env=env)
    assert bad.returncode == 2 and "1.5" in bad.stderr
