"""The rules that remain after the event model (events/rules.py) and the coder's document
pass, on the real model, spaCy and reference data, with sentences written for these tests.
Each test names the mechanism; the sentences are ordinary news of the kind it is for."""

from __future__ import annotations

from datetime import date

import pytest

from blocwatch.events import rules
from blocwatch.events.candidates import frames
from blocwatch.pipeline import DocumentCoder

DAY = date(2025, 2, 11)


@pytest.fixture(scope="module")
def coder() -> DocumentCoder:
    return DocumentCoder()


def dyads(coder: DocumentCoder, text: str) -> list[tuple[str, str, str]]:
    coding = coder.code(text, DAY, doc_id="t")
    return [("+".join(e.source_codes), e.type, "+".join(e.target_codes)) for e in coding.events]


def test_rules_run_in_the_order_of_the_data_file():
    cfg = rules.config()
    assert cfg.order.index("coded_source") < cfg.order.index("distinct_sides")
    assert cfg.order.index("learned_target") < cfg.order.index("needs_target")
    assert set(cfg.order) <= set(rules.REGISTRY)


def test_purpose_clause_gives_the_target_the_parse_left_out(coder):
    # "troops" is what is sent; the recipient is the object of the purpose clause
    found = dyads(coder, "Belarus has sent about 2,000 troops to assist Russian "
                         "forces, the Ukrainian general staff said on Tuesday.")
    assert ("BLR", "AID", "RUS") in found


def test_an_elided_recipient_comes_from_the_sentence_before(coder):
    found = dyads(coder, "Norway delivered two more air-defence batteries to Ukraine on "
                         "Monday. Denmark will send ammunition as well, its defence "
                         "minister said.")
    assert ("NOR", "AID", "UKR") in found
    assert ("DNK", "AID", "UKR") in found


def test_no_recipient_is_carried_across_a_gap(coder):
    found = dyads(coder, "Norway delivered two more air-defence batteries to Ukraine on "
                         "Monday. The weather in Oslo was cold. Denmark will send "
                         "ammunition as well, its defence minister said.")
    assert not [d for d in found if d[0] == "DNK"]


def test_the_owner_of_a_place_can_be_acted_upon(coder):
    found = dyads(coder, "Turkey sent 300 engineers to help rebuild bridges in Syria's "
                         "Aleppo province on Sunday.")
    assert ("TUR", "AID", "SYR") in found


def test_equipment_is_never_an_actor(coder):
    # "drones" alone does not take the sentence's one state and become a target
    found = dyads(coder, "Iran is supplying drones and spare parts, according to the report.")
    assert not [d for d in found if d[2] == "IRN"]


def test_a_relation_told_as_a_habit_is_no_event(coder):
    coding = coder.code("Algeria, which has traditionally backed the Polisario Front, "
                        "declined to comment.", DAY, doc_id="h")
    backed = [c for c in coding.candidates if c.lemma == "back"]
    assert backed
    assert all(c.type == "NONE" or c.dropped_by == "standing_relation" for c in backed)
    assert coding.events == []


def test_role_only_actors_beside_a_place_are_of_its_state(coder):
    found = dyads(coder, "The junta in Niamey banned all political parties on Wednesday.")
    assert found and all(src == "NER" for src, _, _ in found)


def test_attribution_decides_reported(coder):
    told = coder.code("Sweden sent 40 armoured vehicles to Ukraine on Monday, the defence "
                      "ministry said.", DAY, doc_id="a").events
    plain = coder.code("Sweden sent 40 armoured vehicles to Ukraine on Monday.", DAY,
                       doc_id="b").events
    aid = [e for e in told if e.type == "AID"]
    assert aid and aid[0].modality == "reported" and aid[0].attribution
    aid = [e for e in plain if e.type == "AID"]
    assert aid and aid[0].modality == "asserted"


def test_no_event_has_the_same_mention_on_both_sides(coder):
    text = ("Russia and China held joint naval drills in the Sea of Japan on Monday. "
            "Five soldiers were killed in an ambush near Gao, Malian officials said. "
            "The Kenyan president met Kenyan opposition leaders in Nairobi.")
    for e in coder.code(text, DAY, doc_id="c").events:
        spans = {(a["start"], a["end"]) for a in e.source}
        assert not spans & {(a["start"], a["end"]) for a in e.target}


def test_an_act_dated_years_back_by_its_own_clause_is_background(coder):
    old = coder.code("Dutch troops left Afghanistan in 2010, years before the Taliban "
                     "returned.", date(2021, 9, 1), doc_id="o").events
    new = coder.code("Dutch troops left Afghanistan on Monday.", date(2021, 9, 1),
                     doc_id="n").events
    assert [e.background for e in old if e.trigger["text"] == "left"] == [True]
    assert [e.background for e in new if e.trigger["text"] == "left"] == [False]


def test_a_negation_on_the_act_is_kept(coder):
    events = coder.code("Iran did not send drones to Russia, the foreign ministry said.", DAY,
                        doc_id="n").events
    assert [e.modality for e in events if e.type == "AID"] == ["negated"]


def test_an_act_on_another_actors_act_is_not_merged_into_it(coder):
    # "condemned" is not a light verb of the shelling: two facts, aimed at its doer
    found = dyads(coder, "Kenya condemned Ethiopia's shelling of Somali border towns on "
                         "Sunday.")
    assert ("KEN", "ACCUSE", "ETH") in found
    assert ("KEN", "ACCUSE", "SOM") not in found


def test_the_shipped_model_chooses_missing_targets_by_a_learned_ranker(coder):
    chooser = coder.events.chooser
    assert chooser is not None and 0 < chooser.threshold < 1
    text = "Belarus has sent about 2,000 troops to assist Russian forces."
    views = coder.passes.run([("r", text, DAY)])[0].views
    f = next(f for v in views for f in frames(v) if f.trigger.lemma_ == "send")
    v = views[0]
    best, p = chooser.choose(v, f, "AID", f.source.args)
    assert best is not None and best.code == "RUS" and p >= chooser.threshold
    # the source is never a candidate: with everyone on the source side there is no target
    everyone = [a for a in v.args.values() if a.code]
    assert chooser.choose(v, f, "AID", everyone) == (None, 0.0)


def test_a_state_named_as_where_is_its_territory_only_when_no_one_else_is_named(coder):
    # "in Syria" on the noun says where the strike was, not whom it was aimed at
    found = dyads(coder, "Two Iraqi soldiers were killed on Monday by a Turkish drone strike "
                         "in Syria, the monitoring group said.")
    assert ("TUR", "ASSAULT", "IRQ") in found and all("SYR" not in d[2] for d in found), found
    found = dyads(coder, "A bombing at the US bases in Iraq was claimed by an Iranian-backed "
                         "militia on Friday.")
    assert all("IRQ" not in d[2] for d in found), found
    # with no one else named, the place is the state's territory (corpus/GUIDE.md)
    found = dyads(coder, "Two commanders were killed on Monday by a Turkish drone strike in "
                         "Syria, the monitoring group said.")
    assert found == [("TUR", "ASSAULT", "SYR")], found


def test_the_from_phrase_of_a_withdrawal_is_what_is_left(coder):
    # "from Chad" names what the troops leave, not who withdraws them (as in "aid from Chad")
    found = dyads(coder, "Paris completed the withdrawal of French troops from Chad on Friday.")
    assert ("FRA", "RETREAT", "TCD") in found and ("TCD", "RETREAT", "FRA") not in found, found
    found = dyads(coder, "The pullout of Kenyan troops from Somalia began on Monday.")
    assert ("KEN", "RETREAT", "SOM") in found, found
    assert rules.config().order.index("leaving_from") < rules.config().order.index(
        "coded_source")


def test_a_meeting_of_many_named_as_leaders_of_a_list_is_no_bilateral_pair(coder):
    # the mention "leaders of Chile" ends inside the list: the rest of the list is beside it
    text = "The leaders of Chile, Peru, Bolivia and Ecuador met in Lima on Friday."
    coding = coder.code(text, DAY, doc_id="t")
    met = [e for e in coding.events if e.trigger["text"] == "met"]
    assert met and all(not e.target_codes for e in met), dyads(coder, text)
    assert set(met[0].source_codes) == {"CHL", "PER", "BOL", "ECU"}


def test_the_corpus_score_takes_an_act_by_many_in_either_form():
    from blocwatch.evaluate.corpus import _match
    from blocwatch.events.corpus import GoldActor, GoldEvent
    from blocwatch.events.records import Event

    parties = [GoldActor(text=c, code=c, sector="GOV", start=-1, end=-1)
               for c in ("CHL", "PER", "BOL")]
    gold = GoldEvent(type="CONSULT", mode=None, trigger="met", start=0, end=3, source=parties,
                     target=parties, modality="asserted", background=False)

    def ev(source: list[str], target: list[str], type_: str = "CONSULT") -> Event:
        return Event(type=type_, mode=None, cameo="040", quad=1, goldstein=1.0,
                     source=[{"code": c} for c in source], target=[{"code": c} for c in target],
                     modality="asserted", attribution=None, quantity=None, date=None,
                     date_precision=None, location=None, evidence={}, confidence=1.0,
                     extractor="test", trigger={})

    assert _match(ev(["CHL", "PER", "BOL"], []), gold)  # the coder's form: parties, no target
    assert _match(ev(["CHL"], ["PER"]), gold)  # the joint form, as before
    assert not _match(ev(["CHL", "PER", "BOL"], [], "AGREE"), gold)
    assert not _match(ev(["ARG"], []), gold)


def test_an_act_of_giving_told_by_its_recipient_has_the_giver_as_source(coder):
    # "received … from Norway": Norway gives, Ghana gets (the parse's subject is the recipient)
    found = dyads(coder, "Ghana received 40 armoured vehicles from Norway on Monday.")
    assert ("NOR", "AID", "GHA") in found and ("GHA", "AID", "NOR") not in found, found
    # a place left is not a giver
    found = dyads(coder, "French troops evacuated 300 civilians from Khartoum on Sunday.")
    assert all(d[0] != "SDN" for d in found), found


def test_a_fact_told_by_a_verb_and_the_noun_of_its_preposition_is_one_event(coder):
    found = dyads(coder, "On Monday, Kenyan President William Ruto and Ugandan President "
                         "Yoweri Museveni spoke on the phone.")
    assert sorted(found) == [("KEN", "CONSULT", "UGA"), ("UGA", "CONSULT", "KEN")], found


def test_coordinated_state_words_on_one_noun_are_all_its_actors(coder):
    # "his Ugandan, Tanzanian and Rwandan counterparts": three states, not the first alone
    text = ("Kenyan foreign minister Musalia Mudavadi and his Ugandan, Tanzanian and Rwandan "
            "counterparts gathered in Arusha on Thursday.")
    views = coder.passes.run([("t", text, DAY)])[0].views
    f = next(f for v in views for f in frames(v) if f.trigger.lemma_ == "gather")
    assert set(f.source.codes) == {"KEN", "UGA", "TZA", "RWA"}, f.source.codes


def test_a_capital_modifying_an_event_noun_is_where_not_who(coder):
    # "a Nairobi bombing" happened in Nairobi; Kenya did not bomb anyone
    text = "Last week a Nairobi car bombing killed five people, an attack ascribed to al-Shabaab."
    views = coder.passes.run([("t", text, DAY)])[0].views
    doers = [f.source.codes for v in views for f in frames(v, coded_only=False)
             if f.trigger.lemma_ == "bombing"]
    assert not any("KEN" in codes for codes in doers), doers
    views = coder.passes.run([("t", "A Russian drone strike hit Odesa.", DAY)])[0].views
    f = next(f for v in views for f in frames(v) if f.trigger.lemma_ == "strike")
    assert f.source.codes == ["RUS"]  # a demonym still names the doer


def test_a_verb_and_the_event_noun_of_its_passive_agent_are_one_event(coder):
    found = dyads(coder, "Six Burkinabe gendarmes were killed by an al-Qaeda ambush near "
                         "Djibo on Saturday.")
    assert len(found) == 1 and found[0][1] == "ASSAULT", found


def test_an_act_told_in_the_past_perfect_by_the_writer_is_background(coder):
    from blocwatch.events.attributes import told_before

    def told(text: str, lemma: str, modality: str = "asserted") -> bool:
        views = coder.passes.run([("t", text, DAY)])[0].views
        f = next(f for v in views for f in frames(v) if f.trigger.lemma_ == lemma)
        return told_before(f, modality)

    assert told("The Netherlands had also suspended aid to Mali.", "suspend")
    assert not told("The Netherlands suspended aid to Mali on Monday.", "suspend")
    # reported speech shifts the tense back: "said it had" is the news, not context
    assert not told("Mali said the Netherlands had suspended aid.", "suspend", "reported")


def test_an_act_in_a_question_is_not_reported_as_done(coder):
    events = coder.code("Did Ethiopia shell Eritrean positions near Badme last week?", DAY,
                        doc_id="q").events
    assert events and all(e.modality == "speculative" for e in events), events


def test_whoever_tells_of_an_act_is_not_its_target(coder):
    from blocwatch.events import targets

    def eligible(text: str, lemma: str) -> list[str]:
        views = coder.passes.run([("t", text, DAY)])[0].views
        v, f = next((v, f) for v in views for f in frames(v) if f.trigger.lemma_ == lemma)
        return [a.text for a in targets.eligible(v, f, f.source.args)]

    assert "Ghanaian interior minister" not in " ".join(eligible(
        "Police in Accra are questioning two Nigerian suspects over the robbery, the Ghanaian "
        "interior minister told reporters.", "question"))
    assert not any("Human Rights Watch" in a for a in eligible(
        "Sudanese troops burned three villages near El Geneina, according to Human Rights "
        "Watch.", "burn"))
    # agreeing is not reporting: the parties stay eligible
    assert any("Iraq" in a for a in eligible(
        "The United States agreed that its troops would leave Iraq by 2026.", "leave"))


@pytest.mark.parametrize("text", [
    "The governor of Kerala declared a state of emergency on Monday after the floods.",
    "Chile's government imposed a nightly curfew in the capital, the interior ministry said.",
    "The Kenyan embassy in Beirut suspended its consular operations on Friday.",
])
def test_a_coercion_with_no_one_coerced_is_no_event(coder, text):
    # coercion is done to someone (corpus/GUIDE.md: only MOBILIZE, PROTEST and ASSAULT stand
    # without a target); a state's measures with no coerced actor named are its own business
    assert [d for d in dyads(coder, text) if d[1] == "COERCE"] == []


def test_a_coercion_of_a_named_actor_is_still_coded(coder):
    found = dyads(coder, "Egyptian police arrested opposition leader Ayman Nour at his home "
                         "in Cairo on Thursday.")
    assert ("EGY", "COERCE", "EGY") in found


@pytest.mark.parametrize("text", [
    "Maria Delgado met police officers Juan Ruiz and Pedro Gomez at a Mexican bar.",
    "Tom Becker, 52, attacked two Canadian tourists with a knife outside a bar, police said.",
])
def test_a_private_person_placed_only_by_the_sentence_is_no_source(coder, text):
    # a name the reference data lacks, with no office or role, is a private person: the one
    # state the sentence names (by a bar, by tourists) makes them no political actor
    assert dyads(coder, text) == []


@pytest.mark.parametrize("text, target", [
    # a town the entity pass misses: the gazetteer reads proper nouns no actor or place covers
    ("Russian artillery shelled Kherson overnight, the regional governor said.", "UKR"),
    ("Israeli aircraft bombed Khan Yunis on Sunday.", "PSE"),
    # force on a place with no actor hit (territory_struck): the place in the act's phrase
    ("Russian missiles struck a hospital in Kharkiv on Tuesday, killing four people.", "UKR"),
    ("Israeli jets bombed a refugee camp in Rafah overnight, Palestinian medics said.", "PSE"),
], ids=["town-missed", "town-missed-2", "place-of-object", "place-of-object-2"])
def test_force_on_a_place_is_aimed_at_its_state(coder, text, target):
    found = dyads(coder, text)
    assert any(t == "ASSAULT" and g == target for _, t, g in found), found


def test_force_on_a_place_of_the_doers_own_state_gets_no_target_from_it(coder):
    found = dyads(coder, "Nigerian jets bombed a forest camp near Maiduguri on Sunday.")
    assert not any(t == "ASSAULT" and g == "NGA" for _, t, g in found), found


def test_an_event_noun_as_subject_of_an_act_of_its_type_is_one_event(coder):
    # "a Russian air strike destroyed ...": the strike and the destroying are one fact
    found = dyads(coder, "A Russian air strike destroyed a power station in Kharkiv, the "
                         "governor said.")
    assert [d for d in found if d[1] == "ASSAULT"] == [("RUS", "ASSAULT", "UKR")], found


def test_a_list_of_subjects_the_parser_split_is_one_side_of_many(coder):
    # the parser hangs the last of "X, Y, and Z" on the verb as a second subject
    found = dyads(coder, "Delegates from the Philippines, Vietnam, and Malaysia held talks in "
                         "Manila on Monday.")
    assert found and all(s.count("+") == 2 and t == "" for s, _, t in found), found


def test_an_act_named_only_as_the_topic_of_another_is_background(coder):
    coding = coder.code("Questions were raised about Erdogan's meeting with Syrian President "
                        "Bashar al-Assad in Moscow.", DAY, doc_id="t")
    met = [e for e in coding.events if e.trigger["text"] == "meeting"]
    assert met and all(e.background for e in met)


def test_an_act_named_as_what_a_record_or_an_aftermath_is_of_is_background(coder):
    # "in the wake of Russia's attack": the attack is what the news refers to, not reports
    coding = coder.code("Poland expelled three diplomats in the wake of Russia's attack on "
                        "the Ukrainian port.", DAY, doc_id="t")
    attack = [e for e in coding.events if e.trigger["text"] == "attack"]
    assert attack and all(e.background for e in attack)
    assert any(e.type == "SANCTION" and not e.background for e in coding.events)
    coding = coder.code("Russia's attack on the Ukrainian port killed four people, Kyiv said.",
                        DAY, doc_id="t")
    assert any(e.trigger["text"] == "attack" and not e.background for e in coding.events)


def test_an_unresolved_him_or_her_is_not_replaced_by_another_actor(coder):
    # "her" is the opposition leader, whom no actor stands for: the ranker does not make the
    # Lithuanian officials the ones beaten
    found = dyads(coder, "The opposition leader said Belarusian guards beat her while "
                         "Lithuanian officials watched.")
    assert ("BLR", "ASSAULT", "LTU") not in found
    assert [d for d in found if d[1] == "ASSAULT"] == [("BLR", "ASSAULT", "")]


def test_documents_coded_in_one_model_pass_give_what_each_gives_alone(coder):
    # the chunk's sentences go through the encoder together (batched by length): each
    # document must still get its own events and candidates, the same as coded alone
    texts = ["Japan shipped 40 armoured vehicles to the Philippines on Monday.",
             "Kenya condemned the shelling of the town by Ethiopian troops. Nairobi recalled "
             "its ambassador.",
             "The weather in Lisbon was mild on Sunday.",
             "Poland expelled three diplomats in the wake of Russia's attack on the port."]

    def seen(coding):
        return ([("+".join(e.source_codes), e.type, "+".join(e.target_codes),
                  e.trigger["text"], e.modality, e.background) for e in coding.events],
                [(c.sentence, c.lemma, c.type) for c in coding.candidates])

    together = coder.code_chunk([(f"d{i}", t, DAY) for i, t in enumerate(texts)])
    alone = [coder.code(t, DAY, doc_id=f"d{i}") for i, t in enumerate(texts)]
    assert [c.doc_id for c in together] == [f"d{i}" for i in range(len(texts))]
    assert [seen(c) for c in together] == [seen(c) for c in alone]
    assert seen(together[0])[0] and not seen(together[2])[0]
