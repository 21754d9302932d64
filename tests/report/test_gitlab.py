"""GitLab Code Quality from the seed fixture's real findings, checked against GitLab's documented rules."""
from __future__ import annotations

import json
from typing import Any

import jsonschema
from ci_support import seed_path, seed_report, seed_text
from support import ROOT

from medlint.model import Position
from medlint.report import gitlab

# https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format: the fields GitLab requires,
# its severity vocabulary, and one of `location.lines.begin` or `location.positions.begin.line`
CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": r"^(?!/)(?!\./)\S"},
                    "lines": {"type": "object", "required": ["begin"],
                              "properties": {"begin": {"type": "integer", "minimum": 1},
                                             "end": {"type": "integer", "minimum": 1}}},
                },
            },
        },
    },
}


def _issues(text: str | None = None) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = json.loads(gitlab.render(seed_report(text)))
    return issues


def test_seed_output_follows_gitlabs_rules() -> None:
    issues = _issues()
    jsonschema.validate(issues, CODE_QUALITY)
    assert len(issues) == len(seed_report().active) > 1
    assert {issue["location"]["path"] for issue in issues} == {seed_path().relative_to(ROOT).as_posix()}
    assert {issue["severity"] for issue in issues} == {"critical", "minor"}


def test_fingerprints_are_unique_even_for_identical_findings() -> None:
    report = seed_report()
    twin = report.active[0]._replace(position=Position(90, 1, 90, 2))  # the same problem again, further down
    issues = json.loads(gitlab.render(report._replace(findings=[*report.findings, twin])))
    assert len({issue["fingerprint"] for issue in issues}) == len(issues) == len(report.active) + 1


def test_fingerprints_are_stable_across_edits_elsewhere() -> None:
    text = seed_text()
    moved = _issues("# a new first line\n" + text)
    assert [i["fingerprint"] for i in _issues(text)] == [i["fingerprint"] for i in moved]
    lines = [i["location"]["lines"]["begin"] for i in _issues(text)]
    assert [line + 1 for line in lines] == [i["location"]["lines"]["begin"] for i in moved]
