"""The fix core: one pass of edits, passes until settled, verification, atomic writes, diffs."""
from __future__ import annotations

import itertools
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from support import BASE, BASE_PATH, ROOT, TODAY, run_config

from medlint import config as config_mod, engine, fix, load
from medlint.model import Edit, Finding, Fix, Hit, Position, Severity
from medlint.record import Record
from medlint.rules.base import Docs, Rule, RuleContext
from medlint.rules.fields import replace_fix

RUN = engine.Run(TODAY)


def finding(*edits: Edit, safe: bool = True, code: str = "ML999", suppressed: str | None = None) -> Finding:
    return Finding("r.yaml", Position(1, 1, 1, 1), code, "test-fix", Severity.WARNING, "m",
                   fix=Fix("test", edits, safe), suppressed=suppressed)


# --- apply: one pass ------------------------------------------------------------------------------

def test_apply_splices_edits_in_text_order_whatever_the_finding_order() -> None:
    result = fix.apply("a 10mg b 5mg", [finding(Edit(10, 10, " ")), finding(Edit(4, 4, " "))])
    assert result.text == "a 10 mg b 5 mg" and len(result.fixed) == 2


def test_apply_skips_a_fix_that_overlaps_one_taken_and_keeps_fixes_whole() -> None:
    first = finding(Edit(0, 3, "xyz"))
    overlapping = finding(Edit(2, 4, "!!"), Edit(6, 7, "Z"))  # its second edit alone would fit: all or nothing
    result = fix.apply("abcdefg", [overlapping, first])
    assert result.text == "xyzdefg" and result.fixed == (first,)


def test_two_insertions_at_one_point_conflict_but_touching_edits_do_not() -> None:
    a, b, c = finding(Edit(2, 2, "X")), finding(Edit(2, 2, "Y")), finding(Edit(0, 2, "ba"))
    result = fix.apply("abcd", [a, b, c])
    assert result.fixed == (c, a) and result.text == "baXcd"


def test_identical_fixes_from_two_rules_are_both_fixed_once() -> None:
    one, two = finding(Edit(0, 1, "B")), finding(Edit(0, 1, "B"), code="ML998")
    result = fix.apply("abc", [one, two])
    assert result.text == "Bbc" and set(result.fixed) == {one, two}


def test_unsafe_suppressed_out_of_range_and_no_op_fixes() -> None:
    unsafe = finding(Edit(0, 1, "X"), safe=False)
    suppressed = finding(Edit(1, 2, "Y"), suppressed="quoted from the label")
    beyond = finding(Edit(2, 9, "Z"))
    no_op = finding(Edit(0, 1, "a"))
    result = fix.apply("abc", [unsafe, suppressed, beyond, no_op])
    assert result.text == "abc" and result.fixed == ()
    assert fix.apply("abc", [unsafe], unsafe=True).text == "Xbc"


def test_line_breaks_in_edits_follow_the_file() -> None:
    assert fix.apply("a: 1\r\nb: 2\r\n", [finding(Edit(4, 4, "\nc: 3"))]).text == "a: 1\r\nc: 3\r\nb: 2\r\n"
    assert fix.apply("a: 1\nb: 2\n", [finding(Edit(4, 4, "\r\nc: 3"))]).text == "a: 1\nc: 3\nb: 2\n"


@st.composite
def text_and_fixes(draw: st.DrawFn) -> tuple[str, list[Finding]]:
    text = draw(st.text("ab\n", max_size=12))
    offsets = st.integers(0, len(text))
    fixes = []
    for _ in range(draw(st.integers(0, 5))):
        spans = draw(st.lists(st.tuples(offsets, offsets).map(sorted), min_size=1, max_size=2))
        fixes.append(finding(*(Edit(a, b, draw(st.text("xy", max_size=2))) for a, b in spans)))
    return text, fixes


@pytest.mark.slow
@given(text_and_fixes())
def test_apply_takes_whole_fixes_whose_edits_do_not_overlap(case: tuple[str, list[Finding]]) -> None:
    text, fixes = case
    result = fix.apply(text, fixes)
    edits = sorted({e for f in result.fixed if f.fix for e in f.fix.edits if text[e.start : e.end] != e.text})
    assert all(a.end <= b.start and a.start != b.start for a, b in itertools.pairwise(edits))
    spliced = text
    for edit in reversed(edits):
        spliced = spliced[: edit.start] + edit.text + spliced[edit.end :]
    assert result.text == spliced
    for left_out in (f for f in fixes if f not in result.fixed and f.fix):  # only for a reason
        live = [e for e in left_out.fix.edits if text[e.start : e.end] != e.text] if left_out.fix else []
        assert not live or any(fix._overlaps(e, other) for i, e in enumerate(live) for other in edits + live[i + 1 :])


# --- plan: passes, verification -------------------------------------------------------------------

RuleCheck = Callable[[Record, RuleContext], Iterator[Hit]]


@pytest.fixture
def add_rule() -> Callable[..., config_mod.Config]:
    """A config whose run adds a throwaway fixing rule ML999 and runs it alone (with `also`)."""

    def register(check: RuleCheck, safe: bool = True, also: tuple[str, ...] = ()) -> config_mod.Config:
        rule = Rule("ML999", "test-fix", "test", Severity.WARNING, "A fixing rule for tests.",
                    Docs("", "", "", ""), check=check, fixable=True)
        return config_mod.build({}, root=ROOT, select=["ML999", *also], extra_rules=(rule,))

    return register


def replacing(old: str, new: str, safe: bool = True) -> RuleCheck:
    """A rule that replaces `old` with `new` in every string value, where it stands verbatim in the source."""

    def check(record: Record, context: RuleContext) -> Iterator[Hit]:
        for pointer in record.nodes:
            value = record.get(pointer)
            if isinstance(value, str):
                for match in re.finditer(re.escape(old), value):
                    fix = replace_fix(record, pointer, match.start(), match.end(), new, f"{old} -> {new}", safe)
                    yield Hit(pointer, f"write {new}", start=match.start(), end=match.end(), fix=fix)

    return check


def raw(pattern: str, new: str) -> RuleCheck:
    """A careless rule: it rewrites the source text wherever `pattern` matches, values or not."""

    def check(record: Record, context: RuleContext) -> Iterator[Hit]:
        for match in re.finditer(pattern, record.text):
            yield Hit((), "raw", fix=Fix("raw", (Edit(match.start(), match.end(), new),)))

    return check


ODD = """\
# a record with comments, flow style, odd indentation and quoting
schema_version: 1   # trailing comment
drug: {brand_name: "Zolgensma", generic_name: 'onasemnogene'}
dosing:
-   label:   "Pediatric dose, 5 \u00b5g"     # odd indentation
    dose: {value: 5, unit: \u00b5g/kg}
    notes: |
        Give 5 \u00b5g per kg.
          Keep this indentation.
    # \u00b5g in a comment is not data
sections:
    what_to_expect: [ 'one \u00b5g', two ]
"""


def test_only_the_fixed_spans_change(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(replacing("\u00b5g", "mcg"))
    result = fix.plan(ODD.encode(), "r.yaml", config, RUN)
    assert fix.diff(result) == """\
--- a/r.yaml
+++ b/r.yaml
@@ -2,11 +2,11 @@
 schema_version: 1   # trailing comment
 drug: {brand_name: "Zolgensma", generic_name: 'onasemnogene'}
 dosing:
--   label:   "Pediatric dose, 5 \u00b5g"     # odd indentation
-    dose: {value: 5, unit: \u00b5g/kg}
+-   label:   "Pediatric dose, 5 mcg"     # odd indentation
+    dose: {value: 5, unit: mcg/kg}
     notes: |
-        Give 5 \u00b5g per kg.
+        Give 5 mcg per kg.
           Keep this indentation.
     # \u00b5g in a comment is not data
 sections:
-    what_to_expect: [ 'one \u00b5g', two ]
+    what_to_expect: [ 'one mcg', two ]
"""
    assert [f.code for f in result.fixed] == ["ML999"] * 4 and result.remaining == ()


def test_crlf_and_a_byte_order_mark(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(replacing("cc", "mL"), also=("ML004",))
    data = b"\xef\xbb\xbfa: 1\r\nvolume: 5 cc  # cc\r\nlist:\r\n  - \"2 cc\"\r\n"
    result = fix.plan(data, "r.yaml", config, RUN)
    assert result.after == b"a: 1\r\nvolume: 5 mL  # cc\r\nlist:\r\n  - \"2 mL\"\r\n"
    assert fix.diff(result) == (
        "--- a/r.yaml\n+++ b/r.yaml\n@@ -1,4 +1,4 @@\n"
        "-\\ufeffa: 1\r\n-volume: 5 cc  # cc\r\n+a: 1\r\n+volume: 5 mL  # cc\r\n list:\r\n"
        "-  - \"2 cc\"\r\n+  - \"2 mL\"\r\n")
    assert sorted(f.code for f in result.fixed) == ["ML004", "ML999", "ML999"]


def test_fixing_twice_equals_fixing_once_and_the_fixed_file_is_clean(
        add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(replacing("\u00b5g", "mcg"), also=("ML004",))
    once = fix.plan(b"\xef\xbb\xbf" + ODD.encode(), "r.yaml", config, RUN)
    twice = fix.plan(once.after, "r.yaml", config, RUN)
    assert once.changed and not twice.changed and twice.fixed == ()
    loaded = load.load_text(once.after, "r.yaml")
    assert engine.lint([load.Source("r.yaml", loaded.record, tuple(loaded.problems), loaded.text)], config, RUN) == []


def test_fixes_that_overlap_run_in_later_passes(add_rule: Callable[..., config_mod.Config]) -> None:
    def halve(record: Record, context: RuleContext) -> Iterator[Hit]:  # `xx` -> `x`, at overlapping matches
        for match in re.finditer("(?=(xx))", record.text):
            yield Hit((), "xx", fix=Fix("xx", (Edit(match.start(1), match.end(1), "x"),)))

    result = fix.plan(b"a: xxxy\n", "r.yaml", add_rule(halve), RUN)
    assert result.after == b"a: xy\n" and len(result.fixed) == 2 and not result.refused


def test_a_fix_that_breaks_the_yaml_is_refused(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw("fine", "fine: [broken"))
    result = fix.plan(b"a: fine\n", "r.yaml", config, RUN)
    assert not result.changed and result.after == b"a: fine\n"
    assert result.refused.startswith("the fixed text would not read as a record (invalid YAML")


def test_a_fix_that_changes_a_value_it_was_not_made_in_is_refused(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw(r"1\nb: 2", "1\nb: 3"))  # one edit across two values
    result = fix.plan(b"a: 1\nb: 2\n", "r.yaml", config, RUN)
    assert not result.changed and result.refused == "the fixes would change `b`, which no fix was made in"


def test_each_edit_belongs_to_the_scalar_whose_source_holds_it() -> None:
    text = "a: &x [1, 'two']\nb: *x\nc:\n  <<: {k: v}\n  n: |\n    block\n  m: \"q\"\nd: [x]\n"
    record = load.load_text(text.encode(), "r.yaml").record
    assert record is not None
    scalars = [(p, i) for p, i in record.nodes.items() if i.style not in ("map", "seq")]
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            expected = {p for p, i in scalars if i.start <= start <= end <= i.end}
            assert set(fix._edited_scalars(record, [Edit(start, end, "")])) == expected, (start, end)


def test_a_fix_that_adds_a_key_is_refused(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw("# note", "c: 3"))
    result = fix.plan(b"a: 1\n# note\n", "r.yaml", config, RUN)
    assert result.refused == "the fixes would change `(document)`, which no fix was made in"


def test_a_fix_in_a_comment_or_a_value_type_in_place_is_allowed(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw(r"1\.0|colour", "1"))
    result = fix.plan(b"a: 1.0  # colour\n", "r.yaml", config, RUN)
    assert result.after == b"a: 1  # 1\n" and not result.refused


def test_a_fix_that_introduces_a_loading_problem_is_refused(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw("b: 2", "a: 2"))
    result = fix.plan(b"a: 1\nb: 2\n", "r.yaml", config, RUN)
    assert result.refused.startswith("the fixes would cause ML002: the key `a` appears twice")


def test_fixes_that_undo_each_other_are_refused(add_rule: Callable[..., config_mod.Config]) -> None:
    def swap(record: Record, context: RuleContext) -> Iterator[Hit]:
        yield from raw("ping", "pong")(record, context)
        yield from raw("pong", "ping")(record, context)

    config = add_rule(swap)
    result = fix.plan(b"a: ping\n", "r.yaml", config, RUN)
    assert not result.changed and result.refused.startswith("the fixes did not settle after 10 passes")


def test_ruamel_must_read_what_it_read_before(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw("2026-02-03", "2026-02-30"))  # libyaml reads a string, ruamel a date it cannot make
    refused = fix.plan(b"d: 2026-02-03\n", "r.yaml", config, RUN)
    assert refused.refused.startswith("ruamel.yaml cannot read the fixed text: day is out of range for month")
    config = add_rule(raw("5 cc", "5 mL"))  # ruamel never read this file, so it is no witness against the fix
    assert fix.plan(b"d: 2026-02-30\nv: 5 cc\n", "r.yaml", config, RUN).after == b"d: 2026-02-30\nv: 5 mL\n"


@pytest.mark.parametrize("data", [b"\xef\xbb\xbfa: [\n", b"\xef\xbb\xbfa: 1\n---\nb: 2\n", b"\xef\xbb\xbfa: caf\xe9\n"],
                         ids=["invalid YAML", "two documents", "not UTF-8"])
def test_a_file_that_does_not_read_exactly_is_never_rewritten(data: bytes) -> None:
    result = fix.plan(data, "r.yaml", run_config(select=["ML004"]), RUN)
    assert not result.changed and "medlint rewrites only files it reads exactly" in result.refused


def test_the_bom_stays_when_its_rule_is_off_or_suppressed() -> None:
    data = b"\xef\xbb\xbf" + BASE.encode()
    assert not fix.plan(data, BASE_PATH, run_config(select=["ML1"]), RUN).changed
    suppressed = b"\xef\xbb\xbf# medlint: disable=ML004 -- the upstream export needs it\n" + BASE.encode()
    assert not fix.plan(suppressed, BASE_PATH, run_config(select=["ML004"]), RUN).changed


# --- write: atomic, permissions kept ----------------------------------------------------------------

def test_write_replaces_the_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    assert fix.write(path, b"new\n", b"old\n") is None
    assert path.read_bytes() == b"new\n" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["r.yaml"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "interrupted"])
def test_a_failure_before_the_rename_leaves_the_original_and_no_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"old\n")

    def fail(source: str, destination: str) -> None:
        assert Path(source).read_bytes() == b"new\n"  # written in full, not yet in place
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    if isinstance(failure, OSError):
        assert fix.write(path, b"new\n", b"old\n") == "cannot write the file: No space left on device"
    else:
        with pytest.raises(KeyboardInterrupt):
            fix.write(path, b"new\n", b"old\n")
    assert path.read_bytes() == b"old\n" and os.listdir(tmp_path) == ["r.yaml"]


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"edited meanwhile\n")
    assert fix.write(path, b"new\n", b"old\n") == "the file changed while medlint was fixing it; run medlint fix again"
    assert path.read_bytes() == b"edited meanwhile\n"


# --- output ---------------------------------------------------------------------------------------

def test_diff_shows_invisible_characters_and_a_missing_final_newline() -> None:
    result = fix.Plan("r.yaml", "a: x\u202e\x1b\nb: 1".encode(), b"a: y\nb: 2")
    assert fix.diff(result) == ("--- a/r.yaml\n+++ b/r.yaml\n@@ -1,2 +1,2 @@\n-a: x\\u202e\\x1b\n-b: 1\n"
                                "\\ No newline at end of file\n+a: y\n+b: 2\n\\ No newline at end of file\n")


def test_summary_says_what_was_fixed_and_what_remains() -> None:
    bom = finding(code="ML004")._replace(name="byte-order-mark")
    left = finding(Edit(0, 1, "x"), safe=False)._replace(code="ML301", name="error-prone-unit")
    plans = [fix.Plan("a.yaml", b"1", b"2", (bom, finding(), finding()), (left,)),
             fix.Plan("b.yaml", b"1", b"1", refused="invalid YAML (ML001)"),
             fix.Plan("c.yaml", b"1", b"1")]
    assert fix.summary(plans, written=True) == (
        "a.yaml: fixed 3 (ML004 byte-order-mark, ML999 test-fix \u00d72); 1 remain\n"
        "b.yaml: not fixed: invalid YAML (ML001)\n"
        "Fixed 3 problems in 1 file; 1 file not fixed; 1 problem remains. 1 more fixable with --unsafe-fixes "
        "(review them: they may change meaning). `medlint check` shows what remains.\n")
    assert fix.summary(plans[2:], written=False) == "Nothing to fix in 1 file.\n"
    assert fix.summary(plans[:1], written=False, unsafe=True).endswith(
        "Would fix 3 problems in 1 file; 1 problem remains. Run `medlint fix` to apply. "
        "`medlint check` shows what remains.\n")


def test_a_fix_whose_edit_misses_the_characters_it_names_is_refused(
        add_rule: Callable[..., config_mod.Config]) -> None:
    """What a wrong value-to-source offset did (issue 12): the rule meant `10.0` -> `10`, its edit landed on
    `10.05`, which became `105`. The value would change in a way no fix meant, so nothing is written."""
    def misplaced(record: Record, context: RuleContext) -> Iterator[Hit]:
        start = record.get(("a",)).index("10.0")
        source = record.text.index("10.05")  # where the old offset map sent it
        yield Hit(("a",), "10.0", fix=Fix("write 10", (Edit(source, source + 4, "10", ("a",), start, start + 4),)))

    result = fix.plan(b'a: "Dose table:\\n10.0mg 10.05 mg per kg."\n', "r.yaml", add_rule(misplaced), RUN)
    assert not result.changed
    assert result.refused == ("the fixes would make `a` read “Dose table:\n10.0mg 105 mg per kg.” where they meant "
                              "“Dose table:\n10mg 10.05 mg per kg.”; medlint changes only the characters a fix names")


def test_a_fix_that_edits_an_escape_or_another_value_is_refused(add_rule: Callable[..., config_mod.Config]) -> None:
    def escape(record: Record, context: RuleContext) -> Iterator[Hit]:  # `\n` is one value character
        at = record.text.index("\\n")
        yield Hit(("a",), "x", fix=Fix("x", (Edit(at, at + 2, " "),)))

    result = fix.plan(b'a: "Dose:\\n10 mg"\n', "r.yaml", add_rule(escape), RUN)
    assert "is not written as itself in the source" in result.refused

    def elsewhere(record: Record, context: RuleContext) -> Iterator[Hit]:
        at = record.text.index("10")
        yield Hit(("a",), "x", fix=Fix("x", (Edit(at, at + 2, "20", ("b",), 0, 2),)))

    result = fix.plan(b'a: "10 mg"\nb: "10 mg"\n', "r.yaml", add_rule(elsewhere), RUN)
    assert result.refused == "a fix meant for another value would edit `a`"


def test_a_number_may_only_be_rewritten_whole_as_the_same_number(add_rule: Callable[..., config_mod.Config]) -> None:
    config = add_rule(raw(r"(?<=: )10\.5", "105"))
    result = fix.plan(b"a: 10.5\n", "r.yaml", config, RUN)
    assert not result.changed and result.refused == "the fixes would change `a` from 10.5 to 105"
