"""ML712: words with a plainer everyday form, from the team's list shipped in data/plain-words.tsv."""
from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from ... import packaged
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from ..fields import replace_fix
from ._page import page

_WORD = re.compile(r"[A-Za-z]+")


class Entry(NamedTuple):
    words: tuple[str, ...]  # the phrase, lower case, word by word
    replacements: tuple[str, ...]


@functools.cache
def entries() -> dict[str, tuple[Entry, ...]]:
    """The list by its first word, longest phrase first (data/plain-words.tsv; its header gives the source)."""
    text = packaged.path("data", "plain-words.tsv").read_text(encoding="utf-8")
    by_first: dict[str, list[Entry]] = {}
    for line in text.split("\n"):
        if line and not line.startswith("#"):
            phrase, replacements = line.split("\t")
            entry = Entry(tuple(phrase.split(" ")), tuple(r.strip() for r in replacements.split("|")))
            by_first.setdefault(entry.words[0], []).append(entry)
    return {first: tuple(sorted(found, key=lambda e: -len(e.words))) for first, found in by_first.items()}


def _explained(text: str, start: int, end: int) -> bool:
    """The term is written as an explanation's partner: "high blood pressure (hypertension)", or
    "hypertension (high blood pressure)"."""
    return (text[start - 1 : start] == "(" and text[end : end + 1] == ")") or text.startswith(" (", end)


def _in_compound(text: str, start: int, end: int) -> bool:
    """Part of a hyphenated or longer word (`non-renal`), which the list does not cover."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return before in ("-", "'", "’") or after in ("-",) or (before.isalnum()) or after.isalnum()


def _cased(replacement: str, written: str) -> str:
    return replacement[0].upper() + replacement[1:] if written[0].isupper() else replacement


def find(text: str) -> Iterator[tuple[int, int, Entry]]:
    """(start, end, entry) of each listed word or phrase in `text`, left to right, not overlapping."""
    table = entries()
    if table.keys().isdisjoint(_WORD.findall(text.lower())):  # the common case, at C speed
        return
    tokens = list(_WORD.finditer(text))
    index = 0
    while index < len(tokens):
        token = tokens[index]
        for entry in table.get(token.group().lower(), ()):
            last = index + len(entry.words) - 1
            if last >= len(tokens):
                continue
            span = tokens[index : last + 1]
            if all(t.group().lower() == w for t, w in zip(span, entry.words, strict=True)) and all(
                    text[a.end() : b.start()] == " " for a, b in itertools.pairwise(span)):
                start, end = token.start(), span[-1].end()
                if not (_in_compound(text, start, end) or _explained(text, start, end)):
                    yield start, end, entry
                index = last
                break
        index += 1


def _check(record: Record, context: RuleContext) -> Iterator[Hit]:
    for pointer, text in page(record):
        if pointer[0] == "indication":  # the condition's name, as the label gives it
            continue
        for start, end, entry in find(text):
            written = text[start:end]
            choices = [_cased(replacement, written) for replacement in entry.replacements]
            fix = None
            if len(choices) == 1 and not (len(written) > 1 and written.isupper()):
                fix = functools.partial(replace_fix, record, pointer, start, end, choices[0],
                                        f"replace `{written}` with `{choices[0]}`")
            said = " or ".join(f"`{choice}`" for choice in choices)
            yield Hit(pointer, f"`{written}` has a plainer everyday form: {said}",
                      "write the everyday word" + (" that fits the sentence" if len(choices) > 1 else ""),
                      start, end, subject=written.lower(), fix=fix)


PLAIN_LANGUAGE = Rule(
    code="ML712", name="plain-language", family="health-literacy", severity=Severity.WARNING,
    summary="Patient-facing text uses a word or phrase that has a plainer everyday form.",
    check=_check, default_enabled=False, fixable=True,
    docs=Docs(
        what="Reports words and phrases of the summary and the sections that have a plainer everyday form "
             "(`utilize`: `use`; `prior to`: `before`; `hypertension`: `high blood pressure`), from the list "
             "shipped in medlint (data/plain-words.tsv). The list is the medlint team's own, written from "
             "editorial practice and general plain-language guidance; it is not the CDC's Everyday Words for "
             "Public Health Communication, which could not be obtained for the package, and it copies no list "
             "(its header says so). `medlint fix` applies an entry only when it has exactly one replacement; "
             "an entry has one only when that replacement means the same in every sentence the word can "
             "stand in (same part of speech and tense: `utilized` -> `used`, a capital kept). Medical terms "
             "always have two or more and are only suggested, because they live on in compound names "
             "(`pulmonary hypertension`, `Medication Guide`) that one word cannot replace. A term written "
             "as the partner of its explanation, `high blood pressure (hypertension)` or `hypertension (high "
             "blood pressure)`, is not reported: that is how the NHS content guide introduces medical terms. "
             "The condition's name in `indication` is the label's and is not checked, nor are parts of "
             "hyphenated words.",
        why="Readers with low health literacy skip or misread words they do not use themselves; a page that "
            "says `discontinue` where it means `stop` loses some of them at the instruction that matters "
            "most. Plain-language guidance (the US Plain Writing Act's guidelines, the NHS content guide, "
            "the CDC's Everyday Words) asks for the everyday word first.",
        example="""summary: >-
  Zolgensma is a one-time gene therapy. Your care team will discontinue other SMA treatment prior to
  the infusion.
""",
        use_instead="""summary: >-
  Zolgensma is a one-time gene therapy. Your care team will stop other SMA treatment before the
  infusion.
""",
        references=(
            "medlint team, plain-words list (src/medlint/data/plain-words.tsv): the team's own list",
            "NHS digital service manual, content guide, How we write: plain English term first, then the "
            "medical term, as in `piles (haemorrhoids)`",
            "Federal Plain Language Guidelines (plainlanguage.gov, 2011): use simple words and phrases",
            "CDC, Everyday Words for Public Health Communication (2016): further reading; not the source "
            "of medlint's list",
        ),
    ),
)
