"""The published hook (.pre-commit-hooks.yaml) driven by the real `pre-commit` in a throwaway repository."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import BASE, ROOT

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This source tree, as it is on disk, committed into a repository that pre-commit can install from."""
    repo = tmp_path_factory.mktemp("medlint-hook")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "schemas"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "hook")
    return repo, _git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    repo, rev = hook_repo
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: medlint\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    return tmp_path


def _commit(project: Path, text: str) -> subprocess.CompletedProcess[str]:
    record = project / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(text, encoding="utf-8")
    _git(project, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "pre-commit-cache"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run([PRE_COMMIT, "install"], cwd=project, env=env, check=True, capture_output=True)
    return subprocess.run(["git", "commit", "-m", "record"], cwd=project, env=env, capture_output=True, text=True)


def test_hook_blocks_a_broken_record_and_passes_a_good_one(project: Path) -> None:
    broken = _commit(project, BASE.replace("route: intravenous", "route: IV"))
    assert broken.returncode != 0
    output = broken.stdout + broken.stderr
    assert "records/zolgensma/spinal-muscular-atrophy.yaml:" in output
    assert "ML104 invalid-value" in output and "dosing[0].route" in output

    good = _commit(project, BASE)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout + good.stderr
