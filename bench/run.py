"""Benchmark medlint against the tools in its lane, on the same generated files, in one run.

    python bench/run.py --records 10000 --runs 5

For each size it generates a corpus (bench/corpus.py), then times, as whole commands:
  cold        medlint check, empty cache (every file read, parsed, validated and checked by every rule)
  cold, one worker  the same with --no-cache --jobs 1: one process, the CPU a record costs
  warm        medlint check again, nothing changed (the cache answers)
  one record  medlint check on one file (the pre-commit case: cross-record checks read its drug folder)
  schema only check-jsonschema --schemafile schemas/record.schema.json on every file
  yamllint    yamllint on the folder (syntax and style only)
It prints the median wall time and the median CPU time (user + sys of the whole process tree, workers
included) of --runs runs, the peak memory of that tree, per-record times, and the ratios the targets in
docs/benchmarks.md are stated in. On a shared machine CPU time is the figure to compare: the headline ratio
is check-jsonschema's CPU over medlint's, the same files in the same run.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # a sibling script, not a package

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"


class Timing(NamedTuple):
    seconds: float  # median wall time
    peak_mb: float  # largest resident set of the process tree in any run
    exit_codes: tuple[int, ...]
    cpu: float = 0.0  # median CPU seconds (user + sys) of the process tree


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


# Python as pip installs it: bytecode compiled. Some sandboxes set PYTHONDONTWRITEBYTECODE, which would
# make every run recompile medlint's modules and measure the compiler instead of medlint.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every descendant waited for: workers, batches
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], cwd: Path) -> tuple[float, int, int, float]:
    """Wall seconds, peak tree RSS (kB, sampled every 5 ms), exit code and CPU seconds of one run."""
    cpu = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid))
        time.sleep(0.005)
    return time.perf_counter() - start, peak, process.returncode, _children_cpu() - cpu


def timed(command: list[str], cwd: Path, runs: int, before: object = None) -> Timing:
    walls, peaks, codes, cpus = [], [], [], []
    for _ in range(runs):
        if callable(before):
            before()
        wall, peak, code, cpu = measure(command, cwd)
        walls.append(wall)
        peaks.append(peak)
        codes.append(code)
        cpus.append(cpu)
    return Timing(statistics.median(walls), max(peaks) / 1024, tuple(codes), statistics.median(cpus))


def bench(count: int, runs: int, external: bool, work: Path) -> dict[str, Timing]:
    target = work / f"corpus-{count}"
    if not target.exists():
        corpus.generate(count, target)
    files = sorted(str(p.relative_to(target)) for p in (target / "records").glob("*/*.yaml"))
    cache = work / f"cache-{count}"
    medlint = [sys.executable, "-m", "medlint.cli", "check", "--today", TODAY, "--cache-dir", str(cache)]
    results = {
        "cold": timed(medlint, target, runs, before=lambda: shutil.rmtree(cache, ignore_errors=True)),
        "cold, one worker": timed([*medlint, "--no-cache", "--jobs", "1"], target, runs),
        "warm": timed(medlint, target, runs),
        "one record": timed([*medlint, files[len(files) // 2]], target, runs,
                            before=lambda: shutil.rmtree(cache, ignore_errors=True)),
    }
    if external:
        schema = str(ROOT / "schemas" / "record.schema.json")
        listing = work / f"files-{count}.txt"  # the file names go to the driver in a file: too many for argv
        listing.write_text("\n".join(files), encoding="utf-8")
        script = ("import subprocess, sys\n"
                  "from pathlib import Path\n"
                  "files = Path(sys.argv[1]).read_text(encoding='utf-8').split('\\n')\n"
                  "batches, size = [[]], 0\n"
                  "for name in files:\n"
                  "    if size + len(name) > 100_000:\n"
                  "        batches.append([])\n"
                  "        size = 0\n"
                  "    batches[-1].append(name)\n"
                  "    size += len(name) + 1\n"
                  "sys.exit(max(subprocess.run(['check-jsonschema', '--schemafile', sys.argv[2], *batch]).returncode"
                  " for batch in batches))\n")
        results["schema only (check-jsonschema)"] = timed([sys.executable, "-c", script, str(listing), schema],
                                                          target, runs)
        results["yamllint"] = timed(["yamllint", "-d", "relaxed", "records"], target, runs)
    return results


def report(count: int, results: dict[str, Timing]) -> str:
    lines = [f"## {count:,} records (load average {os.getloadavg()[0]:.1f})", "",
             "| run | median wall | per record | median CPU | CPU per record | peak memory | exit codes |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, timing in results.items():
        divisor = (1 if name == "one record" else count) / 1000
        lines.append(f"| {name} | {timing.seconds:.3f} s | {timing.seconds / divisor:.3f} ms | {timing.cpu:.3f} s | "
                     f"{timing.cpu / divisor:.3f} ms | {timing.peak_mb:.0f} MB | "
                     f"{', '.join(map(str, sorted(set(timing.exit_codes))))} |")
    cold, warm = results["cold"].seconds, results["warm"].seconds
    lines += ["", f"- warm / cold: 1/{cold / warm:.1f} (target: at most 1/20)",
              f"- one record: {results['one record'].seconds * 1000:.0f} ms (target: under 200 ms)",
              f"- cold peak memory: {results['cold'].peak_mb:.0f} MB (target at 10,000: under 300 MB)"]
    if "schema only (check-jsonschema)" in results:
        schema_only = results["schema only (check-jsonschema)"]
        lines.append(f"- check-jsonschema / medlint cold, CPU: {schema_only.cpu / results['cold'].cpu:.1f}x; against "
                     f"one worker: {schema_only.cpu / results['cold, one worker'].cpu:.1f}x (target: at least 10x)")
        ratio = schema_only.seconds / cold
        lines.append(f"- check-jsonschema / medlint cold, wall: {ratio:.1f}x")
        lines.append(f"- yamllint / medlint cold: {results['yamllint'].seconds / cold:.1f}x")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[1000], help="corpus sizes (default: 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--no-external", action="store_true", help="skip check-jsonschema and yamllint")
    parser.add_argument("--work", type=Path, help="folder for corpora and caches (default: a temporary one)")
    args = parser.parse_args(argv)
    external = not args.no_external
    if external and not (shutil.which("check-jsonschema") and shutil.which("yamllint")):
        parser.error("check-jsonschema and yamllint must be installed (pip install -e '.[test]'), "
                     "or pass --no-external")
    work = args.work or Path(tempfile.mkdtemp(prefix="medlint-bench-"))
    subprocess.run([sys.executable, "-c", "import medlint.cli"], env=ENV, check=True)  # writes the bytecode
    print(f"# medlint benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.runs} runs each)\n")
    previous: tuple[int, float] | None = None
    for count in args.records:
        results = bench(count, args.runs, external, work)
        print(report(count, results), flush=True)
        cold = results["cold, one worker"].cpu
        if previous is not None:
            growth = (cold / count) / (previous[1] / previous[0])
            print(f"- cold CPU per record, one worker, vs {previous[0]:,} records: x{growth:.2f} "
                  "(target: within 5%)\n")
        previous = (count, cold)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
