"""ML603 control-character: A control, zero-width, bidirectional or private-use character inside a text value."""
from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from functools import partial

from ...excerpt import quote
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from ..fields import replace_fix
from .common import LANGUAGE_SCRIPTS, char_names, damaged_positions, spelt_out, text_values

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad")
# zero-width characters some writing systems need: Thai marks word breaks with U+200B, Persian and
# Indic scripts shape letters with ZWNJ and ZWJ
_LANGUAGE_FORMAT: dict[str, frozenset[str]] = {
    **{code: frozenset("\u200b") for code in ("th", "lo", "km", "my")},
    **{code: frozenset("\u200c\u200d") for code in ("fa", "ur", "ar", "hi", "bn", "mr", "ne", "ta", "te", "kn",
                                                   "ml", "gu", "pa", "si")},
}


def _hidden(text: str, allowed: frozenset[str]) -> frozenset[str]:
    """The control, format, private-use and unassigned characters of a value (tab and newline aside)."""
    return frozenset(ch for ch in set(text)
                     if ch not in "\t\n" and ch not in allowed and unicodedata.category(ch)[0] == "C")


def _hidden_runs(text: str, hidden: frozenset[str], skip: set[int]) -> Iterator[tuple[int, int]]:
    start = -1
    for index, ch in enumerate(text + "\n"):
        if ch in hidden and index not in skip:
            start = index if start < 0 else start
        elif start >= 0:
            yield start, index
            start = -1


def _control_message(run: str) -> str:
    names = char_names(run)
    if any(ch in _BIDI for ch in run):
        return (f"{names} changes the order in which text is displayed, so what reviewers read is not what "
                "is stored (the 'Trojan Source' trick)")
    if all(ch in _ZERO_WIDTH for ch in run):
        return (f"invisible {names}: the word it sits in is a different word for search, screen readers "
                "and every other check, while reviewers see nothing")
    category = unicodedata.category(run[0])
    if category == "Co":
        return f"private-use {names}: it shows as an empty box or as an icon of one font only"
    if category == "Cn":
        return f"{names} is not an assigned Unicode character"
    return f"{names} is a control or formatting character, which has no place in patient-facing text"


def _check_control(record: Record, context: RuleContext) -> Iterator[Hit]:
    language = record.language
    allowed = _LANGUAGE_FORMAT.get(language, frozenset())
    removable = language in LANGUAGE_SCRIPTS and not LANGUAGE_SCRIPTS[language]  # Latin-only languages
    for pointer, text in text_values(record):
        hidden = _hidden(text, allowed)
        if not hidden:
            continue
        for runs in _by_word(text, _hidden_runs(text, hidden, damaged_positions(text, language))):
            start, end = runs[0][0], runs[-1][1]
            found = "".join(text[s:e] for s, e in runs)
            count = f"{len(found):,} invisible characters in one word: " if len(runs) > 1 else ""
            fix = None
            if removable and all(ch in _ZERO_WIDTH for ch in found):
                kept = "".join(text[e:s] for (_, e), (s, _) in itertools.pairwise(runs))
                fix = partial(replace_fix, record, pointer, start, end, kept, f"remove {char_names(found)}")
            yield Hit(pointer, count + _control_message(found),
                      "delete it" + (" (`medlint fix` does, unless it is written as an escape)" if fix else ""),
                      start, end, subject=quote(spelt_out(found)), fix=fix)


def _by_word(text: str, runs: Iterator[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Runs grouped by the word they are in: a word of 50,000 letters and zero-width spaces is one finding."""
    group: list[tuple[int, int]] = []
    for run in runs:
        if group and any(ch.isspace() for ch in text[group[-1][1]:run[0]]):
            yield group
            group = []
        group.append(run)
    if group:
        yield group


CONTROL_CHARACTER = Rule(
    code="ML603", name="control-character", family="text", severity=Severity.ERROR,
    summary="A control, zero-width, bidirectional or private-use character inside a text value.",
    check=_check_control, fixable=True,
    docs=Docs(
        what="Reports C0 and C1 control characters (tab and newline are fine), zero-width characters "
             "(U+200B, U+200C, U+200D, U+2060, U+FEFF inside a value), soft hyphens (U+00AD), "
             "bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), other "
             "invisible formatting characters, private-use and unassigned code points, in every text "
             "value. Raw control characters are rejected by the YAML parser (ML001); these are the ones "
             "that reach a value through escapes such as `\"\\u200b\"` or as raw invisible characters. "
             "The fix deletes zero-width characters and soft hyphens in languages written in Latin only "
             "(there they carry no meaning; in Thai, Persian or Indic scripts they do, and those "
             "languages' own zero-width characters are not reported). Bidirectional controls are not "
             "deleted automatically: what the reviewer saw was the reordered text. A character written "
             "as an escape is reported at the escape; an escaped one is not deleted automatically (the fix "
             "edits only characters written as themselves). Invisible characters in one word are one finding.",
        why="Invisible characters make reviewed text differ from published text: a zero-width space "
            "inside `µg` hides it from the unit rules, a bidirectional override shows reviewers one "
            "text and stores another, and control characters break rendering and search.",
        example="summary: \"Zolgensma is a gene\\u200b therapy that is given one time.\"\n",
        use_instead="summary: \"Zolgensma is a gene therapy that is given one time.\"\n",
        references=("Unicode Technical Standard #39: Unicode Security Mechanisms",
                    "Boucher and Anderson, Trojan Source: Invisible Vulnerabilities (CVE-2021-42574)",
                    "YAML 1.2.2, 5.1 Character Set and 5.7 Escaped Characters"),
    ),
)
