"""ML404 age-range-mismatch: An age range that contradicts its population, the indication's ages, or itself."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ... import growth
from ...excerpt import quote
from ...lazyre import Lazy
from ...model import Hit, Pointer, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext, option
from .common import FORMAT, POLICY, indication_of, text_of

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


@dataclass(frozen=True)
class AgeOptions:
    adult_age_years: int = option(18, "the age at which adulthood starts")


def _check_ages(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: AgeOptions = context.options
    years = options.adult_age_years
    adult = years * growth.DAYS["year"]
    indication = indication_of(record)
    stated = f"{text_of(indication.get('condition'))} {text_of(indication.get('qualifier'))}"
    main = _range(("indication", "age_range"), indication.get("age_range"))
    ranges: list[tuple[_Range, _Problems]] = []
    if main is not None:
        ranges.append((main, _range_problems(main, indication.get("population"), stated, adult, years)))
    for index, entry in record.dose_entries():
        age = _range(("dosing", index, "age_range"), entry.get("age_range"))
        if age is not None:
            problems = _range_problems(age, entry.get("population"), text_of(entry.get("label")), adult, years)
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
    options=AgeOptions,
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
        references=(POLICY + " (pediatric: under 18 years at most; adult: from 18 years)",
                    "ICH E11(R1): clinical investigation of medicinal products in the pediatric population",
                    FORMAT),
    ),
)
