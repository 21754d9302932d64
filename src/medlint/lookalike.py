"""Letters that do not belong: letters of a script other than Latin, Latin look-alikes from Cyrillic and
Greek (homoglyphs), and compatibility forms of Latin letters (fullwidth, mathematical, ligatures).

`script_of` names a letter's script; `foreign_runs` finds the runs of letters in a text that do not belong
to the scripts allowed, with the word each run is in."""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

# Cyrillic and Greek letters that look like Latin ones. Greek letters used as symbols in medicine
# (α, β, κ, ν, ...) are not listed: only those nobody writes as a symbol.
_CONFUSABLES: dict[str, str] = {
    **dict(zip("аеорсухѕіјԁһӏԛԝ", "aeopcyxsijdhlqw", strict=True)),
    **dict(zip("АВЕКМНОРСТХУЅІЈԚԜ", "ABEKMHOPCTXYSIJQW", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο", "ABEZHIKMNOPTYXo", strict=True)),
}
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_NEUTRAL = ("MICRO SIGN", "FEMININE ORDINAL", "MASCULINE ORDINAL", "MODIFIER LETTER")
LOOK_ALIKE = "LOOK-ALIKE"


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
        return LOOK_ALIKE
    return name.split(" ", 1)[0] if name else "UNKNOWN"


class Word(NamedTuple):
    start: int
    end: int
    has_latin: bool
    greek: int  # how many Greek letters
    look_alike: bool  # every letter looks like a Latin one (`Β` in `Β12`, `РАС`)


def _in_word(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch)[0] == "M"


def _suspect_words(text: str, skip: set[int]) -> Iterator[Word]:
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
        yield Word(start, end, "LATIN" in scripts, scripts.count("GREEK"), all(c in _CONFUSABLES for c in letters))


def _letter_kind(ch: str, word: Word, allowed: frozenset[str], greek_symbols: int, genuine: set[str]) -> str:
    """Why a letter does not belong: `homoglyph`, `look-alike`, a script's name, or "" when it does.
    `genuine`: scripts the value has letters of that look like no Latin letter (real Cyrillic text)."""
    script = script_of(ch)
    if script in ("", "LATIN"):
        return ""
    if ch in _CONFUSABLES and word.has_latin:
        return "homoglyph"
    if script == LOOK_ALIKE:
        return script
    if script in allowed:
        return ""
    if script == "GREEK" and ch not in _CONFUSABLES and word.greek <= greek_symbols:
        return ""  # α, β, κ, TNF-α, 5α-reductase: Greek letters as symbols
    return "homoglyph" if word.look_alike and script not in genuine else script


def foreign_runs(text: str, allowed: frozenset[str], greek_symbols: int,
                 skip: set[int]) -> Iterator[tuple[int, int, str, Word]]:
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


def latin(run: str) -> str:
    return "".join(_CONFUSABLES.get(ch) or unicodedata.normalize("NFKC", ch) for ch in run)
