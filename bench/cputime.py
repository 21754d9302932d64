"""Time one command, whole process, several runs: the median wall time and the median CPU time (user + sys of
the child), as printed by e.g.

    python bench/cputime.py --runs 10 -- medlint check records/acetaminophen/pain.yaml --no-cache

CPU time is the figure to quote on a shared machine: wall time grows with other people's load, CPU time
much less. The command's output is discarded; its exit code is printed once, so a broken run is not timed
unnoticed. Python runs as pip installs it, with bytecode (see run.ENV).

`--imports N` also runs the command N more times under Python's import profiler (PYTHONPROFILEIMPORTTIME)
and prints where its start-up goes: the import time of each top-level package (medlint's modules one by
one), the least of the N runs, beside the CPU time of `python -c pass` (the interpreter's own start-up).
The profiler's own cost inflates these figures by a few percent; read them as shares.
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import statistics
import subprocess
import sys
import time

from run import ENV  # a sibling script, not a package


def once(command: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV,
                          check=False).returncode
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), code


def import_times(command: list[str]) -> dict[str, int]:
    """Microseconds each module's own import took in one run of `command` (its `self` column)."""
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env={**ENV, "PYTHONPROFILEIMPORTTIME": "1"}, check=False)
    times: dict[str, int] = {}
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and not line.endswith("imported package"):
            own, _, name = line.removeprefix("import time:").split("|")
            times[name.strip()] = int(own)
    return times


def breakdown(command: list[str], runs: int) -> str:
    """Import time by package (medlint's modules one by one), the least of `runs` runs, largest first."""
    least: dict[str, int] = {}
    for _ in range(runs):
        for name, micros in import_times(command).items():
            least[name] = min(least.get(name, micros), micros)
    groups: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()
    for name, micros in least.items():
        group = name if name.startswith("medlint") else name.split(".")[0]
        groups[group] += micros
        counts[group] += 1
    stdlib = set(sys.stdlib_module_names) | {"encodings", "_frozen_importlib_external", "zipimport"}
    shares = {"medlint": [k for k in groups if k.startswith("medlint")], "standard library": [k for k in groups
                                                                                         if k in stdlib]}
    lines = [f"  imports: {len(least)} modules, {sum(least.values()) / 1000:.1f} ms ("
             + ", ".join(f"{share} {sum(counts[k] for k in names)} modules "
                         f"{sum(groups[k] for k in names) / 1000:.1f} ms" for share, names in shares.items()) + ")"]
    lines += [f"  {micros / 1000:7.1f} ms  {name}" + (f" ({counts[name]} modules)" if counts[name] > 1 else "")
              for name, micros in groups.most_common(40)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--imports", type=int, default=0, metavar="N",
                        help="also print where the imports' time goes, the least of N runs")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to time after --")
    runs = [once(command) for _ in range(args.runs)]
    walls, cpus, codes = zip(*runs, strict=True)
    print(f"{' '.join(command)}\n  runs {args.runs}, exit {sorted(set(codes))}, load {os.getloadavg()[0]:.2f}: "
          f"wall median {statistics.median(walls) * 1000:.0f} ms (min {min(walls) * 1000:.0f}), "
          f"CPU median {statistics.median(cpus) * 1000:.0f} ms (min {min(cpus) * 1000:.0f})")
    if args.imports:
        bare = [once([sys.executable, "-c", "pass"])[1] for _ in range(args.runs)]
        print(f"  python -c pass: CPU median {statistics.median(bare) * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
        print(breakdown(command, args.imports))


if __name__ == "__main__":
    main()
