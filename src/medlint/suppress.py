"""Inline suppressions: `# medlint: disable=CODE -- reason` and `# medlint: disable-next-line=...`."""
from __future__ import annotations

from typing import NamedTuple

from .lazyre import Lazy
from .model import Position

# The reason runs to the end of the line, white space included (stripped in code): `.*?` followed by `\s*$`
# tried every split of a long run of spaces, quadratic (51 s on an 80 KB comment line).
_COMMENT = Lazy(
    r"(?:^|\s)#\s*medlint:\s*(?P<kind>disable-next-line|disable)\s*=\s*(?P<codes>[\w\-./, ]*?)"
    r"\s*(?:--(?P<reason>.*)|$)")


class Suppression(NamedTuple):
    line: int  # the line whose findings it covers
    codes: tuple[str, ...]  # as written: codes or rule names
    reason: str
    position: Position  # of the comment itself


def parse(text: str) -> list[Suppression]:
    if "medlint:" not in text:
        return []
    lines = text.split("\n")
    found: list[Suppression] = []
    for index, line in enumerate(lines):
        if "medlint:" not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        target = index + 1
        if match["kind"] == "disable-next-line":
            target = index + 2
            while target <= len(lines) and (not lines[target - 1].strip()
                                            or lines[target - 1].lstrip().startswith("#")):
                target += 1
        codes = tuple(c.strip() for c in match["codes"].split(",") if c.strip())
        column = match.start("kind")
        column = line.rfind("#", 0, column) + 1
        found.append(Suppression(target, codes, (match["reason"] or "").strip(),
                                 Position(index + 1, column, index + 1, len(line) + 1)))
    return found
