"""Python plugins: packaged rules, found through the `medlint.rules` entry-point group.

A package declares, in its pyproject.toml,

    [project.entry-points."medlint.rules"]
    acme = "acme_medlint:RULES"

where `RULES` is a `medlint.rules.base.Rule` or a sequence of them, with codes in the package's own
namespace (`acme/no-brand-abbreviations`); examples/medlint-plugin-example/ is a worked example.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..rules.base import Rule
from .reading import StyleError

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

GROUP = "medlint.rules"
RESERVED = frozenset({"house", "vale"})  # the namespaces of rule files
_CODE = re.compile(r"[a-z][a-z0-9-]*/[A-Za-z0-9][\w.-]*")


def discover() -> tuple[tuple[Rule, ...], str]:
    """Every installed plugin's rules, in entry-point name order, and the plugins' names and versions (a new
    version of a plugin may find other things: cached results must not outlive it)."""
    found: list[Rule] = []
    stamp: list[str] = []
    if not _declared():
        return (), ""
    from importlib.metadata import entry_points  # its import and scan cost a one-record run (the hook) ~30 ms

    for point in sorted(entry_points(group=GROUP), key=lambda p: (p.name, p.value)):
        found += _rules(point)
        stamp.append(f"{point.name}={point.value}@{point.dist.version if point.dist else '?'}")
    return tuple(found), " ".join(stamp)


def _declared() -> bool:
    """Whether any distribution on the path may declare the group: a look into each folder's `*.dist-info`
    and `*.egg-info` entry_points.txt, as importlib.metadata finds them. A path entry that is not a folder (a
    zip) is not looked into, and answers yes, so that no plugin is ever missed."""
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            return True
        except OSError:  # a path entry that does not exist finds nothing, here as in importlib.metadata
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as points:
                        if GROUP.encode() in points.read():
                            return True
                except OSError:
                    continue
    return False


def _rules(point: EntryPoint) -> list[Rule]:
    where = f"the plugin `{point.name}` ({point.value}, entry point group {GROUP})"
    try:
        loaded = point.load()
    except Exception as exc:  # a plugin that cannot be imported is the user's to fix or uninstall
        raise StyleError(f"{where} cannot be loaded: {type(exc).__name__}: {exc}") from exc
    items: Iterable[object] = (loaded,) if isinstance(loaded, Rule) else loaded if isinstance(loaded, (list, tuple)) \
        else ()
    rules = list(items)
    if not rules or not all(isinstance(rule, Rule) for rule in rules):
        raise StyleError(f"{where} must name a medlint.rules.base.Rule or a list of them, not "
                         f"{type(loaded).__name__}")
    for rule in rules:
        assert isinstance(rule, Rule)
        namespace = rule.code.split("/", 1)[0]
        if not _CODE.fullmatch(rule.code) or namespace in RESERVED:
            raise StyleError(f"{where}: the code {rule.code!r} must be `<namespace>/<name>` in the plugin's own "
                             f"namespace (not {', '.join(sorted(RESERVED))}), such as `acme/no-abbreviations`")
        if rule.check is None or rule.check_corpus is not None:
            raise StyleError(f"{where}: rule {rule.code} must have a per-record `check` (and no `check_corpus`)")
    return [rule for rule in rules if isinstance(rule, Rule)]
