"""medlint's own findings: rules that crashed and suppressions that do nothing or lack a reason."""
from __future__ import annotations

from ..model import Severity
from .base import Docs, Rule

INTERNAL_ERROR = Rule(
    code="ML900", name="internal-error", family="meta", severity=Severity.ERROR,
    summary="A rule crashed on this record; the other rules still ran.",
    docs=Docs(
        what="Reports a rule that raised an exception, naming the rule and the exception. The run exits "
             "non-zero so the gap is seen, and every other rule's findings are still reported. It cannot be "
             "suppressed (a `# medlint: disable=ML900` comment is itself an ML902 error), ignored in the "
             "configuration or lowered to a warning.",
        why="A crash that hid every other finding would let a broken page through; a crash that was "
            "swallowed silently, or suppressed, would look like a clean page.",
        example="language: en\n",
        use_instead="language: en\n",
        references=("Please report it with the record that triggered it.",),
    ),
)

UNUSED_SUPPRESSION = Rule(
    code="ML901", name="unused-suppression", family="meta", severity=Severity.WARNING,
    summary="A `# medlint: disable` comment suppresses nothing.",
    docs=Docs(
        what="Reports suppression comments whose rule does not fire on the line they cover.",
        why="Stale suppressions pile up and later hide a real problem that appears on that line.",
        example="language: en  # medlint: disable=ML104 -- legacy tag\n",
        use_instead="language: en\n",
        references=("ruff's RUF100 (unused-noqa), the model for this rule",),
    ),
)

INVALID_SUPPRESSION = Rule(
    code="ML902", name="invalid-suppression", family="meta", severity=Severity.ERROR,
    summary="A suppression comment without a reason, or naming no known rule.",
    docs=Docs(
        what="Reports `# medlint: disable=...` comments that give no reason after ` -- `, that name a rule "
             "medlint does not have, or that name ML900 (internal-error), which cannot be suppressed. Such a "
             "comment suppresses nothing.",
        why="A suppression is a clinical decision that a reviewer must be able to read and question; "
            "one without a reason cannot be reviewed.",
        example="language: en  # medlint: disable=ML104\n",
        use_instead="language: en\n",
        references=("docs/record-format.md", "medlint README: Suppressing a finding"),
    ),
)

RULES = (INTERNAL_ERROR, UNUSED_SUPPRESSION, INVALID_SUPPRESSION)
