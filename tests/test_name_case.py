"""name_case.mentions finds exactly what the name's case-insensitive pattern finds, with or without it."""
from __future__ import annotations

import random

import pytest

from medlint.name_case import mentions, name_pattern

NAMES = ("Zolgensma", "GLP-1 agonist", "Co Q10", "a a", "AAV9 gene therapy", "St. John's wort", "x_y", "Dr.",
         "Straße", "Spinraza")


@pytest.mark.parametrize("name", NAMES)
def test_mentions_are_the_patterns_matches(name: str) -> None:
    rng = random.Random(name)
    pieces = [*name.split(), *name.upper().split(), *name.lower().split(), " ", "  ", "\n", "\t", "\x1f", "_", "a",
              "9", ".", "-", "ſ", "\u212a", "é", "SS", "ß"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = [match.span() for match in name_pattern(name).finditer(text)]
        assert mentions(name, text, text.lower()) == expected, (name, text)
