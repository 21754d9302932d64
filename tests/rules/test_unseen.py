"""Correct records the rules were not tuned on (tests/fixtures/unseen/): written as editors write them,
accurate to the current US label, for drugs that records/ does not hold. The rules of issue 13's precision
work must find nothing in them."""
from __future__ import annotations

import datetime as dt

from support import FIXTURES, ROOT

from medlint import config, engine, runner

UNSEEN = FIXTURES / "unseen"
# the rules whose false positives these records were written to catch (ML311 and ML313 have their own)
CODES = {"ML101", "ML105", "ML202", "ML303", "ML304", "ML305", "ML308", "ML314", "ML401", "ML402", "ML405",
         "ML604", "ML701"}


def test_correct_unseen_records_get_no_finding_from_these_rules() -> None:
    written = sorted(UNSEEN.glob("records/*/rules-*.yaml"))
    assert len(written) >= 5
    outcome, missing = runner.check([str(UNSEEN)], config.build({}, root=ROOT), engine.Run(dt.date(2026, 11, 25)))
    assert missing == [] and outcome.records >= len(written)
    found = [f"{f.path}:{f.line}:{f.column} {f.code} {f.message}" for f in outcome.findings if f.code in CODES]
    assert found == []
