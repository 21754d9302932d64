"""Cross-record rules: what no single record can know alone."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..excerpt import quote
from ..model import Position, Severity
from ..record import Record
from .base import CorpusHit, Docs, Extractor, Facts, Rule, RuleContext

NAME_FIELDS = ("generic_name", "drug_class")


def drug_slug(record: Record) -> str | None:
    """The drug a record belongs to: its folder under records/, else the first part of its declared id."""
    declared = record.data.get("id")
    return (record.expected_id or (declared if isinstance(declared, str) else "")).split("/")[0] or None


def _names(record: Record, context: RuleContext) -> tuple[tuple[str, str, Position], ...]:
    drug = record.data.get("drug") if isinstance(record.data.get("drug"), dict) else {}
    return tuple((name, drug[name], record.locate(("drug", name))) for name in NAME_FIELDS
                 if isinstance(drug.get(name), str))


# (field, value, position) of the drug names of a record
NAMES = Extractor("drug-names", tuple[tuple[str, str, Position], ...], _names)
ID_POSITION = Extractor("id-position", Position, lambda record, context: record.locate(("id",)))


def _duplicate_ids(records: Sequence[Facts], context: RuleContext) -> Iterator[CorpusHit]:
    claims: dict[str, list[Facts]] = defaultdict(list)
    for item in records:
        if item.id:
            claims[item.id].append(item)
    for record_id, owners in claims.items():
        if len(owners) < 2:
            continue
        for owner in owners:
            others = [o.path for o in owners if o is not owner]
            named = ", ".join(others[:3]) + (f" and {len(others) - 3:,} more" if len(others) > 3 else "")
            yield CorpusHit(owner.path, ID_POSITION.of(owner), ("id",),
                            f"the id `{quote(record_id)}` is also used by {named}",
                            hint="each page needs its own id: fix the id that does not match its path",
                            subject=record_id)


def _inconsistent_names(records: Sequence[Facts], context: RuleContext) -> Iterator[CorpusHit]:
    by_drug: dict[tuple[str, str], dict[str, list[tuple[Facts, Position]]]] = defaultdict(lambda: defaultdict(list))
    for item in records:
        if item.drug_slug:
            for name, value, position in NAMES.of(item):
                by_drug[(item.drug_slug, name)][value].append((item, position))
    for (drug, name), spellings in by_drug.items():
        if len(spellings) < 2:
            continue
        usual = max(spellings, key=lambda value: (len(spellings[value]), value))
        for value, places in spellings.items():
            if value == usual:
                continue
            for item, position in places:
                where = spellings[usual][0][0].path
                yield CorpusHit(item.path, position, ("drug", name),
                                f"`drug.{name}` is `{quote(value)}` here but `{quote(usual)}` in {where} "
                                f"({len(spellings[usual])} record(s) of `{drug}`)",
                                hint=f"write `{quote(usual)}`, or correct the other records",
                                subject=f"{name}:{quote(value)}")


DUPLICATE_ID = Rule(
    code="ML111", name="duplicate-id", family="structure", severity=Severity.ERROR,
    summary="Two records claim the same id.",
    check_corpus=_duplicate_ids,
    facts=(ID_POSITION,),
    docs=Docs(
        what="Reports every record whose `id` another record also uses. When only some files are checked "
             "(a pre-commit hook), medlint also reads the other records of the same drug folders.",
        why="Two records with one id publish to one address: one page silently replaces the other.",
        example="id: zolgensma/other-indication\n",
        use_instead="id: zolgensma/spinal-muscular-atrophy\n",
        references=("docs/record-format.md: `id`",),
    ),
)

INCONSISTENT_DRUG_NAMES = Rule(
    code="ML112", name="inconsistent-drug-names", family="structure", severity=Severity.ERROR,
    summary="One drug's generic name or class is spelt differently in different records.",
    check_corpus=_inconsistent_names,
    facts=(NAMES,),
    docs=Docs(
        what="Compares `drug.generic_name` and `drug.drug_class` across the records of one drug folder "
             "and reports the spellings that differ from the most common one.",
        why="Readers and search engines treat `onasemnogene abeparvovec` and `onasemnogene abeparvovec-xioi` "
            "as two medicines; a class spelt two ways splits the class listing.",
        example="drug:\n  brand_name: Zolgensma\n  generic_name: onasemnogene abeparvovec\n"
                "  drug_class: AAV9-based gene therapy\n",
        use_instead="drug:\n  brand_name: Zolgensma\n  generic_name: onasemnogene abeparvovec-xioi\n"
                    "  drug_class: AAV9-based gene therapy\n",
        references=("USP Dictionary of USAN and International Drug Names", "21 CFR 201.57(a)(2)"),
    ),
)

RULES = (DUPLICATE_ID, INCONSISTENT_DRUG_NAMES)
