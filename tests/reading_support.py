"""Helpers for the prose reader's tests: a text with its amounts marked, read without the scanner."""
from __future__ import annotations

import re

from medlint import quantities, units

_AMOUNT = re.compile(r"\[(?P<num>[0-9][0-9,.]*) (?P<unit>[^\]]+)\]")


def read_marked(marked: str, names: tuple[str, ...] = ("cefdinir", "EpiPen")) -> list[quantities.Reading]:
    """The readings of a text whose amounts are marked `[5 mg]` (so the test does not depend on the scanner)."""
    found, text, shift = [], "", 0
    for match in _AMOUNT.finditer(marked):
        text += marked[shift:match.start()]
        start = len(text)
        text += f"{match['num']} {match['unit']}"
        unit = units.parse(match["unit"])
        assert unit is not None, match["unit"]
        found.append(quantities.Found(start, len(text), float(match["num"].replace(",", "")), unit))
        shift = match.end()
    text += marked[shift:]
    return list(quantities.read(text, found, names))
