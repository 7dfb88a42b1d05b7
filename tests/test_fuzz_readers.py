"""Property-based runs (hypothesis) of every reader, the clean stage and the coder: whatever
the bytes, a reader yields articles or one-line errors and never raises (issue 9).
bench/fuzz.py does the same at scale, through the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blocwatch.ingest import InputError, RawItem, ReadOptions, SourceFile, read_source
from blocwatch.pipeline import Coder, IngestOptions, to_document

SUFFIXES = [".txt", ".md", ".html", ".jsonl", ".json", ".csv", ".tsv", ".jsonl.gz", ".txt.gz"]
FIELDS = ["text", "body", "title", "date", "url", "outlet", "html", "id", "published", "x"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6)
news_like = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                    max_size=400) | st.sampled_from([
                        "Kenya and Uganda held talks in Kampala on Monday.",
                        "<html><body><p>Chile recalled its ambassador.</p></body></html>",
                        "KYIV, Ukraine (AP) — Russia fired missiles at Kyiv overnight."])


def _read_all(tmp: Path, name: str, data: bytes) -> list:
    path = tmp / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    out = []
    for item in read_source(SourceFile(str(path), path.stat().st_size), ReadOptions()):
        assert isinstance(item, (RawItem, InputError))
        if isinstance(item, RawItem):
            doc = to_document(item, IngestOptions(), lambda message: None)
            assert doc is not None
            out.append(doc)
        else:
            assert "\n" not in str(item) and "\x1b" not in str(item)
            out.append(item)
    return out


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(max_size=2000))
def test_any_bytes_under_any_name(tmp_path: Path, suffix: str, data: bytes):
    _read_all(tmp_path, "input" + suffix, data)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(records | json_values, max_size=5))
def test_any_json_records(tmp_path: Path, rows: list):
    lines = "".join(json.dumps(r) + "\n" for r in rows)
    _read_all(tmp_path, "r.jsonl", lines.encode())
    _read_all(tmp_path, "r.json", json.dumps(rows).encode())


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4),
       cells=st.lists(st.lists(st.text(max_size=30), max_size=5), max_size=5))
def test_any_csv_table(tmp_path: Path, header: list, cells: list):
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(cells)
    _read_all(tmp_path, "t.csv", buf.getvalue().encode("utf-8", "surrogatepass"))


@pytest.fixture(scope="module")
def coder() -> Coder:
    return Coder()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(news_like, min_size=1, max_size=3))
def test_the_coder_takes_any_text(coder: Coder, texts: list[str]):
    items = [(f"d{i}", t, None) for i, t in enumerate(texts)]
    out = list(coder.code_many(items))
    assert len(out) == len(texts)
    for text, coded in zip(texts, out, strict=True):
        assert coded.error is None, coded.error
        for m in coded.actors:
            assert text[m.start:m.end] == m.text
