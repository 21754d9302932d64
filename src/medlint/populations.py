"""Words that name a population (adults, children) and whether a mention in prose is about dosing or
treating it.

A population is named by a word: `adult`/`adults` (or `grown-ups`), or a word for children (`pediatric`,
`children`, `kids`, `little ones`, `infants`, `newborns`, `adolescents`, `teenagers`...). Words that only
contain one (`adulthood`, `childhood`, `infantile`) or start a compound (`adult-onset`, `child-bearing`,
`pediatric-onset`) name no population. In prose, a mention must also be
about dosing or treating that population: negated mentions ("not for children"), comparisons ("less than the
adult dose"), safe keeping ("out of the reach of children") and pregnancy or breastfeeding context are not.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .lazyre import Lazy
from .sentences import Occurrences, Sentences

_TERMS = {
    # "grown up" alone is a verb ("children who have grown up"); the nouns are grown-ups and grown ups
    "adult": r"adults?|grown-?ups?|grown ups",
    "pediatric": r"pa?ediatrics?|child(?:ren)?|infants?|neonates?|neonatal|newborns?|adolescents?|teens?"
                 r"|teenagers?|toddlers?|kids?|little ones",
}
# Every word of _TERMS contains one of these stems. Python's regex engine needs ~50 ns a character for the
# patterns below, so prose is first screened for a stem with `in` (a fast substring search): most records
# never mention the population they exclude.
_STEMS = {"adult": ("adult", "grown"),
          "pediatric": ("pediatric", "paediatric", "child", "infant", "neonat", "newborn", "adolescent", "teen",
                        "toddler", "kid", "little ones")}
# `(?!-)`: a compound such as adult-onset or child-bearing describes a disease or a woman, not a patient group
NAMED = {pop: re.compile(rf"\b(?:{terms})\b(?!-)", re.IGNORECASE) for pop, terms in _TERMS.items()}

_DOSE_WORD = r"(?:doses?|dosing|dosages?)"
# "Children 2 years and older: 5 mL", "Adults (18 and over) take 2 tablets"
_AGE_NOTE = (r"(?:\s+(?:aged\s+)?[0-9]+(?:\s+to\s+[0-9]+)?\s+(?:years?|months?|kg)(?:\s+old)?"
             r"(?:\s+(?:and|or)\s+(?:older|over|more|up))?|\s*\([^()]{0,40}\))?")


def _dosing_pattern(terms: str) -> Lazy:
    """A population named in a dosing sense: `adult dose`, `dose for children`, `Adults: 500 mg`,
    `Children take 5 mL`."""
    who = rf"(?:{terms})(?:\s+patients)?"
    return Lazy(
        rf"\b{who}(?:'s|')?\s+{_DOSE_WORD}\b"
        rf"|\b{_DOSE_WORD}\s+(?:for|in)\s+(?:(?:a|an|the|your|most|older|younger|young|small|all)\s+){{0,2}}{who}\b"
        rf"|\b{who}{_AGE_NOTE}\s*:(?=\s*[0-9])"
        rf"|\b{who}{_AGE_NOTE}\s+(?:usually\s+|should\s+|may\s+|can\s+|also\s+)?(?:take|receive|get|use|need)s?"
        rf"(?=\s+(?:[0-9]|one\b|two\b|(?:a|the|this|the\s+same)\s+dose\b))",
        re.IGNORECASE)


DOSING = {pop: _dosing_pattern(terms) for pop, terms in _TERMS.items()}

_BOUNDARY = Lazy(r"[.!?;](?=\s)")
_NEGATION = Lazy(r"\b(?:not|no|never|cannot|without|nor)\b|n't\b", re.IGNORECASE)
# "less than the adult dose", "the same as for adults", "an accidental dose in a child": not a dose to give
_NOT_A_DOSE = Lazy(r"\b(?:than|as)\s+(?:(?:the|an?|for|in|to)\s+)*$"
                         r"|\b(?:accidental|extra|missed|double|wrong)\s+$", re.IGNORECASE)
_SAFEKEEPING = Lazy(r"\b(?:reach|sight)\s+(?:and\s+(?:reach|sight)\s+)?of\s+(?:small\s+|young\s+)?$"
                          r"|\baway\s+from\s+(?:small\s+|young\s+)?$", re.IGNORECASE)
_NEGATED_AFTER = Lazy(r"[^.;!?]{0,40}?\b(?:is|are|has|have|was|were)\s+(?:not|never)\b"
                            r"|[^.;!?]{0,25}?\bnot\s+(?:been\s+)?(?:established|studied|known|approved)", re.IGNORECASE)
_MATERNAL = Lazy(r"pregnan|mother|breast-?fe|nursing", re.IGNORECASE)


_WINDOW = 120  # characters before a mention that `than the`, `out of reach of` and the like are read in


class _Context:
    """What `_meant` reads around each mention in one text, found once for the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = Sentences(text, _BOUNDARY.compiled)
        self.negations = Occurrences(text, _NEGATION.compiled)
        self.maternal: dict[tuple[int, int], bool] = {}

    def before(self, start: int, end: int) -> str:
        """text[start:end], cut to its last _WINDOW characters at a space (the patterns read its end)."""
        if end - start > _WINDOW:
            cut = self.text.find(" ", end - _WINDOW, end)
            start = cut + 1 if cut >= 0 else end
        return self.text[start:end]

    def mothers(self, start: int, end: int) -> bool:
        if (start, end) not in self.maternal:
            self.maternal[(start, end)] = _MATERNAL.search(self.text, start, end) is not None
        return self.maternal[(start, end)]


def _meant(context: _Context, match: re.Match[str], population: str) -> bool:
    """Whether a mention of a population in prose is about dosing or treating it (see the module doc)."""
    start = context.sentences.start(match.start())
    if context.negations.within(start, match.start()):
        return False
    before = context.before(start, match.start())
    if _NOT_A_DOSE.search(before) or _SAFEKEEPING.search(before):
        return False
    if _NEGATED_AFTER.match(context.text, match.end()):
        return False
    if population == "pediatric":  # "given in pregnancy to protect infants" is about the mother
        return not context.mothers(start, context.sentences.end(match.end()))
    return True


def mentions(text: str, population: str) -> bool:
    """Whether text may name the population (a cheap screen before the patterns)."""
    lowered = text.lower()
    return any(stem in lowered for stem in _STEMS[population])


def meant_matches(text: str, pattern: re.Pattern[str] | Lazy, population: str) -> Iterator[re.Match[str]]:
    if not mentions(text, population):
        return iter(())
    context = _Context(text)
    return (match for match in pattern.finditer(text) if _meant(context, match, population))
