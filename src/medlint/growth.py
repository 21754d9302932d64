"""How heavy a child of a given age can be: the bound that tells whether a per-kg dose can reach an adult's
(and how light a child of 2 years or more can be: the least a per-kg dose for an age band gives).

The data are the CDC 2000 growth charts' weight-for-age LMS parameters (`data/cdc-weight-for-age.tsv`,
public domain; its header gives the source). A child's weight is bounded by the weight 3 standard deviations
above the median (z = 3, heavier than about 999 children in 1,000), for the heavier sex, at the oldest age
of the band. Cole's LMS curves overstate the extreme weights of teenagers (their skew is fitted for the
3rd to 97th percentiles), which only makes the bound looser: a rule that uses it stays quiet less often,
never more. The least a child of an age band weighs is the weight 3 standard deviations below the median, for
the lighter sex, at the youngest age of the band, from 2 years on; a child with a chronic illness can weigh
less, so it only bounds what a text may say without giving a weight.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from . import packaged

_Z = 3.0
DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_AGE = re.compile(r"([0-9]+(?:\.[0-9]+)?) (days|weeks|months|years)")
_WEIGHT = re.compile(r"([0-9]+(?:\.[0-9]+)?) kg")


def _weight(l_: float, m: float, s: float, z: float) -> float:
    """Cole's LMS: the weight at z standard deviations (infinite where the curve has no value)."""
    if l_ == 0:
        raise ValueError("the CDC tables have no L of 0")
    base = 1 + l_ * s * z
    return m * base ** (1 / l_) if base > 0 else float("inf")


@functools.cache
def _table() -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """(ages in months, the heaviest weight at or below each age, the lightest at or above it), ascending."""
    text = packaged.path("data", "cdc-weight-for-age.tsv").read_text(encoding="utf-8")
    heavy: dict[float, float] = {}
    light: dict[float, float] = {}
    for line in text.splitlines():
        if line.startswith(("#", "table\t")):
            continue
        _, _, months, l_, m, s = line.split("\t")
        age, lms = float(months), (float(l_), float(m), float(s))
        heavy[age] = max(heavy.get(age, 0.0), _weight(*lms, _Z))
        light[age] = min(light.get(age, float("inf")), _weight(*lms, -_Z))
    ages = sorted(heavy)
    heaviest: list[float] = []
    for age in ages:  # a child at most this old can weigh what any younger or equal age allows
        heaviest.append(max(heavy[age], heaviest[-1] if heaviest else 0.0))
    lightest: list[float] = []
    for age in reversed(ages):  # and a child at least this old as little as any older or equal age allows
        lightest.append(min(light[age], lightest[-1] if lightest else float("inf")))
    return tuple(ages), tuple(heaviest), tuple(reversed(lightest))


def heaviest_under(age_days: float) -> float | None:
    """The most a child younger than `age_days` weighs, in kg (None beyond the charts' 20 years)."""
    ages, heaviest, _ = _table()
    index = bisect.bisect_left(ages, age_days / DAYS["month"])
    # the first tabulated age at or past the band's end: a little heavier than the band's oldest child
    return heaviest[index] if index < len(ages) else None


def lightest_from(age_days: float) -> float | None:
    """The least a child at least `age_days` old weighs, in kg: None under 2 years, where a baby born early
    can weigh far less than the charts (of babies born at term) say, and past the charts' 20 years."""
    ages, _, lightest = _table()
    if not 2 * DAYS["year"] <= age_days < ages[-1] * DAYS["month"]:
        return None
    # the last tabulated age at or before the band's start: a little lighter than the band's youngest child
    return lightest[bisect.bisect_right(ages, age_days / DAYS["month"]) - 1]


def days(number: str, unit: str) -> float:
    """An age given as a number and a unit of any case and number (`2`, `Years`) in days."""
    return float(number) * DAYS[unit.lower().rstrip("s")]


def age_days(written: Any) -> float | None:
    """An age as a record writes it (`2 years`) in days; None when it is not in that form."""
    match = _AGE.fullmatch(written) if isinstance(written, str) else None
    return days(match.group(1), match.group(2)) if match else None


def weight_kg(written: Any) -> float | None:
    """A weight as a record writes it (`40 kg`) in kg; None when it is not in that form."""
    match = _WEIGHT.fullmatch(written) if isinstance(written, str) else None
    return float(match.group(1)) if match else None


class Bound(NamedTuple):
    """The most a person in an age or weight band weighs, in kg, and the band's end that sets it."""

    weight: float
    under: str  # as the record writes it: `40 kg`, `4 years`
    by_age: bool  # from the growth charts, not a weight band


def heaviest(age_range: Any, weight_range: Any) -> Bound | None:
    """The most a person in these bands (`age_range`, `weight_range` blocks as records write them) weighs: the
    weight band's end, or the heaviest child younger than the age band's end, whichever is less. None when
    neither band has an end, or the age band ends past the charts (an adult can weigh anything)."""
    bounds: list[Bound] = []
    under = weight_range.get("under") if isinstance(weight_range, Mapping) else None
    match = _WEIGHT.fullmatch(under) if isinstance(under, str) else None
    if match:
        bounds.append(Bound(float(match.group(1)), match.group(0), by_age=False))
    age = age_range.get("under") if isinstance(age_range, Mapping) else None
    days = age_days(age)
    weight = heaviest_under(days) if days is not None else None
    if weight is not None and isinstance(age, str):
        bounds.append(Bound(weight, age, by_age=True))
    return min(bounds, default=None)
