"""`medlint fix`: apply the edits that rules attach to their findings, prove the result safe, write it atomically.

The core is pure: `apply` splices one pass of edits into a text, `plan` runs passes (lint, apply, verify)
until nothing changes, and returns the bytes to write or the reason not to. Only `fix_paths` and `write`
touch the file system. Edits work on the source text itself, so everything a fix does not touch (comments,
key order, quoting, styles, indentation, line endings) is kept byte for byte.
"""
from __future__ import annotations

import bisect
import dataclasses
import difflib
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ruamel.yaml import YAML

from . import discovery, engine, excerpt, files, load
from .config import Config
from .escaping import visible_line
from .model import Edit, Finding, Pointer, yaml_path
from .record import Record
from .report.base import plural
from .rules import loading

MAX_PASSES = 10  # a fix that re-creates what another fix removed would otherwise loop for ever
UNREADABLE = ("syntax", "unreadable")  # decode.Problem kinds: a file medlint cannot read exactly is never rewritten
BOM = b"\xef\xbb\xbf"


class Applied(NamedTuple):
    text: str
    fixed: tuple[Finding, ...]  # findings whose edits are all in `text`


class Plan(NamedTuple):
    """What fixing one file does: the bytes before and after, or why the file is left as it was."""

    path: str
    before: bytes
    after: bytes
    fixed: tuple[Finding, ...] = ()  # the first pass's fixable findings that the result no longer has
    remaining: tuple[Finding, ...] = ()  # what the fixed file (or the untouched one) is still reported for
    refused: str = ""  # why nothing is written; `after` is then `before`

    @property
    def changed(self) -> bool:
        return self.after != self.before


def fixable(finding: Finding, unsafe: bool = False) -> bool:
    fix = finding.fix
    return fix is not None and finding.suppressed is None and (fix.safe or unsafe)


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _overlaps(edit: Edit, other: Edit) -> bool:
    # two insertions at one point, or an insertion where a replacement starts, have no defined order
    return edit.start == other.start or (edit.start < other.end and other.start < edit.end)


def _clashes(edit: Edit, starts: list[int], ends: list[int]) -> bool:
    """`_overlaps` against every taken edit, in O(log n): taken edits, sorted by start, never overlap one
    another, so only the last one starting at or before `edit` and the first one after it can."""
    i = bisect.bisect_right(starts, edit.start)
    return (i > 0 and (starts[i - 1] == edit.start or ends[i - 1] > edit.start)) or (
        i < len(starts) and starts[i] < edit.end)


def apply(text: str, findings: Iterable[Finding], unsafe: bool = False) -> Applied:
    """One pass: the fixes of `findings` whose edits overlap no edit already taken, in text order.

    A fix is all or nothing. Two rules proposing the very same edits both count as fixed. A fix that
    overlaps one taken waits for the next pass, on the text this one produced (its rule may then no
    longer fire); a fix with an edit outside the text is never applied.
    """
    newline = _newline(text)
    taken: set[tuple[int, int, str]] = set()  # what is spliced in; two rules may propose the very same edit
    starts: list[int] = []
    ends: list[int] = []
    fixed: list[Finding] = []
    candidates = [(f, f.fix) for f in findings if fixable(f, unsafe) and f.fix is not None and f.fix.edits]
    for finding, fix in sorted(candidates, key=lambda pair: min(pair[1].edits)):
        # a CRLF file stays CRLF whatever line breaks a rule wrote
        edits = [e._replace(text=re.sub(r"\r?\n", newline, e.text)) for e in fix.edits]
        if any(not 0 <= e.start <= e.end <= len(text) for e in edits):
            continue
        edits = [e for e in edits if text[e.start : e.end] != e.text]
        if not edits:
            continue  # the text already says what the fix would write
        if all(e[:3] in taken for e in edits):
            fixed.append(finding)
        elif not any(_clashes(e, starts, ends) or any(_overlaps(e, o) for o in edits[i + 1 :])
                     for i, e in enumerate(edits)):
            for edit in edits:
                taken.add(edit[:3])
                at = bisect.bisect_left(starts, edit.start)
                starts.insert(at, edit.start)
                ends.insert(at, edit.end)
            fixed.append(finding)
    pieces, position = [], 0
    for start, end, new in sorted(taken):
        pieces += [text[position:start], new]
        position = end
    return Applied("".join(pieces) + text[position:], tuple(fixed))


# --- verification -------------------------------------------------------------------------------

def _changes(before: Any, after: Any, pointer: Pointer = ()) -> Iterator[Pointer]:
    """Pointers at which two loaded documents differ; a mapping whose keys differ counts as one change."""
    if isinstance(before, dict) and isinstance(after, dict):
        if list(before) != list(after):
            yield pointer
        else:
            for key in before:
                yield from _changes(before[key], after[key], (*pointer, key))
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            yield pointer
        else:
            for index, (old, new) in enumerate(zip(before, after, strict=True)):
                yield from _changes(old, new, (*pointer, index))
    elif type(before) is not type(after) or (before != after and before == before):  # nan == nan here
        yield pointer


def _edited_scalars(record: Record, edits: Iterable[Edit]) -> dict[Pointer, list[Edit]]:
    """The scalars whose source holds an edit, with their edits. An edit in a comment, a key or across
    nodes owns none, so it may change no value at all."""
    # Scalars never overlap in the source (pointers that a merge key shares share one span), so each edit
    # can only lie in the last span that starts at or before it: found by bisection, not by a scan.
    spans: dict[tuple[int, int], list[Pointer]] = {}
    for pointer, info in record.nodes.items():
        if info.style not in ("map", "seq"):
            spans.setdefault((info.start, info.end), []).append(pointer)
    ordered = sorted(spans)
    starts = [start for start, _ in ordered]
    out: dict[Pointer, list[Edit]] = {}
    for edit in edits:
        at = bisect.bisect_right(starts, edit.start) - 1
        if at >= 0 and edit.end <= ordered[at][1]:
            for pointer in spans[ordered[at]]:
                out.setdefault(pointer, []).append(edit)
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _intended(record: Record, pointer: Pointer, edits: list[Edit]) -> tuple[Any, str | None]:
    """The value a scalar must have after `edits`, or why there is none. Each edit replaces value
    characters: those its rule names (`Edit.pointer`, `value_start`, `value_end`), else those whose source
    it replaces one for one (never an escape, a fold or a doubled quote). A number written plain may only
    be rewritten whole, as the same number (`1.0` -> `1`)."""
    value = record.get(pointer)
    if any(edit.pointer and edit.pointer != pointer for edit in edits):
        return None, f"a fix meant for another value would edit `{yaml_path(pointer)}`"
    if _is_number(value):
        info = record.nodes[pointer]
        whole = (info.start, info.start + len(record.raw(pointer)))
        if info.style is None and all((e.start, e.end) == whole and e.value_start < 0 for e in edits):
            return value, None
        return None, f"a fix would edit part of the number `{excerpt.quote(record.raw(pointer))}`"
    source = record.source_map(pointer) if isinstance(value, str) else None
    changes: list[tuple[int, int, str]] = []
    for edit in set(edits):
        span: tuple[int, int] | None = (edit.value_start, edit.value_end)
        if not edit.pointer:
            span = source.value_span(edit.start, edit.end) if source is not None else None
        if not isinstance(value, str) or span is None or not 0 <= span[0] <= span[1] <= len(value):
            shown = excerpt.quote(record.text[edit.start : edit.end])
            return None, (f"a fix would edit `{shown}` in `{yaml_path(pointer)}`, which is not written as itself "
                          "in the source (an escape, a folded line or a doubled quote)")
        changes.append((*span, edit.text))
    pieces: list[str] = []
    position = 0
    for start, end, text in sorted(changes):
        if start < position:
            return None, f"two fixes would edit the same characters of `{yaml_path(pointer)}`"
        pieces += [value[position:start], text]
        position = end
    return "".join(pieces) + value[position:], None


def _first_difference(old: str, new: str) -> int:
    return next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))


def _unintended(pointer: Pointer, intended: Any, got: Any) -> str:
    """Why a fixed value is refused: where it differs from what the fixes meant, quoted briefly."""
    where = f"`{yaml_path(pointer)}`"
    if not (isinstance(intended, str) and isinstance(got, str)):
        return f"the fixes would change {where} from {excerpt.quote(repr(intended))} to {excerpt.quote(repr(got))}"
    at = _first_difference(intended, got)
    return (f"the fixes would make {where} read “{excerpt.around(got, at, at + 1)}” where they meant "
            f"“{excerpt.around(intended, at, at + 1)}”; medlint changes only the characters a fix names")


def _ruamel_error(text: str) -> str | None:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # medlint reports duplicates (ML002); they must not block other fixes
    try:
        yaml.load(text)
    except Exception as exc:  # ruamel raises YAMLError, and ValueError for impossible dates
        return " ".join(str(exc).split())
    return None


def verify(before: load.Source, after: load.Source, edits: Iterable[Edit]) -> str | None:
    """Why `after` must not replace `before`, or None: it reads as a record, with no new loading problem;
    only the scalars the edits were made in differ, and each of those is its old value with exactly the
    edited characters replaced, character for character (so no offset error can ever change a number)."""
    if after.record is None or before.record is None:
        problem = after.problems[0].message if after.problems else "it is not a record"
        return f"the fixed text would not read as a record ({problem})"
    known = {p.kind for p in before.problems}
    new = [p for p in after.problems if p.kind not in known]
    if new:
        return f"the fixes would cause {loading.rule_of(new[0]).code}: {new[0].message}"
    edited = _edited_scalars(before.record, edits)
    for pointer in _changes(before.record.data, after.record.data):
        if pointer not in edited:
            return f"the fixes would change `{yaml_path(pointer)}`, which no fix was made in"
    for pointer, owned in edited.items():
        intended, refusal = _intended(before.record, pointer, owned)
        if refusal:
            return refusal
        got = after.record.get(pointer)
        if type(got) is not type(intended) and not (_is_number(got) and _is_number(intended)):
            return _unintended(pointer, intended, got)
        if got != intended and got == got:  # nan == nan here
            return _unintended(pointer, intended, got)
    return None


# --- planning -------------------------------------------------------------------------------------

def _lint(loaded: load.Source, path: str, config: Config, run: engine.Run) -> list[Finding]:
    """Every finding, whatever `max-findings-per-rule` says: a fix pass takes all the fixes at once."""
    return engine.lint([loaded._replace(path=path)], dataclasses.replace(config, max_findings_per_rule=0), run)


def _load(data: bytes, path: str, expected: str | None, config: Config) -> load.Source:
    return load.load_text(data, path, expected=expected, max_bytes=config.max_file_bytes)


def plan(data: bytes, path: str, config: Config, run: engine.Run, *, expected: str | None = None,
         unsafe: bool = False) -> Plan:
    """Fix one file's bytes in memory: passes of lint and `apply` until no fix changes the text."""
    first = loaded = _load(data, path, expected, config)
    initial = findings = _lint(loaded, path, config, run)
    blocking = [p for p in loaded.problems
                if p.kind in UNREADABLE or (loaded.record is None and p.kind != "byte-order-mark")]
    if blocking:
        return Plan(path, data, data, remaining=tuple(initial),
                    refused=f"{blocking[0].message} ({loading.rule_of(blocking[0]).code}); medlint rewrites only "
                            "files it reads exactly")
    # The BOM is not in the decoded text, so its fix has no edits: it is applied by reading the file
    # without it (the next passes then no longer report it) and writing the result without one.
    bom = [f for f in findings if f.code == loading.BYTE_ORDER_MARK.code and fixable(f, unsafe)]
    if bom:
        loaded = _load(data[len(BOM) :], path, expected, config)
        findings = _lint(loaded, path, config, run)
    text = loaded.text
    for _ in range(MAX_PASSES):
        applied = apply(text, findings, unsafe)
        if applied.text == text:
            break
        candidate = _load(applied.text.encode("utf-8"), path, expected, config)
        edits = [edit for finding in applied.fixed if finding.fix for edit in finding.fix.edits]
        problem = verify(loaded, candidate, edits)
        if problem:
            return Plan(path, data, data, remaining=tuple(initial), refused=problem)
        text, loaded = applied.text, candidate
        findings = _lint(loaded, path, config, run)
    else:
        return Plan(path, data, data, remaining=tuple(initial),
                    refused=f"the fixes did not settle after {MAX_PASSES} passes (two rules undo each other?)")
    if text != first.text:
        problem = _ruamel_error(text)
        if problem and _ruamel_error(first.text) is None:
            return Plan(path, data, data, remaining=tuple(initial),
                        refused=f"ruamel.yaml cannot read the fixed text: {problem}")
    keep_bom = data.startswith(BOM) and not bom
    return Plan(path, data, (BOM if keep_bom else b"") + text.encode("utf-8"), _gone(initial, findings, unsafe),
                tuple(findings))


def _gone(before: Sequence[Finding], after: Sequence[Finding], unsafe: bool) -> tuple[Finding, ...]:
    """The fixable findings of the file as it was that the fixed file no longer has: what `medlint check`
    counts as fixable, so the two agree (one fix that also ends another finding, such as a power of ten
    whose mojibake `×` it rewrites, counts both)."""
    left = Counter((f.code, f.pointer, f.subject, f.message) for f in after)
    out = []
    for finding in before:
        key = (finding.code, finding.pointer, finding.subject, finding.message)
        if left[key]:
            left[key] -= 1
        elif fixable(finding, unsafe):
            out.append(finding)
    return tuple(out)


# --- files ------------------------------------------------------------------------------------------

def _destination(target: discovery.Target, config: Config, paths: Sequence[str]) -> Path | None:
    """The real file to write: symlinks resolved, and inside the repository or a path given by name."""
    # realpath, unlike Path.resolve before Python 3.13, does not raise on a symlink loop (reading it then fails)
    real = Path(os.path.realpath(target.path))
    bounds = [config.root.resolve(), *(Path(os.path.realpath(p)) for p in paths if not Path(p).is_symlink())]
    return real if any(real.is_relative_to(bound) for bound in bounds) else None


def write(path: Path, data: bytes, expected: bytes) -> str | None:
    """Replace `path` with `data` atomically, keeping its permissions (files.write_bytes: a crash or an
    interrupt leaves the old file or the new one, never half of one); the reason it was not written, or None."""
    try:
        if path.read_bytes() != expected:
            return "the file changed while medlint was fixing it; run medlint fix again"
        files.write_bytes(path, data)
    except OSError as exc:
        return f"cannot write the file: {exc.strerror or exc}"
    return None


def _plan_target(target: discovery.Target, config: Config, run: engine.Run, paths: Sequence[str],
                 unsafe: bool) -> tuple[Plan, Path | None]:
    if target.problem is not None:
        return Plan(target.display, b"", b"", refused=target.problem.message), None
    destination = _destination(target, config, paths)
    if destination is None:
        return Plan(target.display, b"", b"",
                    refused="the file lies outside the repository and the paths given "
                            "(through a symbolic link); medlint fix does not write there"), None
    data, problems = load.read_bytes(destination, config.max_file_bytes)
    if data is None:
        return Plan(target.display, b"", b"", refused=problems[0].message if problems else "unreadable"), None
    return plan(data, target.display, config, run, expected=load.expected_of(target.path), unsafe=unsafe), destination


def fix_paths(paths: Sequence[str], config: Config, run: engine.Run, *, unsafe: bool = False,
              write_files: bool = True) -> tuple[list[Plan], list[str]]:
    """Plan (and unless told otherwise, write) the fixes of every record under `paths`; and the paths that
    do not exist, in which case nothing is planned or written."""
    targets, missing = discovery.discover(paths, config.root, exclude=config.exclude)
    if missing:
        return [], missing
    plans: list[Plan] = []
    for target in targets:
        result, destination = _plan_target(target, config, run, paths, unsafe)
        if write_files and result.changed and destination is not None:
            problem = write(destination, result.after, result.before)
            if problem:
                result = result._replace(after=result.before, refused=problem)
        plans.append(result)
    return plans, missing


# --- output -----------------------------------------------------------------------------------------

def _lines(data: bytes, escape: bool) -> list[str]:
    lines = re.findall(r"[^\n]*\n|[^\n]+$", data.decode("utf-8", errors="replace"))
    return [visible_line(line) for line in lines] if escape else lines


def diff(result: Plan, escape: bool = True) -> str:
    """The change as a unified diff, paths prefixed a/ and b/. Escaped, it is for eyes (a removed BOM
    shows as `\\ufeff`); unescaped, it is the exact text that `git apply` needs. A file medlint fixes
    parsed as YAML, which allows no terminal control characters, so the exact text is safe to pipe."""
    if not result.changed:
        return ""
    path = visible_line(result.path)
    out = []
    lines = _lines(result.before, escape), _lines(result.after, escape)
    for line in difflib.unified_diff(*lines, f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _kinds(findings: Sequence[Finding]) -> str:
    counts = Counter(f"{f.code} {f.name}" for f in findings)
    return ", ".join(kind + (f" \u00d7{count}" if count > 1 else "") for kind, count in sorted(counts.items()))


def summary(plans: Sequence[Plan], written: bool, unsafe: bool = False) -> str:
    """Per file, what was fixed (or would be) and what remains; then the totals."""
    verb = "fixed" if written else "would fix"
    lines: list[str] = []
    fixed = remaining = unsafe_left = 0
    for result in plans:
        left = [f for f in result.remaining if f.suppressed is None]
        remaining += len(left)
        unsafe_left += sum(1 for f in left if fixable(f, unsafe=True) and not fixable(f, unsafe))
        if result.refused:
            lines.append(f"{visible_line(result.path)}: not fixed: {visible_line(result.refused)}")
        elif result.changed:
            fixed += len(result.fixed)
            still = f"; {len(left)} remain" if left else ""
            lines.append(f"{visible_line(result.path)}: {verb} {len(result.fixed)} ({_kinds(result.fixed)}){still}")
    files = sum(1 for r in plans if r.changed)
    refused = sum(1 for r in plans if r.refused)
    clauses = []
    if files:
        clauses.append(f"{verb.capitalize()} {plural(fixed, 'problem')} in {plural(files, 'file')}")
    elif refused < len(plans) or not plans:
        clauses.append(f"Nothing to fix in {plural(len(plans) - refused, 'file')}")
    if refused:
        clauses.append(f"{plural(refused, 'file')} not fixed")
    if remaining:
        clauses.append(f"{plural(remaining, 'problem')} remain{'s' if remaining == 1 else ''}")
    sentence = "; ".join(clauses) + "."
    if files and not written:
        sentence += " Run `medlint fix` to apply."
    if unsafe_left:
        sentence += f" {unsafe_left} more fixable with --unsafe-fixes (review them: they may change meaning)."
    if remaining:
        sentence += " `medlint check` shows what remains."
    return "\n".join([*lines, sentence]) + "\n"
