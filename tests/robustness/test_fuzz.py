"""Property-based fuzzing: random bytes, and valid records mutated byte by byte, value by value and scalar by
scalar, through the whole pipeline (loader, engine, every reporter, the fix planner) and through the CLI.

What must hold for every input: nothing raises and no rule crashes (ML900); every finding has a real
position; `--format json` is valid against schemas/findings.schema.json; every other format is well formed;
a planned fix reads back as a record; and `medlint check` exits 0 or 1 (2 is for usage and config errors,
which record content never is), with the same answer from the cache as without it.

The number of examples comes from the Hypothesis profile that tests/conftest.py selects: `ci` (bounded,
reproducible) by default, `long` with `MEDLINT_FUZZ=long` (docs/robustness.md). Inputs that once failed are
kept as explicit regression tests at the end of this module.
"""
from __future__ import annotations

import contextlib
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings, strategies as st
from robustness_support import HOSTILE, RECORD, findings_document, write
from support import BASE, BASE_PATH, ROOT, TODAY, run_config

from medlint import engine, fix, load
from medlint.cli import main
from medlint.model import Finding
from medlint.report import EDITORS_FORMATS, FORMATS, EditorsReport, Report
from medlint.summary import SUMMARY

pytestmark = pytest.mark.slow  # Hypothesis runs hundreds of examples; `pytest -m "not slow"` skips them

CONFIG = run_config()
RUN = engine.Run(TODAY)
MAX_BYTES = CONFIG.max_file_bytes
_BASE_RECORD = load.load_text(BASE.encode(), BASE_PATH).record
assert _BASE_RECORD is not None
BASE_DATA = _BASE_RECORD.data
SCALAR_NODES = sorted((info.start, info.end) for info in _BASE_RECORD.nodes.values()
                      if info.style not in ("map", "seq"))
# what mutations start from: the clean base record, the starter corpus and the seed page with all its defects
SOURCES = [BASE.encode(), *(path.read_bytes() for path in sorted((ROOT / "records").rglob("*.yaml"))),
           *(path.read_bytes() for path in sorted((ROOT / "tests" / "fixtures" / "seed").rglob("*.yaml")))]


# --- the properties -------------------------------------------------------------------------------------

def _well_formed(name: str, out: str, report: Report) -> None:
    if name == "json":
        assert len(findings_document(out)["findings"]) == len(report.active)
    elif name in ("sarif", "gitlab"):
        json.loads(out)
    elif name == "junit":
        ET.fromstring(out.encode("utf-8"))
    elif name == "github":
        # the runner splits at CR and LF only
        assert "\r" not in out and all(line.startswith("::") for line in out.split("\n")[:-1])
    elif name == "text":
        assert "\x1b" not in out and "\r" not in out


def _positions_are_real(findings: list[Finding], text: str) -> None:
    lines = text.count("\n") + 1
    for finding in findings:
        position = finding.position
        assert 1 <= position.line <= max(lines, 1) and position.column >= 1, finding
        assert (position.end_line, position.end_column) >= (position.line, position.column), finding


def pipeline(data: bytes, path: str = BASE_PATH) -> list[Finding]:
    """Everything medlint does with one file's bytes, in-process, with every property checked."""
    source = load.load_text(data, path, expected=load.expected_id(Path(path)), max_bytes=MAX_BYTES)
    record, problems, text = source.record, source.problems, source.text
    result = engine.lint_source(source, CONFIG, RUN, (SUMMARY,))
    findings = engine.finish([result], CONFIG, RUN)
    crashed = [f.message for f in findings if f.code == "ML900"]
    assert not crashed, crashed
    _positions_are_real(findings, text or data.decode("utf-8", "replace"))
    report = Report(findings, 1, int(record is not None), TODAY, False, "0.1.0")
    for name, render in FORMATS.items():
        _well_formed(name, render(report), report)
    editors = EditorsReport(report, [SUMMARY.of(result.facts)] if result.facts else [], scope="records")
    for render_editors in EDITORS_FORMATS.values():
        render_editors(editors)
    planned = fix.plan(data, path, CONFIG, RUN)
    # a fix is offered only where it reads back as exactly the characters it names (issue 12: an offset error
    # turned 10.05 mg into 105 mg); the planner's character-for-character check must never have to refuse one
    assert not any(clue in planned.refused for clue in _UNINTENDED), planned.refused
    if planned.changed:
        again = load.load_text(planned.after, path, expected=load.expected_id(Path(path)), max_bytes=MAX_BYTES)
        assert again.record is not None and not {p.kind for p in again.problems} - {p.kind for p in problems}
    return findings


_UNINTENDED = ("where they meant", "is not written as itself", "meant for another value", "part of the number",
               "two fixes would edit the same characters")


# --- inputs -----------------------------------------------------------------------------------------------

TOKENS = [": ", "- ", "? ", "&a ", "*a", "<<: *a", "<<: {x: 1}", "!!python/object/apply:os.system ", "!tag ",
          "!!binary ", "---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "{", "}", "[", "]", ",", "#", "|",
          ">-", "'", '"', "\\", "\t", "\r", "\r\n", "\n", "\x00", "\xc2\x85", "\ufeff", "\u2028", "\x85", "\x1b[31m",
          ".inf", ".nan", "9" * 400, "2026-02-30", "0x", "0o", "1e400", " # medlint: disable=ML104", " -- why",
          "\ud7ff", "é", "×", "µg"]
BYTE_TOKENS = [token.encode("utf-8", "surrogatepass") for token in TOKENS] + [b"\xff", b"\xe9", b"\xed\xa0\x80",
                                                                               b"\xef\xbb\xbf", b"\xfe\xff"]


@st.composite
def byte_mutations(draw: st.DrawFn) -> bytes:
    """A real record with a few random edits: bytes or YAML tokens inserted, ranges deleted, duplicated or
    swapped, bytes flipped, the end cut off."""
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "token", "delete", "flip", "duplicate", "truncate", "swap-lines"]))
        if action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "token":
            data[at:at] = draw(st.sampled_from(BYTE_TOKENS))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
        elif action == "truncate":
            del data[at:]
        elif action == "swap-lines":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


KEYS = ["schema_version", "id", "language", "drug", "brand_name", "indication", "population", "age_range", "from",
        "under", "summary", "sections", "faq", "dosing", "label", "dose", "value", "low", "high", "unit", "max_dose",
        "route", "frequency", "weight_range", "review", "last_reviewed", "next_review_due", "reviewers", "name",
        "sources", "url", "accessed", "kind", "<<", ""]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(10**300, 10**400), st.floats(),
    st.sampled_from([*HOSTILE, "2026-02-30", "2026-02-29", "0000-00-00", "9999-12-31", "2026-03-02", "", " ", "~",
                     "yes", "1.1e14", ".5", "1.0", "100000", "0.5 mg", "10 mg/kg", "µg", "IU", "mg/kg/day", "U",
                     "once", "every 0 hours", "pediatric", "adult", "all", "2 years", "0 days", "-1 years",
                     "https://x.org", "javascript:alert(1)", "x" * 2000, "word " * 500,
                     # numbers no float holds, in prose (issue 12: they crashed eight unit rules and ML406)
                     "1 x 10^400 mg", "2e308 mg", "9" * 400 + " mg", "1.5 × 10^-400 mg", "3 × 10^" + "9" * 5000 + " mg",
                     "# medlint: disable=ML900 -- why"]),
    st.text(max_size=40),
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _containers(value: Any, pointer: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield pointer
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(item, (dict, list)):
            yield from _containers(item, (*pointer, key))


@st.composite
def value_mutations(draw: st.DrawFn) -> bytes:
    """The record's data with values replaced, deleted, added or shared (YAML anchors and aliases), written
    back as YAML in a random style."""
    data = json.loads(json.dumps(BASE_DATA))
    for _ in range(draw(st.integers(1, 4))):
        parent = data
        for part in draw(st.sampled_from(list(_containers(data)))):
            parent = parent[part]
        keys = list(parent) if isinstance(parent, dict) else list(range(len(parent)))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "share"]))
        if action == "add" or not keys:
            key = draw(st.sampled_from(KEYS)) if isinstance(parent, dict) else len(parent)
            if isinstance(parent, dict):
                parent[key] = draw(VALUES)
            else:
                parent.append(draw(VALUES))
        elif action == "delete":
            del parent[draw(st.sampled_from(keys))]
        elif action == "share":  # the same object twice: the dumper writes an anchor and an alias
            parent[draw(st.sampled_from(keys))] = parent[draw(st.sampled_from(keys))]
        else:
            parent[draw(st.sampled_from(keys))] = draw(VALUES)
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=draw(st.sampled_from([False, True, None])),
                          width=draw(st.sampled_from([40, 80, 10_000])))
    return text.encode("utf-8", "surrogatepass")


SCALAR_TEXT = st.text(alphabet=st.sampled_from([*"0123456789.-+eE_:,#&*!|>'\"%@`{}[]?~ \\\tabxoµ×/\n",
                                                "\x85", "\u2028", "\ufeff"]), max_size=12)


@st.composite
def scalar_mutations(draw: st.DrawFn) -> bytes:
    """One scalar's source text replaced by YAML-ish text: numbers as written (`.5`, `1.0`, `1_000`), quotes,
    indicators, line breaks; so the raw-text rules and positions meet what authors actually type."""
    start, end = draw(st.sampled_from(SCALAR_NODES))
    return (BASE[:start] + draw(SCALAR_TEXT | SCALARS.map(str)) + BASE[end:]).encode("utf-8", "surrogatepass")


# --- the tests ------------------------------------------------------------------------------------------

@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    pipeline(data)


@given(byte_mutations())
def test_byte_mutations_of_a_valid_record(data: bytes) -> None:
    pipeline(data)


@given(value_mutations())
def test_value_mutations_of_a_valid_record(data: bytes) -> None:
    pipeline(data)


@given(scalar_mutations())
def test_scalar_mutations_of_a_valid_record(data: bytes) -> None:
    pipeline(data)


@pytest.fixture(scope="module")
def cli_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-repo")
    write(root, "medlint.toml", "")
    return root


def _check(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(root), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--today", TODAY.isoformat(), "--format", "json", *extra])
    assert "Traceback" not in err.getvalue()
    return code, findings_document(out.getvalue())


@settings(max_examples=max(10, settings().max_examples // 4))
@given(st.one_of(byte_mutations(), value_mutations(), st.binary(max_size=200)))
def test_cli_check(cli_repo: Path, data: bytes) -> None:
    """The real command on a real file: exit code 0 or 1 as its findings say, and the same answer from the
    cache (written, then read back) as from a fresh lint."""
    write(cli_repo, RECORD, data)
    code, fresh = _check(cli_repo, "--no-cache")
    errors = fresh["summary"]["errors"]
    assert code == (1 if errors else 0)
    assert _check(cli_repo, "--cache-dir", str(cli_repo.parent / "cache")) == (code, fresh)  # writes the cache
    assert _check(cli_repo, "--cache-dir", str(cli_repo.parent / "cache")) == (code, fresh)  # reads it


# --- inputs that once failed --------------------------------------------------------------------------

REGRESSIONS: dict[str, bytes] = {
    # ML401/ML402 crashed (TypeError: unhashable type: 'list'): a population written as a list
    "population-is-a-list": BASE.replace("population: pediatric", "population: []").encode(),
    "dose-population-is-a-list": BASE.replace("    population: pediatric", "    population: [a]").encode(),
    # a syntax error at the end of a file without a final line break was placed on a line past its end
    "error-at-an-unterminated-end": b"schema_version: 1\nid: zolgensma/spinal-muscular-atrophy\nlanguage: en\nd",
    # libyaml counts NEL (U+0085) as a line break, editors do not: later findings landed a line too low
    "next-line-character": b"schema_version: 1\nid: zolgensma/spinal-muscular-atrophy\nlanguage: en\ndrug:\n"
                           b"  brand_name: Zolgensma\n  generic_name: \xc3\x82\xc2\x85?",
    "line-separator-in-a-comment": BASE.replace("# source: the current label", "# source:\u2028\u2029 the label")
                                       .encode(),
    # integers Python cannot parse (over 4,300 digits) or that no float holds crashed the loader or units rules
    "dose-of-5000-digits": BASE.replace("value: 1.1e14", "value: " + "9" * 5000).encode(),
    "dose-of-400-digits": BASE.replace("value: 1.1e14", "value: " + "9" * 400).encode(),
    # `<<: {...}` and `<<: [*a, *b]` were merged while still empty, silently dropping their keys
    "merge-written-in-place": BASE.replace("    route: intravenous\n", "    <<: {route: IV}\n").encode(),
}


@pytest.mark.parametrize("data", list(REGRESSIONS.values()), ids=list(REGRESSIONS))
def test_regressions(data: bytes) -> None:
    pipeline(data)


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029", "\r"])
def test_positions_count_line_feeds_only(separator: str) -> None:
    """Editors, git and CI annotations break lines at LF only; libyaml also at NEL, U+2028, U+2029 and a
    lone CR. A finding after such a character must still name the line an editor shows."""
    text = BASE.replace("brand_name: Zolgensma", f'brand_name: "Zol{separator}gensma"').replace(
        "route: intravenous", "route: IV")
    line = text.split("\n").index("    route: IV") + 1
    assert [(f.line, f.column) for f in pipeline(text.encode()) if f.code == "ML104"] == [(line, 12)]
