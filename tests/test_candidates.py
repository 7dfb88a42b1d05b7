"""Candidate frames from the parse (events/candidates.py): roles by general syntax, on
sentences written for these tests."""

from datetime import date

import pytest

from blocwatch.events.candidates import frames
from blocwatch.passes import Passes, datelines

DAY = date(2024, 3, 5)


@pytest.fixture(scope="module")
def passes():
    from blocwatch.actors import get_coder
    return Passes(get_coder())


def roles(passes, text: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]]:
    [dp] = passes.run([("t", text, DAY)])
    return {f.trigger.text: (tuple(f.source.codes), tuple(f.target.codes), f.joint)
            for v in dp.views for f in frames(v)}


def test_subject_and_directional_target(passes):
    r = roles(passes, "Japan shipped 40 armoured vehicles to the Philippines on Monday.")
    assert r["shipped"][:2] == (("JPN",), ("PHL",))


def test_passive_agent_is_source_and_subject_is_target(passes):
    r = roles(passes, "Colombia was criticised by Venezuela over the border closure.")
    assert r["criticised"][:2] == (("VEN",), ("COL",))


def test_agentless_passive_has_no_source(passes):
    r = roles(passes, "Two Malian soldiers were killed near the Niger border on Sunday.")
    assert r["killed"][:2] == ((), ("MLI",))  # the patient is never its own agent


def test_object_control(passes):
    r = roles(passes, "Norway urged Ethiopia to reopen the aid corridor.")
    assert r["urged"][:2] == (("NOR",), ("ETH",))
    assert r["reopen"][0] == ("ETH",)


def test_light_verb_noun_takes_carrier_subject_and_preposition(passes):
    r = roles(passes, "Canada imposed new sanctions on Belarus.")
    assert r["sanctions"][:2] == (("CAN",), ("BLR",))


def test_joint_act_of_coordinated_subjects(passes):
    r = roles(passes, "Peru and Chile signed a fisheries accord in Lima.")
    assert r["signed"] == (("PER", "CHL"), (), True)


def test_talks_between(passes):
    r = roles(passes, "Talks between Serbia and Kosovo resumed in Brussels.")
    src, tgt, joint = r["Talks"]
    assert set(src) == {"SRB", "XKX"} and joint


def test_dateline_is_cut_before_coding():
    text = "NAIROBI, Kenya (AP) — Kenya sent police officers to Haiti on Tuesday."
    [(s, e)] = datelines(text)
    assert text[e:].startswith("Kenya sent")
    assert datelines("Kenya sent police officers to Haiti.") == []


def test_actors_named_by_role_take_the_state_of_the_dateline(passes):
    # the dateline says where the story was filed: police and strikers of a sentence that
    # names no state are of that state, in the lead and in the sentences after it
    text = ("LUSAKA, Zambia (AP) — Riot police detained 40 striking miners on Monday.\n\n"
            "Union leaders said the strikers would march on Tuesday.")
    r = roles(passes, text)
    assert r["detained"][:2] == (("ZMB",), ("ZMB",))
    [dp] = passes.run([("t", text, DAY)])
    assert dp.filed_from(len(text) - 1) == "ZMB"
    # a sentence naming a state keeps its own: the dateline is no more than a fallback
    r = roles(passes, "LUSAKA, Zambia (AP) — Police in Malawi detained 40 striking miners.")
    assert r["detained"][:2] == (("MWI",), ("MWI",))
    # no dateline, no state: a role-only sentence stays uncoded and is not parsed
    [dp] = passes.run([("t", "Riot police detained 40 striking miners on Monday.", DAY)])
    assert dp.views == []


def test_an_act_on_an_act_is_aimed_at_its_doer_not_its_patient(passes):
    # the shelling is Ethiopia's: condemning it is aimed at Ethiopia, not at the town's state
    r = roles(passes, "Kenya condemned the shelling of the town by Ethiopian troops.")
    assert r["condemned"][:2] == (("KEN",), ("ETH",))
    r = roles(passes, "Kenya condemned Ethiopia's shelling of Somali border towns.")
    assert r["condemned"][:2] == (("KEN",), ("ETH",))


def test_what_an_act_is_named_as_gives_its_owner(passes):
    # "hailed the raid as a Cuban victory": the as-phrase names whose act it is
    r = roles(passes, "Caracas hailed the raid as a Cuban victory on Tuesday.")
    assert r["hailed"][:2] == (("VEN",), ("CUB",))
    r = roles(passes, "Venezuela described Ukraine as a victim of aggression.")
    assert r["described"][:2] == (("VEN",), ("UKR",))  # an actor object stays the target


def test_a_noun_in_a_verbs_as_phrase_is_a_name_given_not_an_act(passes):
    # "as Colombian interference" names what Caracas says the statement is: no act of
    # Colombia's aimed at Caracas; the naming itself is aimed at the owner
    r = roles(passes, "Caracas labelled the statement as Colombian interference.")
    assert "interference" not in r
    assert r["labelled"][:2] == (("VEN",), ("COL",))
    r = roles(passes, "Colombian interference angered Caracas.")
    assert r["interference"][0] == ("COL",)  # not in an as-phrase: an act like any other


def test_people_of_no_state_exchanged_by_two_states_are_no_third_side(passes):
    r = roles(passes, "Serbia and Kosovo exchanged 15 detainees at a crossing near Merdare "
                      "on Friday.")
    assert r["exchanged"] == (("SRB", "XKX"), (), True)
    r = roles(passes, "Brazil arrested 15 smugglers near the Bolivian border.")
    assert not r["arrested"][2]  # one state acting on people: no joint act


def test_an_event_noun_of_occasion_with_a_counterpart_is_the_subjects_act(passes):
    r = roles(passes, "Chad reopened its embassy in Tripoli after talks with Libyan officials.")
    assert r["talks"][:2] == (("TCD",), ("LBY",))
    r = roles(passes, "Niger recalled its ambassador after attacks on its soldiers.")
    assert r["attacks"][0] == ()  # no counterpart: not the subject's own act


def test_an_event_noun_that_is_a_passive_agent_is_aimed_at_the_patient(passes):
    r = roles(passes, "Four Nigerien soldiers were killed by a Malian helicopter strike near "
                      "the border.")
    assert r["strike"][:2] == (("MLI",), ("NER",))
    r = roles(passes, "The convoy was hit in a Houthi missile attack on Tuesday.")
    assert r["attack"][1] == ()  # no coded patient: no target


def test_a_participle_on_what_was_launched_names_the_aim(passes):
    r = roles(passes, "Azerbaijan fired rockets aimed at Armenian positions near Jermuk.")
    assert r["fired"][:2] == (("AZE",), ("ARM",))
    r = roles(passes, "North Korea launched missiles targeting South Korean airfields.")
    assert r["launched"][:2] == (("PRK",), ("KOR",))


@pytest.mark.parametrize("text, trigger, source", [
    ('"We demand that Uganda pull its soldiers back," Kenya\'s foreign minister said.',
     "demand", ("KEN",)),
    ('"I urge Caracas to free the fishermen," Guyana\'s president told reporters.',
     "urge", ("GUY",)),
    ("Peru's interior minister said he had asked Bolivia to extradite the two men.",
     "asked", ("PER",)),
    ("Norway and Denmark said they would send frigates to the Baltic.", "send",
     ("NOR", "DNK")),
])
def test_a_pronoun_in_reported_speech_is_its_speaker(passes, text, trigger, source):
    assert set(roles(passes, text)[trigger][0]) == set(source)


@pytest.mark.parametrize("text, trigger, speaker", [
    ('Brazil\'s president said of his predecessor, "He insulted Argentina at every summit".',
     "insulted", "BRA"),
    ("Serbia said he had been beaten by Croatian police.", "beaten", "SRB"),
])
def test_a_third_person_pronoun_is_not_the_speaker_in_a_quote_or_of_a_state(
        passes, text, trigger, speaker):
    source, target, _ = roles(passes, text)[trigger]
    assert speaker not in source + target


@pytest.mark.parametrize(("text", "trigger", "source"), [
    ("Kenya and Ethiopia signed a water-sharing accord at the Elysee Palace.", "signed",
     {"KEN", "ETH"}),
    ("Lula and Modi met at the Kremlin on the sidelines of the summit.", "met", {"BRA", "IND"}),
])
def test_a_seat_of_power_after_at_is_where_not_whom(passes, text, trigger, source):
    src, tgt, joint = roles(passes, text)[trigger]
    assert set(src) == source and tgt == () and joint  # not an act aimed at France or Russia


def test_a_seat_of_power_as_subject_still_stands_for_its_government(passes):
    r = roles(passes, "The Kremlin warned Finland against joining the alliance.")
    assert r["warned"][:2] == (("RUS",), ("FIN",))


@pytest.mark.parametrize(("text", "trigger", "target"), [
    ("President Macron ordered 1,500 French troops to Mali in January.", "ordered", ("MLI",)),
    ("Canada dispatched Canadian military engineers to Latvia last week.", "dispatched",
     ("LVA",)),
])
def test_the_doers_own_forces_are_the_theme_and_the_destination_the_target(
        passes, text, trigger, target):
    assert roles(passes, text)[trigger][1] == target


def test_an_object_of_another_state_stays_the_target(passes):
    r = roles(passes, "Turkey expelled Swedish diplomats to Sweden.")
    assert r["expelled"][1] == ("SWE",)


@pytest.mark.parametrize(("text", "trigger", "source", "target"), [
    ("Farmers from Poland blockaded the border crossing with Ukraine on Monday.", "blockaded",
     ("POL",), None),
    ("Students in Serbia rallied against Hungary's new law outside its embassy.", "rallied",
     ("SRB",), ("HUN",)),
])
def test_an_actor_named_by_role_takes_a_state_named_right_after_it(
        passes, text, trigger, source, target):
    src, tgt, _ = roles(passes, text)[trigger]
    assert src == source and (target is None or tgt == target)


def test_an_actor_named_by_role_takes_the_state_of_where_its_clause_happens(passes):
    # the sentence names two states, so it has no one state to lend; the protest happens
    # across a capital of one of them
    from blocwatch.pipeline import DocumentCoder

    coding = DocumentCoder().code("Protesters blocked roads across Tbilisi on Monday, demanding "
                                  "the resignation of Prime Minister Irakli Kobakhidze over his "
                                  "talks with Russia.", date(2025, 2, 11), doc_id="t")
    sources = {c for e in coding.events if e.type == "PROTEST" for c in e.source_codes}
    assert sources == {"GEO"}
