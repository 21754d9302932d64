"""Value objects: a severity reads as its bare value wherever an output format spells it."""
from __future__ import annotations

import json

from medlint.model import Severity


def test_a_severity_is_its_value_as_text() -> None:
    error = Severity.ERROR
    assert (str(error), f"{error}", f"{error:>7}", json.dumps({error: error})) == (
        "error", "error", "  error", '{"error": "error"}')
    assert error == "error" and Severity("warning") is Severity.WARNING
    assert sorted(Severity) == [Severity.ERROR, Severity.WARNING]
