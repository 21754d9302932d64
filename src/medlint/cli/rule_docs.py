"""The commands about the rules themselves: rules, explain and test-styles."""
from __future__ import annotations

import argparse
import datetime as dt
import json

from .. import rules
from ..escaping import visible
from . import common
from .common import EXIT_FINDINGS, EXIT_OK, UsageError


def cmd_rules(args: argparse.Namespace) -> int:
    listed = common.load_config(args).rules.registry.rules  # the project's house rules, Vale rules and plugins too
    if args.output_format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "family": r.family, "severity": r.severity.value,
                           "fixable": r.fixable, "summary": r.summary,
                           "options": {o.name: o.default for o in r.option_list()},
                           "default_enabled": r.default_enabled} for r in listed], indent=2))
    elif args.output_format == "markdown":
        from .. import docs

        print(docs.reference_markdown(listed), end="")
    else:
        width, code_width = max(len(r.name) for r in listed), max(len(r.code) for r in listed)
        for r in listed:
            print(f"{r.code:<{code_width}}  {r.name:<{width}}  {r.severity.value:<7}  {'fix' if r.fixable else '   '}  "
                  f"{r.summary}" + ("" if r.default_enabled else f" (opt-in: --select {r.family})"))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    registry = common.load_config(args).rules.registry
    rule = registry.lookup(args.rule)
    if rule is None:
        hint = registry.suggestion(args.rule)
        raise UsageError(f"no rule is called {args.rule!r}; " + (hint or "`medlint rules` lists them"))
    from .. import docs

    print(docs.rule_markdown(rule), end="")
    return EXIT_OK


def cmd_test_styles(args: argparse.Namespace) -> int:
    """Each of the project's own rules (house rules, plugins) against its docs, as tests/rules/test_docs.py
    tests the built-in rules: exit 1 when an Example does not trigger its rule or a Use instead does."""
    from ..styles import examples

    cfg = common.load_config(args)
    extra = cfg.rules.registry.rules[len(rules.BUILTIN.rules):]
    if not extra:
        print("no house rules, Vale rules or plugin rules to test (see docs/house-rules.md)")
        return EXIT_OK
    today = dt.date.today()
    outcomes = [examples.check_docs(rule, cfg, today) for rule in extra]
    for outcome in outcomes:
        status = "ok" if outcome.tested and not outcome.problems else "FAIL" if outcome.problems else "--"
        detail = "; ".join(outcome.problems) if outcome.problems else "" if outcome.tested else \
            "no examples to test (a Vale rule)"
        print(f"{status:<4}  {outcome.rule.code}" + (f": {visible(detail)}" if detail else ""))
    failed = sum(1 for outcome in outcomes if outcome.problems)
    passed = sum(1 for outcome in outcomes if outcome.tested and not outcome.problems)
    untested = len(outcomes) - failed - passed
    print(f"{passed} passed, {failed} failed" + (f", {untested} without examples" if untested else ""))
    return EXIT_FINDINGS if failed else EXIT_OK
