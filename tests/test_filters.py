"""One reading of filter values for every command: periods for --since/--until, PLOVER types
in any case and older names, actors by code or name, and unknown values as errors that name
what is valid (not an empty table)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from blocwatch.filters import FilterError, actor_codes, event_types, period
from tests.eventdb import EventDB


@pytest.mark.parametrize(("text", "first", "last"), [
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-q4", date(2024, 10, 1), date(2024, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2024-03-05", date(2024, 3, 5), date(2024, 3, 5)),
    ("5 March 2024", date(2024, 3, 5), date(2024, 3, 5)),
    ("2024-01..2024-03", date(2024, 1, 1), date(2024, 3, 31)),
])
def test_periods(text, first, last):
    assert period(text) == (first, last)


def test_bad_values_name_what_is_valid():
    with pytest.raises(FilterError, match="YYYY-Qn"):
        period("soon")
    with pytest.raises(FilterError, match="ASSAULT"):
        event_types("AIDS")
    with pytest.raises(FilterError, match="north korea"):
        actor_codes("Nroth Korea")
    assert event_types("aid, demand") == ("AID", "REQUEST")
    assert actor_codes(["North Korea", "rus", "the United Nations"]) == ("PRK", "RUS", "UN")


@pytest.fixture
def store(cli):
    db = EventDB(cli.db)
    doc = db.doc("A", "2024-02-10")
    db.event(doc, "AID", "PRK", "RUS", date="2024-02-10")
    db.event(doc, "ASSAULT", "RUS", "UKR", date="2024-05-02", goldstein=-10.0)
    db.event(db.doc("B", "2024-08-01"), "CONSULT", "WAGNERX", "RUS", date="2024-08-01")
    db.flush()
    db.store.close()
    return cli


def _events(cli, *args) -> list[dict]:
    result = cli("events", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_events_take_periods_names_and_any_case(store):
    assert [e["type"] for e in _events(store, "--since", "2024-Q1", "--until", "2024-Q1")] \
        == ["AID"]
    assert [e["type"] for e in _events(store, "--until", "2024")] == ["AID", "ASSAULT",
                                                                      "CONSULT"]
    assert [e["type"] for e in _events(store, "--since", "2024-05")] == ["ASSAULT", "CONSULT"]
    assert [e["type"] for e in _events(store, "--actor", "North Korea")] == ["AID"]
    assert [e["type"] for e in _events(store, "--type", "assault,aid")] == ["AID", "ASSAULT"]
    assert [e["type"] for e in _events(store, "--dyad", "Russia", "Ukraine")] == ["ASSAULT"]
    assert [e["type"] for e in _events(store, "--modality", "ASSERTED")] == [
        "AID", "ASSAULT", "CONSULT"]
    # a code the reference data lacks but the store holds (an actor file's) is a code
    assert [e["type"] for e in _events(store, "--actor", "WAGNERX")] == ["CONSULT"]


@pytest.mark.parametrize(("args", "says"), [
    (("events", "--type", "AIDS"), "PLOVER types: AGREE"),
    (("events", "--actor", "Nroth Korea"), "did you mean 'north korea' (PRK)"),
    (("events", "--since", "soon"), "YYYY-Qn"),
    (("events", "--modality", "maybe"), "asserted"),
    (("dyads", "Atlantis", "RUS"), "unknown actor 'Atlantis'"),
    (("blocs", "--only", "PRK,Narnia"), "unknown actor 'Narnia'"),
    (("profile", "Narnia"), "unknown actor 'Narnia'"),
    (("export", "--to", "csv", "--out", "-", "--type", "WAR"), "unknown event type 'WAR'"),
    (("report", "--out", "r.html", "--since", "2024-13"), "not a"),
])
def test_unknown_values_are_errors_naming_the_valid_ones(store, args, says):
    result = store(*args)
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_analyses_take_names_like_codes(store):
    by_name = store("dyads", "North Korea", "Russia", "--format", "json")
    by_code = store("dyads", "PRK", "RUS", "--format", "json")
    assert by_name.exit_code == 0 and by_name.output == by_code.output
    assert json.loads(by_name.output)
    named = store("profile", "Russia", "--format", "json")
    assert named.exit_code == 0 and json.loads(named.output)[0]["code"] == "RUS"


COMMANDS = {
    "events": ("events",),
    "stories": ("stories",),
    "dyads": ("dyads",),
    "blocs": ("blocs", "--min-size", "1"),
    "profile": ("profile", "Russia"),
    "report": ("report", "--out", "{tmp}/r.html"),
    "export-csv": ("export", "--to", "csv", "--out", "{tmp}/e.csv"),
    "export-plover": ("export", "--to", "plover", "--out", "{tmp}/e.json"),
    "export-gdelt": ("export", "--to", "gdelt", "--out", "{tmp}/e.tsv"),
    "export-graphml": ("export", "--to", "graphml", "--out", "{tmp}/g.graphml"),
    "shifts": ("shifts", "--from", "2024-Q1", "--to", "2024-Q3"),
}
FILTERS = {
    "since-quarter": ("--since", "2024-Q1"),
    "until-year": ("--until", "2024"),
    "type-any-case": ("--type", "assault,aid"),
    "min-confidence": ("--min-confidence", "0.5"),
}
ANALYSIS_FILTERS = {
    "mode": ("--mode", "aerial,military"),
    "modality": ("--modality", "asserted,reported"),
}
ANALYSIS_ONLY = {
    "only-by-name": ("--only", "Russia,Ukraine,North Korea"),
    "exclude-by-name": ("--exclude", "Ukraine"),
    "background": ("--background",),
    "domestic": ("--domestic",),
    "no-duplicates": ("--no-duplicates",),
    **ANALYSIS_FILTERS,
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("flt", list(FILTERS) + list(ANALYSIS_ONLY))
def test_every_command_takes_every_filter(store, tmp_path, command, flt):
    """The shared filter set runs with each command (events has --actor in place of --only and
    lists background anyway, so those two are not its options)."""
    if command == "events" and flt in ANALYSIS_ONLY and flt not in ("modality",
                                                                    "no-duplicates"):
        pytest.skip("events filters one actor with --actor and lists background events")
    if command == "shifts" and flt in ("since-quarter", "until-year"):
        pytest.skip("shifts compares the two periods it is given (--from, --to)")
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    result = store(*args, *(FILTERS.get(flt) or ANALYSIS_ONLY[flt]))
    assert result.exit_code == 0, result.output


def test_mode_and_modality_filter_the_analyses(store):
    """--mode and --modality narrow what the analyses count; an unknown mode is an error."""
    all_dyads = json.loads(store("dyads", "--format", "json").output)
    aerial = json.loads(store("dyads", "--format", "json", "--mode", "aerial").output)
    assert len(all_dyads) > len(aerial) == 0  # the fixture's events have no mode
    assert store("dyads", "--mode", "flying").exit_code == 2
    spec = json.loads(store("dyads", "--format", "json", "--modality", "speculative").output)
    assert spec == []


def test_international_by_default(cli):
    """Events within one state stay in the store and in `events`; stories, dyads, blocs and
    exports leave them out unless --domestic."""
    db = EventDB(cli.db)
    doc = db.doc("A", "2024-03-01")
    db.event(doc, "COERCE", "RUS", "RUS", date="2024-03-01")
    db.event(doc, "AID", "USA", "UKR", date="2024-03-01")
    db.flush()
    db.store.close()

    def types(*args: str) -> list[str]:
        result = cli(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return sorted(s["type"] for s in json.loads(result.output))

    assert types("events") == ["AID", "COERCE"]
    assert types("stories") == ["AID"]
    assert types("stories", "--domestic") == ["AID", "COERCE"]
