"""From events to blocs: consolidation, dyads, alignment, blocs, profile, export and the CLI.

Every test writes events into a real store (tests/eventdb.py; a DuckDB file, and a PostgreSQL
database for the tests on the ``db`` and ``seeds`` fixtures) and reads them back through the same
code the CLI uses. The seed test reads its expectations from shared/seeds/expected.yaml;
its events are hand-coded from the two seed articles until the extractor codes them.
"""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import click
import igraph
import pytest
import yaml
from click.testing import CliRunner

from blocwatch.analysis import (
    Analysis,
    EventFilter,
    PeriodError,
    WeightsError,
    load_events,
    load_weights,
    parse_period,
)
from blocwatch.analysis.alignment import AlignmentGraph, Tie
from blocwatch.analysis.blocs import partition
from blocwatch.cli import main
from blocwatch.cli_analysis import register
from blocwatch.store import Store, open_store
from tests.conftest import need_shared
from tests.eventdb import EventDB
from tests.scenarios import SEED_000, SEED_004, seed_events

register(main)


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def db(store_url: str):
    with EventDB(store_url) as edb:
        yield edb


@pytest.fixture
def seeds(store_url: str) -> str:
    with EventDB(store_url) as edb:
        seed_events(edb)
    return store_url


def analysis_of(path: Path | str) -> Analysis:
    return Analysis(open_store(path, read_only=True))


# -- seed acceptance ------------------------------------------------------------------------------
def expected_blocs() -> dict:
    return yaml.safe_load(need_shared("seeds", "expected.yaml").read_text())["blocs"]


def test_seed_blocs_match_expected_yaml(seeds: Path) -> None:
    """`blocs` over both seed articles: the camps expected.yaml names, and never its `apart`."""
    expected = expected_blocs()
    blocs = json.loads(run("blocs", "--db", str(seeds), "--format", "json"))
    where = {m["code"]: b["bloc"] for b in blocs for m in b["members"]}
    for group in expected["together"]:
        assert all(code in where for code in group), (group, where)
        assert len({where[code] for code in group}) == 1, (group, where)
    for a, b in expected["apart"]:
        assert where.get(a) is None or where.get(a) != where.get(b), (a, b, where)


def test_seed_blocs_on_extracted_events(tmp_path: Path) -> None:
    """The same acceptance on what blocwatch itself codes from the two articles."""
    files = [need_shared("seeds", f"{name}.txt") for name in (SEED_000, SEED_004)]
    db = tmp_path / "extracted.duckdb"
    result = CliRunner().invoke(main, ["ingest", *map(str, files), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        assert store.count("events") > 0
    test_seed_blocs_match_expected_yaml(db)


def test_seed_blocs_json_contract_and_evidence(seeds: Path) -> None:
    blocs = json.loads(run("blocs", "--db", str(seeds), "--format", "json"))
    assert [b["bloc"] for b in blocs] == list(range(len(blocs)))
    for bloc in blocs:
        for m in bloc["members"]:
            assert set(m) >= {"code", "strength", "evidence", "explanation"}
            assert 0.0 <= m["strength"] <= 1.0
            assert m["evidence"], m["code"]
    prk = next(m for b in blocs for m in b["members"] if m["code"] == "PRK")
    assert prk["explanation"].startswith("PRK is with RUS: ")
    assert "outlet" in prk["explanation"] and "e.g." in prk["explanation"]
    sentences = [s["text"] for e in prk["evidence"] for s in e["sentences"]]
    assert any("11,000 troops" in s for s in sentences)


def test_seed_speculation_is_not_an_event(seeds: Path) -> None:
    with analysis_of(seeds) as a:
        graph = a.alignment()
        assert graph.tie("CHN", "PRK") is None  # "may choose to facilitate" counts nothing


def test_seed_blocs_are_stable_run_to_run(seeds: Path, tmp_path: Path) -> None:
    first = run("blocs", "--db", str(seeds), "--format", "json")
    assert run("blocs", "--db", str(seeds), "--format", "json") == first
    # The same events written in another order give the same blocs.
    shuffled = tmp_path / "shuffled.duckdb"
    with EventDB(shuffled) as edb:
        seed_events(edb)
    con = Store(shuffled).con
    con.execute("CREATE TABLE e2 AS SELECT * FROM events ORDER BY md5(id) DESC").fetchall()
    con.execute("DELETE FROM events").fetchall()
    con.execute("INSERT INTO events SELECT * FROM e2").fetchall()
    con.close()
    again = json.loads(run("blocs", "--db", str(shuffled), "--format", "json"))
    assert [[m["code"] for m in b["members"]] for b in again] == \
        [[m["code"] for m in b["members"]] for b in json.loads(first)]


# -- the structural rule --------------------------------------------------------------------------
def test_hostile_pair_never_shares_a_bloc(db: EventDB) -> None:
    """A and B both bound to a hub C but hostile to each other: never one bloc."""
    doc = db.doc("Wire", "2024-05-01")
    for partner in ("AAA", "BBB"):
        for _ in range(3):
            db.event(doc, "AID", "CCC", partner, date="2024-05-01")
    db.event(doc, "ACCUSE", "AAA", "BBB", date="2024-05-02")
    db.flush()
    with Analysis(db.store) as a:
        result = a.blocs()
    assert not result.together("AAA", "BBB")
    assert result.together("CCC", "AAA") or result.together("CCC", "BBB")


def test_random_signed_graphs_never_hold_a_hostile_pair() -> None:
    rng = random.Random(5)
    for trial in range(25):
        codes = [f"C{i:02d}" for i in range(rng.randint(4, 30))]
        ties = []
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                if rng.random() < 0.3:
                    pos, neg = rng.random() * (rng.random() < 0.7), rng.random() * 0.6
                    if abs(pos - neg) > 1e-9:
                        ties.append(Tie(a, b, pos, neg, 1, 1))
        graph = AlignmentGraph(sorted({t.a for t in ties} | {t.b for t in ties}), ties)
        membership, _ = partition(graph)
        for t in ties:
            if t.net < 0:
                assert membership[t.a] != membership[t.b], (trial, t)
        assert partition(graph)[0] == membership  # seeded: same answer twice


def test_actors_without_signed_ties_are_left_out(db: EventDB) -> None:
    doc = db.doc("Wire", "2024-05-01")
    db.event(doc, "AID", "USA", "UKR", date="2024-05-01")
    db.event(doc, "REQUEST", "UKR", "DEU", date="2024-05-01")  # says nothing about alignment
    db.flush()
    with Analysis(db.store) as a:
        result = a.blocs()
    assert "DEU" not in result.membership
    assert result.unaligned == ["DEU"]


# -- consolidation --------------------------------------------------------------------------------
def test_reports_of_one_event_are_one_story_with_corroboration(db: EventDB) -> None:
    wire = db.doc("Compass Wire", "2024-11-13", "Troops sent")
    copy = db.doc("Syndicator", "2024-11-14", "Troops sent (copy)", duplicate_of=wire)
    other = db.doc("Harbourline", "2024-11-15", "Thousands of troops")
    third = db.doc("Eastmark", "2024-11-16", "Troops")
    late = db.doc("Eastmark", "2024-12-20", "More troops")
    db.event(wire, "AID", "PRK", "RUS", "reported", date="2024-11-12",
             quantity={"value": 11000, "unit": "troops"})
    db.event(wire, "AID", "PRK", "RUS", "reported", date="2024-11-12")  # a second sentence
    db.event(copy, "AID", "PRK", "RUS", "reported", date="2024-11-12",
             quantity={"value": 11000, "unit": "troops"})
    db.event(other, "AID", "PRK", "RUS", "asserted", date="2024-11-14",
             quantity={"value": "thousands", "unit": "troops"})
    db.event(third, "AID", "PRK", "RUS", "asserted", date="2024-11-18")
    db.event(late, "AID", "PRK", "RUS", "asserted", date="2024-12-20")
    db.flush()
    with Analysis(db.store) as a:
        stories = a.stories(evidence=10)
    assert len(stories) == 2
    main_story = next(s for s in stories if s.first_day == date(2024, 11, 12))
    assert main_story.reports == 5
    assert main_story.outlets == 3  # the syndicated copy counts as Compass Wire
    assert main_story.documents == 3
    assert main_story.modality == "asserted"  # the firmest account
    values = sorted(str(q["value"]) for q in main_story.quantities)
    assert values == ["11000", "thousands"]  # side by side, never averaged
    assert {r.outlet for r in main_story.evidence} == {"Compass Wire", "Syndicator",
                                                       "Harbourline", "Eastmark"}


def test_undated_reports_join_within_the_week_of_publication(db: EventDB) -> None:
    monday = db.doc("A", "2024-11-11")
    friday = db.doc("B", "2024-11-15")
    next_week = db.doc("C", "2024-11-18")
    nowhere = db.doc(None, None)
    for doc in (monday, friday, next_week, nowhere):
        db.event(doc, "SUPPORT", "PRK", "RUS")
    db.flush()
    with Analysis(db.store) as a:
        stories = sorted(a.stories(), key=lambda s: (s.first_day or date.max))
    assert [s.reports for s in stories] == [2, 1, 1]
    assert stories[-1].first_day is None


def test_negated_events_are_dropped_and_weights_applied(db: EventDB) -> None:
    doc = db.doc("A", "2024-01-01")
    days = iter(f"2024-0{m}-01" for m in range(1, 8))
    for modality in ("asserted", "reported", "intended", "speculative", "hypothetical",
                     "negated"):
        db.event(doc, "AID", "USA", "UKR", modality, date=next(days))
    db.flush()
    assert {e["modality"] for e in load_events(db.store.con)} == {
        "asserted", "reported", "intended", "speculative", "hypothetical"}
    with Analysis(db.store) as a:
        scores = {s.modality: s.score for s in a.stories(limit=None)}
    assert scores == pytest.approx({"asserted": 7.0, "reported": 5.6, "intended": 3.5,
                                    "speculative": 0.0, "hypothetical": 0.0})


def test_corroboration_weight_is_log2_of_one_plus_outlets(db: EventDB) -> None:
    for outlet in ("A", "B", "C"):
        db.event(db.doc(outlet, "2024-03-01"), "AID", "USA", "UKR", date="2024-03-01")
    db.flush()
    with Analysis(db.store) as a:
        (story,) = a.stories()
    assert story.outlets == 3
    assert story.weight == pytest.approx(2.0) == pytest.approx(load_weights().corroboration(3))
    assert story.score == pytest.approx(14.0)


# -- dyads ----------------------------------------------------------------------------------------
def test_dyad_series_by_window_with_compound_actors(db: EventDB) -> None:
    doc = db.doc("A", "2024-01-01")
    db.event(doc, "AID", ["USA", "GBR"], "UKR", date="2024-01-02")
    db.event(doc, "CONSULT", "USA", "UKR", date="2024-01-20")
    db.event(doc, "ACCUSE", "USA", "UKR", date="2024-02-10", goldstein=-3.0)
    db.event(doc, "AID", "USA", "UKR", date="2024-03-05")
    db.flush()
    with Analysis(db.store) as a:
        months = a.dyads("USA", "UKR", window="month")
        assert [(r["window"], r["stories"], r["types"]) for r in months] == [
            (date(2024, 1, 1), 2, {"AID": 1, "CONSULT": 1}),
            (date(2024, 2, 1), 1, {"ACCUSE": 1}),
            (date(2024, 3, 1), 1, {"AID": 1})]
        assert [r["score"] for r in months] == pytest.approx([8.0, -3.0, 7.0])
        weeks = a.dyads("USA", "UKR", window="week", fill=True)
        assert len(weeks) == 10 and sum(r["stories"] for r in weeks) == 4
        assert a.dyads("GBR", "UKR", window="month")[0]["types"] == {"AID": 1}
        assert a.dyads("UKR", "USA") == []
        both = a.dyads("UKR", "USA", symmetric=True)
        assert {r["source"] for r in both} == {"USA"}
        top = a.top_dyads()
        assert (top[0]["source"], top[0]["target"]) == ("USA", "UKR")


def test_filters_since_until_actor_and_exclude(db: EventDB) -> None:
    doc = db.doc("A", "2024-01-01")
    db.event(doc, "AID", "USA", "UKR", date="2024-01-05")
    db.event(doc, "SUPPORT", "WST", "UKR", date="2024-02-05")
    db.event(doc, "ASSAULT", "RUS", ["UKR", "WST"], date="2024-03-05")
    db.flush()
    with Analysis(db.store) as a:
        assert a.alignment(EventFilter(exclude=("WST",))).actors == ["RUS", "UKR", "USA"]
        assert a.alignment(EventFilter(actors=("RUS", "WST"))).actors == ["RUS", "WST"]
        feb = a.alignment(EventFilter(since=date(2024, 2, 1), until=date(2024, 2, 29)))
        assert feb.actors == ["UKR", "WST"]


def test_alignment_signs_follow_the_type_table(db: EventDB) -> None:
    doc = db.doc("A", "2024-01-01")
    db.event(doc, "CONSULT", "AAA", "BBB", date="2024-01-01")
    db.event(doc, "PROTEST", "AAA", "CCC", date="2024-01-01")
    db.event(doc, "MOBILIZE", "AAA", "DDD", date="2024-01-01")  # sign 0: no tie
    db.event(doc, "SOMETHING", "AAA", "EEE", date="2024-01-01", goldstein=-4.0)
    db.event(doc, "FIGHT", "AAA", "FFF", date="2024-01-01")  # an earlier PLOVER label
    db.flush()
    with Analysis(db.store) as a:
        g = a.alignment()
    assert g.tie("AAA", "BBB").sign == 1
    assert g.tie("AAA", "CCC").sign == -1
    assert g.tie("AAA", "DDD") is None
    assert g.tie("EEE", "AAA").sign == -1
    assert g.tie("AAA", "FFF").negative == pytest.approx(0.9)


# -- weights, periods -----------------------------------------------------------------------------
def test_weights_file_documents_and_overrides(db: EventDB, tmp_path: Path) -> None:
    weights = load_weights()
    assert weights.modality["reported"] == 0.8 and weights.modality["negated"] == 0.0
    assert weights.types["ASSAULT"].sign == -1 and weights.types["AID"].sign == 1
    data = yaml.safe_load(Path(weights.source).read_text())
    data["modality"]["reported"] = 0.25
    mine = tmp_path / "mine.yaml"
    mine.write_text(yaml.safe_dump(data))
    db.event(db.doc("A", "2024-01-01"), "AID", "USA", "UKR", "reported", date="2024-01-01")
    db.flush()
    with Analysis(db.store, mine) as a:
        assert a.stories()[0].score == pytest.approx(7.0 * 0.25)
    data["modality"].pop("asserted")
    mine.write_text(yaml.safe_dump(data))
    with pytest.raises(WeightsError, match="missing asserted"):
        load_weights(mine)


@pytest.mark.parametrize("text,start,end", [
    ("2024-11", date(2024, 11, 1), date(2024, 11, 30)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2024-11-01..2024-11-15", date(2024, 11, 1), date(2024, 11, 15)),
    ("2024-01..2024-03", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-Q2", date(2024, 4, 1), date(2024, 6, 30)),
    ("2024-05-07", date(2024, 5, 7), date(2024, 5, 7)),
])
def test_periods(text: str, start: date, end: date) -> None:
    p = parse_period(text)
    assert (p.start, p.end, p.label) == (start, end, text)


@pytest.mark.parametrize("text", ["", "November", "2024-13", "2024-11-31", "2024-12..2024-01"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


# -- profile, export, CLI -------------------------------------------------------------------------
def test_profile_names_partners_adversaries_and_recent(seeds: Path) -> None:
    p = json.loads(run("profile", "PRK", "--db", str(seeds), "--format", "json"))[0]
    assert p["name"] == "North Korea" or p["name"] == "PRK"
    assert [t["code"] for t in p["partners"]] == ["RUS"]
    assert [t["code"] for t in p["adversaries"]] == ["UKR"]
    assert p["bloc"]["members"] == ["CHN", "IRN", "PRK", "RUS"]
    assert p["recent"] and p["recent"][0]["date"] == "2024-11-13"
    table = run("profile", "prk", "--db", str(seeds))
    assert "Partners" in table and "Adversaries" in table and "Recent stories" in table
    csv = run("profile", "PRK", "--db", str(seeds), "--format", "csv")
    assert csv.splitlines()[0] == "section,code,date,type,score,stories,detail"


def test_export_graphml_and_gexf(seeds: Path, tmp_path: Path) -> None:
    graphml = tmp_path / "g.graphml"
    run("export", "--to", "graphml", "--out", str(graphml), "--db", str(seeds))
    g = igraph.Graph.Read_GraphML(str(graphml))
    names = set(g.vs["id"])
    assert names == {"CHN", "IRN", "PRK", "RUS", "UKR", "USA"}
    blocs = dict(zip(g.vs["id"], g.vs["bloc"], strict=True))
    assert blocs["PRK"] == blocs["RUS"] != blocs["UKR"] == blocs["USA"]
    assert sorted(g.es["sign"]) == [-1, -1, 1, 1, 1, 1]
    # weights of one sign, so community functions run on the file as it is
    assert min(g.es["weight"]) >= 0 and min(g.es["negative"]) >= 0
    assert all(n == pytest.approx(p - q) for n, p, q in zip(g.es["net"], g.es["positive"],
                                                            g.es["negative"], strict=True))
    parts = g.community_multilevel(weights="weight")
    assert len(parts.membership) == 6
    hostile = g.copy()
    hostile.es["weight"] = hostile.es["negative"]
    hostile.community_multilevel(weights="weight")
    events = tmp_path / "events.graphml"
    run("export", "--to", "graphml", "--network", "events", "--out", str(events), "--db",
        str(seeds))
    d = igraph.Graph.Read_GraphML(str(events))
    assert d.is_directed() and d.ecount() > 0
    assert all(w == e for w, e in zip(d.es["weight"], d.es["events"], strict=True))
    pair = {(d.vs[e.source]["id"], d.vs[e.target]["id"]): e for e in d.es}
    assert pair[("PRK", "RUS")]["events"] >= 1
    assert ("RUS", "PRK") not in pair or pair[("RUS", "PRK")].index != pair[("PRK", "RUS")].index
    gexf = tmp_path / "g.gexf"
    run("export", "--to", "gexf", "--out", str(gexf), "--db", str(seeds))
    root = ET.parse(gexf).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    assert len(root.findall(".//g:node", ns)) == 6
    assert len(root.findall(".//g:edge", ns)) == 6
    assert "graphml" in run("export", "--to", "graphml", "--out", "-", "--db", str(seeds))


def test_cli_dyads_blocs_stories_in_every_format(seeds: Path) -> None:
    out = run("dyads", "PRK", "RUS", "--db", str(seeds), "--window", "month")
    assert "2024-11-01" in out and "undated" in out
    rows = json.loads(run("dyads", "PRK", "RUS", "--db", str(seeds), "--format", "json"))
    assert rows[0]["source"] == "PRK" and "AID" in rows[0]["types"]
    assert run("dyads", "--db", str(seeds), "--format", "csv").startswith(
        "source,target,stories,reports,outlets,score,cooperation,conflict,types")
    table = run("blocs", "--db", str(seeds))
    assert "PRK is with RUS" in table
    assert run("blocs", "--db", str(seeds), "--format", "csv").startswith(
        "bloc,code,name,strength")
    stories = json.loads(run("stories", "--db", str(seeds), "--format", "json"))
    assert all(s["evidence"] for s in stories)
    assert "ASSAULT" in run("stories", "--db", str(seeds))


def test_cli_options_are_those_of_every_command() -> None:
    """--db and --format behave as in cli.py's own commands (no drift between the two files)."""
    docs = {p.name: p for p in main.commands["docs"].params}
    for name in ("stories", "dyads", "blocs", "shifts", "profile"):
        mine = {p.name: p for p in main.commands[name].params}
        for option in ("db", "fmt"):
            a, b = mine[option], docs[option]
            assert (a.opts, a.envvar, a.help, a.show_default) == \
                (b.opts, b.envvar, b.help, b.show_default), (name, option)
            ctx = click.Context(main)
            assert a.get_default(ctx) == b.get_default(ctx)


def test_cli_errors_are_one_line(seeds: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["shifts", "--from", "soon", "--to", "2024-11",
                                       "--db", str(seeds)])
    assert result.exit_code == 2 and "not a period" in result.output
    result = CliRunner().invoke(main, ["blocs", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no such database" in result.output
