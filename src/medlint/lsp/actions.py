"""Code actions: each safe fix, every safe fix in the file, a suppression with a reason to write, and the
skeleton of `medlint new` for an empty record file.

The fixes are `medlint fix`'s own: `fix.apply` makes the edit and `fix.verify` proves that the record
still reads the same except where the fix was made; "fix all" is `fix.plan`, the very passes `medlint fix`
runs. The result is then sent as the few characters that change, not as a new text.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from lsprotocol import types

from .. import decode, fix as fix_mod, load, scaffold, suppress
from ..model import Finding
from ..rules import loading, meta
from ..schema import SchemaError
from .analysis import Analysis
from .diagnostics import diagnostic, finding_range
from .text import LineIndex, text_edits

FIX_ALL = "source.fixAll.medlint"
FIX_ALL_TITLE = "Fix all safe problems in this file (medlint)"
SKELETON_TITLE = "Start this record from the skeleton of `medlint new`"
EMPTY_FILE = loading.NOT_A_MAPPING.code  # an empty file gets the skeleton
UNSUPPRESSIBLE = frozenset(rule.code for rule in meta.RULES)  # a crash, and the suppressions' own checks


def _expected(analysis: Analysis) -> str | None:
    record = analysis.loaded.record
    return record.expected_id if record is not None else None


def _reload(analysis: Analysis, text: str) -> load.Source:
    assert analysis.config is not None
    return load.load_text(text.encode("utf-8", "surrogatepass"), analysis.display, expected=_expected(analysis),
                          max_bytes=analysis.config.max_file_bytes)


def fixed_text(analysis: Analysis, finding: Finding) -> str | None:
    """The buffer with this one finding fixed as `medlint fix` would fix it, or None when it has no safe
    fix or the fix would not survive `medlint fix`'s checks."""
    if not fix_mod.fixable(finding) or finding.fix is None or analysis.config is None:
        return None
    if finding.fix == decode.REMOVE_BOM:
        return analysis.text if analysis.shift else None
    applied = fix_mod.apply(analysis.text, [finding])
    if finding not in applied.fixed:
        return None
    if fix_mod.verify(analysis.loaded, _reload(analysis, applied.text), finding.fix.edits) is not None:
        return None
    return analysis.buffer[: analysis.shift] + applied.text


def fix_all_text(analysis: Analysis) -> str | None:
    """The buffer after `medlint fix`, or None when it would change nothing or refuses the file."""
    if analysis.config is None or analysis.error or not any(fix_mod.fixable(f) for f in analysis.findings):
        return None
    with contextlib.chdir(analysis.folder):  # as `medlint fix` run there: per-path ignores resolve the same
        plan = fix_mod.plan(analysis.buffer.encode("utf-8", "surrogatepass"), analysis.display, analysis.config,
                            analysis.run, expected=_expected(analysis))
    if plan.refused or not plan.changed:
        return None
    return plan.after.decode("utf-8")


def suppressed_text(analysis: Analysis, finding: Finding) -> str | None:
    """The buffer with `# medlint: disable=CODE -- ` at the end of the finding's line; where a comment
    there would land inside a text (a folded paragraph), `# medlint: disable-next-line=CODE -- ` on a
    line of its own above it. None when neither reads back as the same record suppressing the finding."""
    if finding.code in UNSUPPRESSIBLE or analysis.loaded.record is None:
        return None
    text, line = analysis.text, finding.line
    starts = analysis.line_starts
    if not 1 <= line <= len(starts):
        return None
    start = starts[line - 1]
    end = text.find("\n", start)
    end = len(text) if end < 0 else end - (1 if text[end - 1 : end] == "\r" else 0)
    newline = "\r\n" if text[end : end + 2] == "\r\n" else "\n"
    indent = text[start:end][: len(text[start:end]) - len(text[start:end].lstrip(" "))]
    candidates = (
        (text[:end] + f"  # medlint: disable={finding.code} -- " + text[end:], line),
        (text[:start] + f"{indent}# medlint: disable-next-line={finding.code} -- {newline}" + text[start:], line + 1),
    )
    for candidate, target in candidates:
        if fix_mod.verify(analysis.loaded, _reload(analysis, candidate), ()) is None and any(
                item.line == target and finding.code in item.codes for item in suppress.parse(candidate)):
            return analysis.buffer[: analysis.shift] + candidate
    return None


def skeleton_text(analysis: Analysis) -> str | None:
    """For a record file with nothing in it yet (an editor's "new file" under records/<drug>/), the text
    `medlint new` writes for its path, so that a record started in the editor starts as one started from the
    command line. None for a file with any text in it: nothing the author wrote is replaced."""
    if analysis.config is None or analysis.buffer.strip():
        return None
    try:
        return scaffold.skeleton_at(analysis.folder / analysis.display, analysis.run.today, analysis.config)
    except SchemaError:  # the configured schema cannot be read; the check of any other record says why
        return None


class Edits:
    """How an edit is sent: with the document's version when the client takes it, so that a stale
    action cannot be applied to newer text."""

    def __init__(self, uri: str, version: int | None, index: LineIndex, versioned: bool) -> None:
        self.uri, self.version, self.index, self.versioned = uri, version, index, versioned

    def to(self, after: str) -> types.WorkspaceEdit:
        edits: list[types.TextEdit] = text_edits(self.index, after)
        if self.versioned:
            document = types.OptionalVersionedTextDocumentIdentifier(uri=self.uri, version=self.version)
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document,
                                                                                 edits=list(edits))])
        return types.WorkspaceEdit(changes={self.uri: edits})


def _touches(analysis: Analysis, index: LineIndex, finding: Finding, start: int, end: int) -> bool:
    where = finding_range(analysis, index, finding)
    return index.offset(where.start) <= end and start <= index.offset(where.end)


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    return only is None or any(kind == item or kind.startswith(item + ".") for item in only)


def code_actions(analysis: Analysis, index: LineIndex, edits: Edits, selection: types.Range,
                 only: Sequence[str] | None, everything: Callable[[], str | None],
                 lazy: bool = False) -> list[types.CodeAction]:
    """The actions for the findings that the selection touches, and "fix all". `everything` is the text
    after `medlint fix` (costly: several checks): with `lazy`, it is left for codeAction/resolve, and
    the action carries the document's `uri` and `version` in its `data`."""
    if analysis.error:
        return []
    start, end = sorted((index.offset(selection.start), index.offset(selection.end)))
    touched = [f for f in analysis.findings if _touches(analysis, index, f, start, end)]
    quick = types.CodeActionKind.QuickFix
    out: list[types.CodeAction] = []
    if _wanted(quick, only):
        empty = [f for f in analysis.findings if f.code == EMPTY_FILE]
        if empty and (after := skeleton_text(analysis)) is not None:
            out.append(types.CodeAction(title=SKELETON_TITLE, kind=quick, is_preferred=True, edit=edits.to(after),
                                        diagnostics=[diagnostic(analysis, index, empty[0])]))
        for finding in touched:
            after = fixed_text(analysis, finding)
            if after is not None and finding.fix is not None:
                out.append(types.CodeAction(title=f"Fix {finding.code}: {finding.fix.description}", kind=quick,
                                            diagnostics=[diagnostic(analysis, index, finding)], is_preferred=True,
                                            edit=edits.to(after)))
    # "fix all" comes with the fixes at the cursor, as a quick fix; and as `source.fixAll.medlint` to a
    # client that asks for that kind by name (fix on save), never both at once
    asked = only is not None and _wanted(FIX_ALL, only)
    if (out or asked) and any(fix_mod.fixable(f) for f in analysis.findings):
        action = types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL if asked else quick)
        if lazy:
            action.data = {"uri": edits.uri, "version": edits.version}
            out.append(action)
        elif (after := everything()) is not None:
            action.edit = edits.to(after)
            out.append(action)
    if _wanted(quick, only):
        for finding in touched:
            after = suppressed_text(analysis, finding)
            if after is not None:
                out.append(types.CodeAction(title=f"Suppress {finding.code} ({finding.name}) here, with a reason",
                                            kind=quick, diagnostics=[diagnostic(analysis, index, finding)],
                                            edit=edits.to(after)))
    return out
