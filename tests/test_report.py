"""`blocwatch report`: one self-contained HTML file, checked as text and in headless Chromium.

The browser test needs Debian's chromium and chromium-driver and selenium; without them it is
skipped with the reason. Set BLOCWATCH_REPORT_PNG=path to keep its screenshot (docs/report.png
is made that way).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from blocwatch.cli import main
from blocwatch.cli_analysis import register
from tests.eventdb import EventDB
from tests.scenarios import camp_switch, seed_events

register(main)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.duckdb"
    with EventDB(path) as db:
        camp_switch(db)
        seed_events(db)
    return path


def report(db: Path, out: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["report", "--out", str(out), "--db", str(db), *args],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def html_file(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    report(store, out, "--since", "2025-01-01", "--until", "2025-03-31",
           "--title", "Camps and a defection (synthetic example)")
    return out


def test_report_is_one_self_contained_file(html_file: Path) -> None:
    html = html_file.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""\bsrc\s*=""", html)            # no images, frames or scripts
    assert not re.search(r"""url\(\s*['"]?https?:""", html)  # no remote fonts or images
    assert '<svg id="network"' in html and html.count('class="timeline"') >= 4
    assert "1 Jan 2025 – 31 Mar 2025" in html
    for heading in ("Who stands with whom", "Main dyads over time", "Biggest shifts",
                    "Top events"):
        assert heading in html


def test_report_shows_evidence_sources_and_shift(html_file: Path) -> None:
    html = html_file.read_text(encoding="utf-8")
    assert "Compass Wire" in html and "https://news.example/" in html
    assert "delivered a new package of military aid" in html
    changed = html[html.index("<h3>Changed bloc</h3>"):html.index("<h3>Dyads that moved")]
    assert "Turkey" in changed and "TUR" in changed


def test_report_escapes_what_the_news_says(tmp_path: Path) -> None:
    with EventDB(tmp_path / "odd.duckdb") as db:
        doc = db.doc("Odd <i>Outlet</i>", "2025-03-20", title="<b>bold</b> & co",
                     url="https://news.example/odd?a=1&b=2")
        db.event(doc, "THREATEN", "BLR", "POL", date="2025-03-20",
                 evidence="Minsk said <script>alert('x')</script> & more.")
    html = report(tmp_path / "odd.duckdb", tmp_path / "odd.html")
    assert "<script>alert" not in html and "<i>Outlet" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "https://news.example/odd?a=1&amp;b=2" in html


def test_report_is_the_same_every_run(store: Path, tmp_path: Path) -> None:
    """Same data, same picture and numbers: only the generation time differs."""
    args = ("--from", "2025-01", "--to", "2025-03")
    one = report(store, tmp_path / "one.html", *args)
    two = report(store, tmp_path / "two.html", *args)
    strip = re.compile(r"Generated [^<]* by blocwatch")
    assert strip.sub("", one) == strip.sub("", two)
    assert "From <b>2025-01</b> to <b>2025-03</b>" in one


def test_report_of_an_empty_store(tmp_path: Path) -> None:
    with EventDB(tmp_path / "empty.duckdb"):
        pass
    html = report(tmp_path / "empty.duckdb", tmp_path / "empty.html")
    assert "No signed ties between actors" in html and "No events in this period" in html


def _driver():  # noqa: ANN202 - selenium's type, imported only when present
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.skip("chromium and chromium-driver are not installed (apt-get install "
                    "chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--hide-scrollbars", "--window-size=1400,1000",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='blocwatch-chromium-')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def screenshot(driver, folder: Path, name: str, width: int, max_height: int, keep_env: str
               ) -> None:
    """The whole page (up to max_height) as a PNG that is not blank; copied to the path in
    the environment variable keep_env when it is set (how the docs' pictures are made)."""
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(width, min(height + 20, max_height))
    shot = folder / f"{name}.png"
    assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 20_000
    keep = os.environ.get(keep_env)
    if keep:
        Path(keep).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, keep)


def test_report_in_headless_chromium(html_file: Path, tmp_path: Path) -> None:
    driver = _driver()
    try:
        driver.get(html_file.resolve().as_uri())
        errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
        assert errors == []
        # Nothing was fetched: the file is the whole report.
        assert driver.execute_script(
            "return performance.getEntriesByType('resource').length") == 0
        net = driver.execute_script("""
            const svg = document.getElementById('network');
            const box = svg.getBoundingClientRect();
            return {w: box.width, h: box.height,
                    nodes: svg.querySelectorAll('.node circle').length,
                    edges: svg.querySelectorAll('line').length};""")
        assert net["w"] > 300 and net["h"] > 200
        assert net["nodes"] == 10 and net["edges"] > 10
        timelines = driver.execute_script("""
            return [...document.querySelectorAll('svg.timeline')].map(s => {
                const b = s.getBoundingClientRect();
                return {w: b.width, h: b.height,
                        bars: [...s.querySelectorAll('rect')]
                              .filter(r => r.getBoundingClientRect().height > 0).length};
            });""")
        assert timelines and all(t["w"] > 100 and t["h"] > 50 for t in timelines)
        assert all(t["bars"] > 0 for t in timelines)
        # Hovering a bloc card fades the other blocs in the picture (the page's only script).
        from selenium.webdriver.common.action_chains import ActionChains

        card = driver.find_element("css selector", ".bloc")
        ActionChains(driver).move_to_element(card).perform()
        assert "focus" in driver.find_element("id", "network").get_attribute("class")
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        ActionChains(driver).move_to_element(driver.find_element("css selector", "h1")).perform()
        assert "focus" not in driver.find_element("id", "network").get_attribute("class")
        screenshot(driver, tmp_path, "report", 1400, 2200, "BLOCWATCH_REPORT_PNG")
    finally:
        driver.quit()
