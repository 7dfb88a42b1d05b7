"""The PLOVER event vocabulary, and its bridge to CAMEO, QuadClass and Goldstein scores.

blocwatch codes events in PLOVER (16 types with modes). Most existing event data, tools and
dashboards speak CAMEO/GDELT, so every PLOVER type and mode carries a CAMEO event code, and from
that code a QuadClass, a PentaClass and a Goldstein-style score. All of it lives in
data/plover.yaml, checked when loaded, so a mistake in the data fails loudly at start-up rather
than quietly in a dyad score.

`from_cameo` reads a CAMEO code back to a PLOVER type and mode, to score blocwatch against gold
sets coded in CAMEO. `read_crosswalk` reads the published CAMEO->PLOVER crosswalk (a shared
evaluation file, never packaged) so the two can be compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                "COERCE", "ASSAULT")
CAMEO_ROOTS = tuple(f"{i:02d}" for i in range(1, 21))
_CODE = re.compile(r"^(0[1-9]|1\d|20)\d{0,2}$")


class PloverError(ValueError):
    """plover.yaml is inconsistent."""


@dataclass(frozen=True)
class Mode:
    """One mode of a PLOVER type: how it was done."""

    name: str
    cameo: str
    definition: str
    intended_cameo: str | None = None
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventType:
    """One PLOVER event type."""

    name: str
    definition: str
    cameo: str
    plover_quad: int
    modes: dict[str, Mode]
    mode_aliases: dict[str, str] = field(default_factory=dict)
    intended_cameo: str | None = None


class Plover:
    """The vocabulary loaded from plover.yaml: look-ups in both directions."""

    def __init__(self, raw: dict):
        self._types: dict[str, EventType] = {}
        for name, spec in (raw.get("types") or {}).items():
            self._types[name] = _event_type(name, spec or {})
        self.type_aliases: dict[str, str] = dict(raw.get("type_aliases") or {})
        self._roots: dict[str, dict] = {str(k): v or {} for k, v in
                                        (raw.get("cameo_roots") or {}).items()}
        self._goldstein: dict[str, float] = {code: float(spec.get("goldstein", "nan"))
                                             for code, spec in self._roots.items()}
        for code, value in (raw.get("goldstein") or {}).items():
            self._goldstein[str(code)] = float(value)
        self._quad = _class_table(raw.get("quadclass"), "quadclass")
        self._penta = _class_table(raw.get("pentaclass"), "pentaclass")
        contexts = raw.get("contexts") or {}
        self.contexts: tuple[str, ...] = tuple(contexts.get("names") or ())
        self._contexts: dict[tuple[str, str], str] = {
            (t, str(m)): c for t, modes in (contexts.get("by_mode") or {}).items()
            for m, c in (modes or {}).items()}
        self._validate()
        self._reverse = self._build_reverse()

    def context(self, type_: str, mode: str | None = None) -> str | None:
        """The PLOVER context a type and mode imply ("military" for military aid), or None."""
        try:
            t, m = self.normalize(type_, mode)
        except PloverError:
            return None
        return self._contexts.get((t, m or ""))

    # -- forward: PLOVER -> CAMEO ----------------------------------------------------------

    @property
    def types(self) -> tuple[str, ...]:
        """The 16 PLOVER types, in PLOVER's order (cooperation to conflict)."""
        return tuple(self._types)

    def event_type(self, type_: str) -> EventType:
        """The record of a type; older labels (DEMAND, FIGHT, …) are accepted."""
        name = self.type_aliases.get(type_.upper(), type_.upper())
        try:
            return self._types[name]
        except KeyError:
            raise KeyError(f"unknown PLOVER type {type_!r}") from None

    def normalize(self, type_: str, mode: str | None = None) -> tuple[str, str | None]:
        """(type, mode) in current names: ('FIGHT', 'shelling') -> ('ASSAULT', 'heavy-weapons')."""
        et = self.event_type(type_)
        if not mode:
            return et.name, None
        key = mode.strip().lower()
        key = et.mode_aliases.get(key, key)
        if key not in et.modes:
            raise KeyError(f"unknown mode {mode!r} of {et.name}")
        return et.name, key

    def modes(self, type_: str) -> tuple[str, ...]:
        """The modes of a type."""
        return tuple(self.event_type(type_).modes)

    def definition(self, type_: str, mode: str | None = None) -> str:
        """What a type (or one of its modes) means, in a sentence."""
        name, key = self.normalize(type_, mode)
        et = self._types[name]
        return et.modes[key].definition if key else et.definition

    def cameo(self, type_: str, mode: str | None = None, modality: str | None = None) -> str:
        """The CAMEO event code (3 or 4 digits) for a type and mode.

        With modality "intended", material cooperation that is only offered or planned gets
        CAMEO's "express intent" code (AID/military -> 0332), as GDELT would code it.
        """
        name, key = self.normalize(type_, mode)
        et = self._types[name]
        m = et.modes[key] if key else None
        if modality == "intended":
            code = (m.intended_cameo if m else None) or et.intended_cameo
            if code:
                return code
        return m.cameo if m else et.cameo

    def cameo_root(self, type_: str, mode: str | None = None,
                   modality: str | None = None) -> str:
        """The two-digit CAMEO root code (GDELT's EventRootCode)."""
        return self.cameo(type_, mode, modality)[:2]

    def quad(self, type_: str, mode: str | None = None, modality: str | None = None) -> int:
        """GDELT QuadClass of the event's CAMEO code (so code and class always agree)."""
        return self.quadclass(self.cameo(type_, mode, modality))

    def plover_quad(self, type_: str) -> int:
        """PLOVER's own grouping of the type (CONCEDE is verbal there, material in CAMEO)."""
        return self.event_type(type_).plover_quad

    def score(self, type_: str, mode: str | None = None, modality: str | None = None) -> dict:
        """The CAMEO fields of an event's JSON: cameo, quad, goldstein."""
        code = self.cameo(type_, mode, modality)
        return {"cameo": code, "quad": self.quadclass(code), "goldstein": self.goldstein(code)}

    # -- CAMEO codes -----------------------------------------------------------------------

    def goldstein(self, cameo: str) -> float:
        """Goldstein score of a CAMEO code; a code not listed takes its parent's score."""
        code = _check_code(cameo)
        for prefix in (code, code[:3], code[:2]):
            if prefix in self._goldstein:
                return self._goldstein[prefix]
        raise KeyError(cameo)  # unreachable after validation

    def quadclass(self, cameo: str) -> int:
        """GDELT QuadClass: 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material."""
        return self._quad[_check_code(cameo)[:2]]

    def pentaclass(self, cameo: str) -> int:
        """PentaClass: 0 statement/appeal (01-02), then 1-4 as QuadClass."""
        return self._penta[_check_code(cameo)[:2]]

    def cameo_name(self, cameo: str) -> str:
        """Name of the CAMEO root of a code."""
        return self._roots[_check_code(cameo)[:2]].get("name", "")

    # -- backward: CAMEO -> PLOVER ---------------------------------------------------------

    def from_cameo(self, code: str) -> tuple[str, str | None] | None:
        """The PLOVER (type, mode) that best matches a CAMEO code; None for statements (01).

        The most specific match wins: the code itself, then its 3-digit parent, then its root.
        """
        code = _check_code(str(code).strip())
        for prefix in (code, code[:3]):
            if prefix in self._reverse:
                return self._reverse[prefix]
        plover = self._roots.get(code[:2], {}).get("plover")
        return (plover, None) if plover else None

    def _build_reverse(self) -> dict[str, tuple[str, str | None]]:
        reverse: dict[str, tuple[str, str | None]] = {}
        for et in self._types.values():  # first claim wins: types in PLOVER order
            for key, m in et.modes.items():
                for code in (m.cameo, *m.also):
                    reverse.setdefault(code, (et.name, key))
        for et in self._types.values():
            # A type's own default code reads back to the type without a mode: the modes
            # that share it ("other", "multilateral") say no more than the code does.
            default = reverse.get(et.cameo)
            if default is None or default[0] == et.name:
                reverse[et.cameo] = (et.name, None)
        return reverse

    # -- validation ------------------------------------------------------------------------

    def _validate_contexts(self) -> list[str]:
        problems = []
        for (t, m), c in self._contexts.items():
            if t not in self._types or m not in self._types[t].modes:
                problems.append(f"contexts: {t}/{m} is no type and mode")
            if c not in self.contexts:
                problems.append(f"contexts: {t}/{m} has {c!r}, not among contexts.names")
        return problems

    def _validate(self) -> None:
        problems: list[str] = []
        if set(self._types) != set(PLOVER_TYPES):
            missing = sorted(set(PLOVER_TYPES) - set(self._types))
            extra = sorted(set(self._types) - set(PLOVER_TYPES))
            problems.append(f"types must be the 16 PLOVER types (missing {missing}, "
                            f"unknown {extra})")
        for root in CAMEO_ROOTS:
            value = self._goldstein.get(root)
            if value is None or value != value:  # NaN
                problems.append(f"cameo_roots: root {root} has no goldstein score")
            if root not in self._quad or root not in self._penta:
                problems.append(f"quadclass/pentaclass: root {root} is not classed")
        for code, value in self._goldstein.items():
            if not _CODE.match(code):
                problems.append(f"goldstein: {code!r} is not a CAMEO code")
            elif not -10.0 <= value <= 10.0:
                problems.append(f"goldstein: {code} = {value} is outside -10..10")
        for name, spec in self._roots.items():
            if spec.get("plover") and spec["plover"] not in self._types:
                problems.append(f"cameo_roots: {name} reads back to unknown type "
                                f"{spec['plover']!r}")
        for alias, target in self.type_aliases.items():
            if target not in self._types:
                problems.append(f"type_aliases: {alias} -> unknown type {target}")
        for et in self._types.values():
            problems += _type_problems(et)
        problems += self._validate_contexts()
        if problems:
            raise PloverError("plover.yaml: " + "; ".join(problems))


def _type_problems(et: EventType) -> list[str]:
    out = []
    if not et.definition.strip():
        out.append(f"{et.name} has no definition")
    if et.plover_quad not in (1, 2, 3, 4):
        out.append(f"{et.name}: plover_quad must be 1-4")
    codes = [et.cameo, et.intended_cameo] + [c for m in et.modes.values()
                                             for c in (m.cameo, m.intended_cameo, *m.also)]
    out += [f"{et.name}: {c!r} is not a CAMEO code" for c in codes
            if c is not None and not _CODE.match(c)]
    if not et.modes:
        out.append(f"{et.name} has no modes")
    for key, m in et.modes.items():
        if key != key.lower() or " " in key:
            out.append(f"{et.name}: mode {key!r} must be lower case without spaces")
        if not m.definition.strip():
            out.append(f"{et.name}/{key} has no definition")
    for alias, target in et.mode_aliases.items():
        if target not in et.modes:
            out.append(f"{et.name}: mode alias {alias} -> unknown mode {target}")
        if alias in et.modes:
            out.append(f"{et.name}: mode alias {alias} hides a mode of that name")
    return out


def _event_type(name: str, spec: dict) -> EventType:
    modes = {}
    for key, m in (spec.get("modes") or {}).items():
        m = m or {}
        modes[str(key)] = Mode(name=str(key), cameo=str(m.get("cameo", "")),
                               definition=str(m.get("definition", "")),
                               intended_cameo=_opt(m.get("intended_cameo")),
                               also=tuple(str(c) for c in m.get("also") or ()))
    return EventType(name=name, definition=str(spec.get("definition", "")),
                     cameo=str(spec.get("cameo", "")), plover_quad=int(spec.get("plover_quad", 0)),
                     modes=modes, mode_aliases={str(k).lower(): str(v) for k, v in
                                                (spec.get("mode_aliases") or {}).items()},
                     intended_cameo=_opt(spec.get("intended_cameo")))


def _opt(value) -> str | None:
    return None if value is None else str(value)


def _class_table(raw: dict | None, what: str) -> dict[str, int]:
    table: dict[str, int] = {}
    for cls, roots in (raw or {}).items():
        for root in roots or ():
            if str(root) in table:
                raise PloverError(f"plover.yaml: {what}: root {root} is in two classes")
            table[str(root)] = int(cls)
    return table


def _check_code(code: str) -> str:
    code = str(code).strip()
    if not _CODE.match(code):
        raise KeyError(f"not a CAMEO event code: {code!r}")
    return code


def load_plover(path: str | Path | None = None) -> Plover:
    """The PLOVER vocabulary from `path`, or the packaged data/plover.yaml (cached)."""
    if path is None:
        return _default()
    return Plover(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})


@lru_cache(maxsize=1)
def _default() -> Plover:
    text = files("blocwatch").joinpath("data/plover.yaml").read_text(encoding="utf-8")
    return Plover(yaml.safe_load(text) or {})


_CROSSWALK_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([A-Z_]+)\s*(?:,([^,#]*))?(?:,([^#]*))?")


def read_crosswalk(path: str | Path) -> dict[str, tuple[str, str | None]]:
    """The published CAMEO->PLOVER table (CAMEO2PLOVER-2021.txt): code -> (type, mode).

    For evaluation only: the file is shared data, not part of the package. Root headings
    ('03: AGREE') and blank modes read as mode None.
    """
    table: dict[str, tuple[str, str | None]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = _CROSSWALK_LINE.match(line)
        if not m:
            continue
        code, type_, mode = m.group(1), m.group(2), (m.group(3) or "").strip()
        table.setdefault(code, (type_, mode or None))
    return table
