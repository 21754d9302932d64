"""The language server shows house findings, explains them on hover, fixes and suppresses them."""
from __future__ import annotations

import shutil
from pathlib import Path

from lsp_support import check, workspace
from styles_support import EXAMPLE
from support import BASE, merge

from medlint.lsp import actions, help as lsp_help
from medlint.lsp.text import LineIndex

TEXT = merge("summary: Give the medication once.\n", BASE)[0]


def test_house_findings_hover_fix_and_suppression(tmp_path: Path) -> None:
    folder = workspace(tmp_path, TEXT)
    shutil.copytree(EXAMPLE / "styles", folder / "styles")
    analysis = check(TEXT, folder)
    found = [f for f in analysis.findings if f.code.startswith("house/")]
    assert [(f.code, f.message) for f in found] == [("house/plain-words",
                                                     "`medication` in summary: our pages say `medicine`")]
    index = LineIndex(TEXT)
    hover = lsp_help.hover(analysis, index, index.position(TEXT.index("medication") + 2))
    assert hover is not None and "# house/plain-words plain-words" in hover.contents.value  # type: ignore[union-attr]
    assert actions.fixed_text(analysis, found[0]) == TEXT.replace("the medication", "the medicine")
    suppressed = actions.suppressed_text(analysis, found[0])
    assert suppressed is not None and "# medlint: disable=house/plain-words -- " in suppressed
