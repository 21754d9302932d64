from __future__ import annotations

import datetime as dt
import re

from editors_support import editors_report, record, review
from support import TODAY

from medlint.baseline import Applied
from medlint.history import Week
from medlint.model import Finding, Position, Severity
from medlint.report import EditorsReport, Report
from medlint.report.editors import (
    Glyph,
    buckets,
    by_family,
    by_rule,
    entries,
    errors_by_family,
    file_link,
    glyphs,
    overview,
    rules_fired,
    safe_url,
    slugs,
    trend,
    workload,
)
from medlint.rules import BUILTIN


def finding(path: str, code: str, severity: Severity, line: int = 1, suppressed: str | None = None) -> Finding:
    return Finding(path, Position(line, 1, line, 2), code, "name", severity, "message", suppressed=suppressed)


def test_overview_counts_records_findings_and_the_queue() -> None:
    editors = editors_report(dict([
        record("a", "clean"),
        record("b", "broken", "sumary: TODO\n" + review("2026-01-01", "2026-11-01")),
        record("c", "soon", "\ufeff" + review("2026-01-01", "2027-01-10")),
    ]), select=["ML0", "ML1"])  # loading and structure rules only: the counts below are exact
    ov = overview(editors)
    assert (ov.records, ov.files, ov.clean) == (3, 3, 1)
    assert ov.with_errors == 1  # the misspelt key
    assert ov.with_warnings == 1  # the byte-order mark
    assert (ov.errors, ov.warnings) == (1, 1)
    assert (ov.overdue, ov.due_soon) == (1, 1)  # from the records' dates, whatever the review rules say


def test_suppressed_and_baselined_findings_are_not_counted_but_noted() -> None:
    findings = [finding("x.yaml", "ML101", Severity.ERROR), finding("x.yaml", "ML102", Severity.ERROR, suppressed="ok")]
    accepted = Applied("baseline.json", (finding("y.yaml", "ML101", Severity.ERROR),) * 3, ())
    ov = overview(EditorsReport(Report(findings, 2, 2, TODAY, baseline=accepted), []))
    assert (ov.errors, ov.suppressed, ov.baselined, ov.with_errors, ov.clean) == (1, 1, 3, 1, 1)


def test_by_rule_is_most_frequent_first_and_by_family_lists_every_family() -> None:
    findings = [finding("x", "ML101", Severity.ERROR), finding("x", "ML102", Severity.ERROR),
                finding("y", "ML102", Severity.WARNING)]
    counts = by_rule(findings, BUILTIN)
    assert [(c.rule.code, c.errors, c.warnings, c.total) for c in counts] == [("ML102", 1, 1, 2), ("ML101", 1, 0, 1)]
    families = by_family(findings, BUILTIN)
    assert ("structure", 2, 1) in families
    assert all(len(row) == 3 for row in families) and ("loading", 0, 0) in families
    assert [rule.code for rule in rules_fired(findings, BUILTIN)] == ["ML101", "ML102"]


def test_entries_put_the_worst_records_first_and_errors_before_warnings() -> None:
    findings = [finding("a", "ML101", Severity.WARNING, 1), finding("b", "ML101", Severity.WARNING, 1),
                finding("b", "ML102", Severity.ERROR, 9), finding("c", "ML101", Severity.ERROR, 2),
                finding("c", "ML102", Severity.ERROR, 3), finding("gone", "ML003", Severity.ERROR)]
    listed = entries(EditorsReport(Report(findings, 4, 0, TODAY), []))
    assert [entry.path for entry in listed] == ["c", "b", "gone", "a"]
    assert [f.severity for f in listed[1].findings] == [Severity.ERROR, Severity.WARNING]
    assert listed[2].summary is None and listed[2].title == "gone"


def test_workload_groups_the_queue_by_reviewer() -> None:
    editors = editors_report(dict([
        record("a", "one", review("2026-01-01", "2026-11-01", "Dr Ann")),
        record("b", "two", review("2026-01-01", "2026-12-01", "Dr Ann")),
        record("c", "three", review("2026-01-01", "2026-12-10", "Dr Bob")),
    ]))
    people = workload(editors.queue)
    assert [name for name, _ in people] == ["Dr Ann, PharmD", "Dr Bob, PharmD"]
    assert people[0][1] == {"overdue": 1, "due-7": 1}
    assert people[1][1] == {"due-30": 1}


def test_buckets_hold_each_record_once_in_queue_order() -> None:
    editors = editors_report(dict([
        record("a", "week", review("2026-01-01", "2026-11-30")),
        record("b", "late", review("2026-01-01", "2026-11-01")),
        record("c", "undated", "review:\n  last_reviewed: 2026-01-01\n  next_review_due: soon\n"
                               "  reviewers: [{name: Dr C}]\n"),
        record("d", "later", review("2026-01-01", "2027-02-01")),
    ]))
    grouped = buckets(editors.queue)
    assert [(status, [row.record.path.split("/")[1] for row in rows]) for status, rows in grouped] == [
        ("no-date", ["c"]), ("overdue", ["b"]), ("due-7", ["a"]), ("due-90", ["d"])]
    assert sum(len(rows) for _, rows in grouped) == len(editors.queue)


def test_reviewer_slugs_are_url_safe_stable_and_unique() -> None:
    names = ["Dr Ann, PharmD", "Dr. Ann PharmD", "(no reviewer)", "<script>x</script>", "José Núñez", "!!!"]
    found = slugs(names)
    assert found["Dr Ann, PharmD"] == "dr-ann-pharmd" and found["Dr. Ann PharmD"] == "dr-ann-pharmd-2"
    assert found["(no reviewer)"] == "no-reviewer" and found["<script>x</script>"] == "script-x-script"
    assert found["José Núñez"] == "josé-núñez" and found["!!!"] == "reviewer"
    assert len(set(found.values())) == len(names)
    assert all(re.fullmatch(r"[\w-]+", slug) for slug in found.values())
    assert slugs(["Dr Ann, PharmD"])["Dr Ann, PharmD"] == found["Dr Ann, PharmD"]  # whatever else is there


def test_errors_by_family_most_errors_first() -> None:
    findings = [finding("x", "ML301", Severity.ERROR), finding("y", "ML301", Severity.ERROR),
                finding("y", "ML302", Severity.ERROR), finding("x", "ML101", Severity.ERROR),
                finding("x", "ML102", Severity.WARNING)]
    families = errors_by_family(findings, BUILTIN)
    assert [(f.family, f.errors, f.records) for f in families] == [("units", 3, 2), ("structure", 1, 1)]
    assert [(rule.code, count) for rule, count in families[0].rules] == [("ML301", 2), ("ML302", 1)]


def test_characters_a_font_may_lack_are_given_their_code_points() -> None:
    parts = glyphs("`ร` is a mis\u200bencoded `×`: 10 µg, é, Ω, д 日")
    special = [part for part in parts if isinstance(part, Glyph)]
    assert [(g.char, g.code, g.invisible) for g in special] == [
        ("ร", "U+0E23", False), ("\u200b", "U+200B", True), ("日", "U+65E5", False)]
    assert special[0].name == "THAI CHARACTER RO RUA" and special[1].name == "ZERO WIDTH SPACE"
    assert "".join(part if isinstance(part, str) else part.char for part in parts) == (
        "`ร` is a mis\u200bencoded `×`: 10 µg, é, Ω, д 日")  # nothing lost, in order
    assert glyphs("") == [] and glyphs("plain") == ["plain"]


def test_trend_says_which_way_errors_and_reviews_go() -> None:
    weeks = [Week(dt.date(2026, 11, 11), "", 0, 0, 0, 0, 0, 0), Week(dt.date(2026, 11, 18), "a", 5, 9, 2, 4, 3, 1),
             Week(dt.date(2026, 11, 25), "b", 5, 6, 2, 3, 5, 1)]
    assert trend(weeks) == ("From 2026-11-18 to 2026-11-25: errors down from 9 to 6; warnings unchanged at 2; "
                            "reviews overdue up from 3 to 5; reviews due within 30 days unchanged at 1.")
    assert "no commit" in trend(weeks[:1])


def test_only_http_urls_become_links() -> None:
    assert safe_url("https://labels.example.org/a.pdf") == "https://labels.example.org/a.pdf"
    assert safe_url("HTTP://example.org") == "HTTP://example.org"
    for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                "data:text/html,<script>", "vbscript:x", "//evil.example", "https:", "file:///etc/passwd", ""):
        assert safe_url(url) is None, url


def test_file_links_fill_the_template_and_quote_the_path() -> None:
    def link(template: str, path: str, line: int) -> str:
        return file_link(EditorsReport(Report([], today=TODAY, link_template=template), []), path, line)

    github = "https://git.example/blob/main/{path}#L{line}"
    assert link(github, "records/a b/c#d.yaml", 7) == "https://git.example/blob/main/records/a%20b/c%23d.yaml#L7"
    assert link("../{path}", "records/x.yaml", 3) == "../records/x.yaml"
    assert link("", "records/x.yaml", 3) == "records/x.yaml"
    assert link(github, "/abs/x y.yaml", 1) == "file:///abs/x%20y.yaml"


def test_queue_uses_the_report_date() -> None:
    files = dict([record("a", "one", review("2026-01-01", "2027-01-10"))])
    assert [row.status for row in editors_report(files).queue] == ["due-60"]
    assert editors_report(files, today=dt.date(2027, 2, 1)).queue[0].status == "overdue"
    assert editors_report(files, today=dt.date(2026, 1, 2)).queue == []
