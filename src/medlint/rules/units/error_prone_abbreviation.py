"""ML303 error-prone-abbreviation: A dosing abbreviation that ISMP and The Joint Commission list as error-prone."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...lazyre import Lazy
from ...model import Hit, Severity
from ...prose_numbers import Prose
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import ISMP, TJC, prose_view

# the abbreviation with case, dots, spaces and hyphens taken out -> (what to write instead, why)
_ABBREVIATION_ADVICE: dict[str, tuple[str, str]] = {
    "qd": ("daily", "it is misread as qid (four times a day)"),
    "qod": ("every other day", "it is misread as qd (daily) or qid (four times a day)"),
    "sc": ("subcutaneous, or under the skin", "it is misread as SL (under the tongue)"),
    "sq": ("subcutaneous, or under the skin", "it is misread as 5Q, and its q as 'every'"),
    "subq": ("subcutaneous, or under the skin", "its q is misread as 'every'"),
    "hs": ("at bedtime, or half-strength, whichever is meant",
           "it means both half-strength and bedtime, and the two are mistaken for each other"),
    "d/c": ("discharge, or stop, whichever is meant",
            "it means both discharge and discontinue, and medicines have been stopped by mistake"),
    "tiw": ("three times a week", "it is misread as three times a day or twice a week"),
}
# In the case the ISMP list gives them. Every alternative starts with a rare letter (q, or a capital), so
# the scan is quick; `hs` and `sub q` start with common letters and are looked for only in texts that
# contain them. Whole words only: the character before is checked in code (see _whole_word).
_ABBREVIATION = re.compile(r"(?:q(?:d|\.d\.?|od|\.o\.d\.?)|Q(?:D|\.D\.?|OD|\.O\.D\.?)|S[CQ]|Sub[- ]?[Qq]|HS|D/C"
                           r"|TIW)(?![\w/-])")
_ABBREVIATION_LOWER = re.compile(r"(?:hs|h\.s\.|sub[- ]?[Qq])(?![\w/-])")
_ACRONYM_AFTER = Lazy(r"\(([A-Z]{2,5})\)")  # hidradenitis suppurativa (HS)
_ACRONYM_BEFORE = Lazy(r"\b([A-Z]{2,5}) \(([^()]{3,80})\)")  # HS (hidradenitis suppurativa)
_WORD = Lazy(r"[A-Za-z]+")
_SQUEEZE = str.maketrans("", "", ". -")


def _initials(words: list[str]) -> str:
    return "".join(word[0] for word in words).upper()


def _defined_acronyms(joined: str) -> frozenset[str]:
    """Acronyms the record spells out, such as "hidradenitis suppurativa (HS)": those are names, not
    the error-prone abbreviation that happens to share the letters."""
    found: set[str] = set()
    for match in _ACRONYM_AFTER.finditer(joined):
        acronym = match.group(1)
        words = _WORD.findall(joined[max(0, match.start() - 80):match.start()])[-len(acronym):]
        if _initials(words) == acronym:
            found.add(acronym)
    for match in _ACRONYM_BEFORE.finditer(joined):
        if _initials(_WORD.findall(match.group(2))) == match.group(1):
            found.add(match.group(1))
    return frozenset(found)


def _whole_word(text: str, start: int) -> bool:
    before = text[start - 1] if start else " "
    return not (before.isalnum() or before in "./-_")


def _abbreviations(joined: str) -> Iterator[re.Match[str]]:
    yield from _ABBREVIATION.finditer(joined)
    if "hs" in joined or "h.s." in joined or "sub" in joined:
        yield from _ABBREVIATION_LOWER.finditer(joined)


# ISMP's `>` and `<` before a number ("children > 43 kg", "<2 years"); arrows (`->`, `=>`, `<-`) and
# doubled marks are not comparisons
_COMPARISON = Lazy(r"(?<![-=<>])(?P<sign>[<>]=?)(?![-=<>])[ \u00a0]?"
                         r"(?P<what>(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(?:[ \u00a0]?[A-Za-z%][\w/]*)?)")
_IN_WORDS = {">": "more than {}", "<": "less than {}", ">=": "{} or more", "<=": "{} or less"}


def _comparison_hits(prose: Prose) -> Iterator[Hit]:
    for match in _COMPARISON.finditer(prose.joined):
        sign, what = match["sign"], match["what"]
        index, start = prose.locate(match.start())
        yield Hit(prose.segments[index][0],
                  f"`{sign}` is an error-prone symbol: ISMP lists `>` and `<` because they are read as their "
                  "opposite (and a handwritten `<10` as 40)",
                  hint=f"write it in words: {_IN_WORDS[sign].format(what)}", start=start, end=start + len(sign),
                  subject=sign)


def _check_error_prone_abbreviation(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose = prose_view(record)
    if "<" in prose.joined or ">" in prose.joined:
        yield from _comparison_hits(prose)
    defined: frozenset[str] | None = None
    for match in sorted(_abbreviations(prose.joined), key=lambda m: m.start()):
        written = match.group(0)
        if not _whole_word(prose.joined, match.start()):
            continue
        if written.isupper() and written.isalpha():
            defined = _defined_acronyms(prose.joined) if defined is None else defined
            if written in defined:
                continue
        instead, why = _ABBREVIATION_ADVICE[written.lower().translate(_SQUEEZE)]
        index, start = prose.locate(match.start())
        yield Hit(prose.segments[index][0],
                  f"`{written}` is an error-prone abbreviation: {why}", hint=f"write it out: {instead}",
                  start=start, end=start + len(written), subject=written)


ERROR_PRONE_ABBREVIATION = Rule(
    code="ML303", name="error-prone-abbreviation", family="units", severity=Severity.ERROR,
    summary="A dosing abbreviation that ISMP and The Joint Commission list as error-prone.",
    check=_check_error_prone_abbreviation,
    docs=Docs(
        what="Reports `qd`/`QD`/`q.d.` (write daily), `qod`/`QOD` (every other day), `SC`/`SQ`/`sub q` "
             "(subcutaneous), `HS`/`hs` (at bedtime, or half-strength), `D/C` (discharge or discontinue) and "
             "`TIW` (three times a week) in the prose, as whole words and in the case the lists give; and "
             "the symbols `>` and `<` (with `>=`, `<=`) before a number, as in `children > 43 kg` (write "
             "`more than 43 kg`). It stays quiet on longer words that contain them (`SCID`, `hs-CRP`), on "
             "`IV` and `OD`, on an acronym the record spells out, such as \"hidradenitis suppurativa (HS)\", "
             "and on arrows (`->`, `=>`, `<-`), doubled marks and a `>` that no number follows (`Settings > "
             "Privacy`). No fix is offered: the right words depend on the sentence.",
        why="Each of these has caused harm by being read as something else: `qd` as four times a day, `SC` "
            "as sublingual, `D/C` as 'stop all medicines' at discharge, `>` as `<` (a dose for the lighter "
            "children given to the heavier ones). Patient pages should use plain words in any case.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 10\n"
                "      unit: units\n    route: subcutaneous\n    frequency: once daily\n"
                "    notes: Inject SC qd, at the same time each day. Children > 43 kg take the adult dose.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 10\n"
                    "      unit: units\n    route: subcutaneous\n    frequency: once daily\n"
                    "    notes: Inject under the skin once a day, at the same time each day. Children more "
                    "than 43 kg take the adult dose.\n",
        references=(ISMP, TJC),
    ),
)
