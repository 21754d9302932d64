"""Dose-limit tables (docs/limits.md): `limits/<drug>.yaml`, read as numbers and checked for contradictions.

A table is a YAML file loaded by the record loader (so a broken one gets positioned ML001-ML007 findings),
validated by `schemas/limits.schema.json` (ML101-ML105) and then read here. What JSON Schema cannot say is
checked here and reported as ML807 invalid-limits: units outside the house vocabulary or of the wrong kind
for their limit, a soft limit above the hard one, a minimum above a maximum, bands that run backwards, and
two entries whose bands overlap but whose limits disagree. A table with any such error is not used: the
records of its drug are told so (ML806) rather than checked against numbers nobody can trust.
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from . import growth, numbers, schema, units
from .model import Hit, Pointer
from .record import Record

DOSES = "doses"  # the unit of a per_lifetime limit that counts doses rather than an amount
KINDS = ("per_dose", "per_day", "per_kg_per_dose", "per_kg_per_day", "per_m2", "per_lifetime")
# what a limit's unit is per: (per body measure, per day); per_lifetime takes an amount or `doses`
_SHAPES: dict[str, tuple[str | None, bool]] = {
    "per_dose": (None, False), "per_day": (None, True), "per_kg_per_dose": ("kg", False),
    "per_kg_per_day": ("kg", True), "per_m2": ("m2", False), "per_lifetime": (None, False),
}
_EXAMPLES = {"per_dose": "mg", "per_day": "mg/day (or mg/week)", "per_kg_per_dose": "mg/kg",
             "per_kg_per_day": "mg/kg/day", "per_m2": "mg/m2", "per_lifetime": "mg, or doses"}
_BOUNDS = ("minimum", "soft", "hard")

Band = tuple[float, float]  # [from, under): -inf and inf where a side is open
OPEN: Band = (-math.inf, math.inf)


@dataclass(frozen=True)
class Limit:
    kind: str  # one of KINDS
    unit: units.Unit | None  # None for a lifetime count of doses
    minimum: float | None
    soft: float | None
    hard: float | None
    pointer: Pointer  # where it is written in the table, for messages

    @property
    def unit_text(self) -> str:
        return DOSES if self.unit is None else self.unit.text

    @property
    def ceiling(self) -> float | None:
        """The lowest maximum: what a dose must stay under to raise nothing."""
        return min((b for b in (self.soft, self.hard) if b is not None), default=None)


@dataclass(frozen=True)
class Concentration:
    amount: float
    unit: units.Unit
    volume_ml: float

    def per_ml(self) -> float:
        return self.amount / self.volume_ml


@dataclass(frozen=True)
class LimitEntry:
    index: int
    route: str
    population: str
    age: Band  # in days
    weight: Band  # in kg
    indications: frozenset[str]  # the records (`records/<drug>/<indication>.yaml`) it is for; empty: all
    source: str
    concentration: Concentration | None
    limits: tuple[Limit, ...]

    def covers(self, route: Any, population: Any, age: Band, weight: Band, indication: str | None = None) -> bool:
        return (route == self.route and population == self.population and _overlap(age, self.age)
                and _overlap(weight, self.weight)
                and (not self.indications or indication is None or indication in self.indications))

    @property
    def one_dose_in_a_lifetime(self) -> bool:
        return any(limit.kind == "per_lifetime" and limit.unit is None and limit.hard == 1 for limit in self.limits)


@dataclass(frozen=True)
class Table:
    """One drug's limits as read from its file; `errors` counts the problems that make it unusable."""

    path: str
    digest: str  # of the file's bytes: part of the cache key of every record of the drug
    generic_name: str | None
    entries: tuple[LimitEntry, ...]
    errors: int = 0

    @property
    def usable(self) -> bool:
        return self.errors == 0

    def applicable(self, indication: str | None, dose: Mapping[str, Any]) -> list[LimitEntry]:
        """The entries that cover a record's dose entry (a `dosing[]` mapping). Entries that name the record's
        indication replace the entries for every indication: they are the more specific."""
        age, weight = band(dose.get("age_range")), band(dose.get("weight_range"), weight=True)
        covering = [entry for entry in self.entries
                    if entry.covers(dose.get("route"), dose.get("population"), age, weight, indication)]
        specific = [entry for entry in covering if entry.indications]
        return specific or covering


class Limits(NamedTuple):
    """What a record's rules know of its drug's limits (RuleContext.limits)."""

    table: Table | None  # None: the drug has no limits file
    required: bool  # `require-limits = true`: a dose with no limit entry is an error
    path: str  # where the drug's table is or would be, for messages


def shown(value: float) -> str:
    """A number as a page shows it: 875, 0.2, 1,000, 1.1 × 10^14."""
    if value >= 1e6:
        mantissa, exponent = f"{value:e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')} × 10^{int(exponent)}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def times(ratio: float) -> str:
    """A ratio as a reader says it: 10, 62.5, 1,000."""
    return shown(float(f"{ratio:.3g}"))


# --- bands ----------------------------------------------------------------------------------------

def _overlap(a: Band, b: Band) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def band(value: Any, weight: bool = False) -> Band:
    """An age band in days or a weight band in kg; an absent or unreadable side is open (the schema
    reports what cannot be read)."""
    if not isinstance(value, dict):
        return OPEN
    measure = growth.weight_kg if weight else growth.age_days
    low, high = measure(value.get("from")), measure(value.get("under"))
    return (-math.inf if low is None else low, math.inf if high is None else high)


# --- reading a table ------------------------------------------------------------------------------

def _number(value: Any) -> float | None:
    return numbers.finite(value)  # a number past float range is the loader's ML005, not a limit


def _unit_problem(kind: str, text: str, unit: units.Unit | None) -> str | None:
    if kind == "per_lifetime" and text == DOSES:
        return None
    if unit is None:
        suggestion = units.suggest(text)
        return f"`{text}` is not a house dose unit" + (f" (did you mean `{suggestion}`?)" if suggestion else "")
    body, daily = _SHAPES[kind]
    per_time_ok = unit.is_rate if daily else unit.per_time in (None, "dose")
    # a percentage is the strength of a cream or ointment: a limit on what one application is, not an amount
    percent_ok = kind == "per_dose" or unit.kind is not units.Kind.PERCENT
    if unit.per_body != body or not per_time_ok or not percent_ok:
        return f"`{text}` is not a {kind} unit: write one like `{_EXAMPLES[kind]}`"
    return None


def _read_limit(kind: str, value: Any, pointer: Pointer, hits: list[Hit]) -> Limit | None:
    if not isinstance(value, dict) or not isinstance(value.get("unit"), str):
        return None  # the schema reports it
    unit = units.parse(value["unit"])
    problem = _unit_problem(kind, value["unit"], unit)
    if problem:
        hits.append(Hit((*pointer, "unit"), f"{problem}, so the limit cannot be compared with any dose",
                        hint=f"{kind} limits are written in units like `{_EXAMPLES[kind]}`", subject=value["unit"]))
        return None
    minimum, soft, hard = (_number(value.get(key)) for key in _BOUNDS)
    if minimum is None and soft is None and hard is None:
        hits.append(Hit(pointer, f"`{kind}` gives no minimum, soft or hard limit", hint="give at least one, or "
                                 "remove it", on_key=True, subject=f"{kind}:empty"))
        return None
    if soft is not None and hard is not None and soft > hard:
        hits.append(Hit((*pointer, "soft"), f"the soft limit ({shown(soft)} {value['unit']}) is above the hard "
                                            f"limit ({shown(hard)}): it can never warn before the hard limit refuses",
                        hint="the soft limit is the top of the usual range, below the hard one: check both numbers",
                        subject=f"{kind}:soft>hard"))
    ceiling = min((b for b in (soft, hard) if b is not None), default=None)
    if minimum is not None and ceiling is not None and minimum > ceiling:
        hits.append(Hit((*pointer, "minimum"), f"the minimum ({shown(minimum)} {value['unit']}) is above the "
                                               f"maximum ({shown(ceiling)}): no dose can pass",
                        hint="check the numbers against the label", subject=f"{kind}:minimum>maximum"))
    return Limit(kind, unit, minimum, soft, hard, pointer)


def _read_concentration(value: Any, pointer: Pointer, hits: list[Hit]) -> Concentration | None:
    if not isinstance(value, dict) or not isinstance(value.get("unit"), str):
        return None
    unit = units.parse(value["unit"])
    amount, volume = _number(value.get("value")), _number(value.get("volume"))
    if unit is None or unit.per_body or unit.per_time or unit.kind in (units.Kind.VOLUME, units.Kind.PERCENT,
                                                                       units.Kind.COUNT):
        hits.append(Hit((*pointer, "unit"), f"`{value['unit']}` is not an amount of drug that a mL of liquid can "
                                            "hold", hint="write the amount in a unit such as mg or units, and the "
                                                         "volume in mL", subject=str(value["unit"])))
        return None
    return Concentration(amount, unit, volume) if amount and volume else None


def _read_entry(index: int, value: Any, hits: list[Hit]) -> LimitEntry | None:
    if not isinstance(value, dict):
        return None
    pointer: Pointer = ("limits", index)
    for key, weight in (("age_range", False), ("weight_range", True)):
        low, high = band(value.get(key), weight)
        if low >= high:
            hits.append(Hit((*pointer, key), f"the band `{key}` runs from {value[key].get('from')} to under "
                                             f"{value[key].get('under')}: it covers nobody",
                            hint="`from` is inclusive and must be below `under`", on_key=True,
                            subject=f"{key}:empty"))
    read = [_read_limit(kind, value[kind], (*pointer, kind), hits) for kind in KINDS if kind in value]
    if not any(kind in value for kind in KINDS):
        hits.append(Hit(pointer, "this entry gives no limit", hint="add per_dose, per_day, per_kg_per_dose, "
                                 "per_kg_per_day, per_m2 or per_lifetime", subject=f"limits[{index}]:empty"))
    listed = value.get("indications")
    indications = frozenset(i for i in listed if isinstance(i, str)) if isinstance(listed, list) else frozenset()
    return LimitEntry(index, str(value.get("route")), str(value.get("population")), band(value.get("age_range")),
                      band(value.get("weight_range"), True), indications, str(value.get("source", "")),
                      _read_concentration(value.get("concentration"), (*pointer, "concentration"), hits),
                      tuple(limit for limit in read if limit is not None))


def _disagreements(entries: Sequence[LimitEntry]) -> Iterator[Hit]:
    """Entries for one route and population whose bands overlap must not give one dose two answers."""
    for later_index, later in enumerate(entries):
        for earlier in entries[:later_index]:
            # an entry for some indications replaces the general entries for them, so only entries of the
            # same scope can contradict each other
            same_scope = earlier.indications & later.indications if later.indications else not earlier.indications
            if not same_scope or not earlier.covers(later.route, later.population, later.age, later.weight):
                continue
            for limit in later.limits:
                other = next((o for o in earlier.limits if o.kind == limit.kind and o.unit == limit.unit), None)
                if other is None or (other.minimum, other.soft, other.hard) == (limit.minimum, limit.soft, limit.hard):
                    continue
                yield Hit(limit.pointer, f"limits[{later.index}] and limits[{earlier.index}] both cover "
                                         f"{later.population} {later.route} doses in overlapping bands but give "
                                         f"different `{limit.kind}` limits: a dose in the overlap has two answers",
                          hint="make the bands meet without overlapping (`under` of one is `from` of the next), "
                               "or give the same limits", on_key=True, subject=f"limits[{earlier.index}]/{limit.kind}")


def read(record: Record, digest: str = "") -> tuple[Table, list[tuple[str, Hit]]]:
    """The table a loaded limits file holds, and its problems as (kind, hit): the schema's (schema.check),
    then what the schema cannot say (`contradiction`)."""
    problems = list(schema.check_limits(record))
    hits: list[Hit] = []
    data = record.data
    listed = data.get("limits")
    entries = [_read_entry(index, value, hits) for index, value in enumerate(listed)] \
        if isinstance(listed, list) else []
    kept = tuple(entry for entry in entries if entry is not None)
    hits.extend(_disagreements(kept))
    problems += [("contradiction", hit) for hit in hits]
    drug = data.get("drug")
    name = drug.get("generic_name") if isinstance(drug, dict) else None
    return Table(record.path, digest, name if isinstance(name, str) else None, kept, len(problems)), problems


def problems(record: Record) -> tuple[tuple[str, Hit], ...]:
    """`read`'s problems of a table, read once however many rules report them."""
    return record.derived(("limits table",), lambda loaded: tuple(read(loaded)[1]))


class LimitSet(NamedTuple):
    """The run's tables: every `limits/<drug>.yaml` of the configured folder, read once per run."""

    folder: str  # as shown to the user
    tables: Mapping[str, Table]  # drug (the records' folder name) -> its table
    required: bool = False  # `require-limits = true`

    def for_drug(self, drug: str | None) -> Limits | None:
        if drug is None:
            return None
        return Limits(self.tables.get(drug), self.required, f"{self.folder}/{drug}.yaml")

    def digest(self, drug: str | None) -> str:
        """What a record of `drug` is checked against, as its cache entry holds it: the table's path as messages
        show it, its bytes, and whether it can be used (one that cannot be read has no bytes, yet is not none)."""
        table = self.tables.get(drug) if drug else None
        return "\0".join((table.path, table.digest, str(table.errors))) if table else ""
