from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest

import medlint
from medlint.lazyre import Lazy


def _every_lazy() -> Iterator[tuple[str, Lazy]]:
    """Every Lazy pattern medlint declares at module level, alone or in a dict."""
    for info in pkgutil.walk_packages(medlint.__path__, "medlint."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            values = value.values() if isinstance(value, dict) else (value,)
            yield from ((f"{info.name}.{name}", item) for item in values if isinstance(item, Lazy))


def test_every_declared_pattern_compiles() -> None:
    """A typo in a pattern no test record reaches would otherwise first fail in a user's run."""
    found = list(_every_lazy())
    assert len(found) >= 10
    for name, lazy in found:
        assert isinstance(lazy.compiled, re.Pattern), name


@pytest.mark.parametrize("method", ["search", "match", "fullmatch"])
def test_methods_answer_as_the_compiled_pattern(method: str) -> None:
    lazy, eager = Lazy(r"b+c?", re.I), re.compile(r"b+c?", re.I)
    for text, pos, endpos in (("aBbc", 0, 4), ("aBbc", 1, 4), ("aBbc", 1, 3), ("bb", 0, 2), ("x", 0, 1)):
        got, want = getattr(lazy, method)(text, pos, endpos), getattr(eager, method)(text, pos, endpos)
        assert (got and got.span()) == (want and want.span())


def test_finditer_and_single_compilation() -> None:
    lazy = Lazy(r"\d+")
    assert [m.group() for m in lazy.finditer("a1 22 333", 2)] == ["22", "333"]
    assert lazy.compiled is lazy.compiled
    assert (lazy.pattern, lazy.flags) == (r"\d+", 0)
