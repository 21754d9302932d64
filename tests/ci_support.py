"""Helpers for the CI-facing tests: the seed fixture's real findings as a Report, and throwaway git repositories."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from support import ROOT, TODAY, lint_text

from medlint.report import Report

REFERENCE = ROOT / "tests" / "reference"  # third-party schemas the reports are validated against (README there)
UNUSED_SUPPRESSION = "# medlint: disable=ML104 -- nothing on this line is reported\n"
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def seed_path() -> Path:
    """The seed page as a record with all its defects (the lead may move it within tests/fixtures/seed/)."""
    found = sorted((ROOT / "tests" / "fixtures" / "seed").rglob("*.yaml"))
    assert found, "the seed fixture (tests/fixtures/seed/**/*.yaml) is missing"
    return found[0]


def seed_text() -> str:
    """The seed fixture, plus a suppression that suppresses nothing at its end: a warning (ML901) in every
    report, whichever domain rules exist, so that both severities are always exercised."""
    return seed_path().read_text(encoding="utf-8") + UNUSED_SUPPRESSION


def seed_report(text: str | None = None, **fields: Any) -> Report:
    """The seed fixture (or `text` at its path) linted in memory, as a reporter receives it."""
    display = seed_path().relative_to(ROOT).as_posix()
    findings = lint_text(text if text is not None else seed_text(), display)
    return Report(findings, 1, 1, TODAY, False, "0.1.0")._replace(**fields)


class Repo:
    """A git repository in a temporary folder, committed to for real."""

    def __init__(self, path: Path, *, init: bool = True) -> None:
        self.path = path
        if init:
            path.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", "main")

    def clone(self, path: Path) -> Repo:
        self.git("clone", "-q", str(self.path), str(path))
        return Repo(path, init=False)

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, env={**os.environ, **GIT_ENV}, check=True,
                              capture_output=True, text=True)
        return done.stdout

    def write(self, relative: str, text: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def committed_source_tree(path: Path) -> tuple[Repo, str]:
    """This source tree as it is on disk (uncommitted edits included), committed into a new repository that
    pip and pre-commit can install medlint from; and the commit's full sha."""
    repo = Repo(path)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "schemas"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, path / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, path / name)
    return repo, repo.commit("medlint")
