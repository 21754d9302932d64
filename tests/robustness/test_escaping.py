"""Every output format, on the same hostile run, keeps its own safety property, and every one of them, and
every command, is as clean for a terminal as the text format. A format that is registered (report.FORMATS,
report.EDITORS_FORMATS) without a check here fails this module, so none ships unchecked.

The run: a hostile record at a hostile path linted by the real pipeline, plus findings, suppressions, a
baseline and record summaries whose every text field is hostile (markup, event handlers, `javascript:` URLs,
`%0A`, `\\r\\n::error::`, `]]>`, terminal escapes in their C0 and C1 forms, control characters, bidi
overrides and isolates, formula starts, a 100,000-character line). Each format's own tests (tests/report/)
show what it prints; this shows what it never lets record text do, side by side. Then the real CLI, every
command and every format, on a repository whose folder and file names, record text and reviewer names hold
C0, C1 and bidi controls; and a property test of the same on random text.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import cmarkgfm
import jsonschema
import pytest
import xmlschema
from ci_support import REFERENCE
from cmarkgfm.cmark import Options
from hypothesis import given, settings, strategies as st
from robustness_support import (
    HOSTILE,
    HOSTILE_TEXT,
    LONG_LINE,
    TODAY as DAY,
    findings_document,
    hostile_record,
    run,
    write,
)
from support import TODAY, run_config, source

from medlint import baseline, engine
from medlint.escaping import visible
from medlint.model import Finding, Position, Severity, json_pointer
from medlint.report import EDITORS_FORMATS, FORMATS, EditorsReport, Report
from medlint.summary import SUMMARY, CitedSource, RecordSummary

PATH = "records/evil/<img src=x onerror=alert(1)>%0A\r\n::error::]]>\x1b[31m\x9b2J\x85\u2028\u202e\u2066.yaml"
FORMULA = '=HYPERLINK("https://evil.example","click")'


def _finding(message: str, **fields: object) -> Finding:
    base = Finding(PATH, Position(3, 1, 3, 9), "ML104", "invalid-value", Severity.ERROR, message,
                   json_pointer(("dosing", 0, HOSTILE_TEXT)), HOSTILE_TEXT, HOSTILE_TEXT)
    return base._replace(**fields)  # type: ignore[arg-type]


@cache
def hostile_run() -> EditorsReport:
    config = run_config()
    result = engine.lint_source(source(hostile_record(), PATH), config, engine.Run(TODAY), (SUMMARY,))
    linted = engine.finish([result], config, engine.Run(TODAY))
    assert any(HOSTILE[0] in f.message for f in linted), "the run needs findings that quote the record"
    made = [_finding(HOSTILE_TEXT), _finding(LONG_LINE, severity=Severity.WARNING, hint=None),
            _finding(HOSTILE_TEXT, suppressed=HOSTILE_TEXT), _finding(FORMULA, path=FORMULA)]
    accepted = baseline.Applied(HOSTILE_TEXT, (_finding("accepted " + HOSTILE_TEXT),),
                                (baseline.BaselineEntry(PATH, "ML104", HOSTILE_TEXT, 2, "invalid-value"),))
    report = Report(sorted(linted + made, key=Finding.sort_key), 2, 2, TODAY, False, "0.1.0", accepted,
                    link_template="{path}#L{line}")
    summaries = [SUMMARY.of(result.facts) if result.facts else None, RecordSummary(
        FORMULA, FORMULA, FORMULA, HOSTILE_TEXT, HOSTILE_TEXT, "pediatric", dt.date(2025, 1, 1), None,
        HOSTILE_TEXT, 1, (FORMULA, HOSTILE_TEXT), (CitedSource(HOSTILE_TEXT, "javascript:alert(1)"),
                                                  CitedSource(HOSTILE_TEXT, "https://ok.example/<script>")))]
    return EditorsReport(report, [s for s in summaries if s is not None], scope=HOSTILE_TEXT)


def messages(report: Report) -> list[str]:
    return [f.message for f in report.active]


# --- what "safe" means, format by format ----------------------------------------------------------------

_SPOOFING = {"Cf", "Zl", "Zp", "Cs"}  # bidi controls, zero-width characters, line separators, undecodable bytes


def terminal_clean(out: str) -> None:
    """Nothing that a terminal executes (ESC, CSI and OSC in their C0 and one-byte C1 forms, BEL, backspace,
    CR, NEL) or that reorders, hides or splits what it shows. The one exception is medlint's own: Markdown
    breaks `@mentions` with a zero-width space after the `@`."""
    shown = out.replace("@\u200b", "@")
    unsafe = {ch for ch in shown if (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
              or unicodedata.category(ch) in _SPOOFING}
    assert not unsafe, sorted(f"U+{ord(ch):04X}" for ch in unsafe)


def terminal_safe(out: str, report: Report) -> None:
    """Clean for a terminal, and the characters are shown escaped instead, so the reader sees them."""
    terminal_clean(out)
    assert "<script>alert(1)</script>" in out  # record text is shown, not dropped
    assert "\\x1b[31m" in out and "\\x9b31m" in out and "\\u202e" in out


def json_safe(out: str, report: Report) -> None:
    """Valid against schemas/findings.schema.json, every message exactly as found."""
    assert [f["message"] for f in findings_document(out)["findings"]] == messages(report)


@cache
def _sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((REFERENCE / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def sarif_safe(out: str, report: Report) -> None:
    document = json.loads(out)
    _sarif_validator().validate(document)
    texts = [result["message"]["text"] for result in document["runs"][0]["results"]]
    # long messages are cut to SARIF's MAX_MESSAGE characters, the cut marked with an ellipsis
    assert all(any(text.startswith(message[:1_000]) for text in texts) for message in messages(report))


@cache
def _junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFERENCE / "junit-ant.xsd"))


def junit_safe(out: str, report: Report) -> None:
    """Well-formed XML 1.0 that its schema accepts, whatever the text (`]]>`, ESC, NUL escapes)."""
    root = ET.fromstring(out.encode("utf-8"))
    _junit_schema().validate(out)
    text = "\n".join(element.text or "" for element in root.iter("failure"))
    assert "<script>alert(1)</script>" in text and "]]>" in text


_COMMAND = re.compile(r"^::(error|warning|notice) [^\r\n]*?::([^\r\n]*)$")


def _unescape(data: str) -> str:
    return re.sub(r"%([0-9A-F]{2})", lambda match: chr(int(match.group(1), 16)), data)


def github_safe(out: str, report: Report) -> None:
    """One workflow command per finding and nothing else: record text can start no command of its own
    (line breaks and `%` are encoded), and decodes back to what was found, shown as the text format shows it."""
    lines = out.split("\n")
    assert lines[-1] == "" and "\r" not in out
    commands = [_COMMAND.match(line) for line in lines[:-1]]
    assert all(commands), [line for line, match in zip(lines[:-1], commands, strict=True) if not match]
    notices = 1 if report.baseline and report.baseline.stale_notice() else 0
    assert len(commands) == len(report.active) + notices
    data = [_unescape(match.group(2)) for match in commands if match]
    shown = [visible(message, line_breaks=True) for message in messages(report)]
    assert all(any(item.startswith(message) for item in data) for message in shown)


def gitlab_safe(out: str, report: Report) -> None:
    issues = json.loads(out)
    assert isinstance(issues, list) and len(issues) == len(report.active)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert all(any(message in issue["description"] for issue in issues) for message in messages(report))


class _Markup(HTMLParser):
    """Collects what HTML does, as opposed to what it shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def _safe_url(url: str | None) -> bool:
    """A link may lead to a web page, a place in this page, or a file beside it: never run code."""
    scheme = urlsplit(url or "").scheme.lower()
    return scheme in ("", "http", "https", "file")


def _inert(parsed: _Markup, allowed_tags: frozenset[str]) -> None:
    stray = [tag for tag, _ in parsed.tags if tag not in allowed_tags]
    assert not stray, stray
    handlers = [(tag, name) for tag, attrs in parsed.tags for name, _ in attrs if name.startswith("on")]
    assert not handlers, handlers
    links = [value for _, attrs in parsed.tags for name, value in attrs if name in ("href", "src", "action")]
    assert all(_safe_url(value) for value in links), [value for value in links if not _safe_url(value)]
    shown = "".join(parsed.text)
    assert "<script>alert(1)</script>" in shown and "<img src=x onerror=alert(1)>" in shown  # shown as text


_MARKDOWN_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "strong", "em", "del", "table",
                            "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "blockquote", "br", "hr", "pre"})


def markdown_safe(out: str, report: object) -> None:
    """Rendered by GitHub's own renderer (cmark-gfm) with raw HTML *allowed*, as a careless host would: the
    result holds only what Markdown itself makes, so record text cannot add a tag, a handler or a script link."""
    html = cmarkgfm.github_flavored_markdown_to_html(out, options=Options.CMARK_OPT_UNSAFE)
    parsed = _markup(html)
    assert not parsed.comments, parsed.comments
    _inert(parsed, _MARKDOWN_TAGS)


_PAGE_TAGS = frozenset({"html", "head", "meta", "title", "style", "body", "header", "main", "footer", "nav", "section",
                        "div", "span", "small", "p", "h1", "h2", "h3", "h4", "a", "b", "code", "pre", "table",
                        "thead", "tbody", "tfoot", "tr", "th", "td", "ul", "li", "dl", "dt", "dd", "details",
                        "summary", "figure", "figcaption", "label", "input", "select", "option", "br", "svg", "rect",
                        "noscript", "script"})
_NOSCRIPT = re.compile(r"<(/?)noscript\b", re.I)


def html_safe(out: str, report: object) -> None:
    """The page's own script is its only script, the Content-Security-Policy allows no other, and record
    text adds no element, handler or link that runs code: neither as a browser without scripts reads the
    page (every <noscript> chunk is markup, checked here like the rest) nor as one with scripts does (a
    <noscript> is raw text up to the first `</noscript`, so record text must never hold one)."""
    script = (resources.files("medlint") / "html" / "report.js").read_text(encoding="utf-8")
    tags = [match.group(1) for match in _NOSCRIPT.finditer(out.replace(script, ""))]
    assert tags == ["", "/"] * (len(tags) // 2), "a <noscript> chunk is closed early or never"
    parsed = _markup(out)
    assert [tag for tag, _ in parsed.tags].count("script") == 1 and parsed.scripts == [script]
    policy = next(dict(attrs)["content"] for tag, attrs in parsed.tags
                  if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy")
    assert policy and "default-src 'none'" in policy and "script-src 'sha256-" in policy
    assert "unsafe-inline" not in policy
    _inert(parsed, _PAGE_TAGS)


def csv_safe(out: str, report: object) -> None:
    """Every row has every column, and no text cell starts a spreadsheet formula (a negative number may)."""
    rows = list(csv.reader(io.StringIO(out)))
    assert len({len(row) for row in rows}) == 1 and len(rows) > 1
    formulas = [cell for row in rows for cell in row
                if cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(r"-\d+", cell)]
    assert not formulas, formulas
    assert any(FORMULA in cell for row in rows for cell in row)  # kept, as text


SAFETY: dict[str, Callable[[str, Report], None]] = {
    "text": terminal_safe, "json": json_safe, "sarif": sarif_safe, "junit": junit_safe, "github": github_safe,
    "gitlab": gitlab_safe, "markdown": markdown_safe,
}
EDITORS_SAFETY: dict[str, Callable[[str, object], None]] = {
    "html": html_safe, "markdown": markdown_safe, "csv": csv_safe,
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_safe_on_hostile_text(name: str) -> None:
    if name not in SAFETY:
        pytest.fail(f"the format {name!r} is registered in report.FORMATS but has no safety check in {__file__}")
    editors = hostile_run()
    out = FORMATS[name](editors.report)
    SAFETY[name](out, editors.report)
    terminal_clean(out)


@pytest.mark.parametrize("name", sorted(EDITORS_FORMATS))
def test_every_editors_format_is_safe_on_hostile_text(name: str) -> None:
    if name not in EDITORS_SAFETY:
        pytest.fail(f"the format {name!r} is registered in report.EDITORS_FORMATS but has no safety check "
                    f"in {__file__}")
    editors = hostile_run()
    out = EDITORS_FORMATS[name](editors)
    EDITORS_SAFETY[name](out, editors)
    terminal_clean(out)


def test_no_check_is_left_for_a_format_that_is_gone() -> None:
    assert set(SAFETY) == set(FORMATS) and set(EDITORS_SAFETY) == set(EDITORS_FORMATS)


def test_html_chunks_that_wait_for_the_script_are_as_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every list folded into <noscript> chunks from its first item: all record text is in a chunk."""
    from medlint.report import html, html_markup, html_records

    for module, name in ((html, "QUEUE_FIRST"), (html_records, "RECORDS_FIRST"), (html, "REVIEWERS_FIRST")):
        monkeypatch.setattr(module, name, 0)
    monkeypatch.setattr(html_markup, "CHUNK", 1)
    editors = hostile_run()._replace(report=hostile_run().report._replace(
        findings=[*hostile_run().report.findings, _finding("</noscript><script>alert(1)</script></NOSCRIPT >")]))
    out = html.render(editors)
    assert out.count("<noscript data-chunk>") >= 4
    html_safe(out, editors)


@pytest.mark.parametrize("check", [*SAFETY.values(), *EDITORS_SAFETY.values()],
                         ids=[*(f"check-{n}" for n in SAFETY), *(f"editors-check-{n}" for n in EDITORS_SAFETY)])
def test_each_check_catches_raw_hostile_text(check: Callable[[str, Report], None]) -> None:
    """A check that passes on unescaped record text would prove nothing."""
    raw = "\n".join(f"::error ::{text}" for text in (*HOSTILE, FORMULA, "<!-- x -->")) + "\n"
    with pytest.raises((AssertionError, ValueError, ET.ParseError, xmlschema.XMLSchemaException, StopIteration)):
        check(raw, hostile_run().report)


# --- every command, end to end, on hostile names and text -----------------------------------------------

HOSTILE_FOLDER = "records/evil\x1b]0;title\x07\x9b31m\x85\u2028\u202e"
HOSTILE_FILE = f"{HOSTILE_FOLDER}/x\x1b[2J\u2066\x9d\u2029.yaml"


def _commands(tmp: Path) -> list[tuple[str, ...]]:
    """Every command, and every format of every command, to stdout and to a file."""
    out = tmp / "out"
    runs: list[tuple[str, ...]] = []
    for name in sorted(FORMATS):
        runs += [("check", "--format", name), ("check", "--report", f"{name}:{out / name}")]
    runs += [("report", "--format", name, "--out", "-") for name in sorted(EDITORS_FORMATS)]
    runs += [("report", "--format", name, "--out", str(out / f"report-{name}")) for name in sorted(EDITORS_FORMATS)]
    runs += [("fix", "--check"), ("fix", "--diff"), ("baseline", "--output", str(out / "baseline.json")),
             ("check", "--baseline", str(tmp / "stale\x1b[31m\u202e.json")), ("fix",), ("rules",),
             ("rules", "--format", "markdown"), ("explain", "ML104"),
             ("check", "records/missing\x1b[31m\x9b2J\u202e.yaml"), ("explain", "\x1b]0;x\x07\x9d\u2066"),
             ("check", "--changed-since", "main\x1b[2J\x85"), ("schema",), ("schema", "--path"),
             ("new", "evil\x1b]0;title\x07\x9b31m/x\u202e"), ("new", "zolgensma/x", "--from", "evil\x1b[2J\x85/x")]
    return runs


def test_every_command_and_format_is_clean_for_a_terminal(repo: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """C0, C1 and bidi controls in a folder name, a file name, record text and reviewer names, through the
    real CLI: every command, every format, stdout, stderr and every file written; the names are shown."""
    write(repo, HOSTILE_FILE, hostile_record())
    (tmp_path / "out").mkdir()
    stale = {"version": 1, "entries": [{"path": HOSTILE_FILE, "code": "ML301", "subject": HOSTILE_TEXT, "count": 1}]}
    (tmp_path / "stale\x1b[31m\u202e.json").write_text(json.dumps(stale), encoding="utf-8")
    for argv in _commands(tmp_path):
        result = run(capsys, *argv, "--today", DAY) if argv[0] not in ("rules", "explain", "schema") \
            else run(capsys, *argv)
        assert result.code in (0, 1, 2), argv
        terminal_clean(result.out)
        terminal_clean(result.err)
        if argv[:2] == ("check", "--format") and argv[2] in ("text", "github", "junit", "markdown"):
            assert "\\x9b31m\\x85\\u2028\\u202e" in result.out.replace("\\\\", "\\"), argv  # the name, shown
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == len(FORMATS) + len(EDITORS_FORMATS) + 1
    for path in written:
        terminal_clean(path.read_text(encoding="utf-8"))


# --- the same on random text ------------------------------------------------------------------------------

_CONTROLS = st.sampled_from(["\x1b", "\x07", "\x9b", "\x9d", "\x9c", "\x85", "\r", "\n", "\u2028", "\u2029",
                             "\u202e", "\u2066", "\u200b", "\ufeff", "\x00", "\udcff", "\U000e0001"])
_TEXT = st.text(st.one_of(st.characters(), _CONTROLS), max_size=40)


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=40)
@given(_TEXT)
def test_every_format_is_clean_for_a_terminal_on_any_text(text: str) -> None:
    """Any text (controls of every kind, lone surrogates, characters beyond the BMP) as a file name, message,
    hint, suppression, baseline entry, reviewer and record title: every format's output is clean."""
    finding = Finding(f"records/a/{text}.yaml", Position(1, 1, 1, 2), "ML104", "invalid-value", Severity.ERROR,
                      text, "/x", text, text)
    accepted = baseline.Applied(text, (), (baseline.BaselineEntry(text, "ML104", text, 1, "invalid-value"),))
    report = Report([finding, finding._replace(suppressed=text)], 1, 1, TODAY, False, "0.1.0", accepted)
    summary = RecordSummary(finding.path, text, text, text, text, "all", None, None, text, 1, (text,),
                            (CitedSource(text, "https://ok.example/" + text),))
    editors = EditorsReport(report, [summary], scope=text)
    for name in sorted(FORMATS):
        terminal_clean(FORMATS[name](report))
    for name in sorted(EDITORS_FORMATS):
        terminal_clean(EDITORS_FORMATS[name](editors))
    assert json.loads(FORMATS["json"](report))["findings"][0]["message"] == text  # JSON stays exact
