"""Whom a dose in the prose is for, when its sentence says so.

"Adults start with 500 mg", "children 12 years and older take 500 mg", "a child who weighs 20 kg takes 140 mg",
"children who weigh 43 kg or more take 600 mg a day": the words that name the people a dose is for (a
population, an age band, a body weight or a weight band) form a group, and the group tells which dose entries
the amounts of its sentence can be about (`Whom.holds`) and, for a weight-based dose, what they weigh
(`Whom.weighs`). `medlint.agreement` then compares an amount with those entries only, and a stated weight
turns a per-kg dose into an amount ("7 mg/kg" for 20 kg is 140 mg).

Only what the sentence says plainly counts. A mention that is negated ("not for children"), compared ("less
than adults", "the same as adults", "half the adult dose") or about keeping the medicine away from children
names no one; a weight or age needs a person, "weigh" or "old" next to it, or a weight must open its sentence
as a condition ("Under 15 kg, it is 30 mg"): "for 5 days" is no age, "lose 5 kg" no weight. Where a sentence
names several groups, an amount is tied to one only when the order is plain ("adults take 500 mg and children
take 250 mg", "250 mg for children and 500 mg for adults").
"""
from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from . import growth
from .lazyre import Lazy

ADULT_AGE = 18 * growth.DAYS["year"]
_TEEN_AGES = (12 * growth.DAYS["year"], ADULT_AGE)


class Band(NamedTuple):
    """A span of ages (days) or weights (kg) from `low`; `high` is infinite when the band is open, and is in the
    band only when `closed` ("40 kg or less", "20 kg"), not when it ends below it ("under 2 years")."""

    low: float
    high: float
    closed: bool = False

    def meets(self, low: float, high: float) -> bool:
        """Whether the band shares some of [low, high) (an entry's band: `from` inclusive, `under` exclusive)."""
        return self.low < high and (self.high > low or (self.closed and self.high == low))


class Who(NamedTuple):
    """One of the people a group names: a population ("adult", "child" or None for anyone) and an age band."""

    population: str | None
    ages: Band | None


class Whom(NamedTuple):
    """The people a sentence says a dose is for: any of `who`, each weighing within one of `weights` (when any)."""

    who: tuple[Who, ...]
    weights: tuple[Band, ...]

    def holds(self, entry: Mapping[str, Any], ages: Any = None) -> bool:
        """Whether the dose entry can be for these people (`ages`: the indication's `age_range`, for an entry
        without its own)."""
        low, high = _entry_ages(entry, ages)
        population = entry.get("population")
        if self.who and not any(_holds(who, population, low, high) for who in self.who):
            return False
        return not self.weights or any(self.weighs(entry, ages, band) is not None for band in self.weights)

    def weighs(self, entry: Mapping[str, Any], ages: Any, band: Band) -> Band | None:
        """The weights within `band` (one of `weights`) that the entry's weight band, and for a child its age
        band, can hold; None when they hold none of them."""
        written = entry.get("weight_range")
        weights: Mapping[str, Any] = written if isinstance(written, Mapping) else {}
        low, high = _kg(weights.get("from")) or 0.0, _kg(weights.get("under")) or math.inf
        age = entry.get("age_range") if isinstance(entry.get("age_range"), Mapping) else ages
        under = growth.age_days(age.get("under")) if isinstance(age, Mapping) else None
        heaviest = growth.heaviest_under(under) if under is not None else None
        if not band.meets(low, high) or (heaviest is not None and band.low > heaviest):
            return None
        return Band(max(band.low, low), min(band.high, high, heaviest or math.inf))


def aged(who: Who, entry: Mapping[str, Any], ages: Any = None) -> Band | None:
    """What children of the ages `who` states weigh, when the dose entry is for children of those ages
    (`medlint.growth`: from the lightest at the youngest age, from 2 years on, to the heaviest at the oldest),
    or None when no age is stated or the ages run past the growth charts (an adult can weigh anything)."""
    if who.ages is None:
        return None
    low, high = _entry_ages(entry, ages)
    if entry.get("population") == "pediatric":
        high = min(high, ADULT_AGE)
    start, end = max(low, who.ages.low), min(high, who.ages.high)
    heaviest = growth.heaviest_under(end) if end < math.inf else None
    if start >= end or heaviest is None:
        return None
    return Band(growth.lightest_from(start) or 0.0, heaviest, closed=True)


def of_entry(entry: Mapping[str, Any], ages: Any = None) -> Whom:
    """The people a dose entry is for: its population, age band and weight band."""
    written_population = entry.get("population")
    population = "adult" if written_population == "adult" else "child" if written_population == "pediatric" else None
    low, high = _entry_ages(entry, ages)
    written = entry.get("weight_range")
    weights: Mapping[str, Any] = written if isinstance(written, Mapping) else {}
    heavy = (_kg(weights.get("from")) or 0.0, _kg(weights.get("under")) or math.inf)
    return Whom((Who(population, Band(low, high)),), (Band(*heavy),) if weights else ())


def _kg(written: Any) -> float | None:
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?) kg", written) if isinstance(written, str) else None
    return float(match.group(1)) if match else None


def _entry_ages(entry: Mapping[str, Any], ages: Any) -> tuple[float, float]:
    age = entry.get("age_range") if isinstance(entry.get("age_range"), Mapping) else ages
    if not isinstance(age, Mapping):
        return 0.0, math.inf
    return growth.age_days(age.get("from")) or 0.0, growth.age_days(age.get("under")) or math.inf


def _holds(who: Who, population: Any, low: float, high: float) -> bool:
    if who.population == "adult" and population != "adult":
        return False
    # an adult entry may also hold older children ("Adults and teens, 13 years and older"), unless it starts at 18
    if who.population == "child" and population == "adult" and low >= ADULT_AGE:
        return False
    return who.ages is None or who.ages.meets(low, high)


# --- the words ------------------------------------------------------------------------------------------

_ADULT = r"adults?|grown-?ups?|grown\s+ups"
_CHILD = r"child(?:ren)?|kids?|bab(?:y|ies)|infants?|toddlers?|newborns?|neonates?|pa?ediatric"
_TEEN = r"teens?|teenagers?|adolescents?"
_PERSON = (rf"{_ADULT}|{_CHILD}|{_TEEN}|people|persons?|patients?|someone|anyone|those|m[ae]n|wom[ae]n|boys?|"
           r"girls?")
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
# a number that starts a match: the look-behind after the first digit lets the search skip quickly to digits
_FIRST_NUMBER = r"[0-9](?<![\w.,][0-9])[0-9]*(?:\.[0-9]+)?"
_KG = r"(?:kg|kilograms?|kilos?)\b"

_NOUN = re.compile(rf"\b(?:(?P<adult>{_ADULT})|(?P<teen>{_TEEN})|(?P<child>{_CHILD}))(?P<of>['’]s?)?(?![\w-])", re.I)
# "the children's liquid", "Children's Claritin": a product, not the people it is for
_PRODUCT = Lazy(r"\s+(?:[A-Z][\w-]*|liquid|syrup|suspension|solution|drops|tablets?|chewables?|formula|strength|"
                      r"version|products?|medicines?|forms?|bottles?)\b")
_OLDER = r"\s+(?:and|or)\s+(?:older|over|up|above|more)\b"
_YOUNGER = r"\s+(?:and|or)\s+(?:younger|under|less)\b"
_AGE_UNIT = r"days?|weeks?|months?|years?"
_AGE = re.compile(
    rf"(?P<a1>{_FIRST_NUMBER})(?:\s*(?P<u1>{_AGE_UNIT}))?"
    rf"(?:\s*(?:to|-|–|through|or)\s*(?P<to_under>under\s+)?(?P<a2>{_NUMBER}))?[\s-]*(?P<unit>{_AGE_UNIT})\b"
    rf"(?P<old>[\s-]+old|\s+of\s+age)?(?:(?P<older>{_OLDER})|(?P<younger>{_YOUNGER}))?", re.I)
# the words that bound an age or a weight from one side, right before its number (looked for there only)
_AGE_BOUND = Lazy(r"\b(?:(?P<below>under|younger\s+than|less\s+than|below)|(?P<above>over|older\s+than|above|"
                        r"at\s+least)|(?P<up_to>up\s+to|through))\s+$", re.I)
_AGE_LEAD = Lazy(r"\b(?:aged|ages?)\s+$", re.I)
_MORE = r"\s+(?:or|and)\s+(?:more|over|above|heavier|up|higher|greater)\b"
_LESS = r"\s+(?:or|and)\s+(?:less|under|below|lighter|lower)\b"
_WEIGHT = re.compile(
    rf"(?P<w1>{_FIRST_NUMBER})(?:\s*{_KG})?(?:\s*(?:to|-|–|and)\s*(?P<w2_under>under\s+|less\s+than\s+)?"
    rf"(?P<w2>{_NUMBER}))?[\s-]*{_KG}(?:(?P<more>{_MORE})|(?P<less>{_LESS}))?", re.I)
_WEIGHT_BOUND = Lazy(r"\b(?:(?P<above>more\s+than|over|above|heavier\s+than|greater\s+than|at\s+least)|"
                           r"(?P<below>less\s+than|under|below|lighter\s+than)|(?P<at_most>up\s+to|no\s+more\s+than|"
                           r"at\s+most)|(?P<from>between|from))\s+$", re.I)
# what must come right before a weight for it to be a body weight: "who weighs", "a child of", "children over"
_WEIGHT_LEAD = Lazy(rf"(?:\bweigh(?:s|ing|ed)?|\bweight\s+(?:is|of)|\b(?:{_PERSON})(?:['’]s?)?(?:\s+(?:who\s+"
                          rf"(?:is|are)|that\s+(?:is|are)|of|at|weighing))?)\s+(?:about\s+|around\s+|only\s+)?"
                          rf"(?:{_NUMBER}\s*(?:pounds|lbs?)\.?\s*\(\s*)?$", re.I)  # "weighs 44 pounds (20 kg)"
# a weight that opens its sentence as a condition names the people the rest is for: "Under 15 kg, it is
# 30 mg.", "From 15 kg to under 23 kg: 45 mg", "At 20 kg, the dose is 140 mg"
_OPENS = Lazy(r"\s*(?:(?:for|at|if|when)\s+)?", re.I)
_CONDITION = Lazy(r"\s*[,:]")
# "a 20 kg child", "a 20-kg child"
_WEIGHT_BEFORE = re.compile(rf"\b(?:a|an|one|each|the|your|any)\s+(?P<w>{_NUMBER})[\s-]*{_KG}[\s-]+(?:{_PERSON})\b",
                            re.I)
# between the words of one group: "adults and children 12 years and older", "a child 2 years or older who weighs"
_JOIN = Lazy(r"[\s,()]*(?:(?:and|or|who|that|are|is|aged|ages?|of|at|from|with|weigh(?:s|ing)?|patients|people|"
                   r"a|an|the|your)\b"
                   r"[\s,()]*)*")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|without|nor|except)\b|n't\b", re.I)
# "less than adults", "the same as adults", "half the adult dose", "out of the reach of children"
_NOT_THEM = Lazy(r"\b(?:than|as|like|unlike|versus|vs|half|twice|double|reach\s+of|sight\s+of|away\s+from)"
                       r"\s+(?:(?:the|an?|all|most|many|some|other|older|younger|small|young|for|in|to|with)\s+)*$",
                       re.I)
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)|\n")


class _Token(NamedTuple):
    start: int
    end: int
    population: str | None = None  # "adult" or "child"
    ages: Band | None = None
    weight: Band | None = None
    bare: bool = False  # an age that names no one unless a person comes before it ("children 2 to 11 years")


def _bound(match: re.Match[str] | None, name: str) -> bool:
    return match is not None and match[name] is not None


def _age(match: re.Match[str], bound: re.Match[str] | None) -> Band:
    unit = match["unit"]
    low = growth.days(match["a1"], match["u1"] or unit)
    if match["a2"] is not None:  # "1 to 12 years old" holds every 12-year-old; "2 weeks to under 1 year" does not
        high = growth.days(match["a2"], unit)
        return Band(low, high if match["to_under"] else high + growth.days("1", unit))
    if _bound(bound, "below"):
        return Band(0.0, low)
    if _bound(bound, "above") or match["older"]:
        return Band(low, math.inf)
    if match["younger"] or _bound(bound, "up_to"):
        return Band(0.0, low + growth.days("1", unit))
    return Band(low, low + growth.days("1", unit))  # "a 5-year-old": any age within that year


def _weight(match: re.Match[str], bound: re.Match[str] | None) -> Band:
    low = float(match["w1"])
    if match["w2"] is not None:
        return Band(low, float(match["w2"]), closed=not match["w2_under"])
    if _bound(bound, "above") or _bound(bound, "from") or match["more"]:
        return Band(low, math.inf)
    if _bound(bound, "below") or match["less"]:
        return Band(0.0, low, closed=bool(match["less"]))
    if _bound(bound, "at_most"):
        return Band(0.0, low, closed=True)
    return Band(low, low, closed=True)


def _tokens(text: str, start: int, end: int) -> list[_Token]:
    """The words of one sentence that name people, their ages or their weights."""
    tokens = []
    for match in _NOUN.finditer(text, start, end):
        if match["of"] and _PRODUCT.match(text, match.end()):
            continue
        population = "adult" if match["adult"] else "child"
        tokens.append(_Token(match.start(), match.end(), population, Band(*_TEEN_AGES) if match["teen"] else None))
    for match in _AGE.finditer(text, start, end):
        bound = _AGE_BOUND.search(text, max(start, match.start() - 16), match.start())
        first = bound.start() if bound else match.start()
        lead = _AGE_LEAD.search(text, max(start, first - 8), first)
        plain = match["old"] or match["older"] or match["younger"] or lead
        tokens.append(_Token(first, match.end(), ages=_age(match, bound), bare=not plain))
    for match in _WEIGHT.finditer(text, start, end):
        bound = _WEIGHT_BOUND.search(text, max(start, match.start() - 16), match.start())
        first = bound.start() if bound else match.start()
        if (_WEIGHT_LEAD.search(text, max(start, first - 60), first)
                or (_OPENS.fullmatch(text, start, first) and _CONDITION.match(text, match.end()))):
            tokens.append(_Token(first, match.end(), weight=_weight(match, bound)))
    for match in _WEIGHT_BEFORE.finditer(text, start, end):
        weight = float(match["w"])
        tokens.append(_Token(match.start(), match.end(), weight=Band(weight, weight, closed=True)))
    return sorted(tokens)


class _Group(NamedTuple):
    start: int
    end: int
    whom: Whom


def _group(tokens: Sequence[_Token]) -> Whom | None:
    """The people a run of tokens names, or None when it names none (an age with no person before it)."""
    who: list[Who] = []
    weights: list[Band] = []
    for token in tokens:
        if token.weight is not None:
            weights.append(token.weight)
        if token.population is not None:
            who.append(Who(token.population, token.ages))
        elif token.ages is not None:
            # an age qualifies the person just before it ("children 12 years and older"), or stands alone
            # ("people 2 weeks of age and older" names anyone that age)
            if who and who[-1].population is not None and who[-1].ages in (None, Band(*_TEEN_AGES)):
                who[-1] = who[-1]._replace(ages=token.ages)
            elif not token.bare:
                who.append(Who(None, token.ages))
    if not who and not weights:
        return None
    return Whom(tuple(dict.fromkeys(who)), tuple(dict.fromkeys(weights)))


def _groups(text: str, start: int, end: int) -> list[_Group]:
    """The groups of people one sentence names plainly (not negated, compared or kept away from)."""
    runs: list[list[_Token]] = []
    for token in _tokens(text, start, end):
        if runs and (token.start <= runs[-1][-1].end
                     or _JOIN.fullmatch(text, runs[-1][-1].end, token.start) is not None):
            runs[-1].append(token)
        else:
            runs.append([token])
    negated = _NEGATION.search(text, start, end)
    groups = []
    for run in runs:
        first = min(token.start for token in run)
        last = max(token.end for token in run)
        if (negated is not None and negated.start() < first) or _NOT_THEM.search(text, max(start, first - 40), first):
            continue
        whom = _group(sorted(run))
        if whom is not None:
            groups.append(_Group(first, last, whom))
    return groups


class _Sentence(NamedTuple):
    groups: list[_Group]
    starts: list[int]  # of the groups, ascending
    order: str  # "after": every amount follows the first group; "before": every amount precedes the last; ""


class Reader:
    """Whom each amount of a text is for; sentences are read when an amount in them is asked about."""

    def __init__(self, text: str, amounts: Sequence[int]) -> None:
        self._text = text
        self._amounts = sorted(amounts)  # where every amount compared in the text starts
        self._ends: list[int] | None = None  # where sentences end: found when first asked (most records never ask)
        self._sentences: dict[int, _Sentence] = {}

    def _sentence(self, start: int, end: int) -> _Sentence:
        if start not in self._sentences:
            groups = _groups(self._text, start, end)
            first = bisect.bisect_left(self._amounts, start)
            last = bisect.bisect_left(self._amounts, end) - 1  # the sentence's first and last amounts
            order = ("" if len(groups) < 2 or first > last
                     else "after" if self._amounts[first] >= groups[0].end
                     else "before" if self._amounts[last] < groups[-1].start else "")
            self._sentences[start] = _Sentence(groups, [g.start for g in groups], order)
        return self._sentences[start]

    def whom(self, position: int) -> Whom | None:
        """Whom the amount starting at `position` is for, when its sentence says so plainly."""
        if self._ends is None:
            self._ends = [m.end() for m in _SENTENCE_END.finditer(self._text)]
        ends = self._ends
        index = bisect.bisect_right(ends, position)
        start = ends[index - 1] if index else 0
        sentence = self._sentence(start, ends[index] if index < len(ends) else len(self._text))
        groups = sentence.groups
        if len(groups) < 2:
            return groups[0].whom if groups else None
        if sentence.order == "after":  # "adults take 500 mg and children take 250 mg": the group before it
            return groups[bisect.bisect_left(sentence.starts, position) - 1].whom
        if sentence.order == "before":  # "250 mg for children and 500 mg for adults": the group after it
            return groups[bisect.bisect_right(sentence.starts, position)].whom
        return None
