"""ML302 error-prone-unit: A unit written in a form that ISMP and The Joint Commission list as error-prone."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from ... import excerpt, units
from ...model import Hit, Pointer, Severity
from ...record import Record
from .. import fields
from ..base import Docs, Rule, RuleContext
from .common import FORMAT, ISMP, TJC, UNIT_TOKEN, house_spelling, prose_view, unit_fields

_WHY_ERROR_PRONE: dict[str, str] = {
    "µg": "the µ is misread as m, a 1,000-fold overdose",
    "μg": "the μ is misread as m, a 1,000-fold overdose",
    "ug": "it is misread as mg, a 1,000-fold overdose",
    "cc": "it is misread as u (units) or as two zeros",
    "U": "it is misread as a 0, a 4 or cc, a 10-fold overdose",
    "u": "it is misread as a 0, a 4 or cc, a 10-fold overdose",
    "IU": "it is misread as IV (intravenous) or as 10",
    "mgs": "a unit takes no plural s, and the s is misread as a 5",
    "mg.": "the period is misread as a 1 or as a decimal point",
}
_SAFE_IN_FIELD = frozenset({"µg", "μg", "ug", "cc", "U", "IU", "mgs", "mg."})  # `u` may be a truncated `ug`
_SAFE_IN_PROSE = frozenset({"µg", "μg", "ug", "cc", "IU", "mgs"})  # a lone U in prose may be something else


def _error_prone_tokens(unit: str) -> Iterator[re.Match[str]]:
    return (m for m in UNIT_TOKEN.finditer(unit) if m.group(0) in units.ERROR_PRONE)


def _whole_unit(unit: str) -> str:
    """What to write for a unit field with error-prone tokens: `µg/kg/d` -> `mcg/kg/day`."""
    house = house_spelling(unit)
    return house if units.parse(house) is not None else units.suggest(unit) or house


_MICRO = re.compile(r"[µμ]g(?![A-Za-z])")  # anywhere, not only after a number: µg is never a word
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _error_prone_hit(record: Record, pointer: Pointer, token: str, start: int, end: int, safe: bool,
                     whole: str, joined: bool = False) -> Hit:
    house = units.ERROR_PRONE[token]
    new = (" " if joined else "") + house
    fix = partial(fields.replace_fix, record, pointer, start, end, new, f"write {house} for {token}") if safe else None
    return Hit(pointer, f"write `{house}`, not `{token}`: ISMP lists `{token}` as error-prone because "
                        f"{_WHY_ERROR_PRONE[token]}",
               hint=f"write `{excerpt.quote(whole)}`", start=start, end=end, subject=token, fix=fix)


def _check_error_prone_unit(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, unit in unit_fields(record):
        for match in _error_prone_tokens(unit):
            token = match.group(0)
            yield _error_prone_hit(record, pointer, token, match.start(), match.end(), token in _SAFE_IN_FIELD,
                                   _whole_unit(unit))
    prose = prose_view(record)
    for number in prose.numbers:
        token = number.match["bad"]
        if token:
            pointer, text = prose.segments[number.segment]
            start, end = number.match.start("bad") - number.offset, number.match.end("bad") - number.offset
            yield _prose_error_prone_hit(record, pointer, text, token, start, end)
    if "µ" in prose.joined or "μ" in prose.joined:
        for match in _MICRO.finditer(prose.joined):
            if match.start() and prose.joined[match.start() - 1] in _ASCII_LETTERS:
                continue
            index, start = prose.locate(match.start())
            pointer, text = prose.segments[index]
            yield _prose_error_prone_hit(record, pointer, text, match.group(0), start, start + 2)


def _prose_error_prone_hit(record: Record, pointer: Pointer, text: str, token: str, start: int, end: int) -> Hit:
    gap = 1 if start and text[start - 1] in " \u00a0" else 0
    number_start = start - gap
    while number_start and (text[number_start - 1].isdigit() or text[number_start - 1] in ".,"):
        number_start -= 1
    number = text[number_start:start - gap]
    joined = bool(number) and not gap  # `10U`: the fix must also put in the missing space
    house = units.ERROR_PRONE[token]
    whole = f"{number} {house}" if number else house
    return _error_prone_hit(record, pointer, token, start, end, token in _SAFE_IN_PROSE, whole, joined)


ERROR_PRONE_UNIT = Rule(
    code="ML302", name="error-prone-unit", family="units", severity=Severity.ERROR,
    summary="A unit written in a form that ISMP and The Joint Commission list as error-prone.",
    check=_check_error_prone_unit,
    fixable=True,
    docs=Docs(
        what="Reports `µg`/`μg`/`ug` (write `mcg`), `cc` (`mL`), `U`/`u` and `IU` (`units`), `mgs` and `mg.` "
             "(`mg`) in dose and cap units, and the same designations in the prose where they follow a number "
             "(`250 cc`, `10 U/kg`; `µg` anywhere). Words stay quiet: `U.S.`, `accurate`, `IU` inside a word. "
             "The fix rewrites the unit; a lone `U` is fixed in a unit field only, since in prose it may "
             "mean something else, and a lone `u` never, since it may be a truncated `ug`.",
        why="These are the designations behind real overdoses: `U` read as a zero gives ten times the insulin, "
            "`µg` read as mg a thousand times the dose. Both lists ask that they never appear in anything a "
            "patient or clinician reads.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 1.6\n"
                "      unit: µg/kg/day\n    route: oral\n    frequency: once daily\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 1.6\n"
                    "      unit: mcg/kg/day\n    route: oral\n    frequency: once daily\n",
        references=(ISMP, TJC, FORMAT),
    ),
)
