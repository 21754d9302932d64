"""The health-literacy pack: opt-in rules (family `health-literacy`) for patient-facing text beyond the
reading grade of ML701. Off unless selected by code, name or family: `extend-select = ["health-literacy"]`."""
from __future__ import annotations

from ..base import Rule
from .acronyms import UNDEFINED_ACRONYM
from .dose_calculation import DOSE_CALCULATION
from .plain_words import PLAIN_LANGUAGE
from .smog import SMOG_GRADE

RULES: tuple[Rule, ...] = (SMOG_GRADE, PLAIN_LANGUAGE, UNDEFINED_ACRONYM, DOSE_CALCULATION)
