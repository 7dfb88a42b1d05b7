"""Event dates: explicit ones on their own, relative ones only against a publication date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from blocwatch.timex import EventDate, find_event_dates, resolve_event_date

PUB = date(2024, 11, 13)  # a Wednesday


@pytest.mark.parametrize(("sentence", "day", "precision", "text"), [
    ("Russia attacked Kyiv on Tuesday.", date(2024, 11, 12), "day", "on Tuesday"),
    ("On Wednesday, NATO ministers met in Brussels.", date(2024, 11, 13), "day", "On Wednesday"),
    ("Sunday's drone attack hit Odesa.", date(2024, 11, 10), "day", "Sunday's"),
    ("The talks were held last Wednesday.", date(2024, 11, 6), "day", "last Wednesday"),
    ("He arrived yesterday.", date(2024, 11, 12), "day", "yesterday"),
    ("The strike came last night.", date(2024, 11, 12), "day", "last night"),
    ("Three days ago the convoy left.", date(2024, 11, 10), "day", "Three days ago"),
    ("The talks ended last week.", date(2024, 11, 4), "week", "last week"),
    ("Envoys met earlier this week.", date(2024, 11, 11), "week", "earlier this week"),
    ("Two weeks ago, Iran shipped drones.", date(2024, 10, 28), "week", "Two weeks ago"),
    ("Prices rose this month.", date(2024, 11, 1), "month", "this month"),
    ("Last month the minister resigned.", date(2024, 10, 1), "month", "Last month"),
    ("It happened in June.", date(2024, 6, 1), "month", "in June"),
    ("Troops crossed the border in February.", date(2024, 2, 1), "month", "in February"),
    ("Earlier this year, China hosted the talks.", date(2024, 1, 1), "year", "Earlier this year"),
    ("Sanctions were eased last year.", date(2023, 1, 1), "year", "last year"),
    ("The treaty was signed in 1988.", date(1988, 1, 1), "year", "in 1988"),
    ("The offensive began in early 2023.", date(2023, 1, 1), "year", "in early 2023"),
    ("Troops arrived on 13 November 2024.", date(2024, 11, 13), "day", "on 13 November 2024"),
    ("Kim visited Moscow on November 5, 2024.", date(2024, 11, 5), "day", "on November 5, 2024"),
    ("Talks resumed on Nov. 5, 2024.", date(2024, 11, 5), "day", "on Nov. 5, 2024"),
    ("Iran delivered drones in October 2024.", date(2024, 10, 1), "month", "in October 2024"),
    ("The report is dated 2024-11-05.", date(2024, 11, 5), "day", "2024-11-05"),
    ("On 5 November, officials said, the deal was signed.", date(2024, 11, 5), "day",
     "On 5 November"),
    ("The March 3 attack killed 12.", date(2024, 3, 3), "day", "March 3"),
])
def test_resolves(sentence, day, precision, text):
    got = resolve_event_date(sentence, PUB)
    assert got is not None, sentence
    assert (got.date, got.precision, got.text) == (day, precision, text)
    assert sentence[got.start:got.end] == got.text


@pytest.mark.parametrize(("sentence", "day"), [
    ("Ministers will meet on Friday.", date(2024, 11, 15)),
    ("The summit is scheduled for 20 November.", date(2024, 11, 20)),
    ("Talks will resume next Tuesday.", date(2024, 11, 19)),
    ("Elections are due to be held in January.", date(2025, 1, 1)),
])
def test_future_sentences_read_forward(sentence, day):
    assert resolve_event_date(sentence, PUB).date == day


def test_same_weekday_as_publication_is_that_day():
    assert resolve_event_date("NATO met on Wednesday.", PUB).date == PUB
    assert resolve_event_date("NATO met last Wednesday.", PUB).date == date(2024, 11, 6)


def test_day_without_year_more_than_a_month_ahead_is_last_year():
    assert resolve_event_date("Talks began on 20 December.", PUB).date == date(2023, 12, 20)
    assert resolve_event_date("Talks began on 1 December.", PUB).date == date(2024, 12, 1)
    # A month is read the same way: next month is still this year, later ones last year.
    assert resolve_event_date("Talks began in December.", PUB).date == date(2024, 12, 1)
    assert resolve_event_date("Talks began in January.", date(2024, 11, 1)).date == \
        date(2024, 1, 1)


def test_weekend_and_year_boundaries():
    monday = date(2024, 11, 11)
    assert resolve_event_date("Rallies were held over the weekend.", monday).date == \
        date(2024, 11, 4)
    january = date(2025, 1, 8)
    assert resolve_event_date("Kyiv was shelled last month.", january).date == date(2024, 12, 1)
    assert resolve_event_date("It began in December.", january).date == date(2024, 12, 1)
    assert resolve_event_date("It began last week.", january).date == date(2024, 12, 30)


@pytest.mark.parametrize("sentence", [
    "Russia attacked Kyiv on Tuesday.",
    "The talks ended last week.",
    "He arrived yesterday.",
    "Earlier this year, China hosted the talks.",
    "It happened in June.",
    "On 5 November, troops arrived.",
])
def test_relative_needs_publication_date(sentence):
    assert resolve_event_date(sentence, None) is None


@pytest.mark.parametrize(("sentence", "day"), [
    ("Troops arrived on 13 November 2024.", date(2024, 11, 13)),
    ("The treaty was signed in 1988.", date(1988, 1, 1)),
    ("Iran delivered drones in October 2024.", date(2024, 10, 1)),
])
def test_absolute_without_publication_date(sentence, day):
    assert resolve_event_date(sentence, None).date == day


@pytest.mark.parametrize("sentence", [
    "Russia has occupied Crimea since 2014.",
    "The fund runs until June 2025.",
    "Ukraine's 2022 counteroffensive surprised Moscow.",
    "Russia may invade.",
    "Officials may 5 times have said so.",
    "In the 1990s the alliance grew.",
    "North Korea sent 11,000 troops.",
])
def test_no_event_date(sentence):
    assert resolve_event_date(sentence, PUB) is None


def test_first_resolvable_expression_wins():
    sentence = "On Tuesday officials said the strike happened in October 2024."
    assert resolve_event_date(sentence, PUB).text == "On Tuesday"
    assert resolve_event_date(sentence, None).text == "in October 2024"
    assert [d.text for d in find_event_dates(sentence, PUB)] == ["On Tuesday", "in October 2024"]


def test_publication_date_forms():
    for published in (PUB, datetime(2024, 11, 13, 9, 30), "2024-11-13", "13 November 2024"):
        assert resolve_event_date("He arrived yesterday.", published).date == date(2024, 11, 12)


def test_to_json():
    got = resolve_event_date("Troops arrived on 13 November 2024.", None)
    assert isinstance(got, EventDate)
    assert got.to_json() == {"date": "2024-11-13", "date_precision": "day",
                             "date_text": "on 13 November 2024"}
