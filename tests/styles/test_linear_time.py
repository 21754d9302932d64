"""House rules take time linear in the text, however their patterns are written (issue 18): the same
measure as tests/robustness/test_linear_time.py, on the worst patterns medlint's bounds let through and
the texts that make them backtrack most."""
from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
from styles_support import DOCS, write
from support import BASE_PATH, TODAY, merge

from medlint import config as config_mod, engine, load

pytestmark = pytest.mark.slow

SMALL, LARGE = 50_000, 200_000
# seconds per megabyte for all the rules below together: on `a a a ...` they find a match every two
# characters, each a finding of some microseconds (the engine's "all rules" limit is 25)
BUDGET = 12.0
GROWTH = 8.0  # linear is 4, quadratic 16

RULES = {
    "two-in-a-row": "kind: existence\nregex: true\ntokens: ['\\w+ \\w+', '.*x', '[a-z]+[0-9]+']\n",
    "optional-group": "kind: existence\nregex: true\nnonword: true\ntokens: ['(?:a|ab)?(?:\\w*)c', '(.*)?z']\n",
    "many-swaps": "kind: substitution\nswap:\n" + "".join(f"  word{n} a: other{n}\n" for n in range(50)),
    "counted": "kind: occurrence\ntokens: [a, ab]\nmax: 1\nper: record\n",
    "counted-min": "kind: occurrence\nregex: true\ntokens: ['a+b']\nmin: 100000\n",
    "names": "kind: capitalisation\nterms: [AAV9, Zolgensma, A]\n",
    "children": "kind: existence\nwhen:\n  indication.population: pediatric\ntokens: [a a a a, ab ab]\n",
}
FRAGMENTS = ["a", "a ", "ab ", "a1", "aaaa b", "word1 ", "x", "\n"]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name, body in RULES.items():
        write(root, f"styles/{name}.yaml", body + DOCS)
    return root


def _timed(config: config_mod.Config, text: str) -> float:
    source = load.load_text(text.encode(), BASE_PATH, expected="zolgensma/spinal-muscular-atrophy")
    assert source.record is not None, source.problems[:1]
    gc.disable()
    try:
        start = time.process_time()
        engine.lint_source(source, config, engine.Run(TODAY))
        return time.process_time() - start
    finally:
        gc.enable()


def _document(fragment: str, size: int) -> str:
    value = (fragment * (size // len(fragment))).replace("\n", "\\n")
    return merge(f'summary: "{value}"\n')[0]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_house_rules_are_linear_on_worst_case_text(project: Path, fragment: str) -> None:
    config = config_mod.build({}, root=project, select=["house"])
    assert len(config.rules.enabled) == len(RULES)
    small_text, large_text = _document(fragment, SMALL), _document(fragment, LARGE)
    budget = BUDGET * len(large_text.encode()) / 1e6
    small, large = _timed(config, small_text), _timed(config, large_text)
    if large > budget or large > GROWTH * max(small, 0.2 / GROWTH):  # a shared machine: the best of three
        small = min(small, *(_timed(config, small_text) for _ in range(2)))
        large = min(large, *(_timed(config, large_text) for _ in range(2)))
    assert large <= budget and large <= GROWTH * max(small, 0.2 / GROWTH), \
        f"{small:.3f} s at {SMALL:,} bytes, {large:.3f} s at {LARGE:,} (budget {budget:.2f} s)"
