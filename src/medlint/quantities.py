"""The amounts in a record's prose, read the way a reader reads them, and checked against its dosing.

`medlint.rules.units` finds every number followed by a dose unit in the prose (`500 mg`, `0.2 units/kg`);
this module also finds units written out (`5 milligrams`) and litres, which house style does not use but a
swapped unit may. A reader does not take every amount for a dose: "125 mg in each 5 mL" is a strength,
"each pen holds 300 units" a pack size, "vitamin D 400 units" another substance. So each amount is first
given a role from the words around it (`Role`), and only doses, per-weight doses and maxima of this drug
are compared, each with the matching part of the structured dosing (`candidates`):

| the text says | compared with |
| --- | --- |
| a dose, "Take 500 mg" | the dose (a value inside a range agrees), or any amount up to the cap of a weight-based dose |
| a per-weight dose, "14 mg per kilogram" | the per-kg (or per-m2) dose |
| a daily amount, "1,000 mg a day" | the dose times the doses a day its `frequency` allows (`medlint.frequency`) |
| a maximum, "up to 2 mg", "no more than 4,000 mg in 24 hours" | `max_dose`, or the top of a dose, per dose or per day |
| a titration step, "then increase to 2 mg" | nothing, unless it is a slip above every dose (below) |

An amount that disagrees is judged (`judge`): the same number in another unit of the same kind (mg for
mcg, L for mL, units for units/kg), or a dosing amount times a power of ten, is a slip that can harm a
patient (`Verdict.dangerous`); any other disagreement is a question of consistency.
"""
from __future__ import annotations

import enum
import functools
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from . import frequency, units


class Role(enum.StrEnum):
    """What an amount in the prose is; the value is how a message names it."""

    DOSE = "a dose"
    PER_WEIGHT = "a per-weight dose"
    MAXIMUM = "a maximum"
    STEP = "a titration step"
    CHANGE = "a change in dose"  # "increase by 25 mg": a difference between doses, never a dose
    STRENGTH = "a strength or concentration"
    OTHER = "an amount of something else"  # another medicine, a nutrient, water, a pack size
    THRESHOLD = "a threshold"  # "more than 4 g can harm the liver", "500 mg or more"
    TOTAL = "a total over a course"


COMPARED = frozenset({Role.DOSE, Role.PER_WEIGHT, Role.MAXIMUM, Role.STEP})


class Found(NamedTuple):
    """An amount the scanner found: offsets into the text, the value with any power of ten applied."""

    start: int
    end: int
    value: float
    unit: units.Unit


class Reading(NamedTuple):
    """An amount with the role the words around it give it, and what it measures."""

    start: int
    end: int
    role: Role
    value: float
    base: units.Unit  # the amount and body measure (`mg/kg`), without any time
    daily: bool  # an amount per day (or per other span of time, converted to a day)
    parts: float = 1.0  # "two shots of 100 mg each": 2; "600 mg, given as two shots": 1/2
    per_dose: float | None = None  # "40 mg every week" may be a weekly total or a dose given weekly: the dose


class Candidate(NamedTuple):
    """An amount, or a span of amounts, that the structured dosing allows the text to say."""

    low: float
    high: float
    base: units.Unit
    daily: bool
    ends: tuple[float, ...]  # the amounts the dosing writes, from which a slip is measured (in `base`)
    says: str  # how a message quotes it: "0.25 to 2 mg", "1,000 mg a day (500 mg every 12 hours)"
    derived: bool = False  # "any amount up to the cap": what a weight-based dose allows a worked example
    cap: bool = False  # from `max_dose`


class Verdict(NamedTuple):
    """Why an amount disagrees with the dosing; `dangerous` when it is a slip that can harm a patient."""

    dangerous: bool
    message: str
    swapped: bool = False  # the same number as the dosing in another unit


# --- finding the amounts the scanner does not ------------------------------------------------------------

_LITRE = units.Amount("L", units.Kind.VOLUME, "L", exponent=3)  # mL is the house reference (exponent 0)
_WORDS: dict[str, units.Amount] = {
    "milligram": units.AMOUNTS["mg"], "microgram": units.AMOUNTS["mcg"], "gram": units.AMOUNTS["g"],
    "milliliter": units.AMOUNTS["mL"], "millilitre": units.AMOUNTS["mL"], "liter": _LITRE, "litre": _LITRE,
    "L": _LITRE, "unit": units.AMOUNTS["units"],
}
# the look-behind after the first digit, as in the scanner: the search can then skip quickly to digits
_AMOUNT_NAMED = {**units.AMOUNTS, "L": _LITRE}
_SPELLED = re.compile(r"(?P<num>[0-9](?<![\w.,][0-9])(?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?) ?"
                      r"(?P<unit>milligram|microgram|gram|millilit(?:er|re)|lit(?:er|re)|L|unit)(?P<plural>s?)"
                      r"(?P<per>/kg|/m2)?(?![\w/])")


def spelled_out(text: str) -> Iterator[Found]:
    """Amounts in units the house vocabulary does not have but a reader knows: `5 milligrams`, `2 L`, `1 unit`."""
    for match in _SPELLED.finditer(text):
        if match["unit"] == "unit" and match["plural"]:
            continue  # `units` is a house unit: the scanner has it
        unit = units.Unit(_WORDS[match["unit"]], match["per"][1:] if match["per"] else None)
        yield Found(match.start(), match.end(), float(match["num"].replace(",", "")), unit)


# --- the words around an amount --------------------------------------------------------------------------

_WINDOW = 90  # characters either side that the reader looks at; a clause is rarely longer
_CLAUSE_END = re.compile(r"[.!?;:](?:\s|$)|\n|\)")
_FORMS = (r"tablets?|caplets?|capsules?|puffs?|sprays?|actuations?|inhalations?|drops?|patch(?:es)?|"
          r"suppositor(?:y|ies)|lozenges?|sachets?|packets?|chewables?|gumm(?:y|ies)|pills?|softgels?|"
          r"mL|milliliters?|millilitres?|teaspoons?(?:ful)?|tablespoons?|spoonfuls?|g|grams?")
_CONTAINERS = (r"pens?|vials?|bottles?|cartridges?|syringes?|inhalers?|canisters?|tubes?|packs?|kits?|"
               r"box(?:es)?|cartons?|bags?|ampoules?|ampules?|autoinjectors?|injectors?|devices?|spoons?|"
               r"cups?|droppers?|containers?|jars?|dispensers?")
_PRODUCTS = r"suspension|solution|syrup|liquid|elixir|cream|gel|ointment|lotion|foam|strengths?|products?|forms?"
# a word that cannot sit inside a product's name, between an amount and the noun it qualifies
_NOT_AN_ADJECTIVE = frozenset(("a", "an", "the", "of", "to", "by", "in", "at", "on", "for", "with", "and", "or",
                               "once", "twice", "each", "every", "per", "daily", "day", "days", "week", "weeks",
                               "given", "taken", "is", "are", "was", "dose", "doses", "then", "from", "as", "into",
                               "up", "than", "before", "after", "your", "their"))

_PER_KG = re.compile(r"\s*(?:per|/|for each|for every|each|a|every)\s+(?:kilogram|kilo|kg)s?\b"
                     r"(?:\s+of\s+(?:(?:your|their|the|his|her)\s+)?(?:child's\s+)?(?:body\s+)?weight)?", re.I)
_PER_M2 = re.compile(r"\s*(?:per|/|for each|for every|each|a|every)\s+(?:square\s+met(?:er|re)|m2|m²)\b"
                     r"(?:\s+of\s+body(?:\s+surface)?(?:\s+area)?)?", re.I)
_PER_POUND = re.compile(r"\s*(?:per|/|for each|for every|each|a|every)\s+(?:pound|lb)s?\b", re.I)
_DAILY = re.compile(r"\s*(?:(?:a|per|each|every|/)\s*day\b|daily\b|(?:in|over|within|during)\s+(?:(?:any|a|one|"
                    r"1|each)\s+)?(?:24[- ]hours?|day)\b(?:\s+period)?)", re.I)
_WEEKLY = re.compile(r"\s*(?:(?:a|per|each|every|/)\s*week\b|weekly\b|(?:in|over|within)\s+(?:a|one|1|each)\s+"
                     r"week\b)", re.I)
# a rate ("1,000 mg daily"), or how often a dose is given ("40 mg every week")
_EVERY = re.compile(r"\s*(?:every\s+(?:day|week)|daily|weekly)\b", re.I)
_TOTAL_AFTER = re.compile(r"\s*(?:in\s+(?:total|all|a\s+lifetime)|altogether|over\s+(?:a|the|your)\s+"
                          r"(?:whole\s+)?(?:lifetime|course|treatment))\b", re.I)
_STRENGTH_AFTER = re.compile(r"\s*(?:in|per|for|/)\s+(?:(?:each|every|one|a|1|the)\s+)?(?:[0-9][0-9.,]*\s*)?"
                             rf"(?:{_FORMS}|L|lit(?:er|re)s?)\b", re.I)
_NOUN_AFTER = re.compile(r"[\s-]*(?P<words>(?:[A-Za-z][\w-]*\s+){0,2}?)"
                         rf"(?P<noun>{_FORMS}|{_CONTAINERS}|{_PRODUCTS})\b", re.I)
_CONTAINER = re.compile(_CONTAINERS, re.I)
_OR_MORE = re.compile(r"\s*(?:or|and)\s+(?:more|higher|above|over|up)\b", re.I)
_OR_LESS = re.compile(r"\s*(?:or\s+(?:less|lower|fewer|under)|at\s+(?:the\s+)?most)\b", re.I)
_OF_AFTER = re.compile(r"\s*of\s+(?P<words>(?:[\w'’-]+\s*){1,3})", re.I)
_WORD_AFTER = re.compile(r"\s+(?P<word>[A-Za-z][\w-]*)")

def _ends_with(words: str) -> re.Pattern[str]:
    """Text that ends with one of `words`, right before an amount (or the first amount of its list), allowing
    "about" and the unitless low end of a range: "up to about 2 mg", "by 25 to 50 mg"."""
    return re.compile(rf"(?:{words})\s+(?:about\s+|only\s+)?(?:[0-9][0-9.,]*\s*(?:to\s+|or\s+|[-–]\s*))?$", re.I)


_STRENGTH_BEFORE = _ends_with(
    rf"\b(?:{_FORMS}|{_PRODUCTS})\s+(?:\w+\s+)?(?:has|have|holds?|contains?|gives?|delivers?|releases?|provides?|is|"
    r"are|of)|\b(?:comes?|came|available|sold|made|supplied)\s+(?:\w+\s+)?(?:in|as)(?:\s+(?:a|an|the))?"
    r"|\bstrengths?(?:\s+(?:is|are|of))?")
_PACK_BEFORE = _ends_with(rf"\b(?:{_CONTAINERS})\s+(?:\w+\s+)?(?:has|have|holds?|contains?|gives?|delivers?|is|are|of)"
                          r"(?:\s+up\s+to)?")
_CHANGE_BEFORE = _ends_with(r"\bby|\bin\s+steps\s+of|\b(?:steps?|increments?)\s+of")
# "then 1 mg", "increase the dose to 2 mg", "go up to 2 mg"; not "increase by 500 mg each week, up to 2,550 mg"
_STEP_BEFORE = _ends_with(r"\bthen(?:\s+to)?|\b(?:go|goes|went|step|move|build)\s+up\s+to|\b(?:increase|raise|titrate|"
                          r"lower|reduce|decrease|adjust|change|switch)\w*\b[^.;:\n0-9]{0,30}?(?<!up\s)\bto"
                          r"|\bafter\s+(?:that|\w+\s+(?:days?|weeks?|months?)),?")
_MAXIMUM_BEFORE = _ends_with(
    r"\bup\s+to|\b(?:a|the|daily|lifetime|single)\s+(?:daily\s+|lifetime\s+|single\s+)?maximum(?:\s+dose)?"
    r"(?:\s+(?:is|of))?|\bmaximum(?:\s+(?:daily|single|lifetime))?(?:\s+dose)?(?:\s+(?:is|of))?:?|\bmax\.?:?"
    r"|\bat\s+most|\bas\s+much\s+as|\bnot\s+to\s+exceed|\blimit(?:ed)?\s+(?:of|to|is)|\bcap(?:ped)?\s+(?:of|at)"
    r"|\b(?:the\s+)?most\s+(?:\w+\s+){0,4}?is|\b(?:highest|top|largest)\s+(?:daily\s+)?dose\s+is"
    r"|\b(?:no|not|never|n't|cannot)\b[^.;:\n]{0,40}?\b(?:more\s+than|over|above|exceed(?:s|ing)?|beyond)"
    r"|\b(?:less\s+than|under|below|within)\s+(?:the\s+)?(?:maximum|limit)\s+of"
    r"|\bup\s+to\s+a\s+total\s+of|\bmaximum\s+of\s+a\s+total\s+of")
_TITRATION_UP_TO = _ends_with(r"\b(?:increase|raise|titrate|go|goes|step|move|build)\w*\b[^.;:\n]{0,60}?\bup\s+to")
_THRESHOLD_BEFORE = _ends_with(r"\b(?:(?:more|higher|greater|bigger|larger|less|lower|fewer|smaller)\s+than|above|over"
                               r"|exceed(?:s|ing)?|beyond|below|under|at\s+least|as\s+little\s+as|a\s+minimum\s+of"
                               r"|minimum(?:\s+dose)?(?:\s+(?:is|of))?)")
_TOTAL_BEFORE = _ends_with(r"\b(?:a\s+total\s+of|in\s+total|total(?:\s+dose)?(?:\s+(?:is|of))?|altogether"
                           r"|lifetime(?:\s+dose)?(?:\s+(?:is|of))?)")
_PARTS_BEFORE = re.compile(r"\b(?P<n>[0-9]+|two|three|four|five|six)\s+(?:[a-z-]+\s+)?(?:shots|injections|"
                           r"tablets|capsules|puffs|sprays|doses|infusions|syringes|pens|vials|drops|pills)\s+"
                           r"of\s+$", re.I)
# between the amounts of a list: "5 mg, 10 mg or 20 mg", "a 100 mcg or a 200 mcg inhaler"
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or|to)|\s*[-–—])(?:\s+(?:a|an|the))?\s*$")
_NAME_BEFORE = re.compile(r"(?:^|(?P<lead>[^\s(]))\s*(?:(?P<w2>[A-Za-z][\w-]*)\s+)?(?P<w1>[A-Za-z][\w-]*)"
                          r"\s*\(?\s*$")
# "600 mg, given as two 300 mg shots", "1,000 mg, split into 2 doses": the amount is several doses
_PARTS_AFTER = re.compile(r",?\s*(?:(?:given|taken|injected|split|divided)\s+)?(?:as|in|into)\s+(?P<n>[0-9]+|two|three|"
                          r"four|five|six)\s+(?:equal\s+|separate\s+)?(?:[0-9][0-9.,]*\s*[A-Za-z]+\s+)?(?:shots|"
                          r"injections|tablets|capsules|puffs|sprays|doses|infusions|syringes|pens)\b", re.I)
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_NUTRIENTS = frozenset(("vitamin", "vitamins", "calcium", "iron", "zinc", "magnesium", "potassium", "sodium", "salt",
                        "sugar", "sugars", "glucose", "dextrose", "fructose", "lactose", "fiber", "fibre", "protein",
                        "folic", "folate", "fluoride", "iodine", "caffeine", "alcohol", "water", "milk", "juice",
                        "formula", "fat", "carbohydrate", "carbohydrates", "carbs", "biotin", "niacin", "thiamine",
                        "riboflavin", "selenium", "copper", "phosphorus", "phosphate", "chloride", "bicarbonate",
                        "electrolytes", "cholesterol", "omega-3", "food"))
# International nonproprietary name stems (WHO): a word ending so next to an amount names a medicine
_MEDICINE = re.compile(
    r"[a-z]{2,}(?:profen|cillin|mycin|micin|cycline|floxacin|azole|statin|pril|sartan|olol|dipine|semide|"
    r"thiazide|tidine|prazole|vir|mab|cept|parin|xaban|gatran|gliptin|glutide|gliflozin|formin|triptan|setron|"
    r"tadine|phen|caine|sone|olone|zepam|zolam|barbital|codone|morphone|oxetine|pramine|triptyline|azepine|"
    r"peridol|apine|idone|tropium|terol|lukast|dronate|tinib|platin|rubicin|taxel|fungin|thyronine|mide|"
    r"pirin|oxacin|dazole)", re.I)
# words after "of" that mean this drug, not something else ("2 mL of the liquid")
_THIS = frozenset(("it", "this", "that", "medicine", "medication", "drug", "liquid", "suspension", "solution", "syrup",
                   "dose", "doses", "active", "ingredient", "tablet", "tablets", "capsule", "capsules", "each"))


def _clause_start(text: str, position: int) -> int:
    start = max(0, position - _WINDOW)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, start, position)]
    return ends[-1] if ends else start


def _clause_end(text: str, position: int) -> int:
    match = _CLAUSE_END.search(text, position, position + _WINDOW)
    return match.start() if match else min(len(text), position + _WINDOW)


class _Context(NamedTuple):
    before: str  # the clause up to the amount, or up to the first amount of its list
    own_before: str  # the words between the previous amount of its list (or the clause start) and this one
    after: str  # the clause after the amount, or after the last amount of its list


def _contexts(text: str, found: Sequence[Found]) -> Iterator[_Context]:
    """The words around each amount; the amounts of a list ("5 mg, 10 mg or 20 mg tablets") share them."""
    groups: list[list[Found]] = []
    for item in found:
        if groups and groups[-1][-1].end <= item.start:
            gap = text[groups[-1][-1].end:item.start]
            if len(gap) < 12 and _LIST_GAP.fullmatch(gap):
                groups[-1].append(item)
                continue
        groups.append([item])
    for group in groups:
        before = text[_clause_start(text, group[0].start):group[0].start]
        after = text[group[-1].end:_clause_end(text, group[-1].end)]
        previous_end = None
        for item in group:
            yield _Context(before, before if previous_end is None else text[previous_end:item.start], after)
            previous_end = item.end


def _refers_to_other(words: Iterable[str], names: frozenset[str]) -> bool:
    """Whether a few words next to an amount name something other than this drug."""
    for word in words:
        lower = word.lower().strip("'’")
        if lower in names:
            return False
        if lower in _NUTRIENTS or _MEDICINE.fullmatch(lower):
            return True
    return False


_NOT_NAMES = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                        "february", "march", "april", "may", "june", "july", "august", "september", "october",
                        "november", "december"))


def _is_name(word: str, names: frozenset[str]) -> bool:
    """A capitalised word that is not this drug's: a brand name (`Tylenol`). All-capital words are mostly
    abbreviations (`IV`), not names."""
    return (len(word) > 1 and word[0].isupper() and word[1:].islower() and word.lower() not in names
            and word.lower() not in _NOT_NAMES)


def _names_other_before(before: str, names: frozenset[str]) -> bool:
    """"vitamin D 400 units", "Tylenol 500 mg", "calcium (600 mg)": a name right before the amount."""
    match = _NAME_BEFORE.search(before)
    if match is None:
        return False
    w1, w2 = match["w1"], match["w2"]
    if _refers_to_other([w1] + ([w2] if w2 and len(w1) <= 3 else []), names):
        return True
    sentence_start = w2 is None and (match["lead"] is None or match["lead"] in ".!?:;")
    return not sentence_start and _is_name(w1, names)


def _names_other_after(after: str, names: frozenset[str]) -> bool:
    """"400 units of vitamin D", "5 mL of water", "500 mg acetaminophen"."""
    of = _OF_AFTER.match(after)
    if of is not None:
        words = [w.lower().strip("'’").removesuffix("'s").removesuffix("’s") for w in of["words"].split()]
        words = [w for w in words if w not in _ARTICLES]
        cut = next((i for i, w in enumerate(words) if w in _NOT_AN_ADJECTIVE), len(words))
        named = words[:cut]
        if any(w in names or w in _THIS for w in named):
            return False
        return bool(named) and not named[0][0].isdigit()
    word = _WORD_AFTER.match(after)
    if word is None:
        return False
    return _refers_to_other([word["word"]], names) or _is_name(word["word"], names)


_ARTICLES = frozenset(("the", "a", "an", "your", "their", "this", "that", "his", "her", "plain", "cold", "warm"))


def _is_strength(context: _Context) -> bool:
    if _STRENGTH_AFTER.match(context.after) or _STRENGTH_BEFORE.search(context.before):
        return True
    noun = _NOUN_AFTER.match(context.after)
    return noun is not None and not (set(noun["words"].lower().split()) & _NOT_AN_ADJECTIVE)


def _role(context: _Context, unit: units.Unit, names: frozenset[str]) -> Role:
    before, own, after = context.before, context.own_before, context.after
    if unit.kind is units.Kind.PERCENT:
        return Role.OTHER  # a statistic ("50% of people") or a cream's strength ("1% cream")
    if _PACK_BEFORE.search(before):
        return Role.OTHER
    if unit.kind in (units.Kind.VOLUME, units.Kind.COUNT) and re.search(r"\b(?:in|per|for)\s+(?:each|every|one|"
                                                                          r"a|1)?\s*$", own, re.I):
        return Role.STRENGTH  # the 5 mL of "125 mg in each 5 mL"
    if _is_strength(context):
        noun = _NOUN_AFTER.match(after)
        return Role.OTHER if noun is not None and _CONTAINER.fullmatch(noun["noun"]) else Role.STRENGTH
    if _names_other_after(after, names) or _names_other_before(before, names):
        return Role.OTHER
    if _CHANGE_BEFORE.search(own):
        return Role.CHANGE
    if _STEP_BEFORE.search(own):
        return Role.STEP
    if _MAXIMUM_BEFORE.search(before) or _OR_LESS.match(after):
        # "the doctor may raise it, up to 40 mg a day": where a titration ends, which the dosing may not hold
        return Role.STEP if _TITRATION_UP_TO.search(before) else Role.MAXIMUM
    if _THRESHOLD_BEFORE.search(before) or _OR_MORE.match(after):
        return Role.THRESHOLD
    if _TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(after):
        return Role.TOTAL
    return Role.DOSE


@functools.lru_cache(maxsize=128)
def _base(amount: str, per_body: str | None) -> units.Unit:
    """The unit an amount is compared in (`mg/kg`, without time), one object per unit: `judge` keys on it."""
    return units.Unit(_AMOUNT_NAMED[amount], per_body)


_SPAN_DAYS: dict[str, float] = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0}


def _measure(unit: units.Unit, after: str) -> tuple[units.Unit, float | None, bool] | None:
    """What an amount measures: its amount and body measure, with "per kilogram" and the like read into it;
    the days it is given over when it is a rate ("a day", "/week"); and whether the words may also mean how
    often a dose is given ("every day"). None for a measure a dose is never written in, such as per pound."""
    body, rest = unit.per_body, after
    if body is None:
        for pattern, measure in ((_PER_KG, "kg"), (_PER_M2, "m2"), (_PER_POUND, None)):
            match = pattern.match(rest)
            if match:
                if measure is None:
                    return None
                body, rest = measure, rest[match.end():]
                break
    days = _SPAN_DAYS.get(unit.per_time or "")
    if days is not None:
        return _base(unit.amount.name, body), days, False
    days = 1.0 if _DAILY.match(rest) else 7.0 if _WEEKLY.match(rest) else None
    either = days is not None and body == unit.per_body and _EVERY.match(rest) is not None
    return _base(unit.amount.name, body), days, either


def _count(word: str) -> int:
    return max(1, _SMALL_NUMBERS.get(word.lower()) or int(word))


def _parts(context: _Context) -> float:
    """How many doses the amount is a part of ("two shots of 100 mg each": 2), or 1 over how many doses it is
    ("600 mg, given as two 300 mg shots": 1/2)."""
    before = _PARTS_BEFORE.search(context.own_before)
    if before:
        return float(_count(before["n"]))
    after = _PARTS_AFTER.match(context.after)
    return 1 / _count(after["n"]) if after else 1.0


class _Amount(NamedTuple):
    """An amount with the words around it and what it measures, before its role is decided."""

    found: Found
    context: _Context
    base: units.Unit
    days: float | None
    either: bool

    def reading(self, role: Role, parts: float = 1.0) -> Reading:
        value = self.found.value if self.days is None else self.found.value / self.days
        if role is Role.DOSE and self.base.per_body is not None:
            role = Role.PER_WEIGHT
        return Reading(self.found.start, self.found.end, role, value, self.base, self.days is not None, parts,
                       self.found.value if self.either else None)


def _amounts(text: str, found: Iterable[Found], allowed: Sequence[Candidate] | None) -> Iterator[_Amount]:
    everything = {item.start: item for item in found}
    for item in spelled_out(text):
        everything.setdefault(item.start, item)
    amounts = [everything[start] for start in sorted(everything)]
    bases = list({id(c.base): c.base for c in allowed or ()}.values())
    for item, context in zip(amounts, _contexts(text, amounts), strict=True):
        if allowed is not None and not any(units.same_amount_kind(item.unit, base) for base in bases):
            continue  # an amount of a kind the dosing has none of cannot be judged
        measured = _measure(item.unit, context.after)
        if measured is not None and math.isfinite(item.value) and item.value > 0:
            yield _Amount(item, context, *measured)


def _names_of(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n.lower() for name in names for n in (name, *name.split()))


def read(text: str, found: Iterable[Found], names: Iterable[str] = ()) -> tuple[Reading, ...]:
    """Every amount in `text` (the scanner's, and the ones `spelled_out` adds) with its role.

    `names` are this drug's names (brand, generic): an amount next to one of them is this drug's."""
    known = _names_of(names)
    return tuple(amount.reading(_role(amount.context, amount.found.unit, known), _parts(amount.context))
                 for amount in _amounts(text, found, None))


def disagreements(text: str, found: Iterable[Found], names: Iterable[str],
                  allowed: Sequence[Candidate]) -> Iterator[tuple[Reading, Verdict]]:
    """The amounts in `text` that disagree with the dosing, read and judged (`read`, `judge`).

    An amount that agrees with the dosing both as a dose and as a maximum agrees whatever its role, so the
    words around it are read only for the few that do not."""
    known = _names_of(names)
    for amount in _amounts(text, found, allowed):
        dose = amount.reading(Role.DOSE)
        if _compare(dose, allowed)[0] or (judge(dose, allowed) is None
                                          and judge(amount.reading(Role.MAXIMUM), allowed) is None):
            continue
        reading = amount.reading(_role(amount.context, amount.found.unit, known), _parts(amount.context))
        verdict = judge(reading, allowed)
        if verdict is not None:
            yield reading, verdict


# --- what the dosing allows the text to say -------------------------------------------------------------

_TOLERANCE = 1e-9


def _positive(value: Any) -> float | None:
    """A YAML number as a float, or None: not a number, not above 0, or past float range (a 400-digit integer)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= sys.float_info.max:
        return None
    return float(value)


def number(value: float) -> str:
    """A number as a page shows it: 875, 0.2, 1,000, 1.1 × 10^14."""
    if not math.isfinite(value):
        return str(value)
    if value >= 1e6:
        mantissa, exponent = f"{value:e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')} × 10^{int(exponent)}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def _span(low: float, high: float, unit: str) -> str:
    if math.isinf(high):
        return f"{number(low)} {unit} or more"
    return f"{number(low)} {unit}" if math.isclose(low, high) else f"{number(low)} to {number(high)} {unit}"


def _quantity(value: Any) -> tuple[float, float, units.Unit] | None:
    """(low, high, unit) of a `dose` or `max_dose` block, or None when it is not well formed."""
    if not isinstance(value, Mapping) or not isinstance(value.get("unit"), str):
        return None
    unit = units.parse(value["unit"])
    single = _positive(value.get("value"))
    low, high = (single, single) if single is not None else (_positive(value.get("low")), _positive(value.get("high")))
    if unit is None or low is None or high is None or low > high:
        return None
    return low, high, unit


def _weight_limit(entry: Mapping[str, Any]) -> float | None:
    band = entry.get("weight_range")
    under = band.get("under") if isinstance(band, Mapping) else None
    if not isinstance(under, str) or re.fullmatch(r"[0-9]+(?:\.[0-9]+)? kg", under) is None:
        return None
    return _positive(float(under.split()[0]))


def _native(low: float, high: float, unit: units.Unit, says: str, derived: bool = False) -> Candidate:
    """A candidate as the dosing writes it: per dose, or per day for a rate (`mg/kg/day`, `mcg/kg/min`)."""
    days = _SPAN_DAYS.get(unit.per_time or "")
    scale = 1 / days if days is not None else 1.0
    ends = () if derived else tuple(sorted({low * scale, high * scale}))
    return Candidate(low * scale, high * scale, _base(unit.amount.name, unit.per_body), days is not None, ends,
                     says, derived)


@functools.lru_cache(maxsize=256)  # a corpus has a few dozen frequencies
def _doses_a_day(written: str) -> tuple[float, float] | None:
    """The fewest and most doses a day a `frequency` allows (`medlint.frequency`), or None for no rate."""
    parsed = frequency.parse(written)
    if parsed is None or parsed.per_day is None:
        return None
    return float(parsed.per_day[0]), float(parsed.per_day[1])


def _rated(candidate: Candidate, rate: tuple[float, float], written: str) -> Candidate | None:
    """The same candidate per day (a dose times the doses a day) or per dose (a daily amount divided)."""
    fewest, most = rate
    base = candidate.base.text
    if not candidate.daily:
        low, high = candidate.low * fewest, candidate.high * most
        ends = tuple(sorted({end * f for end in candidate.ends for f in (fewest, most) if f > 0}))
        return candidate._replace(low=low, high=high, daily=True, ends=ends,
                                  says=f"{_span(low, high, base)} a day ({candidate.says} {written})")
    if most == 0:
        return None
    low, high = candidate.low / most, candidate.high / fewest if fewest > 0 else math.inf
    ends = tuple(sorted({end / f for end in candidate.ends for f in (fewest, most) if f > 0}))
    return candidate._replace(low=low, high=high, daily=False, ends=ends,
                              says=f"{_span(low, high, base)} a dose ({candidate.says} {written})")


def _entry_candidates(entry: Mapping[str, Any]) -> Iterator[Candidate]:
    dose = _quantity(entry.get("dose"))
    if dose is None:
        return
    low, high, unit = dose
    native = [_native(low, high, unit, _span(low, high, unit.text))]
    cap = _quantity(entry.get("max_dose"))
    if cap is not None:
        native.append(_native(cap[1], cap[1], cap[2], f"a maximum of {number(cap[1])} {cap[2]}")._replace(cap=True))
    if unit.per_body is not None:
        # a weight-based dose: a worked example or a weight band's dose may be any amount up to the cap
        if cap is not None and cap[2].per_body is None:
            native.append(_native(0.0, cap[1], cap[2], f"any amount up to the cap of {number(cap[1])} {cap[2]}",
                                  derived=True))
        else:
            fixed = units.Unit(unit.amount, None, unit.per_time)
            limit = _weight_limit(entry) if unit.per_body == "kg" else None
            top = math.inf if limit is None else high * limit
            says = (f"an amount that depends on body weight ({_span(low, high, unit.text)})" if limit is None
                    else f"any amount up to {number(high)} {unit} for {number(limit)} kg")
            native.append(_native(0.0, top, fixed, says, derived=True))
    written = entry.get("frequency")
    rate = _doses_a_day(written) if isinstance(written, str) else None
    for candidate in native:
        yield candidate
        if rate is not None and isinstance(written, str):
            other = _rated(candidate, rate, written)
            if other is not None:
                yield other


def candidates(entries: Iterable[Mapping[str, Any]]) -> tuple[Candidate, ...]:
    """What the structured dosing allows the text to say: every dose and cap, per dose and per day."""
    return tuple(c for entry in entries for c in _entry_candidates(entry))


# --- judging an amount ------------------------------------------------------------------------------------

_FOLDS = {1: "tenfold", 2: "100-fold", 3: "1,000-fold"}
_factor = functools.lru_cache(maxsize=1024)(units.factor)  # a corpus compares a few pairs of units, many times



def _inside(value: float, candidate: Candidate) -> bool:
    return candidate.low * (1 - _TOLERANCE) <= value <= candidate.high * (1 + _TOLERANCE)


def _quote(end: float, candidate: Candidate) -> str:
    """The dosing amount a slip is measured from, as the dosing writes it where it is one amount."""
    if len(candidate.ends) == 1:
        return candidate.says
    return f"{number(end)} {candidate.base}" + (" a day" if candidate.daily else "")


def _swap(reading: Reading, kind: Sequence[Candidate]) -> str | None:
    """The same number as the dosing in another unit of the same kind: mcg for mg, L for mL, units for units/kg."""
    for candidate in kind:
        if candidate.base == reading.base:
            continue
        for end in candidate.ends:
            if not math.isclose(reading.value, end, rel_tol=_TOLERANCE):
                continue
            ratio = _factor(reading.base, candidate.base)
            if ratio is not None:
                what = f"a {number(max(ratio, 1 / ratio))}-fold difference"
            elif reading.base.per_body is None:
                what = f"the dose for each {_BODY[candidate.base.per_body or '']} given as the whole dose"
            elif candidate.base.per_body is None:
                what = f"the whole dose given for each {_BODY[reading.base.per_body]}"
            else:
                what = f"per {_BODY[reading.base.per_body]} where the dosing is per {_BODY[candidate.base.per_body]}"
            return f"the dosing says {_quote(end, candidate)}: the same number in another unit ({what})"
    return None


_BODY = {"kg": "kilogram of body weight", "m2": "square meter of body surface", "": ""}


def _slip(reading: Reading, comparable: Sequence[tuple[Candidate, float]]) -> str | None:
    """A dosing amount times a power of ten."""
    for candidate, factor in comparable:
        for end in candidate.ends:
            for value in {reading.value, reading.value * reading.parts}:
                ratio = value * factor / end if end > 0 else 0.0
                if not 0 < ratio < math.inf:
                    continue
                power = round(math.log10(ratio))
                if power in (-3, -2, -1, 1, 2, 3) and math.isclose(ratio, 10.0 ** power, rel_tol=1e-6):
                    way = "more" if power > 0 else "less"
                    return f"the dosing says {_quote(end, candidate)}: a {_FOLDS[abs(power)]} difference ({way})"
    return None


def judge(reading: Reading, allowed: Sequence[Candidate]) -> Verdict | None:
    """Why a prose amount disagrees with the dosing, or None when it agrees or is not compared. Where the
    words allow two readings ("40 mg every week"), the kinder verdict stands."""
    verdict = _compare(reading, allowed)[1]
    if verdict is None or reading.per_dose is None or verdict.swapped:
        return verdict
    other = _compare(reading._replace(value=reading.per_dose, daily=False, per_dose=None), allowed)[1]
    return other if other is None or (verdict.dangerous and not other.dangerous) else verdict


def _compare(reading: Reading, allowed: Sequence[Candidate]) -> tuple[bool, Verdict | None]:
    """Whether the amount is a dose or cap as the dosing writes it (then it agrees as any role), and the verdict."""
    if reading.role not in COMPARED:
        return False, None
    lenient = reading.role is Role.MAXIMUM  # a cap in mg may be a daily cap; "up to 45 mg/kg" may be per day
    kind = [c for c in allowed
            if (lenient or c.daily == reading.daily) and units.same_amount_kind(c.base, reading.base)]
    factors = {id(c.base): _factor(reading.base, c.base) for c in {id(c.base): c for c in kind}.values()}
    comparable = [(c, f) for c in kind if (f := factors[id(c.base)]) is not None]
    values = {reading.value, reading.value * reading.parts}
    if any(_inside(v * f, c) for c, f in comparable if not c.derived for v in values):
        return True, None
    swapped = _swap(reading, kind)
    if swapped is not None:
        return False, Verdict(True, swapped, swapped=True)
    if any(_inside(v * f, c) for c, f in comparable if c.derived for v in values):
        return False, None
    slipped = _slip(reading, comparable)
    # a titration may start below the dosing range; only a step above every dose by a power of ten is a slip
    above = all(reading.value * f > c.high for c, f in comparable)
    if slipped is not None and (reading.role is not Role.STEP or above):
        return False, Verdict(True, slipped)
    if reading.role is Role.STEP or not comparable:
        return False, None
    caps = [c for c, _ in comparable if c.cap] if reading.role is Role.MAXIMUM else []
    says = list(dict.fromkeys(c.says for c in caps or [c for c, _ in comparable]))
    more = f" (and {len(says) - 4} more)" if len(says) > 4 else ""
    return False, Verdict(False, "the dosing says " + "; ".join(says[:4]) + more)
