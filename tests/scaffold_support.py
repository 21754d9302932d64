"""Shared by the tests of `medlint new` and of the language server's skeleton: its placeholders, and what an
author writes over each."""
from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<[a-z][a-z _-]*[a-z]>")
# what an author writes in place of each placeholder: together, a record medlint finds nothing wrong with
FILLED = {
    "<brand name>": "Caldolor", "<generic name>": "ibuprofen", "<drug class>": "nonsteroidal anti-inflammatory drug",
    "<condition>": "Fever", "<population>": "adult", "<summary>": "Caldolor is ibuprofen given into a vein.",
    "<why it is used>": "A high temperature can make a person feel weak and unwell.",
    "<how it works>": "Ibuprofen blocks enzymes that raise body temperature.",
    "<what to expect>": "The medicine runs into a vein over 30 minutes.",
    "<alternatives>": "Acetaminophen also lowers a high temperature.",
    "<when to talk to your doctor>": "Black or bloody stools.",
    "<question>": "Who should not get Caldolor?", "<answer>": "People who had asthma after aspirin.",
    "<label>": "Adult dose", "<dose value>": "400", "<dose unit>": "mg", "<route>": "intravenous",
    "<frequency>": "every 6 hours", "<reviewer name>": "A. Reviewer", "<credentials>": "PharmD",
    "<source title>": "CALDOLOR prescribing information",
    "<address of the label>": "dailymed.nlm.nih.gov/dailymed/search.cfm?query=CALDOLOR",
}
