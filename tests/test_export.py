"""Event exports: PLOVER records, blocwatch JSON, GDELT TSV, CSV and Parquet from a real
store."""

from __future__ import annotations

import csv
import json
from datetime import date

import pyarrow.parquet as pq

from blocwatch.document import Document
from blocwatch.store import open_store
from tests.test_store import EVENT


def _store(path) -> None:
    first = {k: v for k, v in json.loads(json.dumps(EVENT)).items() if k != "id"}
    second = dict(first)  # (the store gives each event dict it is handed an id)
    second.update(type="ASSAULT", mode="aerial", cameo="195", quad=4, goldstein=-10.0,
                  source=[{"text": "Russia", "code": "RUS", "sector": "GOV"}],
                  target=[{"text": "Ukraine", "code": "UKR", "sector": "GOV"},
                          {"text": "Kyiv", "code": "UKR", "sector": "GOV"}],
                  modality="asserted", quantity=None, date="2024-11-17")
    second["evidence"] = dict(EVENT["evidence"], start=70, end=120, text="Russia struck Kyiv.")
    with open_store(path) as store:
        batch = store.begin_batch("test")
        store.add_documents([Document(id="d1", text="x", outlet="Atlas Wire",
                                      url="https://atlas.example/1",
                                      published=date(2024, 11, 13))], [b""], batch)
        store.add_coding(["d1"], [[]], [[first, second]], "test")
        store.commit_batch(batch)


def test_event_exports(cli, tmp_path):
    _store(cli.db)
    out = tmp_path / "events"
    for fmt in ("json", "plover", "gdelt", "csv", "parquet"):
        result = cli("export", "--to", fmt, "--out", f"{out}.{fmt}",
                     *(["--extras", str(tmp_path / "extras.tsv")] if fmt == "gdelt" else []))
        assert result.exit_code == 0, result.output
    own = json.loads((tmp_path / "events.json").read_text())
    assert [e["type"] for e in own] == ["AID", "ASSAULT"]
    assert own[0]["quantity"]["value"] == 11000 and own[0]["evidence"]["text"]
    from blocwatch.gdelt import EVENT_COLUMNS

    rows = [dict(zip(EVENT_COLUMNS, line.split("\t"), strict=True))
            for line in (tmp_path / "events.gdelt").read_text().splitlines()]
    assert sorted((r["Actor1Code"], r["Actor2Code"], r["EventRootCode"]) for r in rows) == [
        ("PRKGOV", "RUSMIL", "07"), ("RUSGOV", "UKRGOV", "19")]
    aid = next(r for r in rows if r["EventRootCode"] == "07")
    assert aid["Day"] == "20241113" and aid["SOURCEURL"] == "https://atlas.example/1"
    extras = {r["GLOBALEVENTID"]: r for r in csv.DictReader((tmp_path / "extras.tsv").open(),
                                                             delimiter="\t")}
    assert extras[aid["GLOBALEVENTID"]]["Modality"] == "reported"
    flat = list(csv.DictReader((tmp_path / "events.csv").open()))
    assert flat[1]["target"] == "UKR+UKR" and flat[0]["quantity_text"].endswith("troops")
    table = pq.read_table(tmp_path / "events.parquet")
    assert table.num_rows == 2 and "evidence" in table.column_names
    only = cli("export", "--to", "csv", "--out", "-", "--type", "ASSAULT", db=True)
    assert only.exit_code == 0 and "ASSAULT" in only.output and ",AID," not in only.output


def test_plover_export_loads_with_the_gold_records_reader(cli, tmp_path):
    """The PLOVER export has the specification's field names and shapes, and the reader of
    the PLOVER gold-standard records (the one `eval events` uses) loads it; the context is
    PLOVER's, apart from the mode; blocwatch's own fields are under "blocwatch"."""
    from blocwatch.evaluate.events import _gold_codes, read_plover_records
    from blocwatch.plover import load_plover

    _store(cli.db)
    out = tmp_path / "events.plover.json"
    assert cli("export", "--to", "plover", "--out", str(out)).exit_code == 0
    records = read_plover_records(out)
    plover = load_plover()
    assert [plover.event_type(r["event"]).name for r in records] == ["AID", "ASSAULT"]
    aid, strike = records
    assert set(aid) >= {"id", "date", "event", "mode", "context", "source", "target",
                        "eventText", "text", "eventLoc", "language", "publication"}
    assert _gold_codes(aid["source"]) == ["PRK"] and _gold_codes(aid["target"]) == ["RUS"]
    assert aid["source"] == [{"actorText": "North Korea", "code": "PRK", "sector": "GOV"}]
    assert (aid["mode"], aid["context"]) == ("military", "military")
    assert (strike["mode"], strike["context"]) == ("aerial", "military")
    assert aid["mode"] not in plover.contexts or aid["mode"] == aid["context"]
    assert aid["eventLoc"] == {"name": "Kursk", "country code": "RU"}
    assert aid["date"] == "2024-11-13" and aid["publication"] == "Atlas Wire"
    assert aid["text"].startswith("Reports indicate") and aid["language"] == "en"
    extra = aid["blocwatch"]
    assert extra["modality"] == "reported" and extra["confidence"] == 0.82
    assert extra["evidence"] == {"docId": "d1", "sentence": 7, "start": 10, "end": 60}
    assert "modality" not in aid and "evidence" not in aid


def test_every_mode_context_is_a_plover_context():
    """Contexts come from their own list, never a mode name standing in for one."""
    from blocwatch.plover import load_plover

    plover = load_plover()
    seen = {plover.context(t, m) for t in plover.types for m in plover.modes(t)}
    assert seen - {None} <= set(plover.contexts)
    assert plover.context("COERCE", "arrest") == "legal"
    assert plover.context("CONSULT", "phone") is None


def test_event_exports_hold_what_the_analyses_count_unless_widened(cli, tmp_path):
    """By default: asserted and reported, international, not background, and the summary line
    says so; --modality all, --domestic and --background widen it."""
    from tests.eventdb import EventDB

    db = EventDB(cli.db)
    doc = db.doc("A", "2024-03-01")
    db.event(doc, "AID", "USA", "UKR", date="2024-03-01")
    db.event(doc, "ASSAULT", "RUS", "UKR", modality="speculative", date="2024-03-01")
    db.event(doc, "COERCE", "RUS", "RUS", date="2024-03-01")
    db.event(doc, "AGREE", "EGY", "CYP", date="2018-09-19", background=True)
    db.flush()
    db.store.close()

    def types(*args: str) -> tuple[list[str], str]:
        result = cli("export", "--to", "json", "--out", str(tmp_path / "e.json"), *args)
        assert result.exit_code == 0, result.output
        return sorted(e["type"] for e in json.loads((tmp_path / "e.json").read_text())), \
            result.output

    default, said = types()
    assert default == ["AID"]
    assert "asserted and reported, international, not background" in said
    assert types("--modality", "all")[0] == ["AID", "ASSAULT"]
    assert types("--domestic")[0] == ["AID", "COERCE"]
    assert types("--background")[0] == ["AGREE", "AID"]
    bad = cli("export", "--to", "json", "--out", "-", "--modality", "rumour")
    assert bad.exit_code == 2 and "asserted" in bad.output
