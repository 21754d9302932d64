from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

from medlint import patterncache

RECORD = str(ROOT / "records" / "acetaminophen" / "pain.yaml")


def _run(code: str, prefix: Path, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment.update(PYTHONPYCACHEPREFIX=str(prefix), **env)
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return done.stdout


def _check(prefix: Path, **env: str) -> str:
    return _run(f"from medlint.cli import main; main(['check', '--no-cache', '--today', '2026-11-25', {RECORD!r}])",
                prefix, **env)


def _location(prefix: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where a run with this bytecode prefix (PYTHONPYCACHEPREFIX) keeps the pattern cache."""
    with monkeypatch.context() as patch:
        patch.setattr(sys, "pycache_prefix", str(prefix))
        location = patterncache.location()
    assert location is not None and location.startswith(str(prefix))
    return Path(location)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A bytecode prefix filled by one run, and what the run printed."""
    prefix = tmp_path_factory.mktemp("clean")
    return prefix, _check(prefix)


def _stored(location: Path) -> dict[tuple[bool, str | bytes, int], patterncache.Entry]:
    with open(location, "rb") as stream:
        key, entries = marshal.load(stream)
    assert key == (sys.version, *key[1:])
    return dict(entries)


def _generated(pattern: str | bytes, flags: int) -> patterncache.Entry:
    parsed = re._parser.parse(pattern, flags)
    code = [int(op) for op in re._compiler._code(parsed, flags)]  # type: ignore[attr-defined]
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, dict(parsed.state.groupdict),
            tuple(indexgroup))


def test_a_run_stores_the_patterns_of_the_code_as_re_generates_them(clean: tuple[Path, str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    prefix, first = clean
    entries = _stored(_location(prefix, monkeypatch))
    assert len(entries) >= 100  # medlint's and PyYAML's patterns
    for (_, pattern, flags), entry in entries.items():
        assert entry == _generated(pattern, flags), pattern
    assert _check(prefix) == first  # and a run that reads them says the same
    # the patterns built from a record's text (its brand name, here) are not kept
    assert not [pattern for _, pattern, _ in entries if "Ofirmev" in str(pattern)]


def test_a_pattern_compiled_from_the_cache_is_the_compiled_pattern() -> None:
    for pattern, flags in ((r"(?P<n>[0-9]+) ?(?P<unit>mg|mcg)\b", re.I), (r"[^\x00-\x7f\u00a0-\u00bf]", 0),
                           (rb"^[ \t\f]*(?:[#\r\n]|$)", 0)):
        cached = _sre.compile(pattern, *_generated(pattern, flags))
        fresh = re.compile(pattern, flags)
        assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == \
            (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps((("another python", 1, "little"), {}))])
def test_a_damaged_or_foreign_file_is_replaced(tmp_path: Path, damage: bytes, clean: tuple[Path, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    location = _location(tmp_path, monkeypatch)
    location.parent.mkdir(parents=True)
    location.write_bytes(damage)
    assert _check(tmp_path) == clean[1]
    assert len(_stored(location)) >= 100


def test_a_wrong_entry_falls_back_to_re(tmp_path: Path, clean: tuple[Path, str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry the engine refuses (here: code that is not code) switches the cache off, not the run."""
    location = _location(tmp_path, monkeypatch)
    location.parent.mkdir(parents=True)
    not_code: patterncache.Entry = (0, [99999, 1, 2], 0, {}, (None,))
    entries = {key: not_code for key in _stored(_location(clean[0], monkeypatch))}
    location.write_bytes(marshal.dumps((patterncache._KEY, entries)))
    assert _check(tmp_path) == clean[1]


def test_nothing_is_written_where_python_writes_no_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _check(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert not _location(tmp_path, monkeypatch).exists()
