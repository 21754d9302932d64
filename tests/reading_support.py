"""Helpers for the prose reader's tests: a text with its amounts marked, read without the scanner."""
from __future__ import annotations

import re

from medlint import quantities, units

_AMOUNT = re.compile(r"\[(?P<num>[0-9][0-9,.]*) (?P<unit>[^\]]+)\]")


def marked(text: str) -> tuple[str, list[quantities.Found]]:
    """A text whose amounts are marked `[5 mg]`, without the marks, and its amounts."""
    found, plain, shift = [], "", 0
    for match in _AMOUNT.finditer(text):
        plain += text[shift:match.start()]
        start = len(plain)
        plain += f"{match['num']} {match['unit']}"
        unit = units.parse(match["unit"])
        assert unit is not None, match["unit"]
        found.append(quantities.Found(start, len(plain), float(match["num"].replace(",", "")), unit))
        shift = match.end()
    return plain + text[shift:], found


def read_marked(marked_text: str, names: tuple[str, ...] = ("cefdinir", "EpiPen")) -> list[quantities.Reading]:
    """The readings of a text whose amounts are marked `[5 mg]` (so the test does not depend on the scanner)."""
    text, found = marked(marked_text)
    return list(quantities.read(text, found, names))
