"""The registry: one explicit tuple of every built-in rule, looked up by code or name."""
from __future__ import annotations

from . import corpus, limits, literacy, loading, meta, population, readability, review, sections, structure, text, units
from .base import Rule
from .registry import Registry

RULES: tuple[Rule, ...] = (
    *loading.RULES,
    *structure.RULES,
    *corpus.RULES,
    *sections.RULES,
    *units.RULES,
    *population.RULES,
    *review.RULES,
    *text.RULES,
    *readability.RULES,
    *literacy.RULES,
    *limits.RULES,
    *meta.RULES,
)

BUILTIN = Registry(RULES)
