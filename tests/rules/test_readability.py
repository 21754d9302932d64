"""The Flesch-Kincaid measurement behind ML701: formula, syllables, sentences and names."""
from __future__ import annotations

import pytest
from support import FIXTURES, ROOT, TODAY, lint_text, merge, readability_page, run_config, source

from medlint import engine, syllables as syllables_mod
from medlint.syllables import (
    Counts,
    count,
    estimate_syllables,
    grade,
    is_drug_name,
    syllables,
)

MUSCLES = ("Muscles get weak. A child may not be able to sit, crawl or walk, and may have trouble with eating "
           "and breathing. The nerve cells that move the muscles need this protein, and they slowly die "
           "without it.")
AMOXICILLIN = ("Take every dose, even after you feel better, so the infection does not come back. Loose stools, "
               "an upset stomach or a mild rash can happen.")


@pytest.mark.parametrize(("counts", "expected"), [
    (Counts(words=6, sentences=1, syllables=6), -1.45),  # "The cat sat on the mat."
    (Counts(words=100, sentences=5, syllables=150), 9.91),  # 0.39 x 20 + 11.8 x 1.5 - 15.59
    (Counts(words=0, sentences=0, syllables=0), 0.0),
])
def test_the_published_formula(counts: Counts, expected: float) -> None:
    assert grade(counts) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "counts", "reference"), [
    # reference grades computed with textstat 0.7.8, which counts with the same CMU dictionary
    ("The cat sat on the mat.", Counts(6, 1, 6), -1.45),
    (MUSCLES, Counts(38, 3, 47), 3.9447),
    (AMOXICILLIN, Counts(26, 2, 36), 5.8185),
])
def test_plain_text_matches_reference_values(text: str, counts: Counts, reference: float) -> None:
    assert count(text) == counts
    assert grade(count(text)) == pytest.approx(reference, abs=1e-4)


@pytest.mark.parametrize(("word", "expected"), [
    # from the CMU Pronouncing Dictionary, where a hyphenation dictionary (pyphen) says 1
    ("medicine", 3), ("area", 3), ("idea", 3), ("platelets", 2),
    ("discontinuation", 6), ("the", 1), ("child's", 1), ("don't", 1),
    # not in the dictionary: vowel groups
    ("onasemnogene", 5), ("abeparvovec", 5), ("serotype", 3), ("hypotonia", 5), ("risdiplam", 3),
    # numbers are read as one word; compounds are the sum of their parts
    ("60", 1), ("1.1", 1), ("1,000", 1), ("follow-up", 3), ("3-monthly", 3), ("gene-based", 2),
])
def test_syllables(word: str, expected: int) -> None:
    assert syllables(word) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("gene", 1), ("types", 1), ("caused", 1), ("little", 2), ("created", 3), ("rhythm", 1), ("biology", 4),
])
def test_vowel_group_estimate(word: str, expected: int) -> None:
    assert estimate_syllables(word) == expected


@pytest.mark.parametrize(("token", "expected"), [
    ("rosuvastatin", True), ("evolocumab", True), ("apixaban", True), ("prednisolone", True), ("statins", False),
    ("SMA", True), ("AAV9", True), ("T4", True),
    ("april", False), ("worsen", False), ("cholesterol", False), ("magazine", False), ("I", False),
    ("medicine", False),
    # generic names from the FDA's UNII list, and the antihistamine stems
    ("loratadine", True), ("Naproxen", True), ("acetaminophen", True), ("pseudoephedrine's", True),
    ("bilastine", True), ("hydroxyzine", True),
    # official names that are ordinary or body words stay words
    ("water", False), ("thyroid", False), ("retinal", False), ("glucose", False), ("alcohol", False),
])
def test_drug_names(token: str, expected: bool) -> None:
    assert is_drug_name(token) is expected


@pytest.mark.parametrize(("text", "sentences"), [
    ("H. pylori is a germ. It lives in the stomach.", 2),  # an initial is not a sentence end
    ("The dose is 1.1 mg. Take it daily.", 2),  # nor a decimal point
    ("Yes. No. Maybe!", 3),  # one-word sentences count (textstat drops them)
    ("A single infusion into a vein", 1),  # a list item without a full stop
    ("Is it safe? \"Yes.\" Ask (the nurse.) Then go.", 4),
])
def test_sentences(text: str, sentences: int) -> None:
    assert count(text).sentences == sentences


def test_names_count_as_one_syllable() -> None:
    # a capitalised word inside a sentence, an initialism and the record's own drug names
    assert count("Ask about Tresiba or SMA care.").syllables == 7
    assert count("Zolgensma works.").syllables == 2  # first word, not in the dictionary: a name
    assert count("Muscles work.").syllables == 3  # first word in the dictionary: counted
    assert count("it is onasemnogene", frozenset({"onasemnogene"})).syllables == 3


def test_syllable_table_loads_offline_from_the_package() -> None:
    table = syllables_mod._cmu()
    assert table.get("pharmacy") == 3 and table.get("medicine") == 3 and "area" in table
    assert table.get("zolgensma") is None and "" not in table
    assert table.get("'bout") == 1 and table.get("zywicki") == 3  # the first and the last line


def test_syllable_table_search_finds_every_line_and_nothing_else() -> None:
    for text in ("", "a\t1\n", "a\t1\nab\t2\nb\t3\n", "a\t1\nab\t2\nb\t3"):
        table = syllables_mod.SyllableTable(text)
        listed = dict(line.split("\t") for line in text.split("\n") if line)
        for word in ("", "a", "ab", "b", "aa", "abc", "c", "0"):
            assert table.get(word) == (int(listed[word]) if word in listed else None), (text, word)


def test_malformed_sections_do_not_crash() -> None:
    for fragment in ("summary: 12\n", "sections: [a, b]\n", "sections:\n  faq: text\n  what_to_expect: 3\n",
                     "sections:\n  faq:\n    - answer: [1]\n    - 7\n  what_to_expect: [1, null]\n"):
        text, _ = merge(fragment)
        assert "ML900" not in [f.code for f in lint_text(text)]


def test_seed_page_texts_are_graded_where_tests_fixtures_seed_readme_says() -> None:
    text = (FIXTURES / "seed" / "records" / "zolgensma" / "spinal-muscular-atrophy.yaml").read_text(encoding="utf-8")
    found = {f.line: f.message for f in lint_text(text) if f.code == "ML701"}
    # summary, why_used, what_to_expect (at its first item), alternatives, FAQ answers 1, 2 and 4; the
    # mechanism, when_to_talk_to_doctor and FAQ answer 3 are under 30 words and not graded
    assert sorted(found) == [15, 20, 29, 34, 46, 51, 60]
    grades = [float(message.split("grade ")[1].split(" ")[0]) for message in found.values()]
    assert min(grades) > 10


def test_shipped_syllable_table_matches_the_cmu_dictionary() -> None:
    import importlib.util

    from support import ROOT

    spec = importlib.util.spec_from_file_location("build_syllable_table", ROOT / "scripts" / "build_syllable_table.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    shipped = (ROOT / "src" / "medlint" / "data" / "syllables.tsv").read_text(encoding="utf-8")
    assert shipped == builder.table_text(), "run: python scripts/build_syllable_table.py"


def test_generic_names_are_shipped_with_their_source() -> None:
    names = syllables_mod.generic_names()
    assert len(names) > 10_000 and {"loratadine", "fexofenadine", "naproxen", "nusinersen"} <= names
    assert not {"water", "milk", "thyroid", "retinal", "cholesterol", ""} & names
    header = (ROOT / "src" / "medlint" / "data" / "generic-names.txt").read_text(encoding="utf-8")[:400]
    assert "UNII" in header and "public domain" in header and "build_generic_names.py" in header


def test_the_generic_names_builder_keeps_one_word_official_names_that_are_not_ordinary_words() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_generic_names", ROOT / "scripts" / "build_generic_names.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    unii = ("Name\tTYPE\tUNII\tDisplay Name\r\n"
            "LORATADINE\tof\tX\tLORATADINE\r\n"  # an official one-word name: kept
            "CLARITIN\tbn\tX\tLORATADINE\r\n"  # a brand name: not official
            "WATER\tof\tX\tWATER\r\n"  # in the dictionary: an ordinary word
            "IBUPROFEN\tof\tX\tIBUPROFEN\r\n"  # in the dictionary, but a medicine
            "SODIUM CHLORIDE\tof\tX\tSODIUM CHLORIDE\r\n"  # two words
            "INTERFERON ALFA-2B\tof\tX\tINTERFERON ALFA-2B\r\n")
    listed = [line for line in builder.names_text(unii).splitlines() if not line.startswith("#")]
    assert listed == ["ibuprofen", "loratadine"]


def _record(slug: str, generic: str, alternatives: str) -> str:
    return readability_page(f"{slug}/spinal-muscular-atrophy", generic, alternatives)


def test_generic_names_of_the_other_records_in_the_run_count_as_names() -> None:
    alternatives = ("Risdiplam is a pill taken by mouth each day. The one-time infusion onasemnogene is given "
                    "into a vein to young children in a hospital over about an hour. Ask whether onasemnogene or "
                    "the pill fits your child, and what onasemnogene asks of you.")
    mine = _record("nusinersen", "nusinersen", alternatives)
    other = _record("zolgensma", "onasemnogene abeparvovec-xioi", "Two other medicines treat SMA.")
    config = run_config()
    run = engine.Run(TODAY)
    alone = engine.lint([source(mine, "records/nusinersen/spinal-muscular-atrophy.yaml")], config, run)
    together = engine.lint([source(mine, "records/nusinersen/spinal-muscular-atrophy.yaml"),
                            source(other, "records/zolgensma/spinal-muscular-atrophy.yaml")], config, run)
    assert [f.code for f in alone if f.code == "ML701"] == ["ML701"]
    assert [f for f in together if f.code == "ML701"] == []
