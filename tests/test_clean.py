"""The clean stage on real seeds, invented page dumps, a real-looking HTML page and raw bytes."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest
import yaml

from blocwatch.clean import clean_text, decode_bytes, extract_html, looks_binary, parse_date

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
AEB = SHARED / "data" / "scrapinghub_aeb"


# --------------------------------------------------------------------------------------------
# The seed articles and their hand-written expectations
# --------------------------------------------------------------------------------------------


def _seed_expectations() -> dict:
    if not (SEEDS / "expected.yaml").exists():
        pytest.skip(f"seed expectations not found at {SEEDS} (shared data not mounted)")
    return yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))["documents"]


@pytest.mark.parametrize("name", ["000_fa228e5f52996d4d.txt", "004_b8bba668440c413e.txt"])
def test_seed_metadata(name: str) -> None:
    expected = _seed_expectations()[name]["metadata"]
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed file {path} not found")
    raw = path.read_text(encoding="utf-8")
    got = clean_text(raw)
    assert got.title == expected.get("title")
    published = expected.get("published")
    assert got.published == (published if published is None else date.fromisoformat(str(published)))
    if "section" in expected:
        assert got.section == expected["section"]
    if "body_ends_before" in expected:
        assert expected["body_ends_before"] not in got.text
        assert raw.index(got.text.splitlines()[-1]) < raw.index(expected["body_ends_before"])


def test_seed_000_is_a_bare_article_kept_whole() -> None:
    path = SEEDS / "000_fa228e5f52996d4d.txt"
    if not path.exists():
        pytest.skip(f"seed file {path} not found")
    raw = path.read_text(encoding="utf-8")
    got = clean_text(raw)
    assert got.text == raw.strip()
    assert "### Growing Military Collaboration" in got.text
    assert got.title is None and got.published is None and got.section is None


def test_seed_004_body_is_the_article_only() -> None:
    path = SEEDS / "004_b8bba668440c413e.txt"
    if not path.exists():
        pytest.skip(f"seed file {path} not found")
    got = clean_text(path.read_text(encoding="utf-8"))
    assert got.text.startswith(("New military support", "Amidst the chaotic backdrop"))
    assert got.text.endswith("on the forefront of international priorities.")
    assert "Today" not in got.text.split("\n")[0]
    assert "Energy Council" not in got.text
    assert "\n\n" in got.text  # paragraphs stay apart


# --------------------------------------------------------------------------------------------
# Page dumps written for these tests: other outlets, other furniture
# --------------------------------------------------------------------------------------------

PARA_1 = (
    "Finland formally joined NATO on Tuesday, doubling the length of the alliance's border with "
    "Russia in a historic shift brought about by Moscow's invasion of Ukraine."
)
PARA_2 = (
    "Foreign Minister Pekka Haavisto handed the accession documents to US Secretary of State "
    "Antony Blinken at the alliance headquarters in Brussels, completing the process."
)
PARA_3 = (
    "The Kremlin said it would take counter-measures to ensure its security, and warned that it "
    "would watch closely for any deployment of alliance forces on Finnish territory."
)

DUMP_NAV_SHARE = f"""Skip to main content
Home | News | World | Business | Sport | Culture
Menu
Search

Europe

Finland Joins NATO in Historic Shift for Nordic Security
By Anna Virtanen
Published: 4 April 2023 16:42 GMT
Share on Facebook
Share on Twitter

{PARA_1}

{PARA_2}

Advertisement

{PARA_3}

Read more: Sweden's bid stalls as Turkey and Hungary hold out

Related articles
Sweden's NATO bid: what happens next
Why Finland's border matters to Moscow
© 2023 Nordic Daily Herald. All rights reserved.
"""


def test_dump_with_nav_share_prompts_and_related_list() -> None:
    got = clean_text(DUMP_NAV_SHARE)
    assert got.title == "Finland Joins NATO in Historic Shift for Nordic Security"
    assert got.published == date(2023, 4, 4)
    assert got.section == "Europe"
    assert got.author == "Anna Virtanen"
    assert got.text.startswith("Finland formally joined NATO")
    assert got.text.endswith("on Finnish territory.")
    assert "Advertisement" not in got.text
    assert "Read more" not in got.text
    assert "Share on" not in got.text
    assert got.text.count("\n\n") == 2


DUMP_COOKIE_UPDATED = f"""We use cookies to improve your experience. By continuing you agree.
Accept all cookies
WORLD
POLITICS
ECONOMY

Politics
Updated: 6 April 2023

Beijing Welcomes Macron as Europe Seeks Leverage Over Ukraine War

French President Emmanuel Macron arrived in China on Wednesday for a three-day state visit.

{PARA_2}

Sign up for our morning newsletter to get the day's top stories in your inbox.

{PARA_3}

Share this article
Most read
Markets slide as oil prices jump
Markets slide as oil prices jump
Investors fled riskier assets on Thursday after…
6 April 2023
"""


def test_dump_with_cookie_notice_menu_and_updated_line() -> None:
    got = clean_text(DUMP_COOKIE_UPDATED)
    assert got.title == "Beijing Welcomes Macron as Europe Seeks Leverage Over Ukraine War"
    assert got.published == date(2023, 4, 6)  # only an "Updated" date: better than none
    assert got.section == "Politics"  # the lone label, not one of the menu's
    assert got.text.startswith("French President Emmanuel Macron arrived")
    assert got.text.endswith("on Finnish territory.")
    assert "cookie" not in got.text.lower()
    assert "newsletter" not in got.text
    assert "Markets slide" not in got.text


DUMP_CAPTION_AND_BYLINE_BLOCK = f"""Harbour Post Homepage
Skip to content
Sign in
Home
News
Sport

Ukraine war: Russia strikes Kyiv with dozens of drones overnight
3 hours ago
Share
Save
Maria Lind
Harbour Post News

Image caption,
Firefighters worked through the night in the Solomianskyi district
{PARA_1}

{PARA_2}

Related Topics
Russia-Ukraine war
More on this story
Zelensky says air defence is 'top priority'
2 days ago
"""


def test_caption_label_and_author_block_between_headline_and_body() -> None:
    got = clean_text(DUMP_CAPTION_AND_BYLINE_BLOCK)
    assert got.title == "Ukraine war: Russia strikes Kyiv with dozens of drones overnight"
    assert got.published is None  # "3 hours ago" is no date
    assert got.text.startswith("Finland formally joined")
    assert got.text.endswith("completing the process.")
    assert "Firefighters" not in got.text and "Zelensky" not in got.text


DUMP_DATE_AND_UPDATE_ON_ONE_LINE = f"""Skip to main content
World
Europe
Ukraine says it shot down 30 Iranian-made drones
By Olena Koval
March 3, 2023 10:42 AM GMT Updated 2 hours ago
{PARA_1}

{PARA_3}

Reporting by Olena Koval; Editing by Mark Brown
Our Standards: The Wire Trust Principles.
Read Next
"""


def test_date_and_update_on_one_line_with_byline_above() -> None:
    got = clean_text(DUMP_DATE_AND_UPDATE_ON_ONE_LINE)
    assert got.title == "Ukraine says it shot down 30 Iranian-made drones"
    assert got.author == "Olena Koval"
    assert got.published == date(2023, 3, 3)
    assert got.section is None  # "World" / "Europe" is a menu, not one label
    assert got.text.startswith("Finland formally joined")
    assert got.text.endswith("on Finnish territory.")


DUMP_WIRE = """Accessed on 12 January 2024
Tuesday, March 5, 2019

KYIV, March 5 (Kyiv Wire) - Ukraine and Poland agreed on Tuesday to expand grain transit \
through Polish ports, officials from both governments said after talks in Warsaw.

The deal, which still needs approval from the European Commission, would add rail capacity \
at two border crossings and cut waiting times for lorries.

"This is a practical step that helps farmers on both sides," the Ukrainian agriculture \
minister told reporters.

(Reporting by Olena Koval; Editing by Mark Brown)
"""


def test_wire_story_with_dateline_and_access_date() -> None:
    got = clean_text(DUMP_WIRE)
    assert got.published == date(2019, 3, 5)  # the date line, not the access date
    assert got.title is None
    assert got.text.startswith("KYIV, March 5 (Kyiv Wire) - Ukraine and Poland")
    assert got.text.endswith("the Ukrainian agriculture minister told reporters.")
    assert "Reporting by" not in got.text


DUMP_WIKINEWS = """Friday, January 4, 2019

The government of Bangladesh said on Thursday that it would not accept any more Rohingya \
refugees from Myanmar, citing a lack of resources.

Foreign Minister A. K. Abdul Momen told reporters in Dhaka that the country had already \
taken in more than 700,000 people since August 2017.
"""


def test_wikinews_style_leading_date_line() -> None:
    got = clean_text(DUMP_WIKINEWS)
    assert got.published == date(2019, 1, 4)
    assert got.title is None
    assert got.text.startswith("The government of Bangladesh said")
    assert "Friday" not in got.text


DUMP_MARKDOWN = f"""# Finland joins NATO

{PARA_1}

## What changes for Russia

{PARA_3}
"""


def test_markdown_title_and_subheading() -> None:
    got = clean_text(DUMP_MARKDOWN)
    assert got.title == "Finland joins NATO"
    assert got.published is None
    assert got.text.startswith("Finland formally joined")
    assert "## What changes for Russia" in got.text


DUMP_STANDFIRST_AND_TEASERS = f"""The Capital Ledger
Today: 12 May 2023

Diplomacy
Saudi Arabia and Iran Reopen Embassies After Seven-Year Rift
The Chinese-brokered deal restores full diplomatic ties between the two regional rivals
Posted on 9 May 2023 by staff

{PARA_2}

{PARA_3}

Latest
Oil exporters weigh output cuts
Oil exporters weigh output cuts
Ministers meet in Vienna next week as prices…
11 May 2023
"""


def test_standfirst_kept_with_body_and_scrape_date_ignored() -> None:
    got = clean_text(DUMP_STANDFIRST_AND_TEASERS)
    assert got.title == "Saudi Arabia and Iran Reopen Embassies After Seven-Year Rift"
    assert got.section == "Diplomacy"
    assert got.published is None or got.published == date(2023, 5, 9)
    assert got.published != date(2023, 5, 12)
    assert got.text.startswith("The Chinese-brokered deal")
    assert got.text.endswith("on Finnish territory.")
    assert "Oil exporters" not in got.text


def test_no_date_is_invented() -> None:
    got = clean_text(f"Updated 3 hours ago\n\n{PARA_1}\n\n{PARA_2}\n")
    assert got.published is None
    assert got.text.startswith("Finland formally joined")
    assert parse_date("March 5") is None  # no year: not a date we can use
    assert parse_date("2023") is None
    assert parse_date("Published: 3 March 2023 10:42 GMT") == date(2023, 3, 3)
    assert parse_date("2024-11-13T08:30:00+00:00") == date(2024, 11, 13)


def test_empty_and_furniture_only_text() -> None:
    assert clean_text("").text == ""
    assert clean_text("Share this article\nAdvertisement\n").text == ""


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Finland joins NATO | Nordic Daily Herald</title>
  <meta property="og:title" content="Finland joins NATO in historic shift">
  <meta property="og:site_name" content="Nordic Daily Herald">
  <meta property="article:published_time" content="2023-04-04T16:42:00+00:00">
  <meta property="article:section" content="Europe">
  <meta name="author" content="Anna Virtanen">
</head>
<body>
  <header><a href="/">Nordic Daily Herald</a>
    <nav><ul><li><a href="/news">News</a></li><li><a href="/world">World</a></li>
    <li><a href="/sport">Sport</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>Finland joins NATO in historic shift</h1>
      <p>{PARA_1}</p>
      <p>{PARA_2}</p>
      <p>{PARA_3}</p>
    </article>
    <aside><h2>Most read</h2><ul><li><a href="/a">Markets slide as oil jumps</a></li></ul></aside>
  </main>
  <footer><p>© 2023 Nordic Daily Herald. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a></footer>
</body>
</html>"""


def test_extract_html_body_and_metadata() -> None:
    got = extract_html(HTML_PAGE, "https://herald.example/world/finland-nato")
    assert got.text.startswith("Finland formally joined NATO")
    assert got.text.endswith("on Finnish territory.")
    assert got.text.count("\n\n") == 2
    assert "Markets slide" not in got.text and "Privacy" not in got.text
    assert got.title == "Finland joins NATO in historic shift"
    assert got.published == date(2023, 4, 4)
    assert got.outlet == "Nordic Daily Herald"
    assert got.author == "Anna Virtanen"
    assert got.language == "en"
    assert got.url == "https://herald.example/world/finland-nato"


def test_extract_html_without_metadata_invents_none() -> None:
    html = f"<html><body><div><p>{PARA_1}</p><p>{PARA_2}</p><p>{PARA_3}</p></div></body></html>"
    got = extract_html(html)
    assert "Finland formally joined NATO" in got.text
    assert got.published is None and got.outlet is None and got.author is None


def test_extract_html_of_an_empty_page() -> None:
    got = extract_html("<html><body><nav>Home</nav></body></html>")
    assert got.text == ""
    assert got.title is None and got.published is None


# --------------------------------------------------------------------------------------------
# Bytes
# --------------------------------------------------------------------------------------------

SAMPLE = "Kyiv’s café – “quoted” €5 naïve"


def test_decode_utf8_with_bom() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8")) == SAMPLE


def test_decode_utf16() -> None:
    assert decode_bytes(SAMPLE.encode("utf-16")) == SAMPLE  # with BOM
    assert decode_bytes(SAMPLE.encode("utf-16-le")) == SAMPLE  # without BOM


def test_decode_cp1252() -> None:
    text = "Pr\u00e9sident Macron said the \u201csovereignty\u201d of Europe \u2013 not \u20ac aid."
    assert decode_bytes(text.encode("cp1252")) == text


def test_decode_other_legacy_encodings() -> None:
    russian = "Президент России заявил, что переговоры продолжатся на следующей неделе."
    assert decode_bytes(russian.encode("cp1251")) == russian
    japanese = "日本政府は北朝鮮のミサイル発射を強く非難した。ミサイルは日本海に落下した。"
    assert decode_bytes(japanese.encode("shift_jis")) == japanese


def test_decode_mixed_utf8_and_cp1252() -> None:
    data = "Zelenskyy’s visit to Kyiv – day one\n".encode() + "He said \u201cthanks\u201d\n".encode(
        "cp1252"
    )
    assert decode_bytes(data) == "Zelenskyy’s visit to Kyiv – day one\nHe said \u201cthanks\u201d\n"


def test_decode_repairs_double_encoded_utf8() -> None:
    garbled = "Kyiv’s café".encode().decode("cp1252")
    assert decode_bytes(garbled.encode()) == "Kyiv’s café"


def test_looks_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256))
    assert looks_binary(png)
    assert looks_binary(b"some text\x00\x00\x01\x02 then nulls")
    assert not looks_binary("plain text – with “quotes”\n".encode())
    assert not looks_binary(SAMPLE.encode("utf-16-le"))
    assert not looks_binary(b"")


# --------------------------------------------------------------------------------------------
# The extraction benchmark harness
# --------------------------------------------------------------------------------------------


def test_evaluate_extraction_on_ten_benchmark_pages() -> None:
    if not (AEB / "ground-truth.json").exists():
        pytest.skip(f"article-extraction benchmark not found at {AEB}")
    from blocwatch.evaluate.extraction import evaluate_extraction, format_report

    result = evaluate_extraction(AEB, limit=10)
    assert result["pages"] == 10
    assert 0.0 <= result["f1"] <= 1.0
    assert result["f1"] > 0.8
    assert len(result["per_page"]) == 10
    assert "F1=" in format_report(result)


def test_clean_text_on_flattened_benchmark_pages() -> None:
    if not (AEB / "ground-truth.json").exists():
        pytest.skip(f"article-extraction benchmark not found at {AEB}")
    from blocwatch.evaluate.extraction import evaluate_extraction

    result = evaluate_extraction(AEB, limit=10, mode="text")
    assert result["pages"] == 10 and result["mode"] == "text"
    assert result["f1"] > 0.8


def test_shingle_scoring_matches_upstream_definitions() -> None:
    from blocwatch.evaluate.extraction import score_pages, shingle_counts

    text = "one two three four five six"
    assert shingle_counts(text, text) == (1.0, 0.0, 0.0)
    tp, fp, fn = shingle_counts(text, "one two three four")
    assert fp == 0.0 and tp > 0 and fn > 0
    assert score_pages([(1.0, 0.0, 0.0)])["f1"] == 1.0
    assert score_pages([shingle_counts(text, "")])["recall"] == 0.0


def test_hard_wrapped_text_is_read_as_paragraphs() -> None:
    import textwrap

    paragraphs = [PARA_1 + " " + PARA_2, PARA_3 + " " + PARA_1.lower()]
    wrapped = "\n\n".join(textwrap.fill(p, width=72) for p in paragraphs)
    raw = f"Finland Joins NATO in Historic Shift\n\n{wrapped}\n\nShare this article\n"
    got = clean_text(raw)
    assert got.title == "Finland Joins NATO in Historic Shift"
    assert got.text.split("\n\n") == paragraphs
