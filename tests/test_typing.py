"""The package stays mypy-clean in strict mode (configured in pyproject.toml)."""
from __future__ import annotations

import shutil
import subprocess
import sys

from support import ROOT


def test_mypy_strict_is_clean() -> None:
    mypy = shutil.which("mypy")
    command = [mypy] if mypy else [sys.executable, "-m", "mypy"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
