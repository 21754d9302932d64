"""ML202 repeated-indication: The full indication text is repeated word for word throughout the record (template
leakage)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...excerpt import quote
from ...model import Hit, Pointer, Severity
from ...record import Record
from .. import fields
from ..base import Docs, Rule, RuleContext, option
from .common import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, POLICY, normalised

# Nouns that a mention of the indication may describe, naming something else: "another measles, mumps and
# rubella vaccine", "live measles, mumps and rubella viruses", "an SMA specialist" are not the indication repeated
_NAMES_SOMETHING_ELSE = frozenset((
    "vaccine", "vaccines", "virus", "viruses", "bacteria", "germ", "germs", "antibody", "antibodies", "test",
    "tests", "screening", "medicine", "medicines", "drug", "drugs", "shot", "shots", "specialist", "specialists",
    "clinic", "clinics", "trial", "trials", "study", "studies", "registry", "foundation", "society", "group",
    "groups",
))
_FOLLOWING_WORD = re.compile(r"\s*([A-Za-z]+)")


def _names_the_indication(text: str, end: int) -> bool:
    """Whether the mention of the indication that ends at `end` names the indication itself, rather than
    describing a vaccine, a virus, a test... after it (see _NAMES_SOMETHING_ELSE)."""
    following = _FOLLOWING_WORD.match(text, end)
    return following is None or following.group(1).lower() not in _NAMES_SOMETHING_ELSE


def _occurrences(haystack: str, phrase: str) -> int:
    """Occurrences of `phrase` in `haystack` (both normalised) that stand as whole words and name the
    indication (see _names_the_indication)."""
    found, start = 0, haystack.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if ((start == 0 or not haystack[start - 1].isalnum()) and (end == len(haystack) or not haystack[end].isalnum())
                and _names_the_indication(haystack, end)):
            found += 1
        start = haystack.find(phrase, start + 1)
    return found


def _phrases(record: Record, min_words: int, min_chars: int) -> list[str]:
    """The indication as it may be repeated: condition, qualifier, and both, longest first; only
    phrases long enough that repeating them is leakage, not a name used again ("SMA")."""
    indication = record.data.get("indication")
    if not isinstance(indication, dict):
        return []
    parts = [indication.get(key) for key in ("condition", "qualifier")]
    texts = [normalised(part) for part in parts if isinstance(part, str)]
    candidates = ([" ".join(texts)] if len(texts) == 2 else []) + texts
    return sorted({phrase for phrase in candidates if len(phrase) >= min_chars or len(phrase.split()) >= min_words},
                  key=len, reverse=True)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = (re.escape(word) for word in phrase.split())
    return re.compile(NOT_ALNUM_BEFORE + r"\s+".join(words) + NOT_ALNUM_AFTER, re.IGNORECASE)


@dataclass(frozen=True)
class RepeatOptions:
    max_repeats: int = option(3, "how many times the full indication may be written out in the record's text")
    min_words: int = option(4, "an indication phrase of at least this many words is counted ...")
    min_chars: int = option(25, "... or of at least this many characters; shorter names such as \"SMA\" or "
                                "\"Asthma\" may be repeated freely")


def _check_repeats(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: RepeatOptions = context.options
    limit = options.max_repeats
    phrases = _phrases(record, options.min_words, options.min_chars)
    if not phrases:
        return
    texts = [(pointer, text) for pointer, text in fields.prose(record) if pointer[0] != "indication"]
    # one pass over all the text; NUL keeps a phrase from running on from one field into the next
    everything = normalised("\0".join(text for _, text in texts))
    for phrase in phrases:
        total = _occurrences(everything, phrase)
        if total > limit:
            yield _over_limit(texts, phrase, total, limit)
            return


def _over_limit(texts: list[tuple[Pointer, str]], phrase: str, total: int, limit: int) -> Hit:
    """The hit at the first occurrence over the limit (or at the field that holds it, should case
    folding of some exotic letter make the pattern disagree with the count)."""
    pointer, start, end, quoted = texts[-1][0], None, None, phrase
    seen = 0
    for where, text in texts:
        seen += _occurrences(normalised(text), phrase)
        if seen > limit:
            pointer = where
            matches = [m for m in _phrase_pattern(phrase).finditer(text) if _names_the_indication(text, m.end())]
            if matches:
                match = matches[max(0, len(matches) - (seen - limit))]
                start, end, quoted = match.start(), match.end(), match.group(0)
            break
    return Hit(pointer,
               f"the indication \"{quote(quoted)}\" is written out {total} times in this record (at most {limit} "
               f"expected): repeated word for word, it reads as template text",
               hint="name the condition in full once or twice, then write \"SMA\", \"the condition\" or \"it\"; "
                    "delete sentences that only restate the indication",
               start=start, end=end, subject=phrase)


_REPEATED = "Spinal muscular atrophy (SMA) in pediatric patients with biallelic SMN1 mutations"

REPEATED_INDICATION = Rule(
    code="ML202", name="repeated-indication", family="sections", severity=Severity.WARNING,
    summary="The full indication text is repeated word for word throughout the record (template leakage).",
    check=_check_repeats,
    options=RepeatOptions,
    docs=Docs(
        what="Counts how often the indication (the condition, the qualifier, and the two together) is "
             "written out in the record's text: summary, sections, FAQ questions and answers, dose labels "
             "and notes, and the boxed warning. It compares case-insensitively and across line folds, and "
             "reports once per record, at the first occurrence over `max-repeats`, with the count. Short "
             "phrases (under `min-words` words and `min-chars` characters) are not counted: repeating "
             "\"SMA\" or \"asthma\" is normal writing. Neither is a mention that describes a vaccine, a "
             "virus, a test or a medicine after it (`another measles, mumps and rubella vaccine`, `live "
             "measles, mumps and rubella viruses`): it names something else.",
        why="Pages generated from a template paste the full indication into every sentence: the seed page "
            f"repeats \"{_REPEATED}\" more than twenty times. The page reads as machine-made, buries the "
            "information, and shows that no one edited it.",
        example="indication:\n  condition: Spinal muscular atrophy (SMA)\n  qualifier: in pediatric patients "
                "with biallelic SMN1 mutations\n  population: pediatric\n  age_range:\n    under: 2 years\n"
                "summary: >-\n  Zolgensma is used for Spinal muscular atrophy (SMA) in pediatric patients with\n"
                "  biallelic SMN1 mutations. It treats Spinal muscular atrophy (SMA) in pediatric patients\n"
                "  with biallelic SMN1 mutations. It is one of several options for Spinal muscular atrophy\n"
                "  (SMA) in pediatric patients with biallelic SMN1 mutations. Dosing for Spinal muscular\n"
                "  atrophy (SMA) in pediatric patients with biallelic SMN1 mutations is set by the doctor.\n",
        use_instead="indication:\n  condition: Spinal muscular atrophy (SMA)\n  qualifier: in pediatric patients "
                    "with biallelic SMN1 mutations\n  population: pediatric\n  age_range:\n    under: 2 years\n"
                    "summary: >-\n  Zolgensma is a one-time gene therapy for spinal muscular atrophy (SMA) in\n"
                    "  children younger than 2 years. The SMA must be caused by changes in both copies of the\n"
                    "  SMN1 gene.\n",
        references=(POLICY, "Federal Plain Language Guidelines (plainlanguage.gov): omit excess words"),
    ),
)
