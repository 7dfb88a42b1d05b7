"""What an event carries besides who did what to whom: its date, place, quantities and how far
to trust it. Each is read from the event's own clause, not from the whole sentence.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib.resources import files

from spacy.tokens import Token

from blocwatch.events.candidates import Frame, is_passive
from blocwatch.events.view import Arg, SentenceView
from blocwatch.quantities import Quantity, find_quantities
from blocwatch.timex import find_event_dates

GAZETTEER = "data/events/gazetteer.tsv"
#: How much a role can be trusted to hold the actor it is read as.
ROLE_TRUST = {"subject": 1.0, "agent": 1.0, "poss": 1.0, "by": 1.0, "object": 1.0,
              "dative": 1.0, "passive-subject": 1.0, "from": 0.9, "modifier": 0.9,
              "carrier": 0.9, "controller": 0.85, "controller-object": 0.85, "relative": 0.9,
              "conj": 0.9, "carrier-from": 0.85, "carrier-subject": 0.85, "passive-head": 0.85,
              "xcomp-object": 0.8, "of-head": 0.85}
ACTOR_TRUST = {"name": 1.0, "alias": 1.0, "official": 1.0, "historical": 1.0,
               "person+office": 1.0, "name+apposition": 1.0, "demonym": 0.9, "capital": 0.9,
               "seat": 0.9, "military": 0.95, "legislature": 0.95, "intelligence": 0.95,
               "police": 0.95, "ner+modifier": 0.8, "person:undated": 0.85,
               "person:nationality": 0.8, "person:former": 0.8, "coreference": 0.75,
               "place": 0.7, "context": 0.6, "previous-sentence": 0.6,
               "possessor-of-place": 0.8}
MODALITY_TRUST = {"asserted": 1.0, "reported": 0.9, "intended": 0.85, "negated": 0.8,
                  "speculative": 0.7, "hypothetical": 0.7}


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, str]:
    """City name -> ISO3 country (GeoNames cities > 15,000 people; tools/build_gazetteer.py)."""
    text = files("blocwatch").joinpath(GAZETTEER).read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, code = line.partition("\t")
            out[name] = code
    return out


def place_country(text: str) -> str | None:
    """The country of a place name by the bundled gazetteer ("Kirkuk" -> IRQ), else None."""
    gaz = _gazetteer()
    name = place_name(text.strip())
    for prefix in ("the ", "The "):
        name = name.removeprefix(prefix)
    if name in gaz:
        return gaz[name]
    for article in ("Al ", "Al-", "El "):  # "Qamishli" / "Al Qamishli": Arabic names are
        if article + name in gaz:  # written with and without the article
            return gaz[article + name]
    words = name.split()
    while len(words) > 1 and words[-1].lower() in ("region", "province", "city", "oblast",
                                                    "district", "governorate", "area"):
        words = words[:-1]
        if " ".join(words) in gaz:
            return gaz[" ".join(words)]
    return None


def place_name(text: str) -> str:
    """"Russia's Kursk region" -> "Kursk region": the place itself, its state kept apart."""
    for mark in ("'s ", "\u2019s "):
        if mark in text:
            return text.split(mark, 1)[1]
    return text


def clause_span(frame: Frame) -> tuple[int, int]:
    """Token span of the trigger's own phrase (with the carrier of a noun, and the noun a
    participle hangs on: "thousands of troops reportedly deployed")."""
    toks = [frame.trigger] + ([frame.carrier] if frame.carrier is not None else [])
    lo = min(t.left_edge.i for t in toks)
    hi = max(t.right_edge.i for t in toks)
    tok = frame.trigger
    if tok.dep_ in ("acl", "amod", "ccomp", "advcl") or is_passive(tok):
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                lo = min(lo, c.left_edge.i)
        if tok.dep_ in ("acl", "amod"):
            lo = min(lo, tok.head.left_edge.i)
    return lo, hi + 1


def _chars(view: SentenceView, lo: int, hi: int) -> tuple[int, int]:
    doc = view.doc
    return doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)


def quantities(view: SentenceView, frame: Frame) -> list[Quantity]:
    """Amounts inside the trigger's phrase, nearest first ("sent an estimated 11,000 troops")."""
    a, b = _chars(view, *clause_span(frame))
    a, b = a + view.offset, b + view.offset
    at = frame.trigger.idx + view.offset
    found = [q for q in find_quantities(view.text, view.offset) if a <= q.start and q.end <= b]
    found.sort(key=lambda q: min(abs(q.start - at), abs(q.end - at)))
    return found


def event_date(view: SentenceView, frame: Frame) -> tuple[str | None, str | None, str | None]:
    """The date in the event's own clause (nearest the trigger), else the sentence's date when
    the trigger is the main clause's, else the publication date ("published"); nothing when
    none is known. A date in another clause ("…, which it invaded in 2022") is not this
    event's."""
    dates = find_event_dates(view.text, view.published)
    if dates:
        a, b = _chars(view, *clause_span(frame))
        at = frame.trigger.idx
        own = [d for d in dates if a <= d.start and d.end <= b]
        if not own and _main_clause(frame.trigger):
            own = [d for d in dates if not _inside_other_clause(view, d.start, frame)]
        if own:
            best = min(own, key=lambda d: min(abs(d.start - at), abs(d.end - at)))
            return best.date.isoformat(), best.precision, best.text
    if view.published is not None:
        return view.published.isoformat(), "published", None
    return None, None, None


#: An act its own clause dates this long before the article is history, not news.
HISTORY_DAYS = 365


def is_history(when: tuple[str | None, str | None, str | None], published: date | None
               ) -> bool:
    """Whether the date read from the event's own clause ("left Iraq in 2011") lies well
    before the publication date: the event is then background, whatever the model said."""
    day, precision, text = when
    if not day or text is None or published is None or precision == "published":
        return False
    return (published - date.fromisoformat(day)).days > HISTORY_DAYS


def told_before(frame: Frame, modality: str) -> bool:
    """An act told in the past perfect by the writer ("the United States had also levied
    sanctions on him") is context the article steps back to: background (corpus/GUIDE.md).
    Inside reported speech ("said it had sent troops") the tense is only shifted back, so an
    attributed act, or one in another verb's complement, is left to the model."""
    if modality == "reported" or frame.governor is not None:
        return False
    verb = frame.trigger if frame.kind == "verb" else frame.carrier
    if verb is None or verb.tag_ != "VBN":
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)


#: Prepositions that name what a statement or act is about ("expelled the ambassador over
#: the agreement", "details emerged about the call", "an inquiry into the killing").
TOPIC_PREPS = frozenset({"about", "over", "regarding", "concerning", "into"})
#: Nouns whose of-phrase names an act the news refers to, not one it reports: a record of it
#: ("a transcript of the call") or its time after ("in the wake of the invasion").
RECORD_NOUNS = frozenset({"transcript", "copy", "text", "details", "detail", "terms", "content",
                          "contents", "record", "recording", "footage", "video", "photo",
                          "photograph", "image", "minutes", "summary", "draft", "anniversary",
                          "aftermath", "wake", "memory", "legacy", "history", "legality",
                          "validity"})


def named_as_topic(frame: Frame) -> bool:
    """An act named by a noun that is only the topic of another clause ("protests over the
    killing of X", "questions were raised about the minister's meeting with Assad"), or the
    of-phrase of a record of it or of its aftermath ("subpoenaed a transcript of the call",
    "in the wake of the invasion"), is one the article refers to, not news it reports:
    background."""
    t = frame.trigger
    if frame.kind != "noun" or frame.carrier is not None or t.dep_ != "pobj":
        return False
    prep = t.head
    return prep.lower_ in TOPIC_PREPS or (
        prep.lower_ == "of" and prep.head.pos_ == "NOUN" and prep.head.lemma_.lower() in
        RECORD_NOUNS)


def _main_clause(tok: Token) -> bool:
    t = tok
    for _ in range(6):
        if t.dep_ == "ROOT":
            return True
        if t.dep_ not in ("conj", "dobj", "xcomp", "prep", "pobj", "ccomp"):
            return False
        t = t.head
    return False


def _inside_other_clause(view: SentenceView, char: int, frame: Frame) -> bool:
    """Is this character inside a relative, adverbial or subordinate clause that does not
    contain the trigger?"""
    doc = view.doc
    tok = doc.char_span(char, char + 1, alignment_mode="expand")
    if tok is None:
        return False
    t = tok[0]
    for _ in range(12):
        if t.dep_ in ("relcl", "advcl", "acl", "ccomp", "csubj", "appos") and not (
                t.left_edge.i <= frame.trigger.i <= t.right_edge.i):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def location(view: SentenceView, frame: Frame) -> dict | None:
    """Where: the frame's locative place, else a named place inside the trigger's phrase."""
    if frame.place is not None:
        return _place_json(frame.place)
    lo, hi = clause_span(frame)
    best = None
    for place, s, e in view.places:
        if lo <= s and e <= hi:
            dist = abs(s - frame.trigger.i)
            if best is None or dist < best[0]:
                best = (dist, place)
    if best is not None:
        name = place_name(best[1].text)
        return {"text": name, "country": best[1].country or place_country(name)}
    return None


def _place_json(arg: Arg) -> dict:
    name = place_name(arg.text)
    country = arg.code if arg.kind in ("place", "state") else None
    return {"text": name, "country": country or place_country(name)}


def confidence(frame: Frame, source: list[Arg], target: list[Arg], modality: str,
               p_event: float) -> float:
    """How far to trust the event: the model's probability x how directly the roles were read
    x how the actors were resolved x the modality."""
    roles = ROLE_TRUST.get(frame.source.how, 0.8) * (
        ROLE_TRUST.get(frame.target.how.split(":")[0], 0.9) if target else 0.9)
    actors = min((ACTOR_TRUST.get(a.resolved_by, 0.8) for a in source + target), default=0.8)
    return round(max(0.0, min(1.0, p_event * roles * actors * MODALITY_TRUST.get(modality, 0.7))),
                 2)
