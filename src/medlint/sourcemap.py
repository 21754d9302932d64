"""Which source characters produce each character of a scalar's value.

A value is not its source text: `"Dose:\\n10 mg"` has a two-character escape where the value has one line
break, a folded line turns a break and the next line's indentation into one space, `''` is one quote.
Rules report value offsets and fixes edit the source, so the two must be mapped exactly: a map that is off
by one character once turned `10.05 mg` into `105 mg`.

The map is built by re-scanning the scalar's source the way libyaml does (scanner.c: plain, single- and
double-quoted, literal and folded block scalars, with every escape, line folding, chomping and indentation
indicator) and recording, for each piece of the value, the source characters it comes from. A piece is
*verbatim* when its source characters are its value characters, one for one; escapes, `''`, folds and
`\\r\\n` are not, and no fix may edit them. The re-scan must reproduce the value libyaml produced
character for character, or there is no map at all (findings then point at the whole scalar and no fix is
offered): a scanner disagreement can cost a column, never a dose.
"""
from __future__ import annotations

import bisect
from typing import Any, NamedTuple

from .lazyre import Lazy
from .scalars import resolve_plain

BREAKS = "\r\n\x85\u2028\u2029"  # what libyaml (YAML 1.1) breaks lines at
_BLANK_OR_BREAK = " \t" + BREAKS
# libyaml normalises CR LF, CR and NEL to LF and keeps LS and PS as they are (READ_LINE)
_NORMAL = {"\r\n": "\n", "\r": "\n", "\n": "\n", "\x85": "\n", "\u2028": "\u2028", "\u2029": "\u2029"}
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
            "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028",
            "P": "\u2029"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_PLAIN_RUN = Lazy(f"[^ \t{BREAKS}]+")
_SINGLE_RUN = Lazy(f"[^ \t{BREAKS}']+")
_DOUBLE_RUN = Lazy(f"[^ \t{BREAKS}\\\\\"]+")
_BLANKS = Lazy(f"[ \t{BREAKS}]+")
_HEADER = Lazy(r"[|>](?:([-+])([1-9])?|([1-9])([-+])?)?[ \t]*(?:#[^" + BREAKS + "]*)?")
_LINE_END = Lazy(f"[{BREAKS}]")


class Piece(NamedTuple):
    """Value characters [value, value + length) come from source characters [start, end)."""

    value: int
    length: int
    start: int
    end: int
    verbatim: bool  # the source characters are the value characters, one for one


class SourceMap(NamedTuple):
    """The pieces of one scalar's value, in order, covering it without gaps."""

    pieces: tuple[Piece, ...]
    firsts: tuple[int, ...]  # each piece's first value offset, for bisection
    starts: tuple[int, ...]  # each piece's first source offset, for bisection

    def _piece(self, index: int) -> Piece:
        return self.pieces[bisect.bisect_right(self.firsts, index) - 1]

    def source_of(self, index: int) -> tuple[int, int]:
        """The source characters that produce value character `index` (several for an escape or a fold)."""
        piece = self._piece(index)
        if piece.verbatim:
            at = piece.start + index - piece.value
            return at, at + 1
        return piece.start, piece.end

    def span(self, start: int, end: int | None = None) -> tuple[int, int] | None:
        """The source characters that produce value characters [start, end) (to the value's end when `end`
        is None), to report a position; None when `start` is not in the value."""
        last = self.pieces[-1].value + self.pieces[-1].length if self.pieces else 0
        if not 0 <= start < last:
            return None
        stop = min(max(end if end is not None else last, start + 1), last) - 1
        return self.source_of(start)[0], self.source_of(stop)[1]

    def verbatim_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The source characters [s, e) that are value characters [start, end) one for one, when there are
        such (no escape, fold or quote doubling among them): the only source a fix may replace."""
        if start >= end or start < 0 or not self.pieces:
            return None
        piece = self._piece(start)
        if not piece.verbatim or end > piece.value + piece.length:
            return None
        return piece.start + start - piece.value, piece.start + end - piece.value


    def value_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The value characters whose source is exactly [start, end), one for one (an empty span: the value
        offset at that point), when those source characters are verbatim; what an edit of them changes."""
        index = bisect.bisect_right(self.starts, start) - 1
        if index < 0 or start > end:
            return None
        piece = self.pieces[index]
        if not piece.verbatim or end > piece.end:
            return None
        return piece.value + start - piece.start, piece.value + end - piece.start


class _Builder:
    """Collects pieces in value order, joining verbatim pieces that touch in the source."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.produced: list[str] = []
        self.length = 0

    def add(self, start: int, end: int, produced: str, verbatim: bool) -> None:
        if not produced:
            return
        last = self.pieces[-1] if self.pieces else None
        if verbatim and last is not None and last.verbatim and last.end == start:
            self.pieces[-1] = last._replace(length=last.length + len(produced), end=end)
        else:
            self.pieces.append(Piece(self.length, len(produced), start, end, verbatim))
        self.produced.append(produced)
        self.length += len(produced)

    def text(self) -> str:
        return "".join(self.produced)


def _break_at(text: str, pos: int) -> str:
    """The line break at `pos` as written (CR LF is one break), or ""."""
    if text.startswith("\r\n", pos):
        return "\r\n"
    return text[pos] if pos < len(text) and text[pos] in BREAKS else ""


def _blanks(text: str, start: int, end: int, out: _Builder, after_escaped_break: int = -1) -> None:
    """White space inside a flow or plain scalar (scanner.c: "Consume blank characters", then "Join the
    whitespaces or fold line breaks"): blanks alone are kept; with a line break, the blanks around it are
    dropped and the breaks fold (one break -> a space, n breaks -> n-1 line feeds; a first break that is
    LS or PS is kept). After an escaped line break (which starts at `after_escaped_break`), every blank is
    dropped and every break kept, and the characters produced come from the escape on."""
    run = text[start:end]
    first = next((i for i, ch in enumerate(run) if ch in BREAKS), -1)
    if first < 0 and after_escaped_break < 0:
        out.add(start, end, run, True)
        return
    breaks: list[str] = []
    pos = first if first >= 0 else len(run)
    while pos < len(run):
        written = _break_at(run, pos)
        if written:
            breaks.append(_NORMAL[written])
            pos += len(written)
        else:
            pos += 1
    if after_escaped_break >= 0:
        out.add(after_escaped_break, end, "".join(breaks), False)
    elif breaks[0] == "\n":
        out.add(start, end, "".join(breaks[1:]) or " ", False)
    else:
        out.add(start, end, "".join(breaks), False)


def _flow(text: str, start: int, end: int, quote: str) -> _Builder | None:
    """A plain (quote ""), single- or double-quoted scalar whose source is text[start:end]."""
    out = _Builder()
    run = _DOUBLE_RUN if quote == '"' else _SINGLE_RUN if quote == "'" else _PLAIN_RUN
    pos, stop = (start + 1, end - 1) if quote else (start, end)
    if quote and (end - start < 2 or text[start] != quote or text[stop] != quote):
        return None
    while pos < stop:
        ch = text[pos]
        if ch in _BLANK_OR_BREAK:
            blank = _BLANKS.match(text, pos, stop)
            assert blank is not None
            _blanks(text, pos, blank.end(), out)
            pos = blank.end()
        elif quote == "'" and ch == "'":
            if pos + 2 > stop or text[pos + 1] != "'":
                return None
            out.add(pos, pos + 2, "'", False)
            pos += 2
        elif quote == '"' and ch == "\\":
            following = text[pos + 1 : pos + 2]
            if following and following in BREAKS:  # an escaped line break: no character, no fold
                end_of_break = pos + 1 + len(_break_at(text, pos + 1))
                blank = _BLANKS.match(text, end_of_break, stop)
                if blank is not None:
                    _blanks(text, end_of_break, blank.end(), out, after_escaped_break=pos)
                pos = blank.end() if blank is not None else end_of_break
                continue
            digits = _HEX_DIGITS.get(following, 0)
            if digits:
                code = text[pos + 2 : pos + 2 + digits]
                if len(code) != digits or not all(c in "0123456789abcdefABCDEF" for c in code):
                    return None
                point = int(code, 16)
                if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                    return None
                out.add(pos, pos + 2 + digits, chr(point), False)
                pos += 2 + digits
            elif following in _ESCAPES:
                out.add(pos, pos + 2, _ESCAPES[following], False)
                pos += 2
            else:
                return None
        else:
            match = run.match(text, pos, stop)
            if match is None:
                return None
            out.add(pos, match.end(), match.group(), True)
            pos = match.end()
    return out if pos == stop else None


def _block(text: str, start: int, end: int, indent: int | None) -> _Builder | None:
    """A literal or folded block scalar with its content indented by `indent` columns (None: detect it as
    libyaml does when the header has no indentation indicator). scanner.c: yaml_parser_scan_block_scalar."""
    header = _HEADER.match(text, start, end)
    if header is None:
        return None
    literal = text[start] == "|"
    chomp = header.group(1) or header.group(4) or ""
    pos = header.end()
    written = _break_at(text, pos)
    if pos < end and not written:
        return None
    pos += len(written)
    out = _Builder()
    trailing: list[tuple[int, int, str]] = []  # (start, end, break as written) of empty lines
    line_start = pos
    auto = indent is None

    def breaks(pos: int, line_start: int, indent: int) -> tuple[int, int, int] | None:
        """Indentation and empty lines: scanner.c yaml_parser_scan_block_scalar_breaks."""
        widest = 0
        while True:
            while pos < end and text[pos] == " " and (not indent or pos - line_start < indent):
                pos += 1
            widest = max(widest, pos - line_start)
            if pos < end and text[pos] == "\t" and (not indent or pos - line_start < indent):
                return None
            written = _break_at(text, pos) if pos < end else ""
            if not written:
                return pos, line_start, widest
            trailing.append((pos, pos + len(written), written))
            pos += len(written)
            line_start = pos

    scanned = breaks(pos, line_start, 0 if auto else indent or 0)
    if scanned is None:
        return None
    pos, line_start, widest = scanned
    if indent is None:
        indent = max(widest, 1)
    leading: tuple[int, int, str] | None = None
    leading_blank = False
    while pos < end and pos - line_start == indent:
        trailing_blank = text[pos] in " \t"
        if (not literal and leading is not None and _NORMAL[leading[2]] == "\n" and not leading_blank
                and not trailing_blank):
            fold_end = trailing[-1][1] if trailing else leading[1]
            out.add(leading[0], fold_end, "".join(_NORMAL[b[2]] for b in trailing) or " ", False)
        else:
            for piece in ([leading] if leading else []) + trailing:
                out.add(piece[0], piece[1], _NORMAL[piece[2]], piece[2] == "\n")
        trailing.clear()
        leading_blank = trailing_blank
        found = _LINE_END.search(text, pos, end)
        line_end = found.start() if found else end
        out.add(pos, line_end, text[pos:line_end], True)
        pos = line_end
        written = _break_at(text, pos) if pos < end else ""
        leading = (pos, pos + len(written), written) if written else None
        pos += len(written)
        line_start = pos
        scanned = breaks(pos, line_start, indent)
        if scanned is None:
            return None
        pos, line_start, _ = scanned
    if chomp != "-":
        for piece in ([leading] if leading else []) + (trailing if chomp == "+" else []):
            out.add(piece[0], piece[1], _NORMAL[piece[2]], piece[2] == "\n")
    return out if pos == end else None


def _indents(text: str, start: int, end: int, hint: int | None) -> list[int | None]:
    """The content indentations to try for a block scalar: detected (no indicator), or the indicator added
    to the parent's indentation, which the scalar's own source does not give (the key's column first)."""
    header = _HEADER.match(text, start, end)
    digit = header and (header.group(2) or header.group(3))
    if not digit:
        return [None]
    step = int(digit)
    widest = max((len(line) - len(line.lstrip(" ")) for line in text[start:end].split("\n")[1:]), default=0)
    first = [step + hint] if hint is not None and hint >= 0 else []
    return [*first, *(step + parent for parent in range(widest + 1) if step + parent <= widest)]


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # what a plain scalar cannot start with


def keeps_reading(text: str, node_start: int, start: int, end: int, new: str, style: str | None,
                  in_flow: bool) -> bool:
    """Whether replacing the verbatim source characters [start, end) of a scalar with `new` changes its
    value by exactly that replacement, judged from the edit's neighbours alone (so that thousands of fixes
    in one paragraph stay cheap). Conservative: it refuses what might break a line fold (a line left
    empty, blanks brought to a line's start or end), a quote, an escape or a line break written into
    quotes, and in a plain scalar, what YAML reads as syntax (`#`, `:`, an indicator at its start, and
    `,[]{}` in a flow collection). The scalar's source starts at `node_start`."""
    if any(ch in BREAKS for ch in new + text[start:end]):
        return False
    if style in ("'", '"') and (style in new or (style == '"' and "\\" in new)):
        return False
    if style is None and ("#" in new or ":" in new or (in_flow and any(ch in ",[]{}" for ch in new))):
        return False
    if style is None and start == node_start and (new + text[end : end + 1])[:1] in _INDICATORS:
        return False
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    blank = " \t"
    if style in ("|", ">"):  # a blank line of a block scalar is not content: writing on it moves the indentation
        line_start = max(node_start, text.rfind("\n", node_start, start) + 1)
        found = _LINE_END.search(text, start)
        line = text[line_start : found.start() if found else len(text)]
        if not _LINE_END.split(line)[-1].strip(blank):  # the line is where the last break before `start` ends
            return False
        if before in blank and any(part[:1] and part[:1] in blank for part in (text[start:end] or after, new)):
            return False  # blanks that may open the line: a folded block keeps the breaks around such a line
    if (new[:1] in blank if new else after in blank) and (before in blank or before in BREAKS):
        return False  # blanks would open a line (dropped, or more-indented in a folded block)
    if (new[-1:] in blank if new else before in blank) and (after in blank or after in BREAKS):
        return False  # blanks would end a line (dropped before a fold)
    return bool(new) or not (before in blank + BREAKS and after in blank + BREAKS)


def source_map(text: str, start: int, end: int, style: str | None, value: Any, parent_indent: int | None = None
               ) -> SourceMap | None:
    """The map of the scalar written as text[start:end] in `style` (None plain, `'`, `"`, `|`, `>`) whose
    value is `value`; None when the source does not reproduce the value exactly."""
    if style in ("|", ">"):
        for indent in _indents(text, start, end, parent_indent):
            built = _block(text, start, end, indent)
            if built is not None and _same(built.text(), value):
                return _finish(built)
        return None
    if style not in (None, "'", '"'):
        return None
    inner = text[start + 1 : end - 1] if style else text[start:end]
    if inner == value:  # the common case: nothing escaped or folded (every transformation shortens the text)
        offset = start + 1 if style else start
        return _of((Piece(0, len(inner), offset, offset + len(inner), True),) if inner else ())
    built = _flow(text, start, end, style or "")
    return _finish(built) if built is not None and _same(built.text(), value) else None


def _same(produced: str, value: Any) -> bool:
    """Whether the re-scanned text is the value: itself for a string, what it resolves to otherwise."""
    if isinstance(value, str):
        return produced == value
    return repr(resolve_plain(produced)) == repr(value)


def _finish(built: _Builder) -> SourceMap:
    return _of(tuple(built.pieces))


def _of(pieces: tuple[Piece, ...]) -> SourceMap:
    return SourceMap(pieces, tuple(piece.value for piece in pieces), tuple(piece.start for piece in pieces))
