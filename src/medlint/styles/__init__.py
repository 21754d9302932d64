"""Editors' own rules, compiled once per run into ordinary rules beside the built-in ones.

Three sources, each in a namespace no built-in code can take: house rules written in YAML (`house/<name>`,
house.py), a team's Vale rules (`vale/<Style>.<Rule>`, vale.py) and Python plugins installed as packages
(`<namespace>/<name>`, plugins.py). Any mistake in them is a StyleError: a configuration error naming the
file, line and column, raised before a single record is read. docs/house-rules.md is the user's guide.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..rules.base import Rule
from . import plugins
from .reading import StyleError

__all__ = ["StyleError", "Styles", "compile_styles"]


class Styles(NamedTuple):
    rules: tuple[Rule, ...] = ()
    digest: str = ""  # of every rule file's bytes and every plugin rule's code: what a cache key must change with


def compile_styles(styles_dir: Path | None, vale_dir: Path | None, builtin: Iterable[Rule],
                   use_plugins: bool = True) -> Styles:
    """The run's extra rules; StyleError on any rule file or plugin that is wrong, or on a clash of names."""
    # the rule-file readers (and their schema validator) are imported only by a project that has rule files
    files: list[Path] = []
    vale_files: list[Path] = []
    found: list[Rule] = []
    if styles_dir is not None and styles_dir.is_dir():
        from . import house

        files = house.rule_files(styles_dir)
        found += [house.compile_file(path) for path in files]
    if vale_dir is not None and vale_dir.is_dir():
        from . import vale

        vale_files = vale.rule_files(vale_dir)
        found += [vale.compile_file(path) for path in vale_files]
    sources: dict[str, str] = {rule.code: str(path) for rule, path in zip(found, files + vale_files, strict=True)}
    extra, stamp = plugins.discover() if use_plugins else ((), "")
    sources.update({rule.code: f"the plugin rule {rule.code}" for rule in extra})
    rules = (*found, *extra)
    taken = {rule.name: rule.code for rule in builtin} | {rule.code.casefold(): rule.code for rule in builtin}
    for rule in rules:
        for key in (rule.name, rule.code.casefold()):
            if key in taken:
                raise StyleError(f"{sources[rule.code]}: the rule name `{key}` is taken by {taken[key]}; "
                                 "give this rule another `name`")
            taken[key] = rule.code
    digest = hashlib.sha256()
    for path in (*files, *vale_files):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(stamp.encode())
    return Styles(rules, digest.hexdigest() if rules else "")
