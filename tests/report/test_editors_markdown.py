from __future__ import annotations

import datetime as dt
import re

from editors_support import HOSTILE, HOSTILE_URL, editors_report, hostile_record, record, review, site
from support import TODAY

from medlint.history import Week
from medlint.report import editors_markdown
from medlint.report.editors import buckets
from medlint.report.editors_markdown import BUDGET
from medlint.report.markdown import escape as md
from medlint.summary import STATUS_LABELS


def test_sections_tables_and_queue() -> None:
    out = editors_markdown.render(editors_report(dict([
        record("a", "clean"),
        record("b", "late", "sumary: TODO\n" + review("2026-01-01", "2026-11-01", "Dr Late")),
    ])))
    headings = re.findall(r"^#+ (.+)$", out, re.M)
    assert headings[:6] == ["Drug-information records: editorial report", "This week",
                            "Errors to fix, by rule family", "Who has work waiting", "Review queue", "Overdue (1)"]
    for heading in ("Overview", "Findings by rule", "Reviews falling due by month", "Records by population",
                    "Records", "Rules in this report"):
        assert heading in headings
    assert "| Records checked | 2 |" in out and "| Overdue | 1 |" in out and "| Due within 7 days | 0 |" in out
    path = md("records/b/late.yaml")
    assert (f"| {md('Zolgensma: Spinal muscular atrophy (SMA)')} ({path}) | 2026-11-01 | 24 days overdue "
            f"| 2026-01-01 | {md('Dr Late, PharmD')} |") in out.splitlines()
    assert re.search(rf"^- \*\*error\*\* \[{re.escape(path)}:\d+\]\(records/b/late\.yaml\) "
                     r"\[ML102\]\(#ml102-unknown-field\)", out, re.M)
    assert f"1 record without findings: {md('records/a/clean.yaml')}." in out
    assert "### ML102 unknown-field" in out
    width = 0
    for line in out.splitlines():  # every table row has as many cells as its header: no stray `|`
        cells = len(re.findall(r"(?<!\\)\|", line))
        if not line.startswith("|"):
            width = 0
        elif not width:
            width = cells
        else:
            assert cells == width, line


def test_a_hostile_record_is_inert_markdown() -> None:
    out = editors_markdown.render(editors_report(dict([hostile_record()])))
    records = out.split("## Rules in this report")[0]  # the rules' own docs quote `<drug name>` in code
    assert not re.search(r"(?<!\\)<", records)  # no raw HTML at all: every `<` is escaped
    assert f"]({HOSTILE_URL}" not in out and "](javascript:" not in out.lower()
    assert md(HOSTILE_URL) in out  # shown as text
    assert md(HOSTILE) in out


def test_fix_is_said_only_where_medlint_can_fix() -> None:
    """A hint is advice (`add value: here`); only a finding `medlint fix` repairs says it is fixable."""
    path, text = record("b", "fixable")
    out = editors_markdown.render(editors_report(dict([
        record("a", "hinted", "sumary: x\n"), (path, text.replace("route: intravenous", "route: IV"))])))
    lines = [line for line in out.splitlines() if line.startswith("- **error**")]
    assert any("*Hint:*" in line and "ML102" in line and "Fixable" not in line for line in lines)
    assert any("ML104" in line and line.endswith("*Fixable:* `medlint fix`") for line in lines)
    assert "*Fix:*" not in out


def test_a_site_of_ten_thousand_records_fits_a_step_summary_summary_first() -> None:
    corpus = site(10_000)
    out = editors_markdown.render(corpus)
    assert len(out.encode("utf-8")) + 60_000 > BUDGET and len(out.encode("utf-8")) <= BUDGET < 1024 * 1024
    sections = re.findall(r"^## (.+)$", out, re.M)
    assert sections == ["This week", "Review queue", "Overview", "Records", "Rules in this report"]
    for status, rows in buckets(corpus.queue):  # the summary is whole, each bucket cut with its count
        assert f"| {STATUS_LABELS[status]} | {len(rows)} |" in out and f"### {STATUS_LABELS[status]} ({len(rows):,})"
        assert f"… and {len(rows) - 20:,} more records (`medlint report --format csv` lists the whole queue)." in out
    assert "… and 15 more reviewers (the HTML report lists them all)." in out
    shown = len(re.findall(r"^### Brand", out, re.M))
    left = re.search(r"… and ([\d,]+) more records with findings \(([\d,]+) errors, ([\d,]+) warnings\)", out)
    assert left and shown > 100 and shown + int(left.group(1).replace(",", "")) == 3334
    assert int(left.group(2).replace(",", "")) == int(left.group(3).replace(",", "")) == 3334 - shown
    assert "records without findings: " in out and ", and 6,616 more." in out
    assert "… and 9,950 more drugs (the HTML report lists them all)." in out  # dose-limit coverage, least first
    coverage = out[out.index("### Dose limits by drug"):out.index("\n## Records\n")]
    assert "| drug-00000 | none | 1 | 0 of 2 |" in coverage and "drug-00002 |" not in coverage
    assert out.rstrip().endswith("Details: `medlint explain ML306`.")  # the rules' docs come last, whole


def test_a_small_corpus_is_not_cut() -> None:
    out = editors_markdown.render(site(24))
    assert "more records with findings" not in out and "more records (" not in out
    assert len(re.findall(r"^### Brand", out, re.M)) == 8


def test_code_points_of_characters_a_font_may_lack() -> None:
    out = editors_markdown.render(editors_report(dict([record("a", "b", "indication:\n  condition: x ร\n"
                                                                       "  population: adult\n")])))
    assert f"mojibake: {md('`ร (U+0E23)` is mis-encoded text')}" in out


def test_the_trend_comes_after_the_queue() -> None:
    editors = editors_report(dict([record("a", "b")]))._replace(history=[
        Week(TODAY - dt.timedelta(days=7), "abc123", 1, 3, 1, 1, 0, 0), Week(TODAY, "def456", 1, 1, 1, 1, 0, 1)])
    out = editors_markdown.render(editors)
    assert out.index("## Review queue") < out.index("## Over time") < out.index("## Overview")
    assert "errors down from 3 to 1" in out
    assert f"| {TODAY.isoformat()} | `def456` | 1 | 1 | 1 | 1 | 0 | 1 |" in out
