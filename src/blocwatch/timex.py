"""When did it happen? Event dates from a sentence and the article's publication date.

News dates events relative to the day it is written ("on Tuesday", "last week", "earlier this
year"), so an event's date is the publication date moved by what the sentence says. Without a
publication date, relative expressions resolve to nothing (blocwatch never invents a date);
explicit dates ("on 13 November 2024", "in October 2024", "in 1988") resolve on their own.

Rules, chosen to be predictable rather than clever:

- A date is the first day of its period: a week is its Monday, a month its 1st, a year its
  1 January; `precision` ("day", "week", "month", "year") says which.
- "on Tuesday" is the most recent Tuesday on or before publication: news reports the past, and
  a paper dated Tuesday writing "on Tuesday" means that same day. "last Tuesday" is strictly
  before; "next Tuesday" strictly after.
- A day or month without a year ("on 20 November", "in June") is taken in the publication year,
  unless that puts it more than a month after publication, then the year before.
- If the sentence speaks of the future ("will", "is due to", "is scheduled to", "next"),
  a bare weekday, day or month is read forward instead: on or after publication.
- Expressions that bound a period rather than date an event ("since 2022", "until June",
  "by 2030") are not event dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from blocwatch.dates import parse_date

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december"]
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
               "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTHS = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)} | _MONTH_ABBR
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# Capitalised month and weekday names only: "may" and "march" are also verbs.
_MONTH = (r"(?P<month>(?:" + "|".join(m.capitalize() for m in _MONTH_NAMES) + r")(?!\w)|(?:"
          + "|".join(a.capitalize() for a in sorted(_MONTH_ABBR, key=len, reverse=True))
          + r")\b\.?)")
_WEEKDAY = r"(?P<weekday>" + "|".join(d.capitalize() for d in _WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_BOUND = r"(?<![\w-])"
_BOUNDING = re.compile(r"\b(?:since|until|till|by|through|from)\s+(?:the\s+)?(?:early\s+|late\s+|"
                       r"mid-?\s*)?$", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|shall|is\s+(?:due|set|scheduled|expected|to)\s+(?:to\s+)?|"
                     r"are\s+(?:due|set|scheduled|expected)\s+to|to\s+be\s+held|upcoming|"
                     r"next)\b", re.IGNORECASE)

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(rf"{_BOUND}(?i:on\s+)?(?P<iy>\d{{4}})-(?P<im>\d\d)-(?P<id>\d\d)\b")),
    ("day_month_year", re.compile(
        rf"{_BOUND}(?i:on\s+)?(?:{_WEEKDAY},?\s+)?(?i:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+"
        rf"{_YEAR}\b")),
    ("month_day_year", re.compile(
        rf"{_BOUND}(?i:on\s+)?(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}\b")),
    ("month_year", re.compile(
        rf"{_BOUND}(?i:(?:in|during|throughout|early|late|mid-?)\s+)*{_MONTH},?\s+(?:of\s+)?"
        rf"{_YEAR}\b")),
    ("day_month", re.compile(
        rf"{_BOUND}(?i:on\s+)?(?:{_WEEKDAY},?\s+)?(?i:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}"
        rf"(?!\w|,?\s+\d)")),
    ("month_day", re.compile(
        rf"{_BOUND}(?i:on\s+)?(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?!\w|,?\s+\d)")),
    ("year", re.compile(
        rf"{_BOUND}(?P<lead>(?:in|during|throughout)\s+(?:(?:early|late|mid-?)\s*)?){_YEAR}"
        rf"(?![\w-]|s\b)", re.IGNORECASE)),
    ("month", re.compile(
        rf"{_BOUND}(?P<rel>(?i:(?:in|during|early|late|mid-?|last|this|next|earlier\s+in|"
        rf"later\s+in)\s+(?:(?:early|late|mid-?)\s*)?)){_MONTH}(?!\w|,?\s+\d)")),
    ("weekday", re.compile(
        rf"{_BOUND}(?P<rel>(?i:(?:on|last|this|next|early|late|since)\s+))?{_WEEKDAY}"
        r"(?P<part>\s+(?:morning|afternoon|evening|night))?(?:'s|’s)?\b")),
    ("deictic", re.compile(
        r"(?<![\w-])(?P<word>the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|"
        r"this\s+(?:morning|afternoon|evening)|last\s+night|earlier\s+today|later\s+today)\b",
        re.IGNORECASE)),
    ("relative_period", re.compile(
        r"(?<![\w-])(?P<rel>last|this|next|earlier\s+this|later\s+this|the\s+past|the\s+previous|"
        r"over\s+the|at\s+the|the\s+coming)\s+(?P<unit>week(?:end)?|month|year)\b",
        re.IGNORECASE)),
    ("ago", re.compile(
        r"(?<![\w-])(?P<n>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
        r"twelve|a\s+few|several|a\s+couple\s+of)\s+(?P<unit>day|week|month|year)s?\s+ago\b",
        re.IGNORECASE)),
]


@dataclass(frozen=True)
class EventDate:
    """A resolved event date: the first day of a period of `precision`."""

    date: date
    precision: str  # "day" | "week" | "month" | "year"
    text: str
    start: int = 0
    end: int = 0

    def to_json(self) -> dict:
        """The event JSON fields: date, date_precision (and the words that gave it)."""
        return {"date": self.date.isoformat(), "date_precision": self.precision,
                "date_text": self.text}


def find_event_dates(sentence_text: str, published: date | datetime | str | None = None
                     ) -> list[EventDate]:
    """Every date expression in the sentence that resolves, in text order."""
    pub = parse_date(published) if published is not None else None
    future = bool(_FUTURE.search(sentence_text))
    taken: list[tuple[int, int]] = []
    found: list[EventDate] = []
    for kind, pattern in _PATTERNS:  # most explicit first; later ones may not overlap
        for m in pattern.finditer(sentence_text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if _BOUNDING.search(sentence_text[:m.start()]):
                taken.append(m.span())  # "since 2022": a bound, and not an event date
                continue
            resolved = _resolve(kind, m, pub, future)
            taken.append(m.span())
            if resolved is not None:
                day, precision = resolved
                found.append(EventDate(day, precision, m.group(0).strip(), m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def resolve_event_date(sentence_text: str, published: date | datetime | str | None = None
                       ) -> EventDate | None:
    """The event date a sentence gives: its first date expression that resolves, or None."""
    found = find_event_dates(sentence_text, published)
    return found[0] if found else None


# -- resolution ----------------------------------------------------------------------------

def _resolve(kind: str, m: re.Match, pub: date | None, future: bool
             ) -> tuple[date, str] | None:
    g = m.groupdict()
    if kind == "iso":
        return _day(int(g["iy"]), int(g["im"]), int(g["id"]))
    if kind in ("day_month_year", "month_day_year"):
        return _day(int(g["year"]), _month(g["month"]), int(g["day"]))
    if kind == "month_year":
        return date(int(g["year"]), _month(g["month"]), 1), "month"
    if kind == "year":
        return date(int(g["year"]), 1, 1), "year"
    if pub is None:
        return None  # relative to a day we do not know
    if kind in ("day_month", "month_day"):
        return _day_in_year(_month(g["month"]), int(g["day"]), pub, future)
    if kind == "month":
        return _month_near(_month(g["month"]), (g["rel"] or "").lower(), pub, future)
    if kind == "weekday":
        return _weekday(g["weekday"], (g["rel"] or "").strip().lower(), pub, future)
    if kind == "deictic":
        return _deictic(" ".join(g["word"].lower().split()), pub)
    if kind == "relative_period":
        return _period(" ".join(g["rel"].lower().split()), g["unit"].lower(), pub)
    if kind == "ago":
        return _ago(g["n"].lower(), g["unit"].lower(), pub)
    return None


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _day(year: int, month: int, day: int) -> tuple[date, str] | None:
    try:
        return date(year, month, day), "day"
    except ValueError:
        return None


def _day_in_year(month: int, day: int, pub: date, future: bool) -> tuple[date, str] | None:
    """'on 20 November': this year's, unless that is over a month ahead (or, for the future,
    over a month behind)."""
    for year in ((pub.year, pub.year + 1) if future else (pub.year, pub.year - 1)):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if future and candidate >= pub - timedelta(days=31):
            return candidate, "day"
        if not future and candidate <= pub + timedelta(days=31):
            return candidate, "day"
    return None


def _month_near(month: int, rel: str, pub: date, future: bool) -> tuple[date, str]:
    ahead = month - pub.month
    if rel.startswith("last"):
        year = pub.year if ahead < 0 else pub.year - 1
    elif rel.startswith("next"):
        year = pub.year if ahead > 0 else pub.year + 1
    elif rel.startswith("this"):
        year = pub.year
    elif future:
        year = pub.year if ahead >= -1 else pub.year + 1
    else:
        year = pub.year if ahead <= 1 else pub.year - 1
    return date(year, month, 1), "month"


def _weekday(name: str, rel: str, pub: date, future: bool) -> tuple[date, str] | None:
    target = _WEEKDAYS.index(name.lower())
    if rel == "since":
        return None
    back = (pub.weekday() - target) % 7
    forward = (target - pub.weekday()) % 7
    if rel == "last":
        delta = -(back or 7)
    elif rel == "next":
        delta = forward or 7
    elif future:
        delta = forward
    else:
        delta = -back
    return pub + timedelta(days=delta), "day"


def _deictic(word: str, pub: date) -> tuple[date, str]:
    offsets = {"the day before yesterday": -2, "yesterday": -1, "last night": -1,
               "tomorrow": 1}
    return pub + timedelta(days=offsets.get(word, 0)), "day"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _period(rel: str, unit: str, pub: date) -> tuple[date, str] | None:
    if rel in ("the coming",):
        step = 1
    elif rel in ("last", "the past", "the previous"):
        step = -1
    elif rel == "next":
        step = 1
    else:  # this, earlier this, later this, over the, at the
        step = 0
    if unit == "weekend":
        # "last weekend", "over the weekend": the latest one on or before publication;
        # "this", "next", "the coming weekend": the first one on or after it.
        if rel in ("this", "next", "the coming"):
            saturday = pub + timedelta(days=(5 - pub.weekday()) % 7)
        else:
            saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
        return _monday(saturday), "week"
    if unit == "week":
        return _monday(pub) + timedelta(weeks=step), "week"
    if unit == "month":
        month = pub.month + step
        year = pub.year + (month - 1) // 12
        return date(year, (month - 1) % 12 + 1, 1), "month"
    return date(pub.year + step, 1, 1), "year"


def _ago(n: str, unit: str, pub: date) -> tuple[date, str] | None:
    n = " ".join(n.split())
    vague = n in ("a few", "several", "a couple of")
    count = 3 if vague else int(n) if n.isdigit() else _NUMBERS.get(n, 0)
    if unit == "day":
        day = pub - timedelta(days=count)
        return (_monday(day), "week") if vague else (day, "day")
    if unit == "week":
        return _monday(pub - timedelta(weeks=count)), "week"
    if unit == "month":
        month = pub.month - count
        year = pub.year + (month - 1) // 12
        return date(year, (month - 1) % 12 + 1, 1), "month"
    return date(pub.year - count, 1, 1), "year"
