"""GitHub Actions annotations: one workflow command per finding, which record text cannot break out of."""
from __future__ import annotations

from ci_support import seed_report
from support import BASE, TODAY, lint_text

from medlint import baseline
from medlint.report import Report, github

HOSTILE = "%0A::error::x\n::y\r\n%25"  # short: messages cut long values


def _unescape(text: str, property_: bool = False) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if property_ else [])
    for escaped, plain in [*pairs, ("%25", "%")]:
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the Actions runner reads it (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    command, _, properties = line[2:end].partition(" ")
    values = dict(item.split("=", 1) for item in properties.split(",") if item)
    return command, {key: _unescape(value, True) for key, value in values.items()}, _unescape(line[end + 2:])


def test_seed_findings_become_annotations_errors_first() -> None:
    report = seed_report()
    lines = github.render(report).splitlines()
    assert len(lines) == len(report.active)
    commands = [parse(line) for line in lines]
    kinds = [command for command, _, _ in commands]
    assert kinds == sorted(kinds) and set(kinds) == {"error", "warning"}  # "error" < "warning"
    first = report.active[0]
    assert commands[0][1] == {"file": first.path, "line": str(first.line), "endLine": str(first.position.end_line),
                              "col": str(first.column), "endColumn": str(first.position.end_column),
                              "title": f"{first.code} {first.name}"}


def test_record_text_cannot_inject_workflow_commands() -> None:
    text = BASE.replace("route: intravenous", f'route: "{HOSTILE.encode("unicode_escape").decode()}"')
    findings = lint_text(text, "records/a,b:c/x.yaml")
    assert any(HOSTILE in f.message for f in findings), "the test needs a finding that quotes the record text"
    lines = github.render(Report(findings, 1, 1, TODAY)).splitlines()
    assert len(lines) == len(findings)  # no line break got through
    parsed = [parse(line) for line in lines]
    assert {properties["file"] for _, properties, _ in parsed} == {"records/a,b:c/x.yaml"}
    assert sorted((command, data) for command, _, data in parsed) == sorted(
        (f.severity.value, f.message + (f"\nHint: {f.hint}" if f.hint else "")) for f in findings)


def test_control_characters_stay_visible() -> None:
    assert github.escape_data("a\x1b[31mb\x7f") == "a%1B[31mb%7F"


def test_unicode_line_breaks_in_file_names_and_text_are_shown_escaped() -> None:
    """NEL, U+2028 and U+2029 end a line for some log readers: in a file name, a message or a hint they would
    start a forged command there. Each finding stays exactly one line, and they show as the text format shows them."""
    path = "records/a\u2028::error file=x::forged\x85::warning::b\u2029.yaml"
    findings = lint_text(BASE.replace("route: intravenous", 'route: "IV\\u2028::error::forged\\N\\P"'), path)
    text = github.render(Report(findings, 1, 1, TODAY))
    assert not {"\x85", "\u2028", "\u2029"} & set(text)
    assert len(text.splitlines()) == len(findings) and all(line.startswith("::error ") for line in text.splitlines())
    files = {parse(line)[1]["file"] for line in text.splitlines()}
    assert files == {"records/a\\u2028::error file=x::forged\\x85::warning::b\\u2029.yaml"}
    assert any("IV\\u2028::error::forged\\x85\\u2029" in parse(line)[2] for line in text.splitlines())


def test_stale_baseline_entries_become_a_notice() -> None:
    stale = (baseline.BaselineEntry("records/a/b.yaml", "ML301", "µg", 2),)
    text = github.render(Report([], baseline=baseline.Applied("base.json", (), stale)))
    command, properties, data = parse(text.strip())
    assert command == "notice" and properties == {"title": "medlint baseline"}
    assert "2 accepted findings no longer occur" in data
