"""Baselines: the file format, matching by subject rather than line, stale entries, and the whole workflow
(`medlint baseline`, commit, edit, `check --baseline`) in a real git repository."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ci_support import Repo
from support import BASE, ROOT, lint_text

from medlint import baseline
from medlint.cli import main
from medlint.model import Finding, Position, Severity

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
OTHER = "records/nusinersen/spinal-muscular-atrophy.yaml"
LEGACY = (BASE.replace("route: intravenous", "route: IV")  # ML104 invalid-value
          .replace("language: en\n", "language: en\nsumary: legacy\n"))  # ML102 unknown-field


def finding(path: str = RECORD, code: str = "ML104", subject: str = "dosing[0].route", line: int = 5) -> Finding:
    return Finding(path, Position(line, 1, line, 2), code, "invalid-value", Severity.ERROR, "m", "/dosing/0/route",
                   subject=subject)


def test_entries_merge_identical_findings_and_sort() -> None:
    items = baseline.entries([finding(line=9), finding(line=3), finding(OTHER), finding(code="ML900"),
                              finding(subject="x")._replace(suppressed="reason")], ROOT)
    assert items == [baseline.BaselineEntry(OTHER, "ML104", "dosing[0].route", 1, "invalid-value"),
                     baseline.BaselineEntry(RECORD, "ML104", "dosing[0].route", 2, "invalid-value")]
    assert baseline.loads(baseline.dumps(items), "b.json") == items


def test_apply_matches_by_key_not_line_and_counts() -> None:
    items = [baseline.BaselineEntry(RECORD, "ML104", "dosing[0].route", 1)]
    kept, applied = baseline.apply([finding(line=40), finding(line=41)], items, root=ROOT, scope=["records"],
                                   file="b.json")
    assert [f.line for f in applied.baselined] == [40] and [f.line for f in kept] == [41]
    assert applied.stale == ()


def test_stale_entries_only_where_the_run_looked(tmp_path: Path) -> None:
    (tmp_path / "records" / "a").mkdir(parents=True)
    (tmp_path / "records" / "a" / "kept.yaml").write_text("x", encoding="utf-8")
    items = [baseline.BaselineEntry("records/a/kept.yaml", "ML104", "s"),
             baseline.BaselineEntry("records/a/deleted.yaml", "ML104", "s"),
             baseline.BaselineEntry("records/b/unchecked.yaml", "ML104", "s", 3)]
    _, applied = baseline.apply([], items, root=tmp_path, scope=[str(tmp_path / "records" / "a")], file="b.json")
    assert [entry.path for entry in applied.stale] == ["records/a/deleted.yaml", "records/a/kept.yaml"]
    _, everything = baseline.apply([], items, root=tmp_path, scope=[str(tmp_path)], file="b.json")
    assert everything.stale_notice() == ("baseline b.json: 5 accepted findings no longer occur; "
                                         "run `medlint baseline` to shrink it")


@pytest.mark.parametrize("text, message", [
    ("{", "is not a medlint baseline: invalid JSON"),
    ("[]", "expected an object with `version` and `entries`"),
    ('{"version": 2, "entries": []}', "is a baseline of version 2; this medlint reads version 1"),
    ('{"version": 1, "entries": [{"path": "p", "code": "c"}]}', "entries[0]: `subject` must be a string"),
    ('{"version": 1, "entries": [{"path": "p", "code": "c", "subject": "s", "count": 0}]}', "`count` must be"),
])
def test_bad_baseline_files_are_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(baseline.BaselineError, match=message.replace("[", r"\[").replace("]", r"\]")):
        baseline.loads(text, "b.json")


def test_subjects_of_the_legacy_record_are_line_independent() -> None:
    shifted = lint_text("# new first line\n" + LEGACY)
    keys = baseline.entries(lint_text(LEGACY), ROOT)
    assert len(keys) >= 2 and keys == baseline.entries(shifted, ROOT)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo = Repo(tmp_path)
    repo.write(RECORD, LEGACY)
    repo.write(OTHER, BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: nusinersen/spinal-muscular-atrophy"))
    repo.commit("legacy content")
    monkeypatch.chdir(tmp_path)
    return repo


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv[:1], "--today", "2026-11-25", *argv[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def test_adopting_the_gate_on_a_legacy_corpus(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--no-cache")
    assert code == 1
    legacy = out.splitlines()[-1]

    code, out, _ = run(capsys, "baseline", "--output", "medlint-baseline.json")
    assert code == 0 and "wrote medlint-baseline.json" in out
    written = json.loads((repo.path / "medlint-baseline.json").read_text(encoding="utf-8"))
    assert written["version"] == 1 and {e["path"] for e in written["entries"]} == {RECORD}
    repo.commit("accept today's findings")

    # editing other parts of the record (lines move) keeps the accepted findings accepted
    repo.write(RECORD, LEGACY.replace("sections:\n", "sections:\n  # reviewed wording below\n")
               .replace("language: en\n", "language: en\n# a note for editors\n"))
    repo.commit("edits elsewhere")
    code, out, _ = run(capsys, "check", "--no-cache", "--baseline", "medlint-baseline.json")
    assert code == 0, out
    assert out.startswith("All clear") and f"({len(lint_text(LEGACY))} baselined.)" in out
    assert legacy.startswith("Found")

    # a new problem fails the gate, and is the only one reported
    repo.write(OTHER, (repo.path / OTHER).read_text(encoding="utf-8").replace("language: en", "language: English"))
    code, out, _ = run(capsys, "check", "--no-cache", "--baseline", "medlint-baseline.json", "--format", "json")
    document = json.loads(out)
    assert code == 1 and [(f["path"], f["code"]) for f in document["findings"]] == [(OTHER, "ML104")]
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    repo.git("checkout", "-q", "--", OTHER)

    # fixing an accepted finding leaves a stale entry: a notice, and a failure only with --strict
    repo.write(RECORD, LEGACY.replace("route: IV", "route: intravenous"))
    code, out, _ = run(capsys, "check", "--no-cache", "--baseline", "medlint-baseline.json")
    assert code == 0 and "warning: baseline medlint-baseline.json: 1 accepted finding no longer occurs" in out
    code, out, _ = run(capsys, "check", "--no-cache", "--baseline", "medlint-baseline.json", "--format", "json")
    assert [(e["path"], e["code"], e["count"]) for e in json.loads(out)["baseline"]["stale"]] == [(RECORD, "ML104", 1)]
    code, _, _ = run(capsys, "check", "--no-cache", "--baseline", "medlint-baseline.json", "--strict")
    assert code == 1

    # the baseline shrinks when written again, as a small sorted diff
    run(capsys, "baseline", "--output", "medlint-baseline.json")
    diff = repo.git("diff", "--unified=0", "medlint-baseline.json")
    assert '"code": "ML104"' in diff and diff.count("\n-") >= 5 and "\n+ " not in diff


def test_baseline_with_changed_since_reports_no_stale_entries_for_unchecked_records(
        repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "baseline")
    repo.commit("baseline")
    repo.write(OTHER, (repo.path / OTHER).read_text(encoding="utf-8").replace("route: intravenous", "route: IV"))
    code, out, _ = run(capsys, "check", "--baseline", "medlint-baseline.json", "--changed-since", "HEAD",
                         "--format", "json")
    document = json.loads(out)
    assert code == 1 and {f["path"] for f in document["findings"]} == {OTHER}
    assert document["baseline"] == {"file": "medlint-baseline.json", "baselined": 0, "stale": []}


def test_a_broken_baseline_exits_2(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    (repo.path / "b.json").write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "check", "--baseline", "b.json")
    assert code == 2 and "b.json is not a medlint baseline" in err
    code, _, err = run(capsys, "check", "--baseline", "missing.json")
    assert code == 2 and "cannot read the baseline missing.json: there is no such file; `medlint baseline` writes it" \
        in err
