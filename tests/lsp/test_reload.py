"""Rule files edited while the server runs: the rules are compiled again and open records checked again.

A rule file saved, changed, created or deleted (reported by the client's file watcher, or by didSave of the
open file, or noticed by the poll where the client cannot watch) takes effect at once. A rule file that does
not compile is shown where it is wrong (a diagnostic on it, at the line and column `medlint check` prints)
and in a message; meanwhile the last rules that compiled go on checking open records.
"""
from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from lsp_support import RECORD, Wire, handle, started, workspace
from lsprotocol import types
from styles_support import rule, write
from support import BASE, TODAY, merge

from medlint import config as config_mod
from medlint.cli import main
from medlint.lsp import server as server_mod
from medlint.lsp.analysis import Project, Settings, analyse, surroundings

TEXT = merge("summary: Give the medication once.\n", BASE)[0]
BROKEN = "kind: substitution\nswap:\n  medication: [unclosed\n"  # medlint check: plain-words.yaml:4:1


def swap(good: str) -> str:
    return f"kind: substitution\nswap:\n  medication: {good}\n"


async def settle() -> None:
    await asyncio.sleep(server_mod.DEBOUNCE_SECONDS * 4)


def house(wire: Wire, uri: str) -> list[str]:
    """The house findings last published for `uri`, or the reason it could not be checked."""
    return [found["message"].split("\nhint: ")[0] for found in wire.published(uri)[-1]["diagnostics"]
            if str(found.get("code", "")).startswith("house/") or found.get("code") is None]


def on_file(wire: Wire, path: Path) -> list[tuple[int, int, str]]:
    """What was last published on a rule file: (line, character, message) of each diagnostic."""
    return [(found["range"]["start"]["line"], found["range"]["start"]["character"], found["message"])
            for found in wire.published(path.as_uri())[-1]["diagnostics"]]


def event(server: server_mod.MedlintServer, path: Path, kind: types.FileChangeType) -> None:
    handle(server, types.WORKSPACE_DID_CHANGE_WATCHED_FILES, types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=path.as_uri(), type=kind)]))


def cli_error(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """The error `medlint check` stops with (exit 2), without its `medlint: error: ` prefix."""
    with monkeypatch.context() as patch:
        patch.chdir(folder)
        assert main(["check", "--today", TODAY.isoformat(), str(RECORD)]) == 2
    return capsys.readouterr().err.strip().removeprefix("medlint: error: ")


def start(folder: Path) -> tuple[server_mod.MedlintServer, Wire, str]:
    server, wire = started(folder, "visual-studio-code")
    handle(server, types.INITIALIZED, types.InitializedParams())
    uri = (folder / RECORD).as_uri()
    handle(server, types.TEXT_DOCUMENT_DID_OPEN, types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=TEXT)))
    return server, wire, uri


def test_edited_broken_fixed_and_deleted_rule_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = workspace(tmp_path, TEXT)
    path = rule(folder, "plain-words", swap("medicine"))
    bad = "`medication` in summary: the house style writes `{}`"

    async def session() -> None:
        server, wire, uri = start(folder)
        watchers = [w["globPattern"] for m in wire.messages if m.get("method") == "client/registerCapability"
                    for r in m["params"]["registrations"] for w in r["registerOptions"]["watchers"]]
        assert {"**/*.yaml", "**/*.yml", "**/styles"} <= set(watchers)
        await settle()
        assert house(wire, uri) == [bad.format("medicine")]

        rule(folder, "plain-words", swap("drug"))  # changed on disk: the client's watcher reports it
        event(server, path, types.FileChangeType.Changed)
        await settle()
        assert house(wire, uri) == [bad.format("drug")]

        write(folder, "styles/plain-words.yaml", BROKEN)  # a half-written save
        event(server, path, types.FileChangeType.Changed)
        await settle()
        error = cli_error(folder, monkeypatch, capsys)
        assert error == f"{path}:4:1: invalid YAML: did not find expected ',' or ']'"
        assert wire.shown()[-1] == (1, "medlint: a rule file does not compile; open records are checked with the "
                                       f"rules as they were before it changed, until it is fixed: {error}")
        assert on_file(wire, path) == [(3, 0, "invalid YAML: did not find expected ',' or ']'")]
        assert house(wire, uri) == [bad.format("drug")]  # the last rules that compiled
        shown = len(wire.shown())
        handle(server, types.TEXT_DOCUMENT_DID_CHANGE, types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=TEXT + "\n")]))
        await settle()
        assert len(wire.shown()) == shown and house(wire, uri) == [bad.format("drug")]  # said once

        rule(folder, "plain-words", swap("remedy"))  # fixed, and saved in the editor
        handle(server, types.TEXT_DOCUMENT_DID_SAVE, types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri())))
        await settle()
        assert house(wire, uri) == [bad.format("remedy")]
        assert on_file(wire, path) == []
        assert wire.shown()[-1] == (3, "medlint: the rule files compile again; open records are checked with them")

        rule(folder, "no-give", "kind: existence\ntokens: [give the]\n")  # a new rule file
        event(server, folder / "styles" / "no-give.yaml", types.FileChangeType.Created)
        await settle()
        assert house(wire, uri) == ["`Give the` in summary: the house style does not use it", bad.format("remedy")]

        shutil.rmtree(folder / "styles")  # the folder deleted: one event, for the folder
        event(server, folder / "styles", types.FileChangeType.Deleted)
        await settle()
        assert house(wire, uri) == []
        assert [message for kind, message in wire.shown() if kind == 1] == [
            "medlint: a rule file does not compile; open records are checked with the rules as they were before it "
            f"changed, until it is fixed: {error}"]

    asyncio.run(session())


def test_a_rule_file_broken_from_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """No rules ever compiled: records say why they are not checked, as `medlint check` stops."""
    folder = workspace(tmp_path, TEXT)
    (folder / "medlint.toml").write_text('vale-styles = "vale"\n', encoding="utf-8")
    path = write(folder, "vale/Team/Wordy.yml", "extends: existence\ntokens: [once]\nlevel: fatal\n")

    async def session() -> None:
        server, wire, uri = start(folder)
        await settle()
        error = cli_error(folder, monkeypatch, capsys)
        assert error == f"{path}:3:8: `level` must be one of error, warning, suggestion (`level`)"
        assert wire.shown() == [(1, f"medlint cannot check records until this rule file is fixed: {error}")]
        assert on_file(wire, path) == [(2, 7, "`level` must be one of error, warning, suggestion (`level`)")]
        assert house(wire, uri) == [f"medlint cannot check this file: {error}"]

        write(folder, "vale/Team/Wordy.yml", "extends: existence\ntokens: [Give the]\nlevel: error\n")
        event(server, path, types.FileChangeType.Changed)
        await settle()
        assert [d["code"] for d in wire.published(uri)[-1]["diagnostics"]] == ["vale/Team.Wordy"]
        assert on_file(wire, path) == []

    asyncio.run(session())


def test_the_poll_notices_rule_files_where_the_client_cannot_watch(tmp_path: Path) -> None:
    """A check's surroundings hold the rule files: one added, changed or deleted makes the check stale."""
    folder = workspace(tmp_path, TEXT)
    project = Project(Settings(TODAY))
    first = surroundings(folder / RECORD, folder, project)
    path = rule(folder, "plain-words", swap("medicine"))
    added = surroundings(folder / RECORD, folder, project)
    rule(folder, "plain-words", swap("remedy"))
    changed = surroundings(folder / RECORD, folder, project)
    path.unlink()
    assert len({first, added, changed, surroundings(folder / RECORD, folder, project)}) == 4


def test_a_project_compiles_the_rules_again_only_when_a_rule_file_changed(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = workspace(tmp_path, TEXT)
    rule(folder, "plain-words", swap("medicine"))
    project = Project(Settings(TODAY))
    compiled: list[Path | None] = []
    load = config_mod.load

    def counted(path: Path | None, **options: Any) -> config_mod.Config:
        compiled.append(path)
        return load(path, **options)

    monkeypatch.setattr(config_mod, "load", counted)
    first = project.config(folder)
    assert project.config(folder) is first and len(compiled) == 1
    rule(folder, "plain-words", swap("remedy"))
    assert project.config(folder) is not first and len(compiled) == 2
    found = analyse(TEXT, folder / RECORD, folder, project)
    assert [f.message for f in found.findings if f.code.startswith("house/")] == [
        "`medication` in summary: the house style writes `remedy`"]
