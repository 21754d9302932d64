""""Did you mean": the closest known names to a mistyped one (rule codes and names, settings, options, values).

A suggestion is only ever shown, never acted on: what is certain enough to be a fix is decided elsewhere
(medlint.vocabulary for record values).
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], *, count: int = 1, cutoff: float = 0.6) -> list[str]:
    """Up to `count` choices closest to `word`, best first, compared without regard to case; [] when none
    is close enough to be a plausible typo."""
    spelt: dict[str, str] = {}
    for choice in choices:
        spelt.setdefault(choice.lower(), choice)
    return [spelt[match] for match in difflib.get_close_matches(word.lower(), spelt, n=count, cutoff=cutoff)]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`did you mean `x`?` for the closest choice, or "" when none is close."""
    found = closest(word, choices)
    return f"did you mean `{found[0]}`?" if found else ""
