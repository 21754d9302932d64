"""The report's format (`--output-format FMT`, as in ruff) and several more from one `medlint check` run
(`--report FMT:FILE`)."""
from __future__ import annotations

import json
import os
import shutil
import stat
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ci_support import seed_path
from support import BASE

from medlint import files
from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seed fixture at its place in a content repository."""
    target = tmp_path / RECORD
    target.parent.mkdir(parents=True)
    shutil.copyfile(seed_path(), target)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--today", "2026-11-25", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_one_run_writes_every_format(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--output-format", "text", "--report", "sarif:out/medlint.sarif",
                       "--report", "junit:medlint.xml", "--report", "gitlab:gl-code-quality.json",
                       "--report", "markdown:summary.md", "--report", "github:-")
    assert code == 1
    text_lines = [line for line in out.splitlines() if not line.startswith("::")]
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    count = sum(1 for line in text_lines if line.startswith(f"{RECORD}:"))
    assert text_lines[-1].startswith("Found ") and "\x1b" not in out
    assert len(annotations) == count > 1
    sarif = json.loads((seeded / "out" / "medlint.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == count
    assert len(json.loads((seeded / "gl-code-quality.json").read_text(encoding="utf-8"))) == count
    failures = ET.parse(seeded / "medlint.xml").getroot().iter("failure")
    assert sum(len((f.text or "").split(f"{RECORD}:")) - 1 for f in failures) == count
    assert (seeded / "summary.md").read_text(encoding="utf-8").startswith("## medlint: ")


def test_the_configured_docs_url_reaches_sarif(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (seeded / "medlint.toml").write_text("docs-url = 'https://git.internal/medlint/docs/'\n", encoding="utf-8")
    run(capsys, "--format", "sarif", "--output", "medlint.sarif")
    driver = json.loads((seeded / "medlint.sarif").read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://git.internal/medlint/docs"
    assert driver["rules"][0]["helpUri"] == "https://git.internal/medlint/docs/rules.md#ml001-invalid-yaml"


def test_output_format_is_the_format_of_standard_output(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--output-format", "json")
    document = json.loads(out)
    assert code == 1 and document["findings"]
    assert json.loads(run(capsys, "--format", "json")[1]) == document  # --format: the older name, kept
    code, out, _ = run(capsys, "--output-format", "sarif", "--output", "medlint.sarif")
    assert out == "" and json.loads((seeded / "medlint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_the_earlier_fmt_file_form_still_writes_the_file_with_a_warning(
        seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--output-format", "sarif:a.sarif", "--output-format", "junit:a.xml")
    assert code == 1 and out.splitlines()[-1].startswith("Found ")  # the text report, as before
    assert (seeded / "a.sarif").is_file() and (seeded / "a.xml").is_file()
    assert "`--output-format sarif:a.sarif` is now `--report sarif:a.sarif`" in err


@pytest.mark.parametrize(("option", "spec", "words"), [
    ("--report", "sarif", "is not FMT:FILE"), ("--report", "pdf:x.pdf", "is not FMT:FILE"),
    ("--report", "sarif:", "is not FMT:FILE"), ("--report", "srif:x", "did you mean `sarif`?"),
    ("--output-format", "pdf", "'pdf' is not a format"), ("--output-format", "jsn", "did you mean `json`?"),
])
def test_bad_formats_are_usage_errors(seeded: Path, capsys: pytest.CaptureFixture[str], option: str, spec: str,
                                      words: str) -> None:
    code, _, err = run(capsys, option, spec)
    assert code == 2 and words in err


def test_unwritable_output_is_a_usage_error(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (seeded / "a-file").write_text("", encoding="utf-8")
    code, _, err = run(capsys, "--report", "sarif:a-file/medlint.sarif")
    assert code == 2 and "cannot write a-file/medlint.sarif" in err and "Traceback" not in err


def test_files_are_replaced_atomically_keeping_their_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    files.write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


def test_special_files_are_written_in_place(tmp_path: Path) -> None:
    """`$GITHUB_STEP_SUMMARY` or /dev/stdout may be a pipe: replacing it would cut the reader off."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with ThreadPoolExecutor(1) as pool:
        reader = pool.submit(pipe.read_text, encoding="utf-8")
        files.write_text(pipe, "summary")
        assert reader.result() == "summary"
    assert stat.S_ISFIFO(pipe.stat().st_mode)


def test_clean_run_still_writes_every_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / RECORD).parent.mkdir(parents=True)
    (tmp_path / RECORD).write_text(BASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--report", "junit:junit.xml", "--report", "gitlab:cq.json")
    assert code == 0 and out.startswith("All clear")
    assert len(list(ET.parse(tmp_path / "junit.xml").getroot().iter("testcase"))) == 1
    assert json.loads((tmp_path / "cq.json").read_text(encoding="utf-8")) == []


def test_a_capped_sarif_report_is_said_on_the_command_line(seeded: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from medlint.report import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 2)
    code, _, err = run(capsys, "--report", "sarif:medlint.sarif")
    document = json.loads((seeded / "medlint.sarif").read_text(encoding="utf-8"))
    assert code == 1 and len(document["runs"][0]["results"]) == 2
    assert "medlint: warning: the SARIF report holds 2 of the run's " in err
    assert "medlint: warning" not in run(capsys, "--report", "sarif:medlint.sarif", "-q")[2]
