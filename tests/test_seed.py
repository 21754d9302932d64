"""The seed page as published: one finding per defect that tests/fixtures/seed/README.md lists, at its
line and column, and nothing else."""
from __future__ import annotations

import datetime as dt
import re

from support import FIXTURES

from medlint import config, engine, runner

SEED = FIXTURES / "seed" / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"

EXPECTED = {
    ("ML101", 4, 1),  # no review block: no review date at all
    ("ML101", 12, 3),  # pediatric indication without an age range
    ("ML401", 66, 12), ("ML401", 67, 5),  # "Common adult dosing range", an adult entry on a pediatric indication
    ("ML202", 25, 102),  # the indication repeated 14 times (reported once, at the 4th)
    ("ML203", 31, 68), ("ML203", 31, 81), ("ML203", 50, 17), ("ML203", 52, 176), ("ML203", 52, 189),
    ("ML203", 53, 9), ("ML203", 53, 33), ("ML203", 53, 85),  # stopping/duration boilerplate, one-time therapy
    ("ML601", 30, 55), ("ML601", 37, 44), ("ML601", 52, 135), ("ML601", 74, 11),  # Thai-code-page mojibake
    ("ML312", 74, 7),  # 1.1 ร 10^14: the power of ten is not written with ×
    ("ML604", 16, 120), ("ML604", 48, 184), ("ML604", 63, 33),  # "aav9-based gene therapy"
    ("ML701", 15, 10), ("ML701", 20, 13), ("ML701", 29, 5), ("ML701", 34, 17), ("ML701", 46, 15),
    ("ML701", 51, 15), ("ML701", 60, 15),  # reading grade far above 8
}


def _findings() -> set[tuple[str, int, int]]:
    cfg = config.build({}, root=FIXTURES / "seed")
    outcome, missing = runner.check([str(SEED)], cfg, engine.Run(dt.date(2026, 11, 25)))
    assert missing == []
    return {(f.code, f.line, f.column) for f in outcome.findings if f.suppressed is None}


def test_every_listed_defect_is_found_and_nothing_else() -> None:
    assert _findings() == EXPECTED


def test_the_readme_lists_the_same_places() -> None:
    readme = (FIXTURES / "seed" / "README.md").read_text(encoding="utf-8")
    listed = {(int(line), int(column)) for line, column in re.findall(r"\*\*(\d+):(\d+)\*\*", readme)}
    assert listed == {(line, column) for code, line, column in EXPECTED if code not in ("ML701", "ML202")}
