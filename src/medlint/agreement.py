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

When the sentence says whom an amount is for (`medlint.whom`: "Adults start with 500 mg", "a child who weighs
20 kg takes 140 mg", "children who weigh 43 kg or more"), it is compared with the dose entries that can be for
them only (`Dosing.scopes`), and a stated weight turns a weight-based dose into the amount for that weight,
as an editor rounds it (7 mg/kg for 20 kg: 140 mg; "100 mg" for 15 kg). Without such words, an amount in a
dose entry's own text (its notes) is no worked example of another entry's weight-based dose. An amount that
equals a dosing amount as written agrees whoever the sentence names.

An amount that disagrees is judged (`judge`): the same number in another unit of the same kind (mg for
mcg, L for mL, units for units/kg), or a dosing amount times a power of ten, is a slip that can harm a
patient (`Verdict.dangerous`); any other disagreement is a question of consistency.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from . import frequency, growth, numbers, units, whom as whom_
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
    entry: int = -1  # the index of the dose entry it comes from
    rounding: float = 1.0  # how far a worked example for a stated weight may be rounded, as a factor either way


class Verdict(NamedTuple):
    """Why an amount disagrees with the dosing; `dangerous` when it is a slip that can harm a patient."""

    dangerous: bool
    message: str
    swapped: bool = False  # the same number as the dosing in another unit


def disagreements(text: str, found: Iterable[Found], names: Iterable[str], dosing: Dosing,
                  owner: Callable[[int], int | None] = lambda _: None) -> Iterator[tuple[Reading, Verdict]]:
    """The amounts in `text` that disagree with the dosing, read (`medlint.quantities`) and judged (`judge`)
    against the entries they can be about (`Dosing.scopes`); `owner` gives the dose entry whose own text an
    offset is in, if any.

    An amount that agrees with the dosing both as a dose and as a maximum agrees whatever its role, so the
    words around it are read only for the few that do not."""
    known = names_of(names)
    everything = dosing.everything
    listed = list(amounts(text, found, list({id(c.base): c.base for c in everything}.values())))
    reader = whom_.Reader(text, [amount.found.start for amount in listed])
    scoped: dict[tuple[whom_.Whom | None, int | None], list[tuple[Candidate, ...]]] = {}
    for amount in listed:
        dose = amount.reading(Role.DOSE)
        if _compare(dose, everything)[0]:
            continue
        key = (reader.whom(amount.found.start), owner(amount.found.start))
        if key not in scoped:
            scoped[key] = dosing.scopes(*key)
        scopes = scoped[key]
        if all(judge(dose, allowed) is None and judge(amount.reading(Role.MAXIMUM), allowed) is None
               for allowed in scopes):
            continue
        reading = amount.read(known)
        verdicts = [v for allowed in scopes if (v := judge(reading, allowed)) is not None]
        if verdicts and not _compare(reading, everything)[0]:
            yield reading, max(verdicts, key=lambda v: v.dangerous)


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
    scale = _factor(cap[2], unit)
    if scale is not None:
        return cap[1] * scale
    rate = _doses_a_day(written) if isinstance(written, str) else None
    if rate is None or rate[0] != rate[1] or rate[0] <= 0:
        return None
    daily = units.Unit(cap[2].amount, None, "day")
    if cap[2].is_rate:  # a cap per day on a dose per dose: a dose is at most its share
        scale, per_dose = _factor(cap[2], daily), units.Unit(cap[2].amount)
        other = _factor(per_dose, unit)
        return None if scale is None or other is None else cap[1] * scale / rate[0] * other
    scale = _factor(daily, unit)
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


# --- judging an amount ------------------------------------------------------------------------------------

_FOLDS = {1: "tenfold", 2: "100-fold", 3: "1,000-fold"}
_factor = functools.lru_cache(maxsize=1024)(units.factor)  # a corpus compares a few pairs of units, many times



def _inside(value: float, candidate: Candidate) -> bool:
    return (candidate.low / candidate.rounding * (1 - _TOLERANCE) <= value
            <= candidate.high * candidate.rounding * (1 + _TOLERANCE))


def _near(value: float, end: float, rounding: float, tolerance: float = _TOLERANCE) -> bool:
    return end / rounding * (1 - tolerance) <= value <= end * rounding * (1 + tolerance)


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
            if not _near(reading.value, end, candidate.rounding):
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
                if power in (-3, -2, -1, 1, 2, 3) and _near(ratio, 10.0 ** power, candidate.rounding, 1e-6):
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
