"""Code actions: `medlint fix`'s own fixes, one at a time or all at once, and suppressions with a reason."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsp_support import RECORD, SETTINGS, apply, check, edits_for, workspace
from lsprotocol import types
from support import BASE

from medlint import engine, fix, load
from medlint.lsp import actions
from medlint.lsp.analysis import Analysis, Project, Settings, analyse
from medlint.lsp.diagnostics import finding_range
from medlint.lsp.text import LineIndex

# safe fixes (µg, a trailing zero, `ร` for ×, which two rules fix with the same edit) and a finding without one
# (IN: intranasal, or a misread IM or IV, is only suggested)
BROKEN = (BASE.replace("unit: vector genomes/kg", "unit: µg").replace("value: 1.1e14", "value: 1.10e14")
          .replace("1.1 × 10^14 vector genomes/kg means", "1.1 ร 10^14 vector genomes/kg means")
          .replace("route: intravenous", "route: IN"))


def actions_at(analysis: Analysis, code: str, only: list[str] | None = None,
               lazy: bool = False, about: str = "") -> list[types.CodeAction]:
    """The actions at the first finding of `code` whose message holds `about`."""
    index = LineIndex(analysis.buffer)
    finding = next(f for f in analysis.findings if f.code == code and about in f.message)
    where = finding_range(analysis, index, finding)
    return actions.code_actions(analysis, index, edits_for(analysis), types.Range(start=where.start, end=where.start),
                                only, lambda: actions.fix_all_text(analysis), lazy)


def test_each_safe_fix_is_a_quick_fix_that_clears_its_finding(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    analysis = check(BROKEN, folder)
    fixable = [f for f in analysis.findings if fix.fixable(f)]
    assert sorted(f.code for f in fixable) == ["ML302", "ML304", "ML312", "ML601"]
    for finding in fixable:
        offered = [a for a in actions_at(analysis, finding.code) if a.is_preferred]
        assert f"Fix {finding.code}: {finding.fix.description}" in [a.title for a in offered]  # type: ignore[union-attr]
        action = next(a for a in offered if a.title.startswith(f"Fix {finding.code}"))
        after = apply(analysis.buffer, action.edit)
        assert after == fix.apply(analysis.text, [finding]).text  # the very edit `medlint fix` makes
        remaining = {(f.code, f.message) for f in check(after, folder).findings}
        assert (finding.code, finding.message) not in remaining
        assert remaining < {(f.code, f.message) for f in analysis.findings}


def test_a_value_written_another_way_is_a_quick_fix(tmp_path: Path) -> None:
    """The schema's did-you-mean where it is certain (IV, 2 times a day) is `medlint fix`'s edit here too."""
    folder = workspace(tmp_path)
    analysis = check(BASE.replace("route: intravenous", "route: IV").replace("frequency: once",
                                                                            "frequency: 2 times a day"), folder)
    for code, before, after in (("ML104", "route: IV", "route: intravenous"),
                                ("ML104", "frequency: 2 times a day", "frequency: twice daily")):
        about = f"`{before.split(': ')[1]}`"
        finding = next(f for f in analysis.findings if f.code == code and about in f.message)
        assert finding.fix is not None and fix.fixable(finding)
        action = next(a for a in actions_at(analysis, code, about=about)
                      if a.title == f"Fix {code}: {finding.fix.description}")
        fixed = apply(analysis.buffer, action.edit)
        assert after in fixed and fixed == fix.apply(analysis.text, [finding]).text


def test_fix_all_is_medlint_fix(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    analysis = check(BROKEN, folder)
    offered = [a for a in actions_at(analysis, "ML302") if a.title == actions.FIX_ALL_TITLE]
    assert len(offered) == 1 and offered[0].kind == types.CodeActionKind.QuickFix
    after = apply(analysis.buffer, offered[0].edit)
    planned = fix.plan(BROKEN.encode(), str(RECORD), analysis.config, analysis.run,  # type: ignore[arg-type]
                       expected=load.expected_id(RECORD))
    assert after.encode() == planned.after
    assert [f.code for f in check(after, folder).findings] == ["ML104"]


def test_fix_all_on_request_by_kind_and_lazily(tmp_path: Path) -> None:
    analysis = check(BROKEN, workspace(tmp_path))
    on_save = actions_at(analysis, "ML104", only=["source.fixAll"])
    assert [(a.kind, a.title) for a in on_save] == [(actions.FIX_ALL, actions.FIX_ALL_TITLE)]
    lazy = actions_at(analysis, "ML104", only=["source.fixAll"], lazy=True)
    assert lazy[0].edit is None and lazy[0].data == {"uri": edits_for(analysis).uri, "version": 3}
    assert actions_at(analysis, "ML104", only=["refactor"]) == []
    # on a finding without a fix, no "fix all" among the quick fixes: it comes with the fixes it belongs to
    assert [a.title for a in actions_at(analysis, "ML104")] == ["Suppress ML104 (invalid-value) here, with a reason"]


def test_suppress_at_the_end_of_the_line_then_the_reason_is_required(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    analysis = check(BROKEN, folder)
    suppress = [a for a in actions_at(analysis, "ML104") if a.title.startswith("Suppress")]
    after = apply(analysis.buffer, suppress[0].edit)
    assert "    route: IN  # medlint: disable=ML104 -- \n" in after
    assert "ML902" in {f.code for f in check(after, folder).findings}  # a reason is mandatory
    reasoned = after.replace("-- \n", "-- the CMS maps IV\n", 1)
    assert "ML104" not in {f.code for f in check(reasoned, folder).findings}
    assert not {"ML901", "ML902"} & {f.code for f in check(reasoned, folder).findings}


def test_above_a_multi_line_text_the_suppression_goes_on_a_line_of_its_own(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    text = BASE.replace("summary: >-\n", 'summary: "Zolgensma (5 µg) is a\n  gene therapy."\nx_summary: >-\n', 1)
    analysis = check(text, folder)
    finding = next(f for f in analysis.findings if f.code == "ML302")
    after = actions.suppressed_text(analysis, finding)  # a comment at the end of its line would be text
    assert after is not None
    assert after.splitlines()[finding.line - 1 : finding.line + 1] == [
        "# medlint: disable-next-line=ML302 -- ", 'summary: "Zolgensma (5 µg) is a']
    reasoned = after.replace("-- \n", "-- quoted from the label\n", 1)
    assert "ML302" not in {f.code for f in check(reasoned, folder).findings}
    assert load.load_text(reasoned.encode(), "x").record.data == analysis.loaded.record.data  # type: ignore[union-attr]


def test_inside_a_paragraph_nothing_is_offered(tmp_path: Path) -> None:
    """A comment can stand on a finding's line, or on the line before it; inside a folded paragraph either
    would become part of the text, so no suppression can reach the finding there."""
    folder = workspace(tmp_path)
    analysis = check(BASE.replace("110 trillion copies of the gene", "110 trillion copies (5 µg) of the gene"), folder)
    finding = next(f for f in analysis.findings if f.code == "ML302")
    assert actions.suppressed_text(analysis, finding) is None


def test_the_suppressions_own_checks_cannot_be_suppressed(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    unused = check(BASE.replace("route: intravenous", "route: intravenous  # medlint: disable=ML104 -- x"), folder)
    assert [f.code for f in unused.findings] == ["ML901"]
    assert actions.suppressed_text(unused, unused.findings[0]) is None


def test_a_fix_that_medlint_fix_would_refuse_is_not_offered(tmp_path: Path) -> None:
    analysis = check(BROKEN, workspace(tmp_path))
    finding = next(f for f in analysis.findings if f.code == "ML302")
    assert finding.fix is not None
    outside = finding._replace(fix=finding.fix._replace(edits=(finding.fix.edits[0]._replace(end=10**9),)))
    assert actions.fixed_text(analysis._replace(findings=(outside,)), outside) is None
    unsafe = finding._replace(fix=finding.fix._replace(safe=False))
    assert actions.fixed_text(analysis, unsafe) is None


def test_the_byte_order_mark_is_fixed_by_removing_it(tmp_path: Path) -> None:
    analysis = check("\ufeff" + BASE, workspace(tmp_path))
    [action] = [a for a in actions_at(analysis, "ML004") if a.is_preferred]
    assert apply(analysis.buffer, action.edit) == BASE


@pytest.mark.parametrize("versioned", [True, False])
def test_edits_carry_the_version_when_the_client_takes_it(tmp_path: Path, versioned: bool) -> None:
    analysis = check(BROKEN, workspace(tmp_path))
    edit = edits_for(analysis, versioned).to(analysis.text.replace("µg", "mcg"))
    if versioned:
        document = edit.document_changes[0]  # type: ignore[index]
        assert isinstance(document, types.TextDocumentEdit) and document.text_document.version == 3
    else:
        assert edit.document_changes is None and edit.changes is not None
    assert apply(analysis.buffer, edit) == analysis.text.replace("µg", "mcg")


def test_an_analysis_that_could_not_run_offers_nothing(tmp_path: Path) -> None:
    analysis = check(BROKEN, workspace(tmp_path))._replace(error="bad config", findings=())
    assert actions.code_actions(analysis, LineIndex(BROKEN), edits_for(analysis), types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)), None,
        lambda: None) == []
    assert actions.fix_all_text(analysis) is None and engine.Run is not None


NEW = Path("records/zolgensma/new-indication.yaml")


def test_an_empty_record_file_is_offered_the_skeleton_of_medlint_new(tmp_path: Path) -> None:
    """An author who creates records/<drug>/<indication>.yaml in the editor starts from what `medlint new`
    writes there: the record's placeholders, and nothing else, are then what the check reports."""
    from medlint import scaffold

    folder = workspace(tmp_path)
    for empty in ("", "\n", "  \r\n"):
        analysis = analyse(empty, folder / NEW, folder, Project(SETTINGS))
        [action] = actions_at(analysis, "ML006")
        assert action.title == actions.SKELETON_TITLE and action.kind == types.CodeActionKind.QuickFix
        assert action.diagnostics is not None and [d.code for d in action.diagnostics] == ["ML006"]
        after = apply(empty, action.edit)
        assert analysis.config is not None and SETTINGS.today is not None
        assert after == scaffold.skeleton("zolgensma/new-indication", SETTINGS.today, analysis.config)
        filled = analyse(after, folder / NEW, folder, Project(SETTINGS)).findings
        assert filled and {f.code for f in filled} == {"ML201"}


def test_no_skeleton_over_what_the_author_wrote_or_where_the_path_names_no_record(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    for text, path in (("# notes for the new page\n", NEW), ("- a list\n", NEW), ("", Path("records/Bad Name.yaml")),
                       ("", Path("records/zolgensma/deeper/x.yaml"))):
        analysis = analyse(text, folder / path, folder, Project(SETTINGS))
        assert "ML006" in {f.code for f in analysis.findings}, (text, path)
        assert actions.SKELETON_TITLE not in [a.title for a in actions_at(analysis, "ML006")]
    unreadable = Settings(SETTINGS.today)
    (folder / "medlint.toml").write_text('schema = "missing.json"\n', encoding="utf-8")
    analysis = analyse("", folder / NEW, folder, Project(unreadable))
    assert actions.skeleton_text(analysis) is None
