"""Dose units (docs/record-format.md, "Dose units"): house-style units, error-prone designations, consistent doses.

Structured fields (`dosing[].dose`, `dosing[].max_dose`) are read through `medlint.units`; prose is every
patient-facing text field (`fields.prose`). A prose *quantity* is a number directly followed (after optional
spaces) by a house dose unit, such as `10 mg`, `0.2 units/kg` or `1.1 × 10^14 vector genomes/kg`: only
those are checked, so ages, durations, lab values (`mg/dL` is not a dose unit) and gene names stay quiet.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, NamedTuple, TypeGuard

from .. import agreement, excerpt, numbers, quantities, units
from ..record import Record
from ..model import Hit, Pointer, Severity
from . import fields
from .base import Docs, Option, Rule, RuleContext

_ISMP = "ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations (2021)"
_TJC = "The Joint Commission, Official \"Do Not Use\" List of abbreviations"
_UCUM = "The Unified Code for Units of Measure (UCUM), Regenstrief Institute"
_FORMAT = "docs/record-format.md: Dose units"
_POLICY = "House policy: consistent dose units within a record"
_SI = "BIPM, The International System of Units (SI Brochure, 9th edition), section 5.4"

# --- shared pieces ---------------------------------------------------------------------------------

_SPACE = "[ \u00a0\u202f]"  # a space, a no-break space or a narrow no-break space
_UNIT_PATTERN = (
    "(?:" + "|".join(re.escape(n) for n in sorted(units.AMOUNTS, key=len, reverse=True)) + "|kg)"
    "(?:/(?:kg|m2))?(?:/(?:day|hour|minute|week|dose))?(?![\\w/])"
)
_OPERATOR = r"×|[xX*]|ร—?|Ã[—\u0097]?|[·⋅]"  # × and what authors and mis-decoding put in its place
_RIGHT_OPERATORS = frozenset("×·⋅")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
# A number in the prose, with its power of ten and what follows it: a dose unit, an error-prone unit, or
# nothing if there was a power of ten (a plain number, "2 years", is no match at all, which keeps the scan
# in C). The look-behinds come after the first character, so that the scan can skip quickly to digits;
# they keep out digits that continue a word or a number (SMN1, AAV9, CYP3A4, COVID-19, the 5 of 2.5, the
# 14 of 10^14). A naked decimal (`.5`) gets its own pattern, which starts with a literal point: one pattern
# starting with either costs twice as much.
_AFTER_NUMBER = (
    rf"(?:(?P<op>{_SPACE}*(?:{_OPERATOR}){_SPACE}*)10(?P<power>(?:\^|\*\*)[-+−]?[0-9]+|[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<e>[eE][-+]?[0-9]+)(?!\w|\.[0-9]))?"
    rf"(?P<space>{_SPACE}*)"
    rf"(?:(?P<unit>{_UNIT_PATTERN})|(?P<bad>ug|cc|IU|U|u|mgs)(?![\w'’]|\.[A-Za-z])|(?(op)|(?(e)|(?!))))"
)
_NUMBERS = (
    re.compile(r"(?P<num>[0-9](?<![\w.,^/][0-9])(?<![A-Za-z]-[0-9])(?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)"
               r"(?:\.[0-9]+)?)" + _AFTER_NUMBER),
    re.compile(r"(?P<num>\.(?<![\w.,]\.)[0-9]+)" + _AFTER_NUMBER),
)


class _Number(NamedTuple):
    """A number in the prose; offsets are into its own text (segment), as hits need them."""

    segment: int
    num: str  # the number as written, without any power of ten
    num_start: int
    num_end: int
    value: float | None  # None: beyond what a float holds (ML315 reports it, the other rules skip it)
    exponent: str | None  # the power of ten as signed digits (`14`, `-3`), when written
    spaced: bool  # a space between the number (and its power) and what follows
    unit_text: str  # "" when no dose unit follows
    unit_start: int
    end: int
    unit: units.Unit | None  # None when no dose unit follows, and for kg (a body weight)
    match: re.Match[str]  # of the joined text: for the rules that look at the operator or a bad unit
    offset: int  # where the segment starts in the joined text


class _Prose(NamedTuple):
    """A record's patient-facing texts, joined once so that each rule scans one string, not thirty."""

    segments: tuple[tuple[Pointer, str], ...]
    joined: str
    starts: tuple[int, ...]
    numbers: tuple[_Number, ...]

    def locate(self, offset: int) -> tuple[int, int]:
        """(segment index, offset in it) of an offset into the joined text."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index, offset - self.starts[index]


def _exponent(match: re.Match[str]) -> str | None:
    power = match["power"] or (match["e"] or "")[1:]
    if not power:
        return None
    signed = power.lstrip("^*").translate(_SUPERSCRIPTS).replace("−", "-")
    return ("-" if signed.startswith("-") else "") + (signed.lstrip("+-").lstrip("0") or "0")


def _read_number(match: re.Match[str], starts: list[int]) -> _Number:
    segment = bisect.bisect_right(starts, match.start()) - 1
    offset = starts[segment]
    exponent = _exponent(match)
    value = numbers.scaled(match["num"], exponent)
    unit_text = match["unit"] or ""
    return _Number(segment, match["num"], match.start("num") - offset, match.end("num") - offset, value, exponent,
                   bool(match["space"]), unit_text, match.start("unit") - offset, match.end() - offset,
                   units.parse(unit_text) if unit_text else None, match, offset)


def _view(segments: tuple[tuple[Pointer, str], ...]) -> _Prose:
    starts: list[int] = []
    position = 0
    for _, text in segments:
        starts.append(position)
        position += len(text) + 1
    joined = "\n".join(text for _, text in segments)  # a line break: no token runs across two texts
    matches = sorted((m for pattern in _NUMBERS for m in pattern.finditer(joined)), key=lambda m: m.start())
    return _Prose(segments, joined, tuple(starts), tuple(_read_number(m, starts) for m in matches))


def _prose(record: Record) -> _Prose:
    """The record's prose view, shared by the rules of this family (eight of them read it in turn)."""
    return record.derived("units.prose", lambda r: _view(fields.prose(r)))


def _quantities(record: Record) -> Iterator[tuple[Pointer, str, _Number]]:
    """Every number followed by a dose unit (or kg) in the prose that a float holds: (pointer, text, number)."""
    prose = _prose(record)
    for number in prose.numbers:
        if number.unit_text and number.value is not None:
            pointer, text = prose.segments[number.segment]
            yield pointer, text, number


def _is_number(value: Any) -> TypeGuard[float]:
    return numbers.finite(value) is not None


_NUMBER_KEYS = (("dose", ("value", "low", "high")), ("max_dose", ("value",)))


class _DoseNumber(NamedTuple):
    pointer: Pointer
    value: float
    raw: str  # the source text, `1.0` or `.5`; "" when not a plain scalar
    unit: units.Unit | None


def _dose_numbers(record: Record) -> Iterator[_DoseNumber]:
    """Every number of every dose and cap, with the unit it is in."""
    for index, entry in fields.dose_entries(record):
        for block, keys in _NUMBER_KEYS:
            quantity = entry.get(block)
            if not isinstance(quantity, dict):
                continue
            unit = quantity.get("unit")
            parsed = units.parse(unit) if isinstance(unit, str) else None
            for key in keys:
                pointer: Pointer = ("dosing", index, block, key)
                value = quantity.get(key)
                if _is_number(value):
                    info = record.nodes.get(pointer)
                    plain = info is not None and info.style is None
                    yield _DoseNumber(pointer, float(value), record.raw(pointer) if plain else "", parsed)


def _unit_fields(record: Record) -> Iterator[tuple[Pointer, str]]:
    for index, entry in fields.dose_entries(record):
        for block in ("dose", "max_dose"):
            quantity = entry.get(block)
            if isinstance(quantity, dict) and isinstance(quantity.get("unit"), str):
                yield ("dosing", index, block, "unit"), quantity["unit"]


def _label(record: Record, index: int) -> str:
    label = record.get(("dosing", index, "label"))
    return f"dosing[{index}] (“{label}”)" if isinstance(label, str) else f"dosing[{index}]"


# --- ML301 unknown-unit, ML302 error-prone-unit ---------------------------------------------------------

_UNIT_TOKEN = re.compile(r"[^/\s]+")
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
    return (m for m in _UNIT_TOKEN.finditer(unit) if m.group(0) in units.ERROR_PRONE)


def _house_spelling(unit: str) -> str:
    return _UNIT_TOKEN.sub(lambda m: units.ERROR_PRONE.get(m.group(0), m.group(0)), unit)


def _whole_unit(unit: str) -> str:
    """What to write for a unit field with error-prone tokens: `µg/kg/d` -> `mcg/kg/day`."""
    house = _house_spelling(unit)
    return house if units.parse(house) is not None else units.suggest(unit) or house


_HOUSE_LIST = ("mg, mcg, g, mL, units, million units, mmol, mEq, %, vector genomes, tablets, capsules, puffs "
               "or drops, optionally per kg or m2 and then per day, hour, minute, week or dose (mg/kg/day)")


def _check_unknown_unit(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, unit in _unit_fields(record):
        # an error-prone spelling of a house unit is ML302's finding, not this one's
        if not unit.strip() or units.parse(_house_spelling(unit)) is not None:
            continue
        suggestion = units.suggest(unit)
        yield Hit(pointer, f"`{excerpt.quote(unit)}` is not a dose unit in house style, so it cannot be mapped to "
                           "UCUM or compared with the other doses",
                  hint=f"write `{suggestion}`" if suggestion else f"use a house unit: {_HOUSE_LIST}",
                  subject=unit)


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
    for pointer, unit in _unit_fields(record):
        for match in _error_prone_tokens(unit):
            token = match.group(0)
            yield _error_prone_hit(record, pointer, token, match.start(), match.end(), token in _SAFE_IN_FIELD,
                                   _whole_unit(unit))
    prose = _prose(record)
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


UNKNOWN_UNIT = Rule(
    code="ML301", name="unknown-unit", family="units", severity=Severity.ERROR,
    summary="A dose unit that is not in the house vocabulary.",
    check=_check_unknown_unit,
    docs=Docs(
        what="Reports a `dose` or `max_dose` unit that is not a house unit: one of " + _HOUSE_LIST + ". "
             "The hint names the house unit the author probably meant (`mcg/kg/d` -> `mcg/kg/day`). "
             "Error-prone spellings of house units (`µg`, `cc`, `IU`) are ML302's findings, not this rule's.",
        why="Every house unit maps to a UCUM code, which is what lets medlint compare a dose with its cap, "
            "with the other doses and with the prose. A unit outside the vocabulary defeats all of those "
            "checks, and an unfamiliar abbreviation on a page is one a reader must guess at.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 1.6\n"
                "      unit: mcg/kg/d\n    route: oral\n    frequency: once daily\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 1.6\n"
                    "      unit: mcg/kg/day\n    route: oral\n    frequency: once daily\n",
        references=(_FORMAT, _UCUM),
    ),
)

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
        references=(_ISMP, _TJC, _FORMAT),
    ),
)

# --- ML303 error-prone-abbreviation ---------------------------------------------------------------------

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
_ACRONYM_AFTER = re.compile(r"\(([A-Z]{2,5})\)")  # hidradenitis suppurativa (HS)
_ACRONYM_BEFORE = re.compile(r"\b([A-Z]{2,5}) \(([^()]{3,80})\)")  # HS (hidradenitis suppurativa)
_WORD = re.compile(r"[A-Za-z]+")
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
_COMPARISON = re.compile(r"(?<![-=<>])(?P<sign>[<>]=?)(?![-=<>])[ \u00a0]?"
                         r"(?P<what>(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(?:[ \u00a0]?[A-Za-z%][\w/]*)?)")
_IN_WORDS = {">": "more than {}", "<": "less than {}", ">=": "{} or more", "<=": "{} or less"}


def _comparison_hits(prose: _Prose) -> Iterator[Hit]:
    for match in _COMPARISON.finditer(prose.joined):
        sign, what = match["sign"], match["what"]
        index, start = prose.locate(match.start())
        yield Hit(prose.segments[index][0],
                  f"`{sign}` is an error-prone symbol: ISMP lists `>` and `<` because they are read as their "
                  "opposite (and a handwritten `<10` as 40)",
                  hint=f"write it in words: {_IN_WORDS[sign].format(what)}", start=start, end=start + len(sign),
                  subject=sign)


def _check_error_prone_abbreviation(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose = _prose(record)
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
        references=(_ISMP, _TJC),
    ),
)

# --- ML304 trailing-zero, ML305 naked-decimal -----------------------------------------------------------

_RAW_NUMBER = re.compile(r"(?P<sign>[-+]?)(?P<int>\d*)(?:\.(?P<frac>\d*))?(?P<exp>[eE][-+]?\d+)?")


def _trailing_zero(number: str) -> str | None:
    """`1.0` -> `1`, `1.50` -> `1.5`, `2.0e14` -> `2e14`; None when there is no trailing zero."""
    match = _RAW_NUMBER.fullmatch(number)
    if match is None or match["frac"] is None or (match["frac"] and not match["frac"].endswith("0")):
        return None
    frac = match["frac"].rstrip("0")
    return f"{match['sign']}{match['int']}{'.' + frac if frac else ''}{match['exp'] or ''}"


def _naked_decimal(number: str) -> str | None:
    """`.5` -> `0.5`; None when the number has a leading digit."""
    match = _RAW_NUMBER.fullmatch(number)
    if match is None or match["int"] or not match["frac"]:
        return None
    return f"{match['sign']}0{number[len(match['sign']):]}"


# "0.5 unit", "1.0 tablet": a singular count is a dose too, though the house units are plural
_SINGULAR_DOSE = re.compile(r"(?<![\w.,])(?P<num>[0-9]*\.[0-9]+)[ \u00a0]?(?P<unit>(?:unit|tablet|capsule|puff|drop)"
                            r"(?:/(?:kg|m2))?(?:/(?:day|hour|minute|week|dose))?)(?![\w/])")


def _prose_doses(record: Record) -> Iterator[tuple[Pointer, str, str, int, int]]:
    """Every dose in the prose: (pointer, number, unit, where the number starts and ends)."""
    for pointer, _, quantity in _quantities(record):
        if quantity.unit is not None:
            yield pointer, quantity.num, quantity.unit_text, quantity.num_start, quantity.num_end
    for pointer, text in _prose(record).segments:
        if "." in text:
            for match in _SINGULAR_DOSE.finditer(text):
                yield pointer, match["num"], match["unit"], match.start("num"), match.end("num")


def _number_style_hits(record: Record, rewrite: Callable[[str], str | None], message: str,
                       hint: str) -> Iterator[Hit]:
    """Hits for dose numbers that `rewrite` tidies, in the structured dosing and in the prose."""
    for number in _dose_numbers(record):
        new = rewrite(number.raw) if number.raw else None
        if new is not None:
            key = number.pointer[-1]
            yield Hit(number.pointer, message.format(old=f"{key}: {number.raw}", new=new, unit=""),
                      hint=hint.format(old=number.raw, new=f"{key}: {new}"), subject=number.raw,
                      fix=fields.raw_fix(record, number.pointer, new, f"write {new}"))
    for pointer, old, unit, start, end in _prose_doses(record):
        new = rewrite(old)
        if new is not None:
            yield Hit(pointer, message.format(old=old, new=new, unit=" " + unit),
                      hint=hint.format(old=old, new=new), start=start, end=end, subject=f"{old} {unit}",
                      fix=partial(fields.replace_fix, record, pointer, start, end, new, f"write {new}"))


def _check_trailing_zero(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from _number_style_hits(
        record, _trailing_zero,
        "`{old}{unit}` has a trailing zero: if the decimal point is missed it reads as ten times the dose",
        "write `{new}`")


def _check_naked_decimal(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from _number_style_hits(
        record, _naked_decimal,
        "`{old}{unit}` has no zero before the decimal point: if the point is missed it reads as ten times "
        "the dose or more", "write `{new}`")


_DOSING_1 = ("dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: {value}\n"
             "      unit: mg\n    route: oral\n    frequency: once daily\n")

TRAILING_ZERO = Rule(
    code="ML304", name="trailing-zero", family="units", severity=Severity.ERROR,
    summary="A dose written with a trailing zero after the decimal point (1.0 mg).",
    check=_check_trailing_zero,
    fixable=True,
    docs=Docs(
        what="Reports dose and cap values written with trailing zeros (`value: 1.0`, `1.50`, `2.0e14`: the "
             "source text is read, not the parsed number) and prose doses such as `1.0 mg` or `1.0 unit` "
             "(a singular unit or count is read like the plural). Only numbers followed by a dose unit are "
             "read in prose, so a lab value or a version number stays quiet. "
             "The fix drops the zeros.",
        why="`1.0 mg` is read as `10 mg` when the decimal point is faint or missed: a tenfold overdose. The "
            "Joint Commission forbids it in all medication-related documentation.",
        example=_DOSING_1.format(value="1.0"),
        use_instead=_DOSING_1.format(value="1"),
        references=(_TJC, _ISMP, _FORMAT),
    ),
)

NAKED_DECIMAL = Rule(
    code="ML305", name="naked-decimal", family="units", severity=Severity.ERROR,
    summary="A dose below 1 written without a leading zero (.5 mg).",
    check=_check_naked_decimal,
    fixable=True,
    docs=Docs(
        what="Reports dose and cap values written as `.5` (the source text is read: YAML parses it to 0.5) "
             "and prose doses such as `.5 mg` or `.5 unit`. The fix writes the leading zero.",
        why="`.5 mg` is read as `5 mg` when the decimal point is missed: a tenfold overdose. The Joint "
            "Commission forbids it in all medication-related documentation.",
        example=_DOSING_1.format(value=".5"),
        use_instead=_DOSING_1.format(value="0.5"),
        references=(_TJC, _ISMP, _FORMAT),
    ),
)

# --- ML306 number-unit-spacing --------------------------------------------------------------------------


def _check_number_unit_spacing(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, text, quantity in _quantities(record):
        # a percentage is written against its number (`1% cream`) in every style guide
        if quantity.spaced or quantity.unit_text == "%" or quantity.exponent is not None:
            continue
        first = text[quantity.unit_start]
        written = excerpt.quote(text[quantity.num_start:quantity.end])
        fix = partial(fields.replace_fix, record, pointer, quantity.unit_start, quantity.unit_start + 1, " " + first,
                                "put a space between the number and the unit")
        yield Hit(pointer, f"`{written}` runs the number into its unit: the unit's first letter can be read "
                           "as a digit", hint=f"write `{quantity.num} {quantity.unit_text}`",
                  start=quantity.num_start, end=quantity.end, subject=written, fix=fix)


NUMBER_UNIT_SPACING = Rule(
    code="ML306", name="number-unit-spacing", family="units", severity=Severity.ERROR,
    summary="A number run into its unit (10mg) in the prose.",
    check=_check_number_unit_spacing,
    fixable=True,
    docs=Docs(
        what="Reports a number written against a dose unit or kg in the prose (`10mg`, `5mL`, `40kg`). Names "
             "that contain digits (`SMN1`, `AAV9`, `CYP3A4`, `COVID-19`) and percentages (`1%`) stay quiet. "
             "The fix inserts a space.",
        why="ISMP lists `10mg` as error-prone: the m is misread as one or two zeros (`100 mg`). The SI "
            "writes a space between a number and its unit.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 10\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n    notes: Take 10mg once a day.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 10\n"
                    "      unit: mg\n    route: oral\n    frequency: once daily\n"
                    "    notes: Take 10 mg once a day.\n",
        references=(_ISMP, _SI),
    ),
)

# --- ML307 missing-thousands-separator ------------------------------------------------------------------


def _exponent_form(value: float) -> str:
    mantissa, exponent = f"{value:e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def _check_thousands(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose_min, field_min = context.options["min-value"], context.options["structured-min-value"]
    for number in _dose_numbers(record):
        if number.raw.isdigit() and number.value >= field_min:
            instead = f"`{_exponent_form(number.value)}`"
            if number.unit is not None and number.unit.amount.name == "units":
                instead += f", or `{number.value / 1e6:g}` with `unit: million units`"
            yield Hit(number.pointer, f"`{number.raw}` is hard to count at a glance: reviewers misread it as ten "
                                      "times more or less", hint=f"write {instead}", subject=number.raw)
    for pointer, _, quantity in _quantities(record):
        whole = quantity.num.partition(".")[0]
        if (quantity.unit is None or quantity.exponent is not None or not whole.isdigit()
                or not numbers.at_least(whole, prose_min)):
            continue
        new = numbers.grouped(whole) + quantity.num[len(whole):]
        yield Hit(pointer, f"`{quantity.num} {quantity.unit_text}` has no thousands separators: it is easily "
                           "misread as ten times more or less",
                  hint=f"write `{new} {quantity.unit_text}`", start=quantity.num_start, end=quantity.num_end,
                  subject=f"{quantity.num} {quantity.unit_text}",
                  fix=partial(fields.replace_fix, record, pointer, quantity.num_start, quantity.num_end, new,
                              f"write {new}"))


MISSING_THOUSANDS_SEPARATOR = Rule(
    code="ML307", name="missing-thousands-separator", family="units", severity=Severity.ERROR,
    summary="A large dose written without thousands separators (100000 units).",
    check=_check_thousands,
    options={
        "min-value": Option(1000, "prose doses from this value up need thousands separators (ISMP: 1,000)"),
        "structured-min-value": Option(100000, "dose and cap values written as a plain run of digits from this "
                                               "value up are reported (YAML numbers cannot hold commas)"),
    },
    fixable=True,
    docs=Docs(
        what="Reports prose doses of 1,000 or more written without separators (`100000 units` -> "
             "`100,000 units`; the fix inserts the commas). In the structured dosing a YAML number cannot "
             "hold commas and the page renders the number itself, so only a long run of digits is reported "
             "(`value: 2400000`, from 100,000 by default): write it in exponent form (`2.4e6`) or in a larger "
             "unit (`2.4 million units`), which is what a reviewer reading the file can count.",
        why="`100000` and `1000000` look alike; a miscount is a tenfold error. ISMP asks for commas in doses "
            "of 1,000 and more, or words such as `2.4 million units`.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 5000\n"
                "      unit: units\n    route: subcutaneous\n    frequency: every 12 hours\n"
                "    notes: Inject 5000 units under the skin.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 5000\n"
                    "      unit: units\n    route: subcutaneous\n    frequency: every 12 hours\n"
                    "    notes: Inject 5,000 units under the skin.\n",
        references=(_ISMP, _SI),
    ),
)

# --- ML308 mixed-units, ML314 mixed-unit-scales ------------------------------------------------------------


def _band(value: Any) -> tuple[tuple[str, str], ...] | None:
    return tuple(sorted((str(k), str(v)) for k, v in value.items())) if isinstance(value, dict) else None


class _EntryUnit(NamedTuple):
    entry_index: int
    unit: units.Unit
    population: str
    route: str
    entry: dict[str, Any]


def _entry_units(record: Record) -> Iterator[_EntryUnit]:
    """Each dose entry with its dose unit, population and route, where all three are readable."""
    for index, entry in fields.dose_entries(record):
        dose = entry.get("dose")
        unit = units.parse(dose["unit"]) if isinstance(dose, dict) and isinstance(dose.get("unit"), str) else None
        population, route = entry.get("population"), entry.get("route")
        if unit is not None and isinstance(population, str) and isinstance(route, str):
            yield _EntryUnit(index, unit, population, route, entry)


def _other_scale(a: units.Unit, b: units.Unit) -> bool:
    """The same kind of amount in another scale: mg and mcg, mg/kg and g, units and million units."""
    return units.same_amount_kind(a, b) and a.amount != b.amount


def _check_mixed_units(record: Record, context: RuleContext) -> Iterator[Hit]:
    first: dict[tuple[Any, ...], _EntryUnit] = {}
    for current in _entry_units(record):
        # entries for different age or weight bands may differ on purpose (mg/kg under 40 kg, mg above)
        entry = current.entry
        key = (current.population, current.route, _band(entry.get("age_range")), _band(entry.get("weight_range")))
        seen = first.setdefault(key, current)
        if seen.unit != current.unit and not _other_scale(seen.unit, current.unit):  # a scale is ML314's
            yield Hit(("dosing", current.entry_index, "dose", "unit"),
                      f"this {current.population} {current.route} dose is in `{current.unit}` but "
                      f"{_label(record, seen.entry_index)} gives the same population and route in `{seen.unit}`: "
                      "readers compare doses by their numbers",
                      hint="write both doses in one unit, or give the entries different age or weight bands",
                      subject=f"{seen.unit} vs {current.unit}")


def _check_mixed_scales(record: Record, context: RuleContext) -> Iterator[Hit]:
    first: dict[tuple[Any, ...], _EntryUnit] = {}
    for current in _entry_units(record):
        key = (current.population, current.route, current.unit.kind, current.unit.amount.counted)
        seen = first.setdefault(key, current)
        if seen.unit.amount == current.unit.amount:
            continue
        big, small = sorted((seen.unit.amount, current.unit.amount), key=lambda amount: amount.exponent)[::-1]
        ratio = f"{10 ** (big.exponent - small.exponent):,}"
        target = units.Unit(seen.unit.amount, current.unit.per_body, current.unit.per_time)
        factor = units.factor(current.unit, target)
        value = current.entry["dose"].get("value")
        same_scale = f"write every {current.population} {current.route} dose in {seen.unit.amount.name}"
        if factor is not None and _is_number(value):
            same_scale = f"write `value: {units.number(value * factor)}` and `unit: {target}`"
        yield Hit(("dosing", current.entry_index, "dose", "unit"),
                  f"this {current.population} {current.route} dose is in `{current.unit}` but "
                  f"{_label(record, seen.entry_index)} gives the same population and route in `{seen.unit}`: one "
                  f"{big.name} is {ratio} {small.name}, so a reader who misses the change of unit is off by a "
                  f"factor of {ratio}",
                  hint=same_scale, subject=f"{seen.unit} vs {current.unit}")


MIXED_UNITS = Rule(
    code="ML308", name="mixed-units", family="units", severity=Severity.WARNING,
    summary="Dose entries for the same population, route and band use related but different units "
            "(mg/kg and mg/kg/day).",
    check=_check_mixed_units,
    docs=Docs(
        what="Reports a dose entry whose unit differs from an earlier entry with the same population, route, "
             "age range and weight range (`mg/kg` and `mg/kg/day`, `mg` and `mg/kg`). Entries for "
             "different age or weight bands are not compared: a label commonly gives mg/kg below 40 kg and a "
             "fixed mg dose from 40 kg, and the bands say so. The same amount in another scale (`mg` and "
             "`mcg`, `mg` and `g`) is the error ML314, not this warning.",
        why="A reader scanning the doses compares the numbers: a per-kg dose next to a per-day one invites "
            "giving the wrong one.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n"
                "      value: 15\n      unit: mg/kg\n    route: oral\n    frequency: every 8 hours\n"
                "  - label: Pediatric dose (severe infection)\n    population: pediatric\n    dose:\n"
                "      value: 90\n      unit: mg/kg/day\n    route: oral\n    frequency: every 12 hours\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n"
                    "      value: 45\n      unit: mg/kg/day\n    route: oral\n    frequency: every 8 hours\n"
                    "  - label: Pediatric dose (severe infection)\n    population: pediatric\n    dose:\n"
                    "      value: 90\n      unit: mg/kg/day\n    route: oral\n    frequency: every 12 hours\n",
        references=(_ISMP, _POLICY),
    ),
)

MIXED_UNIT_SCALES = Rule(
    code="ML314", name="mixed-unit-scales", family="units", severity=Severity.ERROR,
    summary="Dose entries for the same population and route give one kind of amount in two scales "
            "(mg and mcg).",
    check=_check_mixed_scales,
    docs=Docs(
        what="Reports a dose entry whose unit measures the same kind of amount as an earlier entry for the "
             "same population and route, in another scale: `mg` and `mcg`, `mg` and `g`, `mg/kg` and "
             "`mcg`, `units` and `million units`. Age and weight bands do not excuse it: any dose can be "
             "written in one scale. Different kinds of unit (`mg/kg` below 40 kg, `mg` from 40 kg) are "
             "not this rule's (see ML308). The hint gives the dose in the first entry's scale.",
        why="`0.5 mg` beside `500 mcg`, or `1 g` beside `500 mg`, is the mg/mcg confusion ISMP warns about: "
            "a reader who misses the change of unit gives a thousand times the dose, or a thousandth. "
            "One scale per population and route removes the chance.",
        example="dosing:\n  - label: Adult dose (prevention)\n    population: adult\n    dose:\n"
                "      value: 400\n      unit: mcg\n    route: oral\n    frequency: once daily\n"
                "  - label: Adult dose (treatment)\n    population: adult\n    dose:\n      value: 1\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n",
        use_instead="dosing:\n  - label: Adult dose (prevention)\n    population: adult\n    dose:\n"
                    "      value: 0.4\n      unit: mg\n    route: oral\n    frequency: once daily\n"
                    "  - label: Adult dose (treatment)\n    population: adult\n    dose:\n      value: 1\n"
                    "      unit: mg\n    route: oral\n    frequency: once daily\n",
        references=(_ISMP, _POLICY),
    ),
)

# --- ML309 dose-range-order -----------------------------------------------------------------------------


def _check_range_order(record: Record, context: RuleContext) -> Iterator[Hit]:
    for index, entry in fields.dose_entries(record):
        dose = entry.get("dose")
        if not isinstance(dose, dict) or not (_is_number(dose.get("low")) and _is_number(dose.get("high"))):
            continue
        low, high = dose["low"], dose["high"]
        if low == high:
            yield Hit(("dosing", index, "dose", "low"), f"the range runs from {low} to {high}: it is one dose",
                      hint=f"write `value: {high}` instead of `low` and `high`", subject="low=high")
        elif low > high:
            yield Hit(("dosing", index, "dose", "low"), f"the range runs from {low} down to {high}: `low` must "
                                                        "be less than `high`",
                      hint=f"swap them: `low: {high}`, `high: {low}`", subject="low>high")


DOSE_RANGE_ORDER = Rule(
    code="ML309", name="dose-range-order", family="units", severity=Severity.ERROR,
    summary="A dose range whose low end is not below its high end.",
    check=_check_range_order,
    docs=Docs(
        what="Reports a dose range with `low` greater than `high` (swapped ends) or equal to it (a single "
             "dose written as a range).",
        why="The page renders the range as written: `875 to 500 mg` makes the reader guess which end is "
            "meant, and the prose and cap checks compare against the wrong end.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      low: 875\n"
                "      high: 500\n      unit: mg\n    route: oral\n    frequency: every 12 hours\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      low: 500\n"
                    "      high: 875\n      unit: mg\n    route: oral\n    frequency: every 12 hours\n",
        references=(_FORMAT, _POLICY),
    ),
)

# --- ML310 dose-cap-mismatch ----------------------------------------------------------------------------


def _check_dose_cap(record: Record, context: RuleContext) -> Iterator[Hit]:
    for index, entry in fields.dose_entries(record):
        dose, cap = entry.get("dose"), entry.get("max_dose")
        if not isinstance(dose, dict) or not isinstance(cap, dict):
            continue
        dose_unit = units.parse(dose["unit"]) if isinstance(dose.get("unit"), str) else None
        cap_unit = units.parse(cap["unit"]) if isinstance(cap.get("unit"), str) else None
        if dose_unit is None or cap_unit is None:
            continue
        if not units.same_amount_kind(dose_unit, cap_unit):
            yield Hit(("dosing", index, "max_dose", "unit"),
                      f"the dose is in `{dose_unit}` ({dose_unit.kind}) but its cap is in `{cap_unit}` "
                      f"({cap_unit.kind}): a cap must measure the same kind of amount as the dose",
                      hint=f"give the cap as {dose_unit.kind}, for example in `{dose_unit.amount.name}`",
                      subject=f"{dose_unit} vs {cap_unit}")
            continue
        top = dose.get("high", dose.get("value"))
        ratio = units.factor(dose_unit, cap_unit)
        if ratio is not None and _is_number(top) and _is_number(cap.get("value")) and top * ratio > cap["value"]:
            yield Hit(("dosing", index, "max_dose", "value"),
                      f"the cap ({units.number(cap['value'])} {cap_unit}) is below the dose it caps "
                      f"({units.number(top)} {dose_unit})",
                      hint="check both numbers against the label", subject="cap below dose")


DOSE_CAP_MISMATCH = Rule(
    code="ML310", name="dose-cap-mismatch", family="units", severity=Severity.ERROR,
    summary="A dose cap that measures a different kind of amount than its dose, or is below it.",
    check=_check_dose_cap,
    docs=Docs(
        what="Reports a `max_dose` whose unit measures a different kind of amount than the `dose` (mass, "
             "volume, amount of substance, equivalents, units, vector genomes, a count of tablets or "
             "capsules...): a mg/kg dose with a mg cap or a mg/kg/day cap is normal, a mg/kg dose with a mL "
             "cap is not. When the two units convert (mg and g), it also reports a cap below the dose.",
        why="A cap in another kind of amount cannot be compared with the dose it limits: a reader cannot "
            "tell whether 20 mL is more or less than 45 mg/kg/day without the strength of the liquid.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      low: 25\n"
                "      high: 45\n      unit: mg/kg/day\n    max_dose:\n      value: 20\n      unit: mL\n"
                "    route: oral\n    frequency: every 12 hours\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      low: 25\n"
                    "      high: 45\n      unit: mg/kg/day\n    max_dose:\n      value: 875\n      unit: mg\n"
                    "    route: oral\n    frequency: every 12 hours\n",
        references=(_FORMAT, _UCUM),
    ),
)

# --- ML311 prose-dose-mismatch, ML313 prose-dose-tenfold-or-unit-swap ----------------------------------


class _ProseDose(NamedTuple):
    pointer: Pointer
    start: int
    end: int
    written: str
    verdict: agreement.Verdict


def _names(record: Record) -> tuple[str, ...]:
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return ()
    return tuple(drug[key] for key in ("brand_name", "generic_name") if isinstance(drug.get(key), str))


def _read_as(reading: quantities.Reading, written: units.Unit) -> str:
    """How the reader took an amount, when the words around it changed it: " (a maximum, 4,000 mg a day)"."""
    parts = [] if reading.role in (quantities.Role.DOSE, quantities.Role.PER_WEIGHT) else [reading.role.value]
    if reading.daily != written.is_rate or reading.base.per_body != written.per_body:
        parts.append(f"{units.number(reading.value)} {reading.base}" + (" a day" if reading.daily else ""))
    return f" ({', '.join(parts)})" if parts else ""


def _prose_dose_disagreements(record: Record) -> tuple[_ProseDose, ...]:
    """Every prose amount that disagrees with the dosing (shared by ML311 and ML313: one reading)."""
    prose = _prose(record)
    indication = record.data.get("indication")
    ages = indication.get("age_range") if isinstance(indication, dict) else None
    dosing = agreement.Dosing.of(fields.dose_entries(record), ages) if prose.joined else None
    if dosing is None or not dosing.everything:
        return ()
    found = {n.offset + n.num_start: quantities.Found(n.offset + n.num_start, n.offset + n.end, n.value, n.unit)
             for n in prose.numbers if n.unit is not None and n.value is not None}

    def owner(offset: int) -> int | None:  # the dose entry whose own text (label, duration, notes) this is
        pointer = prose.segments[prose.locate(offset)[0]][0]
        return pointer[1] if pointer[0] == "dosing" and isinstance(pointer[1], int) else None

    out: list[_ProseDose] = []
    for reading, verdict in agreement.disagreements(prose.joined, found.values(), _names(record), dosing, owner):
        index, start = prose.locate(reading.start)
        pointer, text = prose.segments[index]
        end = start + reading.end - reading.start
        shown = excerpt.quote(text[start:end])
        written = shown + (_read_as(reading, found[reading.start].unit) if reading.start in found else "")
        out.append(_ProseDose(pointer, start, end, shown,
                              verdict._replace(message=f"the text says {written}; {verdict.message}")))
    return tuple(out)


def _prose_dose_hits(record: Record, dangerous: bool, hint: str) -> Iterator[Hit]:
    for item in record.derived("units.prose-dose-disagreements", _prose_dose_disagreements):
        if item.verdict.dangerous == dangerous:
            yield Hit(item.pointer, item.verdict.message, hint=hint, start=item.start, end=item.end,
                      subject=item.written)


def _check_prose_dose(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from _prose_dose_hits(record, False,
                                "make the text and the dose entries say the same dose; if the amount is not a "
                                "dose of this drug, say what it is (\"125 mg in each 5 mL\", \"500 mg of "
                                "acetaminophen\")")


def _check_prose_dose_slip(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from _prose_dose_hits(record, True,
                                "check both against the label, then correct the text or the dose entry")


_READER = (
    "Each amount in the text (summary, sections, FAQ, dose labels, durations, notes, boxed warning) is first "
    "read in its sentence, as a reader takes it:\n\n"
    "- a dose of this drug: \"Take 500 mg\", \"the 12 mg schedule\", \"500 mg of amoxicillin\";\n"
    "- a per-weight or per-area dose: \"14 mg per kilogram each day\", \"7 mg for each kilogram\", \"0.5 mg/m2\";\n"
    "- a daily amount: \"1,000 mg a day\", \"in 24 hours\", \"each day\" (or a rate: \"25 mcg an hour\");\n"
    "- a maximum: \"up to 2 mg\", \"a maximum of 3,000 mg a day\", \"no more than 4,000 mg in 24 hours\", "
    "\"the most is 600 mg a day\";\n"
    "- a titration step: \"then 1 mg, then 2 mg\", \"then increase to 2 mg\"; or a change: \"increase by 25 mg\";\n"
    "- a strength or concentration: \"125 mg in each 5 mL\", \"each tablet has 10 mg\", \"6 mg in each mL\", "
    "\"5 mg and 10 mg tablets\", \"the 100 mcg inhaler\";\n"
    "- an amount of something else: another medicine, a nutrient, water or a pack size (\"500 mg of "
    "acetaminophen\", \"vitamin D 400 units\", \"200 mL of water\", \"each pen holds 300 units\");\n"
    "- a threshold or a warning (\"more than 4 g can harm the liver\", \"500 mg or more\", \"never take 75 mg "
    "every day\") or a course total (\"a total of 60 mg\"); ages, weights, durations and lab values are not "
    "amounts in a dose unit at all.\n\n"
    "Only doses, per-weight doses and maxima are compared, each with the matching part of the dosing: a dose "
    "with the dose (a value inside a range agrees), a per-kg dose with the per-kg dose, a daily amount with the "
    "dose times the doses a day its `frequency` allows (`every 6 hours` is 4), a maximum with `max_dose` or "
    "the top of a dose. A fixed amount agrees with a weight-based dose up to its cap (a worked example), or, "
    "when it has no cap, up to the dose for the heaviest person its weight band or age band (the indication's "
    "when the entry has none) can hold: for a child, 3 standard deviations above the median weight on the "
    "CDC growth charts. The same amount in another unit agrees (`500 mcg` for 0.5 mg).\n\n"
    "When a sentence says whom a dose is for, the amount is compared with the entries that can be for them "
    "only: \"Adults start with 500 mg\" with the adult entries, \"children 12 years and older take 250 mg\" "
    "with the entries for those ages (a per-kg dose for them gives at least its dose for the lightest child "
    "of the youngest age, from 2 years on: 3 standard deviations below the median weight), \"teens and adults "
    "take 500 mg\" with the teens' entries and with the adults'. A stated weight makes a per-kg dose an "
    "amount: \"a child who weighs 20 kg takes 140 mg\" (\"a 20 kg child\", \"for a child of 20 kg\", \"weighing "
    "20 kg\") agrees with 7 mg/kg within a factor of 1.25 either way, as editors round (\"a 15 kg child takes "
    "100 mg\"), and \"children who weigh 43 kg or more take 600 mg a day\" with 14 mg/kg a day for those weights, up "
    "to the cap. Words that are negated or compared (\"not for children\", \"less than adults\", \"half the adult "
    "dose\") name no one. An amount in a dose entry's own notes is no worked example of an entry for other "
    "people. An amount that equals a dosing amount as written agrees whoever the sentence names."
)

PROSE_DOSE_MISMATCH = Rule(
    code="ML311", name="prose-dose-mismatch", family="units", severity=Severity.WARNING,
    summary="A dose quoted in the text disagrees with the structured dosing.",
    check=_check_prose_dose,
    docs=Docs(
        what=_READER + "\n\nThis rule reports a dose, per-weight dose or maximum that agrees with none of them "
             "(`650 mg` where the dosing says 500 mg). A dosing amount times a power of ten, or the same number "
             "in another unit, is ML313's error instead. Amounts in a unit the dosing does not use (mL for a "
             "dose in mg) are not judged.",
        why="The page shows the text and the dose table side by side. When they disagree, a reader has two "
            "doses and no way to know which is right; the seed page's prose contradicted its own dosing.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 500\n"
                "      unit: mg\n    route: oral\n    frequency: every 6 hours\n"
                "    notes: Take 650 mg every 6 hours.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      low: 0.25\n"
                    "      high: 2\n      unit: mg\n    max_dose:\n      value: 4\n      unit: mg/day\n"
                    "    route: oral\n    frequency: twice daily\n    notes: >-\n"
                    "      Start with 0.25 mg twice a day, then 1 mg, then 2 mg. Take up to 2 mg at a time and no\n"
                    "      more than 4 mg in 24 hours. Each tablet has 0.5 mg; the liquid has 1 mg in each 5 mL.\n"
                    "      Each pack holds 60 tablets. Take vitamin D 400 units a day if your doctor says so.\n"
                    "  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 0.02\n"
                    "      unit: mg/kg\n    max_dose:\n      value: 1\n      unit: mg\n    route: oral\n"
                    "    frequency: twice daily\n    notes: >-\n"
                    "      0.02 mg for each kilogram of body weight, twice a day: 0.04 mg per kilogram each day,\n"
                    "      up to 1 mg a dose. A child who weighs 20 kg takes 0.4 mg.\n",
        references=(_POLICY, "21 CFR 201.57(c)(3): dosage and administration as the label states it"),
    ),
)

PROSE_DOSE_TENFOLD_OR_UNIT_SWAP = Rule(
    code="ML313", name="prose-dose-tenfold-or-unit-swap", family="units", severity=Severity.ERROR,
    summary="A dose in the text is the dosing's amount times a power of ten, or the same number in another unit.",
    check=_check_prose_dose_slip,
    docs=Docs(
        what="Reads each amount in the text as ML311 does (`medlint explain ML311` lists how amounts are read) "
             "and reports a dose, per-weight dose or maximum that agrees with none of the dosing's amounts "
             "and equals a dosing amount times 10, 100 or 1,000 (either way: `5 mg` where the dosing says "
             "0.5 mg), or the same number in another unit of the same kind (`5 mcg` for 5 mg, `2 L` for 2 mL, "
             "`0.2 units` for 0.2 units/kg). For a worked example with a stated weight, the dosing amount is the "
             "per-kg dose for that weight, and a slip is the amount ten times more or less than that, as rounded "
             "(`1,400 mg` or `14 mg` for a child who weighs 20 kg where the dose is 7 mg/kg). A titration step is "
             "reported only when it is above every dose. Other disagreements are ML311's warnings.",
        why="Tenfold errors are the most harmful dosing errors: a slipped decimal point or a unit swap between "
            "the text and the dose table gives a reader two doses, one of them ten or a thousand times the "
            "other. ISMP lists both among the errors behind real overdoses.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 0.5\n"
                "      unit: mg\n    route: oral\n    frequency: once daily\n"
                "    notes: Take 5 mg once a day.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 0.5\n"
                    "      unit: mg\n    route: oral\n    frequency: once daily\n"
                    "    notes: Take 0.5 mg once a day.\n",
        references=(_ISMP, _POLICY),
    ),
)

# --- ML312 power-of-ten-notation ------------------------------------------------------------------------

_MISDECODED = ("ร", "Ã")


def _power_of_ten_problem(number: _Number) -> str | None:
    """Why a number's power of ten is badly written, or None."""
    operator = number.match["op"]
    if operator is not None:
        written = operator.strip()
        if written in _RIGHT_OPERATORS:
            return None
        if written.startswith(_MISDECODED):
            return (f"`{written}` is not a multiplication sign (it is how `×` looks when the text went through "
                    "the wrong character encoding)")
        return f"`{written}` is not the multiplication sign and readers may not see a power of ten"
    # `2E14` alone may be a name; E notation is a number when it has a decimal point or a unit
    if number.match["e"] and ("." in number.num or number.unit is not None):
        return "E notation is for software, and readers miss the exponent"
    return None


def _check_power_of_ten(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose = _prose(record)
    for number in prose.numbers:
        problem = _power_of_ten_problem(number) if number.exponent is not None else None
        if problem is None:
            continue
        pointer, text = prose.segments[number.segment]
        group = "op" if number.match["op"] is not None else "e"
        end = number.match.end("power" if group == "op" else "e") - number.offset
        right = excerpt.quote(f"{number.num} × 10^{number.exponent}")
        start = number.match.start(group) - number.offset
        new = " × " if group == "op" else f" × 10^{number.exponent}"
        yield Hit(pointer, f"write the power of ten as `{right}`: {problem}", hint=f"write `{right}`",
                  start=number.num_start, end=end, subject=excerpt.quote(text[number.num_start:end]),
                  fix=partial(fields.replace_fix, record, pointer, start, start + len(number.match[group]), new,
                                        f"write {right}"))


POWER_OF_TEN_NOTATION = Rule(
    code="ML312", name="power-of-ten-notation", family="units", severity=Severity.ERROR,
    summary="A power of ten written with x, *, E notation or a mis-encoded multiplication sign.",
    check=_check_power_of_ten,
    fixable=True,
    docs=Docs(
        what="Reports powers of ten in the prose written `1.1 x 10^14`, `1.1 X 10^14`, `1.1*10^14`, with a "
             "mis-encoded `×` (`1.1 ร 10^14` from a Thai code page, `1.1 Ã— 10^14` from Windows-1252), or "
             "in E notation (`1.1E14`); the fix writes `1.1 × 10^14`. `1.1 × 10^14` and superscript exponents "
             "stay quiet. The number in a YAML dose value (`value: 1.1e14`) is not prose and is fine. "
             "Mis-encoded text in general is the text-integrity family's concern; this rule is about how the "
             "number reads.",
        why="A dose of 1.1 × 10^14 vector genomes/kg is where a slip is a 10-fold or 10^14-fold error. The "
            "seed page printed `1.1 ร 10^14`: a reader cannot be sure it is a multiplication at all.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                "    notes: The dose is 1.1 x 10^14 vector genomes/kg.\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                    "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                    "    notes: The dose is 1.1 × 10^14 vector genomes/kg.\n",
        references=(_SI, _ISMP, _UCUM),
    ),
)

# --- ML315 number-out-of-range ---------------------------------------------------------------------------


def _check_out_of_range(record: Record, context: RuleContext) -> Iterator[Hit]:
    prose = _prose(record)
    for number in prose.numbers:
        if number.value is not None:
            continue
        if not (number.unit_text or number.match["op"] or (number.match["e"] and "." in number.num)):
            continue  # `2E400` alone may be a name (as for ML312)
        pointer, text = prose.segments[number.segment]
        written = excerpt.quote(text[number.num_start:number.end])
        tiny = (number.exponent or "").startswith("-")
        reason = ("so small that software reads it as 0 (below about 10^-308)" if tiny else
                  "larger than any number software can hold (about 1.8 × 10^308), so a page shows it as Infinity")
        yield Hit(pointer, f"`{written}` is {reason}: no dose is this, the number or its power of ten is wrong",
                  hint="write the dose as the label gives it", start=number.num_start, end=number.end,
                  subject=written)


NUMBER_OUT_OF_RANGE = Rule(
    code="ML315", name="number-out-of-range", family="units", severity=Severity.ERROR,
    summary="A number in the text too large (or too small) for any software to hold: 1 × 10^400 mg.",
    check=_check_out_of_range,
    docs=Docs(
        what="Reports a number in the prose, with its power of ten, that lies beyond what a 64-bit float (the "
             "number type of JSON, JavaScript and Python) holds: above about 1.8 × 10^308 (`1 × 10^400 mg`, "
             "`2e308 mg`, a dose of 400 digits), or not zero but below about 10^-308, where it reads as 0. "
             "The other unit rules skip such a number instead of comparing it. The same numbers as YAML "
             "values (`value: 1e400`) are the loader's finding, ML005.",
        why="No dose is that large: the number is a typo, usually in its power of ten (`10^400` for "
            "`10^14`), and a page that renders it shows `Infinity` or `0` where the dose should be.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                "    notes: The dose is 1.1 × 10^400 vector genomes/kg.\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                    "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                    "    notes: The dose is 1.1 × 10^14 vector genomes/kg.\n",
        references=("IEEE 754-2019, binary64: the largest finite number is about 1.8 × 10^308",
                    "RFC 8259 (JSON), section 6: numbers beyond IEEE 754 binary64 are not interoperable", _SI),
    ),
)

RULES: tuple[Rule, ...] = (
    UNKNOWN_UNIT, ERROR_PRONE_UNIT, ERROR_PRONE_ABBREVIATION, TRAILING_ZERO, NAKED_DECIMAL,
    NUMBER_UNIT_SPACING, MISSING_THOUSANDS_SEPARATOR, MIXED_UNITS, DOSE_RANGE_ORDER, DOSE_CAP_MISMATCH,
    PROSE_DOSE_MISMATCH, POWER_OF_TEN_NOTATION, PROSE_DOSE_TENFOLD_OR_UNIT_SWAP, MIXED_UNIT_SCALES,
    NUMBER_OUT_OF_RANGE,
)
