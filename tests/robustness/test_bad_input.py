"""Every kind of bad input, end to end through every command: a clear finding at the right place, or a clear
message, the documented exit code, no traceback, and no byte written where it should not be.

The loader's unit tests (tests/test_load.py) show *what* each problem is read as; this matrix shows that
`check` (text and JSON), `report` (Markdown and HTML), `fix --check`, `fix` and `baseline` all survive the
same inputs and agree on them. Each case is a repository state; each command is run on it in-process.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from robustness_support import BASE, RECORD, TODAY, findings_document, run, snapshot, write

from medlint import discovery
from medlint.baseline import record_path
from medlint.report.markdown import escape as md

BAD = "records/zolgensma/bad.yaml"
MB = 1_000_000
Setup = Callable[[Path, pytest.MonkeyPatch], None]


class Expect(NamedTuple):
    path: str
    code: str
    line: int
    column: int
    words: str  # part of the message
    shown: str = ""  # the path as the text format prints it, when it differs (escaped control characters)


class Case(NamedTuple):
    id: str
    setup: Setup
    expect: tuple[Expect, ...]  # findings that must be reported, each exactly once
    exit: int = 1  # of `medlint check`
    paths: tuple[str, ...] = ()  # what is checked (default: records/)
    message: str = ""  # on stderr, when the answer is a message rather than a finding
    fixed: tuple[str, ...] = ()  # the only files `medlint fix` may change


def files(**contents: str | bytes) -> Setup:
    """Write files; keyword `bad` is BAD, `record` is RECORD (replacing the clean one)."""
    names = {"bad": BAD, "record": RECORD}

    def setup(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        for name, data in contents.items():
            write(root, names.get(name, name), data)
    return setup


def record(old: str, new: str) -> Setup:
    assert old in BASE
    return files(record=BASE.replace(old, new, 1))


def at(code: str, line: int, column: int, words: str, path: str = BAD) -> tuple[Expect, ...]:
    return (Expect(path, code, line, column, words),)


def line_of(text: str) -> int:
    return BASE.splitlines().index(text) + 1


DOSE = line_of("      value: 1.1e14")
NOTES = line_of("      The dose is worked out from the child's weight. 1.1 × 10^14 vector genomes/kg means")
HUGE_ADULT = ("    max_dose:\n      value: 1.1e14\n      unit: vector genomes/kg\n"
              "  - label: Adult dose\n    population: adult\n    dose:\n      value: " + "9" * 400 + "\n"
              "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n")
REVIEWED = line_of("  last_reviewed: 2026-03-02")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
CAFE = "Spinal muscular atrophy (SMA)"


def nested(opening: str, closing: str, depth: int = 10_000) -> str:
    return "a: " + opening * depth + closing * depth + "\n"


def alias_bomb() -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index in range(1, 10):
        previous, name = chr(96 + index), chr(97 + index)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def python_tags(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    canary = root.parent / "pwned"
    write(root, RECORD, BASE.replace(
        "summary: >-", f'summary: !!python/object/apply:os.system ["touch {canary}"]\nold_summary: >-', 1)
        .replace("  boxed: Serious", "  boxed: !!python/name:os.system x\n  other: !!python/object:os.system {}\n"
                 "  old: Serious", 1))


MERGE = BASE.replace("  - label: Pediatric dose\n",
                     "  - <<: {route: drip, frequency: once}\n    label: Pediatric dose\n", 1
                     ).replace("    route: intravenous\n", "", 1)


def sparse(size: int) -> Setup:
    """A file of `size` zero bytes that takes no disk space: read, it would be a NUL byte (ML003), so an
    ML007 finding also proves that medlint looked at its size, not its content."""
    def setup(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        with open(write(root, BAD, b""), "r+b") as handle:
            handle.truncate(size)
    return setup


def unreadable(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests run as root, whom no permission bit stops, so this in-process matrix makes the file
    unreadable by refusing to open it (test_unreadable_file_for_real shows the real thing)."""
    target = write(root, BAD, BASE)
    real_open = io.open

    def refusing(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == str(target):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing)
    monkeypatch.setattr("io.open", refusing)


def fifo(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a named pipe blocks until something writes to it: it must be refused, not read."""
    (root / BAD).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / BAD)


def symlink_out(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = write(root.parent, "outside/secret.yaml", b"\xef\xbb\xbf" + BASE.encode() + b"secret: 42\n")
    os.symlink(secret, root / BAD)


def dangling(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.symlink("gone.yaml", root / RECORD.replace("spinal-muscular-atrophy", "bad"))


def loop(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.symlink("loop-b.yaml", root / "records/zolgensma/bad.yaml")
    os.symlink("bad.yaml", root / "records/zolgensma/loop-b.yaml")


def directory(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "records/zolgensma/folder.yaml").mkdir()


EVIL_NAME = "records/zolgensma/evil\x1b[31m\n::error::.yaml"
# names that are not UTF-8 (the bytes ff fe), as Python reads them: every output shows them escaped
NOT_UTF8_FOLDER = "records/\udcff\udcfe/spinal-muscular-atrophy.yaml"
NOT_UTF8_FILE = "records/zolgensma/\udcff\udcfe.yaml"


def not_utf8(name: str) -> Expect:
    shown = name.replace("\udcff\udcfe", "\\xff\\xfe")
    return Expect(shown, "ML003", 1, 1, "name (or its folder's) is not valid UTF-8")

CASES = [
    Case("empty-file", files(bad=b""), at("ML006", 1, 1, "the record is empty")),
    Case("only-a-comment", files(bad=b"# nothing here yet\n"), at("ML006", 1, 1, "the record is empty")),
    Case("binary-with-nul", files(bad=PNG), at("ML003", 3, 1, "NUL byte")),
    Case("binary-without-nul", files(bad=b"\xff\xd8\xff\xe0\x10JFIF"),
         at("ML003", 1, 1, "bytes ff d8 ff e0 at byte 0")),
    Case("nul-byte", files(record=BASE.replace("language: en", "language: e\x00n", 1).encode()),
         at("ML003", 3, 12, "NUL byte", RECORD)),
    Case("latin-1", files(record=BASE.replace(CAFE, CAFE + " café", 1).encode("cp1252")),
         at("ML003", 9, 18 + len(CAFE), "bytes e9 0a", RECORD)),
    Case("mixed-encodings",
         files(record=BASE.encode().replace(CAFE.encode(), CAFE.encode() + " café".encode("cp1252"))),
         at("ML003", 9, 18 + len(CAFE), "not valid UTF-8", RECORD)),
    Case("utf-16-with-bom", files(record=BASE.encode("utf-16")), at("ML003", 1, 1, "encoded as UTF-16", RECORD)),
    Case("utf-16-without-bom", files(record=BASE.encode("utf-16-le")), at("ML003", 1, 2, "NUL byte", RECORD)),
    Case("encoded-surrogate", files(bad=b"a: \xed\xa0\x80\n"), at("ML003", 1, 4, "not valid UTF-8")),
    Case("byte-order-mark", files(record=b"\xef\xbb\xbf" + BASE.encode()),
         at("ML004", 1, 1, "byte-order mark", RECORD), exit=0, fixed=(RECORD,)),
    Case("50-megabytes", sparse(50 * MB), at("ML007", 1, 1, "50,000,000 bytes, over the 1,000,000-byte limit")),
    Case("nesting-10000-lists", files(bad=nested("[", "]")), at("ML005", 1, 67, "nests deeper than 64 levels")),
    Case("nesting-10000-maps", files(bad=nested("{a: ", "}")), at("ML005", 1, 4 + 63 * 4, "nests deeper than 64")),
    Case("alias-bomb", files(bad=alias_bomb()), at("ML005", 6, 8, "alias bomb")),
    Case("python-tags", python_tags, (
        Expect(RECORD, "ML005", 14, 10, "the tag !!python/object/apply:os.system is not allowed"),
        Expect(RECORD, "ML005", line_of("warnings:") + 2, 10, "the tag !!python/name:os.system is not allowed"),
        Expect(RECORD, "ML005", line_of("warnings:") + 3, 10, "the tag !!python/object:os.system is not allowed"))),
    Case("merge-key", files(record=MERGE), at("ML104", line_of("  - label: Pediatric dose"), 17, "is `drip`", RECORD)),
    Case("duplicate-key", record("language: en", "language: en\nlanguage: fr"),
         at("ML002", 4, 1, "the key `language` appears twice in this mapping (first on line 3)", RECORD)),
    Case("impossible-dates", files(record=BASE.replace("2026-03-02", "2026-02-30", 1)
                                   .replace("2027-03-02", "2026-02-29", 1).replace("2026-02-27", "2026-13-01", 1)), (
        Expect(RECORD, "ML104", REVIEWED, 18, "2026-02-30"),
        Expect(RECORD, "ML104", REVIEWED + 1, 20, "2026-02-29"),
        Expect(RECORD, "ML104", line_of("    accessed: 2026-02-27"), 15, "2026-13-01"))),
    Case("dose-inf", record("value: 1.1e14", "value: .inf"),
         at("ML005", DOSE, 14, "`.inf` is not a finite number", RECORD)),
    Case("dose-nan", record("value: 1.1e14", "value: .NaN"),
         at("ML005", DOSE, 14, "`.NaN` is not a finite number", RECORD)),
    Case("dose-overflowing-float", record("value: 1.1e14", "value: 1e400"),
         at("ML005", DOSE, 14, "`1e400` is too large for a number", RECORD)),
    Case("dose-huge-integer", record("value: 1.1e14", "value: " + "9" * 400),
         at("ML005", DOSE, 14, "is too large for a number", RECORD)),
    Case("dose-unparsable-integer", record("value: 1.1e14", "value: -" + "9" * 5000),
         at("ML005", DOSE, 14, "is too large for a number", RECORD)),
    # numbers no float holds, in the prose and as an adult dose that a pediatric cap is compared with
    Case("prose-power-of-ten-past-float-range", record("1.1 × 10^14 vector", "1.1 × 10^400 vector"),
         at("ML315", NOTES, 55, "larger than any number software can hold", RECORD)),
    Case("prose-dose-of-400-digits", record("1.1 × 10^14 vector", "9" * 400 + " vector"),
         at("ML315", NOTES, 55, "(418 characters)", RECORD)),
    Case("adult-dose-of-400-digits-against-a-pediatric-cap", record("    notes: >-", HUGE_ADULT + "    notes: >-"),
         at("ML005", NOTES + 5, 14, "is too large for a number", RECORD)),
    Case("directory-named-x.yaml", directory, (), exit=0),
    Case("directory-named-x.yaml-given", directory, (), exit=0, paths=("records/zolgensma/folder.yaml",),
         message="no records (*.yaml) found in records/zolgensma/folder.yaml"),
    Case("unreadable-file", unreadable, at("ML003", 1, 1, "the file cannot be read: Permission denied")),
    Case("named-pipe", fifo, at("ML003", 1, 1, "not a regular file")),
    Case("symlink-out-of-the-repository", symlink_out,
         at("ML003", 1, 1, "outside the repository; it was not read")),
    Case("dangling-symlink", dangling, at("ML003", 1, 1, "cannot be read: No such file or directory")),
    Case("symlink-loop", loop, (Expect(BAD, "ML003", 1, 1, "Too many levels of symbolic links"),
                                Expect(BAD.replace("bad", "loop-b"), "ML003", 1, 1, "Too many levels"))),
    Case("path-given-twice", record("route: intravenous", "route: drip"),  # no fix: fix_write changes nothing
         at("ML104", line_of("    route: intravenous"), 12, "is `drip`", RECORD),
         paths=(RECORD, "./" + RECORD, "records")),
    Case("outside-records", files(**{"drafts/page.yaml": BASE}),
         at("ML110", 2, 5, "this file is not at records/", "drafts/page.yaml"), paths=("drafts", "records")),
    Case("not-utf-8-folder-name", files(**{NOT_UTF8_FOLDER: BASE}), (not_utf8(NOT_UTF8_FOLDER),)),
    Case("not-utf-8-file-name", files(**{NOT_UTF8_FILE: BASE}), (not_utf8(NOT_UTF8_FILE),)),
    Case("not-utf-8-file-name-given", files(**{NOT_UTF8_FILE: BASE}), (not_utf8(NOT_UTF8_FILE),),
         paths=(NOT_UTF8_FILE,)),
    Case("hostile-file-name", files(**{EVIL_NAME: BASE}),
         (Expect(EVIL_NAME, "ML110", 2, 5, "records/", "records/zolgensma/evil\\x1b[31m\\x0a::error::.yaml"),)),
]


# --- the commands, each with what it promises on any input -------------------------------------------

def check_text(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", "--today", TODAY, *case.paths)
    assert result.code == case.exit, result.out + result.err
    for e in case.expect:
        assert result.out.count(f"{e.shown or e.path}:{e.line}:{e.column}: {e.code} ") == 1, result.out
        assert e.words in result.out
    assert "\x1b" not in result.out
    assert case.message in result.err


def check_json(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "check", "--today", TODAY, "--format", "json", *case.paths)
    assert result.code == case.exit
    findings = findings_document(result.out)["findings"]
    for e in case.expect:
        same = [f for f in findings if (f["path"], f["code"], f["line"], f["column"]) == e[:4]]
        assert len(same) == 1 and e.words in same[0]["message"], findings
    assert "ML900" not in {f["code"] for f in findings}, findings  # no rule crashed on it
    assert case.message in result.err


def report_markdown(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "report", "--today", TODAY, "--format", "markdown", *case.paths)
    assert result.code == 0  # a report informs; `check` is the gate
    for e in case.expect:
        assert f"{md(e.path)}:{e.line}" in result.out and f"[{e.code}](#" in result.out


def report_html(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = root.parent / "report.html"
    result = run(capsys, "report", "--today", TODAY, "--out", str(out), *case.paths)
    page = out.read_text(encoding="utf-8")
    assert result.code == 0 and page.startswith("<!DOCTYPE html>")
    for e in case.expect:
        assert f'title="{html.escape(f"{e.shown or e.path}:{e.line}")}"' in page and f'id="rule-{e.code}"' in page


def fix_check(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root)
    result = run(capsys, "fix", "--check", "--today", TODAY, *case.paths)
    assert result.code in (0, 1) and snapshot(root) == before


def fix_write(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(root.parent)
    result = run(capsys, "fix", "--today", TODAY, *case.paths)
    after = snapshot(root.parent)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert result.code in (0, 1)
    assert changed == {f"repo/{path}" for path in case.fixed}, changed
    for path in case.fixed:  # what fix wrote reads back as a clean record
        assert run(capsys, "check", "--today", TODAY, path).code == 0


def baseline(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A baseline of today's findings accepts all of them, whatever they are about."""
    file = str(root.parent / "baseline.json")
    assert run(capsys, "baseline", "--today", TODAY, "--output", file, *case.paths).code == 0
    entries = json.loads(Path(file).read_text(encoding="utf-8"))["entries"]
    assert {(record_path(e.path, root), e.code) for e in case.expect} <= {(e["path"], e["code"]) for e in entries}
    result = run(capsys, "check", "--today", TODAY, "--format", "json", "--baseline", file, *case.paths)
    assert result.code == 0 and findings_document(result.out)["findings"] == []


def new_from(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`medlint new --from` reads another record: a clear message or a faithful copy, never a broken record."""
    for source in ("zolgensma/spinal-muscular-atrophy", "zolgensma/bad"):
        before = snapshot(root)
        result = run(capsys, "new", "zolgensma/new-page", "--from", source, "--today", TODAY)
        created = root / "records" / "zolgensma" / "new-page.yaml"
        assert "\x1b" not in result.out + result.err
        if result.code == 2:
            assert result.err.startswith("medlint: error: cannot copy the drug fields of") and not created.exists()
            assert result.err.count("\n") == 1 and snapshot(root) == before
            continue
        assert result.code == 0
        page = "records/zolgensma/new-page.yaml"
        findings = findings_document(run(capsys, "check", "--today", TODAY, "--format", "json", page).out)["findings"]
        assert {f["code"] for f in findings if f["path"] == page} == {"ML201"}, findings
        created.unlink()


def lsp_buffer(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What an editor sends `medlint lsp` for each record file: the findings `medlint check` reports."""
    from medlint.lsp.analysis import Project, Settings, analyse

    project = Project(Settings(dt.date.fromisoformat(TODAY)))
    for path in sorted((root / "records").rglob("*.y*ml")):
        if path.is_symlink() or not path.is_file():
            continue  # an editor opens the file a link points at
        try:
            data = path.read_bytes()
        except OSError:
            continue  # nor can it open what it cannot read
        try:
            buffer = data.decode("utf-8")
        except UnicodeDecodeError:
            buffer = data.decode("utf-8", "surrogateescape")  # bytes an editor shows as it can
        analysis = analyse(buffer, path.resolve(), root.resolve(), project)
        assert analysis.error == "" and "ML900" not in {f.code for f in analysis.findings}
        if buffer.encode("utf-8", "surrogatepass") == data:
            relative = str(path.relative_to(root))
            cli = findings_document(run(capsys, "check", "--today", TODAY, "--format", "json", "--no-cache",
                                        relative).out)["findings"]
            assert [(f.code, f.line, f.column) for f in analysis.findings] == [  # a name not UTF-8 is shown escaped
                (f["code"], f["line"], f["column"]) for f in cli if f["path"] == discovery.display_path(Path(relative))]
        else:
            assert "ML003" in {f.code for f in analysis.findings}


COMMANDS = [check_text, check_json, report_markdown, report_html, fix_check, fix_write, baseline, new_from,
            lsp_buffer]


@pytest.mark.parametrize("command", COMMANDS, ids=[c.__name__ for c in COMMANDS])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, command: Callable[[Case, Path, pytest.CaptureFixture[str]], None], repo: Path,
                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    case.setup(repo, monkeypatch)
    command(case, repo, capsys)
    assert not (repo.parent / "pwned").exists()  # no tag was ever executed


def test_the_matrix_covers_every_command() -> None:
    from medlint.cli import COMMANDS as CLI

    covered = {"check", "report", "fix", "baseline", "new", "lsp"}
    # these read no record (test-styles reads rule files: tests/styles/test_errors.py feeds it broken ones)
    assert set(CLI) - covered == {"rules", "explain", "schema", "test-styles"}


# --- what the matrix cannot show in-process ------------------------------------------------------------

AUDIT = textwrap.dedent("""
    import os, sys
    watched = os.path.realpath(sys.argv[1])
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)) \\
                and os.path.realpath(os.fsdecode(args[0])) == watched:
            os.write(2, b"OPENED " + os.fsencode(watched) + b"\\n")
    sys.addaudithook(hook)
    from medlint.cli import main
    sys.exit(main(sys.argv[2:]))
""")


@pytest.mark.slow
def test_a_50_megabyte_record_is_refused_without_being_opened(repo: Path) -> None:
    """A real 50 MB record (valid YAML, not a sparse file), checked by a real process that reports every
    file it opens (Python's audit hooks): refused by its size, never opened, by every command."""
    big = repo / "records/zolgensma/huge.yaml"
    chunk = ("  " + "Zolgensma is a one-time gene therapy for young children with SMA. " * 20 + "\n").encode()
    with open(big, "wb") as handle:
        handle.write(BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: zolgensma/huge").encode())
        handle.write(b"notes: >-\n" + chunk * (50 * MB // len(chunk) + 1))
    assert big.stat().st_size > 50 * MB
    for argv in (["check", "--format", "json"], ["report", "--format", "markdown"], ["fix", "--check"],
                 ["baseline", "--output", str(repo.parent / "b.json")]):
        done = subprocess.run([sys.executable, "-c", AUDIT, str(big), *argv, "--today", TODAY],
                              capture_output=True, text=True, cwd=repo)
        assert "OPENED" not in done.stderr and "Traceback" not in done.stderr, (argv, done.stderr)
        assert done.returncode in (0, 1)
        if argv[0] == "check":
            huge = [f for f in findings_document(done.stdout)["findings"] if f["path"].endswith("huge.yaml")]
            assert [(f["code"], f["line"], f["column"]) for f in huge] == [("ML007", 1, 1)]


def _without_file_permission_override() -> None:
    """In the child, before it runs Python: give up root's power to ignore file permissions (the
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH capabilities), so a mode-000 file is unreadable to it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_unreadable_file_for_real(repo: Path) -> None:
    """A mode-000 file read by a process that file permissions apply to (root without its override)."""
    locked = write(repo, BAD, BASE)
    locked.chmod(0)
    probe = [sys.executable, "-c", f"open({str(locked)!r}, 'rb')"]
    isolate = _without_file_permission_override if os.geteuid() == 0 else None
    try:
        if subprocess.run(probe, preexec_fn=isolate, capture_output=True).returncode == 0:
            pytest.skip("this system lets the test process read a mode-000 file whatever it does")
    except subprocess.SubprocessError:
        pytest.skip("cannot drop the capabilities that let root read any file here")
    done = subprocess.run([sys.executable, "-m", "medlint.cli", "check", "--format", "json", "--today", TODAY],
                          preexec_fn=isolate, capture_output=True, text=True, cwd=repo)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    found = [(f["path"], f["code"], f["line"], f["message"]) for f in findings_document(done.stdout)["findings"]]
    assert found == [(BAD, "ML003", 1, "the file cannot be read: Permission denied")]


@pytest.mark.slow  # real processes
def test_names_that_are_not_utf8_in_a_real_process(repo: Path, tmp_path: Path) -> None:
    """A real process writes to real streams, where a lone surrogate cannot be encoded: every format of
    `check` (its cache cold, then warm), `report`, `baseline` and `fix` on a folder and a file whose names
    are the bytes ff fe, and a one-file run beside them (the drug folder's other records are read too)."""
    write(repo, NOT_UTF8_FOLDER, BASE)
    write(repo, NOT_UTF8_FILE, BASE)
    runs = [["check", *options] for options in (["--format", "text"], ["--format", "text"], ["--format", "sarif"],
                                                ["--format", "markdown"], ["--format", "json"], ["--format", "junit"],
                                                ["--format", "github"], ["--format", "gitlab"], ["--no-cache"])]
    runs += [["report", "--format", name, "--out", "-"] for name in ("html", "markdown", "csv")]
    runs += [["baseline", "--output", str(tmp_path / "b.json")], ["fix"], ["fix", "--diff"], ["check", RECORD]]
    for argv in runs:
        done = subprocess.run([sys.executable, "-m", "medlint.cli", *argv, "--today", TODAY], cwd=repo,
                              capture_output=True)
        assert b"Traceback" not in done.stderr, (argv, done.stderr.decode(errors="replace"))
        assert done.returncode == (0 if argv[0] in ("report", "baseline") or argv[-1] == RECORD else 1), argv
        assert b"\xff" not in done.stdout + done.stderr, argv  # the raw bytes never reach a stream
        if argv[0] == "check" and argv[-1] != RECORD:
            shown = done.stdout.replace(b"\\\\", b"\\").replace(b"%5C", b"\\")  # JSON, Markdown; a SARIF URI
            assert b"\\xff\\xfe" in shown, (argv, done.stdout[:300])


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(folder=st.binary(min_size=1, max_size=6), name=st.binary(min_size=1, max_size=6))
def test_any_bytes_as_folder_and_file_names(repo: Path, tmp_path_factory: pytest.TempPathFactory,
                                            capsys: pytest.CaptureFixture[str], folder: bytes, name: bytes) -> None:
    """Any bytes (but `/` and NUL, which no name can hold) as a drug folder's and a record's name, checked
    with the cache cold and warm, in every text-bearing format, and reported: a finding, never a traceback,
    and output a UTF-8 stream can take (robustness_support.run checks both)."""
    clean = [part.replace(b"/", b"_").replace(b"\0", b"_") for part in (folder, name)]
    if clean[0] in (b".", b"..") or clean[0].startswith(b"."):
        clean[0] = b"x" + clean[0]
    root = tmp_path_factory.mktemp("names")
    path = os.path.join(os.fsencode(root), b"records", clean[0], clean[1] + b".yaml")
    os.makedirs(os.path.dirname(path))
    with open(path, "wb") as handle:
        handle.write(BASE.encode())
    records, cache = os.fsdecode(os.path.join(os.fsencode(root), b"records")), str(root / "cache")
    for argv in (["--format", "json"], ["--format", "json"], ["--format", "sarif"], ["--format", "markdown"],
                 ["--format", "github"]):
        result = run(capsys, "check", "--today", TODAY, "--cache-dir", cache, *argv, records)
        assert result.code == 1, result
    assert run(capsys, "report", "--today", TODAY, "--format", "csv", "--no-cache", records).code == 0


NO_NETWORK = textwrap.dedent("""
    import os, sys
    def hook(event, args):
        if event.startswith(("socket.", "urllib.")) or event in ("http.client.connect", "ftplib.connect"):
            os.write(2, f"NETWORK {event} {args!r}\\n".encode())
            os._exit(99)
    sys.addaudithook(hook)
    from medlint.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.slow
def test_no_command_touches_the_network(repo: Path) -> None:
    """URLs in records, a schema `$ref` to the web: no command opens a socket (Python's audit hooks see every
    socket and URL request); the remote `$ref` is refused with a message."""
    write(repo, BAD, BASE.replace("https://", "http://").replace("spinal-muscular-atrophy", "bad"))
    for argv in (["check"], ["check", "--format", "sarif"], ["report", "--out", str(repo.parent / "r.html")],
                 ["fix"], ["baseline", "--output", str(repo.parent / "b.json")]):
        done = subprocess.run([sys.executable, "-c", NO_NETWORK, *argv, "--today", TODAY], capture_output=True,
                              text=True, cwd=repo)
        assert done.returncode in (0, 1) and "NETWORK" not in done.stderr, (argv, done.stderr)
    write(repo, "remote.json", json.dumps({"$ref": "https://schemas.example/record.json"}))
    write(repo, "medlint.toml", 'schema = "remote.json"\n')
    done = subprocess.run([sys.executable, "-c", NO_NETWORK, "check", "--today", TODAY], capture_output=True,
                          text=True, cwd=repo)
    assert done.returncode == 2 and "NETWORK" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.startswith("medlint: error: ") and "offline" in done.stderr
