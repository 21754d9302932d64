"""ML311 prose-dose-mismatch: A dose quoted in the text disagrees with the structured dosing."""
from __future__ import annotations

from collections.abc import Iterator

from ...model import Hit, Severity
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import POLICY
from .prose_doses import prose_dose_hits


def _check_prose_dose(record: Record, context: RuleContext) -> Iterator[Hit]:
    yield from prose_dose_hits(record, False,
                               "make the text and the dose entries say the same dose; if the amount is not a "
                               "dose of this drug, say what it is (\"125 mg in each 5 mL\", \"500 mg of "
                               "acetaminophen\")")


_READER = (
    "Each amount in the text (summary, sections, FAQ, dose labels, durations, notes, boxed warning) is first "
    "read in its sentence, as a reader takes it:\n\n"
    "- a dose of this drug: \"Take 500 mg\", \"the 12 mg schedule\", \"500 mg of amoxicillin\";\n"
    "- a per-weight or per-area dose: \"14 mg per kilogram each day\", \"7 mg for each kilogram\", \"0.5 mg/m2\";\n"
    "- a daily amount: \"1,000 mg a day\", \"in 24 hours\", \"each day\" (or a rate: \"25 mcg an hour\");\n"
    "- a maximum: \"up to 2 mg\", \"a maximum of 3,000 mg a day\", \"no more than 4,000 mg in 24 hours\", "
    "\"the most is 600 mg a day\";\n"
    "- a titration step: \"then 1 mg, then 2 mg\", \"then increase to 2 mg\"; or a change: \"increase by 25 mg\";\n"
    "- a strength or concentration: \"125 mg in each 5 mL\", \"each tablet has 10 mg\", \"6 mg in each mL\", "
    "\"5 mg and 10 mg tablets\", \"the 100 mcg inhaler\";\n"
    "- an amount of something else: another medicine, a nutrient, water or a pack size (\"500 mg of "
    "acetaminophen\", \"vitamin D 400 units\", \"200 mL of water\", \"each pen holds 300 units\");\n"
    "- a threshold or a warning (\"more than 4 g can harm the liver\", \"500 mg or more\", \"never take 75 mg "
    "every day\") or a course total (\"a total of 60 mg\"); ages, weights, durations and lab values are not "
    "amounts in a dose unit at all.\n\n"
    "Only doses, per-weight doses and maxima are compared, each with the matching part of the dosing: a dose "
    "with the dose (a value inside a range agrees), a per-kg dose with the per-kg dose, a daily amount with the "
    "dose times the doses a day its `frequency` allows (`every 6 hours` is 4), a maximum with `max_dose` or "
    "the top of a dose. A fixed amount agrees with a weight-based dose up to its cap (a worked example), or, "
    "when it has no cap, up to the dose for the heaviest person its weight band or age band (the indication's "
    "when the entry has none) can hold: for a child, 3 standard deviations above the median weight on the "
    "CDC growth charts. The same amount in another unit agrees (`500 mcg` for 0.5 mg).\n\n"
    "When a sentence says whom a dose is for, the amount is compared with the entries that can be for them "
    "only: \"Adults start with 500 mg\" with the adult entries, \"children 12 years and older take 250 mg\" "
    "with the entries for those ages (a per-kg dose for them gives at least its dose for the lightest child "
    "of the youngest age, from 2 years on: 3 standard deviations below the median weight), \"teens and adults "
    "take 500 mg\" with the teens' entries and with the adults'. A stated weight makes a per-kg dose an "
    "amount: \"a child who weighs 20 kg takes 140 mg\" (\"a 20 kg child\", \"for a child of 20 kg\", \"weighing "
    "20 kg\") agrees with 7 mg/kg within a factor of 1.25 either way, as editors round (\"a 15 kg child takes "
    "100 mg\"), and \"children who weigh 43 kg or more take 600 mg a day\" with 14 mg/kg a day for those weights, up "
    "to the cap. Words that are negated or compared (\"not for children\", \"less than adults\", \"half the adult "
    "dose\") name no one. An amount in a dose entry's own notes is no worked example of an entry for other "
    "people. An amount that equals a dosing amount as written agrees whoever the sentence names."
)

PROSE_DOSE_MISMATCH = Rule(
    code="ML311", name="prose-dose-mismatch", family="units", severity=Severity.WARNING,
    summary="A dose quoted in the text disagrees with the structured dosing.",
    check=_check_prose_dose,
    docs=Docs(
        what=_READER + "\n\nThis rule reports a dose, per-weight dose or maximum that agrees with none of them "
             "(`650 mg` where the dosing says 500 mg). A dosing amount times a power of ten, or the same number "
             "in another unit, is ML313's error instead. Amounts in a unit the dosing does not use (mL for a "
             "dose in mg) are not judged.",
        why="The page shows the text and the dose table side by side. When they disagree, a reader has two "
            "doses and no way to know which is right; the seed page's prose contradicted its own dosing.",
        example="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      value: 500\n"
                "      unit: mg\n    route: oral\n    frequency: every 6 hours\n"
                "    notes: Take 650 mg every 6 hours.\n",
        use_instead="dosing:\n  - label: Adult dose\n    population: adult\n    dose:\n      low: 0.25\n"
                    "      high: 2\n      unit: mg\n    max_dose:\n      value: 4\n      unit: mg/day\n"
                    "    route: oral\n    frequency: twice daily\n    notes: >-\n"
                    "      Start with 0.25 mg twice a day, then 1 mg, then 2 mg. Take up to 2 mg at a time and no\n"
                    "      more than 4 mg in 24 hours. Each tablet has 0.5 mg; the liquid has 1 mg in each 5 mL.\n"
                    "      Each pack holds 60 tablets. Take vitamin D 400 units a day if your doctor says so.\n"
                    "  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 0.02\n"
                    "      unit: mg/kg\n    max_dose:\n      value: 1\n      unit: mg\n    route: oral\n"
                    "    frequency: twice daily\n    notes: >-\n"
                    "      0.02 mg for each kilogram of body weight, twice a day: 0.04 mg per kilogram each day,\n"
                    "      up to 1 mg a dose. A child who weighs 20 kg takes 0.4 mg.\n",
        references=(POLICY, "21 CFR 201.57(c)(3): dosage and administration as the label states it"),
    ),
)
