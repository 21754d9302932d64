"""ML604 inconsistent-capitalisation: A brand name, or an acronym in a drug class, is capitalised differently in the
text than in its field."""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from ...model import Hit, Pointer, Severity, yaml_path
from ...name_case import TOKEN, Change, Verdict, acronym_form, differences, mentions, verdict_of
from ...record import Record
from ..base import Docs, Rule, RuleContext, option
from ..fields import prose, replace_fix

_ARTICLE_BEFORE = re.compile(r"(?<!\w)(an?)\s+\Z", re.IGNORECASE)
_LETTERS_SAID_WITH_A_VOWEL = frozenset("AEFHILMNORSX")  # "an AAV9", "an SMN1", "a GLP-1"
_PROPER_FIELDS = frozenset({"brand_name"})  # the other fields name a class or a substance: common nouns


class _Occurrence(NamedTuple):
    pointer: Pointer
    text: str
    start: int  # the mention in `text`
    end: int
    changes: tuple[Change, ...]
    verdict: Verdict

    @property
    def found(self) -> str:
        return " ".join(self.text[self.start:self.end].split())


@dataclass(frozen=True)
class CapitalisationOptions:
    fields: tuple[str, ...] = option(("brand_name", "drug_class"), "fields of `drug` whose spelling the text must "
                                                                   "follow (generic_name can be added)")


def _check_capitalisation(record: Record, context: RuleContext) -> Iterator[Hit]:
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return
    texts = [(pointer, text, text.lower()) for pointer, text in prose(record)]
    options: CapitalisationOptions = context.options
    for field in options.fields:
        name = drug.get(field)
        if isinstance(name, str) and name.strip():
            yield from _name_hits(record, ("drug", field), name, texts, field in _PROPER_FIELDS)


def _occurrences(name: str, texts: list[tuple[Pointer, str, str]], proper: bool) -> tuple[int, list[_Occurrence]]:
    """How many mentions of the name agree with the field, and those that differ."""
    first_word = name.split(" ", 1)[0].lower()
    agreeing = 0
    differing: list[_Occurrence] = []
    for pointer, text, lowered in texts:
        if first_word not in lowered:
            continue  # a substring test is ten times faster than the case-insensitive pattern
        for start, end in mentions(name, text, lowered):
            changes = differences(name, text, start, end, proper)
            if not changes:
                agreeing += 1
                continue
            verdict = verdict_of([(change.want, change.found) for change in changes], proper)
            differing.append(_Occurrence(pointer, text, start, end, changes, verdict))
    return agreeing, differing


def _name_hits(record: Record, field: Pointer, value: str, texts: list[tuple[Pointer, str, str]],
               proper: bool) -> Iterator[Hit]:
    name = " ".join(value.split())
    agreeing, differing = _occurrences(name, texts, proper)
    forms = {tuple((change.place, change.found) for change in occurrence.changes) for occurrence in differing}
    verdicts = {occurrence.verdict for occurrence in differing}
    if not agreeing and len(forms) == 1 and (
            verdicts == {Verdict.FIELD_WRONG} or (len(differing) > 1 and Verdict.TEXT_WRONG not in verdicts)):
        # the prose agrees with itself everywhere, or the field lowercased an acronym: the field is the odd one
        yield _field_hit(record, field, value, differing)
        return
    for occurrence in differing:
        yield _text_hit(record, field, name, occurrence)


def _retoken(text: str, tokens: dict[int, str]) -> str:
    """`text` with its tokens numbered in `tokens` (from 0) replaced; the rest, spacing included, kept."""
    count = itertools.count()
    return TOKEN.sub(lambda match: tokens.get(next(count), match.group()), text)


def _field_hit(record: Record, field: Pointer, value: str, differing: list[_Occurrence]) -> Hit:
    first = differing[0]
    where = f"all {len(differing)} times" if len(differing) > 1 else "where it names it"
    fix = None
    if first.verdict is Verdict.FIELD_WRONG:
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
    article = start == occurrence.start and acronym_form(changes[0].want) and _wrong_article(text, start,
                                                                                             changes[0].want)
    fixable = occurrence.verdict is Verdict.TEXT_WRONG and not article
    fix = partial(replace_fix, record, occurrence.pointer, start, end, replacement,
                  f"write `{replacement}` as in {yaml_path(field)}") if fixable else None
    if occurrence.verdict is Verdict.FIELD_WRONG:
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
    options=CapitalisationOptions,
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
