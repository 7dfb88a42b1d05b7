"""Periods as people write them: `2024-11`, `2024-Q3`, `2024`, `2024-11-01..2024-11-15`.

Written `YYYY-MM-DD..YYYY-MM-DD` (inclusive), `YYYY-MM` (a month), `YYYY-Qn` (a quarter),
`YYYY` (a year), `YYYY-MM-DD` (a day), or a range of any two of these (`2024-01..2024-03` is
January to March). A module of its own so the CLI can parse periods without loading the graph
libraries.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

PERIOD_SYNTAX = ("YYYY-MM-DD..YYYY-MM-DD (inclusive), YYYY-MM (a month), YYYY-Qn (a quarter), "
                 "YYYY (a year), YYYY-MM-DD (a day), or a range A..B of any two of these")

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A period that does not follow PERIOD_SYNTAX."""


@dataclass(frozen=True)
class Period:
    """An inclusive range of days with the label the user gave it."""

    start: date
    end: date
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end}

    def __str__(self) -> str:
        return self.label


def _span(text: str) -> tuple[date, date]:
    text = text.strip()
    try:
        if m := _DAY.match(text):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if m := _QUARTER.match(text):
            year, q = int(m[1]), int(m[2])
            last = q * 3
            return (date(year, last - 2, 1),
                    date(year, last, calendar.monthrange(year, last)[1]))
        if m := _YEAR.match(text):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError as exc:
        raise PeriodError(f"not a date: {text!r} ({exc})") from exc
    raise PeriodError(f"not a period: {text!r}; use {PERIOD_SYNTAX}")


def parse_period(text: str) -> Period:
    """A period from its written form (see PERIOD_SYNTAX)."""
    text = (text or "").strip()
    if ".." in text:
        left, _, right = text.partition("..")
        start, end = _span(left)[0], _span(right)[1]
    else:
        start, end = _span(text)
    if end < start:
        raise PeriodError(f"period {text!r} ends before it starts")
    return Period(start, end, text)
