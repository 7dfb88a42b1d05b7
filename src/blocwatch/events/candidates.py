"""Candidate event frames from the dependency parse: (trigger, source, target), by syntax alone.

Every verb, and every noun an actor is attached to, is a candidate trigger when an actor fills
one of its roles. Roles come from general English syntax, never from the trigger's word:

* source: the subject; the by-agent of a passive; the antecedent of a relative clause; the
  controller of an infinitive or gerund ("agreed to send": the subject; "urged Iran to stop":
  the object); the subject shared by coordinated verbs; for a noun, its possessor, an actor
  modifier ("US sanctions"), a by/from phrase, or the subject of the verb that carries it
  ("imposed sanctions");
* target: the direct or indirect object; the subject of a passive; the object of a directional
  or relational preposition (to, with, against, on, at, into, toward, over, between, of for
  nouns) on the trigger or on its object ("sent troops to Russia"); a place as the object of
  the act ("shelled Kharkiv") stands for its country's territory. Locative phrases ("in",
  "near", "across") give the place, never the target;
* "X and Y met" / "talks between X and Y": a joint act, with the same actors on both sides.

Whether a candidate is an event, and of which type, is not decided here: the model does that
(:mod:`blocwatch.events.model`). Nothing here names a word of any event type.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Token

from blocwatch.events.view import Arg, SentenceView

SUBJECTS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
OBJECTS = frozenset({"dobj", "obj"})
#: Prepositions whose object is the one acted upon (or acted with).
TARGET_PREPS = frozenset({"to", "with", "against", "on", "upon", "at", "toward", "towards",
                          "into", "onto", "over", "between", "among", "from", "for", "of",
                          "about", "across", "inside"})
#: Prepositions that say where, not to whom.
LOCATIVE_PREPS = frozenset({"in", "near", "throughout", "within", "outside", "around", "along",
                            "off", "beside", "behind", "beyond", "under", "during", "amid",
                            "after", "before", "since", "until", "despite", "like", "as",
                            "than", "via", "through"})
#: Prepositions after which a gerund's doer is the governing verb's object ("accused X of
#: supplying", "barred X from entering", "thanked X for sending").
OBJECT_CONTROL_PREPS = frozenset({"of", "for", "from", "against"})
RELATIVE_PRONOUNS = frozenset({"which", "who", "whom", "that", "whose"})
#: Verb-like parts of speech a trigger may have.
VERB_POS = frozenset({"VERB"})
NOUN_POS = frozenset({"NOUN"})
_MAX_CLIMB = 4


@dataclass
class Role:
    """The actors in one role and how the parse gave them."""

    args: list[Arg] = field(default_factory=list)
    how: str = ""  # subject, agent, object, dative, prep:to, poss, modifier, controller, ...
    token: Token | None = None  # the head token the role was read from

    def __bool__(self) -> bool:
        return bool(self.args)

    @property
    def codes(self) -> list[str]:
        out: list[str] = []
        for a in self.args:
            if a.code is not None and a.code not in out:
                out.append(a.code)
        return out


@dataclass
class Frame:
    """One candidate: a trigger with its roles and the syntax around it (the model's input)."""

    trigger: Token
    kind: str  # verb | noun
    source: Role
    target: Role
    joint: bool = False  # "X and Y met": both sides are the same actors
    passive: bool = False
    object: Token | None = None  # the direct object when it is not an actor ("sent troops")
    carrier: Token | None = None  # the verb a noun trigger is the object of ("imposed sanctions")
    governor: Token | None = None  # the verb whose complement the trigger is ("agreed to send")
    preps: tuple[str, ...] = ()  # prepositions on the trigger (and its object)
    place: Arg | None = None  # a place the act happened in

    @property
    def start(self) -> int:
        return self.trigger.i

    def phrase(self) -> list[Token]:
        """The trigger's own words: particles, light-verb carrier, object head, prepositions."""
        toks = [self.trigger]
        if self.carrier is not None:
            toks.append(self.carrier)
        if self.object is not None:
            toks.append(self.object)
        toks.extend(c for c in self.trigger.children if c.dep_ in ("prt", "neg"))
        return sorted(set(toks), key=lambda t: t.i)


# ============================================================================ actors of a token

def actors_of(view: SentenceView, tok: Token, places: bool = False, depth: int = 0) -> list[Arg]:
    """The actors a phrase headed by ``tok`` names: the mention covering it, an actor modifier
    or possessor of it ("Chinese officials", "Russia's army"), an of/from phrase ("troops from
    North Korea", "the government of Sudan"), and the same for its conjuncts."""
    if depth > 6:
        return []
    found: list[Arg] = []
    arg = view.actor(tok)
    if (arg is None or arg.code is None) and places and view.place(tok) is not None:
        arg = view.place(tok)
    if arg is not None and tok.i in view.bound:  # a pronoun for its speakers
        found.extend(view.bound[tok.i])
    elif arg is not None:
        found.append(arg)
        for t in view.doc[arg.start:arg.end]:  # "the leaders of France, Germany and Italy":
            for c in t.children:  # a mention that ends inside a list has the rest beside it
                if c.dep_ == "conj" and c.i >= arg.end:
                    found.extend(actors_of(view, c, places, depth + 1))
        for i in range(tok.left_edge.i, arg.start):  # "the Nigerian and Cameroonian armies"
            t = view.doc[i]
            other = view.actor(t)
            if other is not None and other.code and other.code != arg.code and any(
                    c.dep_ in ("conj", "cc") for c in t.children):
                found.append(other)
    else:  # "the US assets of Venezuela's oil company": every actor the phrase names
        for i in range(tok.left_edge.i, tok.i):  # "a South Korean-flagged tanker",
            a = view.actor(view.doc[i])  # "the Saudi-led coalition", "Russia's army"
            if a is not None and a.code is not None and \
                    not a.resolved_by.startswith("coreference"):  # "their patrol": no one new
                found.append(a)
                for c in view.doc[i].conjuncts:  # "his Ugandan, Tanzanian and Rwandan counterparts"
                    other = view.actor(c)
                    if other is not None and other.code is not None and c.i < tok.i:
                        found.append(other)
                break
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        found.extend(actors_of(view, p, places, depth + 1))
                break
        if not found:
            for c in tok.children:  # an apposition: "the group, Hezbollah, …"
                if c.dep_ == "appos":
                    found.extend(actors_of(view, c, places, depth + 1))
    for c in tok.children:
        if c.dep_ == "conj":
            found.extend(actors_of(view, c, places, depth + 1))
    return _unique(found)


def _coded(args: list[Arg]) -> bool:
    return any(a.code is not None for a in args)


def _unique(args: list[Arg]) -> list[Arg]:
    seen: set[tuple[int, int]] = set()
    out = []
    for a in args:
        if a.key not in seen:
            seen.add(a.key)
            out.append(a)
    return out


def _child(tok: Token, deps: frozenset[str] | tuple[str, ...]) -> Token | None:
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def _pobj(prep: Token) -> Token | None:
    for c in prep.children:
        if c.dep_ in ("pobj", "pcomp") and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "X"):
            return c
    return None


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in tok.children) or (
        tok.dep_ == "acl" and tok.tag_ == "VBN")


def _antecedent(tok: Token) -> Token | None:
    """The noun a relative clause or participle hangs on."""
    if tok.dep_ in ("relcl", "acl") and tok.head.i != tok.i:
        return tok.head
    return None


# ============================================================================ sources

def _split_subjects(view: SentenceView, verb: Token, first: Token) -> list[Arg]:
    """The rest of a list of subjects the parser split off ("Delegates from the Philippines,
    Vietnam, and Malaysia held talks": "Malaysia" hangs on the verb as a second subject,
    after an "and")."""
    out: list[Arg] = []
    for c in verb.children:
        if first.i < c.i < verb.i and c.dep_ in SUBJECTS and any(
                view.doc[k].dep_ == "cc" for k in range(first.i + 1, c.i)):
            out.extend(actors_of(view, c))
    return out


def subject_of(view: SentenceView, verb: Token, depth: int = 0) -> Role:
    """Who does what ``verb`` says: its subject, else the subject it inherits by syntax."""
    passive = is_passive(verb)
    for c in verb.children:
        if passive and c.dep_ == "agent":
            p = _pobj(c)
            if p is not None:
                return Role(actors_of(view, p), "agent", p)
        if not passive and c.dep_ in SUBJECTS:
            if c.lower_ in RELATIVE_PRONOUNS and (ante := _antecedent(verb)) is not None:
                return Role(actors_of(view, ante), "relative", ante)
            return Role(actors_of(view, c) + _split_subjects(view, verb, c), "subject", c)
    if passive:
        return Role(how="agentless")
    if depth >= _MAX_CLIMB or verb.head.i == verb.i:
        return Role()
    head = verb.head
    if verb.dep_ == "conj":  # "Russia shelled the city and seized the port"
        role = subject_of(view, head, depth + 1)
        role.how = role.how or "conj"
        return role
    if verb.dep_ in ("xcomp", "oprd"):  # "agreed to send" / "urged Iran to stop"
        obj = _child(head, OBJECTS) or _child(head, ("dative",))
        if obj is not None:
            return Role(actors_of(view, obj), "controller-object", obj)
        raised = _child(head, PASSIVE_SUBJECTS)  # "are expected to back", "was set to sign"
        if raised is not None and (args := actors_of(view, raised)):
            return Role(args, "controller", raised)
        role = subject_of(view, head, depth + 1)
        return Role(role.args, "controller", role.token)
    if verb.dep_ in ("acomp", "attr") or (verb.pos_ == "ADJ" and verb.dep_ != "amod"):
        role = subject_of(view, head, depth + 1)  # "is unlikely to sanction"
        return Role(role.args, "controller", role.token)
    if verb.dep_ == "pcomp" and head.dep_ == "prep":  # "accused X of supplying"
        gov = head.head
        if head.lower_ in OBJECT_CONTROL_PREPS:
            obj = _child(gov, OBJECTS)
            if obj is not None:
                return Role(actors_of(view, obj), "controller-object", obj)
        if gov.pos_ in ("VERB", "AUX"):
            role = subject_of(view, gov, depth + 1)
            return Role(role.args, "controller", role.token)
        return Role(actors_of(view, gov), "controller", gov)  # "X's decision to send"
    if verb.dep_ == "acl" and verb.tag_ == "VBG":  # "troops fighting for Russia"
        return Role(actors_of(view, head), "relative", head)
    if verb.dep_ == "acl" and verb.tag_ != "VBN":  # "Russia's decision to send troops"
        return noun_source(view, head, depth + 1)
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VB"):  # "…, killing five" / "to stop"
        role = subject_of(view, head, depth + 1)
        return Role(role.args, "controller", role.token)
    return Role()


def noun_source(view: SentenceView, noun: Token, depth: int = 0) -> Role:
    """Who does what an event noun names: possessor, actor modifier, by/from phrase, the
    subject of the verb it is the object of ("imposed sanctions", "launched an offensive"), or
    the doer of the noun it is the of-phrase of ("X's pledge of aid")."""
    for c in noun.children:
        if c.dep_ == "poss":
            args = actors_of(view, c)
            if args:
                return Role(args, "poss", c)
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "nmod") and c.i < noun.i and view.actor(c) is not None \
                and view.actor(c).resolved_by != "capital":  # "a Kabul car bombing": where
            return Role([view.actor(c)], "modifier", c)
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            p = _pobj(c)
            if p is not None and (args := actors_of(view, p)):
                return Role(args, "by" if c.lower_ == "by" else "from", p)
    if depth >= _MAX_CLIMB:
        return Role()
    head = noun.head
    if noun.dep_ in OBJECTS | {"attr", "oprd"} and head.pos_ in ("VERB", "AUX"):
        role = subject_of(view, head, depth + 1)
        return Role(role.args, "carrier", role.token)
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") and \
            head.lower_ in ("for", "to", "in", "into", "on"):  # "called for talks with"
        role = subject_of(view, head.head, depth + 1)
        return Role(role.args, "carrier", role.token)
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") and \
            head.lower_ in _COUNTERPART_TIME and _counterpart(view, noun):
        role = subject_of(view, head.head, depth + 1)  # "freed them after talks with Washington"
        return Role(role.args, "carrier", role.token)
    if noun.dep_ in PASSIVE_SUBJECTS and head.pos_ in ("VERB", "AUX"):
        role = subject_of(view, head, depth + 1)  # "sanctions were imposed by the EU"
        return Role(role.args, "carrier", role.token)
    if noun.dep_ == "conj" and head.pos_ == "NOUN":
        return noun_source(view, head, depth + 1)
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        role = noun_source(view, head.head, depth + 1)  # "X's declaration of support for Y",
        return Role(role.args, "of-head", role.token)  # "X's offer of aid"
    return Role()


#: Prepositions of time or occasion on a verb: an event noun in them with a counterpart
#: ("after talks with Washington", "during a meeting with Modi") is an act of the verb's
#: subject; without one ("after attacks on its troops", "amid protests") it may be anyone's.
_COUNTERPART_TIME = ("after", "following", "during", "before", "at", "in", "through", "via")


def _counterpart(view: SentenceView, noun: Token) -> bool:
    """Whether an event noun names a coded counterpart in a with-phrase ("talks with Seoul")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "with" and (p := _pobj(c)) is not None \
                and _coded(actors_of(view, p)):
            return True
    return False


# ============================================================================ targets

#: Prepositions that point at whom an act is done to come before those that give a topic
#: ("handed a note of protest to Georgia's ambassador over the detention of officers").
_DIRECTIONAL = ("to", "against", "with", "on", "upon", "at", "into", "toward", "towards",
                "onto", "between", "among", "inside")


def _prep_rank(word: str) -> int:
    return 0 if word in _DIRECTIONAL else 1


def _prep_targets(view: SentenceView, tok: Token, skip: set[int],
                  depth: int = 0) -> tuple[Role, list[str]]:
    """The best prepositional target on ``tok``, or one level down inside its own object or
    prepositional objects: directional prepositions first, then coded actors, then nearer."""
    preps: list[str] = []
    options: list[tuple[tuple[int, int, int], Role]] = []
    for c in tok.children:
        if c.dep_ != "prep":
            continue
        word = c.lower_
        preps.append(word)
        p = _pobj(c)
        if p is None or p.i in skip:
            continue
        if word in TARGET_PREPS:
            args = actors_of(view, p, places=word in ("on", "at", "against", "into", "over"))
            if word == "at":  # "met at the Kremlin", "signed at the White House": a seat of
                #                   power after "at" is where the act happens, not whom at
                args = [replace(a, kind="place") if a.resolved_by == "seat" else a
                        for a in args]
            if args:
                options.append(((0 if _coded(args) else 1, _prep_rank(word), depth),
                                Role(args, f"prep:{word}", p)))
        if depth < 1 and view.actor(p) is None:  # "a note of protest to …"
            inner, _ = _prep_targets(view, p, skip, depth + 1)
            if inner:
                word2 = inner.how.split(":", 1)[1]
                options.append(((0 if _coded(inner.args) else 1, _prep_rank(word2) + 1,
                                 depth + 1), inner))
    if not options:
        return Role(), preps
    return min(options, key=lambda o: o[0])[1], preps


def _clause_target(view: SentenceView, clause: Token, skip: set[int], depth: int,
                   label: str) -> Role | None:
    """The coded target of a verb's own clause (a complement or a participle), labelled by
    how it was reached; None when it names no coded one."""
    inner, _ = verb_target(view, clause, _child(clause, OBJECTS), skip, depth + 1)
    return Role(inner.args, label + inner.how, inner.token) if _coded(inner.args) else None


def verb_target(view: SentenceView, verb: Token, obj: Token | None,
                skip: set[int], depth: int = 0) -> tuple[Role, list[str]]:
    """Whom the act is done to, by syntax: object, indirect object, passive subject, a
    directional preposition on the verb or on its object."""
    if is_passive(verb):
        for c in verb.children:
            if c.dep_ in PASSIVE_SUBJECTS:
                args = actors_of(view, c, places=True)
                if args:
                    return Role(args, "passive-subject", c), []
        if verb.dep_ == "acl" and (args := actors_of(view, verb.head, places=True)):
            return Role(args, "passive-head", verb.head), []
    for c in verb.children:
        if c.dep_ == "dative":
            p = _pobj(c) if c.pos_ == "ADP" else c
            if p is not None and (args := actors_of(view, p)):
                return Role(args, "dative", p), []
    if obj is not None and obj.i not in skip and view.actor(obj) is None:
        judged = _judged(view, verb, obj, skip)  # whose act the object is
        if judged:
            return _own_theme(view, verb, judged.args, skip) or (judged, [])
    fallback = Role()
    if obj is not None and obj.i not in skip:
        args = actors_of(view, obj, places=True)
        if _coded(args):
            theme = _own_theme(view, verb, args, skip)
            if theme is not None:
                return theme
            return Role(args, "object", obj), []
        fallback = Role(args, "object", obj)  # "sent troops to Russia": troops are the theme
    role, preps = _prep_targets(view, verb, skip)
    if not _coded(role.args) and obj is not None:
        more_role, more = _prep_targets(view, obj, skip)
        preps += more
        if _coded(more_role.args):
            role = more_role
    if not _coded(role.args) and fallback:
        role = fallback
    if not _coded(role.args) and obj is not None and view.actor(obj) is None:
        owner = noun_source(view, obj, _MAX_CLIMB)  # "defied a ruling by the court",
        if _coded(owner.args) and not any(a.start in skip for a in owner.args):
            role = Role(owner.args, "object-" + owner.how, owner.token)  # "accepted
            #                                              Germany's apology": whose act
    if not _coded(role.args) and obj is not None and depth < 2:
        for c in obj.children:  # "fired shells aimed at Indian posts", "launched missiles
            if c.dep_ == "acl" and c.pos_ in VERB_POS:  # targeting US troops": the participle
                inner = _clause_target(view, c, skip, depth, "participle-")  # on what was
                if inner is not None:  # launched names its aim
                    role = inner
                    break
    if not _coded(role.args) and depth < 2:
        for c in verb.children:
            if c.dep_ == "xcomp" and c.pos_ in VERB_POS:  # "threatened to strike Kyiv": the
                inner = _clause_target(view, c, skip, depth, "complement-")  # complement's
                if inner is not None:  # object is whom the stance aims at
                    role = inner
                    break
            if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") and not role:
                subj = _child(c, SUBJECTS | PASSIVE_SUBJECTS)  # "demanded that Washington …"
                if subj is not None and subj.i not in skip and _coded(
                        args := actors_of(view, subj)):
                    role = Role(args, "complement-subject", subj)
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("unless", "if")
                                         for m in c.children):
                subj = _child(c, SUBJECTS)  # "… unless Kuwait stopped pumping"
                if subj is not None and subj.i not in skip and _coded(
                        args := actors_of(view, subj)):
                    role = Role(args, "condition-subject", subj)
    return role, preps


#: Prepositions that name where a theme is sent.
_DESTINATION = ("to", "into", "toward", "towards")


def _own_theme(view: SentenceView, verb: Token, args: list[Arg], skip: set[int]
               ) -> tuple[Role, list[str]] | None:
    """"ordered 3,000 U.S. troops to Liberia", "sent its warships into the Black Sea near
    Georgia": an object of the doer's own state (its forces, its citizens, its envoy) is what
    is sent; the destination naming another state's actor is whom the act is aimed at."""
    own = {a.code for i in skip if (a := view.actor(view.doc[i])) is not None and a.code}
    if not own or any(a.code not in own for a in args if a.code):
        return None
    role, preps = _prep_targets(view, verb, skip)
    if role.how.split(":")[-1] in _DESTINATION and role.how.startswith("prep") and \
            _coded(role.args) and all(a.code not in own for a in role.args if a.code):
        return role, preps
    return None


def predicative(verb: Token, obj: Token) -> Token | None:
    """What a verb says its object is ("called the strikes a war crime", "hailed the deal as
    a victory", "termed the raid part of a campaign"): an object predicate, a second object,
    or an as-phrase."""
    for c in verb.children:
        if c.dep_ == "oprd" or c.dep_ in OBJECTS and c.i > obj.i:
            return c
        if c.dep_ == "prep" and c.lower_ == "as":
            return _pobj(c)
    for c in obj.children:  # the parser often hangs the as-phrase on the object
        if c.dep_ == "prep" and c.lower_ == "as":
            return _pobj(c)
    return None


def _judged(view: SentenceView, verb: Token, obj: Token, skip: set[int]) -> Role:
    """An act done to an act ("condemned the shelling of Tyre by Israeli forces", "hailed the
    raid as a Turkish victory") is aimed at whoever owns the act: the object's owner (its
    possessor, actor modifier or by-phrase), else the owner its predicate names; not the
    patient in the object's of-phrase ("the invasion of X" is not X's act)."""
    owner = noun_source(view, obj, _MAX_CLIMB)
    if not _coded(owner.args) and not is_passive(verb):
        for c in verb.children:  # an active verb has its subject: a by-phrase after the
            if c.dep_ == "prep" and c.lower_ == "by" and c.i > obj.i:  # object is the
                p = _pobj(c)  # object's own ("condemned the shelling … by X's troops")
                if p is not None:
                    owner = Role(actors_of(view, p), "by", p)
    if _coded(owner.args) and not any(a.start in skip for a in owner.args):
        return Role(owner.args, "object-" + owner.how, owner.token)
    pred = predicative(verb, obj)
    if pred is None:
        return Role()
    named = noun_source(view, pred, _MAX_CLIMB).args or actors_of(view, pred)
    if _coded(named) and not any(a.start in skip for a in named):
        return Role(named, "predicative", pred)
    return Role()


def noun_target(view: SentenceView, noun: Token, skip: set[int]) -> tuple[Role, list[str]]:
    """Whom an event noun is directed at: its prepositional object ("sanctions on Iran",
    "talks with", "the invasion of Ukraine"), or the carrier verb's object or preposition."""
    role, preps = _prep_targets(view, noun, skip)
    if role:
        return role, preps
    head = noun.head
    if noun.dep_ in OBJECTS and head.pos_ == "VERB":  # "imposed sanctions on Iran"
        for c in head.children:
            if c.dep_ == "dative":
                p = _pobj(c) if c.pos_ == "ADP" else c
                if p is not None and (args := actors_of(view, p)):
                    return Role(args, "carrier-dative", p), preps
        more, more_preps = _prep_targets(view, head, skip)
        if more:
            more.how = "carrier-" + more.how
            return more, preps + more_preps
    if noun.dep_ == "pobj" and head.lower_ in ("by", "in") and head.dep_ in ("agent", "prep") \
            and is_passive(verb := head.head):  # "soldiers were killed by a drone strike"
        for c in verb.children:
            if c.dep_ in PASSIVE_SUBJECTS and (args := actors_of(view, c)) and \
                    not {i for a in args for i in range(a.start, a.end)} & skip:
                return Role(args, "carrier-patient", c), preps
    return Role(), preps


# ============================================================================ frames

def _location(view: SentenceView, toks: list[Token]) -> Arg | None:
    for tok in toks:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in LOCATIVE_PREPS | {"at"}:
                p = _pobj(c)
                if p is not None:
                    a = view.place(p) or next(
                        (x for x in actors_of(view, p) if x.kind == "state"), None)
                    if a is not None:
                        return a
    return None


def _governor(tok: Token) -> Token | None:
    """The verb whose clausal complement the trigger is ("agreed to send", "said it sent")."""
    t = tok
    for _ in range(3):
        if t.dep_ in ("xcomp", "ccomp", "pcomp", "acl", "advcl") and t.head.i != t.i:
            h = t.head
            if h.dep_ == "prep" and h.head.i != h.i:
                h = h.head
            if h.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
                return h
        if t.dep_ == "conj":
            t = t.head
            continue
        if tok.pos_ == "NOUN" and t.dep_ in OBJECTS and t.head.pos_ == "VERB":
            t = t.head  # a noun's carrier: govern through it
            continue
        break
    return None


def _joint(frame: Frame) -> bool:
    """"Russia and China signed…" with no target: a joint act of the coordinated subjects.
    People of no coded state in the target's place ("Armenia and Azerbaijan exchanged
    detainees") are what the parties exchanged, not a third side, when the subjects are two
    or more states."""
    if len(frame.source.args) < 2 or frame.source.how not in (
            "subject", "poss", "relative", "controller", "conj", "carrier"):
        return False
    if not frame.target or frame.target.how.endswith("prep:at") and all(
            a.kind == "place" for a in frame.target.args):  # "signed at the White House"
        return True
    return not _coded(frame.target.args) and len(frame.source.codes) >= 2


def frames(view: SentenceView, coded_only: bool = True) -> list[Frame]:
    """Every candidate frame of the sentence: triggers with at least one coded actor in a
    role (``coded_only=False``: any actor, coded or not, as evaluation of types wants)."""
    out: list[Frame] = []
    for tok in view.doc:
        if view.covered(tok):
            continue
        frame = None
        if tok.pos_ in VERB_POS and tok.lemma_ != "be":
            frame = _verb_frame(view, tok)
        elif tok.pos_ in NOUN_POS:
            frame = _noun_frame(view, tok)
        if frame is None:
            continue
        if coded_only and not (_coded(frame.source.args) or _coded(frame.target.args)):
            continue
        if not (frame.source.args or frame.target.args):
            continue
        out.append(frame)
    return out


def _verb_frame(view: SentenceView, verb: Token) -> Frame | None:
    passive = is_passive(verb)
    source = subject_of(view, verb)
    obj = None if passive else _child(verb, OBJECTS)
    skip = {a_i for a in source.args for a_i in range(a.start, a.end)}
    target, preps = verb_target(view, verb, obj, skip)
    if obj is not None and target.token is obj:
        obj = None  # the object is the target, not what was done
    frame = Frame(verb, "verb", source, target, passive=passive, object=obj,
                  governor=_governor(verb), preps=tuple(preps))
    frame.joint = _joint(frame)
    if frame.joint and frame.target:
        if any(a.kind != "place" for a in frame.target.args):  # what the parties exchanged
            frame.object = frame.target.token
        frame.target = Role()
    frame.place = _location(view, [verb] + ([obj] if obj is not None else []))
    _drop_self(frame)
    return frame


def named_as(noun: Token) -> bool:
    """A noun in the as-phrase of a verb ("labelled the claims as Russian disinformation",
    "condemned the embargo as American aggression") is the name the subject gives to
    something, not an act of its own: its owner is whom the naming is aimed at."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ == "as" and prep.head.pos_ in VERB_POS


def _noun_frame(view: SentenceView, noun: Token) -> Frame | None:
    if named_as(noun):
        return None
    source = noun_source(view, noun)
    skip = {i for a in source.args for i in range(a.start, a.end)}
    target, preps = noun_target(view, noun, skip)
    if not source and not target:
        return None
    if target.how == "prep:between" or (target.how == "prep:among" and len(target.args) >= 2):
        source = Role(list(target.args), target.how, target.token)  # "talks between X and Y"
    carrier = noun.head if noun.dep_ in OBJECTS | {"attr"} and noun.head.pos_ == "VERB" \
        else None
    if carrier is not None and source.how == "carrier":
        inverse = _inverse(view, carrier)
        if inverse:  # "drew condemnation from France", "received aid from China"
            source, target = inverse, Role(list(source.args), "carrier-subject", source.token)
    elif carrier is not None and source.how in ("from", "by") and not _coded(target.args):
        doer = subject_of(view, carrier)  # "…, drawing condemnation from Seoul and Tokyo"
        keys = {a.key for a in source.args}
        args = [a for a in doer.args if a.key not in keys]
        if _coded(args):
            target = Role(args, "carrier-subject", doer.token)
    frame = Frame(noun, "noun", source, target, carrier=carrier, governor=_governor(noun),
                  preps=tuple(preps))
    frame.joint = _joint(frame) or source.how in ("prep:between", "prep:among")
    if frame.joint and frame.target and all(a.kind == "place" for a in frame.target.args):
        frame.target = Role()
    frame.place = _location(view, [noun] + ([carrier] if carrier is not None else []))
    _drop_self(frame)
    return frame


def _inverse(view: SentenceView, carrier: Token) -> Role:
    """A from-phrase on the verb carrying an event noun names who did the act."""
    for c in carrier.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            p = _pobj(c)
            if p is not None and _coded(args := actors_of(view, p)):
                return Role(args, "carrier-from", p)
    return Role()


def _drop_self(frame: Frame) -> None:
    """No actor mention is both the doer and the one done to (an agentless passive's patient
    is never its own agent)."""
    if frame.joint:
        return
    src = {a.key for a in frame.source.args}
    frame.target.args = [a for a in frame.target.args if a.key not in src]
