"""The registry: one explicit tuple of every rule, looked up by code or name."""
from __future__ import annotations

from collections.abc import Iterable

from ..suggest import did_you_mean
from . import corpus, limits, loading, meta, population, readability, review, sections, structure, text, units
from .base import Rule

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
    *limits.RULES,
    *meta.RULES,
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(rule.family for rule in RULES))


def lookup(key: str) -> Rule | None:
    """A rule by code (`ML301`, any case) or name (`error-prone-unit`)."""
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


def matching(selector: str) -> list[Rule]:
    """Rules a selector names: a code, a name, a code prefix (`ML3`), a family, or `ALL`."""
    rule = lookup(selector)
    if rule is not None:
        return [rule]
    upper = selector.upper()
    if upper == "ALL":
        return list(RULES)
    return [r for r in RULES if r.code.startswith(upper) or r.family == selector.lower()]


def expand(selectors: Iterable[str]) -> tuple[set[str], list[str]]:
    """Codes named by the selectors, and the selectors that name no rule."""
    codes: set[str] = set()
    unknown: list[str] = []
    for selector in selectors:
        found = matching(selector)
        if not found:
            unknown.append(selector)
        codes.update(rule.code for rule in found)
    return codes, unknown


def suggestion(selector: str) -> str:
    """`did you mean ...?` for a selector that names no rule: the closest code, name or family."""
    return did_you_mean(selector, [*BY_CODE, *BY_NAME, *FAMILIES])
