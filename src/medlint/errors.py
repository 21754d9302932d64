"""The base of every error the user must correct (a configuration, a schema, a baseline, git, a command
line, a record `medlint new` cannot start): the CLI reports it as one clear message and exits 2."""
from __future__ import annotations


class UserError(Exception):
    """An error the user must correct: reported as `medlint: error: <message>`, exit code 2."""
