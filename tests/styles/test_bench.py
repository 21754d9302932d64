"""bench/house_rules.py keeps working (its figures are for docs/house-rules.md, not asserted here)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow  # generates a corpus and 100 rules, and runs medlint on them twice


def test_the_house_rules_benchmark_runs_on_a_small_corpus(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "house_rules.py"), "--records", "20", "--runs",
                             "1", "--work", str(tmp_path)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"20 records, 1 runs each, CPU seconds \(median\): without house rules [\d.]+, with 100 house "
                        r"rules [\d.]+: \+?-?[\d.]+% \(load average [\d.]+\)\nthe house rules found [\d,]+ things\n",
                        result.stdout)
    assert len(list((tmp_path / "styles").glob("*.yaml"))) == 100
