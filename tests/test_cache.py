"""The results cache: same findings warm as cold, content-keyed, tolerant of damage and of sharing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import BASE

from medlint.cache import SUBFOLDER
from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for index in range(5):
        path = tmp_path / f"records/drug{index}/spinal-muscular-atrophy.yaml"
        path.parent.mkdir(parents=True)
        text = BASE.replace("id: zolgensma/", f"id: drug{index}/")
        if index == 3:
            text = text.replace("route: intravenous", "route: IV")
        path.write_text(text, encoding="utf-8")
        old = time.time() - 60  # older than the racy window, so the stat shortcut is trusted
        os.utime(path, (old, old))
    return tmp_path


def _check(capsys: pytest.CaptureFixture[str], cache_dir: Path, *extra: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--today", "2026-11-25", "--format", "json", "--cache-dir", str(cache_dir), *extra])
    return code, json.loads(capsys.readouterr().out)


def test_warm_run_equals_cold_run_and_uses_the_cache(repo: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    assert sorted(p.name.split("-")[0] for p in (cache_dir / SUBFOLDER).glob("*.json")) == ["files", "run"]

    def no_linting(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run must not lint")

    monkeypatch.setattr("medlint.engine.lint_source", no_linting)
    assert _check(capsys, cache_dir) == cold


def test_a_changed_file_is_linted_again_and_only_it(repo: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = repo / "cache"
    _check(capsys, cache_dir)
    changed = repo / "records/drug3/spinal-muscular-atrophy.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("route: IV", "route: intravenous"),
                       encoding="utf-8")
    from medlint import engine

    linted: list[str] = []
    real = engine.lint_source

    def spy(source: engine.Source, *args: object) -> engine.FileResult:
        linted.append(source.path)
        return real(source, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("medlint.engine.lint_source", spy)
    code, document = _check(capsys, cache_dir)
    assert code == 0 and document["findings"] == [] and linted == ["records/drug3/spinal-muscular-atrophy.yaml"]


def test_same_content_new_mtime_is_a_hit_by_digest(repo: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    for path in (repo / "records").rglob("*.yaml"):
        os.utime(path)  # touched: the stat shortcut fails, the content digest still matches

    def no_linting(*args: object, **kwargs: object) -> None:
        raise AssertionError("unchanged content must not be linted again")

    monkeypatch.setattr("medlint.engine.lint_source", no_linting)
    assert _check(capsys, cache_dir) == cold


def test_different_today_or_config_is_a_different_store(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache_dir = repo / "cache"
    _check(capsys, cache_dir)
    _check(capsys, cache_dir, "--ignore", "ML104")
    assert len(list((cache_dir / SUBFOLDER).glob("files-*.json"))) == 2


@pytest.mark.parametrize("damage", [b"", b"{not json", b'[["x", "d", null, {"@": "os.system", "v": ["id"]}]]',
                                    b"\x00\xff" * 100, b'{"@": "Finding", "v": [1]}'])
def test_damaged_or_hostile_cache_files_are_ignored(repo: Path, capsys: pytest.CaptureFixture[str],
                                                    damage: bytes) -> None:
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    for path in (cache_dir / SUBFOLDER).glob("*.json"):
        path.write_bytes(damage)
    assert _check(capsys, cache_dir) == cold


def test_no_cache_writes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _check(capsys, repo / "cache", "--no-cache")
    assert not (repo / "cache").exists()


def test_default_cache_lives_outside_the_repository(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo.parent / "xdg"))
    main(["check", "--today", "2026-11-25"])
    capsys.readouterr()
    assert list((repo.parent / "xdg" / "medlint" / SUBFOLDER).glob("*.json"))
    assert not [p for p in repo.rglob("*.json")]


@pytest.mark.slow
def test_two_processes_sharing_a_cache(repo: Path) -> None:
    cache_dir = repo / "cache"
    command = [sys.executable, "-m", "medlint.cli", "check", "--today", "2026-11-25", "--format", "json",
               "--cache-dir", str(cache_dir)]
    for _ in range(3):
        for path in (repo / "records").rglob("*.yaml"):
            os.utime(path)
        runs = [subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE) for _ in range(4)]
        outputs = [json.loads(run.communicate()[0]) for run in runs]
        assert all(output == outputs[0] for output in outputs)
        assert [f["code"] for f in outputs[0]["findings"]] == ["ML104"]
    assert not list((cache_dir / SUBFOLDER).glob(".*.medlint-tmp"))
    final = subprocess.run(command, cwd=repo, capture_output=True)
    assert json.loads(final.stdout) == outputs[0]


def test_edited_medlint_code_changes_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from medlint import cache as cache_mod

    before = cache_mod.run_key("c", b"s", dt.date(2026, 11, 25))
    module = Path(cache_mod.__file__)
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        assert cache_mod.run_key("c", b"s", dt.date(2026, 11, 25)) != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
