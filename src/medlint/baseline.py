"""Baselines: accept the findings a legacy corpus has today, so that the gate fails only on new ones.

The file is JSON, written by `medlint baseline` and read by `medlint check --baseline FILE`:

    {
      "version": 1,
      "entries": [
        {"path": "records/zolgensma/spinal-muscular-atrophy.yaml", "code": "ML505",
         "name": "review-due-soon", "subject": "next_review_due", "count": 1}
      ]
    }

An entry is keyed by `path` (relative to the project root, `/`-separated), rule `code` and `subject` (what
the finding is about, see fingerprint.subject), never by line, so edits elsewhere in a record keep it valid.
`count` is how many identical findings it accepts; `name` is there for the reader and is not part of the
key. Entries are sorted, so that a baseline that shrinks shows as a small diff.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import files
from .errors import UserError
from .escaping import json_text
from .fingerprint import subject
from .model import Finding
from .rules import meta

VERSION = 1
# a crashed rule checked nothing: accepting it would hide every finding
NEVER_BASELINED = frozenset({meta.INTERNAL_ERROR.code})

Key = tuple[str, str, str]


class BaselineError(UserError):
    """A baseline file that cannot be used: reported as one clear message, exit code 2."""


class BaselineEntry(NamedTuple):
    path: str
    code: str
    subject: str
    occurrences: int = 1  # `count` in the file
    name: str = ""

    @property
    def key(self) -> Key:
        return (self.path, self.code, self.subject)


class Applied(NamedTuple):
    """What a baseline did to one run."""

    file: str
    baselined: tuple[Finding, ...]  # accepted findings: not gated, not counted, only summed up
    stale: tuple[BaselineEntry, ...]  # entries (with the count left over) that no longer occur in the checked files

    def stale_notice(self) -> str:
        """One line for the summaries; "" when nothing is stale."""
        count = sum(entry.occurrences for entry in self.stale)
        if not count:
            return ""
        what = "1 accepted finding no longer occurs" if count == 1 else f"{count} accepted findings no longer occur"
        return f"baseline {self.file}: {what}; run `medlint baseline` to shrink it"


def record_path(path: str, root: Path) -> str:
    """A finding's path as a baseline stores it: relative to the project root, whatever the working directory."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return Path(path).as_posix()


def _key(finding: Finding, root: Path) -> Key:
    return (record_path(finding.path, root), finding.code, subject(finding))


def entries(findings: Iterable[Finding], root: Path) -> list[BaselineEntry]:
    """Baseline entries for every active finding, merged by key and sorted."""
    counts: Counter[Key] = Counter()
    names: dict[Key, str] = {}
    for finding in findings:
        if finding.suppressed is None and finding.code not in NEVER_BASELINED:
            key = _key(finding, root)
            counts[key] += 1
            names[key] = finding.name
    return [BaselineEntry(*key, occurrences=counts[key], name=names[key]) for key in sorted(counts)]


def entry_dict(entry: BaselineEntry) -> dict[str, Any]:
    return {"path": entry.path, "code": entry.code, "name": entry.name, "subject": entry.subject,
            "count": entry.occurrences}


def dumps(items: Sequence[BaselineEntry]) -> str:
    document = {"version": VERSION, "entries": [entry_dict(e) for e in sorted(items, key=lambda e: e.key)]}
    return json_text(document, indent=2) + "\n"


def write(path: Path, items: Sequence[BaselineEntry]) -> None:
    try:
        files.write_text(path, dumps(items))
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {path}: {exc.strerror or exc}") from exc


def _entry(item: Any, where: str) -> BaselineEntry:
    if not isinstance(item, dict):
        raise BaselineError(f"{where}: an entry must be an object, not {type(item).__name__}")
    for field in ("path", "code", "subject"):
        if not isinstance(item.get(field), str):
            raise BaselineError(f"{where}: `{field}` must be a string")
    count = item.get("count", 1)
    if type(count) is not int or count < 1:
        raise BaselineError(f"{where}: `count` must be a whole number of at least 1, not {count!r}")
    name = item.get("name", "")
    return BaselineEntry(item["path"], item["code"], item["subject"], count, name if isinstance(name, str) else "")


def loads(text: str, source: str) -> list[BaselineEntry]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{source} is not a medlint baseline: invalid JSON ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise BaselineError(f"{source} is not a medlint baseline: expected an object with `version` and `entries`")
    if document.get("version") != VERSION:
        raise BaselineError(f"{source} is a baseline of version {document.get('version')!r}; this medlint reads "
                            f"version {VERSION}: write a new one with `medlint baseline`")
    return [_entry(item, f"{source}: entries[{index}]") for index, item in enumerate(document["entries"])]


def read(path: Path) -> list[BaselineEntry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"cannot read the baseline {path}: there is no such file; `medlint baseline` "
                            "writes it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read the baseline {path}: {getattr(exc, 'strerror', None) or exc}") from None
    return loads(text, str(path))


def _covered(path: str, root: Path, scope: Sequence[Path]) -> bool:
    absolute = root / path
    return any(absolute == item or item in absolute.parents for item in scope)


def apply(findings: Sequence[Finding], items: Sequence[BaselineEntry], *, root: Path, scope: Sequence[str],
          file: str) -> tuple[list[Finding], Applied]:
    """Split findings into those the baseline does not cover (returned) and those it accepts.

    `scope` are the files and folders this run checked (deleted files included): left-over entries
    are reported as stale only there, so checking one folder does not call the rest of the baseline stale.
    """
    budget: Counter[Key] = Counter()
    names: dict[Key, str] = {}
    for item in items:
        budget[item.key] += item.occurrences
        names[item.key] = item.name
    kept: list[Finding] = []
    accepted: list[Finding] = []
    for finding in findings:
        key = _key(finding, root)
        if finding.suppressed is None and finding.code not in NEVER_BASELINED and budget[key] > 0:
            budget[key] -= 1
            accepted.append(finding)
        else:
            kept.append(finding)
    covered = [Path(os.path.realpath(item)) for item in scope]  # realpath: no RuntimeError on a symlink loop
    stale = tuple(BaselineEntry(*key, occurrences=left, name=names[key]) for key, left in sorted(budget.items())
                  if left > 0 and _covered(key[0], root, covered))
    return kept, Applied(file, tuple(accepted), stale)
