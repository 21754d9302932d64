"""ML203 single-dose-contradiction: A one-time therapy whose text talks about how long to keep taking it, not
stopping it, lifelong treatment, or rebound on stopping."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ...lazyre import Lazy
from ...model import Hit, Pointer, Severity
from ...record import Record
from ...sentences import Sentences
from ...syllables import is_drug_name
from .. import fields
from ..base import Docs, Rule, RuleContext
from ..limits.compare import single_lifetime_dose
from .common import POLICY, has_clue, normalised

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
_TREATMENT_CONTEXT = Lazy(r"\b(?:treatments?|therap(?:y|ies)|courses?|regimens?|tak(?:e|es|en|ing)|"
                                r"us(?:e|ed|es|ing)|dosing|medicines?|medications?)\b", re.IGNORECASE)
_ONE_TIME = Lazy(r"\b(?:once|one[-\s]time|single)\b", re.IGNORECASE)
_STOPPING_CONTEXT = Lazy(r"\b(?:stop\w*|discontinu\w*|quit\w*)\b", re.IGNORECASE)
_NEXT_WORD = Lazy(r"[\s,]*([A-Za-z][\w'’-]*)?")
# the object of "stop taking", "discontinue", "how long ... take": a determiner and a noun
# ("the steroid"), a capitalised name ("Spinraza"), or a bare word ("prednisolone", "on")
_OBJECT = Lazy(r"\s+(?:(?:of\s+)?(?:the|your|this|that|his|her|their|a|an|any)\s+"
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
    return ((not word or word in _CLAUSE_WORDS) and sentences.says(start, end, _TREATMENT_CONTEXT.compiled)
            and not sentences.says(start, end, _ONE_TIME.compiled))


def _is_claim(sentences: _Sentences, match: re.Match[str], names: frozenset[str]) -> bool:
    kind = match.lastgroup
    if kind == "lifelong":
        return _lifelong_is_about_treatment(sentences, match)
    if kind == "rebound":
        return sentences.says(match.start(), match.end(), _STOPPING_CONTEXT.compiled)
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
        if pointer[0] == "indication" or pointer[:2] == _OTHER_TREATMENTS or not has_clue(text, _CLAIM_CLUES):
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
                      start=match.start(), end=match.end(), subject=f"{kind}: {normalised(match.group(0))}")


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
        references=(POLICY, "21 CFR 201.57(c)(3) (Dosage and administration: the dosing regimen as labeled)"),
    ),
)
