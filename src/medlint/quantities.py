"""The amounts in a record's prose, read the way a reader reads them.

`medlint.prose_numbers` finds every number followed by a dose unit in the prose (`500 mg`, `0.2 units/kg`);
this module also finds units written out (`5 milligrams`) and litres, which house style does not use but a
swapped unit may. A reader does not take every amount for a dose: "125 mg in each 5 mL" is a strength,
"each pen holds 300 units" a pack size, "vitamin D 400 units" another substance, "more than 4 g can harm
the liver" a threshold. So each amount gets a role from the words around it (`Role`), and what it measures
from them too: "14 mg per kilogram each day" is 14 mg/kg a day. `medlint.agreement` compares the doses,
per-weight doses and maxima with the structured dosing.
"""
from __future__ import annotations

import enum
import functools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from . import numbers, units
from .lazyre import Lazy


class Role(enum.StrEnum):
    """What an amount in the prose is; the value is how a message names it."""

    DOSE = "a dose"
    PER_WEIGHT = "a per-weight dose"
    MAXIMUM = "a maximum"
    STEP = "a titration step"
    CHANGE = "a change in dose"  # "increase by 25 mg": a difference between doses, never a dose
    STRENGTH = "a strength or concentration"
    OTHER = "an amount of something else"  # another medicine, a nutrient, water, a pack size
    THRESHOLD = "a threshold or a warning"  # "more than 4 g can harm the liver", "never take 50 mg at once"
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


# --- finding the amounts the scanner does not ------------------------------------------------------------

_LITRE = units.Amount("L", units.Kind.VOLUME, "L", exponent=3)  # mL is the house reference (exponent 0)
_WORDS: dict[str, units.Amount] = {
    "milligram": units.AMOUNTS["mg"], "microgram": units.AMOUNTS["mcg"], "gram": units.AMOUNTS["g"],
    "milliliter": units.AMOUNTS["mL"], "millilitre": units.AMOUNTS["mL"], "liter": _LITRE, "litre": _LITRE,
    "L": _LITRE, "unit": units.AMOUNTS["units"],
}
_AMOUNT_NAMED = {**units.AMOUNTS, "L": _LITRE}
# the look-behind after the first digit, as in the scanner: the search can then skip quickly to digits
_SPELLED = re.compile(r"(?P<num>[0-9](?<![\w.,][0-9])(?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?) ?"
                      r"(?P<unit>milligram|microgram|gram|millilit(?:er|re)|lit(?:er|re)|L|unit)(?P<plural>s?)"
                      r"(?P<per>/kg|/m2)?(?![\w/])")


def spelled_out(text: str) -> Iterator[Found]:
    """Amounts in units the house vocabulary does not have but a reader knows: `5 milligrams`, `2 L`, `1 unit`."""
    for match in _SPELLED.finditer(text):
        if match["unit"] == "unit" and match["plural"]:
            continue  # `units` is a house unit: the scanner has it
        value = numbers.scaled(match["num"])
        if value is None:  # past float range: no amount anyone doses
            continue
        unit = units.Unit(_WORDS[match["unit"]], match["per"][1:] if match["per"] else None)
        yield Found(match.start(), match.end(), value, unit)


# --- the words around an amount --------------------------------------------------------------------------

_WINDOW = 90  # characters either side that the reader looks at; a clause is rarely longer
_CLAUSE_END = re.compile(r"[.!?;:](?:\s|$)|\n|\)")
_FORMS = (r"tablets?|caplets?|capsules?|puffs?|sprays?|actuations?|inhalations?|drops?|patch(?:es)?|"
          r"suppositor(?:y|ies)|lozenges?|sachets?|packets?|chewables?|gumm(?:y|ies)|pills?|softgels?|"
          r"mL|milliliters?|millilitres?|teaspoons?(?:ful)?|tablespoons?|spoonfuls?|g|grams?")
_CONTAINERS = (r"pens?|vials?|bottles?|cartridges?|syringes?|inhalers?|canisters?|tubes?|packs?|kits?|"
               r"box(?:es)?|cartons?|bags?|ampoules?|ampules?|autoinjectors?|injectors?|devices?|spoons?|"
               r"cups?|droppers?|containers?|jars?|dispensers?")
_PRODUCTS = (r"suspension|solution|syrup|liquid|elixir|cream|gel|ointment|lotion|foam|strengths?|sizes?|products?|"
             r"forms?")
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
_HOURLY = re.compile(r"\s*(?:an|per|each|every|/)\s*hour\b|\s*hourly\b", re.I)
_WEEKLY = re.compile(r"\s*(?:(?:a|per|each|every|/)\s*week\b|weekly\b|(?:in|over|within)\s+(?:a|one|1|each)\s+"
                     r"week\b)", re.I)
# a rate ("1,000 mg daily"), or how often a dose is given ("40 mg every week")
_EVERY = re.compile(r"\s*(?:every\s+(?:day|week)|daily|weekly)\b", re.I)
_TOTAL_AFTER = Lazy(r"\s*(?:in\s+(?:total|all|a\s+lifetime)|altogether|over\s+(?:a|the|your)\s+"
                          r"(?:whole\s+)?(?:lifetime|course|treatment))\b", re.I)
_STRENGTH_AFTER = re.compile(r"\s*(?:in|per|for|/)\s+(?:(?:each|every|one|a|1|the)\s+)?(?:[0-9][0-9.,]*\s*)?"
                             rf"(?:{_FORMS}|L|lit(?:er|re)s?)\b", re.I)
_NOUN_AFTER = re.compile(r"[\s-]*(?P<words>(?:[A-Za-z][\w-]*\s+){0,2}?)"
                         rf"(?P<noun>{_FORMS}|{_CONTAINERS}|{_PRODUCTS})\b", re.I)
_CONTAINER = Lazy(_CONTAINERS, re.I)
_OR_MORE = Lazy(r"\s*(?:or|and)\s+(?:more|higher|above|over|up)\b", re.I)
_OR_LESS = Lazy(r"\s*(?:or\s+(?:less|lower|fewer|under)|at\s+(?:the\s+)?most)\b", re.I)
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
                               r"|minimum(?:\s+dose)?(?:\s+(?:is|of))?"
                               r"|(?:do\s+not|don't|never|must\s+not|should\s+not)\s+(?:take|give|use|inject))")
# a warning about too much, not a dose: "an overdose of 10 g can damage the liver", "50 mg at once can be fatal"
_HARM = Lazy(r"\b(?:overdose|poisoning|toxic|fatal|deadly|too\s+much|by\s+mistake|mistakenly)\b", re.I)
_TOTAL_BEFORE = _ends_with(r"\b(?:a\s+total\s+of|in\s+total|total(?:\s+dose)?(?:\s+(?:is|of))?|altogether"
                           r"|lifetime(?:\s+dose)?(?:\s+(?:is|of))?)")
_PARTS_BEFORE = re.compile(r"\b(?P<n>[0-9]+|two|three|four|five|six)\s+(?:[a-z-]+\s+)?(?:shots|injections|"
                           r"tablets|capsules|puffs|sprays|doses|infusions|syringes|pens|vials|drops|pills)\s+"
                           r"of\s+$", re.I)
# between the amounts of a list: "5 mg, 10 mg or 20 mg", "a 100 mcg or a 200 mcg inhaler"
_LIST_GAP = Lazy(r"\s*(?:,|,?\s+(?:and|or|to)|\s*[-–—])(?:\s+(?:a|an|the))?\s*$")
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
                   "dose", "doses", "active", "ingredient", "tablet", "tablets", "capsule", "capsules", "each", "gel",
                   "cream", "ointment", "lotion", "foam", "powder", "granules", "injection", "shot", "vaccine"))


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
    # the words before the previous amount in the same clause, and those between it and this one
    previous: tuple[str, str] | None = None


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
    last: tuple[int, str] | None = None  # the end of the previous list and the words before it
    for group in groups:
        clause = _clause_start(text, group[0].start)
        before = text[clause:group[0].start]
        after = text[group[-1].end:_clause_end(text, group[-1].end)]
        previous = (last[1], text[last[0]:group[0].start]) if last is not None and last[0] >= clause else None
        previous_end = None
        for item in group:
            own = before if previous_end is None else text[previous_end:item.start]
            yield _Context(before, own, after, previous)
            previous_end = item.end
        last = (group[-1].end, before)


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
    if w2 and w2.lower() in names:
        return False  # "EpiPen Jr (0.15 mg)": a name of this drug's product
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


def _continues_other(context: _Context, names: frozenset[str]) -> bool:
    """"dexamethasone is 12 mg on day 1 and 8 mg on days 2 to 4": the 8 mg is dexamethasone's too, when the
    amount before it in the clause named another substance and nothing between names this drug."""
    if context.previous is None:
        return False
    before, between = context.previous
    if any(word.lower() in names or word.lower() in _THIS for word in re.findall(r"[\w'’-]+", between)):
        return False
    return _names_other_before(before, names) or _names_other_after(between, names)


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
    if _names_other_after(after, names) or _names_other_before(before, names) or _continues_other(context, names):
        return Role.OTHER
    if _CHANGE_BEFORE.search(own):
        return Role.CHANGE
    if _STEP_BEFORE.search(own):
        return Role.STEP
    if _MAXIMUM_BEFORE.search(before) or _OR_LESS.match(after):
        # "the doctor may raise it, up to 40 mg a day": where a titration ends, which the dosing may not hold
        return Role.STEP if _TITRATION_UP_TO.search(before) else Role.MAXIMUM
    if _THRESHOLD_BEFORE.search(before) or _OR_MORE.match(after) or _HARM.search(before) or _HARM.search(after):
        return Role.THRESHOLD
    if _TOTAL_BEFORE.search(before) or _TOTAL_AFTER.match(after):
        return Role.TOTAL
    return Role.DOSE


@functools.lru_cache(maxsize=128)
def base(amount: str, per_body: str | None) -> units.Unit:
    """The unit an amount is compared in (`mg/kg`, without time): one object per unit, so comparisons can key
    on it."""
    return units.Unit(_AMOUNT_NAMED[amount], per_body)


SPAN_DAYS: dict[str, float] = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0}


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
    days = SPAN_DAYS.get(unit.per_time or "")
    if days is not None:
        return base(unit.amount.name, body), days, False
    days = (1.0 if _DAILY.match(rest) else 7.0 if _WEEKLY.match(rest)
            else SPAN_DAYS["hour"] if _HOURLY.match(rest) else None)
    either = days is not None and body == unit.per_body and _EVERY.match(rest) is not None
    return base(unit.amount.name, body), days, either


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


class Amount(NamedTuple):
    """An amount with the words around it and what it measures, before its role is decided."""

    found: Found
    context: _Context
    base: units.Unit
    days: float | None
    either: bool

    def read(self, names: frozenset[str]) -> Reading:
        """The amount with the role the words around it give it (`names`: this drug's, from `names_of`)."""
        return self.reading(_role(self.context, self.found.unit, names), _parts(self.context))

    def reading(self, role: Role, parts: float = 1.0) -> Reading:
        """The amount taken as `role`, whatever the words around it say."""
        value = self.found.value if self.days is None else self.found.value / self.days
        if role is Role.DOSE and self.base.per_body is not None:
            role = Role.PER_WEIGHT
        return Reading(self.found.start, self.found.end, role, value, self.base, self.days is not None, parts,
                       self.found.value if self.either else None)


def amounts(text: str, found: Iterable[Found], kinds: Sequence[units.Unit] = ()) -> Iterator[Amount]:
    """Every amount in `text` (the scanner's, and the ones `spelled_out` adds), with the words around it;
    with `kinds`, only the amounts that measure the same kind of amount as one of them."""
    everything = {item.start: item for item in found}
    for item in spelled_out(text):
        everything.setdefault(item.start, item)
    found_all = [everything[start] for start in sorted(everything)]
    for item, context in zip(found_all, _contexts(text, found_all), strict=True):
        if kinds and not any(units.same_amount_kind(item.unit, kind) for kind in kinds):
            continue
        measured = _measure(item.unit, context.after)
        if measured is not None and math.isfinite(item.value) and item.value > 0:
            yield Amount(item, context, *measured)


def names_of(names: Iterable[str]) -> frozenset[str]:
    """A drug's names as the reader matches them: `Insulin glargine` -> insulin glargine, insulin, glargine."""
    return frozenset(n.lower() for name in names for n in (name, *name.split()))


def read(text: str, found: Iterable[Found], names: Iterable[str] = ()) -> tuple[Reading, ...]:
    """Every amount in `text` (the scanner's, and the ones `spelled_out` adds) with its role.

    `names` are this drug's names (brand, generic): an amount next to one of them is this drug's."""
    known = names_of(names)
    return tuple(amount.read(known) for amount in amounts(text, found))


