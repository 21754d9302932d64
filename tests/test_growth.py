"""The weight bound by age: CDC's LMS parameters read back, and the bound's shape."""
from __future__ import annotations

import pytest

from medlint import growth

_YEAR = 365.25


def test_lms_reproduces_the_published_97th_percentile() -> None:
    # boys at 24 months in wtage.csv: L, M, S and the P97 column CDC publishes beside them
    assert growth._weight(-0.20615245, 12.6707633, 0.108125811, 1.880794) == pytest.approx(15.59648294, rel=1e-4)


@pytest.mark.parametrize(("years", "low", "high"), [(0.5, 10, 13), (2, 16, 19), (5, 30, 36), (10, 70, 80)])
def test_heaviest_child_of_an_age(years: float, low: float, high: float) -> None:
    heaviest = growth.heaviest_under(years * _YEAR)
    assert heaviest is not None and low < heaviest < high


def test_the_bound_grows_with_age_and_stops_at_20_years() -> None:
    bounds = [growth.heaviest_under(months * _YEAR / 12) for months in range(0, 241, 3)]
    assert all(b is not None for b in bounds)
    assert bounds == sorted(b for b in bounds if b is not None)
    assert growth.heaviest_under(21 * _YEAR) is None
