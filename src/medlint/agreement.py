"""Whether the amounts in a record's prose agree with its structured dosing.

`medlint.quantities` reads each amount in the prose and gives it a role. Only doses, per-weight doses and
maxima of this drug are compared, each with the matching part of the dosing (`candidates`):

| the text says | compared with |
| --- | --- |
| a dose, "Take 500 mg" | the dose (a value inside a range agrees), or any amount up to the cap of a weight-based dose |
| a per-weight dose, "14 mg per kilogram" | the per-kg (or per-m2) dose |
| a daily amount, "1,000 mg a day" | the dose times the doses a day its `frequency` allows (`medlint.frequency`) |
| a maximum, "up to 2 mg", "no more than 4,000 mg in 24 hours" | `max_dose`, or the top of a dose, per dose or per day |
| a titration step, "then increase to 2 mg" | nothing, unless it is a slip above every dose (below) |

A weight-based dose with no cap allows any amount up to its dose for the heaviest person its weight or age
band holds (`medlint.growth`): "5,000 mg" is no worked example of 25 mg/kg for children under 4 years.

An amount that disagrees is judged (`judge`): the same number in another unit of the same kind (mg for
mcg, L for mL, units for units/kg), or a dosing amount times a power of ten, is a slip that can harm a
patient (`Verdict.dangerous`); any other disagreement is a question of consistency.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from . import frequency, growth, numbers, units
from .quantities import COMPARED, SPAN_DAYS, Found, Reading, Role, amounts, base, names_of
from .units import number


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


def disagreements(text: str, found: Iterable[Found], names: Iterable[str],
                  allowed: Sequence[Candidate]) -> Iterator[tuple[Reading, Verdict]]:
    """The amounts in `text` that disagree with the dosing, read (`medlint.quantities`) and judged (`judge`).

    An amount that agrees with the dosing both as a dose and as a maximum agrees whatever its role, so the
    words around it are read only for the few that do not."""
    known = names_of(names)
    for amount in amounts(text, found, list({id(c.base): c.base for c in allowed}.values())):
        dose = amount.reading(Role.DOSE)
        if _compare(dose, allowed)[0] or (judge(dose, allowed) is None
                                          and judge(amount.reading(Role.MAXIMUM), allowed) is None):
            continue
        reading = amount.read(known)
        verdict = judge(reading, allowed)
        if verdict is not None:
            yield reading, verdict


# --- what the dosing allows the text to say -------------------------------------------------------------

_TOLERANCE = 1e-9


def _positive(value: Any) -> float | None:
    """A YAML number as a float, or None: not a number, not above 0, or past float range (a 400-digit integer)."""
    number = numbers.finite(value)
    return number if number is not None and number > 0 else None


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


def _native(low: float, high: float, unit: units.Unit, says: str, derived: bool = False) -> Candidate:
    """A candidate as the dosing writes it: per dose, or per day for a rate (`mg/kg/day`, `mcg/kg/min`)."""
    days = SPAN_DAYS.get(unit.per_time or "")
    scale = 1 / days if days is not None else 1.0
    ends = () if derived else tuple(sorted({low * scale, high * scale}))
    return Candidate(low * scale, high * scale, base(unit.amount.name, unit.per_body), days is not None, ends,
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


def _entry_candidates(entry: Mapping[str, Any], ages: Any) -> Iterator[Candidate]:
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
            # with no cap, the heaviest person the entry is for (its weight or age band) bounds a worked
            # example: a fixed amount above it is no dose this entry gives ("5,000 mg" where infants get 25 mg/kg)
            fixed = units.Unit(unit.amount, None, unit.per_time)
            age = entry.get("age_range") if isinstance(entry.get("age_range"), Mapping) else ages
            bound = growth.heaviest(age, entry.get("weight_range")) if unit.per_body == "kg" else None
            if bound is None:
                top, says = math.inf, f"an amount that depends on body weight ({_span(low, high, unit.text)})"
            else:
                top = high * bound.weight
                says = (f"any amount up to {number(high)} {unit} for {bound.under}" if not bound.by_age else
                        f"any amount up to {number(high)} {unit} for a child under {bound.under} (up to about "
                        f"{bound.weight:.0f} kg)")
            native.append(_native(0.0, top, fixed, says, derived=True))
    written = entry.get("frequency")
    rate = _doses_a_day(written) if isinstance(written, str) else None
    for candidate in native:
        yield candidate
        if rate is not None and isinstance(written, str):
            other = _rated(candidate, rate, written)
            if other is not None:
                yield other


def candidates(entries: Iterable[Mapping[str, Any]], ages: Any = None) -> tuple[Candidate, ...]:
    """What the structured dosing allows the text to say: every dose and cap, per dose and per day. `ages` is
    the indication's `age_range`, which holds for an entry without its own."""
    return tuple(c for entry in entries for c in _entry_candidates(entry, ages))


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
