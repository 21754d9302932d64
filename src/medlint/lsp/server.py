"""The pygls wiring: open documents, debounced checks, watched files, and the requests authors make.

Everything a request answers is computed by the modules beside this one from the document's text; this
module only keeps the texts and decides when to check. pygls answers a request whose handler fails with an
error response and goes on, and `report_server_error` logs it; a failed check is logged the same way.
Handlers run on the event loop, one at a time, so the state below needs no locks.
"""
from __future__ import annotations

import asyncio
import os
import re
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__, discovery
from . import actions, diagnostics, help
from .analysis import (
    CONFIG_NAMES,
    Analysis,
    Project,
    Settings,
    Stamp,
    analyse,
    folder_of,
    is_record,
    surroundings,
)
from .text import LineIndex

# a rule file's error as `medlint check` prints it: `<file>:<line>:<column>: <what>`, or `<file>: <what>`
_POSITIONED = re.compile(r"(?P<file>.+?\.ya?ml)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<what>.*)", re.DOTALL)

DEBOUNCE_SECONDS = 0.03  # a check takes ~10 ms: wait for a pause in typing, not for the author to stop
POLL_SECONDS = 2.0  # where the client cannot watch files, how often configs and drug folders are looked at


class Document:
    """An open record: the editor's text, and the last check of exactly that text."""

    def __init__(self, uri: str, text: str, version: int | None) -> None:
        self.uri, self.text, self.version = uri, text, version
        self.analysis: Analysis | None = None
        self.fixed: tuple[str, str | None] | None = None  # (text, that text after `medlint fix`)
        self.surroundings: tuple[Stamp, ...] = ()  # what the last check read from disk
        self.pending: asyncio.TimerHandle | None = None
        self.file = Path(path) if (path := to_fs_path(uri)) else None


class MedlintServer(LanguageServer):
    def __init__(self, settings: Settings) -> None:
        super().__init__("medlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.project = Project(settings)
        self.documents: dict[str, Document] = {}
        self.poller: asyncio.Task[None] | None = None
        self.rule_problems: dict[str, str | None] = {}  # each broken rule file's message shown, and its file's URI

    # --- helpers --------------------------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls shows errors in a pop-up by default; an author needs none for a malformed request."""
        self.log(f"medlint: {type(error).__name__}: {error}", types.MessageType.Error)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def index(self, document: Document) -> LineIndex:
        return LineIndex(document.text, self.encoding)

    def folders(self) -> list[Path]:
        uris = [folder.uri for folder in self.workspace.folders.values()]
        if not uris and self.workspace.root_uri:
            uris = [self.workspace.root_uri]
        return [Path(path) for uri in uris if (path := to_fs_path(uri))]

    def folder(self, document: Document) -> Path:
        return folder_of(document.file, self.folders())

    # --- checking -------------------------------------------------------------------------------

    def check(self, document: Document) -> Analysis:
        """The check of the document's current text, made now if the last one is older. A request may
        need it before the debounced check is due; that one then publishes it without checking again."""
        if document.analysis is None or document.analysis.buffer != document.text:
            name = document.file.name if document.file else document.uri.rsplit("/", 1)[-1]
            folder = self.folder(document)
            document.surroundings = surroundings(document.file, folder, self.project)
            document.analysis = analyse(document.text, document.file, folder, self.project, name)
        return document.analysis

    def fix_all(self, document: Document) -> str | None:
        """The document's text after `medlint fix`, computed once per text: it costs several checks."""
        analysis = self.check(document)
        if document.fixed is None or document.fixed[0] != analysis.buffer:
            document.fixed = (analysis.buffer, actions.fix_all_text(analysis))
        return document.fixed[1]

    def edits(self, document: Document) -> actions.Edits:
        return actions.Edits(document.uri, document.version, self.index(document), _versioned_edits(self))

    def publish(self, document: Document) -> None:
        try:
            analysis = self.check(document)
            found = diagnostics.diagnostics(analysis, self.index(document))
        except Exception:  # a bug must cost this check, not the server
            self.log("medlint: the check failed:\n" + traceback.format_exc(), types.MessageType.Error)
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=document.uri, diagnostics=found, version=document.version))
        self.show_rule_problems()

    def show_rule_problems(self) -> None:
        """Each rule file that does not compile: a diagnostic on it where it is wrong, and a message once (the
        file is seldom open while records are); both go when it is fixed."""
        now = {str(broken.error): broken.kept for broken in self.project.broken.values()}
        for text, kept in now.items():
            if text not in self.rule_problems:
                self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=(
                    "medlint: a rule file does not compile; open records are checked with the rules as they were "
                    f"before it changed, until it is fixed: {text}" if kept else
                    f"medlint cannot check records until this rule file is fixed: {text}")))
        if self.rule_problems and not now:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=(
                "medlint: the rule files compile again; open records are checked with them")))
        if now.keys() == self.rule_problems.keys():
            return
        by_file: dict[str, list[types.Diagnostic]] = {uri: [] for uri in self.rule_problems.values() if uri}
        shown: dict[str, str | None] = {}
        for text in now:
            uri, diagnostic = _rule_file_diagnostic(text)
            shown[text] = uri
            if uri is not None and diagnostic is not None:
                by_file.setdefault(uri, []).append(diagnostic)
        for uri, found in by_file.items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found))
        self.rule_problems = shown

    def schedule(self, document: Document) -> None:
        if document.pending is not None:
            document.pending.cancel()
        document.pending = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self._due, document)

    def _due(self, document: Document) -> None:
        document.pending = None
        if self.documents.get(document.uri) is document:
            self.publish(document)

    def recheck(self, documents: Iterable[Document]) -> None:
        """Check again documents whose text did not change but whose surroundings (config, the other
        records of their drug folder, their dose-limit table) did."""
        for document in documents:
            document.analysis = None
            self.schedule(document)

    def neighbours(self, changed: Path) -> list[Document]:
        """Open records whose check may read the YAML file at `changed`: another record of the drug folder,
        which the cross-record rules compare, or a file of the folder of dose-limit tables (any table there:
        one added since the last check may be the drug's; rechecking an open record costs milliseconds)."""
        read = {str(changed), str(changed.parent)}
        return [document for document in self.documents.values()
                if document.file is not None and (document.file.parent == changed.parent
                                                  or any(path in read for path, _ in document.surroundings))]

    def rule_readers(self, changed: Path) -> list[Document]:
        """Open records whose check reads rules from a folder at, below or above `changed` (a rule file, or a
        folder of them, added, changed or deleted)."""
        path = Path(os.path.realpath(changed))
        folders = {document.uri: self.folder(document) for document in self.documents.values()}
        rules = {folder: self.project.style_folders(folder) for folder in set(folders.values())}
        return [document for document in self.documents.values() if any(
            path.is_relative_to(read) or read.is_relative_to(path) for read in rules[folders[document.uri]])]

    def files_changed(self, paths: Iterable[Path]) -> None:
        touched: dict[str, Document] = {}
        for path in paths:
            touched.update((document.uri, document) for document in self.rule_readers(path))
            if path.name in CONFIG_NAMES or self._is_baseline(path):
                touched.update(self.documents)
            elif path.suffix in discovery.SUFFIXES:
                touched.update((document.uri, document) for document in self.neighbours(path))
        self.recheck(touched.values())

    async def poll(self) -> None:
        """Check again the documents whose config, baseline, drug folder or dose-limit table changed on disk:
        for clients that cannot report file changes (Neovim, Helix), an edit made outside the editor, a
        `git pull`."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                stale = [document for document in self.documents.values() if document.analysis is not None
                         and document.surroundings != surroundings(document.file, self.folder(document),
                                                                   self.project)]
            except Exception:
                self.log("medlint: looking for changed files failed:\n" + traceback.format_exc(),
                         types.MessageType.Error)
                continue
            self.recheck(stale)

    def _is_baseline(self, path: Path) -> bool:
        """`--baseline`, or a baseline an open record's check read (the config's `baseline`)."""
        baseline = self.project.settings.baseline
        return (baseline is not None and path.name == baseline.name) or (path.suffix not in discovery.SUFFIXES and any(
            read == str(path) for document in self.documents.values() for read, _ in document.surroundings))

    def document(self, uri: str) -> Document | None:
        return self.documents.get(uri)


def _rule_file_diagnostic(error: str) -> tuple[str | None, types.Diagnostic | None]:
    """The URI of the rule file an error names, and the error as a diagnostic there (at the line and column
    `medlint check` prints; a column counts characters); (None, None) for an error that names no file."""
    found = _POSITIONED.fullmatch(error)
    if found is None or not Path(found["file"]).is_file():
        return None, None
    at = types.Position(line=int(found["line"] or 1) - 1, character=int(found["column"] or 1) - 1)
    return Path(found["file"]).absolute().as_uri(), types.Diagnostic(
        range=types.Range(start=at, end=at), message=found["what"], severity=types.DiagnosticSeverity.Error,
        source=diagnostics.SOURCE)


def _watch(server: MedlintServer) -> None:
    """Ask the client to report changes to configs, records and rule files on disk; where it cannot, look for
    them."""
    capabilities = server.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities else None
    if watched is None or not watched.dynamic_registration:
        server.poller = asyncio.get_running_loop().create_task(server.poll())
        return
    # baselines: `--baseline`'s name, or any JSON file, since each folder's config may name its own
    globs = ["**/pyproject.toml", "**/medlint.toml", "**/*.yaml", "**/*.yml", "**/*.json"]
    if server.project.settings.baseline is not None:
        globs.append(f"**/{server.project.settings.baseline.name}")
    # the rule folders themselves: a client reports a folder deleted or moved as one event, for the folder
    for folder in server.folders():
        real = Path(os.path.realpath(folder))
        globs += [f"**/{read.relative_to(real).as_posix()}" for read in server.project.style_folders(folder)
                  if read.is_relative_to(real) and read != real]
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in globs])
    server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
        id="medlint-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)]))


def _warm_up(server: MedlintServer) -> None:
    """Build the schema validators and import the rules' tables before the first record is opened, so
    that its diagnostics come as fast as every later check."""
    folders = server.folders()
    folder = folders[0] if folders else Path.cwd()
    analyse("schema_version: one\n", None, folder, server.project, "warm-up.yaml")


def _markdown(server: MedlintServer) -> bool:
    hover = server.client_capabilities.text_document.hover if server.client_capabilities.text_document else None
    formats = hover.content_format if hover else None
    return formats is None or types.MarkupKind.Markdown in formats


def _versioned_edits(server: MedlintServer) -> bool:
    workspace = server.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace else None
    return bool(edit and edit.document_changes)


def _resolves_edits(server: MedlintServer) -> bool:
    text = server.client_capabilities.text_document
    action = text.code_action if text else None
    support = action.resolve_support if action else None
    return bool(support and "edit" in support.properties and action and action.data_support)


def _apply_change(text: str, change: types.TextDocumentContentChangeEvent, encoding: str) -> str:
    if isinstance(change, types.TextDocumentContentChangePartial):  # a client that ignored `Full`
        index = LineIndex(text, encoding)
        start, end = sorted((index.offset(change.range.start), index.offset(change.range.end)))
        return text[:start] + change.text + text[end:]
    return change.text


def create(settings: Settings) -> MedlintServer:
    server = MedlintServer(settings)

    @server.feature(types.INITIALIZED)
    def initialized(ls: MedlintServer, params: types.InitializedParams) -> None:
        _watch(ls)
        _warm_up(ls)
        ls.show_rule_problems()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MedlintServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        document = Document(item.uri, item.text, item.version)
        if is_record(document.file):
            ls.documents[item.uri] = document
            ls.publish(document)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MedlintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.document(params.text_document.uri)
        if document is None:
            return
        for change in params.content_changes:
            document.text = _apply_change(document.text, change, ls.encoding)
        document.version = params.text_document.version
        ls.schedule(document)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: MedlintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = to_fs_path(params.text_document.uri)
        if path:
            ls.files_changed([Path(path)])

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MedlintServer, params: types.DidCloseTextDocumentParams) -> None:
        document = ls.documents.pop(params.text_document.uri, None)
        if document is not None and document.pending is not None:
            document.pending.cancel()
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: MedlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.files_changed(Path(path) for change in params.changes if (path := to_fs_path(change.uri)))

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: MedlintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        ls.recheck(list(ls.documents.values()))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL], resolve_provider=True))
    def code_action(ls: MedlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        document = ls.document(params.text_document.uri)
        if document is None:
            return []
        edits = ls.edits(document)
        return actions.code_actions(ls.check(document), edits.index, edits, params.range, params.context.only,
                                    lambda: ls.fix_all(document), _resolves_edits(ls))

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve(ls: MedlintServer, action: types.CodeAction) -> types.CodeAction:
        """The edit of "fix all", for the text the action was offered on; none if that text has changed."""
        data = action.data if isinstance(action.data, dict) else {}
        document = ls.document(str(data.get("uri")))
        if document is not None and document.version == data.get("version") and action.edit is None:
            after = ls.fix_all(document)
            if after is not None:
                action.edit = ls.edits(document).to(after)
        return action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: MedlintServer, params: types.HoverParams) -> types.Hover | None:
        document = ls.document(params.text_document.uri)
        if document is None:
            return None
        return help.hover(ls.check(document), ls.index(document), params.position, _markdown(ls))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":"]))
    def completion(ls: MedlintServer, params: types.CompletionParams) -> types.CompletionList | None:
        document = ls.document(params.text_document.uri)
        if document is None:
            return None
        analysis = document.analysis  # the text is newer: completion comes before the debounced check
        schema = help.schema_of(analysis) if analysis is not None else help.record_schema()
        items = help.completions(document.text, schema, ls.index(document), params.position)
        return types.CompletionList(is_incomplete=False, items=items)

    return server
