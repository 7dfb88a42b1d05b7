"""The Python API for analysts (issue 10): blocwatch.open(...) over a real store built by the
CLI from the samples; results as pandas, Arrow and rows, with the CLI's numbers."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

import blocwatch

from .conftest import REPO, run_module


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("api") / "s.duckdb"
    assert run_module("ingest", str(REPO / "samples"), "--db", str(path), "-q").returncode == 0
    return str(path)


def test_events_as_dataframe_and_arrow(db: str):
    with blocwatch.open(db) as s:
        rus = s.events(actor="rus")
        df = rus.df()
        table = rus.arrow()
        assert isinstance(df, pd.DataFrame) and isinstance(table, pa.Table)
        assert len(df) == table.num_rows == len(rus) > 0
        assert all("RUS" in set(a) | set(b) for a, b in zip(df["source_codes"],
                                                             df["target_codes"], strict=True))
        cli = json.loads(run_module("events", "--db", db, "--actor", "RUS", "--format",
                                    "json").stdout)
        assert set(df["id"]) <= {e["id"] for e in cli}
        since = s.events(since="2024-01-01", type=["ASSAULT", "AID"]).df()
        assert (since["date"] >= pd.Timestamp("2024-01-01")).all()
        assert set(since["type"]) <= {"ASSAULT", "AID"}
        assert s.events(modality="speculative", min_confidence=2.0).df().empty
        with pytest.raises(ValueError, match="not a date"):
            s.events(since="someday")


def test_documents_dyads_and_blocs(db: str):
    with blocwatch.open(db) as s:
        docs = s.documents().df()
        assert len(docs) == 16 and {"title", "outlet", "text"} <= set(docs.columns)
        assert len(s.documents(duplicates=False).df()) == 15
        dyads = s.dyads(source="RUS", window="year").df()
        assert not dyads.empty and (dyads["source"] == "RUS").all()
        blocs = s.blocs().df()
        assert {"bloc", "code", "name", "strength"} <= set(blocs.columns)
        assert blocs["code"].is_unique
        cli = json.loads(run_module("blocs", "--db", db, "--format", "json").stdout)
        members = {m["code"] for b in (cli if isinstance(cli, list) else cli["blocs"])
                   for m in b["members"]}
        assert set(blocs["code"]) == members
        assert s.blocs().rows()[0].keys() >= {"bloc", "code"}


def test_a_reader_lets_writers_in_when_closed(db: str, tmp_path):
    s = blocwatch.open(db)
    s.events().df()
    s.close()
    good = tmp_path / "g.txt"
    good.write_text("Peru and Chile signed a fisheries agreement in Lima on Monday, officials "
                    "of both governments said.")
    proc = run_module("ingest", str(good), "--db", db, "--no-code")
    assert proc.returncode == 0, proc.stderr
