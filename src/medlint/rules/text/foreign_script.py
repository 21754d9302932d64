"""ML602 foreign-script: Letters from a script the record's language does not use, such as a Cyrillic `о` in
`Zоlgensma`."""
from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from ...excerpt import quote
from ...lookalike import LOOK_ALIKE, Word, foreign_runs, latin
from ...model import Hit, Pointer, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext, option
from ..fields import replace_fix
from .common import LANGUAGE_SCRIPTS, char_names, damaged_positions, text_values


def _is_name_of_a_work_or_person(pointer: Pointer) -> bool:
    """Titles of cited works and reviewers' names may be in their own script."""
    return (pointer[:1] == ("sources",) and pointer[-1:] == ("title",)) or pointer[:2] == ("review", "reviewers")


@dataclass(frozen=True)
class ForeignScriptOptions:
    greek_symbol_letters: int = option(3, "most Greek letters in a word taken as symbols (α, β, κ, TNF-α, γδ) in a "
                                          "language that does not use Greek; 0 reports them all")


def _check_foreign_script(record: Record, context: RuleContext) -> Iterator[Hit]:
    language = record.language
    if language not in LANGUAGE_SCRIPTS:
        return
    allowed = LANGUAGE_SCRIPTS[language]
    options: ForeignScriptOptions = context.options
    greek_symbols = options.greek_symbol_letters
    for pointer, text in text_values(record):
        skip = damaged_positions(text, language)
        # one finding per word and kind, however many runs: 20,000 look-alike letters in one word were
        # 20,000 findings, each quoting the word
        groups: dict[tuple[int, str], tuple[Word, list[tuple[int, int]]]] = {}
        for start, end, kind, word in foreign_runs(text, allowed, greek_symbols, skip):
            if kind not in ("homoglyph", LOOK_ALIKE) and _is_name_of_a_work_or_person(pointer):
                continue
            groups.setdefault((word.start, kind), (word, []))[1].append((start, end))
        for (_, kind), (word, runs) in groups.items():
            yield _foreign_hit(record, pointer, text, runs, kind, word, language)


def _foreign_hit(record: Record, pointer: Pointer, text: str, runs: list[tuple[int, int]], kind: str, word: Word,
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
    if kind in ("homoglyph", LOOK_ALIKE):
        pieces, position = [], 0
        for s, e in runs:
            pieces += [word[position:s], latin(word[s:e])]
            position = e
        latin_word = "".join(pieces) + word[position:]
        if len(letters) > 1:
            intended = quote(latin_word)
            message = (f"`{quote(word)}` has {len(letters):,} letters from another script that look like Latin ones "
                       f"({char_names(letters)}), so it is not the Latin `{intended}`")
        else:
            intended = quote(latin(letters))
            where = f" in `{quote(word)}`" if word != letters else ""
            message = f"`{quote(letters)}`{where} is {char_names(letters)}, not the Latin `{intended}`"
        message += (": it looks the same, but search, sorting, spell-checking and screen readers treat the word as "
                    "a different one")
        replacement = latin_word[runs[0][0] : len(latin_word) - (len(word) - runs[-1][1])]
        return _Said(message, f"retype it as `{intended}`", quote(letters), replacement,
                     f"replace `{quote(letters)}` with the Latin `{intended}`")
    script = "CJK" if kind == "CJK" else kind.title()
    what = f"`{quote(word)}` has {len(letters):,} letters of" if len(runs) > 1 else f"`{quote(letters)}` is"
    message = (f"{what} {script} script ({char_names(letters)}), which a record in `{language}` does not use: "
               "it is mis-encoded text or was pasted from another source")
    return _Said(message, "check what the text should say and retype it", quote(letters), None, "")


FOREIGN_SCRIPT = Rule(
    code="ML602", name="foreign-script", family="text", severity=Severity.ERROR,
    summary="Letters from a script the record's language does not use, "
            "such as a Cyrillic `\u043e` in `Z\u043elgensma`.",
    check=_check_foreign_script, fixable=True,
    options=ForeignScriptOptions,
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
