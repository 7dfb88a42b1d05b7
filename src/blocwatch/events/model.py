"""The learned judge of what happened: for each candidate frame, event or not, type and mode,
modality, new or background.

Features of a candidate (:func:`features`):

* syntax around the trigger: its lemma, part of speech and dependency; the object's head, the
  particle, the prepositions; how each role was read (subject, agent, object, prep:to …) and
  what the actors are (state, person, group; sector); the governing verb ("agreed to", "refused
  to"), negation, auxiliaries, clause markers ("if", "after"); the rule reading of modality
  (:mod:`blocwatch.modality`) and of a dated background clause;
* meaning: MiniLM vectors (:mod:`blocwatch.events.encoder`) of the sentence and of the
  trigger, source and target in it. The shipped model fine-tunes the encoder on our corpus and
  reads these vectors through a hidden layer (``layers``); the linear variants read the frozen
  encoder's vectors, and the phrase vector of the frame with the actors replaced by what they
  are ("the country sent troops to the country").

Heads for type (with NONE), mode, modality and background, each with the sparse features as a
linear bypass, and the target ranker (:mod:`blocwatch.events.targets`); trained by ``make
model`` from our own corpus only, never from ../shared/data. The weights are plain numpy
arrays in one ``.npz`` (the fine-tuned layers in an ONNX file beside it); prediction needs
numpy, scipy and onnxruntime, not torch.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy
from spacy.tokens import Token

from blocwatch.events.candidates import Frame
from blocwatch.events.view import Arg, SentenceView
from blocwatch.modality import decide_modality

NONE = "NONE"
MODALITIES = ("asserted", "reported", "intended", "speculative", "negated", "hypothetical")
MODEL_FILE = "data/events/model.npz"
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_TIME_PREPS = frozenset({"after", "since", "following", "before", "during", "amid", "until",
                         "prior"})


# ============================================================================ features

def _kind(args: list[Arg]) -> str:
    if not args:
        return "none"
    a = args[0]
    if a.kind == "place":
        return "place"
    if a.code is None:
        return f"uncoded-{a.kind}"
    return a.kind


def _role_word(args: list[Arg]) -> str:
    """What the phrase encoding says in place of an actor's name."""
    kind = _kind(args)
    sector = args[0].sector if args else None
    if kind == "none":
        return ""
    if sector in ("MIL", "REB", "ISM", "SEP", "UAF"):
        return "the forces"
    if sector in ("CVL", "REF", "LAB", "EDU", "HLH"):
        return "the people"
    if sector in ("OPP", "PTY"):
        return "the opposition"
    if sector in ("COP",):
        return "the police"
    if kind == "person":
        return "the leader"
    if kind in ("igo", "organisation"):
        return "the organisation"
    if kind == "group":
        return "the group"
    if kind == "place":
        return "the city"
    return "the country"


def owned_object(frame: Frame) -> Token | None:
    """The object noun whose owner is the target ("shoring up Egypt's reserves", "backed the
    Malian army's offensive"): the parse reads the owner as the one acted upon, and the noun
    says what of it was acted on."""
    t = frame.target
    if frame.kind != "verb" or t.token is None or not t.args:
        return None
    if t.how.startswith("object-") and frame.object is not None:
        return frame.object  # "branded Ethiopia's offensive a crime": the owner's act
    if t.how != "object" or any(a.start <= t.token.i < a.end for a in t.args):
        return None  # the object is the actor itself ("supported Ukraine")
    return t.token


def _modifiers(tok: Token, keep: int = 2) -> list[str]:
    mods = [c.text.lower() for c in tok.children
            if c.dep_ in ("amod", "compound") and c.i < tok.i and not c.ent_type_
            and c.pos_ in ("ADJ", "NOUN")]
    return mods[-keep:]


def _possessive(words: str) -> str:
    return words + ("'" if words.endswith("s") else "'s")


def phrase_text(frame: Frame) -> str:
    """The frame as a short clause with the actors replaced by what they are; an owner is
    written as one ("the country's conflict with the country")."""
    src = _role_word(frame.source.args)
    tgt = _role_word(frame.target.args)
    trig = frame.trigger
    owned = owned_object(frame)
    if owned is not None and tgt:
        tgt = " ".join([_possessive(tgt), *_modifiers(owned), owned.text.lower()])
    words: list[str] = []
    if frame.kind == "noun":
        if src and frame.source.how in ("poss", "modifier"):  # "supporting the country's
            src = _possessive(src)  # campaign": the owner goes with its noun
            words.extend(w for w in (frame.carrier.text.lower() if frame.carrier is not None
                                     else None, src) if w)
            src = ""
        elif frame.carrier is not None:
            words.append(frame.carrier.text.lower())
        words.extend(c.text.lower() for c in trig.children
                     if c.dep_ in ("amod", "compound") and c.i < trig.i
                     and not c.ent_type_ and c.pos_ in ("ADJ", "NOUN"))
        words.append(trig.text.lower())
    else:
        words.extend(c.text.lower() for c in trig.children if c.dep_ == "neg")
        words.append(trig.text.lower())
        words.extend(c.text.lower() for c in trig.children if c.dep_ == "prt")
        if frame.object is not None and frame.object is not owned:
            words.extend(_modifiers(frame.object))
            words.append(frame.object.text.lower())
    prep = frame.target.how.rsplit(":", 1)[-1] if frame.target.how.startswith(
        ("prep:", "carrier-prep:")) else "as" if frame.target.how == "predicative" else ""
    parts = [src] if src else []
    parts += words
    if tgt:
        parts += ([prep] if prep else []) + [tgt]
    return " ".join(parts)


def _lemma(tok: Token | None) -> str:
    return tok.lemma_.lower() if tok is not None else ""


#: Features that name words (the rest describe syntax, actors and cues): ``sparse="syntax"``
#: leaves them to the encoder, which generalises past the corpus writers' wording.
LEXICAL = ("lemma=", "obj=", "lemma+obj=", "carrier=", "carrier+lemma=", "gov=", "lemma+prep=",
           "lemma+prt=", "prt=")


def features(view: SentenceView, frame: Frame, sparse: str = "all"
             ) -> tuple[dict[str, float], str, str]:
    """Sparse features of a candidate, the modality rule's reading and its attribution."""
    f, mod, attribution = _features(view, frame)
    if sparse == "syntax":
        f = {k: v for k, v in f.items() if not k.startswith(LEXICAL)}
    elif sparse == "none":
        f = {k: v for k, v in f.items() if k.startswith("rule_modality=")}
    return f, mod, attribution


def _features(view: SentenceView, frame: Frame) -> tuple[dict[str, float], str, str]:
    t = frame.trigger
    lem = _lemma(t)
    f: dict[str, float] = {
        f"lemma={lem}": 1.0, f"kind={frame.kind}": 1.0, f"dep={t.dep_}": 1.0,
        f"tag={t.tag_}": 1.0, f"src_how={frame.source.how or 'none'}": 1.0,
        f"tgt_how={frame.target.how or 'none'}": 1.0,
        f"src_kind={_kind(frame.source.args)}": 1.0, f"tgt_kind={_kind(frame.target.args)}": 1.0,
    }
    for side, args in (("src", frame.source.args), ("tgt", frame.target.args)):
        # sorted: training sums features in the order listed, and set order follows the
        # per-process string hashes
        for s in sorted({a.sector for a in args if a.sector}):
            f[f"{side}_sector={s}"] = 1.0
        if len(args) > 1:
            f[f"{side}_many"] = 1.0
    if frame.source.args and frame.target.args and \
            set(frame.source.codes) & set(frame.target.codes):
        f["same_code"] = 1.0
    if frame.joint:
        f["joint"] = 1.0
    if frame.passive:
        f["passive"] = 1.0
    obj = frame.object if frame.object is not None else owned_object(frame)
    if obj is not None:
        f[f"obj={_lemma(obj)}"] = 1.0
        f[f"lemma+obj={lem}+{_lemma(obj)}"] = 1.0
        if obj is not frame.object:
            f["obj_owned_by_target"] = 1.0
    if frame.carrier is not None:
        f[f"carrier={_lemma(frame.carrier)}"] = 1.0
        f[f"carrier+lemma={_lemma(frame.carrier)}+{lem}"] = 1.0
    if frame.governor is not None:
        f[f"gov={_lemma(frame.governor)}"] = 1.0
        f[f"gov_dep={t.dep_}"] = 1.0
    for p in frame.preps:
        f[f"prep={p}"] = 1.0
        f[f"lemma+prep={lem}+{p}"] = 1.0
    for c in t.children:
        if c.dep_ == "prt":
            f[f"prt={c.lower_}"] = 1.0
            f[f"lemma+prt={lem}+{c.lower_}"] = 1.0
        elif c.dep_ == "neg":
            f["neg"] = 1.0
        elif c.dep_ in ("aux", "auxpass"):
            f[f"aux={c.lower_}"] = 1.0
        elif c.dep_ == "mark":
            f[f"mark={c.lower_}"] = 1.0
        elif c.dep_ == "poss" and c.pos_ == "PRON":
            f["poss_pronoun"] = 1.0
    head = t.head
    if t.dep_ == "pobj" and head.dep_ == "prep":
        f[f"under_prep={head.lower_}"] = 1.0
        if head.lower_ in _TIME_PREPS:
            f["time_prep"] = 1.0
    # a year in the trigger's own clause, before the publication year: history
    years = [int(y) for y in _YEAR.findall(" ".join(w.text for w in t.subtree))]
    if frame.carrier is not None:
        years += [int(y) for y in _YEAR.findall(" ".join(w.text for w in frame.carrier.subtree))]
    if years and view.published is not None:
        if min(years) < view.published.year:
            f["past_year"] = 1.0
        else:
            f["this_year"] = 1.0
    mod = decide_modality(view.doc, t)
    f[f"rule_modality={mod.value}"] = 1.0
    if mod.cue:
        f[f"rule_cue={mod.cue.lower()}"] = 1.0
    return f, mod.value, mod.attribution or ""


def _span(view: SentenceView, args: list[Arg]) -> tuple[int, int]:
    if not args:
        return (0, 0)
    a = view.doc[args[0].start]
    z = view.doc[args[0].end - 1]
    return (a.idx, z.idx + len(z.text))


def dense_inputs(items: Sequence[tuple[SentenceView, Frame]], parts: Sequence[str],
                 encoder=None, normalise: bool = True) -> numpy.ndarray:
    """The encoder's vectors of each candidate, in the order of ``parts``: ``phrase`` (the
    frame as a short clause), ``sentence`` (the whole sentence), ``trigger``, ``source`` and
    ``target`` (contextual vectors of those words in their sentence)."""
    if not parts:
        return numpy.zeros((len(items), 0), numpy.float32)
    if encoder is None:
        from blocwatch.events.encoder import get_encoder
        encoder = get_encoder()
    blocks: dict[str, numpy.ndarray] = {}
    if "phrase" in parts:
        blocks["phrase"] = encoder.encode([phrase_text(fr) for _, fr in items])
    contextual = [p for p in ("trigger", "source", "target") if p in parts]
    if "sentence" in parts or contextual:
        texts: list[str] = []
        spans: list[list[tuple[int, int]]] = []
        where: dict[int, int] = {}
        slots: list[tuple[int, int]] = []
        for v, fr in items:
            k = where.setdefault(id(v), len(texts))
            if k == len(texts):
                texts.append(v.text)
                spans.append([])
            t = fr.trigger
            own = {"trigger": (t.idx, t.idx + len(t.text)),
                   "source": _span(v, fr.source.args), "target": _span(v, fr.target.args)}
            slots.append((k, len(spans[k])))
            spans[k].extend(own[p] for p in contextual)
        pooled, vecs = encoder.encode_spans(texts, spans, normalise=normalise)
        if "sentence" in parts:
            blocks["sentence"] = numpy.vstack([pooled[k] for k, _ in slots])
        for j, p in enumerate(contextual):
            blocks[p] = numpy.vstack([vecs[k][first + j] for k, first in slots])
    return numpy.hstack([blocks[p] for p in parts]).astype(numpy.float32)


# ============================================================================ the model

def _gelu(h: numpy.ndarray) -> numpy.ndarray:
    """GELU as torch computes it (with erf, not the tanh approximation)."""
    from scipy.special import erf

    return (0.5 * h * (1.0 + erf(h / numpy.sqrt(2.0)))).astype(numpy.float32)


#: Told as fact, by the writer or by a named source: the head decides whether an act is told as
#: fact; whether it is attributed is read from the words ("officials said", "according to").
FACTUAL = frozenset({"asserted", "reported"})

@dataclass
class Head:
    """One multinomial logistic regression: classes, sparse weights by feature, dense weights."""

    classes: list[str]
    sparse: dict[str, numpy.ndarray]  # feature -> weights over classes
    dense: numpy.ndarray  # (dim, classes)
    bias: numpy.ndarray  # (classes,)

    def scores(self, feats: list[dict[str, float]], dense: numpy.ndarray) -> numpy.ndarray:
        z = numpy.tile(self.bias, (len(feats), 1))
        if self.dense.size:
            z += dense @ self.dense
        for i, f in enumerate(feats):
            for name, value in f.items():
                w = self.sparse.get(name)
                if w is not None:
                    z[i] += value * w
        z -= z.max(axis=1, keepdims=True)
        p = numpy.exp(z)
        return p / p.sum(axis=1, keepdims=True)


@dataclass
class Prediction:
    type: str  # NONE when no event
    p_event: float
    p_type: float
    mode: str | None
    modality: str
    attribution: str | None
    background: bool
    rule_modality: str


class EventModel:
    """The trained heads and how to turn candidates into their inputs."""

    def __init__(self, heads: dict[str, Head], config: dict,
                 layers: dict[str, numpy.ndarray] | None = None, where: Path | None = None):
        self.heads = heads
        self.config = config
        #: Weights between the encoder and the heads ("hidden.W", "hidden.b": the fine-tuned
        #: model's hidden layer); empty for the linear models.
        self.layers = layers or {}
        #: The fine-tuned encoder file (config "encoder", beside the model file), or None for
        #: the pretrained encoder of the wheel.
        self.encoder_path: Path | None = (where / config["encoder"]) if config.get(
            "encoder") and where is not None else None
        self.dense_parts: tuple[str, ...] = tuple(config.get("dense", ()))
        self.sparse: str = config.get("sparse", "all")
        self.gate_threshold: float = float(config.get("gate_threshold", 0.0))
        self.threshold: float = float(config.get("threshold", 0.5))
        self.version: str = config.get("version", "untrained")

    @property
    def chooser(self):
        """The learned target ranker (:mod:`blocwatch.events.targets`), when trained."""
        head = self.heads.get("target")
        if head is None:
            return None
        from blocwatch.events.targets import TargetChooser

        need = float(self.config.get("target_threshold", 0.5))
        return TargetChooser(head, need, float(self.config.get("target_threshold_optional",
                                                               need)),
                             self.target_dense if "target_hidden.W" in self.layers else None,
                             self.config.get("target_override"))

    def target_dense(self, view: SentenceView, frame: Frame, args: Sequence[Arg]
                     ) -> numpy.ndarray:
        """The ranker's view of each actor: the trigger's and the actor's vectors in their
        sentence, and their product, through the ranker's hidden layer (the encoder keeps
        the sentence's pass, so this costs no second pass)."""
        from blocwatch.events.encoder import get_encoder

        t = frame.trigger
        spans = [(t.idx, t.idx + len(t.text))] + [_span(view, [a]) for a in args]
        _, vecs = get_encoder(str(self.encoder_path)).encode_spans([view.text], [spans],
                                                                   normalise=False)
        return self.target_hidden(vecs[0][:1], vecs[0][1:])

    def target_hidden(self, trigger: numpy.ndarray, actors: numpy.ndarray) -> numpy.ndarray:
        """The ranker's hidden layer over one trigger vector and each actor's vector."""
        x = numpy.hstack([numpy.repeat(trigger, len(actors), axis=0), actors, trigger * actors])
        return _gelu(x @ self.layers["target_hidden.W"] + self.layers["target_hidden.b"])

    # ------------------------------------------------------------------ inputs

    def inputs(self, items: Sequence[tuple[SentenceView, Frame]], encoder=None
               ) -> tuple[list[dict[str, float]], numpy.ndarray, list[tuple[str, str]]]:
        feats, rules = self._sparse(items)
        return feats, self.dense(items, encoder), rules

    def dense(self, items: Sequence[tuple[SentenceView, Frame]], encoder=None
              ) -> numpy.ndarray:
        """What the heads see of the encoder: its vectors, through the hidden layer when the
        model has one. A model with its own (fine-tuned) encoder always uses that."""
        if self.encoder_path is not None:
            from blocwatch.events.encoder import get_encoder

            encoder = get_encoder(str(self.encoder_path))
        x = dense_inputs(items, self.dense_parts, encoder,
                         normalise=self.encoder_path is None)
        return self.hidden(x)

    def hidden(self, x: numpy.ndarray) -> numpy.ndarray:
        """The hidden layer (GELU, as trained) when there is one."""
        if "hidden.W" not in self.layers or not len(x):
            return x
        return _gelu(x @ self.layers["hidden.W"] + self.layers["hidden.b"])

    def _sparse(self, items: Sequence[tuple[SentenceView, Frame]]
                ) -> tuple[list[dict[str, float]], list[tuple[str, str]]]:
        feats, rules = [], []
        for view, frame in items:
            f, mod, attribution = features(view, frame, self.sparse)
            feats.append(f)
            rules.append((mod, attribution))
        return feats, rules

    # ------------------------------------------------------------------ prediction

    def predict(self, items: Sequence[tuple[SentenceView, Frame]], encoder=None
                ) -> list[Prediction]:
        """Judge candidates. With a gate (a cheap model over the sparse features alone), the
        candidates it is sure are no event skip the encoder: most sentences of real news hold
        no event, and the encoder is the costly part."""
        if not items:
            return []
        gate = self.heads.get("gate")
        if gate is None:
            feats, dense, rules = self.inputs(items, encoder)
            return self.predict_inputs(feats, dense, rules)
        feats, rules = self._sparse(items)
        pg = gate.scores(feats, numpy.zeros((len(items), gate.dense.shape[0]), numpy.float32))
        p_gate = pg[:, gate.classes.index("event")]
        keep = [i for i in range(len(items)) if p_gate[i] >= self.gate_threshold]
        out: list[Prediction | None] = [None] * len(items)
        if keep:
            dense = self.dense([items[i] for i in keep], encoder)
            judged = self.predict_inputs([feats[i] for i in keep], dense,
                                         [rules[i] for i in keep])
            for i, p in zip(keep, judged, strict=True):
                out[i] = p
        for i in range(len(items)):
            if out[i] is None:
                out[i] = Prediction(NONE, round(float(p_gate[i]), 4), 0.0, None, rules[i][0],
                                    rules[i][1] or None, False, rules[i][0])
        return out  # type: ignore[return-value]

    def predict_inputs(self, feats, dense, rules) -> list[Prediction]:
        ptype = self.heads["type"].scores(feats, dense)
        classes = self.heads["type"].classes
        none = classes.index(NONE)
        pmode = self.heads["mode"].scores(feats, dense)
        pmod = self.heads["modality"].scores(feats, dense)
        pbg = self.heads["background"].scores(feats, dense)
        mode_classes = self.heads["mode"].classes
        out = []
        for i in range(len(feats)):
            p_event = 1.0 - float(ptype[i, none])
            row = ptype[i].copy()
            row[none] = -1
            best = int(row.argmax())
            type_ = classes[best] if p_event >= self.threshold else NONE
            mode = None
            if type_ != NONE:
                allowed = [j for j, c in enumerate(mode_classes) if c.startswith(type_ + ":")]
                if allowed:
                    j = max(allowed, key=lambda k: pmode[i, k])
                    mode = mode_classes[j].split(":", 1)[1] or None
            modality = self.heads["modality"].classes[int(pmod[i].argmax())]
            rule_mod, attribution = rules[i]
            if modality in FACTUAL and rule_mod in FACTUAL:
                modality = rule_mod  # who says so is in the words: the attribution rule decides
            elif rule_mod == "negated":
                modality = rule_mod  # a "not", "never", "denied" on the act itself
            elif feats[i].get("rule_cue=?"):
                modality = rule_mod  # a question asks; it reports no act as done
            out.append(Prediction(
                type_, round(p_event, 4), round(float(ptype[i, best]), 4), mode, modality,
                attribution or None, self.heads["background"].classes[int(pbg[i].argmax())]
                == "background", rule_mod))
        return out

    def set_threshold(self, value: float | str) -> None:
        """Use another event threshold than the trained one (the operating point: the shipped
        one favours precision, docs/event-model.md). The extractor name records it."""
        try:
            t = float(value)
        except ValueError:
            raise ValueError(f"event threshold {value!r} is not a number") from None
        if not 0.0 < t < 1.0:
            raise ValueError(f"event threshold {value!r} must lie between 0 and 1")
        if t != self.threshold:
            self.threshold = t
            self.version = f"{self.config.get('version', 'untrained')}@{t:g}"

    # ------------------------------------------------------------------ storage

    def save(self, path: str | Path) -> None:
        arrays: dict[str, numpy.ndarray] = {}
        meta = {"config": self.config, "heads": {}}
        for name, h in self.heads.items():
            names = sorted(h.sparse)
            arrays[f"{name}.sparse"] = (numpy.vstack([h.sparse[n] for n in names])
                                        if names else numpy.zeros((0, len(h.classes))))
            arrays[f"{name}.dense"] = h.dense
            arrays[f"{name}.bias"] = h.bias
            meta["heads"][name] = {"classes": h.classes, "features": names}
        for name, a in self.layers.items():
            arrays[f"layer.{name}"] = a
        arrays["meta"] = numpy.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"),
                                          dtype=numpy.uint8)
        with open(path, "wb") as fh:
            numpy.savez_compressed(fh, **{k: v.astype(numpy.float32) if v.dtype.kind == "f"
                                          else v for k, v in arrays.items()})

    @classmethod
    def load(cls, path: str | Path) -> EventModel:
        with numpy.load(path, allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            heads = {}
            for name, h in meta["heads"].items():
                sparse = z[f"{name}.sparse"]
                heads[name] = Head(h["classes"],
                                   {f: sparse[i] for i, f in enumerate(h["features"])},
                                   z[f"{name}.dense"], z[f"{name}.bias"])
            layers = {k[len("layer."):]: z[k] for k in z.files if k.startswith("layer.")}
        return cls(heads, meta.get("config", {}), layers, Path(path).parent)


MODEL_ENV = "BLOCWATCH_EVENT_MODEL"
#: Overrides the trained event threshold: lower for recall, higher for precision.
THRESHOLD_ENV = "BLOCWATCH_EVENT_THRESHOLD"


#: The models ``make model`` ships, by name: ``accurate`` (sparse features and the sentence
#: encoder, the default) and ``fast`` (sparse features alone: no encoder, faster, less valid;
#: docs/event-model.md has both measured).
SHIPPED = {"accurate": MODEL_FILE, "fast": "data/events/model-fast.npz"}


def model_path(name: str | None = None) -> str:
    """A shipped model by name, or a file path (``BLOCWATCH_EVENT_MODEL`` or the config's
    ``event_model``, else the accurate model)."""
    name = name or os.environ.get(MODEL_ENV) or "accurate"
    if name in SHIPPED:
        return str(files("blocwatch").joinpath(SHIPPED[name]))
    return name


@lru_cache(maxsize=1)
def default_model() -> EventModel:
    """The model in use: ``BLOCWATCH_EVENT_MODEL`` (a shipped name or a file), else the
    accurate model built by ``make model``."""
    model = EventModel.load(model_path())
    if os.environ.get(THRESHOLD_ENV):
        model.set_threshold(os.environ[THRESHOLD_ENV])
    return model
