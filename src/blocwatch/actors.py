"""Actor coding: which spans of a text name an international actor, and which actor on that date.

Recognition is dictionary first: one spaCy ``PhraseMatcher`` over every name, alias, demonym,
capital, seat of power, armed force, organisation, group and person in the reference data
(case-sensitive, so "US" is not "us" and "Turkey" is not the bird; sentence-initial, headline
and curly-apostrophe forms are added), the longest match winning. spaCy's NER is the backstop
for people and organisations the data does not know; they are coded through their modifiers
("Russian Defence Minister X" -> RUS GOV), or kept uncoded (``code`` None) so later stages
still see that an actor is there.

Around each name, a few rules of English news style decide the actor and sector:

* cue words from ``sectors.yaml`` next to a name give the sector and widen the mention
  ("North Korean troops" -> PRK MIL, "the Biden administration" -> USA GOV, "the government
  of Syria" -> SYR GOV); a bare state name or capital is the government (GOV), a bare demonym
  the state without sector;
* titles and modifiers before a person ("North Korean leader Kim Jong Un", "Current President
  Joe Biden") and appositions after ("Choe Son-hui, North Korea's Foreign Minister") belong to
  the person's mention;
* a person's code and sector follow the office held on the document's date (see
  :meth:`ActorCoder.resolve_person`);
* part of a person's name run together with another capitalised name ("President Levy
  Mwanawasa" is not David Levy, "Chelsea Clinton" is not Bill Clinton) names someone else:
  the whole name goes to NER and the title rules;
* places are not actors: "the Kursk region", "Russia's Kursk region", "Syrian airspace",
  "in Moscow", an unknown name after "in" become :class:`Place`\\ s (with the country when a
  state names it); "pro-Russian", "anti-Western" are attitudes, not actors;
* "the two nations" / "both countries" refer back to two states only when the sentence (or
  the one before, same paragraph) names exactly two; an unknown person coded once ("Youssef
  Chahed, the Prime Minister of Tunisia") keeps that code when named again ("Chahed");
* "he/him/his/she/her", subject "it"/"its" and "they/their" stand for the actor just named
  (this sentence or the one before, same paragraph) only when it is the one actor of that
  kind there: one person, one singular state/body/group, one plural or collective actor;
* a cue heading a noun phrase on its own ("the army", "protesters", "Police") is an actor
  of unknown state: ``kind="agent"``, a sector and no code, for later stages to place.

Mention kinds: ``state`` (a state or one of its agents), ``igo``, ``group`` (armed group or
movement; code = the country it operates in), ``person``, ``collective`` (the West; unknown
NORP such as "Kurdish"), ``organisation`` (other bodies: NGOs, unknown NER organisations),
``agent`` (role only). ``resolved_by`` says which rule decided the code: ``name``, ``alias``,
``official``, ``historical``, ``demonym``, ``capital``, ``seat``, ``military``,
``legislature``, ``intelligence``, ``police`` (how a data name matched), ``person+office``,
``person:nationality``, ``person:former``, ``person:undated`` (see
:meth:`ActorCoder.resolve_person`), ``ner``, ``ner+modifier``, ``ner+apposition``,
``name+apposition``, ``coreference``, ``coreference:pronoun``, ``coreference:description``,
``cue``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import LOWER
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from blocwatch.annotate import ACTORS, BATCH_SIZE, annotate, load_nlp
from blocwatch.reference import Office, Person, Reference, load_reference

# Names of a state's bodies ("KGB", "Duma") that another state's demonym can own ("Belarusian
# KGB": Belarus's own).
_BODY_VIAS = frozenset({"military", "intelligence", "police", "legislature"})
# Which sector each kind of country name implies by itself (None: the state, no sector).
_VIA_SECTOR = {
    "name": "GOV", "alias": "GOV", "official": "GOV", "historical": "GOV", "capital": "GOV",
    "seat": "GOV", "military": "MIL", "legislature": "LEG", "intelligence": "SPY",
    "police": "COP", "demonym": None,
}
_STATE_VIAS = {"name", "alias", "official", "historical"}  # can stand for a place ("in Syria")
_CITY_VIAS = {"capital"}
_ADJ_VIAS = {"demonym"}

_POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019"})
# Before an unknown name, these make it a place the NER mistook for a person or organisation.
_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "around", "across", "towards",
                                 "inside", "into", "throughout"})
# Words before a capital that make it a place rather than the government it stands for.
_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "into",
                       "within", "throughout", "via"})
# Nouns after a state name or demonym that make the phrase a place ("Russian territory").
_PLACE_NOUNS = frozenset({
    "region", "regions", "province", "provinces", "oblast", "oblasts", "territory",
    "territories", "border", "borders", "city", "cities", "town", "towns", "village",
    "villages", "coast", "coastline", "airspace", "waters", "soil", "mainland", "port",
    "ports", "island", "islands", "enclave", "frontier", "countryside", "heartland", "district",
    "districts", "governorate", "county", "capital", "north", "south", "east", "west",
    "northeast", "northwest", "southeast", "southwest", "interior",
    "desert", "mountains", "valley", "peninsula", "sea", "river", "lake", "gulf", "bay",
})
_ADMIN_NOUNS = ("region", "province", "oblast", "district", "governorate", "county",
                "prefecture", "city", "town", "village", "state")
_MODIFIERS = frozenset({"current", "former", "then", "acting", "outgoing", "incoming", "interim",
                        "new", "late", "newly", "elected", "ex", "deposed", "ousted", "exiled",
                        "sitting", "de", "facto", "self", "-", "proclaimed", "longtime",
                        "long", "time", "veteran", "top", "senior", "deputy", "vice", "chief",
                        "first", "caretaker", "transitional"})
_FORMER = frozenset({"former", "ex", "late", "deposed", "ousted", "exiled", "then"})
# Honorifics and military ranks before a name (ranks give MIL to an unknown person).
_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame",
                         "sheikh", "sheik", "lord", "lady", "prof", "prof."})
_RANKS = frozenset({"gen", "gen.", "general", "lt", "lt.", "lieutenant", "col", "col.",
                    "colonel", "maj", "maj.", "major", "brig", "brig.", "brigadier", "adm",
                    "adm.", "admiral", "capt", "capt.", "captain", "marshal", "field",
                    "commander", "cmdr", "cmdr.", "sgt", "sgt.", "sergeant", "vice", "rear"})
# Collective heads that widen an organisation/collective mention without changing its sector.
_COLLECTIVE = frozenset({"allies", "ally", "members", "member", "states", "countries",
                         "nations", "partners", "powers", "governments", "capitals",
                         "counterparts", "democracies"})
_COREF_NOUNS = {"nations": None, "countries": None, "states": None, "sides": None,
                "governments": "GOV", "leaders": "GOV", "allies": None, "neighbours": None,
                "neighbors": None, "powers": None, "capitals": "GOV", "militaries": "MIL",
                "armies": "MIL", "regimes": "GOV"}
# Nouns after a cue that make the phrase a facility (a place), not an actor ("army base").
_FACILITY_NOUNS = frozenset({
    "airport", "airports", "airbase", "airbases", "base", "bases", "airfield", "airfields",
    "compound", "compounds", "installation", "installations", "facility", "facilities",
    "barracks", "camp", "camps", "checkpoint", "checkpoints", "prison", "prisons", "complex",
    "site", "sites", "post", "posts", "outpost", "outposts", "depot", "depots", "building",
    "buildings", "headquarters", "hq", "zone", "zones", "area", "areas", "positions",
    "position", "targets", "target", "vehicle", "vehicles", "convoy", "convoys",
})
# Verbs that commonly follow an actor subject and are no nouns ("the army said").
_REPORT_VERBS = frozenset({"said", "says", "say", "told", "tells", "warned", "warns", "added",
                           "claimed", "claims", "stated", "states", "announced", "announces",
                           "reported", "reports", "accused", "accuses", "urged", "urges",
                           "called", "calls", "denied", "denies", "insisted", "insists",
                           "confirmed", "confirms", "began", "begins", "met", "meets", "sent",
                           "sends", "took", "takes", "made", "makes", "launched", "launches",
                           "fought", "fight", "fights", "seized", "seize", "seizes", "hit",
                           "hits", "struck", "strikes", "arrested", "arrests", "killed",
                           "kills", "detained", "detains", "fired", "fires", "opened",
                           "opens", "rejected", "rejects", "agreed", "agrees", "signed",
                           "signs", "held", "holds", "gave", "gives", "sought", "seeks"})


# Pronouns resolved inside a paragraph (see :meth:`_DocCoder._pronouns`).
_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
_PLURAL_PRONOUNS = frozenset({"they", "their"})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")  # a blank line
# Words after "it" that make it the subject of a verb ("it said", "it will", "it also").
_IT_VERBS = _REPORT_VERBS | frozenset({
    "has", "had", "have", "is", "was", "will", "would", "can", "could", "should", "may",
    "might", "must", "shall", "did", "does", "also", "later", "then", "still", "already",
    "now", "remains", "remained", "continues", "wants", "plans", "intends", "hopes",
    "believes", "considers", "expects", "needs", "aims", "refuses", "refused", "vowed",
    "vows", "pledged", "pledges", "promised", "promises", "threatened", "threatens",
})
# After "it is" / "it was": an impersonal "it" ("it is unclear whether", "it was reported").
_IT_IMPERSONAL = frozenset({
    "clear", "unclear", "likely", "unlikely", "possible", "impossible", "important",
    "necessary", "time", "believed", "thought", "reported", "expected", "understood", "known",
    "unknown", "hard", "difficult", "easy", "true", "feared", "estimated", "said", "not",
    "too", "the", "a", "an", "also", "now", "still", "being", "worth", "essential", "vital",
    "crucial", "unacceptable", "ironic", "notable", "noteworthy", "obvious", "evident",
    "apparent", "alleged", "claimed", "rumoured", "rumored", "up", "no", "only", "here",
    "there", "this", "that", "so", "as", "in", "on", "at", "for", "about", "raining",
    "going", "hoped", "agreed", "decided", "announced", "confirmed", "noted", "stressed",
})
# Titles of address before a name that the sector cues do not list ("Ayatollah Khamenei").
_NAME_TITLES = frozenset({"ayatollah", "imam", "mullah", "rabbi", "pope", "cardinal",
                          "archbishop", "bishop", "reverend", "rev", "father", "brother",
                          "comrade", "prince", "princess", "king", "queen", "emir", "sultan",
                          "shah", "tsar", "czar", "emperor", "empress", "president", "premier",
                          "chairman", "senator", "sen", "rep", "governor", "mayor", "judge",
                          "justice", "ambassador", "envoy", "chancellor", "pastor",
                          "saint", "st", "mrs", "miss", "madam", "madame", "monsieur", "herr",
                          "señor", "senor", "don", "dona", "doña"})
# Entity types a name's neighbour may carry and still be part of that name.
_NAME_ENTS = frozenset({"", "PERSON"})
_COPULAS = frozenset({"is", "was", "'s", "\u2019s"})
_IT_AUXILIARIES = _COPULAS | frozenset({"has", "had", "have", "will", "would", "can", "could",
                                        "should", "may", "might", "must", "shall"})
# Words before "it" that open a clause it is the subject of ("said that it carries").
_CLAUSE_OPENERS = _REPORT_VERBS | frozenset({
    "that", "and", "but", "because", "as", "if", "when", "while", "since", "where", ",",
    "unless", "until", "though", "although", "whether", "so", "after", "before", "once"})
# After "it is": a state's or body's disposition, not an impersonal "it".
_IT_WILLING = frozenset({"willing", "unwilling", "ready", "prepared", "able", "unable",
                         "determined", "committed", "eager", "keen", "reluctant", "open"})
# Kinds that "it" can stand for, and that "they" can when the mention names a plural.
_IT_KINDS = frozenset({"state", "igo", "organisation", "group"})
#: Words after a singular cue that are no noun it modifies ("shot a protester yesterday",
#: "the minister overnight"): the cue still heads its phrase.
_NOT_MODIFIED = frozenset({"yesterday", "today", "tonight", "overnight", "again", "too",
                           "instead", "alone", "abroad", "nearby", "earlier", "later", "now"})
#: Definite descriptions that wire copy uses for an actor just named ("the bloc", "the
#: kingdom", "the self-ruled island"): noun -> the kind of mention it can stand for, and a
#: word the state's name or official name must hold (a kingdom is a Kingdom of ...).
_DESCRIPTIONS: dict[str, tuple[str, str | None]] = {
    "bloc": ("igo", None), "alliance": ("igo", None),
    "country": ("state", None), "nation": ("state", None), "island": ("state", None),
    "kingdom": ("state", "Kingdom"), "republic": ("state", "Republic"),
    "emirate": ("state", "Emirate"), "sultanate": ("state", "Sultanate"),
    "group": ("group", None), "militia": ("group", None), "movement": ("group", None)}
#: Words between "the" and the noun that make the description another actor than the one
#: just named ("the neighbouring country", "the host nation", "the other bloc").
_OTHER_WORDS = frozenset({"other", "another", "neighbouring", "neighboring", "rival", "host",
                          "donor", "member", "partner", "first", "second", "third", "former",
                          "new", "home", "mother", "each", "every", "enemy", "hostile"})
_THEY_KINDS = frozenset({"state", "igo", "organisation", "group", "collective", "agent"})


def _is_plural(word: str) -> bool:
    """A plural noun ("protesters", "troops"): it heads its phrase, since English modifies
    a noun with the singular ("army base", "protester camp"); the word after it is a verb
    ("Demonstrators set fire ...")."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _adjectival(word: str) -> bool:
    """Cue words that are mostly adjectives on their own ("military", "judicial")."""
    return word.endswith(("ary", "al", "ive", "ian")) or word in (
        "elite", "official", "intelligence", "opposition", "press", "business", "industry")


_PERSON_SECTORS = frozenset({"GOV", "MIL", "SPY", "LEG", "JUD", "IGO", "OPP", "PTY", "REB",
                             "ELI", "MED"})
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@dataclass
class Mention:
    """One span naming an actor, with the actor it denotes on the document's date."""

    text: str
    start: int  # character offsets in the coded text
    end: int
    code: str | None  # ISO alpha-3, IGO acronym, WST; None: an actor we cannot code
    sector: str | None  # GOV, MIL, ... (sectors.yaml); None: the actor as a whole
    actor: str | None  # canonical name (state, organisation, group or person)
    kind: str  # state | igo | group | person | collective | organisation
    resolved_by: str  # name, alias, demonym, capital, seat, person+office, ner+modifier, ...
    sentence: int  # index of the sentence (annotate's segmentation)

    @property
    def coded(self) -> bool:
        return self.code is not None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Place:
    """A place named in the text: not an actor, kept for the events stage (location)."""

    text: str
    start: int
    end: int
    country: str | None
    sentence: int

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Coding:
    """What actor coding reads out of one document."""

    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    kind: str  # country | org | group | person | exclude
    key: str
    via: str


@dataclass
class _Cand:
    s: int  # core span (tokens)
    e: int
    kind: str  # country | org | group | person | uperson | uorg | unorp
    target: _Target | None = None
    ts: int = -1  # text span
    te: int = -1
    code: str | None = None
    sector: str | None = None
    actor: str | None = None
    mkind: str = "state"
    resolved_by: str = ""
    dead: bool = False
    used: bool = False  # consumed as a modifier of another mention
    alts: list[_Target] = field(default_factory=list)  # people sharing this name ("Wang")

    def __post_init__(self) -> None:
        if self.ts < 0:
            self.ts, self.te = self.s, self.e


def _variants(surface: str) -> set[str]:
    """Forms a name takes in running text: as written, sentence-initial, headline, upper."""
    out = {surface}
    if surface[:1].islower():
        out.add(surface[:1].upper() + surface[1:])
    words = surface.split(" ")
    title = " ".join(w[:1].upper() + w[1:] if w[:1].isalpha() else w for w in words)
    out.add(title)
    if len(surface) > 3 and any(c.islower() for c in surface):
        out.add(surface.upper())
    for form in list(out):
        if "'" in form:
            out.add(form.replace("'", "\u2019"))
    return out


def _outermost(cands: list[_Cand]) -> list[_Cand]:
    """Drop candidates whose words another mention already took ("Defence Minister" inside
    "Russian Defence Minister Ivan Petrovsky")."""
    out: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.ts, -(c.te - c.ts))):
        if out and out[-1].ts <= c.s and c.e <= out[-1].te and out[-1] is not c:
            continue
        out.append(c)
    return out


def _name_like(doc: Doc, i: int) -> bool:
    """A token that can be part of a person's name ("Choe", "Son", "-", "hui")."""
    tok = doc[i]
    if tok.text == "-":
        return i > 0 and not doc[i - 1].whitespace_ and not tok.whitespace_
    if tok.is_lower and i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_:
        return True
    return tok.is_title and tok.is_alpha and tok.lower_ not in STOP_WORDS


def _plural(cue: str) -> list[str]:
    if " " in cue or not cue.isalpha():
        return [cue]
    if cue.endswith("s"):
        return [cue]
    if cue.endswith("y") and cue[-2:-1] not in "aeiou":
        return [cue, cue[:-1] + "ies"]
    return [cue, cue + "s"]


class ActorCoder:
    """Codes actor mentions in text; build once (matchers over the data), call many times."""

    def __init__(self, reference: Reference | None = None, nlp: Language | None = None,
                 extra: Sequence[Path | str] = (), keep_uncoded: bool = True):
        self.ref = reference or load_reference(extra)
        self.nlp = nlp or load_nlp()
        self.keep_uncoded = keep_uncoded
        self._targets: list[tuple[_Target, ...]] = []
        self._names = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._cues = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._cue_sector: dict[int, str] = {}
        strings = self.nlp.vocab.strings
        self._admin_nouns = numpy.array([strings.add(w) for w in _ADMIN_NOUNS], dtype="uint64")
        self._build_names()
        self._build_cues()

    # ------------------------------------------------------------------ building the matchers

    def _build_names(self) -> None:
        table: dict[str, list[_Target]] = {}

        def add(surface: str | None, target: _Target) -> None:
            if not surface:
                return
            for form in _variants(surface):
                found = table.setdefault(form, [])
                if target not in found:
                    found.append(target)

        for c in self.ref.countries.values():
            add(c.name, _Target("country", c.code, "name"))
            if c.name.lower().startswith("the "):
                add(c.name[4:], _Target("country", c.code, "name"))
            add(c.official, _Target("country", c.code, "official"))
            for via in ("aliases", "historical", "demonyms", "capitals", "seats", "military",
                        "legislature", "intelligence", "police"):
                tag = {"aliases": "alias", "demonyms": "demonym", "capitals": "capital",
                       "seats": "seat"}.get(via, via)
                for name in getattr(c, via):
                    add(name, _Target("country", c.code, tag))
            for name in c.exclude:
                add(name, _Target("exclude", c.code, "exclude"))
        for o in self.ref.organisations.values():
            add(o.name, _Target("org", o.code, "name"))
            for name in o.aliases:
                add(name, _Target("org", o.code, "alias"))
            for name in o.demonyms:
                add(name, _Target("org", o.code, "demonym"))
            for name in o.exclude:
                add(name, _Target("exclude", o.code, "exclude"))
        for g in self.ref.groups.values():
            add(g.name, _Target("group", g.id, "name"))
            for name in g.aliases:
                add(name, _Target("group", g.id, "alias"))
            for name in g.exclude:
                add(name, _Target("exclude", g.id, "exclude"))
        for p in self.ref.people.values():
            add(p.name, _Target("person", p.name, "name"))
            for name in p.aliases:
                add(name, _Target("person", p.name, "alias"))
            for name in p.exclude:
                add(name, _Target("exclude", p.name, "exclude"))

        by_targets: dict[tuple[_Target, ...], list[str]] = {}
        for surface, targets in table.items():
            by_targets.setdefault(tuple(targets), []).append(surface)
        tokenizer = self.nlp.tokenizer
        for i, (targets, surfaces) in enumerate(by_targets.items()):
            self._targets.append(targets)
            self._names.add(str(i), list(tokenizer.pipe(surfaces)))
        self._label_index = {self.nlp.vocab.strings[str(i)]: i for i in range(len(by_targets))}

    def _build_cues(self) -> None:
        cues: dict[str, str] = {}
        for sector, words in self.ref.sectors.items():
            for word in words:
                for form in _plural(word.lower()):
                    cues.setdefault(form, sector)
        for person in self.ref.people.values():  # office titles: "Secretary of State", ...
            for office in person.offices:
                title = office.title.lower()
                if len(title.split()) <= 4 and office.sector:
                    cues.setdefault(title, office.sector)
        tokenizer = self.nlp.tokenizer
        by_sector: dict[str, list[str]] = {}
        for cue, sector in cues.items():
            by_sector.setdefault(sector, []).append(cue)
        for sector, words in by_sector.items():
            key = f"CUE_{sector}"
            self._cues.add(key, list(tokenizer.pipe(words)))
            self._cue_sector[self.nlp.vocab.strings[key]] = sector

    # ------------------------------------------------------------------ public API

    def named_sentences(self, doc: Doc) -> list[int]:
        """Indexes of the sentences where a name of the actor data or a role word ("police",
        "foreign minister") stands: where a coded actor can be, and so the only sentences NER
        must read for events. Needs tokens and sentences only."""
        starts = {doc[s].sent.start for _, s, _ in self._names(doc)}
        starts |= {doc[s].sent.start for _, s, _ in self._cues(doc)}
        return [i for i, sent in enumerate(doc.sents) if sent.start in starts]

    def code(self, text: str, doc_date: date | None = None) -> list[Mention]:
        """The actor mentions in ``text``, resolved as of ``doc_date``."""
        doc = next(annotate([text], ACTORS, nlp=self.nlp))
        return self.code_doc(doc, doc_date).mentions

    def code_many(self, items: Iterable[tuple[str, date | None]], batch_size: int = BATCH_SIZE,
                  n_process: int = 1) -> Iterator[list[Mention]]:
        """Mentions for each (text, date), in order; spaCy runs batched (and in parallel)."""
        for doc, day in self.pipe(items, batch_size=batch_size, n_process=n_process):
            yield self.code_doc(doc, day).mentions

    def pipe(self, items: Iterable[tuple[str, date | None]], batch_size: int = BATCH_SIZE,
             n_process: int = 1) -> Iterator[tuple[Doc, date | None]]:
        """Annotated docs with their dates, for callers that want :meth:`code_doc` output."""
        dates: list[date | None] = []

        def texts() -> Iterator[str]:
            for text, day in items:
                dates.append(day)
                yield text

        for i, doc in enumerate(annotate(texts(), ACTORS, nlp=self.nlp, batch_size=batch_size,
                                         n_process=n_process)):
            yield doc, dates[i]

    def code_doc(self, doc: Doc, doc_date: date | None = None) -> Coding:
        """Mentions and places in an annotated Doc (needs tokens, NER and sentences)."""
        return _DocCoder(self, doc, doc_date).run()

    # ------------------------------------------------------------------ resolution

    def resolve_person(self, person: Person, day: date | None, title: str | None = None,
                       former: bool = False) -> tuple[str, str | None, str]:
        """(code, sector, resolved_by) for a person on ``day``.

        Dated: the office held that day (a title in the text picks among several) gives
        code and sector ("person+office"); no office that day -> nationality, no sector
        ("person:nationality"); "former X" -> the last office ended, sector ELI
        ("person:former"). Undated: the office begun most recently, as news most often
        speaks of people in their latest role ("person:undated"); nationality if none.
        """
        if former:
            past = [o for o in person.offices if day is None or (o.end and o.end <= day)]
            if past:
                last = max(past, key=lambda o: o.start or date.min)
                return last.country, "ELI", "person:former"
            return person.nationality, None, "person:nationality"
        if day is None:
            last = person.latest_office()
            if last is None:
                return person.nationality, None, "person:undated"
            return last.country, last.sector, "person:undated"
        held = person.offices_on(day)
        if not held:
            return person.nationality, None, "person:nationality"
        office = _pick_office(held, person, title)
        return office.country, office.sector, "person+office"


@lru_cache(maxsize=4)
def get_coder(extra: tuple[str, ...] = (), model: str | None = None) -> ActorCoder:
    """One coder per (user files, model) for the whole process: building the matchers takes
    about a second, so surfaces (CLI, API, ingest) share it."""
    return ActorCoder(nlp=load_nlp(model), extra=[Path(p) for p in extra])


def _pick_office(held: list[Office], person: Person, title: str | None) -> Office:
    if title:
        low = title.lower()
        for office in held:
            if office.title.lower() == low or office.title.lower().endswith(low):
                return office
        for office in held:
            if low in office.title.lower():
                return office
    for office in held:
        if office.sector == "GOV" and office.country == person.nationality:
            return office
    return held[0]


class _DocCoder:
    """The rules applied to one Doc; a throwaway object so the state stays local."""

    def __init__(self, coder: ActorCoder, doc: Doc, day: date | None):
        self.c = coder
        self.ref = coder.ref
        self.doc = doc
        self.text = doc.text  # a property that joins every token: read it once
        self.day = day
        self.n = len(doc)
        self.places: list[Place] = []
        self.place_refs: list[tuple[int, str]] = []  # (token, state code) for coreference
        self.place_tokens: set[int] = set()
        self.known_names: dict[str, tuple[str | None, str | None]] = {}  # unknown people
        self.sent_starts = [s.start for s in doc.sents]
        # longest cue starting at / ending at each token
        self.cue_from: dict[int, tuple[int, str]] = {}
        self.cue_to: dict[int, tuple[int, str]] = {}
        for key, s, e in coder._cues(doc):
            sector = coder._cue_sector[key]
            if s not in self.cue_from or self.cue_from[s][0] < e:
                self.cue_from[s] = (e, sector)
            if e not in self.cue_to or self.cue_to[e][0] > s:
                self.cue_to[e] = (s, sector)

    # ------------------------------------------------------------------ driver

    def run(self) -> Coding:
        cands = self._data_candidates()
        cands, others = self._other_names(cands)
        cands = self._merge_ner(cands)
        if others:
            cands = self._add_other_names(cands, others)
        self.by_end = {c.e: c for c in cands}
        self.by_start = {c.s: c for c in cands}
        self.body_of: dict[int, tuple[int, str, str | None]] = {}  # body start -> demonym's
        self.taken = {i for c in cands for i in range(c.s, c.e)}
        self._check_surnames(cands)
        for cand in cands:
            if cand.kind in ("person", "uperson") and not cand.dead:
                self._person(cand)
        for cand in cands:
            if not cand.dead and not cand.used and cand.kind in ("country", "org", "group"):
                self._named(cand)
        for cand in cands:
            if not cand.dead and not cand.used and cand.kind in ("uorg", "unorp"):
                self._unknown_org(cand)
        live = _outermost([c for c in cands if not c.dead and not c.used])
        for cand in live:  # names coded later in the text ("Rosselló" before the apposition)
            if cand.code is None and cand.kind in ("uperson", "uorg") and self.known_names:
                self._recall(cand)
        mentions = [self._mention(c) for c in live]
        if self.c.keep_uncoded:
            mentions.extend(self._agents(live))
        else:
            mentions = [m for m in mentions if m.code is not None]
        self._named_places(live)
        mentions.extend(self._coreference(mentions))
        mentions.extend(self._descriptions(mentions))
        mentions.extend(self._pronouns(mentions))
        mentions.sort(key=lambda m: (m.start, m.end))
        self.places.sort(key=lambda p: p.start)
        return Coding(mentions, self.places)

    # ------------------------------------------------------------------ candidates

    def _data_candidates(self) -> list[_Cand]:
        matches = self.c._names(self.doc)
        matches.sort(key=lambda m: (m[1] - m[2], m[1]))  # longest first, then leftmost
        taken = bytearray(self.n)
        out = []
        for key, s, e in matches:
            if any(taken[s:e]):
                continue
            taken[s:e] = b"\x01" * (e - s)
            targets = self.c._targets[self.c._label_index[key]]
            if any(t.kind == "exclude" for t in targets):
                continue
            target = self._choose(targets)
            cand = _Cand(s, e, target.kind, target)
            if target.kind == "person" and len(targets) > 1:
                cand.alts = [t for t in targets if t.kind == "person"]
            out.append(cand)
        out.sort(key=lambda c: c.s)
        return out

    def _other_names(self, cands: list[_Cand]) -> tuple[list[_Cand], list[tuple[int, int]]]:
        """A person's surname inside someone else's name is not that person.

        "President Levy Mwanawasa" is not David Levy ("Levy"), "Chelsea Clinton" is not Bill
        Clinton: a match that is only part of a person's name, run together (no punctuation)
        with a capitalised name-like word after it, or after a capitalised given-name-like word
        that is no title, rank, honorific, demonym or modifier, is dropped; NER and the title
        rules code the whole name. Returns the kept candidates and the whole names' spans.
        """
        doc = self.doc
        if not any(c.kind == "person" and c.target and c.target.via == "alias" for c in cands):
            return cands, []
        taken = {i for c in cands for i in range(c.s, c.e)}
        cue_tokens = {i for s, (e, _) in self.cue_from.items() for i in range(s, e)}

        def name_word(i: int) -> bool:
            tok = doc[i]
            low = tok.lower_.rstrip(".")
            return (tok.is_title and tok.is_alpha and tok.ent_type_ in _NAME_ENTS
                    and low not in STOP_WORDS and tok.lower_ not in _IT_VERBS
                    and i not in taken and i not in cue_tokens
                    and low not in _NAME_TITLES and tok.lower_ not in _HONORIFICS
                    and tok.lower_ not in _RANKS and tok.lower_ not in _MODIFIERS
                    and tok.lower_ not in _PLACE_NOUNS and tok.lower_ not in _FACILITY_NOUNS)

        kept: list[_Cand] = []
        others: list[tuple[int, int]] = []
        for c in cands:
            if c.kind != "person" or c.target is None or c.target.via != "alias" or \
                    not self._partial_name(c):
                kept.append(c)
                continue
            if self._headline(c.s):
                kept.append(c)  # "Putin Warns West": every word capitalised
                continue
            s, e = c.s, c.e
            while e < self.n and doc[e - 1].whitespace_ and name_word(e) and \
                    self._sent(e) == self._sent(c.s):
                e += 1
            while s > 0 and doc[s - 1].whitespace_ and name_word(s - 1) and \
                    self._sent(s - 1) == self._sent(c.s):
                s -= 1
            if (s, e) == (c.s, c.e):
                kept.append(c)
            else:
                others.append((s, e))
        return kept, others

    def _headline(self, i: int) -> bool:
        """Token ``i`` is in a headline-case sentence (no lower-case word of four letters)."""
        sent = self.doc[i].sent
        return not any(t.is_lower and t.is_alpha and len(t) > 3 for t in sent)

    def _partial_name(self, cand: _Cand) -> bool:
        """The matched words are part of the person's full name, not all of it ("Levy")."""
        words = {w.lower() for w in self.doc[cand.s:cand.e].text.replace("-", " ").split()}
        for t in [cand.target, *cand.alts]:
            if t is None or t.kind != "person":
                continue
            full = {w.lower() for w in self.ref.people[t.key].name.replace("-", " ").split()}
            if words < full:
                return True
        return False

    def _add_other_names(self, cands: list[_Cand], others: list[tuple[int, int]]) -> list[_Cand]:
        """Whole names from :meth:`_other_names` that NER did not take: unknown people."""
        covered = {i for c in cands for i in range(c.s, c.e)}
        extra = [_Cand(s, e, "uperson") for s, e in others
                 if not any(i in covered for i in range(s, e))]
        return sorted(cands + extra, key=lambda c: c.s) if extra else cands

    def _choose(self, targets: tuple[_Target, ...]) -> _Target:
        """One target for a surface several entries share (states and bodies before people)."""
        if len(targets) == 1:
            return targets[0]
        order = {"country": 0, "org": 1, "group": 2, "person": 3}
        people = [t for t in targets if t.kind == "person"]
        if people and self.day is not None and len(people) == len(targets):
            held = [t for t in people if self.ref.people[t.key].offices_on(self.day)]
            if held:
                return held[0]
        return min(targets, key=lambda t: order.get(t.kind, 9))

    def _merge_ner(self, cands: list[_Cand]) -> list[_Cand]:
        """NER entities the data does not cover: unknown people/organisations and places."""
        doc = self.doc
        starts = [c.s for c in cands]
        extra: list[_Cand] = []
        for ent in doc.ents:
            label = ent.label_
            if label not in _ACTOR_LABELS and label not in _PLACE_LABELS:
                continue
            s, e = ent.start, ent.end
            while e - s > 1 and (doc[e - 1].text in _POSSESSIVE or doc[e - 1].is_punct):
                e -= 1
            while e - s > 1 and (doc[s].lower_ == "the" or doc[s].is_punct):
                s += 1
            if label == "PERSON" and ((e - s == 1 and (doc[s].lower_ in _RANKS
                                                       or doc[s].lower_ in _HONORIFICS))
                                      or any(t.like_num for t in doc[s:e])):
                continue  # "Sgt", "COVID-19": no one's name
            i = bisect.bisect_left(starts, s)
            while i > 0 and cands[i - 1].e > s:
                i -= 1
            inside, crossing = [], False
            j = i
            while j < len(cands) and cands[j].s < e:
                c = cands[j]
                if c.e > s:
                    if c.s <= s and c.e >= e:
                        crossing = True  # the data covers the entity: the data wins
                    elif c.s < s or c.e > e:
                        crossing = True
                    else:
                        inside.append(c)
                j += 1
            if crossing:
                continue
            if label in _ACTOR_LABELS and label != "NORP" and \
                    self._looks_like_place(s, e, after_preposition=not inside):
                label = "GPE"  # "near Palmyra", "Tiyas Military Airfield": NER took a place
            if not inside:
                if label == "PERSON":
                    extra.append(_Cand(s, e, "uperson"))
                elif label == "ORG":
                    extra.append(_Cand(s, e, "uorg"))
                elif label == "NORP":
                    extra.append(_Cand(s, e, "unorp"))
                else:
                    self._add_place(s, e, None)
                continue
            kinds = {c.kind for c in inside}
            if label == "PERSON":
                if "person" in kinds:
                    continue
                if all(c.target and c.target.via in _STATE_VIAS | _CITY_VIAS for c in inside):
                    # "Jordan Bardella", "Chad Smith": a name that contains a country's name
                    for c in inside:
                        c.dead = True
                    extra.append(_Cand(s, e, "uperson"))
            elif label == "ORG":
                codes = {self._code_of(c) for c in inside}
                if kinds <= {"country", "person"} and len(codes) == 1:
                    # "Syrian news agency Sana": an organisation of that state
                    head = inside[0]
                    for c in inside:
                        c.dead = True
                    cand = _Cand(s, e, "uorg", target=head.target)
                    extra.append(cand)
            elif label in _PLACE_LABELS and len(inside) == 1:
                c = inside[0]
                if c.kind == "country" and c.target and c.target.via in _STATE_VIAS | _CITY_VIAS:
                    # "Eastern Ukraine", "Damascus International Airport": a place
                    c.dead = True
                    self._add_place(s, e, c.target.key)
        return sorted([c for c in cands if not c.dead] + extra, key=lambda c: c.s)

    def _looks_like_place(self, s: int, e: int, after_preposition: bool) -> bool:
        doc = self.doc
        if doc[s].lower_ in ("near", "north", "south", "east", "west"):
            return True
        if doc[e - 1].lower_ in _FACILITY_NOUNS or doc[e - 1].lower_ in _PLACE_NOUNS:
            return True
        return after_preposition and s > 0 and doc[s - 1].lower_ in _PLACE_PREPOSITIONS

    def _code_of(self, cand: _Cand) -> str | None:
        t = cand.target
        if t is None:
            return None
        if t.kind == "country" or t.kind == "org":
            return t.key
        if t.kind == "group":
            return self.ref.groups[t.key].country
        if t.kind == "person":
            return self.ref.people[t.key].nationality
        return None

    def _add_place(self, s: int, e: int, country: str | None) -> None:
        doc = self.doc
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)
        self.places.append(Place(self.text[start:end], start, end, country, self._sent(s)))
        self.place_tokens.update(range(s, e))
        if country:
            self.place_refs.append((s, country))

    def _sent(self, token: int) -> int:
        return bisect.bisect_right(self.sent_starts, token) - 1

    # ------------------------------------------------------------------ people

    def _check_surnames(self, cands: list[_Cand]) -> None:
        """A surname that is common ("Johnson") counts only after a title or the full name."""
        seen: set[str] = set()
        for cand in cands:
            if cand.kind != "person" or cand.target is None:
                continue
            person = self.ref.people[cand.target.key]
            single = cand.e - cand.s == 1
            if not single or not person.ambiguous_surname:
                seen.add(person.name)
                continue
            if person.name in seen:
                continue
            start, sector, _ = self._title_before(cand.s)
            if start is not None and (sector is None or not person.offices or sector in {
                    o.sector for o in person.offices}):
                continue  # "President Trump"; not "Judge Marrero" for a prime minister
            cand.kind, cand.target = "uperson", None
            if not any(e.start == cand.s and e.label_ == "PERSON" for e in self.doc.ents):
                cand.dead = True

    def _title_before(self, s: int) -> tuple[int | None, str | None, str | None]:
        """(start, sector, title text) of a title right before token ``s``, else Nones."""
        doc = self.doc
        i = s
        sector = title = None
        start = None
        while i > 0:
            prev = doc[i - 1]
            low = prev.lower_
            if i in self.cue_to and i - self.cue_to[i][0] <= 5:
                cs, cue_sector = self.cue_to[i]
                if sector is None:
                    sector, title = cue_sector, doc[cs:i].text
                i = start = cs
            elif low in _RANKS and (prev.is_title or prev.is_upper or low.endswith(".")):
                sector = sector or "MIL"
                title = title or prev.text
                i -= 1
                start = i
            elif low in _HONORIFICS and (prev.is_title or low.endswith(".")):
                i -= 1
                start = start if start is not None else i
            else:
                break
        return start, sector, title

    def _person(self, cand: _Cand) -> None:
        doc = self.doc
        start, title_sector, title = self._title_before(cand.s)
        former = start is not None and any(doc[k].lower_ in _FORMER
                                           for k in range(start, cand.s))
        mod: _Cand | None = None
        if start is not None:
            i = start
            while i > 0 and doc[i - 1].lower_ in _MODIFIERS:
                if doc[i - 1].lower_ in _FORMER:
                    former = True
                i -= 1
            mod = self._state_ending_at(i)
            if mod is not None:
                start = mod.s
                mod.used = True
            elif i < start and doc[i].is_title:
                start = i  # "Current President Joe Biden": keep the modifier in the text
        else:
            prev = self.by_end.get(cand.s)
            if prev is not None and prev.target and prev.target.via == "demonym" and \
                    prev.kind == "country":
                mod, start = prev, prev.s  # "Iranian Mohammad Javad Zarif"
                mod.used = True
        # apposition: "Choe Son-hui, North Korea's Foreign Minister"
        app = self._apposition(cand.e)
        if app is not None:
            app_mod, app_sector, app_title, app_end = app
            if app_mod is not None:
                app_mod.used = True
            cand.te = app_end
            if mod is None and app_mod is not None:
                mod = app_mod
            title_sector = title_sector or app_sector
            title = title or app_title
        if start is not None:
            cand.ts = start
        if cand.kind == "person" and cand.target is not None:
            if cand.alts and title and self.day:  # "Foreign Minister Wang": the Wang in office
                for alt in cand.alts:
                    held = self.ref.people[alt.key].offices_on(self.day)
                    if any(title.lower().endswith(o.title.lower()) for o in held):
                        cand.target = alt
                        break
            person = self.ref.people[cand.target.key]
            code, sector, by = self.c.resolve_person(person, self.day, title, former)
            cand.code, cand.sector, cand.resolved_by = code, sector, by
            cand.actor, cand.mkind = person.name, "person"
            self._person_cue(cand)
            return
        # a person the data does not know: coded through the words around the name
        name = doc[cand.s:cand.e].text
        cand.mkind, cand.actor = "person", name
        if mod is None and title_sector is not None and app is None:
            of = self._of_state(cand.e)  # "Prime Minister Igor Matovic of Slovakia"
            if of is not None:
                mod, cand.te = of, of.e
                of.used = True
        if mod is not None:
            cand.code = self._code_of(mod)
            cand.sector = "ELI" if former else title_sector
            cand.resolved_by = "ner+apposition" if app and app[0] is mod else "ner+modifier"
            self._remember(cand.s, cand.e, cand.code, cand.sector)
        elif self._recall(cand):
            pass
        else:
            cand.sector = title_sector
            cand.resolved_by = "ner"

    def _remember(self, s: int, e: int, code: str | None, sector: str | None) -> None:
        """Keep a coded unknown person's name, and the later parts of it, for later mentions."""
        doc = self.doc
        self.known_names[doc[s:e].text] = (code, sector)
        for k in range(s + 1, e):
            if doc[k].is_title and len(doc[k].text) > 2:
                self.known_names.setdefault(doc[k].text, (code, sector))

    def _recall(self, cand: _Cand) -> bool:
        """"Chahed" after "Youssef Chahed, the Prime Minister of Tunisia": same code."""
        doc = self.doc
        for key in (doc[cand.s:cand.e].text, doc[cand.e - 1].text):
            if key in self.known_names:
                cand.code, cand.sector = self.known_names[key]
                cand.resolved_by, cand.mkind = "coreference", "person"
                cand.actor = doc[cand.s:cand.e].text
                return True
        return False

    def _of_state(self, e: int) -> _Cand | None:
        """A state or organisation in "of [the] X" right after token ``e``."""
        doc = self.doc
        if e + 1 >= self.n or doc[e].lower_ != "of":
            return None
        j = e + 1
        if doc[j].lower_ == "the":
            j += 1
        head = self.by_start.get(j)
        if head is not None and head.kind in ("country", "org") and not head.dead and \
                not head.used and head.target and head.target.via not in _ADJ_VIAS:
            return head
        return None

    def _person_cue(self, cand: _Cand) -> None:
        """"the Biden administration", "Putin's forces": the person's state, the cue's sector."""
        if cand.te != cand.e:
            return
        found = self._cue_after(cand.e, allow_fillers=False)
        if found is not None:
            cue_end, sector = found
            cand.te, cand.sector, cand.mkind = cue_end, sector, "state"

    def _apposition(self, e: int) -> tuple[_Cand | None, str | None, str | None, int] | None:
        doc = self.doc
        if e + 2 >= self.n or doc[e].text != ",":
            return None
        i = e + 1
        if doc[i].lower_ in ("the", "a", "an"):
            i += 1
        while i < self.n and doc[i].lower_ in _MODIFIERS:
            i += 1
        head = self.by_start.get(i)
        if head is not None and head.kind in ("country", "org") and not head.dead:
            found = self._cue_after(head.e, allow_fillers=True)
            if found is not None and found[1] in ("GOV", "MIL", "SPY", "LEG", "JUD", "IGO"):
                cue_end, sector = found
                return head, sector, doc[head.e:cue_end].text.lstrip("'\u2019s "), cue_end
            return None
        if i in self.cue_from:  # ", the foreign minister of Russia"
            cue_end, sector = self.cue_from[i]
            if cue_end + 1 < self.n and doc[cue_end].lower_ == "of":
                j = cue_end + 1
                if doc[j].lower_ == "the":
                    j += 1
                head = self.by_start.get(j)
                if head is not None and head.kind in ("country", "org") and not head.dead:
                    return head, sector, doc[i:cue_end].text, head.e
        return None

    def _state_ending_at(self, i: int) -> _Cand | None:
        """A state/organisation name or demonym ending at token ``i`` (possessive allowed)."""
        doc = self.doc
        if i > 0 and doc[i - 1].text in _POSSESSIVE:
            cand = self.by_end.get(i - 1)
        else:
            cand = self.by_end.get(i)
        if cand is not None and not cand.dead and cand.kind in ("country", "org", "group"):
            return cand
        return None

    # ------------------------------------------------------------------ states, bodies, groups

    def _cue_after(self, e: int, allow_fillers: bool) -> tuple[int, str] | None:
        """(end, sector) of the cue that heads the noun phrase after token ``e``.

        English noun phrases are head-final, so the last cue of a run of cues wins ("North
        Korean elite troops" -> MIL, "Russian military officials" -> GOV). Up to two other
        words may come before the first cue ("Russia's ongoing military campaign"), none after
        it: without a tagger a verb would pass for a modifier ("companies sold drones").
        """
        doc = self.doc
        j = e
        if j < self.n and doc[j].text in _POSSESSIVE:
            j += 1
            allow_fillers = True
        fillers = 0
        found = None
        while j < self.n:
            if j in self.cue_from:
                end, sector = self.cue_from[j]
                found = (end, sector)
                j = end
                continue
            tok = doc[j]
            if found is None and allow_fillers and fillers < 2 and (
                    (tok.is_alpha and tok.is_lower and not tok.is_stop
                     and tok.lower_ not in _PLACE_NOUNS)
                    or (tok.text == "-" and j + 1 < self.n and not doc[j].whitespace_)):
                fillers += 1
                j += 1
                continue
            break
        return found

    def _place_after(self, cand: _Cand) -> int | None:
        """End of a place phrase right after a state name/demonym ("Russia's Kursk region")."""
        doc = self.doc
        j = cand.e
        possessive = j < self.n and doc[j].text in _POSSESSIVE
        if possessive:
            j += 1
        via = cand.target.via if cand.target else ""
        if not possessive and via not in _ADJ_VIAS:
            return None
        k = j
        while k < self.n and k - j < 2 and doc[k].is_alpha and doc[k].is_lower and \
                doc[k].lower_ not in _PLACE_NOUNS and not doc[k].is_stop:
            k += 1  # "Russia's western Kursk region"
        if k >= self.n:
            return None
        ent = next((x for x in self.doc.ents if x.start == k and x.label_ in _PLACE_LABELS), None)
        if ent is not None and not self.by_start.get(k):
            end = ent.end
            if end < self.n and doc[end].lower_ in _PLACE_NOUNS:
                end += 1
            return end
        end = k
        while end < self.n and end - k < 3 and doc[end].is_title and not self.by_start.get(end):
            end += 1  # "Russia's Kursk region": a name the NER missed, then a place noun
        if end > k and end < self.n and doc[end].lower_ in _PLACE_NOUNS:
            return end + 1
        if doc[k].lower_ in _PLACE_NOUNS and k == j and not doc[k].is_title:
            cue = self.cue_from.get(k)
            if cue is not None and cue[0] > k + 1:
                return None  # "Russian border guards", "Chinese coast guard": people, a cue
            end = k + 1
            if end + 1 < self.n and doc[end].lower_ == "of" and doc[end + 1].is_title:
                end += 2  # "the Syrian city of Aleppo"
                while end < self.n and doc[end].is_title and not self.by_start.get(end):
                    end += 1
            return end
        return None

    def _named(self, cand: _Cand) -> None:
        doc = self.doc
        t = cand.target
        assert t is not None
        s = cand.s
        # "pro-Russian", "anti-Western": an attitude, not an actor
        if s >= 2 and doc[s - 1].text == "-" and doc[s - 2].lower_ in ("pro", "anti", "non"):
            cand.dead = True
            return
        if s >= 1 and doc[s - 1].lower_ in ("pro-", "anti-"):
            cand.dead = True
            return
        code = self._code_of(cand)
        if t.kind == "country" and cand.e + 1 < self.n and doc[cand.e].text in _POSSESSIVE:
            owner = self.by_start.get(cand.e + 1)
            if owner is not None and owner.kind == "group" and not owner.dead:
                cand.dead = True  # "Yemen's Houthi rebels": where the group is, not an actor
                return
        body = self.by_start.get(cand.e) if t.kind == "country" and t.via == "demonym" else None
        if body is not None and not body.dead and body.target is not None and \
                body.target.kind == "country" and body.target.via in _BODY_VIAS and \
                self._code_of(body) != code:
            cand.dead = True  # "Belarusian KGB": Belarus's own KGB, not Russia's
            self.body_of[body.s] = (cand.s, t.key, code)
            return
        place_end = self._place_after(cand) if t.kind == "country" else None
        if place_end is not None:
            cand.dead = True
            self._add_place(cand.s, place_end, code)
            return
        if t.kind == "country" and s > 1 and doc[s - 1].lower_ == "of" and \
                doc[s - 2].lower_ in _ADMIN_NOUNS:
            cand.dead = True  # "the state of Washington", "the city of Aleppo"
            self._add_place(cand.s, cand.e, None)
            return
        if t.kind == "country" and t.via in _CITY_VIAS and cand.e + 1 < self.n and \
                doc[cand.e].text == "," and doc[cand.e + 1].lower_ in ("who", "whom"):
            cand.dead = True  # "Sofia, who moved to Berlin ...": a person of that name
            return
        capital = t.kind == "country" and t.via in _CITY_VIAS
        seat = t.kind == "org" and all(doc[i].ent_type_ == "GPE" for i in range(cand.s, cand.e))
        building = t.kind == "country" and t.via == "seat"  # "outside the Kremlin"
        before = s - 2 if building and s > 1 and doc[s - 1].lower_ == "the" else s - 1
        if (capital or seat or building) and before >= 0 and doc[before].lower_ in _LOCATIVE:
            cand.dead = True  # "in Moscow", "met in Brussels", "at the Elysee Palace": where
            self._add_place(cand.s, cand.e, code if capital or building else None)
            return
        cand.code = code
        cand.resolved_by = t.via
        if t.kind == "country" and cand.s in self.body_of:  # "Belarusian KGB"
            cand.ts, key, cand.code = self.body_of[cand.s]
            t = replace(t, key=key)
        if t.kind == "country":
            country = self.ref.countries[t.key]
            cand.actor, cand.mkind = country.name, "state"
            cand.sector = _VIA_SECTOR.get(t.via, "GOV")
            plural_demonym = t.via == "demonym" and doc[cand.e - 1].text.endswith("s")
            fillers = t.via == "demonym" and not plural_demonym
        elif t.kind == "org":
            org = self.ref.organisations[t.key]
            cand.actor = org.name
            cand.sector = org.sector
            cand.mkind = "igo" if org.sector == "IGO" else (
                "collective" if org.sector is None else "organisation")
            fillers = False
        else:
            group = self.ref.groups[t.key]
            cand.actor, cand.mkind, cand.sector = group.name, "group", group.sector
            if group.governs and self.day and self.day >= group.governs[1]:
                cand.code, cand.sector = group.governs[0], "GOV"
            fillers = False
        found = self._cue_after(cand.e, allow_fillers=fillers)
        if found is not None and t.kind != "group":
            named = self._appositive_name(cand, found)
            if named is not None:
                cand.ts, cand.te, cand.sector = named, found[0], found[1]
                cand.mkind, cand.resolved_by = "person", "name+apposition"
                comma = next(k for k in range(named, cand.s) if doc[k].text == ",")
                cand.actor = doc[named:comma].text
                self._remember(named, comma, code, found[1])
                return
        if found is not None:
            cue_end, sector = found
            absorbed = self._absorb_name(cue_end)
            cand.te = absorbed or cue_end
            if t.kind != "group":
                cand.sector = sector
            if t.kind == "org" and org.sector is None:
                cand.mkind = "collective"
        elif t.kind == "org":
            end = cand.e
            while end < self.n and doc[end].lower_ in _COLLECTIVE and end - cand.e < 2:
                end += 1  # "NATO allies", "NATO member states", "EU countries"
            if end > cand.e:
                cand.te = end
            elif t.via == "demonym":
                cand.dead = True  # "Western" alone: influence, values... not an actor
                return
        # "the government of Syria", "the president of Russia"
        if t.kind in ("country", "org") and t.via not in _ADJ_VIAS and s >= 2:
            k = s - 1
            if doc[k].lower_ == "the" and k >= 2:
                k -= 1
            if doc[k].lower_ == "of" and k in self.cue_to:
                cs, sector = self.cue_to[k]
                cand.ts = cs
                cand.sector = sector

    def _appositive_name(self, cand: _Cand, cue: tuple[int, str]) -> int | None:
        """Start of a name the NER missed, in "Choe Son-hui, North Korea's Foreign Minister,"."""
        doc = self.doc
        cue_end, sector = cue
        last_cue_word = doc[cue_end - 1].lower_
        if sector not in _PERSON_SECTORS or last_cue_word.endswith("s") and \
                last_cue_word not in ("boss", "chiefs"):
            return None  # plural cues ("troops") are no title of one person
        i = cand.s
        if i > 0 and doc[i - 1].lower_ in ("the", "a"):
            i -= 1
        if i < 2 or doc[i - 1].text != ",":
            return None
        comma = i - 1
        k = comma
        while k > 0 and comma - k < 6 and _name_like(doc, k - 1) and k - 1 not in self.taken:
            k -= 1
        words = sum(1 for x in range(k, comma) if doc[x].is_alpha)
        if words < 2 or (k > 0 and doc[k - 1].is_title and doc[k - 1].is_alpha):
            return None
        return k

    def _absorb_name(self, j: int) -> int | None:
        """End of an unknown person/organisation named right after a cue ("news agency Sana")."""
        cand = self.by_start.get(j)
        if cand is not None and cand.kind in ("uperson", "uorg") and not cand.dead:
            if cand.kind == "uperson" and cand.ts < j:
                return None  # the person already took this cue as its title
            cand.used = True
            return cand.e
        return None

    def _unknown_org(self, cand: _Cand) -> None:
        doc = self.doc
        if cand.kind == "uorg" and cand.target is None and self._recall(cand):
            return  # the NER called a person it saw before an organisation
        cand.actor = doc[cand.s:cand.e].text
        cand.mkind = "organisation" if cand.kind == "uorg" else "collective"
        cand.resolved_by = "ner"
        head = cand.target
        if head is None and cand.kind == "uorg":
            mod = self._state_ending_at(cand.s)
            if mod is not None and not mod.used:
                mod.used = True
                cand.ts = mod.s
                head = mod.target
        if head is not None:
            code = head.key if head.kind in ("country", "org") else None
            if head.kind == "person":
                person = self.ref.people[head.key]
                # "Fox News" is no Mexican organisation: a surname that is also an ordinary
                # word or a brand does not give an organisation a country
                code = None if person.ambiguous_surname else person.nationality
            cand.code = code
            cand.resolved_by = "ner+modifier" if code is not None else "ner"
        sector = None
        for i in range(cand.s, cand.e):
            if i in self.cue_from and self.cue_from[i][0] <= cand.e:
                sector = self.cue_from[i][1]
        if sector is None and cand.e in self.cue_from and cand.kind == "uorg":
            end, sector = self.cue_from[cand.e]
            cand.te = end
        cand.sector = sector

    def _named_places(self, live: list[_Cand]) -> None:
        """"the Kursk region", "Nangarhar province": a name, then an administrative noun."""
        doc = self.doc
        lower = doc.to_array([LOWER])
        wanted = numpy.isin(lower, self.c._admin_nouns)
        if not wanted.any():
            return
        covered = set(self.place_tokens)
        for c in live:
            covered.update(range(c.ts, c.te))
        for k in (int(x) for x in numpy.flatnonzero(wanted)):
            if k in covered or k == 0:
                continue
            s = k
            while s > 0 and k - s < 3 and doc[s - 1].is_title and s - 1 not in covered \
                    and doc[s - 1].lower_ not in STOP_WORDS:
                s -= 1
            if s < k:
                self._add_place(s, k + 1, None)

    def _agents(self, live: list[_Cand]) -> list[Mention]:
        """Actors named only by their role ("the army", "protesters", "The Foreign Secretary").

        No code (the text does not say whose army), but the sector, so that later stages see
        an actor there and can code it from context. A cue counts when it heads its noun
        phrase: not followed by a noun it modifies ("army base", "government policy").
        """
        doc = self.doc
        covered = set(self.place_tokens)
        for c in live:
            covered.update(range(c.ts, c.te))
        out = []
        i_next = 0
        for i in sorted(self.cue_from):
            if i < i_next or i in covered:
                continue
            end, sector = self.cue_from[i]
            while end in self.cue_from and end not in covered:
                end, sector = self.cue_from[end]
            if any(k in covered for k in range(i, end)):
                continue
            i_next = end
            if end < self.n:
                nxt = doc[end]
                low = nxt.lower_
                if low in _FACILITY_NOUNS or (nxt.text == "-" and not doc[end - 1].whitespace_):
                    continue
                if nxt.is_alpha and nxt.is_lower and low not in STOP_WORDS and \
                        low not in _REPORT_VERBS and not low.endswith("ed") and \
                        not _is_plural(doc[end - 1].lower_) and \
                        nxt.ent_type_ not in ("DATE", "TIME") and low not in _NOT_MODIFIED:
                    continue
                if nxt.is_title and nxt.is_alpha and doc[i].is_title:
                    continue  # "Criminal Code", "Press Briefing Room": part of a name
            if end - i == 1 and _adjectival(doc[i].lower_) and \
                    (i == 0 or doc[i - 1].lower_ != "the"):
                continue
            start = i
            if i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_:
                start = i - 2  # "anti-government protesters"
            first, last = doc[start], doc[end - 1]
            a, b = first.idx, last.idx + len(last.text)
            out.append(Mention(self.text[a:b], a, b, None, sector, None, "agent", "cue",
                               self._sent(i)))
        return out

    # ------------------------------------------------------------------ output

    def _mention(self, c: _Cand) -> Mention:
        doc = self.doc
        start = doc[c.ts].idx
        last = doc[c.te - 1]
        end = last.idx + len(last.text)
        return Mention(self.text[start:end], start, end, c.code, c.sector, c.actor, c.mkind,
                       c.resolved_by, self._sent(c.s))

    def _coreference(self, mentions: list[Mention]) -> list[Mention]:
        """"the two nations", "both countries": the two states just named, when unambiguous."""
        doc = self.doc
        out: list[Mention] = []
        refs: list[tuple[int, str]] = []  # (char offset, state code)
        for m in mentions:
            if m.code and self.ref.is_state(m.code):
                refs.append((m.start, m.code))
        for tok, code in self.place_refs:
            refs.append((doc[tok].idx, code))
        if not refs:
            return out
        refs.sort()
        lower = doc.to_array([LOWER])
        strings = doc.vocab.strings
        hits = numpy.flatnonzero((lower == strings["two"]) | (lower == strings["both"]))
        for i in (int(x) for x in hits):
            tok = doc[i]
            if i + 1 >= self.n:
                continue
            noun = doc[i + 1].lower_
            if noun not in _COREF_NOUNS:
                continue
            if tok.lower_ == "two" and (i == 0 or doc[i - 1].lower_ not in ("the", "these")):
                continue
            codes = self._two_before(refs, i)
            if codes is None:
                continue
            s = i - 1 if tok.lower_ == "two" else i
            start = doc[s].idx
            end = doc[i + 1].idx + len(doc[i + 1].text)
            for code in codes:
                out.append(Mention(self.text[start:end], start, end, code, _COREF_NOUNS[noun],
                                   self.ref.actor_name(code), "state", "coreference",
                                   self._sent(i)))
        return out

    # ------------------------------------------------------------------ descriptions

    def _descriptions(self, mentions: list[Mention]) -> list[Mention]:
        """"the bloc", "the Gulf kingdom", "the 27-nation bloc", "the self-ruled island": the
        one actor of the kind the noun names in the same window as a pronoun's (this sentence
        so far and the one before it in the paragraph), when exactly one is named there (for
        a state, people named count for theirs); a kingdom or republic must be one by name. Up
        to three words may stand between "the" and the noun, never one that points at another
        actor ("the neighbouring country") and never a word of a name the entity pass found."""
        doc = self.doc
        pool = sorted((m for m in mentions if m.code), key=lambda m: m.start)
        if not pool:
            return []
        taken = [(m.start, m.end) for m in mentions]
        out: list[Mention] = []
        for tok in doc:
            want = _DESCRIPTIONS.get(tok.lower_)
            if want is None or not tok.is_lower:
                continue  # "the Alliance for ...": part of a name
            k = tok.i - 1
            while k >= 0 and tok.i - k <= 4 and doc[k].lower_ != "the":
                w = doc[k]
                # "the other bloc", not "the 32-member bloc"
                other = w.lower_ in _OTHER_WORDS and (k == 0 or doc[k - 1].text != "-")
                if other or (w.ent_type_ and not w.like_num) or not (
                        w.is_alpha or w.like_num or w.text == "-"):
                    k = -1
                    break
                k -= 1
            if k < 0 or doc[k].lower_ != "the":
                continue
            start, end = doc[k].idx, tok.idx + len(tok.text)
            if any(s < end and start < e for s, e in taken):
                continue
            lo = self._pronoun_window(tok.i)
            kind, word = want
            # a person named stands for their state too ("Tokayev said ... the country")
            found = [m for m in pool if lo <= m.start and m.end <= start and (
                m.kind == kind or kind == "state" and m.kind == "person")
                and (word is None or self._named_as(m.code, word))]
            if not found or len({m.code for m in found}) != 1 or (
                    kind != "state" and len(_distinct(found)) != 1):
                continue
            ante = found[-1]
            if ante.kind == "person":
                ante = Mention(ante.text, ante.start, ante.end, ante.code, None,
                               self.ref.actor_name(ante.code), "state", "", ante.sentence)
            m = Mention(self.text[start:end], start, end, ante.code, ante.sector, ante.actor,
                        ante.kind, "coreference:description", self._sent(tok.i))
            out.append(m)
            taken.append((start, end))
        return out

    def _named_as(self, code: str | None, word: str) -> bool:
        c = self.ref.countries.get(code or "")
        return c is not None and any(word in (n or "") for n in (c.name, c.official))

    # ------------------------------------------------------------------ pronouns

    def _pronouns(self, mentions: list[Mention]) -> list[Mention]:
        """"he", "it", "they": the one actor of the right kind just named, when it is safe.

        The window is the pronoun's sentence up to the pronoun and the sentence before it in
        the same paragraph (no blank line between). "he/him/his/she/her" take the most recent
        person when exactly one distinct person is named there (gender is unknown to us);
        "it" (as a subject: a verb-like word follows, not an impersonal "it is clear") and
        "its" (before a word) the most recent state, body or group when exactly one singular
        one is named; "they/their" the one plural or collective actor ("the rebels", a group)
        when exactly one is named and at most one other actor. A resolved pronoun is a mention
        of its antecedent, later pronouns may refer back through it.
        """
        doc = self.doc
        if not mentions:
            return []
        pool = sorted((m for m in mentions if m.resolved_by != "coreference"
                       or m.kind == "person"), key=lambda m: m.start)
        # "the two nations" stands for two states: never one antecedent
        pairs = {(m.start, m.end) for m in mentions if m.resolved_by == "coreference"
                 and m.kind == "state"}
        taken = [(m.start, m.end) for m in mentions]
        out: list[Mention] = []
        for tok in doc:
            low = tok.lower_
            if low in _PERSON_PRONOUNS:
                want = "person"
            elif low in ("it", "its"):
                if not self._it_resolvable(tok.i):
                    continue
                want = "it"
            elif low in _PLURAL_PRONOUNS:
                want = "they"
            else:
                continue
            start, end = tok.idx, tok.idx + len(tok.text)
            if any(s < end and start < e for s, e in taken):
                continue  # inside a name ("IT"), or already an actor
            lo = self._pronoun_window(tok.i)
            window = [m for m in pool if lo <= m.start and m.end <= start]
            if any(lo <= s and e <= start for s, e in pairs) and want != "person":
                continue
            ante = self._antecedent(window, want)
            if ante is None:
                continue
            m = Mention(tok.text, start, end, ante.code, ante.sector, ante.actor, ante.kind,
                        "coreference:pronoun", self._sent(tok.i))
            out.append(m)
            bisect.insort(pool, m, key=lambda x: x.start)
        return out

    def _it_resolvable(self, i: int) -> bool:
        """"it" as the subject of a verb, "its" as a determiner; never an impersonal "it"
        ("it is unclear whether", "it was reported", "it would be difficult to")."""
        doc = self.doc
        tok = doc[i]
        if i + 1 >= self.n:
            return False
        nxt = doc[i + 1]
        if tok.lower_ == "its":
            return nxt.is_alpha
        if tok.text == "IT":
            return False
        low = nxt.lower_
        if low in ("seems", "seemed", "appears", "appeared", "takes", "took"):
            return False  # "it seems that", "it took weeks"
        if low in _IT_AUXILIARIES:
            k = i + 2  # skip auxiliaries: "it has been", "it would not be"
            while k < self.n and k - i < 5 and doc[k].lower_ in ("be", "been", "not", "n't"):
                k += 1
            if k >= self.n or not doc[k].is_alpha:
                return low not in _COPULAS
            after = doc[k].lower_
            if after in _IT_WILLING:
                return True  # "it is willing to", "it would be ready to"
            if (low in _COPULAS or k > i + 2) and k + 1 < self.n and \
                    doc[k + 1].lower_ in ("to", "that", "for", "whether", "if"):
                return False  # "it is imperative for", "it was agreed that"
            # "it is clear", "it is highly likely", "it would be possible": impersonal
            return after not in _IT_IMPERSONAL and not (
                (low in _COPULAS or k > i + 2) and after.endswith(("ly", "ible")))
        if low in _IT_VERBS:
            return True
        if low.endswith("s") and not low.endswith(("ss", "us", "is")) and nxt.is_alpha and \
                nxt.is_lower and (i == 0 or doc[i - 1].lower_ in _CLAUSE_OPENERS
                                  or doc[i - 1].is_sent_start):
            return True  # "denied that it carries out strikes", not "gave it weapons"
        return nxt.is_alpha and nxt.is_lower and low.endswith("ed") and len(low) > 4 and \
            low not in ("armed", "advanced", "unmanned", "limited", "related", "united",
                        "needed", "based", "used", "supposed", "alleged")

    def _body_role(self, m: Mention) -> bool:
        """"the regime", "the ministry": a definite role that can be the "it" of a sentence
        (a person's role or a "resident" cannot)."""
        if m.kind != "agent" or m.sector in ("CVL", "ELI", "CRM", "REF", "HLH", "EDU", "LAB"):
            return False
        before = self.text[max(0, m.start - 4):m.start].lower()
        return before.endswith("the ")

    def _pronoun_window(self, i: int) -> int:
        """Character offset where a pronoun's window starts: the previous sentence when it is
        in the same paragraph, else this sentence; never before a blank line."""
        doc = self.doc
        sent = self._sent(i)
        lo = doc[self.sent_starts[sent - 1 if sent > 0 else sent]].idx
        here = doc[i].idx
        breaks = list(_PARAGRAPH_BREAK.finditer(self.text, lo, here))
        if breaks:
            lo = breaks[-1].end()
        return lo

    def _antecedent(self, window: list[Mention], want: str) -> Mention | None:
        """The most recent mention of the kind ``want`` asks for, if it is the only one."""
        if want == "person":
            people = [m for m in window if m.kind == "person"]
            if not people or len(_distinct(people)) != 1:
                return None
            return people[-1]
        if want == "it":
            # a singular role ("the regime", "the ministry") is a candidate too: it makes the
            # window ambiguous, but names no actor to resolve to
            found = [m for m in window if (m.kind in _IT_KINDS or self._body_role(m))
                     and not _plural_mention(m)]
            if not found or len(_distinct(found)) != 1 or found[-1].kind == "agent":
                return None
            return found[-1]
        plural = [m for m in window if m.kind in _THEY_KINDS and
                  (m.kind in ("group", "collective") or _plural_mention(m))]
        if not plural or len(_distinct(plural)) != 1:
            return None
        others = [m for m in window if m.kind in _THEY_KINDS and m not in plural
                  and m.kind != "agent"]
        if len(_distinct(others)) > 1:
            return None  # "Russia and China ... the rebels ... they"
        return plural[-1]

    def _two_before(self, refs: list[tuple[int, str]], i: int) -> list[str] | None:
        """The two states named in this sentence before token ``i``, else in the previous one."""
        doc = self.doc
        sent = self._sent(i)
        here = doc[i].idx
        windows = [(doc[self.sent_starts[sent]].idx, here)]
        if sent > 0:
            prev_start = doc[self.sent_starts[sent - 1]].idx
            between = self.text[prev_start:windows[0][0]]
            if "\n" not in between:  # same paragraph
                windows.append((prev_start, windows[0][0]))
        for lo, hi in windows:
            codes: list[str] = []
            for off, code in refs:
                if lo <= off < hi and code not in codes:
                    codes.append(code)
            if len(codes) == 2:
                return codes
            if codes:
                return None
        return None


def _plural_mention(m: Mention) -> bool:
    """"the rebels", "Houthi fighters", "Russian troops", "NATO allies": a plural head."""
    last = m.text.split()[-1] if m.text.split() else ""
    last = last.strip(".,;:'\u2019\"")
    return last.isalpha() and last.islower() and last.endswith("s") and \
        not last.endswith(("ss", "us", "is")) or m.text.rstrip().endswith(("ians", "ese"))


def _distinct(mentions: list[Mention]) -> list[str]:
    """Distinct actors among ``mentions``: a person by name (a surname joins the full name),
    anything else by code, else by its words."""
    keys: list[str] = []
    for m in mentions:
        if m.kind == "person":
            key = (m.actor or m.text).strip()
            words = set(key.split())
            match = next((k for k in keys if words <= set(k.split())
                          or set(k.split()) <= words), None)
            if match is not None:
                if len(key) > len(match):
                    keys[keys.index(match)] = key
                continue
        else:
            key = "\t" + (m.code or (m.actor or m.text).lower())
            if key in keys:
                continue
        keys.append(key)
    return keys
