"""`medlint schema`: the record schema for tools that validate YAML without medlint (yaml-language-server)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import ROOT

from medlint.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["schema", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_the_record_schema_and_where_it_is_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys)
    assert code == 0 and out == (ROOT / "schemas" / "record.schema.json").read_text(encoding="utf-8")
    assert json.loads(out)["title"] == "Drug-indication record"
    code, out, _ = run(capsys, "--path")
    installed = Path(out.rstrip("\n"))
    assert code == 0 and out.count("\n") == 1 and installed.is_absolute()
    assert installed.read_bytes() == (ROOT / "schemas" / "record.schema.json").read_bytes()


def test_a_configured_schema_is_the_one_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "medlint.toml").write_text('schema = "house/record.schema.json"\n', encoding="utf-8")
    code, out, err = run(capsys, "--path")
    assert code == 0 and out == f"{tmp_path.resolve() / 'house' / 'record.schema.json'}\n"
    code, out, err = run(capsys)
    assert code == 2 and out == "" and "cannot read the schema" in err and err.count("\n") == 1
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "record.schema.json").write_text('{"type": "object"}\n', encoding="utf-8")
    assert run(capsys) == (0, '{"type": "object"}\n', "")


def test_a_schema_that_is_not_json_is_not_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "medlint.toml").write_text('schema = "bad.json"\n', encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"title": "\x1b[2J"}\n', encoding="utf-8")
    code, out, err = run(capsys)
    assert code == 2 and out == "" and "cannot read the schema" in err


def test_a_configured_schema_and_its_name_print_clean_for_a_terminal(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A repository's config can name any file: its name and the characters in its strings that drive a
    terminal or hide text (C1 controls, bidi overrides; JSON allows them raw) are printed as escapes, and the
    text printed is still the same JSON."""
    monkeypatch.chdir(tmp_path)
    name = "house\x1b]0;title\x07\u202e.json"
    (tmp_path / "medlint.toml").write_text(json.dumps({"schema": name}).replace('{"schema": ', "schema = ")[:-1]
                                           + "\n", encoding="utf-8")
    text = '{"title": "a\x9b31m\x85\u2028\u202e\u2066b", "type": "object"}\n'
    (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = run(capsys)
    assert code == 0 and err == "" and json.loads(out) == json.loads(text)
    assert out == '{"title": "a\\u009b31m\\u0085\\u2028\\u202e\\u2066b", "type": "object"}\n'
    code, out, err = run(capsys, "--path")
    assert code == 0 and out == f"{tmp_path.resolve()}/house\\x1b]0;title\\x07\\u202e.json\n"
