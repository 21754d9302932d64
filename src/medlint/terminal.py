"""What a person at a terminal gets beyond the report: colour when it is wanted, and a progress bar on long runs.

Colour follows the conventions other tools follow, in this order: `--color always|never`; `NO_COLOR`
set to anything but "" turns it off (no-color.org); `FORCE_COLOR` set to anything but "", or
`CLICOLOR_FORCE` set to anything but "" or "0", turns it on; `TERM=dumb` turns it off; otherwise colour
goes to a terminal and never into a file or a pipe.

The progress bar is drawn on standard error only when that is a terminal, `TERM` is not `dumb` and `CI` is
not set (CI logs are files: a bar redrawn with carriage returns is noise there), and only once a run has
taken `delay` seconds, so that the usual quick run shows nothing. It is cleared before the report prints.
No library: drawing one line is a few lines of code, and tqdm, the obvious candidate, imports
`importlib.metadata` and `logging` on every start (`python -X importtime`: 0.1 to 0.44 s on this project's
busy 2-core machine, against 0.43 to 1.0 s for all of `medlint.cli`).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO


def wants_color(choice: str, stream: TextIO, env: Mapping[str, str] = os.environ) -> bool:
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR") or env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    if env.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def wants_progress(stream: TextIO, env: Mapping[str, str] = os.environ) -> bool:
    return _isatty(stream) and env.get("TERM") != "dumb" and not env.get("CI")


class Progress:
    """`progress(done, total)` redraws the bar (at most ten times a second, from `delay` seconds on);
    `close()` removes it."""

    def __init__(self, stream: TextIO, *, delay: float = 1.0, label: str = "Checking",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._stream, self._label, self._clock = stream, label, clock
        self._start = clock()
        self._delay = delay
        self._drawn_at = -1.0
        self._shown = False

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if now - self._start < self._delay or (now - self._drawn_at < 0.1 and done < total) or total <= 0:
            return
        self._drawn_at = now
        import shutil  # with bz2, lzma and more: imported by the runs long enough to draw a bar

        counts = f" {done:,}/{total:,} records"
        width = max(10, min(40, shutil.get_terminal_size((80, 24)).columns - len(self._label) - len(counts) - 4))
        filled = width * done // total
        self._stream.write(f"\r{self._label} [{'#' * filled}{'.' * (width - filled)}]{counts}")
        self._stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")  # back to the line's start, and erase it
            self._stream.flush()
            self._shown = False
