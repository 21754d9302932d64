"""The files medlint ships in its package (`data/`, `schemas/`, `html/`), found beside its modules.

pip installs a package as files, where `importlib.resources.files("medlint")` is this folder too; importing
`importlib.resources` (with tempfile, shutil, zipfile, bz2, lzma and random) costs a one-record run ~15 ms.
"""
from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).parent


def path(*parts: str) -> Path:
    """A shipped file: `path("data", "syllables.tsv")`."""
    return _ROOT.joinpath(*parts)
