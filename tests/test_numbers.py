"""Numbers read without overflow: any digits, any power of ten, any structured value (issue 12, finding 6)."""
from __future__ import annotations

import math
import sys
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st
from support import BASE, ROOT, lint_text

from medlint import numbers

_DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=500)
_POWER = st.one_of(st.none(), st.integers(-700, 700).map(str), st.text(st.sampled_from("0123456789"),
                                                                       min_size=1, max_size=5000))


@given(_DIGITS, st.one_of(st.none(), _DIGITS), _POWER)
def test_scaled_is_exact_or_none_and_never_raises(whole: str, fraction: str | None, power: str | None) -> None:
    number = whole + ("." + fraction if fraction else "")
    got = numbers.scaled(number, power)
    exact = Decimal(number).scaleb(int(power)) if power is not None and len(power.lstrip("-")) < 6 else None
    if power is not None and exact is None:
        assert got is None or Decimal(number) == 0
    elif power is None:
        exact = Decimal(number)
    if exact is not None:
        in_range = exact == 0 or Decimal("2.3e-308") <= exact <= Decimal("1.79e308")
        if in_range:
            assert got is not None and math.isclose(got, float(exact), rel_tol=1e-15)
        elif exact > Decimal("1.8e308") or (exact != 0 and exact < Decimal("1e-330")):
            assert got is None


@given(st.one_of(st.integers(), st.integers(10**300, 10**4000), st.floats(), st.booleans(), st.none(), st.text()))
def test_finite_is_a_float_in_range_or_none(value: object) -> None:
    got = numbers.finite(value)
    if got is None:
        assert (not isinstance(value, (int, float)) or isinstance(value, bool) or abs(value) > sys.float_info.max
                or math.isnan(value))
    else:
        assert isinstance(value, (int, float)) and math.isfinite(got) and math.isclose(got, value, rel_tol=1e-15)


@pytest.mark.parametrize(("digits", "grouped"), [("1", "1"), ("1000", "1,000"), ("100000", "100,000"),
                                                 ("1234567", "1,234,567"), ("9" * 5000, None)])
def test_grouped_and_at_least_take_any_length(digits: str, grouped: str | None) -> None:
    out = numbers.grouped(digits)
    assert out.replace(",", "") == digits and (grouped is None or out == grouped)
    assert numbers.at_least(digits, 1000) == (len(digits) > 4 or int(digits) >= 1000)
    assert numbers.at_least("000" + digits, 1000) == numbers.at_least(digits, 1000)


_PROSE_NUMBER = st.builds(
    lambda digits, sign, power, joiner, unit: f"{digits}{joiner.format(sign + power)} {unit}",
    st.text(st.sampled_from("0123456789"), min_size=1, max_size=450), st.sampled_from(["", "-", "+", "−"]),
    st.text(st.sampled_from("0123456789"), min_size=1, max_size=600),
    st.sampled_from(["", " x 10^{}", " × 10^{}", "e{}", "E{}", "*10^{}", " ร 10^{}"]),
    st.sampled_from(["mg", "mg/kg", "units", "vector genomes/kg", "cc", "IU", "mL", "milligrams", "mg a day",
                     "mg, given as 2 shots", "shots of 5 mg"]))
TABLE = (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8")  # the limits rules read the doses too


@given(st.lists(_PROSE_NUMBER, min_size=1, max_size=4), st.integers(0, 10**450))
def test_no_number_crashes_a_rule(quantities: list[str], dose: int) -> None:
    """Any number in the prose, with any power of ten, and any dose value: no rule crashes (ML900)."""
    text = BASE.replace("110 trillion copies of the gene", "or " + ", ".join(quantities)).replace(
        "value: 1.1e14", f"value: {dose}").replace("  - label: Pediatric dose", "  - label: Adult dose\n"
        "    population: adult\n    dose:\n      value: " + str(dose) + "\n      unit: mg/kg\n    route: intravenous\n"
        "    frequency: once\n  - label: Pediatric dose", 1)
    findings = lint_text(text, limits=TABLE)
    assert not [f.message for f in findings if f.code == "ML900"]


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_limit_past_float_range_is_the_loaders_finding_not_a_crash(digits: int) -> None:
    """A dose-limit table is read by the loader too: `hard: 999...` is ML005 in the table, never ML900."""
    table = TABLE.replace("hard: 1.1e14", "hard: " + "9" * digits)
    findings = lint_text(table, path="limits/zolgensma.yaml")
    assert "ML005" in {f.code for f in findings} and "ML900" not in {f.code for f in findings}
    assert "ML900" not in {f.code for f in lint_text(BASE, limits=table)}
