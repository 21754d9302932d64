"""Stable identities of findings, for baselines and for the fingerprints CI systems track alerts by.

A finding is identified by its file, its rule and its subject (what the rule says it is about, such as
`next_review_due` or the offending word), never by its line: adding a sentence above a finding must not
turn it into a "new" problem.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from .model import Finding


def subject(finding: Finding) -> str:
    """What the finding is about; rules that name no subject fall back to the JSON Pointer of the value."""
    return finding.subject or finding.pointer


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding, in order, unique within the run: identical (path, rule, subject)
    findings are told apart by their rank among themselves, which edits elsewhere do not change."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out: list[str] = []
    for finding in findings:
        key = (finding.path, finding.code, subject(finding))
        seen[key] += 1
        text = "\x00".join((*key, str(seen[key])))
        out.append(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return out
