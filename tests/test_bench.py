"""The benchmark harness keeps working (CI runs it on a small corpus; the figures are not asserted)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow  # generates a corpus and runs medlint, check-jsonschema and yamllint on it


def test_harness_runs_every_measurement_on_a_small_corpus(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--records", "40", "--runs", "1",
                             "--work", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for row in ("| cold |", "| warm |", "| one record |", "| schema only (check-jsonschema) |", "| yamllint |",
                "warm / cold:", "check-jsonschema / medlint cold:"):
        assert row in result.stdout
    records = list((tmp_path / "corpus-40" / "records").glob("*/*.yaml"))
    assert len(records) == 40


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import corpus
    finally:
        sys.path.pop(0)
    first = [p.read_bytes() for p in corpus.generate(30, tmp_path / "a")]
    second = [p.read_bytes() for p in corpus.generate(30, tmp_path / "b")]
    assert first == second and len(set(first)) == 30
