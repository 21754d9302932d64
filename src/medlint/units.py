"""The house dose-unit vocabulary (docs/record-format.md, "Dose units"): parse, map to UCUM, compare.

A house unit is an amount (`mg`, `mcg`, `g`, `mL`, `units`, `million units`, `mmol`, `mEq`, `%`,
`vector genomes`, `tablets`, `capsules`, `puffs`, `drops`), optionally per body measure (`/kg`, `/m2`) and
then per time (`/day`, `/hour`, `/minute`, `/week`, `/dose`): `mg/kg/day`, `units/kg`, `vector genomes/kg`.

Why a data table and not a UCUM library at run time. `ucumvert` 0.3.2 (a Lark grammar of UCUM, with `pint`
for arithmetic) was tried: it works offline and its parser is a good *validator*, so the tests use it to
prove that every code below is valid UCUM. It is not used here because:

- UCUM's semantics are the wrong ones for dose checks. Annotations are unity, so `{tablet}` equals
  `{capsule}` equals `1`; `mg/kg` is dimensionless, so pint finds it compatible with `%` and `[iU]`;
  `[iU]` and `[USP'U]` come out interconvertible at factor 1, `meq` and `mmol` likewise (UCUM defines
  `eq` as a mole, which ignores valence); annotated codes crash its pint conversion. A dose linter must
  say the opposite in every one of these cases.
- Cost: importing it takes about 0.35 s and building its pint registry 0.5 s; a parse takes 0.3 to 0.9 ms,
  ten times the whole per-record budget of a rule. The house vocabulary is closed (14 amounts x 3 body
  measures x 6 times), so a table is exact, instant and easy to review.

The dimension model: a unit is (amount kind, per body measure, per time). Two units are convertible when
they measure the same amount kind (for counts, the same counted thing) per the same body measure and per
the same time, where "per dose" is no time at all (a dose field is an amount per dose). Arbitrary units
(`units`, UCUM `[iU]` or `[USP'U]`) convert only to themselves and to `million units`; they never convert
to mass, because the unit-to-mass ratio depends on the product.
"""
from __future__ import annotations

import difflib
import enum
import functools
import math
import re
from dataclasses import dataclass
from fractions import Fraction


class Kind(enum.StrEnum):
    """What an amount measures; amounts of different kinds never convert."""

    MASS = "mass"
    VOLUME = "volume"
    SUBSTANCE = "amount of substance"
    EQUIVALENTS = "equivalents"
    UNITS = "units"
    VECTOR_GENOMES = "vector genomes"
    COUNT = "count"
    PERCENT = "percent"


@dataclass(frozen=True)
class Amount:
    name: str  # house spelling, as the page shows it
    kind: Kind
    ucum: str
    exponent: int = 0  # size as a power of ten of the kind's reference amount (mg: -3 of g)
    counted: str = ""  # for counts: what is counted; tablets and capsules do not convert


_U = "[iU]"  # placeholder for the arbitrary-unit code; see Unit.ucum
AMOUNTS: dict[str, Amount] = {a.name: a for a in (
    Amount("mg", Kind.MASS, "mg", -3),
    Amount("mcg", Kind.MASS, "ug", -6),
    Amount("g", Kind.MASS, "g", 0),
    Amount("mL", Kind.VOLUME, "mL"),
    Amount("units", Kind.UNITS, _U),
    Amount("million units", Kind.UNITS, "10*6." + _U, 6),
    Amount("mmol", Kind.SUBSTANCE, "mmol"),
    Amount("mEq", Kind.EQUIVALENTS, "meq"),
    Amount("%", Kind.PERCENT, "%"),
    Amount("vector genomes", Kind.VECTOR_GENOMES, "{vector_genomes}"),
    # annotations, not UCUM's [drp] (a metric drop of 1/20 mL): an eye drop is counted, not measured
    Amount("tablets", Kind.COUNT, "{tablet}", counted="tablet"),
    Amount("capsules", Kind.COUNT, "{capsule}", counted="capsule"),
    Amount("puffs", Kind.COUNT, "{puff}", counted="puff"),
    Amount("drops", Kind.COUNT, "{drop}", counted="drop"),
)}
PER_BODY: dict[str, str] = {"kg": "kg", "m2": "m2"}  # house -> UCUM
PER_TIME: dict[str, str] = {"day": "d", "hour": "h", "minute": "min", "week": "wk", "dose": "{dose}"}
_MINUTES: dict[str, int] = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}  # "dose" is not a time
ARBITRARY_UNIT_CODES = ("[iU]", "[USP'U]")


@dataclass(frozen=True)
class Unit:
    """One house dose unit, such as `mg/kg/day`."""

    amount: Amount
    per_body: str | None = None  # "kg" | "m2"
    per_time: str | None = None  # "day" | "hour" | "minute" | "week" | "dose"

    @property
    def kind(self) -> Kind:
        return self.amount.kind

    @property
    def text(self) -> str:
        """The house spelling."""
        return "/".join(p for p in (self.amount.name, self.per_body, self.per_time) if p)

    @property
    def is_rate(self) -> bool:
        """Per a span of time (`/day`), as opposed to per dose."""
        return self.per_time in _MINUTES

    @property
    def dimension(self) -> tuple[Kind, str, str, bool]:
        """What must agree for two units to convert: kind, counted thing, body measure, rate-ness."""
        return (self.kind, self.amount.counted, self.per_body or "", self.is_rate)

    def ucum(self, arbitrary: str = "[iU]") -> str:
        """The UCUM code (case-sensitive form). `units` are arbitrary units: `[iU]` (international units)
        by default, or `[USP'U]` for products labelled in USP units; a page cannot tell them apart."""
        if arbitrary not in ARBITRARY_UNIT_CODES:
            raise ValueError(f"arbitrary units are one of {ARBITRARY_UNIT_CODES}, not {arbitrary!r}")
        parts = [self.amount.ucum.replace(_U, arbitrary)]
        if self.per_body:
            parts.append(PER_BODY[self.per_body])
        if self.per_time:
            parts.append(PER_TIME[self.per_time])
        return "/".join(parts)

    def __str__(self) -> str:
        return self.text


@functools.lru_cache(maxsize=512)
def parse(text: str) -> Unit | None:
    """The unit a house-style string names, or None. Exact spelling only: `mg/kg/d` is not house style."""
    amount_name, *pers = text.split("/")
    amount = AMOUNTS.get(amount_name)
    if amount is None:
        return None
    per_body = pers.pop(0) if pers and pers[0] in PER_BODY else None
    per_time = pers.pop(0) if pers and pers[0] in PER_TIME else None
    return None if pers else Unit(amount, per_body, per_time)


def house_units() -> tuple[Unit, ...]:
    """Every unit of the house vocabulary (amount x body measure x time)."""
    return tuple(Unit(amount, body, time) for amount in AMOUNTS.values()
                 for body in (None, *PER_BODY) for time in (None, *PER_TIME))


def convertible(a: Unit, b: Unit) -> bool:
    """Whether an amount in `a` can be written in `b`: mg and g yes, mg and mg/kg no, mg and mg/dose yes."""
    return a.dimension == b.dimension


def factor(a: Unit, b: Unit) -> float | None:
    """How many `b` make one `a` (mg -> g: 0.001; mg/kg/day -> mg/kg/hour: 1/24), or None."""
    if not convertible(a, b):
        return None
    ratio = Fraction(10) ** (a.amount.exponent - b.amount.exponent)
    if a.is_rate:  # per a longer time is less per minute
        assert a.per_time is not None and b.per_time is not None
        ratio *= Fraction(_MINUTES[b.per_time], _MINUTES[a.per_time])
    return float(ratio)


def same_amount_kind(a: Unit, b: Unit) -> bool:
    """Whether two units measure the same kind of amount, whatever they are per: mg/kg and mg yes,
    mg/kg and mL no, tablets and capsules no. What a dose and its cap must share."""
    return (a.kind, a.amount.counted) == (b.kind, b.amount.counted)


# --- error-prone spellings and suggestions ---------------------------------------------------------

# ISMP / Joint Commission error-prone unit designations -> the house spelling
ERROR_PRONE: dict[str, str] = {
    "µg": "mcg", "μg": "mcg", "ug": "mcg",  # micro sign and Greek mu; misread as mg
    "cc": "mL",  # misread as u (units) or 00
    "U": "units", "u": "units",  # misread as 0, 4 or cc
    "IU": "units",  # misread as IV or 10
    "mgs": "mg", "mg.": "mg",  # an s or a period is misread as a digit or a decimal point
}

# other spellings authors use, for suggestions only (the ones above are included)
_AMOUNT_ALIASES: dict[str, str] = {
    **ERROR_PRONE,
    "mcgs": "mcg", "microgram": "mcg", "micrograms": "mcg",
    "ml": "mL", "ML": "mL", "mls": "mL", "milliliter": "mL", "milliliters": "mL", "millilitre": "mL",
    "millilitres": "mL",
    "iu": "units", "IUs": "units", "unit": "units", "Units": "units", "international units": "units",
    "MG": "mg", "Mg": "mg", "milligram": "mg", "milligrams": "mg",
    "gm": "g", "gms": "g", "gram": "g", "grams": "g",
    "meq": "mEq", "MEQ": "mEq", "mEQ": "mEq", "milliequivalents": "mEq",
    "mmols": "mmol", "millimole": "mmol", "millimoles": "mmol",
    "MU": "million units", "MIU": "million units", "million IU": "million units", "million U": "million units",
    "million unit": "million units", "million international units": "million units",
    "percent": "%",
    "vg": "vector genomes", "VG": "vector genomes", "vector genome": "vector genomes",
    "tablet": "tablets", "tab": "tablets", "tabs": "tablets",
    "capsule": "capsules", "cap": "capsules", "caps": "capsules",
    "puff": "puffs", "drop": "drops", "gtt": "drops", "gtts": "drops",
}
_BODY_ALIASES: dict[str, str] = {"kg": "kg", "Kg": "kg", "KG": "kg", "m2": "m2", "m^2": "m2", "m²": "m2",
                                 "M2": "m2", "sq m": "m2"}
_TIME_ALIASES: dict[str, str] = {
    "day": "day", "d": "day", "24h": "day", "24 h": "day", "24 hours": "day",
    "hour": "hour", "hr": "hour", "hrs": "hour", "h": "hour",
    "minute": "minute", "min": "minute", "mins": "minute",
    "week": "week", "wk": "week", "wks": "week", "dose": "dose",
}
_PER = re.compile(r"\s*(?:/|\bper\b)\s*")
_SPACES = re.compile(r"\s+")


def _amount_suggestion(text: str) -> str | None:
    if text in AMOUNTS:
        return text
    alias = _AMOUNT_ALIASES.get(text) or _AMOUNT_ALIASES.get(text.lower())
    if alias:
        return alias
    close = difflib.get_close_matches(text, list(AMOUNTS), n=1, cutoff=0.75)
    return close[0] if close else None


@functools.lru_cache(maxsize=256)
def suggest(text: str) -> str | None:
    """The house unit an author probably meant (`µg/kg/d` -> `mcg/kg/day`, `mg/day/kg` -> `mg/kg/day`),
    or None when there is no confident guess."""
    amount_text, *per_texts = _PER.split(_SPACES.sub(" ", text.strip()))
    amount = _amount_suggestion(amount_text)
    if amount is None:
        return None
    body = [_BODY_ALIASES[p] for p in per_texts if p in _BODY_ALIASES]
    time = [_TIME_ALIASES[p] for p in per_texts if p in _TIME_ALIASES]
    if len(body) > 1 or len(time) > 1 or len(body) + len(time) != len(per_texts):
        return None
    candidate = "/".join([amount, *body, *time])  # house order: body measure before time
    return candidate if parse(candidate) is not None and candidate != text else None


def number(value: float) -> str:
    """A number as a page shows it: 875, 0.2, 1,000, 1.1 × 10^14."""
    if not math.isfinite(value):
        return str(value)
    if value >= 1e6:
        mantissa, exponent = f"{value:e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')} × 10^{int(exponent)}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")
