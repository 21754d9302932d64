"""Mojibake: text that was UTF-8 decoded with the wrong code page, located character by character.

Mojibake comes in two kinds here, found by two detectors:

- UTF-8 read as a Western single-byte code page (Windows-1252 or Latin-1: `Ã—` for `×`, `â€”` for `—`,
  `Â·` for `·`, `Ã©` for `é`, `â€™` for `’`) is what ftfy (a maintained library) exists to repair, and
  it does so with context-aware heuristics that leave real text such as `SÃO PAULO` alone. ftfy decides
  whether a value is damaged and what it said; `find_mojibake` only locates the damaged sequences (a diff of
  the value against ftfy's repair) so that each is reported at its own line and column.
- UTF-8 read as the Thai code page (cp874 / TIS-620), the seed's kind, is not among the encodings ftfy
  tries, so ftfy reports `1.1 ร 10^14` as fine. The mechanism: `×` is UTF-8 C3 97. In TIS-620, C3 is the
  Thai letter `ร` and 97 is a C1 control character, which the publishing pipeline dropped; `—` (E2 80 94)
  lost both its C1 bytes and became `โ`; `·` (C2 B7) kept both bytes because B7 is the Thai letter `ท`,
  giving `ยท`. (Windows-874 proper keeps some of those bytes as punctuation: `ร—`, `โ€”`.) Only bytes 80-9F
  are ever lost, so re-encoding a run of Thai letters to cp874 and filling each lost byte with 80-9F
  gives every character the text can have meant. When exactly one of them is an ordinary character the
  repair is certain (`ยท` -> `·`); when bytes were lost, the surrounding text decides the two cases the
  seed has (`ร` between numbers is `×`; a spaced `โ` between words is the dash `—`), and anything else
  is reported without a fix. A Thai run that cannot be read this way is real Thai text: in a record whose
  `language` is `th` nothing Thai is mojibake, elsewhere such text is foreign-script's business.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import unicodedata
from typing import Any, NamedTuple

from .lazyre import Lazy


class Damage(NamedTuple):
    """A mis-encoded sequence of a value: characters [start, end), what they said (None: not certain)."""

    start: int
    end: int
    intended: str | None
    codepage: str
    candidates: tuple[str, ...] = ()  # what an uncertain sequence may have said, likeliest first


@functools.cache
def _ftfy() -> Any:
    import ftfy  # imported on first use: most values are plain ASCII and never need it

    return ftfy


# ftfy costs ~30 µs a value, so it only sees values with a character that can start a mojibake sequence:
# anything non-ASCII except typographic characters that real English text uses (none of which is the
# first character of a UTF-8 sequence read as a Western code page) and Thai (the other detector's).
_WORTH_FTFY = Lazy("[^\x00-\x7f\u00a0-\u00bf\u00d7\u00e9\u00f7\u2013\u2014\u2018\u2019\u201c\u201d"
                         "\u2022\u2026\u2192\u2264\u2265\u20ac\u0e00-\u0e7f]")
_CODEPAGES = {"latin-1": "Windows-1252 (Latin-1)", "sloppy-windows-1252": "Windows-1252 (Latin-1)",
              "sloppy-windows-1250": "Windows-1250", "iso-8859-2": "ISO 8859-2",
              "sloppy-windows-1251": "Windows-1251 (Cyrillic)", "macroman": "Mac OS Roman",
              "cp437": "DOS code page 437"}


def _codepage(steps: list[tuple[str, str]]) -> str:
    encodings = [arg for kind, arg in steps if kind == "encode"]
    if not encodings:
        return "Windows-1252 (Latin-1)"
    return _CODEPAGES.get(encodings[0], encodings[0]) + (" (more than once)" if len(encodings) > 1 else "")


_ALIGN_LIMIT = 2_000  # characters of one run of non-ASCII text aligned character by character (difflib is quadratic)


def _ftfy_damage(text: str) -> list[Damage]:
    if not _WORTH_FTFY.search(text):
        return []
    fixed, steps = _ftfy().fix_encoding_and_explain(text)
    if fixed == text:
        return []
    codepage = _codepage(steps or [])
    out: list[Damage] = []
    # A repair rarely touches ASCII (no UTF-8 sequence of two or more bytes reads as ASCII), so the two texts
    # are aligned run of non-ASCII characters by run: linear, where one difflib over the whole value took
    # minutes on 100 KB of `Ã— Ã— ...`. Where ASCII did change (ftfy restores a no-break space that became a
    # space: `Ã ` -> `à`), a short text is aligned as a whole, a long one gets one damage without a reading.
    i = j = 0
    while i < len(text) or j < len(fixed):
        if i < len(text) and j < len(fixed) and text[i] == fixed[j] and text[i].isascii():
            i, j = i + 1, j + 1
            continue
        run_end, fixed_end = _non_ascii_end(text, i), _non_ascii_end(fixed, j)
        if run_end == i or fixed_end == j:
            if len(text) <= _ALIGN_LIMIT:
                return _run_damage(text, 0, len(text), fixed, codepage)
            return [*out, Damage(i, min(len(text), max(run_end, i + 1)), None, codepage)]
        out.extend(_run_damage(text, i, run_end, fixed[j:fixed_end], codepage))
        i, j = run_end, fixed_end
    return out


def _non_ascii_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and not text[end].isascii():
        end += 1
    return end


def _run_damage(text: str, start: int, end: int, fixed: str, codepage: str) -> list[Damage]:
    """The damaged sequences of text[start:end], which ftfy repaired as `fixed`."""
    run = text[start:end]
    if run == fixed:
        return []
    if len(run) > _ALIGN_LIMIT:
        return [Damage(start, end, None, codepage)]
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, run, fixed, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if j1 == j2:
            # only deleted: the intended character equals one of the damaged ones (`Â·` -> `·`, `Ãƒ` -> `Ã`);
            # take it back in, after a leading byte's character, before anything else
            if 0xC2 <= ord(run[i1]) <= 0xF4 and i2 < len(run):
                i2, j2 = i2 + 1, j2 + 1
            elif i1 > 0:
                i1, j1 = i1 - 1, j1 - 1
        if spans and i1 < spans[-1][1]:
            spans[-1][1], spans[-1][3] = max(i2, spans[-1][1]), max(j2, spans[-1][3])
        else:
            spans.append([i1, i2, j1, j2])
    out = []
    for i1, i2, j1, j2 in spans:
        intended = fixed[j1:j2]
        out.append(Damage(start + i1, start + i2, intended if intended and "\ufffd" not in intended else None,
                          codepage))
    return out


_CP874_PUNCTUATION = {"\u20ac": 0x80, "\u2026": 0x85, "\u2018": 0x91, "\u2019": 0x92, "\u201c": 0x93,
                      "\u201d": 0x94, "\u2022": 0x95, "\u2013": 0x96, "\u2014": 0x97}
_LOST = -1  # a byte the decoder replaced with U+FFFD: it was one of the C1 bytes too
# a Thai letter, then what a cp874 / TIS-620 decoder makes of the bytes that can follow it
_THAI_RUN = Lazy("[\u0e01-\u0e5b][\u0e01-\u0e5b\u0080-\u00a0\ufffd" + "".join(_CP874_PUNCTUATION) + "]*")
_COMMON = "—–’‘“”…•×·°±≥≤→é"  # what English medical text most often holds, to list likely readings first
_THAI = "Thai (cp874)"


def _cp874_byte(ch: str) -> int | None:
    """The byte a cp874 / TIS-620 decoder turned into `ch`."""
    point = ord(ch)
    if 0x0E01 <= point <= 0x0E5B:
        return point - 0x0E00 + 0xA0
    if 0x80 <= point <= 0xA0:  # C1 controls that a TIS-620 decoder kept, and the no-break space
        return point
    if ch == "\ufffd":
        return _LOST
    return _CP874_PUNCTUATION.get(ch)


def _continuations(lead: int) -> int:
    """How many continuation bytes a UTF-8 sequence starting with `lead` has (0: not a lead byte)."""
    return 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 3 if 0xF0 <= lead <= 0xF4 else 0


def _plausible(ch: str) -> bool:
    """A character English text could have held: Latin-1 to Greek, or punctuation and symbols."""
    point = ord(ch)
    in_range = 0xA0 <= point <= 0x3FF or 0x2000 <= point <= 0x2BFF
    return in_range and (unicodedata.category(ch)[0] in "LNPS" or ch == "\u00a0")


@functools.lru_cache(maxsize=512)
def thai_candidates(lead: int, tail: tuple[int, ...]) -> tuple[str, ...]:
    """Every plausible character whose UTF-8 bytes, read as TIS-620 with the C1 bytes (80-9F) dropped,
    leave `lead` followed by `tail` (`_LOST` marks a byte known to be lost at that place)."""
    need = _continuations(lead)
    if not need or len(tail) > need:
        return ()
    found: set[str] = set()
    for slots in itertools.combinations(range(need), need - len(tail)):
        rest = iter(tail)
        pattern = [_LOST if index in slots else next(rest) for index in range(need)]
        lost = [index for index, byte in enumerate(pattern) if byte == _LOST]
        for fill in itertools.product(range(0x80, 0xA0), repeat=len(lost)):
            for index, byte in zip(lost, fill, strict=True):
                pattern[index] = byte
            try:
                ch = bytes([lead, *pattern]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _plausible(ch):
                found.add(ch)
    return tuple(sorted(found, key=lambda c: (c not in _COMMON, _COMMON.find(c), c)))


class _Reading(NamedTuple):
    candidates: tuple[str, ...]
    times: bool  # `×` is among them
    dash: bool  # `—` is among them


@functools.lru_cache(maxsize=1024)
def _reading(lead: int, tail: tuple[int, ...], in_word: bool) -> _Reading:
    """What a Thai sequence may have said, computed once per kind of sequence, not once per character."""
    candidates = thai_candidates(lead, tail)
    if lead < 0xE0 and in_word:  # in a word, `À`-`ß` are likelier than `×`
        candidates = tuple(sorted(candidates, key=lambda c: not c.isalpha()))
    return _Reading(candidates, "×" in candidates, "—" in candidates)


def _number_before(text: str, start: int) -> bool:
    """A digit right before `start`, or before one white-space character (`\\d\\s?` ending there)."""
    return (text[start - 1 : start].isdecimal()
            or (text[start - 1 : start].isspace() and text[start - 2 : start - 1].isdecimal()))


def _number_after(text: str, end: int) -> bool:
    return text[end : end + 1].isdecimal() or (text[end : end + 1].isspace() and text[end + 1 : end + 2].isdecimal())


def _thai_choice(reading: _Reading, text: str, start: int, end: int) -> str | None:
    """The intended character when it is certain: the only candidate, or what the context makes it."""
    if len(reading.candidates) == 1:
        return reading.candidates[0]
    if not (reading.times or reading.dash):
        return None
    between_numbers = _number_before(text, start) and _number_after(text, end)
    if reading.times and between_numbers:
        return "×"  # `1.1 ร 10^14`: every other reading is a capital letter
    spaced = text[start - 1:start] == " " and text[end:end + 1] == " "
    if reading.dash and spaced and not between_numbers:
        return "—"  # a spaced mark between words is a dash; between numbers it may be a range (`–`)
    return None


def _thai_run(text: str, start: int, end: int) -> list[Damage] | None:
    """The damaged sequences of one run of Thai letters, or None when the run is not mojibake."""
    out: list[Damage] = []
    pos = start
    while pos < end:
        if not "\u0e01" <= text[pos] <= "\u0e5b":
            pos += 1  # cp874 punctuation that no Thai letter claimed is just punctuation
            continue
        lead = ord(text[pos]) - 0x0E00 + 0xA0
        need = _continuations(lead)
        tail: list[int] = []
        stop = pos + 1
        while stop < end and len(tail) < need:
            byte = _cp874_byte(text[stop])
            if byte is None or not (byte == _LOST or 0x80 <= byte <= 0xBF):
                break
            tail.append(byte)
            stop += 1
        reading = _reading(lead, tuple(tail), text[pos - 1:pos].isalpha())
        if not reading.candidates:
            return None
        out.append(Damage(pos, stop, _thai_choice(reading, text, pos, stop), _THAI, reading.candidates))
        if need and not tail and text[stop:stop + 1] == text[pos]:
            # a run of one letter whose following bytes were all lost (`รรรร`): every letter but the last
            # reads the same, between two Thai letters; 80,000 of them took 4 s one by one
            rest = text[stop:end]
            last = stop + len(rest) - len(rest.lstrip(text[pos])) - 1
            inner = _reading(lead, (), True)
            intended = inner.candidates[0] if len(inner.candidates) == 1 else None
            out.extend(Damage(at, at + 1, intended, _THAI, inner.candidates) for at in range(stop, last))
            stop = last
        pos = stop
    return out


def _thai_damage(text: str) -> list[Damage]:
    out: list[Damage] = []
    for run in _THAI_RUN.finditer(text):
        out.extend(_thai_run(text, run.start(), run.end()) or ())
    return out


@functools.lru_cache(maxsize=4096)
def find_mojibake(text: str, thai_is_text: bool = False) -> tuple[Damage, ...]:
    """Mis-encoded sequences of a value, in order; Thai letters are text when `thai_is_text`."""
    if text.isascii():
        return ()
    # Thai first: ftfy reads the C1 controls that a TIS-620 decoder keeps (`ร<U+0097>`) as Windows-1252
    found = [] if thai_is_text else _thai_damage(text)
    starts = [d.start for d in found]  # in order, never overlapping: the one before a damage is the only one
    found += [d for d in _ftfy_damage(text) if not _overlaps(found, starts, d)]  # that may overlap it
    return tuple(sorted(found))


def _overlaps(found: list[Damage], starts: list[int], damage: Damage) -> bool:
    at = bisect.bisect_left(starts, damage.end) - 1
    return at >= 0 and found[at].end > damage.start
