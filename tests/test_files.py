"""The one writer: atomic, never through a final symbolic link, streams and special files written in place."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from robustness_support import snapshot

from medlint import files


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim" / "x"
    victim.parent.mkdir()
    victim.write_bytes(b"precious")
    return victim


def test_a_new_file_and_its_folders_are_created(tmp_path: Path) -> None:
    files.write_bytes(tmp_path / "a" / "b" / "report.json", b"{}")
    assert (tmp_path / "a/b/report.json").read_bytes() == b"{}"
    assert stat.S_IMODE((tmp_path / "a/b/report.json").stat().st_mode) == 0o644
    assert os.listdir(tmp_path / "a/b") == ["report.json"]  # no temporary file left behind


@pytest.mark.parametrize("kind", ["file", "folder", "dangling", "device", "link-to-link"])
def test_a_final_symbolic_link_is_refused_whatever_it_points_at(tmp_path: Path, kind: str) -> None:
    """A pull request can commit `medlint.sarif -> ../victim/x`: the link and what it points at stay as they were."""
    victim = _victim(tmp_path)
    target = {"file": victim, "folder": victim.parent, "dangling": tmp_path / "victim" / "new",
              "device": Path("/dev/null"), "link-to-link": tmp_path / "other-link"}[kind]
    if kind == "link-to-link":
        os.symlink(victim, target)
    link = tmp_path / "medlint.sarif"
    os.symlink(target, link)
    with pytest.raises(files.LinkRefused) as raised:
        files.write_text(link, "report")
    assert raised.value.strerror and "symbolic link" in raised.value.strerror
    assert victim.read_bytes() == b"precious" and not (tmp_path / "victim" / "new").exists()
    assert os.readlink(link) == str(target)
    assert sorted(os.listdir(tmp_path)) == sorted(["victim", "medlint.sarif", *(["other-link"] if kind ==
                                                                                  "link-to-link" else [])])


def test_a_link_swapped_in_during_the_write_is_replaced_not_followed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the check and the rename an attacker puts a link at the target: the rename replaces the link."""
    victim = _victim(tmp_path)
    target = tmp_path / "report.json"
    real_mkstemp = tempfile.mkstemp

    def swap(*args: object, **kwargs: object) -> tuple[int, str]:
        os.symlink(victim, target)
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", swap)
    files.write_text(target, "report")
    assert not target.is_symlink() and target.read_text(encoding="utf-8") == "report"
    assert victim.read_bytes() == b"precious"


def test_a_link_swapped_in_for_a_pipe_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = _victim(tmp_path)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    real_lstat = os.lstat

    def swap(path: object) -> os.stat_result:
        info = real_lstat(path)  # type: ignore[arg-type]
        pipe.unlink()
        os.symlink(victim, pipe)
        return info

    monkeypatch.setattr(os, "lstat", swap)
    with pytest.raises(OSError):
        files.write_text(pipe, "summary")
    assert victim.read_bytes() == b"precious"


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        files.write_text(tmp_path, "x")


STREAMS = """
import sys
from pathlib import Path
from medlint import files
print("first", flush=False)
files.write_text(Path(sys.argv[1]), "second\\n")
print("third")
"""


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/dev/stderr"])
def test_the_process_streams_are_written_to_the_descriptor_in_order(name: str) -> None:
    """`/dev/stdout` is a link (to /proc/self/fd/1): written to the descriptor, after what was printed before."""
    done = subprocess.run([sys.executable, "-c", STREAMS, name], capture_output=True, text=True, check=True)
    if name == "/dev/stderr":
        assert (done.stdout, done.stderr) == ("first\nthird\n", "second\n")
    else:
        assert done.stdout == "first\nsecond\nthird\n"


def test_the_process_streams_into_a_file_are_not_truncated(tmp_path: Path) -> None:
    """`medlint check > out.txt --report sarif:/dev/stdout`: the text already written stays."""
    out = tmp_path / "out.txt"
    with open(out, "w", encoding="utf-8") as handle:
        subprocess.run([sys.executable, "-c", STREAMS, "/dev/stdout"], stdout=handle, check=True)
    assert out.read_text(encoding="utf-8") == "first\nsecond\nthird\n"


def test_a_linked_folder_inside_the_current_folder_is_refused_above_it_not(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`reports -> /elsewhere` committed to a repository is refused; a link above the working folder (the
    machine's `/tmp`, a home folder on another disk) is not the repository's business."""
    victim = _victim(tmp_path)
    repo = tmp_path / "repo"
    (repo / "a").mkdir(parents=True)
    (repo / "a" / "reports").symlink_to(victim.parent)
    monkeypatch.chdir(repo)
    with pytest.raises(files.LinkRefused, match=r"its folder .*reports is a symbolic link"):
        files.write_text(Path("a/reports/x"), "report")
    with pytest.raises(files.LinkRefused):
        files.write_text(repo / "a" / "reports" / "new" / "y", "report")
    assert victim.read_bytes() == b"precious" and sorted(os.listdir(victim.parent)) == ["x"]
    (tmp_path / "linked-tmp").symlink_to(tmp_path / "victim")
    files.write_text(tmp_path / "linked-tmp" / "report.json", "{}")  # outside the working folder: the user's
    assert (victim.parent / "report.json").read_text(encoding="utf-8") == "{}"



def test_a_new_file_never_replaces_one_even_one_that_appears_during_the_write(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`medlint new`: a name that is taken is refused, and so is one taken between the check and the link."""
    taken = tmp_path / "taken.yaml"
    taken.write_bytes(b"an editor's record")
    with pytest.raises(FileExistsError):
        files.write_bytes(taken, b"skeleton", new=True)
    target = tmp_path / "raced.yaml"
    real_mkstemp = tempfile.mkstemp

    def race(*args: object, **kwargs: object) -> tuple[int, str]:
        target.write_bytes(b"written meanwhile")
        return real_mkstemp(*args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", race)
    with pytest.raises(FileExistsError):
        files.write_bytes(target, b"skeleton", new=True)
    assert taken.read_bytes() == b"an editor's record" and target.read_bytes() == b"written meanwhile"
    assert sorted(os.listdir(tmp_path)) == ["raced.yaml", "taken.yaml"]  # no temporary file left behind
    monkeypatch.undo()
    files.write_bytes(tmp_path / "a" / "new.yaml", b"skeleton", new=True)
    assert os.listdir(tmp_path / "a") == ["new.yaml"] and (tmp_path / "a/new.yaml").read_bytes() == b"skeleton"

PARTS = st.sampled_from(["absent", "folder", "file", "link-to-outside-file", "link-to-outside-folder",
                         "link-to-inside-file", "link-to-inside-folder", "dangling-link"])


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(PARTS, min_size=1, max_size=4), absolute=st.booleans())
def test_a_write_changes_its_own_file_and_nothing_else(tmp_path_factory: pytest.TempPathFactory,
                                                       monkeypatch: pytest.MonkeyPatch, parts: list[str],
                                                       absolute: bool) -> None:
    """Any output path in a repository, each of its parts a folder, a file, a link to anything or nothing yet
    (the rest are then new names): a path with a link on the way is refused; any other write leaves a regular
    file with the new bytes at that very path, and its new folders; nothing else, inside or outside, changes."""
    root = tmp_path_factory.mktemp("writer")
    repo, outside = root / "repo", root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "file").write_bytes(b"precious")
    (repo / "folder").mkdir(parents=True)
    (repo / "file").write_bytes(b"also precious")
    targets = {"link-to-outside-file": outside / "file", "link-to-outside-folder": outside / "folder",
               "link-to-inside-file": repo / "file", "link-to-inside-folder": repo / "folder",
               "dangling-link": outside / "nothing"}
    monkeypatch.chdir(repo)
    path, linked = Path("out"), False
    for index, part in enumerate(parts):
        path = Path("out") if index == 0 else path / f"part{index}"
        if part == "folder":
            (repo / path).mkdir()
            continue
        if part == "file":
            (repo / path).write_bytes(b"old")
        elif part != "absent":
            (repo / path).symlink_to(targets[part])
            linked = True
        path = path.joinpath(*(f"part{later}" for later in range(index + 1, len(parts))))
        break
    before = snapshot(root)
    try:
        files.write_bytes(repo / path if absolute else path, b"new")
        error: OSError | None = None
    except OSError as exc:
        error = exc
    after = snapshot(root)
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    if linked:
        assert isinstance(error, files.LinkRefused) and not changed, (error, changed)
    elif error is not None:
        assert not changed, (error, changed)
    else:
        written = f"repo/{path.as_posix()}"
        assert after[written] == b"new" and not (repo / path).is_symlink()
        assert all(key == written or (written.startswith(key + "/") and after[key] == "dir") for key in changed)
