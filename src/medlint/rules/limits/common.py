"""What the dose-limit rules share: their references and the examples of their docs."""
from __future__ import annotations

FORMAT = "docs/limits.md: dose-limit tables"
ISMP = "ISMP Targeted Medication Safety Best Practices for Hospitals (2024-2025), Best Practice 7: dose limits"
FHIR = "HL7 FHIR R5 Dosage: maxDosePerAdministration, maxDosePerPeriod, maxDosePerLifetime"
TENFOLD = "Doherty C, McDonnell C. Tenfold medication errors: 5 years' experience at a university-affiliated " \
          "pediatric hospital. Pediatrics 2012;129(5):916-924"

TABLE_EXAMPLE = """schema_version: 1
drug:
  generic_name: acetaminophen
limits:
  - route: oral
    population: adult
    source: Extra Strength acetaminophen Drug Facts, Directions; FDA 2011 limit of 4,000 mg a day
    per_dose:
      minimum: 325
      hard: 1000
      unit: mg
    per_day:
      soft: 3000
      hard: 4000
      unit: mg/day
review:
  last_reviewed: 2026-03-02
  next_review_due: 2027-03-02
  reviewers:
    - name: A. Reviewer
      credentials: PharmD
sources:
  - title: Extra Strength Tylenol Drug Facts
    kind: prescribing-information
    url: https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=acetaminophen
    accessed: 2026-02-27
"""
_DRUG = "drug:\n  brand_name: Tylenol\n  generic_name: acetaminophen\n  drug_class: analgesic\n"


def dosing_example(value: str, unit: str = "mg", often: str = "every 6 hours") -> str:
    return (_DRUG + f"dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: {value}\n"
            f"      unit: {unit}\n    route: oral\n    frequency: {often}\n")


OTHER_DRUG_EXAMPLE = ("drug:\n  brand_name: Advil\n  generic_name: ibuprofen\n  drug_class: NSAID\n"
                      + dosing_example("400").split("\n", 4)[4])

HOW = ("The dose is compared with every entry of `limits/<drug>.yaml` for its route and population whose "
       "age and weight bands overlap its own; where several apply, the most permissive decides. Units are "
       "converted first (mg, mcg and g; million units and units; mL through the entry's `concentration`), and "
       "a per-dose amount meets a per-day limit through the frequency, read in the record's favour: against a "
       "maximum, `every 6 hours` is 4 doses a day, `every 4 to 6 hours` 4, and `as needed` is not counted (a "
       "label's \"every 4 to 6 hours as needed, at most 3,200 mg a day\" means both); against a minimum, the "
       "most doses a day. ")
