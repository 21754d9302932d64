"""The language server is an extra: nothing else imports it, and without it `medlint lsp` says what to install."""
from __future__ import annotations

import subprocess
import sys
import tomllib

from support import BASE_PATH, ROOT

SERVER_PACKAGES = ("pygls", "lsprotocol", "cattrs")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_medlint_check_does_not_import_the_server_packages() -> None:
    """They cost ~0.6 s to import; the pre-commit hook runs `medlint check` on every commit."""
    result = _python("import sys; from medlint.cli import main\n"
                     f"main(['check', '--no-cache', '--today', '2026-11-25', 'records'])\n"
                     f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SERVER_PACKAGES!r}))")
    assert result.stdout.splitlines()[-1] == "[]", result.stderr
    assert BASE_PATH.startswith("records/")


def test_without_the_extra_medlint_lsp_says_what_to_install() -> None:
    result = _python("import sys; sys.modules['pygls'] = None\n"
                     "from medlint.cli import main; sys.exit(main(['lsp']))")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "medlint: error: `medlint lsp` needs the language-server packages: " \
                            "pip install 'medlint[lsp]'\n"


def test_the_extra_and_the_test_tools_are_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert {item.split(">")[0].split("=")[0] for item in extras["lsp"]} == {"pygls", "lsprotocol"}
    assert "medlint[lsp]" in extras["test"] and any(item.startswith("pytest-lsp") for item in extras["test"])
    assert not any(item.startswith(("pygls", "lsprotocol")) for item in project["dependencies"])
