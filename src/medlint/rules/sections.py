"""Required sections: what their text must not contain (template residue and boilerplate).

That each required section is present and not empty is the schema's job (ML101, ML105); these rules
read the text of the sections that are there.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..excerpt import quote
from ..lazyre import Lazy
from ..model import Hit, Pointer, Severity, yaml_path
from ..record import Record
from ..sentences import Sentences
from ..syllables import is_drug_name
from . import fields
from .base import Docs, Option, Rule, RuleContext
from .limits.compare import single_lifetime_dose

_POLICY = "house style for required sections and their text (docs/record-format.md: Fields, Text)"
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"

# --- ML201 placeholder-text ---------------------------------------------------------------------

# HTML elements an author may type: `<br>` is markup, not a placeholder (and not this rule's business)
_HTML_TAGS = frozenset(("a", "b", "br", "div", "em", "hr", "i", "li", "ol", "p", "small", "span", "strong", "sub",
                       "sup", "u", "ul"))
_PLACEHOLDER = re.compile(
    # TODO in capitals, or `todo:` as a note; "Todo" and "mastodon" are words
    rf"(?P<marker>{_NOT_ALNUM_BEFORE}(?:TODO|(?i:todo)(?=\s*:)|(?i:tbd|fixme)){_NOT_ALNUM_AFTER}"
    # XXX stands for a missing value; "47,XXX" is a karyotype and "XXXL" a longer token
    rf"|(?<![0-9A-Za-z,])(?i:x{{3,}}){_NOT_ALNUM_AFTER})"
    r"|(?P<dummy>(?i:\blorem\s+ipsum(?:\s+dolor\s+sit\s+amet)?\b|\bdolor\s+sit\s+amet\b))"
    # template syntax: {{ drug }}, {% if %}, a stray {{ or }}, {drug}, ${drug}; "{see note}" has a
    # space between words and is not a variable name. What a tag holds stops at the next brace (and a
    # bracket at the next bracket): `.*?` scanned to the end of the text from every `{%`, quadratic on
    # `{%{%{%...` (40 s for 100 KB)
    r"|(?P<template>\{\{[^{}\n]*\}\}|\{%[^{}\n]*?%\}|\{\{|\}\}|\$?\{\s*[A-Za-z_][A-Za-z0-9_.]*\s*\})"
    r"|(?P<blank>\[\s*(?i:insert|add|enter|fill\s+in|placeholder)\b[^\[\]]*\]"
    r"|\[\s*(?i:drug|brand|generic|condition|indication|dose)(?:[\s_]+(?i:name))?\s*\]"
    r"|<[A-Za-z][A-Za-z _-]*[A-Za-z]>)"
)
# every placeholder holds one of these (in lower case): a cheap test that spares most texts the regex
_PLACEHOLDER_CLUES = ("todo", "tbd", "fixme", "xxx", "lorem", "dolor", "{", "}", "[", "<")
_KINDS = {
    "marker": "a placeholder marker left in the text",
    "dummy": "dummy text from a template",
    "template": "template syntax that was never filled in",
    "blank": "a fill-in-the-blank placeholder",
}


def _all_strings(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    """Every string in the record, in source order (prose, labels, names, titles, URLs)."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _all_strings(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _all_strings(item, (*pointer, index))


def _has_clue(text: str, clues: tuple[str, ...]) -> bool:
    """Whether the text holds one of the clues: `in` runs at C speed, the full regexes do not."""
    lower = text.lower()
    return any(clue in lower for clue in clues)


def _check_placeholders(record: Record, context: RuleContext) -> Iterator[Hit]:
    strings = list(_all_strings(record.data, ()))
    if not _has_clue("\0".join(text for _, text in strings), _PLACEHOLDER_CLUES):
        return  # the common case: one test over all the text
    for pointer, text in strings:
        if not _has_clue(text, _PLACEHOLDER_CLUES):
            continue
        where = yaml_path(pointer)
        for match in _PLACEHOLDER.finditer(text):
            found = match.group(0)
            if match.lastgroup == "blank" and found[0] == "<" and found[1:-1].lower() in _HTML_TAGS:
                continue
            found = quote(found)
            kind = _KINDS[match.lastgroup or "marker"]
            yield Hit(pointer, f"`{found}` is {kind}: write the text it stands for, or delete it",
                      hint="placeholders are published as they are: search the record for the others too",
                      start=match.start(), end=match.end(), subject=f"{where}: {found}")


PLACEHOLDER_TEXT = Rule(
    code="ML201", name="placeholder-text", family="sections", severity=Severity.ERROR,
    summary="Placeholder or template residue in the text: TODO, TBD, lorem ipsum, {{ drug }}, [insert ...].",
    check=_check_placeholders,
    docs=Docs(
        what="Reports, in every text of the record (prose, labels, names, titles, URLs): the markers "
             "`TODO` (in capitals, or `todo:`), `TBD`, `FIXME` and `XXX` as words of their own; `lorem "
             "ipsum`; template syntax (`{{ drug }}`, `{% if %}`, a stray `{{` or `}}`, `{drug}`, "
             "`${drug}`); and fill-in-the-blanks (`[insert dose]`, `[drug name]`, `<drug name>`). It does "
             "not report these letters inside words (`mastodon`, `XXXL`), the karyotype `47,XXX`, braces "
             "around words that are not a variable name (`{see note}`), or HTML tags such as `<br>`. YAML "
             "comments are not published and are not checked: `# TODO: check the label` is a fine note. A "
             "value that is nothing but a placeholder (`route: <route>`, as `medlint new` writes them) is "
             "reported once, by this rule: not also as an invalid route or a missing number.",
        why="A placeholder is published as it is: a parent reading 'Take TBD mg' or "
            "'Zolgensma treats {indication}' learns nothing and stops trusting the page. Template "
            "residue also shows that nobody read the page before it went out.",
        example="summary: >-\n  Zolgensma is a one-time gene therapy for {indication}. TODO: add the age limit.\n",
        use_instead="summary: >-\n  Zolgensma is a one-time gene therapy for children younger than 2 years with\n"
                    "  spinal muscular atrophy (SMA).\n",
        references=(_POLICY,
                    "21 CFR 201.57 (the required content of prescription drug labeling, which the page restates)"),
    ),
)

# --- ML202 repeated-indication ------------------------------------------------------------------


def _normal(text: str) -> str:
    """Lower case with every run of white space (line folds included) as one space."""
    return " ".join(text.split()).lower()


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
    texts = [_normal(part) for part in parts if isinstance(part, str)]
    candidates = ([" ".join(texts)] if len(texts) == 2 else []) + texts
    return sorted({phrase for phrase in candidates if len(phrase) >= min_chars or len(phrase.split()) >= min_words},
                  key=len, reverse=True)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = (re.escape(word) for word in phrase.split())
    return re.compile(_NOT_ALNUM_BEFORE + r"\s+".join(words) + _NOT_ALNUM_AFTER, re.IGNORECASE)


def _check_repeats(record: Record, context: RuleContext) -> Iterator[Hit]:
    limit: int = context.options["max-repeats"]
    phrases = _phrases(record, context.options["min-words"], context.options["min-chars"])
    if not phrases:
        return
    texts = [(pointer, text) for pointer, text in fields.prose(record) if pointer[0] != "indication"]
    # one pass over all the text; NUL keeps a phrase from running on from one field into the next
    everything = _normal("\0".join(text for _, text in texts))
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
        seen += _occurrences(_normal(text), phrase)
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
    options={
        "max-repeats": Option(3, "how many times the full indication may be written out in the record's text"),
        "min-words": Option(4, "an indication phrase of at least this many words is counted ..."),
        "min-chars": Option(25, "... or of at least this many characters; shorter names such as \"SMA\" or "
                                "\"Asthma\" may be repeated freely"),
    },
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
        references=(_POLICY, "Federal Plain Language Guidelines (plainlanguage.gov): omit excess words"),
    ),
)

# --- ML203 single-dose-contradiction --------------------------------------------------------------

# "in the long term" and "over the long term" speak of time, not of how long the treatment lasts
_LONG = (r"(?:(?<!in\sthe\s)(?<!over\sthe\s)long[-\s]term|life[-\s]?long|for\s+life|indefinitely"
         r"|for\s+the\s+rest\s+of\s+(?:your|their|his|her|the|your\s+child's)\s+life)")
_SUBJECT = r"(?:i|you|we|they|he|she|my\s+child|your\s+child|my\s+baby|your\s+baby|the\s+patient|patients)"
_CLAIMS = Lazy(
    r"(?P<duration>\bhow\s+long\s+(?:do|does|should|will|must|can|would)\s+" + _SUBJECT
    + r"\s+(?:need\s+to\s+|have\s+to\s+)?(?:keep\s+)?(?:taking|take|stay\s+on|be\s+on|using|use|continue))\b"
    r"|(?P<stop>\b(?:never|do\s+not|don['’]t|should\s+not|shouldn['’]t|must\s+not)\s+stop(?:\s+(?:taking|using))?"
    r"(?:\s+(?:it|them))?(?:\s+on\s+your\s+own)?)\b"
    r"|(?P<keep>\b(?:keep|continue)\s+(?:taking|using))\b"
    rf"|(?P<lifelong>\b{_LONG})(?![\w-])"
    r"|(?P<stopping>\b(?:discontinu(?:ation|ing|ed|es|e)|stopping))\b"
    r"|(?P<rebound>\b(?:relapses?|rebound)(?:\s+(?:or|and)\s+(?:relapses?|rebound))?(?:\s+(?:effects?|symptoms?))?)\b",
    re.IGNORECASE)
_CLAIM_CLUES = ("long", "life", "stop", "keep", "continu", "indefinitely", "relapse", "rebound")
_CLAIM_TEXT = {
    "duration": "asks how long to keep taking it",
    "stop": "tells readers not to stop taking it",
    "keep": "tells readers to keep taking it",
    "lifelong": "calls the treatment long-term or lifelong",
    "stopping": "talks about stopping or discontinuing it",
    "rebound": "warns of relapse or rebound when it is stopped",
}
# what "long-term" or "lifelong" must be about to describe taking the medicine: "lifelong treatment",
# or a sentence about treatment where the word ends a clause or joins the next ("courses are long-term
# or lifelong": two findings, as each word makes the claim);
# "lifelong follow-up visits" and "long-term effects" are about monitoring and outcomes, not dosing
_TREATMENT_NOUNS = frozenset(("treatment", "treatments", "therapy", "therapies", "use", "medicine", "medicines",
                              "medication", "medications", "dosing", "doses", "dose", "course", "courses",
                              "regimen", "drug", "drugs"))
_CLAUSE_WORDS = frozenset(("depending", "depends", "or", "and", "in", "if", "for", "because", "as", "unless",
                           "until", "after", "to", "with", "while", "when", "but", "so"))
_TREATMENT_CONTEXT = re.compile(r"\b(?:treatments?|therap(?:y|ies)|courses?|regimens?|tak(?:e|es|en|ing)|"
                                r"us(?:e|ed|es|ing)|dosing|medicines?|medications?)\b", re.IGNORECASE)
_ONE_TIME = re.compile(r"\b(?:once|one[-\s]time|single)\b", re.IGNORECASE)
_STOPPING_CONTEXT = re.compile(r"\b(?:stop\w*|discontinu\w*|quit\w*)\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"[\s,]*([A-Za-z][\w'’-]*)?")
# the object of "stop taking", "discontinue", "how long ... take": a determiner and a noun
# ("the steroid"), a capitalised name ("Spinraza"), or a bare word ("prednisolone", "on")
_OBJECT = re.compile(r"\s+(?:(?:of\s+)?(?:the|your|this|that|his|her|their|a|an|any)\s+"
                     r"(?:(?:child|baby)['’]s\s+)?([A-Za-z][\w-]*)|([A-Z][\w-]*)|([a-z][\w-]*))")
# what a one-time therapy's text may rightly tell readers to keep taking or not to stop: a medicine
# given around it for a while (Zolgensma's prednisolone; names with a USAN stem are recognised too),
# or the infusion itself
_OTHER_OBJECTS = frozenset(("steroid", "steroids", "corticosteroid", "corticosteroids", "infusion", "infusions",
                            "injection", "injections"))
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)")
_NAME_WORD = re.compile(r"[\w-]+")
_OTHER_TREATMENTS: Pointer = ("sections", "alternatives")  # its text is about other treatments


def _one_time_only(record: Record) -> bool:
    """Every dose entry says `frequency: once` (and there is at least one)."""
    entries = record.data.get("dosing")
    return (isinstance(entries, list) and bool(entries)
            and all(isinstance(entry, dict) and isinstance(entry.get("frequency"), str)
                    and entry["frequency"].strip().lower() == "once" for entry in entries))


def _drug_names(record: Record) -> frozenset[str]:
    """The words of the brand and generic names, in lower case."""
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return frozenset()
    return frozenset(word for key in ("brand_name", "generic_name") if isinstance(drug.get(key), str)
                     for word in _NAME_WORD.findall(drug[key].lower()))


class _Sentences(Sentences):
    """The sentences of one text, and what each says about treatment, found once per sentence."""

    def __init__(self, text: str) -> None:
        super().__init__(text, _SENTENCE_BREAK)
        self.text = text
        self.found: dict[tuple[int, re.Pattern[str]], bool] = {}

    def says(self, start: int, end: int, pattern: re.Pattern[str]) -> bool:
        """Whether the sentence around text[start:end] matches `pattern`."""
        left = self.start(start)
        if (left, pattern) not in self.found:
            right = min(self.end(end) + 1, len(self.text))
            self.found[(left, pattern)] = pattern.search(self.text, left, right) is not None
        return self.found[(left, pattern)]


def _names_other_object(text: str, end: int, names: frozenset[str]) -> bool:
    """The claim is about something else: "do not stop the steroid", "stopping Spinraza"."""
    match = _OBJECT.match(text, end)
    if match is None:
        return False
    determined, named, bare = match.groups()
    noun = (determined or named or bare).lower()
    if noun in names or noun in _TREATMENT_NOUNS or noun in ("it", "them"):
        return False
    return bool(determined or named) or noun in _OTHER_OBJECTS or is_drug_name(bare)


def _lifelong_is_about_treatment(sentences: _Sentences, match: re.Match[str]) -> bool:
    following = _NEXT_WORD.match(sentences.text, match.end())
    word = (following.group(1) or "").lower() if following else ""
    if word in _TREATMENT_NOUNS:
        return True
    start, end = match.span()
    return ((not word or word in _CLAUSE_WORDS) and sentences.says(start, end, _TREATMENT_CONTEXT)
            and not sentences.says(start, end, _ONE_TIME))


def _is_claim(sentences: _Sentences, match: re.Match[str], names: frozenset[str]) -> bool:
    kind = match.lastgroup
    if kind == "lifelong":
        return _lifelong_is_about_treatment(sentences, match)
    if kind == "rebound":
        return sentences.says(match.start(), match.end(), _STOPPING_CONTEXT)
    return not _names_other_object(sentences.text, match.end(), names)


def _check_one_time(record: Record, context: RuleContext) -> Iterator[Hit]:
    if _one_time_only(record):
        why = "every dose is given once (`frequency: once`)"
    elif single_lifetime_dose(record, context.limits):
        why = "the drug's dose-limit table allows one dose in a lifetime"
    else:
        return
    names = _drug_names(record)
    for pointer, text in fields.prose(record):
        if pointer[0] == "indication" or pointer[:2] == _OTHER_TREATMENTS or not _has_clue(text, _CLAIM_CLUES):
            continue
        sentences = _Sentences(text)
        for match in _CLAIMS.finditer(text):
            if not _is_claim(sentences, match, names):
                continue
            kind = match.lastgroup or "stop"
            yield Hit(pointer,
                      f"{why}, but this text {_CLAIM_TEXT[kind]} "
                      f"(\"{match.group(0)}\"): boilerplate for medicines taken again and again, wrong for a "
                      f"one-time therapy",
                      hint="delete it, or say what is true: for example \"It is given once. It is not repeated.\"",
                      start=match.start(), end=match.end(), subject=f"{kind}: {_normal(match.group(0))}")


_ONCE_DOSING = """dosing:
  - label: Pediatric dose
    population: pediatric
    dose:
      value: 1.1e14
      unit: vector genomes/kg
    route: intravenous
    frequency: once
    duration: single infusion over 60 minutes
"""

SINGLE_DOSE_CONTRADICTION = Rule(
    code="ML203", name="single-dose-contradiction", family="sections", severity=Severity.ERROR,
    summary="A one-time therapy whose text talks about how long to keep taking it, not stopping it, "
            "lifelong treatment, or rebound on stopping.",
    check=_check_one_time,
    docs=Docs(
        what="When every dose entry says `frequency: once`, or the drug's dose-limit table allows one "
             "dose in a lifetime for every entry (`per_lifetime: {hard: 1, unit: doses}`), reports "
             "each phrase of the text that belongs to a medicine taken again and again: \"how long do I"
             " need to take\", \"never stop on your own\" or \"do not stop taking\", \"keep taking\", \"long-"
             "term or lifelong\" treatment, \"discontinuation\" or \"stopping\", and \"relapse or rebound\" "
             "on stopping. It does not report phrases about something else: \"lifelong follow-up "
             "visits\" and \"long-term effects\" (monitoring and outcomes are not dosing), \"do not stop "
             "the steroid\" or \"stopping the infusion\" (another object), \"relapse\" in a sentence that "
             "is not about stopping, and the alternatives section, which describes other treatments. A"
             " record with any repeated dose (`once daily`, `every 12 hours`) is not checked: there "
             "such advice is right.",
        why="The seed page tells parents of a child who had a single gene-therapy infusion 'Never stop on "
            "your own; discontinuation requires clinical guidance to avoid relapse or rebound effects', "
            "and asks 'How long do I need to take Zolgensma'. Boilerplate that contradicts the record "
            "misinforms the reader and shows the page was generated, not reviewed.",
        example=_ONCE_DOSING + "    notes: Never stop on your own; stopping can cause rebound effects.\n",
        use_instead=_ONCE_DOSING + "    notes: It is given once. It is not repeated.\n",
        references=(_POLICY, "21 CFR 201.57(c)(3) (Dosage and administration: the dosing regimen as labeled)"),
    ),
)

RULES: tuple[Rule, ...] = (PLACEHOLDER_TEXT, REPEATED_INDICATION, SINGLE_DOSE_CONTRADICTION)
