"""`medlint check`, `rules` and `explain` as a user runs them: output, exit codes, errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from support import BASE, ROOT

from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, RECORD, BASE)
    return tmp_path


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--today", "2026-11-25", *argv] if argv[:1] != ("--raw",) else list(argv[1:]))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_corpus_exits_0(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0 and out.startswith("All clear: 1 record checked")


def test_findings_exit_1_with_file_line_col(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BASE.replace("route: intravenous", "route: IV"))
    code, out, _ = run(capsys)
    line = BASE.splitlines().index("    route: intravenous") + 1
    assert code == 1
    assert out.splitlines()[0] == (f"{RECORD}:{line}:12: ML104 error invalid-value `dosing[0].route` is `IV`; "
                                   "expected one of: oral, intravenous, intramuscular, subcutaneous, intrathecal, "
                                   "inhaled, intranasal, topical, transdermal, rectal, sublingual, ophthalmic, otic; "
                                   "did you mean `intravenous`?")
    assert out.splitlines()[1].startswith("    hint: ") and out.splitlines()[1].endswith("[fixable: medlint fix]")
    assert out.splitlines()[-1] == "Found 1 error and 0 warnings in 1 file. 1 fixable with `medlint fix`."


def test_json_output_matches_its_schema(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BASE.replace("language: en", "language: English\nsumary: x"))
    code, out, _ = run(capsys, "--format", "json")
    document = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert code == 1 and document["summary"]["errors"] == 2
    assert {f["code"] for f in document["findings"]} == {"ML102", "ML104"}


def test_output_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--output", "out.txt")
    assert code == 0 and out == "" and "All clear" in (repo / "out.txt").read_text(encoding="utf-8")


def test_strict_fails_on_warnings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, b"\xef\xbb\xbf" + BASE.encode())
    assert run(capsys)[0] == 0
    assert run(capsys, "--strict")[0] == 1


def test_select_and_ignore(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BASE.replace("route: intravenous", "route: IV"))
    assert run(capsys, "--ignore", "invalid-value")[0] == 0
    assert run(capsys, "--select", "ML00")[0] == 0
    assert run(capsys, "--select", "ML1")[0] == 1


@pytest.mark.parametrize(("argv", "words"), [
    (("--select", "ML999"), "unknown rule(s) ML999"),
    (("missing/",), "no such file or folder: missing/"),
    (("--today", "2026-13-01"), "not a date"),
    (("--format", "yaml"), "'yaml' is not a format"),
])
def test_usage_errors_exit_2_without_traceback(repo: Path, capsys: pytest.CaptureFixture[str],
                                               argv: tuple[str, ...], words: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and words in err and "Traceback" not in err + out


def test_config_error_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "medlint.toml", "select = ['nonsense']\n")
    code, _, err = run(capsys)
    assert code == 2 and err.startswith("medlint: error: ") and "nonsense" in err


def test_single_file_run_still_checks_across_records(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("other-indication", "third-indication"):
        write(repo, f"records/zolgensma/{name}.yaml", BASE.replace("spinal-muscular-atrophy", name))
    write(repo, RECORD, BASE.replace("abeparvovec-xioi", "abeparvovec"))
    code, out, _ = run(capsys, RECORD)
    assert code == 1 and "ML112 error inconsistent-drug-names" in out and "1 file" in out


def test_same_path_twice_is_checked_once(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, RECORD, BASE.replace("route: intravenous", "route: IV"))
    code, out, _ = run(capsys, RECORD, "./" + RECORD, "records")
    assert code == 1 and out.count("ML104") == 1 and "in 1 file." in out


def test_record_outside_records_folder(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "drafts/page.yaml", BASE)
    code, out, _ = run(capsys, "drafts")
    assert code == 1 and "drafts/page.yaml:2:5: ML110 error id-path-mismatch this file is not at records/" in out


def test_symlink_out_of_the_repository_is_not_read(repo: Path, tmp_path_factory: pytest.TempPathFactory,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    outside.write_text("secret: 1\n", encoding="utf-8")
    os.symlink(outside, repo / "records" / "zolgensma" / "link.yaml")
    code, out, _ = run(capsys)
    assert code == 1 and "link.yaml:1:1: ML003 error invalid-encoding this is a symbolic link" in out
    assert "secret: 1" not in out


def test_a_folder_an_id_names_is_read_only_inside_the_repository(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path_factory: pytest.TempPathFactory,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A record declaring `evil/x` makes a hook run read records/evil/ beside it; committed as a link to a
    folder outside, it is not read (its records' ids would show up in messages)."""
    outside = tmp_path_factory.mktemp("elsewhere")
    write(outside, "x.yaml", BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: evil/x"))
    (repo / "medlint.toml").write_text("", encoding="utf-8")
    os.symlink(outside, repo / "records" / "evil")
    write(repo, "records/zolgensma/x.yaml", BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: evil/x"))
    code, out, _ = run(capsys, "records/zolgensma/x.yaml")
    assert "ML111" not in out and str(outside) not in out and "ML110" in out
    os.unlink(repo / "records" / "evil")
    write(repo, "records/evil/x.yaml", BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: evil/x"))
    code, out, _ = run(capsys, "records/zolgensma/x.yaml")  # a real folder there is read
    assert code == 1 and "ML111" in out and "records/evil/x.yaml" in out


def test_directory_named_like_a_record(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "records" / "odd.yaml").mkdir()
    code, _, err = run(capsys, "records/odd.yaml")
    assert code == 0 and "no records (*.yaml) found in records/odd.yaml" in err


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from medlint import rules

    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in listed] == [r.code for r in rules.RULES]
    assert main(["rules"]) == 0 and len(capsys.readouterr().out.splitlines()) == len(rules.RULES)


@pytest.mark.parametrize("key", ["ML002", "ml002", "duplicate-key"])
def test_explain_by_code_or_name(key: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", key]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ML002 duplicate-key") and "## Use instead" in out


def test_explain_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "nope"]) == 2
    assert "no rule is called 'nope'" in capsys.readouterr().err


def test_run_from_inside_the_records_folder(repo: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "records")
    code, out, _ = run(capsys, "zolgensma")
    assert code == 0, out


def test_per_path_ignores_apply_to_the_files_they_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, "medlint.toml", "[per-path-ignores]\n'records/legacy/*' = ['ML104']\n")
    broken = BASE.replace("route: intravenous", "route: IV")
    write(repo, RECORD, broken)
    write(repo, "records/legacy/page.yaml", broken.replace("zolgensma/spinal-muscular-atrophy", "legacy/page"))
    code, out, _ = run(capsys)
    assert code == 1 and out.count("ML104") == 1 and f"{RECORD}:" in out and "legacy/page.yaml" not in out


@pytest.mark.parametrize("number", ["1 x 10^400 mg", "2e308 mg", "9" * 400 + " mg"])
def test_a_huge_number_and_a_suppressed_crash_hide_no_finding(repo: Path, capsys: pytest.CaptureFixture[str],
                                                              number: str) -> None:
    """Issue 12, finding 6: such a number crashed eight unit rules, and `disable=ML900` on line 1 then turned
    `10 cc`, `400 µg` and `qd` into "All clear" with exit code 0."""
    text = "# medlint: disable=ML900 -- the units rules crash on this page\n" + BASE.replace(
        "110 trillion copies of the gene for each kilogram of body weight.",
        f"Take {number}, 10 cc and 400 \u00b5g qd.")
    write(repo, RECORD, text)
    code, out, _ = run(capsys, "--format", "json")
    found = [(f["code"], f["line"]) for f in json.loads(out)["findings"]]
    assert code == 1
    line = text.split("\n").index("      Take " + number + ", 10 cc and 400 \u00b5g qd.") + 1
    assert {("ML302", line), ("ML303", line), ("ML315", line), ("ML902", 1)} <= set(found)
    assert found.count(("ML302", line)) == 2 and "ML900" not in {code for code, _ in found}
