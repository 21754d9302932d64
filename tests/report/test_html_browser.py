"""The HTML report in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven by Selenium).

Without a browser these tests skip, saying why; with MEDLINT_REQUIRE_BROWSER=1 (set by .ci/run) they fail
instead, so CI cannot pass without running them. MEDLINT_UPDATE_SCREENSHOT=1 also writes the README's
screenshot, docs/report-screenshot.png, from records/ plus the seed fixture as of 2026-11-25.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from editors_support import hostile_record, record, review
from support import ROOT

from medlint import config as config_mod, engine, runner
from medlint.cli import main

pytestmark = pytest.mark.slow  # starts Chromium

TODAY = "2026-11-25"
SCREENSHOT = ROOT / "docs" / "report-screenshot.png"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--disable-dev-shm-usage")


def _unavailable(reason: str) -> None:
    if os.environ.get("MEDLINT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MEDLINT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason}: the browser test needs Debian's chromium and chromium-driver "
                "(in CI, MEDLINT_REQUIRE_BROWSER=1 makes this a failure instead)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        _unavailable("no chromium and chromedriver on PATH")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument("--window-size=1280,1400")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:  # an explicit Service: Selenium Manager must never try to download a driver
        driver = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
    except WebDriverException as exc:
        _unavailable(f"chromium did not start: {exc.msg}")
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, page: Path) -> None:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(page.resolve().as_uri())
    assert driver.title.startswith("medlint report")


def _errors(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def _report(argv: list[str], out: Path) -> Path:
    assert main(["report", "--today", TODAY, "--no-cache", "--out", str(out), *argv]) == 0
    return out


def _seed_paths() -> list[str]:
    seed = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "fixtures" / "seed").glob("**/*.yaml"))
    assert seed, "the seed fixture is missing"
    return seed


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The report an editor would open: records/ plus the seed fixture, as of TODAY."""
    paths = ["records", *_seed_paths()]
    cwd = Path.cwd()
    os.chdir(ROOT)  # paths as a user in the repository types them
    try:
        page = _report(paths, tmp_path_factory.mktemp("report") / "report.html")
    finally:
        os.chdir(cwd)
    return page, paths


def test_the_corpus_report_renders_charts_and_shows_the_seed(browser: Any, corpus_page: tuple[Path, list[str]],
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page, paths = corpus_page
    _open(browser, page)
    assert _errors(browser) == []
    charts = browser.execute_script("""
        return Array.from(document.querySelectorAll('svg.chart')).map(svg => {
            const box = svg.getBoundingClientRect();
            const drawn = Array.from(svg.querySelectorAll('rect')).filter(r => {
                const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
            return [svg.getAttribute('aria-label'), box.width, box.height, drawn.length];
        });""")
    assert [c[0] for c in charts] == ["Records by result", "Records by population", "Findings by rule",
                                      "Reviews falling due by month"]
    for label, width, height, drawn in charts:
        assert width > 100 and height > 50 and drawn >= 1, label

    # the seed's card lists exactly the findings `medlint check` reports for it
    monkeypatch.chdir(ROOT)
    outcome, _ = runner.check(paths, config_mod.load(), engine.Run(dt.date.fromisoformat(TODAY)))
    seed = _seed_paths()[0]
    expected = sum(1 for f in outcome.findings if f.path == seed and f.suppressed is None)
    assert expected >= 3  # the seed is the page with every defect
    shown = browser.execute_script("""
        const card = Array.from(document.querySelectorAll('article.record'))
            .find(a => a.querySelector('.loc') && a.querySelector('.loc').textContent === arguments[0]);
        return card ? card.querySelectorAll('table.findings tbody tr').length : -1;""", seed)
    assert shown == expected
    # the seed has no review block: it heads the queue as "no valid due date"
    first = browser.execute_script("const r = document.querySelector('#queue tbody tr');"
                                   "return [r.dataset.status, r.textContent];")
    assert first[0] == "no-date" and seed in first[1]

    # the overview, the charts and the review queue: what an editor sees first
    bottom = browser.execute_script("return document.getElementById('queue-section').getBoundingClientRect().bottom")
    inner = browser.execute_script("return window.innerHeight")
    width, height = browser.get_window_size()["width"], browser.get_window_size()["height"]
    browser.set_window_size(width, min(3000, int(bottom) + 24 + height - inner))
    browser.save_screenshot(str(tmp_path / "report.png"))
    browser.set_window_size(width, height)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    if os.environ.get("MEDLINT_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(tmp_path / "report.png", SCREENSHOT)


@pytest.fixture(scope="module")
def queue_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus made for the queue: one review overdue, three due soon, one with no date, one hostile record."""
    root = tmp_path_factory.mktemp("queue")
    files = dict([
        record("alpha", "late", review("2025-01-01", "2026-10-01", "Dr Alpha")),
        record("bravo", "soon", review("2026-01-01", "2026-12-05", "Dr Bravo")),
        record("charlie", "later", review("2026-01-01", "2027-01-20", "Dr Charlie")),
        record("delta", "last", review("2026-01-01", "2027-02-10", "Dr Delta")),
        record("echo", "undated", "review:\n  last_reviewed: 2026-01-01\n  next_review_due: soon\n"
                                  "  reviewers: [{name: Dr Echo, credentials: MD}]\n"),
        hostile_record(),
    ])
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return _report([str(root / "records")], root / "report.html")


def _visible(driver: Any) -> list[str]:
    return driver.execute_script("return Array.from(document.querySelectorAll('#queue tbody tr'))"
                                 ".filter(r => !r.hidden && r.offsetParent !== null)"
                                 ".map(r => r.cells[1].querySelector('.sub').textContent);")  # type: ignore[no-any-return]


def test_filtering_and_sorting_the_queue(browser: Any, queue_page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, queue_page)
    assert _errors(browser) == []
    everything = _visible(browser)
    assert len(everything) == 6 and everything[0].endswith("echo/undated.yaml")
    controls = browser.find_element(By.CSS_SELECTOR, '[data-filter-for="queue"]')
    count = controls.find_element(By.CLASS_NAME, "count")
    assert count.text == "Showing 6 of 6"

    search = controls.find_element(By.TAG_NAME, "input")
    search.send_keys("dr bravo")
    assert [p.split("/")[-2] for p in _visible(browser)] == ["bravo"]
    assert count.text == "Showing 1 of 6"
    search.clear()
    search.send_keys("no such reviewer")
    assert _visible(browser) == [] and count.text == "Showing 0 of 6"
    browser.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'));", search)
    assert len(_visible(browser)) == 6

    status = Select(controls.find_element(By.TAG_NAME, "select"))
    status.select_by_value("overdue")
    assert [p.split("/")[-2] for p in _visible(browser)] == ["alpha"]
    status.select_by_value("")

    when = browser.find_element(By.XPATH, "//table[@id='queue']//th[button[starts-with(., 'When')]]")
    when.find_element(By.TAG_NAME, "button").click()
    assert when.get_attribute("aria-sort") == "ascending"
    order = [p.split("/")[-2] for p in _visible(browser)]
    assert order == ["alpha", "evil", "bravo", "charlie", "delta", "echo"]  # the undated row sorts last
    when.find_element(By.TAG_NAME, "button").click()
    assert when.get_attribute("aria-sort") == "descending"
    assert [p.split("/")[-2] for p in _visible(browser)] == ["delta", "charlie", "bravo", "evil", "alpha", "echo"]
    record_header = browser.find_element(By.XPATH, "//table[@id='queue']//th[button[starts-with(., 'Record')]]")
    record_header.find_element(By.TAG_NAME, "button").click()
    assert when.get_attribute("aria-sort") == "none" and record_header.get_attribute("aria-sort") == "ascending"
    assert _errors(browser) == []


def test_a_hostile_record_stays_inert_in_the_browser(browser: Any, queue_page: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, queue_page)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    links = browser.execute_script("return Array.from(document.links).map(a => a.protocol)")
    assert set(links) <= {"file:", "https:", "http:"}
    assert "javascript:window.__pwned=3" in browser.find_element(By.TAG_NAME, "main").text
    assert _errors(browser) == []
