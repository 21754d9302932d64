"""Shared by tests/robustness/: the hostile text every output must survive, and running the CLI in a
throwaway repository exactly as a user (or a CI job on a pull request) runs it."""
from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pytest
from support import BASE, ROOT

from medlint.cli import main

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
TODAY = "2026-11-25"

# Each defeats one kind of output if it is not escaped: HTML (a tag, an event handler, a URL scheme),
# GitHub workflow commands (`%` encodings, a line break that starts a new command), XML CDATA, terminals
# (ESC sequences, the one-character C1 forms of CSI, OSC, DCS and ST, backspace, BEL), what a reader sees
# (bidi overrides, embeddings and isolates, zero-width characters), and line-based readers (NEL, the
# Unicode line and paragraph separators).
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "%0A::error::injected%0D",
    "100% sure",
    "\r\n::error file=x::injected\n::warning::also",
    "]]><![CDATA[",
    "\x1b[31mred\x1b[0m\x1b]0;title\x07",
    "\x08\x0b\x0c\x7f\x85\u2028\u2029\u202e",
    "\x9b31mC1-red\x9b0m \x9d0;c1-title\x9c \x90qdcs\x9c \x07",
    "\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c \u200b\u200d\ufeff\u2060",
    '"quotes\' & `ticks` | pipe ) ] } $math$ @mention [link](https://evil.example) ![img](x) <!-- -->',
)
HOSTILE_TEXT = " ".join(HOSTILE)
LONG_LINE = "word " * 20_000  # 100,000 characters on one line


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: every control character as an escape, so the file itself holds
    none (and no NUL byte) while the loaded value holds them all."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029\u202e":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def hostile_record(text: str = HOSTILE_TEXT) -> str:
    """A record whose every finding quotes `text`: an invalid route, unit, URL and date, a reviewer and a
    title that reports show, and an unknown key named by it."""
    value = yaml_quoted(text)
    return (BASE.replace("route: intravenous", f"route: {value}")
            .replace("unit: vector genomes/kg", f"unit: {value}")
            .replace("brand_name: Zolgensma", f"brand_name: {value}")
            .replace("- name: A. Reviewer", f"- name: {value}")
            .replace("next_review_due: 2027-03-02", f"next_review_due: {value}")
            .replace("language: en", f"language: {value}\n{value}: 1"))


class Result(NamedTuple):
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    """`medlint ARGV` in-process. A traceback is never an acceptable answer to any input, and whatever is
    printed can be written to a UTF-8 terminal (a real process would fail encoding a lone surrogate)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, err
    (out + err).encode("utf-8")
    return Result(code, out, err)


def write(root: Path, relative: str, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root`: file bytes, or where a symbolic link points, or "dir"; for before/after."""
    out: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[key] = "-> " + str(path.readlink())
        elif path.is_dir():
            out[key] = "dir"
        elif path.is_file():
            out[key] = _read(path) if path.stat().st_size < 5_000_000 else f"{path.stat().st_size} bytes"
        else:
            out[key] = "special"
    return out


def _read(path: Path) -> bytes:
    """Through the OS, not `open`, which a test may have made refuse a file (see test_bad_input.unreadable)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


@cache
def _findings_validator() -> Any:
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def findings_document(text: str) -> dict[str, Any]:
    """The `--format json` output, parsed and validated against schemas/findings.schema.json."""
    document = json.loads(text)
    _findings_validator().validate(document)
    return dict(document)


__all__ = ["BASE", "HOSTILE", "HOSTILE_TEXT", "LONG_LINE", "RECORD", "TODAY", "Result", "findings_document",
           "hostile_record", "run", "snapshot", "write", "yaml_quoted"]
