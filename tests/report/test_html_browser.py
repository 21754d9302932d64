"""The HTML report in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven by Selenium).

Without a browser these tests skip, saying why; with MEDLINT_REQUIRE_BROWSER=1 (set by .ci/run) they fail
instead, so CI cannot pass without running them. MEDLINT_UPDATE_SCREENSHOT=1 also writes the screenshots in
docs/: the README's (records/ plus the seed fixture as of 2026-11-25), the report of 10,000 generated records
at 1280 and at 400 pixels wide, and the trend of a content repository of 20 commits.

The large report is 10,000 records from bench/corpus.py as of 2027-06-01, when a quarter of them are due for
review. Its speed is measured by bench/report.py; here a generous bound only catches a page that hangs.
"""
from __future__ import annotations

import base64
import datetime as dt
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from editors_support import content_repo, hostile_record, record, review
from support import ROOT

from medlint import config as config_mod, engine, runner
from medlint.cli import main
from medlint.report import EditorsReport, html, html_markup, html_records
from medlint.report.editors import buckets, reviewers_of, slugs, workload

sys.path.insert(0, str(ROOT / "bench"))
import chromium  # bench/chromium.py: the same browser set-up as the benchmark
import corpus
import report as bench_report

sys.path.pop(0)

pytestmark = pytest.mark.slow  # starts Chromium, lints 10,000 records

TODAY = "2026-11-25"
LARGE, LARGE_TODAY = 10_000, dt.date(2027, 6, 1)
DOCS = ROOT / "docs"
UPDATE = os.environ.get("MEDLINT_UPDATE_SCREENSHOT") == "1"


def _unavailable(reason: str) -> None:
    if os.environ.get("MEDLINT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MEDLINT_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(f"{reason}: the browser test needs Debian's chromium and chromium-driver "
                "(in CI, MEDLINT_REQUIRE_BROWSER=1 makes this a failure instead)")


def _start(tmp_path_factory: pytest.TempPathFactory, javascript: bool) -> Any:
    try:
        return chromium.start(tmp_path_factory.mktemp("chromium-profile"), javascript=javascript)
    except chromium.Unavailable as exc:
        _unavailable(str(exc))


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = _start(tmp_path_factory, javascript=True)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def static_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A reader whose browser runs no scripts."""
    driver = _start(tmp_path_factory, javascript=False)
    try:
        yield driver
    finally:
        driver.quit()


def _open(driver: Any, page: Path, fragment: str = "") -> None:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get("about:blank")
    driver.get(page.resolve().as_uri() + fragment)
    assert driver.title.startswith("medlint report")


def _errors(driver: Any) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def _report(argv: list[str], out: Path) -> Path:
    assert main(["report", "--today", TODAY, "--no-cache", "--out", str(out), *argv]) == 0
    return out


def _screenshot(driver: Any, path: Path, height: int) -> None:
    width = driver.get_window_size()["width"]
    inner = driver.execute_script("return window.innerHeight")
    before = driver.get_window_size()["height"]
    driver.set_window_size(width, height + before - inner)
    driver.save_screenshot(str(path))
    driver.set_window_size(width, before)
    assert path.stat().st_size > 10_000


def _seed_paths() -> list[str]:
    seed = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "fixtures" / "seed").glob("**/*.yaml"))
    assert seed, "the seed fixture is missing"
    return seed


# --- the corpus an editor of this repository opens ------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """records/ plus the seed fixture, as of TODAY."""
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
        return Array.from(document.querySelectorAll('.chart')).map(chart => {
            const drawn = Array.from(chart.querySelectorAll('rect')).filter(r => {
                const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
            return [chart.getAttribute('aria-label'), chart.getBoundingClientRect().width, drawn.length];
        });""")
    assert [c[0] for c in charts] == ["Records by result", "Records by population", "Findings by rule",
                                      "Reviews falling due by month"]
    for label, width, drawn in charts:
        assert width > 100 and drawn >= 1, label

    # the seed's card lists exactly the findings `medlint check` reports for it, once opened
    monkeypatch.chdir(ROOT)
    outcome, _ = runner.check(paths, config_mod.load(), engine.Run(dt.date.fromisoformat(TODAY)))
    seed = _seed_paths()[0]
    expected = sum(1 for f in outcome.findings if f.path == seed and f.suppressed is None)
    assert expected >= 3  # the seed is the page with every defect
    card = browser.execute_script("""
        const card = Array.from(document.querySelectorAll('details.record'))
            .find(d => d.querySelector('summary .sub').textContent === arguments[0]);
        return card ? [card.open, card.id] : null;""", seed)
    assert card is not None and card[0] is False  # collapsed
    browser.find_element("css selector", f"#{card[1]} > summary").click()
    shown = browser.execute_script("const card = document.getElementById(arguments[0]);"
                                   "return [card.open, card.querySelectorAll('ul.findings li').length,"
                                   " card.querySelector('ul.findings').getBoundingClientRect().height]", card[1])
    assert shown[0] is True and shown[1] == expected and shown[2] > 50
    # the seed has no review block: it heads the queue as "no valid due date"
    first = browser.execute_script("const g = document.querySelector('#queue [data-group]');"
                                   "return [g.dataset.group, g.querySelector('tbody tr').textContent];")
    assert first[0] == "no-date" and seed in first[1]

    browser.execute_script("document.getElementById(arguments[0]).open = false; window.scrollTo(0, 0)", card[1])
    bottom = browser.execute_script("return document.getElementById('queue').getBoundingClientRect().bottom")
    _screenshot(browser, tmp_path / "report.png", min(3000, int(bottom) + 24))
    if UPDATE:
        shutil.copyfile(tmp_path / "report.png", DOCS / "report-screenshot.png")


# --- 10,000 records -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EditorsReport]:
    work = tmp_path_factory.mktemp("large")
    corpus.generate(LARGE, work / "corpus")
    editors = bench_report.editors_report(work / "corpus", LARGE_TODAY, work / "cache")
    page = work / "corpus" / "report.html"
    page.write_text(html.render(editors), encoding="utf-8")
    return page, editors


def _groups(driver: Any, section: str) -> list[list[Any]]:
    """[name, hidden, tally, rows shown, footer text] of each group of a list, as drawn."""
    groups: list[list[Any]] = driver.execute_script("""
        return Array.from(document.querySelectorAll('#' + arguments[0] + ' [data-group]')).map(g => [
            g.dataset.group, g.hidden, (g.querySelector('.tally') || {}).textContent,
            g.querySelector('.items').children.length, (g.querySelector('p.more') || {}).textContent]);""", section)
    return groups


def _rows(driver: Any, group: str = "") -> list[list[str]]:
    """[path, reviewer slugs, due (days)] of each queue row drawn, in order."""
    rows: list[list[str]] = driver.execute_script("""
        const scope = arguments[0] ? '#queue [data-group="' + arguments[0] + '"]' : '#queue';
        return Array.from(document.querySelectorAll(scope + ' tbody tr')).filter(r => r.offsetParent !== null)
            .map(r => [r.querySelector('.sub').textContent, r.dataset.reviewers,
                       r.querySelector('[data-col=due]').dataset.sort]);""", group)
    return rows


def test_the_large_report_opens_on_this_week_small_and_quick(browser: Any, large: tuple[Path, EditorsReport]) -> None:
    page, editors = large
    _open(browser, page)
    assert _errors(browser) == []
    ready, elements, height, first = browser.execute_script("""
        const mark = performance.getEntriesByName('medlint-ready')[0];
        return [mark && document.documentElement.hasAttribute('data-ready') ? mark.startTime : null,
                document.getElementsByTagName('*').length, document.documentElement.scrollHeight,
                document.querySelector('main > section').id];""")
    assert ready is not None and ready < 10_000  # a sanity bound; bench/report.py measures the speed
    assert elements < 8_000 and height < 30_000  # the old page: 108,000 elements, 630,000 px tall
    assert first == "work"
    cards = browser.execute_script("return Array.from(document.querySelectorAll('#work .card'))"
                                   ".map(c => [c.getAttribute('href'), c.querySelector('.num').textContent])")
    grouped = dict(buckets(editors.queue))
    for href, number in cards[:-1]:
        assert int(number.replace(",", "")) == len(grouped.get(href.split("=")[1], [])), href
    assert sum(len(rows) for rows in grouped.values()) > 2_000  # a real site's queue
    drawn = _groups(browser, "queue")
    assert [name for name, *_ in drawn] == list(grouped)
    for name, hidden, tally, shown, footer in drawn:
        total = len(grouped[name])
        assert not hidden and tally == f"{total:,}" and shown == min(10, total)
        assert footer == (f"Show all {total:,}" if total > 10 else "")
    records = _groups(browser, "records")
    assert [name for name, *_ in records] == ["error", "warning", "clean"]
    assert all(shown == 10 for _, _, _, shown, _ in records)
    assert browser.execute_script("return document.querySelectorAll('details.record[open]').length") == 0


def test_show_all_pages_through_a_bucket_and_lists_each_record_once(browser: Any,
                                                                  large: tuple[Path, EditorsReport]) -> None:
    from selenium.webdriver.common.by import By

    page, editors = large
    name, rows = min(((n, r) for n, r in buckets(editors.queue) if len(r) > 50), key=lambda item: len(item[1]))
    _open(browser, page)
    browser.find_element(By.CSS_SELECTOR, f'#queue [data-group="{name}"] p.more a').click()
    assert browser.execute_script("return location.hash") == f"#queue?status={name}"
    pages = -(-len(rows) // 50)
    seen: list[str] = []
    for number in range(1, pages + 1):
        shown = _rows(browser)
        assert [g[0] for g in _groups(browser, "queue") if not g[1]] == [name]  # only the open bucket
        footer = browser.find_element(By.CSS_SELECTOR, f'#queue [data-group="{name}"] p.more').text
        assert f"Page {number} of {pages}" in footer and len(shown) == (50 if number < pages else len(rows) - len(seen))
        seen += [path for path, _, _ in shown]
        if number < pages:
            browser.find_element(By.LINK_TEXT, "Next \u2192").click()
    assert seen == [row.record.path for row in rows]  # every record of the bucket once, soonest first
    source = page.read_text(encoding="utf-8")
    queue = source[source.index('<section id="queue"'): source.index('<section id="overview"')]
    everywhere = re.findall(r'<tr data-item data-reviewers="[^"]*"><td data-col="record"><a href="#rec-\d+">.*?'
                            r'<div class="sub">(.*?)</div>', queue)
    assert len(everywhere) == len(set(everywhere)) == len(editors.queue)  # no record listed twice in the queue
    assert _errors(browser) == []


def test_a_reviewer_anchor_opens_their_records_in_due_order(browser: Any, large: tuple[Path, EditorsReport]) -> None:
    page, editors = large
    names = slugs(name for row in editors.queue for name in reviewers_of(row))
    busiest, counts = workload(editors.queue)[0]
    slug = names[busiest]
    _open(browser, page, f"#reviewer-{slug}")
    assert browser.execute_script("return document.querySelector('#queue select[data-key=reviewer]').value") == slug
    queue_top = browser.execute_script("return document.getElementById('queue').getBoundingClientRect().top")
    assert abs(queue_top) < 5  # scrolled to their part of the queue
    for name, hidden, tally, shown, _ in _groups(browser, "queue"):
        total = len(dict(buckets(editors.queue))[name])
        assert not hidden and shown == min(10, counts[name])
        assert tally == (f"{counts[name]:,} of {total:,}" if counts[name] != total else f"{total:,}")
        rows = _rows(browser, name)
        assert all(slug in reviewers.split() for _, reviewers, _ in rows)
        days = [int(due) for _, _, due in rows if due]
        assert days == sorted(days)
    link = browser.execute_script(f"return document.querySelector('#reviewer-{slug} th a').getAttribute('href')")
    assert link == f"#reviewer-{slug}"  # the anchor an editor sends


def test_filters_sort_and_the_open_bucket_survive_a_reload(browser: Any, large: tuple[Path, EditorsReport]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page, editors = large
    _open(browser, page)
    reviewer = workload(editors.queue)[1][0]
    slug = slugs(name for row in editors.queue for name in reviewers_of(row))[reviewer]
    theirs = [row.record.path for row in dict(buckets(editors.queue))["overdue"] if reviewer in reviewers_of(row)]
    drug = theirs[len(theirs) // 2].split("/")[1].rsplit("-", 1)[0]  # a drug of theirs: "amoxicillin"
    Select(browser.find_element(By.CSS_SELECTOR, "#queue select[data-key=reviewer]")).select_by_value(slug)
    Select(browser.find_element(By.CSS_SELECTOR, "#queue select[data-key=status]")).select_by_value("overdue")
    search = browser.find_element(By.CSS_SELECTOR, "#queue input[data-key=q]")
    search.send_keys(drug)
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", search)
    header = browser.find_element(By.CSS_SELECTOR, '#queue [data-group="overdue"] th[data-sort-col="due"] button')
    header.click()
    header.click()  # descending: the latest due first
    state = browser.execute_script("return location.hash")
    assert state.startswith("#queue?") and all(part in state for part in (
        f"reviewer={slug}", "status=overdue", f"q={drug}", "sort=due", "dir=desc"))
    before = _rows(browser)
    assert len(before) == min(50, sum(1 for path in theirs if drug in path))
    assert all(drug in path and slug in reviewers.split() for path, reviewers, _ in before)
    assert [int(due) for *_, due in before] == sorted((int(due) for *_, due in before), reverse=True)
    browser.refresh()
    assert _rows(browser) == before
    assert browser.execute_script("return [document.querySelector('#queue input[data-key=q]').value,"
                                  " document.querySelector('#queue select[data-key=status]').value,"
                                  " document.querySelector('#queue [data-group=overdue] th[data-sort-col=due]')"
                                  ".getAttribute('aria-sort')]") == [drug, "overdue", "descending"]
    assert _errors(browser) == []


def test_a_record_card_is_rendered_when_a_link_needs_it(browser: Any, large: tuple[Path, EditorsReport]) -> None:
    from selenium.webdriver.common.by import By

    page, _ = large
    _open(browser, page)
    link = browser.find_elements(By.CSS_SELECTOR, '#queue [data-group="overdue"] tbody tr a')[-1]
    anchor = link.get_attribute("href").split("#")[1]
    assert browser.execute_script("return document.getElementById(arguments[0])", anchor) is None  # not yet
    link.click()
    card = browser.execute_script("""
        const card = document.getElementById(arguments[0]);
        return card && [card.open, card.querySelectorAll('ul.findings li').length,
                        Math.round(card.getBoundingClientRect().top)];""", anchor)
    assert card is not None and card[0] is True and card[1] >= 1 and abs(card[2]) < 20
    assert browser.execute_script("return location.hash") == f"#{anchor}"
    assert _errors(browser) == []


def test_without_javascript_the_page_is_whole_readable_and_shows_no_dead_controls(
        static_browser: Any, large: tuple[Path, EditorsReport]) -> None:
    from selenium.webdriver.common.by import By

    page, editors = large
    _open(static_browser, page)
    assert static_browser.execute_script("return document.documentElement.classList.contains('js')") is False
    assert not any(c.is_displayed() for c in static_browser.find_elements(By.CSS_SELECTOR, ".controls"))
    assert static_browser.find_elements(By.CSS_SELECTOR, "p.more") == []  # "show all" and pages are the script's
    assert static_browser.find_elements(By.CSS_SELECTOR, "th button") == []
    state_links = static_browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href^=\"#\"][href*=\"?\"]'))"
        ".map(a => getComputedStyle(a).pointerEvents)")
    assert state_links and set(state_links) == {"none"}  # links to a filtered view are plain text
    folded = static_browser.find_elements(By.CSS_SELECTOR, "details.more > summary")
    overdue = len(dict(buckets(editors.queue))["overdue"])
    assert folded[0].text == f"Rows 11–110 of {overdue:,}" and all(f.is_displayed() for f in folded[:3])
    height = static_browser.execute_script("return document.documentElement.scrollHeight")
    assert height < 60_000  # every record is there, folded
    folded[0].click()
    rows = static_browser.execute_script(
        "return document.querySelector('details.more[open]').querySelectorAll('tbody tr').length")
    assert rows == 100


def test_at_phone_width_charts_and_tables_are_readable(browser: Any, large: tuple[Path, EditorsReport],
                                                       tmp_path: Path) -> None:
    page, _ = large
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 400, "height": 1800, "deviceScaleFactor": 1, "mobile": True})
    try:
        _open(browser, page)
        assert browser.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]") == [400, 400]
        labels = browser.execute_script("""
            return Array.from(document.querySelectorAll('.chart .label, .chart .value')).map(e => {
                const box = e.getBoundingClientRect();
                return [e.textContent, parseFloat(getComputedStyle(e).fontSize), box.left, box.right]; });""")
        assert labels and all(size >= 11 and left >= 0 and right <= 400 for _, size, left, right in labels), labels
        tables = browser.execute_script("""
            return Array.from(document.querySelectorAll('table')).filter(t => t.offsetParent !== null).map(t => {
                const box = (t.closest('.scroll') || t).getBoundingClientRect();
                return [t.className, box.right, parseFloat(getComputedStyle(t.querySelector('td, th')).fontSize)];
            });""")
        assert tables and all(right <= 400 and size >= 12 for _, right, size in tables), tables
        _screenshot(browser, tmp_path / "phone.png", 1800)
        if UPDATE:
            shutil.copyfile(tmp_path / "phone.png", DOCS / "report-10k-phone.png")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_it_prints_in_a_sensible_number_of_pages(browser: Any, large: tuple[Path, EditorsReport],
                                                 tmp_path: Path) -> None:
    page, _ = large
    _open(browser, page)
    _screenshot(browser, tmp_path / "large.png", 1900)
    if UPDATE:
        shutil.copyfile(tmp_path / "large.png", DOCS / "report-10k.png")
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
                           ["data"])
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 3 <= pages <= 60  # the work, the charts, the first records and the rule docs; not 10,000 cards


# --- over time ------------------------------------------------------------------------------------------------

def test_a_history_run_over_twenty_commits_draws_the_trend(browser: Any, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    commits = content_repo(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    page = _report(["--history", "20w"], tmp_path / "report.html")
    _open(browser, page, "#trend")
    assert _errors(browser) == []
    columns = browser.execute_script("""
        return Array.from(document.querySelectorAll('#trend .chart.columns')).map(chart =>
            Array.from(chart.querySelectorAll('.column')).map(c => [c.querySelector('.value').textContent,
                Array.from(c.querySelectorAll('.bar-v rect')).reduce((s, r) => s + r.getBoundingClientRect().height,
                                                                     0)]));""")
    assert [len(chart) for chart in columns] == [20, 20]
    for chart in columns:
        assert all((float(height) > 0) == (value != "0") for value, height in chart)
    assert commits[-1][:10] in browser.find_element("id", "trend").text
    bottom = browser.execute_script("return document.getElementById('trend').getBoundingClientRect().bottom")
    _screenshot(browser, tmp_path / "trend.png", int(bottom) + 20)
    if UPDATE:
        shutil.copyfile(tmp_path / "trend.png", DOCS / "report-trend.png")


# --- a small queue: filters, sort, and hostile text in every chunk ---------------------------------------------

@pytest.fixture(scope="module")
def queue_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A corpus made for the queue: overdue, due soon, no date, a hostile record; every list shows its first
    two items and folds the rest, so the script's chunks are exercised on a page small enough to read."""
    root = tmp_path_factory.mktemp("queue")
    files = dict([
        record("alpha", "late", review("2025-01-01", "2026-10-01", "Dr Alpha")),
        record("bravo", "soon", review("2026-01-01", "2026-12-05", "Dr Bravo")),
        record("charlie", "later", review("2026-01-01", "2027-01-20", "Dr Charlie")),
        record("delta", "last", review("2026-01-01", "2027-02-10", "Dr Delta")),
        record("foxtrot", "late", review("2025-01-01", "2026-11-01", "Dr Alpha")),
        record("golf", "late", review("2025-01-01", "2026-09-01", "Dr Bravo")),
        record("echo", "undated", "review:\n  last_reviewed: 2026-01-01\n  next_review_due: soon\n"
                                  "  reviewers: [{name: Dr Echo, credentials: MD}]\n"),
        hostile_record(),
    ])
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        for module, name in ((html, "QUEUE_FIRST"), (html_records, "RECORDS_FIRST"), (html, "REVIEWERS_FIRST")):
            patch.setattr(module, name, 2)
        patch.setattr(html_markup, "CHUNK", 2)
        yield _report([str(root / "records")], root / "report.html")


def _drug(path: str) -> str:
    return path.split("/")[-2]


def test_filtering_and_sorting_the_queue(browser: Any, queue_page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(browser, queue_page)
    assert _errors(browser) == []
    assert [_drug(p) for p, _, _ in _rows(browser)] == ["echo", "golf", "alpha", "evil", "bravo", "charlie",
                                                             "delta"]
    count = browser.find_element(By.CSS_SELECTOR, "#queue .controls .count")
    assert count.text == ""
    search = browser.find_element(By.CSS_SELECTOR, "#queue input[data-key=q]")
    search.send_keys("dr bravo")
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", search)
    assert [_drug(p) for p, _, _ in _rows(browser)] == ["golf", "bravo"]
    assert count.text == "Showing 2 of 8"
    browser.execute_script("arguments[0].value = 'no such reviewer'; arguments[0].dispatchEvent(new Event('change'))",
                           search)
    assert _rows(browser) == [] and count.text == "Showing 0 of 8"
    assert "Nothing here matches the filters." in browser.find_element(By.ID, "queue").text
    browser.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('change'))", search)

    Select(browser.find_element(By.CSS_SELECTOR, "#queue select[data-key=status]")).select_by_value("overdue")
    assert [_drug(p) for p, _, _ in _rows(browser)] == ["golf", "alpha", "foxtrot"]  # the whole bucket
    when = browser.find_element(By.CSS_SELECTOR, '#queue [data-group="overdue"] th[data-sort-col="due"]')
    when.find_element(By.TAG_NAME, "button").click()
    assert when.get_attribute("aria-sort") == "ascending"
    assert [_drug(p) for p, _, _ in _rows(browser)] == ["golf", "alpha", "foxtrot"]
    when.find_element(By.TAG_NAME, "button").click()
    assert when.get_attribute("aria-sort") == "descending"
    assert [_drug(p) for p, _, _ in _rows(browser)] == ["foxtrot", "alpha", "golf"]
    name = browser.find_element(By.CSS_SELECTOR, '#queue [data-group="overdue"] th[data-sort-col="record"] button')
    name.click()
    assert when.get_attribute("aria-sort") == "none"
    assert _errors(browser) == []


def test_a_hostile_record_stays_inert_in_the_browser(browser: Any, queue_page: Path) -> None:
    from selenium.webdriver.common.by import By

    card = re.search(r'id="(rec-\d+)"[^<]*<summary>(?:(?!</summary>).)*records/evil/page\.yaml',
                     queue_page.read_text(encoding="utf-8"), re.S)
    assert card is not None
    for fragment in ("", f"#{card.group(1)}", "#queue?status=overdue&page=2", "#queue?q=e&find=e&who=all"):
        _open(browser, queue_page, fragment)
        assert browser.execute_script("return window.__pwned === undefined"), fragment
        assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
        links = browser.execute_script("return Array.from(document.links).map(a => a.protocol)")
        assert set(links) <= {"file:", "https:", "http:"}
        assert _errors(browser) == []
        if fragment == f"#{card.group(1)}":  # its card, opened: the URL is shown, not linked
            assert "javascript:window.__pwned=3" in browser.find_element(By.TAG_NAME, "main").text
    assert browser.execute_script("return document.querySelectorAll('noscript').length") == 0  # all were parsed
