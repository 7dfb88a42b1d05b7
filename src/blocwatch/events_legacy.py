"""Event coding: who did what to whom, with the sentence that says so.

The events stage reads each sentence that names an actor and holds a trigger word, in its
dependency parse, and turns trigger + roles into PLOVER events:

* triggers are verbs ("sent", "imposed", "voiced") and event nouns ("support", "invasion",
  "sanctions"), kept as data in ``data/events/*.yaml`` with their argument frames: which
  dependents hold the target, what the object's class does to the type and mode ("send troops"
  vs "send money"), whether the verb only carries a noun ("imposed sanctions on");
* the source is the subject (the by-agent of a passive, the antecedent of "which", the
  possessor or modifier of an event noun, the controller of an infinitive); the target comes
  from the frame's roles; "X and Y" gives several actors; a reciprocal event ("X and Y met")
  has the same actors on both sides; both sides must be coded actors and differ;
* the modality comes from :func:`blocwatch.modality.decide_modality`; advice is no event, and
  speculation, plans and denials are kept but flagged, never passed off as fact. As in CAMEO,
  a refusal to commit or yield is a REJECT ("will not lift the ban") and an announced hostile
  act a THREATEN ("said they would boycott"); an offered cooperative act keeps its type and
  gets CAMEO's intent code (AID/military offered -> 0332);
* a joint act ("Russia and North Korea signed…", "talks between X and Y") lists the same
  actors as source and target (dyads skip the self-pairs); a state may act on its own
  non-state actors or territory (government on rebels, a curfew in its own town), never on
  itself; standing relations ("has traditionally supported") and statements PLOVER does not
  code ("denied the accusations") are no events;
* the quantity is the amount in the trigger's phrase; the date is the sentence's date
  expression nearest the trigger, else the publication date with ``date_precision``
  "published", else none; the location is a place under the trigger (gazetteer for its
  country); confidence multiplies how direct the roles are, how the actors were resolved,
  the modality and the trigger's specificity (see ``_confidence``).

Speed by design: spaCy's parser costs about as much as everything else together, so the cheap
actor pipeline (tokens, NER, sentence rule) runs on the whole text first, and only the
sentences with a coded actor and a trigger word are parsed, batched, in a second pass.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy
import yaml
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Token

from blocwatch import __version__
from blocwatch.actors import ActorCoder, Mention, Place
from blocwatch.annotate import ACTORS, disabled_for
from blocwatch.events.attributes import ACTOR_TRUST, MODALITY_TRUST, place_country
from blocwatch.events.attributes import place_name as _place_name
from blocwatch.events.records import DocumentCoding, Event
from blocwatch.modality import Modality, decide_modality
from blocwatch.passes import _trimmed
from blocwatch.plover import PLOVER_TYPES, Plover, load_plover
from blocwatch.quantities import Quantity, find_quantities
from blocwatch.timex import find_event_dates

DATA = "data/events"
STATEMENT = "STATEMENT"  # CAMEO 01 (make statement): no PLOVER type, so never an Event
_PARSE = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
_SUBJECTS = ("nsubj", "csubj")
_DEFIANCE = frozenset({"defiance", "protest", "opposition"})
# Dependents a deep search for a prepositional target may pass through (not clause borders).
_DEEP = frozenset({"dobj", "obj", "pobj", "prep", "xcomp", "compound", "appos", "conj",
                   "nmod", "attr", "oprd", "npadvmod", "acomp", "pcomp", "dative", "amod"})
_NOT_PREPS = frozenset({"dobj", "dative", "recipient", "purpose", "clause", "condition",
                        "complement", "place"})
_LOCATIVE = frozenset({"in", "into", "inside", "at", "near", "across", "throughout", "within",
                       "along", "outside", "off", "around", "over"})
_PRONOUNS = {"it": "it", "its": "it", "he": "person", "his": "person", "him": "person",
             "she": "person", "her": "person", "they": "any", "their": "any", "them": "any"}
_COOPERATIVE = frozenset({"AID", "SUPPORT", "COOPERATE", "MOBILIZE"})
_HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "PROTEST"})
_MUTUAL = frozenset({"AGREE", "CONSULT", "COOPERATE"})
_TIME_PREPS = frozenset({"after", "since", "following", "before", "during", "amid", "amidst"})
_POSTURE = frozenset({"prepared", "prepare", "preparing", "prepares", "ready", "poised"})
# Intent cues under which the act is done, not threatened: "attempted to assassinate",
# "approved the attacks", "ordered troops to fire", "decided to expel", "voted to impose".
_DONE = ("attempt", "tried", "try", "tries", "bid", "approv", "authori", "order", "decid",
         "vot", "resolv")
_RELATIVE = frozenset({"which", "who", "whom", "that", "whose"})
# Prepositions whose gerund is done by the governing verb's object: "accused X of supplying",
# "praised X for sending", "barred X from entering", "warned X against attacking".
_OBJECT_GERUND = frozenset({"of", "for", "from", "against"})
# Sectors that make an actor something other than its state: a government may act on them.
_NON_STATE = frozenset({"REB", "OPP", "CVL", "ISM", "PTY", "MED", "LAB", "EDU", "REF", "CRM",
                        "UAF", "BUS", "NGO", "ELI", "SEP", "JUD", "HLH", "LEG", "COP"})
# How much a role can be trusted to hold the actor it is read as (see `_confidence`).
_ROLE_TRUST = {"subject": 1.0, "agent": 1.0, "poss": 1.0, "by": 1.0, "from": 0.9,
               "modifier": 0.9, "carrier": 0.9, "controller": 0.85, "theme": 0.8,
               "relative": 0.95, "inverse": 0.9, "direct": 1.0, "purpose": 0.8,
               "reciprocal": 0.85, "place": 0.6, "inherited": 0.7, "discourse": 0.55}


# ============================================================================ output records

@dataclass(frozen=True)
class Candidate:
    """A trigger read in a parsed sentence, coded or not: what evaluation and debugging see."""

    sentence: int
    lemma: str
    type: str
    mode: str | None
    cameo: str
    start: int
    end: int
    depth: int  # steps from the trigger up to the root of its sentence
    weak: bool
    source: tuple[str, ...]
    target: tuple[str, ...]
    modality: str
    event: bool  # became an Event
    suppressed: bool  # absorbed by or deferred to another trigger


# ============================================================================ the lexicon

@dataclass(frozen=True)
class Frame:
    """One trigger word and how its event is read from the parse (see data/events/verbs.yaml)."""

    lemma: str
    pos: str  # "verb" or "noun"
    type: str | None
    mode: str | None
    target: tuple[str, ...]
    objects: tuple[tuple[str, str, str | None], ...] = ()  # (class, type, mode), in order
    objects_only: bool = False
    particle: tuple[str, ...] = ()
    reciprocal: bool = False
    light: bool = False
    defer: bool = False
    absorb: bool = False
    inverse_objects: bool = False
    theme_source: bool = False
    place: tuple[str, str | None] | None = None
    by_prep: tuple[tuple[str, str, str | None], ...] = ()
    weak: bool = False


class LexiconError(ValueError):
    """An event pattern file is malformed."""


@dataclass
class Lexicon:
    """Trigger frames, object classes and the word lists the role rules use."""

    verbs: dict[str, tuple[Frame, ...]]  # several frames when particles tell them apart
    nouns: dict[str, Frame]
    classes: dict[str, frozenset[str]]  # word or phrase -> classes
    phrases: dict[str, frozenset[str]]  # multi-word phrases, first word -> phrases
    modes_by_object: dict[str, tuple[tuple[str, str], ...]]
    xcomp_modes: dict[str, dict[str, str]]
    purpose_verbs: frozenset[str]
    background_adverbs: frozenset[str]
    ability_nouns: frozenset[str]
    object_control: frozenset[str]
    statement_verbs: frozenset[str]
    forms: frozenset[str]  # lower-case surface forms of every trigger (the parse pre-filter)
    version: str
    verb_forms: dict[str, str] = field(default_factory=dict)  # inflected form -> lemma
    noun_forms: dict[str, str] = field(default_factory=dict)
    travel_verbs: frozenset[str] = frozenset()  # "arrived for talks": who comes holds them

    def verb(self, tok: Token) -> Frame | None:
        """The verb frame of a token: the one whose particle it has ("call off", "pull out"),
        else one that needs none. Inflections the lemmatizer gets wrong ("staged" -> "stag")
        are read back through the generated forms."""
        frames = self._lookup(tok, self.verbs, self.verb_forms) or ()
        particles = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep")}
        for frame in frames:
            if frame.particle and particles & set(frame.particle):
                return frame
        return next((f for f in frames if not f.particle), None)

    def noun(self, tok: Token) -> Frame | None:
        return self._lookup(tok, self.nouns, self.noun_forms)

    @staticmethod
    def _lookup(tok: Token, table: dict, forms: dict[str, str]):
        lemma = tok.lemma_.lower()
        found = table.get(lemma) or table.get(tok.lower_)
        if found is None and tok.lower_ in forms:
            found = table.get(forms[tok.lower_])
        return found

    def classes_of(self, words: Iterable[str]) -> set[str]:
        """Classes of a bag of lower-case words (phrases of two or three words included)."""
        words = list(words)
        out: set[str] = set()
        for i, w in enumerate(words):
            out |= self.classes.get(w, frozenset())
            for phrase in self.phrases.get(w, ()):
                n = phrase.count(" ") + 1
                if " ".join(words[i:i + n]) == phrase:
                    out |= self.classes.get(phrase, frozenset())
        return out


def _pair(value, where: str) -> tuple[str, str | None]:
    if isinstance(value, str):
        type_, _, mode = value.partition("/")
        return type_, mode or None
    if isinstance(value, list | tuple) and 1 <= len(value) <= 2:
        return str(value[0]), (str(value[1]) if len(value) > 1 and value[1] else None)
    raise LexiconError(f"{where}: expected TYPE, TYPE/mode or [TYPE, mode], got {value!r}")


def _frame(lemma: str, pos: str, spec, defaults: dict[str, tuple[str, ...]],
           plover: Plover, where: str) -> Frame:
    if isinstance(spec, str):
        spec = dict(zip(("type", "mode"), _pair(spec, where), strict=True))
    if not isinstance(spec, dict):
        raise LexiconError(f"{where}: expected a mapping or TYPE/mode")
    unknown = set(spec) - {"type", "mode", "target", "objects", "objects_only", "particle",
                           "reciprocal", "light", "defer", "absorb", "inverse_objects",
                           "theme_source", "place", "by_prep", "weak"}
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    type_ = spec.get("type")
    mode = spec.get("mode")
    if type_ is not None:
        type_, mode = _checked(plover, type_, mode, where)
    objects = []
    for cls, value in (spec.get("objects") or {}).items():
        t, m = _pair(value, f"{where}.objects.{cls}")
        t, m = _checked(plover, t, m, f"{where}.objects.{cls}")
        objects.append((str(cls), t, m))
    by_prep = []
    for prep, value in (spec.get("by_prep") or {}).items():
        t, m = _checked(plover, *_pair(value, f"{where}.by_prep"), f"{where}.by_prep")
        by_prep.append((str(prep), t, m))
    place = spec.get("place")
    if place is not None:
        place = _checked(plover, *_pair(place, f"{where}.place"), f"{where}.place")
    particle = spec.get("particle") or ()
    if isinstance(particle, str):
        particle = (particle,)
    target = spec.get("target")
    if target is None:
        target = defaults.get(type_ or (objects[0][1] if objects else ""), ())
    return Frame(lemma=lemma, pos=pos, type=type_, mode=mode, target=tuple(map(str, target)),
                 objects=tuple(objects), objects_only=bool(spec.get("objects_only")),
                 particle=tuple(particle), reciprocal=bool(spec.get("reciprocal")),
                 light=bool(spec.get("light")), defer=spec.get("defer") == "xcomp",
                 absorb=spec.get("absorb") == "xcomp",
                 inverse_objects=bool(spec.get("inverse_objects")),
                 theme_source=bool(spec.get("theme_source")), place=place,
                 by_prep=tuple(by_prep), weak=bool(spec.get("weak")))


def _checked(plover: Plover, type_: str, mode: str | None, where: str) -> tuple[str, str | None]:
    if type_ == STATEMENT:  # a CAMEO 01 statement: read for classification, never an event
        if not mode or not re.fullmatch(r"01\d", mode):
            raise LexiconError(f"{where}: a STATEMENT needs its CAMEO 01x code as mode")
        return type_, mode
    if type_ not in PLOVER_TYPES:
        raise LexiconError(f"{where}: {type_!r} is not a PLOVER type")
    try:
        return plover.normalize(type_, mode)
    except KeyError as exc:
        raise LexiconError(f"{where}: {exc.args[0]}") from None


def _inflections(lemma: str, pos: str) -> set[str]:
    """Regular English forms of a verb or noun: enough for a pre-filter, not a grammar."""
    out = {lemma}
    if pos == "noun":
        out |= {lemma + "s", lemma + "es"}
        if lemma.endswith("y"):
            out.add(lemma[:-1] + "ies")
        return out
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    out |= {lemma + "s", lemma + "es", lemma + "d", lemma + "ed", stem + "ed", stem + "ing",
            lemma + "ing"}
    if lemma.endswith("y"):
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # "shelled", "banning"
    return out


def load_lexicon(extra: Sequence[str | Path] = (), plover: Plover | None = None) -> Lexicon:
    """The packaged patterns, with users' files of the same shape laid on top (later wins)."""
    plover = plover or load_plover()
    texts = [files("blocwatch").joinpath(f"{DATA}/{name}.yaml").read_text(encoding="utf-8")
             for name in ("verbs", "nouns", "objects")]
    texts += [Path(p).read_text(encoding="utf-8") for p in extra]
    return _build_lexicon(tuple(texts), plover)


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return load_lexicon()


class _Loader(yaml.SafeLoader):
    """YAML without the 1.1 booleans: in pattern files "on" and "off" are prepositions."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"),
                              list("tf"))


def _build_lexicon(texts: tuple[str, ...], plover: Plover) -> Lexicon:
    raws = [yaml.load(t, Loader=_Loader) or {} for t in texts]
    defaults = {"verb": {}, "noun": {}}
    for raw in raws:
        for pos, key in (("verb", "verbs"), ("noun", "nouns")):
            if key in raw:
                for t, roles in (raw.get("defaults") or {}).items():
                    defaults[pos][str(t)] = tuple(map(str, roles))
    verbs: dict[str, tuple[Frame, ...]] = {}
    nouns: dict[str, Frame] = {}
    modes_by_object: dict[str, tuple[tuple[str, str], ...]] = {}
    xcomp_modes: dict[str, dict[str, str]] = {}
    classes: dict[str, set[str]] = {}
    lists: dict[str, set[str]] = {k: set() for k in (
        "purpose_verbs", "background_adverbs", "ability_nouns", "object_control",
        "statement_verbs", "travel_verbs")}
    irregular: dict[str, list[str]] = {}
    for n, raw in enumerate(raws):
        where = f"events pattern file {n + 1}"
        for lemma, spec in (raw.get("verbs") or {}).items():
            specs = spec if isinstance(spec, list) else [spec]
            verbs[str(lemma)] = tuple(_frame(str(lemma), "verb", s, defaults["verb"], plover,
                                             f"{where}: verbs.{lemma}") for s in specs)
        for lemma, spec in (raw.get("nouns") or {}).items():
            nouns[str(lemma)] = _frame(str(lemma), "noun", spec, defaults["noun"], plover,
                                       f"{where}: nouns.{lemma}")
        for type_, table in (raw.get("modes_by_object") or {}).items():
            modes_by_object[str(type_)] = tuple((str(c), str(m)) for c, m in table.items())
        for type_, table in (raw.get("xcomp_modes") or {}).items():
            xcomp_modes[str(type_)] = {str(k): str(v) for k, v in table.items()}
        for cls, words in (raw.get("classes") or {}).items():
            for word in words or ():
                classes.setdefault(str(word).lower(), set()).add(str(cls))
        for key, words in lists.items():
            words |= {str(w).lower() for w in raw.get(key) or ()}
        for lemma, extra_forms in (raw.get("irregular") or {}).items():
            irregular.setdefault(str(lemma), []).extend(map(str, extra_forms))
    for type_, table in modes_by_object.items():
        for _, mode in table:
            _checked(plover, type_, mode, f"modes_by_object.{type_}")
    verb_forms: dict[str, str] = {lemma: lemma for lemma in verbs}
    noun_forms: dict[str, str] = {lemma: lemma for lemma in nouns}
    for lemma in verbs:
        for form in _inflections(lemma, "verb") | set(irregular.get(lemma, ())):
            verb_forms.setdefault(form, lemma)
    for lemma in nouns:
        for form in _inflections(lemma, "noun"):
            noun_forms.setdefault(form, lemma)
    forms = set(verb_forms) | set(noun_forms)
    phrases: dict[str, set[str]] = {}
    for word in classes:
        if " " in word:
            phrases.setdefault(word.split(" ", 1)[0], set()).add(word)
    version = hashlib.sha1("\n".join(texts).encode()).hexdigest()[:8]
    return Lexicon(
        verbs=verbs, nouns=nouns,
        classes={k: frozenset(v) for k, v in classes.items()},
        phrases={k: frozenset(v) for k, v in phrases.items()},
        modes_by_object=modes_by_object, xcomp_modes=xcomp_modes,
        purpose_verbs=frozenset(lists["purpose_verbs"]),
        background_adverbs=frozenset(lists["background_adverbs"]),
        ability_nouns=frozenset(lists["ability_nouns"]),
        object_control=frozenset(lists["object_control"]),
        statement_verbs=frozenset(lists["statement_verbs"]),
        forms=frozenset(forms), version=version, verb_forms=verb_forms,
        noun_forms=noun_forms, travel_verbs=frozenset(lists["travel_verbs"]))


# ============================================================================ the coder

class EventCoder:
    """Codes events in documents; build once (patterns, matchers, model), call many times.

    ``actor_coder`` (default: a new :class:`ActorCoder` on ``nlp`` or the default model) finds
    the actors; ``patterns`` are user files shaped like data/events/*.yaml, laid on top.
    """

    def __init__(self, actor_coder: ActorCoder | None = None, nlp: Language | None = None,
                 patterns: Sequence[str | Path] = (), plover: Plover | None = None):
        if actor_coder is None:
            actor_coder = ActorCoder(nlp=nlp)
        self.actors = actor_coder
        self.nlp = actor_coder.nlp  # one pipeline: the actor matchers are built on its vocab
        self.plover = plover or load_plover()
        self.lexicon = load_lexicon(patterns, self.plover) if patterns else _default_lexicon()
        self.extractor = f"blocwatch-events/{__version__}+{self.lexicon.version}"
        self._actor_disable = disabled_for(self.nlp, ACTORS)
        self._parse_disable = [p for p in self.nlp.pipe_names if p not in _PARSE]
        self._form_ids: numpy.ndarray | None = None

    # ------------------------------------------------------------------ public API

    def code(self, text: str, published: date | None = None, doc_id: str = "",
             parse_all: bool = False) -> DocumentCoding:
        """Actors, places, quantities and events of one text."""
        return self.code_chunk([(doc_id, text, published)], parse_all)[0]

    def code_many(self, items: Iterable[tuple[str, str, date | None]], batch_size: int = 32,
                  n_process: int = 1, parse_all: bool = False) -> Iterator[DocumentCoding]:
        """Codings of (doc_id, text, published) items, in order.

        spaCy runs batched: the actor pipeline over ``batch_size`` documents, then the parser
        over their candidate sentences at once. With ``n_process`` > 1 whole batches go to
        worker processes (forked, so the model is loaded once), which also spreads the Python
        rule work over the cores. ``parse_all`` parses every sentence (for evaluation).
        """
        from blocwatch.pipeline import chunks, in_processes

        batches = chunks(iter(items), batch_size)
        if n_process <= 1:
            for chunk in batches:
                yield from self.code_chunk(chunk, parse_all)
            return
        yield from in_processes(self, batches, n_process, parse_all)

    # ------------------------------------------------------------------ batching

    def code_chunk(self, chunk: list[tuple[str, str, date | None]],
                    parse_all: bool = False) -> list[DocumentCoding]:
        texts = [text for _, text, _ in chunk]
        docs = list(self.nlp.pipe(texts, batch_size=max(1, len(texts)),
                                  disable=self._actor_disable))
        work: list[_DocWork] = []
        jobs: list[tuple[int, int, int, str]] = []  # (work index, sentence, offset, text)
        for (doc_id, text, published), doc in zip(chunk, docs, strict=True):
            coding = self.actors.code_doc(doc, published)
            dc = DocumentCoding(doc_id, coding.mentions, coding.places)
            dc.quantities = find_quantities(text)
            work.append(_DocWork(dc, text, published))
            coded = {m.sentence for m in coding.mentions if m.code is not None}
            coded |= {p.sentence for p in coding.places if p.country}  # "protested in Caracas"
            triggers = self._trigger_mask(doc) if not parse_all else None
            for i, sent in enumerate(doc.sents):
                dc.sentences += 1
                if triggers is not None and (
                        i not in coded or not triggers[sent.start:sent.end].any()):
                    continue
                start, end = _trimmed(text, sent.start_char, sent.end_char)
                if end > start:
                    jobs.append((len(work) - 1, i, start, text[start:end]))
        parsed = self.nlp.pipe((text for *_, text in jobs), batch_size=256,
                               disable=self._parse_disable)
        for (wi, sent_i, offset, _), sdoc in zip(jobs, parsed, strict=True):
            w = work[wi]
            w.coding.parsed_sentences += 1
            _SentenceReader(self, w, sdoc, sent_i, offset).read()
        for w in work:
            w.finish()
        return [w.coding for w in work]

    def _trigger_mask(self, doc: Doc) -> numpy.ndarray:
        """Which tokens could be a trigger, by their lower-case form (a numpy look-up: this
        pre-filter runs on every token of every document)."""
        if self._form_ids is None:
            strings = self.nlp.vocab.strings
            self._form_ids = numpy.array(sorted(strings.add(f) for f in self.lexicon.forms),
                                         dtype="uint64")
        lowers = doc.to_array(LOWER)
        return numpy.isin(lowers, self._form_ids)


@dataclass
class _DocWork:
    """A document's coding while its sentences are read (events of the sentence before)."""

    coding: DocumentCoding
    text: str
    published: date | None
    last_sentence: int = -1
    last_events: list[Event] = field(default_factory=list)

    def finish(self) -> None:
        best: dict[tuple, Event] = {}
        order: list[tuple] = []
        for e in self.coding.events:
            key = (e.evidence["sentence"], e.type, tuple(sorted(e.source_codes)),
                   tuple(sorted(e.target_codes)))
            if key not in best:
                order.append(key)
                best[key] = e
            elif _rank(e) > _rank(best[key]):
                best[key] = e
        self.coding.events = [best[k] for k in order]


# ============================================================================ reading a sentence

@dataclass
class _Arg:
    """An actor filling a role: a mention, or a place standing for its country."""

    text: str
    code: str | None
    sector: str | None
    actor: str | None
    resolved_by: str
    start: int  # token span in the sentence doc
    end: int
    kind: str = "state"  # Mention.kind: state, igo, person, group, agent, ...

    def to_json(self) -> dict:
        return {"text": self.text, "code": self.code, "sector": self.sector,
                "actor": self.actor}


@dataclass
class _Cand:
    tok: Token
    frame: Frame
    type: str
    mode: str | None
    source: list[_Arg] = field(default_factory=list)
    target: list[_Arg] = field(default_factory=list)
    source_role: str = ""
    target_role: str = ""
    carrier: Token | None = None  # the light verb that carries a nominal trigger
    classes: set[str] = field(default_factory=set)
    suppressed: bool = False
    consumed: set[int] = field(default_factory=set)  # tokens of triggers this one absorbs
    place: Place | None = None  # the place a target or location came from
    modality: Modality | None = None


class _SentenceReader:
    """The role rules applied to one parsed sentence; throwaway, so its state stays local."""

    def __init__(self, coder: EventCoder, work: _DocWork, doc: Doc, index: int, offset: int):
        self.c = coder
        self.lex = coder.lexicon
        self.work = work
        self.doc = doc
        self.index = index
        self.offset = offset
        self.text = doc.text  # a property that joins every token: read it once
        self.end = offset + len(self.text)
        self.tok_args: dict[int, list[_Arg]] = {}
        self.covered: set[int] = set()  # tokens of mentions and places: no triggers there
        self.coded: set[int] = set()  # tokens of coded actors: no object words there
        self._reading: set[int] = set()  # phrases _args is reading now (cycle guard)
        coding = work.coding
        mentions = [m for m in coding.actors
                    if m.sentence == index and offset <= m.start and m.end <= self.end]
        places = [p for p in coding.places if offset <= p.start and p.end <= self.end]
        # "ethnic Albanians in Serbia": a people, not the state of that name (a minority is
        # placed by where it lives, as CAMEO codes it)
        ethnic = {id(m) for m in mentions if m.resolved_by == "demonym" and
                  self.text[:m.start - offset].rstrip().lower().endswith("ethnic")}
        home = self._home_state([m for m in mentions if id(m) not in ethnic], places)
        for m in mentions:
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is None:
                continue
            arg = _Arg(m.text, m.code, m.sector, m.actor, m.resolved_by, span.start, span.end,
                       m.kind)
            if id(m) in ethnic:
                arg.code = arg.actor = None
            if arg.code is None and home is not None and (_domestic_role(m) or id(m) in ethnic):
                arg.code, arg.actor, arg.resolved_by = home, coder.actors.ref.actor_name(home), \
                    "context"
            for i in range(span.start, span.end):
                self.tok_args.setdefault(i, []).append(arg)
                self.covered.add(i)
                if m.code is not None:
                    self.coded.add(i)
        self.quantities = find_quantities(self.text, offset)
        self.places: list[tuple[Place, int, int]] = []
        for p in places:
            span = doc.char_span(p.start - offset, p.end - offset, alignment_mode="expand")
            if span is not None:
                self.places.append((p, span.start, span.end))
                self.covered.update(range(span.start, span.end))

    def _home_state(self, mentions: list[Mention], places: list[Place]) -> str | None:
        """The one state a sentence is about, when it names exactly one (by actors and
        places) and no organisation: "Ibo elders demanded that the Nigerian Interior
        Ministry…", "Judge X opened investigations against Chilean officials". Unnamed
        domestic actors of such a sentence (elders, rebels, police, a judge) are that
        state's, as CAMEO codes them; a sentence naming two states or an IGO leaves them
        uncoded."""
        ref = self.c.actors.ref
        codes = {m.code for m in mentions if m.code is not None}
        codes |= {p.country or place_country(_place_name(p.text)) for p in places}
        codes.discard(None)
        if len(codes) != 1:
            return None
        code = next(iter(codes))
        return code if ref.is_state(code) else None

    # ------------------------------------------------------------------ driver

    def read(self) -> None:
        cands: list[_Cand] = []
        by_tok: dict[int, _Cand] = {}
        carried: dict[int, Token] = {}
        for tok in self.doc:
            frame = self._verb_frame(tok)
            if frame is None:
                continue
            cand = self._verb(tok, frame, carried)
            if cand is not None:
                cands.append(cand)
                by_tok[tok.i] = cand
        for tok in self.doc:
            if tok.i in self.covered or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            frame = self.lex.noun(tok)
            if frame is None:
                continue
            cand = self._noun(tok, frame, carried.get(tok.i))
            if cand is not None:
                cands.append(cand)
                by_tok[tok.i] = cand
        cands.extend(self._advice_requests(cands, by_tok))
        self._link(cands, by_tok)
        for cand in cands:
            if not cand.target and not cand.suppressed:
                self._inherit_target(cand, by_tok)
            if not cand.target and not cand.suppressed and cand.type not in _MUTUAL:
                self._purpose_target(cand, cands)
            if not cand.target and not cand.suppressed and cand.type == "REQUEST":
                self._requested_target(cand, cands)
            if cand.type == "PROTEST":
                self._defied(cand)
            if cand.type == "PROTEST" and not any(a.code for a in cand.source):
                self._local_crowd(cand)
            if cand.type == "PROTEST" and cand.target and \
                    not any(a.code for a in cand.source) and not self._named_subject(cand):
                self._unnamed_agent(cand, "CVL")  # "fundamentalists … demand the resignation
                #                                    of the Algerian president": Algerians
            if not cand.target and cand.type == "PROTEST":
                self._own_government(cand)
            if not cand.target and cand.type in ("COERCE", "ASSAULT"):
                self._home_target(cand)
            if cand.target and not any(a.code for a in cand.source) and \
                    cand.tok.pos_ in ("VERB", "AUX") and _passive(cand.tok):
                self._unnamed_agent(cand)
        events = []
        for cand in cands:
            event = None if cand.suppressed else self._event(cand)
            if event is not None:
                events.append(event)
            self._note(cand, event)
        self.work.coding.events.extend(events)
        self.work.last_sentence = self.index
        self.work.last_events = events

    # ------------------------------------------------------------------ triggers

    def _verb_frame(self, tok: Token) -> Frame | None:
        if tok.pos_ not in ("VERB", "AUX") or tok.i in self.covered:
            return None
        if tok.dep_ == "amod" or tok.lemma_.lower() == "be":
            return None  # "its long-threatened invasion": a modifier, not an act
        return self.lex.verb(tok)

    def _verb(self, tok: Token, frame: Frame, carried: dict[int, Token]) -> _Cand | None:
        passive = _passive(tok)
        obj = self._object(tok, passive)
        with_obj = _prep_object(tok, "with")
        classes = self._classes(obj, tok) if obj is not None else set()
        if with_obj is not None and (obj is None or self._coded_args(obj)):
            classes |= self._classes(with_obj, tok)  # "provide Ukraine with weapons"
        of_obj = _prep_object(tok, "of")
        if of_obj is not None and obj is not None and self._coded_args(obj) and \
                frame.type == "THREATEN":
            classes |= self._classes(of_obj, tok)  # "warned Moscow of severe sanctions"
        if obj is not None and self._coded_args(obj):
            classes.add("actor")
        if obj is not None and any(a.kind in ("person", "agent") for a in self._args(obj)):
            classes.add("person")  # "released Salih Muslim", "freed the hostages"
        if obj is not None and self._money_in(obj):
            classes.add("money")  # "sent $2 billion
        for c in tok.children:
            if c.dep_ == "xcomp":  # "declined to comment", "told X to leave"
                classes.add("xcomp")
                classes |= self.lex.classes_of([c.lemma_.lower()])
        type_, mode, matched = frame.type, frame.mode, None
        for cls, t, m in frame.objects:
            if cls in classes:
                type_, mode, matched = t, m, cls
                break
        noun = None
        if obj is not None:
            if self._noun_trigger(obj):
                noun = obj
            else:  # "undertook a mediation mission"
                noun = next((c for c in obj.children if c.dep_ == "compound"
                             and self._noun_trigger(c)), None)
        if matched is None and frame.light and noun is not None:
            carried[noun.i] = tok  # "imposed sanctions on": the noun is the event
            return None
        if frame.light and noun is None and (matched is None or passive):
            inner = self._prep_trigger(tok, obj)
            if inner is not None:  # "were engaged in ethnic cleansing", "took part in raids"
                carried[inner.i] = tok
                return None
        if type_ is None or (frame.objects_only and matched is None):
            return None
        if matched is None and mode in (None, "other"):  # "arrested journalists" stays arrest
            mode = self._mode_from_object(type_, mode, classes)
        cand = _Cand(tok, frame, type_, mode, classes=classes)
        if noun is not None:
            cand.consumed.add(noun.i)  # "lifted sanctions": not also a SANCTION
        inverse = frame.inverse_objects and matched not in (None, "actor")
        self._verb_source(cand, passive, obj, inverse)
        self._verb_target(cand, passive, obj, inverse)
        return cand

    def _noun_trigger(self, tok: Token) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and self.lex.noun(tok) is not None

    def _prep_trigger(self, verb: Token, obj: Token | None) -> Token | None:
        """An event noun a light verb carries through "in" or "as" ("engaged in fighting",
        "took part in the raids", "holding civilians as human shields")."""
        for head in [verb] + ([obj] if obj is not None and obj.lower_ == "part" else []):
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "as"):
                    for p in c.children:
                        if p.dep_ == "pobj" and self._noun_trigger(p):
                            return p
        return None

    def _prep_carrier(self, noun: Token) -> Token | None:
        """The verb an event noun in a prepositional phrase belongs to: a light verb's "in"
        or "as" phrase, or the "for" of a verb of coming ("arrived in Geneva for talks")."""
        if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
            return None
        prep, verb = noun.head, noun.head.head
        if verb.lower_ == "part" and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head  # "took part in"
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        if prep.lower_ in ("in", "as") and self._is_carrier(verb):
            return verb
        if prep.lower_ == "for" and verb.lemma_.lower() in self.lex.travel_verbs:
            return verb
        return None

    def _noun(self, tok: Token, frame: Frame, carrier: Token | None) -> _Cand | None:
        if carrier is None:
            carrier = self._prep_carrier(tok)
        classes = self._noun_classes(tok)
        type_, mode, matched = frame.type, frame.mode, None
        for cls, t, m in frame.objects:
            if cls in classes:
                type_, mode, matched = t, m, cls
                break
        if type_ is None or (frame.objects_only and matched is None):
            return None
        if matched is None and mode in (None, "other"):  # "arrested journalists" stays arrest
            mode = self._mode_from_object(type_, mode, classes)
        cand = _Cand(tok, frame, type_, mode, carrier=carrier, classes=classes)
        self._noun_source(cand)
        self._noun_target(cand)
        return cand

    def _advice_requests(self, cands: list[_Cand], by_tok: dict[int, _Cand]) -> list[_Cand]:
        """"Libya must hand over the suspects, a British minister said": saying that another
        actor must act is asking it to (CAMEO demands and appeals). The requested act itself
        is advice, not an event."""
        out = []
        for tok in self.doc:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in self.lex.statement_verbs or \
                    tok.i in by_tok:
                continue
            for clause in tok.children:
                if clause.dep_ != "ccomp":
                    continue
                modal = _advice_modal(clause)
                if modal is None:
                    continue
                target = [a for s in clause.children if s.dep_ in ("nsubj", "nsubjpass")
                          for a in self._args(s) if a.code]
                inner = [c for c in cands if clause.left_edge.i <= c.tok.i <= clause.right_edge.i]
                mode = "demand" if modal in ("must", "have") else "other"
                if inner:
                    mode = self.lex.xcomp_modes.get("REQUEST", {}).get(inner[0].type, mode)
                frame = Frame(lemma=tok.lemma_.lower(), pos="verb", type="REQUEST", mode=mode,
                              target=("clause",))
                cand = _Cand(tok, frame, "REQUEST", mode)
                cand.source, cand.source_role = self._subject_args(tok)
                cand.target = self._others(target, cand.source)
                cand.target_role = "direct" if cand.target else ""
                cand.consumed.update(c.tok.i for c in inner)
                by_tok[tok.i] = cand
                out.append(cand)
                break
        return out

    def _money_in(self, tok: Token) -> bool:
        a = self.offset + tok.left_edge.idx
        b = self.offset + tok.right_edge.idx + len(tok.right_edge)
        return any(q.kind == "money" and a <= q.start and q.end <= b for q in self.quantities)

    def _mode_from_object(self, type_: str, mode: str | None, classes: set[str]) -> str | None:
        if type_ == STATEMENT:
            return mode
        for cls, m in self.lex.modes_by_object.get(type_, ()):
            if cls in classes:
                return m
        return mode

    # ------------------------------------------------------------------ objects

    def _object(self, verb: Token, passive: bool) -> Token | None:
        """What the verb acts on: its object, or its subject in the passive."""
        for c in verb.children:
            if c.dep_ in ("dobj", "obj"):
                return c
        if passive:
            for c in verb.children:
                if c.dep_ == "nsubjpass":
                    return c
            if verb.dep_ in ("acl", "amod") and verb.head.i != verb.i:
                return verb.head  # "troops deployed to Kursk"
        for c in verb.children:
            if c.dep_ == "attr":
                return c
        for c in verb.children:  # "allow X to take part" misread as a clause with subject X
            if c.dep_ == "ccomp" and c.i > verb.i and any(
                    a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                subj = [s for s in c.children if s.dep_ == "nsubj" and s.i < c.i]
                if subj:
                    return subj[0]
        for c in verb.children:  # "denounced as a crime Serbia's attack": the shifted object
            if c.dep_ == "prep" and c.lower_ == "as":
                for p in c.children:
                    if p.dep_ == "pobj":
                        shifted = [a for a in p.children if a.dep_ == "appos" and a.i > p.i]
                        if shifted:
                            return shifted[0]
        return None

    def _phrase_words(self, tok: Token) -> list[Token]:
        """The words of an object phrase that say what it is (head, modifiers, X of Y, such as)."""
        out = []
        for t in tok.subtree:
            if t.dep_ in ("relcl", "acl") and t.i != tok.i:
                break
            out.append(t)
        return [t for t in out if t.i not in self.coded or t.i == tok.i]

    def _classes(self, tok: Token, trigger: Token | None = None) -> set[str]:
        words = [t for t in self._phrase_words(tok) if trigger is None or t.i != trigger.i]
        return self.lex.classes_of([t.lower_ for t in words]) | self.lex.classes_of(
            [t.lemma_.lower() for t in words])

    def _noun_classes(self, noun: Token) -> set[str]:
        words = [noun]
        for c in noun.children:
            if c.dep_ in ("amod", "compound", "nmod") and c.i not in self.coded:
                words.extend(c.subtree)
            elif c.dep_ == "prep" and c.lower_ in ("of", "with", "in"):
                for p in c.children:
                    if p.dep_ == "pobj" and not self._coded_args(p):
                        words.extend(self._phrase_words(p))
        words.sort(key=lambda t: t.i)
        return (self.lex.classes_of([t.lower_ for t in words if t.i != noun.i])
                | self.lex.classes_of([t.lemma_.lower() for t in words if t.i != noun.i]))

    # ------------------------------------------------------------------ actors in a phrase

    def _args(self, tok: Token, depth: int = 0, conj: bool = True) -> list[_Arg]:
        """The actors a noun phrase headed by ``tok`` names (with its coordinated phrases).

        A phrase already being read higher up the call chain names nothing new: pronouns,
        appositions and relative clauses can lead back to it, and would loop forever."""
        if tok.i in self._reading:
            return []
        self._reading.add(tok.i)
        try:
            return self._args_of(tok, depth, conj)
        finally:
            self._reading.discard(tok.i)

    def _args_of(self, tok: Token, depth: int, conj: bool) -> list[_Arg]:
        out: list[_Arg] = []
        low = tok.lower_
        if low in _RELATIVE and tok.head.dep_ == "relcl" and depth == 0:
            return self._args(tok.head.head, depth + 1)  # "Beijing, which supported…"
        if low in _PRONOUNS and not any(a.code for a in self.tok_args.get(tok.i, ())):
            out = self._antecedent(tok)  # not resolved by the actor coder: the clause above
        elif tok.i in self.tok_args:
            out = list(self.tok_args[tok.i])
            if not any(a.code for a in out):
                out = self._modifier_args(tok, out) or out
            else:  # "Chinese and Russian warships": a second modifier names a second actor
                span = {i for a in out for i in range(a.start, a.end)}
                for c in tok.children:
                    if c.dep_ in ("amod", "compound", "nmod") and c.i not in span:
                        for x in [c, *c.conjuncts]:
                            out.extend(a for a in self.tok_args.get(x.i, ()) if a.code)
                for a in list(out):
                    for x in self.doc[a.start].conjuncts:
                        if x.i < tok.i and x.i not in span:
                            out.extend(b for b in self.tok_args.get(x.i, ()) if b.code)
        elif depth < 2:
            for c in tok.children:
                if c.dep_ in ("poss", "compound") or (c.dep_ in ("amod", "nmod", "nummod")
                                                     and c.i in self.tok_args):
                    out.extend(self._args(c, depth + 1, conj=False))
            # "the offer from Kabul", "a camp for Congolese refugees", "opposition groups in
            # Zimbabwe" (people of a place; not an event noun: "the war in Syria")
            in_ = ("in",) if tok.pos_ == "NOUN" and tok.tag_ == "NNS" and \
                not self._noun_trigger(tok) else ()
            for preps in (("of", "by"), ("from",), ("for",), in_):
                if any(a.code for a in out):
                    break
                for c in tok.children:
                    if c.dep_ in ("prep", "agent") and c.lower_ in preps:
                        for p in c.children:
                            if p.dep_ == "pobj":
                                found = self._args(p, depth + 1)
                                if c.lower_ == "in":  # the people there, not its government
                                    found = [_Arg(tok.text, a.code, "CVL", a.actor,
                                                  "place", tok.i, tok.i + 1)
                                             for a in found if a.code]
                                out.extend(found)
        if conj:
            for c in tok.conjuncts:
                if c.i > tok.i:
                    out.extend(self._args(c, depth, conj=False))
        return _unique(out)

    def _modifier_args(self, tok: Token, heads: list[_Arg]) -> list[_Arg]:
        """An actor named only by role, whose country a modifier or place gives: "Taiwan's
        Vice Foreign Minister", "Security forces in Guinea", "inhabitants of the Syrian Golan"."""
        head = heads[0]
        found: list[_Arg] = []
        for t in tok.subtree:
            if t.i >= tok.i:
                break
            found.extend(a for a in self.tok_args.get(t.i, ()) if a.code)
        if not found:  # "Darfur rebels": a place names where they are from
            found = self._place_args(tok.left_edge.i, tok.i)
        if not found:  # "the ILO", "Sidhoum, Algeria's leading activist"
            found = [a for c in tok.children if c.dep_ == "appos"
                     for a in self._args(c, 1, conj=False) if a.code]
        if not found:
            preps = [c for c in tok.children if c.dep_ == "prep"]
            preps += [p for c in tok.children if c.dep_ == "acl"  # "a newspaper based in X"
                      for p in c.children if p.dep_ == "prep"]
            for c in preps:
                if c.lower_ in ("in", "of", "from", "inside"):
                    for p in c.children:
                        if p.dep_ == "pobj" and not found:
                            found = [a for a in self._args(p, 1) if a.code]
                            if not found:
                                found = self._place_args(p.left_edge.i, p.right_edge.i + 1)
        return [_Arg(head.text, a.code, head.sector or a.sector, a.actor, a.resolved_by,
                     head.start, head.end, head.kind) for a in _unique(found)]

    def _antecedent(self, pron: Token) -> list[_Arg]:
        """Who "it", "they", "its", "his" stand for: the subject of a clause above that names
        an actor of the right kind ("Syria says it is willing to withdraw its troops")."""
        want = _PRONOUNS[pron.lower_]
        verb = pron
        for _ in range(8):
            if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
                break
            verb = verb.head
        for _ in range(5):
            if verb.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                            for m in verb.children) and \
                    self._addressee_verb(verb.head):
                # "warned Moscow of sanctions if it attacked": the one warned
                found = [a for c in verb.head.children if c.dep_ in ("dobj", "obj")
                         for a in self._args(c) if a.code and _fits(a, want)]
                if found:
                    return found
            for c in verb.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i != pron.i and \
                        c.lower_ not in _PRONOUNS and not (c.left_edge.i <= pron.i <= c.i):
                    found = [a for a in self._args(c, 2) if a.code and _fits(a, want)]
                    if found:
                        return found
            if verb.head.i == verb.i or verb.dep_ not in (
                    "ccomp", "xcomp", "advcl", "conj", "acomp", "pcomp", "prep", "pobj",
                    "dobj", "acl"):
                break
            verb = verb.head
        return []

    def _addressee_verb(self, verb: Token) -> bool:
        """Verbs whose object is the one a condition is put to: "warned", "told", "threatened"."""
        if verb.lemma_.lower() in self.lex.object_control:
            return True
        frame = self.lex.verb(verb) if verb.pos_ in ("VERB", "AUX") else None
        return frame is not None and frame.type == "THREATEN"

    def _place_args(self, lo: int, hi: int) -> list[_Arg]:
        for place, s, e in self.places:
            if lo <= s and e <= hi:
                country = place.country or place_country(_place_name(place.text))
                if country:
                    return [_Arg(_place_name(place.text), country, None,
                                 self.c.actors.ref.actor_name(country), "place", s, e)]
        return []

    def _coded_args(self, tok: Token) -> list[_Arg]:
        return [a for a in self._args(tok) if a.code]

    def _pobj_args(self, head: Token, preps: Iterable[str],
                   deep: bool = False) -> tuple[list[_Arg], str]:
        """Coded actors in a prepositional phrase under ``head``; ``deep`` also looks inside
        its object phrases ("lift embargoes on sales to Iran"), not across clauses."""
        wanted = set(preps)
        frontier = [head]
        for _ in range(4 if deep else 1):
            nxt = []
            for h in frontier:
                for c in h.children:
                    if c.dep_ in ("prep", "agent", "dative") and c.lower_ in wanted:
                        objs = [p for p in c.children if p.dep_ in ("pobj", "pcomp")]
                        if not objs and c.dep_ != "dative":
                            objs = self._stranded(c)
                        for p in objs:
                            found = [a for a in self._args(p) if a.code]
                            if found:
                                return found, c.lower_
                    if c.dep_ in _DEEP:
                        nxt.append(c)
            frontier = nxt
        return [], ""

    def _stranded(self, prep: Token) -> list[Token]:
        """The noun phrase right after a preposition the parser left without an object ("granted
        asylum to [five officers] holed up…", read as the subject of "holed")."""
        nxt = prep.i + 1
        if nxt >= len(self.doc):
            return []
        heads = [t for t in self.doc[nxt:] if t.left_edge.i == nxt and
                 t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("nsubj", "nsubjpass", "dobj")]
        return heads[:1]

    # ------------------------------------------------------------------ sources

    def _verb_source(self, cand: _Cand, passive: bool, obj: Token | None,
                     inverse: bool) -> None:
        tok = cand.tok
        if inverse:  # "received weapons from Iran": Iran gives, the subject gets
            found, _ = self._pobj_args(tok, ("from",))
            if obj is not None and not found:
                found, _ = self._pobj_args(obj, ("from",))
            if obj is not None and not found:  # "Iranian assistance is received by …"
                found = [a for a in self._owner(obj) if a.code]
            cand.source, cand.source_role = found, "inverse"
            return
        if passive:
            found, _ = self._pobj_args(tok, ("by",))
            if found:
                cand.source, cand.source_role = found, "agent"
                return
            if cand.frame.theme_source and obj is not None:
                cand.source, cand.source_role = self._args(obj), "theme"
            return
        found, role = self._subject_args(tok)
        if not found and cand.frame.theme_source and obj is not None and \
                "personnel" in cand.classes and role == "":
            found, role = self._args(obj), "theme"  # "sending North Korean troops to…"
        cand.source, cand.source_role = found, role

    def _subject_args(self, verb: Token, depth: int = 0) -> tuple[list[_Arg], str]:
        """Actors of the clause's subject; climbs to the controller of a subjectless clause.

        Returns role "" when there is no subject at all, and a role with no actors when the
        subject is there but names no actor (the source is then unknown, not guessed).
        """
        if depth > 5:
            return [], ""
        for c in verb.children:
            if c.dep_ in _SUBJECTS:
                role = "relative" if c.lower_ in _RELATIVE else "subject"
                if c.pos_ == "VERB" and c.tag_ in ("VBG", "VBN"):
                    # "The Red Cross operating in Iraq said": a misread participle phrase
                    inner = [s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
                    if inner:
                        return self._args(inner[0]), role
                return self._args(c), role
        head = verb.head
        if head.i == verb.i:
            return [], ""
        dep = verb.dep_
        if dep == "xcomp":
            if head.lemma_.lower() in self.lex.object_control:
                for c in head.children:
                    if c.dep_ in ("dobj", "obj"):
                        return self._args(c), "controller"
            found = self._passive_subject(head)  # "Iran was urged to withdraw"
            if found is not None:
                return found, "controller"
            return self._climbed(head, depth)
        if dep == "conj" and head.pos_ in ("VERB", "AUX"):
            return self._subject_args(head, depth + 1)
        if dep == "acomp":  # "Syria is willing to withdraw": the subject of "is"
            return self._subject_args(head, depth + 1)
        if dep == "advcl" and not any(c.dep_ == "mark" and c.lower_ not in ("to", "in")
                                      for c in verb.children):
            return self._climbed(head, depth)
        if dep == "pcomp":
            prep_head = head.head
            if prep_head.i == head.i:
                return [], ""
            if head.lower_ in _OBJECT_GERUND:
                found = self._gerund_controller(prep_head)
                if found is not None:
                    return found, "controller"
            if prep_head.pos_ in ("VERB", "AUX"):
                return self._climbed(prep_head, depth)
            return self._owner(prep_head), "poss"
        if dep == "acl" and head.pos_ in ("NOUN", "PROPN"):
            found = self._owner(head)
            if found:
                return found, "poss"
            return self._noun_carrier_source(head, depth)
        return [], ""

    def _passive_subject(self, verb: Token) -> list[_Arg] | None:
        """The subject of a passive verb, when it names an actor ("Iran was asked to…")."""
        if not _passive(verb):
            return None
        found = [a for c in verb.children if c.dep_ == "nsubjpass" for a in self._args(c)
                 if a.code]
        return found or None

    def _gerund_controller(self, governor: Token) -> list[_Arg] | None:
        """Who does the gerund of "accused Tehran of supplying", "blamed X for launching",
        "barred X from entering": the governor's object (the passive's subject), not its
        subject; None when that object names no actor."""
        if governor.pos_ in ("NOUN", "PROPN"):  # "accused [Tehran of supplying]"
            if governor.dep_ in ("dobj", "obj", "nsubjpass"):
                found = [a for a in self._args(governor, conj=False) if a.code]
                return found or None
            return None
        if governor.pos_ not in ("VERB", "AUX"):
            return None
        for c in governor.children:
            if c.dep_ in ("dobj", "obj"):
                found = [a for a in self._args(c) if a.code]
                return found or None
        return self._passive_subject(governor)

    def _climbed(self, head: Token, depth: int) -> tuple[list[_Arg], str]:
        found, role = self._subject_args(head, depth + 1)
        return found, ("controller" if role == "subject" else role)

    def _owner(self, noun: Token) -> list[_Arg]:
        """The actor a noun phrase belongs to: "Russia's campaign", "the Russian offensive"."""
        out: list[_Arg] = []
        for c in noun.children:
            if c.dep_ == "poss":
                out.extend(self._args(c))
            elif c.dep_ in ("compound", "amod", "nmod") and c.i in self.tok_args:
                out.extend(self._args(c, conj=False))
                for cc in c.conjuncts:
                    out.extend(self._args(cc, conj=False))
        return _unique(out)

    def _noun_source(self, cand: _Cand) -> None:
        noun = cand.tok
        found = [a for c in noun.children if c.dep_ == "poss" for a in self._args(c)]
        if found:
            cand.source, cand.source_role = _unique(found), "poss"
            return
        found = self._owner(noun)
        if found:
            cand.source, cand.source_role = found, "modifier"
            return
        for prep, role in (("by", "by"), ("from", "from")):
            found, _ = self._pobj_args(noun, (prep,))
            if found:
                cand.source, cand.source_role = found, role
                return
        cand.source, cand.source_role = self._noun_carrier_source(noun, 0, cand.carrier)

    def _noun_carrier_source(self, noun: Token, depth: int,
                             carrier: Token | None = None) -> tuple[list[_Arg], str]:
        """The source of an event noun without an owner, from what carries it."""
        if depth > 4:
            return [], ""
        if carrier is None and noun.dep_ in ("dobj", "obj", "nsubjpass") and \
                self._is_carrier(noun.head):
            carrier = noun.head
        if carrier is None and noun.dep_ == "pobj" and noun.head.lower_ == "in" and \
                self._is_carrier(noun.head.head):
            carrier = noun.head.head  # "engaged in ethnic cleansing", "staged … in protest"
        if carrier is not None:
            if _passive(carrier):
                found, _ = self._pobj_args(carrier, ("by",))
                if not found:
                    found = [a for c in carrier.children if c.dep_ == "nsubjpass"
                             and c.i != noun.i for a in self._args(c) if a.code]
                return found, "carrier"
            found, role = self._subject_args(carrier, depth + 1)
            return found, ("carrier" if role else "")
        if noun.dep_ == "conj":
            head = noun.head
            found = self._owner(head)
            if found:
                return found, "poss"
            return self._noun_carrier_source(head, depth + 1)
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and \
                noun.head.head.pos_ in ("NOUN", "PROPN"):
            governor = noun.head.head  # "Kim's declaration of support", "an offer of aid"
            found = self._owner(governor)
            if found:
                return found, "poss"
            return self._noun_carrier_source(governor, depth + 1)
        return [], ""

    def _is_carrier(self, verb: Token) -> bool:
        if verb.pos_ not in ("VERB", "AUX"):
            return False
        frame = self.lex.verb(verb)
        return frame is not None and frame.light

    # ------------------------------------------------------------------ targets

    def _verb_target(self, cand: _Cand, passive: bool, obj: Token | None,
                     inverse: bool) -> None:
        tok, frame = cand.tok, cand.frame
        if inverse:
            if passive:
                found, _ = self._pobj_args(tok, ("by",))
            else:
                found, _ = self._subject_args(tok)
            cand.target = self._others([a for a in found if a.code], cand.source)
            cand.target_role = "inverse"
            return
        heads = [tok] + ([obj] if obj is not None else [])
        for deep in (False, True):
            for role in frame.target:
                if role == "place" and not deep or deep and role in _NOT_PREPS - {"place"}:
                    continue  # a place is the last resort, after deeper prepositions
                if (role == "place" or role in _LOCATIVE) and self._mutual(cand):
                    continue  # "the US and the Philippines met in Manila": with each other
                found, name = self._verb_role(cand, role, passive, obj, heads, deep)
                found = self._others([a for a in found if a.code], cand.source)
                if found:
                    cand.target, cand.target_role = found, name
                    return
        self._reciprocal(cand)

    def _verb_role(self, cand: _Cand, role: str, passive: bool, obj: Token | None,
                   heads: list[Token], deep: bool) -> tuple[list[_Arg], str]:
        tok, frame = cand.tok, cand.frame
        if role == "dobj":
            if obj is not None and not (frame.theme_source and passive):
                return self._args(obj), "direct"
        elif role == "dative":
            return [a for c in tok.children if c.dep_ == "dative" and c.pos_ != "ADP"
                    for a in self._args(c)], "direct"
        elif role == "recipient":
            if obj is not None and not (passive and frame.theme_source):
                head_classes = self.lex.classes_of([obj.lemma_.lower(), obj.lower_])
                if not (frame.theme_source and "personnel" in head_classes):
                    return self._args(obj), "direct"  # not "sent North Korean troops"
        elif role == "purpose":
            found, helper = self._purpose(tok, obj)
            if found:
                cand.consumed.add(helper)
                return found, "purpose"
        elif role == "clause":
            return self._clause_subject(tok, ("ccomp",)), "direct"
        elif role == "condition":
            return self._condition_subject(tok), "direct"
        elif role == "complement":
            return self._complement_target(tok, cand.source), "complement"
        elif role == "place":
            found, place = self._place_target(tok)
            if found:
                cand.place = place
                if frame.place and "personnel" in cand.classes:
                    cand.type, cand.mode = frame.place  # "sent troops into Syria"
                return found, "place"
        else:
            for head in heads:
                found, prep = self._pobj_args(head, (role,), deep)
                if found:
                    for p, t, m in frame.by_prep:
                        if p == prep:
                            cand.type, cand.mode = t, m
                    return found, "direct"
        return [], ""

    def _clause_subject(self, verb: Token, deps: tuple[str, ...]) -> list[_Arg]:
        """The subject of a that-clause: "demanded that the US cancel…" -> the US."""
        for c in verb.children:
            if c.dep_ in deps:
                for s in c.children:
                    if s.dep_ in ("nsubj", "nsubjpass"):
                        return self._args(s)
        return []

    def _complement_target(self, verb: Token, source: list[_Arg]) -> list[_Arg]:
        """Who a that-clause under a warning is aimed at, never the warner: its object
        ("warned that it would strike Y"), the by-agent of a nominal object ("warned that police
        will not tolerate rallies by Y"), else its subject ("warned that Z would face …")."""
        clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i]
        for clause in clauses:
            verbs = [clause] + [c for c in clause.children if c.dep_ == "xcomp"]
            for v in verbs:
                for c in v.children:
                    if c.dep_ not in ("dobj", "obj"):
                        continue
                    found = self._others([a for a in self._args(c) if a.code], source)
                    if found:
                        return found
                    by, _ = self._pobj_args(c, ("by", "of"))
                    found = self._others([a for a in by if a.code], source)
                    if found:
                        return found
                found, _ = self._pobj_args(v, ("against", "on", "at"))
                found = self._others([a for a in found if a.code], source)
                if found:
                    return found
            for s in clause.children:
                if s.dep_ in ("nsubj", "nsubjpass"):
                    found = self._others([a for a in self._args(s) if a.code], source)
                    if found:
                        return found
        return []

    def _condition_subject(self, verb: Token) -> list[_Arg]:
        """"threatened … unless Baghdad accepted": the one the condition is put to."""
        frontier = [verb]
        for _ in range(3):
            nxt = []
            for h in frontier:
                for c in h.children:
                    if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                                 for m in c.children):
                        for s in c.children:
                            if s.dep_ in ("nsubj", "nsubjpass"):
                                return self._args(s)
                    if c.dep_ in ("xcomp", "dobj", "prep", "pobj", "ccomp"):
                        nxt.append(c)
            frontier = nxt
        return []

    def _noun_target(self, cand: _Cand) -> None:
        noun, frame = cand.tok, cand.frame
        between, _ = self._pobj_args(noun, ("between", "among"))
        if len({a.code for a in between if a.code}) >= 2:
            cand.source, cand.target = between, list(between)
            cand.source_role = cand.target_role = "reciprocal"
            return
        heads = [noun] + ([cand.carrier] if cand.carrier is not None else [])
        for deep in (False, True):
            for role in frame.target:
                found: list[_Arg] = []
                name = "direct"
                if (role == "place" or role in _LOCATIVE) and self._mutual(cand):
                    continue
                if role == "place":
                    if deep:
                        continue
                    found, place = self._place_target(noun)
                    if found:
                        name, cand.place = "place", place
                        if frame.place and "personnel" in cand.classes:
                            cand.type, cand.mode = frame.place
                elif role == "clause":
                    if deep:
                        continue
                    for head in heads:  # "reiterated its demand that Israel ease …"
                        found = self._clause_subject(head, ("acl", "ccomp"))
                        if found:  # asked for, not done
                            cand.consumed.update(t.i for c in head.children
                                                 if c.dep_ in ("acl", "ccomp") for t in c.subtree)
                            break
                elif role in _NOT_PREPS:
                    continue
                else:
                    prep = ""
                    for head in heads:
                        found, prep = self._pobj_args(head, (role,), deep)
                        if found:
                            break
                    if found:
                        for p, t, m in frame.by_prep:
                            if p == prep:
                                cand.type, cand.mode = t, m
                found = self._others([a for a in found if a.code], cand.source)
                if found:
                    cand.target, cand.target_role = found, name
                    return
        if cand.carrier is not None:
            deps = ("dative", "dobj") if noun.head.lower_ == "as" else ("dative",)
            found = [a for c in cand.carrier.children if c.dep_ in deps
                     for a in self._args(c)]
            found = self._others([a for a in found if a.code], cand.source)
            if found:
                cand.target, cand.target_role = found, "direct"
                return
        self._reciprocal(cand)

    @staticmethod
    def _joint(cand: _Cand) -> bool:
        """Is the act one actors do with each other? A verb says so in its frame ("met",
        "agreed"; not "hosted", "pledged"); a mutual noun always ("the talks", "a pact")."""
        if cand.frame.reciprocal:
            return True
        return cand.frame.pos == "noun" and cand.type in _MUTUAL

    @classmethod
    def _mutual(cls, cand: _Cand) -> bool:
        """A joint act of several actors: with each other, wherever it happens."""
        return cls._joint(cand) and len({a.code for a in cand.source if a.code}) >= 2

    def _reciprocal(self, cand: _Cand) -> None:
        codes = {a.code for a in cand.source if a.code}
        if len(codes) >= 2 and self._joint(cand):
            cand.target, cand.target_role = list(cand.source), "reciprocal"

    def _others(self, found: list[_Arg], source: list[_Arg]) -> list[_Arg]:
        """Targets that are not the source itself (a state may act on its own non-state
        actors: government on rebels, police on protesters)."""
        out = []
        for a in found:
            same = [s for s in source if s.code == a.code and a.code is not None]
            if any(s.start == a.start for s in source):
                continue
            if same and not any(_domestic(s, a) for s in same):
                continue
            out.append(a)
        return out

    def _purpose(self, verb: Token, obj: Token | None) -> tuple[list[_Arg], int]:
        """The beneficiary named by an infinitive of purpose ("to assist Russian forces")."""
        heads = [verb] + ([obj] if obj is not None else [])
        for head in heads:
            for c in head.children:
                if c.dep_ not in ("advcl", "xcomp", "acl", "relcl") or c.pos_ != "VERB":
                    continue
                if not any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    continue
                for v in [c] + [x for x in c.children if x.dep_ == "xcomp"]:
                    if v.lemma_.lower() not in self.lex.purpose_verbs:
                        continue
                    for o in v.children:
                        if o.dep_ in ("dobj", "obj"):
                            found = self._args(o)
                            if found:
                                return found, v.i
        return [], -1

    def _place_target(self, tok: Token) -> tuple[list[_Arg], Place | None]:
        """A place under the trigger, standing for its country: a named place ("to Russia's
        Kursk region", "in Kirkuk"), or a state named as where ("its forces in Lebanon")."""
        lo, hi = tok.left_edge.i, tok.right_edge.i + 1
        best = None
        for place, s, e in self.places:
            if lo <= s and e <= hi:
                country = place.country or place_country(_place_name(place.text))
                if country and (best is None or abs(s - tok.i) < abs(best[1] - tok.i)):
                    best = (place, s, e, country)
        if best is not None:
            place, s, e, country = best
            arg = _Arg(_place_name(place.text), country, None,
                       self.c.actors.ref.actor_name(country), "place", s, e)
            return [arg], place
        for t in self.doc[lo:hi]:
            if t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE and t.i in self.tok_args:
                states = [a for a in self.tok_args[t.i] if a.code and a.kind == "state"
                          and a.resolved_by in ("name", "alias", "official", "historical")]
                if states:
                    a = states[0]
                    return [_Arg(a.text, a.code, None, a.actor, "place", a.start, a.end)], None
        return [], None

    # ------------------------------------------------------------------ linking triggers

    def _link(self, cands: list[_Cand], by_tok: dict[int, _Cand]) -> None:
        """Absorb, defer and consume: one event per act, not one per word."""
        for cand in cands:
            for i in cand.consumed:
                other = by_tok.get(i)
                if other is not None and other is not cand and not cand.suppressed:
                    other.suppressed = True
            frame = cand.frame
            if frame.pos != "verb" or not (frame.absorb or frame.defer):
                continue
            below = [by_tok[c.i] for c in cand.tok.children
                     if c.dep_ in ("xcomp", "ccomp") and c.i in by_tok]
            below += [by_tok[x.i] for b in below for x in b.tok.conjuncts if x.i in by_tok]
            if not below:
                continue
            if frame.absorb:
                for b in below:
                    b.suppressed = True
                modes = self.lex.xcomp_modes.get(cand.type, {})
                if below[0].type in modes:
                    cand.mode = modes[below[0].type]
                if not cand.target:
                    cand.target = self._others(below[0].target, cand.source)
                    cand.target_role = "inherited" if cand.target else ""
            elif any((b.source or b.target) and self._modality(b).is_event for b in below):
                cand.suppressed = True  # "agreed to withdraw": the withdrawal, as intended

    def _inherit_target(self, cand: _Cand, by_tok: dict[int, _Cand]) -> None:
        """A subordinate act with no target of its own takes the one of the act it serves:
        "supporting Russia's campaign … to provide supplies of artillery"."""
        if not cand.source or cand.type not in _COOPERATIVE:
            return
        tok = cand.tok
        for _ in range(5):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            other = by_tok.get(tok.i)
            if other is not None and other.target and other is not cand and \
                    other.type in _COOPERATIVE:
                found = self._others(other.target, cand.source)
                if found:
                    cand.target, cand.target_role = found, "inherited"
                    return
        src = {a.code for a in cand.source}
        for other in by_tok.values():  # "supplying arms and troops to aid Russian efforts"
            if other is not cand and other.target and other.type in _COOPERATIVE and \
                    {a.code for a in other.source} == src:
                found = self._others(other.target, cand.source)
                if found:
                    cand.target, cand.target_role = found, "inherited"
                    return
        if cand.type != "AID" or self._other_actors(cand):
            return
        # "Iran complements this trio by providing drones": the recipient of the sentence
        # before (same paragraph) is the one meant.
        work = self.work
        if work.last_sentence != self.index - 1 or not work.last_events:
            return
        between = work.text[work.last_events[0].evidence["end"]:self.offset]
        if "\n" in between:
            return
        for e in work.last_events:
            if e.type in ("AID", "SUPPORT", "COOPERATE"):
                found = [_Arg(a["text"], a["code"], a["sector"], a.get("actor"), "discourse",
                              -1, -1) for a in e.target]
                found = self._others(found, cand.source)
                if found:
                    cand.target, cand.target_role = found, "discourse"
                    return

    def _purpose_target(self, cand: _Cand, cands: list[_Cand]) -> None:
        """An act done for a purpose is done to whom the purpose names: "began a hunger
        strike to demand the resignation of X" (against X), "opened the bridge to allow
        deliveries to Afghanistan", "massed troops to attack X"."""
        heads = [cand.tok] + ([cand.carrier] if cand.carrier is not None else [])
        if cand.tok.dep_ in ("dobj", "obj"):
            heads.append(cand.tok.head)
        for head in heads:
            for clause in head.children:
                if clause.dep_ != "advcl" or clause.pos_ != "VERB" or not any(
                        a.dep_ == "aux" and a.lower_ == "to" for a in clause.children):
                    continue
                lo, hi = clause.left_edge.i, clause.right_edge.i
                inner = sorted((c for c in cands if c is not cand and c.target
                                and lo <= c.tok.i <= hi), key=lambda c: c.tok.i)
                for other in inner:
                    found = self._others([a for a in other.target if a.code], cand.source)
                    if found:
                        cand.target, cand.target_role = found, "purpose"
                        return

    def _requested_target(self, cand: _Cand, cands: list[_Cand]) -> None:
        """Asking for an act against someone is addressed at them: "called for sanctions
        against Nigeria", "demanded a truce in east Bosnia" (the act asked for, an event
        noun in the request's own phrase, names the target)."""
        tok = cand.tok
        inner = [c for c in cands if c is not cand and c.frame.pos == "noun" and c.target
                 and tok.left_edge.i <= c.tok.i <= tok.right_edge.i
                 and tok in c.tok.ancestors
                 and not any(a.dep_ in ("ccomp", "relcl", "advcl") and a != tok
                             for a in c.tok.ancestors if tok in a.ancestors)]
        for other in sorted(inner, key=lambda c: abs(c.tok.i - tok.i)):
            found = self._others([a for a in other.target if a.code], cand.source)
            if found:
                cand.target, cand.target_role = found, "purpose"
                return

    def _defied(self, cand: _Cand) -> None:
        """A protest done "in defiance of X" (or "in protest at X") is aimed at X, not at the
        place it happens in: "marched through Minsk in defiance of the Belarusian authorities"."""
        for c in cand.tok.children:
            if c.dep_ != "prep" or c.lower_ != "in":
                continue
            for n in c.children:
                if n.dep_ == "pobj" and n.lemma_.lower() in _DEFIANCE:
                    found, _ = self._pobj_args(n, ("of", "against", "at", "over"))
                    found = self._others(found, cand.source)
                    if found:
                        cand.target, cand.target_role = found, "direct"
                        return

    def _own_government(self, cand: _Cand) -> None:
        """Protesters with no stated target protest their own government (CAMEO's convention):
        "Egyptian demonstrators rioted" -> EGY civilians against EGY GOV."""
        ref = self.c.actors.ref
        found = [_Arg(a.text, a.code, "GOV", ref.actor_name(a.code), "place", a.start, a.end)
                 for a in cand.source if a.code and ref.is_state(a.code)
                 and a.sector in _NON_STATE]
        if found:
            cand.target, cand.target_role = _unique(found), "inherited"

    def _local_crowd(self, cand: _Cand) -> None:
        """Unnamed protesters are people of the place they protest in (CAMEO's convention):
        "demonstrators protesting election results in Monrovia" -> LBR civilians."""
        tok = cand.carrier if cand.carrier is not None else cand.tok
        heads = [cand.tok, tok]
        for _ in range(3):  # the clause the protest belongs to
            if tok.dep_ not in ("xcomp", "acl", "advcl", "pcomp", "pobj", "prep", "dobj") or \
                    tok.head.i == tok.i:
                break
            tok = tok.head
            heads.append(tok)
        who = next((c for h in heads for c in h.children if c.dep_ in _SUBJECTS), None)
        if cand.tok.dep_ == "acl" and cand.tok.head.pos_ in ("NOUN", "PROPN"):
            who = cand.tok.head  # "demonstrators protesting …"
        if who is not None and who.pos_ == "PROPN":
            return  # a named group the actor coder does not know: not just "people"
        heads += [c for h in heads for c in h.children if c.dep_ in ("dobj", "obj")]
        if who is not None:
            heads.append(who)
        found: list[_Arg] = []
        for h in heads:  # where it happens: "in Monrovia", "outside parliament in Kyiv"
            for c in h.children:
                if c.dep_ == "prep" and c.lower_ in _LOCATIVE | {"outside"} and not found:
                    found = self._place_target(c)[0]
                    if found and not self._plain_path(found[0].start, c):
                        found = []  # "in protest of … the independence of Chechnya"
        if not found:
            return
        text = who.text if who is not None else found[0].text
        a = found[0]
        cand.source = [_Arg(text, a.code, "CVL", a.actor, "place", a.start, a.end)]
        cand.source_role = "place"

    def _plain_path(self, i: int, top: Token) -> bool:
        """Does the phrase at token ``i`` hang on ``top`` through plain noun phrases only (no
        verb, no event noun in between)?"""
        tok = self.doc[i]
        for _ in range(12):
            if tok.i == top.i:
                return True
            if tok.i != i and (tok.pos_ in ("VERB", "AUX") or self._noun_trigger(tok)):
                return False
            if tok.head.i == tok.i:
                return False
            tok = tok.head
        return False

    def _home_target(self, cand: _Cand) -> None:
        """Police and courts act at home: "Egyptian police … arresting 12" with no one else in
        the sentence -> on Egyptians (civilians)."""
        src = {a.code for a in cand.source if a.code}
        if len(src) != 1 or not all(a.sector in ("COP", "JUD") for a in cand.source if a.code):
            return
        if not any(c.dep_ in ("dobj", "obj", "nsubjpass") for c in cand.tok.children):
            return
        if self._other_actors(cand) or any(
                (p.country or place_country(_place_name(p.text))) not in (None, *src)
                for p, _, _ in self.places):
            return
        a = next(a for a in cand.source if a.code)
        cand.target = [_Arg(a.text, a.code, "CVL", a.actor, "place", a.start, a.end)]
        cand.target_role = "inherited"

    def _named_subject(self, cand: _Cand) -> bool:
        """Is the trigger's subject a proper name (a group the actor coder does not know)?"""
        tok = cand.carrier if cand.carrier is not None else cand.tok
        for _ in range(3):
            who = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
            if who is not None:
                return who.pos_ == "PROPN"
            if tok.head.i == tok.i:
                break
            tok = tok.head
        return False

    def _unnamed_agent(self, cand: _Cand, sector: str | None = None) -> None:
        """An agentless passive in a sentence about one state only, done to its people or
        territory, is that state's own affair: "a journalist has been killed in Beirut" -> LBN
        on LBN (not "a US soldier was killed": a foreign state's forces). With ``sector``
        CVL: unnamed protesters against a state's leader, with no other state in the
        sentence, are that state's people."""
        codes = {a.code for a in cand.target if a.code}
        if len(codes) != 1 or not all(
                a.resolved_by == "place" or a.sector in _NON_STATE
                or (sector == "CVL" and a.kind == "person")  # protests against a leader
                or place_country(_place_name(a.text)) == a.code  # the country itself
                for a in cand.target if a.code):
            return
        if any(a.code and a.code not in codes for args in self.tok_args.values()
               for a in args):
            return
        if any((p.country or place_country(_place_name(p.text))) not in (None, *codes)
               for p, _, _ in self.places):
            return
        a = next(a for a in cand.target if a.code)
        cand.source = [_Arg(a.text, a.code, sector, a.actor, "place", a.start, a.end)]
        cand.source_role = "inherited"

    def _other_actors(self, cand: _Cand) -> bool:
        src = {a.code for a in cand.source}
        return any(a.code and a.code not in src for args in self.tok_args.values()
                   for a in args)

    # ------------------------------------------------------------------ events

    def _event(self, cand: _Cand) -> Event | None:
        if cand.type == STATEMENT:
            return None
        source = [a for a in cand.source if a.code]
        target = [a for a in cand.target if a.code]
        if not source or not target:
            return None
        if cand.target_role != "reciprocal" and {a.code for a in source} == \
                {a.code for a in target} and not any(_domestic(s, t) for s in source
                                                      for t in target):
            return None
        if self._background(cand):
            return None
        modality = self._modality(cand)
        if not modality.is_event:
            return None
        c = self.c
        score = c.plover.score(cand.type, cand.mode, modality.value)
        tok = cand.tok
        t_start = self.offset + tok.idx
        quantities = self._quantities(cand)
        when = self._date(t_start)
        return Event(
            type=cand.type, mode=cand.mode, cameo=score["cameo"], quad=score["quad"],
            goldstein=score["goldstein"],
            source=[a.to_json() for a in _unique(source)],
            target=[a.to_json() for a in _unique(target)],
            modality=modality.value, attribution=modality.attribution,
            quantity=quantities[0].to_json() if quantities else None,
            date=when[0], date_precision=when[1], date_text=when[2],
            location=self._location(cand),
            evidence={"doc_id": self.work.coding.doc_id, "sentence": self.index,
                      "start": self.offset, "end": self.end, "text": self.text},
            confidence=self._confidence(cand, source, target, modality),
            extractor=c.extractor,
            trigger={"text": tok.text, "lemma": cand.frame.lemma, "start": t_start,
                     "end": t_start + len(tok.text)},
            quantities=[q.to_json() for q in quantities])

    def _modality(self, cand: _Cand) -> Modality:
        """The modality of a candidate (read once), and what it does to the type: a refusal
        to commit or yield is a REJECT ("will not lift the ban"); intent to harm is a THREATEN
        ("said they would boycott"), as intent to cooperate is an agreement (CAMEO 12, 13, 03)."""
        if cand.modality is None:
            modality = decide_modality(self.doc, cand.tok)
            if modality.value in ("asserted", "reported") and self._ability(cand.tok):
                modality = Modality("speculative", modality.attribution, "capacity")
            elif modality.value == "negated" and self._not_ruled_out(cand.tok):
                modality = Modality("speculative", modality.attribution, "not rule out")
            elif modality.value not in ("asserted", "reported", "hypothetical") and \
                    self._presupposed(cand.tok):
                modality = Modality("asserted", None, "presupposed")
            elif modality.value == "hypothetical" and _own_condition(cand.tok):
                if cand.type == "THREATEN":  # "warned Moscow of sanctions if it attacked"
                    modality = Modality("asserted", None, "condition")
                elif _future(cand.tok):  # "would meet the mediator if he gave them a veto"
                    modality = Modality("intended", modality.attribution, "conditional")
            cand.modality = modality
            negated = modality.value == "negated" or any(
                c.dep_ == "neg" for c in cand.tok.children)  # "will not accept … if war starts"
            if (modality.cue or "").lower() == "without":
                negated = False  # "signed … without pledging troops": no act, no refusal
            if negated and cand.type in ("AGREE", "CONCEDE", "RETREAT"):
                cand.type, cand.mode = "REJECT", "yield" if cand.type != "AGREE" else "other"
            elif modality.value == "intended" and cand.type in _HOSTILE:
                cue = (modality.cue or "").lower()
                if cue in _POSTURE and cand.type == "ASSAULT":
                    cand.type, cand.mode = "MOBILIZE", "other"  # "prepared to resume shelling"
                elif not cue.startswith(_DONE):  # "would boycott"; not "approved the attacks"
                    modes = self.lex.xcomp_modes.get("THREATEN", {})
                    cand.type, cand.mode = "THREATEN", modes.get(cand.type, "other")
        return cand.modality

    @staticmethod
    def _not_ruled_out(tok: Token) -> bool:
        """"does not rule out supplying weapons": two negations make a possibility."""
        for _ in range(4):
            if tok.head.i == tok.i:
                return False
            tok = tok.head
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            ruled = tok.lemma_.lower() == "exclude" or (
                tok.lemma_.lower() == "rule" and any(c.lower_ == "out" for c in tok.children))
            if ruled:
                return any(c.dep_ == "neg" for c in tok.children)
        return False

    @staticmethod
    def _presupposed(tok: Token) -> bool:
        """An event noun in a time adjunct is given, not planned or denied: "abandoned
        neutrality after Russia's invasion", "since the coup", "in the wake of the attack"."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "pobj":
            return False
        prep = tok.head
        if prep.lower_ in _TIME_PREPS:
            return True
        # "in the wake of", "in the aftermath of"
        return prep.lower_ == "of" and prep.head.lower_ in ("wake", "aftermath") and \
            prep.head.dep_ == "pobj"

    def _ability(self, tok: Token) -> bool:
        """'Kyiv's capacity to target…': a possibility, not an act."""
        for _ in range(4):
            if tok.dep_ == "acl" and tok.head.lemma_.lower() in self.lex.ability_nouns:
                return True
            if tok.head.i == tok.i or tok.dep_ not in ("xcomp", "conj", "acl", "advcl"):
                return False
            tok = tok.head
        return False

    def _background(self, cand: _Cand) -> bool:
        """'which has traditionally supported Pyongyang': a standing relation, not an act."""
        heads = [cand.tok] + ([cand.carrier] if cand.carrier is not None else [])
        return any(c.dep_ == "advmod" and c.lower_ in self.lex.background_adverbs
                   for h in heads for c in h.children)

    def _quantities(self, cand: _Cand) -> list[Quantity]:
        """Amounts inside the trigger's phrase (and the noun a participle modifies), nearest
        first: "sent an estimated 11,000 troops", "thousands of troops reportedly deployed"."""
        toks = [cand.tok] + ([cand.carrier] if cand.carrier is not None else [])
        lo = min(t.left_edge.i for t in toks)
        hi = max(t.right_edge.i for t in toks)
        if cand.tok.dep_ in ("acl", "amod", "ccomp", "advcl") or _passive(cand.tok):
            for c in cand.tok.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    lo = min(lo, c.left_edge.i)
            if cand.tok.dep_ in ("acl", "amod"):
                lo = min(lo, cand.tok.head.left_edge.i)
        doc = self.doc
        a, b = doc[lo].idx, doc[hi].idx + len(doc[hi].text)
        found = [q for q in self.quantities
                 if self.offset + a <= q.start and q.end <= self.offset + b]
        at = self.offset + cand.tok.idx
        found.sort(key=lambda q: min(abs(q.start - at), abs(q.end - at)))
        return found

    def _date(self, at: int) -> tuple[str | None, str | None, str | None]:
        """The date the sentence gives (the expression nearest the trigger), else the
        publication date with precision "published"; nothing when neither is known."""
        dates = find_event_dates(self.text, self.work.published)
        if dates:
            rel = at - self.offset
            best = min(dates, key=lambda d: min(abs(d.start - rel), abs(d.end - rel)))
            return best.date.isoformat(), best.precision, best.text
        if self.work.published is not None:
            return self.work.published.isoformat(), "published", None
        return None, None, None

    def _location(self, cand: _Cand) -> dict | None:
        if cand.place is not None:
            p = cand.place
            return {"text": _place_name(p.text),
                    "country": p.country or place_country(_place_name(p.text))}
        toks = [cand.tok] + ([cand.carrier] if cand.carrier is not None else [])
        best = None
        for tok in toks:
            lo, hi = tok.left_edge.i, tok.right_edge.i + 1
            for place, s, e in self.places:
                if lo <= s and e <= hi and (best is None or abs(s - tok.i) < best[0]):
                    best = (abs(s - tok.i), place)
        if best is not None:
            p = best[1]
            name = _place_name(p.text)
            return {"text": name, "country": p.country or place_country(name)}
        for tok in toks:  # "attacks in Syria": a state named as where, not whom
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "inside", "near", "at"):
                    for p in c.children:
                        args = self.tok_args.get(p.i, [])
                        states = [a for a in args if a.code and a.resolved_by in
                                  ("name", "alias", "official")]
                        if p.dep_ == "pobj" and states:
                            return {"text": states[0].text, "country": states[0].code}
        return None

    def _confidence(self, cand: _Cand, source: list[_Arg], target: list[_Arg],
                    modality: Modality) -> float:
        """How far to trust the event: roles x actor resolution x modality x pattern.

        Roles read straight off the parse (subject, object, to-phrase) count 1.0; roles
        reached by inference (a purpose clause, a place for its country, the sentence before)
        less. Actors named by name count more than demonyms, capitals and coreference.
        Reported and intended acts count a little less than asserted ones; weak triggers
        (common verbs with other senses) less than specific ones.
        """
        roles = _ROLE_TRUST.get(cand.source_role, 0.8) * _ROLE_TRUST.get(cand.target_role, 0.8)
        actors = min(ACTOR_TRUST.get(a.resolved_by, 0.8) for a in source + target)
        mood = MODALITY_TRUST.get(modality.value, 0.7)
        weak = 0.85 if cand.frame.weak else 1.0
        return round(0.95 * roles * actors * mood * weak, 2)

    def _note(self, cand: _Cand, event: Event | None) -> None:
        tok = cand.tok
        depth = 0
        t = tok
        while t.head.i != t.i and depth < 50:
            t = t.head
            depth += 1
        if event is not None:
            modality, cameo = event.modality, event.cameo
        elif cand.type == STATEMENT:
            modality, cameo = "", cand.mode or "010"
        else:
            modality = self._modality(cand).value
            cameo = self.c.plover.cameo(cand.type, cand.mode, modality)
        self.work.coding.candidates.append(Candidate(
            sentence=self.index, lemma=cand.frame.lemma, type=cand.type, mode=cand.mode,
            cameo=cameo, start=self.offset + tok.idx, end=self.offset + tok.idx + len(tok),
            depth=depth, weak=cand.frame.weak,
            source=tuple(a.code for a in cand.source if a.code),
            target=tuple(a.code for a in cand.target if a.code), modality=modality,
            event=event is not None, suppressed=cand.suppressed))


# ============================================================================ helpers

def _rank(e: Event) -> tuple:
    """Of two codings of one act, the one that says more, then the surer one."""
    return (e.mode not in (None, "other"), e.quantity is not None, e.confidence)


def _passive(tok: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return True
    return tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod") and \
        not any(c.dep_ == "aux" for c in tok.children)


def _prep_object(tok: Token, prep: str) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == prep:
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _advice_modal(clause: Token) -> str | None:
    """The advice modal of a clause ("must", "should", "has to"), if it has one."""
    for c in clause.children:
        if c.dep_ in ("aux", "auxpass") and c.lower_ in ("must", "should", "ought"):
            return c.lower_
    if clause.lemma_ in ("have", "need") and any(
            x.dep_ == "xcomp" and any(a.lower_ == "to" for a in x.children)
            for x in clause.children):
        return clause.lemma_
    return None


def _own_condition(tok: Token) -> bool:
    """Is the trigger the main clause of its own if/unless clause (the condition it sets)?"""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children) for c in tok.children)


def _future(tok: Token) -> bool:
    """"will/would send", not "would have sent" (a counterfactual)."""
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & {"will", "would", "'ll", "shall", "wo"}) and "have" not in aux


def _domestic(a: _Arg, b: _Arg) -> bool:
    """A state acting on its own non-state actors or territory, or they on it: not a
    self-event ("Turkish authorities imposed a curfew in southeastern Turkey")."""
    if a.code != b.code:
        return False
    if "place" in (a.resolved_by, b.resolved_by):
        return True
    return a.sector != b.sector and (a.sector in _NON_STATE or b.sector in _NON_STATE)


# Sectors of unnamed actors that belong to the state a sentence is about (not foreign
# bodies such as inspectors, NGOs or IGOs, nor the press that reports).
_DOMESTIC_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "CVL",
                               "PTY", "REF", "LAB", "EDU", "ELI", "SEP", "BUS", "CRM", "ISM",
                               "UAF", "SPY", "HLH"})


def _domestic_role(m: Mention) -> bool:
    """An actor named only by role or title ("elders", "police", "Judge X", "President Y"),
    which the sentence's one state may place."""
    if m.resolved_by.startswith("coreference"):
        return False
    return m.sector in _DOMESTIC_SECTORS and m.kind in ("agent", "person", "organisation")


def _fits(arg: _Arg, want: str) -> bool:
    if want == "person":
        return arg.kind == "person"
    if want == "it":
        return arg.kind != "person"
    return True


def _unique(args: list[_Arg]) -> list[_Arg]:
    seen: set[tuple] = set()
    out = []
    for a in args:
        key = (a.code, a.start, a.text)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out
