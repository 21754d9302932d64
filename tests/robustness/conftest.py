from __future__ import annotations

from pathlib import Path

import pytest
from robustness_support import BASE, RECORD, write


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with one clean record, as the working directory; the cache lives beside it, not in it,
    so that a snapshot of the repository shows every byte medlint wrote there."""
    root = tmp_path / "repo"
    write(root, "medlint.toml", "")  # pins the project root here, whatever lies above the temporary folder
    write(root, RECORD, BASE)
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return root
