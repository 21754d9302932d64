"""Dose limits (docs/limits.md): each dose, range end and cap against its drug's table in `limits/`.

The table is the content team's formulary, reviewed like the records. A dose is compared with every limit
entry whose route and population are its own and whose age and weight bands overlap its own, after its
unit is converted to the limit's (mg to g, mL through a stated concentration, a per-dose amount to a
per-day one through the frequency). Where several entries apply (an unbanded dose against banded limits),
the most permissive one decides, so that a correct record is never held to another band's numbers.
"""
from __future__ import annotations

from ..base import Rule
from .dose_above_hard_limit import DOSE_ABOVE_HARD_LIMIT
from .dose_above_soft_limit import DOSE_ABOVE_SOFT_LIMIT
from .dose_below_minimum import DOSE_BELOW_MINIMUM
from .dose_not_comparable import DOSE_NOT_COMPARABLE
from .invalid_limits import INVALID_LIMITS
from .no_dose_limits import NO_DOSE_LIMITS
from .tenfold_dose_error import TENFOLD_DOSE_ERROR

RULES: tuple[Rule, ...] = (DOSE_ABOVE_HARD_LIMIT, DOSE_ABOVE_SOFT_LIMIT, DOSE_BELOW_MINIMUM, TENFOLD_DOSE_ERROR,
                           DOSE_NOT_COMPARABLE, NO_DOSE_LIMITS, INVALID_LIMITS)
