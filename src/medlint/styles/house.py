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


def _word(token: str, options: Options) -> str:
    # a phrase's spaces match any run of white space, possessively: what follows is never white space, so
    # giving some back could never help, and a phrase costs no backtracking however many words it has
    body = token if options.regex else re.escape(token).replace(r"\ ", r"\s++")
    return body if options.nonword else rf"(?<!\w)(?:{body})(?!\w)"


def _safe(located: Located, where: tuple[str | int, ...], text: str, options: Options) -> str:
    """The token's pattern: as medlint writes it for plain text, bounded and checked for a user's pattern."""
    body = _word(text, options)
    if not options.regex:
        return body
    try:
        return patterns.safe(body, options.flags)
    except patterns.PatternError as exc:  # a swap's pattern is its key
        raise located.error(where, str(exc), key=where[0] == "swap") from exc


def union(located: Located, key: str, tokens: Iterable[str], options: Options) -> re.Pattern[str]:
    """One pattern for all tokens, each checked on its own (so an error names the token); their costs add up,
    so the union stays within BUDGET steps per token and character."""
    bodies = [_safe(located, (key, index), token, options) for index, token in enumerate(tokens)]
    return re.compile("|".join(sorted(bodies, key=len, reverse=True)), options.flags)  # `side effect` before `side`


def substitution(located: Located, swap: Mapping[str, Any], options: Options, message: str, hint: str,
                 scope: matchers.Scope) -> matchers.Substitution:
    """One pattern, a named group per bad form (`s0`, `s1`...): the group that matched names the replacement."""
    bodies = [(len(bad), f"(?P<s{index}>{_safe(located, ('swap', bad), bad, options)})")
              for index, bad in enumerate(swap)]
    try:
        pattern = re.compile("|".join(body for _, body in sorted(bodies, key=lambda item: -item[0])), options.flags)
    except re.error as exc:  # such as a key's own group named `s0`
        raise located.error(("swap",), f"the swap keys do not join into one pattern: {exc}", key=True) from exc
    goods = tuple((good,) if isinstance(good, str) else tuple(good) for good in swap.values())
    return matchers.Substitution(pattern, goods, message, hint, options.ignore_case, True, scope,
                                 prefilter(swap, options))
