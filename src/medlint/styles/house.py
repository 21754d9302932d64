"""House rules: one YAML file per rule in the styles folder, compiled to ordinary rules (`house/<name>`)."""
from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..model import Severity
from ..rules.base import Check, Docs, Rule
from . import fields, matchers, patterns
from .reading import Located, StyleError, read, validate

NAMESPACE = "house"
SUFFIXES = (".yaml", ".yml")

# what each kind's message may say; the defaults say it for rules that give no message
PLACEHOLDERS = {
    "existence": {"match", "field"},
    "substitution": {"match", "replacement", "field"},
    "occurrence": {"match", "field", "count", "max", "min"},
    "capitalisation": {"match", "replacement", "field"},
}
MESSAGES = {
    "existence": "`{match}` in {field}: the house style does not use it",
    "substitution": "`{match}` in {field}: the house style writes `{replacement}`",
    "occurrence": "`{match}` appears {count} times in {field}: the house style allows {min} to {max}",
    "capitalisation": "`{match}` in {field}: the house style writes `{replacement}`",
}
HINTS = {"substitution": "write `{replacement}`", "capitalisation": "write `{replacement}`"}


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a styles folder, in name order (subfolders group rules; their files count too)."""
    return sorted(path for path in folder.rglob("*") if path.suffix in SUFFIXES and path.is_file())


def compile_folder(folder: Path) -> tuple[Rule, ...]:
    return tuple(compile_file(path) for path in rule_files(folder))


def compile_file(path: Path) -> Rule:
    located = read(path)
    validate(located)
    data: Mapping[str, Any] = located.data
    name = data.get("name", path.stem)
    if "name" not in data and not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name):
        raise StyleError(f"{path}:1:1: the file name {path.stem!r} is not a kebab-case rule name; rename the file "
                         "or give the rule a `name`")
    kind = data["kind"]
    message = _message(located, data.get("message", MESSAGES[kind]), PLACEHOLDERS[kind])
    scope = matchers.Scope(tuple(fields.parse(glob) for glob in data.get("scope", ())),
                           tuple((fields.parse(key), tuple(value) if isinstance(value, list) else (value,))
                                 for key, value in data.get("when", {}).items()))
    options = Options(data.get("ignore-case", True), data.get("nonword", False), data.get("regex", False))
    check: Check
    if kind == "existence":
        check = matchers.Existence(union(located, "tokens", data["tokens"], options), message, scope,
                                   prefilter(data["tokens"], options))
    elif kind == "substitution":
        check = substitution(located, data["swap"], options, message, HINTS[kind], scope)
    elif kind == "occurrence":
        check = matchers.Occurrence(union(located, "tokens", data["tokens"], options), message, data.get("max"),
                                    data.get("min"), data.get("per", "field") == "record", scope,
                                    prefilter(data["tokens"], options) if "min" not in data else matchers.Prefilter())
    else:
        terms = {term.casefold(): term for term in data["terms"]}
        words = Options(True, False, False)
        check = matchers.Capitalisation(union(located, "terms", data["terms"], words), terms, message, HINTS[kind],
                                        scope, prefilter(data["terms"], words))
    docs = data["docs"]
    return Rule(code=f"{NAMESPACE}/{name}", name=name, family=NAMESPACE,
                severity=Severity(data.get("severity", "warning")),
                summary=data.get("summary") or first_sentence(docs["what"]),
                docs=Docs(docs["what"].strip(), docs["why"].strip(), docs["example"], docs["use-instead"],
                          tuple(docs.get("references", ()))),
                check=check, fixable=kind == "capitalisation" or (kind == "substitution" and _one_each(data["swap"])))


def first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


class Options:
    def __init__(self, ignore_case: bool, nonword: bool, regex: bool) -> None:
        self.ignore_case, self.nonword, self.regex = ignore_case, nonword, regex

    @property
    def flags(self) -> int:
        return re.IGNORECASE if self.ignore_case else 0


_META = re.compile(r"[\\.^$*+?{}\[\]|()]")
_FIRST_WORD = re.compile(r"\w+")


def prefilter(tokens: Iterable[str], options: Options) -> matchers.Prefilter:
    """The words a record must hold for any of `tokens` to match in it (matchers.Prefilter); none when a
    token is a pattern or starts with no word."""
    keys = set()
    for token in tokens:
        folded = token.casefold()
        if options.regex and _META.search(token):
            return matchers.Prefilter()
        first = folded.split()[:1] if options.nonword else [m.group(0) for m in [_FIRST_WORD.match(folded)] if m]
        if not first:
            return matchers.Prefilter()
        keys.add(first[0])
    return matchers.Prefilter(frozenset(keys), options.nonword)


def _one_each(swap: Mapping[str, Any]) -> bool:
    return any(isinstance(good, str) or len(good) == 1 for good in swap.values())


def _message(located: Located, template: str, allowed: set[str]) -> str:
    """The template, checked: only the kind's placeholders, and braces that pair."""
    try:
        named = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise located.error(("message",), f"the message has a stray brace ({exc}); write `{{{{` for a literal "
                                          "`{`") from exc
    unknown = sorted(named - allowed)
    if unknown:
        raise located.error(("message",), f"the message names {{{unknown[0]}}}, which this kind does not fill; "
                                          f"it may use {', '.join('{' + n + '}' for n in sorted(allowed))}")
    return template


def _body(token: str, options: Options, lower: bool = False) -> str:
    """The token as a pattern, without word boundaries: a phrase's spaces match any run of white space,
    possessively (what follows is never white space, so giving some back could never help, and a phrase
    costs no backtracking however many words it has)."""
    if options.regex:
        return token
    return re.escape(matchers.fold(token) if lower else token).replace(r"\ ", r"\s++")


def _bounded(body: str, options: Options) -> str:
    return body if options.nonword else rf"(?<!\w)(?:{body})(?!\w)"


def _safe(located: Located, where: tuple[str | int, ...], token: str, options: Options) -> str:
    """The token's pattern without word boundaries: as medlint writes it for plain text, bounded and checked
    (with its boundaries) for a user's pattern."""
    body = _body(token, options)
    if not options.regex:
        return body
    try:
        patterns.safe(_bounded(body, options), options.flags)
        return patterns.bounded(body)
    except patterns.PatternError as exc:  # a swap's pattern is its key
        raise located.error(where, str(exc), key=where[0] == "swap") from exc


def _finder(located: Located, where: tuple[str, ...], alternatives: list[tuple[str, str]],
            options: Options) -> matchers.Finder:
    """One pattern for the alternatives, (pattern, the same for lower-case text), longest first (`side
    effect` before `side`); each token is checked on its own, so an error names it, and their costs add
    up, so the pattern stays within BUDGET steps per token and character."""
    ordered = sorted(alternatives, key=lambda item: -len(item[0]))
    try:
        exact = re.compile(_bounded("|".join(body for body, _ in ordered), options), options.flags)
    except re.error as exc:  # such as a swap key with its own group named `s0`
        raise located.error(where, f"these patterns do not join into one: {exc}", key=True) from exc
    lower = options.ignore_case and not options.regex
    located_by = "|".join(low for _, low in ordered) if lower else "|".join(body for body, _ in ordered)
    locator = re.compile(located_by, 0 if lower else options.flags)
    return matchers.Finder(exact, locator, lower, joinable=not options.regex)


def union(located: Located, key: str, tokens: Iterable[str], options: Options) -> matchers.Finder:
    return _finder(located, (key,), [(_safe(located, (key, index), token, options), _body(token, options, True))
                                     for index, token in enumerate(tokens)], options)


def substitution(located: Located, swap: Mapping[str, Any], options: Options, message: str, hint: str,
                 scope: matchers.Scope) -> matchers.Substitution:
    """One pattern, a named group per bad form (`s0`, `s1`...): the group that matched names the replacement."""
    alternatives = [(f"(?P<s{index}>{_safe(located, ('swap', bad), bad, options)})", _body(bad, options, True))
                    for index, bad in enumerate(swap)]
    goods = tuple((good,) if isinstance(good, str) else tuple(good) for good in swap.values())
    return matchers.Substitution(_finder(located, ("swap",), alternatives, options), goods, message, hint,
                                 options.ignore_case, True, scope, prefilter(swap, options))
