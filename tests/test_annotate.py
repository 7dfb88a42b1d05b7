"""The spaCy pipeline: one load, our sentence rule, only the components a stage needs."""

from __future__ import annotations

from blocwatch import annotate
from blocwatch.annotate import ACTORS, EVENTS, annotate_one, disabled_for, load_nlp


def test_model_name_comes_from_env(monkeypatch):
    monkeypatch.delenv(annotate.MODEL_ENV, raising=False)
    assert annotate.model_name() == annotate.DEFAULT_MODEL
    monkeypatch.setenv(annotate.MODEL_ENV, "/models/my_model")
    assert annotate.model_name() == "/models/my_model"


def test_pipeline_is_loaded_once_with_the_sentence_rule_first():
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert nlp.pipe_names[0] == annotate.SENTENCES
    assert "parser" in disabled_for(nlp, ACTORS) and "ner" not in disabled_for(nlp, ACTORS)
    assert disabled_for(nlp, EVENTS) == []


def test_sentences_split_at_stops_and_line_breaks():
    doc = annotate_one('He said "stop." The U.S. left\nA headline\n\nMr. Smith came? Yes!')
    assert [s.text.strip() for s in doc.sents] == [
        'He said "stop."', "The U.S. left", "A headline", "Mr. Smith came?", "Yes!"]


def test_a_clock_abbreviation_ends_a_sentence_before_a_new_one():
    doc = annotate_one("The shelling began at 4 a.m. Russian forces then moved on the town. "
                       "Polls close at 8 p.m. Eastern time on Tuesday, 7 p.m. Monday abroad.")
    assert [s.text.strip() for s in doc.sents] == [
        "The shelling began at 4 a.m.", "Russian forces then moved on the town.",
        "Polls close at 8 p.m. Eastern time on Tuesday, 7 p.m. Monday abroad."]


def test_parser_keeps_the_same_sentences():
    text = "Iran and Iraq met in Baghdad; talks went on. Then they left\nNew line here"
    fast = [s.text for s in annotate_one(text, ACTORS).sents]
    full = [s.text for s in annotate_one(text, EVENTS).sents]
    assert fast == full


def test_hyphen_after_an_abbreviation_splits():
    doc = annotate_one("the U.S.-led coalition and a U.S.-Iraq deal")
    assert [t.text for t in doc][:4] == ["the", "U.S.", "-", "led"]
    assert "Iraq" in [t.text for t in doc]


def test_empty_text_is_fine():
    assert len(annotate_one("")) == 0
    assert list(annotate.annotate(["", "  \n"])) != []
