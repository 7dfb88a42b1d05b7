"""The values every listing, analysis and export filters by, read the same way everywhere.

* periods: ``--since``/``--until`` take a day (``2024-03-05``, or any date ``parse_date``
  reads), a month (``2024-03``), a quarter (``2024-Q1``) or a year (``2024``), as ``shifts``
  reads its periods; ``since`` is the period's first day and ``until`` its last, so
  ``--since 2024-Q1 --until 2024-Q1`` is the quarter;
* event types: PLOVER names in any case, with the older names PLOVER drafts used (DEMAND,
  DISAPPROVE …) read as today's; an unknown name is an error that lists the valid ones;
* actors: codes (``PRK``) or names the reference data knows (``North Korea``, ``the United
  Nations``); an unknown one is an error with the nearest known names.

The functions raise :class:`FilterError` with one line for the user; the CLI turns it into a
usage error (exit status 2).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from blocwatch.dates import parse_date

_ISO_START = re.compile(r"^\d{4}-\d{1,2}")


class FilterError(ValueError):
    """A filter value that names nothing: the message says what is valid."""


def period(text: str) -> tuple[date, date]:
    """First and last day of a day, month, quarter or year written as text (the periods of
    ``shifts``, :mod:`blocwatch.analysis.periods`), or of any single date ``parse_date``
    reads ("5 March 2024")."""
    from blocwatch.analysis.periods import PERIOD_SYNTAX, PeriodError, parse_period

    try:
        p = parse_period(text)
        return p.start, p.end
    except PeriodError:
        # another written date ("5 March 2024"); an ISO date with more after it is no date
        day = None if _ISO_START.match(text.strip()) else parse_date(text.strip())
        if day is None:
            raise FilterError(f"not a date or period: {text!r}; use {PERIOD_SYNTAX}") from None
        return day, day


def since_day(text: str | None) -> date | None:
    return period(text)[0] if text else None


def until_day(text: str | None) -> date | None:
    return period(text)[1] if text else None


def split(values: Iterable[str] | str | None) -> list[str]:
    """Repeated and comma-separated values, trimmed."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def event_types(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """PLOVER type names, normalised; an unknown one is a :class:`FilterError`."""
    from blocwatch.plover import PloverError, load_plover

    plover = load_plover()
    out = []
    for v in split(values):
        try:
            out.append(plover.event_type(v.upper()).name)
        except (PloverError, KeyError):
            raise FilterError(f"unknown event type {v!r}; PLOVER types: "
                              f"{', '.join(plover.types)}") from None
    return tuple(dict.fromkeys(out))


def _one_of(values: Iterable[str] | str | None, known: Sequence[str], what: str,
            listing: str) -> tuple[str, ...]:
    """Values of a closed vocabulary, lower-cased; an unknown one names all of them."""
    out = []
    for v in split(values):
        if v.lower() not in known:
            raise FilterError(f"unknown {what} {v!r}; {listing}: {', '.join(known)}")
        out.append(v.lower())
    return tuple(dict.fromkeys(out))


def modalities(values: Iterable[str] | str | None) -> tuple[str, ...]:
    from blocwatch.events.model import MODALITIES

    return _one_of(values, MODALITIES, "modality", "modalities")


def actor_codes(values: Iterable[str] | str | None,
                known: Callable[[], Iterable[str]] | None = None) -> tuple[str, ...]:
    """Actor codes from codes or names. A value is taken as a code when the reference data or
    ``known()`` (the codes in the store, asked only for a value the reference lacks: actor
    files add their own) has it, else as a name of a state, organisation or group; otherwise
    it is a :class:`FilterError` naming the nearest names."""
    values = split(values)
    if not values:
        return ()
    from blocwatch.reference import load_reference

    ref = load_reference()
    codes = set(ref.countries) | set(ref.organisations) | set(ref.groups)
    names: dict[str, str] = dict(ref.state_names())
    for table in (ref.organisations, ref.groups):
        for code, item in table.items():
            for n in (getattr(item, "name", None), *(getattr(item, "aliases", None) or ())):
                if n:
                    names.setdefault(" ".join(n.split()).lower(), code)
    out = []
    for v in values:
        if v.upper() in codes:
            out.append(v.upper())
            continue
        if known is not None and v.isupper():
            codes |= {str(k).upper() for k in known() if k}
            known = None  # asked once
            if v in codes:
                out.append(v)
                continue
        key = " ".join(v.replace("\u2019", "'").split()).lower()
        code = names.get(key) or (names.get(key[4:]) if key.startswith("the ") else None)
        if code is None:
            near = difflib.get_close_matches(key, list(names), n=3, cutoff=0.75)
            hint = "; did you mean " + ", ".join(f"{n!r} ({names[n]})" for n in near) \
                if near else ""
            raise FilterError(f"unknown actor {v!r}: not a code or a name blocwatch knows"
                              f"{hint}")
        out.append(code)
    return tuple(dict.fromkeys(out))


def modes(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """PLOVER mode names (of any type); an unknown one is a :class:`FilterError` listing them."""
    from blocwatch.plover import load_plover

    plover = load_plover()
    return _one_of(values, sorted({m for t in plover.types for m in plover.modes(t) if m}),
                   "mode", "PLOVER modes")
