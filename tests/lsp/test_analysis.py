"""A buffer is checked exactly as `medlint check` checks the file: findings, paths, config, drug folder, baseline."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import BASE, ROOT, TODAY

from medlint import config as config_mod, gate
from medlint.lsp.analysis import Analysis, Project, Settings, analyse, folder_of, is_record, surroundings
from medlint.model import Finding

RECORD = Path("records/zolgensma/spinal-muscular-atrophy.yaml")
CORPUS = sorted(path.relative_to(ROOT) for path in [*(ROOT / "records").rglob("*.yaml"),
                                                    *(ROOT / "tests" / "fixtures" / "seed").rglob("*.yaml")])


def cli(folder: Path, relative: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """What `medlint check FILE` run in `folder` reports (no baseline unless the test gives one)."""
    with monkeypatch.context() as patch:
        patch.chdir(folder)
        result = gate.run([str(relative)], config_mod.load(), TODAY)
    return [f for f in result.outcome.findings if f.suppressed is None]


SETTINGS = Settings(TODAY)


def lsp(buffer: str, file: Path, folder: Path, settings: Settings = SETTINGS) -> Analysis:
    return analyse(buffer, file, folder, Project(settings))


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server's own working folder is never the workspace: editors start it anywhere."""
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    return tmp_path


@pytest.mark.parametrize("relative", CORPUS, ids=str)
def test_every_record_gets_the_findings_medlint_check_reports(relative: Path, elsewhere: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    analysis = lsp((ROOT / relative).read_text(encoding="utf-8"), ROOT / relative, ROOT)
    assert analysis.error == "" and analysis.display == str(relative)
    assert list(analysis.findings) == cli(ROOT, relative, monkeypatch)


def _workspace(root: Path) -> Path:
    folder = root / "work"
    (folder / RECORD).parent.mkdir(parents=True)
    (folder / RECORD).write_text(BASE, encoding="utf-8")
    return folder


def test_the_buffer_is_checked_not_the_file(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _workspace(elsewhere)
    edited = BASE.replace("route: intravenous", "route: IV").replace("unit: vector genomes/kg", "unit: µg")
    analysis = lsp(edited, folder / RECORD, folder)
    assert sorted(f.code for f in analysis.findings) == ["ML104", "ML302"]
    (folder / RECORD).write_text(edited, encoding="utf-8")
    assert list(analysis.findings) == cli(folder, RECORD, monkeypatch)


def test_cross_record_rules_read_the_drug_folder_from_disk(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _workspace(elsewhere)
    sibling = folder / "records" / "zolgensma" / "other-indication.yaml"
    sibling.write_text(BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: zolgensma/other-indication"),
                       encoding="utf-8")
    renamed = BASE.replace("generic_name: onasemnogene abeparvovec-xioi", "generic_name: onasemnogene abeparvovec")
    analysis = lsp(renamed, folder / RECORD, folder)
    assert [(f.code, f.message) for f in analysis.findings] == [
        ("ML112", "`drug.generic_name` is `onasemnogene abeparvovec` here but `onasemnogene abeparvovec-xioi` in "
                  "records/zolgensma/other-indication.yaml (1 record(s) of `zolgensma`)")]
    (folder / RECORD).write_text(renamed, encoding="utf-8")
    assert list(analysis.findings) == cli(folder, RECORD, monkeypatch)
    sibling.unlink()
    assert lsp(renamed, folder / RECORD, folder).findings == ()


def test_dose_limits_read_the_drugs_table_from_disk(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limits rules (ML801-ML807) judge the buffer against limits/<drug>.yaml as `medlint check` does,
    and a check is stale when the table appears, changes or goes."""
    folder = _workspace(elsewhere)
    slipped = BASE.replace("value: 1.1e14", "value: 1.1e15")
    (folder / RECORD).write_text(slipped, encoding="utf-8")
    project = Project(SETTINGS)
    without = analyse(slipped, folder / RECORD, folder, project)
    assert [f.code for f in without.findings] == ["ML313"]
    assert list(without.findings) == cli(folder, RECORD, monkeypatch)
    before = surroundings(folder / RECORD, folder, project)

    table = folder / "limits" / "zolgensma.yaml"
    table.parent.mkdir()
    shutil.copyfile(ROOT / "limits" / "zolgensma.yaml", table)
    assert surroundings(folder / RECORD, folder, project) != before
    analysis = analyse(slipped, folder / RECORD, folder, project)
    assert [f.code for f in analysis.findings] == ["ML804", "ML313"]
    assert "(limits/zolgensma.yaml, limits[0].per_kg_per_dose" in analysis.findings[0].message
    assert list(analysis.findings) == cli(folder, RECORD, monkeypatch)
    assert analyse(BASE, folder / RECORD, folder, project).findings == ()

    stamp = surroundings(folder / RECORD, folder, project)
    table.write_text(table.read_text(encoding="utf-8").replace("hard: 1.1e14", "hard: 1.1e15"), encoding="utf-8")
    assert surroundings(folder / RECORD, folder, project) != stamp
    assert [f.code for f in analyse(slipped, folder / RECORD, folder, project).findings] == ["ML313"]


def test_the_configured_limits_folder_and_require_limits(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _workspace(elsewhere)
    (folder / "medlint.toml").write_text('limits-dir = "tables"\nrequire-limits = true\n', encoding="utf-8")
    analysis = lsp(BASE, folder / RECORD, folder)
    assert [(f.code, f.message.split(",")[0]) for f in analysis.findings] == [
        ("ML806", "there is no dose-limit table for this drug (tables/zolgensma.yaml does not exist)")]
    assert list(analysis.findings) == cli(folder, RECORD, monkeypatch)
    (folder / "tables").mkdir()
    shutil.copyfile(ROOT / "limits" / "zolgensma.yaml", folder / "tables" / "zolgensma.yaml")
    assert lsp(BASE, folder / RECORD, folder).findings == ()


def test_the_config_is_discovered_per_folder_and_reread_when_it_changes(elsewhere: Path) -> None:
    folder = _workspace(elsewhere)
    project = Project(Settings(TODAY))
    edited = BASE.replace("unit: vector genomes/kg", "unit: µg")
    assert "ML302" in {f.code for f in analyse(edited, folder / RECORD, folder, project).findings}
    (folder / "pyproject.toml").write_text('[tool.medlint]\nignore = ["ML302"]\n', encoding="utf-8")
    assert "ML302" not in {f.code for f in analyse(edited, folder / RECORD, folder, project).findings}
    (folder / "pyproject.toml").write_text('[tool.medlint]\nignore = ["ML3O2"]\n', encoding="utf-8")
    broken = analyse(edited, folder / RECORD, folder, project)
    assert broken.findings == () and "unknown rule(s) ML3O2" in broken.error


def test_per_path_ignores_match_paths_from_the_config_folder(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _workspace(elsewhere)
    (folder / "medlint.toml").write_text('[per-path-ignores]\n"records/zolgensma/*" = ["ML302"]\n', encoding="utf-8")
    edited = BASE.replace("unit: vector genomes/kg", "unit: µg")
    (folder / RECORD).write_text(edited, encoding="utf-8")
    analysis = lsp(edited, folder / RECORD, folder)
    assert "ML302" not in {f.code for f in analysis.findings}
    assert list(analysis.findings) == cli(folder, RECORD, monkeypatch)


def test_the_baseline_hides_what_it_accepts(elsewhere: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from medlint.cli import main

    folder = _workspace(elsewhere)
    old = BASE.replace("route: intravenous", "route: IV")
    (folder / RECORD).write_text(old, encoding="utf-8")
    monkeypatch.chdir(folder)
    assert main(["baseline", "--today", TODAY.isoformat(), str(RECORD)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(elsewhere / "elsewhere")
    settings = Settings(TODAY, baseline=Path("medlint-baseline.json"))
    assert lsp(old, folder / RECORD, folder, settings).findings == ()
    new = old.replace("unit: vector genomes/kg", "unit: µg")
    assert "ML302" in {f.code for f in lsp(new, folder / RECORD, folder, settings).findings}
    assert "ML104" not in {f.code for f in lsp(new, folder / RECORD, folder, settings).findings}
    missing = lsp(old, folder / RECORD, folder, Settings(TODAY, baseline=Path("nope.json")))
    assert "cannot read the baseline" in missing.error


def test_suppressed_findings_are_not_shown(elsewhere: Path) -> None:
    folder = _workspace(elsewhere)
    text = BASE.replace("route: intravenous", "route: IV  # medlint: disable=ML104 -- the CMS maps IV")
    assert lsp(text, folder / RECORD, folder).findings == ()


def test_a_byte_order_mark_in_the_buffer(elsewhere: Path) -> None:
    folder = _workspace(elsewhere)
    analysis = lsp("\ufeff" + BASE, folder / RECORD, folder)
    assert analysis.shift == 1 and analysis.text == BASE and [f.code for f in analysis.findings] == ["ML004"]


def test_a_buffer_that_was_never_saved(elsewhere: Path) -> None:
    analysis = analyse("schema_version: 1\n", None, elsewhere, Project(Settings(TODAY)), "Untitled-1")
    assert analysis.display == "Untitled-1" and "ML101" in {f.code for f in analysis.findings}


def test_records_are_the_files_below_a_records_folder() -> None:
    assert is_record(Path("/w/records/zolgensma/sma.yaml")) and is_record(Path("/w/tests/fixtures/records/x/y.yml"))
    assert not is_record(Path("/w/.github/workflows/records.yml")) and not is_record(None)


def test_the_folder_a_file_is_checked_from(tmp_path: Path) -> None:
    inner, outer = tmp_path / "a" / "b", tmp_path / "a"
    file = inner / "records" / "x" / "y.yaml"
    assert folder_of(file, [outer, inner]) == inner
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "medlint.toml").write_text("", encoding="utf-8")
    assert folder_of(tmp_path / "c" / "records" / "x" / "y.yaml", [outer]) == tmp_path / "c"
    assert folder_of(tmp_path / "d" / "y.yaml", []) == tmp_path / "d"


def test_lone_surrogates_and_binary_junk_are_findings(elsewhere: Path) -> None:
    folder = _workspace(elsewhere)
    for junk in ("id: \udc80\n", "\x00\x01", "a: [\n"):
        analysis = lsp(junk, folder / RECORD, folder)
        assert analysis.error == "" and analysis.findings and all(f.code.startswith("ML0") for f in analysis.findings)
    shutil.rmtree(folder)


def test_codes_link_to_the_rule_docs_only_where_a_docs_url_is_configured(elsewhere: Path) -> None:
    from medlint.lsp.diagnostics import diagnostics
    from medlint.lsp.text import LineIndex

    folder = _workspace(elsewhere)
    text = BASE.replace("route: intravenous", "route: IV")
    [plain] = diagnostics(lsp(text, folder / RECORD, folder), LineIndex(text))
    assert plain.code == "ML104" and plain.code_description is None
    docs = "https://git.internal/medlint/blob/4f2a9c1/docs"
    (folder / "medlint.toml").write_text(f'docs-url = "{docs}"\n', encoding="utf-8")
    [linked] = diagnostics(lsp(text, folder / RECORD, folder), LineIndex(text))
    assert linked.code_description is not None
    assert linked.code_description.href == f"{docs}/rules.md#ml104-invalid-value"


def test_a_workspace_folder_that_went_away(elsewhere: Path) -> None:
    analysis = lsp(BASE, elsewhere / "gone" / RECORD, elsewhere / "gone")
    assert analysis.findings == () and analysis.error.startswith(f"cannot work in {elsewhere / 'gone'}")


def test_schema_findings_are_the_plain_words_and_severities_medlint_check_prints(
        elsewhere: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Each diagnostic of a record broken against the schema is a line of `medlint check`: its message and
    hint in the same words, its severity the line's severity word."""
    from lsprotocol import types

    from medlint.cli import main
    from medlint.lsp.diagnostics import diagnostics
    from medlint.lsp.text import LineIndex

    folder = _workspace(elsewhere)
    text = (BASE.replace("route: intravenous", "route: IV").replace("frequency: once", "frequency: 2 times a day")
            .replace("    dose:\n      value: 1.1e14\n      unit: vector genomes/kg\n", "    dose: 500 mg\n"))
    (folder / RECORD).write_text(text, encoding="utf-8")
    monkeypatch.chdir(folder)
    assert main(["check", "--today", TODAY.isoformat(), "--no-cache", "--color", "never", str(RECORD)]) == 1
    printed = capsys.readouterr().out
    monkeypatch.chdir(elsewhere / "elsewhere")
    shown = diagnostics(lsp(text, folder / RECORD, folder), LineIndex(text))
    assert {d.code for d in shown} >= {"ML103", "ML104"}
    words = {types.DiagnosticSeverity.Error: "error", types.DiagnosticSeverity.Warning: "warning"}
    for diagnostic in shown:
        message, _, hint = diagnostic.message.partition("\nhint: ")
        assert diagnostic.severity is not None
        line = f"{RECORD}:{diagnostic.range.start.line + 1}:{diagnostic.range.start.character + 1}: " \
               f"{diagnostic.code} {words[diagnostic.severity]} "
        assert any(row.startswith(line) and row.endswith(message) for row in printed.splitlines()), (line, message)
        assert not hint or any(row.startswith(f"    hint: {hint}") for row in printed.splitlines()), hint
    assert "did you mean `twice daily`?" in printed and "`value: 500` and `unit: mg`" in printed


def test_the_configs_baseline_and_exclude_apply_as_they_do_to_medlint_check(elsewhere: Path,
                                                                           monkeypatch: pytest.MonkeyPatch,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from medlint.cli import main

    folder = _workspace(elsewhere)
    old = BASE.replace("route: intravenous", "route: IV")
    (folder / RECORD).write_text(old, encoding="utf-8")
    (folder / "medlint.toml").write_text('baseline = "accepted.json"\n', encoding="utf-8")
    monkeypatch.chdir(folder)
    assert main(["baseline", "--today", TODAY.isoformat(), "-q", str(RECORD)]) == 0
    capsys.readouterr()
    monkeypatch.chdir(elsewhere / "elsewhere")
    assert lsp(old, folder / RECORD, folder).findings == ()
    assert str(folder / "accepted.json") in {path for path, _ in surroundings(folder / RECORD, folder,
                                                                               Project(SETTINGS))}
    new = old.replace("unit: vector genomes/kg", "unit: µg")
    assert {f.code for f in lsp(new, folder / RECORD, folder).findings} == {"ML302"}
    (folder / "medlint.toml").write_text('exclude = ["records/zolgensma"]\n', encoding="utf-8")
    assert lsp(new, folder / RECORD, folder).findings == ()
    monkeypatch.chdir(folder)
    assert main(["check", "--today", TODAY.isoformat(), "--no-cache", str(RECORD)]) == 0
