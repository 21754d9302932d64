"""`medlint fix` and `medlint check --fix` as a user runs them: output, exit codes, files written or not."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
from support import BASE

from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose one record is clean but for a byte-order mark."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_bytes(BOM + BASE.encode())
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--today", "2026-11-25"])
    out, err = capsys.readouterr()
    return code, out, err


def test_fix_writes_reports_and_then_has_nothing_to_do(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "fix") == (0, f"{RECORD}: fixed 1 (ML004 byte-order-mark)\nFixed 1 problem in 1 file.\n", "")
    assert (repo / RECORD).read_bytes() == BASE.encode()
    assert run(capsys, "fix") == (0, "Nothing to fix in 1 file.\n", "")
    assert run(capsys, "check")[:2] == (0, "All clear: 1 record checked, no problems found.\n")


def test_diff_prints_a_patch_that_git_applies_and_writes_nothing(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "fix", "--diff")
    assert code == 1 and (repo / RECORD).read_bytes() == BOM + BASE.encode()
    assert out == f"--- a/{RECORD}\n+++ b/{RECORD}\n@@ -1,4 +1,4 @@\n-\ufeffschema_version: 1\n+schema_version: 1\n" \
                  " id: zolgensma/spinal-muscular-atrophy\n language: en\n drug:\n"
    assert err == (f"{RECORD}: would fix 1 (ML004 byte-order-mark)\n"
                   "Would fix 1 problem in 1 file. Run `medlint fix` to apply.\n")
    subprocess.run(["git", "apply", "-"], input=out.encode(), cwd=repo, check=True)
    assert (repo / RECORD).read_bytes() == BASE.encode()


def test_check_exits_1_while_fixes_are_pending(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "fix", "--check")[0] == 1 and (repo / RECORD).read_bytes().startswith(BOM)
    run(capsys, "fix")
    assert run(capsys, "fix", "--check") == (0, "Nothing to fix in 1 file.\n", "")


def test_check_fix_fixes_then_reports_what_remains(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--fix")
    assert (code, out) == (0, "All clear: 1 record checked, no problems found.\n")
    assert err == f"{RECORD}: fixed 1 (ML004 byte-order-mark)\nFixed 1 problem in 1 file.\n"


def test_selection_applies_to_fixes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "fix", "--ignore", "ML004") == (0, "Nothing to fix in 1 file.\n", "")
    assert (repo / RECORD).read_bytes().startswith(BOM)


def test_a_missing_path_is_a_usage_error_and_nothing_is_written(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "fix", RECORD, "records/nope.yaml")
    assert code == 2 and err == "medlint: error: no such file or folder: records/nope.yaml\n"
    assert (repo / RECORD).read_bytes().startswith(BOM)


def test_an_unparsable_file_is_left_untouched(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = BOM + BASE.replace("language: en", "language: [en").encode()
    (repo / RECORD).write_bytes(broken)
    code, out, _ = run(capsys, "fix")
    assert code == 1 and (repo / RECORD).read_bytes() == broken
    assert out.startswith(f"{RECORD}: not fixed: invalid YAML: ")
    assert out.endswith("\n1 file not fixed; 2 problems remain. "
                        "`medlint check` shows what remains.\n")


def test_permissions_are_kept(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / RECORD).chmod(0o604)
    assert run(capsys, "fix")[0] == 0
    assert stat.S_IMODE((repo / RECORD).stat().st_mode) == 0o604


def test_a_failed_write_leaves_the_original_and_no_temporary_file(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(source: str, destination: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", interrupted)
    code, out, _ = run(capsys, "fix")
    assert code == 1 and out.startswith(f"{RECORD}: not fixed: cannot write the file: Input/output error\n")
    assert (repo / RECORD).read_bytes() == BOM + BASE.encode()
    assert os.listdir(repo / RECORD.rsplit("/", 1)[0]) == ["spinal-muscular-atrophy.yaml"]


def test_a_symlink_out_of_the_repository_is_not_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(BOM + BASE.encode())
    repo = tmp_path / "repo"
    (repo / RECORD).parent.mkdir(parents=True)
    (repo / RECORD).symlink_to(outside)
    (repo / "medlint.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "fix")
    assert code == 1 and out.startswith(f"{RECORD}: not fixed: this is a symbolic link to {outside}, outside")
    assert outside.read_bytes() == BOM + BASE.encode() and (repo / RECORD).is_symlink()


def test_a_symlink_inside_the_repository_stays_a_link(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = repo / "records" / "zolgensma" / "alias.yaml"
    link.symlink_to("spinal-muscular-atrophy.yaml")
    assert run(capsys, "fix", str(link.relative_to(repo)))[0] == 0
    assert link.is_symlink() and (repo / RECORD).read_bytes() == BASE.encode()


def test_check_fix_refuses_combinations_it_would_get_wrong(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--unsafe-fixes") == (
        2, "", "medlint: error: --unsafe-fixes applies fixes, so it needs --fix\n")
    assert run(capsys, "check", "--fix", "--changed-since", "HEAD")[:2] == (2, "")
    assert (repo / RECORD).read_bytes().startswith(BOM)


def test_check_and_fix_agree_on_how_many_are_fixable(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On the seed page, where one fix (the power of ten) also ends another finding (its mojibake `×`)."""
    from ci_support import seed_path

    (repo / RECORD).write_bytes(seed_path().read_bytes())
    summary = run(capsys, "check", "--no-cache")[1].splitlines()[-1]
    promised = int(summary.split(" fixable with")[0].rsplit(" ", 1)[1])
    assert promised > 1
    assert f"Would fix {promised} problems in 1 file" in run(capsys, "fix", "--check")[1]
    assert f"Fixed {promised} problems in 1 file" in run(capsys, "fix")[1]
    assert "fixable" not in run(capsys, "check", "--no-cache")[1]
