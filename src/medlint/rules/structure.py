"""Structure: the JSON Schema (validated by medlint.schema) and the id that must match the path."""
from __future__ import annotations

from collections.abc import Iterator

from .. import limits, schema
from ..excerpt import quote
from ..model import Hit, Severity
from ..record import Record
from .base import Check, Docs, Rule, RuleContext


def _schema(kind: str) -> Check:
    """The check of the structure rule that reports the schema's problems of `kind` (schema.check)."""
    def check(record: Record, context: RuleContext) -> Iterator[Hit]:
        return (hit for found, hit in schema.problems(record, context.schema) if found == kind)
    return check


def _table_schema(kind: str) -> Check:
    """The same for a dose-limit table and its schema (limits.read)."""
    def check(record: Record, context: RuleContext) -> Iterator[Hit]:
        return (hit for found, hit in limits.problems(record) if found == kind)
    return check


_SCHEMA = "schemas/record.schema.json (JSON Schema 2020-12), the machine form of docs/record-format.md"
_REVIEW = """review:
  next_review_due: 2027-03-02
  reviewers:
    - name: A. Reviewer
      credentials: PharmD
"""

MISSING_FIELD = Rule(
    code="ML101", name="missing-field", family="structure", severity=Severity.ERROR,
    summary="A required field or section is missing.",
    check=_schema("missing"), check_table=_table_schema("missing"),
    docs=Docs(
        what="Reports a field that the record format requires and the record does not have.",
        why="Pages are rendered from records: a missing review date or section is a page that ships "
            "without it, as the seed page shipped without a review date.",
        example=_REVIEW,
        use_instead="review:\n  last_reviewed: 2026-03-02\n" + _REVIEW[len("review:\n"):],
        references=(_SCHEMA,),
    ),
)

UNKNOWN_FIELD = Rule(
    code="ML102", name="unknown-field", family="structure", severity=Severity.ERROR,
    summary="A field that the record format does not define (often a typo).",
    check=_schema("unknown"), check_table=_table_schema("unknown"),
    docs=Docs(
        what="Reports keys the schema does not know, with the closest known key as a hint.",
        why="A misspelt key (`sumary`) is silently ignored by the renderer: the author believes the text "
            "is published when it is not.",
        example="language: en\nsumary: Zolgensma is a one-time gene therapy.\n",
        use_instead="language: en\n",
        references=(_SCHEMA,),
    ),
)

WRONG_TYPE = Rule(
    code="ML103", name="wrong-type", family="structure", severity=Severity.ERROR,
    summary="A value of the wrong kind: text where a number is expected, a list where text is.",
    check=_schema("type"), check_table=_table_schema("type"),
    docs=Docs(
        what="Reports values whose YAML type is not the one the schema expects.",
        why="A dose written as text (`'1.1e14'`) cannot be compared, converted or checked by any dose rule.",
        example="schema_version: \"1\"\n",
        use_instead="schema_version: 1\n",
        references=(_SCHEMA,),
    ),
)

INVALID_VALUE = Rule(
    code="ML104", name="invalid-value", family="structure", severity=Severity.ERROR,
    summary="A value outside its vocabulary or form: an unknown route, a malformed id, an impossible date.",
    check=_schema("value"), check_table=_table_schema("value"),
    fixable=True,
    docs=Docs(
        what="Reports values that break an enum, pattern, date format or bound of the schema, such as "
             "`route: IV` or `last_reviewed: 2026-02-30`, and says which allowed value was most likely meant. "
             "Where the value is the allowed one written another way (`IV` for intravenous, `Oral` for oral, "
             "`2 times a day` for twice daily), `medlint fix` writes the allowed one; where it could mean more "
             "than one thing (`IN`, `qd`, `label`, a typo) it is only suggested.",
        why="Controlled vocabularies are what lets pages be rendered, searched and checked consistently; "
            "`2026-02-30` is not a date any reviewer signed.",
        example="language: English\n",
        use_instead="language: en\n",
        references=(_SCHEMA, "RFC 3339 / ISO 8601 full-date", "BCP 47 language tags"),
    ),
)

EMPTY_FIELD = Rule(
    code="ML105", name="empty-field", family="structure", severity=Severity.ERROR,
    summary="A required section or list is present but empty.",
    check=_schema("empty"), check_table=_table_schema("empty"),
    docs=Docs(
        what="Reports required text that is empty or only spaces, and lists with no items.",
        why="An empty section renders as a heading with nothing under it, which readers take as "
            "'nothing to say' about, for example, when to call a doctor.",
        example="summary: \"  \"\n",
        use_instead="summary: Zolgensma is a one-time gene therapy for young children with SMA.\n",
        references=(_SCHEMA, "docs/record-format.md: required sections"),
    ),
)


def _check_id(record: Record, context: RuleContext) -> Iterator[Hit]:
    declared = record.data.get("id")
    if record.expected_id is None:
        yield Hit(("id",) if "id" in record.data else (),
                  "this file is not at records/<drug-slug>/<indication-slug>.yaml, so its id cannot be "
                  "checked against its path",
                  hint="move it under records/<drug-slug>/", subject="layout")
    elif isinstance(declared, str) and declared != record.expected_id:
        yield Hit(("id",), f"`id` is `{quote(declared)}` but the file is records/{record.expected_id}.yaml",
                  hint=f"write `id: {record.expected_id}`, or rename the file", subject="id")


ID_PATH_MISMATCH = Rule(
    code="ML110", name="id-path-mismatch", family="structure", severity=Severity.ERROR,
    summary="The record's id does not match its file path.",
    check=_check_id,
    docs=Docs(
        what="Reports an `id` that differs from the path below `records/` (without `.yaml`), and files "
             "that are not laid out as `records/<drug-slug>/<indication-slug>.yaml`.",
        why="The id is the page's address. When it disagrees with the path, two pages can claim one URL "
            "and links in reports point to the wrong file.",
        example="id: zolgensma/sma\n",
        use_instead="id: zolgensma/spinal-muscular-atrophy\n",
        references=("docs/record-format.md: `id`",),
    ),
)

RULES = (MISSING_FIELD, UNKNOWN_FIELD, WRONG_TYPE, INVALID_VALUE, EMPTY_FIELD, ID_PATH_MISMATCH)
