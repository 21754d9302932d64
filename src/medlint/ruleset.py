"""The rules of one run, compiled from the configuration (config.compile_rules): which rules run, at which
severity, with which options, and where not. The engine reads nothing else about rules."""
from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import Severity
from .rules import BUILTIN, meta
from .rules.base import Rule
from .rules.registry import Registry

# A rule that crashed checked nothing: ML900 says so and cannot be turned off, lowered to a warning or
# suppressed (engine.UNSUPPRESSIBLE), or a crash would pass as a clean record.
INTERNAL_ERROR = meta.INTERNAL_ERROR.code


@dataclass(frozen=True)
class RuleSet:
    registry: Registry  # every rule the run knows: the built-in ones and those the run added
    enabled: frozenset[str]
    severity: Mapping[str, Severity]  # code -> severity, where the configuration changed it
    options: Mapping[str, Any]  # code -> the rule's options (an instance of its options class), where configured
    per_path_ignores: tuple[tuple[str, frozenset[str]], ...] = ()

    def rule(self, code: str) -> Rule:
        return self.registry.by_code[code]

    def is_enabled(self, code: str, path: str = "") -> bool:
        if code == INTERNAL_ERROR:
            return True
        if code not in self.enabled:
            return False
        return not any(code in codes and fnmatch.fnmatch(path, pattern) for pattern, codes in self.per_path_ignores)

    def severity_of(self, code: str) -> Severity:
        return self.severity.get(code) or self.registry.by_code[code].severity

    def options_of(self, code: str) -> Any:
        found = self.options.get(code)
        return found if found is not None else self.registry.by_code[code].defaults()

    def active(self, path: str = "") -> tuple[Rule, ...]:
        """The rules that run on the file at `path` (relative to the config's folder), in registry order."""
        return tuple(rule for rule in self.registry.rules if self.is_enabled(rule.code, path))

    def key(self) -> str:
        """Everything here that changes findings, for cache keys."""
        return repr((sorted(self.enabled), sorted(self.severity.items()), self.per_path_ignores,
                     sorted((code, repr(options)) for code, options in self.options.items()),
                     [rule.code for rule in self.registry.rules[len(BUILTIN.rules):]]))


DEFAULT = RuleSet(BUILTIN, frozenset(rule.code for rule in BUILTIN.rules if rule.default_enabled), {}, {})
