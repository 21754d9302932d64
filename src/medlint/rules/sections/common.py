"""What the section rules share: their reference, word boundaries for their patterns, and text normalised for
comparing phrases."""
from __future__ import annotations

POLICY = "house style for required sections and their text (docs/record-format.md: Fields, Text)"
NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"


def has_clue(text: str, clues: tuple[str, ...]) -> bool:
    """Whether the text holds one of the clues: `in` runs at C speed, the full regexes do not."""
    lower = text.lower()
    return any(clue in lower for clue in clues)


def normalised(text: str) -> str:
    """Lower case with every run of white space (line folds included) as one space."""
    return " ".join(text.split()).lower()
