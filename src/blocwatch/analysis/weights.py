"""The numbers behind every score, read from one data file so each choice is made once.

`data/analysis/weights.yaml` documents the choices (modality weights, corroboration, type signs
and default Goldstein values); this module only loads and checks it and renders the parts the
SQL needs as inline VALUES lists, so the aggregation stays in DuckDB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "data" / "analysis" / "weights.yaml"
MODALITIES = ("asserted", "reported", "intended", "speculative", "hypothetical", "negated")
# Ties between modalities of equal weight are broken towards the firmer account.
MODALITY_RANK = {m: i for i, m in enumerate(MODALITIES)}


class WeightsError(ValueError):
    """A weights file that cannot be used."""


@dataclass(frozen=True)
class TypeWeight:
    sign: int
    goldstein: float
    quad: int


@dataclass(frozen=True)
class Weights:
    """Modality weights, story window, intensity floor and the PLOVER type table."""

    modality: dict[str, float]
    types: dict[str, TypeWeight]
    story_window_days: int = 7
    min_intensity: float = 0.1
    source: str = field(default="", compare=False)

    def corroboration(self, outlets: int) -> float:
        """log2(1 + outlets): one outlet counts 1.0, each doubling of outlets adds 1."""
        return math.log2(1 + max(outlets, 0))

    def modality_sql(self) -> str:
        """`(VALUES ...) AS name(modality, mweight, mrank)` for joins in SQL."""
        rows = ", ".join(
            f"('{m}', {w!r}, {MODALITY_RANK.get(m, len(MODALITY_RANK))})"
            for m, w in sorted(self.modality.items())
        )
        return f"(VALUES {rows})"

    def types_sql(self) -> str:
        """`(VALUES ...)` of (type, sign, goldstein, quad) for joins in SQL."""
        rows = ", ".join(
            f"('{t}', {w.sign}, {w.goldstein!r}, {w.quad})" for t, w in sorted(self.types.items())
        )
        return f"(VALUES {rows})"


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise WeightsError(f"{where}: expected a number, got {value!r}")
    return float(value)


def _word(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.replace("_", "").isalnum():
        raise WeightsError(f"{where}: expected a plain word, got {value!r}")
    return value


def parse_weights(data: dict, source: str = "<weights>") -> Weights:
    """Check a weights mapping (as in weights.yaml) and build `Weights` from it."""
    if not isinstance(data, dict):
        raise WeightsError(f"{source}: expected a mapping at the top")
    modality_in = data.get("modality") or {}
    if not isinstance(modality_in, dict):
        raise WeightsError(f"{source}: modality: expected a mapping")
    modality = {_word(k, f"{source}: modality"): _number(v, f"{source}: modality.{k}")
                for k, v in modality_in.items()}
    missing = [m for m in MODALITIES if m not in modality]
    if missing:
        raise WeightsError(f"{source}: modality: missing {', '.join(missing)}")
    modality["negated"] = 0.0  # not the event, whatever the file says
    types_in = data.get("types") or {}
    if not isinstance(types_in, dict):
        raise WeightsError(f"{source}: types: expected a mapping")
    types: dict[str, TypeWeight] = {}
    for name, entry in types_in.items():
        where = f"{source}: types.{name}"
        if not isinstance(entry, dict):
            raise WeightsError(f"{where}: expected a mapping")
        sign = int(_number(entry.get("sign", 0), f"{where}.sign"))
        if sign not in (-1, 0, 1):
            raise WeightsError(f"{where}.sign: must be -1, 0 or 1")
        quad = int(_number(entry.get("quad", 0), f"{where}.quad"))
        if quad not in (0, 1, 2, 3, 4):
            raise WeightsError(f"{where}.quad: must be 1..4")
        types[_word(name, where).upper()] = TypeWeight(
            sign, _number(entry.get("goldstein", 0.0), f"{where}.goldstein"), quad)
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise WeightsError(f"{source}: aliases: expected a mapping")
    for alias, name in aliases.items():
        target = types.get(str(name).upper())
        if target is None:
            raise WeightsError(f"{source}: aliases.{alias}: {name!r} is not a listed type")
        types.setdefault(_word(alias, f"{source}: aliases").upper(), target)
    window = int(_number(data.get("story_window_days", 7), f"{source}: story_window_days"))
    if window < 0:
        raise WeightsError(f"{source}: story_window_days: must be >= 0")
    floor = _number(data.get("min_intensity", 0.1), f"{source}: min_intensity")
    return Weights(modality=modality, types=types, story_window_days=window,
                   min_intensity=floor, source=source)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: float) -> Weights:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise WeightsError(f"{path}: cannot read weights ({exc})") from exc
    return parse_weights(data, source=path)


def load_weights(path: str | Path | None = None) -> Weights:
    """The package's weights, or a user's copy of weights.yaml."""
    p = Path(path) if path else WEIGHTS_FILE
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise WeightsError(f"{p}: no such weights file") from exc
    return _load(str(p), mtime)
