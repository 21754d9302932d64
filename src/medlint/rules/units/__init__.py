"""Dose units (docs/record-format.md, "Dose units"): house-style units, error-prone designations, consistent doses.

Structured fields (`dosing[].dose`, `dosing[].max_dose`) are read through `medlint.units`; prose is every
patient-facing text field (`fields.prose`). A prose *quantity* is a number directly followed (after optional
spaces) by a house dose unit, such as `10 mg`, `0.2 units/kg` or `1.1 × 10^14 vector genomes/kg`: only
those are checked, so ages, durations, lab values (`mg/dL` is not a dose unit) and gene names stay quiet.
"""
from __future__ import annotations

from ..base import Rule
from .dose_cap_mismatch import DOSE_CAP_MISMATCH
from .dose_range_order import DOSE_RANGE_ORDER
from .error_prone_abbreviation import ERROR_PRONE_ABBREVIATION
from .error_prone_unit import ERROR_PRONE_UNIT
from .missing_thousands_separator import MISSING_THOUSANDS_SEPARATOR
from .mixed_unit_scales import MIXED_UNIT_SCALES
from .mixed_units import MIXED_UNITS
from .naked_decimal import NAKED_DECIMAL
from .number_out_of_range import NUMBER_OUT_OF_RANGE
from .number_unit_spacing import NUMBER_UNIT_SPACING
from .power_of_ten_notation import POWER_OF_TEN_NOTATION
from .prose_dose_mismatch import PROSE_DOSE_MISMATCH
from .prose_dose_tenfold_or_unit_swap import PROSE_DOSE_TENFOLD_OR_UNIT_SWAP
from .trailing_zero import TRAILING_ZERO
from .unknown_unit import UNKNOWN_UNIT

RULES: tuple[Rule, ...] = (
    UNKNOWN_UNIT, ERROR_PRONE_UNIT, ERROR_PRONE_ABBREVIATION, TRAILING_ZERO, NAKED_DECIMAL,
    NUMBER_UNIT_SPACING, MISSING_THOUSANDS_SEPARATOR, MIXED_UNITS, DOSE_RANGE_ORDER, DOSE_CAP_MISMATCH,
    PROSE_DOSE_MISMATCH, POWER_OF_TEN_NOTATION, PROSE_DOSE_TENFOLD_OR_UNIT_SWAP, MIXED_UNIT_SCALES,
    NUMBER_OUT_OF_RANGE,
)
