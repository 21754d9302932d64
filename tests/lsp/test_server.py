"""`medlint lsp` end to end: pytest-lsp starts it over stdio and drives it as an editor does, with the
capabilities that VS Code, Neovim and Emacs (eglot) announce.

An author opens a broken record and sees exactly what `medlint check` reports; applies the quick fixes and
"fix all", suppresses what is left with a reason, and sees the diagnostics clear; reads a rule's docs and a
field's allowed values on hover; completes field names and values.
"""
from __future__ import annotations

import asyncio
import json
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsp_support import RECORD, apply
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from scaffold_support import FILLED, PLACEHOLDER
from support import BASE, ROOT, TODAY

from medlint.cli import main

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
EVERY_CLIENT = pytest.mark.parametrize("client", ["visual-studio-code", "neovim@v0.11.0", "emacs"], indirect=True)

SERVER = [sys.executable, "-c", "import sys; from medlint.cli import main; sys.exit(main())",
          "lsp", "--today", TODAY.isoformat()]
CLIENTS = {"visual-studio-code": types.PositionEncodingKind.Utf16, "neovim@v0.11.0": types.PositionEncodingKind.Utf8,
           "emacs": types.PositionEncodingKind.Utf32}
BROKEN = (BASE.replace("route: intravenous", "route: IN").replace("unit: vector genomes/kg", "unit: µg")
          .replace("value: 1.1e14", "value: 1.10e14"))
TIMEOUT = 20.0


class Session:
    """The test's side of one editor session: the workspace, the client, and the document's text."""

    def __init__(self, client: LanguageClient, folder: Path, encoding: str) -> None:
        self.client, self.folder, self.encoding = client, folder, encoding
        self.uri = (folder / RECORD).as_uri()
        self.text, self.version = "", 0
        self.registrations: list[types.Registration] = []

    def document(self) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=self.uri)

    def open(self, text: str) -> None:
        self.text, self.version = text, 1
        self.client.diagnostics.pop(self.uri, None)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=self.uri, language_id="yaml", version=1, text=text)))

    def change(self, text: str) -> None:
        self.text, self.version = text, self.version + 1
        self.client.diagnostics.pop(self.uri, None)
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def diagnostics(self, until: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True
                          ) -> Sequence[types.Diagnostic]:
        async def published() -> Sequence[types.Diagnostic]:
            while self.uri not in self.client.diagnostics or not until(self.client.diagnostics[self.uri]):
                await asyncio.sleep(0.01)
            return self.client.diagnostics[self.uri]
        return await asyncio.wait_for(published(), TIMEOUT)

    async def actions(self, at: types.Range, only: list[str] | None = None) -> list[types.CodeAction]:
        found = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=self.document(), range=at, context=types.CodeActionContext(diagnostics=[], only=only)))
        out = []
        for action in found or ():
            assert isinstance(action, types.CodeAction)
            if action.edit is None and action.data is not None:
                action = await self.client.code_action_resolve_async(action)
            out.append(action)
        return out

    @property
    def watching(self) -> bool:
        """Whether the server asked the client to report changes to files (all but Neovim can)."""
        return any(r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for r in self.registrations)

    def changed_on_disk(self, path: Path, kind: types.FileChangeType = types.FileChangeType.Changed) -> None:
        """What the client says when a file changes: nothing where it does not watch files for the server."""
        if self.watching:
            self.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=path.as_uri(), type=kind)]))

    def position(self, needle: str, after: int = 0) -> types.Position:
        from medlint.lsp.text import LineIndex

        return LineIndex(self.text, self.encoding).position(self.text.index(needle) + after)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[None]:
    """The server, started as `medlint lsp` and initialised on a workspace holding one clean record by a
    client with the capabilities of the editor a test names (`indirect`), VS Code's by default."""
    editor = getattr(request, "param", "visual-studio-code")
    folder = tmp_path / "work"
    (folder / RECORD).parent.mkdir(parents=True)
    (folder / RECORD).write_text(BASE, encoding="utf-8")
    registrations: list[types.Registration] = []
    lsp_client.registrations = registrations  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(editor),
        workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="work")]))
    assert result.capabilities.position_encoding == CLIENTS[editor]
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def session(client: LanguageClient, tmp_path: Path) -> Session:
    this = Session(client, tmp_path / "work", str(client.capabilities and _encoding(client.capabilities)))
    this.registrations = client.registrations  # type: ignore[attr-defined]
    return this


def _encoding(capabilities: types.ClientCapabilities) -> str:
    """The encoding the server picks: the client's first choice, else UTF-16."""
    offered = capabilities.general.position_encodings if capabilities.general else None
    return str(offered[0] if offered else types.PositionEncodingKind.Utf16)


def cli_findings(folder: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """`medlint check --format json` on the text saved in the workspace."""
    (folder / RECORD).write_text(text, encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.chdir(folder)
        out: list[str] = []
        patch.setattr(sys, "stdout", type("Out", (), {"write": out.append, "isatty": lambda self: False})())
        main(["check", "--today", TODAY.isoformat(), "--no-cache", "--format", "json", str(RECORD)])
    (folder / RECORD).write_text(BASE, encoding="utf-8")
    findings: list[dict[str, Any]] = json.loads("".join(out))["findings"]
    return findings


def line_range(line: int, start: int, end: int) -> types.Range:
    return types.Range(start=types.Position(line=line, character=start), end=types.Position(line=line, character=end))


@EVERY_CLIENT
async def test_a_broken_record_gets_exactly_the_findings_of_medlint_check(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    session.open(BROKEN)
    found = await session.diagnostics()
    micro_end = 15 if session.encoding == types.PositionEncodingKind.Utf8 else 14  # `µ` is two bytes in UTF-8
    assert [(d.range, d.code, d.severity, d.source) for d in found] == [
        (line_range(61, 13, 20), "ML304", types.DiagnosticSeverity.Error, "medlint"),
        (line_range(62, 12, micro_end), "ML302", types.DiagnosticSeverity.Error, "medlint"),
        (line_range(63, 11, 13), "ML104", types.DiagnosticSeverity.Error, "medlint"),
    ]
    expected = cli_findings(session.folder, BROKEN, monkeypatch)
    assert [d.message for d in found] == [f"{f['message']}\nhint: {f['hint']}" for f in expected]
    assert [(d.range.start.line + 1, d.code) for d in found] == [(f["line"], f["code"]) for f in expected]


@EVERY_CLIENT
async def test_quick_fixes_fix_all_and_a_suppression_clear_the_diagnostics(session: Session) -> None:
    session.open(BROKEN)
    found = await session.diagnostics()
    micro = next(d for d in found if d.code == "ML302")
    offered = await session.actions(micro.range)
    assert [a.title for a in offered] == ["Fix ML302: write mcg for µg", "Fix all safe problems in this file (medlint)",
                                          "Suppress ML302 (error-prone-unit) here, with a reason"]
    session.change(apply(session.text, offered[0].edit, session.encoding))
    found = await session.diagnostics()
    assert [d.code for d in found] == ["ML304", "ML104"] and "unit: mcg\n" in session.text

    fix_all = [a for a in await session.actions(found[0].range) if a.title.startswith("Fix all")]
    session.change(apply(session.text, fix_all[0].edit, session.encoding))
    found = await session.diagnostics()
    assert [d.code for d in found] == ["ML104"] and "value: 1.1e14\n" in session.text

    suppress = [a for a in await session.actions(found[0].range) if a.title.startswith("Suppress")]
    session.change(apply(session.text, suppress[0].edit, session.encoding))
    assert [d.code for d in await session.diagnostics()] == ["ML104", "ML902"]  # the reason is mandatory
    session.change(session.text.replace("-- \n", "-- the pharmacy system maps IV\n", 1))
    assert list(await session.diagnostics()) == []


async def test_fix_all_on_save_is_a_source_action(session: Session) -> None:
    session.open(BROKEN)
    await session.diagnostics()
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    [action] = await session.actions(whole, only=["source.fixAll"])
    assert action.kind == "source.fixAll.medlint" and action.edit is not None
    fixed = apply(session.text, action.edit, session.encoding)
    assert "unit: mcg\n" in fixed and "value: 1.1e14\n" in fixed and "route: IN\n" in fixed


@EVERY_CLIENT
async def test_a_new_record_is_started_filled_in_and_fixed_in_the_editor(session: Session) -> None:
    """The author creates records/<drug>/<indication>.yaml in the editor, takes the skeleton `medlint new`
    would write, sees each placeholder to fill, writes over them (with a slip), and fixes the slip."""
    from medlint.lsp.actions import SKELETON_TITLE

    session.uri = (session.folder / "records" / "ibuprofen" / "fever.yaml").as_uri()
    session.open("")
    [empty] = await session.diagnostics()
    assert empty.code == "ML006"
    [start] = [a for a in await session.actions(empty.range) if a.title == SKELETON_TITLE]
    session.change(apply(session.text, start.edit, session.encoding))
    found = await session.diagnostics()
    assert session.text.startswith("# ibuprofen/fever: written by `medlint new`")
    assert {d.code for d in found} == {"ML201"} and len(found) == len(PLACEHOLDER.findall(session.text))

    session.change(PLACEHOLDER.sub(lambda match: FILLED[match.group()], session.text).replace("unit: mg", "unit: µg"))
    [slip] = await session.diagnostics()
    assert slip.code == "ML302"
    [fix] = [a for a in await session.actions(slip.range) if a.title.startswith("Fix ML302")]
    session.change(apply(session.text, fix.edit, session.encoding))
    assert list(await session.diagnostics()) == [] and "unit: mcg\n" in session.text


async def test_hover_shows_the_rules_docs_and_the_fields_schema(session: Session) -> None:
    session.open(BROKEN)
    await session.diagnostics()
    on_finding = await session.client.text_document_hover_async(types.HoverParams(
        text_document=session.document(), position=session.position("route: IN", 8)))
    assert on_finding is not None and isinstance(on_finding.contents, types.MarkupContent)
    assert on_finding.contents.value.startswith("# ML104 invalid-value")
    assert "## What it does" in on_finding.contents.value and "## Use instead" in on_finding.contents.value
    on_field = await session.client.text_document_hover_async(types.HoverParams(
        text_document=session.document(), position=session.position("population: pediatric", 2)))
    assert on_field is not None and isinstance(on_field.contents, types.MarkupContent)
    assert on_field.contents.value.startswith("**Population** `indication.population`")
    assert on_field.contents.value.endswith("Allowed values: `pediatric`, `adult`, `all`")


async def test_completion_offers_field_names_and_values(session: Session) -> None:
    session.open(BROKEN.replace("    route: IN\n", "    route: IN\n    d\n"))
    await session.diagnostics()
    keys = await session.client.text_document_completion_async(types.CompletionParams(
        text_document=session.document(), position=session.position("    d\n", 5)))
    assert isinstance(keys, types.CompletionList)
    assert [item.label for item in keys.items] == ["max_dose", "age_range", "weight_range"]  # not yet written
    values = await session.client.text_document_completion_async(types.CompletionParams(
        text_document=session.document(), position=session.position("route: IN", 9)))
    assert isinstance(values, types.CompletionList) and values.items[1].label == "intravenous"
    edit = values.items[1].text_edit
    assert isinstance(edit, types.TextEdit)
    assert apply(session.text, types.WorkspaceEdit(changes={session.uri: [edit]}),
                 session.encoding).count("route: intravenous\n") == 1


async def test_closing_a_record_clears_its_diagnostics(session: Session) -> None:
    session.open(BROKEN)
    assert len(await session.diagnostics()) == 3
    session.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=session.document()))
    session.client.diagnostics.pop(session.uri, None)
    assert list(await session.diagnostics()) == []


@EVERY_CLIENT
async def test_changes_on_disk_recheck_open_records(session: Session) -> None:
    """A new config, and another record of the drug, take effect without an edit: reported by the client
    where it watches files (VS Code, Emacs), noticed by the server where it cannot (Neovim)."""
    session.open(BROKEN)
    await session.diagnostics()
    assert session.watching == (session.encoding != types.PositionEncodingKind.Utf8)  # all but Neovim watch
    changed = session.changed_on_disk

    config = session.folder / "pyproject.toml"
    config.write_text('[tool.medlint]\nignore = ["ML104"]\n', encoding="utf-8")
    changed(config, types.FileChangeType.Created)
    found = await session.diagnostics(lambda found: "ML104" not in {d.code for d in found})
    assert [d.code for d in found] == ["ML304", "ML302"]

    sibling = session.folder / "records" / "zolgensma" / "other-indication.yaml"
    sibling.write_text(BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: zolgensma/other-indication")
                       .replace("drug_class: AAV9-based gene therapy", "drug_class: AAV9-based gene therapy."),
                       encoding="utf-8")  # a tie, which the other spelling wins (the greater string)
    changed(sibling, types.FileChangeType.Created)
    found = await session.diagnostics(lambda found: "ML112" in {d.code for d in found})
    assert [d.code for d in found] == ["ML112", "ML304", "ML302"]
    assert found[0].message.startswith("`drug.drug_class` is `AAV9-based gene therapy` here but "
                                       "`AAV9-based gene therapy.` in records/zolgensma/other-indication.yaml")

    config.write_text('[tool.medlint]\nignore = ["ML1O4"]\n', encoding="utf-8")  # a typo: the author is told
    changed(config)
    found = await session.diagnostics(lambda found: len(found) == 1 and found[0].code is None)
    assert found[0].range == line_range(0, 0, 0) and "unknown rule(s) ML1O4" in found[0].message


@EVERY_CLIENT
async def test_a_dose_limit_table_on_disk_rechecks_open_records(session: Session) -> None:
    """The limits rules read limits/<drug>.yaml from disk, as `medlint check` does: a table added, changed or
    removed takes effect on the open record of its drug without an edit."""
    session.open(BASE.replace("value: 1.1e14", "value: 1.1e15"))
    assert [d.code for d in await session.diagnostics()] == ["ML313"]  # the text disagrees; no table yet

    table = session.folder / "limits" / "zolgensma.yaml"
    table.parent.mkdir()
    shutil.copyfile(ROOT / "limits" / "zolgensma.yaml", table)
    session.changed_on_disk(table, types.FileChangeType.Created)
    found = await session.diagnostics(lambda found: "ML804" in {d.code for d in found})
    assert [d.code for d in found] == ["ML804", "ML313"] and "limits/zolgensma.yaml" in found[0].message

    table.write_text(table.read_text(encoding="utf-8").replace("hard: 1.1e14", "hard: 1.1e15"), encoding="utf-8")
    session.changed_on_disk(table)
    found = await session.diagnostics(lambda found: "ML804" not in {d.code for d in found})
    assert [d.code for d in found] == ["ML313"]

    table.write_text("schema_version: 1\nlimits: [\n", encoding="utf-8")  # a broken table: the record is told
    session.changed_on_disk(table)
    found = await session.diagnostics(lambda found: "ML806" in {d.code for d in found})
    assert [d.code for d in found] == ["ML806", "ML313"]

    table.unlink()
    session.changed_on_disk(table, types.FileChangeType.Deleted)
    found = await session.diagnostics(lambda found: "ML806" not in {d.code for d in found})
    assert [d.code for d in found] == ["ML313"]


async def test_odd_requests_do_not_end_the_session(session: Session) -> None:
    unknown = types.TextDocumentIdentifier(uri=(session.folder / "nowhere.yaml").as_uri())
    far = types.Position(line=10**6, character=10**6)
    assert await session.client.text_document_hover_async(types.HoverParams(text_document=unknown, position=far)) \
        is None
    session.client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=unknown.uri, version=9),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="x")]))
    workflow = (session.folder / ".github" / "workflows" / "ci.yml").as_uri()  # YAML, but not a record
    session.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=workflow, language_id="yaml", version=1, text="on: push\njobs: {}\n")))
    session.open(BROKEN)
    await session.diagnostics()
    assert workflow not in session.client.diagnostics
    for at in (far, types.Position(line=63, character=10**6)):
        await session.client.text_document_hover_async(types.HoverParams(text_document=session.document(),
                                                                          position=at))
        await session.client.text_document_completion_async(types.CompletionParams(
            text_document=session.document(), position=at))
        await session.actions(types.Range(start=at, end=types.Position(line=0, character=0)))
    stale = types.CodeAction(title="Fix all", data={"uri": session.uri, "version": -1})
    assert (await session.client.code_action_resolve_async(stale)).edit is None
    junk = types.CodeAction(title="x", data=["not", "a", "mapping"])
    assert (await session.client.code_action_resolve_async(junk)).edit is None
    session.client.text_document_did_change(types.DidChangeTextDocumentParams(  # a range past the end
        text_document=types.VersionedTextDocumentIdentifier(uri=session.uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=far, end=far), text="x: [")]))
    session.client.diagnostics.pop(session.uri, None)
    found = await session.diagnostics()
    assert [d.code for d in found] == ["ML001"]  # the text as edited: `x: [` at its end does not parse


async def test_the_baseline_the_config_names_rechecks_open_records(session: Session,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A baseline named by the config (not by `--baseline`) hides what it accepts, as in `medlint check`;
    written on disk, it takes effect without an edit."""
    (session.folder / RECORD).write_text(BROKEN, encoding="utf-8")
    (session.folder / "medlint.toml").write_text('baseline = "accepted.json"\n', encoding="utf-8")
    monkeypatch.chdir(session.folder)
    assert main(["baseline", "--today", TODAY.isoformat(), "-q", str(RECORD)]) == 0
    session.open(BROKEN)
    assert list(await session.diagnostics()) == []
    accepted = session.folder / "accepted.json"
    kept = json.loads(accepted.read_text(encoding="utf-8"))
    kept["entries"] = [entry for entry in kept["entries"] if entry["code"] != "ML104"]
    accepted.write_text(json.dumps(kept), encoding="utf-8")
    session.changed_on_disk(accepted)
    found = await session.diagnostics(lambda found: bool(found))
    assert [d.code for d in found] == ["ML104"]
