"""`medlint report --history`: findings and reviews due week by week, from a content repository's git history."""
from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import tarfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from editors_support import content_repo, git, record, review
from support import BASE, FIXTURES, ROOT, TODAY, run_config

from medlint import cache as cache_mod, config as config_mod, discovery, engine, history, load, runner
from medlint.changes import GitError
from medlint.model import Severity
from medlint.rules.base import Extractor
from medlint.summary import review_queue


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("content") / "site"
    return root, content_repo(root)


@pytest.fixture
def inside(repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(repo[0])
    return repo[0]


def checkout(root: Path, commit: str, into: Path) -> Path:
    """The commit's files, as a clone would have them: the oracle reads real files, not git objects."""
    archive = subprocess.run(["git", "archive", commit], cwd=root, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def oracle(root: Path, commit: str, end: dt.date, tmp_path: Path, paths: tuple[str, ...] = ("records",)
           ) -> history.Week:
    """The week counted the long way: the commit checked out, `medlint check` on it, the dated rules left out,
    the queue measured at the week's end."""
    tree = checkout(root, commit, tmp_path / commit)
    cwd = Path.cwd()
    os.chdir(tree)
    try:
        outcome, _ = runner.check(paths, config_mod.load(), engine.Run(TODAY), summaries=True)
    finally:
        os.chdir(cwd)
    active = [f for f in outcome.findings if f.suppressed is None and f.code not in history.DATED]
    errors = [f for f in active if f.severity is Severity.ERROR]
    queue = review_queue(outcome.summaries, end)
    return history.Week(end, commit, outcome.records, len(errors), len(active) - len(errors),
                        len({f.path for f in errors}), sum(1 for row in queue if row.status == "overdue"),
                        sum(1 for row in queue if row.days is not None and 0 <= row.days <= history.DUE_SOON_DAYS))


def test_every_week_counts_what_its_commit_held(inside: Path, repo: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, commits = repo
    weeks = history.weekly(["records"], config_mod.load(), TODAY, 12)
    assert [w.end for w in weeks] == [TODAY - dt.timedelta(days=7 * back) for back in range(11, -1, -1)]
    assert [w.commit for w in weeks] == commits[-12:]  # one commit a week, at noon of the week's last day
    for week in weeks:
        assert week == oracle(root, week.commit, week.end, tmp_path), week.end
    assert len({(w.errors, w.overdue) for w in weeks}) > 3  # the repository's history does move
    assert weeks[-1].records == 10 and weeks[0].records < 10


def test_weeks_before_the_first_commit_are_empty(inside: Path, repo: tuple[Path, list[str]]) -> None:
    weeks = history.weekly(["records"], config_mod.load(), TODAY, 22)
    assert [w.commit for w in weeks[:2]] == ["", ""] and weeks[2].commit == repo[1][0]
    assert weeks[0] == history.Week(weeks[0].end, "", 0, 0, 0, 0, 0, 0)


def test_a_week_between_commits_is_the_last_commit_before_its_end(inside: Path, repo: tuple[Path, list[str]]) -> None:
    weeks = history.weekly(["records"], config_mod.load(), TODAY - dt.timedelta(days=3), 2)
    assert [w.commit for w in weeks] == repo[1][-3:-1]
    assert weeks[-1].end == TODAY - dt.timedelta(days=3)


@pytest.fixture
def lints(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    lint = engine.lint_source

    def counting(source: load.Source, config: config_mod.Config, run: engine.Run,
                 asked: Sequence[Extractor[Any]] = ()) -> engine.FileResult:
        seen.append(source.path)
        return lint(source, config, run, asked)

    monkeypatch.setattr(engine, "lint_source", counting)
    yield seen


def test_each_blob_is_linted_once_and_the_cache_answers_for_the_working_tree(
        inside: Path, repo: tuple[Path, list[str]], tmp_path: Path, lints: list[str]) -> None:
    root, _ = repo
    cfg = config_mod.load()
    store = cache_mod.Cache(tmp_path / "cache", "key")
    runner.check(["records"], cfg, engine.Run(TODAY), cache=store, summaries=True)  # as `medlint report` does
    lints.clear()
    weeks = history.weekly(["records"], cfg, TODAY, 12, store)
    versions = {line.split()[2] + line.split("\t")[1] for week in weeks
                for line in git(root, "ls-tree", "-r", week.commit, "records").splitlines()}
    current = {line.split()[2] + line.split("\t")[1] for line in git(root, "ls-tree", "-r", "HEAD", "records")
               .splitlines()}
    assert len(lints) == len(versions - current) > 0  # every other version once; today's come from the cache
    assert len(versions) < 12 * 10  # unchanged blobs are shared between weeks
    lints.clear()
    assert history.weekly(["records"], cfg, TODAY, 12) == weeks  # without a cache: the same counts
    assert len(lints) == len(versions)


def test_each_week_is_checked_against_its_own_dose_limit_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                lints: list[str]) -> None:
    """A table lowered under the record's dose, then broken, then mended: the record is an error in the weeks
    its table refuses it, the broken table's own findings count (limits/ is checked as `check` checks it by
    default), and a record that did not change is linted again because its table did."""
    table = (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8")
    lowered = table.replace("minimum: 1.1e14", "minimum: 1.0e14").replace("hard: 1.1e14", "hard: 1.0e14")
    versions = [table, lowered, table.replace("schema_version: 1", "schema: 1"), table]
    path, text = "records/zolgensma/spinal-muscular-atrophy.yaml", BASE
    (tmp_path / "records" / "zolgensma").mkdir(parents=True)
    (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / "limits").mkdir()
    git(tmp_path, "init", "-q")
    commits = []
    for week, version in enumerate(versions):
        (tmp_path / "limits" / "zolgensma.yaml").write_text(version, encoding="utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"week {week}",
            when=dt.datetime.combine(TODAY - dt.timedelta(days=7 * (3 - week)), dt.time(12)))
        commits.append(git(tmp_path, "rev-parse", "HEAD").strip())
    monkeypatch.chdir(tmp_path)
    weeks = history.weekly(["records", "limits"], config_mod.load(), TODAY, 4)
    assert [w.commit for w in weeks] == commits
    assert lints.count(path) == 4  # one record blob, linted again each week because its table changed
    for result in weeks:
        expected = oracle(tmp_path, result.commit, result.end, tmp_path / "trees", ("records", "limits"))
        assert result == expected, result.end
    assert [w.errors > 0 for w in weeks] == [False, True, True, False]
    assert weeks[1].with_errors == 1 and weeks[2].with_errors >= 1
    assert weeks[0] == weeks[3]._replace(end=weeks[0].end, commit=weeks[0].commit)


def test_paths_are_read_from_the_repository_that_holds_them(repo: tuple[Path, list[str]],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root, commits = repo
    monkeypatch.chdir(root.parent)  # outside the repository: the path says which one
    weeks = history.weekly([str(root / "records" / "drug1")], run_config(), TODAY, 1)
    assert weeks[0].commit == commits[-1] and weeks[0].records == 1


def test_folders_that_check_skips_are_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = dict([record("a", "one"), record("b", "two")])
    files["records/.drafts/c/three.yaml"] = files["records/a/one.yaml"]
    files["records/notes.txt"] = "not a record"
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "x", when=dt.datetime(2026, 11, 1, 12))
    monkeypatch.chdir(tmp_path)
    (week,) = history.weekly(["records"], run_config(), TODAY, 1)
    checked, _ = runner.check(["records"], run_config(), engine.Run(TODAY))
    assert week.records == checked.records == 2


def test_a_repository_without_commits_has_empty_weeks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "records").mkdir()
    monkeypatch.chdir(tmp_path)
    assert [w.commit for w in history.weekly(["records"], run_config(), TODAY, 3)] == ["", "", ""]


def test_clear_errors_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           repo: tuple[Path, list[str]]) -> None:
    (tmp_path / "records").mkdir()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GitError, match="needs a git repository"):
        history.weekly(["records"], run_config(), TODAY, 4)
    with pytest.raises(GitError, match="is outside it"):
        history.weekly([str(repo[0] / "records"), str(tmp_path / "records")], run_config(), TODAY, 4)


@pytest.mark.parametrize(("text", "weeks"), [("12w", 12), ("1w", 1), (" 52w ", 52), ("520w", 520)])
def test_weeks_of(text: str, weeks: int) -> None:
    assert history.weeks_of(text) == weeks


@pytest.mark.parametrize("text", ["0w", "12", "12d", "w", "-3w", "521w", "1.5w", "12 w"])
def test_weeks_of_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number of weeks"):
        history.weeks_of(text)


def test_only_the_dated_rules_depend_on_the_date() -> None:
    """History lints every week at today's date and leaves out DATED: no other rule may say something else on
    another day. Real records, the seed and records reviewed on every side of the dates are linted a decade
    apart; every rule whose findings differ must be in DATED."""
    paths = [*sorted((ROOT / "records").glob("*/*.yaml")), *sorted((FIXTURES / "seed").glob("**/*.yaml"))]
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in paths}
    texts.update(record(f"dated{i}", "x", review(last, due)) for i, (last, due) in enumerate(
        [("2016-01-01", "2017-01-01"), ("2026-11-01", "2026-12-01"), ("2030-01-01", "2031-01-01")]))
    config = run_config()

    def codes(day: dt.date) -> set[tuple[str, str, str]]:
        results = [runner.lint_bytes(discovery.Target(Path(path), path), text.encode(), config, engine.Run(day))
                   for path, text in texts.items()]
        return {(f.path, f.code, f.message) for f in engine.finish(results, config, engine.Run(day))}

    found = [codes(day) for day in (dt.date(2015, 6, 1), TODAY, dt.date(2036, 6, 1))]
    changed = {code for one in found for other in found for _, code, _ in one ^ other}
    assert changed and changed <= history.DATED, changed - history.DATED
