"""A registry: rules looked up by code, name, code prefix or family. The built-in one is `rules.BUILTIN`;
a run's (config.Config.rules) adds the rules it was given (house rules, plugins)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..suggest import did_you_mean
from .base import Rule


class Registry:
    """Rules in a fixed order; a code or a name names one rule, in any case."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.by_code: dict[str, Rule] = {rule.code: rule for rule in self.rules}
        self.by_name: dict[str, Rule] = {rule.name: rule for rule in self.rules}
        self.families: tuple[str, ...] = tuple(dict.fromkeys(rule.family for rule in self.rules))
        self._folded = {rule.code.lower(): rule for rule in self.rules}
        clashes = [f"{rule.code} ({rule.name})" for rule in self.rules
                   if self._folded[rule.code.lower()] is not rule or self.by_name[rule.name] is not rule]
        if clashes:
            raise ValueError(f"a rule takes a code or a name already in use: {', '.join(clashes)}")

    def extended(self, extra: Iterable[Rule]) -> Registry:
        """This registry with `extra` rules after its own; ValueError when one takes a code or name in use."""
        extra = tuple(extra)
        return Registry((*self.rules, *extra)) if extra else self

    def lookup(self, key: str) -> Rule | None:
        """A rule by code (`ML301`, any case) or name (`error-prone-unit`)."""
        return self._folded.get(key.lower()) or self.by_name.get(key.lower())

    def matching(self, selector: str, selecting: bool = False) -> list[Rule]:
        """Rules a selector names: a code, a name, a code prefix (`ML3`), a family, or `ALL`. When
        `selecting` (turning rules on), a prefix or `ALL` leaves out the opt-in rules: those run only when
        their code, name or family is named."""
        rule = self.lookup(selector)
        if rule is not None:
            return [rule]
        folded = selector.lower()
        if folded == "all":
            return [r for r in self.rules if r.default_enabled or not selecting]
        return [r for r in self.rules if r.family == folded
                or (r.code.lower().startswith(folded) and (r.default_enabled or not selecting))]

    def expand(self, selectors: Iterable[str], selecting: bool = False) -> tuple[set[str], list[str]]:
        """Codes named by the selectors, and the selectors that name no rule."""
        codes: set[str] = set()
        unknown: list[str] = []
        for selector in selectors:
            found = self.matching(selector, selecting)
            if not found and not self.matching(selector):
                unknown.append(selector)
            codes.update(rule.code for rule in found)
        return codes, unknown

    def suggestion(self, selector: str) -> str:
        """`did you mean ...?` for a selector that names no rule: the closest code, name or family."""
        return did_you_mean(selector, [*self.by_code, *self.by_name, *self.families])
