"""The code stays ruff-clean (rules configured in pyproject.toml)."""
from __future__ import annotations

import subprocess
import sys

from support import ROOT


def test_ruff_is_clean() -> None:
    # `python -m ruff`: the ruff pinned in the test extras of this interpreter, not whichever is on PATH
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "scripts", "bench"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
