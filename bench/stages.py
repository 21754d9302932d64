"""Where a cold run's CPU goes, per record: reading, parsing, each rule, each shared view, each extractor.

    python bench/corpus.py 10000 /tmp/c10k && python bench/stages.py /tmp/c10k --records 2000

One process, no start-up, no cache: each stage is timed with `time.process_time`, exclusive of the stages it
calls. A view several rules share (`Record.derived`) is charged to itself, not to the first rule that asks.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from medlint import config as config_mod, decode, engine, load, parse, record as record_mod
from medlint.rules.base import NoOptions, RuleContext
from medlint.summary import SUMMARY

T = TypeVar("T")


class Clock:
    """Exclusive CPU time per label."""

    def __init__(self) -> None:
        self.totals: collections.Counter[str] = collections.Counter()
        self._stack: list[list[Any]] = []  # [label, start, time spent in stages it called]

    def enter(self, label: str) -> None:
        self._stack.append([label, time.process_time(), 0.0])

    def leave(self) -> None:
        label, start, inner = self._stack.pop()
        spent = time.process_time() - start
        self.totals[label] += spent - inner
        if self._stack:
            self._stack[-1][2] += spent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="a folder with records/ (bench/corpus.py writes one)")
    parser.add_argument("--records", type=int, default=1000, help="how many records to read (default: 1000)")
    parser.add_argument("--today", default="2026-12-03")
    args = parser.parse_args(argv)
    clock = Clock()
    derived = record_mod.Record.derived

    def timed_derived(self: record_mod.Record, key: Hashable, compute: Callable[[record_mod.Record], T]) -> T:
        if key in self._derived:
            return derived(self, key, compute)
        clock.enter(f"view {key[0] if isinstance(key, tuple) else key}")
        try:
            return derived(self, key, compute)
        finally:
            clock.leave()

    record_mod.Record.derived = timed_derived  # type: ignore[method-assign]
    config = config_mod.load(start=args.corpus)
    run = engine.Run(dt.date.fromisoformat(args.today))
    files = sorted((args.corpus / "records").glob("*/*.yaml"))[: args.records]
    selection = engine._selection(config, "records")
    for path in files:
        clock.enter("read")
        data = path.read_bytes()
        clock.leave()
        clock.enter("decode")
        text, _ = decode.decode(data)
        clock.leave()
        if text is None:
            continue
        clock.enter("parse")
        line_starts = record_mod.line_starts_of(text)
        parsed = parse.parse(text, line_starts)
        clock.leave()
        if not isinstance(parsed.value, dict):
            continue
        record = record_mod.Record(str(path), text, parsed.value, parsed.nodes, load.expected_id(path), line_starts)
        for rule, options in selection.rules:
            if rule.check is not None:
                context = RuleContext(run.today, options, None, None, config.schema)
                clock.enter(f"rule {rule.code} {rule.name}")
                for _ in rule.check(record, context):
                    pass
                clock.leave()
        for extractor in engine._extractors(config.rules, (SUMMARY,)):
            clock.enter(f"extract {extractor.name}")
            extractor.extract(record, RuleContext(run.today, NoOptions()))
            clock.leave()
    total = sum(clock.totals.values())
    print(f"{len(files):,} records: {total:.2f} s CPU, {total / max(len(files), 1) * 1000:.3f} ms a record\n")
    print("| stage | ms per record | share |\n| --- | ---: | ---: |")
    for label, spent in clock.totals.most_common():
        print(f"| {label} | {spent / len(files) * 1000:.3f} | {spent / total:.1%} |")


if __name__ == "__main__":
    main()
