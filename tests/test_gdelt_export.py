"""The GDELT 2.0 event and mentions tables load unchanged in a GDELT loader (issue 10):
pandas with the codebook's 61 names and header=None, over a real store built by the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from blocwatch.gdelt import EVENT_COLUMNS, EXTRA_COLUMNS, MENTION_COLUMNS, fraction_date

from .conftest import REPO, run_module

STORY = ("Norway pledged two air-defence systems to Ukraine at a meeting in Oslo on Tuesday, "
         "the defence ministry said.")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("gdelt")
    db = tmp / "g.duckdb"
    assert run_module("ingest", str(REPO / "samples"), "--db", str(db), "-q").returncode == 0
    # one story told by two outlets: one GDELT event with two mentions
    records = tmp / "story.jsonl"
    records.write_text("".join(json.dumps(r) + "\n" for r in [
        {"text": STORY + " The systems are expected to arrive before the summer, and crews "
                 "will train at a base in the north of the country during the coming weeks. "
                 "Parliament approved the spending last month after a long debate about the "
                 "national budget and the cost of the programme.",
         "date": "2024-03-05", "outlet": "Fjord Wire",
         "url": "https://fjordwire.example/2024/03/05/air-defence"},
        {"text": STORY.replace("the defence ministry said", "officials in both capitals said")
         + " Kyiv has asked its partners for more launchers since the winter, when strikes on "
           "power plants left millions of homes without heating for days at a time. Analysts "
           "expect further announcements at a donors' conference in Brussels next month.",
         "date": "2024-03-06", "outlet": "Baltic Ledger",
         "url": "https://balticledger.example/news/norway-ukraine"},
    ]))
    assert run_module("ingest", str(records), "--db", str(db), "-q").returncode == 0
    return db


def _export(db: Path, tmp: Path, *extra: str, to: str = "gdelt") -> Path:
    out = tmp / f"{to}.tsv"
    proc = run_module("export", "--to", to, "--db", str(db), "--out", str(out), *extra)
    assert proc.returncode == 0, proc.stderr
    return out


def test_a_positional_gdelt_loader_reads_the_event_table(store: Path, tmp_path: Path):
    out = _export(store, tmp_path)
    assert len(EVENT_COLUMNS) == 61
    df = pd.read_csv(out, sep="\t", header=None, names=EVENT_COLUMNS)
    assert df.shape[1] == 61 and len(df) > 20
    assert not df["GLOBALEVENTID"].duplicated().any()
    ints = ["GLOBALEVENTID", "Day", "MonthYear", "Year", "IsRootEvent", "QuadClass",
            "NumMentions", "NumSources", "NumArticles", "ActionGeo_Type", "DATEADDED"]
    for col in ints:
        assert df[col].dtype == "int64", (col, df[col].dtype)
    for col in ["FractionDate", "GoldsteinScale", "ActionGeo_Lat", "ActionGeo_Long"]:
        assert df[col].dtype == "float64", (col, df[col].dtype)
    assert df["Day"].between(19000101, 21000101).all()
    assert (df["MonthYear"] == df["Day"] // 100).all() and (df["Year"] == df["Day"] // 10000).all()
    assert df["QuadClass"].between(1, 4).all() and df["GoldsteinScale"].abs().le(10).all()
    codes = pd.read_csv(out, sep="\t", header=None, names=EVENT_COLUMNS, dtype=str)
    assert (codes["EventBaseCode"] == codes["EventCode"].str[:3]).all()
    assert (codes["EventRootCode"] == codes["EventCode"].str[:2]).all()
    assert codes["EventCode"].str.fullmatch(r"\d{3,4}").all()
    assert codes["Actor1CountryCode"].dropna().str.fullmatch(r"[A-Z]{3}").all()
    # geo fields use FIPS 10-4, not ISO: Ukraine is UP, the United Kingdom UK
    assert not codes["ActionGeo_CountryCode"].dropna().isin(["UKR", "GBR"]).any()
    # the same store exports the same ids
    again = pd.read_csv(_export(store, tmp_path), sep="\t", header=None, names=EVENT_COLUMNS)
    assert list(again["GLOBALEVENTID"]) == list(df["GLOBALEVENTID"])


def test_one_row_field_by_field(store: Path, tmp_path: Path):
    out = _export(store, tmp_path, "--extras", str(tmp_path / "extras.tsv"))
    df = pd.read_csv(out, sep="\t", header=None, names=EVENT_COLUMNS, dtype=str,
                     keep_default_na=False)
    extras = pd.read_csv(tmp_path / "extras.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(extras.columns) == EXTRA_COLUMNS
    rows = df[(df["Actor1CountryCode"] == "NOR") & (df["Actor2CountryCode"] == "UKR")]
    assert len(rows) == 1, df[["Actor1Code", "Actor2Code", "EventCode"]]
    row = rows.iloc[0]
    extra = extras[extras["GLOBALEVENTID"] == row["GLOBALEVENTID"]].iloc[0]
    con = duckdb.connect(str(store), read_only=True)
    cameo, quad = con.execute("SELECT cameo, quad FROM events WHERE id = ?",
                              [extra["EventID"]]).fetchall()[0]
    con.close()
    assert row["Day"] == "20240305" and row["MonthYear"] == "202403" and row["Year"] == "2024"
    assert float(row["FractionDate"]) == pytest.approx(2024 + (2 * 30 + 5) / 365, abs=1e-4)
    assert fraction_date(pd.Timestamp("2015-02-18").date()) == 2015.1315  # GDELT's own value
    assert row["Actor1Code"].startswith("NOR") and row["Actor1Name"] == "NORWAY"
    assert row["Actor2Code"].startswith("UKR") and row["Actor2Name"] == "UKRAINE"
    assert row["Actor1KnownGroupCode"] == "" and row["Actor1EthnicCode"] == ""
    assert row["EventCode"] == cameo and row["EventRootCode"] == cameo[:2]
    assert row["QuadClass"] == str(quad)
    assert (row["NumMentions"], row["NumArticles"], row["NumSources"]) == ("2", "2", "2")
    assert row["AvgTone"] == ""
    assert row["Actor1Geo_Type"] == "1" and row["Actor1Geo_CountryCode"] == "NO"
    assert row["Actor2Geo_CountryCode"] == "UP"
    assert row["ActionGeo_Type"] == "4" and row["ActionGeo_FullName"] == "Oslo, Norway"
    assert row["ActionGeo_CountryCode"] == "NO" and row["ActionGeo_ADM1Code"].startswith("NO")
    assert float(row["ActionGeo_Lat"]) == pytest.approx(59.91, abs=0.1)
    assert float(row["ActionGeo_Long"]) == pytest.approx(10.75, abs=0.1)
    assert len(row["DATEADDED"]) == 14
    assert row["SOURCEURL"] == "https://fjordwire.example/2024/03/05/air-defence"
    assert extra["PloverType"] and extra["Modality"] in {"asserted", "reported"}
    assert "Norway pledged" in extra["Evidence"]
    # the mentions table: one row per article of that event
    mentions = pd.read_csv(_export(store, tmp_path, to="gdelt-mentions"), sep="\t",
                           header=None, names=MENTION_COLUMNS)
    assert len(MENTION_COLUMNS) == 16 and mentions.shape[1] == 16
    mine = mentions[mentions["GLOBALEVENTID"] == int(row["GLOBALEVENTID"])]
    assert sorted(mine["MentionSourceName"]) == ["Baltic Ledger", "Fjord Wire"]
    assert mine["SentenceID"].min() >= 1 and mine["Confidence"].between(0, 100).all()
    assert set(mentions["GLOBALEVENTID"]) <= {int(x) for x in df["GLOBALEVENTID"]}


def test_header_on_request_and_the_old_flag_still_works(store: Path, tmp_path: Path):
    out = _export(store, tmp_path, "--header")
    assert out.read_text().split("\n", 1)[0].split("\t") == EVENT_COLUMNS
    proc = run_module("export", "--format", "csv", "--db", str(store), "--out",
                      str(tmp_path / "e.csv"))
    assert proc.returncode == 0 and "deprecated" in proc.stderr


def test_pairs_within_one_state_only_on_request(tmp_path: Path):
    db = tmp_path / "d.duckdb"
    records = tmp_path / "d.jsonl"
    records.write_text(json.dumps({
        "text": "Venezuelan security forces arrested dozens of opposition activists in Caracas "
                "on Monday, and Colombia condemned the arrests the next day.",
        "date": "2024-01-08"}) + "\n")
    assert run_module("ingest", str(records), "--db", str(db), "-q").returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    pairs = con.execute("SELECT source_codes, target_codes FROM events").fetchall()
    con.close()
    same = [p for p in pairs if set(p[0]) & set(p[1])]
    assert same, "the coder found no act within one state in this sentence"
    default = pd.read_csv(_export(db, tmp_path), sep="\t", header=None, names=EVENT_COLUMNS,
                          dtype=str, keep_default_na=False)
    assert (default["Actor1Code"].str[:3] != default["Actor2Code"].str[:3]).all()
    both = pd.read_csv(_export(db, tmp_path, "--domestic"), sep="\t", header=None,
                       names=EVENT_COLUMNS, dtype=str, keep_default_na=False)
    assert len(both) > len(default)
    assert (both["Actor1Code"].str[:3] == both["Actor2Code"].str[:3]).any()
