"""SARIF from the seed fixture's real findings, validated against the SARIF 2.1.0 schema."""
from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from ci_support import REFERENCE, seed_path, seed_report, seed_text
from support import ROOT

from medlint import baseline, docs, rules
from medlint.report import sarif
from medlint.report.base import Report


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads((REFERENCE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _render(report: Report) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(sarif.render(report))
    return document


def test_seed_output_is_valid_sarif(validator: jsonschema.Draft4Validator) -> None:
    report = seed_report()
    document = _render(report)
    validator.validate(document)
    results = document["runs"][0]["results"]
    assert len(results) == len(report.findings) > 1
    assert [r["ruleId"] for r in results] == [f.code for f in report.findings]
    assert {r["level"] for r in results} == {"error", "warning"}


def test_rules_are_described_from_their_docs() -> None:
    driver = _render(seed_report())["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in rules.RULES]
    for described, rule in zip(driver["rules"], rules.RULES, strict=True):
        assert described["name"] == rule.name
        assert described["shortDescription"]["text"] == rule.summary
        assert described["fullDescription"]["text"] == rule.docs.what
        assert described["help"]["markdown"] == docs.rule_markdown(rule)
        assert "## Why it matters" in described["help"]["text"]
        assert described["defaultConfiguration"]["level"] == rule.severity.value


def test_no_address_is_invented_without_a_docs_url() -> None:
    driver = _render(seed_report())["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert not [rule["id"] for rule in driver["rules"] if "helpUri" in rule]


def _github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading: lowercase, punctuation but hyphens dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_a_docs_url_links_every_rule_to_its_section_of_rules_md(validator: jsonschema.Draft4Validator) -> None:
    document = _render(seed_report(docs_url="https://git.internal/medlint/blob/4f2a9c1/docs"))
    validator.validate(document)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://git.internal/medlint/blob/4f2a9c1/docs"
    headings = {_github_anchor(line[3:]) for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
                .splitlines() if line.startswith("## ")}
    for described in driver["rules"]:
        page, anchor = described["helpUri"].split("#")
        assert page == "https://git.internal/medlint/blob/4f2a9c1/docs/rules.md" and anchor in headings


def test_results_point_at_relative_files_and_full_regions() -> None:
    report = seed_report()
    results = _render(report)["runs"][0]["results"]
    for result, finding in zip(results, report.findings, strict=True):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": seed_path().relative_to(ROOT).as_posix(),
                                                "uriBaseId": "%SRCROOT%"}
        assert location["region"] == {"startLine": finding.line, "startColumn": finding.column,
                                      "endLine": finding.position.end_line, "endColumn": finding.position.end_column}
        assert rules.RULES[result["ruleIndex"]].code == result["ruleId"] == finding.code


def test_fingerprints_survive_edits_above_the_finding() -> None:
    text = seed_text()
    before = _render(seed_report(text))["runs"][0]["results"]
    after = _render(seed_report("# a comment added at the top\n# and another\n" + text))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] + 2 for r in before] == \
           [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    prints = [r["partialFingerprints"]["medlint/v1"] for r in before]
    assert len(set(prints)) == len(prints)


def test_inline_suppressions_carry_their_justification(validator: jsonschema.Draft4Validator) -> None:
    # the seed has no `review` block: the schema reports it at the document's first key
    root = next(f for f in seed_report().findings if f.code == "ML101" and f.pointer == "")
    lines = seed_text().splitlines()
    lines.insert(root.line - 1, "# medlint: disable-next-line=ML101 -- quoted as published, for the record")
    document = _render(seed_report("\n".join(lines) + "\n"))
    validator.validate(document)
    suppressed = [r for r in document["runs"][0]["results"] if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "ML101"
    assert suppressed[0]["suppressions"] == [{"kind": "inSource",
                                              "justification": "quoted as published, for the record"}]


def test_baselined_findings_are_left_out_unless_asked_for(validator: jsonschema.Draft4Validator) -> None:
    report = seed_report()
    accepted = tuple(f for f in report.findings if f.code == "ML101")
    kept = [f for f in report.findings if f.code != "ML101"]
    assert accepted and kept
    applied = report._replace(findings=kept, baseline=baseline.Applied("medlint-baseline.json", accepted, ()))
    assert [r["ruleId"] for r in _render(applied)["runs"][0]["results"]] == [f.code for f in kept]
    document = _render(applied._replace(include_suppressed=True))
    validator.validate(document)
    results = document["runs"][0]["results"]
    assert len(results) == len(report.findings)
    external = [r for r in results if r.get("suppressions", [{}])[0].get("kind") == "external"]
    assert {r["ruleId"] for r in external} == {"ML101"} and len(external) == len(accepted)


def _many(count: int, report: Report) -> Report:
    """`count` findings: the seed's, repeated on distinct lines, warnings and errors interleaved."""
    base = report.findings
    findings = [base[i % len(base)]._replace(position=base[i % len(base)].position._replace(line=i + 1))
                for i in range(count)]
    return report._replace(findings=sorted(findings, key=lambda f: f.sort_key()))


def test_a_run_over_githubs_limit_keeps_the_errors_and_says_so(validator: jsonschema.Draft4Validator) -> None:
    report = _many(sarif.MAX_RESULTS + 700, seed_report())
    errors = sum(1 for f in report.active if f.severity.value == "error")
    assert errors < sarif.MAX_RESULTS < len(report.active)
    document = _render(report)
    validator.validate(document)
    run = document["runs"][0]
    assert len(run["results"]) == sarif.MAX_RESULTS
    assert sum(1 for r in run["results"] if r["level"] == "error") == errors  # every error kept
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]]
    assert lines == sorted(lines)  # still in file order
    notice = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notice["level"] == "warning" and f"{sarif.MAX_RESULTS:,} of the run's {len(report.active):,}" in \
        notice["message"]["text"]
    assert sarif.cap_notice(report) == notice["message"]["text"]
    assert sarif.cap_notice(seed_report()) == "" and "toolExecutionNotifications" not in \
        _render(seed_report())["runs"][0]["invocations"][0]


def test_the_file_stays_under_the_upload_size(validator: jsonschema.Draft4Validator) -> None:
    long = seed_report()
    long = long._replace(findings=[f._replace(message=f.message + "x" * 50_000, path=f.path + "/" + "p" * 3_000)
                                   for f in long.findings])
    text = sarif.render(_many(sarif.MAX_RESULTS, long))
    assert len(text.encode("utf-8")) < 10_000_000
    document = json.loads(text)
    assert all(len(r["message"]["text"]) <= sarif.MAX_MESSAGE for r in document["runs"][0]["results"])
    assert "toolExecutionNotifications" in document["runs"][0]["invocations"][0]


def test_a_changed_since_run_has_a_category_of_its_own() -> None:
    assert "automationDetails" not in _render(seed_report())["runs"][0]
    partial = _render(seed_report(partial=True))["runs"][0]["automationDetails"]["id"]
    assert partial == sarif.PARTIAL_CATEGORY and partial.endswith("/")
