"""Event exports: PLOVER JSON, GDELT-style TSV, CSV and Parquet from a real store."""

from __future__ import annotations

import csv
import json
from datetime import date

import pyarrow.parquet as pq

from blocwatch.document import Document
from blocwatch.store import Store
from tests.test_store import EVENT


def _store(path) -> None:
    second = json.loads(json.dumps(EVENT))
    second.update(type="ASSAULT", mode="aerial", cameo="195", quad=4, goldstein=-10.0,
                  source=[{"text": "Russia", "code": "RUS", "sector": "GOV"}],
                  target=[{"text": "Ukraine", "code": "UKR", "sector": "GOV"},
                          {"text": "Kyiv", "code": "UKR", "sector": "GOV"}],
                  modality="asserted", quantity=None, date="2024-11-17")
    second["evidence"] = dict(EVENT["evidence"], start=70, end=120, text="Russia struck Kyiv.")
    with Store(path) as store:
        batch = store.begin_batch("test")
        store.add_documents([Document(id="d1", text="x", outlet="Atlas Wire",
                                      url="https://atlas.example/1",
                                      published=date(2024, 11, 13))], [b""], batch)
        store.add_coding(["d1"], [[]], [[EVENT, second]], "test")
        store.commit_batch(batch)


def test_event_exports(cli, tmp_path):
    _store(cli.db)
    out = tmp_path / "events"
    for fmt in ("plover", "gdelt", "csv", "parquet"):
        result = cli("export", "--to", fmt, "--out", f"{out}.{fmt}",
                     *(["--extras", str(tmp_path / "extras.tsv")] if fmt == "gdelt" else []))
        assert result.exit_code == 0, result.output
    plover = json.loads((tmp_path / "events.plover").read_text())
    assert [e["type"] for e in plover] == ["AID", "ASSAULT"]
    assert plover[0]["quantity"]["value"] == 11000 and plover[0]["evidence"]["text"]
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
