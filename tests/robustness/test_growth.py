"""Output grows linearly with the input, however the input repeats a defect (issue 12, finding 5).

20,000 Cyrillic `а` in one value made ML602 report one finding per letter, each quoting the whole word: 800 MB
of output from a 43 KB file, and a MemoryError at 63 KB. What holds now, for every format: a run of one
problem is one finding (per word or run, with a count), every message, hint and subject quotes a bounded
excerpt (medlint.excerpt), and each rule shows at most `max-findings-per-rule` findings per file plus one
summary finding. The property test draws records that repeat random defects thousands of times and checks
the bytes of every format against the bytes of the input.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st
from support import BASE_PATH, TODAY, merge, run_config, source

from medlint import engine, excerpt
from medlint.config import DEFAULT_MAX_FINDINGS
from medlint.model import Finding
from medlint.report import FORMATS, Report

CONFIG = run_config()
RUN = engine.Run(TODAY)
# What every format may write per input byte, and per finding on top (a path, a position, a rule name and
# the format's own framing): generous constants; the point is that the input's size is not squared.
PER_BYTE, PER_FINDING = 4, 4_000

# defects a value can repeat: look-alike and foreign letters, invisible characters, mojibake, error-prone
# units and abbreviations, placeholders, number styles, powers of ten
DEFECTS = ["\u0430", "Z\u043elgensma ", "\u0e01", "a\u0e01", "\u200b", "gene\u200btherapy ", "\u00c3\u2014 ",
           "1.1 \u0e23 10^14 ", "5 cc ", "10 \u00b5g ", "qd ", "{{ drug }} ", "{%", "TODO ", "1.0 mg ", ".5 mg ",
           "10mg ", "100000 units ", "1 x 10^14 ", "1 x 10^400 mg ", "zolgensma ", "\u202e", "\ue000"]


PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))


def lint(text: str) -> list[Finding]:
    return engine.lint([source(text)], CONFIG, RUN)


def _size(findings: list[Finding]) -> dict[str, int]:
    report = Report(findings, 1, 1, TODAY, False, "0.1.0")
    return {name: len(render(report).encode("utf-8")) for name, render in FORMATS.items()}


EMPTY = _size([])  # what a format writes for no finding (SARIF describes every rule: some 200 KB)


def outputs(findings: list[Finding]) -> dict[str, int]:
    """Bytes each format writes for the findings, beyond what it writes for none."""
    return {name: size - EMPTY[name] for name, size in _size(findings).items()}


def with_summary(value: str) -> str:
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return merge(f'summary: "{quoted}"\n')[0]


def check_bounded(text: str, findings: list[Finding]) -> None:
    size = len(text.encode("utf-8"))
    for finding in findings:
        for part in (finding.message, finding.hint or "", finding.subject):
            assert len(part) <= excerpt.MESSAGE_LIMIT + 40, (finding.code, len(part))
    per_rule: dict[str, int] = {}
    for finding in findings:
        per_rule[finding.code] = per_rule.get(finding.code, 0) + 1
    assert max(per_rule.values(), default=0) <= DEFAULT_MAX_FINDINGS + 1, per_rule
    for name, written in outputs(findings).items():
        assert written <= PER_BYTE * size + PER_FINDING * len(findings) + 10_000, (name, written, size)


@pytest.mark.parametrize("size", [20_000, 30_000])
def test_twenty_thousand_cyrillic_letters_are_one_finding(size: int) -> None:
    """The issue's example: a 43 KB file (20,000 letters) and a 63 KB one (30,000, a MemoryError before)."""
    text = with_summary("Z" + "\u0430" * size)
    findings = [f for f in lint(text) if f.code == "ML602"]
    assert len(findings) == 1
    assert f"has {size:,} letters from another script" in findings[0].message
    assert f"({size + 1:,} characters)" in findings[0].message
    check_bounded(text, lint(text))


@pytest.mark.parametrize("defect", DEFECTS)
def test_a_defect_repeated_thousands_of_times_grows_output_linearly(defect: str) -> None:
    sizes = (2_000, 8_000)  # characters of the value; then four times as many
    written = []
    for size in sizes:
        text = with_summary((defect * (size // len(defect) + 1))[:size])
        findings = lint(text)
        check_bounded(text, findings)
        written.append(sum(outputs(findings).values()))
    assert written[1] <= 4.5 * written[0] + 10_000, (defect, written)


@settings(max_examples=30)
@given(st.lists(st.sampled_from(DEFECTS) | st.text(PRINTABLE, min_size=1, max_size=3), min_size=1, max_size=6),
       st.integers(100, 3_000), st.booleans())
def test_any_repeated_mix_of_defects_has_bounded_output(pattern: list[str], repeat: int, spread: bool) -> None:
    """Random defects, repeated into a value of up to some tens of kilobytes, or spread over as many list
    items."""
    unit = "".join(pattern)
    if spread:
        quoted = unit.replace("\\", "\\\\").replace('"', '\\"')
        items = "".join(f'    - "{quoted} {index}"\n' for index in range(repeat // 10))
        text = merge("sections:\n  what_to_expect:\n" + items)[0]
    else:
        text = with_summary(unit * repeat)
    loaded = source(text)
    if loaded.record is None:
        return  # the random characters broke the YAML: the loader's finding, tested elsewhere
    check_bounded(text, engine.lint([loaded], CONFIG, RUN))


def test_the_bound_would_catch_quadratic_output() -> None:
    """The checks above are not vacuous: one finding per letter, each quoting the whole word, fails them."""
    text = with_summary("Z" + "\u0430" * 2_000)
    word = "Z" + "\u0430" * 2_000
    quadratic = [Finding(BASE_PATH, f.position, "ML602", "foreign-script", f.severity, f"`{word}`: {i}")
                 for i, f in enumerate(lint(text) * 2_000)]
    with pytest.raises(AssertionError):
        check_bounded(text, quadratic)
