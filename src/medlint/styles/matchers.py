"""What a house rule does to a record, as picklable values: a run's workers receive them with its config.

Each matcher is a frozen dataclass called as a rule's check: `(record, context) -> hits`. Patterns are
compiled once, when the rule file is read (patterns.compile_safe), and sent to workers as compiled patterns.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import excerpt
from ..model import Hit, Pointer, yaml_path
from ..record import Record
from ..rules.base import RuleContext
from ..rules.fields import replace_fix
from . import fields

_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class Scope:
    """Which texts of which records a rule reads."""

    globs: tuple[fields.Glob, ...] = ()
    when: tuple[tuple[fields.Glob, tuple[Any, ...]], ...] = ()

    def texts(self, record: Record) -> tuple[tuple[Pointer, str], ...]:
        if self.when and not fields.holds(record, dict(self.when)):
            return ()
        return fields.texts(record, self.globs)


@dataclass(frozen=True)
class Prefilter:
    """Words a record must hold for a rule to find anything in it, so that most rules skip most records
    after a set lookup instead of a regular-expression search of every text. `keys` holds, for each of the
    rule's tokens, the case-folded first word (or, `inside`, the text up to its first space, looked for
    inside words); None when a token is a pattern, which has no such word, and the rule always runs."""

    keys: frozenset[str] | None = None
    inside: bool = False

    def admits(self, record: Record) -> bool:
        if self.keys is None:
            return True
        if self.inside:
            text = fields.folded(record)
            return any(key in text for key in self.keys)
        return not self.keys.isdisjoint(fields.words(record))


def _say(template: str, **values: object) -> str:
    """The message with its placeholders filled; the record's text is quoted short and escaped."""
    return template.format_map({key: excerpt.quote(str(value)) if key in ("match", "replacement") else value
                                for key, value in values.items()})


def preserve_case(found: str, replacement: str) -> str:
    """`replacement` in the case `found` was written in: MEDICATION -> MEDICINE, Medication -> Medicine."""
    letters = [char for char in found if char.isalpha()]
    if len(letters) > 1 and all(char.isupper() for char in letters):
        return replacement.upper()
    if letters and found.lstrip()[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@dataclass(frozen=True)
class Existence:
    pattern: re.Pattern[str]
    message: str
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        if not self.prefilter.admits(record):
            return
        for pointer, text in self.scope.texts(record):
            where = yaml_path(pointer)
            for match in self.pattern.finditer(text):
                yield Hit(pointer, _say(self.message, match=match.group(0), field=where),
                          start=match.start(), end=match.end(), subject=match.group(0).casefold())


@dataclass(frozen=True)
class Substitution:
    """`pattern` matches any bad form, each in its group `s<n>`; `goods[n]` are the replacements of the n-th."""

    pattern: re.Pattern[str]
    goods: tuple[tuple[str, ...], ...]
    message: str
    hint: str
    preserve: bool  # keep the case of what was found (the rule ignores case)
    fixable: bool = True
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        if not self.prefilter.admits(record):
            return
        for pointer, text in self.scope.texts(record):
            where = yaml_path(pointer)
            for match in self.pattern.finditer(text):
                found = match.group(0)
                goods = self.goods[int((match.lastgroup or "s0")[1:])]
                shown = [preserve_case(found, good) if self.preserve else good for good in goods]
                replacement = " or ".join(shown)
                fix = None
                if self.fixable and len(shown) == 1 and _same_numbers(found, shown[0]):
                    fix = _fixer(record, pointer, match.start(), match.end(), shown[0], found)
                yield Hit(pointer, _say(self.message, match=found, replacement=replacement, field=where),
                          _say(self.hint, match=found, replacement=replacement, field=where),
                          match.start(), match.end(), subject=found.casefold(), fix=fix)


def _same_numbers(found: str, replacement: str) -> bool:
    """A style fix never changes a number: the digits must stay as they were, in order."""
    return _DIGITS.findall(found) == _DIGITS.findall(replacement)


def _fixer(record: Record, pointer: Pointer, start: int, end: int, new: str, old: str) -> Any:
    return lambda: replace_fix(record, pointer, start, end, new, f"replace `{excerpt.quote(old)}` with "
                                                                  f"`{excerpt.quote(new)}`")


@dataclass(frozen=True)
class Occurrence:
    pattern: re.Pattern[str]
    message: str
    most: int | None
    least: int | None
    per_record: bool
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)  # none when the rule has a `min`: absence counts

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        if not self.prefilter.admits(record):
            return
        texts = self.scope.texts(record)
        groups = [texts] if self.per_record else [(item,) for item in texts]
        for group in groups:
            matches = [(pointer, match) for pointer, text in group for match in self.pattern.finditer(text)]
            count = len(matches)
            where = "the record" if self.per_record else yaml_path(group[0][0]) if group else ""
            if self.most is not None and count > self.most:
                pointer, match = matches[self.most]  # the first one too many
                yield Hit(pointer, _say(self.message, match=match.group(0), field=where, count=count,
                                        max=self.most, min=self.least if self.least is not None else 0),
                          start=match.start(), end=match.end(), subject=f"{count} > {self.most}")
            if self.least is not None and count < self.least and group:
                first = matches[0] if matches else None
                yield Hit(first[0] if first else group[0][0],
                          _say(self.message, match=first[1].group(0) if first else "", field=where, count=count,
                               max=self.most if self.most is not None else "any", min=self.least),
                          start=first[1].start() if first else None, end=first[1].end() if first else None,
                          subject=f"{count} < {self.least}")


@dataclass(frozen=True)
class Capitalisation:
    """`pattern` finds every term whatever its case; `terms` maps each term's casefold to its one form."""

    pattern: re.Pattern[str]
    terms: Mapping[str, str]
    message: str
    hint: str
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        if not self.prefilter.admits(record):
            return
        for pointer, text in self.scope.texts(record):
            where = yaml_path(pointer)
            for match in self.pattern.finditer(text):
                found = match.group(0)
                term = self.terms.get(found.casefold())
                if term is None or found == term:
                    continue
                yield Hit(pointer, _say(self.message, match=found, replacement=term, field=where),
                          _say(self.hint, match=found, replacement=term, field=where), match.start(), match.end(),
                          subject=found, fix=_fixer(record, pointer, match.start(), match.end(), term, found))
