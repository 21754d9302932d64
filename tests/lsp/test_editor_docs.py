"""docs/editors.md: every snippet parses, names a real medlint command, and points at files that exist."""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from support import ROOT

from medlint import schema
from medlint.cli.parser import build as build_parser
from medlint.lsp import actions

DOC = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
FENCES = re.findall(r"^```(\w+)\n(.*?)^```$", DOC, re.S | re.M)


def blocks(language: str) -> list[str]:
    return [body for kind, body in FENCES if kind == language]


def runs(argv: list[str]) -> str:
    """The medlint subcommand `argv` (after `medlint`) runs; argparse exits on anything it does not take."""
    return str(build_parser().parse_args(argv).command)


def test_every_editor_has_a_snippet() -> None:
    assert {kind for kind, _ in FENCES} == {"json", "lua", "toml", "elisp", "yaml"}
    for heading in ("## VS Code", "## Neovim", "## Helix", "## Emacs (eglot)"):
        assert heading in DOC


def test_vs_code_settings_parse_and_start_the_server() -> None:
    [settings] = [json.loads(body) for body in blocks("json")]
    assert settings["glspc.server.command"] == "medlint"
    assert runs(settings["glspc.server.commandArguments"]) == "lsp"
    assert settings["glspc.server.languageId"] == ["yaml"]
    assert list(settings["[yaml]"]["editor.codeActionsOnSave"]) == [actions.FIX_ALL]
    _check_schema_association(settings["yaml.schemas"])


def test_helix_languages_parse_and_start_the_server() -> None:
    [config] = [tomllib.loads(body) for body in blocks("toml")]
    server = config["language-server"]["medlint"]
    assert server["command"] == "medlint" and runs(server["args"]) == "lsp"
    [yaml] = config["language"]
    assert yaml["name"] == "yaml" and yaml["language-servers"] == ["yaml-language-server", "medlint"]
    _check_schema_association(config["language-server"]["yaml-language-server"]["config"]["yaml"]["schemas"])


def test_neovim_snippets_start_the_server() -> None:
    server, yamlls = blocks("lua")
    for body in (server, yamlls):
        assert body.count("(") == body.count(")") and body.count("{") == body.count("}")
    [command] = re.findall(r"cmd = \{ (.*?) \}", server)
    words = re.findall(r"'([^']*)'", command)
    assert words[0] == "medlint" and runs(words[1:]) == "lsp"
    assert "vim.lsp.enable('medlint')" in server and "vim.lsp.config('medlint'" in server
    [(path, glob)] = re.findall(r"\['([^']+)'\] = '([^']+)'", yamlls)
    _check_schema_association({path: glob})
    assert f"only = {{ '{actions.FIX_ALL}' }}" in DOC


def test_eglot_snippet_starts_the_server() -> None:
    [body] = blocks("elisp")
    assert body.count("(") == body.count(")")
    [program] = re.findall(r"\. \((\"medlint\"[^)]*)\)", body)
    words = re.findall(r'"([^"]*)"', program)
    assert words[0] == "medlint" and runs(words[1:]) == "lsp"


def test_the_schema_comment_points_at_the_schema_from_a_record() -> None:
    [body] = blocks("yaml")
    [relative] = re.findall(r"\$schema=(\S+)", body)
    record_folder = ROOT / "records" / "zolgensma"
    assert (record_folder / relative).resolve().read_bytes() == schema.packaged_schema_path().read_bytes()


def _check_schema_association(association: dict[str, str]) -> None:
    [(path, glob)] = association.items()
    assert (ROOT / path).read_bytes() == schema.packaged_schema_path().read_bytes()
    matched = {p.relative_to(ROOT) for p in ROOT.glob(glob)}
    assert matched == {p.relative_to(ROOT) for p in (ROOT / "records").rglob("*.yaml")} and matched


@pytest.mark.parametrize("line", re.findall(r"^ {4}(medlint .*)$", DOC, re.M) +
                         re.findall(r"`(medlint [a-z]+[^`]*)`", DOC))
def test_every_command_shown_is_one_medlint_takes(line: str) -> None:
    argv = [word for word in line.split()[1:] if word not in (">", "--help") and not word.endswith(".json")]
    if len(argv) == 1:  # a command named in the prose: it exists
        [commands] = [action for action in build_parser()._subparsers._group_actions]  # type: ignore[union-attr]
        assert argv[0] in commands.choices  # type: ignore[operator]
    else:
        assert runs(argv) == argv[0]


def test_the_speed_figures_come_from_the_benchmark() -> None:
    assert "python bench/lsp_latency.py" in DOC and (ROOT / "bench" / "lsp_latency.py").is_file()
    assert Path("docs/editors.md").name in (ROOT / "README.md").read_text(encoding="utf-8")
