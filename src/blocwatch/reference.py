"""Actor reference data: the package's YAML files plus a user's, loaded once and checked.

Coding quality rests on these files, and users extend them (``--actors my_actors.yaml``), so a
mistake must point at its line: every problem is reported as ``FILE:LINE: reason``. The format
is described in ``data/actors/SCHEMA.md``.

Merging: package files are read in name order, then the user's files in the order given. Within
the package an entry's key (country/organisation ``code``, group ``id``) must be unique; a person
(``name``) listed in two package files with the same nationality is one person, offices combined
(with a warning). A user file may replace a package entry by repeating its key (the later entry
wins whole), and its sector cue words are added to the package's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data" / "actors"

#: Sector codes that entries and cue lists may use: SCHEMA.md's list plus the rest of the CAMEO
#: agent codes (SEP separatists, INS insurgents, RAD radicals, ...), which data authors know.
KNOWN_SECTORS = frozenset({
    "GOV", "MIL", "REB", "ISM", "OPP", "PTY", "LEG", "JUD", "COP", "SPY", "BUS", "MED", "CVL",
    "LAB", "EDU", "HLH", "REF", "NGO", "IGO", "ELI", "CRM", "UAF",
    "SEP", "INS", "RAD", "MOD", "AGR", "ENV", "HRI", "DEV", "AMN", "IRC", "UIS", "MNC", "SET",
    "IMG",
})

_STATE_CODE = re.compile(r"^[A-Z]{3}$")
_ORG_CODE = re.compile(r"^[A-Z][A-Z0-9_\-]{1,15}$")
_LINE = "__line__"

# Keys each section knows. Other keys are kept out of the model but reported as warnings, so a
# data author's new annotation never stops the tool while a typo ("alias:") is still visible.
_COUNTRY_LISTS = ("aliases", "historical", "demonyms", "capitals", "seats", "military",
                  "legislature", "intelligence", "police", "exclude")
_KEYS = {
    "countries": {"code", "name", "official", *_COUNTRY_LISTS},
    "organisations": {"code", "name", "aliases", "sector", "members", "parent", "exclude",
                      "demonyms", "member_since", "member_orgs", "permanent_members", "country"},
    "groups": {"id", "name", "aliases", "country", "sector", "active", "exclude", "countries",
               "de_facto_government"},
    "people": {"name", "aliases", "nationality", "offices", "ambiguous_surname", "exclude"},
}
_OFFICE_KEYS = {"title", "country", "sector", "start", "end", "group"}
_REQUIRED = {
    "countries": ("code", "name"),
    "organisations": ("code", "name"),
    "groups": ("id", "name"),
    "people": ("name",),  # nationality: may be null (unknown); then the office country
}


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message reads ``FILE:LINE: reason``."""


@dataclass(frozen=True)
class Office:
    """One term in one office; ``end`` is exclusive (the successor's first day), None = current."""

    title: str
    country: str
    sector: str | None
    start: date | None
    end: date | None

    def held_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Country:
    code: str
    name: str
    official: str | None = None
    aliases: list[str] = field(default_factory=list)
    historical: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    military: list[str] = field(default_factory=list)
    legislature: list[str] = field(default_factory=list)
    intelligence: list[str] = field(default_factory=list)
    police: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    origin: str = ""


@dataclass
class Organisation:
    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    sector: str | None = None
    members: list[str] = field(default_factory=list)
    parent: str | None = None
    demonyms: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    origin: str = ""


@dataclass
class Group:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    active: tuple[int | None, int | None] = (None, None)
    exclude: list[str] = field(default_factory=list)
    governs: tuple[str, date] | None = None  # de facto government of a country from a date
    origin: str = ""


@dataclass
class Person:
    name: str
    nationality: str
    aliases: list[str] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    ambiguous_surname: bool = False
    exclude: list[str] = field(default_factory=list)
    origin: str = ""

    def offices_on(self, day: date) -> list[Office]:
        """Offices held that day, the most senior-looking (longest-held so far) first."""
        held = [o for o in self.offices if o.held_on(day)]
        held.sort(key=lambda o: o.start or date.min)
        return held

    def ever_sector(self, sector: str) -> bool:
        return any(o.sector == sector for o in self.offices)

    def latest_office(self) -> Office | None:
        """The office begun most recently (undated documents fall back on nationality)."""
        if not self.offices:
            return None
        return max(self.offices, key=lambda o: o.start or date.min)


@dataclass
class Reference:
    """Everything the actor coder knows, keyed the way the data files key it."""

    countries: dict[str, Country] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    sectors: dict[str, list[str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _state_names: dict[str, str] | None = field(default=None, init=False, repr=False)

    def actor_name(self, code: str | None) -> str | None:
        """Canonical name of a state or organisation code."""
        if code in self.countries:
            return self.countries[code].name
        if code in self.organisations:
            return self.organisations[code].name
        return None

    def is_state(self, code: str | None) -> bool:
        return code in self.countries

    def state_names(self) -> dict[str, str]:
        """Lower-cased name/alias/official/historical form of every state -> its code."""
        if self._state_names is not None:
            return self._state_names
        out: dict[str, str] = {}
        for c in self.countries.values():
            for n in (c.name, c.official, *c.aliases, *c.historical):
                if n:
                    out.setdefault(_norm(n), c.code)
                    if n.lower().startswith("the "):
                        out.setdefault(_norm(n[4:]), c.code)
        self._state_names = out
        return out

    def state_code(self, text: str) -> str | None:
        """The state a name denotes ("Syria", "the United States"), else None."""
        key = _norm(text)
        names = self.state_names()
        if key in names:
            return names[key]
        if key.startswith("the "):
            return names.get(key[4:])
        return None


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


# ---------------------------------------------------------------------------- YAML with lines


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader that remembers each mapping's line and leaves dates as text.

    Dates are checked by us (so "2021-13-01" is a located error, not a crash in PyYAML).
    """


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise ReferenceDataError(f"{key_node.start_mark.line + 1}: duplicate key {key!r}")
        seen.add(key)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"{path}:0: cannot read: {exc}") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except ReferenceDataError as exc:  # raised by _construct_mapping as "LINE: reason"
        raise ReferenceDataError(f"{path}:{exc}") from None
    except yaml.MarkedYAMLError as exc:
        # where the broken construct began ("while parsing a flow sequence") helps more than
        # where the parser gave up, which is often the end of the file
        mark = exc.context_mark or exc.problem_mark
        line = mark.line + 1 if mark else 0
        reason = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        if exc.context_mark and exc.problem_mark:
            reason += f" (noticed at line {exc.problem_mark.line + 1})"
        raise ReferenceDataError(f"{path}:{line}: YAML syntax: {reason}") from None
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path}:0: YAML: {exc}") from None


# ---------------------------------------------------------------------------- validation


class _File:
    """Helpers that turn a problem in one entry into a located error."""

    def __init__(self, path: Path, warnings: list[str]):
        self.path = path
        self.warnings = warnings

    def fail(self, where: dict | int, reason: str) -> ReferenceDataError:
        line = where.get(_LINE, 0) if isinstance(where, dict) else where
        return ReferenceDataError(f"{self.path}:{line}: {reason}")

    def text(self, entry: dict, key: str, required: bool = False) -> str | None:
        value = entry.get(key)
        if value is None:
            if required:
                raise self.fail(entry, f"missing required key {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(entry, f"{key!r} must be text, not {type(value).__name__}")
        value = " ".join(str(value).split())
        if required and not value:
            raise self.fail(entry, f"{key!r} is empty")
        return value or None

    def names(self, entry: dict, key: str) -> list[str]:
        value = entry.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(entry, f"{key!r} must be a list")
        out = []
        for item in value:
            if isinstance(item, (dict, list, bool)):
                raise self.fail(entry, f"{key!r} must hold plain names, found {item!r}")
            if item is None:
                continue
            name = " ".join(str(item).split())
            if name:
                out.append(name)
        return out

    def sector(self, entry: dict, key: str = "sector") -> str | None:
        value = self.text(entry, key)
        if value is not None and value not in KNOWN_SECTORS:
            raise self.fail(entry, f"unknown sector {value!r} (known: see SCHEMA.md)")
        return value

    def day(self, entry: dict, key: str) -> date | None:
        value = entry.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise self.fail(entry, f"{key!r} is not an ISO date (YYYY-MM-DD): {value!r}") from None

    def check_keys(self, entry: dict, allowed: set[str], what: str) -> None:
        for key in entry:
            if key != _LINE and key not in allowed:
                line = entry.get(_LINE, 0)
                self.warnings.append(f"{self.path}:{line}: unknown key {key!r} in {what} "
                                     f"(ignored)")


def _country(f: _File, e: dict) -> Country:
    code = f.text(e, "code", required=True)
    assert code is not None
    if not _STATE_CODE.match(code):
        raise f.fail(e, f"country code {code!r} is not three capital letters (ISO alpha-3)")
    lists = {key: f.names(e, key) for key in _COUNTRY_LISTS}
    return Country(code=code, name=f.text(e, "name", required=True) or code,
                   official=f.text(e, "official"), origin=f"{f.path}:{e[_LINE]}", **lists)


def _organisation(f: _File, e: dict) -> Organisation:
    code = f.text(e, "code", required=True)
    assert code is not None
    if not _ORG_CODE.match(code):
        raise f.fail(e, f"organisation code {code!r} must be capitals/digits (e.g. NATO)")
    return Organisation(code=code, name=f.text(e, "name", required=True) or code,
                        aliases=f.names(e, "aliases"), sector=f.sector(e),
                        members=f.names(e, "members"), parent=f.text(e, "parent"),
                        demonyms=f.names(e, "demonyms"), exclude=f.names(e, "exclude"),
                        origin=f"{f.path}:{e[_LINE]}")


def _group(f: _File, e: dict) -> Group:
    active = e.get("active")
    years: tuple[int | None, int | None] = (None, None)
    if active is not None:
        if (not isinstance(active, list) or len(active) != 2
                or not all(y is None or (isinstance(y, int) and not isinstance(y, bool))
                           for y in active)):
            raise f.fail(e, "'active' must be [start_year, end_year] (null = open)")
        years = (active[0], active[1])
        if None not in years and years[0] > years[1]:
            raise f.fail(e, f"'active' starts after it ends: {active}")
    gid = f.text(e, "id", required=True)
    assert gid is not None
    governs = None
    dfg = e.get("de_facto_government")
    if dfg is not None:
        if not isinstance(dfg, dict) or not dfg.get("country") or not dfg.get("since"):
            raise f.fail(e, "'de_facto_government' must be {country: CODE, since: YYYY-MM-DD}")
        since = f.day(dfg, "since")
        assert since is not None
        governs = (str(dfg["country"]), since)
    return Group(id=gid, name=f.text(e, "name", required=True) or gid,
                 aliases=f.names(e, "aliases"), country=f.text(e, "country"),
                 sector=f.sector(e), active=years, exclude=f.names(e, "exclude"),
                 governs=governs, origin=f"{f.path}:{e[_LINE]}")


def _person(f: _File, e: dict) -> Person:
    offices = []
    raw = e.get("offices") or []
    if not isinstance(raw, list):
        raise f.fail(e, "'offices' must be a list")
    for o in raw:
        if not isinstance(o, dict):
            raise f.fail(e, f"an office must be a mapping, found {o!r}")
        f.check_keys(o, _OFFICE_KEYS, "office")
        start, end = f.day(o, "start"), f.day(o, "end")
        if start and end and start > end:
            raise f.fail(o, f"office starts after it ends ({start} > {end})")
        offices.append(Office(title=f.text(o, "title", required=True) or "",
                              country=f.text(o, "country", required=True) or "",
                              sector=f.sector(o), start=start, end=end))
    flag = e.get("ambiguous_surname", False)
    if not isinstance(flag, bool):
        raise f.fail(e, "'ambiguous_surname' must be true or false")
    nationality = f.text(e, "nationality")
    if nationality is None:
        if not offices:
            raise f.fail(e, "a person needs a nationality or at least one office")
        nationality = offices[0].country  # unknown nationality: the country they act for
    return Person(name=f.text(e, "name", required=True) or "",
                  nationality=nationality,
                  aliases=f.names(e, "aliases"), offices=offices, ambiguous_surname=flag,
                  exclude=f.names(e, "exclude"), origin=f"{f.path}:{e[_LINE]}")


_BUILD = {"countries": _country, "organisations": _organisation, "groups": _group,
          "people": _person}
_KEY_OF = {"countries": "code", "organisations": "code", "groups": "id", "people": "name"}


def _load_file(path: Path, ref: Reference, overriding: bool, lines: dict) -> None:
    data = _read_yaml(path)
    f = _File(path, ref.warnings)
    if data is None:
        return
    if not isinstance(data, dict):
        raise f.fail(1, "top level must be a mapping (countries:, organisations:, ...)")
    seen_here: set[tuple[str, str]] = set()
    for section, entries in data.items():
        if section == _LINE:
            continue
        if section == "sectors":
            _load_sectors(f, data, entries, ref)
            continue
        if section not in _BUILD:
            raise f.fail(data, f"unknown section {section!r} (expected one of "
                         f"{', '.join([*_BUILD, 'sectors'])})")
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise f.fail(data, f"{section!r} must be a list of entries")
        target = getattr(ref, section)
        for entry in entries:
            if not isinstance(entry, dict):
                raise f.fail(data, f"an entry of {section!r} must be a mapping, got {entry!r}")
            for req in _REQUIRED[section]:
                if entry.get(req) in (None, ""):
                    raise f.fail(entry, f"{section[:-1] if section != 'people' else 'person'}"
                                 f" entry lacks required key {req!r}")
            f.check_keys(entry, _KEYS[section], section)
            item = _BUILD[section](f, entry)
            key = getattr(item, _KEY_OF[section])
            ident = ("code" if section in ("countries", "organisations") else section, key)
            if ident in seen_here:
                raise f.fail(entry, f"duplicate {_KEY_OF[section]} {key!r} in this file "
                             f"(first at line {lines[ident][1]})")
            if ident in lines and not overriding:
                first = lines[ident]
                where = f"{first[0]}:{first[1]}"
                if section != "people" or target[key].nationality != item.nationality:
                    raise f.fail(entry, f"duplicate {_KEY_OF[section]} {key!r} (also {where})")
                # the same person kept in two package files: one person, offices combined
                f.warnings.append(f"{path}:{entry[_LINE]}: {key!r} also at {where}; merged")
                item = _merge_person(target[key], item)
            if overriding and ident[0] == "code":
                # a user's entry replaces the old one whatever section it sat in
                ref.countries.pop(key, None)
                ref.organisations.pop(key, None)
            seen_here.add(ident)
            lines[ident] = (path, entry[_LINE])
            target[key] = item


def _merge_person(a: Person, b: Person) -> Person:
    aliases = a.aliases + [x for x in b.aliases if x not in a.aliases]
    offices = a.offices + [o for o in b.offices if o not in a.offices]
    return Person(name=a.name, nationality=a.nationality, aliases=aliases, offices=offices,
                  ambiguous_surname=a.ambiguous_surname or b.ambiguous_surname,
                  exclude=a.exclude + [x for x in b.exclude if x not in a.exclude],
                  origin=a.origin)


def _load_sectors(f: _File, data: dict, entries: Any, ref: Reference) -> None:
    if entries is None:
        return
    if not isinstance(entries, dict):
        raise f.fail(data, "'sectors' must map a sector code to a list of cue words")
    for sector, cues in entries.items():
        if sector == _LINE:
            continue
        if sector not in KNOWN_SECTORS:
            raise f.fail(entries, f"unknown sector {sector!r} in 'sectors'")
        words = f.names({"x": cues, _LINE: entries[_LINE]}, "x") if cues is not None else []
        known = ref.sectors.setdefault(sector, [])
        known.extend(w for w in words if w not in known)


def _check_links(ref: Reference) -> None:
    """Codes an entry points to (nationality, office country, ...) must exist."""
    codes = set(ref.countries) | set(ref.organisations)

    def fail(origin: str, reason: str) -> ReferenceDataError:
        return ReferenceDataError(f"{origin}: {reason}")

    for p in ref.people.values():
        if p.nationality not in ref.countries:
            raise fail(p.origin, f"{p.name}: nationality {p.nationality!r} is no known country")
        for o in p.offices:
            if o.country not in codes:
                raise fail(p.origin, f"{p.name}: office country {o.country!r} is no known "
                           f"country or organisation code")
    for g in ref.groups.values():
        if g.country is not None and g.country not in codes:
            raise fail(g.origin, f"group {g.id}: country {g.country!r} is no known code")
        if g.governs is not None and g.governs[0] not in ref.countries:
            raise fail(g.origin, f"group {g.id}: de facto government of unknown country "
                       f"{g.governs[0]!r}")
    for o in ref.organisations.values():
        for m in o.members:
            if m not in codes:
                raise fail(o.origin, f"{o.code}: member {m!r} is no known code")
        if o.parent is not None and o.parent not in codes:
            raise fail(o.origin, f"{o.code}: parent {o.parent!r} is no known code")


def package_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The package's reference files, in the order they are merged."""
    return sorted(data_dir.glob("*.yaml"))


def load_reference(extra: Sequence[Path | str] = (), data_dir: Path | None = None) -> Reference:
    """The package's reference data plus ``extra`` user files (cached per argument set)."""
    paths = tuple(Path(p) for p in extra)
    return _load_cached(paths, tuple(_stamp(p) for p in paths), data_dir or DATA_DIR,
                        _stamp_dir(data_dir or DATA_DIR))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _stamp_dir(data_dir: Path) -> tuple:
    return tuple((p.name, _stamp(p)) for p in package_files(data_dir))


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[Path, ...], _stamps: tuple, data_dir: Path,
                 _dir_stamps: tuple) -> Reference:
    return build_reference(package_files(data_dir), extra)


def build_reference(base: Iterable[Path], extra: Iterable[Path] = ()) -> Reference:
    """Merge ``base`` files (keys must be unique) then ``extra`` files (which may override)."""
    ref = Reference()
    lines: dict = {}
    for path in base:
        _load_file(path, ref, overriding=False, lines=lines)
        ref.files.append(path)
    for path in extra:
        if not path.is_file():
            raise ReferenceDataError(f"{path}:0: no such file")
        _load_file(path, ref, overriding=True, lines=lines)
        ref.files.append(path)
    _check_links(ref)
    return ref
