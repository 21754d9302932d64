"""Precision on correct content: every rule over folders of correct records, findings per rule (target: 0).

    python bench/precision.py                      # records/ and tests/fixtures/unseen/
    python bench/precision.py records/ --today 2026-11-25

Every record in these folders is correct (real drug-indication pairs, doses as the current US label gives
them, prose as an editor writes it), so every finding is a false positive and every suppression hides one.
It prints a table of findings per rule and folder, then each finding, and exits 1 when there is any
finding or suppression. `records/` is the corpus the rules were tuned on; `tests/fixtures/unseen/` holds
correct records written to test rules on content they were not tuned on.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from medlint import config as config_mod, engine, rules, runner
from medlint.model import Finding

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ("records", "tests/fixtures/unseen")


def findings(folder: str, today: dt.date) -> tuple[int, list[Finding]]:
    """(records checked, findings) of `medlint check` on one folder, every rule enabled, no cache."""
    config = config_mod.load(start=ROOT, select=["ALL"])
    outcome, missing = runner.check([folder], config, engine.Run(today))
    if missing:
        raise SystemExit(f"precision: no such folder: {folder}")
    return outcome.records, list(outcome.findings)


def table(results: Sequence[tuple[str, int, list[Finding]]]) -> list[str]:
    """Findings per rule (rows) and folder (columns), suppressed ones counted apart."""
    counts = [Counter(f.code for f in found if f.suppressed is None) for _, _, found in results]
    hidden = [sum(1 for f in found if f.suppressed is not None) for _, _, found in results]
    lines = ["| rule | " + " | ".join(f"{folder} ({records} records)" for folder, records, _ in results) + " |",
             "| --- |" + " ---: |" * len(results)]
    for rule in rules.RULES:
        if any(count[rule.code] for count in counts):
            lines.append(f"| {rule.code} {rule.name} | " + " | ".join(str(c[rule.code]) for c in counts) + " |")
    lines.append("| **findings** | " + " | ".join(f"**{sum(c.values())}**" for c in counts) + " |")
    lines.append("| suppressed | " + " | ".join(str(n) for n in hidden) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=list(DEFAULT), help="folders of correct records")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="the date review rules check against (default: today)")
    args = parser.parse_args(argv)
    # the default folders are the repository's, wherever the script is run from
    results = [(folder, *findings(str(ROOT / folder) if folder in DEFAULT else folder, args.today))
               for folder in args.folders]
    print(f"# medlint precision on correct records (today {args.today}; target: 0 findings)\n")
    print("\n".join(table(results)))
    every = [f for _, _, found in results for f in found]
    for finding in every:
        status = f" (suppressed: {finding.suppressed})" if finding.suppressed is not None else ""
        print(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}{status}")
    return 1 if every else 0


if __name__ == "__main__":
    sys.exit(main())
