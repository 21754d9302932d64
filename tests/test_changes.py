"""`--changed-since REV` in real git repositories: which records are checked, what they said at REV, and
the content-changed-without-review rule fed through that plumbing."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ci_support import Repo
from support import BASE

from medlint import changes, discovery, rules
from medlint.cli import main
from medlint.model import Severity

ZOLGENSMA = "records/zolgensma/spinal-muscular-atrophy.yaml"
SIBLING = "records/zolgensma/other-indication.yaml"
ELSEWHERE = "records/nusinersen/spinal-muscular-atrophy.yaml"
REVIEWED = "  last_reviewed: 2026-03-02"
NEW_DOSE = "duration: single infusion over 90 minutes"
UNREVIEWED = rules.BUILTIN.lookup("content-changed-without-review")


def record(path: str, text: str = BASE) -> str:
    return text.replace("id: zolgensma/spinal-muscular-atrophy", f"id: {path[len('records/'):-len('.yaml')]}")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Three clean records in two drug folders, committed on main; the working directory is the repository."""
    repo = Repo(tmp_path / "content")
    for path in (ZOLGENSMA, SIBLING, ELSEWHERE):
        repo.write(path, record(path))
    repo.commit("three records")
    monkeypatch.chdir(repo.path)
    return repo


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any], str]:
    code = main(["check", "--today", "2026-11-25", "--no-cache", "--format", "json", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else {}, err


def codes_by_path(document: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in document["findings"]:
        out.setdefault(finding["path"], []).append(finding["code"])
    return out


def test_unreviewed_changes_are_ml507_an_error_of_the_review_family() -> None:
    """What docs/ci.md and docs/record-format.md promise authors about the rule this plumbing feeds."""
    assert UNREVIEWED is not None
    assert (UNREVIEWED.code, UNREVIEWED.severity, UNREVIEWED.family) == ("ML507", Severity.ERROR, "review")
    assert UNREVIEWED.defaults().fields == ("indication", "summary", "sections", "dosing", "warnings")


def test_clinical_change_without_review_fails_and_a_review_fixes_it(repo: Repo,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert UNREVIEWED is not None
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(ZOLGENSMA, record(ZOLGENSMA).replace("duration: single infusion over 60 minutes", NEW_DOSE))
    repo.commit("longer infusion")
    code, document, err = check(capsys, "--changed-since", "main")
    assert code == 1
    assert codes_by_path(document) == {ZOLGENSMA: [UNREVIEWED.code]}
    assert "1 changed file(s) since main, checked with 1 other record(s)" in err
    assert base[:7] not in err  # the message names the revision as the user wrote it

    repo.write(ZOLGENSMA, record(ZOLGENSMA).replace("duration: single infusion over 60 minutes", NEW_DOSE)
               .replace(REVIEWED, "  last_reviewed: 2026-11-20").replace("2027-03-02", "2027-11-20"))
    repo.commit("reviewed")
    code, document, _ = check(capsys, "--changed-since", "main")
    assert code == 0 and document["findings"] == []


def test_without_changed_since_there_is_nothing_to_compare(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write(ZOLGENSMA, record(ZOLGENSMA).replace("duration: single infusion over 60 minutes", NEW_DOSE))
    code, document, _ = check(capsys)
    assert code == 0 and document["findings"] == []


def test_a_renamed_record_is_compared_with_its_old_path(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert UNREVIEWED is not None
    moved = "records/zolgensma/sma.yaml"
    repo.git("mv", ZOLGENSMA, moved)
    repo.write(moved, record(moved).replace("duration: single infusion over 60 minutes", NEW_DOSE))
    repo.commit("rename and edit")
    code, document, _ = check(capsys, "--changed-since", "HEAD~1")
    assert codes_by_path(document) == {moved: [UNREVIEWED.code]} and code == 1


def test_new_and_untracked_records_have_no_previous_version(repo: Repo) -> None:
    added, untracked = "records/zolgensma/added.yaml", "records/zolgensma/untracked.yaml"
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write(added, record(added))
    repo.commit("add")
    repo.write(untracked, record(untracked))
    repo.write(SIBLING, record(SIBLING).replace("  mechanism: >-", "  # a comment\n  mechanism: >-"))
    found = changes.since(base, repo.path)
    assert found.changed == {added: None, untracked: None, SIBLING: SIBLING}
    targets, _ = discovery.discover(["records"], repo.path)
    selection = changes.select(found, targets, ["records"], 1_000_000)
    assert selection.changed == {added, untracked, SIBLING}
    assert selection.paths == [added, SIBLING, ZOLGENSMA, untracked]  # the unchanged neighbour, not nusinersen
    assert selection.previous[added] is None and selection.previous[untracked] is None
    before = selection.previous[SIBLING]
    assert before is not None and "# a comment" not in before.text and before.path == SIBLING


def test_unchanged_neighbours_report_only_cross_record_findings(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    third = "records/zolgensma/third-indication.yaml"
    repo.write(third, record(third))
    for path in (SIBLING, ELSEWHERE):  # defects already there are not this change's problem...
        repo.write(path, record(path).replace("route: intravenous", "route: IV"))
    repo.commit("legacy defects")
    # ...but a change that leaves the unchanged neighbour in the minority is
    for path in (ZOLGENSMA, third):
        repo.write(path, record(path).replace("generic_name: onasemnogene abeparvovec-xioi",
                                              "generic_name: onasemnogene abeparvovec"))
    code, document, _ = check(capsys, "--changed-since", "HEAD")
    assert codes_by_path(document) == {SIBLING: ["ML112"]} and code == 1


def test_deleting_a_record_rechecks_its_drug_folder(repo: Repo) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("rm", "-q", SIBLING)
    repo.commit("delete")
    found = changes.since(base, repo.path)
    assert found.changed == {} and found.deleted == {SIBLING}
    targets, _ = discovery.discover(["records"], repo.path)
    selection = changes.select(found, targets, ["records"], 1_000_000)
    assert selection.paths == [ZOLGENSMA] and selection.changed == set() and selection.deleted == [SIBLING]


def test_changes_are_measured_from_the_merge_base(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.write(ELSEWHERE, record(ELSEWHERE).replace("  mechanism: >-", "  # feature work\n  mechanism: >-"))
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write(ZOLGENSMA, record(ZOLGENSMA).replace("duration: single infusion over 60 minutes", NEW_DOSE))
    repo.commit("main moved on")
    repo.git("checkout", "-q", "feature")
    found = changes.since("main", repo.path)
    assert found.changed == {ELSEWHERE: ELSEWHERE}  # not main's own later change to ZOLGENSMA
    _, document, _ = check(capsys, "--changed-since", "main")
    assert document["findings"] == []


def test_runs_from_a_subfolder_and_in_a_worktree(repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert UNREVIEWED is not None
    worktree = tmp_path / "worktree"
    repo.git("worktree", "add", "-q", "-b", "feature", str(worktree))
    (worktree / ZOLGENSMA).write_text(record(ZOLGENSMA).replace("duration: single infusion over 60 minutes",
                                                                NEW_DOSE), encoding="utf-8")
    (worktree / "docs").mkdir()
    monkeypatch.chdir(worktree / "docs")
    code, document, _ = check(capsys, "../records", "--changed-since", "main")
    assert codes_by_path(document) == {f"../{ZOLGENSMA}": [UNREVIEWED.code]} and code == 1


def test_files_outside_the_repository_count_as_changed(repo: Repo, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "elsewhere" / "records" / "x" / "y.yaml"
    outside.parent.mkdir(parents=True)
    outside.write_text(record("records/x/y.yaml").replace("route: intravenous", "route: IV"), encoding="utf-8")
    code, document, err = check(capsys, "records", str(outside), "--changed-since", "HEAD")
    assert [f["code"] for f in document["findings"]] == ["ML104"] and code == 1
    assert "1 changed file(s)" in err


@pytest.mark.parametrize("rev, message", [
    ("no-such-branch", "--changed-since 'no-such-branch': no such commit in this repository; in a shallow CI clone"),
    ("--output=x", "--changed-since '--output=x' is not a revision"),
    ("HEAD:records", "no such commit"),
])
def test_bad_revisions_exit_2_with_a_clear_message(repo: Repo, capsys: pytest.CaptureFixture[str], rev: str,
                                                   message: str) -> None:
    code, _, err = check(capsys, f"--changed-since={rev}")
    assert code == 2 and message in err and "Traceback" not in err


def test_outside_a_git_repository_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "records" / "a").mkdir(parents=True)
    (tmp_path / "records" / "a" / "b.yaml").write_text(record("records/a/b.yaml"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = check(capsys, "--changed-since", "main")
    assert code == 2 and "--changed-since needs a git repository" in err
