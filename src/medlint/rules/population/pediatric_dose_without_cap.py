"""ML405 pediatric-dose-without-cap: A weight-based pediatric dose has no maximum dose, and a child it is for can
get more than an adult."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from ... import frequency as freq, growth, units
from ...excerpt import quote
from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext, option
from .common import ALL_EXAMPLE, FDA_POPULATIONS, POLICY, dose_example, indication_of, quantity, subject


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
    per_kg, adult_dose = quantity(child.get("dose"), "value", "high"), quantity(adult.get("dose"), "value", "high")
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
                          f"(`{subject(index, adult)}`: {as_written})")


def _strongest_adults(record: Record) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """Per route, the adult entries that can set the weight at which a child's per-kg dose passes an adult
    dose: for each kind of amount, the largest dose given per dose, the largest daily amount of a rate, and
    the largest daily amount of any. `_reach` grows with the adult amount, so no other adult entry gives a
    higher weight; comparing each child's entry with every adult one was quadratic in the entries. A route
    that is not a string is the schema's finding (ML103)."""
    best: dict[tuple[Any, ...], tuple[float, int, dict[str, Any]]] = {}
    for number, adult in record.dose_entries():
        route = adult.get("route")
        dose = quantity(adult.get("dose"), "value", "high") if adult.get("population") == "adult" else None
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
    age = entry.get("age_range") if isinstance(entry.get("age_range"), dict) else indication_of(record).get("age_range")
    bound = growth.heaviest(age, entry.get("weight_range"))
    if bound is None:
        return None
    if bound.by_age:
        return bound.weight, (f"children under {bound.under} weigh up to about {bound.weight:.0f} kg "
                              "(CDC growth charts, 3 SD above the median)")
    return bound.weight, f"this entry is for children under {bound.under}"


@dataclass(frozen=True)
class CapOptions:
    amounts: tuple[str, ...] = option(("mg", "mcg", "g", "mmol", "mEq"),
                                      "per-kg doses of these amounts are expected to have a `max_dose`")


def _check_cap_missing(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: CapOptions = context.options
    capped = set(options.amounts)
    adults: dict[str, list[tuple[int, dict[str, Any]]]] | None = None  # read only when a dose needs them
    for index, entry in record.dose_entries():
        if entry.get("population") != "pediatric" or "max_dose" in entry:
            continue
        dose = quantity(entry.get("dose"), "value", "high")
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
                  "none, suppress this finding and say so", subject=subject(index, entry))


PEDIATRIC_DOSE_WITHOUT_CAP = Rule(
    code="ML405", name="pediatric-dose-without-cap", family="population", severity=Severity.WARNING,
    summary="A weight-based pediatric dose has no maximum dose, and a child it is for can get more than an "
            "adult.",
    check=_check_cap_missing,
    options=CapOptions,
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
        example=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "400", "mg")
                + dose_example("Pediatric dose", "pediatric", "10", "mg/kg"),
        use_instead=ALL_EXAMPLE + "dosing:\n" + dose_example("Adult dose", "adult", "400", "mg")
                    + dose_example("Pediatric dose", "pediatric", "10", "mg/kg",
                                   "    max_dose:\n      value: 400\n      unit: mg\n")
                    + dose_example("Pediatric dose (under 20 kg)", "pediatric", "10", "mg/kg",
                                   "    weight_range:\n      under: 20 kg\n"),
        references=(POLICY + " (a weight-based pediatric dose has a cap where the label gives one)",
                    FDA_POPULATIONS,
                    "CDC 2000 growth charts, weight-for-age LMS parameters (National Center for Health "
                    "Statistics)"),
    ),
)
