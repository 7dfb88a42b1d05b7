"""Hand-coded event sets for the analysis tests: the two seed articles, and a camp switch.

The seed events say what the two articles in shared/seeds report, coded the way the extractor
is meant to code them (expected.yaml lists the same events). The camp switch is synthetic: dated
reports over three months in which one state leaves one camp for the other. It is a test
fixture, not a claim about the world.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.eventdb import EventDB

SEED_000 = "000_fa228e5f52996d4d"
SEED_004 = "004_b8bba668440c413e"


def seed_events(db: EventDB) -> None:
    """What the two seed articles report, one event per reported act (evidence verbatim)."""
    a = db.doc(outlet=None, published=None, title=None, doc_id=SEED_000,
               text="North Korea's support for Russia ... (seed 000)")
    b = db.doc(outlet="Evrim Ağacı", published="2024-11-13", doc_id=SEED_004,
               title="Russia And North Korea Forge Unlikely Alliance To Challenge The West",
               text="Amidst the chaotic backdrop of Russia's conflict with Ukraine ... (seed 004)")
    ev = db.event
    ev(a, "SUPPORT", "PRK", "RUS", "asserted", evidence=(
        "North Korean leader Kim Jong Un’s declaration of “unconditional support” for Moscow "
        "highlights not only the deepening ties between the two nations but also raises serious "
        "concerns for global stability, security, and international relations."))
    ev(a, "AID", "USA", "UKR", "asserted", mode="military", evidence=(
        "The U.S. has ramped up military support for Ukraine, which includes the provision of "
        "advanced weaponry such as Patriot air defense systems, designed to counteract Russian "
        "aggression."))
    ev(a, "AID", "PRK", "RUS", "reported", mode="personnel", attribution="Reports",
       quantity={"value": 11000, "unit": "troops", "approx": True,
                 "text": "an estimated 11,000 troops"},
       evidence=("Reports indicate that North Korea has sent an estimated 11,000 troops to "
                 "assist Russian forces, a decision that raises alarm bells for military "
                 "analysts and international security experts."))
    ev(a, "AID", "PRK", "RUS", "intended", mode="economic",
       quantity={"value": "thousands", "unit": "workers", "text": "thousands of workers"},
       evidence=("Additionally, North Korea’s offer to send thousands of workers to help rebuild "
                 "damages in Russia’s Kursk region underlines the depth of their partnership."))
    day = "2024-11-13"
    ev(b, "AID", "PRK", "RUS", "reported", date=day, mode="military", attribution="reports",
       evidence=("Recent reports suggest North Korea is actively supporting Russia’s military "
                 "campaign, defying its economic limitations to provide supplies of artillery, "
                 "rockets, and short-range ballistic missiles."))
    ev(b, "AID", "CHN", "RUS", "asserted", date=day, mode="economic", evidence=(
        "Meanwhile, China, though it maintains a facade of restraint, is covertly bolstering "
        "Russia's war economy with technology and resources."))
    ev(b, "AID", "IRN", "RUS", "asserted", date=day, mode="military", evidence=(
        "Iran complements this trio by providing drones and strategic logistical support, "
        "creating a loosely knit coalition opposed to Western interests and ideologies."))
    ev(b, "ACCUSE", "UKR", "PRK", "asserted", date=day, evidence=(
        "President Volodymyr Zelenskyy has voiced concerns about North Korea’s involvement, "
        "which adds another layer of complexity to the conflict."))
    ev(b, "SUPPORT", "PRK", "RUS", "asserted", date=day, evidence=(
        "Choe Son-hui, North Korea’s Foreign Minister, even termed the invasion of Ukraine as "
        "part of Russia’s “holy war,” marrying ideological fervor with military ambition."))
    ev(b, "ASSAULT", "RUS", "UKR", "asserted", date=day, evidence=(
        "Decisions made during this transitional period could either strengthen Ukraine's "
        "defenses or leave them vulnerable to increasingly aggressive maneuvers by Russia and "
        "its allies."))
    ev(b, "AID", "USA", "UKR", "asserted", date=day, evidence=(
        "The Biden administration’s strategy hinges on providing Ukraine with the necessary "
        "resources to thwart Russian advances."))
    ev(b, "AID", "PRK", "RUS", "reported", date=day, mode="personnel",
       quantity={"value": "thousands", "unit": "troops",
                 "text": "thousands of North Korean troops"},
       evidence=("With thousands of North Korean troops reportedly deployed to support Russian "
                 "efforts, the stakes are rising."))
    # Speculation and advice in the articles are not events: coded as such, they must not count.
    ev(a, "COOPERATE", "CHN", "PRK", "speculative", evidence=(
        "Beijing ... may choose to facilitate these relationships further."))
    db.flush()


# -- the camp switch ---------------------------------------------------------------------------
WEST = ["USA", "GBR", "FRA", "DEU", "POL"]
EAST = ["RUS", "CHN", "IRN", "BLR"]
MOVER = "TUR"
OUTLETS = ["Compass Wire", "Harbourline", "Eastmark", "Granite Observer", "Meridian Post"]
SENTENCES = {
    "AGREE": "{s} and {t} signed an agreement to deepen cooperation, officials said.",
    "CONSULT": "The foreign ministers of {s} and {t} met to discuss regional security.",
    "SUPPORT": "{s} voiced strong support for {t}'s position at the summit.",
    "COOPERATE": "{s} and {t} launched joint military exercises near the border.",
    "AID": "{s} delivered a new package of military aid to {t}.",
    "ACCUSE": "{s} accused {t} of destabilising the region.",
    "REJECT": "{s} rejected {t}'s proposal outright.",
    "THREATEN": "{s} warned {t} of serious consequences.",
    "SANCTION": "{s} imposed new sanctions on {t}'s defence sector.",
    "PROTEST": "{s} summoned {t}'s ambassador in protest.",
}
NAMES = {"USA": "the United States", "GBR": "Britain", "FRA": "France", "DEU": "Germany",
         "POL": "Poland", "RUS": "Russia", "CHN": "China", "IRN": "Iran", "BLR": "Belarus",
         "TUR": "Turkey"}


def _report(db: EventDB, day: date, type_: str, s: str, t: str, outlets: int = 2,
            modality: str = "asserted", n: list[int] | None = None) -> None:
    """One event reported by `outlets` outlets on consecutive days (one story)."""
    counter = n if n is not None else [0]
    for k in range(outlets):
        counter[0] += 1
        outlet = OUTLETS[(counter[0] + k) % len(OUTLETS)]
        published = day + timedelta(days=k)
        sentence = SENTENCES[type_].format(s=NAMES[s], t=NAMES[t])
        sentence = sentence[0].upper() + sentence[1:]
        slug = f"{s}-{type_}-{t}".lower()
        doc = db.doc(outlet=outlet, published=published, title=sentence.rstrip("."),
                     url=f"https://news.example/{outlet.split()[0].lower()}/{published}/{slug}",
                     text=f"{sentence} ({outlet} {published} #{counter[0]})")
        db.event(doc, type_, s, t, modality, date=day.isoformat(), evidence=sentence)


def camp_switch(db: EventDB) -> None:
    """Three months (Jan-Mar 2025): two stable camps; TUR goes from the West to the East."""
    counter = [0]

    def r(day: date, type_: str, s: str, t: str, outlets: int = 2,
          modality: str = "asserted") -> None:
        _report(db, day, type_, s, t, outlets, modality, counter)

    for month in (1, 2, 3):
        for week in range(4):
            d = date(2025, month, 3 + 7 * week)
            # The camps hold together every week ...
            r(d, "CONSULT", "USA", "GBR")
            r(d, "AID", "USA", "POL", 3)
            r(d + timedelta(days=1), "AGREE", "FRA", "DEU")
            r(d + timedelta(days=2), "COOPERATE", "GBR", "FRA", 1)
            r(d + timedelta(days=2), "SUPPORT", "DEU", "POL", 1)
            r(d + timedelta(days=3), "AGREE", "USA", "DEU", 2)
            r(d + timedelta(days=4), "AID", "FRA", "POL", 1)
            r(d, "AID", "RUS", "BLR", 2)
            r(d + timedelta(days=1), "COOPERATE", "CHN", "RUS", 3)
            r(d + timedelta(days=2), "AID", "IRN", "RUS", 2, "reported")
            r(d + timedelta(days=3), "SUPPORT", "BLR", "RUS", 1)
            # ... and stand against each other.
            r(d + timedelta(days=3), "SANCTION", "USA", "RUS", 2)
            r(d + timedelta(days=4), "THREATEN", "RUS", "POL", 1)
            if week % 2 == 0:
                r(d + timedelta(days=4), "ACCUSE", "GBR", "IRN", 1)
                r(d + timedelta(days=4), "REJECT", "CHN", "USA", 1)
            # The mover.
            if month == 1:
                r(d + timedelta(days=1), "AGREE", MOVER, "USA", 2)
                r(d + timedelta(days=2), "COOPERATE", MOVER, "GBR", 2)
                r(d + timedelta(days=3), "AID", "USA", MOVER, 1)
                if week % 2 == 1:
                    r(d + timedelta(days=4), "ACCUSE", MOVER, "RUS", 1)
            elif month == 2:
                r(d + timedelta(days=1), "CONSULT", MOVER, "RUS", 1)
                r(d + timedelta(days=2), "CONSULT", MOVER, "USA", 1)
            else:
                r(d + timedelta(days=1), "AGREE", MOVER, "RUS", 3)
                r(d + timedelta(days=2), "COOPERATE", MOVER, "CHN", 2)
                r(d + timedelta(days=3), "AID", "RUS", MOVER, 2)
                if week % 2 == 1:
                    r(d + timedelta(days=4), "ACCUSE", MOVER, "USA", 2)
                    r(d + timedelta(days=4), "SANCTION", "USA", MOVER, 1)
    db.flush()
