"""The events ../shared/seeds/expected.yaml lists are read out of the two seed articles."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from blocwatch.events import DocumentCoding, Event
from blocwatch.pipeline import document_coder
from tests.conftest import need_shared

PUBLISHED = {"000_fa228e5f52996d4d.txt": None, "004_b8bba668440c413e.txt": date(2024, 11, 13)}


@pytest.fixture(scope="module")
def seeds() -> tuple[dict, dict[str, DocumentCoding]]:
    folder = need_shared("seeds")
    expected = yaml.safe_load((folder / "expected.yaml").read_text())["documents"]
    coder = document_coder()
    items = []
    for name, spec in expected.items():
        text = (folder / name).read_text(encoding="utf-8")
        cut = spec["metadata"].get("body_ends_before")
        if cut:
            text = text.split(cut)[0]  # the clean stage's job; here the body is given
        items.append((name, text, PUBLISHED[name]))
    return expected, {c.doc_id: c for c in coder.code_many(items)}


def _quantity_matches(event: Event, want: dict) -> bool:
    q = event.quantity
    if q is None or q["unit"] != want["unit"]:
        return False
    if want["value"] == "thousands":  # a vague amount: kept as a range, no single value
        return q["value"] is None and q["min"] >= 1000 and "thousands" in q["text"]
    return q["value"] == want["value"]


def _matches(event: Event, want: dict) -> bool:
    if event.source_codes != [want["source"]] or event.target_codes != [want["target"]]:
        return False
    if event.type not in want["types"] or event.modality not in want["modality"]:
        return False
    if "mode" in want and event.mode != want["mode"]:
        return False
    if "quantity" in want and not _quantity_matches(event, want["quantity"]):
        return False
    return "location" not in want or (event.location or {}).get("country") == want["location"]


def _cases() -> list[tuple[str, int]]:
    try:
        folder = need_shared("seeds")
    except pytest.skip.Exception:
        return []
    expected = yaml.safe_load((folder / "expected.yaml").read_text())["documents"]
    return [(name, i) for name, spec in expected.items() for i in range(len(spec["events"]))]


@pytest.mark.parametrize(("name", "i"), _cases())
def test_listed_event_is_found(seeds, name, i):
    expected, codings = seeds
    want = expected[name]["events"][i]
    events = codings[name].events
    found = [e for e in events if _matches(e, want)]
    assert found, (f"{name}: no {want['source']} {want['types']} {want['target']} "
                   f"({want['why']}); got: " + "; ".join(
                       f"{'+'.join(e.source_codes)} {e.type}/{e.mode} {'+'.join(e.target_codes)}"
                       f" [{e.modality}] q={e.quantity and e.quantity['text']}" for e in events))


def test_nothing_that_must_not_be(seeds):
    expected, codings = seeds
    for name, spec in expected.items():
        for rule in spec.get("must_not") or ():
            for e in codings[name].events:
                if "source" in rule:
                    assert not (rule["source"] in e.source_codes
                                and e.modality in rule["modality"]), (name, rule["why"], e)
                if "actor_any" in rule:
                    assert not (rule["actor_any"] in e.source_codes + e.target_codes
                                and rule["text_contains"] in e.evidence["text"]), (name, e)


def test_every_event_keeps_its_evidence(seeds):
    _, codings = seeds
    folder = need_shared("seeds")
    for name, coding in codings.items():
        text = (folder / name).read_text(encoding="utf-8")
        for e in coding.events:
            ev = e.evidence
            assert ev["doc_id"] == name and text[ev["start"]:ev["end"]] == ev["text"]
            t = e.trigger
            assert text[t["start"]:t["end"]] == t["text"]
            assert ev["start"] <= t["start"] < ev["end"]
            if PUBLISHED[name] is None:
                assert e.date is None  # no date known: none invented
            else:
                assert e.date is not None


def test_document_quantities_include_frozen_assets(seeds):
    expected, codings = seeds
    for name, spec in expected.items():
        for want in spec.get("quantities") or ():
            coding = codings[name]
            found = [q for q in coding.quantities
                     if q.value == want["value"] and q.unit == want["unit"]]
            found += [e for e in coding.events if e.quantity
                      and e.quantity["value"] == want["value"]]
            assert found, (name, want["why"])
