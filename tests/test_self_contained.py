"""Everything the package, its tests, benchmarks and scripts read is inside the repository: a clone in a
folder with nothing beside it runs them all. Third-party reference files are vendored in tests/reference/."""
from __future__ import annotations

import ast
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ci_support import REFERENCE
from support import ROOT

CODE_FOLDERS = ("src", "tests", "bench", "scripts")
# the workspace this project grew up in keeps these beside the repository; a clone does not have them
_OUTSIDE = re.compile(r"\.\./shared|\bshared/(?:reference|spec|seed|hooks)\b|/work/")


def _files(suffixes: tuple[str, ...]) -> Iterator[Path]:
    for folder in CODE_FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in suffixes and path.is_file() and "__pycache__" not in path.parts \
                    and not any(part.endswith(".egg-info") for part in path.parts):
                yield path


def _climbs(node: ast.expr) -> tuple[str, int] | None:
    """For `X.parent.parent`, `X.parents[2]`, `X / ".."`: the root name or `__file__` and how many
    folders the expression climbs above it (`Path(__file__)` starts at the file itself)."""
    levels = 0
    while True:
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            levels, node = levels + 1, node.value
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "parents" and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, int):
            levels, node = levels + node.slice.value + 1, node.value.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("resolve", "absolute"):
            node = node.func.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Path" \
                and node.args:
            node = node.args[0]
        elif isinstance(node, ast.Name) and node.id in ("__file__", "ROOT"):
            return node.id, levels
        else:
            return None


def escapes(text: str, depth: int) -> list[str]:
    """Expressions in Python source that reach above the repository root, for a file `depth` path parts
    below it (tests/support.py: 2, so `Path(__file__).parent.parent` is the root and one more is outside)."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant) \
                and isinstance(node.right.value, str) and node.right.value.split("/")[0] == "..":
            if _climbs(node.left) is not None:
                found.append(ast.unparse(node))
        elif isinstance(node, ast.Attribute | ast.Subscript):
            climbed = _climbs(node)
            if climbed and climbed[1] > (depth if climbed[0] == "__file__" else 0):
                found.append(ast.unparse(node))
    return found


def test_the_scan_sees_an_escape() -> None:
    assert _OUTSIDE.search("json.loads((ROOT / '.." + "/shared/reference/x.json').read_text())")
    assert escapes("x = ROOT.parent / 'shared'", 2) == ["ROOT.parent"]
    assert escapes("x = Path(__file__).resolve().parents[2]", 2) == ["Path(__file__).resolve().parents[2]"]
    assert escapes("x = ROOT / '../records'", 2) == ["ROOT / '../records'"]
    assert escapes("x = Path(__file__).resolve().parent.parent / 'src'", 2) == []
    assert escapes("x = Path(__file__).resolve().parent.parent / 'src'", 1) != []


@pytest.mark.parametrize("path", list(_files((".py",))), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_python_file_reaches_above_the_repository(path: Path) -> None:
    assert escapes(path.read_text(encoding="utf-8"), len(path.relative_to(ROOT).parts)) == []


# every text file but this one, which spells the patterns out to look for them
@pytest.mark.parametrize("path", [path for path in _files((".py", ".md", ".yaml", ".yml", ".toml", ".json", ".txt"))
                                  if path != Path(__file__)], ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_file_names_the_workspace_beside_the_repository(path: Path) -> None:
    assert _OUTSIDE.findall(path.read_text(encoding="utf-8", errors="replace")) == []


def test_vendored_reference_files_are_the_ones_their_readme_names() -> None:
    listed = dict(line.split("  ")[::-1] for line in re.findall(r"^[0-9a-f]{64}  \S+$",
                                                                (REFERENCE / "README.md").read_text(encoding="utf-8"),
                                                                re.MULTILINE))
    actual = {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
              for path in REFERENCE.iterdir() if path.name != "README.md"}
    assert listed == actual


def _repository_files() -> list[str]:
    """What a clone holds: the tracked files, and new ones not yet committed (but not ignored ones)."""
    done = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                          check=False)
    if done.returncode != 0:  # not a git checkout (an unpacked archive): everything but caches
        return [str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
                if path.is_file() and not {".git", ".venv", "__pycache__"} & set(path.parts)]
    return [name for name in done.stdout.decode().split("\0") if name and (ROOT / name).exists()]


@pytest.mark.slow
def test_the_tests_that_read_reference_files_pass_in_a_copy_with_nothing_beside_it(tmp_path: Path) -> None:
    copy = tmp_path / "alone" / "medlint"
    for name in _repository_files():
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        source = ROOT / name
        if source.is_symlink():
            target.symlink_to(source.readlink())
        else:
            shutil.copy2(source, target)
    assert [path.name for path in copy.parent.iterdir()] == ["medlint"]
    readers = sorted(str(path.relative_to(ROOT)) for path in _files((".py",))
                     if path.name.startswith("test_") and "REFERENCE" in path.read_text(encoding="utf-8")
                     and path.name != Path(__file__).name)
    assert "tests/report/test_junit.py" in readers and "tests/report/test_sarif.py" in readers
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
                           "tests/test_record_format.py", "tests/test_doc_paths.py", *readers],
                          cwd=copy, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " passed" in done.stdout
