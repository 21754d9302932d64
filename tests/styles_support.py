"""A content repository with house rules in a temporary folder, and medlint run on it as a user runs it."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from support import BASE, ROOT

from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
EXAMPLE = ROOT / "examples" / "content-repository"
DOCS = """\
docs:
  what: Finds a thing.
  why: It matters.
  example: "summary: x"
  use-instead: "summary: y"
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rule(root: Path, name: str, body: str, docs: str = DOCS) -> Path:
    """styles/<name>.yaml with the settings in `body` (dedented) and, unless given, minimal docs."""
    return write(root, f"styles/{name}.yaml", textwrap.dedent(body) + docs)


def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record: str = BASE, config: str = "") -> Path:
    write(tmp_path, RECORD, record)
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "medlint.toml", config)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`medlint <argv>`; `check` gets a fixed --today."""
    args = [*argv[:1], "--today", "2026-11-25", *argv[1:]] if argv[:1] in (("check",), ("fix",)) else list(argv)
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err
