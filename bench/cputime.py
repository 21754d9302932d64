"""Time one command, whole process, several runs: the median wall time and the median CPU time (user + sys of
the child), as printed by e.g.

    python bench/cputime.py --runs 10 -- medlint check records/aspirin/pain.yaml --no-cache

CPU time is the figure to quote on a shared machine: wall time grows with other people's load, CPU time
much less. The command's output is discarded; its exit code is printed once, so a broken run is not timed
unnoticed. Python runs as pip installs it, with bytecode (see run.ENV).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
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


if __name__ == "__main__":
    main()
