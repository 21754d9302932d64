"""What a record's structured dosing allows its prose to say (`candidates`, `Dosing`): every dose and cap,
per dose and per day, and for a weight-based dose the amounts for the weights and ages a sentence names.
`medlint.agreement` compares the prose's amounts with them."""
from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from . import frequency, growth, numbers, units, whom as whom_
from .quantities import SPAN_DAYS, base
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
    entry: int = -1  # the index of the dose entry it comes from
    rounding: float = 1.0  # how far a worked example for a stated weight may be rounded, as a factor either way


TOLERANCE = 1e-9


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


def _native(low: float, high: float, unit: units.Unit, says: str, derived: bool = False,
            ends: Iterable[float] | None = None) -> Candidate:
    """A candidate as the dosing writes it: per dose, or per day for a rate (`mg/kg/day`, `mcg/kg/min`). Its
    `ends` are `low` and `high`, none for a worked example, or the ones given."""
    days = SPAN_DAYS.get(unit.per_time or "")
    scale = 1 / days if days is not None else 1.0
    written = () if derived else (low, high)
    return Candidate(low * scale, high * scale, base(unit.amount.name, unit.per_body), days is not None,
                     tuple(sorted({end * scale for end in (written if ends is None else ends)})), says, derived)


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
    computed = candidate.derived or candidate.rounding != 1  # not amounts the dosing writes: shown rounded
    if not candidate.daily:
        low, high = candidate.low * fewest, candidate.high * most
        ends = tuple(sorted({end * f for end in candidate.ends for f in (fewest, most) if f > 0}))
        shown = _span(_about(low), _about(high), base) if computed else _span(low, high, base)
        return candidate._replace(low=low, high=high, daily=True, ends=ends,
                                  says=f"{shown} a day ({candidate.says} {written})")
    if most == 0:
        return None
    low, high = candidate.low / most, candidate.high / fewest if fewest > 0 else math.inf
    ends = tuple(sorted({end / f for end in candidate.ends for f in (fewest, most) if f > 0}))
    shown = _span(_about(low), _about(high), base) if computed else _span(low, high, base)
    return candidate._replace(low=low, high=high, daily=False, ends=ends,
                              says=f"{shown} a dose ({candidate.says} {written})")


def _rates(native: Iterable[Candidate], entry: Mapping[str, Any]) -> Iterator[Candidate]:
    """Each candidate, and the same per day or per dose as the entry's `frequency` allows."""
    written = entry.get("frequency")
    rate = _doses_a_day(written) if isinstance(written, str) else None
    for candidate in native:
        yield candidate
        if rate is not None and isinstance(written, str):
            other = _rated(candidate, rate, written)
            if other is not None:
                yield other


def _entry_candidates(entry: Mapping[str, Any], ages: Any, index: int = -1) -> Iterator[Candidate]:
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
    yield from (candidate._replace(entry=index) for candidate in _rates(native, entry))


def candidates(entries: Iterable[Mapping[str, Any]], ages: Any = None) -> tuple[Candidate, ...]:
    """What the structured dosing allows the text to say: every dose and cap, per dose and per day. `ages` is
    the indication's `age_range`, which holds for an entry without its own."""
    return tuple(c for index, entry in enumerate(entries) for c in _entry_candidates(entry, ages, index))


# an editor rounds a worked example to what can be measured: "100 mg" for 7 mg/kg x 15 kg (105 mg), "5 mL
# (250 mg)" for 14 mg/kg x 18 kg (252 mg); a factor of 1.25 either way, well short of a slip of ten
_ROUNDING = 1.25


def _weights(band: whom_.Band) -> str:
    if math.isinf(band.high):
        return f"{number(band.low)} kg or more"
    if band.low == 0:
        return f"{'up to' if band.closed else 'under'} {number(band.high)} kg"
    return f"{number(band.low)} kg" if band.low == band.high else f"{number(band.low)} to {number(band.high)} kg"


def _about(value: float) -> float:
    """A computed amount as a message shows it: three significant figures (44.1 mg, not 44.1063027157 mg)."""
    return float(f"{value:.3g}") if math.isfinite(value) else value


class _PerKg(NamedTuple):
    """A dose per kg of body weight, and the amounts it gives."""

    low: float
    high: float
    unit: units.Unit
    top: float  # the cap, in the amount's unit (infinite when none)
    says: str  # "7 mg/kg, up to 300 mg"

    def amounts(self, weights: whom_.Band) -> tuple[float, float]:
        return min(self.low * weights.low, self.top), min(self.high * weights.high, self.top)

    @property
    def fixed(self) -> units.Unit:
        return units.Unit(self.unit.amount, None, self.unit.per_time)


def _cap_as(cap: tuple[float, float, units.Unit], unit: units.Unit, written: Any) -> float | None:
    """A cap in the unit of a dose (`mg` per dose for `mg/kg`): through the doses a day when one is per day and
    the other per dose, if `frequency` gives one number of doses a day (875 mg a dose, twice daily: 1,750 mg a
    day); None when it cannot be told."""
    scale = cached_factor(cap[2], unit)
    if scale is not None:
        return cap[1] * scale
    rate = _doses_a_day(written) if isinstance(written, str) else None
    if rate is None or rate[0] != rate[1] or rate[0] <= 0:
        return None
    daily = units.Unit(cap[2].amount, None, "day")
    if cap[2].is_rate:  # a cap per day on a dose per dose: a dose is at most its share
        scale, per_dose = cached_factor(cap[2], daily), units.Unit(cap[2].amount)
        other = cached_factor(per_dose, unit)
        return None if scale is None or other is None else cap[1] * scale / rate[0] * other
    scale = cached_factor(daily, unit)
    return None if scale is None else cap[1] * rate[0] * scale


def _per_kg(entry: Mapping[str, Any]) -> _PerKg | None:
    """The entry's dose when it is per kg, or None (also when its cap cannot be put in the dose's unit). A cap
    per kg (40 mg/kg a day) caps no amount."""
    dose = _quantity(entry.get("dose"))
    if dose is None or dose[2].per_body != "kg":
        return None
    low, high, unit = dose
    cap = _quantity(entry.get("max_dose"))
    if cap is None or cap[2].per_body is not None:
        return _PerKg(low, high, unit, math.inf, _span(low, high, unit.text))
    top = _cap_as(cap, units.Unit(unit.amount, None, unit.per_time), entry.get("frequency"))
    if top is None:
        return None
    return _PerKg(low, high, unit, top, f"{_span(low, high, unit.text)}, up to {number(cap[1])} {cap[2]}")


def _weighed(entry: Mapping[str, Any], ages: Any, index: int, whom: whom_.Whom) -> list[Candidate] | None:
    """A weight-based dose as the amounts for the weights the text states (7 mg/kg for 20 kg: 140 mg, up to
    the cap; a cap per kg, 75 mg/kg a day, as a cap of 1,500 mg a day), or None when it is not per kg. A weight
    band ("43 kg or more") allows any amount between those for its ends, like a worked example (`derived`); a
    slip is measured from the amounts at the weights the text states."""
    dose = _per_kg(entry)
    if dose is None:
        return None
    cap = _quantity(entry.get("max_dose"))
    per_kg_cap = cap if cap is not None and cap[2].per_body == "kg" else None
    native = []
    for band in whom.weights:
        held = whom.weighs(entry, ages, band)
        if held is None:
            continue
        # not where the entry's own weight or age band cuts the stated band short: that end was never written
        edges = [(edge, per_end) for edge, kept, per_end in ((band.low, held.low, 0), (band.high, held.high, 1))
                 if 0 < edge < math.inf and kept == edge]
        least, most = dose.amounts(held)
        says = (f"{_span(_about(least), _about(most), dose.fixed.text)} for someone who weighs {_weights(band)} "
                f"({dose.says})")
        ends = [min((dose.low, dose.high)[per_end] * edge, dose.top) for edge, per_end in edges]
        native.append(_native(least, most, dose.fixed, says, derived=band.low != band.high, ends=ends))
        if per_kg_cap is not None:
            value, unit = per_kg_cap[1], per_kg_cap[2]
            fixed = units.Unit(unit.amount, None, unit.per_time)
            says = (f"a maximum of {_span(_about(value * held.low), _about(value * held.high), fixed.text)} for "
                    f"someone who weighs {_weights(band)} ({number(value)} {unit})")
            native.append(_native(value * held.low, value * held.high, fixed, says, derived=band.low != band.high,
                                  ends=[value * edge for edge, _ in edges])._replace(cap=True))
    return [c._replace(entry=index, rounding=_ROUNDING) for c in _rates(native, entry)]


def _aged(entry: Mapping[str, Any], ages: Any, index: int, who: whom_.Who) -> list[Candidate] | None:
    """A weight-based dose as what it gives children of the ages the text states (`whom.aged`: 10 mg/kg for
    children 12 years and older is at least 250 mg), a worked example's bounds; None when it cannot say."""
    dose = _per_kg(entry)
    weights = whom_.aged(who, entry, ages) if dose is not None else None
    if dose is None or weights is None or who.ages is None:
        return None
    least, most = dose.amounts(weights)
    says = (f"any amount from {number(_about(least))} to {number(_about(most))} {dose.fixed} for children of the "
            f"ages the text gives (about {weights.low:.0f} to {weights.high:.0f} kg; {dose.says})")
    return [c._replace(entry=index) for c in _rates([_native(least, most, dose.fixed, says, derived=True)], entry)]


class Dosing(NamedTuple):
    """A record's dose entries (by their index in `dosing`) and what they allow the text to say."""

    entries: tuple[tuple[int, Mapping[str, Any]], ...]
    ages: Any  # the indication's `age_range`
    everything: tuple[Candidate, ...]

    @classmethod
    def of(cls, entries: Iterable[tuple[int, Mapping[str, Any]]], ages: Any = None) -> Dosing:
        listed = tuple(entries)
        return cls(listed, ages, tuple(c for index, entry in listed for c in _entry_candidates(entry, ages, index)))

    def scopes(self, whom: whom_.Whom | None, owner: int | None) -> list[tuple[Candidate, ...]]:
        """What the dosing allows an amount to say, once for each of the people its sentence says it is for
        (the entries that can be for them, with a stated weight's amounts): "teens and adults take 500 mg"
        must agree with the teens' entries and with the adults'. Without such words, what it allows an
        amount in entry `owner`'s own text (no worked example of an entry for other people); else everything."""
        if whom is not None:
            scopes = []
            for who in whom.who or (None,):
                one = whom_.Whom((who,) if who else (), whom.weights)
                held = {index for index, entry in self.entries if one.holds(entry, self.ages)}
                if held:
                    scopes.append(self._held(one, held))
            if scopes:
                return scopes
        own = dict(self.entries).get(owner) if owner is not None else None
        if own is not None:
            # the entries for the same people ("another way to split the same daily amount") may be meant
            people = whom_.of_entry(own, self.ages)
            near = {index for index, other in self.entries if people.holds(other, self.ages)}
            return [tuple(c for c in self.everything if not c.derived or c.entry in near)]
        return [self.everything]

    def _held(self, whom: whom_.Whom, held: set[int]) -> tuple[Candidate, ...]:
        """The held entries' candidates, a per-kg dose's worked examples bounded by the stated weights or ages."""
        out: list[Candidate] = []
        for index, entry in self.entries:
            if index in held:
                bounded = (_weighed(entry, self.ages, index, whom) if whom.weights
                           else _aged(entry, self.ages, index, whom.who[0]) if whom.who else None)
                out.extend(c for c in self.everything if c.entry == index and not (bounded is not None and c.derived))
                out.extend(bounded or ())
        return tuple(out)


cached_factor = functools.lru_cache(maxsize=1024)(units.factor)  # a corpus compares a few pairs of units, many times
