"""What a house rule does to a record, as picklable values: a run's workers receive them with its config.

Each matcher is a frozen dataclass called as a rule's check: `(record, context) -> hits`. Patterns are
compiled once, when the rule file is read (patterns.compile_safe), and sent to workers as compiled patterns.
"""
from __future__ import annotations

import importlib
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .. import excerpt
from ..model import Hit, Pointer, yaml_path
from ..record import Record
from ..rules.base import RuleContext
from ..rules.fields import replace_fix
from . import fields

_DIGITS = re.compile(r"\d")


def _case_classes() -> dict[int, str]:
    """A table that writes each letter `re.IGNORECASE` holds equal to another beyond lower() (`ſ` and `s`,
    `µ` and `μ`) as one of them, so that lower-cased text and tokens compare as the engine compares them."""
    try:  # the engine's own list (private, stable since 3.11); without it, no letter is rewritten
        extra: dict[int, tuple[int, ...]] = importlib.import_module("re._casefix")._EXTRA_CASES
    except (ImportError, AttributeError):  # pragma: no cover
        return {}
    parent: dict[int, int] = {}

    def root(code: int) -> int:
        while parent.get(code, code) != code:
            code = parent[code]
        return code

    for code, others in extra.items():
        for other in others:
            first, second = root(code), root(other)
            parent[max(first, second)] = min(first, second)
    return {code: chr(root(code)) for code in parent if root(code) != code}


FOLD = _case_classes()
_FOLDABLE = re.compile("[" + "".join(re.escape(char) for char in map(chr, FOLD)) + "]") if FOLD else None


def fold(text: str) -> str:
    """The text lower-cased as `re.IGNORECASE` compares letters (same length unless lower() changes it)."""
    lowered = text.lower()
    return lowered.translate(FOLD) if _FOLDABLE is not None and _FOLDABLE.search(lowered) else lowered


class Joined(NamedTuple):
    """The texts a scope reads, joined by newlines into one string, so that a rule searches them at once
    instead of text by text; built once per record and scope, and shared by every rule of that scope."""

    text: str
    lowered: str | None  # folded; None where folding changed a length: offsets would not be the texts'
    starts: tuple[int, ...]  # where each text starts in `text`


def _join(texts: Sequence[tuple[Pointer, str]]) -> Joined:
    starts, at = [], 0
    for _, text in texts:
        starts.append(at)
        at += len(text) + 1
    joined = "\n".join(text for _, text in texts)
    lowered = fold(joined)  # a text's letters fold alike alone or joined: a newline is neither cased nor ignorable
    return Joined(joined, lowered if len(lowered) == len(joined) else None, tuple(starts))


@dataclass(frozen=True)
class Scope:
    """Which texts of which records a rule reads."""

    globs: tuple[fields.Glob, ...] = ()
    when: tuple[tuple[fields.Glob, tuple[Any, ...]], ...] = ()

    def texts(self, record: Record) -> tuple[tuple[Pointer, str], ...]:
        if self.when and not fields.holds(record, dict(self.when)):
            return ()
        return fields.texts(record, self.globs)

    def joined(self, record: Record) -> Joined:
        return record.derived(("house-joined", self.globs), lambda r: _join(fields.texts(r, self.globs)))


@dataclass(frozen=True)
class Finder:
    """A rule's matches: those of `exact`, found fast. A pattern that starts with a look-behind (a word
    boundary) or ignores case defeats the regular-expression engine's scan for a literal prefix, and
    tries every alternative at every character (a rule of 5 words took 1.3 ms on a record's prose); so
    `locator`, the alternatives alone (lower-case and case-sensitive, for plain words, searched in the
    lower-cased text), finds where a match may start, and `exact` decides there. Both find the same
    leftmost matches: `exact` can match only where `locator` does."""

    exact: re.Pattern[str]
    locator: re.Pattern[str] | None = None  # None: `exact` searches alone
    lower: bool = False  # the locator searches the lower-cased text
    # the locator is words (no anchors, look-arounds or boundaries of a user's pattern), so it may search a
    # scope's texts joined (Joined): it finds every place it finds in each text alone, and a place it finds
    # across a newline is where `exact`, matched in the one text, fails
    joinable: bool = False

    def scan(self, texts: Sequence[tuple[Pointer, str]], joined: Joined | None = None
             ) -> Iterator[tuple[int, re.Match[str]]]:
        """The matches in each of `texts` (the texts `joined` holds, if given), in order: (index, match)."""
        haystack = None if joined is None or not self.joinable else joined.lowered if self.lower else joined.text
        if haystack is None or self.locator is None or joined is None:
            folded: dict[str, str] = {}
            for index, (_, text) in enumerate(texts):
                for match in self.finditer(text, folded):
                    yield index, match
            return
        starts, position = joined.starts, 0
        while (found := self.locator.search(haystack, position)) is not None:
            index = bisect_right(starts, found.start()) - 1
            text, offset = texts[index][1], found.start() - starts[index]
            exact = self.exact.match(text, offset) if offset < len(text) else None
            if exact is None:
                position = found.start() + 1
                continue
            yield index, exact
            position = starts[index] + max(exact.end(), exact.start() + 1)

    def finditer(self, text: str, folded: dict[str, str] | None = None) -> Iterator[re.Match[str]]:
        """The matches in `text`; `folded` remembers texts already lower-cased (every rule reads the same)."""
        haystack = text
        if self.lower:
            known = folded.get(text) if folded is not None else None
            haystack = known if known is not None else fold(text)
            if folded is not None and known is None:
                folded[text] = haystack
        if self.locator is None or len(haystack) != len(text):  # lower() changed a length: offsets would differ
            yield from self.exact.finditer(text)
            return
        position = 0
        while (found := self.locator.search(haystack, position)) is not None:
            match = self.exact.match(text, found.start())
            if match is None:
                position = found.start() + 1
                continue
            yield match
            position = max(match.end(), match.start() + 1)


@dataclass(frozen=True)
class Prefilter:
    """Words a record must hold for a rule to find anything in it, so that most rules skip most records
    after a set lookup instead of a regular-expression search of each of its texts (a set test is a
    fifteenth of five substring searches). `keys` holds, for each of the rule's tokens, its case-folded
    first word (or, `inside`, for a rule that matches inside words, its text up to the first space, looked
    for as a substring); None when a token is a pattern, which has no such word, and the rule always runs."""

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


def _scan(record: Record, scope: Scope, pattern: Finder) -> Iterator[tuple[Pointer, re.Match[str]]]:
    """Each match of a rule's pattern in the texts it reads, in order: (pointer, match)."""
    texts = scope.texts(record)
    if texts:
        for index, match in pattern.scan(texts, scope.joined(record) if pattern.joinable else None):
            yield texts[index][0], match


def _matches(record: Record, scope: Scope, prefilter: Prefilter, pattern: Finder
             ) -> Iterator[tuple[Pointer, str, re.Match[str]]]:
    """Each match of a rule's pattern in the texts it reads: (pointer, the field as messages name it, match)."""
    if not prefilter.admits(record):
        return
    for pointer, match in _scan(record, scope, pattern):
        yield pointer, yaml_path(pointer), match


@dataclass(frozen=True)
class Existence:
    pattern: Finder
    message: str
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        for pointer, where, match in _matches(record, self.scope, self.prefilter, self.pattern):
            yield Hit(pointer, _say(self.message, match=match.group(0), field=where),
                      start=match.start(), end=match.end(), subject=match.group(0).casefold())


@dataclass(frozen=True)
class Substitution:
    """`pattern` matches any bad form, each in its group `s<n>`; `goods[n]` are the replacements of the n-th."""

    pattern: Finder
    goods: tuple[tuple[str, ...], ...]
    message: str
    hint: str
    preserve: bool  # keep the case of what was found (the rule ignores case)
    fixable: bool = True
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        for pointer, where, match in _matches(record, self.scope, self.prefilter, self.pattern):
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
    pattern: Finder
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
        found = list(_scan(record, self.scope, self.pattern))
        groups = [(texts, found)] if self.per_record else [
            ((item,), [(pointer, match) for pointer, match in found if pointer == item[0]]) for item in texts]
        for group, matches in groups:
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

    pattern: Finder
    terms: Mapping[str, str]
    message: str
    hint: str
    scope: Scope = field(default_factory=Scope)
    prefilter: Prefilter = field(default_factory=Prefilter)

    def __call__(self, record: Record, context: RuleContext) -> Iterator[Hit]:
        for pointer, where, match in _matches(record, self.scope, self.prefilter, self.pattern):
            found = match.group(0)
            term = self.terms.get(found.casefold())
            if term is None or found == term:
                continue
            yield Hit(pointer, _say(self.message, match=found, replacement=term, field=where),
                      _say(self.hint, match=found, replacement=term, field=where), match.start(), match.end(),
                      subject=found, fix=_fixer(record, pointer, match.start(), match.end(), term, found))
