"""Python plugins: the example package under examples/, found through its `medlint.rules` entry point.

The package is installed by pip (`pip install --target`, offline) into a temporary folder, and medlint runs in
a fresh process with that folder on its path, so that the entry point is really discovered by
importlib.metadata from the metadata pip wrote, as in a user's environment.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from styles_support import RECORD, write
from support import BASE, ROOT, merge

from medlint.styles import plugins

EXAMPLE = ROOT / "examples" / "medlint-plugin-example"
CONTENT = ROOT / "examples" / "content-repository"


def install(target: Path) -> Path:
    """The example plugin, installed into `target` by pip from a copy of its source (the build leaves
    `build/` and `*.egg-info` behind, which must not land in the repository), offline and without build
    isolation: setuptools and wheel come from the test environment."""
    source = target / "source"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = target / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                           "--no-index", "--target", str(site), str(source)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return site


def medlint(site: Path | None, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    paths = [str(site)] if site else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")]), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "medlint.cli", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install(tmp_path_factory.mktemp("site"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write(tmp_path, RECORD, merge("summary: Zolgensma is given only once!\n", BASE)[0])
    write(tmp_path, "medlint.toml", "")
    return tmp_path


def test_the_plugin_rule_runs_with_check_and_fix(site: Path, repo: Path) -> None:
    done = medlint(site, repo, "check", "--today", "2026-11-25", "--output-format", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)["findings"]
    assert [(f["code"], f["name"], f["message"], f["fixable"]) for f in found] == [
        ("example/no-exclamation-marks", "no-exclamation-marks",
         "an exclamation mark in patient text sounds alarmed or pushy", True)]
    assert medlint(site, repo, "fix", "--today", "2026-11-25").returncode == 0
    assert (repo / RECORD).read_text(encoding="utf-8") == merge("summary: Zolgensma is given only once.\n", BASE)[0]


def test_the_plugin_rule_is_listed_explained_selected_and_tested(site: Path, repo: Path) -> None:
    listed = medlint(site, repo, "rules").stdout.splitlines()
    assert listed[-1].split() [:4] == ["example/no-exclamation-marks", "no-exclamation-marks", "warning", "fix"]
    explained = medlint(site, repo, "explain", "no-exclamation-marks").stdout
    assert explained.startswith("# example/no-exclamation-marks no-exclamation-marks\n")
    ignored = medlint(site, repo, "check", "--today", "2026-11-25", "--ignore", "example")
    assert ignored.returncode == 0 and "All clear" in ignored.stdout
    tested = medlint(site, repo, "test-styles")
    assert tested.returncode == 0 and tested.stdout == "ok    example/no-exclamation-marks\n1 passed, 0 failed\n"


def test_without_the_plugin_its_rule_is_unknown(repo: Path) -> None:
    done = medlint(None, repo, "check", "--today", "2026-11-25", "--select", "example/no-exclamation-marks")
    assert done.returncode == 2 and "unknown rule(s) example/no-exclamation-marks" in done.stderr


def test_plugins_can_be_turned_off(site: Path, repo: Path) -> None:
    write(repo, "medlint.toml", "plugins = false\n")
    done = medlint(site, repo, "check", "--today", "2026-11-25")
    assert done.returncode == 0 and "example/" not in done.stdout


def test_a_broken_plugin_is_a_configuration_error(tmp_path: Path, repo: Path) -> None:
    site = install(tmp_path / "site")
    points = next(site.glob("*.dist-info")) / "entry_points.txt"
    points.write_text("[medlint.rules]\nexample = medlint_plugin_example:NOTHING\n", encoding="utf-8")
    done = medlint(site, repo, "check")
    assert done.returncode == 2
    assert "the plugin `example` (medlint_plugin_example:NOTHING, entry point group medlint.rules) cannot be " \
           "loaded: AttributeError" in done.stderr
    points.write_text("[medlint.rules]\nexample = medlint_plugin_example:check\n", encoding="utf-8")
    assert "must name a medlint.rules.base.Rule or a list of them, not function" in medlint(site, repo,
                                                                                           "check").stderr


def test_house_rules_vale_rules_and_the_plugin_run_in_one_check(site: Path, tmp_path: Path) -> None:
    """The issue's done-when: the example content repository (a rule of every kind and a Vale style) and the
    example plugin in one `medlint check`, positioned; then a suppression, and `fix` for what is fixable."""
    repo = tmp_path / "content"
    shutil.copytree(CONTENT, repo)
    text = merge("summary: Give the medication. It arguably uses an aav9 carrier!\n", BASE)[0]
    write(repo, RECORD, text)
    found = json.loads(medlint(site, repo, "check", "--today", "2026-11-25", "--output-format", "json").stdout)
    assert [(f["code"], f["line"], f["column"]) for f in found["findings"]] == [
        ("house/plain-words", 81, 19), ("vale/Team.Hedging", 81, 34), ("house/brand-names", 81, 51),
        ("example/no-exclamation-marks", 81, 63)]  # merge() writes the summary on line 81
    write(repo, RECORD, text.replace("carrier!\n", "carrier!  # medlint: disable=vale/Team.Hedging -- a quote\n"))
    done = medlint(site, repo, "check", "--today", "2026-11-25", "--output-format", "json")
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == [
        "house/plain-words", "house/brand-names", "example/no-exclamation-marks"]
    assert medlint(site, repo, "fix", "--today", "2026-11-25").returncode == 0
    fixed = (repo / RECORD).read_text(encoding="utf-8")
    assert "summary: Give the medicine. It arguably uses an AAV9 carrier.  # medlint: disable=" in fixed


def test_the_quick_look_for_plugins_finds_a_declaring_distribution_and_never_misses_a_zip(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`plugins._declared` spares a project without plugins importlib.metadata's import and scan; it must
    answer yes wherever importlib.metadata could find the group."""
    other = tmp_path / "other-1.0.dist-info"
    other.mkdir()
    (other / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n", encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    assert not plugins._declared()
    (tmp_path / "egg.egg-info").write_text("Name: egg\n", encoding="utf-8")  # an old egg-info is a file
    assert not plugins._declared()
    mine = tmp_path / "mine-1.0.dist-info"
    mine.mkdir()
    (mine / "entry_points.txt").write_text("[medlint.rules]\nmine = mine:RULES\n", encoding="utf-8")
    assert plugins._declared()
    (mine / "entry_points.txt").unlink()
    (tmp_path / "bundle.zip").write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "bundle.zip")])
    assert plugins._declared()
