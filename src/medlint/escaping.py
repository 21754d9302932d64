"""Untrusted text (record text, file names, reviewer names) on its way to a terminal, a log or a page.

One rule for every output: a character that drives a terminal (ESC, BEL, CSI in its one-character form
U+009B, NEL and every other C0 and C1 control), or that hides or reorders what is shown (bidi overrides,
zero-width characters, line and paragraph separators, a BOM), or that cannot be encoded at all (a lone
surrogate: a byte of a file name that is not UTF-8) is shown as an escape, `\\x1b`, `\\u202e`, so the reader
sees it and nothing acts on it. The tab is the one control kept: it only moves to the next column.

Text formats show the escape (`visible`); JSON writes the same characters as JSON's own `\\uXXXX`
escapes (`json_text`), which decode to the very same string, so JSON stays exact and the terminal clean.
"""
from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

# Unicode categories Cc (but the tab), Cf, Zl, Zp and Cs, as of Unicode 15 (U+13439-U+1343F became Cf
# there; the class already holds them, so an older Python escapes them too). A test checks the class
# against the running Python's unicodedata: a character of those categories that it misses fails there.
_C0 = "\x00-\x08\x0a-\x1f"
_OTHERS = ("\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
           "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
           "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_CLASSES = {
    "all": f"[{_C0}{_OTHERS}]",
    "but line breaks": f"[\x00-\x08\x0b\x0c\x0e-\x1f{_OTHERS}]",
    "json": f"[{_OTHERS}]",  # JSON itself escapes C0 inside strings; outside them, C0 is layout
}


@cache
def hidden(which: str = "all") -> re.Pattern[str]:
    """The characters to show escaped; compiled on first use (a clean run to a terminal never needs them)."""
    return re.compile(_CLASSES[which])


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python decodes file names (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, *, line_breaks: bool = False) -> str:
    """`text` with every character that could act on or hide from a reader shown as an escape; with
    `line_breaks`, LF and CR are left for the caller, whose format has its own escape for them."""
    return hidden("but line breaks" if line_breaks else "all").sub(_escape, text)


def visible_line(line: str) -> str:
    """A line of a diff: escaped as everywhere else (record text must not drive the terminal, and a diff must
    show what cannot be seen, a BOM, a bidi override), except the line's own ending."""
    body = line.rstrip("\r\n") if line.endswith("\r\n") else line.rstrip("\n")
    return visible(body) + line[len(body):]


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON has no escape beyond the BMP: a surrogate pair, as RFC 8259 says
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(document: Any, **options: Any) -> str:
    """`json.dumps(document, ensure_ascii=False, **options)`, with the hidden characters as JSON escapes:
    readable (`µg`, `×` stay as they are), exact once decoded, and clean in a terminal."""
    return json_source(json.dumps(document, ensure_ascii=False, **options))


def json_source(text: str) -> str:
    """Valid JSON text as it is written, with the hidden characters as JSON escapes: outside its strings JSON
    allows none of them, and inside one the escape decodes to the very same character."""
    return hidden("json").sub(_json_escape, text)
