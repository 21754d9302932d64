"""Reporters: pure functions from a run's findings to text, one module per format, one table."""
from __future__ import annotations

from collections.abc import Callable

from . import json_format, text
from .base import Report

Reporter = Callable[[Report], str]

FORMATS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_format.render,
}

__all__ = ["FORMATS", "Report", "Reporter"]
