"""Dose-limit tables: the shipped tables against the corpus, tenfold slips in every record, and tables that
are wrong in every way a table can be (positioned findings, never a crash)."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from support import ROOT, TODAY, lint_text, run_config, source

from medlint import engine, limits, runner, schema
from medlint.cli import main
from medlint.record import NodeInfo, Record

LIMITS = ROOT / "limits"
# Drugs whose records arrived without a table: open work, listed so that the gap is visible and can only shrink
# (a table added for one of them fails the coverage test until its name leaves this list). None today.
WITHOUT_TABLES: frozenset[str] = frozenset()
ALL_RECORDS = sorted((ROOT / "records").glob("*/*.yaml"))
RECORDS = [p for p in ALL_RECORDS if p.parent.name not in WITHOUT_TABLES]
# Correct records the tables were not written against, as editors write them from the labels, with doses on the
# tables' edges: weight bands given and not, doses in mL through a table's concentration, caps in mL/day, ranges
# whose ends meet per-day limits.
UNSEEN = sorted((ROOT / "tests" / "fixtures" / "unseen" / "records").glob("*/limits-*.yaml"))
ERRORS = {"ML801", "ML803", "ML804"}
JUDGED = {*ERRORS, "ML802"}


def _table(record: Path) -> str:
    return (LIMITS / f"{record.parent.name}.yaml").read_text(encoding="utf-8")


def _rel(record: Path) -> str:
    """The record's path as a content repository has it (records/<drug>/<file>), wherever the test keeps it."""
    return f"records/{record.parent.name}/{record.name}"


def test_every_drug_in_records_has_a_table_and_the_corpus_checks_clean() -> None:
    tables = sorted(LIMITS.glob("*.yaml"))
    assert {p.parent.name for p in ALL_RECORDS} - {p.stem for p in tables} == WITHOUT_TABLES
    config = run_config(settings={"require-limits": True})
    outcome, missing = runner.check([*map(str, RECORDS), str(LIMITS)], config, engine.Run(TODAY), jobs=1)
    assert missing == [] and outcome.files == len(RECORDS) + len(tables)
    assert [f"{f.path}:{f.line} {f.code} {f.message}" for f in outcome.findings] == []


# --- every record, one dose slipped ---------------------------------------------------------------

def _slips(record: Record) -> Iterator[tuple[str, str, tuple[int, ...]]]:
    """(what was done, the record's text with it done, the lines of the changed dose): one dose entry at a
    time, its numbers multiplied by 10, divided by 10, and its unit's mcg written as mg."""
    for index, entry in enumerate(record.data["dosing"]):
        dose = entry["dose"]
        keys = [key for key in ("value", "low", "high") if key in dose]
        lines = tuple(record.locate(("dosing", index, "dose", key)).line for key in keys)
        for name, factor in (("x10", 10.0), ("/10", 0.1)):
            edits = [(record.nodes[("dosing", index, "dose", key)], format(dose[key] * factor, ".12g"))
                     for key in keys]
            yield f"dosing[{index}] {name}", _apply(record.text, edits), lines
        if dose["unit"].startswith("mcg"):
            node = record.nodes[("dosing", index, "dose", "unit")]
            yield f"dosing[{index}] mg for mcg", _apply(record.text, [(node, "mg" + dose["unit"][3:])]), lines


def _apply(text: str, edits: list[tuple[NodeInfo, str]]) -> str:
    for node, new in sorted(edits, key=lambda e: -e[0].start):
        text = text[: node.start] + new + text[node.end :]
    return text


CASES = [(path, slip) for path in [*RECORDS, *UNSEEN]
         for slip in _slips(source(path.read_bytes(), _rel(path)).record)]  # type: ignore[arg-type]


# A slip that lands inside the label's own range cannot be an error: the label allows that dose. It must still
# be warned about, as above the usual maximum (the records arrive with other branches; a key that names no
# record here is simply not used).
INSIDE_THE_LABEL = {("lisinopril/hypertension", "dosing[2] x10"): "5 mg x 10 is 50 mg; the label's doses reach 80 mg"}


@pytest.mark.parametrize(("path", "slip"), CASES, ids=[f"{p.parent.name}/{p.stem} {s[0]}" for p, s in CASES])
def test_a_slipped_dose_fails_at_its_line(path: Path, slip: tuple[str, str, tuple[int, ...]]) -> None:
    name, text, lines = slip
    rel = _rel(path)
    assert [f for f in lint_text(path.read_bytes(), path=rel, limits=_table(path)) if f.code in ERRORS] == []
    expected = {"ML802"} if (f"{path.parent.name}/{path.stem}", name) in INSIDE_THE_LABEL else ERRORS
    found = [f for f in lint_text(text, path=rel, limits=_table(path)) if f.code in expected]
    assert any(f.line in lines for f in found), [f"{f.line} {f.code} {f.message}" for f in found]


def test_every_record_has_slips_to_try() -> None:
    assert {path for path, _ in CASES} == {*RECORDS, *UNSEEN}


# --- correct records the tables were not written against (UNSEEN) ------------------------------------

# The numbers that sit exactly on a limit, as (record folder, dosing index, number, "max" or "min"): a nudge of 2%
# past it must be reported, so the silence at the limit itself is the rules reading the edge right.
ON_THE_EDGE = {
    *(("oseltamivir", i, "value", edge) for i in (1, 2, 3, 4) for edge in ("max", "min")),  # 4 is 12.5 mL, 75 mg
    ("oseltamivir", 0, "value", "max"),
    ("ceftriaxone", 0, "high", "max"),  # 2 g is the usual maximum (soft)
    ("ceftriaxone", 0, "low", "min"),  # 1 g once daily is the least a day
    ("ceftriaxone", 1, "low", "min"),  # 25 mg/kg every 12 hours is 50 mg/kg a day
    *(("levetiracetam", i, key, "max") for i in (0, 1) for key in ("high", "max_dose")),  # 1,500 mg twice daily
    ("fexofenadine", 0, "value", "min"),  # 10 mL is 60 mg
    ("fexofenadine", 1, "value", "max"), ("fexofenadine", 1, "value", "min"),  # 5 mL is 30 mg
    ("fexofenadine", 1, "max_dose", "max"),  # 10 mL a day is 60 mg a day
    *(("hepatitis-b-vaccine-recombinant", i, "value", edge) for i in (0, 1) for edge in ("max", "min")),  # 10 mcg
    ("hepatitis-b-vaccine-recombinant", 2, "value", "min"),  # 1 mL is 20 mcg
    ("hepatitis-b-vaccine-recombinant", 3, "value", "max"),  # 2 mL is 40 mcg
}


def test_unseen_records_at_the_labels_maximum_pass_with_every_dose_covered() -> None:
    assert len(UNSEEN) >= 3 and all((LIMITS / f"{p.parent.name}.yaml").is_file() for p in UNSEEN)
    config = run_config(settings={"require-limits": True})
    outcome, missing = runner.check(list(map(str, UNSEEN)), config, engine.Run(TODAY), jobs=1)
    assert missing == [] and outcome.records == len(UNSEEN)
    assert [f"{f.path}:{f.line} {f.code} {f.message}" for f in outcome.findings] == []


def _nudges(record: Record) -> Iterator[tuple[tuple[object, ...], str, int]]:
    """(the number's key in ON_THE_EDGE, the record's text with it nudged 2% past the edge, its line)."""
    for index, entry in enumerate(record.data["dosing"]):
        for block, key in (("dose", "value"), ("dose", "low"), ("dose", "high"), ("max_dose", "value")):
            if key not in entry.get(block, {}):
                continue
            name = "max_dose" if block == "max_dose" else key
            node = record.nodes[("dosing", index, block, key)]
            for factor, edge in ((1.02, "max"), (0.98, "min")):
                text = _apply(record.text, [(node, format(entry[block][key] * factor, ".12g"))])
                yield (record.data["id"].split("/")[0], index, name, edge), text, \
                    record.locate(("dosing", index, block, key)).line


def test_a_dose_on_the_edge_of_its_limit_is_silent_and_a_nudge_past_it_is_not() -> None:
    reported = set()
    for path in UNSEEN:
        rel = _rel(path)
        record = source(path.read_bytes(), rel).record
        assert record is not None
        for key, text, line in _nudges(record):
            if any(f.line == line for f in lint_text(text, path=rel, limits=_table(path)) if f.code in JUDGED):
                reported.add(key)
    assert reported == set(ON_THE_EDGE)


# --- a slipped dose in an entry that also breaks the schema -----------------------------------------

SLIPPED = (ROOT / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml").read_text(encoding="utf-8") \
    .replace("      value: 1.1e14\n", "      value: 1.1e15\n", 1)


def _slip_findings(text: str) -> list[tuple[int, str]]:
    table = (LIMITS / "zolgensma.yaml").read_text(encoding="utf-8")
    return sorted((f.line, f.code) for f in lint_text(text, path=RECORD, limits=table)
                  if f.code.startswith(("ML1", "ML8")))


@pytest.mark.parametrize(("old", "new", "schema_code"), [
    ("    route: intravenous\n", "    route: intravenous\n    bogus: 1\n", "ML102"),  # an unknown field
    ("  - label: Pediatric dose\n    population", "  - population", "ML101"),  # a required field missing
    ("  - label: Pediatric dose\n", "  - label: 5\n", "ML103"),  # a field of the wrong type
    ("      unit: vector genomes/kg\n", "      unit: vector genomes/kg\n      per: kg\n", "ML102"),  # in the dose
    ("    frequency: once\n", "    frequency: one time\n", "ML104"),  # not needed by a per-kg-per-dose limit
], ids=["unknown field", "label missing", "label a number", "unknown key in the dose", "frequency unreadable"])
def test_a_schema_error_beside_the_dose_does_not_stop_the_limit_check(old: str, new: str, schema_code: str) -> None:
    """The limit rules read only value, unit, route, population, bands and frequency: a schema error in any
    other field of the entry is reported, and the slipped dose still fails at its own line."""
    text = SLIPPED.replace(old, new, 1)
    assert text != SLIPPED
    found = _slip_findings(text)
    assert schema_code in {code for _, code in found}
    assert (_line_of(text, "value: 1.1e15"), "ML804") in found, found


@pytest.mark.parametrize(("old", "new"), [
    ("    route: intravenous\n", "    route: IV\n"),
    ("    population: pediatric\n    dose:", "    population: children\n    dose:"),
    ("      value: 1.1e15\n", "      value: '1.1e15'\n"),
], ids=["route IV", "population children", "value a string"])
def test_a_dose_whose_own_fields_break_the_schema_is_checked_once_they_are_fixed(old: str, new: str) -> None:
    """The documented limit (docs/limits.md, What a table cannot catch): a dose whose route, population or value
    is itself invalid matches no table entry, so only the schema error is reported; the gate fails on it, and
    the limit check runs as soon as it is fixed."""
    text = SLIPPED.replace(old, new, 1)
    assert text != SLIPPED
    assert [code for _, code in _slip_findings(text)] in (["ML103"], ["ML104"])
    assert (_line_of(SLIPPED, "value: 1.1e15"), "ML804") in _slip_findings(SLIPPED)


# --- tables that are wrong --------------------------------------------------------------------------

TABLE = (LIMITS / "zolgensma.yaml").read_text(encoding="utf-8")
TABLE_PATH = "limits/zolgensma.yaml"


def _table_findings(text: str, today: dt.date = TODAY) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.code, f.message) for f in lint_text(text, path=TABLE_PATH, today=today)]


@pytest.mark.parametrize("path", sorted(LIMITS.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_shipped_tables_are_clean(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [f for f in lint_text(text, path=f"limits/{path.name}") if f.suppressed is None] == []
    table, problems = limits.read(source(text, f"limits/{path.name}").record)  # type: ignore[arg-type]
    assert problems == [] and table.usable and table.entries


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "code", "at", "words"), [
    ("      minimum: 1.1e14\n", "      minimum: 1.1e14\n      soft: 2.2e14\n", "ML807", "soft: 2.2e14",
     ["soft limit", "above the hard limit"]),
    ("      minimum: 1.1e14\n", "      minimum: 3.3e14\n", "ML807", "minimum: 3.3e14", ["no dose can pass"]),
    ("      unit: vector genomes/kg\n", "      unit: vg/kg\n", "ML807", "vg/kg", ["did you mean `vector genomes/kg`"]),
    ("      unit: vector genomes/kg\n", "      unit: vector genomes\n", "ML807", "unit: vector genomes\n",
     ["not a per_kg_per_dose unit"]),
    ("      unit: doses\n", "      unit: doses/day\n", "ML807", "doses/day", ["not a house dose unit"]),
    ("      under: 2 years\n", "      from: 2 years\n      under: 1 years\n", "ML807", "age_range", ["covers nobody"]),
    ("      hard: 1\n", "      hard: one\n", "ML103", "hard: one", ["must be a number"]),
    ("      hard: 1\n", "      hardd: 1\n", "ML102", "hardd", ["not a field of a limits table"]),
    ("    source: ", "    sauce: ", "ML102", "sauce", ["`limits[0].sauce` is not a field"]),
    ("- route: intravenous\n", "- route: IV\n", "ML104", "route: IV", ["expected one of"]),
    ("  generic_name: onasemnogene abeparvovec-xioi\n", "  generic_name: x\n  generic_name: y\n", "ML002",
     "generic_name: y", ["appears twice"]),
    ("schema_version: 1\n", "schema_version: 1\n  bad: [\n", "ML001", "bad: [", ["invalid YAML"]),
])
def test_a_broken_table_gets_findings_at_its_own_line(old: str, new: str, code: str, at: str,
                                                      words: list[str]) -> None:
    text = TABLE.replace(old, new, 1)
    assert text != TABLE
    found = [f for f in _table_findings(text) if f[2] == code]
    assert found, _table_findings(text)
    assert any(line in (_line_of(text, at), _line_of(text, at) - 1) and all(w in message for w in words)
               for line, _, _, message in found), found


def test_overlapping_bands_that_disagree_are_reported_at_the_later_entry() -> None:
    second = ("  - route: intravenous\n    population: pediatric\n    age_range:\n      under: 1 years\n"
              "    source: a second entry\n    per_kg_per_dose:\n      hard: 2.2e14\n      unit: vector genomes/kg\n")
    text = TABLE.replace("review:\n", second + "review:\n", 1)
    found = [f for f in _table_findings(text) if f[2] == "ML807"]
    assert [line for line, *_ in found] == [_line_of(text, "      hard: 2.2e14") - 1]
    assert "a dose in the overlap has two answers" in found[0][3]
    meeting = second.replace("      under: 1 years\n", "      from: 2 years\n")
    assert [f for f in _table_findings(TABLE.replace("review:\n", meeting + "review:\n", 1)) if f[2] == "ML807"] == []


def test_a_table_is_reviewed_like_a_record() -> None:
    later = dt.date(2028, 1, 5)
    assert [(line, code) for line, _, code, _ in _table_findings(TABLE, today=later)] == [
        (_line_of(TABLE, "next_review_due"), "ML504")]


@given(st.integers(min_value=0, max_value=len(TABLE) - 1), st.text(max_size=12))
def test_a_mangled_table_never_crashes(at: int, junk: str) -> None:
    text = TABLE[:at] + junk + TABLE[at + len(junk):]
    assert all(code != "ML900" for _, _, code, _ in _table_findings(text))


@given(st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["limits", "route", "population", "per_dose", "per_day", "unit", "hard",
                                         "soft", "minimum", "age_range", "from", "under", "concentration", "volume",
                                         "value", "indications", "per_lifetime", "drug", "generic_name"]),
                        inner, max_size=4), max_leaves=20))
def test_any_value_reads_as_a_table_or_problems(data: object) -> None:
    document = data if isinstance(data, dict) else {"limits": data}
    table, problems = limits.read(Record(TABLE_PATH, "", document, {}, None))
    assert table.usable == (not problems)
    # the compiled yes/no validator never accepts what jsonschema refuses
    assert schema.fast_validator(name=schema.LIMITS)(document) == \
        schema.validator(str(schema.packaged_schema_path(schema.LIMITS))).is_valid(document)


# --- a table is part of its records' key: cache, hook runs, --changed-since -------------------------

RECORD = "records/zolgensma/spinal-muscular-atrophy.yaml"
STRICTER = TABLE.replace("      minimum: 1.1e14\n      hard: 1.1e14\n", "      hard: 5e13\n")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for relative, text in ((RECORD, (ROOT / RECORD).read_text(encoding="utf-8")), (TABLE_PATH, TABLE)):
        _write(tmp_path / relative, text)
    return tmp_path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    old = time.time() - 60  # older than the cache's racy window, so that stats are trusted
    os.utime(path, (old, old))


def _check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[tuple[str, int, str]]]:
    code = main(["check", "--today", "2026-11-25", "--format", "json", *argv])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return code, [(f["path"], f["line"], f["code"]) for f in findings]


def test_a_changed_table_rechecks_its_records_through_the_cache(repo: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    cache = ["--cache-dir", str(repo / "cache")]
    assert _check(capsys, *cache) == (0, [])
    assert _check(capsys, *cache) == (0, [])  # a warm run, from the whole-run cache
    _write(repo / TABLE_PATH, STRICTER)  # the record did not change; its drug's table did
    code, found = _check(capsys, *cache)
    assert code == 1 and (RECORD, 65, "ML801") in found
    _write(repo / TABLE_PATH, TABLE)
    assert _check(capsys, *cache) == (0, [])


def test_a_hook_run_given_only_the_table_checks_its_records_for_the_limits_alone(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = repo / RECORD
    _write(record, record.read_text(encoding="utf-8").replace("route: intravenous", "route: IV"))
    assert _check(capsys, "--no-cache", TABLE_PATH) == (0, [])  # the record's ML104 is not the table's business
    _write(repo / TABLE_PATH, STRICTER.replace("- route: intravenous", "- route: IV"))
    code, found = _check(capsys, "--no-cache", TABLE_PATH)
    assert code == 1 and [c for _, _, c in found] == ["ML104", "ML806"]  # the table's own; its records unchecked
    _write(record, record.read_text(encoding="utf-8").replace("route: IV", "route: intravenous"))
    _write(repo / TABLE_PATH, STRICTER)
    assert _check(capsys, "--no-cache", TABLE_PATH) == (1, [(RECORD, 65, "ML801")])


def test_the_default_check_includes_the_tables(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(repo / TABLE_PATH, TABLE.replace("      hard: 1\n", "      hard: 1\n      soft: 2\n"))
    code, found = _check(capsys, "--no-cache")
    assert code == 1 and (TABLE_PATH, _line_of(TABLE, "      hard: 1\n") + 1, "ML807") in found
    dosing = _line_of((repo / RECORD).read_text(encoding="utf-8"), "\ndosing:") + 1
    assert (RECORD, dosing, "ML806") in found  # and the record says its doses were not checked


def test_changed_since_rechecks_the_records_of_a_changed_table(repo: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit",
                                                 "-qm", "base"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    _write(repo / TABLE_PATH, STRICTER)
    code, found = _check(capsys, "--changed-since", "HEAD")
    assert code == 1 and found == [(RECORD, 65, "ML801")]


def test_the_documented_example_is_a_clean_table() -> None:
    text = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n# limits/acetaminophen.yaml\n(.*?)```", text, re.S)
    assert example is not None
    assert lint_text(example.group(1), path="limits/acetaminophen.yaml") == []
    table, problems = limits.read(source(example.group(1), "limits/acetaminophen.yaml").record)  # type: ignore[arg-type]
    assert problems == [] and len(table.entries) == 2 and table.entries[1].concentration is not None


def _paths(node: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    return [prefix] + [p for key, value in items for p in _paths(value, (*prefix, key))]


@given(st.data())
def test_the_compiled_table_validator_agrees_with_jsonschema_on_mutated_tables(data: st.DataObject) -> None:
    import copy

    document = copy.deepcopy(source(TABLE, TABLE_PATH).record.data)  # type: ignore[union-attr]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(document)[1:]))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        replacement = data.draw(st.none() | st.integers(-2, 2) | st.floats(allow_nan=False) | st.text(max_size=6)
                                | st.sampled_from(["mg", "doses", "2 years", "5 kg", "oral", {}, []]))
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacement
    assert schema.fast_validator(name=schema.LIMITS)(document) == \
        schema.validator(str(schema.packaged_schema_path(schema.LIMITS))).is_valid(document)


def test_tables_that_cannot_be_read_are_not_used_and_never_crash(repo: Path, capsys: pytest.CaptureFixture[str],
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "zolgensma.yaml"
    outside.write_text(STRICTER, encoding="utf-8")
    (repo / TABLE_PATH).unlink()
    (repo / TABLE_PATH).symlink_to(outside)  # a table that points outside the repository is not read
    code, found = _check(capsys, "--no-cache", "records")
    assert code == 1 and [c for _, _, c in found] == ["ML806"]
    (repo / TABLE_PATH).unlink()
    (repo / TABLE_PATH).mkdir()  # a folder named like a table
    (repo / "limits" / "nusinersen.yaml").write_bytes(b"\xff\xfe\x00binary")
    code, found = _check(capsys, "--no-cache")
    assert code == 1 and {c for _, _, c in found} == {"ML003", "ML806"}
