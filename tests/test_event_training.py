"""How `make model` labels candidates and the target ranker's rows (events/train.py), on
records written for these tests, with the real parse."""

from __future__ import annotations

import pytest

from blocwatch.events import targets
from blocwatch.events.corpus import parse_record
from blocwatch.events.train import samples_of, target_inputs
from blocwatch.passes import Passes


@pytest.fixture(scope="module")
def passes() -> Passes:
    from blocwatch.actors import get_coder
    return Passes(get_coder())


def _event(type_, trigger, source, target, **kw):
    return {"type": type_, "mode": None, "trigger": trigger, "source": source,
            "target": target, "modality": "asserted", "background": False, **kw}


ETH = {"text": "Ethiopia", "code": "ETH", "sector": "GOV"}
KEN = {"text": "Kenya", "code": "KEN", "sector": "GOV"}


def _labels(passes, record, role_labels):
    samples, _ = samples_of([parse_record(record)], passes, role_labels=role_labels)
    return {s.frame.trigger.text: (s.gold.type if s.gold else "NONE") for s in samples}


def test_a_borrowed_doer_that_is_not_the_doer_is_no_example(passes):
    # the offensive is not Kenya's: with its doer borrowed from "condemned" it teaches NONE
    record = {"id": "t-1", "date": "2024-05-02",
              "text": "Kenya condemned the offensive against Somali towns on Tuesday.",
              "events": [_event("ACCUSE", "condemned", [KEN], []),
                         _event("ASSAULT", "offensive", [], [])]}
    assert _labels(passes, record, "none")["offensive"] == "ASSAULT"
    assert _labels(passes, record, "borrowed")["offensive"] == "NONE"
    assert _labels(passes, record, "borrowed")["condemned"] == "ACCUSE"


def test_a_light_verb_lends_its_subject_rightly(passes):
    record = {"id": "t-2", "date": "2024-05-02",
              "text": "Ethiopia launched an offensive against Kenya on Tuesday.",
              "events": [_event("ASSAULT", "offensive", [ETH], [KEN])]}
    assert _labels(passes, record, "borrowed")["offensive"] == "ASSAULT"


def test_target_rows_mark_the_gold_target_among_the_eligible_actors(passes):
    record = {"id": "t-3", "date": "2024-05-02",
              "text": "Kenya sent 300 police officers to help Haitian forces on Monday, "
                      "Ethiopia said.",
              "events": [_event("AID", "sent", [KEN],
                                [{"text": "Haitian forces", "code": "HTI", "sector": "MIL"}],
                                modality="reported")]}
    samples, _ = samples_of([parse_record(record)], passes)
    feats, labels, groups = target_inputs([s for s in samples if s.gold is not None])
    assert len(groups) == 1 and groups[0].gold == {"HTI"}
    codes = groups[0].codes
    assert "KEN" not in codes  # the source is never a candidate target
    assert [labels[i] for i in range(len(codes)) if codes[i] == "HTI"] == [targets.YES]
    assert all(labels[i] != targets.YES for i in range(len(codes)) if codes[i] != "HTI")
    assert all(any(k.startswith("path=") for k in f) for f in feats)
