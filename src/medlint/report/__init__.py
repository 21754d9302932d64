"""Reporters: pure functions from a run's findings to text, one module per format, one table."""
from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from .base import Report

if TYPE_CHECKING:
    from .editors import EditorsReport

T = TypeVar("T")


class FormatTable(Mapping[str, T]):
    """Format name -> the `render` function of its module, imported on first use: a pre-commit run
    that prints text should not pay for loading the HTML, SARIF and JUnit writers."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> T:
        render: T = importlib.import_module(f"{__name__}.{self._modules[name]}").render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


Reporter = Callable[[Report], str]

FORMATS: FormatTable[Reporter] = FormatTable({
    "text": "text",
    "json": "json_format",
    # CI: one run can write several of these (`--output-format FMT:FILE`); see docs/ci.md
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
    "markdown": "markdown",
})

# `medlint report`: the editors' view of the corpus (findings plus the review queue)
EditorsReporter = Callable[["EditorsReport"], str]

EDITORS_FORMATS: FormatTable[EditorsReporter] = FormatTable({
    "html": "html",
    "markdown": "editors_markdown",
    "csv": "queue_csv",
})



def __getattr__(name: str) -> Any:
    """`EditorsReport`, imported on first use: its module brings the review queue and git history, which
    `medlint check` does not need."""
    if name == "EditorsReport":
        from .editors import EditorsReport

        return EditorsReport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["EDITORS_FORMATS", "FORMATS", "EditorsReport", "EditorsReporter", "FormatTable", "Report", "Reporter"]
