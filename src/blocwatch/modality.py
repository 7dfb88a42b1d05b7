"""Is a candidate event a fact, a report, a plan, a guess, a denial, a condition or advice?

Event data sets have long coded "could send troops" as troops sent. blocwatch does not: before an
event is kept, its trigger is read in its sentence's dependency parse and given a modality:

- asserted: stated as fact by the author ("Iran complements this trio by providing drones");
- reported: attributed to someone ("Reports indicate that North Korea has sent…", "reportedly",
  "according to officials"), with the attribution text;
- intended: offered, planned, promised, announced for the future ("offer to send", "will send");
- speculative: could, may, might, likely, fears of…;
- negated: not, never, denied, refused to…;
- hypothetical: under if/unless, inverted conditionals ("should allies decide…"), would-have;
- advice: what someone thinks ought to happen ("Western nations must navigate…", "it is vital
  for leaders to…", "urged allies to send"). Advice is not an event: the extractor drops it.

The rules climb from the trigger up the head chain through the clauses that scope over it
(xcomp/ccomp/acl, prepositional complements, nominal objects, coordination) and stop at clauses
the author presents as given (relative clauses, as/because/though-clauses, subjects). Cue words
live in data/modality.yaml; nothing here names a sentence from any test set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

VALUES = ("asserted", "reported", "intended", "speculative", "negated", "hypothetical", "advice")
_MAX_STEPS = 16
_MAX_ATTRIBUTION_TOKENS = 10

# How a governing token was reached from the one below it.
_CLAUSAL = {"xcomp", "ccomp", "acl", "csubj", "csubjpass", "oprd"}
_NOMINAL_ARG = {"dobj", "nsubjpass", "attr", "dative", "obj"}
_STOP = {"relcl", "appos", "parataxis", "nsubj", "expl", "amod", "compound", "poss", "nmod",
         "npadvmod", "advmod", "punct", "det", "nummod", "quantmod", "case", "cc", "mark",
         "meta", "dep", "intj", "predet", "preconj", "prt", "agent", "neg", "aux", "auxpass"}


@dataclass(frozen=True)
class Modality:
    """The modality of one candidate event; `cue` is the word that decided it."""

    value: str
    attribution: str | None = None
    cue: str | None = None

    @property
    def is_event(self) -> bool:
        """Advice is opinion about what should happen, never an event of its own."""
        return self.value != "advice"

    def to_json(self) -> dict:
        return {"modality": self.value, "attribution": self.attribution, "cue": self.cue}


@dataclass(frozen=True)
class Cues:
    """The cue lists of data/modality.yaml as sets, ready for lookups."""

    precedence: tuple[str, ...]
    modals: dict[str, frozenset[str]]
    inverted_conditional: frozenset[str]
    adverbs: dict[str, frozenset[str]]
    marks: dict[str, frozenset[str]]
    heads: dict[str, frozenset[str]]
    nouns: dict[str, frozenset[str]]
    adjectives: dict[str, frozenset[str]]
    prepositions: dict[str, frozenset[str]]

    def lookup(self, table: dict[str, frozenset[str]], word: str) -> str | None:
        """The strongest value whose list holds `word`, or None."""
        for value in self.precedence:
            if word in table.get(value, ()):
                return value
        return None


def _sets(section: dict | None) -> dict[str, frozenset[str]]:
    return {key: frozenset(str(w).lower() for w in (words or [])) for key, words in
            (section or {}).items()}


def load_cues(path: str | Path | None = None) -> Cues:
    """Cue lists from `path`, or the packaged data/modality.yaml."""
    if path is None:
        return _default_cues()
    return _parse_cues(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _default_cues() -> Cues:
    text = files("blocwatch").joinpath("data/modality.yaml").read_text(encoding="utf-8")
    return _parse_cues(text)


def _parse_cues(text: str) -> Cues:
    raw = yaml.safe_load(text) or {}
    precedence = tuple(raw.get("precedence") or ())
    if sorted(precedence) != sorted(VALUES):
        raise ValueError(f"modality precedence must list each of {VALUES} once")
    return Cues(
        precedence=precedence,
        modals=_sets(raw.get("modals")),
        inverted_conditional=frozenset(raw.get("inverted_conditional") or ()),
        adverbs=_sets(raw.get("adverbs")),
        marks=_sets(raw.get("marks")),
        heads=_sets(raw.get("heads")),
        nouns=_sets(raw.get("nouns")),
        adjectives=_sets(raw.get("adjectives")),
        prepositions=_sets(raw.get("prepositions")),
    )


@dataclass
class _Hit:
    value: str
    cue: str
    attribution: str | None = None
    lemma: str | None = None


class _Reader:
    """Collects cues along the trigger's head chain, then picks the strongest."""

    def __init__(self, sentence: Span | Doc, trigger: Token, cues: Cues):
        self.trigger = trigger
        self.cues = cues
        self.hits: list[_Hit] = []
        self.would: Token | None = None
        lo = sentence.start if isinstance(sentence, Span) else 0
        hi = sentence.end if isinstance(sentence, Span) else len(sentence)
        self.bounds = (lo, hi)

    # -- the walk -------------------------------------------------------------------------

    def read(self) -> Modality:
        tok = below = self.trigger
        local, lexical, via = True, False, ""
        outside = False  # reached by a set-off participle: the clause's negation is not ours
        for _ in range(_MAX_STEPS):
            if local:
                self._local(tok, outside)
            outside = False
            if lexical and self._lexical(tok, via, below) == "reported":
                # Above a source, the words are about the telling, not the event ("declined to
                # comment on reports that…"), except a denial of it ("denied reports that…").
                self._denial_of(tok)
                break
            below = tok
            head = tok.head
            if head.i == tok.i or not self._inside(head):
                break
            dep = tok.dep_
            if dep == "relcl" and _infinitival(tok):
                dep = "acl"  # "It is time for Europe to take…", not a relative clause
            if dep in ("compound", "amod") and tok.i == self.trigger.i and head.pos_ in (
                    "NOUN", "PROPN"):
                # A trigger that modifies a noun ("conflict scope") shares its fate.
                local, lexical, via = False, False, dep
                tok = head
                continue
            if dep in _STOP:
                if dep == "nsubj" and tok.i == self.trigger.i:
                    self._subject_of(head)
                break
            if dep == "advcl":
                if self._factive(tok):
                    break
                # A bare gerund or infinitive right after its verb is its complement
                # ("ruled out sending troops"), not an adjunct.
                local, lexical, via = not self._own_modal(tok), _complement_like(tok), dep
                # "said it would not attend, rejecting the invitation": a participle set off
                # after its verb tells a further act, outside that verb's negation.
                outside = _set_off_participle(tok)
                if head.lemma_ == "be":
                    self._copula(head)  # "It is vital for leaders to engage…"
            elif dep == "conj":
                own = self._own_modal(tok) or any(c.dep_ in ("nsubj", "nsubjpass")
                                                  for c in tok.children)
                local, lexical, via = not own, False, dep
            elif dep in _CLAUSAL:
                local, lexical, via = True, True, dep
            elif dep in ("pobj", "pcomp"):
                prep = head
                self._preposition(prep)
                if prep.dep_ in ("prep", "agent") and prep.head.i != prep.i \
                        and self._inside(prep.head):
                    head = prep.head
                    local, lexical, via = head.pos_ in ("VERB", "AUX"), True, "prep"
                else:
                    break
            elif dep in _NOMINAL_ARG and tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                local, lexical, via = True, True, dep
            elif dep == "prep":
                local, lexical, via = head.pos_ in ("VERB", "AUX"), False, dep
            else:
                break
            tok = head
        return self._decide()

    def _inside(self, tok: Token) -> bool:
        return self.bounds[0] <= tok.i < self.bounds[1]

    # -- cues on the clause itself ---------------------------------------------------------

    def _local(self, tok: Token, outside_negation: bool = False) -> None:
        cues = self.cues
        kids = list(tok.children)
        auxes = [c for c in kids if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD"
                 or c.dep_ == "aux" and c.lower_ in cues.inverted_conditional]
        for aux in auxes:
            self._modal(aux, tok, kids)
        for kid in kids:
            low = kid.lower_
            if kid.dep_ == "neg" and not self._not_only(kid):
                if not outside_negation:
                    self._hit("negated", kid.text)
            elif kid.dep_ in ("advmod", "npadvmod") and low in cues.adverbs.get("reported", ()):
                self._hit("reported", kid.text, attribution=kid.text)
            elif kid.dep_ == "advmod":
                value = cues.lookup(cues.adverbs, low)
                if value and not (value == "negated" and (self._not_only(kid)
                                                          or outside_negation)):
                    self._hit(value, kid.text)
            elif kid.dep_ == "mark":
                value = cues.lookup(cues.marks, low)
                if value == "hypothetical" and tok.dep_ in ("ccomp", "xcomp", "csubj"):
                    value = "speculative"  # "to determine if it had performed": whether
                if value in ("hypothetical", "speculative") and not self._concessive(kid):
                    self._hit(value, kid.text)
            elif kid.dep_ == "advcl" and kid.i != self.trigger.i:
                # The consequent of a condition: "If Russia attacks, NATO would respond."
                for mark in kid.children:
                    conditional = (mark.dep_ == "mark" and not self._concessive(mark)
                                   and mark.lower_ in cues.marks.get("hypothetical", ()))
                    if conditional or mark.dep_ == "aux" and self._inverted(mark, kid):
                        self._hit("hypothetical", mark.text)
            elif kid.dep_ == "prep" and low == "according" and not any(
                    t.lower_ in ("which", "whom") for t in kid.subtree):
                # "according to officials"; not "a deal according to which …" (a relative)
                self._hit("reported", kid.text, attribution=_subtree_text(kid))
        if tok.i == self.trigger.i:
            for arg in kids:
                if arg.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
                        d.dep_ == "det" and d.lower_ == "no" for d in arg.children):
                    self._hit("negated", "no")  # "No troops were sent"
                elif arg.dep_ == "ccomp" and self._names(arg):
                    # "forming what some analysts label as an axis": the label is theirs.
                    self._hit("reported", arg.text, attribution=self._attribution(arg))

    def _names(self, clause: Token) -> bool:
        """A free relative ('what X call …') headed by a verb of naming or saying."""
        words = _forms(clause)
        naming = self.cues.heads.get("naming", frozenset()) | self.cues.heads.get(
            "reported", frozenset())
        return bool(words & naming) and any(
            c.dep_ in ("dobj", "attr", "oprd") and c.lower_ in ("what", "whatever")
            for c in clause.children)

    def _subject_of(self, head: Token) -> None:
        """A trigger that is a subject: 'An attack is likely', 'If confirmed, the deployment…'."""
        if head.lemma_ == "be":
            self._copula(head)
        for kid in head.children:
            if kid.dep_ != "advcl":
                continue
            marks = {m.lower_ for m in kid.children if m.dep_ == "mark"}
            if marks & self.cues.marks.get("hypothetical", frozenset()) and (
                    _forms(kid) & self.cues.heads.get("unconfirmed", frozenset())
                    or any(c.dep_ == "acomp" and c.lower_ in self.cues.heads.get(
                        "unconfirmed", frozenset()) for c in kid.children)):
                self._hit("speculative", kid.text)

    def _modal(self, aux: Token, verb: Token, kids: list[Token]) -> None:
        modals = self.cues.modals
        low = aux.lower_
        perfect = any(c.dep_ == "aux" and c.lemma_ == "have" and c.i > aux.i for c in kids)
        if aux.dep_ == "aux" and self._inverted(aux, verb):
            self._hit("hypothetical", aux.text)
        elif perfect and low in modals.get("epistemic_perfect", ()):
            self._hit("speculative", aux.text)
        elif low in modals.get("conditional", ()) or aux.lemma_ in modals.get("conditional", ()):
            if perfect:
                self._hit("hypothetical", aux.text)  # "would have sent"
            elif self.would is None:
                self.would = aux
        elif low in modals.get("advice", ()) or aux.lemma_ in modals.get("advice", ()):
            self._hit("advice", aux.text)
        elif low in modals.get("speculative", ()) or aux.lemma_ in modals.get("speculative", ()):
            self._hit("speculative", aux.text)
        elif low in modals.get("future", ()) or aux.lemma_ in modals.get("future", ()):
            self._hit("intended", aux.text)

    def _inverted(self, aux: Token, verb: Token) -> bool:
        """'Should allies decide…': the auxiliary comes before the subject, and no question."""
        if aux.lower_ not in self.cues.inverted_conditional or aux.i >= verb.i:
            return False
        if self._question() or any(c.dep_ in ("nsubj", "nsubjpass", "expl") and c.i < aux.i
                                   for c in verb.children):
            return False
        nxt = aux.doc[aux.i + 1] if aux.i + 1 < len(aux.doc) else None
        return nxt is not None and nxt.i < verb.i and nxt.pos_ in (
            "PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM")

    def _question(self) -> bool:
        lo, hi = self.bounds
        doc = self.trigger.doc
        last = next((doc[i] for i in range(hi - 1, lo - 1, -1) if not doc[i].is_space), None)
        return last is not None and last.text == "?"

    @staticmethod
    def _not_only(tok: Token) -> bool:
        """'not only … but also' is no negation."""
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return tok.lower_ == "not" and nxt is not None and nxt.lower_ in ("only", "just", "merely")

    @staticmethod
    def _concessive(mark: Token) -> bool:
        """'even if' and 'as if' do not make the main clause conditional."""
        prev = mark.doc[mark.i - 1] if mark.i > 0 else None
        return prev is not None and prev.lower_ in ("even", "as")

    def _factive(self, clause: Token) -> bool:
        """A finite as/because/though-clause is given; modals outside do not reach in."""
        marks = [c.lower_ for c in clause.children if c.dep_ == "mark"]
        finite = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children)
        return finite and any(m in self.cues.marks.get("factive", ()) for m in marks)

    @staticmethod
    def _own_modal(tok: Token) -> bool:
        return any(c.dep_ in ("aux", "auxpass") and c.tag_ == "MD" for c in tok.children)

    # -- cues of the words that govern the trigger -----------------------------------------

    def _denial_of(self, report: Token) -> None:
        head = report.head
        if report.dep_ in _NOMINAL_ARG and head.i != report.i and self._inside(head) and \
                _lookup_any(self.cues, self.cues.heads, _forms(head)) == "negated":
            self._hit("negated", head.text, lemma=head.lemma_.lower())

    def _lexical(self, tok: Token, via: str, below: Token) -> str | None:
        """Cues of a word that governs the trigger; returns the value it gave, if any."""
        cues = self.cues
        lemma = tok.lemma_.lower()
        forms = _forms(tok)
        if tok.pos_ in ("VERB", "AUX"):
            # "rule out", "call on", "call for": the particle or preposition decides the sense.
            extras = [c.lower_ for c in tok.children if c.dep_ in ("prt", "prep")]
            forms |= {f"{f} {x}" for f in forms for x in extras}
            infinitive = any(c.tag_ == "TO" for c in below.children)
            if infinitive and forms & cues.heads.get("directive_with_infinitive", set()):
                self._hit("advice", tok.text)  # "told allies to send"
                return "advice"
            someone_else = any(c.dep_ == "dobj" and tok.i < c.i < below.i for c in tok.children) \
                or any(c.dep_ == "nsubj" for c in below.children)
            if infinitive and someone_else and forms & cues.heads.get("directive_with_object",
                                                                        set()):
                self._hit("advice", tok.text)  # "wants allies to lift", not "wants to lift"
                return "advice"
            if lemma == "have" and not (infinitive and tok.tag_ in ("VB", "VBZ", "VBP")):
                return None  # only a present "has to" is advice; "had to withdraw" happened
            if via in _NOMINAL_ARG and forms & cues.heads.get("announcing_objects", set()):
                return None  # "announced a $725 million package": the actor's own act
            value = _lookup_any(cues, cues.heads, forms)
            if value == "reported":
                self._hit(value, tok.text, attribution=self._attribution(tok), lemma=lemma)
            elif value:
                self._hit(value, tok.text, lemma=lemma)
            elif lemma == "be":
                self._copula(tok)
            return value
        elif tok.pos_ in ("NOUN", "PROPN"):
            if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
                self._hit("negated", "no")  # "no plan to send"
            value = _lookup_any(cues, cues.nouns, forms)
            if value == "reported":
                self._hit(value, tok.text, attribution=self._noun_attribution(tok))
            elif value:
                self._hit(value, tok.text)
            return value
        elif tok.pos_ == "ADJ":
            value = _lookup_any(cues, cues.adjectives, forms)
            if value:
                self._hit(value, tok.text)
            return value
        return None

    def _copula(self, be: Token) -> None:
        for kid in be.children:
            if kid.dep_ in ("acomp", "attr") and kid.i != self.trigger.i:
                table = self.cues.adjectives if kid.pos_ == "ADJ" else self.cues.nouns
                value = self.cues.lookup(table, kid.lemma_.lower())
                if value is None and kid.pos_ != "ADJ":
                    value = self.cues.lookup(self.cues.adjectives, kid.lemma_.lower())
                if value:
                    self._hit(value, kid.text)

    def _preposition(self, prep: Token) -> None:
        low = prep.lower_
        prev = prep.doc[prep.i - 1].lower_ if prep.i > 0 else ""
        negated = self.cues.prepositions.get("negated", ())
        if low in negated or f"{prev} {low}" in negated:
            self._hit("negated", prep.text)

    # -- attribution text ------------------------------------------------------------------

    def _attribution(self, verb: Token) -> str:
        """'Reports indicate', 'officials said', 'is said': who the claim is put to."""
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        doc = verb.doc
        if subj is None or subj.dep_ == "nsubjpass" or subj.lower_ == "it":
            start = min([c.i for c in verb.children if c.dep_ in ("aux", "auxpass")
                         and c.i < verb.i] + [verb.i])
            if subj is not None and subj.lower_ == "it" and subj.i < start:
                start = subj.i
            return doc[start:verb.i + 1].text
        left = subj.left_edge.i
        if verb.i - left + 1 > _MAX_ATTRIBUTION_TOKENS or self.trigger.i in range(left, verb.i):
            left = min([c.i for c in subj.lefts if c.dep_ in ("amod", "compound", "det")]
                       + [subj.i])
        if self.trigger.i in range(left, verb.i):
            return verb.text
        while left < verb.i and doc[left].is_punct:
            left += 1
        text = doc[left:verb.i + 1].text
        return text.rsplit("\n", 1)[-1].strip()  # a heading line is not the source

    def _noun_attribution(self, noun: Token) -> str:
        left = min([c.i for c in noun.lefts if c.dep_ in ("amod", "compound", "poss")]
                   + [noun.i])
        return noun.doc[left:noun.i + 1].text.rsplit("\n", 1)[-1].strip()

    # -- the verdict -----------------------------------------------------------------------

    def _hit(self, value: str, cue: str, attribution: str | None = None,
             lemma: str | None = None) -> None:
        self.hits.append(_Hit(value, cue, attribution, lemma))

    def _decide(self) -> Modality:
        if self.would is not None:
            # "said it would send" announces a plan; "estimated it would" or a bare "would"
            # only imagines one.
            announcing = self.cues.heads.get("announcing", frozenset())
            announced = any(h.lemma in announcing for h in self.hits)
            self._hit("intended" if announced else "speculative", self.would.text)
        if self._question():
            self._hit("speculative", "?")
        attribution = next((h.attribution for h in self.hits if h.attribution), None)
        for value in self.cues.precedence:
            for hit in self.hits:
                if hit.value == value:
                    return Modality(value, attribution, hit.cue)
        return Modality("asserted", attribution, None)


def _forms(tok: Token) -> set[str]:
    """The lemma and plain de-inflections of a word: the lemmatizer reads 'hopes' as 'hop'."""
    low = tok.lower_
    forms = {tok.lemma_.lower(), low}
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""),
                         ("ed", "e"), ("ing", ""), ("ing", "e")):
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            forms.add(low[: len(low) - len(suffix)] + repl)
    return forms


def _lookup_any(cues: Cues, table: dict[str, frozenset[str]], forms: set[str]) -> str | None:
    for value in cues.precedence:
        if forms & table.get(value, frozenset()):
            return value
    return None


def _infinitival(clause: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children) and not any(
        c.tag_ in ("WDT", "WP", "WP$", "WRB") for c in clause.children)


def _set_off_participle(clause: Token) -> bool:
    """A bare present participle after its verb and a comma ("…, rejecting the offer")."""
    edge = clause.left_edge
    return clause.tag_ == "VBG" and clause.head.i < clause.i and edge.i > 0 and \
        clause.doc[edge.i - 1].text == "," and \
        not any(c.dep_ in ("mark", "nsubj", "nsubjpass", "neg") for c in clause.children)


def _complement_like(clause: Token) -> bool:
    """A bare gerund or to-infinitive straight after its verb (and its particle)."""
    if any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in clause.children):
        return False
    head = clause.head
    between = [t for t in clause.doc[head.i + 1:clause.left_edge.i]
               if not (t.dep_ == "prt" and t.head.i == head.i)]
    return head.i < clause.i and not between and (
        clause.tag_ == "VBG" or any(c.tag_ == "TO" for c in clause.children))


def _subtree_text(tok: Token) -> str:
    return tok.doc[tok.left_edge.i:tok.right_edge.i + 1].text


def decide_modality(sentence: Span | Doc, trigger: Token, cues: Cues | None = None) -> Modality:
    """The modality of the event whose trigger word is `trigger`, read from the parse.

    `sentence` bounds the walk (a sentence Span of a parsed Doc, or the Doc itself).
    """
    if not trigger.doc.has_annotation("DEP"):
        raise ValueError("decide_modality needs a dependency parse (a pipeline with 'parser')")
    return _Reader(sentence, trigger, cues or load_cues()).read()
