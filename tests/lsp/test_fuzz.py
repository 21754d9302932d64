"""Random edits and requests, driven through the server's own handlers and its JSON-RPC output.

Whatever the author (or a confused client) sends, the server answers every request, logs no failure,
publishes diagnostics that lie inside the text, and ends up reporting exactly what a check of the final
text reports. The server runs in this process, with a writer that collects what it would send over stdio,
so that Hypothesis can try many sessions (tests/lsp/test_server.py drives the real process). The first
failure it found: a hover answered before a debounced check was due cancelled that check's publication.
"""
from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import example, given, settings, strategies as st
from lsp_support import RECORD, handle, started, workspace
from lsprotocol import types
from support import BASE, TODAY

from medlint.lsp import diagnostics, server as server_mod
from medlint.lsp.analysis import Project, Settings, analyse
from medlint.lsp.text import LineIndex

EDITORS = ("visual-studio-code", "neovim@v0.11.0", "emacs")
PIECES = ("route: ", "unit: µg", "value: 1.10", "- ", "  ", "\n", "\r\n", "\r", "#", "# medlint: disable=ML104 -- ",
          "{", "[", "&a ", "*a", "!!python/object ", "<<: ", ":", '"', "'", "|", ">-", "TODO", "ร", "×", "😋", "\ufeff",
          "\u2028", "\x00", "\udc80", "\t", "drug:\n  generic_name: x\n", "IV", "mcg", "10mg", "\x1b[2J")

positions = st.builds(types.Position, line=st.integers(0, 120), character=st.integers(0, 130))
typed = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=4).map("".join)
edits = st.tuples(positions, positions, typed)
operations = st.lists(st.one_of(
    st.tuples(st.just("edit"), edits),
    st.tuples(st.just("replace"), st.sampled_from(PIECES).map(lambda piece: BASE.replace("route: ", piece, 1))),
    st.tuples(st.just("hover"), positions),
    st.tuples(st.just("complete"), positions),
    st.tuples(st.just("actions"), st.tuples(positions, positions, st.sampled_from([None, ["source.fixAll"],
                                                                                   ["quickfix"]]))),
    st.tuples(st.just("settle"), st.none()),
), max_size=8)


async def _session(server: server_mod.MedlintServer, uri: str, steps: list[tuple[str, Any]]) -> None:
    handle(server, types.TEXT_DOCUMENT_DID_OPEN, types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=BASE)))
    document = types.TextDocumentIdentifier(uri=uri)
    for version, (kind, value) in enumerate(steps, 2):
        if kind in ("edit", "replace"):
            change: types.TextDocumentContentChangeEvent
            if kind == "edit":
                start, end, text = value
                change = types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=text)
            else:
                change = types.TextDocumentContentChangeWholeDocument(text=value)
            identifier = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
            handle(server, types.TEXT_DOCUMENT_DID_CHANGE, types.DidChangeTextDocumentParams(
                text_document=identifier, content_changes=[change]))
        elif kind == "hover":
            handle(server, types.TEXT_DOCUMENT_HOVER, types.HoverParams(text_document=document, position=value))
        elif kind == "complete":
            handle(server, types.TEXT_DOCUMENT_COMPLETION, types.CompletionParams(text_document=document,
                                                                                 position=value))
        elif kind == "actions":
            start, end, only = value
            found = handle(server, types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionParams(
                text_document=document, range=types.Range(start=start, end=end),
                context=types.CodeActionContext(diagnostics=[], only=only)))
            for action in found:
                if action.edit is None:
                    handle(server, types.CODE_ACTION_RESOLVE, action)
        else:
            await asyncio.sleep(server_mod.DEBOUNCE_SECONDS * 2)
    await asyncio.sleep(server_mod.DEBOUNCE_SECONDS * 2)


@settings(max_examples=max(settings().max_examples // 4, 1))  # each example is a whole session
@given(steps=operations, editor=st.sampled_from(EDITORS))
@example(steps=[("edit", (types.Position(line=0, character=0), types.Position(line=0, character=1), "")),
                ("hover", types.Position(line=0, character=0))], editor="visual-studio-code")
def test_random_edits_and_requests(tmp_path_factory: Any, steps: list[tuple[str, Any]], editor: str) -> None:
    folder = workspace(tmp_path_factory.mktemp("fuzz"))
    server, wire = started(folder, editor)
    uri = (folder / RECORD).as_uri()
    asyncio.run(_session(server, uri, steps))
    assert wire.failures() == []
    assert all("error" not in message for message in wire.messages)
    text = server.documents[uri].text
    index = LineIndex(text, server.encoding)
    last = wire.published(uri)[-1]
    for found in last["diagnostics"]:
        for end in ("start", "end"):
            at = found["range"][end]
            assert index.position(index.offset(types.Position(**at))) == types.Position(**at)
    analysis = analyse(text, folder / RECORD, folder, Project(Settings(TODAY)))
    expected = server.protocol._converter.unstructure(diagnostics.diagnostics(analysis, index))
    assert last["diagnostics"] == expected
