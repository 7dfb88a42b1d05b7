"""Dates as news gives them: ISO stamps, '13 November 2024', 'Nov 30, 2024'.

Never invents parts that are missing: a value without a day, month and year is no date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

import dateparser

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_HAS_YEAR = re.compile(r"\b(1[89]\d{2}|2\d{3})\b")
_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}


@lru_cache(maxsize=4096)
def parse_date(value: object) -> date | None:
    """A calendar date from a metadata value, or None when it does not name one."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        # Unix timestamps in seconds (or milliseconds) from feeds.
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.utcfromtimestamp(seconds).date()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    if _ISO.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    if not _HAS_YEAR.search(text):
        return None
    parsed = dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    return parsed.date() if parsed else None
