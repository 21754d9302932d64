"""JUnit XML (the Apache Ant schema that GitLab, Jenkins and most CI servers read).

One test suite per record with findings, one test case per rule that fired in it, failing with every
finding of that rule in that record: a CI test view then lists failures per record. Warnings fail their
test case too (type="warning"): Jenkins marks such a build unstable, GitLab lists them, and the exit
code, not this file, decides whether the job fails. A clean run is one passing test case, so that report
parsers never receive an empty file.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from ..escaping import visible
from ..model import Finding
from .base import Report, plural

_NONCHARACTERS = re.compile("[\ufffe\uffff]")  # the rest of what XML 1.0 cannot hold, escaping.visible shows


def _xml(text: str) -> str:
    """Record text may hold characters XML 1.0 forbids (NUL, ESC, lone surrogates) or a terminal would act
    on (C1 controls, bidi overrides): shown as escapes, as in the text format."""
    return _NONCHARACTERS.sub(lambda match: f"\\u{ord(match.group()):04x}", visible(text))


def _suite(parent: ET.Element, name: str, number: int, report: Report, tests: int, failures: int) -> ET.Element:
    suite = ET.SubElement(parent, "testsuite", {
        "name": _xml(name), "package": "medlint", "id": str(number),
        # the run's date, not the wall clock, so that the same run gives the same file
        "timestamp": f"{report.today.isoformat()}T00:00:00", "hostname": "localhost",
        "tests": str(tests), "failures": str(failures), "errors": "0", "time": "0"})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "medlint.version", "value": report.tool_version or "unknown"})
    return suite


def _close(suite: ET.Element) -> None:
    """The Ant schema requires both elements, even empty."""
    ET.SubElement(suite, "system-out")
    ET.SubElement(suite, "system-err")


def _case(suite: ET.Element, path: str, found: Sequence[Finding]) -> None:
    first = found[0]
    case = ET.SubElement(suite, "testcase", {"name": f"{first.code} {first.name}", "classname": _xml(path),
                                             "time": "0"})
    lines = []
    for finding in found:  # one line each: a line break in the text is escaped with it
        lines.append(_xml(f"{finding.path}:{finding.line}:{finding.column}: {finding.severity} {finding.message}"))
        if finding.hint:
            lines.append(_xml(f"    hint: {finding.hint}"))
    failure = ET.SubElement(case, "failure", {"type": first.severity.value, "message": _xml(
        first.message if len(found) == 1 else f"{plural(len(found), 'finding')}; first: {first.message}")})
    failure.text = "\n".join(lines)


def render(report: Report) -> str:
    root = ET.Element("testsuites")
    by_record: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in report.active:
        by_record[finding.path][finding.code].append(finding)
    for number, (path, by_rule) in enumerate(sorted(by_record.items())):
        suite = _suite(root, path, number, report, tests=len(by_rule), failures=len(by_rule))
        for code in sorted(by_rule):
            _case(suite, path, by_rule[code])
        _close(suite)
    if not by_record:
        suite = _suite(root, "medlint", 0, report, tests=1, failures=0)
        ET.SubElement(suite, "testcase", {"name": f"{plural(report.records, 'record')} checked, no problems found",
                                          "classname": "medlint", "time": "0"})
        _close(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
