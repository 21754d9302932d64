"""Benchmark the editors' report at the size of a real site: the page in headless Chromium, and the Markdown.

    python bench/report.py --records 1000 10000 --runs 5

For each size it generates a corpus (bench/corpus.py), lints it once (the results cache is kept in --work),
renders the HTML page and the Markdown report, then measures:
  page          size in bytes, DOM elements, height in CSS pixels at 1280 and at 400 pixels wide, and
                without JavaScript; printed pages (A4, Chromium's print to PDF)
  interactive   median time from navigation start to the page's `medlint-ready` mark (set by report.js
                once every control works), over --runs loads; also with a shared link's state in the URL
                fragment (one reviewer's overdue records), and after a search over every record
  markdown      size in bytes (GitHub's step summary takes at most 1 MiB)
  render        median time to render each format from the linted corpus, in-process
The review dates are measured against --today (default 2027-06-01: a quarter of the generated corpus is
then overdue or due within 90 days, as on a real site; bench/corpus.py spreads reviews over 2026).
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chromium  # siblings, not a package
import corpus

from medlint import config as config_mod, gate
from medlint.cache import Cache, run_key
from medlint.report import EDITORS_FORMATS, EditorsReport, Report
from medlint.schema import packaged_schema_path

TODAY = dt.date(2027, 6, 1)
MIB = 1024 * 1024


def editors_report(target: Path, today: dt.date, cache_dir: Path) -> EditorsReport:
    """Lint the corpus as `medlint report` does (paths relative to it), through a results cache in --work."""
    cwd = Path.cwd()
    os.chdir(target)
    try:
        cfg = config_mod.load()
        cache = Cache(cache_dir, run_key(cfg.key(), packaged_schema_path().read_bytes(), today, (str(cfg.root),)))
        result = gate.run(["records"], cfg, today, cache=cache, summaries=True)
    finally:
        os.chdir(cwd)
    outcome = result.outcome
    report = Report(outcome.findings, outcome.files, outcome.records, today, False, "bench", result.baseline)
    return EditorsReport(report, outcome.summaries, "records")


def median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class Load(NamedTuple):
    ready_ms: float | None  # the `medlint-ready` mark; None for a page without one
    loaded_ms: float  # the load event


def load(driver: Any, url: str) -> Load:
    driver.get("about:blank")
    driver.get(url)
    ready, loaded = driver.execute_script("""
        const mark = performance.getEntriesByName('medlint-ready')[0];
        const nav = performance.getEntriesByType('navigation')[0];
        return [mark ? mark.startTime : null, nav.loadEventEnd];""")
    return Load(ready, loaded)


def interactive(driver: Any, url: str, runs: int) -> tuple[float | None, float]:
    loads = [load(driver, url) for _ in range(runs)]
    ready = [item.ready_ms for item in loads if item.ready_ms is not None]
    return (statistics.median(ready) if ready else None), statistics.median(item.loaded_ms for item in loads)


def shape(driver: Any, url: str, width: int) -> tuple[int, int]:
    """(DOM elements, page height) at `width` CSS pixels."""
    driver.set_window_size(width, 900)
    driver.get(url)
    nodes, height = driver.execute_script("return [document.getElementsByTagName('*').length, "
                                          "document.documentElement.scrollHeight]")
    return int(nodes), int(height)


def printed_pages(driver: Any, url: str) -> str:
    """The page count printed to A4, or how long Chromium tried (a page of thousands of sheets may not finish)."""
    from urllib3.exceptions import ReadTimeoutError

    driver.get(url)
    try:
        pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
                               ["data"])
    except ReadTimeoutError:
        return "not done in 120 s"
    return f"{pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages'):,}"


def first_reviewer(page: Path) -> str:
    """The slug of the busiest reviewer, as the page's own reviewer filter names them."""
    text = page.read_text(encoding="utf-8")
    marker = 'id="reviewer-'
    start = text.find(marker)
    return text[start + len(marker): text.find('"', start + len(marker))] if start >= 0 else ""


def measure(count: int, runs: int, today: dt.date, work: Path, profile: Path) -> list[str]:
    target = work / f"corpus-{count}"
    if not target.exists():
        corpus.generate(count, target)
    editors = editors_report(target, today, work / "cache")
    page, summary = work / f"report-{count}.html", work / f"report-{count}.md"
    render_ms = {name: median_ms(lambda name=name: EDITORS_FORMATS[name](editors), runs)  # type: ignore[misc]
                 for name in EDITORS_FORMATS}
    page.write_text(EDITORS_FORMATS["html"](editors), encoding="utf-8")
    summary.write_text(EDITORS_FORMATS["markdown"](editors), encoding="utf-8")
    url = page.resolve().as_uri()
    driver = chromium.start(profile / f"js-{count}")
    try:
        ready, loaded = interactive(driver, url, runs)
        slug = first_reviewer(page)
        shared, _ = interactive(driver, f"{url}#queue?reviewer={slug}&status=overdue", runs)
        searched, _ = interactive(driver, f"{url}#records?find=mg", runs)
        nodes, height = shape(driver, url, 1280)
        _, phone = shape(driver, url, 400)
        pages = printed_pages(driver, url)
    finally:
        driver.quit()
    driver = chromium.start(profile / f"nojs-{count}", javascript=False)
    try:
        _, static_height = shape(driver, url, 1280)
    finally:
        driver.quit()
    queue = len(editors.queue)

    def ms(value: float | None) -> str:
        return "n/a" if value is None else f"{value:,.0f} ms"

    return [f"## {count:,} records ({queue:,} in the review queue, as of {today.isoformat()})", "",
            "| measure | value |", "| --- | ---: |",
            f"| page size | {page.stat().st_size / MIB:.2f} MiB |",
            f"| DOM elements | {nodes:,} |",
            f"| page height at 1280 px / at 400 px / without JavaScript | {height:,} / {phone:,} / "
            f"{static_height:,} px |",
            f"| printed pages (A4) | {pages} |",
            f"| time to interactive (`medlint-ready`) | {ms(ready)} |",
            f"| load event | {ms(loaded)} |",
            f"| time to interactive, one reviewer's overdue records (`#queue?reviewer=...&status=overdue`) "
            f"| {ms(shared)} |",
            f"| time to interactive, a search over every record (`#records?find=mg`) | {ms(searched)} |",
            f"| Markdown size | {summary.stat().st_size / 1024:,.0f} KiB "
            f"({summary.stat().st_size / MIB:.0%} of 1 MiB) |",
            *(f"| render {name} | {value:,.0f} ms |" for name, value in render_ms.items()), ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000], help="corpus sizes")
    parser.add_argument("--runs", type=int, default=5, help="loads (and renders) per measurement; medians reported")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY, help="the report's date")
    parser.add_argument("--work", type=Path, help="folder for corpora, cache and pages (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="medlint-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"# medlint report benchmark ({os.cpu_count()} cores, {args.runs} runs each)\n")
    with tempfile.TemporaryDirectory(prefix="medlint-chromium-") as profile:
        for count in args.records:
            print("\n".join(measure(count, args.runs, args.today, work, Path(profile))), flush=True)
    if args.work is None:
        print(f"pages and corpora are in {work}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except chromium.Unavailable as exc:
        sys.exit(f"bench/report.py needs headless Chromium: {exc}")
