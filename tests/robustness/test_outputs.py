"""Every file any command writes, through every output option, goes through files.write_bytes: a symbolic link
at the output path (a pull request can commit `medlint.sarif -> ../victim/x`) is refused with a clear message,
exit code 2, and neither the link nor what it points at changes."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from robustness_support import TODAY, run, snapshot

from medlint.report import EDITORS_FORMATS, FORMATS

LINK = "medlint.out"


def _options() -> list[tuple[str, ...]]:
    runs: list[tuple[str, ...]] = [("check", "--output", LINK), ("check", "--output-format", "sarif", "-o", LINK)]
    runs += [("check", "--report", f"{name}:{LINK}") for name in sorted(FORMATS)]
    runs += [("check", "--report", f"text:{LINK}", "--no-cache"), ("check", "--output-format", f"json:{LINK}")]
    runs += [("report", "--output-format", name, "--output", LINK) for name in sorted(EDITORS_FORMATS)]
    runs += [("report", "--format", "csv", "--out", LINK)]
    runs += [("baseline", "--output", LINK), ("baseline",)]
    return runs


@pytest.mark.parametrize("argv", _options(), ids=" ".join)
@pytest.mark.parametrize("points_at", ["outside", "inside", "dangling", "folder", "its-folder"])
def test_no_output_is_written_through_a_symbolic_link(repo: Path, capsys: pytest.CaptureFixture[str],
                                                      argv: tuple[str, ...], points_at: str) -> None:
    """The link is the output file, or (its-folder) the folder the output file is named in."""
    outside = repo.parent / "victim"
    outside.mkdir()
    (outside / "x").write_bytes(b"precious")
    (repo / "inside.txt").write_bytes(b"also precious")
    if points_at == "its-folder":
        os.symlink(outside, repo / "reports")
        (outside / "medlint-baseline.json").write_bytes(b"precious")
        argv = tuple(arg.replace(LINK, f"reports/{LINK}") for arg in argv)
        if argv == ("baseline",):
            argv = ("baseline", "--output", "reports/medlint-baseline.json")
        (outside / LINK).write_bytes(b"precious")
    else:
        target = {"outside": outside / "x", "inside": repo / "inside.txt", "dangling": outside / "new",
                  "folder": outside}[points_at]
        name = "medlint-baseline.json" if argv == ("baseline",) else LINK  # `baseline` writes its default file
        os.symlink(target, repo / name)
    before = snapshot(repo.parent)
    result = run(capsys, *argv, "--today", TODAY)
    assert result.code == 2, result
    error = result.err.splitlines()[-1]  # after the warning that `--output-format FMT:FILE` is `--report` now
    assert error.startswith("medlint: error: cannot write") and "is a symbolic link" in error, result.err
    after = snapshot(repo.parent)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert not {path for path in changed if path.split("/")[0] != "cache"}, changed  # the cache may be written


NEW = "records/zolgensma/new-indication.yaml"  # what `medlint new zolgensma/new-indication` writes


@pytest.mark.parametrize(("link", "points_at"), [
    (NEW, "outside file"), (NEW, "inside file"), (NEW, "nothing"), (NEW, "outside folder"),
    ("records/zolgensma", "outside folder"), ("records/zolgensma", "inside folder"), ("records", "outside folder"),
])
def test_medlint_new_writes_through_no_symbolic_link(repo: Path, capsys: pytest.CaptureFixture[str], link: str,
                                                     points_at: str) -> None:
    """`medlint new` starts a record in `records/<drug>/`: a link committed in its place is a name taken, and
    one in place of one of its folders is refused as every other output's is; nothing anywhere changes."""
    outside = repo.parent / "victim"
    (outside / "zolgensma").mkdir(parents=True)
    (outside / "x").write_bytes(b"precious")
    (repo / "inside").mkdir()
    (repo / "inside.txt").write_bytes(b"also precious")
    target = {"outside file": outside / "x", "inside file": repo / "inside.txt", "nothing": outside / "new",
              "outside folder": outside, "inside folder": repo / "inside"}[points_at]
    if link != NEW:
        shutil.rmtree(repo / link)
    os.symlink(target, repo / link)
    before = snapshot(repo.parent)
    result = run(capsys, "new", "zolgensma/new-indication", "--today", TODAY)
    refusal = "already exists" if link == NEW else "is a symbolic link"  # a link at the record's own name is taken
    assert result.code == 2 and refusal in result.err, result
    assert snapshot(repo.parent) == before
