"""What a value outside a controlled vocabulary most likely means: the same value written another way (a
fix), or a value close to it (a suggestion only).

A fix must never change what the record says, so only rewrites that keep the meaning are fixes: a
difference of case, spacing, hyphens or a plural (`Intravenous`, `prescribing information`), an
abbreviation with exactly one reading among the allowed values (`IV` is intravenous), and the frequency
vocabulary's own wordings (`twice a day` is `twice daily`). Everything else, a typo's closest match
(`intravenus`), an abbreviation with more than one reading (`IN`: intranasal, or a misread IM or IV;
`IT`: intrathecal or intratympanic), a synonym that could mean something else (`label`), an error-prone
abbreviation (`qd`, read as `qid` too), is only suggested, for a person to choose.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .suggest import closest

# Abbreviations and other wordings with one reading: what an author writes for an allowed value.
_SAME: dict[str, tuple[str, ...]] = {
    "intravenous": ("iv", "i.v.", "intravenously", "intravenous infusion", "intravenous injection"),
    "intramuscular": ("im", "i.m.", "intramuscularly", "intramuscular injection"),
    "subcutaneous": ("sc", "s.c.", "sq", "subq", "sub-q", "subcut", "subcutaneously", "subcutaneous injection"),
    "oral": ("po", "p.o.", "by mouth", "orally", "per os"),
    "sublingual": ("sl", "under the tongue"),
    "intrathecal": ("intrathecally",),
    "inhaled": ("by inhalation", "inhalation"),
    "intranasal": ("nasal", "in the nose"),
    "rectal": ("rectally", "per rectum"),
    "topical": ("topically", "on the skin"),
    "transdermal": ("patch",),
    "pediatric": ("paediatric",),
}
# Wordings that probably mean an allowed value but could mean something else: suggested, never fixed.
_LIKELY: dict[str, tuple[str, ...]] = {
    "intranasal": ("in",),
    "intrathecal": ("it",),
    "rectal": ("pr",),
    "inhaled": ("inh",),
    "transdermal": ("td",),
    "prescribing-information": ("label", "pi", "uspi", "package insert", "product information", "smpc",
                                "product monograph", "summary of product characteristics"),
    "pediatric": ("children", "child", "kids", "infants", "neonates"),
    "adult": ("adults only", "grown-ups"),
    "study": ("trial", "clinical trial", "paper", "article", "journal article"),
    "guideline": ("guidance", "recommendation", "recommendations"),
}


class Reading(NamedTuple):
    value: str  # the allowed value
    certain: bool  # same meaning, only written differently: safe to write instead


def _plain(text: str) -> str:
    """Case, spacing, hyphens and underscores set aside."""
    return re.sub(r"[\s_-]+", " ", text.strip().lower())


def reading(value: str, allowed: Sequence[str]) -> Reading | None:
    """What `value` most likely means among `allowed` (an enum's values), or None."""
    plain = _plain(value)
    spelt = {_plain(choice): choice for choice in allowed}
    for form in (plain, plain.removesuffix("s"), plain.removesuffix("es")):
        if form in spelt:
            return Reading(spelt[form], True)
    for table, certain in ((_SAME, True), (_LIKELY, False)):
        readings = [choice for choice in allowed if plain in table.get(choice, ())]
        if len(readings) == 1:
            return Reading(readings[0], certain)
    found = closest(plain, spelt)
    return Reading(spelt[found[0]], False) if found else None


# --- frequencies ---------------------------------------------------------------------------------------
# The house frequencies (docs/record-format.md): `once`, `once daily` ... `four times daily`, `once weekly`,
# `every N hours|days|weeks|months`, `as needed`. These rewrite other wordings of the same frequency.

_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "twenty-four": 24, "twenty four": 24, "forty-eight": 48,
            "seventy-two": 72}
_TIMES = {"1": "once", "one": "once", "once": "once", "2": "twice", "two": "twice", "twice": "twice",
          "3": "three times", "three": "three times", "4": "four times", "four": "four times"}
_UNITS = {"hour": "hours", "hr": "hours", "hrs": "hours", "h": "hours", "day": "days", "week": "weeks",
          "wk": "weeks", "wks": "weeks", "month": "months", "mo": "months", "mos": "months"}
_SAME_FREQUENCY: dict[str, str] = {
    "daily": "once daily", "every day": "once daily", "each day": "once daily", "once a day": "once daily",
    "weekly": "once weekly", "every week": "once weekly", "each week": "once weekly", "once a week": "once weekly",
    "every other day": "every 2 days", "every other week": "every 2 weeks", "every other month": "every 2 months",
    "as required": "as needed", "when needed": "as needed", "if needed": "as needed", "as necessary": "as needed",
    "one time": "once", "single dose": "once", "one dose": "once", "a single dose": "once", "once only": "once",
}
# Latin abbreviations: each has one expansion, but ISMP lists `qd`/`qod` as error-prone (read as `qid`),
# so an abbreviation is suggested, never written over.
_LATIN = {"qd": "once daily", "od": "once daily", "bid": "twice daily", "b.i.d.": "twice daily",
          "tid": "three times daily", "t.i.d.": "three times daily", "qid": "four times daily",
          "q.i.d.": "four times daily", "prn": "as needed", "qod": "every 2 days", "qw": "once weekly"}
_TIMES_PER_DAY = re.compile(r"(?P<n>\w+)(?: times?)? (?:a|per|each|every) day")
_EVERY = re.compile(r"(?:every|each) (?P<n>[\w-]+(?: four)?) (?P<unit>hours?|hrs?|h|days?|weeks?|wks?|months?|mos?)")
_Q_HOURS = re.compile(r"q ?(?P<n>\d+) ?(?:h|hr|hrs|hours?)")


def frequency(value: str) -> Reading | None:
    """A house frequency for another wording of it: certain when only the wording differs."""
    plain = " ".join(value.strip().lower().replace(".", ". ").split()).replace(". ", ".").rstrip(".")
    plain = plain.replace("x a day", " times a day").replace("  ", " ")
    if plain in _SAME_FREQUENCY:
        return Reading(_SAME_FREQUENCY[plain], True)
    if plain in _LATIN:
        return Reading(_LATIN[plain], False)
    match = _TIMES_PER_DAY.fullmatch(plain)
    if match and match["n"] in _TIMES:
        return Reading(f"{_TIMES[match['n']]} daily", True)
    match = _EVERY.fullmatch(plain)
    if match:
        number = int(match["n"]) if match["n"].isdigit() else _NUMBERS.get(match["n"])
        unit = _UNITS.get(match["unit"].removesuffix("s")) or _UNITS.get(match["unit"])
        if number and unit and number > 1:
            return Reading(f"every {number} {unit}", True)
    match = _Q_HOURS.fullmatch(plain)
    if match:
        return Reading(f"every {int(match['n'])} hours", False)
    return None
