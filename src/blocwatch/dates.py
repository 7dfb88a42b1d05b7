"""Dates as news gives them: ISO stamps, '13 November 2024', 'Nov 30, 2024'.

Never invents parts that are missing: a value without a day, month and year is no date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from blocwatch.clean import parse_date as parse_date_text

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


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
            return datetime.fromtimestamp(seconds, UTC).date()
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
    return parse_date_text(text)  # the same rules as for date lines in page text
