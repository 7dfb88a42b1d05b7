"""A parsed sentence with the actors and places the actor stage found in it.

The event layer reads sentences, not documents: :class:`SentenceView` is the small data model
every part of it shares (candidates, attributes, the model's features), built once per
sentence from the parse that ``pipeline.py`` ran and the document's mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token

from blocwatch.actors import Mention, Place
from blocwatch.modality import load_cues


@dataclass
class Arg:
    """An actor filling a role: a mention, or a place standing for its country's territory."""

    text: str
    code: str | None
    sector: str | None
    actor: str | None
    resolved_by: str
    kind: str  # Mention.kind, or "place"
    start: int  # token span in the sentence doc
    end: int
    char_start: int  # character offsets in the document
    char_end: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)

    def to_json(self) -> dict:
        return {"text": self.text, "code": self.code, "sector": self.sector,
                "actor": self.actor, "start": self.char_start, "end": self.char_end}


@dataclass
class SentenceView:
    """One parsed sentence: its doc, where it sits in the document, its actors and places."""

    doc: Doc
    index: int  # sentence index in the document (annotate's segmentation)
    offset: int  # character offset of the sentence in the document
    published: date | None
    doc_id: str = ""
    args: dict[int, Arg] = field(default_factory=dict)  # token -> actor covering it
    places: list[tuple[Place, int, int]] = field(default_factory=list)  # place, token span
    place_args: dict[int, Arg] = field(default_factory=dict)  # token -> place as territory
    #: a pronoun standing for its speakers, all of them ("they" for "Germany and France")
    bound: dict[int, list[Arg]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.text

    def actor(self, tok: Token) -> Arg | None:
        return self.args.get(tok.i)

    def place(self, tok: Token) -> Arg | None:
        return self.place_args.get(tok.i)

    def covered(self, tok: Token) -> bool:
        return tok.i in self.args or tok.i in self.place_args


#: Sectors of actors named only by role ("police", "protesters", "the authorities") that
#: belong to the state the sentence is about, as CAMEO codes them.
DOMESTIC_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "CVL", "PTY",
                              "REF", "LAB", "EDU", "ELI", "SEP", "BUS", "CRM", "ISM", "UAF",
                              "SPY", "HLH"})


def hardware() -> frozenset[str]:
    """Words that name equipment, not people (``hardware:`` in ``data/events/rules.yaml``)."""
    from blocwatch.events.rules import config  # rules reads the view: imported on first use

    return config().hardware


def distinct_sectors(a: Arg, b: Arg) -> bool:
    """Two actors of one state that are plainly not the same (police and protesters)."""
    return bool(a.sector and b.sector and a.sector != b.sector)


def _domestic_role(m: Mention) -> bool:
    """An actor named only by role, or a person the reference data does not know; never
    equipment ("drones" alone is what is sent or fired, not who acts)."""
    if m.code is not None or m.resolved_by.startswith("coreference"):
        return False
    words = m.text.lower().split()
    if words and (words[-1] in hardware() or " ".join(words[-2:]) in hardware()):
        return False
    if m.kind == "person":
        return True
    return m.sector in DOMESTIC_SECTORS and m.kind in ("agent", "organisation", "collective")


def sentence_view(doc: Doc, index: int, offset: int, mentions: list[Mention],
                  places: list[Place], published: date | None, doc_id: str = "",
                  is_state=None, filed_from: str | None = None) -> SentenceView:
    """Map the document's mentions and places (character offsets) onto the sentence's tokens.

    An actor named only by its role ("police", "protesters", "the authorities") takes the
    state of a place right after it ("police in Minsk") or else the sentence's one state,
    when the sentence names exactly one (by its actors and places), or else the state of the
    one place where its clause happens, or else, in a sentence naming no state at all, the
    state of the story's dateline (``filed_from``: "NAIROBI, Kenya (Reuters) -"). Towns the
    entity pass missed are places too."""
    from blocwatch.events.attributes import place_country

    view = SentenceView(doc, index, offset, published, doc_id)
    end = offset + len(doc.text)
    inside = [m for m in mentions if offset <= m.start and m.end <= end
              and not _town_read_as_person(m)]  # a town: _gazetteer_towns makes it a place
    here = [p for p in places if offset <= p.start and p.end <= end]
    here += _gazetteer_towns(doc, offset, index, inside, here)
    coded = [m for m in inside if m.code is not None and (is_state is None or is_state(m.code))]
    named_states = [m for m in coded if m.kind == "state"]  # "protesters in France"
    states = {m.code for m in coded} | {p.country or place_country(p.text) for p in here}
    states.discard(None)
    # one state: the sentence's; several: none; none named: where the story was filed
    home = next(iter(states)) if len(states) == 1 else None if states else filed_from
    for m in inside:
        span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if span is None:
            continue
        code, resolved_by = m.code, m.resolved_by
        if _domestic_role(m):
            near = _place_after(doc, span.end, here, offset, named_states) or \
                (None if home else _place_of_clause(doc, span, here, offset))
            if near or home:
                code, resolved_by = near or home, "context"
        arg = Arg(m.text, code, m.sector, m.actor, resolved_by, m.kind, span.start,
                  span.end, m.start, m.end)
        for i in range(span.start, span.end):
            view.args.setdefault(i, arg)
    for p in here:
        span = doc.char_span(p.start - offset, p.end - offset, alignment_mode="expand")
        if span is None:
            continue
        view.places.append((p, span.start, span.end))
        country = p.country or place_country(p.text) or home  # a town the gazetteer lacks,
        _possessor_of_place(view, span, country)
        if country:  # in a sentence about one state, is in that state
            arg = Arg(p.text, country, None, None, "place", "place", span.start, span.end,
                      p.start, p.end)
            for i in range(span.start, span.end):
                if i not in view.args:
                    view.place_args[i] = arg
    _bind_to_speakers(view)
    return view


def _town_read_as_person(m: Mention) -> bool:
    """A name the named-entity pass called a person or a people, with nothing else known of
    it (no title, no earlier full name), that the gazetteer knows as a town ("Russian
    missiles struck Odesa", "the Odesa opera house"): a place."""
    from blocwatch.events.attributes import place_country

    return m.kind in ("person", "collective") and m.code is None and m.sector is None and \
        m.resolved_by == "ner" and place_country(m.text) is not None


#: Longest run of proper-noun tokens read as one place name ("Ras Al Khaimah").
PLACE_WORDS = 4


def _gazetteer_towns(doc: Doc, offset: int, index: int, mentions: list[Mention],
                     places: list[Place]) -> list[Place]:
    """Places the named-entity pass missed (the small model misses "Kharkiv" in "Russia
    shelled Kharkiv overnight", or calls "Odesa" a person): a run of proper nouns that no
    actor (``mentions``, without the towns read as people) or place covers and that the
    gazetteer names as a town of a known state."""
    from blocwatch.events.attributes import place_country

    taken: set[int] = set()
    for x in [*mentions, *places]:
        span = doc.char_span(x.start - offset, x.end - offset, alignment_mode="expand")
        if span is not None:
            taken.update(range(span.start, span.end))
    out: list[Place] = []
    i = 0
    while i < len(doc):
        if doc[i].tag_ not in ("NNP", "NNPS") or i in taken:
            i += 1
            continue
        j = i
        while j < len(doc) and doc[j].tag_ in ("NNP", "NNPS") and j not in taken:
            j += 1
        span = doc[i:j]
        if j - i <= PLACE_WORDS and (country := place_country(span.text)) is not None:
            out.append(Place(span.text, offset + span.start_char, offset + span.end_char,
                             country, index))
        i = j
    return out


#: First-person words that stand for whoever is quoted ("'We expect Belgrade to act,' the
#: minister said").
FIRST_PERSON = frozenset({"we", "i", "us", "our", "me", "my"})
#: Third-person subjects of reported speech that can stand for its speaker ("Kenya's foreign
#: minister said he had asked Somalia", "Germany and France said they would send troops");
#: :func:`_fits` says which speakers each can stand for.
THIRD_PERSON = frozenset({"he", "she", "it", "they"})
#: Verbs of reporting (``data/modality.yaml``, the heads that make an act reported).
REPORTING = load_cues().heads.get("reported", frozenset())


def _bind_to_speakers(view: SentenceView) -> None:
    """A pronoun in reported speech that no earlier stage resolved stands for its speaker:
    a first-person word anywhere in the speech ("'We will not accept this,' the Greek prime
    minister said"), a third-person one as the subject of the reported clause outside quotes
    ("Kenya's foreign minister said he had asked Somalia"). The speech is the complement of a
    reporting verb (modality.yaml, reported heads) whose subject names coded actors; the
    pronoun takes them, marked ``resolved_by="speaker"`` (see :func:`_fits`)."""
    for tok in view.doc:
        low = tok.lower_
        if tok.i in view.args or (low not in FIRST_PERSON and low not in THIRD_PERSON):
            continue
        if low in THIRD_PERSON and (_quoted(view.doc, tok.i) or not (
                tok.dep_ in ("nsubj", "nsubjpass") and
                tok.head.dep_ in ("ccomp", "parataxis"))):
            continue  # in a quote, "he" is someone the speaker speaks of
        t = tok if low in FIRST_PERSON else tok.head
        for _ in range(8 if low in FIRST_PERSON else 1):
            head = t.head
            if head.i == t.i:
                break
            if t.dep_ in ("ccomp", "parataxis") and head.lemma_.lower() in REPORTING:
                speakers = _speakers_of(view, head)
                if low in THIRD_PERSON and not _fits(low, speakers, head):
                    speakers = []
                if speakers:  # the speakers' own mentions: one actor, not a second one
                    view.bound[tok.i] = [replace(a, resolved_by="speaker") for a in speakers]
                    view.args[tok.i] = view.bound[tok.i][0]
                break
            t = head


QUOTES = frozenset({'"', "\u201c", "\u201d", "``", "''"})


def _quoted(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is inside a direct quote: an odd number of quote marks before it."""
    return sum(1 for t in doc[:i] if t.text in QUOTES) % 2 == 1


def _fits(pronoun: str, speakers: list[Arg], verb: Token) -> bool:
    """Whether a third-person pronoun can stand for these speakers: "he"/"she" for one
    person (a name, or a title: "the foreign minister"; not a state, "Russia said he had
    been poisoned" speaks of someone else), "it" for one state or body, "they" for two or
    more, or a plural body ("officials")."""
    if pronoun == "they":
        return len(speakers) >= 2 or (len(speakers) == 1 and speakers[0].kind in
                                      ("agent", "collective"))
    if len(speakers) != 1:
        return False
    a = speakers[0]
    if pronoun == "it":
        return a.kind in ("state", "igo", "organisation", "group")
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return a.kind == "person" or (subject is not None and subject.pos_ == "NOUN" and
                                  subject.tag_ == "NN")


def _speakers_of(view: SentenceView, verb: Token) -> list[Arg]:
    """The coded actors a reporting verb's subject names, one per state or body."""
    out: list[Arg] = []
    for c in verb.children:
        if c.dep_ not in ("nsubj", "nsubjpass"):
            continue
        for x in c.subtree:
            a = view.args.get(x.i)
            if a is not None and a.code and all(a.key != b.key for b in out):
                out.append(a)
    return out


def _possessor_of_place(view: SentenceView, span, country: str | None) -> None:
    """"Russia's Kursk region", "Ukraine's Kharkiv oblast": the state that owns the place is
    named in it, and can be acted upon ("sent workers to rebuild Russia's Kursk region")."""
    if country is None:
        return
    for t in span:
        if t.dep_ == "case" and t.lower_ in ("'s", "’s") and t.i > span.start and \
                all(view.doc[i].pos_ == "PROPN" for i in range(span.start, t.i)) and \
                not any(i in view.args for i in range(span.start, t.i)):
            head = view.doc[span.start:t.i]
            arg = Arg(head.text, country, None, None, "possessor-of-place", "state", span.start,
                      t.i, view.offset + head.start_char, view.offset + head.end_char)
            for i in range(span.start, t.i):
                view.args[i] = arg
            return


#: Prepositions of where a clause happens ("blocked roads across Yerevan").
WHERE = frozenset({"in", "across", "around", "outside", "near", "at", "throughout", "inside"})


def _place_of_clause(doc: Doc, span, places: list[Place], offset: int) -> str | None:
    """"Protesters blocked roads across Yerevan", "farmers in tractors blocked roads around
    Paris": in a sentence naming several states, an actor named only by role who is the
    subject of a clause takes the state of the one known place where that clause happens."""
    from blocwatch.events.attributes import place_country

    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    found = set()
    verb = root.head
    where = [c for c in verb.children if c.dep_ == "prep"] + [
        c for o in verb.children if o.dep_ == "dobj" for c in o.children if c.dep_ == "prep"]
    for c in where:
        if c.lower_ in WHERE:
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                at = offset + p.idx
                for pl in places:
                    if pl.start <= at < pl.end:
                        found.add(pl.country or place_country(pl.text))
    found.discard(None)
    return next(iter(found)) if len(found) == 1 else None


def _place_after(doc: Doc, end: int, places: list[Place], offset: int,
                 states: Sequence[Mention] = ()) -> str | None:
    """"police in Minsk", "protesters in Tbilisi", "students from Kenya": the country of a
    place, or a state named as one, right after."""
    from blocwatch.events.attributes import place_country

    if end + 1 >= len(doc) or doc[end].lower_ not in ("in", "from", "of"):
        return None
    at = offset + doc[end + 1].idx
    for p in places:
        if p.start <= at < p.end or (at <= p.start <= at + 5):
            return p.country or place_country(p.text)
    for m in states:
        if m.start <= at < m.end or (at <= m.start <= at + 5):
            return m.code
    return None
