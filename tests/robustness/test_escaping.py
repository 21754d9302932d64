"""Every output format, on the same hostile run, keeps its own safety property. A format that is registered
(report.FORMATS, report.EDITORS_FORMATS) without a check here fails this module, so none ships unchecked.

The run: a hostile record at a hostile path linted by the real pipeline, plus findings, suppressions, a
baseline and record summaries whose every text field is hostile (markup, event handlers, `javascript:` URLs,
`%0A`, `\\r\\n::error::`, `]]>`, terminal escapes, control characters, bidi overrides, formula starts, a
100,000-character line). Each format's own tests (tests/report/) show what it prints; this shows what it
never lets record text do, side by side.
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
from urllib.parse import urlsplit

import cmarkgfm
import jsonschema
import pytest
import xmlschema
from ci_support import REFERENCE
from cmarkgfm.cmark import Options
from robustness_support import HOSTILE, HOSTILE_TEXT, LONG_LINE, findings_document, hostile_record
from support import TODAY, run_config, source

from medlint import baseline, engine
from medlint.model import Finding, Position, Severity, json_pointer
from medlint.report import EDITORS_FORMATS, FORMATS, EditorsReport, Report
from medlint.summary import RecordSummary, Source

PATH = "records/evil/<img src=x onerror=alert(1)>%0A\r\n::error::]]>\x1b[31m.yaml"
FORMULA = '=HYPERLINK("https://evil.example","click")'


def _finding(message: str, **fields: object) -> Finding:
    base = Finding(PATH, Position(3, 1, 3, 9), "ML104", "invalid-value", Severity.ERROR, message,
                   json_pointer(("dosing", 0, HOSTILE_TEXT)), HOSTILE_TEXT, HOSTILE_TEXT)
    return base._replace(**fields)  # type: ignore[arg-type]


@cache
def hostile_run() -> EditorsReport:
    config = run_config()
    result = engine.lint_source(source(hostile_record(), PATH), config, engine.Run(TODAY))
    linted = engine.finish([result], config, engine.Run(TODAY))
    assert any(HOSTILE[0] in f.message for f in linted), "the run needs findings that quote the record"
    made = [_finding(HOSTILE_TEXT), _finding(LONG_LINE, severity=Severity.WARNING, hint=None),
            _finding(HOSTILE_TEXT, suppressed=HOSTILE_TEXT), _finding(FORMULA, path=FORMULA)]
    accepted = baseline.Applied(HOSTILE_TEXT, (_finding("accepted " + HOSTILE_TEXT),),
                                (baseline.Entry(PATH, "ML104", HOSTILE_TEXT, 2, "invalid-value"),))
    report = Report(sorted(linted + made, key=Finding.sort_key), 2, 2, TODAY, False, "0.1.0", accepted,
                    link_template="{path}#L{line}")
    summaries = [result.summary, RecordSummary(
        FORMULA, FORMULA, FORMULA, HOSTILE_TEXT, HOSTILE_TEXT, "pediatric", dt.date(2025, 1, 1), None,
        HOSTILE_TEXT, 1, (FORMULA, HOSTILE_TEXT), (Source(HOSTILE_TEXT, "javascript:alert(1)"),
                                                  Source(HOSTILE_TEXT, "https://ok.example/<script>")))]
    return EditorsReport(report, [s for s in summaries if s is not None], scope=HOSTILE_TEXT)


def messages(report: Report) -> list[str]:
    return [f.message for f in report.active]


# --- what "safe" means, format by format ----------------------------------------------------------------

_SPOOFING = {"Cf", "Zl", "Zp"}  # bidi overrides, zero-width characters, line and paragraph separators


def terminal_safe(out: str, report: Report) -> None:
    """Nothing that a terminal executes (ESC, CSI in its one-byte form, BEL, backspace, CR) or that
    reorders or splits what it shows; the characters are shown escaped instead, so the reader sees them."""
    unsafe = {ch for ch in out if (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
              or unicodedata.category(ch) in _SPOOFING}
    assert not unsafe, sorted(f"U+{ord(ch):04X}" for ch in unsafe)
    assert "<script>alert(1)</script>" in out  # record text is shown, not dropped


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
    (line breaks and `%` are encoded), and decodes back to exactly what was found."""
    lines = out.split("\n")
    assert lines[-1] == "" and "\r" not in out
    commands = [_COMMAND.match(line) for line in lines[:-1]]
    assert all(commands), [line for line, match in zip(lines[:-1], commands, strict=True) if not match]
    notices = 1 if report.baseline and report.baseline.stale_notice() else 0
    assert len(commands) == len(report.active) + notices
    data = [_unescape(match.group(2)) for match in commands if match]
    assert all(any(item.startswith(message) for item in data) for message in messages(report))


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
                        "article", "div", "span", "p", "h1", "h2", "h3", "h4", "a", "b", "code", "pre", "table",
                        "thead", "tbody", "tfoot", "tr", "th", "td", "ul", "li", "dl", "dt", "dd", "details",
                        "summary", "figure", "figcaption", "label", "input", "select", "option", "button", "br",
                        "svg", "g", "rect", "text", "line", "desc", "script"})


def html_safe(out: str, report: object) -> None:
    """The page's own script is its only script, the Content-Security-Policy allows no other, and record
    text adds no element, handler or link that runs code."""
    parsed = _markup(out)
    script = (resources.files("medlint") / "html" / "report.js").read_text(encoding="utf-8")
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
    SAFETY[name](FORMATS[name](editors.report), editors.report)


@pytest.mark.parametrize("name", sorted(EDITORS_FORMATS))
def test_every_editors_format_is_safe_on_hostile_text(name: str) -> None:
    if name not in EDITORS_SAFETY:
        pytest.fail(f"the format {name!r} is registered in report.EDITORS_FORMATS but has no safety check "
                    f"in {__file__}")
    editors = hostile_run()
    EDITORS_SAFETY[name](EDITORS_FORMATS[name](editors), editors)


def test_no_check_is_left_for_a_format_that_is_gone() -> None:
    assert set(SAFETY) == set(FORMATS) and set(EDITORS_SAFETY) == set(EDITORS_FORMATS)


@pytest.mark.parametrize("check", [*SAFETY.values(), *EDITORS_SAFETY.values()],
                         ids=[*(f"check-{n}" for n in SAFETY), *(f"editors-check-{n}" for n in EDITORS_SAFETY)])
def test_each_check_catches_raw_hostile_text(check: Callable[[str, Report], None]) -> None:
    """A check that passes on unescaped record text would prove nothing."""
    raw = "\n".join(f"::error ::{text}" for text in (*HOSTILE, FORMULA, "<!-- x -->")) + "\n"
    with pytest.raises((AssertionError, ValueError, ET.ParseError, xmlschema.XMLSchemaException, StopIteration)):
        check(raw, hostile_run().report)
