"""Every number in a text, with the power of ten and the dose unit written after it: the prose quantity
scanner that the dose-unit rules read (`scan`).

A number followed (after optional spaces) by a house dose unit, such as `10 mg`, `0.2 units/kg` or
`1.1 × 10^14 vector genomes/kg`, is a quantity; a number with a power of ten but no unit, or followed by an
error-prone unit (`ug`, `cc`, `IU`), is kept too, for the rules that check those.
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from . import numbers, units
from .model import Pointer

_SPACE = "[ \u00a0\u202f]"  # a space, a no-break space or a narrow no-break space
_UNIT_PATTERN = (
    "(?:" + "|".join(re.escape(n) for n in sorted(units.AMOUNTS, key=len, reverse=True)) + "|kg)"
    "(?:/(?:kg|m2))?(?:/(?:day|hour|minute|week|dose))?(?![\\w/])"
)
_OPERATOR = r"×|[xX*]|ร—?|Ã[—\u0097]?|[·⋅]"  # × and what authors and mis-decoding put in its place
RIGHT_OPERATORS = frozenset("×·⋅")
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


class Number(NamedTuple):
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


class Prose(NamedTuple):
    """A record's patient-facing texts, joined once so that each rule scans one string, not thirty."""

    segments: tuple[tuple[Pointer, str], ...]
    joined: str
    starts: tuple[int, ...]
    numbers: tuple[Number, ...]

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


def _read_number(match: re.Match[str], starts: list[int]) -> Number:
    segment = bisect.bisect_right(starts, match.start()) - 1
    offset = starts[segment]
    exponent = _exponent(match)
    value = numbers.scaled(match["num"], exponent)
    unit_text = match["unit"] or ""
    return Number(segment, match["num"], match.start("num") - offset, match.end("num") - offset, value, exponent,
                  bool(match["space"]), unit_text, match.start("unit") - offset, match.end() - offset,
                  units.parse(unit_text) if unit_text else None, match, offset)


def scan(segments: tuple[tuple[Pointer, str], ...]) -> Prose:
    starts: list[int] = []
    position = 0
    for _, text in segments:
        starts.append(position)
        position += len(text) + 1
    joined = "\n".join(text for _, text in segments)  # a line break: no token runs across two texts
    matches = sorted((m for pattern in _NUMBERS for m in pattern.finditer(joined)), key=lambda m: m.start())
    return Prose(segments, joined, tuple(starts), tuple(_read_number(m, starts) for m in matches))
