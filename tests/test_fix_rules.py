"""Every fix a rule offers, end to end through `medlint fix` on records with comments and odd formatting:
exactly the expected lines change, fixing again changes nothing, and the rule no longer fires."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from support import BASE_PATH, FIXTURES, TODAY, merge, run_config

from medlint import config as config_mod, engine, fix, load, rules

RUN = engine.Run(TODAY)
EXPECTED_ID = "zolgensma/spinal-muscular-atrophy"


class Case(NamedTuple):
    fragment: str  # top-level keys that replace those of the clean base record (see support.merge)
    changed: list[str]  # the diff's removed and added lines, in diff order


CASES: dict[str, Case] = {
    "ML004": Case("\ufeff# the byte-order mark precedes this comment\nlanguage: en   # English\n", [
        "-\ufeffschema_version: 1",
        "+schema_version: 1",
    ]),
    "ML104": Case("""\
dosing:
  # an abbreviation with one reading, other wordings of a house frequency, and case (values that could
  # mean more than one thing are suggested only: tests/test_schema.py)
  - {label: Adult dose, population: adult, dose: {value: 2, unit: mg}, route: IV, frequency: 2 times a day}
  - label: Adult dose (spray)
    population: Adult   # case
    dose:
      value: 4
      unit: mg
    route: intranasal
    frequency: once daily
  - label: Adult dose (tablet)
    population: adult
    dose: {value: 4, unit: mg}
    route: "PO"
    frequency: 'every six hours'
""", [
        "-  - {label: Adult dose, population: adult, dose: {value: 2, unit: mg}, route: IV, frequency: 2 times a day}",
        "+  - {label: Adult dose, population: adult, dose: {value: 2, unit: mg}, route: intravenous, "
        "frequency: twice daily}",
        "-    population: Adult   # case",
        "+    population: adult   # case",
        '-    route: "PO"',
        "-    frequency: 'every six hours'",
        '+    route: "oral"',
        "+    frequency: 'every 6 hours'",
    ]),
    "ML302": Case("""\
dosing:
  # flow style, a quoted key and a comment between entries
  - {label: "Adult dose", population: adult, "dose": {value: 1.6, unit: \u00b5g/kg/day},   # per day
     route: oral, frequency: once daily}
  -   label: 'Adult dose (liquid)'
      population:   adult
      dose:
            value: 5
            unit: cc      # odd indentation
      route: oral
      frequency: once daily
      notes: "Take 5 cc with water. 1,000 IU of vitamin D is another product."
""", [
        '-  - {label: "Adult dose", population: adult, "dose": {value: 1.6, unit: \u00b5g/kg/day},   # per day',
        '+  - {label: "Adult dose", population: adult, "dose": {value: 1.6, unit: mcg/kg/day},   # per day',
        "-            unit: cc      # odd indentation",
        "+            unit: mL      # odd indentation",
        '-      notes: "Take 5 cc with water. 1,000 IU of vitamin D is another product."',
        '+      notes: "Take 5 mL with water. 1,000 units of vitamin D is another product."',
    ]),
    "ML712": Case("""\
summary: >-   # folded; the fixes stay on their lines
  Zolgensma is given once. Your care team will discontinue other SMA treatment
  prior to the infusion and, Approximately 1 hour later, checks the liver.
""", [
        "-  Zolgensma is given once. Your care team will discontinue other SMA treatment",
        "-  prior to the infusion and, Approximately 1 hour later, checks the liver.",
        "+  Zolgensma is given once. Your care team will stop other SMA treatment",
        "+  before the infusion and, About 1 hour later, checks the liver.",
    ]),
    "ML304": Case("""\
dosing:
  - label: Adult dose   # a comment
    population: adult
    dose: {value: 1.0, unit: mg}
    max_dose:
        value: 2.50     # odd indentation
        unit: mg
    route: oral
    frequency: once daily
    notes: >-
      Take 1.0 mg once a day;
      version 2.0 of the leaflet is unchanged.
""", [
        "-    dose: {value: 1.0, unit: mg}",
        "+    dose: {value: 1, unit: mg}",
        "-        value: 2.50     # odd indentation",
        "+        value: 2.5     # odd indentation",
        "-      Take 1.0 mg once a day;",
        "+      Take 1 mg once a day;",
    ]),
    "ML305": Case("""\
dosing:
  - label: 'Adult dose'
    population: adult
    dose: {value: .5, unit: mg}  # flow
    route: oral
    frequency: once daily
    notes: "Take .5 mg, not 5 mg."
""", [
        "-    dose: {value: .5, unit: mg}  # flow",
        "+    dose: {value: 0.5, unit: mg}  # flow",
        '-    notes: "Take .5 mg, not 5 mg."',
        '+    notes: "Take 0.5 mg, not 5 mg."',
    ]),
    "ML306": Case("""\
dosing:
  - label: Adult dose
    population: adult
    dose:
      value: 10
      unit: mg
    route: oral
    frequency: once daily
    notes: >-   # folded
      Take 10mg once a day with food;
      children over 40kg take the adult dose. SMN1 and AAV9 stay.
""", [
        "-      Take 10mg once a day with food;",
        "-      children over 40kg take the adult dose. SMN1 and AAV9 stay.",
        "+      Take 10 mg once a day with food;",
        "+      children over 40 kg take the adult dose. SMN1 and AAV9 stay.",
    ]),
    "ML307": Case("""\
dosing:
  - label: Adult dose
    population: adult
    dose: {value: 5000, unit: units}
    route: subcutaneous
    frequency: every 12 hours
    notes: 'Inject 5000 units; in 2026 the pen holds 100000 units.'  # quoted
""", [
        "-    notes: 'Inject 5000 units; in 2026 the pen holds 100000 units.'  # quoted",
        "+    notes: 'Inject 5,000 units; in 2026 the pen holds 100,000 units.'  # quoted",
    ]),
    "ML312": Case("""\
dosing:
  - label: Pediatric dose
    population: pediatric
    dose:
      value: 1.1e14          # a YAML number, not prose
      unit: vector genomes/kg
    route: intravenous
    frequency: once
    notes: |
      The dose is 1.1 x 10^14 vector genomes/kg,
      that is 1.1E14 per kg (not 1.1*10^14 per dose).
""", [
        "-      The dose is 1.1 x 10^14 vector genomes/kg,",
        "-      that is 1.1E14 per kg (not 1.1*10^14 per dose).",
        "+      The dose is 1.1 \u00d7 10^14 vector genomes/kg,",
        "+      that is 1.1 \u00d7 10^14 per kg (not 1.1 \u00d7 10^14 per dose).",
    ]),
    "ML601": Case("""\
sections:
  why_used: >-
    SMA is a rare disease.
  mechanism: >-
    Zolgensma brings a gene \u201a\u00c4\u00ee
    into cells.
  what_to_expect:
    - "Onset: varies by dose \u0e42 some effects are immediate"   # cp874
    - A single infusion into a vein \u00c3\u2014 1, over about 60 minutes \u00e2\u20ac\u201d watch the line.
  alternatives: Spinraza \u00c2\u00b7 Evrysdi \u00c2\u00b7 physical therapy
  when_to_talk_to_doctor: [ 'Yellow skin \u0e22\u0e17 dark urine' ]
  faq:
    - question: How long does treatment last?
      answer: Zolgensma is given once.
""", [
        "-    Zolgensma brings a gene \u201a\u00c4\u00ee",
        "+    Zolgensma brings a gene \u2014",
        '-    - "Onset: varies by dose \u0e42 some effects are immediate"   # cp874',
        "-    - A single infusion into a vein \u00c3\u2014 1, over about 60 minutes \u00e2\u20ac\u201d watch the line.",
        "-  alternatives: Spinraza \u00c2\u00b7 Evrysdi \u00c2\u00b7 physical therapy",
        "-  when_to_talk_to_doctor: [ 'Yellow skin \u0e22\u0e17 dark urine' ]",
        '+    - "Onset: varies by dose \u2014 some effects are immediate"   # cp874',
        "+    - A single infusion into a vein \u00d7 1, over about 60 minutes \u2014 watch the line.",
        "+  alternatives: Spinraza \u00b7 Evrysdi \u00b7 physical therapy",
        "+  when_to_talk_to_doctor: [ 'Yellow skin \u00b7 dark urine' ]",
    ]),
    "ML602": Case("""\
summary: >-   # a Cyrillic o and a fullwidth S hide in the summary
  Z\u043elgensma is a gene therapy for \uff33MA, given once. It helps \u03b1-motor neurons.
""", [
        "-  Z\u043elgensma is a gene therapy for \uff33MA, given once. It helps \u03b1-motor neurons.",
        "+  Zolgensma is a gene therapy for SMA, given once. It helps \u03b1-motor neurons.",
    ]),
    "ML603": Case("""\
sections:
  why_used: "SMA is a rare\u200b disease that a child is born with."   # a zero-width space
  mechanism: >-
    Zolgensma uses a virus that does not cause dis\u00adease.
  what_to_expect: ['A blood test first.']
  alternatives: Two other medicines treat SMA.
  when_to_talk_to_doctor:
  - Yellow skin or eyes.
  faq:
  - {question: How long does treatment last?, answer: Zolgensma is given once.}
""", [
        '-  why_used: "SMA is a rare\u200b disease that a child is born with."   # a zero-width space',
        '+  why_used: "SMA is a rare disease that a child is born with."   # a zero-width space',
        "-    Zolgensma uses a virus that does not cause dis\u00adease.",
        "+    Zolgensma uses a virus that does not cause disease.",
    ]),
    "ML604": Case("""\
summary: >-
  zolgensma is an aav9-based gene therapy that is given one time.   # not a comment: folded text
  ZOLGENSMA is for children with SMA.
""", [
        "-  zolgensma is an aav9-based gene therapy that is given one time.   # not a comment: folded text",
        "-  ZOLGENSMA is for children with SMA.",
        "+  Zolgensma is an AAV9-based gene therapy that is given one time.   # not a comment: folded text",
        "+  Zolgensma is for children with SMA.",
    ]),
}


def changed_lines(plan: fix.Plan) -> list[str]:
    return [line.rstrip("\r\n") for line in fix.diff(plan, escape=False).splitlines(keepends=True)
            if line[:1] in "+-" and not line.startswith(("+++ ", "--- "))]


def fixed(data: bytes, config: config_mod.Config, path: str = BASE_PATH) -> fix.Plan:
    return fix.plan(data, path, config, RUN, expected=load.expected_id(Path(path)))


def test_every_fixable_rule_has_a_case() -> None:
    assert {rule.code for rule in rules.RULES if rule.fixable} == set(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_fix_changes_exactly_the_expected_lines(code: str) -> None:
    config = run_config(select=[code])
    text, _ = merge(CASES[code].fragment)
    once = fixed(text.encode(), config)
    assert not once.refused and changed_lines(once) == CASES[code].changed
    assert {f.code for f in once.fixed} == {code}
    assert once.remaining == ()  # linted again after fixing: the rule no longer fires
    assert not fixed(once.after, config).changed  # fixing twice equals fixing once


def test_all_rules_at_once_on_a_crlf_file_with_a_bom() -> None:
    fragment = CASES["ML302"].fragment.replace("1,000 IU of vitamin D", "\u00c2\u00b7 10mg")
    text, _ = merge("\ufeff" + fragment)
    data = text.replace("\n", "\r\n").encode()
    once = fixed(data, run_config())
    assert changed_lines(once) == [
        "-\ufeffschema_version: 1",
        "+schema_version: 1",
        '-  - {label: "Adult dose", population: adult, "dose": {value: 1.6, unit: \u00b5g/kg/day},   # per day',
        '+  - {label: "Adult dose", population: adult, "dose": {value: 1.6, unit: mcg/kg/day},   # per day',
        "-            unit: cc      # odd indentation",
        "+            unit: mL      # odd indentation",
        '-      notes: "Take 5 cc with water. \u00c2\u00b7 10mg is another product."',
        '+      notes: "Take 5 mL with water. \u00b7 10 mg is another product."',
    ]
    assert once.after.count(b"\n") == once.after.count(b"\r\n") == data.count(b"\n")
    assert {f.code for f in once.fixed} == {"ML004", "ML302", "ML306", "ML601"}
    assert not fixed(once.after, run_config()).changed


def test_the_seed_fixture_loses_its_mojibake() -> None:
    path = "records/zolgensma/spinal-muscular-atrophy.yaml"
    data = (FIXTURES / "seed" / path).read_bytes()
    once = fixed(data, run_config(), path)
    before, after = data.decode(), once.after.decode()
    for damaged in ("\u0e23", "\u0e42", "\u0e22\u0e17"):  # the seed's cp874 readings of ×, — and ·
        assert damaged in before and damaged not in after
    assert after.count("1.1 \u00d7 10^14") == 1 and after.count(" \u2014 ") == 2 and after.count(" \u00b7 ") == 1
    assert not {"ML601", "ML602", "ML312"} & {f.code for f in once.remaining}
    assert not fixed(once.after, run_config(), path).changed


# --- escapes, quotes and folds: a fix changes exactly the characters it names ------------------------------

def _with_notes(notes: str) -> str:
    return merge("dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                 "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n    notes: " + notes
                 + "\n")[0]


def _notes(data: bytes) -> object:
    record = load.load_text(data, BASE_PATH).record
    assert record is not None
    return record.get(("dosing", 0, "notes"))


# (the notes as written, the notes' value after `medlint fix`): each escape form and scalar style, with the
# fixes of ML302, ML304, ML305, ML306, ML312, ML601, ML602 and ML603 around them. 10.05 mg must stay 10.05 mg.
ESCAPED = [
    (r'"Dose table:\n10.0mg 10.05 mg per kg."', "Dose table:\n10 mg 10.05 mg per kg."),  # issue 12, finding 1
    (r'"Dose:\t.5 mg\x20then 10.05 mg"', "Dose:\t0.5 mg then 10.05 mg"),
    (r'"Take\u00a05 cc, then\N10.0 mg, 10.05 mg"', "Take\u00a05 mL, then\x8510 mg, 10.05 mg"),
    (r'"Dose \U0001F489 1.1 x 10^14 vector genomes/kg\L10.05 mg"',
     "Dose \U0001F489 1.1 \u00d7 10^14 vector genomes/kg\u202810.05 mg"),
    ('"Take 10.0mg \\\n      daily, 10.05 mg at most."', "Take 10 mg daily, 10.05 mg at most."),
    (r'"Take\ 10.0 mg\_or 10.05 mg\P"', "Take 10 mg\u00a0or 10.05 mg\u2029"),
    ("'Patient''s dose: 10.0 mg, 10.05 mg'", "Patient's dose: 10 mg, 10.05 mg"),
    ("Take 10.0 mg\n      then 10.05 mg\n\n      or 5mg", "Take 10 mg then 10.05 mg\nor 5 mg"),
    ("|2+\n        Dose table:\n      10.0mg, 10.05 mg\n\n", "  Dose table:\n10 mg, 10.05 mg\n\n\n"),
    (">-\n      Dose table:\n        10.0mg\n      10.05 mg,\n      .5 mg", "Dose table:\n  10 mg\n10.05 mg, 0.5 mg"),
    ('"Dose:\\n1.1 \u0e23 10^14 vector genomes/kg, 10.05 mg"',
     "Dose:\n1.1 \u00d7 10^14 vector genomes/kg, 10.05 mg"),
    ('"Dose:\\nthe 5 mg tablet \u0e22\u0e17 10.05 mg"', "Dose:\nthe 5 mg tablet \u00b7 10.05 mg"),
    ('"Dose:\\nZ\u043elgensma 10.05 mg"', "Dose:\nZolgensma 10.05 mg"),
    ('"Dose:\\ngene\u200b therapy 10.05 mg"', "Dose:\ngene therapy 10.05 mg"),
    ('"Dose:\\n250 \u00b5g, 10.05 mg"', "Dose:\n250 mcg, 10.05 mg"),
]


@pytest.mark.parametrize(("notes", "fixed_value"), ESCAPED, ids=[n for n, _ in ESCAPED])
def test_a_fix_next_to_escapes_and_folds_changes_only_its_characters(notes: str, fixed_value: str) -> None:
    text = _with_notes(notes)
    once = fixed(text.encode(), run_config())
    assert not once.refused and once.changed
    assert _notes(once.after) == fixed_value
    assert not fixed(once.after, run_config()).changed


def test_the_trailing_zero_after_an_escaped_line_break_is_reported_at_itself() -> None:
    text = _with_notes(r'"Dose table:\n10.0mg 10.05 mg per kg."')
    config = run_config(select=["ML304"])
    loaded = load.load_text(text.encode(), BASE_PATH, expected=EXPECTED_ID)
    [finding] = engine.lint([load.Source(BASE_PATH, loaded.record, (), loaded.text)], config, RUN)
    line = text.split("\n")[finding.line - 1]
    assert line[finding.column - 1 : finding.position.end_column - 1] == "10.0"
