"""The run's rule set: compiled from the configuration, with the rules a run adds (house rules, plugins)."""
from __future__ import annotations

import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import BASE, ROOT, TODAY, source

from medlint import config as config_mod, engine, runner
from medlint.model import Hit, Position, Severity
from medlint.record import Record
from medlint.report import EDITORS_FORMATS, FORMATS, EditorsReport, Report
from medlint.rules import BUILTIN
from medlint.rules.base import CorpusHit, Docs, Extractor, Facts, Rule, RuleContext, option


@dataclass(frozen=True)
class WordOptions:
    words: tuple[str, ...] = option(("utilise",), "words to report")
    limit: int = option(1, "findings at most")


def _plain_words(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: WordOptions = context.options
    summary = record.data.get("summary")
    for word in options.words[: options.limit]:
        if isinstance(summary, str) and word in summary:
            yield Hit(("summary",), f"write a plainer word than `{word}`", subject=word)


HOUSE = Rule("house/plain-words", "plain-words", "house", Severity.WARNING, "A word the house style avoids.",
             Docs("x", "y", "", ""), check=_plain_words, options=WordOptions)
def _opted_in(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield Hit(("id",), "opted in")


OPT_IN = Rule("ML799", "opt-in-check", "pack", Severity.ERROR, "Off unless selected.", Docs("x", "y", "", ""),
              check=_opted_in, default_enabled=False)
WORDY = BASE.replace("summary: >-\n", "summary: >-\n  We utilise this.\n", 1)


def _codes(config: config_mod.Config, text: str = WORDY) -> list[str]:
    return [f.code for f in engine.lint([source(text)], config, engine.Run(TODAY)) if f.suppressed is None]


def _build(table: dict[str, object], **kwargs: object) -> config_mod.Config:
    return config_mod.build(table, root=ROOT, extra_rules=(HOUSE, OPT_IN), **kwargs)  # type: ignore[arg-type]


def test_a_run_adds_rules_whose_codes_are_not_ml_codes() -> None:
    assert _codes(_build({})) == ["house/plain-words"]
    assert _codes(_build({"ignore": ["house/plain-words"]})) == []
    assert _codes(_build({"ignore": ["HOUSE/Plain-Words"]})) == []  # codes in any case, as ML codes
    assert _codes(_build({"ignore": ["house"]})) == []  # the family
    assert _codes(_build({}, select=["house/"])) == ["house/plain-words"]  # a code prefix
    raised = engine.lint([source(WORDY)], _build({"severity": {"plain-words": "error"}}), engine.Run(TODAY))
    assert [f.severity for f in raised] == [Severity.ERROR]
    per_path = _build({"per-path-ignores": {"records/*": ["house/plain-words"]}})
    assert _codes(per_path) == []


def test_an_added_rule_is_suppressed_by_its_code_and_unknown_codes_stay_errors() -> None:
    [found] = engine.lint([source(WORDY)], _build({}), engine.Run(TODAY))
    lines = WORDY.split("\n")
    lines[found.line - 1] += "  # medlint: disable=house/plain-words -- the house allows it here"
    text = "\n".join(lines)
    assert _codes(_build({}), text) == []
    assert _codes(config_mod.build({}, root=ROOT), text) == ["ML902"]  # without the rule, the code names nothing


def test_an_added_rule_s_options_are_typed_and_checked_at_start_up() -> None:
    config = _build({"rules": {"house/plain-words": {"words": ["this"], "limit": 3}}})
    assert config.rules.options_of("house/plain-words") == WordOptions(words=("this",), limit=3)
    for value, message in ((["this", 3], "must be a list of strings, not ['this', 3]"),
                           ("this", "must be list, not str ('this')")):
        with pytest.raises(config_mod.ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")
                           .replace("[", r"\[").replace("]", r"\]")):
            _build({"rules": {"plain-words": {"words": value}}})


def test_a_mistyped_option_is_a_config_error_with_its_line_not_a_crash_on_every_record(tmp_path: object) -> None:
    text = "[tool.medlint]\n[tool.medlint.rules.ML701]\nglossary = ['ok', 1]\n"
    with pytest.raises(config_mod.ConfigError, match=r"pyproject.toml \[tool.medlint\], line 3: option `glossary` "
                                                     r"of reading-grade-too-high must be a list of strings"):
        config_mod.build({"rules": {"ML701": {"glossary": ["ok", 1]}}}, root=ROOT, source="x/pyproject.toml",
                         text=text)


def test_an_added_rule_may_not_take_a_code_or_name_in_use() -> None:
    for clash in (Rule("ml104", "mine", "house", Severity.ERROR, "x", Docs("x", "y", "", "")),
                  Rule("house/x", "invalid-value", "house", Severity.ERROR, "x", Docs("x", "y", "", ""))):
        with pytest.raises(config_mod.ConfigError, match="takes a code or a name already in use"):
            config_mod.build({}, root=ROOT, extra_rules=(clash,))


def test_an_opt_in_rule_runs_only_when_named_by_code_name_or_family() -> None:
    assert "ML799" not in _build({}).rules.enabled
    assert "ML799" not in _build({}, select=["ALL"]).rules.enabled
    assert "ML799" not in _build({}, select=["ML7"]).rules.enabled  # a prefix names a range, not this rule
    for selector in ("ML799", "opt-in-check", "pack"):
        assert "ML799" in _build({}, select=[selector]).rules.enabled
        assert "ML799" in _build({"extend-select": [selector]}).rules.enabled


def _first_letters(record: Record, context: RuleContext) -> str:
    summary = record.data.get("summary")
    return summary[:2] if isinstance(summary, str) else ""


LETTERS = Extractor("first-letters", str, _first_letters)


def _same_start(records: Sequence[Facts], context: RuleContext) -> Iterator[CorpusHit]:
    starts = [LETTERS.of(item) for item in records]
    for item in records:
        if starts.count(LETTERS.of(item)) > 1:
            yield CorpusHit(item.path, Position(1, 1, 1, 2), ("summary",), "another record's summary starts so")


def test_a_cross_record_rule_brings_its_own_extractor() -> None:
    rule = Rule("house/same-start", "same-start", "house", Severity.WARNING, "x", Docs("x", "y", "", ""),
                check_corpus=_same_start, facts=(LETTERS,))
    config = config_mod.build({}, root=ROOT, select=["house/same-start"], extra_rules=(rule,))
    run = engine.Run(TODAY)
    result = engine.lint_source(source(BASE), config, run)
    assert result.facts is not None and dict(result.facts.values) == {"first-letters": LETTERS.of(result.facts)}
    other = source(BASE.replace("id: zolgensma/spinal-muscular-atrophy", "id: zolgensma/other"),
                   "records/zolgensma/other.yaml").record
    assert other is not None
    findings = engine.lint([source(BASE)], config, run, [engine.record_facts(other, config, run)])
    assert [f.code for f in findings] == ["house/same-start"]
    assert "first-letters" not in dict(engine.lint_source(source(BASE), config_mod.build({}, root=ROOT), run)
                                       .facts.values)  # type: ignore[union-attr]  # no rule of that run reads it


def test_the_built_in_registry_is_not_changed_by_a_run() -> None:
    before = BUILTIN.rules
    _build({})
    assert BUILTIN.rules == before and BUILTIN.lookup("house/plain-words") is None


def test_every_report_names_an_added_rule() -> None:
    config = _build({})
    findings = engine.lint([source(WORDY)], config, engine.Run(TODAY))
    report = Report(findings, 1, 1, TODAY, rules=config.rules.registry)
    for name, render in FORMATS.items():
        assert "house/plain-words" in render(report), name
    for name, render_editors in EDITORS_FORMATS.items():
        rendered = render_editors(EditorsReport(report, []))
        assert name == "csv" or "plain-words" in rendered, name  # the CSV is the review queue alone


def test_a_run_s_rules_reach_worker_processes() -> None:
    """Worker processes receive the config: built-in rules by code (their checks are closures), added rules
    whole."""
    config = _build({"rules": {"plain-words": {"limit": 2}}})
    copy = pickle.loads(pickle.dumps(config))
    assert all(a is b for a, b in zip(copy.rules.registry.rules[: len(BUILTIN.rules)], BUILTIN.rules, strict=True))
    assert copy.rules.registry.lookup("house/plain-words") == HOUSE
    assert (copy.rules.enabled, copy.rules.options) == (config.rules.enabled, config.rules.options)


def test_a_parallel_run_finds_what_a_serial_one_finds(tmp_path: Path) -> None:
    folder = tmp_path / "records" / "zolgensma"
    folder.mkdir(parents=True)
    for index in range(runner.PARALLEL_THRESHOLD):
        name = f"use-{index}"
        (folder / f"{name}.yaml").write_text(WORDY.replace("zolgensma/spinal-muscular-atrophy", f"zolgensma/{name}"),
                                             encoding="utf-8")
    config = config_mod.build({}, root=tmp_path, extra_rules=(HOUSE,))
    run = engine.Run(TODAY)
    parallel, _ = runner.check([str(tmp_path / "records")], config, run, jobs=2)
    serial, _ = runner.check([str(tmp_path / "records")], config, run, jobs=1)
    assert parallel.findings == serial.findings
    assert {f.code for f in parallel.findings} >= {"house/plain-words"}
