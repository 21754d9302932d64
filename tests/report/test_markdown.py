"""The Markdown summary for GitHub step summaries and merge-request comments."""
from __future__ import annotations

import re

from ci_support import seed_report
from support import BASE, TODAY, lint_text, merge

from medlint import baseline
from medlint.model import Finding
from medlint.report import Report, markdown
from medlint.report.base import plural

GITHUB = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "org/content", "GITHUB_SHA": "abc123"}


def test_counts_by_severity_and_rule_from_the_seed() -> None:
    report = seed_report()
    text = markdown.render(report)
    counts = report.counts()
    assert counts["error"] and counts["warning"]
    assert text.startswith(f"## medlint: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}\n")
    assert f"| errors | {counts['error']} |" in text and f"| warnings | {counts['warning']} |" in text
    rows = re.findall(r"^\| (ML\d+) `[a-z-]+` \| (error|warning) \| (\d+) \|$", text, re.MULTILINE)
    assert sum(int(n) for _, _, n in rows) == len(report.active)
    assert [severity for _, severity, _ in rows] == sorted(severity for _, severity, _ in rows)  # errors first


def _lint(path: str, fragment: str = "") -> list[Finding]:
    """A clean record at `path`, with the top-level keys of `fragment` replaced (support.merge)."""
    text = BASE.replace("id: zolgensma/spinal-muscular-atrophy", f"id: {path[len('records/'):-len('.yaml')]}")
    return lint_text(merge(fragment, text)[0] if fragment else text, path)


def test_worst_records_first_with_links_to_file_and_line() -> None:
    clean_path, warned_path, broken_path = ("records/a/clean.yaml", "records/b/warned.yaml", "records/c/broken.yaml")
    warned = _lint(warned_path, "language: en  # medlint: disable=ML104 -- an unused suppression warns")
    broken = _lint(broken_path, "language: en\ndosing:\n  - label: x\n    population: pediatric\n    route: IV\n")
    assert {f.severity.value for f in warned} == {"warning"} and "error" in {f.severity.value for f in broken}
    report = Report([*_lint(clean_path), *warned, *broken], 3, 3, TODAY,
                    link_template=markdown.ci_link_template(GITHUB))
    text = markdown.render(report)
    headings = re.findall(r"^#### \[([^]]+)\]\(([^)]+)\)", text, re.MULTILINE)
    assert [label.replace("\\", "") for label, _ in headings] == [broken_path, warned_path]
    assert headings[0][1] == f"https://github.com/org/content/blob/abc123/{broken_path}#L1"
    line = next(f.line for f in broken if f.code == "ML104")
    assert line > 1
    assert f"[line {line}](https://github.com/org/content/blob/abc123/{broken_path}#L{line})" in text


def test_gitlab_links_and_relative_links_elsewhere() -> None:
    assert markdown.ci_link_template({"CI_PROJECT_URL": "https://gitlab.example/g/p", "CI_COMMIT_SHA": "f00"}) == \
        "https://gitlab.example/g/p/-/blob/f00/{path}#L{line}"
    assert markdown.ci_link_template({}) == ""
    text = markdown.render(Report(lint_text(BASE.replace("route: intravenous", "route: IV")), 1, 1, TODAY))
    assert "](records/zolgensma/spinal-muscular-atrophy.yaml#L" in text


def test_record_text_renders_as_text() -> None:
    hostile = "[x](javascript:alert(1)) <img src=x> @octocat $x$ | **b** https://evil.example www.evil.example :+1:"
    assert markdown.escape(hostile) == (
        "\\[x\\](javascript:alert(1)) \\<img src=x\\> @\u200boctocat \\$x\\$ \\| \\*\\*b\\*\\* "
        "https\\://evil.example www\\.evil.example \\:+1:")
    assert markdown.escape("line\nbreak\r\x1b\u202e") == "line break \\\\x1b\\\\u202e"  # shown, as in the text format


def test_plain_punctuation_is_not_escaped() -> None:
    """Commas, slashes, full stops, colons and hyphens cannot start markup: escaping them only makes the
    raw text (a merge-request comment's source, a log) unreadable."""
    assert markdown.escape("records, tests/fixtures: 1.1 × 10^14 (a-b); 5 mg/kg.") == \
        "records, tests/fixtures: 1.1 × 10^14 (a-b); 5 mg/kg."


def test_a_huge_run_stays_under_githubs_summary_limit() -> None:
    """GitHub refuses a step summary over 1 MiB: records are listed until the budget is spent, then the
    rest is counted, with a link to the job's log where every finding is."""
    one = next(f for f in _lint("records/a/x.yaml", "language: English\n") if f.code == "ML104")
    # 10 findings a record, each quoting 1,000 characters of 4 bytes: over 1 MB if all were shown
    findings = [one._replace(path=f"records/d{i}/x.yaml", position=one.position._replace(line=line),
                             message="𝓍" * 3_000)
                for i in range(3_000) for line in range(1, 11)]
    env = {**GITHUB, "GITHUB_RUN_ID": "42"}
    report = Report(findings, 3_000, 3_000, TODAY, link_template=markdown.ci_link_template(env),
                    run_url=markdown.ci_run_url(env))
    text = markdown.render(report)
    assert len(text.encode("utf-8")) <= markdown.MAX_BYTES < 1_048_576
    shown = len(re.findall(r"^#### ", text, re.MULTILINE))
    assert 0 < shown < markdown.MAX_RECORDS
    left = len(findings) - 10 * shown
    assert text.rstrip().endswith(f"And {plural(left, 'more finding')} in {plural(3_000 - shown, 'more record')}: "
                                  "every finding is listed in [the job's log](https://github.com/org/content/"
                                  "actions/runs/42).")


def test_clean_run_and_baseline_counts() -> None:
    accepted = tuple(seed_report().active)
    stale = (baseline.BaselineEntry("records/a/b.yaml", "ML301", "ug"),)
    text = markdown.render(Report(lint_text(BASE), 1, 1, TODAY,
                                  baseline=baseline.Applied("medlint-baseline.json", accepted, stale)))
    assert text.startswith("## medlint: all clear\n")
    assert f"| baselined | {len(accepted)} |" in text
    assert "1 accepted finding no longer occurs" in text
