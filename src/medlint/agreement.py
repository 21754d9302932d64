"""Whether the amounts in a record's prose agree with its structured dosing.

`medlint.quantities` reads each amount in the prose and gives it a role. Only doses, per-weight doses and
maxima of this drug are compared, each with the matching part of the dosing (`medlint.allowed_doses`):

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
them only (`allowed_doses.Dosing.scopes`), and a stated weight turns a weight-based dose into the amount for
that weight, as an editor rounds it (7 mg/kg for 20 kg: 140 mg; "100 mg" for 15 kg). Without such words, an amount in a
dose entry's own text (its notes) is no worked example of another entry's weight-based dose. An amount that
equals a dosing amount as written agrees whoever the sentence names.

An amount that disagrees is judged (`judge`): the same number in another unit of the same kind (mg for
mcg, L for mL, units for units/kg), or a dosing amount times a power of ten, is a slip that can harm a
patient (`Verdict.dangerous`); any other disagreement is a question of consistency.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from . import units, whom as whom_
from .allowed_doses import TOLERANCE, Candidate, Dosing, cached_factor
from .quantities import COMPARED, Found, Reading, Role, amounts, names_of
from .units import number


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


_FOLDS = {1: "tenfold", 2: "100-fold", 3: "1,000-fold"}


def _inside(value: float, candidate: Candidate) -> bool:
    return (candidate.low / candidate.rounding * (1 - TOLERANCE) <= value
            <= candidate.high * candidate.rounding * (1 + TOLERANCE))


def _near(value: float, end: float, rounding: float, tolerance: float = TOLERANCE) -> bool:
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
            ratio = cached_factor(reading.base, candidate.base)
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
    factors = {id(c.base): cached_factor(reading.base, c.base) for c in {id(c.base): c for c in kind}.values()}
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
