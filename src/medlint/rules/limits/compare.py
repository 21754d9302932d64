"""Each dose, range end and cap of a record against its drug's dose-limit table: one comparison per record
and table, whose hits ML801-ML805 share out by kind, and what the table says of a record (the entries it
covers, a single lifetime dose)."""
from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, NamedTuple

from ... import frequency as frequency_mod, numbers, units
from ...excerpt import quote
from ...limits import Limit, LimitEntry, Limits, shown, times
from ...model import Hit, Pointer
from ...record import Record
from ..base import RuleContext

_TOLERANCE = 1 - 1e-9
_OK, _SOFT, _HARD, _TENFOLD_LEVEL = 0, 1, 2, 3


class _Verdict(NamedTuple):
    level: int
    kind: str  # which rule reports it: family_check
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


def _in_limit_unit(number: _Number, unit: units.Unit, limit: Limit, entry: LimitEntry,
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


def _convertible(unit: units.Unit, limit: Limit, entry: LimitEntry) -> bool:
    """Whether an amount in `unit` can be compared with the limit at all, whatever the frequency."""
    if limit.unit is None:
        return False
    if unit.kind is units.Kind.VOLUME and entry.concentration is not None:
        unit = units.Unit(entry.concentration.unit.amount, unit.per_body, unit.per_time)
    if units.convertible(unit, limit.unit):
        return True
    return not unit.is_rate and units.convertible(units.Unit(unit.amount, unit.per_body, "day"), limit.unit)


def _where(limit: Limit, entry: LimitEntry, path: str) -> str:
    return f"{path}, limits[{entry.index}].{limit.kind}, from {entry.source}"


def _over(number: _Number, unit_text: str, amount: float, limit: Limit, entry: LimitEntry, path: str) -> _Verdict:
    ceiling = limit.ceiling
    assert ceiling is not None
    written, lu = f"{quote(number.written)} ({shown(number.value)} {unit_text}", limit.unit_text
    shown_amount = ")" if lu == unit_text else f", {shown(amount)} {lu})"
    if amount >= 10 * ceiling * _TOLERANCE:
        top = limit.hard if limit.hard is not None else ceiling
        slip = _slip(number, unit_text, amount, limit.minimum or 0.0, top, over=True)
        return _Verdict(_TENFOLD_LEVEL, "tenfold",
                        f"{written}{shown_amount} is {times(amount / ceiling)} times the {limit.kind} limit of "
                        f"{shown(ceiling)} {lu} ({_where(limit, entry, path)}): {slip}",
                        "check the dose against the label before anything else", f"{limit.kind}:tenfold-over",
                        amount / ceiling)
    if limit.hard is not None and amount > limit.hard / _TOLERANCE:
        return _Verdict(_HARD, "over-hard", f"{written}{shown_amount} is over the hard {limit.kind} limit of "
                                        f"{shown(limit.hard)} {lu} ({_where(limit, entry, path)})",
                        "check the dose against the label; if the label allows it, correct the table",
                        f"{limit.kind}:hard", amount / limit.hard)
    if limit.soft is not None and amount > limit.soft / _TOLERANCE:
        return _Verdict(_SOFT, "over-soft", f"{written}{shown_amount} is over the usual {limit.kind} maximum of "
                                        f"{shown(limit.soft)} {lu} ({_where(limit, entry, path)})",
                        "check that the page means a dose above the usual range, and says why",
                        f"{limit.kind}:soft", amount / limit.soft)
    return _Verdict(_OK, "", "", "", "")


def _under(number: _Number, unit_text: str, amount: float, limit: Limit, entry: LimitEntry, path: str) -> _Verdict:
    minimum = limit.minimum
    assert minimum is not None
    written, lu = f"{quote(number.written)} ({shown(number.value)} {unit_text}", limit.unit_text
    shown_amount = ")" if lu == unit_text else f", {shown(amount)} {lu})"
    if amount * 10 <= minimum / _TOLERANCE:
        slip = _slip(number, unit_text, amount, minimum, limit.hard or limit.soft or math.inf, over=False)
        return _Verdict(_TENFOLD_LEVEL, "tenfold",
                        f"{written}{shown_amount} is {times(minimum / amount)} times under the {limit.kind} minimum of "
                        f"{shown(minimum)} {lu} ({_where(limit, entry, path)}): {slip}",
                        "check the dose against the label before anything else", f"{limit.kind}:tenfold-under",
                        minimum / amount)
    if amount < minimum * _TOLERANCE:
        return _Verdict(_HARD, "under-minimum", f"{written}{shown_amount} is under the {limit.kind} minimum of "
                                        f"{shown(minimum)} {lu} ({_where(limit, entry, path)})",
                        "check the dose against the label; if the label gives a lower dose, correct the table",
                        f"{limit.kind}:minimum", minimum / amount)
    return _Verdict(_OK, "", "", "", "")


def _entry_verdict(number: _Number, unit_text: str, unit: units.Unit, entry: LimitEntry,
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


def _lifetime_verdict(often: frequency_mod.Frequency, entry: LimitEntry, path: str, written: str) -> _Verdict | None:
    counts = [limit for limit in entry.limits if limit.kind == "per_lifetime" and limit.unit is None]
    if not counts:
        return None
    limit = counts[0]
    if often.one_time:
        return _Verdict(_OK, "", "", "", "")
    if limit.hard is not None or limit.soft is not None:
        level, found, kind = (_HARD, "over-hard", "hard") if limit.hard is not None else (_SOFT, "over-soft", "soft")
        allowed = limit.hard if limit.hard is not None else limit.soft
        return _Verdict(level, found, f"`frequency: {written}` repeats the dose without end, but the {kind} "
                                     f"per_lifetime limit is {shown(allowed or 0)} dose(s) "
                                     f"({_where(limit, entry, path)})",
                        "a therapy given a set number of times in a lifetime is written `frequency: once`, one "
                        "entry per dose", "per_lifetime:count")
    return None


def _comparisons(record: Record, limits: Limits) -> tuple[tuple[str, Hit], ...]:
    """Every limit finding of a record, computed once and shared by the rules of the family."""
    table = limits.table
    if table is None or not table.usable or other_drug(record, limits) is not None:
        return ()
    out: list[tuple[str, Hit]] = []
    for index, entry in record.dose_entries():
        applicable = table.applicable(indication_of(record), entry)
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
                    out.append((verdict.kind, Hit(number.pointer, verdict.message, verdict.hint,
                                                  subject=verdict.subject)))
            elif number.pointer[2] == "dose" and not unmeasured_told and _unmeasured(unit, applicable):
                unmeasured_told = True
                out.append(("not-comparable", _not_comparable(index, unit_text, applicable, table.path)))
        if often is not None:
            lifetime = [v for e in applicable if (v := _lifetime_verdict(often, e, table.path, str(written)))]
            if lifetime and min(v.level for v in lifetime) > _OK:
                verdict = min(lifetime, key=lambda v: v.level)
                out.append((verdict.kind, Hit(("dosing", index, "frequency"), verdict.message, verdict.hint,
                                              subject=verdict.subject)))
    return tuple(out)


def indication_of(record: Record) -> str | None:
    """The record's indication, as a table's `indications` names it: its file name under records/<drug>/."""
    declared = record.data.get("id")
    _, _, indication = (record.expected_id or (declared if isinstance(declared, str) else "")).partition("/")
    return indication or None


def _amount_limits(entry: LimitEntry) -> list[Limit]:
    return [limit for limit in entry.limits if limit.unit is not None]


def _unmeasured(unit: units.Unit, applicable: list[LimitEntry]) -> bool:
    """The table has amount limits for the dose entry but none can measure its unit. A number that no limit
    judged for another reason (a range's low end where the table gives only maximums, a per-dose amount
    `as needed` against a per-day limit) is not this."""
    amounts = [(limit, entry) for entry in applicable for limit in _amount_limits(entry)]
    return bool(amounts) and not any(_convertible(unit, limit, entry) for limit, entry in amounts)


def _not_comparable(index: int, unit_text: str, applicable: list[LimitEntry], path: str) -> Hit:
    kinds = sorted({limit.unit_text for e in applicable for limit in _amount_limits(e)})
    volume = units.parse(unit_text)
    hint = ("give the table a `concentration` for this liquid, or write the dose as an amount"
            if volume is not None and volume.kind is units.Kind.VOLUME else
            "write the dose in a unit the table uses, or add a limit in this unit to the table")
    return Hit(("dosing", index, "dose", "unit"),
               f"the dose is in `{unit_text}`, which cannot be compared with the limits of {path} for it "
               f"({', '.join(kinds)}): the dose was not checked", hint=hint, subject=unit_text)


def _unreadable_frequency(index: int, entry: dict[str, Any], applicable: list[LimitEntry],
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
    return [("not-comparable", Hit(("dosing", index, "frequency"),
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


def other_drug(record: Record, limits: Limits) -> str | None:
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


def family_check(kind: str) -> Any:
    """The check of the limits rule that reports the verdicts of `kind` (`over-hard`, `over-soft`,
    `under-minimum`, `tenfold`, `not-comparable`): the comparison runs once per record for all of them."""
    def check(record: Record, context: RuleContext) -> Iterator[Hit]:
        if context.limits is not None:
            yield from (hit for found, hit in _cached(record, context.limits) if found == kind)

    return check


def single_lifetime_dose(record: Record, limits: Limits | None) -> bool:
    """The drug's table allows one dose in a lifetime for every dose entry (what ML203 calls a one-time
    therapy, whatever the record's `frequency` says)."""
    table = limits.table if limits is not None else None
    if limits is None or table is None or not table.usable or other_drug(record, limits) is not None:
        return False
    entries = list(record.dose_entries())
    return bool(entries) and all(
        any(e.one_dose_in_a_lifetime for e in table.applicable(indication_of(record), entry)) for _, entry in entries)


def coverage(record: Record, limits: Limits | None) -> tuple[str, int, int]:
    """(the table used, dose entries, entries it covers), for the editors' report."""
    entries = list(record.dose_entries())
    table = limits.table if limits is not None else None
    if limits is None or table is None or not table.usable or other_drug(record, limits) is not None:
        return "", len(entries), 0
    indication = indication_of(record)
    return table.path, len(entries), sum(1 for _, entry in entries if table.applicable(indication, entry))
