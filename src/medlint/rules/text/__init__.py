"""Text integrity: mojibake, letters from a script the record's language does not use, invisible and
control characters, and names whose capitalisation drifts within a record.

File-level encoding problems (not UTF-8, a byte-order mark, NUL bytes) are the loader's (ML003, ML004);
these rules look inside the values of a record that decoded cleanly.

The detectors are domain modules: `medlint.mojibake` (mis-encoded text), `medlint.lookalike` (letters of
another script, look-alike letters) and `medlint.name_case` (a name's capitalisation against its field's).

Characters inside a reported mojibake sequence are not reported again as foreign script or control
characters.
"""
from __future__ import annotations

from ..base import Rule
from .control_character import CONTROL_CHARACTER
from .foreign_script import FOREIGN_SCRIPT
from .inconsistent_capitalisation import INCONSISTENT_CAPITALISATION
from .mojibake import MOJIBAKE

RULES: tuple[Rule, ...] = (MOJIBAKE, FOREIGN_SCRIPT, CONTROL_CHARACTER, INCONSISTENT_CAPITALISATION)
