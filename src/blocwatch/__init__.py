"""blocwatch: a time-stamped, evidence-backed record of who did what to whom between
international actors, and the blocs those interactions form."""

__version__ = "0.1.0"
