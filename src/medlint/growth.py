"""How heavy a child of a given age can be: the bound that tells whether a per-kg dose can reach an adult's.

The data are the CDC 2000 growth charts' weight-for-age LMS parameters (`data/cdc-weight-for-age.tsv`,
public domain; its header gives the source). A child's weight is bounded by the weight 3 standard deviations
above the median (z = 3, heavier than about 999 children in 1,000), for the heavier sex, at the oldest age
of the band. Cole's LMS curves overstate the extreme weights of teenagers (their skew is fitted for the
3rd to 97th percentiles), which only makes the bound looser: a rule that uses it stays quiet less often,
never more.
"""
from __future__ import annotations

import bisect
import functools
from importlib import resources

_Z = 3.0
_DAYS_PER_MONTH = 365.25 / 12


def _weight(l_: float, m: float, s: float, z: float) -> float:
    """Cole's LMS: the weight at z standard deviations (infinite where the curve has no value)."""
    if l_ == 0:
        raise ValueError("the CDC tables have no L of 0")
    base = 1 + l_ * s * z
    return m * base ** (1 / l_) if base > 0 else float("inf")


@functools.cache
def _table() -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(ages in months, the heaviest weight at or below each age), ascending in both."""
    text = (resources.files("medlint") / "data" / "cdc-weight-for-age.tsv").read_text(encoding="utf-8")
    points: dict[float, float] = {}
    for line in text.splitlines():
        if line.startswith(("#", "table\t")):
            continue
        _, _, months, l_, m, s = line.split("\t")
        age, weight = float(months), _weight(float(l_), float(m), float(s), _Z)
        points[age] = max(points.get(age, 0.0), weight)
    ages = sorted(points)
    heaviest: list[float] = []
    for age in ages:  # a child at most this old can weigh what any younger or equal age allows
        heaviest.append(max(points[age], heaviest[-1] if heaviest else 0.0))
    return tuple(ages), tuple(heaviest)


def heaviest_under(age_days: float) -> float | None:
    """The most a child younger than `age_days` weighs, in kg (None beyond the charts' 20 years)."""
    ages, heaviest = _table()
    index = bisect.bisect_left(ages, age_days / _DAYS_PER_MONTH)
    # the first tabulated age at or past the band's end: a little heavier than the band's oldest child
    return heaviest[index] if index < len(ages) else None
