"""The published hook (.pre-commit-hooks.yaml) driven by the real `pre-commit` in a throwaway repository."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ci_support import committed_source_tree
from support import BASE, ROOT

pytestmark = pytest.mark.slow  # pre-commit builds a virtualenv with medlint in it

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This source tree, as it is on disk, committed into a repository that pre-commit can install from."""
    repo, rev = committed_source_tree(tmp_path_factory.mktemp("medlint-hook"))
    return repo.path, rev


def _project(path: Path, hook_repo: tuple[Path, str], *hooks: str, config: str = "") -> Path:
    repo, rev = hook_repo
    listed = "".join(f"      - id: {hook}\n" for hook in hooks)
    (path / ".pre-commit-config.yaml").write_text(
        config or f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n{listed}", encoding="utf-8")
    _git(path, "init", "-q")
    return path


def _readme_snippet() -> str:
    """The README's .pre-commit-config.yaml for content repositories, as a user copies it."""
    found = re.search(r"```yaml\n(# \.pre-commit-config\.yaml in the content repository\n.*?)```",
                      (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert found, "README.md has no pre-commit snippet"
    return found.group(1)


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    return _project(tmp_path, hook_repo, "medlint")


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
    broken = _commit(project, BASE.replace("route: intravenous", "route: intravenus"))  # a typo: no fix
    assert broken.returncode != 0
    output = broken.stdout + broken.stderr
    assert "records/zolgensma/spinal-muscular-atrophy.yaml:" in output
    assert "ML104 error invalid-value" in output and "dosing[0].route" in output

    good = _commit(project, BASE)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout + good.stderr


def test_the_readme_snippet_works_as_written(tmp_path: Path, hook_repo: tuple[Path, str]) -> None:
    """Exactly the README's snippet, with its two placeholders replaced as the README says: the repository
    (here the path of this source tree, committed) and a full commit sha of it."""
    snippet = _readme_snippet()
    assert snippet.count("<medlint-repo>") == snippet.count("<commit-sha>") == 1
    repo, rev = hook_repo
    config = snippet.replace("<medlint-repo>", str(repo)).replace("<commit-sha>", rev)
    project = _project(tmp_path, hook_repo, config=config)

    broken = _commit(project, BASE.replace("route: intravenous", "route: intravenus"))  # a typo: no fix
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0
    assert "records/zolgensma/spinal-muscular-atrophy.yaml:" in output
    assert "ML104 error invalid-value `dosing[0].route` is `intravenus`; expected one of: oral, intravenous, " in output
    assert "did you mean `intravenous`?" in output
    good = _commit(project, BASE)
    assert good.returncode == 0, good.stdout + good.stderr
    assert (good.stdout + good.stderr).count("Passed") == 2  # medlint-fix, then medlint


def test_fix_hook_repairs_the_record_and_the_commit_goes_through_once_staged(
        tmp_path: Path, hook_repo: tuple[Path, str]) -> None:
    project = _project(tmp_path, hook_repo, "medlint-fix")
    record = project / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"
    stopped = _commit(project, "\ufeff" + BASE.replace("1.1 \u00d7 10^14", "1.1 \u0e23 10^14"))  # the seed's mojibake
    output = stopped.stdout + stopped.stderr
    assert stopped.returncode != 0 and "files were modified by this hook" in output
    # the power of ten's fix also ends the mojibake finding on its `ร`: three findings gone, as `check` counted
    assert ("records/zolgensma/spinal-muscular-atrophy.yaml: fixed 3 (ML004 byte-order-mark, "
            "ML312 power-of-ten-notation, ML601 mojibake)") in output
    assert record.read_bytes() == BASE.encode()

    staged = _commit(project, record.read_text(encoding="utf-8"))
    assert staged.returncode == 0, staged.stdout + staged.stderr


def test_hook_given_a_dose_limit_table_checks_its_drugs_records_against_it(project: Path) -> None:
    table = project / "limits" / "zolgensma.yaml"
    table.parent.mkdir(parents=True)
    correct = (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8")
    table.write_text(correct, encoding="utf-8")
    assert _commit(project, BASE).returncode == 0
    table.write_text(correct.replace("      minimum: 1.1e14\n      hard: 1.1e14\n", "      hard: 5e13\n"),
                     encoding="utf-8")
    stricter = _commit(project, BASE)  # the record is unchanged: the hook is given the table alone
    output = stricter.stdout + stricter.stderr
    assert stricter.returncode != 0, output
    assert "records/zolgensma/spinal-muscular-atrophy.yaml:" in output and "ML801 error dose-above-hard-limit" in output
