"""What 100 house rules add to a cold check (issue 18's target: at most 20%).

Generates the benchmark corpus (bench/corpus.py) and 100 house rules of every kind (40 substitution
rules of 5 swaps each, 30 existence rules of 5 tokens, 10 occurrence, 10 capitalisation and 10
conditional rules) over 420 words: by default 100 words that one of the real records uses (so that the
rules find things, as a team's rules do) and 320 that no record has. Then times `medlint check
--no-cache --jobs 1` on the corpus without and with the rules (alternating runs, CPU time of the process
tree: the machine may be shared) and prints the medians, the overhead and the load average at the end.

    python bench/house_rules.py --records 2000 --runs 3 [--real 100]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus import generate, templates  # sibling scripts, not a package
from cputime import once

DOCS = ("docs:\n  what: Finds words the benchmark's house style does not use.\n  why: A benchmark.\n"
        "  example: 'summary: x'\n  use-instead: 'summary: y'\n")


def vocabulary(count: int, real: int) -> list[str]:
    """`count` words: `real` of them words of the records' prose that a style guide might ban (words of five
    letters or more that only one of the real records uses, as `medication` or `tummy` would be), the rest
    invented, which no record has."""
    used: dict[str, set[str]] = {}
    for drug, indication, text in templates():
        for word in set(re.findall(r"\b[a-z]{5,}\b", text)):
            used.setdefault(word, set()).add(f"{drug}/{indication}")
    rare = sorted(word for word, where in used.items() if len(where) == 1)[:real]
    common = sorted(used, key=lambda word: (-len(used[word]), word))
    return rare + [f"{word}ish" for word in common][: count - len(rare)]


def write_rules(folder: Path, words: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pick = iter(words)
    for index in range(40):
        swaps = "".join(f"  {next(pick)}: plainer{index}x{n}\n" for n in range(5))
        (folder / f"swap-{index:02d}.yaml").write_text(f"kind: substitution\nswap:\n{swaps}{DOCS}", encoding="utf-8")
    for index in range(30):
        tokens = ", ".join(next(pick) for _ in range(5))
        (folder / f"exist-{index:02d}.yaml").write_text(f"kind: existence\ntokens: [{tokens}]\n{DOCS}",
                                                        encoding="utf-8")
    for index in range(10):
        (folder / f"count-{index:02d}.yaml").write_text(f"kind: occurrence\ntokens: [{next(pick)}]\nmax: 3\n{DOCS}",
                                                        encoding="utf-8")
    for index in range(10):
        term = next(pick).capitalize()
        (folder / f"case-{index:02d}.yaml").write_text(f"kind: capitalisation\nterms: [{term}]\n{DOCS}",
                                                       encoding="utf-8")
    for index in range(10):
        (folder / f"when-{index:02d}.yaml").write_text(
            f"kind: existence\nwhen:\n  indication.population: pediatric\nscope: ['sections.*', 'dosing[*].label']\n"
            f"tokens: [{next(pick)}, adults]\n{DOCS}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--real", type=int, default=100, help="how many of the rules' 420 words records use")
    parser.add_argument("--work", type=Path, help="where the corpus goes (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        work = args.work or Path(scratch)
        generate(args.records, work)
        write_rules(work / "styles", vocabulary(420, args.real))
        (work / "medlint.toml").write_text('styles = "styles"\n', encoding="utf-8")
        (work / "none.toml").write_text('styles = "no-styles"\n', encoding="utf-8")
        command = [sys.executable, "-m", "medlint.cli", "check", "--no-cache", "--jobs", "1", "--exit-zero",
                   "--today", "2026-11-25", str(work / "records")]
        without, with_rules = [], []
        for _ in range(args.runs):  # alternating, so that a change in the machine's load hits both alike
            without.append(once([*command, "--config", str(work / "none.toml")])[1])
            with_rules.append(once([*command, "--config", str(work / "medlint.toml")])[1])
        plain, house = statistics.median(without), statistics.median(with_rules)
        print(f"{args.records} records, {args.runs} runs each, CPU seconds (median): without house rules "
              f"{plain:.2f}, with 100 house rules {house:.2f}: +{(house / plain - 1) * 100:.1f}% (load average "
              f"{os.getloadavg()[0]:.1f})", flush=True)
        found = subprocess.run([*command, "--config", str(work / "medlint.toml"), "--select", "house",
                                "--output-format", "json"], capture_output=True, text=True, check=False).stdout
        print(f"the house rules found {len(json.loads(found)['findings']):,} things")


if __name__ == "__main__":
    main()
