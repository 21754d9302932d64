"""The house frequency vocabulary (docs/record-format.md, "Frequency"): how often a dose is given, as numbers.

A per-day limit ("no more than 4,000 mg in 24 hours") and a daily amount in the prose ("1,000 mg a day")
can only be checked against a dose entry when its `frequency` says how many doses fit in a day. This
module turns the vocabulary into a range of doses per day:

| written | doses per day |
| --- | --- |
| `once` | a single dose in all (one-time therapy); no daily rate |
| `once daily`, `twice daily`, `three times daily`, `four times daily` (or `... a day`) | 1, 2, 3, 4 |
| `once weekly`, `N times a week` (or `... weekly`) | 1/7, N/7 |
| `every other day` | 1/2 |
| `every N hours` | 24/N |
| `every N to M hours` (or `N-M`) | 24/M to 24/N |
| `every N days`, `every N weeks` | 1/N, 1/(7N) |
| `every N months` | 1/(31N) to 1/(28N): a month is 28 to 31 days |
| any of the above followed by `as needed` | from 0 up to the same maximum |
| `as needed` | no daily rate: the label's daily maximum must come from `max_dose` or the limits table |

Numbers are digits or the words one to twelve. Anything else is not in the vocabulary: `parse` returns
None and the caller reports it; it never guesses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_TIMES = {"once": 1, "twice": 2}
_DAYS_PER = {"hour": Fraction(1, 24), "day": Fraction(1), "week": Fraction(7)}
_MONTH_DAYS = (Fraction(28), Fraction(31))  # shortest and longest month

_NUM = r"(?:[1-9][0-9]{0,3}|" + "|".join(NUMBERS) + ")"
_PATTERN = re.compile(
    r"(?:"
    r"(?P<one_time>once)"
    r"|(?P<times>once|twice|" + _NUM + r" times) (?:a |per )?(?P<per>day|daily|week|weekly)"
    r"|(?P<daily>daily)|(?P<weekly>weekly)"
    r"|every (?P<other>other) day"
    r"|every (?:(?P<low>" + _NUM + r")(?: to | ?- ?))?(?P<n>" + _NUM + r") (?P<unit>hour|day|week|month)s?"
    r"|every (?P<single>hour|day|week|month)"
    r")?(?P<prn>(?:^| )as needed)?"
)


@dataclass(frozen=True)
class Frequency:
    """How often a dose is given, as a range of doses per day.

    `per_day` is None where the text fixes no rate: a one-time dose (`once`) or `as needed` alone.
    """

    one_time: bool
    as_needed: bool
    per_day: tuple[Fraction, Fraction] | None  # (fewest, most) doses in a day

    @property
    def max_per_day(self) -> Fraction | None:
        return None if self.per_day is None else self.per_day[1]


def _number(text: str) -> int:
    return NUMBERS[text] if text in NUMBERS else int(text)


def _rate(match: re.Match[str]) -> tuple[Fraction, Fraction] | None:
    if match["times"]:
        word = match["times"]
        count = _TIMES.get(word) or _number(word.removesuffix(" times"))
        per_week = match["per"] in ("week", "weekly")
        rate = Fraction(count, 7) if per_week else Fraction(count)
        return rate, rate
    if match["daily"]:
        return Fraction(1), Fraction(1)
    if match["weekly"]:
        return Fraction(1, 7), Fraction(1, 7)
    if match["other"]:
        return Fraction(1, 2), Fraction(1, 2)
    unit = match["unit"] or match["single"]
    if unit is None:
        return None
    high_n = _number(match["n"]) if match["n"] else 1
    low_n = _number(match["low"]) if match["low"] else high_n
    if low_n > high_n:
        return None  # "every 6 to 4 hours" is not a frequency anyone means
    if unit == "month":
        return 1 / (high_n * _MONTH_DAYS[1]), 1 / (low_n * _MONTH_DAYS[0])
    return 1 / (high_n * _DAYS_PER[unit]), 1 / (low_n * _DAYS_PER[unit])


def parse(text: str) -> Frequency | None:
    """The frequency `text` names, or None when it is not in the vocabulary."""
    normalised = " ".join(text.lower().split())
    match = _PATTERN.fullmatch(normalised)
    if match is None or not normalised:
        return None
    as_needed = match["prn"] is not None
    if match["one_time"]:
        return None if as_needed else Frequency(one_time=True, as_needed=False, per_day=None)
    rate = _rate(match)
    if rate is None and not (as_needed and match["prn"].strip() == normalised):
        return None
    if rate is not None and as_needed:
        rate = (Fraction(0), rate[1])
    return Frequency(one_time=False, as_needed=as_needed, per_day=rate)
