"""Pediatric versus adult dose labelling: who the indication covers, who each dose entry is for, and what the
labels and text say about it must agree (house policy; docs/record-format.md, `indication` and `dosing`).

Which words name a population, and when a mention in prose is about dosing that population, is the
domain module `medlint.populations`.
"""
from __future__ import annotations

from ..base import Rule
from .age_range_mismatch import AGE_RANGE_MISMATCH
from .dose_population_mismatch import DOSE_POPULATION_MISMATCH
from .indication_population_contradiction import INDICATION_POPULATION_CONTRADICTION
from .label_population_mismatch import LABEL_POPULATION_MISMATCH
from .missing_population_dose import MISSING_POPULATION_DOSE
from .pediatric_cap_above_adult_dose import PEDIATRIC_CAP_ABOVE_ADULT_DOSE
from .pediatric_dose_without_cap import PEDIATRIC_DOSE_WITHOUT_CAP

RULES: tuple[Rule, ...] = (DOSE_POPULATION_MISMATCH, LABEL_POPULATION_MISMATCH, MISSING_POPULATION_DOSE,
                           AGE_RANGE_MISMATCH, PEDIATRIC_DOSE_WITHOUT_CAP, PEDIATRIC_CAP_ABOVE_ADULT_DOSE,
                           INDICATION_POPULATION_CONTRADICTION)
