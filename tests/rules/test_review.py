"""Helper logic of the review rules (ML501-ML507): which dates count, and what the seed page gets."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from support import BASE, FIXTURES, lint_text

from medlint.record import iso_date

SEED = FIXTURES / "seed" / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"


@pytest.mark.parametrize(("value", "date"), [
    ("2026-03-02", dt.date(2026, 3, 2)),
    ("2028-02-29", dt.date(2028, 2, 29)),
    # the schema (ML104) reports these; the review rules skip them rather than report them twice
    ("2026-02-30", None), ("2027-02-29", None), ("2026-13-01", None),
    ("20260302", None), ("2026-W10-1", None), ("2026-3-2", None), ("2026-03-02T10:00", None), (" 2026-03-02", None),
    ("next year", None), (20260302, None), (None, None),
])
def test_only_real_iso_dates_count(value: object, date: dt.date | None) -> None:
    assert iso_date(value) == date


def _review_codes(text: str, **kwargs: Any) -> list[str]:
    return [f.code for f in lint_text(text, **kwargs) if f.code.startswith("ML5")]


def test_the_seed_page_without_a_review_block_gets_only_the_schema_finding() -> None:
    findings = lint_text(SEED.read_bytes())
    assert [f.code for f in findings if f.code.startswith("ML5")] == []
    assert any(f.code == "ML101" and "`review`" in f.message for f in findings)


@pytest.mark.parametrize("today",
                         [dt.date(2026, 11, 25), dt.date(2027, 2, 1), dt.date(2027, 3, 3), dt.date(2026, 1, 1)])
def test_the_clean_record_over_time(today: dt.date) -> None:
    """The base record (reviewed 2026-03-02, due 2027-03-02): clean now, due soon, overdue, not yet reviewed."""
    expected = {dt.date(2026, 11, 25): [], dt.date(2027, 2, 1): ["ML505"], dt.date(2027, 3, 3): ["ML504"],
                dt.date(2026, 1, 1): ["ML501"]}
    assert _review_codes(BASE, today=today) == expected[today]


def test_content_change_needs_a_previous_record() -> None:
    changed = BASE.replace("Serious liver injury", "Acute serious liver injury")
    assert _review_codes(changed) == []
    assert _review_codes(changed, previous=BASE) == ["ML507"]
    assert _review_codes(BASE, previous=BASE) == []
