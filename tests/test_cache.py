"""The results cache: same findings warm as cold, content-keyed, tolerant of damage and of sharing; entries
validated and sealed, keys complete (siblings, absolute paths), and only medlint's own files ever deleted."""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from support import BASE, ROOT, readability_page

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


def _check(capsys: pytest.CaptureFixture[str], cache_dir: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--today", "2026-11-25", "--format", "json", "--cache-dir", str(cache_dir), *extra])
    return code, json.loads(capsys.readouterr().out)


def test_warm_run_equals_cold_run_and_uses_the_cache(repo: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    assert sorted(p.name for p in (cache_dir / SUBFOLDER).iterdir() if p.name != "CACHEDIR.TAG") == [
        f"files-{_store_key(cache_dir)}.sqlite3", next((cache_dir / SUBFOLDER).glob("run-*.json")).name]

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
    from medlint import engine, load

    linted: list[str] = []
    real = engine.lint_source

    def spy(source: load.Source, *args: object) -> engine.FileResult:
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
    assert len(list((cache_dir / SUBFOLDER).glob("files-*.sqlite3"))) == 2


@pytest.mark.parametrize("damage", [b"", b"{not json", b'[["x", "d", null, {"@": "os.system", "v": ["id"]}]]',
                                    b"\x00\xff" * 100, b'{"@": "Finding", "v": [1]}'])
def test_damaged_or_hostile_cache_files_are_ignored(repo: Path, capsys: pytest.CaptureFixture[str],
                                                    damage: bytes) -> None:
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    for path in _store_files(cache_dir):
        path.write_bytes(damage)
    assert _check(capsys, cache_dir) == cold
    assert _check(capsys, cache_dir) == cold  # the damaged store was made again, and is read
    assert _rows(next((cache_dir / SUBFOLDER).glob("files-*.sqlite3")))


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
    store = next((cache_dir / SUBFOLDER).glob("files-*.sqlite3"))
    with closing(sqlite3.connect(store)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(_rows(store)) == 5
    final = subprocess.run(command, cwd=repo, capture_output=True)
    assert json.loads(final.stdout) == outputs[0]


@pytest.mark.slow
def test_two_processes_writing_one_store_at_once_both_land(repo: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Two runs on different records of one corpus, started together, each storing its entries while the
    other does: the store holds every entry of both, each sealed and readable."""
    for index in range(5, 60):
        path = repo / f"records/drug{index}/spinal-muscular-atrophy.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(BASE.replace("id: zolgensma/", f"id: drug{index}/"), encoding="utf-8")
        os.utime(path, (time.time() - 60, time.time() - 60))
    cache_dir = repo / "cache"
    command = [sys.executable, "-m", "medlint.cli", "check", "--today", "2026-11-25", "--format", "json",
               "--cache-dir", str(cache_dir)]
    folders = sorted(str(p.relative_to(repo)) for p in (repo / "records").iterdir())
    halves = [folders[::2], folders[1::2]]
    for _ in range(3):
        shutil.rmtree(cache_dir, ignore_errors=True)
        runs = [subprocess.Popen([*command, *half], cwd=repo, stdout=subprocess.PIPE) for half in halves]
        for run in runs:
            run.communicate()
        assert len(_rows(next((cache_dir / SUBFOLDER).glob("files-*.sqlite3")))) == 60
    fresh = _check(capsys, cache_dir, "--no-cache")

    def no_linting(*args: object, **kwargs: object) -> None:
        raise AssertionError("every entry was stored by one of the two runs")

    monkeypatch.setattr("medlint.engine.lint_source", no_linting)
    assert _check(capsys, cache_dir) == fresh


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


# --- entries are validated and sealed: nothing but what was stored is used (issue 12, item 8) -----------------

def _store_files(cache_dir: Path) -> list[Path]:
    return sorted([*(cache_dir / SUBFOLDER).glob("*.json"), *(cache_dir / SUBFOLDER).glob("*.sqlite3")])


def _store_key(cache_dir: Path) -> str:
    return next((cache_dir / SUBFOLDER).glob("files-*.sqlite3")).name.removeprefix("files-").removesuffix(".sqlite3")


COLUMNS = ("key", "seal", "size", "mtime_ns", "inode", "digest", "payload")


def _rows(store: Path) -> list[list[Any]]:
    with closing(sqlite3.connect(store)) as db:
        return [list(row) for row in db.execute(f"SELECT {', '.join(COLUMNS)} FROM entries ORDER BY key")]


def _write_rows(store: Path, rows: list[list[Any]]) -> None:
    """Replace the store's rows as a hand (or a tool) with SQLite would, whatever the values' types."""
    with closing(sqlite3.connect(store)) as db, db:
        db.execute("DELETE FROM entries")
        db.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * len(COLUMNS))})", rows)


def _edit_payloads(cache_dir: Path, edit: Callable[[Any], Any], *, which: str = "both") -> None:
    """Rewrite every payload in place as a hand (or a tool) would, leaving the seals as they were."""
    for path in _store_files(cache_dir):
        if path.suffix == ".sqlite3":
            if which in ("files", "both"):
                rows = _rows(path)
                for row in rows:
                    row[-1] = json.dumps(edit(json.loads(row[-1])))
                _write_rows(path, rows)
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        if "payload" in document and which in ("run", "both"):
            document["payload"] = json.dumps(edit(json.loads(document["payload"])))
        path.write_text(json.dumps(document), encoding="utf-8")


def _no_findings(value: Any) -> Any:
    value[1 if len(value) in (4, 5) and isinstance(value[0], str) else 2] = []  # FileResult or RunResult
    return value


@pytest.mark.parametrize("route", ["run", "files-by-stat", "files-by-digest"])
def test_an_emptied_findings_list_never_makes_a_failing_record_pass(repo: Path, capsys: pytest.CaptureFixture[str],
                                                                    route: str) -> None:
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    assert cold[0] == 1
    _edit_payloads(cache_dir, _no_findings, which="run" if route == "run" else "files")
    if route != "run":  # the per-file entries decide only when the run store does not
        next((cache_dir / SUBFOLDER).glob("run-*.json")).unlink()
    if route == "files-by-digest":
        for path in (repo / "records").rglob("*.yaml"):
            os.utime(path, (time.time() - 30, time.time() - 30))
    assert _check(capsys, cache_dir) == cold


def _seal_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if a forger knew the seals' key: only the type checks stand between an entry and the run."""
    from medlint import cache as cache_mod

    monkeypatch.setattr(cache_mod.Cache, "_digest", lambda self, *parts: "sealed")


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=6),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                                       max_size=2), max_leaves=8)


def _nodes(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [path, *(p for key, child in children for p in _nodes(child, (*path, key)))]


@pytest.mark.slow  # Hypothesis, seconds
@pytest.mark.parametrize("sealed", [True, False], ids=["seals-checked", "seals-forged"])
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_a_stored_entry_is_a_miss_never_a_crash(repo: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path_factory: pytest.TempPathFactory, sealed: bool,
                                                              data: st.DataObject) -> None:
    """Any one value anywhere in a cache file (its structure, a stat, a digest, a finding's field inside a
    payload) replaced by any JSON value: the run gives the fresh run's answer. With the seals forged, the
    type checks alone must keep wrong types out."""
    cache_dir = tmp_path_factory.mktemp("cache")
    with monkeypatch.context() as patch:
        if not sealed:
            _seal_anything(patch)
        fresh = _check(capsys, cache_dir, "--no-cache")
        _check(capsys, cache_dir)
        path = data.draw(st.sampled_from(_store_files(cache_dir)))
        # a store's rows, damaged as a JSON document of them: any value as SQLite can hold it
        document: Any = {"entries": _rows(path)} if path.suffix == ".sqlite3" else json.loads(
            path.read_text("utf-8"))
        inside = data.draw(st.booleans())
        payloads: list[tuple[Any, ...]] = [("entries", index, len(COLUMNS) - 1)
                                           for index in range(len(document.get("entries", ())))] or [("payload",)]
        if inside:  # parse one payload, damage a value in it, put it back
            where = data.draw(st.sampled_from(payloads))
            holder: Any = document
            for key in where[:-1]:
                holder = holder[key]
            payload = json.loads(holder[where[-1]])
            target = data.draw(st.sampled_from(_nodes(payload)[1:]))
            node = payload
            for key in target[:-1]:
                node = node[key]
            node[target[-1]] = data.draw(JSON_VALUES)
            holder[where[-1]] = json.dumps(payload)
        else:
            target = data.draw(st.sampled_from(_nodes(document)[1:]))
            node = document
            for key in target[:-1]:
                node = node[key]
            node[target[-1]] = data.draw(JSON_VALUES)
        if path.suffix == ".sqlite3":
            rows = document["entries"]
            if not isinstance(rows, list) or not all(isinstance(row, list) and len(row) == len(COLUMNS)
                                                     for row in rows):
                path.write_text(json.dumps(document), encoding="utf-8")  # no longer rows: a file of other bytes
            else:
                _write_rows(path, [[_sqlite_value(value) for value in row] for row in rows])
        else:
            path.write_text(json.dumps(document), encoding="utf-8")
        assert _check(capsys, cache_dir) == fresh


def _sqlite_value(value: Any) -> Any:
    """A JSON value as a hand would put it in a row: a list or mapping as its JSON text, anything else itself."""
    return json.dumps(value) if isinstance(value, (list, dict)) or (isinstance(value, int) and abs(value) >= 2**63) \
        else value


def test_an_entry_moved_to_another_file_or_store_is_a_miss(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """drug3's failing entry and a passing one swap keys; a store written for another day is renamed to
    this day's name: each is sealed for where it was written, so neither is used."""
    cache_dir = repo / "cache"
    cold = _check(capsys, cache_dir)
    store = next((cache_dir / SUBFOLDER).glob("files-*.sqlite3"))
    rows = _rows(store)
    _write_rows(store, [[key, *values] for key, values in zip([row[0] for row in rows],
                                                               [row[1:] for row in [*rows[1:], rows[0]]],
                                                               strict=True)])
    next((cache_dir / SUBFOLDER).glob("run-*.json")).unlink()
    assert _check(capsys, cache_dir) == cold
    other_day = _check(capsys, repo / "other", "--today", "2026-01-01")  # its own store, in another folder
    for path in _store_files(repo / "other"):
        name = path.name.split("-")[0]
        target = next((cache_dir / SUBFOLDER).glob(f"{name}-*{path.suffix}"))
        target.write_bytes(path.read_bytes())
    assert _check(capsys, cache_dir) == cold and other_day != cold


# --- the run cache covers the records read beside the files asked for (item 9) -------------------------------

def _drug_folder(root: Path, ids: dict[str, str], names: dict[str, str] | None = None) -> None:
    """records/zolgensma/<file>.yaml declaring the ids given, each file's mtime old and distinct."""
    for index, (name, record_id) in enumerate(sorted(ids.items())):
        path = root / "records" / "zolgensma" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = BASE.replace("id: zolgensma/spinal-muscular-atrophy", f"id: {record_id}")
        if names and name in names:
            text = text.replace("generic_name: onasemnogene abeparvovec-xioi", f"generic_name: {names[name]}")
        path.write_text(text, encoding="utf-8")
        _age(path, index)


_CLOCK = [time.time() - 3600]


def _age(path: Path, salt: int = 0) -> None:
    """An mtime in the past (so the stat shortcut and the run cache trust it), different at every call."""
    _CLOCK[0] -= 1
    os.utime(path, (_CLOCK[0] - salt, _CLOCK[0] - salt))


HOOK = ("records/zolgensma/a.yaml", "records/zolgensma/b.yaml")


@pytest.mark.parametrize("change", ["added", "edited", "renamed-away", "deleted", "spelt-differently"])
def test_the_run_cache_sees_a_changed_sibling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], change: str) -> None:
    """Issue 12's example and its variants: a hook run over two records of a drug folder, cached; then a third
    record of the folder, which the run reads but does not report, changes."""
    monkeypatch.chdir(tmp_path)
    start = {"a": "zolgensma/a", "b": "zolgensma/b"}
    if change in ("edited", "renamed-away", "deleted"):
        start["c"] = "zolgensma/c" if change == "edited" else "zolgensma/a"
    _drug_folder(tmp_path, start)
    cache_dir = tmp_path / "cache"
    before = _check(capsys, cache_dir, *HOOK)
    sibling = tmp_path / "records/zolgensma/c.yaml"
    if change in ("added", "edited"):
        _drug_folder(tmp_path, {"c": "zolgensma/a"})
    elif change == "renamed-away":
        sibling.rename(tmp_path / "c.yaml.bak")
    elif change == "deleted":
        sibling.unlink()
    else:  # three new records spell the generic name one way: the hook's two now spell it differently
        _drug_folder(tmp_path, {name: f"zolgensma/{name}" for name in "cde"},
                     names=dict.fromkeys("cde", "onasemnogene"))
    assert _check(capsys, cache_dir, *HOOK) == _check(capsys, cache_dir, *HOOK, "--no-cache") != before


def test_a_sibling_in_the_folder_an_id_names_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A record in records/other/ declares `zolgensma/x`: records/zolgensma/ is read too, and a record that
    appears there with the same id is a duplicate on the next cached run."""
    monkeypatch.chdir(tmp_path)
    moved = tmp_path / "records/other/x.yaml"
    moved.parent.mkdir(parents=True)
    moved.write_text(BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: zolgensma/x"), encoding="utf-8")
    _age(moved)
    (tmp_path / "records/zolgensma").mkdir()
    cache_dir = tmp_path / "cache"
    before = _check(capsys, cache_dir, "records/other")
    _drug_folder(tmp_path, {"x": "zolgensma/x"})
    after = _check(capsys, cache_dir, "records/other")
    assert after == _check(capsys, cache_dir, "records/other", "--no-cache") != before
    assert "ML111" in {f["code"] for f in after[1]["findings"]}


OPERATIONS = st.lists(st.tuples(st.sampled_from(["write", "delete", "touch"]), st.sampled_from("abcd"),
                                st.sampled_from(["zolgensma/a", "zolgensma/b", "zolgensma/c", "other/z"])),
                      min_size=1, max_size=5)


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_cached_runs_agree_with_fresh_runs_whatever_the_siblings_do(tmp_path_factory: pytest.TempPathFactory,
                                                                   capsys: pytest.CaptureFixture[str],
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   operations: list[tuple[str, str, str]]) -> None:
    """Records of a drug folder written (with any of a few ids), deleted and touched, in any order, while a
    hook run over two of them is repeated with the cache: each cached answer is the fresh answer."""
    root = tmp_path_factory.mktemp("siblings")
    monkeypatch.chdir(root)
    _drug_folder(root, {"a": "zolgensma/a", "b": "zolgensma/b"})
    cache_dir = root / "cache"
    _check(capsys, cache_dir, *HOOK)
    for operation, name, record_id in operations:
        path = root / "records/zolgensma" / f"{name}.yaml"
        if operation == "write":
            _drug_folder(root, {name: record_id})
        elif operation == "delete" and name not in "ab":
            path.unlink(missing_ok=True)
        elif path.exists():
            _age(path)
        assert _check(capsys, cache_dir, *HOOK) == _check(capsys, cache_dir, *HOOK, "--no-cache")


def _page(slug: str, generic: str, alternatives: str, extra: str = "") -> str:
    return readability_page(slug, generic, alternatives) + extra


# reads above grade 8 unless `onasemnogene` is a name: the generic name of another record of the run
HARDER = ("Risdiplam is a pill taken by mouth each day. The one-time infusion onasemnogene is given into a vein to "
          "young children in a hospital over about an hour. Ask whether onasemnogene or the pill fits your child, "
          "and what onasemnogene asks of you.")
EDITS: list[tuple[str, str]] = [  # (file, its new text): each run's change, one file at a time
    ("records/nusinersen/sma.yaml", _page("nusinersen/sma", "nusinersen", HARDER, "# a comment\n")),
    ("records/zolgensma/sma.yaml", _page("zolgensma/sma", "zolgensma-xioi", "Two other medicines treat SMA.")),
    ("records/zolgensma/other.yaml", _page("zolgensma/other", "zolgensma-xioi", "Two other medicines.")),
    ("records/zolgensma/other.yaml", _page("zolgensma/sma", "onasemnogene", "Two other medicines treat SMA.")),
    ("records/zolgensma/sma.yaml", _page("zolgensma/sma", "onasemnogene", "Two other medicines treat SMA.",
                                         "# medlint: disable=ML111 -- checked\n")),
    ("records/nusinersen/sma.yaml", _page("nusinersen/sma", "nusinersen", HARDER.replace("hour", "hour or so"))),
    ("records/zolgensma/other.yaml", _page("zolgensma/other", "onasemnogene", "Two other medicines treat SMA.")),
]


def test_a_warm_run_after_each_edit_prints_what_a_cold_run_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The whole corpus checked with the cache after each edit of one record (which changes other records'
    cross-record findings: a generic name that makes another page's text easier, a duplicate id, a
    suppression), byte for byte what the same run without a cache prints, in text and JSON."""
    monkeypatch.chdir(tmp_path)
    start = {"records/nusinersen/sma.yaml": _page("nusinersen/sma", "nusinersen", HARDER),
             "records/zolgensma/sma.yaml": _page("zolgensma/sma", "onasemnogene abeparvovec-xioi", "Two others."),
             "records/zolgensma/other.yaml": _page("zolgensma/other", "onasemnogene", "Two other medicines.")}
    codes: set[str] = set()
    for index, (name, text) in enumerate([*start.items(), *EDITS]):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        _age(path)
        if index < len(start) - 1:
            continue
        runs = []
        for cache in ("--cache-dir=cache", "--no-cache"):
            code = main(["check", "--today", "2026-11-25", "--report", "json:out.json", cache])
            runs.append((code, capsys.readouterr().out, (tmp_path / "out.json").read_text(encoding="utf-8")))
        assert runs[0] == runs[1], name
        codes.update(finding["code"] for finding in json.loads(runs[1][2])["findings"])
    assert {"ML111", "ML701"} <= codes


# --- everything a finding depends on is in its key (item 10) ----------------------------------------------

def test_the_same_file_name_in_another_folder_is_another_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12's example: `fever.yaml` checked from records/ibuprofen/, then an identical `fever.yaml` from
    other/ibuprofen/: both are `fever.yaml` to the user, but only one is where a record belongs (ML110)."""
    text = BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: ibuprofen/fever")
    for folder in ("records/ibuprofen", "other/ibuprofen"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "fever.yaml").write_text(text, encoding="utf-8")
        _age(tmp_path / folder / "fever.yaml")
    cache_dir = tmp_path / "cache"
    monkeypatch.chdir(tmp_path / "records/ibuprofen")
    assert _check(capsys, cache_dir, "fever.yaml")[0] == 0
    monkeypatch.chdir(tmp_path / "other/ibuprofen")
    cached = _check(capsys, cache_dir, "fever.yaml")
    assert cached == _check(capsys, cache_dir, "fever.yaml", "--no-cache")
    assert cached[0] == 1 and [f["code"] for f in cached[1]["findings"]] == ["ML110"]


def test_a_finding_names_the_file_as_this_run_shows_it(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cache_dir = repo / "cache"
    _check(capsys, cache_dir, "records")
    monkeypatch.chdir(repo / "records")
    code, document = _check(capsys, cache_dir, ".")
    assert code == 1 and [f["path"] for f in document["findings"]] == ["drug3/spinal-muscular-atrophy.yaml"]


def test_per_path_ignores_follow_a_folder_link_that_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Per-path ignores match the path with links resolved: when `records/current` is pointed at another
    folder holding an identical file, the file is matched anew, not served from the cache."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "medlint.toml").write_text('[per-path-ignores]\n"records/v1/*" = ["ML104"]\n', encoding="utf-8")
    text = BASE.replace("route: intravenous", "route: IV").replace("id: zolgensma/spinal-muscular-atrophy",
                                                                   "id: current/x")
    for folder in ("v1", "v2"):
        (tmp_path / "records" / folder).mkdir(parents=True)
        (tmp_path / "records" / folder / "x.yaml").write_text(text, encoding="utf-8")
        _age(tmp_path / "records" / folder / "x.yaml")
    link = tmp_path / "records/current"
    link.symlink_to("v1")
    cache_dir = tmp_path / "cache"
    assert _check(capsys, cache_dir, "records/current/x.yaml")[0] == 0
    link.unlink()
    link.symlink_to("v2")
    cached = _check(capsys, cache_dir, "records/current/x.yaml")
    assert cached == _check(capsys, cache_dir, "records/current/x.yaml", "--no-cache") and cached[0] == 1


# --- the cache folder: only medlint's own files, in its own marked subfolder (item 3) -------------------------

OLD = time.time() - 30 * 86400


def _old(path: Path, data: bytes = b"{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (OLD, OLD))
    return path


def test_a_shared_cache_folder_keeps_other_tools_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12's example: `--cache-dir ../common`, where other tools keep old `*.json` files. Only medlint's
    subfolder is created there, and only medlint's own old files in it are deleted."""
    shared = repo.parent / "common"
    others = [_old(shared / name) for name in ("package.json", "settings.json", "files-0123456789abcdef01234567.json",
                                               "run-0123456789abcdef01234567.json")]
    own_folder = shared / SUBFOLDER
    stale = [_old(own_folder / name) for name in ("files-00000000000000000000dead.json",
                                                  "files-00000000000000000000dead.sqlite3",
                                                  "files-00000000000000000000dead.sqlite3-wal",
                                                  "run-0000000000000000000dead0.json",
                                                  ".files-00000000000000000000dead.json.abc_123x.medlint-tmp")]
    kept = [_old(own_folder / name) for name in ("notes.json", "files-XYZ.json", "run-0123.json", "settings.json",
                                                 "files-00000000000000000000dead.json.bak",
                                                 "files-00000000000000000000dead.sqlite3.bak", "run-0123.sqlite3")]
    victim = _old(repo.parent / "victim.json")
    (own_folder / "run-00000000000000000000beef.json").symlink_to(victim)
    _check(capsys, shared)
    assert all(path.exists() for path in [*others, *kept, victim])
    assert not any(path.exists() for path in stale)
    assert (own_folder / "run-00000000000000000000beef.json").is_symlink()  # a link is never medlint's file
    assert sorted(path.name for path in shared.iterdir()) == sorted([*(p.name for p in others), SUBFOLDER])


def test_a_cache_subfolder_that_is_a_link_is_not_used(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = repo.parent / "elsewhere"
    victim = _old(elsewhere / "files-00000000000000000000dead.json")
    (repo / "cache").mkdir()
    (repo / "cache" / SUBFOLDER).symlink_to(elsewhere)
    fresh = _check(capsys, repo / "cache", "--no-cache")
    assert _check(capsys, repo / "cache") == fresh == _check(capsys, repo / "cache")
    assert victim.exists() and sorted(p.name for p in elsewhere.iterdir()) == [victim.name]


NAMES = st.one_of(
    st.builds(lambda kind, digits, tail: f"{kind}-{digits}.json{tail}",
              st.sampled_from(["files", "run", "File", "runs"]),
              st.text("0123456789abcdefABCDEF", min_size=22, max_size=26),
              st.sampled_from(["", ".bak", ".x.medlint-tmp", ".abc_12.medlint-tmp", ".tmp"])),
    st.builds(lambda digits: f".files-{digits}.json.q1w2e3r4.medlint-tmp", st.text("0123456789abcdef", min_size=24,
                                                                                  max_size=24)),
    st.from_regex(r"[a-z.\-_]{1,20}\.json", fullmatch=True),
    st.builds(lambda kind, digits, tail: f"{kind}-{digits}.sqlite3{tail}", st.sampled_from(["files", "run"]),
              st.text("0123456789abcdef", min_size=23, max_size=25),
              st.sampled_from(["", "-wal", "-shm", "-journal", "-wal.bak", ".x.medlint-tmp"])),
    st.sampled_from([".CACHEDIR.TAG.k2j3_x.medlint-tmp", ".CACHEDIR.TAG.medlint-tmp", "CACHEDIR.TAG.bak",
                     ".files-0123456789abcdef01234567.json", "run-0123456789abcdef01234567.json.x.medlint-tmp"]))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.sets(NAMES, max_size=6))
def test_pruning_deletes_exactly_medlint_s_own_old_files(tmp_path_factory: pytest.TempPathFactory,
                                                         names: set[str]) -> None:
    from medlint import cache as cache_mod

    folder = tmp_path_factory.mktemp("prune") / SUBFOLDER
    store = cache_mod.Cache(folder.parent, "key")
    store.store_files({})  # marks the subfolder
    for name in names:
        _old(folder / name)
    store.store_files({})
    own = re.compile(r"(files|run)-[0-9a-f]{24}\.json|\.(files|run)-[0-9a-f]{24}\.json\.[a-z0-9_]+\.medlint-tmp"
                     r"|files-[0-9a-f]{24}\.sqlite3(-wal|-shm|-journal)?|\.CACHEDIR\.TAG\.[a-z0-9_]+\.medlint-tmp")
    left = {path.name for path in folder.iterdir()}
    assert left == {name for name in names if not own.fullmatch(name)} | {"CACHEDIR.TAG", store.files_path.name}


def test_a_config_may_keep_its_cache_in_the_project_or_the_user_cache(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12's example: `cache-dir = "."` in a pull request's medlint.toml. Kept in the project it is
    allowed (its old `package.json` stays); pointing anywhere else is a configuration error."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(repo.parent / "xdg"))
    package = _old(repo / "package.json")
    (repo / "medlint.toml").write_text('cache-dir = "."\n', encoding="utf-8")
    code, _ = _check_default(capsys)
    assert code == 1 and package.exists() and (repo / SUBFOLDER / "CACHEDIR.TAG").exists()
    (repo / "inside").symlink_to(repo.parent)
    for value in ("..", "../common", "/tmp", "inside/x", "~"):
        (repo / "medlint.toml").write_text(f'cache-dir = "{value}"\n', encoding="utf-8")
        assert main(["check", "--today", "2026-11-25"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("medlint: error: ") and "`cache-dir`" in err and "outside the project folder" in err
    (repo / "medlint.toml").write_text(f'cache-dir = "{repo.parent / "xdg" / "proj"}"\n', encoding="utf-8")
    assert _check_default(capsys)[0] == 1 and (repo.parent / "xdg" / "proj" / SUBFOLDER).is_dir()


def _check_default(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["check", "--today", "2026-11-25", "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


# --- a record's result holds the dose-limit table it was checked against (issue 14 on items 9 and 10) ---------

TABLE = (ROOT / "limits/zolgensma.yaml").read_text(encoding="utf-8")
STRICTER = TABLE.replace("      minimum: 1.1e14\n      hard: 1.1e14\n", "      hard: 5e13\n")  # the dose breaks it


@pytest.mark.parametrize("route", ["default", "records", "record", "record-touched", "report-then-record"])
@pytest.mark.parametrize("before", ["table", "no-table"])
def test_a_record_is_checked_again_when_its_drug_s_table_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str], route: str,
                                                                before: str) -> None:
    """Check a record with the cache; edit its drug's dose-limit table (or add one) so that the record's dose now
    breaks a limit; check again with the cache: ML801 is reported, whichever way the cache is consulted (the
    whole run, with the tables checked or not; the record's entry by its stat, or by its digest when touched;
    an entry that `report` stored)."""
    monkeypatch.chdir(tmp_path)
    record, table = tmp_path / RECORD, tmp_path / "limits/zolgensma.yaml"
    record.parent.mkdir(parents=True)
    record.write_text(BASE, encoding="utf-8")
    _age(record)
    if before == "table":
        table.parent.mkdir()
        table.write_text(TABLE, encoding="utf-8")
        _age(table)
    paths = {"default": (), "records": ("records",)}.get(route, (RECORD,))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # where `report` keeps its cache
    cache_dir = tmp_path / "user-cache/medlint"
    if route == "report-then-record":
        assert main(["report", "--today", "2026-11-25", "--format", "markdown"]) == 0
        capsys.readouterr()
    assert _check(capsys, cache_dir, *paths)[0] == 0
    assert _check(capsys, cache_dir, *paths)[0] == 0  # warm
    table.parent.mkdir(exist_ok=True)
    table.write_text(STRICTER, encoding="utf-8")
    _age(table)
    if route == "record-touched":
        _age(record)  # the same bytes, a new stat: found by its digest
    code, document = _check(capsys, cache_dir, *paths)
    assert (code, document) == _check(capsys, cache_dir, *paths, "--no-cache")
    assert code == 1 and "ML801" in {f["code"] for f in document["findings"]}


def test_a_table_that_cannot_be_read_is_not_the_same_as_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A table that appears as a link out of the repository has no bytes to digest, yet the record's doses are
    no longer checked against nothing: its cached pass must not stand (ML806)."""
    monkeypatch.chdir(tmp_path)
    record = tmp_path / RECORD
    record.parent.mkdir(parents=True)
    record.write_text(BASE, encoding="utf-8")
    _age(record)
    (tmp_path / "limits").mkdir()
    cache_dir = tmp_path / "cache"
    assert _check(capsys, cache_dir, RECORD)[0] == 0
    (tmp_path / "limits/zolgensma.yaml").symlink_to(tmp_path.parent / "elsewhere.yaml")
    code, document = _check(capsys, cache_dir, RECORD)
    assert (code, document) == _check(capsys, cache_dir, RECORD, "--no-cache")
    assert code == 1 and [f["code"] for f in document["findings"]] == ["ML806"]


def test_a_finding_names_the_table_as_this_run_shows_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The record is named by its absolute path from both folders (it is outside each), but its drug's table
    is `/…/limits/zolgensma.yaml` from one and `zolgensma.yaml` from the other: the message says so."""
    (tmp_path / "medlint.toml").write_text("", encoding="utf-8")
    record = tmp_path / RECORD
    record.parent.mkdir(parents=True)
    record.write_text(BASE, encoding="utf-8")
    (tmp_path / "limits").mkdir()
    (tmp_path / "limits/zolgensma.yaml").write_text(TABLE.replace("hard: 1.1e14", "hard: 1e13"), encoding="utf-8")
    (tmp_path / "other").mkdir()
    for path in (record, tmp_path / "limits/zolgensma.yaml"):
        _age(path)
    cache_dir = tmp_path / "cache"
    messages = []
    for folder in ("other", "limits"):
        monkeypatch.chdir(tmp_path / folder)
        code, document = _check(capsys, cache_dir, str(record))
        assert (code, document) == _check(capsys, cache_dir, str(record), "--no-cache")
        messages += [f["message"] for f in document["findings"] if f["code"] == "ML806"]
    assert [message.split(" has ")[0] for message in messages] == [str(tmp_path / "limits/zolgensma.yaml"),
                                                                     "zolgensma.yaml"]


STEP = st.tuples(st.sampled_from(["records", "other"]), st.sampled_from(["its folder", "the folder above"]),
                 st.sampled_from(["the file", "its folder"]), st.booleans(),
                 st.sampled_from(["as it was", "stricter", "the original", "removed"]))


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=5))
@example(steps=[("records", "its folder", "the file", False, "as it was"),  # issue 12's `fever.yaml`
                ("other", "its folder", "the file", False, "as it was")])
def test_cached_runs_agree_with_fresh_runs_wherever_they_run_from(tmp_path_factory: pytest.TempPathFactory,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  steps: list[tuple[str, str, str, bool, str]]) -> None:
    """A record and an identical copy outside records/, each checked from its own folder or the one above, as a
    file or a folder, by a relative or an absolute path, while the drug's dose-limit table is made stricter,
    restored or removed: each cached answer is the fresh answer."""
    root = tmp_path_factory.mktemp("places")
    (root / "medlint.toml").write_text("", encoding="utf-8")
    for folder in ("records", "other"):
        (root / folder / "zolgensma").mkdir(parents=True)
        (root / folder / "zolgensma/a.yaml").write_text(BASE.replace("zolgensma/spinal-muscular-atrophy",
                                                                     "zolgensma/a"), encoding="utf-8")
        _age(root / folder / "zolgensma/a.yaml")
    (root / "limits").mkdir()
    table = root / "limits/zolgensma.yaml"
    cache_dir = root / "cache"
    for copy, place, checked, absolute, change in steps:
        if change != "as it was":
            table.unlink(missing_ok=True)
            if change != "removed":
                table.write_text(STRICTER if change == "stricter" else TABLE, encoding="utf-8")
                _age(table)
        drug_folder = root / copy / "zolgensma"
        monkeypatch.chdir(drug_folder if place == "its folder" else drug_folder.parent)
        target = drug_folder / "a.yaml" if checked == "the file" else drug_folder
        shown = str(target) if absolute else os.path.relpath(target)
        assert _check(capsys, cache_dir, shown) == _check(capsys, cache_dir, shown, "--no-cache")
