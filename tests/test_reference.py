"""Reference data: the package's files load clean; a user's file adds and overrides; a broken
file is reported as FILE:LINE: reason."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from blocwatch.reference import (
    ReferenceDataError,
    build_reference,
    load_reference,
    package_files,
)

BASE = """\
countries:
  - code: AAA
    name: Alphaland
    demonyms: [Alphan, Alphans]
    capitals: [Alpha City]
  - code: BBB
    name: Betaland
    capitals: [Beta Town]
organisations:
  - code: ALLI
    name: The Alliance
    aliases: [the Alliance]
    sector: IGO
    members: [AAA, BBB]
people:
  - name: Ann Example
    aliases: [Example]
    nationality: AAA
    offices:
      - {title: President, country: AAA, sector: GOV, start: 2010-01-01, end: 2015-01-01}
sectors:
  MIL: [troops]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str, base: str = BASE) -> tuple[str, Path]:
    base_file = write(tmp_path, "base.yaml", base)
    bad = write(tmp_path, "bad.yaml", text)
    with pytest.raises(ReferenceDataError) as info:
        build_reference([base_file], [bad])
    return str(info.value), bad


def test_package_data_loads_and_links():
    ref = load_reference()
    assert len(package_files()) >= 4
    assert ref.countries["PRK"].capitals == ["Pyongyang"]
    assert ref.state_code("the United States") == "USA"
    assert ref.state_code("Syria") == "SYR" and ref.state_code("Kursk") is None
    trump = ref.people["Donald Trump"]
    assert [o.held_on(date(2018, 1, 1)) for o in trump.offices].count(True) == 1
    assert not trump.offices_on(date(2022, 6, 1))
    assert "troops" in ref.sectors["MIL"]
    assert load_reference() is ref  # cached: loaded once per process


def test_user_file_adds_and_overrides(tmp_path):
    base = write(tmp_path, "base.yaml", BASE)
    user = write(tmp_path, "mine.yaml", """\
countries:
  - code: FRD
    name: Freedonia
    demonyms: [Freedonian]
  - code: BBB                     # replaces the whole entry
    name: Betaland Republic
    capitals: [New Beta]
sectors:
  MED: [gazette]
""")
    ref = build_reference([base], [user])
    assert ref.countries["FRD"].name == "Freedonia"
    assert ref.countries["BBB"].capitals == ["New Beta"]
    assert ref.countries["AAA"].name == "Alphaland"
    assert ref.sectors == {"MIL": ["troops"], "MED": ["gazette"]}


def test_same_code_twice_in_package_files_is_an_error(tmp_path):
    one = write(tmp_path, "a.yaml", BASE)
    two = write(tmp_path, "b.yaml", "countries:\n  - code: AAA\n    name: Again\n")
    with pytest.raises(ReferenceDataError, match=r"b\.yaml:2: duplicate code 'AAA'"):
        build_reference([one, two])


@pytest.mark.parametrize("text, line, reason", [
    ("countries:\n  - name: Nowhere\n", 2, "lacks required key 'code'"),
    ("countries:\n  - code: abc\n    name: X\n", 2, "three capital letters"),
    ("people:\n  - name: P\n    nationality: AAA\n    offices:\n"
     "      - {title: King, country: AAA, sector: GOV, start: 2020-13-01}\n",
     5, "not an ISO date"),
    ("people:\n  - name: P\n    nationality: AAA\n    offices:\n"
     "      - {title: King, country: AAA, sector: GOV, start: 2020-01-01, end: 2019-01-01}\n",
     5, "starts after it ends"),
    ("organisations:\n  - code: XO\n    name: X\n    sector: PIRATES\n", 2, "unknown sector"),
    ("countries:\n  - code: CCC\n    name: C\n  - code: CCC\n    name: D\n", 4,
     "duplicate code 'CCC' in this file"),
    ("countries:\n  - code: CCC\n    name: [C\n", 3, "YAML syntax"),
    ("people:\n  - name: P\n    nationality: ZZZ\n", 2, "nationality 'ZZZ' is no known"),
    ("nations:\n  - code: CCC\n", 1, "unknown section 'nations'"),
    ("countries:\n  - code: CCC\n    name: C\n    name: D\n", 4, "duplicate key 'name'"),
])
def test_malformed_user_file_says_file_line_reason(tmp_path, text, line, reason):
    message, bad = error_of(tmp_path, text)
    assert re.match(rf"^{re.escape(str(bad))}:{line}: ", message), message
    assert reason in message


def test_unknown_keys_warn_instead_of_failing(tmp_path):
    base = write(tmp_path, "base.yaml", BASE)
    user = write(tmp_path, "mine.yaml", "countries:\n  - code: FRD\n    name: F\n    alias: [x]\n")
    ref = build_reference([base], [user])
    assert any("mine.yaml:2: unknown key 'alias'" in w for w in ref.warnings)
