from __future__ import annotations

import re

from editors_support import HOSTILE, HOSTILE_URL, editors_report, hostile_record, record, review

from medlint.report import editors_markdown
from medlint.report.editors_markdown import md


def test_md_escapes_markup_and_folds_lines() -> None:
    assert md("a <b> & [c](d) | e*f_g `h`\nnext") == (
        "a &lt;b&gt; &amp; \\[c\\]\\(d\\) \\| e\\*f\\_g \\`h\\` next")


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
    assert re.search(r"^\| Overdue \| Zolgensma: Spinal muscular atrophy \\\(SMA\\\) \(records/b/late\.yaml\) \| "
                     r"2026-11-01 \| 24 days overdue \| 2026-01-01 \| Dr Late, PharmD \|$", out, re.M)
    assert re.search(r"^- \*\*error\*\* \[records/b/late\.yaml:\d+\]\(records/b/late\.yaml\) "
                     r"\[ML102\]\(#ml102-unknown-field\)", out, re.M)
    assert "1 record without findings: records/a/clean.yaml." in out
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
    assert "<script" not in out and "<img" not in out  # `onerror=` is left only inside escaped text
    assert f"]({HOSTILE_URL}" not in out and "](javascript:" not in out.lower()
    assert md(HOSTILE_URL) in out  # shown as text
    assert md(HOSTILE) in out
