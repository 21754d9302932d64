"""A team's Vale rules (existence, substitution) run on records; what medlint cannot honour is an error."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from styles_support import RECORD, project, run, write
from support import BASE, merge

CONFIG = 'vale-styles = "vale"\n'


def vale(root: Path, name: str, text: str) -> Path:
    return write(root, f"vale/Team/{name}.yml", text)


def check(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(capsys, "check", "--select", "vale", "--output-format", "json")
    assert code in (0, 1), err
    found: list[dict[str, object]] = json.loads(out)["findings"]
    return found


def test_existence_with_vale_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, merge("summary: Arguably it works; arguably not. It might be said so.\n", BASE)[0],
            CONFIG)
    vale(tmp_path, "Hedging", "extends: existence\nmessage: \"Avoid '%s'.\"\nlevel: error\n"
                              "tokens:\n  - arguably\n  - 'it (?:could|might) be said'\n")
    found = check(capsys)
    # ignorecase is off unless asked for, as in Vale
    assert [(f["code"], f["name"], f["severity"], f["message"]) for f in found] == [
        ("vale/Team.Hedging", "team-hedging", "error", "Avoid 'arguably'.")]


def test_existence_ignorecase_and_nonword(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, merge("summary: Arguably a premedication.\n", BASE)[0], CONFIG)
    vale(tmp_path, "Hedging", "extends: existence\nmessage: \"Avoid '%s'.\"\nignorecase: true\n"
                              "tokens: [arguably]\n")
    vale(tmp_path, "Inside", "extends: existence\nnonword: true\ntokens: [medication]\nlevel: warning\n")
    found = check(capsys)
    assert [(f["code"], f["severity"], f["message"]) for f in found] == [
        ("vale/Team.Hedging", "warning", "Avoid 'Arguably'."),  # level: suggestion is a warning
        ("vale/Team.Inside", "warning", "`medication` in summary: the house style does not use it")]


def test_substitution_message_order_choices_and_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    text = merge("summary: In order to help, a number of doses are given prior to surgery.\n", BASE)[0]
    root = project(tmp_path, monkeypatch, text, CONFIG)
    vale(root, "Wordy", "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nignorecase: true\n"
                        "link: https://example.org/wordy\nswap:\n  in order to: to\n  prior to: before\n"
                        "  a number of: some|several\n")
    found = check(capsys)
    assert [(f["message"], f.get("fixable", False)) for f in found] == [
        ("Use 'To' instead of 'In order to'.", True), ("Use 'some or several' instead of 'a number of'.", False),
        ("Use 'before' instead of 'prior to'.", True)]
    assert run(capsys, "fix", "--select", "vale")[0] == 0
    assert (root / RECORD).read_text(encoding="utf-8") == text.replace("In order to help", "To help") \
        .replace("prior to", "before")
    code, out, _ = run(capsys, "explain", "vale/Team.Wordy")
    assert code == 0 and "- https://example.org/wordy" in out and "Family: vale." in out


@pytest.mark.parametrize(("text", "where", "message"), [
    ("extends: occurrence\nmax: 3\ntoken: [a]\n", "1:10", "`extends: occurrence` is not supported"),
    ("extends: existence\ntokens: [a]\nraw: ['b']\n", "3:1", "the Vale setting `raw` is not supported"),
    ("extends: existence\ntokens: [a]\nexceptions: [b]\n", "3:1", "the Vale setting `exceptions` is not supported"),
    ("extends: substitution\nswap: {a: b}\ncapitalize: true\n", "3:1", "the Vale setting `capitalize`"),
    ("extends: substitution\nswap:\n  'within the (.*)?dir': in the $1 dir\n", "3:26", "capture groups"),
    ("extends: existence\nscope: heading\ntokens: [a]\n", "2:8", "only `scope: text` is supported"),
    ("extends: existence\nlevel: fatal\ntokens: [a]\n", "2:8", "`level` must be one of error, warning, suggestion"),
    ("extends: existence\ntokens: ['(a|aa)+(b+)+']\n", "2:10", "a quantifier inside a quantified group"),
    ("extends: existence\nmessage: '%s %s'\ntokens: [a]\n", "2:10", "the message has 2 `%s`"),
    ("extends: existence\n", "1:1", "an existence rule needs `tokens`"),
])
def test_unsupported_or_wrong_vale_rule_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], text: str, where: str,
                                                message: str) -> None:
    project(tmp_path, monkeypatch, config=CONFIG)
    path = vale(tmp_path, "Broken", text)
    code, _out, err = run(capsys, "check")
    assert code == 2 and err.startswith(f"medlint: error: {path.resolve()}:{where}: ") and message in err, err


def test_scope_text_and_replace_action_are_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, merge("summary: Prior to it.\n", BASE)[0], CONFIG)
    vale(tmp_path, "Wordy", "extends: substitution\nscope: text\nvocab: false\naction:\n  name: replace\n"
                            "ignorecase: true\nswap:\n  prior to: before\n")
    assert [f["message"] for f in check(capsys)] == ["`Prior to` in summary: the house style writes `Before`"]
