"""Text integrity: mojibake, letters from a script the record's language does not use, invisible and
control characters, and names whose capitalisation drifts within a record.

File-level encoding problems (not UTF-8, a byte-order mark, NUL bytes) are the loader's (ML003, ML004);
these rules look inside the values of a record that decoded cleanly.

Mojibake comes in two kinds here, found by two detectors:

- UTF-8 read as a Western single-byte code page (Windows-1252 or Latin-1: `Ã—` for `×`, `â€”` for `—`,
  `Â·` for `·`, `Ã©` for `é`, `â€™` for `’`) is what ftfy (a maintained library) exists to repair, and
  it does so with context-aware heuristics that leave real text such as `SÃO PAULO` alone. ftfy decides
  whether a value is damaged and what it said; this module only locates the damaged sequences (a diff of
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

Characters inside a reported mojibake sequence are not reported again as foreign script or control
characters.
"""
from __future__ import annotations

import bisect
import difflib
import enum
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import partial
from typing import Any, NamedTuple

from ..excerpt import quote
from ..model import Hit, Pointer, Severity, yaml_path
from ..record import Record
from .fields import prose, replace_fix
from .base import Docs, Option, Rule, RuleContext

# --- shared: every text value, the record's language, naming characters --------------------------

_C0 = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline are text
# Scripts a language's text is written in besides Latin (drug names and acronyms are Latin in every
# language). A language that is not listed is not checked for foreign script.
_LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
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


def _text_values(record: Record) -> Iterator[tuple[Pointer, str]]:
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


def _language(record: Record) -> str:
    """The primary subtag of the record's BCP 47 `language` (`en`, `th`), or "" when there is none."""
    language = record.data.get("language")
    return language.split("-", 1)[0].lower() if isinstance(language, str) else ""


def _show(text: str) -> str:
    """Text for a message, with invisible characters spelt out (`ร<U+0097>`)."""
    return "".join(f"<U+{ord(ch):04X}>" if ch != " " and unicodedata.category(ch)[0] in "CZ" else ch
                   for ch in text)


def _char_name(ch: str) -> str:
    unnamed = _CONTROL_NAMES.get(ch) or _UNNAMED.get(unicodedata.category(ch), "CHARACTER")
    return f"U+{ord(ch):04X} {unicodedata.name(ch, unnamed)}"


def _names(text: str) -> str:
    """`U+043E CYRILLIC SMALL LETTER O`, for the first three distinct characters of `text`."""
    distinct = list(dict.fromkeys(text))
    shown = ", ".join(_char_name(ch) for ch in distinct[:3])
    return shown + (", ..." if len(distinct) > 3 else "")


# --- mojibake -------------------------------------------------------------------------------------


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
_WORTH_FTFY = re.compile("[^\x00-\x7f\u00a0-\u00bf\u00d7\u00e9\u00f7\u2013\u2014\u2018\u2019\u201c\u201d"
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
_THAI_RUN = re.compile("[\u0e01-\u0e5b][\u0e01-\u0e5b\u0080-\u00a0\ufffd" + "".join(_CP874_PUNCTUATION) + "]*")
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


def _damaged_positions(text: str, language: str) -> set[int]:
    found = find_mojibake(text, language == "th")
    return {i for d in found for i in range(d.start, d.end)} if found else set()


def _check_mojibake(record: Record, context: RuleContext) -> Iterator[Hit]:
    thai_is_text = _language(record) == "th"
    for pointer, text in _text_values(record):
        for damage, count in _repeats(text, find_mojibake(text, thai_is_text)):
            yield _mojibake_hit(record, pointer, text, damage, count)


def _repeats(text: str, damages: tuple[Damage, ...]) -> Iterator[tuple[Damage, int]]:
    """Each damage with how many times it repeats right after itself (`รรรร`): one finding, not 80,000."""
    index = 0
    while index < len(damages):
        first, count = damages[index], 1
        damaged = text[first.start:first.end]
        while index + count < len(damages):
            following = damages[index + count]
            if (following.start != first.start + count * len(damaged) or following.intended != first.intended
                    or text[following.start:following.end] != damaged):
                break
            count += 1
        yield first, count
        index += count


def _mojibake_hit(record: Record, pointer: Pointer, text: str, damage: Damage, count: int = 1) -> Hit:
    damaged = text[damage.start:damage.end]
    end = damage.start + len(damaged) * count
    shown = quote(_show(damaged))
    times = f" ({count:,} times in a row)" if count > 1 else ""
    read_as = f"the text was saved as UTF-8 and read as {damage.codepage}"
    if damage.intended is not None:
        fix = partial(replace_fix, record, pointer, damage.start, end, damage.intended * count,
                          f"replace `{shown}` with `{damage.intended}`{times}")
        return Hit(pointer, f"`{shown}`{times} is a mis-encoded `{damage.intended}`: {read_as}",
                   f"replace `{shown}` with `{damage.intended}`", damage.start, end, subject=shown, fix=fix)
    likely = ", ".join(f"`{c}`" for c in damage.candidates[:4])
    perhaps = f" (perhaps {likely}{' or another character' if len(damage.candidates) > 4 else ''})" if likely else ""
    return Hit(pointer, f"`{shown}`{times} is mis-encoded text: {read_as}, and bytes were lost, so what it said "
                        f"cannot be worked out with certainty{perhaps}",
               "retype the intended character from the source document", damage.start, end, subject=shown)


MOJIBAKE = Rule(
    code="ML601", name="mojibake", family="text", severity=Severity.ERROR,
    summary="Text that was saved as UTF-8 and read in another code page (`Ã—` or `ร` for `×`).",
    check=_check_mojibake, fixable=True,
    docs=Docs(
        what="Reports mis-encoded sequences in every text value of a record, each at its own line and "
             "column, with the character it stands for. Two kinds: UTF-8 read as Windows-1252 or Latin-1 "
             "(`Ã—` for `×`, `â€”` for `—`, `Â·` for `·`, `Ã©` for `é`, `â€™` for `’`; found and repaired "
             "with ftfy), and UTF-8 read as the Thai code page cp874 / TIS-620 (`ร` for `×`, `โ` for `—`, "
             "`ยท` for `·`), where the C1 bytes 80-9F are lost. The fix replaces only the damaged characters, "
             "and only where the reading is certain: when ftfy repairs the sequence, when the Thai bytes "
             "leave one possible character, or when bytes were lost and the context decides (`ร` between "
             "numbers is `×`, a spaced `โ` between words is `—`). Other sequences are reported with their "
             "likely readings and no fix. In a record whose `language` is `th`, Thai letters are text; "
             "real text such as `SÃO PAULO`, `×`, `—`, `·`, `é` and `’` is not reported. A sequence repeated back "
             "to back (`รรรร`) is one finding, with the count.",
        why="Mojibake is what readers of the seed page saw: `1.1 ร 10^14 vector genomes/kg` for a dose "
            "of 1.1 × 10^14. A damaged multiplication sign in a dose is a dose that cannot be read, and "
            "garbled text tells readers the page was never checked.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                "    notes: 1.1 ร 10^14 vector genomes/kg, as a single infusion.\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                    "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                    "    notes: 1.1 × 10^14 vector genomes/kg, as a single infusion.\n",
        references=("The Unicode Standard, 2.5 Encoding Forms (UTF-8)",
                    "TIS-620 / ISO/IEC 8859-11 (Thai) and Windows code page 874",
                    "WHATWG Encoding Standard: windows-1252",
                    "ftfy (fixes text for you), https://ftfy.readthedocs.io/"),
    ),
)


# --- foreign script -------------------------------------------------------------------------------

# Cyrillic and Greek letters that look like Latin ones. Greek letters used as symbols in medicine
# (α, β, κ, ν, ...) are not listed: only those nobody writes as a symbol.
_CONFUSABLES: dict[str, str] = {
    **dict(zip("аеорсухѕіјԁһӏԛԝ", "aeopcyxsijdhlqw", strict=True)),
    **dict(zip("АВЕКМНОРСТХУЅІЈԚԜ", "ABEKMHOPCTXYSIJQW", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο", "ABEZHIKMNOPTYXo", strict=True)),
}
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_NEUTRAL = ("MICRO SIGN", "FEMININE ORDINAL", "MASCULINE ORDINAL", "MODIFIER LETTER")
_LOOK_ALIKE = "LOOK-ALIKE"


@functools.lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    """The script of a letter from its Unicode name (`LATIN`, `CYRILLIC`, `THAI`); `LOOK-ALIKE` for
    compatibility forms of Latin letters (fullwidth, mathematical, ligatures, the Kelvin sign); "" for
    characters that belong to no script (digits, punctuation, µ, ª, modifier letters)."""
    name = unicodedata.name(ch, "")
    if not ch.isalpha() or name.startswith(_NEUTRAL):
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and folded.isascii():
        return _LOOK_ALIKE
    return name.split(" ", 1)[0] if name else "UNKNOWN"


class _Word(NamedTuple):
    start: int
    end: int
    has_latin: bool
    greek: int  # how many Greek letters
    look_alike: bool  # every letter looks like a Latin one (`Β` in `Β12`, `РАС`)


def _in_word(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch)[0] == "M"


def _suspect_words(text: str, skip: set[int]) -> Iterator[_Word]:
    """The words (runs of letters and the marks on them) that hold a letter of a script other than
    Latin, outside mis-encoded sequences; only those need a closer look."""
    end = 0
    for match in _NON_ASCII_LETTER.finditer(text):
        index = match.start()
        if index < end or index in skip or script_of(match.group()) in ("", "LATIN"):
            continue
        start, end = index, index + 1
        while start and _in_word(text[start - 1]):
            start -= 1
        while end < len(text) and _in_word(text[end]):
            end += 1
        letters = [c for c in text[start:end] if c.isalpha()]
        scripts = [script_of(c) for c in letters]
        yield _Word(start, end, "LATIN" in scripts, scripts.count("GREEK"), all(c in _CONFUSABLES for c in letters))


def _letter_kind(ch: str, word: _Word, allowed: frozenset[str], greek_symbols: int, genuine: set[str]) -> str:
    """Why a letter does not belong: `homoglyph`, `look-alike`, a script's name, or "" when it does.
    `genuine`: scripts the value has letters of that look like no Latin letter (real Cyrillic text)."""
    script = script_of(ch)
    if script in ("", "LATIN"):
        return ""
    if ch in _CONFUSABLES and word.has_latin:
        return "homoglyph"
    if script == _LOOK_ALIKE:
        return script
    if script in allowed:
        return ""
    if script == "GREEK" and ch not in _CONFUSABLES and word.greek <= greek_symbols:
        return ""  # α, β, κ, TNF-α, 5α-reductase: Greek letters as symbols
    return "homoglyph" if word.look_alike and script not in genuine else script


def _foreign_runs(text: str, allowed: frozenset[str], greek_symbols: int,
                  skip: set[int]) -> Iterator[tuple[int, int, str, _Word]]:
    """Runs of letters of one kind that do not belong, with the word they are in."""
    words = list(_suspect_words(text, skip))
    genuine = {script_of(ch) for ch in set(text) if ch.isalpha() and ch not in _CONFUSABLES} if words else set()
    for word in words:
        run_start, run_kind = -1, ""
        for index in range(word.start, word.end + 1):
            ch = text[index] if index < word.end else " "
            if run_start >= 0 and unicodedata.category(ch)[0] == "M":
                continue  # a mark stays with the letter it sits on
            kind = "" if index in skip or index == word.end else _letter_kind(ch, word, allowed, greek_symbols,
                                                                              genuine)
            if run_start >= 0 and kind != run_kind:
                yield run_start, index, run_kind, word
                run_start = -1
            if kind and run_start < 0:
                run_start, run_kind = index, kind


def _is_name_of_a_work_or_person(pointer: Pointer) -> bool:
    """Titles of cited works and reviewers' names may be in their own script."""
    return (pointer[:1] == ("sources",) and pointer[-1:] == ("title",)) or pointer[:2] == ("review", "reviewers")


def _check_foreign_script(record: Record, context: RuleContext) -> Iterator[Hit]:
    language = _language(record)
    if language not in _LANGUAGE_SCRIPTS:
        return
    allowed = _LANGUAGE_SCRIPTS[language]
    greek_symbols = int(context.options["greek-symbol-letters"])
    for pointer, text in _text_values(record):
        skip = _damaged_positions(text, language)
        # one finding per word and kind, however many runs: 20,000 look-alike letters in one word were
        # 20,000 findings, each quoting the word
        groups: dict[tuple[int, str], tuple[_Word, list[tuple[int, int]]]] = {}
        for start, end, kind, word in _foreign_runs(text, allowed, greek_symbols, skip):
            if kind not in ("homoglyph", _LOOK_ALIKE) and _is_name_of_a_work_or_person(pointer):
                continue
            groups.setdefault((word.start, kind), (word, []))[1].append((start, end))
        for (_, kind), (word, runs) in groups.items():
            yield _foreign_hit(record, pointer, text, runs, kind, word, language)


def _latin(run: str) -> str:
    return "".join(_CONFUSABLES.get(ch) or unicodedata.normalize("NFKC", ch) for ch in run)


def _foreign_hit(record: Record, pointer: Pointer, text: str, runs: list[tuple[int, int]], kind: str, word: _Word,
                 language: str) -> Hit:
    """One finding for the runs of one kind in one word."""
    start, end = runs[0][0], runs[-1][1]
    said = _foreign_word(text[word.start:word.end], tuple((s - word.start, e - word.start) for s, e in runs), kind,
                         language)
    fix = None
    if said.replacement is not None:
        fix = partial(replace_fix, record, pointer, start, end, said.replacement, said.fix_description)
    return Hit(pointer, said.message, said.hint, start, end, subject=said.subject, fix=fix)


class _Said(NamedTuple):
    message: str
    hint: str
    subject: str
    replacement: str | None  # for the characters from the first run to the last
    fix_description: str


@functools.lru_cache(maxsize=1024)
def _foreign_word(word: str, runs: tuple[tuple[int, int], ...], kind: str, language: str) -> _Said:
    """What to say about the runs of one kind in a word, quoting bounded excerpts; once per distinct word (a
    text repeating one word 30,000 times is said once)."""
    letters = "".join(word[s:e] for s, e in runs)
    if kind in ("homoglyph", _LOOK_ALIKE):
        pieces, position = [], 0
        for s, e in runs:
            pieces += [word[position:s], _latin(word[s:e])]
            position = e
        latin_word = "".join(pieces) + word[position:]
        if len(letters) > 1:
            intended = quote(latin_word)
            message = (f"`{quote(word)}` has {len(letters):,} letters from another script that look like Latin ones "
                       f"({_names(letters)}), so it is not the Latin `{intended}`")
        else:
            intended = quote(_latin(letters))
            where = f" in `{quote(word)}`" if word != letters else ""
            message = f"`{quote(letters)}`{where} is {_names(letters)}, not the Latin `{intended}`"
        message += (": it looks the same, but search, sorting, spell-checking and screen readers treat the word as "
                    "a different one")
        replacement = latin_word[runs[0][0] : len(latin_word) - (len(word) - runs[-1][1])]
        return _Said(message, f"retype it as `{intended}`", quote(letters), replacement,
                     f"replace `{quote(letters)}` with the Latin `{intended}`")
    script = "CJK" if kind == "CJK" else kind.title()
    what = f"`{quote(word)}` has {len(letters):,} letters of" if len(runs) > 1 else f"`{quote(letters)}` is"
    message = (f"{what} {script} script ({_names(letters)}), which a record in `{language}` does not use: "
               "it is mis-encoded text or was pasted from another source")
    return _Said(message, "check what the text should say and retype it", quote(letters), None, "")


FOREIGN_SCRIPT = Rule(
    code="ML602", name="foreign-script", family="text", severity=Severity.ERROR,
    summary="Letters from a script the record's language does not use, "
            "such as a Cyrillic `\u043e` in `Z\u043elgensma`.",
    check=_check_foreign_script, fixable=True,
    options={"greek-symbol-letters": Option(3, "most Greek letters in a word taken as symbols (α, β, κ, TNF-α, "
                                                "γδ) in a language that does not use Greek; 0 reports them all")},
    docs=Docs(
        what="Reports letters of a script that the record's `language` does not use (for `en`: anything "
             "but Latin), naming each character (`U+043E CYRILLIC SMALL LETTER O`). Cyrillic and Greek "
             "letters that look like Latin ones (homoglyphs) and compatibility forms of Latin letters "
             "(fullwidth `Ｓ`, mathematical `𝐒`, ligatures `ﬁ`, the Kelvin sign) are reported with the "
             "Latin letter they imitate, and fixed. Greek letters used as symbols (`α`, `β`, `κ`, "
             "`TNF-α`, `αvβ3`; words with at most `greek-symbol-letters` Greek letters) are accepted, "
             "and `µ` is left to the unit rules. Titles of cited sources and reviewers' names may be in "
             "their own script; only look-alike letters are reported there. Mis-encoded text already "
             "reported as mojibake (ML601) is not reported again, and languages medlint has no script "
             "table for are not checked. The letters of one kind in one word are one finding, with their count.",
        why="A look-alike letter makes a drug name a different word for search, spell-checking, "
            "screen readers and every other medlint rule, while reviewers see nothing wrong. Letters of "
            "another script on an English page are damaged or pasted text.",
        example="summary: Z\u043elgensma is a gene therapy that is given one time.  # a Cyrillic о (U+043E)\n",
        use_instead="summary: Zolgensma is a gene therapy that is given one time. It treats α-motor neurons.\n",
        references=("Unicode Technical Standard #39: Unicode Security Mechanisms (confusables, mixed scripts)",
                    "Unicode Standard Annex #24: Unicode Script Property",
                    "docs/record-format.md: `language`"),
    ),
)


# --- control and invisible characters -------------------------------------------------------------

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad")
# zero-width characters some writing systems need: Thai marks word breaks with U+200B, Persian and
# Indic scripts shape letters with ZWNJ and ZWJ
_LANGUAGE_FORMAT: dict[str, frozenset[str]] = {
    **{code: frozenset("\u200b") for code in ("th", "lo", "km", "my")},
    **{code: frozenset("\u200c\u200d") for code in ("fa", "ur", "ar", "hi", "bn", "mr", "ne", "ta", "te", "kn",
                                                   "ml", "gu", "pa", "si")},
}


def _hidden(text: str, allowed: frozenset[str]) -> frozenset[str]:
    """The control, format, private-use and unassigned characters of a value (tab and newline aside)."""
    return frozenset(ch for ch in set(text)
                     if ch not in "\t\n" and ch not in allowed and unicodedata.category(ch)[0] == "C")


def _hidden_runs(text: str, hidden: frozenset[str], skip: set[int]) -> Iterator[tuple[int, int]]:
    start = -1
    for index, ch in enumerate(text + "\n"):
        if ch in hidden and index not in skip:
            start = index if start < 0 else start
        elif start >= 0:
            yield start, index
            start = -1


def _control_message(run: str) -> str:
    names = _names(run)
    if any(ch in _BIDI for ch in run):
        return (f"{names} changes the order in which text is displayed, so what reviewers read is not what "
                "is stored (the 'Trojan Source' trick)")
    if all(ch in _ZERO_WIDTH for ch in run):
        return (f"invisible {names}: the word it sits in is a different word for search, screen readers "
                "and every other check, while reviewers see nothing")
    category = unicodedata.category(run[0])
    if category == "Co":
        return f"private-use {names}: it shows as an empty box or as an icon of one font only"
    if category == "Cn":
        return f"{names} is not an assigned Unicode character"
    return f"{names} is a control or formatting character, which has no place in patient-facing text"


def _check_control(record: Record, context: RuleContext) -> Iterator[Hit]:
    language = _language(record)
    allowed = _LANGUAGE_FORMAT.get(language, frozenset())
    removable = language in _LANGUAGE_SCRIPTS and not _LANGUAGE_SCRIPTS[language]  # Latin-only languages
    for pointer, text in _text_values(record):
        hidden = _hidden(text, allowed)
        if not hidden:
            continue
        for runs in _by_word(text, _hidden_runs(text, hidden, _damaged_positions(text, language))):
            start, end = runs[0][0], runs[-1][1]
            found = "".join(text[s:e] for s, e in runs)
            count = f"{len(found):,} invisible characters in one word: " if len(runs) > 1 else ""
            fix = None
            if removable and all(ch in _ZERO_WIDTH for ch in found):
                kept = "".join(text[e:s] for (_, e), (s, _) in itertools.pairwise(runs))
                fix = partial(replace_fix, record, pointer, start, end, kept, f"remove {_names(found)}")
            yield Hit(pointer, count + _control_message(found),
                      "delete it" + (" (`medlint fix` does, unless it is written as an escape)" if fix else ""),
                      start, end, subject=quote(_show(found)), fix=fix)


def _by_word(text: str, runs: Iterator[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Runs grouped by the word they are in: a word of 50,000 letters and zero-width spaces is one finding."""
    group: list[tuple[int, int]] = []
    for run in runs:
        if group and any(ch.isspace() for ch in text[group[-1][1]:run[0]]):
            yield group
            group = []
        group.append(run)
    if group:
        yield group


CONTROL_CHARACTER = Rule(
    code="ML603", name="control-character", family="text", severity=Severity.ERROR,
    summary="A control, zero-width, bidirectional or private-use character inside a text value.",
    check=_check_control, fixable=True,
    docs=Docs(
        what="Reports C0 and C1 control characters (tab and newline are fine), zero-width characters "
             "(U+200B, U+200C, U+200D, U+2060, U+FEFF inside a value), soft hyphens (U+00AD), "
             "bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), other "
             "invisible formatting characters, private-use and unassigned code points, in every text "
             "value. Raw control characters are rejected by the YAML parser (ML001); these are the ones "
             "that reach a value through escapes such as `\"\\u200b\"` or as raw invisible characters. "
             "The fix deletes zero-width characters and soft hyphens in languages written in Latin only "
             "(there they carry no meaning; in Thai, Persian or Indic scripts they do, and those "
             "languages' own zero-width characters are not reported). Bidirectional controls are not "
             "deleted automatically: what the reviewer saw was the reordered text. A character written "
             "as an escape is reported at the escape; an escaped one is not deleted automatically (the fix "
             "edits only characters written as themselves). Invisible characters in one word are one finding.",
        why="Invisible characters make reviewed text differ from published text: a zero-width space "
            "inside `µg` hides it from the unit rules, a bidirectional override shows reviewers one "
            "text and stores another, and control characters break rendering and search.",
        example="summary: \"Zolgensma is a gene\\u200b therapy that is given one time.\"\n",
        use_instead="summary: \"Zolgensma is a gene therapy that is given one time.\"\n",
        references=("Unicode Technical Standard #39: Unicode Security Mechanisms",
                    "Boucher and Anderson, Trojan Source: Invisible Vulnerabilities (CVE-2021-42574)",
                    "YAML 1.2.2, 5.1 Character Set and 5.7 Escaped Characters"),
    ),
)


# --- capitalisation of names ----------------------------------------------------------------------

_SENTENCE_START = re.compile(r"(?:\A|[.!?:]\s+|\n\s*)[\"'“‘(]?\Z")
_TOKEN = re.compile(r"[^\W_]+")
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(an?)\s+\Z", re.IGNORECASE)
_LETTERS_SAID_WITH_A_VOWEL = frozenset("AEFHILMNORSX")  # "an AAV9", "an SMN1", "a GLP-1"
_PROPER_FIELDS = frozenset({"brand_name"})  # the other fields name a class or a substance: common nouns


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in name.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _acronym_form(token: str) -> bool:
    """Written as an acronym or symbol, whose case carries meaning: every letter a capital (`AAV9`,
    `K1`, `K`) or a capital after the first character (`mRNA`, `CoA`)."""
    letters = [ch for ch in token if ch.isalpha()]
    return bool(letters) and (all(ch.isupper() for ch in letters) or any(ch.isupper() for ch in token[1:]))


def _case_matters(token: str) -> bool:
    """A token of a common noun whose case still matters: internal capitals, or a digit among letters
    (`AAV9`, `SMN1`, `mRNA`, `K1`), or a single capital (`vitamin K`)."""
    internal_capital = any(ch.isupper() for ch in token[1:])
    digit_among_letters = any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token)
    return internal_capital or digit_among_letters or (len(token) == 1 and token.isupper())


def _raised(lower: str, upper: str) -> bool:
    """`upper` is `lower` with some lowercase letters capitalised, and nothing else changed."""
    return lower != upper and all(a == b or a.upper() == b for a, b in zip(lower, upper, strict=True))


class _Verdict(enum.Enum):
    TEXT_WRONG = "the text's form is certainly wrong"  # a fix may write the field's form
    FIELD_WRONG = "the field's form is certainly wrong"  # a lowercased acronym in the field
    UNSURE = "one of the two is wrong"


def _verdict(pairs: list[tuple[str, str]], proper: bool) -> _Verdict:
    """Which side of each differing (field, text) token pair is right, when every pair says the same."""
    def text_wrong(field: str, found: str) -> bool:
        if proper:  # capitalise an all-lowercase brand; lower one shouted in capitals to the field's form
            lowered = found.islower() and not field.islower()
            shouted = found.isupper() and len(found) > 1 and not field.isupper() and not field.islower()
            return (lowered and _raised(found, field)) or (shouted and not any(ch.isdigit() for ch in found))
        return _raised(found, field) and _acronym_form(field) and not _acronym_form(found)

    def field_wrong(field: str, found: str) -> bool:
        return not proper and _raised(field, found) and _acronym_form(found) and not _acronym_form(field)

    if all(text_wrong(*pair) for pair in pairs):
        return _Verdict.TEXT_WRONG
    if all(field_wrong(*pair) for pair in pairs):
        return _Verdict.FIELD_WRONG
    return _Verdict.UNSURE


class _Change(NamedTuple):
    """A token of a mention whose case differs from the field's where case matters."""

    place: int  # the token's place in the name
    start: int  # where the token is in the text
    end: int
    want: str  # the field's token
    found: str


class _Occurrence(NamedTuple):
    pointer: Pointer
    text: str
    start: int  # the mention in `text`
    end: int
    changes: tuple[_Change, ...]
    verdict: _Verdict

    @property
    def found(self) -> str:
        return " ".join(self.text[self.start:self.end].split())


def _differences(name: str, text: str, match: re.Match[str], proper: bool) -> tuple[_Change, ...]:
    """The tokens of a mention whose case differs from the name's where it matters. For a brand name every
    letter matters, except a capital that opens a sentence; for a class or substance (a common noun) only
    acronyms and symbols do."""
    out = []
    wanted, found_tokens = _TOKEN.findall(name), list(_TOKEN.finditer(text, match.start(), match.end()))
    if len(wanted) != len(found_tokens):
        return ()  # a letter that only case folding equates with a mark (U+0345 and `ι`): nothing to compare
    for index, (want, got) in enumerate(zip(wanted, found_tokens, strict=True)):
        found = got.group()
        if found == want:
            continue
        if proper:
            if (index == 0 and found == want[:1].upper() + want[1:]
                    and _SENTENCE_START.search(text, max(0, match.start() - 4), match.start()) is not None):
                continue
        elif not (_case_matters(want) or _case_matters(found)):
            continue
        out.append(_Change(index, got.start(), got.end(), want, found))
    return tuple(out)


def _check_capitalisation(record: Record, context: RuleContext) -> Iterator[Hit]:
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return
    texts = [(pointer, text, text.lower()) for pointer, text in prose(record)]
    for field in context.options["fields"]:
        name = drug.get(field)
        if isinstance(name, str) and name.strip():
            yield from _name_hits(record, ("drug", field), name, texts, field in _PROPER_FIELDS)


def _occurrences(name: str, texts: list[tuple[Pointer, str, str]], proper: bool) -> tuple[int, list[_Occurrence]]:
    """How many mentions of the name agree with the field, and those that differ."""
    pattern = _name_pattern(name)
    first_word = name.split(" ", 1)[0].lower()
    agreeing = 0
    differing: list[_Occurrence] = []
    for pointer, text, lowered in texts:
        if first_word not in lowered:
            continue  # a substring test is ten times faster than the case-insensitive pattern
        for match in pattern.finditer(text):
            changes = _differences(name, text, match, proper)
            if not changes:
                agreeing += 1
                continue
            verdict = _verdict([(change.want, change.found) for change in changes], proper)
            differing.append(_Occurrence(pointer, text, match.start(), match.end(), changes, verdict))
    return agreeing, differing


def _name_hits(record: Record, field: Pointer, value: str, texts: list[tuple[Pointer, str, str]],
               proper: bool) -> Iterator[Hit]:
    name = " ".join(value.split())
    agreeing, differing = _occurrences(name, texts, proper)
    forms = {tuple((change.place, change.found) for change in occurrence.changes) for occurrence in differing}
    verdicts = {occurrence.verdict for occurrence in differing}
    if not agreeing and len(forms) == 1 and (
            verdicts == {_Verdict.FIELD_WRONG} or (len(differing) > 1 and _Verdict.TEXT_WRONG not in verdicts)):
        # the prose agrees with itself everywhere, or the field lowercased an acronym: the field is the odd one
        yield _field_hit(record, field, value, differing)
        return
    for occurrence in differing:
        yield _text_hit(record, field, name, occurrence)


def _retoken(text: str, tokens: dict[int, str]) -> str:
    """`text` with its tokens numbered in `tokens` (from 0) replaced; the rest, spacing included, kept."""
    count = itertools.count()
    return _TOKEN.sub(lambda match: tokens.get(next(count), match.group()), text)


def _field_hit(record: Record, field: Pointer, value: str, differing: list[_Occurrence]) -> Hit:
    first = differing[0]
    where = f"all {len(differing)} times" if len(differing) > 1 else "where it names it"
    fix = None
    if first.verdict is _Verdict.FIELD_WRONG:
        fixed = _retoken(value, {change.place: change.found for change in first.changes})
        fix = replace_fix(record, field, 0, len(value), fixed,
                          f"write `{fixed}` in {yaml_path(field)}, as the text does")
    return Hit(field, f"{yaml_path(field)} is `{value}` but the text writes `{first.found}` {where}: "
                      "write the name one way",
               f"write `{first.found}` in {yaml_path(field)}, or change the text", subject=f"{field[-1]}:{value}",
               fix=fix)


def _wrong_article(text: str, start: int, acronym: str) -> bool:
    """Whether `a`/`an` before text[start:] disagrees with the acronym said letter by letter: a fix that
    capitalises `a aav9` would write `a AAV9`."""
    article = _ARTICLE_BEFORE.search(text, max(0, start - 4), start)
    if article is None:
        return False
    return (article.group(1).lower() == "an") != (acronym[:1].upper() in _LETTERS_SAID_WITH_A_VOWEL)


def _text_hit(record: Record, field: Pointer, name: str, occurrence: _Occurrence) -> Hit:
    text, changes = occurrence.text, occurrence.changes
    start, end = changes[0].start, changes[-1].end
    replacement = _retoken(text[start:end], {change.place - changes[0].place: change.want for change in changes})
    message = (f"`{occurrence.found}` is written `{name}` in {yaml_path(field)}: "
               "write the name the same way everywhere")
    article = start == occurrence.start and _acronym_form(changes[0].want) and _wrong_article(text, start,
                                                                                             changes[0].want)
    fixable = occurrence.verdict is _Verdict.TEXT_WRONG and not article
    fix = partial(replace_fix, record, occurrence.pointer, start, end, replacement,
                  f"write `{replacement}` as in {yaml_path(field)}") if fixable else None
    if occurrence.verdict is _Verdict.FIELD_WRONG:
        hint = f"write `{occurrence.found}` in {yaml_path(field)} too"
    else:
        corrected = " ".join(_retoken(text[occurrence.start:occurrence.end],
                                      {change.place: change.want for change in changes}).split())
        hint = f"write `{corrected}`" + (", and check the article before it (`a` or `an`)" if article else "")
    return Hit(occurrence.pointer, message, hint, occurrence.start, occurrence.end, subject=occurrence.found, fix=fix)


INCONSISTENT_CAPITALISATION = Rule(
    code="ML604", name="inconsistent-capitalisation", family="text", severity=Severity.WARNING,
    summary="A brand name, or an acronym in a drug class, is capitalised differently in the text than in "
            "its field.",
    check=_check_capitalisation, fixable=True,
    options={"fields": Option(["brand_name", "drug_class"], "fields of `drug` whose spelling the text must "
                                                            "follow (generic_name can be added)")},
    docs=Docs(
        what="Finds each field of `drug` named in `fields` (brand name and drug class by default) in the "
             "patient-facing text, ignoring case, and reports a mention whose capitalisation differs from "
             "the field where case carries meaning. A brand name is a proper noun: every letter counts "
             "(`zolgensma` or `ZOLGENSMA` for `Zolgensma`), except a capital that opens a sentence or list "
             "item. A drug class or generic name is a common noun (`a corticosteroid`, `Corticosteroid "
             "pills`, `vitamin K1` are all fine); only its acronyms and symbols count, meaning words with "
             "a capital after the first letter, a digit among letters, or a single capital (`aav9-based` "
             "for `AAV9-based`, `vitamin k` for `vitamin K`). The field is reported instead of the text "
             "when it is the odd form: the text writes the name one way everywhere (at least twice), or "
             "the field lowercased an acronym that the text capitalises. Source titles are not text: a "
             "label titled `ZOLGENSMA prescribing information` is fine. The fix changes only what is "
             "certain: it capitalises a lowercased brand or acronym to the field's form, lowers a brand "
             "written in capitals, and capitalises an acronym in the field; it never lowercases an "
             "acronym, never touches a class's ordinary words, and leaves `a aav9` to the editor "
             "(capitalised, it would read `a AAV9`).",
        why="The seed page writes `aav9-based gene therapy` and `AAV9-based gene therapy` on one page. "
            "A brand name or an acronym spelt two ways looks careless and makes readers wonder whether "
            "two different things are meant; `AAV9` and `SMN1` are names whose letters are said one by "
            "one. Ordinary words of a class name follow the sentence, like any common noun.",
        example="summary: Zolgensma is an aav9-based gene therapy that is given one time.\n",
        use_instead="summary: Zolgensma is an AAV9-based gene therapy that is given one time. Gene therapy is "
                    "new; Zolgensma is not a corticosteroid.\n",
        references=("house style (docs/record-format.md: `drug`): names capitalised as their fields write them",
                    "21 CFR 201.10: proprietary and established names in drug labeling"),
    ),
)

RULES: tuple[Rule, ...] = (MOJIBAKE, FOREIGN_SCRIPT, CONTROL_CHARACTER, INCONSISTENT_CAPITALISATION)
