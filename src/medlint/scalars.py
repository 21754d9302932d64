"""What a plain YAML scalar means under the YAML 1.2 core schema, whatever version a parser defaults to:
`1.1e14` is a number, `yes` and `on` are text, `0o17` and `0x1F` are integers, ISO dates stay text. The
loader resolves every plain scalar here, and the source map re-resolves a scalar's text to check it."""
from __future__ import annotations

import math
import re
from typing import Any

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_MAX_DIGITS = 4000


NOT_TEXT_START = frozenset("0123456789+-.~nNtTfF")  # what a null, bool or number can start with


def resolve_plain(text: str) -> Any:
    if text and text[0] not in NOT_TEXT_START:  # most plain scalars are words: skip the patterns
        return text
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return _integer(text, 10)
    if _FLOAT.match(text):
        return float(text)
    if SPECIAL_FLOAT.match(text):
        return float(text.replace(".", "", 1))  # Python spells them inf, -inf, nan
    if _OCT.match(text):
        return _integer(text[2:], 8)
    if _HEX.match(text):
        return _integer(text[2:], 16)
    return text


def _integer(text: str, base: int) -> int | float:
    """Python refuses to parse or print integers of more than 4,300 decimal digits: such a number reads as
    infinite (and is reported), since no record can mean it exactly."""
    if len(text.lstrip("+-")) * math.log10(base) > _MAX_DIGITS:
        return -math.inf if text.startswith("-") else math.inf
    return int(text, base)
