"""The functional core: loaded files + config -> findings.

Selection, severities, suppressions and crash containment live here; rules only yield hits.
Nothing here reads files or prints, so every step is testable with in-memory records.
"""
from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from . import limits, rules, schema, suppress
from .config import INTERNAL_ERROR, Config
from .load import Problem, Record
from .model import Finding, Hit, Position, Severity, json_pointer
from .rules.base import Facts, Rule, RuleContext
from .rules.corpus import drug_slug, facts as extract_facts
from .rules.limits import coverage
from .summary import RecordSummary, summarise

# a crash (the findings a rule would have made are missing) and a broken suppression hide nothing themselves
UNSUPPRESSIBLE = frozenset({INTERNAL_ERROR, "ML902"})


class Source(NamedTuple):
    """One file as loaded: a record when it could be read, and the problems met reading it."""

    path: str
    record: Record | None
    problems: tuple[Problem, ...] = ()
    text: str = ""  # the decoded text, for suppressions, even when it did not parse
    table: bool = False  # a dose-limit table (limits/<drug>.yaml), not a record


class FileResult(NamedTuple):
    """Everything one file contributes to a run; picklable, so it can be cached or sent between processes."""

    path: str
    findings: tuple[Finding, ...]  # before suppressions, without cross-record findings
    facts: Facts | None
    suppressions: tuple[suppress.Suppression, ...]
    summary: RecordSummary | None = None  # what `medlint report` shows of the record beyond its findings
    limits: str = ""  # the digest of the dose-limit table the record was checked against ("" none)


class Run(NamedTuple):
    today: dt.date
    previous: Mapping[str, Record | None] = {}  # path -> record at --changed-since REV
    limits: limits.LimitSet | None = None  # the dose-limit tables, when the run has a limits folder


def _relative(config: Config, path: str) -> str:
    """The path that per-path ignores match, relative to the config's folder."""
    if not config.per_path_ignores:  # the usual case: resolving every file's path would be wasted work
        return path
    try:
        return Path(path).resolve().relative_to(config.root).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return path


def _finding(config: Config, path: str, rule: Rule, position: Position, hit_message: str,
             hint: str | None, pointer: str, subject: str, fix: object = None) -> Finding:
    return Finding(path, position, rule.code, rule.name, config.severity_of(rule.code), hit_message, pointer,
                   hint, subject, fix)  # type: ignore[arg-type]


def _from_hit(config: Config, record: Record, rule: Rule, hit: Hit) -> Finding:
    position = record.locate(hit.pointer, hit.start, hit.end, hit.on_key)
    return _finding(config, record.path, rule, position, hit.message, hit.hint, json_pointer(hit.pointer),
                    hit.subject, hit.fix)


def lint_source(source: Source, config: Config, run: Run) -> FileResult:
    rel = _relative(config, source.path)
    enabled = [rule for rule in rules.RULES if config.is_enabled(rule.code, rel)]
    enabled_codes = {rule.code for rule in enabled}
    out: list[Finding] = []
    for problem in source.problems:
        if problem.code in enabled_codes:
            out.append(_finding(config, source.path, rules.BY_CODE[problem.code], problem.position, problem.message,
                                problem.hint, json_pointer(problem.pointer), problem.message, problem.fix))
    record = source.record
    text = source.text or (record.text if record else "")
    if source.table:
        if record is not None:
            out += _lint_table(record, config, run, [rule for rule in enabled if rule.family == "review"])
        return FileResult(source.path, tuple(out), None, tuple(suppress.parse(text)))
    drug_limits = run.limits.for_drug(drug_slug(record)) if run.limits and record else None
    if record is not None:
        if any(code in enabled_codes for code in ("ML101", "ML102", "ML103", "ML104", "ML105")):
            for code, hit in schema.check(record, config.schema):
                if code in enabled_codes:
                    out.append(_from_hit(config, record, rules.BY_CODE[code], hit))
        previous = run.previous.get(source.path)
        for rule in enabled:
            if rule.check is None:
                continue
            context = RuleContext(run.today, config.options_of(rule.code), previous, drug_limits)
            try:
                for hit in rule.check(record, context):
                    out.append(_from_hit(config, record, rule, hit))
            except Exception as exc:  # a broken rule must not hide the others
                out.append(_crash(config, source.path, rule, exc))
    summary = None
    if record is not None:
        table, entries, covered = coverage(record, drug_limits)
        summary = summarise(record)._replace(drug=drug_slug(record), dose_entries=entries, limited_entries=covered,
                                             limits_table=table)
    return FileResult(source.path, tuple(out), extract_facts(record) if record else None,
                      tuple(suppress.parse(text)), summary,
                      drug_limits.table.digest if drug_limits and drug_limits.table else "")


def _lint_table(record: Record, config: Config, run: Run, review: list[Rule]) -> list[Finding]:
    """A dose-limit table: its schema and contradictions, and its review dates by the records' review rules."""
    out: list[Finding] = []
    rel = _relative(config, record.path)
    try:
        out += [_from_hit(config, record, rules.BY_CODE[code], hit) for code, hit in limits.read(record)[1]
                if config.is_enabled(code, rel)]
    except Exception as exc:  # a table medlint cannot read must not hide the review findings
        out.append(_crash(config, record.path, rules.BY_CODE["ML807"], exc))
    for rule in review:
        try:
            out += [_from_hit(config, record, rule, hit)
                    for hit in (rule.check or _none)(record, RuleContext(run.today, config.options_of(rule.code)))]
        except Exception as exc:
            out.append(_crash(config, record.path, rule, exc))
    return out


def _none(record: Record, context: RuleContext) -> Iterable[Hit]:
    return ()


def _crash(config: Config, path: str, rule: Rule, exc: Exception) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    message = (f"rule {rule.code} ({rule.name}) crashed on this record: {type(exc).__name__}: {exc} "
               f"(at {Path(where.filename).name}:{where.lineno}); the other rules ran")
    return Finding(path, Position(1, 1, 1, 1), INTERNAL_ERROR, "internal-error", config.severity_of(INTERNAL_ERROR),
                   message, "", "please report this with the record", rule.code)


def corpus_findings(results: Sequence[FileResult], config: Config, run: Run,
                    context: Iterable[Facts] = ()) -> list[Finding]:
    """Cross-record findings for `results`; `context` adds records that are read but not reported."""
    reported = {result.path for result in results}
    everything = [r.facts for r in results if r.facts is not None] + list(context)
    out: list[Finding] = []
    for rule in rules.RULES:
        if rule.check_corpus is None or rule.code not in config.enabled:
            continue
        ctx = RuleContext(run.today, config.options_of(rule.code))
        try:
            for hit in rule.check_corpus(everything, ctx):
                if hit.path in reported and config.is_enabled(rule.code, _relative(config, hit.path)):
                    out.append(_finding(config, hit.path, rule, hit.position, hit.message, hit.hint,
                                        json_pointer(hit.pointer), hit.subject))
        except Exception as exc:
            out.extend(_crash(config, path, rule, exc) for path in sorted(reported))
    return out


def apply_suppressions(findings: Sequence[Finding], result: FileResult, config: Config) -> list[Finding]:
    """Mark suppressed findings, and report suppressions that are invalid or unused."""
    out: list[Finding] = []
    used: set[int] = set()
    valid: list[tuple[int, suppress.Suppression, set[str]]] = []
    meta: list[Finding] = []
    for index, item in enumerate(result.suppressions):
        codes, unknown = rules.expand(item.codes)
        crash = next((code for code in item.codes if rules.lookup(code) is rules.BY_CODE[INTERNAL_ERROR]), None)
        problem = None
        if not item.codes or unknown:
            problem = f"`# medlint: disable=` names no known rule ({', '.join(unknown) or 'none given'})"
        elif crash:
            problem = (f"`{crash}` cannot be suppressed: it means a rule crashed and checked nothing here, so its "
                       "findings are missing, not wrong; report the crash with the record instead")
        elif not item.reason:
            problem = "this suppression gives no reason: write `-- <why this is correct here>` after the codes"
        if problem:
            meta.append(Finding(result.path, item.position, "ML902", "invalid-suppression",
                                config.severity_of("ML902"), problem, "", "see `medlint explain ML902`",
                                ",".join(item.codes)))  # subjects name no line: baselines survive edits above
        else:
            valid.append((index, item, codes))
    for finding in findings:
        match = next(((i, s) for i, s, codes in valid
                      if s.line == finding.line and finding.code in codes and finding.code not in UNSUPPRESSIBLE),
                     None)
        if match is None:
            out.append(finding)
        else:
            used.add(match[0])
            out.append(finding._replace(suppressed=match[1].reason))
    for index, item, _codes in valid:
        if index not in used:
            meta.append(Finding(result.path, item.position, "ML901", "unused-suppression",
                                config.severity_of("ML901"),
                                f"nothing on line {item.line} is reported as {', '.join(item.codes)}; "
                                "this suppression does nothing", "", "remove the comment",
                                ",".join(item.codes)))
    rel = _relative(config, result.path)
    out.extend(f for f in meta if config.is_enabled(f.code, rel))
    return out


PLACEHOLDER = "ML201"


def placeholders_first(findings: Sequence[Finding]) -> list[Finding]:
    """A value that is a placeholder (`route: <route>`, `value: TODO`) is reported once, as a placeholder:
    that it is not one of the routes, or not a number, says nothing the author does not know. Only an
    active placeholder error spanning exactly the same characters stands in for the others, so the file
    fails as before and nothing is hidden where the placeholder is suppressed, ignored or a warning."""
    blanks = {(f.path, f.pointer, f.position) for f in findings
              if f.code == PLACEHOLDER and f.suppressed is None and f.severity is Severity.ERROR}
    if not blanks:
        return list(findings)
    return [f for f in findings if f.code == PLACEHOLDER or f.suppressed is not None
            or (f.path, f.pointer, f.position) not in blanks]


def finish(results: Sequence[FileResult], config: Config, run: Run, context: Iterable[Facts] = ()) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {result.path: list(result.findings) for result in results}
    for finding in corpus_findings(results, config, run, context):
        by_path[finding.path].append(finding)
    out: list[Finding] = []
    for result in results:
        out.extend(placeholders_first(apply_suppressions(by_path[result.path], result, config)))
    return sorted(out, key=Finding.sort_key)


def lint(sources: Sequence[Source], config: Config, run: Run, context: Iterable[Facts] = ()) -> list[Finding]:
    """The whole core in one call: per-file rules, cross-record rules, suppressions."""
    return finish([lint_source(source, config, run) for source in sources], config, run, context)
