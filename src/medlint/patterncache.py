"""Compiled regular expressions kept between runs of the command line, as Python keeps compiled bytecode.

Importing the rules and PyYAML compiles ~130 patterns, and `re` parses each one and generates its engine code in
pure Python: ~50 ms CPU of a one-record run (the pre-commit hook), more than the rules take to check the record.
That code depends only on the pattern, its flags and the Python that runs it, so `medlint`'s command line keeps
it in a file beside medlint's own bytecode (`__pycache__`, where Python writes it, under the same rules:
PYTHONDONTWRITEBYTECODE writes nothing, PYTHONPYCACHEPREFIX moves it) and gives it to the regex engine's
constructor on later runs, with what `re` itself would have computed.

Only the patterns a module compiles while it is imported, and `lazyre.Lazy` patterns, are stored: the ones
written in the code, never the ones a run builds from its input (a brand name, a house rule). The file names the exact
Python build and regex engine version it was made by; any other file, or one that cannot be read, is ignored
and replaced. `re` checks the code it is given, so even a damaged entry is an error, never a wrong pattern;
any error switches the cache off for the process and `re` compiles as usual. tests/test_patterncache.py
compares every stored pattern with a freshly compiled one.
"""
from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import contextlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

# (Python build, engine version): the generated code is only valid for the engine that generated it
_KEY = (sys.version, _sre.MAGIC, sys.byteorder)
_MAX_ENTRIES = 2000  # a store that grew past this (patterns of many medlint versions) starts again

# (is text, pattern, flags) -> (flags, code, groups, groupindex, indexgroup): the arguments of _sre.compile
Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_entries: dict[tuple[bool, str | bytes, int], Entry] = {}
_used: set[tuple[bool, str | bytes, int]] = set()
_added = 0
_recording = 0
_original: Callable[..., Any] | None = None
_path: str | None = None


def location() -> str | None:
    """The cache file beside this module's bytecode, or None where Python keeps no bytecode."""
    import importlib.util

    try:
        bytecode = importlib.util.cache_from_source(__file__)
    except (NotImplementedError, ValueError):
        return None
    return os.path.join(os.path.dirname(bytecode), f"patterns.{sys.implementation.cache_tag}.marshal")


def _compile(pattern: Any, flags: int = 0) -> Any:
    """`re._compiler.compile`, answered from the cache when it holds the pattern."""
    global _added
    assert _original is not None
    key = (isinstance(pattern, str), pattern, int(flags))
    entry = _entries.get(key)
    if entry is None:
        if not isinstance(pattern, (str, bytes)) or not (_recording or _importing()):
            return _original(pattern, flags)
        parsed = re._parser.parse(pattern, flags)
        code = [int(op) for op in re._compiler._code(parsed, flags)]  # type: ignore[attr-defined]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        _entries[key] = entry
        _added += 1
    _used.add(key)
    return _sre.compile(pattern, *entry)


def _importing() -> bool:
    """Whether a module is being imported: the import system's frames are on the stack."""
    frame = sys._getframe(3)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib._bootstrap"):
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def install() -> None:
    """Answer `re`'s compilations from the cache file for the rest of the process; the file is rewritten at
    exit when patterns were added. A no-op after the first call, or where this Python's `re` is not the one
    this module knows (then `re` compiles as usual)."""
    global _original, _path
    compiler = getattr(re, "_compiler", None)
    if _original is not None or compiler is None or not hasattr(compiler, "_code") or not hasattr(re, "_parser"):
        return
    _path = location()
    if _path is not None:
        _entries.update(_read(_path))
    _original = compiler.compile
    compiler.compile = _checked
    import atexit

    atexit.register(save)


def _checked(pattern: Any, flags: int = 0) -> Any:
    try:
        return _compile(pattern, flags)
    except re.error:
        raise
    except Exception:  # an engine this module does not know: back to `re` for good
        uninstall()
        return re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]


def uninstall() -> None:
    global _original
    if _original is not None:
        re._compiler.compile = _original  # type: ignore[attr-defined]
        _original = None
    _entries.clear()


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Store the patterns compiled in this block too (`lazyre.Lazy`: declared in the code, compiled later)."""
    global _recording
    _recording += 1
    try:
        yield
    finally:
        _recording -= 1


def _read(path: str) -> dict[tuple[bool, str | bytes, int], Entry]:
    try:
        with open(path, "rb") as stream:
            key, entries = marshal.loads(stream.read())  # load() reads the file a few bytes at a time
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if key == _KEY and isinstance(entries, dict) else {}


def save() -> None:
    """Write the cache file, if patterns were added and Python writes bytecode: atomically, so that a
    concurrent run reads the old file or the new one."""
    global _added
    if not _added or _path is None or sys.dont_write_bytecode or _original is None:
        return
    entries = _entries if len(_entries) <= _MAX_ENTRIES else {key: _entries[key] for key in _used}
    temporary = f"{_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_path), exist_ok=True)
        with open(temporary, "wb") as stream:
            marshal.dump((_KEY, entries), stream)
        os.replace(temporary, _path)
        _added = 0
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(temporary)
