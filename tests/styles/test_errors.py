"""A mistake in a rule file is a configuration error: exit 2, one line naming the file, line and column."""
from __future__ import annotations

from pathlib import Path

import pytest
from styles_support import DOCS, project, rule, run, write


@pytest.mark.parametrize(("body", "where", "message"), [
    ("kind: existence\ntokens: [a, b\n", "3:5", "expected ',' or ']'"),  # libyaml's words or PyYAML's
    ("kind: existance\ntokens: [a]\n", "1:7", "'existance' is not one of existence, substitution, occurrence, "
                                              "capitalisation (`kind`)"),
    ("kind: existence\ntokenz: [a]\n", "2:1", "unknown setting `tokenz`; did you mean `tokens`?"),
    ("kind: existence\n", "1:1", "missing setting: 'tokens'"),
    ("kind: existence\ntokens: [a]\nswap: {a: b}\n", "1:1", "a rule of kind `existence` takes none of the "
                                                            "settings `swap`"),
    ("kind: occurrence\ntokens: [a]\n", "1:1", "an occurrence rule needs `max` or `min`"),
    ("kind: existence\ntokens: [a]\nmax: 2\n", "1:1", "takes none of the settings"),
    ("kind: existence\ntokens: [a]\ntokens: [b]\n", "3:1", "the key `tokens` appears twice"),
    ("kind: existence\ntokens: [ok, '']\n", "2:14", "should be non-empty"),
    ("kind: existence\ntokens: [a]\nseverity: fatal\n", "3:11", "'fatal' is not one of error, warning"),
    ("kind: existence\ntokens: [a]\nscope: ['sections..faq']\n", "3:9", "is not a field glob"),
    ("kind: existence\ntokens: [a]\nmessage: 'bad {replacement}'\n", "3:10", "the message names {replacement}, "
                                                                            "which this kind does not fill"),
    ("kind: existence\ntokens: [a]\nmessage: 'a { brace'\n", "3:10", "stray brace"),
    ("kind: existence\nregex: true\ntokens: [ok, '(a+)+b']\n", "3:14", "a quantifier inside a quantified group"),
    ("kind: existence\nregex: true\ntokens: ['(a)\\1']\n", "3:10", "backreferences"),
    ("kind: existence\nregex: true\ntokens: ['a[']\n", "3:10", "not a valid regular expression"),
    ("kind: existence\nregex: true\ntokens: ['\\w+\\s+\\w+\\s+\\w+']\n", "3:10", "too many quantifiers in a row"),
    ("kind: substitution\nregex: true\nswap:\n  '(x+)*': y\n", "4:3", "a quantifier inside a quantified group"),
    ("kind: existence\ntokens: [a]\nname: Plain_Words\n", "3:7", "is not a kebab-case name"),
])
def test_broken_rule_file_exits_2_with_its_position(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str], body: str, where: str,
                                                    message: str) -> None:
    project(tmp_path, monkeypatch)
    path = rule(tmp_path, "broken", body)
    code, out, err = run(capsys, "check")
    assert code == 2 and out == ""
    assert err.startswith(f"medlint: error: {path.resolve()}:{where}: ") and message in err, err
    assert err.count("\n") == 1


def test_a_rule_file_is_a_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch)
    path = rule(tmp_path, "broken", "- kind: existence\n", docs="")
    code, _, err = run(capsys, "check")
    assert code == 2 and f"{path.resolve()}:1:1: a rule file is a mapping of settings" in err


def test_broken_docs_are_positioned_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch)
    path = rule(tmp_path, "broken", "kind: existence\ntokens: [a]\n", DOCS.replace("  why:", "  wy:"))
    code, _, err = run(capsys, "check")
    assert code == 2 and f"{path.resolve()}:5:3: unknown setting `wy`; did you mean `why`? (`docs.wy`)" in err


def test_a_file_name_that_is_no_rule_name_needs_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch)
    rule(tmp_path, "Plain Words", "kind: existence\ntokens: [a]\n")
    code, _, err = run(capsys, "check")
    assert code == 2 and "is not a kebab-case rule name; rename the file or give the rule a `name`" in err
    rule(tmp_path, "Plain Words", "kind: existence\ntokens: [a]\nname: plain-words\n")
    assert run(capsys, "check")[0] == 0


@pytest.mark.parametrize(("name", "taken"), [("placeholder-text", "ML201"), ("mojibake", "ML601")])
def test_a_house_rule_may_not_take_a_built_in_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], name: str, taken: str) -> None:
    from medlint import rules

    assert rules.BUILTIN.by_code[taken].name == name
    project(tmp_path, monkeypatch)
    rule(tmp_path, name, "kind: existence\ntokens: [a]\n")
    code, _, err = run(capsys, "check")
    assert code == 2 and f"the rule name `{name}` is taken by {taken}" in err


def test_not_utf8_and_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch)
    path = tmp_path / "styles" / "latin.yaml"
    path.parent.mkdir()
    path.write_bytes("kind: existence\ntokens: [caf\u00e9]\n".encode("latin-1"))
    code, _, err = run(capsys, "check")
    assert code == 2 and f"{path.resolve()}:1:1: the rule file is not UTF-8" in err
    path.write_bytes(b"kind: existence\ntokens: [" + b"a, " * 400_000 + b"b]\n")
    code, _, err = run(capsys, "check")
    assert code == 2 and "more than a rule file holds" in err


def test_styles_setting_must_stay_in_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path / "repo", monkeypatch, config='styles = "../elsewhere"\n')
    write(tmp_path, "elsewhere/x.yaml", "kind: existence\ntokens: [a]\n" + DOCS)
    code, _, err = run(capsys, "check")
    assert code == 2 and "`styles` '../elsewhere'" in err and "outside the project folder" in err
    project(tmp_path / "repo", monkeypatch, config="styles = 3\n")
    assert "`styles` must be a folder path" in run(capsys, "check")[2]
    project(tmp_path / "repo", monkeypatch, config='plugins = "yes"\n')
    assert "`plugins` must be true or false" in run(capsys, "check")[2]


def test_no_styles_folder_is_no_house_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path, monkeypatch, config='styles = "house-style"\n')
    code, out, _ = run(capsys, "check")
    assert code == 0 and "All clear" in out
