"""JUnit XML from the seed fixture's real findings, validated against the Apache Ant JUnit schema."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest
import xmlschema
from ci_support import REFERENCE, seed_report
from support import BASE, BASE_PATH, TODAY, lint_text

from medlint.report import Report, junit


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFERENCE / "junit-ant.xsd"))


def test_seed_output_is_valid_with_one_case_per_record_and_rule(schema: xmlschema.XMLSchema) -> None:
    report = seed_report()
    text = junit.render(report)
    schema.validate(text)
    suites = ET.fromstring(text).findall("testsuite")
    assert [suite.get("name") for suite in suites] == [report.findings[0].path]
    cases = suites[0].findall("testcase")
    per_rule = Counter(f.code for f in report.active)
    assert [case.get("name", "").split()[0] for case in cases] == sorted(per_rule)
    for case in cases:
        failure = case.find("failure")
        assert failure is not None and failure.text is not None
        code = case.get("name", "").split()[0]
        assert failure.text.count(f"{report.findings[0].path}:") == per_rule[code]
    assert suites[0].get("tests") == suites[0].get("failures") == str(len(per_rule))


def test_warnings_fail_with_their_own_type() -> None:
    report = seed_report()
    types = {case.get("name", "").split()[0]: case.find("failure").get("type")  # type: ignore[union-attr]
             for case in ET.fromstring(junit.render(report)).iter("testcase")}
    assert types == {f.code: f.severity.value for f in report.active}
    assert set(types.values()) == {"error", "warning"}


def test_clean_run_is_one_passing_case(schema: xmlschema.XMLSchema) -> None:
    report = Report(lint_text(BASE), 3, 3, TODAY, False, "0.1.0")
    text = junit.render(report)
    schema.validate(text)
    cases = list(ET.fromstring(text).iter("testcase"))
    assert len(cases) == 1 and not list(cases[0])
    assert cases[0].get("name") == "3 records checked, no problems found"


def test_characters_xml_cannot_hold_are_escaped(schema: xmlschema.XMLSchema) -> None:
    text = BASE.replace("route: intravenous", 'route: "IV\\x1b[31m\\x00 <b>&amp;</b>"')
    report = Report(lint_text(text), 1, 1, TODAY)
    xml = junit.render(report)
    schema.validate(xml)
    failure = next(ET.fromstring(xml).iter("failure"))
    assert "IV\\x1b[31m\\x00 <b>&amp;</b>" in (failure.get("message") or "")
    assert f"{BASE_PATH}:" in (failure.text or "")
