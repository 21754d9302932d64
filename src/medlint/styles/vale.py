"""Vale's `existence` and `substitution` rule files (https://vale.sh/docs), read as house rules.

A Vale styles folder holds one folder per style and one `.yml` file per rule: `<Style>/<Rule>.yml` becomes
`vale/<Style>.<Rule>`. The keys that mean the same in a record as in a document are read (tokens, swap,
ignorecase, nonword, level, message, link, description); any other is refused by name, so that no rule
runs with part of its meaning silently dropped. Vale's facts are followed, not its code: tokens and swap
keys are regular expressions between word boundaries unless `nonword`; `ignorecase` is off by default;
`%s` in a message is the match (substitution: the replacement first, then the match); a swap value
`a|b` offers a choice; `suggestion` has no place between medlint's error and warning and reads as warning.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model import Severity
from ..rules.base import Check, Docs, Rule
from . import house, matchers
from .reading import Located, StyleError, read

NAMESPACE = "vale"
LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "suggestion": Severity.WARNING}
KINDS = ("existence", "substitution")
COMMON = {"extends", "message", "description", "level", "link", "ignorecase", "nonword", "vocab", "action", "scope"}
KEYS = {"existence": COMMON | {"tokens"}, "substitution": COMMON | {"swap"}}


def rule_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*/*") if path.suffix in (".yml", ".yaml") and path.is_file())


def compile_folder(folder: Path) -> tuple[Rule, ...]:
    return tuple(compile_file(path) for path in rule_files(folder))


def compile_file(path: Path) -> Rule:
    located = read(path)
    data = located.data
    if not isinstance(data, dict):
        raise located.error((), "a Vale rule file is a mapping (extends, message, level, ...)")
    extends = data.get("extends")
    if extends not in KINDS:
        raise located.error(("extends",), f"medlint reads Vale rules that extend {' or '.join(KINDS)}; "
                                          f"`extends: {extends}` is not supported")
    unsupported = [key for key in data if key not in KEYS[extends]]
    if unsupported:
        raise located.error((unsupported[0],), f"the Vale setting `{unsupported[0]}` is not supported by medlint "
                                               f"(it reads {', '.join(sorted(KEYS[extends]))})", key=True)
    _check_types(located, data)
    style, rule_name = path.parent.name, path.stem
    options = house.Options(data.get("ignorecase", False), data.get("nonword", False), True)
    message = _message(located, data.get("message", ""), extends)
    check: Check
    if extends == "existence":
        tokens = data.get("tokens")
        if not tokens:
            raise located.error(("tokens",), "an existence rule needs `tokens`")
        check = matchers.Existence(house.union(located, "tokens", tokens, options), message)
    else:
        swap = data.get("swap")
        if not swap:
            raise located.error(("swap",), "a substitution rule needs `swap`")
        choices = {bad: good.split("|") for bad, good in swap.items()}
        check = house.substitution(located, choices, options, message, "write `{replacement}`", matchers.Scope())
    link = data.get("link")
    what = data.get("description") or f"The {extends} rule {rule_name} of the team's Vale style {style}."
    return Rule(code=f"{NAMESPACE}/{style}.{rule_name}", name=_kebab(f"{style}-{rule_name}"), family=NAMESPACE,
                severity=LEVELS[data.get("level", "suggestion")], summary=house.first_sentence(what),
                docs=Docs(what, f"The team's Vale style `{style}` has this rule ({path.name}).", "", "",
                          (link,) if link else ()),
                check=check, fixable=extends == "substitution")


def _check_types(located: Located, data: Mapping[str, Any]) -> None:
    expected: dict[str, tuple[type, ...]] = {"message": (str,), "description": (str,), "link": (str,),
                                             "ignorecase": (bool,), "nonword": (bool,), "vocab": (bool,),
                                             "tokens": (list,), "swap": (dict,), "scope": (str, list),
                                             "action": (dict,)}
    for key, types in expected.items():
        if key in data and not isinstance(data[key], types):
            raise located.error((key,), f"`{key}` must be a {' or a '.join(t.__name__ for t in types)}")
    if data.get("level", "warning") not in LEVELS:
        raise located.error(("level",), f"`level` must be one of {', '.join(LEVELS)}")
    for index, token in enumerate(data.get("tokens", ())):
        if not isinstance(token, str) or not token:
            raise located.error(("tokens", index), "each token is a non-empty string")
    for bad, good in data.get("swap", {}).items():
        if not isinstance(good, str):
            raise located.error(("swap", bad), "each swap value is a string (`a|b` for a choice)")
        if re.search(r"\$\d", good):
            raise located.error(("swap", bad), "capture groups in a replacement (`$1`) are not supported")
    scopes = data.get("scope", "text")
    if any(scope != "text" for scope in ([scopes] if isinstance(scopes, str) else scopes)):
        raise located.error(("scope",), "only `scope: text` is supported: a record has no headings, tables or code")
    action = data.get("action", {"name": "replace"})
    if set(action) - {"name", "params"} or action.get("name") not in ("replace", "edit") or action.get("params"):
        raise located.error(("action",), "only `action: {name: replace}` is supported: medlint fixes a "
                                         "substitution with one replacement itself")


def _message(located: Located, text: str, extends: str) -> str:
    """Vale's `%s` as medlint's placeholders, and literal braces kept literal."""
    order = ["match"] if extends == "existence" else ["replacement", "match"]
    if not text:
        return house.MESSAGES[extends]
    pieces = text.replace("{", "{{").replace("}", "}}").split("%s")
    if len(pieces) - 1 > len(order):
        raise located.error(("message",), f"the message has {len(pieces) - 1} `%s`; a Vale {extends} rule fills "
                                          f"{len(order)}")
    out = pieces[0]
    for name, piece in zip(order, pieces[1:], strict=False):
        out += "{" + name + "}" + piece
    return out.replace("%%", "%")


def _kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


__all__ = ["StyleError", "compile_file", "compile_folder"]
