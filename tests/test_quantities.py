"""Quantities: counts with what they count, money with ISO 4217 codes, vagueness kept."""

from __future__ import annotations

import pytest

from blocwatch.quantities import Quantity, find_quantities
from tests.conftest import SEEDS


def one(text: str) -> dict:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0].to_json()


@pytest.mark.parametrize(("text", "expected"), [
    ("North Korea has sent an estimated 11,000 troops to Russia.",
     {"value": 11000, "unit": "troops", "approx": True, "text": "an estimated 11,000 troops"}),
    ("an offer to send thousands of workers",
     {"value": None, "min": 2000, "max": 9999, "unit": "workers", "approx": True,
      "text": "thousands of workers"}),
    ("About 10,000 to 12,000 soldiers were deployed.",
     {"value": None, "min": 10000, "max": 12000, "unit": "troops", "approx": True}),
    ("Between 500 and 700 fighters crossed the river.",
     {"value": None, "min": 500, "max": 700, "unit": "fighters"}),
    ("Iran delivered more than 100 drones.",
     {"value": None, "min": 100, "unit": "drones", "approx": True, "text": "more than 100 drones"}),
    ("Up to 12,000 troops may take part.", {"value": None, "max": 12000, "unit": "troops"}),
    ("It fired dozens of missiles.", {"value": None, "min": 24, "max": 99, "unit": "missiles"}),
    ("a dozen armoured vehicles", {"value": 12, "unit": "vehicles", "approx": True}),
    ("Three tanks were destroyed.", {"value": 3, "unit": "tanks", "approx": False}),
    ("hundreds of civilians fled", {"min": 200, "max": 999, "unit": "civilians"}),
    ("Tens of thousands of refugees", {"min": 20000, "max": 99999, "unit": "refugees"}),
    ("two to three hundred vehicles", {"min": 200, "max": 300, "unit": "vehicles"}),
    ("Two or three ships", {"min": 2, "max": 3, "unit": "ships"}),
    ("Russia fired 2 million artillery shells.", {"value": 2000000, "unit": "shells"}),
    ("some 1,500 North Korean military personnel", {"value": 1500, "unit": "troops",
                                                    "approx": True}),
    ("a 10,000-strong contingent arrived", {"value": 10000, "unit": "troops"}),
    ("300 of its troops died", {"value": 300, "unit": "troops"}),
    ("at least 12 killed", {"value": None, "min": 12, "unit": "casualties"}),
    ("twenty-five fighter jets", {"value": 25, "unit": "aircraft"}),
    ("300 aircraft", {"value": 300, "unit": "aircraft"}),
    ("Russia's 300 tanks", {"value": 300, "unit": "tanks"}),
    ("In March 300 troops arrived.", {"value": 300, "unit": "troops"}),
    ("short-range ballistic missiles numbering 50", None),
])
def test_counts(text, expected):
    if expected is None:
        assert find_quantities(text) == []
        return
    got = one(text)
    for key, value in expected.items():
        assert got.get(key) == value, (key, got)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("The $300 billion worth of frozen Russian assets", 300_000_000_000, "USD"),
    ("The EU approved €50bn for Ukraine.", 50_000_000_000, "EUR"),
    ("a package of $374m in aid", 374_000_000, "USD"),
    ("£2.5 billion from London", 2_500_000_000, "GBP"),
    ("1.85 billion dollars", 1_850_000_000, "USD"),
    ("300 billion US dollars", 300_000_000_000, "USD"),
    ("the US$5 million grant", 5_000_000, "USD"),
    ("USD 20 million", 20_000_000, "USD"),
    ("2.5 trillion roubles", 2_500_000_000_000, "RUB"),
    ("5 million euros", 5_000_000, "EUR"),
    ("¥3 billion", 3_000_000_000, "JPY"),
    ("10 billion yuan", 10_000_000_000, "CNY"),
])
def test_money(text, value, unit):
    got = one(text)
    assert (got["value"], got["unit"], got["kind"]) == (value, unit, "money")
    assert isinstance(got["value"], int)


def test_vague_money():
    got = one("hundreds of millions of dollars in aid")
    assert got["unit"] == "USD" and got["value"] is None
    assert got["min"] == 200_000_000


@pytest.mark.parametrize("text", [
    "In 2024 troops crossed the border.",
    "a 45-year-old soldier",
    "40% of troops",
    "40 percent of the troops",
    "on 13 November 2024",
    "He ran 400m.",
    "5 million pounds of explosives",
    "a Falcon 9 rocket",
    "the 2017 Women's World Championship",
    "one of the soldiers",
    "the two nations",
    "F-16 jets",
    "Resolution 2231 troops",
    "the 13 November attacks",
    "the November 13 attacks",
])
def test_not_counts(text):
    assert find_quantities(text) == [], find_quantities(text)


def test_offsets_and_several():
    text = "Russia lost 300 tanks and 5,000 soldiers, while the EU pledged €2bn."
    found = find_quantities(text, offset=100)
    assert [q.unit for q in found] == ["tanks", "troops", "EUR"]
    for q in found:
        assert text[q.start - 100:q.end - 100] == q.text


def test_to_json_shape():
    q = find_quantities("an estimated 11,000 troops")[0]
    assert isinstance(q, Quantity)
    data = q.to_json()
    assert {"value", "unit", "approx", "text", "start", "end"} <= set(data)
    assert "min" not in data and "max" not in data


def test_span_offsets():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("Kyiv asked for help. North Korea sent 11,000 troops.")
    sent = list(doc.sents)[1]
    q = find_quantities(sent)[0]
    assert doc.text[q.start:q.end] == "11,000 troops"


def test_seed_quantities():
    paths = [SEEDS / "000_fa228e5f52996d4d.txt", SEEDS / "004_b8bba668440c413e.txt"]
    if not all(p.exists() for p in paths):
        pytest.skip("seed articles not present")
    found = [q.to_json() for p in paths for q in find_quantities(p.read_text(encoding="utf-8"))]
    assert {"value": 11000, "unit": "troops"}.items() <= found[0].items()
    units = {(q["unit"], q["value"], q.get("min")) for q in found}
    assert ("workers", None, 2000) in units
    assert ("troops", None, 2000) in units
    assert ("USD", 300_000_000_000, None) in units
    assert len(found) == 4  # and nothing from dates, years or headings
