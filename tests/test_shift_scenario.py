"""A state leaves one camp for the other over three months; `blocwatch shifts` must say so.

The events (tests/scenarios.py) are dated reports from several outlets: two stable camps all
along, and TUR cooperating with the West in January, talking to both in February, and siding
with the East (while quarrelling with the US) in March.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from blocwatch.analysis import Analysis, EventFilter, parse_period
from blocwatch.cli import main
from blocwatch.cli_analysis import register
from blocwatch.store import Store
from tests.eventdb import EventDB
from tests.scenarios import EAST, MOVER, WEST, camp_switch

register(main)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "camps.duckdb"
    with EventDB(path) as db:
        camp_switch(db)
    return path


def shifts(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["shifts", *args, "--db", str(db)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_blocs_month_by_month(scenario: Path) -> None:
    with Analysis(Store(scenario, read_only=True)) as a:
        jan = a.blocs(EventFilter(since=parse_period("2025-01").start,
                                  until=parse_period("2025-01").end))
        mar = a.blocs(EventFilter(since=parse_period("2025-03").start,
                                  until=parse_period("2025-03").end))
    assert all(jan.together(MOVER, c) for c in WEST)
    assert not any(jan.together(MOVER, c) for c in EAST)
    assert all(mar.together(MOVER, c) for c in EAST)
    assert not any(mar.together(MOVER, c) for c in WEST)
    for result in (jan, mar):  # the camps themselves hold
        assert all(result.together(WEST[0], c) for c in WEST)
        assert all(result.together(EAST[0], c) for c in EAST)


def test_shifts_names_the_state_and_the_events(scenario: Path) -> None:
    result = json.loads(shifts(scenario, "--from", "2025-01", "--to", "2025-03",
                               "--format", "json"))[0]
    moved = result["changed_bloc"]
    assert [c["code"] for c in moved] == [MOVER]  # nobody else changed camp
    tur = moved[0]
    assert set(tur["left"]) == set(WEST) and set(tur["joined"]) == set(EAST)
    assert tur["explanation"].startswith("TUR left ")
    # The events behind it: March cooperation with the East, hostility with the West ...
    after = {(e["type"], "+".join(e["source"]), "+".join(e["target"])) for e in tur["evidence"]}
    assert after & {("AGREE", "TUR", "RUS"), ("AID", "RUS", "TUR"), ("COOPERATE", "TUR", "CHN")}
    assert after & {("ACCUSE", "TUR", "USA"), ("SANCTION", "USA", "TUR")}
    assert all(e["date"] >= "2025-03-01" for e in tur["evidence"])
    assert all(s["text"] and s["outlet"] for e in tur["evidence"] for s in e["sentences"])
    # ... and January cooperation with the West.
    assert {e["date"][:7] for e in tur["evidence_before"]} == {"2025-01"}
    # The dyads that moved most are the mover's, each with its events.
    top = result["dyads"][:4]
    assert all(MOVER in (d["source"], d["target"]) for d in top)
    assert all(d["evidence"] for d in top)
    new = {(a["a"], a["b"]) for a in result["new_alignments"]}
    assert ("RUS", "TUR") in new and ("CHN", "TUR") in new
    ended = {(a["a"], a["b"]): a["now"] for a in result["ended_alignments"]}
    assert ended.get(("TUR", "USA")) == "hostile"


def test_shifts_table_and_csv(scenario: Path) -> None:
    table = shifts(scenario, "--from", "2025-01-01..2025-01-31", "--to", "2025-03")
    assert "Actors that changed bloc" in table
    line = next(x for x in table.splitlines() if x.startswith("TUR "))
    assert "DEU, FRA, GBR, POL, USA" in line and "BLR, CHN, IRN, RUS" in line
    csv = shifts(scenario, "--from", "2025-01", "--to", "2025-03", "--format", "csv")
    assert csv.splitlines()[0] == "kind,subject,from,to,change,explanation,example"
    assert any(r.startswith("bloc,TUR,") for r in csv.splitlines())


def test_no_change_between_two_quiet_months(scenario: Path) -> None:
    """January against January: nothing moved, nothing to report."""
    result = json.loads(shifts(scenario, "--from", "2025-01", "--to", "2025-01",
                               "--format", "json"))[0]
    assert result["changed_bloc"] == []
    assert result["new_alignments"] == [] and result["ended_alignments"] == []
    assert all(d["change"] == 0 for d in result["dyads"])


def test_dyad_timeline_shows_the_turn(scenario: Path) -> None:
    result = CliRunner().invoke(main, ["dyads", "TUR", "USA", "--window", "month", "--format",
                                       "json", "--db", str(scenario)], catch_exceptions=False)
    months = json.loads(result.output)
    assert [r["window"] for r in months] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert months[0]["score"] > 0 > months[2]["score"]
