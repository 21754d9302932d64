"""Pediatric versus adult dose labelling: who the indication covers, who each dose entry is for, and what the
labels and text say about it must agree (house policy; docs/record-format.md, `indication` and `dosing`).

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
from typing import Any, NamedTuple

from .. import frequency as freq, growth, numbers, units
from ..excerpt import quote
from ..lazyre import Lazy
from ..model import Hit, Pointer, Severity
from ..record import Record
from .base import Docs, Option, Rule, RuleContext
from .fields import Occurrences, Sentences, dose_entries, prose

_OTHER = {"pediatric": "adult", "adult": "pediatric"}
_WHO = {"pediatric": "children", "adult": "adults"}  # how a message names a population
_LABEL = {"pediatric": "Pediatric dose", "adult": "Adult dose"}
_FDA_POPULATIONS = ("21 CFR 201.57(c)(2), (c)(3) and (c)(9)(iv): indications and usage, dosage and administration, "
                    "and pediatric use, each stated for the population it applies to")
_POLICY = "House policy on pediatric versus adult dose labelling"
_FORMAT = "docs/record-format.md: `indication.population`, `dosing[].population`, `dosing[].label`"

# --- words that name a population ---------------------------------------------------------------

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
_NAMED = {pop: re.compile(rf"\b(?:{terms})\b(?!-)", re.IGNORECASE) for pop, terms in _TERMS.items()}

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


_DOSING = {pop: _dosing_pattern(terms) for pop, terms in _TERMS.items()}

_BOUNDARY = re.compile(r"[.!?;](?=\s)")
_NEGATION = re.compile(r"\b(?:not|no|never|cannot|without|nor)\b|n't\b", re.IGNORECASE)
# "less than the adult dose", "the same as for adults", "an accidental dose in a child": not a dose to give
_NOT_A_DOSE = re.compile(r"\b(?:than|as)\s+(?:(?:the|an?|for|in|to)\s+)*$"
                         r"|\b(?:accidental|extra|missed|double|wrong)\s+$", re.IGNORECASE)
_SAFEKEEPING = re.compile(r"\b(?:reach|sight)\s+(?:and\s+(?:reach|sight)\s+)?of\s+(?:small\s+|young\s+)?$"
                          r"|\baway\s+from\s+(?:small\s+|young\s+)?$", re.IGNORECASE)
_NEGATED_AFTER = re.compile(r"[^.;!?]{0,40}?\b(?:is|are|has|have|was|were)\s+(?:not|never)\b"
                            r"|[^.;!?]{0,25}?\bnot\s+(?:been\s+)?(?:established|studied|known|approved)", re.IGNORECASE)
_MATERNAL = re.compile(r"pregnan|mother|breast-?fe|nursing", re.IGNORECASE)


_WINDOW = 120  # characters before a mention that `than the`, `out of reach of` and the like are read in


class _Context:
    """What `_meant` reads around each mention in one text, found once for the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = Sentences(text, _BOUNDARY)
        self.negations = Occurrences(text, _NEGATION)
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


def _mentions(text: str, population: str) -> bool:
    """Whether text may name the population (a cheap screen before the patterns)."""
    lowered = text.lower()
    return any(stem in lowered for stem in _STEMS[population])


def _meant_matches(text: str, pattern: re.Pattern[str] | Lazy, population: str) -> Iterator[re.Match[str]]:
    if not _mentions(text, population):
        return iter(())
    context = _Context(text)
    return (match for match in pattern.finditer(text) if _meant(context, match, population))


# --- record access ----------------------------------------------------------------------------

def _indication(record: Record) -> dict[str, Any]:
    indication = record.data.get("indication")
    return indication if isinstance(indication, dict) else {}


def _only(record: Record) -> str | None:
    """The population of a single-population indication (`pediatric` or `adult`), else None."""
    population = _indication(record).get("population")
    return population if isinstance(population, str) and population in _OTHER else None  # a list is unhashable


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _subject(index: int, entry: dict[str, Any]) -> str:
    return quote(_text(entry.get("label"))) or f"dosing[{index}]"


# --- ML401 dose for the population the indication excludes --------------------------------------

def _entry_mismatch(index: int, entry: dict[str, Any], only: str) -> Iterator[Hit]:
    """A label that names the excluded population (the seed's "Common adult dosing range") and an entry for the
    excluded population are two defects, each reported where it is written."""
    excluded = _OTHER[only]
    label = _text(entry.get("label"))
    scope = f"the indication is for {_WHO[only]} only (`indication.population: {only}`)"
    if _NAMED[excluded].search(label):
        yield Hit(("dosing", index, "label"), f"the dose label `{quote(label)}` names {_WHO[excluded]} but {scope}: "
                                               f"readers will take it as a dose for {_WHO[excluded]}",
                  f"label it for the {_WHO[only]} it is for, e.g. `{_LABEL[only]}`", subject=label)
    if entry.get("population") == excluded:
        yield Hit(("dosing", index, "population"),
                  f"this entry is a dose for {_WHO[excluded]} (`population: {excluded}`) but {scope}",
                  f"write `population: {only}` if it is for {_WHO[only]}; otherwise remove the entry, or set "
                  "`indication.population: all`", on_key=True, subject=f"{_subject(index, entry)} population")


def _check_dose_population(record: Record, context: RuleContext) -> Iterator[Hit]:
    only = _only(record)
    if only is None:
        return
    excluded = _OTHER[only]
    for index, entry in dose_entries(record):
        yield from _entry_mismatch(index, entry, only)
    texts = [(pointer, text) for pointer, text in prose(record, labels=False)
             if pointer[0] != "indication"]  # ML407 reads the indication's own text
    if not _mentions("\n".join(text for _, text in texts), excluded):
        return
    for pointer, text in texts:
        for match in _meant_matches(text, _DOSING[excluded], excluded):
            yield Hit(pointer, f"`{match.group(0)}` speaks of dosing for {_WHO[excluded]}, but the indication is for "
                               f"{_WHO[only]} only: the page must not give or point to a dose for {_WHO[excluded]}",
                      f"remove it, or state the dose for {_WHO[only]}", match.start(), match.end(),
                      subject=match.group(0))


def _dose(label: str, population: str, value: str = "1.1e14", unit: str = "vector genomes/kg",
          extra: str = "") -> str:
    """One dose entry for docs examples."""
    return (f"  - label: {label}\n    population: {population}\n    dose:\n      value: {value}\n"
            f"      unit: {unit}\n{extra}    route: intravenous\n    frequency: once\n")


DOSE_POPULATION_MISMATCH = Rule(
    code="ML401", name="dose-population-mismatch", family="population", severity=Severity.ERROR,
    summary="A dose for adults on a pediatric-only indication, or a dose for children on an adult-only one.",
    check=_check_dose_population,
    docs=Docs(
        what="On an indication for one population only (`indication.population: pediatric` or `adult`), reports "
             "a dose entry for the other population (at its `population`), a dose label that names the other "
             "population (`Common adult dosing range` on a pediatric-only indication; an adult entry with such "
             "a label is two findings, one per line to fix), and prose that speaks of dosing for it "
             "(`adult dose`, `dose for children`, `Adults: 500 mg`, `Children take 5 mL`). Everyday words "
             "name a population too: `grown-ups`, `grownups`, `kids`, `little ones`, `newborns`, "
             "`teenagers`. Negated mentions "
             "(`not for use in children`), comparisons (`less than the adult dose`) and safe keeping (`out of "
             "the reach of children`) are not reported; neither is `adulthood` or `adult-onset`.",
        why="The seed page showed a \"Common adult dosing range\" for a gene therapy approved only for children "
            "under 2 years. A reader, or a clinician skimming, takes such a line as permission to dose an "
            "adult, or looks for a child's dose in the wrong row.",
        example="dosing:\n" + _dose("Common adult dosing range", "adult"),
        use_instead="dosing:\n" + _dose("Pediatric dose", "pediatric"),
        references=(_POLICY + " (no adult dose on a pediatric-only indication, and the mirror)", _FDA_POPULATIONS,
                    _FORMAT),
    ),
)


# --- ML402 label contradicts its entry ---------------------------------------------------------

def _check_label(record: Record, context: RuleContext) -> Iterator[Hit]:
    if _only(record) is not None:
        return  # on a single-population indication every such conflict is an ML401 finding
    for index, entry in dose_entries(record):
        population, label = entry.get("population"), _text(entry.get("label"))
        if not isinstance(population, str) or population not in _OTHER or _NAMED[population].search(label):
            continue  # "Adults and children 40 kg and over" names its own population too
        named = _NAMED[_OTHER[population]].search(label)
        if named:
            yield Hit(("dosing", index, "label"),
                      f"the label says `{named.group(0)}` but this entry is for {_WHO[population]} "
                      f"(`population: {population}`)",
                      f"make them agree: label it for {_WHO[population]} (e.g. `{_LABEL[population]}`), "
                      f"or write `population: {_OTHER[population]}`", subject=label)


_ALL = "indication:\n  condition: Spinal muscular atrophy (SMA)\n  population: all\n"


LABEL_POPULATION_MISMATCH = Rule(
    code="ML402", name="label-population-mismatch", family="population", severity=Severity.ERROR,
    summary="A dose entry's label names one population while its `population` says the other.",
    check=_check_label,
    docs=Docs(
        what="Reports a dose label that names adults (or grown-ups) while the entry's `population` is "
             "pediatric, or names children (pediatric, infants, newborns, kids, little ones, adolescents, "
             "teenagers...) while it is adult. A label that names both (`Adults "
             "and children 40 kg and over`) or neither (`Starting dose`) is fine. On a pediatric-only or "
             "adult-only indication such a label always names the population the indication excludes, and ML401 "
             "reports it instead.",
        why="The label is what readers see; `population` is what the page's filters, tables and checks use. "
            "When they disagree, a child's dose is shown under an adult heading or the other way round.",
        example=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "12", "mg")
                + _dose("Adult dose (under 2 years)", "pediatric", "1.1e14"),
        use_instead=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "12", "mg")
                    + _dose("Pediatric dose (under 2 years)", "pediatric", "1.1e14"),
        references=(_POLICY + " (a dose entry's label agrees with its population)", _FORMAT),
    ),
)


# --- ML403 population: all without both kinds of entry ---------------------------------------------

_NOT_ESTABLISHED = Lazy(
    r"\b(?:pa?ediatric|child(?:ren)?|infants?|adolescents?)\b[^.]{0,80}?\bnot\s+(?:yet\s+)?(?:been\s+)?"
    r"(?:established|studied|shown|known|approved)"
    r"|\bnot\s+(?:yet\s+)?(?:been\s+)?(?:established|studied|approved)\s+(?:for\s+use\s+)?(?:in|for)\s+"
    r"(?:pa?ediatric|child(?:ren)?|infants?|adolescents?)\b", re.IGNORECASE)


def _check_coverage(record: Record, context: RuleContext) -> Iterator[Hit]:
    if _indication(record).get("population") != "all":
        return
    present = {entry.get("population") for _, entry in dose_entries(record)}
    if not present:
        return  # no dose entries at all: the schema reports it
    for population in ("adult", "pediatric"):
        if population in present:
            continue
        if population == "pediatric" and any(_NOT_ESTABLISHED.search(text) for _, text in prose(record)):
            continue
        yield Hit(("indication", "population"),
                  f"`population: all` but there is no dose entry for {_WHO[population]}",
                  f"add {'an' if population == 'adult' else 'a'} {_LABEL[population].lower()} entry, "
                  f"set `population: {_OTHER[population]}`"
                  + (", or say that use in children is not established" if population == "pediatric" else ""),
                  subject=f"no {population} dose")


MISSING_POPULATION_DOSE = Rule(
    code="ML403", name="missing-population-dose", family="population", severity=Severity.ERROR,
    summary="An indication for all ages lacks an adult or a pediatric dose entry.",
    check=_check_coverage,
    docs=Docs(
        what="On `indication.population: all`, reports a missing adult dose entry and a missing pediatric "
             "dose entry. A missing pediatric entry is fine when the text says pediatric use is not "
             "established (`Safety and effectiveness in pediatric patients have not been established.`).",
        why="A page for adults and children that gives only one dose leaves the other group to guess, and "
            "readers do guess: usually by scaling the adult dose.",
        example=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "12", "mg"),
        use_instead=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "12", "mg")
                    + _dose("Pediatric dose", "pediatric", "12", "mg"),
        references=(_POLICY + " (`population: all` has adult and pediatric entries)", _FDA_POPULATIONS, _FORMAT),
    ),
)


# --- ML404 age ranges ---------------------------------------------------------------------------

_STATED_AGE = Lazy(r"([0-9]+(?:\.[0-9]+)?)[\s-]*(days?|weeks?|months?|years?)\b", re.IGNORECASE)
_SLACK = 0.5  # days: 24 months and 2 years are the same age


def _states_age(text: str, days: float) -> bool:
    """Whether text states this age ("in people 16 years and older" states 16 years)."""
    return any(abs(growth.days(m.group(1), m.group(2)) - days) < _SLACK
               for m in _STATED_AGE.finditer(text))


class _Range(NamedTuple):
    pointer: Pointer
    low: float | None
    high: float | None
    shown: dict[str, str]


def _range(pointer: Pointer, block: Any) -> _Range | None:
    if not isinstance(block, dict):
        return None
    shown = {key: quote(block[key]) for key in ("from", "under") if isinstance(block.get(key), str)}
    return _Range(pointer, growth.age_days(block.get("from")), growth.age_days(block.get("under")), shown)


_Problems = dict[str, tuple[str, str]]  # `from`/`under` -> (message, hint)


def _add(problems: _Problems, key: str, message: str, hint: str) -> None:
    problems.setdefault(key, (message, hint))  # the first problem found for a key wins


def _range_problems(age: _Range, population: Any, stated: str, adult: float, years: int) -> _Problems:
    """Problems of one age range, by key."""
    problems: _Problems = {}
    low, high = age.low, age.high
    shown_from, shown_under = age.shown.get("from"), age.shown.get("under")
    if low is not None and high is not None and low >= high - _SLACK:
        _add(problems, "from", f"the age range starts at {shown_from} but stops below {shown_under}",
             "`from` is the youngest age covered and `under` the age it stops below: check both")
    if population == "pediatric":
        if high is not None and high > adult + _SLACK:
            _add(problems, "under", f"a pediatric age range stops below {years} years at most, not {shown_under}",
                 f"write at most `under: {years} years`, or use an adult or all-ages population for older people")
        if low is not None and low >= adult - _SLACK:
            _add(problems, "from", f"a pediatric age range must start below {years} years, not at {shown_from}",
                 "correct the age, or the population")
    elif population == "adult":
        if low is not None and low < adult - _SLACK and not _states_age(stated, low):
            _add(problems, "from", f"an adult age range starts at {years} years, but this one starts at "
                                   f"{shown_from} and its text does not say so",
                 f"state the age in the text (`{shown_from} and older`) if the label says so; otherwise correct it")
        if high is not None and high <= adult + _SLACK:
            _add(problems, "under", f"this adult age range stops below {shown_under}, so it covers no adults",
                 "correct the age, or the population")
    elif population == "all":
        if high is not None and high <= adult + _SLACK:
            _add(problems, "under", f"`population: all` but the age range stops below {shown_under}, so it covers "
                                    "no adults", "write `population: pediatric`, or correct the age")
        if low is not None and low >= adult - _SLACK:
            _add(problems, "from", f"`population: all` but the age range starts at {shown_from}, so it covers no "
                                   "children", "write `population: adult`, or correct the age")
    return problems


def _outside(entry: _Range, indication: _Range) -> _Problems:
    """Where a dose entry's ages fall wholly outside the indication's."""
    problems: _Problems = {}
    hint = "correct the dose's ages, or the indication's"
    if entry.low is not None and indication.high is not None and entry.low >= indication.high - _SLACK:
        _add(problems, "from", f"this dose starts at {entry.shown['from']} but the indication covers only ages "
                               f"under {indication.shown['under']}", hint)
    elif entry.high is not None and indication.low is not None and entry.high <= indication.low + _SLACK:
        _add(problems, "under", f"this dose stops below {entry.shown['under']} but the indication starts at "
                                f"{indication.shown['from']}", hint)
    return problems


def _check_ages(record: Record, context: RuleContext) -> Iterator[Hit]:
    years = context.options["adult-age-years"]
    adult = years * growth.DAYS["year"]
    indication = _indication(record)
    stated = f"{_text(indication.get('condition'))} {_text(indication.get('qualifier'))}"
    main = _range(("indication", "age_range"), indication.get("age_range"))
    ranges: list[tuple[_Range, _Problems]] = []
    if main is not None:
        ranges.append((main, _range_problems(main, indication.get("population"), stated, adult, years)))
    for index, entry in dose_entries(record):
        age = _range(("dosing", index, "age_range"), entry.get("age_range"))
        if age is not None:
            problems = _range_problems(age, entry.get("population"), _text(entry.get("label")), adult, years)
            if main is not None:
                problems = {**_outside(age, main), **problems}
            ranges.append((age, problems))
    for age, problems in ranges:
        for key, (message, hint) in problems.items():
            yield Hit((*age.pointer, key), message, hint, subject=f"{'.'.join(map(str, age.pointer))}.{key}")


AGE_RANGE_MISMATCH = Rule(
    code="ML404", name="age-range-mismatch", family="population", severity=Severity.ERROR,
    summary="An age range that contradicts its population, the indication's ages, or itself.",
    check=_check_ages,
    options={"adult-age-years": Option(18, "the age at which adulthood starts")},
    docs=Docs(
        what="Checks `indication.age_range` and each `dosing[].age_range`: `from` is below `under`; a pediatric "
             "range stops below 18 years at most and starts below it; an adult range starts at 18 years unless "
             "its text (the indication's condition or qualifier, the entry's label) states the earlier age; a "
             "range for all ages covers both; a dose entry's range overlaps the indication's. A missing "
             "pediatric age range is a schema error (ML101), not this rule's. Ages in other units compare by "
             "length: 24 months is 2 years.",
        why="Age ranges decide who a page is for. A pediatric indication `under: 21 years` or a pediatric dose "
            "for ages the indication does not cover tells a reader a dose is approved where it is not.",
        example="indication:\n  condition: Spinal muscular atrophy (SMA)\n  population: pediatric\n  age_range:\n"
                "    under: 21 years\n",
        use_instead="indication:\n  condition: Spinal muscular atrophy (SMA)\n  population: pediatric\n  age_range:\n"
                    "    under: 2 years\n",
        references=(_POLICY + " (pediatric: under 18 years at most; adult: from 18 years)",
                    "ICH E11(R1): clinical investigation of medicinal products in the pediatric population",
                    _FORMAT),
    ),
)


# --- dose amounts ----------------------------------------------------------------------------------

def _quantity(block: Any, *keys: str) -> tuple[float, units.Unit] | None:
    """The largest of `keys` in a dose or max_dose block, with its house unit (None when not house style:
    the units rules report that)."""
    if not isinstance(block, dict) or not isinstance(block.get("unit"), str):
        return None
    unit = units.parse(block["unit"])
    # a number beyond float range is the loader's finding (ML005); compared here, it would overflow
    values = [v for v in (numbers.finite(block.get(key)) for key in keys) if v is not None]
    return (max(values), unit) if unit is not None and values else None


# --- ML405 weight-based pediatric dose without a cap -------------------------------------------------

class _Reach(NamedTuple):
    """The weight at which a child's per-kg dose reaches an adult dose, and the sum that shows it."""

    weight: float
    arithmetic: str


def _per_day(value: float, unit: units.Unit, frequency: Any) -> tuple[float, units.Unit] | None:
    """The most of an amount given in a day: a daily amount as it is, a dose times its frequency."""
    day = units.Unit(unit.amount, unit.per_body, "day")
    if unit.is_rate:
        factor = units.factor(unit, day)
        return (value * factor, day) if factor is not None else None
    parsed = freq.parse(frequency) if isinstance(frequency, str) else None
    most = parsed.max_per_day if parsed is not None else None
    return (value * float(most), day) if most else None


def _reach(child: dict[str, Any], adult: dict[str, Any], index: int) -> _Reach | None:
    """Where a child's per-kg dose passes an adult entry's dose: compared per dose, or per day when either is
    a daily amount (the other is then multiplied by its frequency)."""
    per_kg, adult_dose = _quantity(child.get("dose"), "value", "high"), _quantity(adult.get("dose"), "value", "high")
    if per_kg is None or adult_dose is None or adult_dose[1].per_body is not None:
        return None
    (value, unit), (adult_value, adult_unit) = per_kg, adult_dose
    if unit.is_rate or adult_unit.is_rate:
        daily = _per_day(value, unit, child.get("frequency"))
        adult_daily = _per_day(adult_value, adult_unit, adult.get("frequency"))
        if daily is None or adult_daily is None:
            return None
        (value, unit), (adult_value, adult_unit) = daily, adult_daily
    factor = units.factor(units.Unit(unit.amount, None, unit.per_time), adult_unit)
    if factor is None or value <= 0:
        return None
    weight = adult_value / (value * factor)
    as_written = f"{adult_dose[0]:,g} {adult_dose[1]}" + (f" {adult['frequency']}"
                                                         if isinstance(adult.get("frequency"), str) else "")
    return _Reach(weight, f"{value:,g} {unit} × {weight:.1f} kg = {adult_value:,g} {adult_unit}, the adult dose "
                          f"(`{_subject(index, adult)}`: {as_written})")


def _strongest_adults(record: Record) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Per route, the adult entries that can set the weight at which a child's per-kg dose passes an adult
    dose: for each kind of amount, the largest dose given per dose, the largest daily amount of a rate, and
    the largest daily amount of any. `_reach` grows with the adult amount, so no other adult entry gives a
    higher weight; comparing each child's entry with every adult one was quadratic in the entries. A route
    that is not a string is the schema's finding (ML103)."""
    best: dict[tuple[Any, ...], tuple[float, int, dict[str, Any]]] = {}
    for number, adult in dose_entries(record):
        route = adult.get("route")
        dose = _quantity(adult.get("dose"), "value", "high") if adult.get("population") == "adult" else None
        if dose is None or dose[1].per_body is not None or not isinstance(route, str):
            continue
        value, unit = dose
        scale = 10.0 ** unit.amount.exponent
        daily = _per_day(value, unit, adult.get("frequency"))
        day = None if daily is None else daily[0] * scale
        for mode, size in (("dose", None if unit.is_rate else value * scale), ("day", day),
                           ("rate", day if unit.is_rate else None)):
            key = (route, unit.kind, unit.amount.counted, mode)
            if size is not None and (key not in best or size > best[key][0]):
                best[key] = (size, number, adult)
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for (route, *_), (_, number, adult) in best.items():
        out.setdefault(route, {})[number] = adult
    return {route: sorted(adults.items()) for route, adults in out.items()}


def _heaviest(record: Record, entry: dict[str, Any]) -> tuple[float, str] | None:
    """The most a child this entry is for can weigh, by its weight band or its age band (the indication's when
    the entry has none), and how the message says so."""
    age = entry.get("age_range") if isinstance(entry.get("age_range"), dict) else _indication(record).get("age_range")
    bound = growth.heaviest(age, entry.get("weight_range"))
    if bound is None:
        return None
    if bound.by_age:
        return bound.weight, (f"children under {bound.under} weigh up to about {bound.weight:.0f} kg "
                              "(CDC growth charts, 3 SD above the median)")
    return bound.weight, f"this entry is for children under {bound.under}"


def _check_cap_missing(record: Record, context: RuleContext) -> Iterator[Hit]:
    capped = {amount for amount in context.options["amounts"] if isinstance(amount, str)}
    adults: dict[str, list[tuple[int, dict[str, Any]]]] | None = None  # read only when a dose needs them
    for index, entry in dose_entries(record):
        if entry.get("population") != "pediatric" or "max_dose" in entry:
            continue
        dose = _quantity(entry.get("dose"), "value", "high")
        if dose is None or dose[1].per_body != "kg" or dose[1].amount.name not in capped:
            continue
        adults = _strongest_adults(record) if adults is None else adults
        route = entry.get("route")
        reaches = [_reach(entry, adult, number) for number, adult in adults.get(route, ())] \
            if isinstance(route, str) else []
        reach = max((r for r in reaches if r is not None), key=lambda r: r.weight, default=None)
        if reach is None:
            continue  # no adult dose by this route to pass (a pediatric-only page): nothing to compare
        heaviest = _heaviest(record, entry)
        if heaviest is not None and heaviest[0] <= reach.weight:
            continue  # the heaviest child the entry is for stays below the adult dose
        why = (f"{reach.arithmetic}, so a child heavier than {reach.weight:.1f} kg gets more than an adult"
               + (f", and {heaviest[1]}" if heaviest is not None else ""))
        unit = quote(entry["dose"]["unit"])
        yield Hit(("dosing", index, "dose", "unit"), f"this pediatric dose is per kg (`{unit}`) but has no "
                                                     f"`max_dose`: {why}",
                  "add `max_dose` with the cap the label gives (often the adult dose); if the label gives "
                  "none, suppress this finding and say so", subject=_subject(index, entry))


PEDIATRIC_DOSE_WITHOUT_CAP = Rule(
    code="ML405", name="pediatric-dose-without-cap", family="population", severity=Severity.WARNING,
    summary="A weight-based pediatric dose has no maximum dose, and a child it is for can get more than an "
            "adult.",
    check=_check_cap_missing,
    options={"amounts": Option(["mg", "mcg", "g", "mmol", "mEq"],
                               "per-kg doses of these amounts are expected to have a `max_dose`")},
    docs=Docs(
        what="Warns about a pediatric dose entry whose dose is per kg (`mg/kg`, `mg/kg/day`) of one of the "
             "`amounts` and that has no `max_dose`, unless the entry's own band keeps it below the adult "
             "dose: its `weight_range` (`under: 50 kg`), or its age range (the indication's when the entry "
             "has none), read as the heaviest weight of a child that age (3 standard deviations above the "
             "median on the CDC growth charts: about 18 kg under 2 years). The adult dose is the largest "
             "dose of an adult entry by the same route, compared per dose, or per day when either dose is "
             "a daily amount (the other is multiplied by its frequency); a page with no adult dose by the "
             "same route (a pediatric-only indication) has nothing to pass, and the rule is quiet there. "
             "The message shows the sum: "
             "`45 mg/kg/day × 38.9 kg = 1,750 mg/day, the adult dose (875 mg every 12 hours)`. medlint "
             "cannot know whether the label gives a cap, so this is a warning: where the label gives none, "
             "suppress it with the reason. Doses of units or vector genomes per kg (insulin, gene therapy) "
             "are not checked by default.",
        why="A per-kg dose grows with the child. Labels cap most of them, usually at the adult dose; a page that "
            "leaves the cap out lets a heavy adolescent's dose be worked out above an adult's. Where the "
            "entry is only for small children, the sum cannot reach the adult dose and no cap is needed.",
        example=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "400", "mg")
                + _dose("Pediatric dose", "pediatric", "10", "mg/kg"),
        use_instead=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "400", "mg")
                    + _dose("Pediatric dose", "pediatric", "10", "mg/kg",
                            "    max_dose:\n      value: 400\n      unit: mg\n")
                    + _dose("Pediatric dose (under 20 kg)", "pediatric", "10", "mg/kg",
                            "    weight_range:\n      under: 20 kg\n"),
        references=(_POLICY + " (a weight-based pediatric dose has a cap where the label gives one)",
                    _FDA_POPULATIONS,
                    "CDC 2000 growth charts, weight-for-age LMS parameters (National Center for Health "
                    "Statistics)"),
    ),
)


# --- ML406 pediatric cap above the adult dose -------------------------------------------------------

class _Amount(NamedTuple):
    value: float
    unit: units.Unit
    entry: int  # the dose entry's index
    route: Any


def _adult_amounts(record: Record) -> list[_Amount]:
    """Every adult dose (its high end for a range) and adult cap in the record."""
    out = []
    for index, entry in dose_entries(record):
        if entry.get("population") == "adult":
            for found in (_quantity(entry.get("dose"), "value", "high"), _quantity(entry.get("max_dose"), "value")):
                if found is not None:
                    out.append(_Amount(*found, index, entry.get("route")))
    return out


def _ceilings(adults: list[_Amount]) -> dict[tuple[str, Any], _Amount]:
    """The largest adult amount for each route and dimension of unit (units of one dimension convert), so
    that each pediatric cap looks up one: scanning every adult entry for each cap was quadratic in the
    entries. A route that is not a string is the schema's finding (ML103)."""
    best: dict[tuple[str, Any], _Amount] = {}
    for adult in adults:
        if not isinstance(adult.route, str):
            continue
        key = (adult.route, adult.unit.dimension)
        current = best.get(key)
        if current is None or adult.value * (units.factor(adult.unit, current.unit) or 0.0) > current.value:
            best[key] = adult
    return best


def _ceiling(ceilings: dict[tuple[str, Any], _Amount], unit: units.Unit, route: Any) -> _Amount | None:
    """The largest adult amount by `route` that converts to `unit`, expressed in `unit`."""
    best = ceilings.get((route, unit.dimension)) if isinstance(route, str) else None
    factor = units.factor(best.unit, unit) if best is not None else None
    return best._replace(value=best.value * factor) if best is not None and factor is not None else None


def _check_cap_above_adult(record: Record, context: RuleContext) -> Iterator[Hit]:
    adults: dict[tuple[str, Any], _Amount] | None = None  # read only when a pediatric cap is there to compare
    for index, entry in dose_entries(record):
        cap = _quantity(entry.get("max_dose"), "value") if entry.get("population") == "pediatric" else None
        if cap is None:
            continue
        adults = _ceilings(_adult_amounts(record)) if adults is None else adults
        value, unit = cap
        ceiling = _ceiling(adults, unit, entry.get("route"))
        if ceiling is not None and value > ceiling.value * (1 + 1e-9):  # tolerance: 875 mg against 0.875 g
            adult = record.get(("dosing", ceiling.entry))
            yield Hit(("dosing", index, "max_dose", "value"),
                      f"this pediatric cap ({record.raw(('dosing', index, 'max_dose', 'value'))} {unit}) is above "
                      f"the adult dose by the same route (`{_subject(ceiling.entry, adult)}`, {ceiling.value:g} "
                      f"{unit}): a child's dose must not exceed an adult's",
                      "check the cap against the label; it is usually the adult dose",
                      subject=_subject(index, entry))


PEDIATRIC_CAP_ABOVE_ADULT_DOSE = Rule(
    code="ML406", name="pediatric-cap-above-adult-dose", family="population", severity=Severity.ERROR,
    summary="A pediatric maximum dose exceeds the adult dose in the same record.",
    check=_check_cap_above_adult,
    docs=Docs(
        what="Reports a pediatric `max_dose` larger than every adult amount (dose, high end of a range, or "
             "adult `max_dose`) of the same route and the same kind of unit (mass, volume, units..., per kg or "
             "not, per day or per dose) in the record. mg, mcg and g are converted; a per-dose cap is not "
             "compared with a per-day adult dose.",
        why="A pediatric cap is there so that a child's dose never passes an adult's. A cap above the adult dose "
            "is almost always a typo (875 written as 8750) or a per-day cap entered as per dose.",
        example=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "400", "mg")
                + _dose("Pediatric dose", "pediatric", "10", "mg/kg",
                        "    max_dose:\n      value: 800\n      unit: mg\n"),
        use_instead=_ALL + "dosing:\n" + _dose("Adult dose", "adult", "400", "mg")
                    + _dose("Pediatric dose", "pediatric", "10", "mg/kg",
                            "    max_dose:\n      value: 400\n      unit: mg\n"),
        references=(_POLICY + " (a pediatric cap does not exceed the adult dose)",
                    "UCUM (Unified Code for Units of Measure): mg, ug and g are commensurable"),
    ),
)


# --- ML407 indication text names the other population -----------------------------------------------

def _check_indication_text(record: Record, context: RuleContext) -> Iterator[Hit]:
    only = _only(record)
    if only is None:
        return
    excluded = _OTHER[only]
    indication = _indication(record)
    for key in ("condition", "qualifier"):
        text = _text(indication.get(key))
        match = next(_meant_matches(text, _NAMED[excluded], excluded), None)
        if match is not None:
            yield Hit(("indication", key),
                      f"the indication's {key} says `{match.group(0)}` but `population` is {only}",
                      f"write `population: all` if the indication covers {_WHO[only]} and {_WHO[excluded]}, "
                      f"`population: {excluded}` if only {_WHO[excluded]}; otherwise correct the {key}",
                      match.start(), match.end(), subject=match.group(0))


INDICATION_POPULATION_CONTRADICTION = Rule(
    code="ML407", name="indication-population-contradiction", family="population", severity=Severity.ERROR,
    summary="The indication's text names a population that its `population` excludes.",
    check=_check_indication_text,
    docs=Docs(
        what="Reports an indication condition or qualifier that names children (`pediatric patients`, "
             "`children`, `infants`, `neonates`, `adolescents`...) while `population` is adult, or adults while "
             "it is pediatric. Negated mentions (`not for use in children`), `childhood`, `adulthood`, "
             "`adult-onset`, `child-bearing`, safe keeping and pregnancy context are not reported.",
        why="The indication is the page's title. When it says \"in pediatric patients\" and the record says "
            "adult, the page is filed, filtered and dose-checked for the wrong people.",
        example="indication:\n  condition: Spinal muscular atrophy (SMA)\n  qualifier: in infants and children\n"
                "  population: adult\n",
        use_instead="indication:\n  condition: Spinal muscular atrophy (SMA)\n  qualifier: in infants and children\n"
                    "  population: pediatric\n  age_range:\n    under: 2 years\n",
        references=(_POLICY + " (indication text that contradicts `population`)", _FDA_POPULATIONS, _FORMAT),
    ),
)

RULES: tuple[Rule, ...] = (DOSE_POPULATION_MISMATCH, LABEL_POPULATION_MISMATCH, MISSING_POPULATION_DOSE,
                           AGE_RANGE_MISMATCH, PEDIATRIC_DOSE_WITHOUT_CAP, PEDIATRIC_CAP_ABOVE_ADULT_DOSE,
                           INDICATION_POPULATION_CONTRADICTION)
