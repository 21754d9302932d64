"""`medlint report` as a user runs it: files written, formats, options, errors."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from editors_support import content_repo
from support import BASE

from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
LATE = BASE.replace("next_review_due: 2027-03-02", "next_review_due: 2026-11-01")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "CI_PROJECT_URL", "CI_COMMIT_SHA"):
        monkeypatch.delenv(name, raising=False)  # links are relative outside CI
    path = tmp_path / RECORD
    path.parent.mkdir(parents=True)
    path.write_text(LATE + "sumary: a typo\n", encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["report", "--today", "2026-11-25", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_html_report_is_written_to_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--out", "site/report.html")
    assert code == 0 and out == ""
    assert "wrote the html report of 1 records to site/report.html" in err
    page = (repo / "site" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Overdue" in page
    assert f'href="../{RECORD}"' in page  # links to the record, relative to where the report is


def test_html_needs_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2 and out == "" and "give --output FILE" in err


def test_markdown_and_csv_go_to_stdout(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "markdown")
    assert code == 0 and out.startswith("# Drug-information records: editorial report")
    assert f"]({RECORD})" in out  # path:line links to the file
    code, out, _ = run(capsys, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    assert code == 0 and (row["status"], row["days_until_due"], row["path"]) == ("overdue", "-24", RECORD)


def test_today_decides_the_queue(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--format", "csv", "--today", "2026-01-01", "--no-cache"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.splitlines()[1:] == []


def test_the_config_is_honoured(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "markdown")
    assert "unknown-field" in out
    (repo / "medlint.toml").write_text('ignore = ["unknown-field"]\n', encoding="utf-8")
    _, out, _ = run(capsys, "--format", "markdown")
    assert "unknown-field" not in out


def test_the_baseline_leaves_out_what_it_accepts(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "--today", "2026-11-25", "--output", "baseline.json"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "--format", "markdown", "--baseline", "baseline.json")
    accepted = int(re.search(r"^\| Accepted by the baseline \| (\d+) \|$", out, re.M).group(1))  # type: ignore[union-attr]
    assert code == 0 and accepted >= 1
    assert "| Errors | 0 |" in out and "unknown-field" not in out
    code, out, _ = run(capsys, "--format", "csv", "--baseline", "baseline.json")
    assert "overdue" in out  # the queue comes from the records' dates: a baseline does not hide a late review
    (repo / "baseline.json").write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "--format", "csv", "--baseline", "baseline.json")
    assert code == 2 and "not a medlint baseline" in err


def test_out_dash_is_stdout(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--out", "-")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "wrote" not in err


def test_link_template(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "markdown", "--link", "https://git.example/blob/main/{path}#L{line}")
    assert code == 0 and f"](https://git.example/blob/main/{RECORD}#L" in out
    for bad in ("javascript:alert(1)//{path}", "https://git.example/no-placeholder"):
        code, _, err = run(capsys, "--format", "markdown", "--link", bad)
        assert code == 2 and "--link" in err


def test_in_ci_links_point_at_the_commit(repo: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "org/medinfo")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    _, out, _ = run(capsys, "--format", "markdown")
    assert f"](https://github.com/org/medinfo/blob/abc123/{RECORD}#L" in out


def test_bad_input_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--format", "csv", "nowhere")
    assert code == 2 and "no such file or folder: nowhere" in err
    code, _, err = run(capsys, "--out", str(repo / RECORD / "report.html"))  # under a file, not a folder
    assert code == 2 and "cannot write" in err
    code, _, err = run(capsys, "--format", "pdf")
    assert code == 2 and "invalid choice" in err


def test_history_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A content repository with 20 commits, one a week: the trend of the last 12 weeks."""
    commits = content_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--history", "12w", "--format", "csv")
    weeks = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and err == ""
    assert [row["commit"] for row in weeks] == commits[-12:] and weeks[-1]["week_to"] == "2026-11-25"
    assert list(weeks[0]) == ["week_to", "commit", "records", "errors", "warnings", "with_errors", "overdue",
                              "due_soon"]
    code, out, _ = run(capsys, "--history", "12w", "--format", "markdown")
    assert code == 0 and "## Over time" in out and f"| 2026-11-25 | `{commits[-1][:10]}` |" in out
    code, _, _ = run(capsys, "--history", "12w", "--out", "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert code == 0 and '<section id="trend">' in page and commits[-1][:10] in page


def test_history_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--history", "12", "--format", "csv")
    assert code == 2 and "is not a number of weeks" in err
    code, _, err = run(capsys, "--history", "4w", "--format", "csv")
    assert code == 2 and "--history needs a git repository" in err
