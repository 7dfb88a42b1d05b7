"""Readable names for actor codes ("PRK" -> "North Korea") from the actor reference data.

Analyses work on codes; people read names. If the reference data cannot be loaded the code
itself is the name, so no analysis ever fails for want of a label.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _reference():  # noqa: ANN202 - the Reference type lives in a module we only borrow
    try:
        from blocwatch.reference import load_reference

        return load_reference()
    except Exception:  # any failure of the borrowed loader only costs us the labels
        return None


@lru_cache(maxsize=4096)
def actor_name(code: str) -> str:
    """The canonical name of an actor code, else the code."""
    ref = _reference()
    if ref is not None:
        try:
            name = ref.actor_name(code)
        except Exception:
            name = None
        if name:
            return name
    return code
