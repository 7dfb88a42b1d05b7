#!/usr/bin/env python3
"""Build src/blocwatch/data/actors/countries.yaml and check all actor files.

    python tools/build_countries.py            # regenerate countries.yaml
    python tools/build_countries.py --check    # validate countries/organisations/groups/sectors

The skeleton (every ISO 3166-1 entry: alpha-3 code, pycountry name/official name) comes from
``pycountry``; everything else -- the short name news actually writes, aliases, historical names,
demonyms, capitals used as metonyms, seats of power, armed forces, legislatures, intelligence and
police bodies -- is hand-curated below from general knowledge of world affairs. No event-coding
dictionary (PETRARCH, Phoenix, ICEWS, ...) or annotated data set was used.

Edit BASE / EXTRA below, never the generated YAML.
Needs: pycountry, pyyaml.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTORS = ROOT / "src" / "blocwatch" / "data" / "actors"
OUT = ACTORS / "countries.yaml"

# Sector implied by each list key of a country entry (documented in the YAML header).
LIST_KEYS = ["aliases", "historical", "demonyms", "capitals", "seats", "military"]
EXTRA_KEYS = ["legislature", "intelligence", "police", "exclude"]

# --------------------------------------------------------------------------------------------
# BASE: code | short name as news writes it | demonyms (adjective, singular, plural) | capitals
# used as metonyms. Capitals are left out where the name is also a common word, a person's name
# or a much better-known place elsewhere (listed in SKIPPED_CAPITALS with the reason).
# --------------------------------------------------------------------------------------------
BASE = """
ABW | Aruba | Aruban, Arubans | Oranjestad
AFG | Afghanistan | Afghan, Afghans | Kabul
AGO | Angola | Angolan, Angolans | Luanda
AIA | Anguilla | Anguillan, Anguillans |
ALA | Åland Islands | Ålander, Ålanders | Mariehamn
ALB | Albania | Albanian, Albanians | Tirana
AND | Andorra | Andorran, Andorrans | Andorra la Vella
ARE | United Arab Emirates | Emirati, Emiratis | Abu Dhabi
ARG | Argentina | Argentine, Argentines, Argentinian, Argentinians | Buenos Aires
ARM | Armenia | Armenian, Armenians | Yerevan
ASM | American Samoa | American Samoan, American Samoans | Pago Pago
ATA | Antarctica | |
ATF | French Southern Territories | |
ATG | Antigua and Barbuda | Antiguan, Antiguans |
AUS | Australia | Australian, Australians | Canberra
AUT | Austria | Austrian, Austrians | Vienna
AZE | Azerbaijan | Azerbaijani, Azerbaijanis, Azeri, Azeris | Baku
BDI | Burundi | Burundian, Burundians | Gitega, Bujumbura
BEL | Belgium | Belgian, Belgians |
BEN | Benin | Beninese | Porto-Novo, Cotonou
BES | Bonaire, Sint Eustatius and Saba | | Kralendijk
BFA | Burkina Faso | Burkinabe, Burkinabè | Ouagadougou
BGD | Bangladesh | Bangladeshi, Bangladeshis | Dhaka
BGR | Bulgaria | Bulgarian, Bulgarians | Sofia
BHR | Bahrain | Bahraini, Bahrainis | Manama
BHS | Bahamas | Bahamian, Bahamians | Nassau
BIH | Bosnia and Herzegovina | Bosnian, Bosnians | Sarajevo
BLM | Saint Barthélemy | | Gustavia
BLR | Belarus | Belarusian, Belarusians | Minsk
BLZ | Belize | Belizean, Belizeans | Belmopan
BMU | Bermuda | Bermudian, Bermudians |
BOL | Bolivia | Bolivian, Bolivians | La Paz
BRA | Brazil | Brazilian, Brazilians | Brasilia, Brasília
BRB | Barbados | Barbadian, Barbadians, Bajan, Bajans | Bridgetown
BRN | Brunei | Bruneian, Bruneians | Bandar Seri Begawan
BTN | Bhutan | Bhutanese | Thimphu
BVT | Bouvet Island | |
BWA | Botswana | Motswana, Batswana | Gaborone
CAF | Central African Republic | Central African, Central Africans | Bangui
CAN | Canada | Canadian, Canadians | Ottawa
CCK | Cocos (Keeling) Islands | |
CHE | Switzerland | Swiss | Bern, Berne
CHL | Chile | Chilean, Chileans | Santiago
CHN | China | Chinese | Beijing, Peking
CIV | Ivory Coast | Ivorian, Ivorians | Abidjan, Yamoussoukro
CMR | Cameroon | Cameroonian, Cameroonians | Yaounde, Yaoundé
COD | Democratic Republic of Congo | Congolese | Kinshasa
COG | Republic of Congo | | Brazzaville
COK | Cook Islands | Cook Islander, Cook Islanders | Avarua
COL | Colombia | Colombian, Colombians | Bogota, Bogotá
COM | Comoros | Comoran, Comorans, Comorian, Comorians | Moroni
CPV | Cape Verde | Cape Verdean, Cape Verdeans, Cabo Verdean, Cabo Verdeans | Praia
CRI | Costa Rica | Costa Rican, Costa Ricans |
CUB | Cuba | Cuban, Cubans | Havana
CUW | Curaçao | | Willemstad
CXR | Christmas Island | |
CYM | Cayman Islands | Caymanian, Caymanians |
CYP | Cyprus | Cypriot, Cypriots, Greek Cypriot, Greek Cypriots | Nicosia
CZE | Czech Republic | Czech, Czechs | Prague
DEU | Germany | German, Germans | Berlin
DJI | Djibouti | Djiboutian, Djiboutians |
DMA | Dominica | | Roseau
DNK | Denmark | Danish, Dane, Danes | Copenhagen
DOM | Dominican Republic | Dominican, Dominicans | Santo Domingo
DZA | Algeria | Algerian, Algerians | Algiers
ECU | Ecuador | Ecuadorian, Ecuadorians, Ecuadorean, Ecuadoreans | Quito
EGY | Egypt | Egyptian, Egyptians | Cairo
ERI | Eritrea | Eritrean, Eritreans | Asmara
ESH | Western Sahara | Sahrawi, Sahrawis, Saharawi, Saharawis |
ESP | Spain | Spanish, Spaniard, Spaniards | Madrid
EST | Estonia | Estonian, Estonians | Tallinn
ETH | Ethiopia | Ethiopian, Ethiopians | Addis Ababa
FIN | Finland | Finnish, Finn, Finns | Helsinki
FJI | Fiji | Fijian, Fijians | Suva
FLK | Falkland Islands | Falkland Islander, Falkland Islanders, Falklander, Falklanders |
FRA | France | French | Paris
FRO | Faroe Islands | Faroese | Torshavn, Tórshavn
FSM | Micronesia | Micronesian, Micronesians | Palikir
GAB | Gabon | Gabonese | Libreville
GBR | United Kingdom | British, Briton, Britons, Brit, Brits | London
GEO | Georgia | Georgian, Georgians | Tbilisi
GGY | Guernsey | |
GHA | Ghana | Ghanaian, Ghanaians | Accra
GIB | Gibraltar | Gibraltarian, Gibraltarians |
GIN | Guinea | Guinean, Guineans | Conakry
GLP | Guadeloupe | Guadeloupean, Guadeloupeans |
GMB | Gambia | Gambian, Gambians | Banjul
GNB | Guinea-Bissau | Bissau-Guinean, Bissau-Guineans | Bissau
GNQ | Equatorial Guinea | Equatorial Guinean, Equatorial Guineans, Equatoguinean, Equatoguineans | Malabo
GRC | Greece | Greek, Greeks | Athens
GRD | Grenada | Grenadian, Grenadians |
GRL | Greenland | Greenlander, Greenlanders, Greenlandic | Nuuk
GTM | Guatemala | Guatemalan, Guatemalans | Guatemala City
GUF | French Guiana | French Guianese |
GUM | Guam | Guamanian, Guamanians | Hagatna, Hagåtña
GUY | Guyana | Guyanese |
HKG | Hong Kong | Hong Konger, Hong Kongers, Hongkonger, Hongkongers |
HMD | Heard Island and McDonald Islands | |
HND | Honduras | Honduran, Hondurans | Tegucigalpa
HRV | Croatia | Croatian, Croatians, Croat, Croats | Zagreb
HTI | Haiti | Haitian, Haitians | Port-au-Prince
HUN | Hungary | Hungarian, Hungarians | Budapest
IDN | Indonesia | Indonesian, Indonesians | Jakarta
IMN | Isle of Man | Manx |
IND | India | Indian, Indians | New Delhi, Delhi
IOT | British Indian Ocean Territory | |
IRL | Ireland | Irish | Dublin
IRN | Iran | Iranian, Iranians | Tehran, Teheran
IRQ | Iraq | Iraqi, Iraqis | Baghdad
ISL | Iceland | Icelandic, Icelander, Icelanders | Reykjavik, Reykjavík
ISR | Israel | Israeli, Israelis | Jerusalem, Tel Aviv
ITA | Italy | Italian, Italians | Rome
JAM | Jamaica | Jamaican, Jamaicans |
JEY | Jersey | |
JOR | Jordan | Jordanian, Jordanians | Amman
JPN | Japan | Japanese | Tokyo
KAZ | Kazakhstan | Kazakh, Kazakhs, Kazakhstani, Kazakhstanis | Astana, Nur-Sultan
KEN | Kenya | Kenyan, Kenyans | Nairobi
KGZ | Kyrgyzstan | Kyrgyz, Kyrgyzstani, Kyrgyzstanis | Bishkek
KHM | Cambodia | Cambodian, Cambodians | Phnom Penh
KIR | Kiribati | I-Kiribati | Tarawa, South Tarawa
KNA | Saint Kitts and Nevis | Kittitian, Kittitians, Nevisian, Nevisians | Basseterre
KOR | South Korea | South Korean, South Koreans | Seoul
KWT | Kuwait | Kuwaiti, Kuwaitis | Kuwait City
LAO | Laos | Laotian, Laotians | Vientiane
LBN | Lebanon | Lebanese | Beirut
LBR | Liberia | Liberian, Liberians | Monrovia
LBY | Libya | Libyan, Libyans | Tripoli
LCA | Saint Lucia | Saint Lucian, Saint Lucians, St Lucian, St Lucians | Castries
LIE | Liechtenstein | Liechtensteiner, Liechtensteiners | Vaduz
LKA | Sri Lanka | Sri Lankan, Sri Lankans | Colombo, Sri Jayawardenepura Kotte
LSO | Lesotho | Basotho, Mosotho | Maseru
LTU | Lithuania | Lithuanian, Lithuanians | Vilnius
LUX | Luxembourg | Luxembourger, Luxembourgers, Luxembourgish |
LVA | Latvia | Latvian, Latvians | Riga
MAC | Macau | Macanese |
MAF | Saint Martin | | Marigot
MAR | Morocco | Moroccan, Moroccans | Rabat
MCO | Monaco | Monegasque, Monegasques, Monégasque, Monégasques |
MDA | Moldova | Moldovan, Moldovans | Chisinau, Chișinău
MDG | Madagascar | Malagasy | Antananarivo
MDV | Maldives | Maldivian, Maldivians | Malé
MEX | Mexico | Mexican, Mexicans | Mexico City
MHL | Marshall Islands | Marshallese | Majuro
MKD | North Macedonia | North Macedonian, North Macedonians, Macedonian, Macedonians | Skopje
MLI | Mali | Malian, Malians | Bamako
MLT | Malta | Maltese | Valletta
MMR | Myanmar | Burmese | Naypyitaw, Naypyidaw, Nay Pyi Taw
MNE | Montenegro | Montenegrin, Montenegrins | Podgorica
MNG | Mongolia | Mongolian, Mongolians | Ulaanbaatar, Ulan Bator
MNP | Northern Mariana Islands | |
MOZ | Mozambique | Mozambican, Mozambicans | Maputo
MRT | Mauritania | Mauritanian, Mauritanians | Nouakchott
MSR | Montserrat | Montserratian, Montserratians |
MTQ | Martinique | Martinican, Martinicans | Fort-de-France
MUS | Mauritius | Mauritian, Mauritians | Port Louis
MWI | Malawi | Malawian, Malawians | Lilongwe
MYS | Malaysia | Malaysian, Malaysians | Kuala Lumpur, Putrajaya
MYT | Mayotte | Mahoran, Mahorans | Mamoudzou
NAM | Namibia | Namibian, Namibians | Windhoek
NCL | New Caledonia | New Caledonian, New Caledonians | Noumea, Nouméa
NER | Niger | Nigerien, Nigeriens | Niamey
NFK | Norfolk Island | Norfolk Islander, Norfolk Islanders |
NGA | Nigeria | Nigerian, Nigerians | Abuja
NIC | Nicaragua | Nicaraguan, Nicaraguans | Managua
NIU | Niue | Niuean, Niueans | Alofi
NLD | the Netherlands | Dutch | Amsterdam
NOR | Norway | Norwegian, Norwegians | Oslo
NPL | Nepal | Nepali, Nepalis, Nepalese | Kathmandu
NRU | Nauru | Nauruan, Nauruans | Yaren
NZL | New Zealand | New Zealander, New Zealanders | Wellington
OMN | Oman | Omani, Omanis | Muscat
PAK | Pakistan | Pakistani, Pakistanis | Islamabad
PAN | Panama | Panamanian, Panamanians | Panama City
PCN | Pitcairn Islands | Pitcairn Islander, Pitcairn Islanders | Adamstown
PER | Peru | Peruvian, Peruvians | Lima
PHL | the Philippines | Filipino, Filipinos, Filipina, Filipinas, Philippine | Manila
PLW | Palau | Palauan, Palauans | Ngerulmud
PNG | Papua New Guinea | Papua New Guinean, Papua New Guineans | Port Moresby
POL | Poland | Polish, Pole, Poles | Warsaw
PRI | Puerto Rico | Puerto Rican, Puerto Ricans |
PRK | North Korea | North Korean, North Koreans | Pyongyang
PRT | Portugal | Portuguese | Lisbon
PRY | Paraguay | Paraguayan, Paraguayans | Asuncion, Asunción
PSE | Palestine | Palestinian, Palestinians | Ramallah
PYF | French Polynesia | French Polynesian, French Polynesians | Papeete
QAT | Qatar | Qatari, Qataris | Doha
REU | Réunion | Reunionese, Réunionese |
ROU | Romania | Romanian, Romanians | Bucharest
RUS | Russia | Russian, Russians | Moscow
RWA | Rwanda | Rwandan, Rwandans | Kigali
SAU | Saudi Arabia | Saudi, Saudis | Riyadh
SDN | Sudan | Sudanese | Khartoum, Port Sudan
SEN | Senegal | Senegalese | Dakar
SGP | Singapore | Singaporean, Singaporeans |
SGS | South Georgia and the South Sandwich Islands | |
SHN | Saint Helena, Ascension and Tristan da Cunha | Saint Helenian, Saint Helenians |
SJM | Svalbard and Jan Mayen | |
SLB | Solomon Islands | Solomon Islander, Solomon Islanders | Honiara
SLE | Sierra Leone | Sierra Leonean, Sierra Leoneans | Freetown
SLV | El Salvador | Salvadoran, Salvadorans, Salvadorean, Salvadoreans | San Salvador
SMR | San Marino | Sammarinese |
SOM | Somalia | Somali, Somalis | Mogadishu
SPM | Saint Pierre and Miquelon | |
SRB | Serbia | Serbian, Serbians, Serb, Serbs | Belgrade
SSD | South Sudan | South Sudanese | Juba
STP | Sao Tome and Principe | Santomean, Santomeans | Sao Tome, São Tomé
SUR | Suriname | Surinamese | Paramaribo
SVK | Slovakia | Slovak, Slovaks, Slovakian, Slovakians | Bratislava
SVN | Slovenia | Slovenian, Slovenians, Slovene, Slovenes | Ljubljana
SWE | Sweden | Swedish, Swede, Swedes | Stockholm
SWZ | Eswatini | Swazi, Swazis | Mbabane, Lobamba
SXM | Sint Maarten | | Philipsburg
SYC | Seychelles | Seychellois |
SYR | Syria | Syrian, Syrians | Damascus
TCA | Turks and Caicos Islands | Turks and Caicos Islander, Turks and Caicos Islanders |
TCD | Chad | Chadian, Chadians | N'Djamena, Ndjamena
TGO | Togo | Togolese | Lome, Lomé
THA | Thailand | Thai, Thais | Bangkok
TJK | Tajikistan | Tajik, Tajiks, Tajikistani, Tajikistanis | Dushanbe
TKL | Tokelau | Tokelauan, Tokelauans |
TKM | Turkmenistan | Turkmen | Ashgabat, Ashkhabad
TLS | East Timor | East Timorese, Timorese | Dili
TON | Tonga | Tongan, Tongans | Nuku'alofa
TTO | Trinidad and Tobago | Trinidadian, Trinidadians, Tobagonian, Tobagonians | Port of Spain
TUN | Tunisia | Tunisian, Tunisians | Tunis
TUR | Turkey | Turkish, Turks | Ankara
TUV | Tuvalu | Tuvaluan, Tuvaluans | Funafuti
TWN | Taiwan | Taiwanese | Taipei
TZA | Tanzania | Tanzanian, Tanzanians | Dodoma, Dar es Salaam
UGA | Uganda | Ugandan, Ugandans | Kampala
UKR | Ukraine | Ukrainian, Ukrainians | Kyiv, Kiev
UMI | United States Minor Outlying Islands | |
URY | Uruguay | Uruguayan, Uruguayans | Montevideo
USA | the United States | American, Americans | Washington, "Washington, D.C.", Washington DC
UZB | Uzbekistan | Uzbek, Uzbeks, Uzbekistani, Uzbekistanis | Tashkent
VAT | Vatican | |
VCT | Saint Vincent and the Grenadines | Vincentian, Vincentians | Kingstown
VEN | Venezuela | Venezuelan, Venezuelans | Caracas
VGB | British Virgin Islands | | Road Town
VIR | US Virgin Islands | | Charlotte Amalie
VNM | Vietnam | Vietnamese | Hanoi
VUT | Vanuatu | Ni-Vanuatu | Port Vila
WLF | Wallis and Futuna | Wallisian, Wallisians | Mata-Utu
WSM | Samoa | Samoan, Samoans | Apia
YEM | Yemen | Yemeni, Yemenis | Sanaa, Sana'a, Aden
ZAF | South Africa | South African, South Africans | Pretoria
ZMB | Zambia | Zambian, Zambians | Lusaka
ZWE | Zimbabwe | Zimbabwean, Zimbabweans | Harare
XKX | Kosovo | Kosovar, Kosovars, Kosovan, Kosovans | Pristina, Prishtina
"""

# Capitals deliberately NOT listed (ambiguous as a metonym). Emitted as a comment on the entry.
SKIPPED_CAPITALS = {
    "AIA": "The Valley (common phrase)",
    "ATG": "St. John's (also Newfoundland and many churches)",
    "BEL": "Brussels (in news almost always the EU: see organisations.yaml, EU)",
    "BMU": "Hamilton (Ontario, New Zealand, a common surname)",
    "BOL": "Sucre (constitutional capital; also a surname) -- La Paz is the seat of government",
    "CRI": "San José (San Jose, California dominates English news)",
    "CYM": "George Town (Penang, Washington DC's Georgetown)",
    "DJI": "Djibouti (same as the country name)",
    "GRD": "St. George's (many places)",
    "GUF": "Cayenne (the pepper)",
    "GUY": "Georgetown (Washington DC, Penang, universities)",
    "IMN": "Douglas (common first name and surname)",
    "JAM": "Kingston (Ontario, London suburb, Norfolk Island)",
    "JEY": "St Helier (rarely a metonym)",
    "LUX": "Luxembourg (same as the country name)",
    "MCO": "Monaco (same as the country name)",
    "NFK": "Kingston (Jamaica)",
    "NLD": "The Hague (in news mostly the ICC/ICJ; seat of the Dutch government, but left out)",
    "PRI": "San Juan (many places of that name)",
    "SGP": "Singapore (same as the country name)",
    "SHN": "Jamestown (Virginia, many places)",
    "SMR": "San Marino (same as the country name)",
    "SYC": "Victoria (Australian state, Hong Kong harbour, British Columbia capital, a first name)",
    "FLK": "Stanley (common name; Hong Kong town)",
    "ESH": "Laayoune/El Aaiún (disputed; Moroccan-administered)",
    "MDV": "plain 'Male' (English word) -- only the accented 'Malé' is listed",
}

# --------------------------------------------------------------------------------------------
# EXTRA: per-code overrides and additions. Keys: official, aliases, historical, demonyms (added),
# capitals (replace), seats, military, legislature, intelligence, police, exclude,
# note (comment lines above the entry), c_<key> (comment at the end of that key's line).
# --------------------------------------------------------------------------------------------
EXTRA: dict[str, dict] = {
    "AFG": dict(
        official="Islamic Republic of Afghanistan",
        note=[
            "Taliban de facto government since 2021-08-15 (styled 'Islamic Emirate of Afghanistan';",
            "that name is a Taliban alias in groups.yaml). Official name kept as the UN-seated one.",
        ],
    ),
    "ALA": dict(
        name="Åland Islands",
        aliases=["Aland Islands", "Åland", "Aland"],
        note=["Autonomous region of Finland."],
    ),
    "ARE": dict(
        aliases=["UAE", "U.A.E.", "the Emirates"],
        exclude=["the Emirates airline", "the Emirates Stadium"],
        c_aliases="'the Emirates' only with the article; bare 'Emirates' is the airline",
    ),
    "ARG": dict(seats=["Casa Rosada"]),
    "ATA": dict(
        note=["Continent under the Antarctic Treaty; kept for ISO completeness, not an actor."]
    ),
    "AUS": dict(
        military=["Australian Defence Force", "Australian Defense Force"],
        c_military="'ADF' left out: in news it is also the Allied Democratic Forces (groups.yaml)",
    ),
    "BES": dict(aliases=["Caribbean Netherlands", "Bonaire", "Sint Eustatius"]),
    "BFA": dict(aliases=["Burkina"], historical=["Upper Volta"]),
    "BGR": dict(c_capitals="Sofia is also a first name; kept because the metonym is common"),
    "BHS": dict(
        aliases=["the Bahamas", "The Bahamas"], c_capitals="Nassau County (New York) also exists"
    ),
    "BIH": dict(
        aliases=["Bosnia", "Bosnia-Herzegovina", "BiH"],
        demonyms=["Bosniak", "Bosniaks"],
        note=[
            "'Bosnian Serb(s)' / 'Bosnian Croat(s)' should resolve to BIH (longest-match on the",
            "demonym 'Bosnian'); Republika Srpska is not listed as an actor.",
        ],
    ),
    "BLM": dict(aliases=["Saint Barthelemy", "St Barts", "St. Barts", "St Barths", "St. Barths"]),
    "BLR": dict(historical=["Byelorussia", "Belorussia"]),
    "BOL": dict(aliases=["Plurinational State of Bolivia"]),
    "BRA": dict(
        seats=["Planalto", "Planalto Palace", "Itamaraty"], c_seats="Itamaraty = foreign ministry"
    ),
    "BRN": dict(aliases=["Brunei Darussalam"]),
    "CAF": dict(
        aliases=["CAR", "Centrafrique"], c_aliases="'CAR' case-sensitive only (the word 'car')"
    ),
    "CAN": dict(military=["Canadian Armed Forces"], legislature=["Parliament Hill"]),
    "CCK": dict(name="Cocos (Keeling) Islands", aliases=["Cocos Islands", "Keeling Islands"]),
    "CHE": dict(
        aliases=["Swiss Confederation", "Confederation Helvetica"], official="Swiss Confederation"
    ),
    "CHL": dict(
        c_capitals="Santiago is also Santiago de Cuba / de Compostela and a first name; risky"
    ),
    "CHN": dict(
        aliases=["PRC", "P.R.C.", "mainland China"],
        seats=["Zhongnanhai"],
        military=[
            "People's Liberation Army",
            "PLA",
            "PLA Navy",
            "PLA Air Force",
            "PLA Rocket Force",
            "Eastern Theater Command",
            "Southern Theater Command",
            "Central Military Commission",
            "China Coast Guard",
            "Chinese Coast Guard",
        ],
        legislature=["National People's Congress", "NPC", "NPC Standing Committee"],
        intelligence=["Ministry of State Security", "MSS"],
        police=["People's Armed Police", "Ministry of Public Security"],
        exclude=["South China Sea", "East China Sea", "South China Morning Post", "Chinese Taipei"],
        c_capitals="Peking = old romanisation, still in some names",
        c_military="coast guard is formally under the People's Armed Police; coded MIL here",
        note=["The Chinese Communist Party (CCP/CPC) is in groups.yaml as a PTY actor of CHN."],
    ),
    "CIV": dict(
        aliases=["Côte d'Ivoire", "Cote d'Ivoire", "Côte d’Ivoire", "Cote d’Ivoire"],
        official="Republic of Côte d'Ivoire",
        c_capitals="Yamoussoukro is the official capital, Abidjan the seat of government",
    ),
    "COD": dict(
        aliases=[
            "DR Congo",
            "DRC",
            "D.R. Congo",
            "Democratic Republic of the Congo",
            "Congo-Kinshasa",
            "Congo",
        ],
        historical=["Zaire"],
        official="Democratic Republic of the Congo",
        military=["FARDC", "Armed Forces of the Democratic Republic of the Congo"],
        c_aliases="bare 'Congo' given to COD (AP style uses plain 'Congo' for the DRC); Republic of Congo needs its full name",
        c_demonyms="'Congolese' is ambiguous COD/COG: given to COD",
    ),
    "COG": dict(
        aliases=["Republic of the Congo", "Congo-Brazzaville", "Congo Republic"],
        no_py_names=True,
        official="Republic of the Congo",
        c_aliases="pycountry's bare 'Congo' deliberately not used here (given to COD)",
        c_demonyms="'Congolese' is given to COD",
    ),
    "COL": dict(seats=["Casa de Nariño", "Casa de Narino"]),
    "COM": dict(aliases=["the Comoros", "Union of the Comoros"]),
    "CPV": dict(aliases=["Cabo Verde"]),
    "CUW": dict(aliases=["Curacao"]),
    "CYM": dict(aliases=["the Caymans", "Caymans"]),
    "CYP": dict(
        demonyms=["Turkish Cypriot", "Turkish Cypriots"],
        c_demonyms="Turkish Cypriot(s) mapped here (not TUR); Northern Cyprus/TRNC is not an ISO entity and is left out",
    ),
    "CZE": dict(aliases=["Czechia"], official="Czech Republic"),
    "DEU": dict(
        seats=["Kanzleramt", "German Chancellery", "Auswärtiges Amt"],
        military=["Bundeswehr"],
        legislature=["Bundestag"],
        intelligence=["BND", "Bundesnachrichtendienst"],
        c_seats="bare 'the Chancellery' left out: Austria and others have one too",
        c_legislature="'Bundesrat' left out: Austria and Switzerland use the name too",
    ),
    "DMA": dict(
        note=["'Dominican(s)' is given to DOM (Dominican Republic), by far the commoner sense."]
    ),
    "DNK": dict(c_demonyms="'Danish' also the pastry; fine in political text"),
    "ESH": dict(
        aliases=["Sahrawi Arab Democratic Republic", "SADR"],
        note=[
            "Disputed territory: most of it administered by Morocco; the SADR (proclaimed by the",
            "Polisario Front, an AU member) claims it. Polisario itself is in groups.yaml.",
        ],
    ),
    "ETH": dict(
        military=["Ethiopian National Defense Force", "Ethiopian National Defence Force", "ENDF"],
        c_capitals="Addis Ababa also hosts the African Union; coded ETH",
    ),
    "FLK": dict(
        official="Falkland Islands",
        aliases=["Falklands", "the Falklands", "Malvinas", "Islas Malvinas"],
        c_aliases="Malvinas = Argentine name",
    ),
    "FRA": dict(
        seats=[
            "the Élysée",
            "Élysée",
            "Elysee",
            "Élysée Palace",
            "Elysee Palace",
            "Matignon",
            "Quai d'Orsay",
        ],
        military=["French Armed Forces"],
        intelligence=["DGSE", "DGSI"],
        c_seats="Matignon = prime minister's office; Quai d'Orsay = foreign ministry",
    ),
    "FRO": dict(aliases=["the Faroes", "Faroes", "Faeroe Islands"]),
    "FSM": dict(aliases=["Federated States of Micronesia", "FSM"]),
    "GBR": dict(
        aliases=[
            "UK",
            "U.K.",
            "Britain",
            "Great Britain",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
        seats=[
            "Downing Street",
            "Number 10",
            "No 10",
            "No. 10",
            "Whitehall",
            "Foreign, Commonwealth and Development Office",
            "FCDO",
        ],
        military=["British Armed Forces", "Royal Navy", "Royal Air Force", "RAF", "Royal Marines"],
        legislature=["Westminster", "House of Commons", "House of Lords"],
        intelligence=["MI6", "MI5", "Secret Intelligence Service", "GCHQ"],
        police=["Scotland Yard", "Metropolitan Police"],
        c_seats="bare 'Foreign Office' left out: 'the German Foreign Office' etc.",
        c_demonyms="English/Scottish/Welsh left out: they denote nations of the UK, often devolved governments",
        exclude=[
            "Westminster Abbey",
            "New Britain",
            "British Columbia",
            "British Virgin Islands",
            "British Indian Ocean Territory",
        ],
    ),
    "GEO": dict(
        exclude=[
            "Georgia, U.S.",
            "U.S. state of Georgia",
            "US state of Georgia",
            "Atlanta, Georgia",
            "South Georgia",
            "Georgian architecture",
            "Georgian era",
        ],
        c_aliases="'Georgia' kept for the country; the US state is the main false positive (see exclude)",
    ),
    "GIN": dict(
        aliases=["Guinea-Conakry"],
        exclude=[
            "Gulf of Guinea",
            "New Guinea",
            "Papua New Guinea",
            "Equatorial Guinea",
            "Guinea-Bissau",
        ],
    ),
    "GMB": dict(aliases=["the Gambia", "The Gambia"]),
    "GNB": dict(aliases=["Guinea Bissau"]),
    "GRC": dict(official="Hellenic Republic", aliases=["Hellenic Republic"]),
    "GRL": dict(
        note=["Autonomous territory of the Kingdom of Denmark; home rule government in Nuuk."]
    ),
    "HKG": dict(
        aliases=["HKSAR", "Hong Kong SAR"],
        note=[
            "Special Administrative Region of China: 'Hong Kong authorities/government' codes HKG."
        ],
    ),
    "IDN": dict(
        military=["TNI", "Indonesian National Armed Forces"],
        c_capitals="Nusantara (new capital under construction) not yet used as a metonym",
    ),
    "IMN": dict(c_demonyms="'Manx' only"),
    "IND": dict(
        aliases=["Bharat", "Republic of India"],
        seats=["South Block", "Raisina Hill"],
        legislature=["Lok Sabha", "Rajya Sabha"],
        intelligence=["Research and Analysis Wing", "R&AW"],
        exclude=[
            "Indian Ocean",
            "West Indian",
            "West Indians",
            "American Indian",
            "American Indians",
            "Indian National Congress",
            "Indian Premier League",
        ],
        c_seats="South Block = PMO/MEA/defence ministry building",
        c_demonyms="'Indian' also Native American usage and 'Indian Ocean' (see exclude)",
        c_intelligence="bare 'RAW' left out (the word 'raw' in headlines)",
    ),
    "IOT": dict(
        aliases=["Chagos Islands", "Chagos Archipelago", "BIOT"],
        note=[
            "2025 UK-Mauritius treaty transfers sovereignty to Mauritius (Diego Garcia leased back);",
            "check ratification status before re-coding to MUS.",
        ],
    ),
    "IRL": dict(
        aliases=["Republic of Ireland"],
        historical=["Eire", "Éire"],
        exclude=["Northern Ireland", "Northern Irish"],
        legislature=["Dáil", "Dail", "Oireachtas"],
        seats=["Leinster House"],
        c_seats="Leinster House houses parliament; Taoiseach's office is Government Buildings",
    ),
    "IRN": dict(
        aliases=["Islamic Republic of Iran", "the Islamic Republic"],
        historical=["Persia"],
        military=[
            "IRGC",
            "Islamic Revolutionary Guard Corps",
            "Islamic Revolutionary Guards Corps",
            "Revolutionary Guards",
            "Revolutionary Guard",
            "Revolutionary Guard Corps",
            "Quds Force",
            "Qods Force",
            "Basij",
            "Artesh",
        ],
        legislature=["Islamic Consultative Assembly"],
        c_aliases="'the Islamic Republic' (with article) is Iran in almost all English news",
        c_legislature="'Majlis' left out: used for several countries' parliaments",
    ),
    "IRQ": dict(
        seats=["the Green Zone"],
        military=[
            "Iraqi Security Forces",
            "Counter-Terrorism Service",
            "Iraqi Counter-Terrorism Service",
        ],
        c_seats="Baghdad's government/embassy district; also used for other cities' zones, rarely",
        note=[
            "Kurdistan Regional Government / Peshmerga are not listed here (Peshmerga: groups.yaml)."
        ],
    ),
    "ISR": dict(
        legislature=["the Knesset", "Knesset"],
        military=[
            "IDF",
            "Israel Defense Forces",
            "Israel Defence Forces",
            "Israeli Defense Forces",
            "Israeli Defence Forces",
        ],
        intelligence=["Mossad", "Shin Bet", "Shabak", "Israel Security Agency", "Unit 8200"],
        c_capitals="Jerusalem = seat of Israel's government (status disputed); Tel Aviv still used by some outlets for the government",
    ),
    "ITA": dict(
        seats=["Palazzo Chigi", "Farnesina", "Quirinale", "Quirinal Palace"],
        c_seats="Chigi = PM, Farnesina = foreign ministry, Quirinale = president",
        c_capitals="'Rome' also the Holy See in church context; coded ITA",
    ),
    "JEY": dict(exclude=["New Jersey"], c_aliases="'Jersey' also New Jersey (see exclude)"),
    "JOR": dict(
        aliases=["Hashemite Kingdom of Jordan"],
        exclude=["Jordan River", "Jordan Valley", "Michael Jordan"],
        c_aliases="'Jordan' also a first name/surname; kept",
    ),
    "JPN": dict(
        seats=["Kantei", "Kasumigaseki"],
        military=[
            "Japan Self-Defense Forces",
            "Japan Self-Defence Forces",
            "JSDF",
            "Japan Maritime Self-Defense Force",
            "JMSDF",
            "Japan Air Self-Defense Force",
            "JASDF",
            "Japan Ground Self-Defense Force",
            "JGSDF",
        ],
        legislature=["National Diet"],
        c_military="bare 'SDF'/'Self-Defense Forces' left out: Syrian Democratic Forces (groups.yaml) and generic 'self-defense forces'",
        c_legislature="bare 'the Diet' left out (the word 'diet')",
    ),
    "KAZ": dict(c_capitals="Nur-Sultan was the capital's name 2019-2022"),
    "KEN": dict(military=["Kenya Defence Forces", "Kenya Defense Forces", "KDF"]),
    "KGZ": dict(aliases=["Kyrgyz Republic", "Kirghizia"]),
    "KHM": dict(historical=["Kampuchea"]),
    "KIR": dict(c_capitals="capital is South Tarawa"),
    "KNA": dict(aliases=["St Kitts and Nevis", "St. Kitts and Nevis", "St Kitts", "St. Kitts"]),
    "KOR": dict(
        official="Republic of Korea",
        aliases=["ROK", "R.O.K.", "Republic of Korea"],
        seats=["the Blue House", "Blue House", "Cheong Wa Dae", "Yongsan"],
        military=["Republic of Korea Armed Forces"],
        intelligence=["National Intelligence Service", "NIS"],
        c_seats="Yongsan = presidential office 2022-2025 (president moved back to Cheong Wa Dae late 2025); also US base area",
        c_legislature="'National Assembly' left out (many countries)",
    ),
    "LAO": dict(aliases=["Lao PDR", "Lao People's Democratic Republic"]),
    "LBN": dict(
        military=["Lebanese Armed Forces", "Lebanese Army"],
        seats=["Baabda", "Baabda Palace", "Grand Serail"],
        c_seats="Baabda = presidency, Grand Serail = prime minister",
    ),
    "LBY": dict(
        c_capitals="Tripoli also a city in Lebanon; Libya's rival eastern administration sits in Benghazi/Sirte"
    ),
    "LCA": dict(aliases=["St Lucia", "St. Lucia"]),
    "LKA": dict(
        historical=["Ceylon"],
        c_capitals="Sri Jayawardenepura Kotte is the official capital; Colombo the metonym",
    ),
    "LTU": dict(legislature=["Seimas"]),
    "MAC": dict(aliases=["Macao", "Macau SAR", "Macao SAR"]),
    "MAF": dict(
        official="Collectivity of Saint Martin",
        aliases=["Saint-Martin", "St Martin", "St. Martin"],
        note=["French part of the island shared with Sint Maarten (SXM)."],
    ),
    "MAR": dict(seats=["the Makhzen", "Makhzen"], c_seats="the palace establishment"),
    "MDA": dict(
        aliases=["Republic of Moldova"], c_capitals="Transnistria (breakaway) is not listed"
    ),
    "MDV": dict(aliases=["the Maldives"]),
    "MEX": dict(
        exclude=["Gulf of Mexico", "New Mexico"],
        seats=["National Palace", "Palacio Nacional"],
        c_seats="'National Palace' also in Guatemala/Haiti; mostly Mexico in news",
    ),
    "MHL": dict(aliases=["the Marshall Islands", "Republic of the Marshall Islands"]),
    "MKD": dict(
        historical=["Macedonia", "Former Yugoslav Republic of Macedonia", "FYROM"],
        exclude=["Greek Macedonia"],
        c_historical="renamed 2019 (Prespa Agreement); 'Macedonia' also a Greek region",
        c_demonyms="'Macedonian' also Greek-Macedonian; kept for MKD",
    ),
    "MLI": dict(military=["FAMa", "Malian Armed Forces"]),
    "MMR": dict(
        official="Republic of the Union of Myanmar",
        historical=["Burma"],
        military=["Tatmadaw"],
        capitals=["Naypyitaw", "Naypyidaw", "Nay Pyi Taw"],
        c_capitals="Yangon/Rangoon was the capital until 2005: left out",
        note=[
            "Military junta in power since the 2021-02-01 coup (State Administration Council,",
            "later caretaker government): 'the junta' is a GOV cue in sectors.yaml.",
        ],
    ),
    "MNP": dict(aliases=["Northern Marianas", "CNMI"]),
    "MSR": dict(c_capitals="Plymouth abandoned after 1997 eruption; Brades de facto"),
    "MYS": dict(c_capitals="Putrajaya = administrative capital"),
    "NER": dict(
        exclude=["Niger Delta", "Niger River", "River Niger"],
        c_demonyms="'Nigerien' (NER) vs 'Nigerian' (NGA)",
    ),
    "NGA": dict(seats=["Aso Rock", "Aso Villa"]),
    "NLD": dict(
        aliases=["Netherlands", "Holland", "Kingdom of the Netherlands"],
        c_aliases="'Holland' is strictly two provinces, but news uses it for the state",
    ),
    "NZL": dict(c_capitals="Wellington also a surname/title (Duke of Wellington); kept"),
    "PAK": dict(
        military=["Rawalpindi", "Inter-Services Public Relations", "ISPR"],
        intelligence=["ISI", "Inter-Services Intelligence"],
        c_military="'Rawalpindi' (army GHQ) is a metonym for the army; ISPR = army media wing",
    ),
    "PAN": dict(
        exclude=["Panama City, Florida", "Panama Papers"], c_capitals="Panama City, Florida exists"
    ),
    "PCN": dict(aliases=["Pitcairn"]),
    "PHL": dict(
        aliases=["Philippines", "Republic of the Philippines"],
        seats=["Malacañang", "Malacanang", "Malacañang Palace", "Malacanang Palace"],
        military=["Armed Forces of the Philippines", "Philippine Coast Guard"],
        c_military="'AFP' left out (Agence France-Presse)",
    ),
    "PLW": dict(c_capitals="Ngerulmud; Koror is the largest town"),
    "PNG": dict(aliases=["PNG"]),
    "POL": dict(legislature=["Sejm"], c_demonyms="'Poles' case-sensitive (the word 'poles')"),
    "PRK": dict(
        aliases=["DPRK", "D.P.R.K."],
        military=["Korean People's Army", "KPA"],
        legislature=["Supreme People's Assembly"],
        intelligence=["Reconnaissance General Bureau"],
        c_demonyms="bare 'Korean' is ambiguous and omitted",
        note=["Workers' Party of Korea is in groups.yaml as a PTY actor of PRK."],
    ),
    "PSE": dict(
        aliases=["State of Palestine"],
        official="State of Palestine",
        seats=[
            "Palestinian Authority",
            "the Palestinian Authority",
            "Palestinian National Authority",
            "PLO",
            "Palestine Liberation Organization",
            "Palestine Liberation Organisation",
            "Mukataa",
            "Muqataa",
        ],
        c_seats="PA and PLO act for the Palestinian state in diplomacy: coded PSE GOV; Mukataa = PA headquarters",
        c_capitals="Ramallah = seat of the PA; East Jerusalem (claimed capital) is not listed",
        note=[
            "The Gaza Strip and the West Bank are places, not actors: deliberately not listed.",
            "Hamas, Fatah, PIJ etc. are in groups.yaml.",
        ],
    ),
    "PYF": dict(aliases=["Tahiti"], c_aliases="news often says 'Tahiti' for the territory"),
    "REU": dict(
        aliases=["Reunion", "La Réunion", "La Reunion"],
        c_capitals="Saint-Denis left out (Paris suburb)",
    ),
    "RUS": dict(
        aliases=["Russian Federation"],
        historical=["Soviet Union", "USSR", "U.S.S.R."],
        seats=["the Kremlin", "Kremlin"],
        military=[
            "Russian Armed Forces",
            "Armed Forces of the Russian Federation",
            "Russian Aerospace Forces",
            "VKS",
            "Black Sea Fleet",
            "Baltic Fleet",
            "Northern Fleet",
            "Strategic Rocket Forces",
        ],
        legislature=["State Duma", "Duma", "Federation Council"],
        intelligence=["FSB", "Federal Security Service", "SVR", "GRU", "KGB"],
        police=["Rosgvardia", "Russian National Guard"],
        c_historical="Soviet Union/USSR mapped to RUS as continuator state (UN seat, treaties); historical references only",
        c_intelligence="GRU = military intelligence (formally GU); KGB historical, kept for references",
    ),
    "SAU": dict(
        aliases=["KSA", "Kingdom of Saudi Arabia"],
        seats=["Royal Court", "Saudi Royal Court"],
        c_seats="'Royal Court' generic (Jordan, Morocco, ...): mostly Saudi in news",
    ),
    "SDN": dict(
        military=["Sudanese Armed Forces", "SAF"],
        c_capitals="Port Sudan = wartime seat of the army-led government since 2023",
        c_military="'SAF' also Singapore Armed Forces; Sudan dominates news usage",
    ),
    "SGS": dict(
        aliases=["South Georgia"],
        c_aliases="'South Georgia' also the southern part of the US state",
    ),
    "SHN": dict(
        name="Saint Helena",
        aliases=[
            "St Helena",
            "St. Helena",
            "Ascension Island",
            "Tristan da Cunha",
            "Saint Helena, Ascension and Tristan da Cunha",
        ],
    ),
    "SJM": dict(aliases=["Svalbard", "Jan Mayen"], note=["Norwegian territory."]),
    "SLB": dict(aliases=["the Solomon Islands", "Solomons", "the Solomons"]),
    "SOM": dict(
        military=["Somali National Army"],
        seats=["Villa Somalia"],
        c_military="'SNA' left out: Syrian National Army (groups.yaml)",
        note=[
            "Somaliland (self-declared, recognised by Israel in Dec 2025) is not an ISO entity: not listed."
        ],
    ),
    "SPM": dict(aliases=["St Pierre and Miquelon", "St. Pierre and Miquelon"]),
    "SRB": dict(
        c_demonyms="Serb(s) also Bosnian/Kosovo Serbs: longest-match on 'Bosnian'/'Kosovo' first"
    ),
    "STP": dict(aliases=["São Tomé and Príncipe", "São Tomé e Príncipe"]),
    "SUR": dict(aliases=["Surinam"]),
    "SVK": dict(aliases=["Slovak Republic"]),
    "SWE": dict(c_demonyms="'Swede' case-sensitive (the vegetable)"),
    "SWZ": dict(historical=["Swaziland"], aliases=["Kingdom of Eswatini"]),
    "SXM": dict(
        official="Sint Maarten",
        aliases=["St Maarten", "St. Maarten"],
        note=["Dutch part of the island shared with Saint Martin (MAF)."],
    ),
    "SYC": dict(aliases=["the Seychelles"]),
    "SYR": dict(
        aliases=["Syrian Arab Republic"],
        military=["Syrian Arab Army"],
        note=[
            "Assad government fell on 2024-12-08; interim government under Ahmed al-Sharaa since.",
            "HTS (which led the offensive) is in groups.yaml.",
        ],
        c_military="Assad-era army name; 'SAA' left out (ambiguous)",
    ),
    "TCA": dict(aliases=["Turks and Caicos"]),
    "TCD": dict(c_aliases="'Chad' also a first name; kept"),
    "THA": dict(historical=["Siam"], military=["Royal Thai Army", "Royal Thai Armed Forces"]),
    "TKM": dict(c_demonyms="'Turkmen' also the Turkmen minority of Iraq/Syria"),
    "TLS": dict(
        aliases=["Timor-Leste", "Timor Leste"], official="Democratic Republic of Timor-Leste"
    ),
    "TTO": dict(aliases=["Trinidad"]),
    "TUR": dict(
        aliases=["Türkiye", "Turkiye", "Republic of Türkiye"],
        official="Republic of Türkiye",
        military=["Turkish Armed Forces", "TSK"],
        intelligence=["MİT", "Turkish National Intelligence Organization"],
        legislature=["Grand National Assembly", "TBMM"],
        c_aliases="'Turkey' must be matched case-sensitively (the bird)",
        c_demonyms="singular 'Turk' left out: it is also the ASCII spelling of UN rights chief Volker Türk's surname",
        c_intelligence="ASCII 'MIT' left out (Massachusetts Institute of Technology)",
        exclude=["Turks and Caicos"],
    ),
    "TWN": dict(
        aliases=["Republic of China", "ROC", "Chinese Taipei"],
        official="Republic of China",
        historical=["Formosa"],
        legislature=["Legislative Yuan"],
        military=["Republic of China Armed Forces"],
        c_aliases="'Chinese Taipei' = name used at the Olympics, APEC, WHO",
    ),
    "TZA": dict(
        aliases=["United Republic of Tanzania"],
        c_capitals="Dodoma is the official capital; Dar es Salaam still hosts much of government",
    ),
    "UGA": dict(
        military=["Uganda People's Defence Force", "Uganda People's Defence Forces", "UPDF"]
    ),
    "UKR": dict(
        historical=["the Ukraine"],
        seats=["Bankova"],
        military=[
            "Armed Forces of Ukraine",
            "Ukrainian Armed Forces",
            "ZSU",
            "National Guard of Ukraine",
        ],
        intelligence=["SBU", "Security Service of Ukraine", "HUR", "GUR"],
        legislature=["Verkhovna Rada", "Rada"],
        c_capitals="both spellings: Kyiv (current) and Kiev (older/Russian transliteration)",
        c_intelligence="HUR/GUR = military intelligence directorate",
    ),
    "UMI": dict(aliases=["US Minor Outlying Islands", "U.S. Minor Outlying Islands"]),
    "USA": dict(
        aliases=[
            "United States",
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "America",
            "United States of America",
        ],
        seats=[
            "the White House",
            "White House",
            "the Oval Office",
            "Oval Office",
            "the State Department",
            "State Department",
            "Department of State",
            "Foggy Bottom",
            "Treasury Department",
            "Department of the Treasury",
        ],
        military=[
            "the Pentagon",
            "Pentagon",
            "Department of Defense",
            "Defense Department",
            "Department of War",
            "War Department",
            "US Central Command",
            "U.S. Central Command",
            "CENTCOM",
            "Central Command",
            "INDOPACOM",
            "Indo-Pacific Command",
            "AFRICOM",
            "Africa Command",
            "EUCOM",
            "European Command",
            "SOUTHCOM",
            "Southern Command",
            "US Forces Korea",
            "USFK",
            "Seventh Fleet",
            "7th Fleet",
            "Sixth Fleet",
            "6th Fleet",
            "Fifth Fleet",
            "5th Fleet",
            "Joint Chiefs of Staff",
        ],
        legislature=["Congress", "US Congress", "U.S. Congress", "Capitol Hill", "the Capitol"],
        intelligence=[
            "CIA",
            "Central Intelligence Agency",
            "National Security Agency",
            "Office of the Director of National Intelligence",
            "ODNI",
            "Defense Intelligence Agency",
        ],
        police=[
            "FBI",
            "Federal Bureau of Investigation",
            "Immigration and Customs Enforcement",
            "Drug Enforcement Administration",
            "DEA",
        ],
        exclude=[
            "Latin America",
            "Latin American",
            "Latin Americans",
            "South America",
            "South American",
            "Central America",
            "Central American",
            "Central Americans",
            "North America",
            "North American",
            "Native American",
            "Native Americans",
            "American Samoa",
            "Voice of America",
            "Bank of America",
            "Washington state",
            "Washington State",
            "George Washington",
            "Washington Post",
            "Indian National Congress",
            "Congress party",
            "African National Congress",
            "National People's Congress",
            "World Uyghur Congress",
        ],
        c_aliases="'US' must be matched case-sensitively (pronoun 'us'); 'America' also the continents (see exclude)",
        c_military="the Pentagon is listed as MIL (Defense Department), not as a GOV seat; 'Department of War' = 2025 secondary name",
        c_legislature="'Congress' alone is also India's Congress party and other countries' congresses (see exclude)",
        c_intelligence="bare 'NSA' left out (also 'national security adviser')",
        note=[
            "The name carries the article as news writes it ('the United States'); bare form is an alias."
        ],
    ),
    "VAT": dict(
        name="Vatican",
        aliases=["the Vatican", "Holy See", "the Holy See", "Vatican City", "Vatican City State"],
        official="Holy See",
    ),
    "VCT": dict(
        aliases=[
            "St Vincent and the Grenadines",
            "St. Vincent and the Grenadines",
            "St Vincent",
            "St. Vincent",
        ]
    ),
    "VEN": dict(
        aliases=["Bolivarian Republic of Venezuela"],
        seats=["Miraflores", "Miraflores Palace"],
        military=["Bolivarian National Armed Forces", "FANB"],
    ),
    "VGB": dict(aliases=["BVI"]),
    "VIR": dict(aliases=["U.S. Virgin Islands", "United States Virgin Islands", "USVI"]),
    "VNM": dict(
        aliases=["Viet Nam"], military=["People's Army of Vietnam", "Vietnam People's Army"]
    ),
    "WSM": dict(historical=["Western Samoa"]),
    "XKX": dict(
        official="Republic of Kosovo",
        note=[
            "Not in ISO 3166-1: XKX is the user-assigned code in common use (EU, IMF, many datasets).",
            "Independence declared 2008; recognised by about half of UN members, not by Serbia.",
        ],
    ),
    "YEM": dict(
        c_capitals="Sanaa is held by the Houthis since 2014 (a 'Sanaa' metonym often means them);"
        " Aden = seat of the internationally recognised government"
    ),
    "ZAF": dict(
        seats=["Union Buildings"],
        military=["South African National Defence Force", "SANDF"],
        c_capitals="Pretoria = executive capital; Cape Town (legislative) left out",
    ),
    "ZWE": dict(
        historical=["Rhodesia"],
        c_historical="Rhodesia = pre-1980 white-minority state; historical references",
    ),
}


# Names and demonyms that archives (1970s-2000s news) still use, kept apart from EXTRA so the
# modern entries above stay readable; merged into EXTRA below.
ARCHIVE_NAMES: dict[str, dict[str, list[str]]] = {
    "BEN": {
        "historical": ["Dahomey"],
        "demonyms": ["Dahomeyan", "Dahomeyans"],
    },
    "COD": {
        "demonyms": ["Zairean", "Zaireans", "Zairian", "Zairians"],
    },
    "DEU": {
        "historical": ["West Germany", "East Germany", "German Democratic Republic"],
        "demonyms": ["West German", "West Germans", "East German", "East Germans"],
    },
    "KHM": {
        "historical": ["Democratic Kampuchea", "People's Republic of Kampuchea", "Khmer Republic"],
        "demonyms": ["Kampuchean", "Kampucheans"],
    },
    "LKA": {
        "demonyms": ["Ceylonese"],
    },
    "RUS": {
        "historical": ["the Soviet Union", "Union of Soviet Socialist Republics"],
        "demonyms": ["Soviet", "Soviets"],
        "exclude": ["post-Soviet", "Post-Soviet", "former Soviet", "Former Soviet", "ex-Soviet", "Ex-Soviet", "Soviet-era", "Soviet era", "Soviet-made", "Soviet-built", "Soviet-designed", "Soviet-style"],
    },
    "SRB": {
        "historical": ["Yugoslavia", "Federal Republic of Yugoslavia", "Socialist Federal Republic of Yugoslavia", "Serbia and Montenegro"],
        "demonyms": ["Yugoslav", "Yugoslavs", "Yugoslavian", "Yugoslavians"],
    },
    "ZWE": {
        "historical": ["Zimbabwe Rhodesia", "Zimbabwe-Rhodesia"],
        "demonyms": ["Rhodesian", "Rhodesians"],
    },
}
for _code, _keys in ARCHIVE_NAMES.items():
    _entry = EXTRA.setdefault(_code, {})
    for _key, _names in _keys.items():
        _entry[_key] = [*_entry.get(_key, []), *_names]

# pycountry entries whose official name is missing or wrong for our purposes are set in EXTRA.
KOSOVO = ("XKX", "Kosovo", "Republic of Kosovo")

HEADER = """\
# countries.yaml -- states and territories as actors (GENERATED: edit tools/build_countries.py).
#
# Every ISO 3166-1 entry (from pycountry) plus Kosovo (XKX). The skeleton (code, official name)
# is from pycountry; names as news writes them, aliases, demonyms, capitals used as metonyms,
# seats of power and institution names were hand-curated from general knowledge of world
# affairs. No event-coding dictionary (PETRARCH/Phoenix/ICEWS) or annotated data was used.
#
# Sector implied by each list:  aliases/historical/demonyms/capitals -> the state itself (no
# sector, a cue word supplies it); seats -> GOV; military -> MIL; legislature -> LEG;
# intelligence -> SPY; police -> COP.
# Extra keys beyond SCHEMA.md: legislature, intelligence, police (as above) and `exclude`:
# longer phrases that contain one of the entry's names but must NOT be coded as this actor
# (e.g. "Latin America" for USA's "America"); a matcher should try them before the aliases.
# Matching should be case-sensitive for short all-caps aliases (US, CAR, ROK) and for names
# that are also English words (Turkey, Chad, Jordan, Poles, Swede).
# Data as of early 2026.
"""


def _scalar(s: str) -> str:
    """Plain YAML scalar when it round-trips in a flow sequence, else double-quoted."""
    if (
        s
        and not any(ch in s for ch in ',[]{}#:"')
        and not s.startswith(("'", "&", "*", "!", "|", ">", "%", "@", "`", "-", "?"))
    ):
        try:
            if yaml.safe_load(f"[{s}]") == [s]:
                return s
        except yaml.YAMLError:
            pass
    return json.dumps(s, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_scalar(x) for x in items) + "]"


def _dedup(items):
    seen, out = set(), []
    for x in items:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


def parse_base():
    rows = {}
    for line in BASE.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        code, name, dem, caps = parts
        # a quoted item may contain a comma ("Washington, D.C.")
        caps_l = [c.strip().strip('"') for c in yaml.safe_load(f"[{caps}]")] if caps else []
        dem_l = [d.strip() for d in dem.split(",") if d.strip()] if dem else []
        rows[code] = dict(name=name, demonyms=dem_l, capitals=caps_l)
    return rows


def build() -> str:
    import pycountry

    base = parse_base()
    iso = {c.alpha_3: c for c in pycountry.countries}
    codes = sorted(set(iso) | {KOSOVO[0]})
    missing = [c for c in codes if c not in base]
    extra_base = [c for c in base if c not in codes]
    if missing or extra_base:
        sys.exit(f"BASE out of sync with pycountry: missing={missing} unknown={extra_base}")
    unknown_extra = [c for c in EXTRA if c not in codes]
    if unknown_extra:
        sys.exit(f"EXTRA has unknown codes: {unknown_extra}")

    out = [HEADER, "countries:"]
    for code in codes:
        b, e = base[code], EXTRA.get(code, {})
        name = e.get("name", b["name"])
        if code == KOSOVO[0]:
            official = e.get("official", KOSOVO[2])
            py_names = []
        else:
            c = iso[code]
            official = e.get("official") or getattr(c, "official_name", None) or c.name
            if official.lower().startswith("the "):
                official = official[4:]
            if (
                ", " in official
                and " of" in official.split(", ")[-1]
                or "(" in official
                and code != "CCK"
            ):
                sys.exit(
                    f"{code}: official name {official!r} is an inverted ISO form: set it in EXTRA"
                )
            # pycountry names usable as aliases (skip inverted "Korea, Republic of" forms)
            py_names = [
                n
                for n in (c.name, getattr(c, "common_name", None))
                if n and "," not in n and "(" not in n and not e.get("no_py_names")
            ]
        aliases = list(e.get("aliases", []))
        aliases += [n for n in py_names if n != name]
        aliases = _dedup([a for a in aliases if a != name])
        fields = {
            "aliases": aliases,
            "historical": _dedup(e.get("historical", [])),
            "demonyms": _dedup(b["demonyms"] + e.get("demonyms", [])),
            "capitals": _dedup(e.get("capitals", b["capitals"])),
            "seats": _dedup(e.get("seats", [])),
            "military": _dedup(e.get("military", [])),
        }
        for k in EXTRA_KEYS:
            if e.get(k):
                fields[k] = _dedup(e[k])

        out.append("")
        for line in e.get("note", []):
            out.append(f"  # {line}")
        if code in SKIPPED_CAPITALS:
            out.append(f"  # capital not listed: {SKIPPED_CAPITALS[code]}")
        out.append(f"  - code: {code}")
        out.append(f"    name: {_scalar(name)}")
        out.append(f"    official: {_scalar(official)}")
        for k, v in fields.items():
            line = f"    {k}: {_flow(v)}"
            if e.get(f"c_{k}"):
                line += f"  # {e[f'c_{k}']}"
            out.append(line)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Validation of all four hand-written files
# --------------------------------------------------------------------------------------------
SECTORS = {
    "GOV",
    "MIL",
    "REB",
    "ISM",
    "OPP",
    "PTY",
    "LEG",
    "JUD",
    "COP",
    "SPY",
    "BUS",
    "MED",
    "CVL",
    "LAB",
    "EDU",
    "HLH",
    "REF",
    "NGO",
    "IGO",
    "ELI",
    "CRM",
    "UAF",
    "SEP",
}
NAME_KEYS = [
    "name",
    "aliases",
    "historical",
    "demonyms",
    "capitals",
    "seats",
    "military",
    "legislature",
    "intelligence",
    "police",
]


def check() -> int:
    problems, warnings = [], []
    docs = {}
    for fn in ["countries", "organisations", "groups", "sectors"]:
        path = ACTORS / f"{fn}.yaml"
        with open(path, encoding="utf-8") as fh:
            docs[fn] = yaml.safe_load(fh)
        if not isinstance(docs[fn], dict) or fn not in docs[fn]:
            problems.append(f"{fn}.yaml: missing top-level key '{fn}'")

    countries = docs["countries"]["countries"]
    orgs = docs["organisations"]["organisations"]
    groups = docs["groups"]["groups"]
    sectors = docs["sectors"]["sectors"]

    codes: dict[str, str] = {}
    iso_codes = set()
    for c in countries:
        for k in ["code", "name"]:
            if not c.get(k):
                problems.append(f"country without {k}: {c}")
        if c["code"] in codes:
            problems.append(f"duplicate code {c['code']}")
        codes[c["code"]] = "countries"
        iso_codes.add(c["code"])
        for k in LIST_KEYS:
            if not isinstance(c.get(k), list):
                problems.append(f"{c['code']}: {k} must be a list")
    for o in orgs:
        for k in ["code", "name", "aliases"]:
            if k not in o:
                problems.append(f"organisation without {k}: {o.get('code')}")
        if o["code"] in codes:
            problems.append(f"duplicate code {o['code']} ({codes[o['code']]} and organisations)")
        codes[o["code"]] = "organisations"
        if o.get("sector") is not None and o["sector"] not in SECTORS:
            problems.append(f"{o['code']}: bad sector {o['sector']}")
        for m in o.get("members") or []:
            if m not in iso_codes:
                problems.append(f"{o['code']}: member {m} is not a country code")
        for m in o.get("member_since") or {}:
            if m not in (o.get("members") or []):
                problems.append(f"{o['code']}: member_since {m} not in members")
        if o.get("parent") and o["parent"] not in {x["code"] for x in orgs}:
            problems.append(f"{o['code']}: unknown parent {o['parent']}")
    ids = set()
    for g in groups:
        for k in ["id", "name", "aliases", "country", "sector", "active"]:
            if k not in g:
                problems.append(f"group without {k}: {g.get('id')}")
        if g["id"] in ids or g["id"] in codes:
            problems.append(f"duplicate group id {g['id']}")
        ids.add(g["id"])
        for cc in [g.get("country")] + list(g.get("countries") or []):
            if cc not in iso_codes:
                problems.append(f"{g['id']}: unknown country {cc}")
        if g.get("sector") not in SECTORS:
            problems.append(f"{g['id']}: bad sector {g.get('sector')}")
        a = g.get("active")
        if not (
            isinstance(a, list)
            and len(a) == 2
            and isinstance(a[0], int)
            and (a[1] is None or (isinstance(a[1], int) and a[1] >= a[0]))
        ):
            problems.append(f"{g['id']}: bad active {a}")

    # alias namespace across countries / organisations / groups
    owner: dict[str, set] = {}
    owner_ci: dict[str, set] = {}

    def add(s, who):
        if not isinstance(s, str) or not s.strip():
            problems.append(f"{who}: empty or non-string name {s!r}")
            return
        if s != s.strip():
            problems.append(f"{who}: whitespace around {s!r}")
        owner.setdefault(s, set()).add(who)
        owner_ci.setdefault(s.casefold(), set()).add(who)

    for c in countries:
        for k in NAME_KEYS:
            v = c.get(k)
            for s in [v] if isinstance(v, str) else (v or []):
                add(s, c["code"])
        if c.get("official"):
            add(c["official"], c["code"])
    for o in orgs:
        for s in [o["name"]] + list(o.get("aliases") or []) + list(o.get("demonyms") or []):
            add(s, o["code"])
    for g in groups:
        for s in [g["name"]] + list(g["aliases"] or []):
            add(s, "group:" + g["id"])
    for s, who in sorted(owner.items()):
        if len(who) > 1:
            problems.append(f"alias collision {s!r}: {sorted(who)}")
    for s, who in sorted(owner_ci.items()):
        if len(who) > 1:
            exact = sorted(k for k in owner if k.casefold() == s)
            if not any(len(owner[k]) > 1 for k in exact):  # exact ones already reported
                warnings.append(f"case-only collision {exact}: {sorted(who)}")

    # sectors: each cue in one sector, lower-case, known codes
    seen: dict[str, str] = {}
    for sec, cues in sectors.items():
        if sec not in SECTORS:
            problems.append(f"sectors: unknown sector {sec}")
        for cue in cues:
            if not isinstance(cue, str) or cue != cue.lower() or cue != cue.strip():
                problems.append(f"sectors.{sec}: cue not lower-case/stripped: {cue!r}")
            if cue in seen:
                problems.append(f"sector cue {cue!r} in both {seen[cue]} and {sec}")
            seen[cue] = sec
    # cue that is also an actor alias
    for cue in seen:
        for s in owner_ci.get(cue.casefold(), ()):
            warnings.append(f"sector cue {cue!r} is also an actor name of {s}")

    print(
        f"countries: {len(countries)}  organisations: {len(orgs)}  groups: {len(groups)}  "
        f"sector cues: {len(seen)} in {len(sectors)} sectors  actor names: {len(owner)}"
    )
    for w in warnings:
        print("warning:", w)
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--check", action="store_true", help="validate the four actor files, do not build"
    )
    args = ap.parse_args()
    if args.check:
        return check()
    OUT.write_text(build(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
