"""PLOVER vocabulary: types, modes, CAMEO codes, classes, scores, and the published crosswalk."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
import yaml

from blocwatch.plover import PLOVER_TYPES, PloverError, load_plover, read_crosswalk
from tests.conftest import SHARED


@pytest.fixture(scope="module")
def plover():
    return load_plover()


def test_the_sixteen_types(plover):
    assert plover.types == PLOVER_TYPES
    assert len(plover.types) == 16
    for t in plover.types:
        assert plover.definition(t)
        assert plover.modes(t), t
        for mode in plover.modes(t):
            assert plover.definition(t, mode)


def test_modes(plover):
    assert {"economic", "military", "humanitarian", "personnel"} <= set(plover.modes("AID"))
    assert {"beat", "firearms", "bombing", "aerial", "drone", "heavy-weapons", "cbrn", "sexual",
            "torture"} <= set(plover.modes("ASSAULT"))
    assert {"seize", "arrest", "deport", "restrict", "censor", "cyber"} <= set(
        plover.modes("COERCE"))
    assert {"phone", "visit", "host", "third-party", "multilateral"} <= set(
        plover.modes("CONSULT"))


@pytest.mark.parametrize(("type_", "mode", "code"), [
    ("AGREE", None, "030"),
    ("CONSULT", "phone", "041"),
    ("CONSULT", "visit", "042"),
    ("SUPPORT", None, "050"),
    ("COOPERATE", "military", "062"),
    ("AID", "economic", "071"),
    ("AID", "military", "072"),
    ("AID", "humanitarian", "073"),
    ("RETREAT", "ceasefire", "0871"),
    ("REQUEST", None, "020"),
    ("REQUEST", "demand", "100"),
    ("ACCUSE", "investigate", "090"),
    ("REJECT", "veto", "129"),
    ("THREATEN", "force", "138"),
    ("PROTEST", "demo", "141"),
    ("SANCTION", "embargo", "163"),
    ("MOBILIZE", "troops", "154"),
    ("COERCE", "arrest", "173"),
    ("COERCE", "occupy", "192"),
    ("ASSAULT", None, "190"),
    ("ASSAULT", "heavy-weapons", "194"),
    ("ASSAULT", "aerial", "195"),
    ("ASSAULT", "bombing", "183"),
    ("ASSAULT", "cbrn", "204"),
])
def test_cameo_codes(plover, type_, mode, code):
    assert plover.cameo(type_, mode) == code
    assert plover.cameo_root(type_, mode) == code[:2]


def test_intended_material_cooperation_is_cameo_intent(plover):
    # "North Korea's offer to send troops": CAMEO codes the offer, not the aid.
    assert plover.cameo("AID", "military", modality="intended") == "0332"
    assert plover.cameo("AID", "personnel", modality="intended") == "033"
    assert plover.cameo("COOPERATE", "economic", modality="intended") == "0311"
    assert plover.quad("AID", "military", modality="intended") == 1
    # Types without an intent code keep theirs.
    assert plover.cameo("ASSAULT", "aerial", modality="intended") == "195"


@pytest.mark.parametrize(("code", "score"), [
    ("01", 0.0), ("02", 3.0), ("03", 4.0), ("04", 1.0), ("05", 3.5), ("06", 6.0), ("07", 7.0),
    ("08", 5.0), ("09", -2.0), ("10", -5.0), ("11", -2.0), ("12", -4.0), ("13", -6.0),
    ("14", -6.5), ("15", -7.2), ("16", -4.0), ("17", -7.0), ("18", -9.0), ("19", -10.0),
    ("20", -10.0),
    ("072", 8.3), ("071", 7.4), ("042", 1.9), ("163", -8.0), ("173", -5.0), ("0874", 10.0),
    ("1384", -7.0),  # 4 digits not listed: takes 138
    ("1056", -5.0),  # takes the root when no parent is listed
])
def test_goldstein(plover, code, score):
    assert plover.goldstein(code) == score


def test_every_code_has_a_score_within_the_scale(plover):
    for t in plover.types:
        for mode in (None, *plover.modes(t)):
            assert -10 <= plover.goldstein(plover.cameo(t, mode)) <= 10
    assert plover.goldstein(plover.cameo("ASSAULT")) < plover.goldstein(plover.cameo("ACCUSE"))
    assert plover.goldstein(plover.cameo("AID")) > plover.goldstein(plover.cameo("CONSULT"))


def test_quad_and_penta_classes(plover):
    assert [plover.quadclass(f"{i:02d}") for i in range(1, 21)] == \
        [1] * 5 + [2] * 3 + [3] * 5 + [4] * 7
    assert [plover.pentaclass(f"{i:02d}0") for i in range(1, 21)] == \
        [0] * 2 + [1] * 3 + [2] * 3 + [3] * 5 + [4] * 7
    assert plover.quad("AID", "military") == 2
    assert plover.quad("ASSAULT", "drone") == 4
    assert plover.quad("REQUEST", "demand") == 3
    # PLOVER's own grouping, in the order of its type list.
    assert [plover.plover_quad(t) for t in plover.types] == \
        [1] * 4 + [2] * 3 + [3] * 4 + [4] * 5


def test_score_for_event_json(plover):
    assert plover.score("AID", "military") == {"cameo": "072", "quad": 2, "goldstein": 8.3}


def test_aliases(plover):
    assert plover.normalize("FIGHT", "shelling") == ("ASSAULT", "heavy-weapons")
    assert plover.normalize("demand") == ("REQUEST", None)
    assert plover.normalize("PROTEST", "demo-spon") == ("PROTEST", "demo")
    assert plover.cameo("aid", "Military") == "072"
    with pytest.raises(KeyError):
        plover.cameo("AID", "telepathy")
    with pytest.raises(KeyError):
        plover.cameo("PRAISE")
    with pytest.raises(KeyError):
        plover.goldstein("21")


@pytest.mark.parametrize(("code", "expected"), [
    ("072", ("AID", "military")),
    ("0332", ("AGREE", "aid")),
    ("1053", ("REQUEST", "yield")),
    ("100", ("REQUEST", "demand")),
    ("112", ("ACCUSE", "allege")),
    ("1123", ("ACCUSE", "allege")),
    ("190", ("ASSAULT", None)),
    ("19", ("ASSAULT", None)),
    ("194", ("ASSAULT", "heavy-weapons")),
    ("191", ("COERCE", "blockade")),
    ("0874", ("RETREAT", "withdraw")),
    ("080", ("CONCEDE", None)),
    ("040", ("CONSULT", None)),
    ("010", None),
])
def test_from_cameo(plover, code, expected):
    assert plover.from_cameo(code) == expected


def test_round_trip(plover):
    """A mode's own CAMEO code reads back to it, unless two modes share a code."""
    for t in plover.types:
        for mode in plover.modes(t):
            code = plover.cameo(t, mode)
            back = plover.from_cameo(code)
            assert back is not None and back[0] == t or code == plover.cameo(back[0]), (t, mode)


def _raw() -> dict:
    return yaml.safe_load(files("blocwatch").joinpath("data/plover.yaml").read_text("utf-8"))


@pytest.mark.parametrize("breakage", [
    lambda raw: raw["types"].pop("AID"),
    lambda raw: raw["types"]["AID"]["modes"]["military"].update(cameo="7x2"),
    lambda raw: raw["types"]["AID"]["modes"]["military"].update(cameo="212"),
    lambda raw: raw["types"]["AID"].update(definition=""),
    lambda raw: raw["types"]["ASSAULT"]["mode_aliases"].update(shelling="artillery-duel"),
    lambda raw: raw["cameo_roots"]["13"].pop("goldstein"),
    lambda raw: raw["goldstein"].update({"072": 12.0}),
    lambda raw: raw["type_aliases"].update(PRAISE="ADMIRE"),
    lambda raw: raw["quadclass"][1].append("06"),
])
def test_validation_on_load(tmp_path, breakage):
    raw = _raw()
    breakage(raw)
    path = tmp_path / "plover.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(PloverError):
        load_plover(path)


def test_packaged_file_loads_from_a_path(tmp_path):
    path = tmp_path / "plover.yaml"
    path.write_text(yaml.safe_dump(_raw()), encoding="utf-8")
    assert load_plover(path).cameo("AID", "military") == "072"


# -- against the published crosswalk (shared evaluation data, read at test time only) -------

# Where blocwatch departs from the 2021 crosswalk on purpose:
#  163 (impose embargo/sanctions): SANCTION, as the word says (crosswalk: COERCE);
#  1712 (destroy property): COERCE, as the PLOVER gold records code it (crosswalk: ASSAULT);
#  0813/0814 (ease curfew, state of emergency): CONCEDE with the other easings (crosswalk:
#  RETREAT, noting that "ease" is no longer a RETREAT mode).
KNOWN_DIFFERENCES = {"163", "1712", "0813", "0814"}


def test_agrees_with_published_crosswalk(plover):
    path = SHARED / "data" / "plover_gsr" / "CAMEO2PLOVER-2021.txt"
    if not path.exists():
        pytest.skip(f"{path} not present")
    crosswalk = read_crosswalk(path)
    assert len(crosswalk) > 250
    differ = {code for code, (type_, _) in crosswalk.items()
              if (plover.from_cameo(code) or (None,))[0] != type_}
    assert differ == KNOWN_DIFFERENCES


def test_gold_record_modes_are_known(plover):
    path = SHARED / "data" / "plover_gsr" / "dev" / "PLOVER_GSR_CAMEO.dev.json"
    if not path.exists():
        pytest.skip(f"{path} not present")
    records = json.loads(path.read_text(encoding="utf-8"))
    for r in records:
        if r["event"] != "DOCUMENT":
            type_, _ = plover.normalize(r["event"], r.get("mode"))
            assert type_ in PLOVER_TYPES
