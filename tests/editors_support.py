"""Helpers for the `medlint report` tests: lint a small in-memory corpus into an EditorsReport."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from support import BASE, TODAY, merge, run_config, source

from medlint import engine
from medlint.model import Finding, Position, Severity
from medlint.report import EditorsReport, Report
from medlint.summary import SUMMARY, RecordSummary

HOSTILE = ('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
           "</noscript><script>window.__pwned = 4</script>")
HOSTILE_URL = "javascript:window.__pwned=3"


def record(drug: str, indication: str, fragment: str = "") -> tuple[str, str]:
    """A clean record at records/<drug>/<indication>.yaml, with `fragment`'s top-level keys replaced."""
    text = BASE.replace("id: zolgensma/spinal-muscular-atrophy", f"id: {drug}/{indication}")
    return f"records/{drug}/{indication}.yaml", merge(fragment, text)[0] if fragment else text


def review(last: str, due: str, reviewer: str = "A. Reviewer") -> str:
    return (f"review:\n  last_reviewed: {last}\n  next_review_due: {due}\n  reviewers:\n"
            f"    - name: {reviewer}\n      credentials: PharmD\n")


def hostile_record() -> tuple[str, str]:
    """Markup, an event handler and a `javascript:` URL in every kind of field the report shows."""
    quoted = HOSTILE.replace("'", "''")
    path, text = record("evil", "page", (
        f"drug:\n  brand_name: '{quoted}'\n  generic_name: '{quoted}'\n  drug_class: x\n"
        f"indication:\n  condition: '{quoted}'\n  population: adult\n"
        f"review:\n  last_reviewed: 2026-03-02\n  next_review_due: 2026-12-01\n  reviewers:\n"
        f"    - name: '{quoted}'\n      credentials: '{quoted}'\n"
        f"sources:\n  - title: '{quoted}'\n    kind: prescribing-information\n    url: '{HOSTILE_URL}'\n"
        f"    accessed: 2026-02-27\n"
        f"unknown_{{x}}: '{quoted}'\n"))
    return path, text


def editors_report(files: dict[str, str], today: dt.date = TODAY, select: list[str] | None = None,
                   link_template: str = "") -> EditorsReport:
    config = run_config(select=select)
    run = engine.Run(today)
    results = [engine.lint_source(source(text, path, config=config), config, run, (SUMMARY,))
               for path, text in files.items()]
    findings = engine.finish(results, config, run)
    summaries = sorted((SUMMARY.of(r.facts) for r in results if r.facts is not None), key=lambda s: s.path)
    report = Report(findings, len(files), len(summaries), today, False, "0.test", link_template=link_template)
    return EditorsReport(report, summaries)


def git(root: Path, *args: str, when: dt.datetime | None = None) -> str:
    stamp = {"GIT_AUTHOR_DATE": when.isoformat(), "GIT_COMMITTER_DATE": when.isoformat()} if when else {}
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.invalid",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.invalid", "GIT_CONFIG_NOSYSTEM": "1",
           "HOME": str(root), **stamp}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def content_repo(root: Path, today: dt.date = TODAY, commits: int = 20) -> list[str]:
    """A content repository with `commits` commits, one a week up to `today` (ids returned, oldest first):
    records are added, broken (a misspelt key: an error) and mended, and reviewed (their due date moved
    on), so that errors and overdue reviews go up and down over the weeks."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    reviewers = ("Dr Ann", "Dr Bob", "Dr Cy")
    ids = []
    start = today - dt.timedelta(days=7 * commits)
    for week in range(commits):
        day = today - dt.timedelta(days=7 * (commits - 1 - week))
        files: dict[str, str] = {}
        for drug in range(min(3 + week // 2, 10)):  # a record more every other week
            reviews = (week + drug) // 6  # each record is reviewed every six weeks: due 6 weeks later
            due = start + dt.timedelta(days=drug * 9 + reviews * 42)
            broken = "sumary: TODO\n" if (drug + week // 3) % 4 == 0 else ""  # broken, then mended
            files.update([record(f"drug{drug}", "use", broken + review(
                (due - dt.timedelta(days=365)).isoformat(), due.isoformat(), reviewers[drug % 3]))])
        for path, text in files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "--allow-empty", "-m", f"week {week}", when=dt.datetime.combine(day, dt.time(12)))
        ids.append(git(root, "rev-parse", "HEAD").strip())
    return ids


def site(count: int) -> EditorsReport:
    """A site of `count` records: a third with two findings with long messages, every one due for review;
    each its own drug, whose dose-limit table covers one of its two doses in two drugs of three."""
    summaries, findings = [], []
    for index in range(count):
        path = f"records/drug-{index:05d}/indication.yaml"
        summaries.append(RecordSummary(path, f"drug-{index:05d}/indication", f"Brand{index}", "generic", "Condition",
                                       "adult", TODAY - dt.timedelta(days=300), TODAY + dt.timedelta(days=index % 120),
                                       "", 40, (f"Reviewer {index % 40}, PharmD",), (), f"drug-{index:05d}", 2,
                                       int(index % 3 != 0), f"limits/drug-{index:05d}.yaml" if index % 3 else ""))
        if index % 3 == 0:
            findings += [Finding(path, Position(line, 3, line, 9), code, "name", severity, "a message " * 12,
                                 hint="a hint " * 8) for line, code, severity in
                         ((12, "ML301", Severity.ERROR), (30, "ML306", Severity.WARNING))]
    report = Report(sorted(findings, key=Finding.sort_key), count, count, TODAY, False, "0.test")
    return EditorsReport(report, summaries, "records")
