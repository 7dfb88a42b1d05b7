"""The event layer: candidates from the parse, a learned model, attributes, a few rules."""

from blocwatch.events_legacy import (  # noqa: F401  (transition: the rule coder)
    Candidate,
    DocumentCoding,
    Event,
    EventCoder,
    load_lexicon,
    place_country,
)
