"""Reporters: pure functions from a run's findings to text, one module per format, one table."""
from __future__ import annotations

from collections.abc import Callable

from . import json_format, text
from . import github, gitlab, junit, markdown, sarif
from . import editors_markdown, html, queue_csv
from .base import Report
from .editors import EditorsReport

Reporter = Callable[[Report], str]

FORMATS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
    # CI: one run can write several of these (`--output-format FMT:FILE`); see docs/ci.md
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "markdown": markdown.render,
}

# `medlint report`: the editors' view of the corpus (findings plus the review queue)
EditorsReporter = Callable[[EditorsReport], str]

EDITORS_FORMATS: dict[str, EditorsReporter] = {
    "html": html.render,
    "markdown": editors_markdown.render,
    "csv": queue_csv.render,
}

__all__ = ["EDITORS_FORMATS", "FORMATS", "EditorsReport", "EditorsReporter", "Report", "Reporter"]
