from __future__ import annotations

import re

from editors_support import HOSTILE, HOSTILE_URL, editors_report, hostile_record, record, review

from medlint.report import editors_markdown
from medlint.report.editors_markdown import md


def test_sections_tables_and_queue() -> None:
    out = editors_markdown.render(editors_report(dict([
        record("a", "clean"),
        record("b", "late", "sumary: TODO\n" + review("2026-01-01", "2026-11-01", "Dr Late")),
    ])))
    headings = re.findall(r"^#+ (.+)$", out, re.M)
    for heading in ("Overview", "Findings by rule", "Reviews falling due by month", "Records by population",
                    "Review queue", "Who has work waiting", "Records", "Rules in this report"):
        assert heading in headings
    assert "| Records checked | 2 |" in out
    path = md("records/b/late.yaml")
    assert (f"| Overdue | {md('Zolgensma: Spinal muscular atrophy (SMA)')} ({path}) | 2026-11-01 | 24 days overdue "
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
