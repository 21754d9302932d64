"""The record model: a loaded record's values, the position and raw text of every node, and the maths
from character offsets to lines and columns. load.py builds records from bytes; rules only read them."""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from .model import Pointer, Position
from .sourcemap import SourceMap, source_map

T = TypeVar("T")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what JSON Schema's `date` format accepts


def iso_date(value: Any) -> dt.date | None:
    """The date an ISO `YYYY-MM-DD` string names, or None when it is not one (the schema reports it)."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None


class NodeInfo(NamedTuple):
    """Where a node stands: character offsets into the source text (and its key's, in a mapping).
    Lines and columns are derived from offsets only when a finding needs them."""

    start: int
    end: int
    style: str | None  # None plain, "'" '"' '|' '>' for scalars, "map"/"seq" for collections, "alias"
    key_start: int = -1
    key_end: int = -1


@dataclass(frozen=True)
class Record:
    path: str  # as shown to the user
    text: str
    data: Any  # JSON-compatible: dict, list, str, int, float, bool, None
    nodes: dict[Pointer, NodeInfo]
    expected_id: str | None  # `<drug>/<indication>` from the path, None when not under records/
    line_starts: tuple[int, ...] = field(repr=False, default=(0,))
    _derived: dict[Hashable, Any] = field(repr=False, compare=False, default_factory=dict)

    # typed views of what rules and the editors' summary read; a value of the wrong shape reads as absent,
    # since the schema rules report it

    def section(self, key: str) -> dict[str, Any]:
        """The top-level mapping `key` (`drug`, `indication`, `review`); {} when absent or not a mapping."""
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    @property
    def review_dates(self) -> tuple[dt.date | None, dt.date | None]:
        """(last_reviewed, next_review_due), each None when absent or not a valid date."""
        review = self.section("review")
        return iso_date(review.get("last_reviewed")), iso_date(review.get("next_review_due"))

    def dose_entries(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(index, entry) of each entry of `dosing` that is a mapping."""
        dosing = self.data.get("dosing")
        if isinstance(dosing, list):
            for index, entry in enumerate(dosing):
                if isinstance(entry, dict):
                    yield index, entry

    @property
    def language(self) -> str:
        """The primary subtag of the record's BCP 47 `language` (`en`, `th`), or "" when there is none."""
        language = self.data.get("language")
        return language.split("-", 1)[0].lower() if isinstance(language, str) else ""

    def source_map(self, pointer: Pointer) -> SourceMap | None:
        """Which source characters produce each character of the scalar at `pointer` (sourcemap.py), once
        per scalar: a paragraph with thousands of hits would otherwise be re-scanned thousands of times.
        None for a node that is not a scalar written in place, or whose source does not reproduce its value."""
        return self.derived(("source map", pointer), lambda record: record._source_map(pointer))

    def _source_map(self, pointer: Pointer) -> SourceMap | None:
        info = self.nodes.get(pointer)
        if info is None or info.style in ("map", "seq", "alias"):
            return None
        parent = line_column(self.line_starts, info.key_start)[1] - 1 if info.key_start >= 0 else None
        return source_map(self.text, info.start, info.end, info.style, self.get(pointer), parent)

    def derived(self, key: Hashable, compute: Callable[[Record], T]) -> T:
        """A view of this record that several rules need (its prose, its numbers), computed once.
        Safe because nothing changes a record once it is loaded."""
        if key not in self._derived:
            self._derived[key] = compute(self)
        value: T = self._derived[key]
        return value

    def node(self, pointer: Pointer) -> NodeInfo | None:
        """The node at `pointer`, or its nearest ancestor that has a position."""
        for cut in range(len(pointer), -1, -1):
            info = self.nodes.get(pointer[:cut])
            if info is not None:
                return info
        return None

    def get(self, pointer: Pointer) -> Any:
        value: Any = self.data
        for part in pointer:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    def raw(self, pointer: Pointer) -> str:
        """The scalar's source text exactly as written (quotes and block headers included)."""
        info = self.nodes.get(pointer)
        return "" if info is None else self.text[info.start : info.end].rstrip("\n")

    def position_at(self, offset: int) -> tuple[int, int]:
        return line_column(self.line_starts, offset)

    def span(self, start: int, end: int) -> Position:
        return span(self.line_starts, start, end)

    def locate(self, pointer: Pointer, start: int | None = None, end: int | None = None,
               on_key: bool = False) -> Position:
        """Position of a node, of its key, or of the value characters [start, end) of a scalar."""
        info = self.node(pointer)
        if info is None:
            return Position(1, 1, 1, 1)
        exact = self.nodes.get(pointer) is info
        if on_key and info.key_start >= 0 and exact:
            return self.span(info.key_start, info.key_end)
        if info.style in ("map", "seq"):  # a whole mapping or list: its first line, not the rest of the file
            line_end = self.text.find("\n", info.start)
            return self.span(info.start, line_end if line_end >= 0 else info.end)
        source = self.source_map(pointer) if start is not None and exact else None
        found = source.span(start, end) if source is not None and start is not None else None
        return self.span(*found) if found else self.span(info.start, info.end)

    def source_span(self, pointer: Pointer, start: int, end: int) -> tuple[int, int] | None:
        """The source characters that are value characters [start, end) one for one (no escape, fold or
        doubled quote among them), or None: the only source a fix may replace."""
        source = self.source_map(pointer)
        return source.verbatim_span(start, end) if source is not None else None


def line_starts_of(text: str) -> tuple[int, ...]:
    """Offsets where lines start. Only "\n" breaks a line, as in editors: libyaml's own line count also
    breaks at NEL and U+2028 (YAML 1.1), which would put every later finding on the wrong line."""
    return (0, *(match.end() for match in _NEWLINE.finditer(text)))


def line_column(line_starts: tuple[int, ...], offset: int) -> tuple[int, int]:
    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


def span(line_starts: tuple[int, ...], start: int, end: int) -> Position:
    return Position(*line_column(line_starts, start), *line_column(line_starts, max(start, end)))


_NEWLINE = re.compile("\n")
