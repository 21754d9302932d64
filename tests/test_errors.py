"""Every error the user must correct is a UserError, and the CLI reports any UserError the same way."""
from __future__ import annotations

import argparse

import pytest

from medlint import baseline, changes, cli, config, scaffold, schema
from medlint.errors import UserError


@pytest.mark.parametrize("error", [cli.UsageError, config.ConfigError, schema.SchemaError, baseline.BaselineError,
                                   changes.GitError, scaffold.ScaffoldError])
def test_the_errors_the_cli_reports_are_user_errors(error: type[Exception]) -> None:
    assert issubclass(error, UserError)


def test_a_user_error_from_any_command_is_one_escaped_line_and_exit_2(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def failing(args: argparse.Namespace) -> int:
        raise changes.GitError("no such revision: `main\x1b[2J`")

    monkeypatch.setitem(cli.COMMANDS, "rules", failing)
    assert cli.main(["rules"]) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "medlint: error: no such revision: `main\\x1b[2J`\n"
