"""Indexes over one text, built once and asked many times: where its sentences break (`Sentences`) and where a
pattern matches (`Occurrences`)."""
from __future__ import annotations

import bisect
import re


class Sentences:
    """The breaks of one text (`boundary` matches a one-character break), found once: a text with thousands
    of matches in one sentence was re-scanned from its start, or to its end, for each of them."""

    def __init__(self, text: str, boundary: re.Pattern[str]) -> None:
        self.length = len(text)
        self.ends = [match.end() for match in boundary.finditer(text)]

    def start(self, offset: int) -> int:
        """Where the sentence holding `offset` starts: just after the last break that ends before it."""
        at = bisect.bisect_left(self.ends, offset) - 1
        return self.ends[at] if at >= 0 else 0

    def end(self, offset: int) -> int:
        """Where the first break at or after `offset` is, or the text's end."""
        at = bisect.bisect_left(self.ends, offset + 1)
        return self.ends[at] - 1 if at < len(self.ends) else self.length


class Occurrences:
    """The matches of a pattern in one text, found once, asked whether one lies within a span."""

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self.spans = [match.span() for match in pattern.finditer(text)]
        self.starts = [start for start, _ in self.spans]

    def within(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.starts, start)
        return at < len(self.spans) and self.spans[at][1] <= end
