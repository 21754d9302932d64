"""What a value outside a controlled vocabulary most likely means: the same value written another way (a
fix), or a value close to it (a suggestion only).

A fix must never change what the record says, so only rewrites that keep the meaning are fixes: a
difference of case, spacing, hyphens or a plural (`Intravenous`, `prescribing information`), an
abbreviation with exactly one reading among the allowed values (`IV` is intravenous), and other wordings
of a frequency in the house vocabulary (`2 times a day` is `twice daily`). Everything else, a typo's closest match
(`intravenus`), an abbreviation with more than one reading (`IN`: intranasal, or a misread IM or IV;
`IT`: intrathecal or intratympanic), a synonym that could mean something else (`label`), an error-prone
abbreviation (`qd`, read as `qid` too), is only suggested, for a person to choose.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .frequency import NUMBERS, parse
from .lazyre import Lazy
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
# The house frequencies are medlint.frequency's vocabulary (docs/record-format.md, "Frequency"). These
# rewrite other wordings into it; medlint.frequency then reads both, and a rewrite is certain only where it
# reads the same doses a day in each (where it reads the original at all): `2 times a day` is `twice daily`,
# `every six hrs` is `every 6 hours`. A rate is never rewritten into another form (`every 8 hours` is not
# `three times daily`: spacing the doses is part of the instruction).

_TIMES = {"1": "once", "one": "once", "once": "once", "2": "twice", "two": "twice", "twice": "twice",
          **{str(n): f"{word} times" for word, n in NUMBERS.items() if 3 <= n <= 6},
          **{word: f"{word} times" for word, n in NUMBERS.items() if 3 <= n <= 6}}
_UNITS = {"hour": "hour", "hr": "hour", "h": "hour", "day": "day", "d": "day", "week": "week", "wk": "week",
          "month": "month", "mo": "month"}
_AS_NEEDED = ("as needed", "as required", "when needed", "if needed", "as necessary")
_SAME_FREQUENCY = {"one time": "once", "single dose": "once", "one dose": "once", "a single dose": "once",
                   "once only": "once", "each day": "once daily", "each week": "once weekly",
                   "every other week": "every 2 weeks", "every other month": "every 2 months"}
# Latin abbreviations: each has one expansion, but ISMP lists `qd`/`qod` as error-prone (read as `qid`),
# so an abbreviation is suggested, never written over.
_LATIN = {"qd": "once daily", "od": "once daily", "bid": "twice daily", "tid": "three times daily",
          "qid": "four times daily", "qod": "every other day", "qw": "once weekly"}
_TIMES_PER = Lazy(r"(?P<n>[a-z]+|\d+)(?: ?x| times?)? (?:a |per |each |every )?"
                        r"(?P<per>day|daily|week|weekly)")
_EVERY = Lazy(r"(?:every|each) (?:(?P<low>\w+) ?(?:to|-|–) ?)?(?P<n>\w+) ?(?P<unit>[a-z]+?)s?")
_Q_HOURS = Lazy(r"q ?(?:(?P<low>\d+) ?(?:to|-|–) ?)?(?P<n>\d+) ?(?:h|hr|hrs|hours?)")


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else NUMBERS.get(word)


def _every(low: str | None, n: str, unit: str) -> str | None:
    """`every N units` (or `every N to M units`, `every unit`) in the house form."""
    count, first, name = _count(n), _count(low) if low else None, _UNITS.get(unit)
    if not count or name is None or (low and not first):
        return None
    if first:
        return f"every {first} to {count} {name}s"
    return f"every {name}" if count == 1 else f"every {count} {name}s"


def _rewrite(plain: str) -> tuple[str, bool] | None:
    """The house wording of `plain` (no `as needed`), and whether the rewrite is one of wording alone."""
    if plain in _SAME_FREQUENCY:
        return _SAME_FREQUENCY[plain], True
    if plain in _LATIN:
        return _LATIN[plain], False
    match = _TIMES_PER.fullmatch(plain)
    if match and match["n"] in _TIMES:
        return f"{_TIMES[match['n']]} {'weekly' if match['per'].startswith('week') else 'daily'}", True
    match = _EVERY.fullmatch(plain)
    found = _every(match["low"], match["n"], match["unit"]) if match else None
    if found:
        return found, True
    match = _Q_HOURS.fullmatch(plain)
    found = _every(match["low"], match["n"], "hour") if match else None
    return (found, False) if found else None


def frequency(value: str) -> Reading | None:
    """A house frequency for another wording of it: certain when only the wording differs."""
    plain = " ".join(re.sub(r"\.(?!\d)|(?<!\d)\.", "", value).lower().split())  # `b.i.d.`; never `1.5`
    head, needed, certain = plain, "", True
    for suffix in (*_AS_NEEDED, "prn"):
        if plain == suffix or plain.endswith(f" {suffix}"):
            head, needed, certain = plain.removesuffix(suffix).strip(), "as needed", suffix != "prn"
            break
    rewritten = _rewrite(head) if head else ("", True)
    wording, same = rewritten if rewritten else (head, True)  # none: at most the case or spacing differs
    wording = " ".join(part for part in (wording, needed) if part)
    meant = parse(wording)
    if meant is None:
        return None
    return Reading(wording, certain and same and parse(value) in (None, meant))
