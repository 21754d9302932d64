"""Numbers as records write them, read without overflow: the one place that decides what is too large.

A record can hold `1 x 10^400 mg`, `2e308 mg` or a dose of 400 digits. Python's floats stop at about
1.8 x 10^308 (`10.0 ** 400` raises OverflowError, a larger product silently becomes `inf`), and its
integers refuse to be parsed from more than 4,300 digits (ValueError). Every number a rule compares goes
through here: a number beyond float range, or one that is not zero but would read as zero, is `None`,
which the rules skip and ML315 (prose) or ML005 (structured values, from the loader) report.
"""
from __future__ import annotations

import decimal
import math
from typing import Any

_CONTEXT = decimal.Context(prec=40, Emax=999_999, Emin=-999_999)
_SAFE_DIGITS = 15  # a float holds any number of up to 15 digits exactly, and 10.0 ** 290 times it is finite
_SAFE_POWER = 290
_MAX_MAGNITUDE = 308  # no power of ten above 10^308 is a float


def finite(value: Any) -> float | None:
    """A structured value as a float, or None when it is not a number (booleans are not) or lies beyond
    float range (the loader reports those as ML005)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer past float range
        return None
    return number if math.isfinite(number) else None


def scaled(number: str, power: str | None = None) -> float | None:
    """`1,000.5` (digits, optional thousands commas and decimal point) times ten to `power` (signed digits),
    as a float; None when the result is beyond float range or a non-zero number would read as zero."""
    digits = number.replace(",", "")
    if power is None and len(digits) <= _SAFE_DIGITS:  # the usual case, at float speed
        return float(digits)
    body = (power or "0").lstrip("+-")
    if len(digits) <= _SAFE_DIGITS and len(body) <= 3 and int(body) <= _SAFE_POWER:
        return float(digits) * 10.0 ** int(power or "0")
    try:
        mantissa = decimal.Decimal(digits)
    except decimal.InvalidOperation:
        return None
    if not mantissa:
        return 0.0
    if len(body) > 7:  # a power of ten with more than seven digits is out of any range
        return None
    exponent = int(power or "0")
    if not -2 * _MAX_MAGNITUDE <= mantissa.adjusted() + exponent <= _MAX_MAGNITUDE:
        return None
    value = float(_CONTEXT.scaleb(mantissa, exponent))
    return value if math.isfinite(value) and value else None


def grouped(digits: str) -> str:
    """A run of digits with thousands separators (`100000` -> `100,000`), however long: `f"{int(...):,}"`
    refuses runs of more than 4,300 digits."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def at_least(digits: str, bound: int) -> bool:
    """Whether a run of digits is at least `bound`, without parsing a number Python may refuse."""
    stripped = digits.lstrip("0")
    return len(stripped) > len(str(bound)) or (len(stripped) == len(str(bound)) and int(stripped) >= bound)
