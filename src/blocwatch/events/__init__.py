"""The event layer: candidates from the parse, a learned model, attributes, a few rules."""

from blocwatch.events.records import Candidate as ModelCandidate  # noqa: F401
from blocwatch.events.records import DocumentCoding, Event  # noqa: F401

_LEGACY = ("Candidate", "EventCoder", "load_lexicon")


def __getattr__(name: str):
    """The rule coder's names, loaded on first use (transition: it imports this package)."""
    if name in _LEGACY:
        import blocwatch.events_legacy as legacy
        return getattr(legacy, name)
    if name == "place_country":
        from blocwatch.events.attributes import place_country
        return place_country
    raise AttributeError(name)
