"""Every rule, the fixer and the report take time linear in the input, on worst cases for their patterns
(issue 12, finding 4: ML201's `\\{%.*?%\\}` took 40 s on 100 KB of `{%{%{%...`, an hour near the size limit).

Each generator repeats a fragment that the patterns of some rule start to match, or match over and over
(an unclosed `{%`, `[insert` without `]`, `adult dose` in one endless sentence, mojibake, look-alike
letters, numbers with units and powers of ten, amounts the prose reader weighs...), into a record's summary,
or its dose label and notes; or repeats a dose entry (tenfold slips against the drug's dose-limit table, mg
beside mcg, per-kg doses without a cap) into a dosing list of thousands. Every run has the drug's table, so
the limits rules (ML801-ML807) read each dose.
At 50 KB and at four times that (with `MEDLINT_LINEAR=full`: 240 KB and 960 KB, just under the default
1 MB file limit; about five times as long), each rule runs alone through the engine, then all of them
together on a fresh record (loading, suppressions, the editors' summary and `fix` are timed on their own).
A rule fails if its time grows more than eight times (linear is four, quadratic sixteen) or passes its
budget: BUDGET seconds per megabyte, or the higher limit LIMITS names for the few rules whose cost per
finding is higher (docs/robustness.md states them). Times are CPU times of this process (the machine may be
shared, and waiting for a core is not the rule's cost); they are still noisy, so a rule over a bound is
measured twice more at each size and the fastest runs count.
"""
from __future__ import annotations

import dataclasses
import functools
import gc
import os
import time
from collections.abc import Callable

import pytest
from support import BASE_PATH, ROOT, TODAY, limit_set, merge, run_config

from medlint import engine, fix, load, rules, suppress
from medlint.config import Config
from medlint.record import Record
from medlint.summary import summarise

pytestmark = pytest.mark.slow

# bytes of hostile text in the record (UTF-8); the record around it stays under the 1 MB file limit
SMALL, LARGE = (240_000, 960_000) if os.environ.get("MEDLINT_LINEAR") == "full" else (50_000, 200_000)
BUDGET = 3.0  # seconds per megabyte of text, per rule: about 2 measured alone, with room for a shared machine
# rules that spend some tens of microseconds on each finding or word (ftfy itself ~30 µs a damaged
# sequence, ML602 and ML603 a Unicode lookup per letter of each suspect word, ML604 a comparison of each
# mention of a name with the field), and fix, which lints each pass with every finding and every rule
# (~26 s per MB on `10mg 10mg ...` since the prose reader of ML311/ML313): linear, but dearer per byte
LIMITS = {"ML601": 12.0, "ML602": 8.0, "ML603": 8.0, "ML604": 6.0, "all rules": 25.0, "fix": 35.0}
GROWTH = 8.0  # linear is 4 (timings on a shared machine vary twice over), quadratic 16

FRAGMENTS = [
    # ML201: unclosed template tags and brackets, markers
    "{%", "{{", "}}", "{ a", "${", "[insert", "[ drug", "<a", "<a a", "TODO ", "todo ", "xxx", "lorem ", "{%a%",
    # ML202, ML203: the indication over and over, claims in one endless sentence
    "Spinal muscular atrophy (SMA) ", "how long do you ", "never stop ", "keep taking ", "long-term ",
    "relapse ", "stopping ", "in the long term ",
    # ML3xx: numbers, units, powers of ten, abbreviations, acronyms
    "1", "1,", "1,000,", "1.", ".5", "10 ", "1 x 10^", "1e", "10mg ", "5 cc ", "µg", "qd ", "q.d.", "SC ",
    "(HS) ", "HS (", "hs ", "sub q ", "more than ", "1.0 mg ", "1 x 10^400 mg ", "100000 units ",
    # ML311, ML313: amounts the prose reader weighs against the dosing, and the words around them
    "Give 1.1 × 10^15 vector genomes/kg. ", "1.1 × 10^13 vector genomes per kg ", "up to 4 g a day ",
    "500 mg of acetaminophen ", "125 mg in each 5 mL ", "then 1 mg, then 2 mg ", "given as 2 shots of 5 mg ",
    "5 milligrams ", "no more than 4,000 mg in 24 hours ", "every 6 hours ", "2 mg/kg ",
    # ML4xx: populations in one sentence, negations, ages
    "adult dose ", "adults ", "children ", "child: ", "children 2 years and older: ", "dose for the children ",
    "not ", "than the ", "(", "5 years ", "adult patients' dose ", "children take 5 ", "pregnant ",
    "grown-ups ", "little ones ",
    # ML6xx: mojibake, look-alikes, invisible characters, names
    "\u0e23", "\u0e23\u0e23", "\u0e23 ", "\u00c3\u2014", "\u00c3\u2014 ", "\u00e2\u20ac", "\u0430", "Z\u0430",
    "Z\u0430 ", "\u0e01", "\u0e01a", "\ufb01", "\u200b", "a\u200b", "a\u200b ", "zolgensma ",
    "aav9-based gene therapy ",
    # ML711-ML714 (the opt-in health-literacy pack): long words, listed words and phrases, acronyms and what
    # explains them, per-kg notation, instructions to calculate
    "administered ", "prior ", "prior to ", "in order to ", "non-renal ", "(hypertension) ", "SMA ", "SMA, a ",
    "called SMA ", "Xopenex HFA ", "IL-4 and ", "1.1 × 10^14 vector genomes/kg ", "15 mg/kg/day ", "1 to 2 mg/",
    "Multiply your weight ", "you can work out ", "kg. multiply ",
    # ML701 and the rest: words, sentences, punctuation, white space
    "word ", "a. ", "A.B.", "1.1.", "...", "-", "'", "e.g. ", " ", "a", "AAV9 ", "SMA (", "(SMA) ",
    "TNF-\u03b1 ", "\u00e9",
]
PLACES = {
    "summary": lambda value: merge(f'summary: "{value}"\n')[0],
    "dosing": lambda value: merge(
        f'dosing:\n  - label: "{value}"\n    population: pediatric\n    dose:\n      value: 1.1e14\n'
        f'      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n    notes: "{value}"\n')[0],
}
CASES = [(fragment, place) for fragment in FRAGMENTS for place in PLACES]
_ENTRY = ("  - label: {label}\n    population: {population}\n    dose:\n      value: {value}\n      unit: {unit}\n"
          "    route: {route}\n    frequency: {frequency}\n{extra}")
_VG = {"population": "pediatric", "unit": "vector genomes/kg", "route": "intravenous", "frequency": "once",
       "extra": ""}
_CHILD = {**_VG, "label": "Children", "value": "10", "unit": "mg/kg", "route": "oral", "frequency": "every 6 hours"}
_ADULT = {"population": "adult", "label": "Adults", "value": "100", "unit": "mg", "extra": ""}
# dose entries repeated into one dosing list: each pair is an entry and how the next one differs from it
ENTRIES = {
    "tenfold over and under the table": ({**_VG, "label": "Pediatric dose", "value": "1.1e15"}, {"value": "1.1e13"}),
    "over the hard limit, every 6 hours": ({**_VG, "label": "Dose", "value": "2.2e14"},
                                           {"frequency": "every 6 hours"}),
    "mg beside mcg for adults": ({"label": "Adult dose", "population": "adult", "value": "5", "unit": "mg",
                                  "route": "oral", "frequency": "once daily", "extra": ""},
                                 {"unit": "mcg", "value": "500"}),
    "children per kg beside adults (ML405)": (_CHILD, _ADULT),
    "children's caps above adults' doses (ML406)": (
        {**_CHILD, "extra": "    max_dose:\n      value: 400\n      unit: mg\n"}, _ADULT),
    "per kg without a cap": ({**_VG, "label": "Children", "value": "2", "unit": "mg/kg",
                              "frequency": "every 4 to 6 hours as needed"}, {"unit": "mg/kg/day"}),
    "units the table cannot compare": ({**_VG, "label": "x", "value": "1", "unit": "mL"}, {"unit": "mg/kg/dose"}),
}
TABLE = (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8")


def document(fragment: str, place: str, size: int) -> str:
    """The fragment repeated into `size` bytes of text, in one value or split between two."""
    per_value = size // (1 if place == "summary" else 2) // len(fragment.encode())
    value = fragment * per_value
    return PLACES[place](value.replace("\\", "\\\\").replace('"', '\\"'))


def _timed(action: Callable[[], object]) -> float:
    # as timeit does: a collection of everything the test holds (both documents, their records) would be
    # charged to whichever rule it happened in
    gc.disable()
    try:
        start = time.process_time()
        action()
        return time.process_time() - start
    finally:
        gc.enable()


ALONE = tuple(r.code for r in rules.RULES if r.check is not None)
# in the order they are measured: loading gives the record, all the rules together build its shared views
# (the prose and its numbers, which eight rules read) on it, and each rule alone then runs on that record
MEASURES = ("load", "all rules", *ALONE, "suppress", "summary", "fix")


@functools.cache
def _alone(code: str) -> Config:
    return run_config(select=[code])


class Timings:
    """The CPU times of what runs on one document, each measured when first asked for: loading; all the
    rules on a fresh record; each rule alone through the engine, on a record whose shared views are built
    (so no rule alone is charged for them); suppressions; the editors' summary; and the fixer. Asked again,
    a measure is taken again (all the rules on a fresh record again)."""

    def __init__(self, text: str) -> None:
        self.text, self.config = text, run_config()
        self.run = engine.Run(TODAY, limits=limit_set(TABLE))
        self.record: Record | None = None  # loaded and its views built: what the rules alone read
        self.built = False

    def _load(self) -> None:
        loaded = load.load_text(self.text.encode(), BASE_PATH, expected="zolgensma/spinal-muscular-atrophy",
                                max_bytes=self.config.max_file_bytes)
        assert loaded.record is not None, loaded.problems[:1]
        self.record = self.record or loaded.record

    def _source(self, record: Record) -> load.Source:
        return load.Source(BASE_PATH, record, (), self.text)

    def measure(self, name: str) -> float:
        if name == "load":
            return _timed(self._load)
        if self.record is None:
            self._load()
        record = self.record
        assert record is not None
        if name == "all rules":  # the first time on the loaded record itself, which it leaves built
            fresh = dataclasses.replace(record, _derived={}) if self.built else record
            self.built = True
            return _timed(lambda: engine.lint_source(self._source(fresh), self.config, self.run))
        if not self.built:
            self.measure("all rules")
        if name in ALONE:
            return _timed(lambda: engine.lint_source(self._source(record), _alone(name), self.run))
        return _timed({
            "suppress": lambda: suppress.parse(self.text),
            "summary": lambda: summarise(dataclasses.replace(record, _derived={})),
            "fix": lambda: fix.plan(self.text.encode(), BASE_PATH, self.config, self.run),
        }[name])


def _over(small: float, large: float, budget: float) -> bool:
    return large > budget or (large > 0.2 and large > GROWTH * max(small, 0.2 / GROWTH))


def entries(name: str, size: int) -> str:
    """The pair of dose entries `name` repeated into a dosing list of about `size` bytes."""
    first, change = ENTRIES[name]
    pair = _ENTRY.format(**first) + _ENTRY.format(**{**first, **change})
    return merge("dosing:\n" + pair * (size // len(pair.encode())))[0]


@pytest.mark.parametrize(("fragment", "place"), CASES, ids=[f"{f!r}-{p}" for f, p in CASES])
def test_every_rule_is_linear_on_worst_case_text(fragment: str, place: str) -> None:
    check_linear(document(fragment, place, SMALL), document(fragment, place, LARGE))


@pytest.mark.parametrize("name", ENTRIES)
def test_every_rule_is_linear_on_thousands_of_dose_entries(name: str) -> None:
    check_linear(entries(name, SMALL), entries(name, LARGE))


def check_linear(small_text: str, large_text: str) -> None:
    small_timings, large_timings = Timings(small_text), Timings(large_text)
    megabytes = len(large_text.encode()) / 1e6
    failures = []
    for name in MEASURES:
        budget = LIMITS.get(name, BUDGET) * megabytes
        large = large_timings.measure(name)
        if not _over(0.0, large, budget):  # passes whatever the small text takes: not measured
            continue
        small = small_timings.measure(name)
        if _over(small, large, budget):  # the machine is shared: the best of three runs of each size counts
            small = min(small, *(small_timings.measure(name) for _ in range(2)))
            large = min(large, *(large_timings.measure(name) for _ in range(2)))
            if _over(small, large, budget):
                failures.append(f"{name}: {small:.3f} s at {SMALL:,} bytes, {large:.3f} s at {LARGE:,} "
                                f"(budget {budget:.2f} s)")
    assert not failures, "\n".join(failures)


def test_the_growth_check_catches_a_quadratic_pattern() -> None:
    """Not vacuous: the pattern ML201 had, on the text that made it take 40 s, fails the same check."""
    import re

    quadratic = re.compile(r"\{%.*?%\}")
    small, large = ("{%" * 2_500, "{%" * 10_000)  # a fifth of the default sizes: quadratic is slow enough
    def scan(text: str) -> Callable[[], object]:
        return lambda: list(quadratic.finditer(text))

    times = [_timed(scan(text)) for text in (small, large)]
    assert times[1] > GROWTH * times[0]


# Suppression comments are read from every line of the file, so their pattern meets hostile text too (a
# reason of 80 KB of blanks before a word took 51 s): a comment that repeats a fragment after its head.
COMMENTS = [("disable=", " ", "x"), ("disable=ML302 -- r", " \t", "x"), ("disable=ML302 --", " \t", ""),
            ("disable=", "ML302, ", "-- reason"), ("disable=", "a ", "!"), ("disable=", "-", " -- -"),
            ("disable-next-line=", "ML302 ", ""), ("", "# medlint: disable=ML302 ", "x"), ("", " #", "")]


@pytest.mark.parametrize(("head", "fragment", "tail"), COMMENTS, ids=[repr(c) for c in COMMENTS])
def test_suppression_comments_are_linear(head: str, fragment: str, tail: str) -> None:
    def text(size: int) -> str:
        comment = f"# medlint: {head}{fragment * (size // len(fragment))}{tail}"
        return merge(f"summary: Zolgensma is a gene therapy.  {comment}\n")[0]

    config, run = run_config(), engine.Run(TODAY)

    def check(document: str) -> object:
        loaded = load.load_text(document.encode(), BASE_PATH, max_bytes=config.max_file_bytes)
        return engine.lint_source(load.Source(BASE_PATH, loaded.record, tuple(loaded.problems), document),
                                  config, run)

    small_text, large_text = text(SMALL), text(LARGE)
    budget = BUDGET * len(large_text.encode()) / 1e6
    failures = []
    for name, action in {"suppress": suppress.parse, "check": check}.items():
        small, large = (_timed(functools.partial(action, document)) for document in (small_text, large_text))
        if _over(small, large, budget):
            failures.append(f"{name}: {small:.3f} s at {SMALL:,} bytes, {large:.3f} s at {LARGE:,}")
    assert not failures, "\n".join(failures)
