"""The options ruff users reach for, and the messages that answer a typo: every command that reads records
takes the same ones, and each does what its name says."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from support import BASE, ROOT

from medlint import discovery, runner, terminal
from medlint.cli import main, parser

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
BROKEN = BASE.replace("route: intravenous", "route: IV").replace("language: en", "language: English")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, RECORD, BASE)
    return tmp_path


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str, command: str = "check") -> tuple[int, str, str]:
    code = main([command, "--today", "2026-11-25", *argv])
    out, err = capsys.readouterr()
    return code, out, err


# --- every record-reading command takes the shared options ------------------------------------------

SHARED = ["--select", "ML1", "--select", "ML5", "--ignore", "ML105", "--jobs", "1", "--no-cache", "--quiet",
          "--config", "medlint.toml"]


@pytest.mark.parametrize("command", ["check", "fix", "baseline", "report"])
def test_every_record_reading_command_takes_the_shared_options(command: str) -> None:
    extra = ["--output", "x.md", "--output-format", "markdown"] if command == "report" else []
    args = parser.build().parse_args([command, *SHARED, "--cache-dir", "c", "--today", "2026-11-25", *extra])
    assert args.select == ["ML1", "ML5"] and args.ignore == ["ML105"] and args.jobs == 1
    assert args.no_cache and args.quiet and args.cache_dir == Path("c") and args.config == Path("medlint.toml")


def test_repeated_select_accumulates(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BROKEN.replace("next_review_due: 2027-03-02", "next_review_due: 2026-12-01"))
    found = {line.split()[1] for line in run(capsys, "--select", "ML104", "--select", "ML5")[1].splitlines()
             if line.startswith(RECORD)}
    assert found == {"ML104", "ML505"}
    assert run(capsys, "--ignore", "ML104", "--strict")[0] == 1
    assert run(capsys, "--ignore", "ML104", "--ignore", "ML505", "--strict")[0] == 0


def test_report_takes_select(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BROKEN)
    code, out, _ = run(capsys, "--select", "ML104", "--output-format", "csv", command="report")
    assert code == 0 and out.startswith("status,")
    code, out, _ = run(capsys, "--select", "ML104", "--output", "-", "--output-format", "markdown", command="report")
    assert "ML104" in out and "ML701" not in out


# --- what the run prints ------------------------------------------------------------------------------

def test_quiet_prints_the_findings_only(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BROKEN)
    code, out, err = run(capsys, "-q")
    assert code == 1 and err == ""
    assert [line for line in out.splitlines() if not line.startswith("    ")] == \
        [line for line in run(capsys)[1].splitlines()[:-1] if not line.startswith("    ")]
    code, out, err = run(capsys, "-q", "missing-folder/")
    assert code == 2 and "no such file" in err  # errors are never quiet


def test_every_line_says_its_severity_in_words(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BROKEN + "# medlint: disable=ML301 -- suppresses nothing\n")
    lines = [line for line in run(capsys, "--color", "always")[1].splitlines() if line.startswith("\x1b[1m")]
    words = {re.sub(r"\x1b\[\d+m", "", line).split()[2] for line in lines}
    assert words == {"error", "warning"}  # in the words, not only in the colour


def test_summary_counts_the_files_with_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "records/zolgensma/other.yaml", BROKEN.replace("spinal-muscular-atrophy", "other"))
    write(repo, "records/zolgensma/third.yaml", BASE.replace("spinal-muscular-atrophy", "third"))
    assert " in 1 file (3 checked)." in run(capsys)[1].splitlines()[-1]
    write(repo, RECORD, BROKEN)
    write(repo, "records/zolgensma/third.yaml", BROKEN.replace("spinal-muscular-atrophy", "third"))
    assert " in 3 files." in run(capsys)[1].splitlines()[-1]


def test_statistics_count_findings_by_rule(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BROKEN)
    write(repo, "records/zolgensma/other.yaml", BROKEN.replace("spinal-muscular-atrophy", "other"))
    code, out, _ = run(capsys, "--statistics")
    rows = [line.split() for line in out.splitlines()[:-1]]
    listed = [line for line in run(capsys, "-q")[1].splitlines() if not line.startswith("    ")]
    assert code == 1 and rows[0][:3] == ["4", "ML104", "error"]  # most first
    assert sum(int(row[0]) for row in rows) == len(listed)
    assert out.splitlines()[-1] == run(capsys)[1].splitlines()[-1]  # the same summary line
    assert run(capsys, "--statistics", "--output-format", "json")[0] == 2


def test_show_fixes_says_what_each_fix_does(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BASE.replace("1.1 × 10^14 vector", "1.1 x 10^14 vector"))
    out = run(capsys, "--show-fixes")[1]
    fixes = [line.strip() for line in out.splitlines() if line.startswith("    fix: ")]
    assert fixes and all(len(fix) > len("fix: ") for fix in fixes)
    assert "    fix: " not in run(capsys)[1]


def test_exit_zero(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BROKEN)
    code, out, _ = run(capsys, "--exit-zero")
    assert code == 0 and "ML104" in out
    assert run(capsys, "--exit-zero", "--select", "nothing")[0] == 2


# --- "did you mean" and where a bad value came from ---------------------------------------------------

@pytest.mark.parametrize(("argv", "words"), [
    (["check", "--formt", "json"], "unrecognized arguments: --formt; did you mean `--format`?"),
    (["fix", "--dfif"], "did you mean `--diff`?"),
    (["chek"], "invalid choice: 'chek'"),
    (["chek"], "did you mean `check`?"),
    (["check", "--color", "allways"], "did you mean `always`?"),
    (["report", "--output-format", "htm"], "did you mean `html`?"),
])
def test_typos_in_options_get_a_suggestion(repo: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                           words: str) -> None:
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_a_bad_selector_says_where_it_came_from(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--select", "unitz")
    assert code == 2 and err.strip() == ("medlint: error: the command line: `--select` names unknown rule(s) unitz; "
                                         "did you mean `units`?")
    write(repo, "pyproject.toml", "[tool.ruff]\nselect = ['E']\n\n[tool.medlint]\nselect = [\n  'ML1',\n"
                                  "  'errorprone-unit',\n]\n")
    code, _, err = run(capsys)
    assert code == 2 and err.strip() == (f"medlint: error: {repo.resolve() / 'pyproject.toml'} [tool.medlint], line 7: "
                                         "`select` names unknown rule(s) errorprone-unit; did you mean "
                                         "`error-prone-unit`?")


def test_explain_suggests_the_rule_meant(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "errorprone-unit"]) == 2
    assert "did you mean `error-prone-unit`?" in capsys.readouterr().err
    assert main(["explain", "zzzzzz"]) == 2
    assert "`medlint rules` lists them" in capsys.readouterr().err


# --- standard input -------------------------------------------------------------------------------------

def test_standard_input_is_linted_as_the_named_file(repo: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """As editors pipe an unsaved buffer: the id is checked against --stdin-filename (which need not exist),
    and cross-record rules read the rest of its drug folder on disk."""
    name = "records/zolgensma/new-indication.yaml"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        BASE.replace("abeparvovec-xioi", "abeparvovec").replace("route: intravenous", "route: IV").encode())))
    code, out, _ = run(capsys, "-", "--stdin-filename", name)
    codes = {line.split()[1] for line in out.splitlines() if line.startswith(f"{name}:")}
    assert code == 1 and {"ML104", "ML110", "ML111", "ML112"} <= codes  # id vs path, and against the folder
    assert not (repo / name).exists() and " in 1 file." in out.splitlines()[-1]


def test_standard_input_without_a_name(repo: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BROKEN.encode())))
    code, out, _ = run(capsys, "-", "--output-format", "json")
    assert code == 1 and {f["path"] for f in json.loads(out)["findings"]} == {"-"}


@pytest.mark.parametrize("argv", [["--stdin-filename", RECORD], ["-", RECORD], ["-", "--changed-since", "HEAD"],
                                  ["-", "--fix"]])
def test_standard_input_misuse_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BASE.encode())))
    code, _, err = run(capsys, *argv)
    assert code == 2 and "medlint: error:" in err


# --- colour and progress ---------------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("choice", "env", "tty", "expected"), [
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),
    ("auto", {"NO_COLOR": ""}, True, True),  # no-color.org: only a non-empty value counts
    ("auto", {"FORCE_COLOR": "1"}, False, True),
    ("auto", {"FORCE_COLOR": ""}, False, False),
    ("auto", {"CLICOLOR_FORCE": "1"}, False, True),
    ("auto", {"CLICOLOR_FORCE": "0"}, False, False),
    ("auto", {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
    ("auto", {"TERM": "dumb"}, True, False),
    ("always", {"NO_COLOR": "1"}, False, True),
    ("never", {"FORCE_COLOR": "1"}, True, False),
])
def test_colour_follows_the_conventions(choice: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    assert terminal.wants_color(choice, _Terminal() if tty else io.StringIO(), env) is expected


def test_colour_on_the_command_line(repo: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, RECORD, BROKEN)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" not in run(capsys)[1]  # captured output is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[31m" in run(capsys)[1]
    assert "\x1b[" not in run(capsys, "--color", "never")[1]


def test_progress_appears_only_on_a_terminal_outside_ci() -> None:
    assert terminal.wants_progress(_Terminal(), {})
    assert not terminal.wants_progress(io.StringIO(), {})
    assert not terminal.wants_progress(_Terminal(), {"CI": "true"})
    assert not terminal.wants_progress(_Terminal(), {"TERM": "dumb"})


def test_the_bar_waits_a_second_then_draws_and_is_cleared() -> None:
    now = [0.0]
    stream = _Terminal()
    bar = terminal.Progress(stream, clock=lambda: now[0])
    bar(10, 100)
    now[0] = 0.9
    bar(50, 100)
    assert stream.getvalue() == ""  # a quick run shows nothing
    now[0] = 1.2
    bar(60, 100)
    assert stream.getvalue().startswith("\rChecking [") and "60/100 records" in stream.getvalue()
    now[0] = 1.25
    bar(61, 100)
    assert "61/100" not in stream.getvalue()  # at most ten redraws a second
    bar.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_the_runner_reports_progress(repo: Path) -> None:
    from medlint import config, engine

    for i in range(3):
        write(repo, f"records/zolgensma/i{i}.yaml", BASE.replace("spinal-muscular-atrophy", f"i{i}"))
    seen: list[tuple[int, int]] = []
    runner.check(["records"], config.load(start=repo), engine.Run(__import__("datetime").date(2026, 11, 25)),
                 jobs=1, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


# --- the default target, exclude and a configured baseline --------------------------------------------

def test_check_works_from_any_subfolder(repo: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "medlint.toml", "")
    write(repo, RECORD, BROKEN)
    monkeypatch.chdir(repo / "records" / "zolgensma")
    code, out, _ = run(capsys)
    assert code == 1 and "ML104" in out and " in 1 file." in out.splitlines()[-1]


def test_without_a_config_the_nearest_records_folder_is_checked(repo: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, RECORD, BROKEN)
    (repo / ".git").mkdir()  # the search stops at the repository's top
    monkeypatch.chdir(repo / "records" / "zolgensma")
    code, out, _ = run(capsys)
    assert code == 1 and "ML104" in out
    monkeypatch.chdir(repo.parent)
    (repo.parent / "elsewhere").mkdir(exist_ok=True)
    monkeypatch.chdir(repo.parent / "elsewhere")
    code, _, err = run(capsys)
    assert code == 2 and "no such file or folder: records" in err


def test_without_a_config_the_tables_beside_the_records_found_are_read(repo: Path, capsys: pytest.CaptureFixture[str],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The folder holding the nearest records/ is the project: its limits/ judges the doses, and is checked."""
    write(repo, RECORD, BASE.replace("value: 1.1e14", "value: 1.1e15"))
    write(repo, "limits/zolgensma.yaml", (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8"))
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo / "records" / "zolgensma")
    code, out, _ = run(capsys)
    assert code == 1 and "ML804" in out
    write(repo, "limits/zolgensma.yaml", "schema_version: 1\nlimits: [\n")
    out = run(capsys)[1]
    assert f"{repo / 'limits' / 'zolgensma.yaml'}:3:1: ML001" in out and "ML806" in out


def test_standard_input_gets_its_drugs_dose_limits(repo: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "limits/zolgensma.yaml", (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BASE.replace("value: 1.1e14", "value: 1.1e15")
                                                                 .encode())))
    code, out, _ = run(capsys, "-", "--stdin-filename", RECORD)
    assert code == 1 and f"{RECORD}:" in out and "ML804" in out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"schema_version: 1\nlimits: []\n")))
    code, out, _ = run(capsys, "-", "--stdin-filename", "limits/zolgensma.yaml")
    assert code == 1 and "limits/zolgensma.yaml:" in out and "is not a field of" not in out and "ML10" in out


def test_exclude_leaves_out_files_and_folders(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "records/drafts/one.yaml", BROKEN)
    write(repo, "records/zolgensma/scratch.yaml", BROKEN)
    write(repo, "records/zolgensma/keep.yaml", BROKEN.replace("spinal-muscular-atrophy", "keep"))
    write(repo, "medlint.toml", "exclude = ['records/drafts', 'scratch.yaml']\n")
    out = run(capsys)[1]
    assert "records/zolgensma/keep.yaml" in out and "drafts" not in out and "scratch" not in out
    # named files too, so that the pre-commit hook (which names the changed files) skips them
    code, out, err = run(capsys, "records/drafts/one.yaml")
    assert code == 0 and "no records" in err


def test_exclude_patterns() -> None:
    root = Path("/repo")
    assert discovery.excluded(Path("/repo/records/drafts/a/b.yaml"), root, ["records/drafts"])
    assert discovery.excluded(Path("/repo/records/drafts/a/b.yaml"), root, ["records/drafts/"])
    assert discovery.excluded(Path("/repo/records/x/old-1.yaml"), root, ["old-*.yaml"])
    assert discovery.excluded(Path("/repo/records/x/b.yaml"), root, ["records/*/b.yaml"])
    assert not discovery.excluded(Path("/repo/records/x/b.yaml"), root, ["drafts", "x/b.yaml"])
    assert not discovery.excluded(Path("/repo/records/x/b.yaml"), root, [])


def test_a_configured_baseline_applies_without_arguments(repo: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, RECORD, BROKEN)
    write(repo, "medlint.toml", "baseline = 'ci/medlint-baseline.json'\n")
    code, out, _ = run(capsys, command="baseline")
    assert code == 0 and (repo / "ci" / "medlint-baseline.json").is_file()
    assert "`medlint check` applies it" in out
    monkeypatch.chdir(repo / "records")  # the hook and CI: no --baseline, from anywhere in the repository
    code, out, _ = run(capsys)
    assert code == 0 and "baselined" in out
    assert run(capsys, "--baseline", str(repo / "nothing.json"))[0] == 2  # the command line wins
