"""What the text-integrity rules share: every text value of a record, its language, and how a message names
characters."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ...model import Pointer
from ...mojibake import find_mojibake
from ...record import Record

_C0 = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are text
# Scripts a language's text is written in besides Latin (drug names and acronyms are Latin in every
# language). A language that is not listed is not checked for foreign script.
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset() for code in ("en", "es", "fr", "de", "it", "pt", "nl", "pl", "sv", "da", "no", "fi")},
    "th": frozenset({"THAI"}),
    "el": frozenset({"GREEK"}),
    **{code: frozenset({"CYRILLIC"}) for code in ("ru", "uk", "bg", "sr")},
}
# Unicode gives control characters no name
_CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION",
                  "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE",
                  "\x85": "NEXT LINE"}
_UNNAMED = {"Cc": "CONTROL CHARACTER", "Co": "PRIVATE USE CHARACTER", "Cn": "UNASSIGNED CODE POINT"}


def text_values(record: Record) -> Iterator[tuple[Pointer, str]]:
    """Every string value, structured fields included, in document order, that can hold what these rules
    look for: a non-ASCII character, or a C0 control character (which only an escape can produce, since
    YAML rejects raw ones)."""
    escapes = "\\" in record.text
    if record.text.isascii() and not escapes:
        return
    stack: list[tuple[Pointer, Any]] = [((), record.data)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            if not value.isascii() or (escapes and _C0.search(value)):
                yield pointer, value
        elif isinstance(value, dict):
            stack.extend(((*pointer, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*pointer, index), item) for index, item in reversed(list(enumerate(value))))


def spelt_out(text: str) -> str:
    """Text for a message, with invisible characters spelt out (`ร<U+0097>`)."""
    return "".join(f"<U+{ord(ch):04X}>" if ch != " " and unicodedata.category(ch)[0] in "CZ" else ch
                   for ch in text)


def _char_name(ch: str) -> str:
    unnamed = _CONTROL_NAMES.get(ch) or _UNNAMED.get(unicodedata.category(ch), "CHARACTER")
    return f"U+{ord(ch):04X} {unicodedata.name(ch, unnamed)}"


def char_names(text: str) -> str:
    """`U+043E CYRILLIC SMALL LETTER O`, for the first three distinct characters of `text`."""
    distinct = list(dict.fromkeys(text))
    shown = ", ".join(_char_name(ch) for ch in distinct[:3])
    return shown + (", ..." if len(distinct) > 3 else "")


def damaged_positions(text: str, language: str) -> set[int]:
    found = find_mojibake(text, language == "th")
    return {i for d in found for i in range(d.start, d.end)} if found else set()
