"""Shared by tests/lsp/: a workspace on disk, a buffer checked in it, edits applied as a client applies them, and
the server run in this process."""
from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import client_capabilities
from support import BASE, TODAY

from medlint.lsp import actions, server as server_mod
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


class Wire:
    """What the server writes to stdout, as JSON-RPC messages."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def write(self, data: bytes) -> None:
        _, body = data.split(b"\r\n\r\n", 1)
        self.messages.append(json.loads(body))

    def close(self) -> None:
        pass

    def published(self, uri: str) -> list[dict[str, Any]]:
        return [m["params"] for m in self.messages
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]

    def shown(self) -> list[tuple[int, str]]:
        """The messages shown to the author (window/showMessage): (type, message)."""
        return [(m["params"]["type"], m["params"]["message"]) for m in self.messages
                if m.get("method") == "window/showMessage"]

    def failures(self) -> list[str]:
        return [m["params"]["message"] for m in self.messages
                if m.get("method") in ("window/logMessage", "window/showMessage") and m["params"]["type"] == 1]


def started(folder: Path, editor: str) -> tuple[server_mod.MedlintServer, Wire]:
    server = server_mod.create(Settings(TODAY))
    wire = Wire()
    server.protocol.set_writer(wire)
    initialize = server.protocol.lsp_initialize(types.InitializeParams(
        capabilities=client_capabilities(editor), workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(),
                                                                                            name="work")]))
    with contextlib.suppress(StopIteration):
        next(initialize)
    return server, wire


def handle(server: server_mod.MedlintServer, method: str, params: Any) -> Any:
    return server.protocol.fm.features[method](params)
