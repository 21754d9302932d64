"""Helper logic of the text-integrity rules (ML601-ML604): the Thai-code-page decoder, the split
between it and ftfy, scripts of letters, and the fixes on the seed page."""
from __future__ import annotations

import pytest
from support import FIXTURES, lint_text, merge

from medlint.lookalike import script_of
from medlint.model import Finding
from medlint.mojibake import find_mojibake, thai_candidates


def _tis620_stripped(text: str) -> str:
    """What the seed's pipeline did: UTF-8 bytes read as TIS-620, C1 control characters dropped."""
    decoded = text.encode("utf-8").decode("iso8859_11", errors="replace")
    return "".join(ch for ch in decoded if not "\x80" <= ch <= "\x9f")


@pytest.mark.parametrize(("original", "damaged"), [("×", "ร"), ("—", "โ"), ("·", "ยท"), ("é", "รฉ")])
def test_the_seed_mechanism(original: str, damaged: str) -> None:
    assert _tis620_stripped(original) == damaged


@pytest.mark.parametrize("original", ["·", "é", "µ", "°", "½", "≥", "×", "—", "’"])
def test_every_thai_reading_includes_the_original(original: str) -> None:
    damaged = _tis620_stripped(original)
    lead, *tail = (ord(ch) - 0x0E00 + 0xA0 for ch in damaged)
    assert original in thai_candidates(lead, tuple(tail))


def test_thai_candidates_certain_and_uncertain() -> None:
    assert thai_candidates(0xC2, (0xB7,)) == ("·",)  # ยท: both bytes survived
    assert thai_candidates(0xC2, ()) == ()  # ย alone would be a C1 control: not mojibake
    latin = thai_candidates(0xC3, ())  # ร alone: one byte of 80-9F lost
    assert latin[0] == "×" and set(latin) == {chr(c) for c in range(0xC0, 0xE0)}
    assert thai_candidates(0xE2, ())[:2] == ("—", "–")  # โ alone: likeliest first
    assert thai_candidates(0xA1, ()) == ()  # ก is not a lead byte


def _intended(text: str, thai_is_text: bool = False) -> list[tuple[str, str | None]]:
    return [(text[d.start:d.end], d.intended) for d in find_mojibake(text, thai_is_text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("1.1 ร 10^14 vector genomes/kg", [("ร", "×")]),
    ("varies by dose โ some effects", [("โ", "—")]),
    ("prescribing information ยท All", [("ยท", "·")]),
    ("1.1 ร— 10^14 and โ€” x", [("ร—", "×"), ("โ€”", "—")]),  # Windows-874 keeps 97, 80 and 94
    ("5 โ 10 mg", [("โ", None)]),  # between numbers a range dash `–` is as likely as `—`
    ("Barrร syndrome", [("ร", None)]),  # a capital accented letter, not ×
    ("1.1 Ã— 10^14", [("Ã—", "×")]),
    ("dose â€” some, the childâ€™s, info Â· All, BarrÃ©", [("â€”", "—"), ("â€™", "’"), ("Â·", "·"), ("Ã©", "é")]),
    ("cafÃƒÂ©", [("ÃƒÂ©", "é")]),
])
def test_find_mojibake(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _intended(text) == expected


@pytest.mark.parametrize("text", [
    "1.1 × 10^14 — dose · café’s", "SÃO PAULO, João, São Paulo", "Ã", "Straße…", "naïve “quote”",
    "ยาชนิดนี้ใช้รักษาโรค",  # real Thai does not read as UTF-8 bytes: foreign script, not mojibake
])
def test_no_mojibake(text: str) -> None:
    assert find_mojibake(text) == ()


def test_ftfy_alone_misses_the_thai_kind() -> None:
    """Why the Thai detector exists: ftfy does not try the Thai code page."""
    import ftfy

    for damaged in ("1.1 ร 10^14", "dose โ some", "information ยท All", "1.1 ร— 10^14"):
        assert ftfy.fix_encoding(damaged) == damaged
    assert ftfy.fix_encoding("1.1 Ã— 10^14") == "1.1 × 10^14"


def test_thai_letters_are_text_in_thai() -> None:
    assert _intended("1.1 ร 10^14", thai_is_text=True) == []


@pytest.mark.parametrize(("char", "script"), [
    ("a", "LATIN"), ("é", "LATIN"), ("о", "CYRILLIC"), ("α", "GREEK"), ("ร", "THAI"), ("治", "CJK"),
    ("Ｓ", "LOOK-ALIKE"), ("ﬁ", "LOOK-ALIKE"), ("\u212a", "LOOK-ALIKE"),  # Kelvin sign
    ("µ", ""), ("ª", ""), ("1", ""), ("-", ""),
])
def test_script_of(char: str, script: str) -> None:
    assert script_of(char) == script


def _apply(text: str, findings: list[Finding]) -> str:
    edits = sorted((edit for f in findings if f.fix for edit in f.fix.edits), reverse=True)
    for start, end, new, *_ in edits:
        text = text[:start] + new + text[end:]
    return text


def test_fixes_replace_only_the_damaged_characters() -> None:
    fragment = ("summary: >-\n  Zolgensma is given once: 1.1 ร 10^14 vector genomes/kg, once โ never again;\n"
                "  see the label ยท Z\u043elgensma is an aav9-based gene therapy. Gene\u200btherapy.\n")
    text, _ = merge(fragment)
    findings = [f for f in lint_text(text) if f.code.startswith("ML6")]
    assert sorted(f.code for f in findings) == ["ML601", "ML601", "ML601", "ML602", "ML603", "ML604"]
    for finding in findings:
        assert finding.fix is not None and all(len(e.text) <= len("AAV9-based gene therapy") for e in finding.fix.edits)
    repaired = _apply(text, findings)
    assert ("1.1 × 10^14 vector genomes/kg, once — never again;\n  see the label · Zolgensma is an AAV9-based "
            "gene therapy. Genetherapy.") in repaired
    assert [f for f in lint_text(repaired) if f.code.startswith("ML6")] == []


def test_escaped_characters_get_no_fix() -> None:
    text, _ = merge('summary: "Zolgensma is a gene\\u200b therapy, 1.1 \\u00c3\\u0097 10^14."\n')
    findings = [f for f in lint_text(text) if f.code in ("ML601", "ML603")]
    assert sorted(f.code for f in findings) == ["ML601", "ML603"]
    assert all(f.fix is None for f in findings)


SEED = sorted(FIXTURES.glob("seed/**/*.yaml"))


@pytest.mark.skipif(not SEED, reason="the seed fixture is not there yet")
def test_seed_fixture() -> None:
    """One mojibake finding per damaged sequence, the class capitalisation, and nothing reported twice."""
    text = SEED[0].read_text(encoding="utf-8")
    findings = [f for f in lint_text(text) if f.code.startswith("ML6")]
    lines = text.splitlines()

    def at(needle: str, occurrence: int = 0) -> tuple[int, int]:
        places = [(n + 1, line.index(needle) + 1) for n, line in enumerate(lines) if needle in line]
        return places[occurrence]

    mojibake = sorted((f.line, f.column) for f in findings if f.code == "ML601")
    assert mojibake == sorted([at("ร"), at("โ"), at("โ", 1), at("ยท")])
    capitalisation = sorted((f.line, f.column) for f in findings if f.code == "ML604")
    assert capitalisation == sorted(at("aav9-based gene therapy", n) for n in range(3))
    assert not [f for f in findings if f.code in ("ML602", "ML603")]
    # "a aav9-based gene therapy": capitalised, it would read "a AAV9", so that one is left to the editor
    unfixed = [f for f in findings if f.fix is None]
    line, column = at(" a aav9-based gene therapy")
    assert [(f.line, f.column) for f in unfixed] == [(line, column + 3)]
    assert "check the article" in str(unfixed[0].hint)


_DRUG = "drug:\n  brand_name: {brand}\n  generic_name: onasemnogene abeparvovec-xioi\n  drug_class: {cls}\n"


@pytest.mark.parametrize(("brand", "cls", "summary", "reported", "after"), [
    # the field lowercased the acronym: the field is fixed, the text is left alone
    ("Zolgensma", "aav9-based gene therapy", "Zolgensma is an AAV9-based gene therapy.", 1,
     "drug_class: AAV9-based gene therapy|Zolgensma is an AAV9-based gene therapy."),
    # only the acronym is capitalised, never the common nouns the field happens to capitalise
    ("Zolgensma", "AAV9-based Gene Therapy", "It is an aav9-based gene therapy.", 1,
     "It is an AAV9-based gene therapy."),
    # "a aav9" would become "a AAV9": left to the editor
    ("Zolgensma", "AAV9-based gene therapy", "It is a aav9-based gene therapy.", 1, "It is a aav9-based gene therapy."),
    # a class is a common noun: no change either way
    ("Zolgensma", "Corticosteroid", "It is not a corticosteroid. Corticosteroid pills protect the liver.", 0,
     "It is not a corticosteroid. Corticosteroid pills protect the liver."),
    # an acronym is never lowercased, even when the field says so
    ("Zolgensma", "mRNA vaccine", "It is not an MRNA vaccine.", 1, "It is not an MRNA vaccine."),
    # a brand is a proper noun: capitalised, or lowered from capitals to the field's form
    ("Zolgensma", "gene therapy", "zolgensma and ZOLGENSMA are one medicine.", 2, "Zolgensma and Zolgensma are one"),
    # a brand in capitals in the field is not a reason to shout in the text
    ("ZOLGENSMA", "gene therapy", "Zolgensma is given once.", 1, "Zolgensma is given once."),
])
def test_capitalisation_fixes_change_only_what_is_certain(brand: str, cls: str, summary: str, reported: int,
                                                          after: str) -> None:
    text, _ = merge(_DRUG.format(brand=brand, cls=cls) + f"summary: {summary}\n")
    findings = [f for f in lint_text(text) if f.code == "ML604"]
    assert len(findings) == reported
    repaired = _apply(text, findings)
    for part in after.split("|"):
        assert part in repaired
