"""`medlint new` as an author runs it: a skeleton that `medlint check` walks them through, and nothing lost."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from scaffold_support import FILLED, PLACEHOLDER
from support import BASE, ROOT

from medlint import load, schema
from medlint.cli import main

TODAY = "2026-11-25"
RECORD = Path("records/newdrug/some-condition.yaml")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "check", "--today", TODAY, "--no-cache", "--format", "json", str(path))
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    assert code == (1 if findings else 0)
    return findings


def _named(finding: dict[str, object]) -> str:
    """The placeholder an ML201 message quotes."""
    quoted = re.match(r"`([^`]*)`", str(finding["message"]))
    assert quoted is not None
    return quoted.group(1)


def _literally(line: str) -> Callable[[re.Match[str]], str]:
    """A re.sub replacement that is `line` as it is (no group references, no escapes)."""
    return lambda _: line


def placeholders(text: str) -> set[tuple[int, int, str]]:
    """(line, column, placeholder) of every placeholder outside comments."""
    out: set[tuple[int, int, str]] = set()
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split(" #")[0] if not line.lstrip().startswith("#") else ""
        out.update((number, match.start() + 1, match.group()) for match in PLACEHOLDER.finditer(body))
    return out


def test_check_names_every_placeholder_of_a_new_record_and_nothing_else(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", "newdrug/some-condition", "--today", TODAY)
    assert code == 0 and str(RECORD) in out
    text = RECORD.read_text(encoding="utf-8")
    expected = placeholders(text)
    assert {word for _, _, word in expected} == set(FILLED)
    findings = check(capsys, RECORD)
    assert {f["code"] for f in findings} == {"ML201"}
    assert {(f["line"], f["column"], _named(f)) for f in findings} == expected
    assert len(findings) == len(expected)


def test_a_new_record_goes_to_the_projects_records_folder_from_any_subfolder(
        repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """As `medlint check` finds records/: beside the config file, or without one the nearest above."""
    (repo / "medlint.toml").write_text("", encoding="utf-8")
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    code, out, _ = run(capsys, "new", "newdrug/some-condition", "--today", TODAY)
    assert code == 0 and f"wrote {repo / RECORD};" in out and (repo / RECORD).is_file()
    (repo / "medlint.toml").unlink()
    monkeypatch.chdir(repo / "records" / "newdrug")
    code, out, _ = run(capsys, "new", "newdrug/other-condition", "--today", TODAY)
    assert code == 0 and (repo / "records" / "newdrug" / "other-condition.yaml").is_file()


def test_a_new_record_filled_in_is_clean(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every required field and section is there, in a shape the schema and every rule accept."""
    assert run(capsys, "new", "newdrug/some-condition", "--today", TODAY)[0] == 0
    text = RECORD.read_text(encoding="utf-8")
    partly = text.replace("<brand name>", FILLED["<brand name>"]).replace("<route>", FILLED["<route>"])
    RECORD.write_text(partly, encoding="utf-8")
    assert len(check(capsys, RECORD)) == len(placeholders(partly)) == len(placeholders(text)) - 2
    RECORD.write_text(PLACEHOLDER.sub(lambda match: FILLED[match.group()], text), encoding="utf-8")
    assert check(capsys, RECORD) == []


def test_a_drug_with_a_dose_limit_table(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The limits rules read limits/<drug>.yaml: a placeholder dose is no dose to judge against it, so the
    new record's findings are still its placeholders alone; filled in, its dose is judged."""
    (repo / "limits").mkdir()
    shutil.copyfile(ROOT / "limits" / "ibuprofen.yaml", repo / "limits" / "ibuprofen.yaml")
    record = Path("records/ibuprofen/fever.yaml")
    assert run(capsys, "new", "ibuprofen/fever", "--today", TODAY)[0] == 0
    text = record.read_text(encoding="utf-8")
    findings = check(capsys, record)
    assert {f["code"] for f in findings} == {"ML201"} and len(findings) == len(placeholders(text))
    filled = PLACEHOLDER.sub(lambda match: FILLED[match.group()], text)
    record.write_text(filled, encoding="utf-8")
    assert check(capsys, record) == []
    record.write_text(filled.replace("value: 400", "value: 4000"), encoding="utf-8")
    assert [f["code"] for f in check(capsys, record)] == ["ML801"]  # over the hard per-dose limit of 800 mg


def test_the_skeleton_explains_each_field_with_the_schema_and_dates_the_review(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new", "newdrug/some-condition", "--today", "2028-02-29")[0] == 0
    text = RECORD.read_text(encoding="utf-8")
    comments = " ".join(line.strip().lstrip("# ") for line in text.splitlines() if line.lstrip().startswith("#"))
    root = schema.load_schema()
    for name in root["required"]:
        assert " ".join(root["properties"][name]["description"].split()) in comments, name
    assert "id: newdrug/some-condition\n" in text
    assert "  last_reviewed: 2028-02-29\n  # " in text and "  next_review_due: 2029-02-28\n" in text
    assert "    accessed: 2028-02-29\n" in text


def test_the_next_review_stays_within_a_stricter_policy(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("medlint.toml").write_text('[rules.review-interval-too-long]\nmax-interval-days = 180\n', encoding="utf-8")
    assert run(capsys, "new", "newdrug/some-condition", "--today", TODAY)[0] == 0
    due = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=180)).isoformat()
    assert f"next_review_due: {due}\n" in RECORD.read_text(encoding="utf-8")
    assert {f["code"] for f in check(capsys, RECORD)} == {"ML201"}


def test_from_copies_the_drug_names_of_another_record(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = repo / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"
    source.parent.mkdir(parents=True)
    source.write_text(BASE, encoding="utf-8")
    code, _, _ = run(capsys, "new", "zolgensma/other-indication", "--from", "zolgensma/spinal-muscular-atrophy",
                     "--today", TODAY)
    assert code == 0
    text = (repo / "records" / "zolgensma" / "other-indication.yaml").read_text(encoding="utf-8")
    assert "  brand_name: Zolgensma\n" in text
    assert "  generic_name: onasemnogene abeparvovec-xioi\n" in text
    assert "  drug_class: AAV9-based gene therapy\n" in text
    findings = check(capsys, repo / "records" / "zolgensma")  # the sibling too: the names agree (no ML112)
    assert {f["code"] for f in findings} == {"ML201"}
    assert {_named(f) for f in findings} == set(FILLED) - {
        "<brand name>", "<generic name>", "<drug class>"}


def test_an_existing_record_is_never_overwritten(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    RECORD.parent.mkdir(parents=True)
    RECORD.write_text("schema_version: 1\n# my unsaved work\n", encoding="utf-8")
    code, out, err = run(capsys, "new", "newdrug/some-condition", "--today", TODAY)
    assert code == 2 and out == "" and "already exists" in err
    assert RECORD.read_text(encoding="utf-8") == "schema_version: 1\n# my unsaved work\n"
    assert [path.name for path in RECORD.parent.iterdir()] == [RECORD.name]  # no temporary file left


@pytest.mark.parametrize(("argv", "words"), [
    (["Zolgensma/SMA"], "lowercase letters"),
    (["zolgensma"], "DRUG/INDICATION"),
    (["../../etc/passwd"], "DRUG/INDICATION"),
    (["newdrug/x", "--from", "zolgensma/not-there"], "cannot copy the drug fields of zolgensma/not-there"),
])
def test_bad_ids_are_refused_and_nothing_is_written(repo: Path, capsys: pytest.CaptureFixture[str],
                                                     argv: list[str], words: str) -> None:
    code, _, err = run(capsys, "new", *argv)
    assert code == 2 and words in err and err.count("\n") == 1
    assert not (repo / "records").exists() or not any((repo / "records").rglob("*.yaml"))


def test_copied_names_read_back_exactly(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A name that would be a comment, a mapping or an escape sequence written plain is quoted."""
    names = {"brand_name": "Zolgensma # not a comment", "generic_name": "onasemnogene: abeparvovec",
             "drug_class": "gene therapy \x1b[2J"}
    source = repo / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml"
    source.parent.mkdir(parents=True)
    text = BASE
    for key, value in names.items():
        text = re.sub(rf"(?m)^  {key}: .*$", _literally(f"  {key}: {json.dumps(value)}"), text)
    source.write_text(text, encoding="utf-8")
    code, _, _ = run(capsys, "new", "zolgensma/other", "--from", "zolgensma/spinal-muscular-atrophy", "--today", TODAY)
    assert code == 0
    record = load.load_file(repo / "records" / "zolgensma" / "other.yaml").record
    assert record is not None and record.data["drug"] == names
