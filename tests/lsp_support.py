"""Shared by tests/lsp/: a workspace on disk, a buffer checked in it, and edits applied as a client applies them."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from support import BASE, TODAY

from medlint.lsp import actions
from medlint.lsp.analysis import Analysis, Project, Settings, analyse
from medlint.lsp.text import LineIndex

RECORD = Path("records/zolgensma/spinal-muscular-atrophy.yaml")
SETTINGS = Settings(TODAY)


def workspace(root: Path, text: str = BASE) -> Path:
    folder = root / "work"
    (folder / RECORD).parent.mkdir(parents=True, exist_ok=True)
    (folder / RECORD).write_text(text, encoding="utf-8")
    return folder


def check(buffer: str, folder: Path, settings: Settings = SETTINGS) -> Analysis:
    return analyse(buffer, folder / RECORD, folder, Project(settings))


def edits_for(analysis: Analysis, versioned: bool = True) -> actions.Edits:
    return actions.Edits((analysis.folder / RECORD).as_uri(), 3, LineIndex(analysis.buffer), versioned)


def apply(text: str, edit: types.WorkspaceEdit | None, encoding: str = types.PositionEncodingKind.Utf16) -> str:
    """`text` with a workspace edit applied, as a client applies it: every range read against the text
    before any of the edits, the edits applied from the last to the first."""
    assert edit is not None
    changes: list[types.TextEdit] = []
    for document in edit.document_changes or ():
        assert isinstance(document, types.TextDocumentEdit)
        changes += [change for change in document.edits if isinstance(change, types.TextEdit)]
    for items in (edit.changes or {}).values():
        changes += items
    index = LineIndex(text, encoding)
    spans = [(index.offset(c.range.start), index.offset(c.range.end), c.new_text) for c in changes]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
