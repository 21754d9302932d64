"""The frequency vocabulary as numbers: every form in the module's table, and what is refused."""
from __future__ import annotations

import re
from fractions import Fraction as F

import pytest
from hypothesis import given, strategies as st

from medlint import frequency
from medlint.frequency import Frequency

SCHEMA_FORMS = {  # every form the record schema's `frequency` pattern admits, with its doses per day
    "once daily": (F(1), F(1)),
    "twice daily": (F(2), F(2)),
    "three times daily": (F(3), F(3)),
    "four times daily": (F(4), F(4)),
    "once weekly": (F(1, 7), F(1, 7)),
    "every 8 hours": (F(3), F(3)),
    "every 12 hours": (F(2), F(2)),
    "every 2 days": (F(1, 2), F(1, 2)),
    "every 2 weeks": (F(1, 14), F(1, 14)),
    "every 12 weeks": (F(1, 84), F(1, 84)),
    "every 4 months": (F(1, 124), F(1, 112)),
}


@pytest.mark.parametrize(("text", "per_day"), sorted(SCHEMA_FORMS.items()))
def test_each_schema_form_is_a_rate(text: str, per_day: tuple[F, F]) -> None:
    assert frequency.parse(text) == Frequency(one_time=False, as_needed=False, per_day=per_day)


@pytest.mark.parametrize(("text", "per_day"), [
    ("once a day", (F(1), F(1))),
    ("Twice a day", (F(2), F(2))),
    ("daily", (F(1), F(1))),
    ("weekly", (F(1, 7), F(1, 7))),
    ("three times a week", (F(3, 7), F(3, 7))),
    ("2 times per week", (F(2, 7), F(2, 7))),
    ("every other day", (F(1, 2), F(1, 2))),
    ("every hour", (F(24), F(24))),
    ("every 4 to 6 hours", (F(4), F(6))),
    ("every 4-6 hours", (F(4), F(6))),
    ("every six weeks", (F(1, 42), F(1, 42))),
])
def test_everyday_forms_are_rates(text: str, per_day: tuple[F, F]) -> None:
    parsed = frequency.parse(text)
    assert parsed is not None and parsed.per_day == per_day and not parsed.as_needed


def test_as_needed_keeps_the_maximum_and_drops_the_minimum() -> None:
    assert frequency.parse("every 4 to 6 hours as needed") == Frequency(False, True, (F(0), F(6)))
    assert frequency.parse("as needed") == Frequency(False, True, None)
    assert Frequency(False, True, None).max_per_day is None
    assert Frequency(False, True, (F(0), F(4))).max_per_day == 4


def test_once_is_a_single_dose_in_all_not_once_a_day() -> None:
    once = frequency.parse("once")
    assert once == Frequency(one_time=True, as_needed=False, per_day=None)
    assert frequency.parse("once daily") != once


@pytest.mark.parametrize("text", [
    "", "   ", "sometimes", "once as needed", "every 6 to 4 hours", "every 0 hours", "every 10000 days",
    "twice", "daily daily", "every hours", "4 times a month", "as needed every 6 hours", "bid", "qd",
])
def test_anything_else_is_not_in_the_vocabulary(text: str) -> None:
    assert frequency.parse(text) is None


def test_the_schema_pattern_and_the_vocabulary_agree() -> None:
    """Every schema form parses; the table above lists one of each schema alternative."""
    import json
    from pathlib import Path

    schema = json.loads((Path(__file__).parents[1] / "schemas" / "record.schema.json").read_text())
    pattern = re.compile(schema["$defs"]["doseEntry"]["properties"]["frequency"]["pattern"])
    for text in [*SCHEMA_FORMS, "as needed", "once", "every 4 to 6 hours as needed", "three times a week",
                 "every other day", "twice a day", "once daily as needed", "every hour"]:
        assert pattern.fullmatch(text), text
        assert frequency.parse(text) is not None, text
    for text in ("once as needed", "as needed as needed", "bid", "Once daily", "every 4-6 hours", "every 0 hours"):
        assert not pattern.fullmatch(text), text


def _schema_pattern() -> str:
    import json
    from pathlib import Path

    schema = json.loads((Path(__file__).parents[1] / "schemas" / "record.schema.json").read_text())
    return str(schema["$defs"]["doseEntry"]["properties"]["frequency"]["pattern"])


@given(st.from_regex(_schema_pattern(), fullmatch=True))
def test_everything_the_schema_admits_is_in_the_vocabulary(text: str) -> None:
    """The schema cannot say that a range runs upwards: `every 6 to 4 hours` passes it, is refused here, and is
    the limits family's finding (it cannot be turned into doses per day)."""
    parsed = frequency.parse(text)
    backwards = re.search(r"every (\d+) to (\d+)", text)
    assert (parsed is None) == bool(backwards and int(backwards[1]) > int(backwards[2])), text
