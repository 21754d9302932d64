"""Shared test helpers: build a record from a fragment over a clean base, and lint it in memory."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from medlint import config as config_mod, engine, limits as limits_mod, load, rules
from medlint.model import Finding
from medlint.rules.base import Facts
from medlint.styles import examples

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BASE = (FIXTURES / "base-record.yaml").read_text(encoding="utf-8")
BASE_PATH = "records/zolgensma/spinal-muscular-atrophy.yaml"
TODAY = dt.date(2026, 11, 25)


def merge(fragment: str, base: str = BASE) -> tuple[str, int]:
    """The base record with the fragment's top-level keys replaced, and the line the fragment starts on:
    the merge `medlint test-styles` checks rule docs with (medlint.styles.examples.merge), over BASE."""
    return examples.merge(fragment, base)

def readability_page(record_id: str, generic: str, alternatives: str) -> str:
    """The base record as `record_id`, with a short page whose reading grade turns on `alternatives` and on
    whether `generic` (a name, when another record of the run has it as its generic name) counts as a word."""
    text = merge(f"drug:\n  brand_name: Brand\n  generic_name: {generic}\n  drug_class: gene therapy\n"
                 "sections:\n  why_used: SMA is a rare disease.\n  mechanism: It adds a gene.\n"
                 "  what_to_expect:\n    - One infusion.\n"
                 f"  alternatives: >-\n    {alternatives}\n"
                 "  when_to_talk_to_doctor:\n    - Yellow skin.\n"
                 "  faq:\n    - question: Is it repeated?\n      answer: No.\n")[0]
    return text.replace("id: zolgensma/spinal-muscular-atrophy", f"id: {record_id}")



def run_config(options: dict[str, dict[str, Any]] | None = None, select: list[str] | None = None,
               settings: dict[str, Any] | None = None) -> config_mod.Config:
    return config_mod.build({"rules": options or {}, **(settings or {})}, root=ROOT, select=select)


def source(text: str | bytes, path: str = BASE_PATH, encoding: str = "utf-8",
           config: config_mod.Config | None = None) -> load.Source:
    """A record, or a dose-limit table when `path` is under limits/."""
    data = text if isinstance(text, bytes) else text.encode(encoding)
    max_bytes = (config or run_config()).max_file_bytes
    table = path.startswith("limits/")
    expected = None if table else load.expected_id(Path(path))
    return load.load_text(data, path, expected=expected, max_bytes=max_bytes, table=table)


def limit_set(table: str | None, drug: str = "zolgensma", required: bool = False) -> limits_mod.LimitSet:
    """The run's tables as runner.read_limits builds them: `table` is the text of limits/<drug>.yaml."""
    if table is None:
        return limits_mod.LimitSet("limits", {}, required)
    record = source(table, f"limits/{drug}.yaml").record
    assert record is not None, "the test's limits table does not load"
    return limits_mod.LimitSet("limits", {drug: limits_mod.read(record, "digest")[0]}, required)


def sibling_facts(*names: str, config: config_mod.Config | None = None) -> list[Facts]:
    """Facts of clean records of the same drug, as a hook run would read them from the folder."""
    out = []
    for name in names:
        path = f"records/zolgensma/{name}.yaml"
        text = BASE.replace("id: zolgensma/spinal-muscular-atrophy", f"id: zolgensma/{name}")
        record = source(text, path).record
        assert record is not None
        out.append(engine.record_facts(record, config or run_config(), engine.Run(TODAY)))
    return out


def lint_text(text: str | bytes, path: str = BASE_PATH, *, today: dt.date = TODAY,
              options: dict[str, dict[str, Any]] | None = None, previous: str | None = None,
              siblings: tuple[str, ...] = (), encoding: str = "utf-8", limits: str | None = None,
              settings: dict[str, Any] | None = None) -> list[Finding]:
    """Lint one file; `limits` is the text of the drug's dose-limit table, `settings` [tool.medlint] keys."""
    config = run_config(options, settings=settings)
    before = {path: source(previous, path).record} if previous is not None else {}
    drug = Path(path).parts[1] if Path(path).parts[:1] == ("records",) else "zolgensma"
    tables = limit_set(limits, drug, config.require_limits) if limits is not None or config.require_limits \
        else None
    run = engine.Run(today, before, tables)
    return engine.lint([source(text, path, encoding, config)], config, run, sibling_facts(*siblings, config=config))


def opted_in(code: str, settings: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """`settings` that also turn on `code` when it is an opt-in rule (the health-literacy pack), which the
    default `select = ["ALL"]` leaves off."""
    rule = rules.BUILTIN.lookup(code)
    if rule is None or rule.default_enabled:
        return settings
    settings = dict(settings or {})
    settings["extend-select"] = [*settings.get("extend-select", []), code]
    return settings


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings if f.suppressed is None]
