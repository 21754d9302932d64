"""Dose limits (docs/limits.md): each dose, range end and cap against its drug's table in `limits/`.

The table is the content team's formulary, reviewed like the records. A dose is compared with every limit
entry whose route and population are its own and whose age and weight bands overlap its own, after its
unit is converted to the limit's (mg to g, mL through a stated concentration, a per-dose amount to a
per-day one through the frequency). Where several entries apply (an unbanded dose against banded limits),
the most permissive one decides, so that a correct record is never held to another band's numbers.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple

from .. import frequency as frequency_mod, numbers, units
from ..excerpt import quote
from ..limits import Entry, Limit, Limits, shown, times
from ..model import Hit, Pointer, Severity
from ..record import Record
from . import fields
from .base import Docs, Rule, RuleContext

_FORMAT = "docs/limits.md: dose-limit tables"
_ISMP = "ISMP Targeted Medication Safety Best Practices for Hospitals (2024-2025), Best Practice 7: dose limits"
_FHIR = "HL7 FHIR R5 Dosage: maxDosePerAdministration, maxDosePerPeriod, maxDosePerLifetime"
_TENFOLD = "Doherty C, McDonnell C. Tenfold medication errors: 5 years' experience at a university-affiliated " \
           "pediatric hospital. Pediatrics 2012;129(5):916-924"
_TOLERANCE = 1 - 1e-9
_OK, _SOFT, _HARD, _TENFOLD_LEVEL = 0, 1, 2, 3


class _Verdict(NamedTuple):
    level: int
    code: str
    message: str
    hint: str
    subject: str
    # how far outside its limit the amount is (amount over limit, or minimum over amount): between entries at
    # one level, the one the amount is least outside decides, so the message names the nearest band's numbers
    margin: float = 0.0


class _Number(NamedTuple):
    pointer: Pointer
    written: str  # "the dose", "the cap (max_dose)"
    value: float
    maximum: bool  # compared with soft and hard limits
    minimum: bool  # compared with minimums
    counted: bool  # given at every dose, so the frequency multiplies it into a daily amount (not a cap)


def _finite(value: Any) -> float | None:
    number = numbers.finite(value)  # a dose past float range is the loader's ML005: nothing to compare
    return number if number is not None and number > 0 else None


def _numbers(index: int, entry: dict[str, Any]) -> Iterator[tuple[_Number, str]]:
    """Each number of a dose entry with its unit text: a single dose both ways, a range's low end against
    minimums, its high end and the cap against maximums."""
    roles = (("dose", "value", "the dose", True, True), ("dose", "low", "the low end of the dose", False, True),
             ("dose", "high", "the high end of the dose", True, False),
             ("max_dose", "value", "the cap (max_dose)", True, False))
    for block, key, name, maximum, minimum in roles:
        quantity = entry.get(block)
        if not isinstance(quantity, dict) or not isinstance(quantity.get("unit"), str):
            continue
        value = _finite(quantity.get(key))
        if value is not None:
            yield _Number(("dosing", index, block, key), name, value, maximum, minimum, block == "dose"), \
                quantity["unit"]


def _in_limit_unit(number: _Number, unit: units.Unit, limit: Limit, entry: Entry,
                   often: frequency_mod.Frequency | None, low_end: bool) -> float | None:
    """The amount in the limit's unit, or None when the two cannot be compared. A per-dose amount meets a
    per-day limit through the frequency, read the way that favours the record: the fewest doses a day it
    allows against a maximum (`every 4 to 6 hours` is 4; `as needed` is none, since a label that says "every
    4 to 6 hours as needed, at most 40 mg/kg a day" means both), the most against a minimum."""
    assert limit.unit is not None
    value = number.value
    if unit.kind is units.Kind.VOLUME and entry.concentration is not None:
        strength = entry.concentration
        value, unit = value * strength.per_ml(), units.Unit(strength.unit.amount, unit.per_body, unit.per_time)
    ratio = units.factor(unit, limit.unit)
    if ratio is not None:
        return value * ratio
    if not number.counted:  # a cap is a ceiling on one dose, not what is given at every dose of the day
        return None
    daily = units.Unit(unit.amount, unit.per_body, "day")
    ratio = units.factor(daily, limit.unit) if not unit.is_rate else None
    if ratio is None or often is None or often.per_day is None:
        return None
    per_day = float(often.per_day[1] if low_end else often.per_day[0])
    return value * per_day * ratio if per_day else None


def _daily_blocked(unit: units.Unit, limit: Limit, often: frequency_mod.Frequency | None) -> bool:
    """A per-day limit that only an unreadable frequency keeps from being checked."""
    if often is not None or limit.unit is None or unit.is_rate:
        return False
    return units.factor(units.Unit(unit.amount, unit.per_body, "day"), limit.unit) is not None


def _slip(number: _Number, unit_text: str, converted: float, low: float, high: float, over: bool) -> str:
    """The likely slip behind an amount ten or more times outside [low, high] (in the limit's unit): the
    power of ten that brings it back, named as a unit swap where that is what it is."""
    for power in (1, 2, 3):
        step = 10.0 ** power
        if low * _TOLERANCE <= (converted / step if over else converted * step) <= high / _TOLERANCE:
            swapped = _unit_swap(unit_text, power, over)
            if swapped:
                return f"`{unit_text}` written for `{swapped}`? {shown(number.value)} {swapped} is within the limits"
            corrected = number.value / step if over else number.value * step
            places = ("one place", "two places", "three places")[power - 1]
            return f"a decimal slip? {shown(corrected)} {unit_text} (the point moved {places}) is within the limits"
    return "check the number and its unit for a decimal or unit slip"


def _unit_swap(unit_text: str, power: int, over: bool) -> str | None:
    """mg written for mcg is 1,000 times over; mcg written for mg 1,000 times under."""
    if power != 3:
        return None
    swaps = {("mg", True): "mcg", ("g", True): "mg", ("mcg", False): "mg", ("mg", False): "g"}
    amount, _, rest = unit_text.partition("/")
    other = swaps.get((amount, over))
    return f"{other}/{rest}" if other and rest else other


def _convertible(unit: units.Unit, limit: Limit, entry: Entry) -> bool:
    """Whether an amount in `unit` can be compared with the limit at all, whatever the frequency."""
    if limit.unit is None:
        return False
    if unit.kind is units.Kind.VOLUME and entry.concentration is not None:
        unit = units.Unit(entry.concentration.unit.amount, unit.per_body, unit.per_time)
    if units.convertible(unit, limit.unit):
        return True
    return not unit.is_rate and units.convertible(units.Unit(unit.amount, unit.per_body, "day"), limit.unit)


def _where(limit: Limit, entry: Entry, path: str) -> str:
    return f"{path}, limits[{entry.index}].{limit.kind}, from {entry.source}"


def _over(number: _Number, unit_text: str, amount: float, limit: Limit, entry: Entry, path: str) -> _Verdict:
    ceiling = limit.ceiling
    assert ceiling is not None
    written, lu = f"{quote(number.written)} ({shown(number.value)} {unit_text}", limit.unit_text
    shown_amount = ")" if lu == unit_text else f", {shown(amount)} {lu})"
    if amount >= 10 * ceiling * _TOLERANCE:
        top = limit.hard if limit.hard is not None else ceiling
        slip = _slip(number, unit_text, amount, limit.minimum or 0.0, top, over=True)
        return _Verdict(_TENFOLD_LEVEL, "ML804",
                        f"{written}{shown_amount} is {times(amount / ceiling)} times the {limit.kind} limit of "
                        f"{shown(ceiling)} {lu} ({_where(limit, entry, path)}): {slip}",
                        "check the dose against the label before anything else", f"{limit.kind}:tenfold-over",
                        amount / ceiling)
    if limit.hard is not None and amount > limit.hard / _TOLERANCE:
        return _Verdict(_HARD, "ML801", f"{written}{shown_amount} is over the hard {limit.kind} limit of "
                                        f"{shown(limit.hard)} {lu} ({_where(limit, entry, path)})",
                        "check the dose against the label; if the label allows it, correct the table",
                        f"{limit.kind}:hard", amount / limit.hard)
    if limit.soft is not None and amount > limit.soft / _TOLERANCE:
        return _Verdict(_SOFT, "ML802", f"{written}{shown_amount} is over the usual {limit.kind} maximum of "
                                        f"{shown(limit.soft)} {lu} ({_where(limit, entry, path)})",
                        "check that the page means a dose above the usual range, and says why",
                        f"{limit.kind}:soft", amount / limit.soft)
    return _Verdict(_OK, "", "", "", "")


def _under(number: _Number, unit_text: str, amount: float, limit: Limit, entry: Entry, path: str) -> _Verdict:
    minimum = limit.minimum
    assert minimum is not None
    written, lu = f"{quote(number.written)} ({shown(number.value)} {unit_text}", limit.unit_text
    shown_amount = ")" if lu == unit_text else f", {shown(amount)} {lu})"
    if amount * 10 <= minimum / _TOLERANCE:
        slip = _slip(number, unit_text, amount, minimum, limit.hard or limit.soft or math.inf, over=False)
        return _Verdict(_TENFOLD_LEVEL, "ML804",
                        f"{written}{shown_amount} is {times(minimum / amount)} times under the {limit.kind} minimum of "
                        f"{shown(minimum)} {lu} ({_where(limit, entry, path)}): {slip}",
                        "check the dose against the label before anything else", f"{limit.kind}:tenfold-under",
                        minimum / amount)
    if amount < minimum * _TOLERANCE:
        return _Verdict(_HARD, "ML803", f"{written}{shown_amount} is under the {limit.kind} minimum of "
                                        f"{shown(minimum)} {lu} ({_where(limit, entry, path)})",
                        "check the dose against the label; if the label gives a lower dose, correct the table",
                        f"{limit.kind}:minimum", minimum / amount)
    return _Verdict(_OK, "", "", "", "")


def _entry_verdict(number: _Number, unit_text: str, unit: units.Unit, entry: Entry,
                   often: frequency_mod.Frequency | None, path: str) -> _Verdict | None:
    """The worst verdict of one limit entry on one number; None when none of its limits measure it."""
    verdicts: list[_Verdict] = []
    for limit in entry.limits:
        if not _convertible(unit, limit, entry):
            continue
        if number.maximum and limit.ceiling is not None:
            amount = _in_limit_unit(number, unit, limit, entry, often, low_end=False)
            if amount is not None:
                verdicts.append(_over(number, unit_text, amount, limit, entry, path))
        if number.minimum and limit.minimum is not None:
            amount = _in_limit_unit(number, unit, limit, entry, often, low_end=True)
            if amount is not None:
                verdicts.append(_under(number, unit_text, amount, limit, entry, path))
    return max(verdicts, key=lambda v: (v.level, v.margin)) if verdicts else None


def _lifetime_verdict(often: frequency_mod.Frequency, entry: Entry, path: str, written: str) -> _Verdict | None:
    counts = [limit for limit in entry.limits if limit.kind == "per_lifetime" and limit.unit is None]
    if not counts:
        return None
    limit = counts[0]
    if often.one_time:
        return _Verdict(_OK, "", "", "", "")
    if limit.hard is not None or limit.soft is not None:
        level, code, kind = (_HARD, "ML801", "hard") if limit.hard is not None else (_SOFT, "ML802", "soft")
        allowed = limit.hard if limit.hard is not None else limit.soft
        return _Verdict(level, code, f"`frequency: {written}` repeats the dose without end, but the {kind} "
                                     f"per_lifetime limit is {shown(allowed or 0)} dose(s) "
                                     f"({_where(limit, entry, path)})",
                        "a therapy given a set number of times in a lifetime is written `frequency: once`, one "
                        "entry per dose", "per_lifetime:count")
    return None


def _comparisons(record: Record, limits: Limits) -> tuple[tuple[str, Hit], ...]:
    """Every limit finding of a record, computed once and shared by the rules of the family."""
    table = limits.table
    if table is None or not table.usable or _other_drug(record, limits) is not None:
        return ()
    out: list[tuple[str, Hit]] = []
    for index, entry in fields.dose_entries(record):
        applicable = table.applicable(_indication(record), entry)
        if not applicable:
            continue
        written = entry.get("frequency")
        often = frequency_mod.parse(written) if isinstance(written, str) else None
        out += _unreadable_frequency(index, entry, applicable, often, table.path)
        unmeasured_told = False  # a range's two ends share one unit: one finding
        for number, unit_text in _numbers(index, entry):
            unit = units.parse(unit_text)
            if unit is None:
                continue  # ML301 reports it
            judged = [v for e in applicable if (v := _entry_verdict(number, unit_text, unit, e, often, table.path))]
            if judged:
                verdict = min(judged, key=lambda v: (v.level, v.margin))  # the most permissive entry decides
                if verdict.level > _OK:
                    out.append((verdict.code, Hit(number.pointer, verdict.message, verdict.hint,
                                                  subject=verdict.subject)))
            elif number.pointer[2] == "dose" and not unmeasured_told and _unmeasured(unit, applicable):
                unmeasured_told = True
                out.append(("ML805", _not_comparable(index, unit_text, applicable, table.path)))
        if often is not None:
            lifetime = [v for e in applicable if (v := _lifetime_verdict(often, e, table.path, str(written)))]
            if lifetime and min(v.level for v in lifetime) > _OK:
                verdict = min(lifetime, key=lambda v: v.level)
                out.append((verdict.code, Hit(("dosing", index, "frequency"), verdict.message, verdict.hint,
                                              subject=verdict.subject)))
    return tuple(out)


def _indication(record: Record) -> str | None:
    """The record's indication, as a table's `indications` names it: its file name under records/<drug>/."""
    declared = record.data.get("id")
    _, _, indication = (record.expected_id or (declared if isinstance(declared, str) else "")).partition("/")
    return indication or None


def _amount_limits(entry: Entry) -> list[Limit]:
    return [limit for limit in entry.limits if limit.unit is not None]


def _unmeasured(unit: units.Unit, applicable: list[Entry]) -> bool:
    """The table has amount limits for the dose entry but none can measure its unit. A number that no limit
    judged for another reason (a range's low end where the table gives only maximums, a per-dose amount
    `as needed` against a per-day limit) is not this."""
    amounts = [(limit, entry) for entry in applicable for limit in _amount_limits(entry)]
    return bool(amounts) and not any(_convertible(unit, limit, entry) for limit, entry in amounts)


def _not_comparable(index: int, unit_text: str, applicable: list[Entry], path: str) -> Hit:
    kinds = sorted({limit.unit_text for e in applicable for limit in _amount_limits(e)})
    volume = units.parse(unit_text)
    hint = ("give the table a `concentration` for this liquid, or write the dose as an amount"
            if volume is not None and volume.kind is units.Kind.VOLUME else
            "write the dose in a unit the table uses, or add a limit in this unit to the table")
    return Hit(("dosing", index, "dose", "unit"),
               f"the dose is in `{unit_text}`, which cannot be compared with the limits of {path} for it "
               f"({', '.join(kinds)}): the dose was not checked", hint=hint, subject=unit_text)


def _unreadable_frequency(index: int, entry: dict[str, Any], applicable: list[Entry],
                          often: frequency_mod.Frequency | None, path: str) -> list[tuple[str, Hit]]:
    if often is not None or not isinstance(entry.get("frequency"), str):
        return []
    dose = entry.get("dose")
    unit = units.parse(dose["unit"]) if isinstance(dose, dict) and isinstance(dose.get("unit"), str) else None
    blocked = [limit for e in applicable for limit in e.limits
               if (unit is not None and _daily_blocked(unit, limit, often)) or
               (limit.kind == "per_lifetime" and limit.unit is None)]
    if not blocked:
        return []
    written = quote(str(entry["frequency"]))
    return [("ML805", Hit(("dosing", index, "frequency"),
                          f"`frequency: {written}` is not in the frequency vocabulary, so the "
                          f"{' and '.join(sorted({b.kind for b in blocked}))} limits of {path} cannot be checked",
                          hint="write it as the vocabulary does, for example `every 6 hours` or `three times a week` "
                               "(docs/limits.md, Frequency)", subject=f"frequency:{written}"))]


# The label names a drug with its salt ("albuterol sulfate") where an editor may write the moiety ("albuterol"):
# the same medicine, so the same table.
_SALTS = frozenset({"sulfate", "sodium", "hydrochloride", "hcl", "potassium", "calcium", "maleate", "tartrate",
                    "succinate", "citrate", "phosphate", "acetate", "besylate", "mesylate", "fumarate", "bromide"})


def _moiety(name: str) -> tuple[str, ...]:
    words = tuple(name.lower().split())
    return words[:-1] if len(words) > 1 and words[-1] in _SALTS else words


def _other_drug(record: Record, limits: Limits) -> str | None:
    """The table's generic name when it is not this record's drug."""
    table = limits.table
    drug = record.data.get("drug")
    name = drug.get("generic_name") if isinstance(drug, dict) else None
    if table is None or table.generic_name is None or not isinstance(name, str):
        return None
    same = _moiety(name) == _moiety(table.generic_name)
    return None if same else table.generic_name


def _cached(record: Record, limits: Limits) -> tuple[tuple[str, Hit], ...]:
    table = limits.table
    key = ("limits", table.digest if table else "", table.path if table else limits.path)
    return record.derived(key, lambda r: _comparisons(r, limits))


def _family_check(code: str) -> Any:
    def check(record: Record, context: RuleContext) -> Iterator[Hit]:
        if context.limits is not None:
            yield from (hit for found, hit in _cached(record, context.limits) if found == code)

    return check


def single_lifetime_dose(record: Record, limits: Limits | None) -> bool:
    """The drug's table allows one dose in a lifetime for every dose entry (what ML203 calls a one-time
    therapy, whatever the record's `frequency` says)."""
    table = limits.table if limits is not None else None
    if limits is None or table is None or not table.usable or _other_drug(record, limits) is not None:
        return False
    entries = list(fields.dose_entries(record))
    return bool(entries) and all(
        any(e.one_dose_in_a_lifetime for e in table.applicable(_indication(record), entry)) for _, entry in entries)


def coverage(record: Record, limits: Limits | None) -> tuple[str, int, int]:
    """(the table used, dose entries, entries it covers), for the editors' report."""
    entries = list(fields.dose_entries(record))
    table = limits.table if limits is not None else None
    if limits is None or table is None or not table.usable or _other_drug(record, limits) is not None:
        return "", len(entries), 0
    indication = _indication(record)
    return table.path, len(entries), sum(1 for _, entry in entries if table.applicable(indication, entry))


def _check_no_limits(record: Record, context: RuleContext) -> Iterator[Hit]:
    limits = context.limits
    if limits is None:
        return
    table = limits.table
    if table is None:
        if limits.required:
            yield Hit(("dosing",), f"there is no dose-limit table for this drug ({limits.path} does not exist), and "
                                   "`require-limits` is on: its doses are not checked",
                      hint=f"add {limits.path} (docs/limits.md)", on_key=True, subject="no table")
        return
    if not table.usable:
        yield Hit(("dosing",), f"{table.path} has {table.errors} problem(s), so these doses were not checked "
                               "against it", hint=f"run `medlint check {table.path}` and fix the table",
                  on_key=True, subject="unusable table")
        return
    other = _other_drug(record, limits)
    if other is not None:
        yield Hit(("drug", "generic_name"), f"{table.path} holds the limits of `{other}`, not of this record's "
                                            "drug: its doses were not checked",
                  hint="put the record in its own drug's folder, or correct `drug.generic_name` in the table",
                  subject="other drug")
        return
    if not limits.required:
        return
    for index, entry in fields.dose_entries(record):
        if not table.applicable(_indication(record), entry):
            who = f"{quote(str(entry.get('population')))} {quote(str(entry.get('route')))}"
            yield Hit(("dosing", index), f"no entry of {table.path} covers this {who} dose, and `require-limits` "
                                         "is on",
                      hint="add an entry for this route, population and band to the table", subject=f"uncovered {who}")


# --- the rules ------------------------------------------------------------------------------------

_TABLE = """schema_version: 1
drug:
  generic_name: acetaminophen
limits:
  - route: oral
    population: adult
    source: Extra Strength acetaminophen Drug Facts, Directions; FDA 2011 limit of 4,000 mg a day
    per_dose:
      minimum: 325
      hard: 1000
      unit: mg
    per_day:
      soft: 3000
      hard: 4000
      unit: mg/day
review:
  last_reviewed: 2026-03-02
  next_review_due: 2027-03-02
  reviewers:
    - name: A. Reviewer
      credentials: PharmD
sources:
  - title: Extra Strength Tylenol Drug Facts
    kind: prescribing-information
    url: https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=acetaminophen
    accessed: 2026-02-27
"""
_DRUG = "drug:\n  brand_name: Tylenol\n  generic_name: acetaminophen\n  drug_class: analgesic\n"


def _dosing(value: str, unit: str = "mg", often: str = "every 6 hours") -> str:
    return (_DRUG + f"dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: {value}\n"
            f"      unit: {unit}\n    route: oral\n    frequency: {often}\n")


_DOSING_OTHER_DRUG = ("drug:\n  brand_name: Advil\n  generic_name: ibuprofen\n  drug_class: NSAID\n"
                      + _dosing("400").split("\n", 4)[4])

_HOW = ("The dose is compared with every entry of `limits/<drug>.yaml` for its route and population whose "
        "age and weight bands overlap its own; where several apply, the most permissive decides. Units are "
        "converted first (mg, mcg and g; million units and units; mL through the entry's `concentration`), and "
        "a per-dose amount meets a per-day limit through the frequency, read in the record's favour: against a "
        "maximum, `every 6 hours` is 4 doses a day, `every 4 to 6 hours` 4, and `as needed` is not counted (a "
        "label's \"every 4 to 6 hours as needed, at most 3,200 mg a day\" means both); against a minimum, the "
        "most doses a day. ")

DOSE_ABOVE_HARD_LIMIT = Rule(
    code="ML801", name="dose-above-hard-limit", family="limits", severity=Severity.ERROR,
    summary="A dose, range end or cap above the hard limit of its drug's dose-limit table.",
    check=_family_check("ML801"),
    docs=Docs(
        what=_HOW + "Reports a single dose, the high end of a range or a `max_dose` above a `hard` limit, and a "
             "dose that repeats (`every 12 weeks`) where the table allows a set number of doses in a lifetime. "
             "Ten times the limit or more is ML804 instead.",
        why="A hard limit is the most the label allows: a page that states more tells a reader to give an "
            "overdose, however well the rest of the page agrees with itself.",
        example=_dosing("1000", often="every 4 hours"),
        use_instead=_dosing("1000", often="every 8 hours"),
        references=(_FORMAT, _ISMP, _FHIR),
        example_limits=_TABLE,
    ),
)

DOSE_ABOVE_SOFT_LIMIT = Rule(
    code="ML802", name="dose-above-soft-limit", family="limits", severity=Severity.WARNING,
    summary="A dose, range end or cap above the usual maximum (soft limit) of its drug's dose-limit table.",
    check=_family_check("ML802"),
    docs=Docs(
        what=_HOW + "Warns about a dose, range end or cap above a `soft` limit but not above the `hard` one.",
        why="A soft limit marks the top of the usual range, as in a smart pump's drug library: a dose above it "
            "can be right, but it should be a decision the page explains, not a slip.",
        example=_dosing("1000"),
        use_instead=_dosing("500"),
        references=(_FORMAT, _ISMP),
        example_limits=_TABLE,
    ),
)

DOSE_BELOW_MINIMUM = Rule(
    code="ML803", name="dose-below-minimum", family="limits", severity=Severity.ERROR,
    summary="A dose or the low end of a range below the minimum of its drug's dose-limit table.",
    check=_family_check("ML803"),
    docs=Docs(
        what=_HOW + "Reports a single dose or the low end of a range below a `minimum`. A tenth of the "
             "minimum or less is ML804 instead.",
        why="The minimum is the lowest dose the label gives. Less does not treat the condition, and a dose "
            "that is too low is as often a misplaced decimal point as a choice.",
        example=_dosing("160"),
        use_instead=_dosing("325"),
        references=(_FORMAT, _ISMP),
        example_limits=_TABLE,
    ),
)

TENFOLD_DOSE_ERROR = Rule(
    code="ML804", name="tenfold-dose-error", family="limits", severity=Severity.ERROR,
    summary="A dose ten or more times over a limit, or under a minimum, of its drug's dose-limit table.",
    check=_family_check("ML804"),
    docs=Docs(
        what=_HOW + "Reports a dose, range end or cap at ten times a soft or hard limit or more, and a dose or "
             "range low end at a tenth of the minimum or less. The message names the likely slip: the power of "
             "ten that brings the dose back within the limits, or `mg` written for `mcg` (and `mcg` for `mg`, "
             "`g` for `mg`) when that is a factor of 1,000.",
        why="Tenfold errors are the most harmful dosing errors: a decimal point moved or a unit swapped gives "
            "ten or a thousand times the dose, and a record whose prose repeats the same wrong number agrees "
            "with itself, so no other check can see it. One children's hospital reported over 250 of them in "
            "five years.",
        example=_dosing("32.5"),
        use_instead=_dosing("325"),
        references=(_FORMAT, _TENFOLD, _ISMP),
        example_limits=_TABLE,
    ),
)

DOSE_NOT_COMPARABLE = Rule(
    code="ML805", name="dose-not-comparable", family="limits", severity=Severity.WARNING,
    summary="A dose whose unit or frequency cannot be compared with its drug's dose-limit table.",
    check=_family_check("ML805"),
    docs=Docs(
        what="Warns when the table has limits for a dose entry but none measures its unit (a dose in mL where "
             "the entry gives no `concentration`, tablets against limits in mg), and when a per-day or lifetime "
             "limit applies but the `frequency` is not in the vocabulary (`every 6 to 4 hours`), so the doses "
             "in a day cannot be counted. The dose was not checked: this says so instead of passing silently.",
        why="A limit that cannot be applied protects nobody. Either the dose is written in a form the label "
            "does not use, or the table lacks the strength of the liquid.",
        example=_dosing("10", unit="mL"),
        use_instead=_dosing("500"),
        references=(_FORMAT, "docs/record-format.md: Frequency"),
        example_limits=_TABLE,
    ),
)

NO_DOSE_LIMITS = Rule(
    code="ML806", name="no-dose-limits", family="limits", severity=Severity.ERROR,
    summary="A record whose doses cannot be checked: its table is broken, is for another drug, or is "
            "missing while require-limits is on.",
    check=_check_no_limits,
    docs=Docs(
        what="Reports a record whose drug's table (`limits/<drug>.yaml`, `<drug>` being the record's folder) "
             "has problems of its own (so it is not used), or names another `drug.generic_name`. With "
             "`require-limits = true` in `[tool.medlint]`, it also reports a record with no table and each dose "
             "entry that no table entry covers; the editors' report shows the coverage either way.",
        why="A broken or misplaced table would otherwise switch the dose checks off without a word, and a team "
            "that has decided every page needs limits wants to hear about the pages that have none.",
        example=_DOSING_OTHER_DRUG,
        use_instead=_dosing("500"),
        references=(_FORMAT,),
        example_limits=_TABLE,
    ),
)

INVALID_LIMITS = Rule(
    code="ML807", name="invalid-limits", family="limits", severity=Severity.ERROR,
    summary="A dose-limit table that contradicts itself or uses a unit it cannot be compared in.",
    docs=Docs(
        what="Reports, in `limits/<drug>.yaml`, what its schema (`schemas/limits.schema.json`, whose findings "
             "are ML101-ML105) cannot: a unit outside the house vocabulary or of the wrong kind for its limit "
             "(`per_day` in `mg` rather than `mg/day`), a `soft` limit above the `hard` one, a `minimum` above a "
             "maximum, a limit with no number, an age or weight band that covers nobody, a concentration that "
             "is not an amount, and two entries for one route and population whose bands overlap but whose "
             "limits differ. A table with any of these is not used (ML806 tells its records). Its review dates "
             "are checked by ML501-ML506, as a record's are.",
        why="The table is what every dose of the drug is checked against: a contradiction in it either lets "
            "overdoses through or blocks correct pages, and an ambiguous overlap gives one child two answers.",
        example=_TABLE.replace("      soft: 3000\n", "      soft: 5000\n"),
        use_instead=_TABLE,
        references=(_FORMAT, _ISMP),
        example_file="limits/zolgensma.yaml",
    ),
)

RULES: tuple[Rule, ...] = (DOSE_ABOVE_HARD_LIMIT, DOSE_ABOVE_SOFT_LIMIT, DOSE_BELOW_MINIMUM, TENFOLD_DOSE_ERROR,
                           DOSE_NOT_COMPARABLE, NO_DOSE_LIMITS, INVALID_LIMITS)
