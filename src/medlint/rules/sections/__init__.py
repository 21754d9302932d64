"""Required sections: what their text must not contain (template residue and boilerplate).

That each required section is present and not empty is the schema's job (ML101, ML105); these rules
read the text of the sections that are there.
"""
from __future__ import annotations

from ..base import Rule
from .placeholder_text import PLACEHOLDER_TEXT
from .repeated_indication import REPEATED_INDICATION
from .single_dose_contradiction import SINGLE_DOSE_CONTRADICTION

RULES: tuple[Rule, ...] = (PLACEHOLDER_TEXT, REPEATED_INDICATION, SINGLE_DOSE_CONTRADICTION)
