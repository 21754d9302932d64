"""The functional core: loaded files + config -> findings.

Selection, severities, suppressions and crash containment live here; rules only yield hits.
Nothing here reads files or prints, so every step is testable with in-memory records.
"""
from __future__ import annotations

import datetime as dt
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import excerpt, limits, suppress
from .config import Config
from .load import Source
from .model import Finding, Fix, Hit, Position, Severity, json_pointer
from .record import Record
from .rules import meta
from .rules.base import Extractor, Facts, NoOptions, Rule, RuleContext
from .rules.corpus import drug_slug
from .rules.sections.placeholder_text import PLACEHOLDER_TEXT
from .ruleset import RuleSet
from .schema import SchemaError

# a crash (the findings a rule would have made are missing) and a broken suppression hide nothing themselves
UNSUPPRESSIBLE = frozenset({meta.INTERNAL_ERROR.code, meta.INVALID_SUPPRESSION.code})


class FileResult(NamedTuple):
    """Everything one file contributes to a run; picklable, so it can be cached or sent between processes."""

    path: str
    findings: tuple[Finding, ...]  # before suppressions, without cross-record findings
    facts: Facts | None  # None: the file is no record
    suppressions: tuple[suppress.Suppression, ...]
    limits: str = ""  # the dose-limit table the record was checked against (LimitSet.digest; "" none)


class Run(NamedTuple):
    today: dt.date
    previous: Mapping[str, Record | None] = {}  # path -> record at --changed-since REV
    limits: limits.LimitSet | None = None  # the dose-limit tables, when the run has a limits folder


def _relative(config: Config, path: str) -> str:
    """The path that per-path ignores match, relative to the config's folder."""
    if not config.rules.per_path_ignores:  # the usual case: resolving every file's path would be wasted work
        return path
    try:
        return Path(path).resolve().relative_to(config.root).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
        return path


def _finding(config: Config, path: str, rule: Rule, position: Position, message: str,
             hint: str | None = None, pointer: str = "", subject: str = "", fix: Fix | None = None) -> Finding:
    # rules quote record text through excerpt.quote; bounding the whole keeps a rule that forgets from making
    # output grow with the square of its input
    return rule.finding(path=path, position=position, severity=config.rules.severity_of(rule.code),
                        message=excerpt.bounded(message), pointer=pointer,
                        hint=excerpt.bounded(hint) if hint else hint, subject=excerpt.bounded(subject), fix=fix)


def _from_hit(config: Config, record: Record, rule: Rule, hit: Hit) -> Finding:
    position = record.locate(hit.pointer, hit.start, hit.end, hit.on_key)
    fix = hit.fix() if callable(hit.fix) else hit.fix
    return _finding(config, record.path, rule, position, hit.message, hit.hint, json_pointer(hit.pointer),
                    hit.subject, fix)


class _Limited:
    """A file's findings with at most `cap` shown per rule (0: no limit). A suppressed finding does not count
    (it must stay to be marked suppressed); the rest of a rule's findings become one summary finding, so that
    a value with thousands of defects cannot make output or memory grow without bound. Findings past the cap
    are only counted: located only when a suppression might cover them."""

    def __init__(self, config: Config, record: Record | None, covered: dict[int, set[str]]) -> None:
        self.config, self.record, self.covered = config, record, covered
        self.cap = config.max_findings_per_rule
        self.out: list[Finding] = []
        self.shown: Counter[str] = Counter()
        self.omitted: dict[str, tuple[int, Callable[[], Finding]]] = {}  # code -> (how many, the first of them)

    def add(self, finding: Finding) -> None:
        if self._room(finding.code) or finding.code in self.covered.get(finding.line, ()):
            self._show(finding)
        else:
            self._omit(finding.code, lambda: finding)

    def add_hit(self, rule: Rule, hit: Hit) -> None:
        assert self.record is not None
        record = self.record
        if not self.covered and rule.code in self.omitted:  # the usual case past the cap: count it
            count, first = self.omitted[rule.code]
            self.omitted[rule.code] = (count + 1, first)
        elif self._room(rule.code):
            self._show(_from_hit(self.config, record, rule, hit))
        elif self.covered:
            self.add(_from_hit(self.config, record, rule, hit))
        else:
            self._omit(rule.code, lambda: _from_hit(self.config, record, rule, hit))

    def _room(self, code: str) -> bool:
        return not self.cap or self.shown[code] < self.cap

    def _show(self, finding: Finding) -> None:
        self.shown[finding.code] += 1
        self.out.append(finding)

    def _omit(self, code: str, first: Callable[[], Finding]) -> None:
        count, earliest = self.omitted.get(code, (0, first))
        self.omitted[code] = (count + 1, earliest)

    def findings(self) -> tuple[Finding, ...]:
        summaries = []
        for count, first in self.omitted.values():
            finding = first()
            summaries.append(finding._replace(
                message=f"and {count:,} more {finding.code} ({finding.name}) finding{'s' if count > 1 else ''} in "
                        f"this file, from here on: medlint shows at most {self.cap:,} per rule and file",
                hint="fix these first, or raise `max-findings-per-rule` in the configuration to see all of them",
                pointer="", subject="(more findings)", fix=None))
        return (*self.out, *summaries)


class _Selection(NamedTuple):
    rules: tuple[tuple[Rule, Any], ...]  # the enabled rules, in registry order, with their options


def _select(rule_set: RuleSet, rel: str) -> _Selection:
    return _Selection(tuple((rule, rule_set.options_of(rule.code)) for rule in rule_set.active(rel)))


_last_selection: list[tuple[Config, _Selection]] = []


def _selection(config: Config, rel: str) -> _Selection:
    """The rules enabled for the file at `rel`: worked out once per configuration, since only per-path ignores
    make them differ between files (a 10,000-record run would otherwise ask the configuration 600,000 times)."""
    if config.rules.per_path_ignores:
        return _select(config.rules, rel)
    if not _last_selection or _last_selection[0][0] is not config:
        _last_selection[:] = [(config, _select(config.rules, rel))]
    return _last_selection[0][1]


def lint_source(source: Source, config: Config, run: Run, asked: Sequence[Extractor[Any]] = ()) -> FileResult:
    """One file's findings, and its facts: those the enabled cross-record rules read, and those `asked`
    (the report's summary of the record)."""
    selection = _selection(config, _relative(config, source.path))
    record = source.record
    text = source.text or (record.text if record else "")
    suppressions = tuple(suppress.parse(text))
    covered: dict[int, set[str]] = {}
    for _index, item, codes in _valid(config.rules, suppressions)[0]:
        covered.setdefault(item.line, set()).update(codes)
    out = _Limited(config, record, covered)
    for rule, _ in selection.rules if source.problems else ():
        for problem in rule.check_file(source.problems) if rule.check_file else ():
            out.add(_finding(config, source.path, rule, problem.position, problem.message,
                             problem.hint, json_pointer(problem.pointer), problem.message, problem.fix))
    if source.table:
        if record is not None:
            for finding in _lint_table(record, config, run, selection):
                out.add(finding)
        return FileResult(source.path, out.findings(), None, suppressions)
    if record is None:
        return FileResult(source.path, out.findings(), None, suppressions)
    drug_limits = run.limits.for_drug(drug_slug(record)) if run.limits else None
    previous = run.previous.get(source.path)
    for rule, options in selection.rules:
        if rule.check is None:
            continue
        context = RuleContext(run.today, options, previous, drug_limits, config.schema)
        try:
            for hit in rule.check(record, context):
                out.add_hit(rule, hit)
        except SchemaError:  # the configured schema cannot be read: the user's to correct, not a crash
            raise
        except Exception as exc:  # a broken rule must not hide the others
            out.out.append(_crash(config, source.path, rule, exc))
    facts = record_facts(record, config, run, asked, previous, drug_limits)
    return FileResult(source.path, out.findings(), facts, suppressions,
                      run.limits.digest(facts.drug_slug) if run.limits else "")


_last_extractors: list[tuple[RuleSet, tuple[Extractor[Any], ...], tuple[tuple[Extractor[Any], Any], ...]]] = []


def _extractors(rule_set: RuleSet, asked: Sequence[Extractor[Any]]) -> tuple[tuple[Extractor[Any], Any], ...]:
    """The extractors of the enabled cross-record rules and those asked, each once, with the options of the
    first enabled rule that declares it (an extractor that reads options belongs to one rule), worked out
    once a run."""
    asked = tuple(asked)
    if not _last_extractors or _last_extractors[0][0] is not rule_set or _last_extractors[0][1] != asked:
        wanted: dict[str, tuple[Extractor[Any], Any]] = {}
        for rule in rule_set.registry.rules:
            if rule.check_corpus and rule.code in rule_set.enabled:
                for extractor in rule.facts:
                    wanted.setdefault(extractor.name, (extractor, rule_set.options_of(rule.code)))
        for extractor in asked:
            wanted.setdefault(extractor.name, (extractor, NoOptions()))
        _last_extractors[:] = [(rule_set, asked, tuple(wanted.values()))]
    return _last_extractors[0][2]


def record_facts(record: Record, config: Config, run: Run, asked: Sequence[Extractor[Any]] = (),
                 previous: Record | None = None, drug_limits: limits.Limits | None = None) -> Facts:
    """What the enabled cross-record rules (and `asked`) take from a record."""
    context = RuleContext(run.today, NoOptions(), previous, drug_limits)
    declared = record.data.get("id")
    return Facts(record.path, record.expected_id, declared if isinstance(declared, str) else None, drug_slug(record),
                 tuple((extractor.name, extractor.extract(record, context._replace(options=options)))
                       for extractor, options in _extractors(config.rules, asked)))


def _lint_table(record: Record, config: Config, run: Run, selection: _Selection) -> list[Finding]:
    """A dose-limit table, by the rules that check tables: its schema, its contradictions, its review dates."""
    out: list[Finding] = []
    for rule, options in selection.rules:
        if rule.check_table is None:
            continue
        try:
            out += [_from_hit(config, record, rule, hit) for hit in rule.check_table(record, RuleContext(run.today,
                                                                                                      options))]
        except Exception as exc:  # a rule that cannot read the table must not hide the other rules' findings
            out.append(_crash(config, record.path, rule, exc))
    return out


def _crash(config: Config, path: str, rule: Rule, exc: Exception) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1]
    message = (f"rule {rule.code} ({rule.name}) crashed on this record: {type(exc).__name__}: "
               f"{excerpt.quote(str(exc), 200)} (at {Path(where.filename).name}:{where.lineno}); the other rules ran")
    return meta.INTERNAL_ERROR.finding(path=path, position=Position(1, 1, 1, 1), message=message,
                                       severity=config.rules.severity_of(meta.INTERNAL_ERROR.code),
                                       hint="please report this with the record", subject=rule.code)


def corpus_findings(results: Sequence[FileResult], config: Config, run: Run,
                    context: Iterable[Facts] = ()) -> list[Finding]:
    """Cross-record findings for `results`; `context` adds records that are read but not reported."""
    reported = {result.path for result in results}
    everything = [r.facts for r in results if r.facts is not None] + list(context)
    out: list[Finding] = []
    for rule in config.rules.registry.rules:
        if rule.check_corpus is None or rule.code not in config.rules.enabled:
            continue
        ctx = RuleContext(run.today, config.rules.options_of(rule.code))
        try:
            for hit in rule.check_corpus(everything, ctx):
                if hit.path in reported and config.rules.is_enabled(rule.code, _relative(config, hit.path)):
                    out.append(_finding(config, hit.path, rule, hit.position, hit.message, hit.hint,
                                        json_pointer(hit.pointer), hit.subject))
        except Exception as exc:
            out.extend(_crash(config, path, rule, exc) for path in sorted(reported))
    return out


def _valid(rule_set: RuleSet, suppressions: Sequence[suppress.Suppression]
           ) -> tuple[list[tuple[int, suppress.Suppression, set[str]]], list[tuple[suppress.Suppression, str]]]:
    """The suppressions that hold, as (index, suppression, codes), and the others with the reason they do not."""
    valid: list[tuple[int, suppress.Suppression, set[str]]] = []
    invalid: list[tuple[suppress.Suppression, str]] = []
    registry = rule_set.registry
    for index, item in enumerate(suppressions):
        codes, unknown = registry.expand(item.codes)
        crash = next((code for code in item.codes if registry.lookup(code) is meta.INTERNAL_ERROR), None)
        if not item.codes or unknown:
            invalid.append((item, f"`# medlint: disable=` names no known rule ({', '.join(unknown) or 'none given'})"))
        elif crash:
            invalid.append((item, f"`{crash}` cannot be suppressed: it means a rule crashed and checked nothing here, "
                                  "so its findings are missing, not wrong; report the crash with the record instead"))
        elif not item.reason:
            invalid.append((item, "this suppression gives no reason: write `-- <why this is correct here>` after the "
                                  "codes"))
        else:
            valid.append((index, item, codes))
    return valid, invalid


def apply_suppressions(findings: Sequence[Finding], result: FileResult, config: Config) -> list[Finding]:
    """Mark suppressed findings, and report suppressions that are invalid or unused."""
    out: list[Finding] = []
    used: set[int] = set()
    valid, invalid = _valid(config.rules, result.suppressions)
    by_line: dict[int, list[tuple[int, suppress.Suppression, set[str]]]] = {}
    for entry in valid:  # looked up by line: a file may hold thousands of findings and of suppressions
        by_line.setdefault(entry[1].line, []).append(entry)
    invalid_rule, unused_rule = meta.INVALID_SUPPRESSION, meta.UNUSED_SUPPRESSION
    # subjects name no line: baselines survive edits above
    made = [_finding(config, result.path, invalid_rule, item.position, problem,
                     f"see `medlint explain {invalid_rule.code}`", subject=",".join(item.codes))
            for item, problem in invalid]
    for finding in findings:
        match = next(((i, s) for i, s, codes in by_line.get(finding.line, ())
                      if finding.code in codes and finding.code not in UNSUPPRESSIBLE), None)
        if match is None:
            out.append(finding)
        else:
            used.add(match[0])
            out.append(finding._replace(suppressed=excerpt.bounded(match[1].reason)))
    for index, item, _codes in valid:
        if index not in used:
            codes = excerpt.bounded(", ".join(item.codes))
            made.append(_finding(config, result.path, unused_rule, item.position,
                                 f"nothing on line {item.line} is reported as {codes}; this suppression does nothing",
                                 "remove the comment", subject=",".join(item.codes)))
    rel = _relative(config, result.path)
    out.extend(f for f in made if config.rules.is_enabled(f.code, rel))
    return out


def placeholders_first(findings: Sequence[Finding]) -> list[Finding]:
    """A value that is a placeholder (`route: <route>`, `value: TODO`) is reported once, as a placeholder:
    that it is not one of the routes, or not a number, says nothing the author does not know. Only an
    active placeholder error spanning exactly the same characters stands in for the others, so the file
    fails as before and nothing is hidden where the placeholder is suppressed, ignored or a warning."""
    blanks = {(f.path, f.pointer, f.position) for f in findings
              if f.code == PLACEHOLDER_TEXT.code and f.suppressed is None and f.severity is Severity.ERROR}
    if not blanks:
        return list(findings)
    return [f for f in findings if f.code == PLACEHOLDER_TEXT.code or f.suppressed is not None
            or (f.path, f.pointer, f.position) not in blanks]


def finish(results: Sequence[FileResult], config: Config, run: Run, context: Iterable[Facts] = ()) -> list[Finding]:
    by_path: dict[str, list[Finding]] = {result.path: list(result.findings) for result in results}
    for finding in corpus_findings(results, config, run, context):
        by_path[finding.path].append(finding)
    out: list[Finding] = []
    for result in results:
        if by_path[result.path] or result.suppressions:  # most records of a corpus have neither
            out.extend(placeholders_first(apply_suppressions(by_path[result.path], result, config)))
    return sorted(out, key=Finding.sort_key)


def lint(sources: Sequence[Source], config: Config, run: Run, context: Iterable[Facts] = ()) -> list[Finding]:
    """The whole core in one call: per-file rules, cross-record rules, suppressions."""
    return finish([lint_source(source, config, run) for source in sources], config, run, context)
