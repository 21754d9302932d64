"""User-written regular expressions, made safe to run on any record.

Python's `re` backtracks, so a pattern written by an editor (or copied from a Vale style) could take time
that grows with the square of a text, or exponentially, on hostile input. medlint's own patterns are
proven linear by tests/robustness/test_linear_time.py; a user's pattern cannot be, so it is bounded
instead: every unbounded quantifier (`*`, `+`, `{n,}`) matches at most MAX_REPEAT times, quantifiers may
not nest (but `(...)?` may hold one), backreferences and conditionals are refused, and the steps one
match attempt can take (the product of the repeats' bounds along the pattern, summed over alternatives)
may not pass BUDGET. Each attempt then costs a bounded number of steps, so a search costs at most BUDGET
steps per character (per token: a rule's tokens are searched as one alternation).
"""
from __future__ import annotations

import importlib
import re
from typing import Any

# the parser `re` itself uses (private, but stable since 3.11): what a pattern does, not how it is spelt
sre_parse: Any = importlib.import_module("re._parser")
sre_constants: Any = importlib.import_module("re._constants")

MAX_REPEAT = 50  # what `+`, `*` and `{n,}` match at most: longer than any word or short phrase
BUDGET = (MAX_REPEAT + 1) ** 2  # steps per match attempt: two unbounded quantifiers in a row, no more

_OPEN_QUANTIFIER = re.compile(r"\{(\d+),\}")


class PatternError(ValueError):
    """A pattern medlint will not run, with the reason in words an editor can act on."""


def bounded(pattern: str) -> str:
    """`pattern` with `*`, `+` and `{n,}` (outside character classes, unescaped) bounded by MAX_REPEAT."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            if char == "]" and not (pattern[index - 1] == "[" or pattern[index - 2 : index] == "[^"):
                in_class = False
        elif char == "[":
            in_class = True
        elif char == "*" and index > 0:
            char = f"{{0,{MAX_REPEAT}}}"
        elif char == "+" and index > 0 and not _after_quantifier(pattern, index):
            char = f"{{1,{MAX_REPEAT}}}"
        elif char == "{":
            match = _OPEN_QUANTIFIER.match(pattern, index)
            if match:
                out.append(f"{{{match.group(1)},{max(int(match.group(1)), MAX_REPEAT)}}}")
                index = match.end()
                continue
        out.append(char)
        index += 1
    return "".join(out)


def _after_quantifier(pattern: str, index: int) -> bool:
    """A `+` right after a quantifier makes it possessive (`a*+`), not a second repeat."""
    return pattern[index - 1] in "*+?}" and pattern[index - 2 : index - 1] != "\\"


def compile_safe(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """The compiled, bounded pattern; PatternError says why a pattern is refused."""
    return re.compile(safe(pattern, flags), flags)


def safe(pattern: str, flags: int = 0) -> str:
    """The bounded pattern's text, checked (to join with others and compile once); PatternError says why a
    pattern is refused."""
    text = bounded(pattern)
    try:
        parsed = sre_parse.parse(text, flags)
    except re.error as exc:
        raise PatternError(f"not a valid regular expression: {exc.msg}") from exc
    steps = _cost(list(parsed), nested=False)
    if steps > BUDGET:
        raise PatternError(f"too many quantifiers in a row: one match attempt could take {steps:,} steps (at most "
                           f"{BUDGET:,}); write fewer `*`, `+` or `{{m,n}}` one after another, or smaller bounds")
    return text


_REFUSED = frozenset(getattr(sre_constants, name) for name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE",
                                                               "GROUPREF_LOC_IGNORE", "GROUPREF_UNI_IGNORE")
                     if hasattr(sre_constants, name))
_REPEATS = frozenset(getattr(sre_constants, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                     if hasattr(sre_constants, name))


def _cost(items: list[tuple[Any, Any]], nested: bool) -> int:
    total = 1
    for op, arg in items:
        total *= _item_cost(op, arg, nested)
    return total


def _item_cost(op: Any, arg: Any, nested: bool) -> int:
    if op in _REFUSED:
        raise PatternError("backreferences (`\\1`, `(?P=name)`) and conditionals (`(?(1)...)`) are not supported: "
                           "they can take exponential time")
    if op is sre_constants.SUBPATTERN:
        return _cost(list(arg[-1]), nested)
    if op is sre_constants.BRANCH:
        return sum(_cost(list(branch), nested) for branch in arg[1])
    if op in _REPEATS:
        _low, high, inner = arg
        if high <= 1:  # `(...)?` is one more alternative, not a repeat: it may hold a quantifier
            return 1 + _cost(list(inner), nested)
        if nested:
            raise PatternError("a quantifier inside a quantified group (such as `(a+)+` or `(ab*){2,5}`) is not "
                               "supported: it can take exponential time")
        return (min(int(high), MAX_REPEAT) + 1) * _cost(list(inner), nested=True)
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _cost(list(arg[1]), nested)
    if op is getattr(sre_constants, "ATOMIC_GROUP", None):
        return _cost(list(arg), nested)
    return 1
