"""The actor pass reads entities only where an actor of the data or a role word is named."""

from __future__ import annotations

import pytest

from blocwatch.annotate import ACTORS, disabled_for
from blocwatch.passes import Passes

TEXT = ("Heavy rain fell across the valley on Monday, and Tobias Wrenfield, a baker, swept the "
        "water from his shop. Kenya's foreign minister met Uganda's president in Kampala on "
        "Tuesday to discuss the border.")


@pytest.fixture(scope="module")
def passes():
    from blocwatch.actors import get_coder
    return Passes(get_coder())


def test_named_sentences_are_those_with_a_name_or_a_role_word(passes):
    doc = passes.actor_docs([TEXT])[0]
    assert passes.actors.named_sentences(doc) == [1]


def test_entities_only_in_named_sentences_and_the_same_there(passes):
    light = passes.actor_docs([TEXT])[0]
    full = passes.nlp(TEXT, disable=disabled_for(passes.nlp, ACTORS))
    first = list(full.sents)[0]
    assert any(e.label_ == "PERSON" and e.end <= first.end for e in full.ents)  # NER sees him
    assert all(e.start >= list(light.sents)[1].start for e in light.ents)
    second = list(full.sents)[1]
    assert [(e.start, e.end, e.label_) for e in light.ents] == \
        [(e.start, e.end, e.label_) for e in full.ents if e.start >= second.start]


def test_coded_actors_as_with_ner_over_the_whole_text(passes):
    light = passes.actors.code_doc(passes.actor_docs([TEXT])[0])
    full = passes.actors.code_doc(passes.nlp(TEXT, disable=disabled_for(passes.nlp, ACTORS)))
    coded = [(m.text, m.code, m.sector) for m in light.mentions if m.code]
    assert coded and coded == [(m.text, m.code, m.sector) for m in full.mentions if m.code]
    assert [p.text for p in light.places] == [p.text for p in full.places]
