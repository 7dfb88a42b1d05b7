"""How many, of what, and how much money: "an estimated 11,000 troops", "$300 billion".

An event's size is often its news: 11,000 troops is not 500 advisers, and $300 billion is not
$3 million. Quantities are read from plain text with offsets, normalised to a small vocabulary
of units (troops, workers, drones, …, or an ISO 4217 currency code) so they can be compared and
summed across outlets. A number counts only when it is followed by what it counts (or carries a
currency), so years, dates, ages and percentages never pass for counts.

Vague amounts keep their vagueness: "thousands of workers" has no value but a range (2,000 to
9,999, see data/quantities.yaml), and "more than 100 drones" has only a minimum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_WORD_VALUES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_WORD_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
                "trillion": 10**12, "dozen": 12}
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_YEAR_CONTEXT = re.compile(rf"(?:\b(?:{_MONTHS})\.?|\b(?:in|since|by|until|till|from|of|"
                           rf"during|before|after|early|late|mid|spring|summer|autumn|fall|"
                           rf"winter)|-|–)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """A counted or monetary amount found in text, with character offsets."""

    text: str
    start: int
    end: int
    unit: str
    kind: str = "count"  # "count" or "money"
    value: int | float | None = None
    min: int | float | None = None
    max: int | float | None = None
    approx: bool = False

    def to_json(self) -> dict:
        """The quantity shape of DESIGN.md: value, unit, approx, text (+ min/max, offsets)."""
        out: dict = {"value": self.value, "unit": self.unit, "approx": self.approx,
                     "text": self.text}
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        out.update(kind=self.kind, start=self.start, end=self.end)
        return out


def _alternation(words, boundary: bool = True) -> str:
    """A regex alternation, longest first, with flexible inner whitespace."""
    parts = sorted({str(w).lower() for w in words}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in parts)
    return f"(?:{body})" if not boundary else f"(?:{body})(?![\\w-])"


class _Lexicon:
    """data/quantities.yaml compiled into patterns."""

    def __init__(self, raw: dict):
        self.unit_of: dict[str, str] = {}
        for unit, words in (raw.get("units") or {}).items():
            for word in words:
                self.unit_of[_norm(word)] = unit
        self.currency_of: dict[str, str] = {}
        symbols, codes = [], []
        currency_words = []
        for code, spec in (raw.get("currencies") or {}).items():
            for sym in spec.get("symbols") or []:
                sym = str(sym)
                if sym.isalpha():
                    codes.append(sym.upper())
                    self.currency_of[sym.upper()] = code
                else:
                    symbols.append(sym)
                    self.currency_of[sym.lower()] = code
            for word in spec.get("words") or []:
                currency_words.append(word)
                self.currency_of.setdefault(_norm(word), code)
        self.scales = {str(k).lower(): int(v) for k, v in (raw.get("scales") or {}).items()}
        self.vague = {_norm(k): (v[0], v[1]) for k, v in (raw.get("vague") or {}).items()}
        self.qualifier_kind: dict[str, str] = {}
        for kind, words in (raw.get("qualifiers") or {}).items():
            for word in words:
                self.qualifier_kind[_norm(word)] = kind
        self.stop = {_norm(w) for w in raw.get("stop_words") or []}
        self.invariable = {_norm(w) for w in raw.get("invariable_plurals") or []}
        labels = _alternation(raw.get("label_words") or ["resolution"], boundary=False)
        self.label_before = re.compile(rf"(?<![\w'’-]){labels}\.?\s*$", re.IGNORECASE)

        sym = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
        code = "|".join(sorted(codes, key=len, reverse=True))
        currency = f"(?:{sym}|(?-i:(?:{code})(?=\\s?\\d)))"
        digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        suffix = r"(?:bn|mn|mln|bln|tn|trn|k|m|b)"
        spaced = r"(?:hundred|thousand|million|billion|trillion|bn|mln|mn|tn)"
        word = "|".join(sorted([*_WORD_VALUES, *_WORD_SCALES], key=len, reverse=True))
        wordnum = (rf"(?:an?\s+(?:hundred|thousand|million|billion|dozen)|(?:{word})"
                   rf"(?:(?:\s+and\s+|\s+|-)(?:{word}))*)(?![\w-])")
        vague = _alternation(self.vague)
        def number(n: str) -> str:
            return (rf"(?:(?P<{n}d>{digits})(?P<{n}sfx>{suffix})?(?![\w,])"
                    rf"(?:\s(?P<{n}sc>{spaced})(?![\w-]))?"
                    rf"|(?P<{n}v>{vague})|(?P<{n}w>{wordnum}))")

        quals = _alternation([*self.qualifier_kind, "between"])
        self.core = re.compile(
            rf"(?<![\w.,/$€£¥₽-])(?:(?P<q>{quals})\s+)?"
            rf"(?P<c1>{currency})?\s?{number('a')}"
            rf"(?:\s*(?P<rng>-|–|—|to|and|or)\s*(?P<c2>{currency})?\s?{number('b')})?",
            re.IGNORECASE)
        units = _alternation(self.unit_of)
        stop = _alternation(self.stop)
        self.unit_after = re.compile(
            rf"(?P<of>\s+of(?:\s+(?:its|their|the|his|her|our))?)?"
            rf"(?P<mods>(?:\s+(?!{stop})[^\s,.;:()\[\]\"“”]+){{0,3}}?)\s+(?P<unit>{units})",
            re.IGNORECASE)
        self.currency_after = re.compile(
            rf"(?:\s+of)?\s+(?P<cur>{_alternation(currency_words)})(?!\s+of\b)", re.IGNORECASE)
        strong = _alternation(raw.get("strong_units") or [])
        self.strong_after = re.compile(
            rf"\s*-\s*strong(?P<mods>(?:\s+[^\s,.;:()]+){{0,3}}?)\s+(?P<unit>{strong})",
            re.IGNORECASE)
        self.percent_after = re.compile(r"\s*(?:%|per\s*cent\b|percent\b|pc\b)", re.IGNORECASE)


def _norm(text: str) -> str:
    return " ".join(str(text).lower().split())


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    text = files("blocwatch").joinpath("data/quantities.yaml").read_text(encoding="utf-8")
    return _Lexicon(yaml.safe_load(text) or {})


def _number(m: re.Match, n: str, lex: _Lexicon) -> tuple[Decimal | None, tuple | None, bool]:
    """(value, vague range, had a scale) of number group `n` of a match."""
    if m.group(f"{n}d"):
        value = Decimal(m.group(f"{n}d").replace(",", ""))
        scale = m.group(f"{n}sfx") or m.group(f"{n}sc")
        if scale:
            value *= lex.scales.get(scale.lower(), 1)
        return value, None, bool(scale)
    if m.group(f"{n}v"):
        lo, hi = lex.vague[_norm(m.group(f"{n}v"))]
        return None, (lo, hi), True
    if m.group(f"{n}w"):
        words = set(re.split(r"[\s-]+", m.group(f"{n}w").lower()))
        return _word_number(m.group(f"{n}w")), None, bool(words & set(_WORD_SCALES) - {"hundred"})
    return None, None, False


def _word_number(text: str) -> Decimal:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            current = max(current, 1)
        elif word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word in ("hundred", "dozen"):
            current = max(current, 1) * _WORD_SCALES[word]
        elif word in _WORD_SCALES:
            total += max(current, 1) * _WORD_SCALES[word]
            current = 0
    return Decimal(total + current)


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def find_quantities(text: str | Span | Doc, offset: int = 0) -> list[Quantity]:
    """Counts and sums of money in `text`; offsets are into `text`, plus `offset`.

    A spaCy Span gives offsets into its Doc (its `start_char` is added), so a quantity can be
    tied to the tokens of an event's arguments.
    """
    if not isinstance(text, str):  # a spaCy Span or Doc
        offset += getattr(text, "start_char", 0)
        text = text.text
    lex = _lexicon()
    found: list[Quantity] = []
    for m in lex.core.finditer(text):
        q = _read(m, text, lex, offset)
        if q is not None:
            found.append(q)
    return found


def _read(m: re.Match, text: str, lex: _Lexicon, offset: int) -> Quantity | None:
    qual = _norm(m.group("q") or "")
    rng = (m.group("rng") or "").lower()
    a_val, a_vague, a_scaled = _number(m, "a", lex)
    b_val, b_vague, b_scaled = _number(m, "b", lex)
    has_b = m.group("bd") or m.group("bw") or m.group("bv")
    end = m.end()
    if has_b and (rng == "and" and qual != "between" or b_vague):
        # "11,000 troops and 500 …" is two numbers, not a range: keep the first only.
        has_b, b_val, end = None, None, _a_end(m)
    if a_val is not None and b_val is not None and not a_scaled:
        scale = _scale_of(m, "b", lex)  # "10 to 12 million", "two to three hundred"
        if scale > 1 and a_val * scale <= b_val:
            a_val *= scale
    currency_sym = m.group("c1") or (m.group("c2") if has_b else None)
    start = m.start()
    if not m.group("q"):
        start = m.start("c1") if m.group("c1") else _a_start(m)
    rest = text[end:]
    if m.group("ad") and not currency_sym and _looks_like_year(m.group("ad"), text[:_a_start(m)]):
        return None
    if lex.percent_after.match(rest) or _is_date(m, text, rest):
        return None
    if not m.group("q") and not currency_sym and lex.label_before.search(text[:_a_start(m)]):
        return None  # "Resolution 2231", "Flight 752": a name, not a count
    currency = lex.currency_of.get(currency_sym.strip().lower()) if currency_sym else None
    if currency_sym and currency is None:
        currency = lex.currency_of.get(currency_sym.strip().upper())
    kind, unit = "count", None
    if currency:
        kind, unit = "money", currency
        after = lex.currency_after.match(rest)
        if after and lex.currency_of.get(_norm(after.group("cur"))) == currency:
            end += after.end()
    else:
        after = lex.currency_after.match(rest)
        if after and (m.group("ad") or a_vague):
            kind, unit = "money", lex.currency_of[_norm(after.group("cur"))]
            end += after.end()
        else:
            strong = lex.strong_after.match(rest)
            counted = lex.unit_after.match(rest)
            if strong and m.group("ad"):
                unit = "troops"
                end += strong.end()
            elif counted:
                if counted.group("of") and a_val is not None and a_val <= 1:
                    return None  # "one of the soldiers"
                word = _norm(counted.group("unit"))
                if not _agrees(word, a_val, a_vague, lex) or (
                        m.group("ad") and _looks_like_year(m.group("ad"), "in ")
                        and not m.group("q") and counted.group(0).lstrip()[:1].isupper()):
                    return None  # "a Falcon 9 rocket", "the 2017 Women's Championship"
                unit = lex.unit_of[word]
                end += counted.end()
            else:
                return None
    # Letter suffixes (m, k, b) are money talk; "400m" without a currency is a distance.
    if kind == "count" and (m.group("asfx") or "").lower() in ("m", "k", "b"):
        return None
    return _build(text, start, end, offset, unit, kind, qual, lex, a_val, a_vague,
                  b_val if has_b else None, b_vague if has_b else None)


def _scale_of(m: re.Match, n: str, lex: _Lexicon) -> int:
    """The multiplier the last word of number `n` carries ("million" in "12 million")."""
    word = m.group(f"{n}sfx") or m.group(f"{n}sc")
    if word:
        return lex.scales.get(word.lower(), 1)
    if m.group(f"{n}w"):
        last = re.split(r"[\s-]+", m.group(f"{n}w").lower())[-1]
        return _WORD_SCALES.get(last, 1) if last != "dozen" else 1
    return 1


def _a_start(m: re.Match) -> int:
    for g in ("ad", "av", "aw"):
        if m.group(g):
            return m.start(g)
    return m.start()


def _a_end(m: re.Match) -> int:
    for g in ("asc", "asfx", "ad", "av", "aw"):
        if m.group(g):
            return m.end(g)
    return m.end()


_MONTH_AFTER = re.compile(rf"\s*(?:{_MONTHS})\b\.?", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)


def _is_date(m: re.Match, text: str, rest: str) -> bool:
    """'13 November attacks', 'November 13 attacks': a day of a month, not a count."""
    day = m.group("ad")
    if not day or not day.isdigit() or not 1 <= int(day) <= 31 or m.group("q"):
        return False
    return bool(_MONTH_AFTER.match(rest) or _MONTH_BEFORE.search(text[:_a_start(m)]))


def _agrees(word: str, value: Decimal | None, vague: tuple | None, lex: _Lexicon) -> bool:
    """More than one of something takes a plural: '9 rocket' is a name, not a count."""
    if (value is None or value <= 1) and not vague:
        return True
    last = word.split()[-1]
    return last.endswith("s") or last in lex.invariable


def _looks_like_year(digits: str, before: str) -> bool:
    """'in 2024', 'November 2024', '2019-2024': a year, not a count."""
    if not re.fullmatch(r"1[6-9]\d\d|20\d\d", digits):
        return False
    return bool(_YEAR_CONTEXT.search(before[-20:]))


def _build(text, start, end, offset, unit, kind, qual, lex, a_val, a_vague, b_val,
           b_vague) -> Quantity:
    qkind = lex.qualifier_kind.get(qual)
    value = lo = hi = None
    approx = qkind is not None or qual == "between"
    if b_val is not None:
        lo, hi = a_val, b_val
        approx = True
    elif a_vague and a_vague[0] == a_vague[1]:
        value, approx = a_vague[0], True  # "a dozen"
    elif a_vague:
        lo, hi = a_vague
        approx = True
        if qkind == "min":
            hi = None
        elif qkind == "max":
            lo = None
    elif qkind == "min":
        lo = a_val
    elif qkind == "max":
        hi = a_val
    else:
        value = a_val
    snippet = text[start:end]
    return Quantity(text=snippet, start=start + offset, end=end + offset, unit=unit, kind=kind,
                    value=_plain(_dec(value)), min=_plain(_dec(lo)), max=_plain(_dec(hi)),
                    approx=approx)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)
