"""The shipped event model: its fine-tuned encoder runs as it was trained."""

import json
import os
import subprocess
import sys
from importlib.resources import files

import numpy
import pytest

from blocwatch.events.model import EventModel, model_path
from blocwatch.events.train import REFERENCE, reference_gap


@pytest.fixture(scope="module")
def model() -> EventModel:
    return EventModel.load(model_path("accurate"))


def test_the_runtime_path_reproduces_the_probabilities_of_training(model):
    """onnxruntime over the float16-stored layers, the embeddings read from the wheel, the
    hidden layers and heads in numpy: the probabilities torch gave the same candidates at the
    end of fine-tuning (written by make model beside the model)."""
    ref = files("blocwatch").joinpath("data/events", REFERENCE)
    rows = [json.loads(line) for line in ref.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 8 and model.encoder_path is not None and model.encoder_path.exists()
    assert reference_gap(model, rows) < 0.02


def test_a_shifted_span_changes_the_vectors(model):
    """The span vectors come from the pieces the span covers: another span, another vector
    (so a test of the reference is not passed by vectors that ignore the spans)."""
    from blocwatch.events.encoder import get_encoder

    enc = get_encoder(str(model.encoder_path))
    text = "Germany delivered 14 tanks to Ukraine on Monday."
    pooled, vecs = enc.encode_spans([text], [[(0, 7), (30, 37), (0, 0)]], normalise=False)
    assert pooled.shape == (1, 384)
    assert not numpy.allclose(vecs[0][0], vecs[0][1])
    assert not vecs[0][2].any()  # an empty span has no vector


def test_the_fine_tuned_model_judges_an_act_and_a_non_act(model):
    """End to end through the pipeline: an act of one state on another is an event of the
    right type and direction; a ceremony is none."""
    from datetime import date

    from blocwatch.pipeline import DocumentCoder

    coder = DocumentCoder(model=model)
    day = date(2024, 3, 4)
    act = coder.code("Germany delivered 14 tanks to Ukraine on Monday, the defence ministry "
                     "in Berlin said.", day, doc_id="a")
    assert [(e.type, e.source_codes, e.target_codes) for e in act.events] == [
        ("AID", ["DEU"], ["UKR"])]
    assert not coder.code("The mayor of Lyon opened a new library on Monday.", day,
                          doc_id="b").events


_FEATURE_ORDER = """
import json, sys
from blocwatch.actors import get_coder
from blocwatch.passes import Passes
from blocwatch.events.candidates import frames
from blocwatch.events.model import features
dp = Passes(get_coder()).run([("t", sys.argv[1], None)], parse_all=True)[0]
print(json.dumps([list(features(v, f)[0]) for v in dp.views for f in frames(v)]))
"""


def test_features_come_in_the_same_order_whatever_the_string_hashes():
    # training sums a candidate's features in the order they are listed: if that order
    # followed Python's per-process string hashes, two `make model` runs would differ
    text = ("Soldiers and riot police in Harare herded thousands of opposition supporters "
            "into stadiums on Sunday.")
    runs = []
    for seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-c", _FEATURE_ORDER, text], check=True,
                             capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        runs.append(json.loads(out.stdout))
    assert any(any(k.startswith("src_sector=") for k in f) for f in runs[0])
    assert runs[0] == runs[1] == runs[2]
