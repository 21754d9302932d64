"""Problems found while reading a file: the loader meets them (decode.Problem, by kind), each rule here
reports one kind."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..decode import Problem
from ..model import Severity
from .base import Docs, FileCheck, Rule, option


def _reports(kind: str) -> FileCheck:
    """The check of the loading rule that reports the loader's problems of `kind` (decode.KINDS)."""
    def check(problems: Sequence[Problem]) -> Iterator[Problem]:
        return (problem for problem in problems if problem.kind == kind)
    return check


_YAML_SPEC = "YAML 1.2.2 specification, https://yaml.org/spec/1.2.2/"

INVALID_YAML = Rule(
    code="ML001", name="invalid-yaml", family="loading", severity=Severity.ERROR,
    check_file=_reports("syntax"),
    summary="The file is not valid YAML, or holds more than one document.",
    docs=Docs(
        what="Reports YAML syntax errors, with the line and column where the parser gave up.",
        why="A record that does not parse cannot be checked or published; every other rule is blind to it.",
        example='summary: "Zolgensma is a one-time gene therapy.\n',
        use_instead='summary: "Zolgensma is a one-time gene therapy."\n',
        references=(_YAML_SPEC,),
    ),
)

DUPLICATE_KEY = Rule(
    code="ML002", name="duplicate-key", family="loading", severity=Severity.ERROR,
    check_file=_reports("duplicate-key"),
    summary="A mapping has the same key twice, so one of the values is silently lost.",
    docs=Docs(
        what="Reports a key that appears twice in one mapping.",
        why="YAML loaders keep only the last value: the first one, which an author may have meant, "
            "disappears from the published page without a trace.",
        example="language: en\nlanguage: en\n",
        use_instead="language: en\n",
        references=(_YAML_SPEC + " (3.2.1.1: keys are unique)",),
    ),
)

INVALID_ENCODING = Rule(
    code="ML003", name="invalid-encoding", family="loading", severity=Severity.ERROR,
    check_file=_reports("unreadable"),
    summary="The file is not UTF-8 text (another encoding, NUL bytes, a directory, unreadable).",
    docs=Docs(
        what="Reports files that are not UTF-8 text: Windows-1252 or Latin-1 bytes, UTF-16, binary "
             "content with NUL bytes, and paths that cannot be read as a file.",
        why="Text read in the wrong encoding is published as mojibake (`Ã©` for `é`); reading it "
            "'leniently' would hide exactly the damage medlint exists to stop.",
        example="sections:\n  why_used: Used for the condition in children caf\u00e9.\n",
        use_instead="language: en\n",
        references=("RFC 3629, UTF-8", "YAML 1.2.2, 5.2 Character Encodings"),
        example_encoding="cp1252",
    ),
)

BYTE_ORDER_MARK = Rule(
    code="ML004", name="byte-order-mark", family="loading", severity=Severity.WARNING,
    check_file=_reports("byte-order-mark"),
    summary="The file starts with a UTF-8 byte-order mark.", fixable=True,
    docs=Docs(
        what="Reports a UTF-8 byte-order mark (EF BB BF) at the start of a file.",
        why="UTF-8 needs no byte-order mark; tools that concatenate or diff files show it as a stray "
            "character, and some YAML tools refuse it.",
        example="\ufeffschema_version: 1\n",
        use_instead="schema_version: 1\n",
        references=("The Unicode Standard, 23.8 Specials: U+FEFF", "RFC 3629, 6: Byte order mark"),
    ),
)

UNSUPPORTED_YAML = Rule(
    code="ML005", name="unsafe-yaml", family="loading", severity=Severity.ERROR,
    check_file=_reports("unsafe"),
    summary="The file uses YAML that a record must not: tags, alias bombs, deep nesting, .inf or .nan.",
    docs=Docs(
        what="Reports explicit tags such as `!!python/object` (never executed: the value is read as "
             "text), aliases that expand to more than 100,000 values, nesting deeper than 64 levels, and "
             "non-finite numbers.",
        why="Records come from pull requests and are untrusted. Tags can ask a careless loader to run code; "
            "alias bombs and deep nesting exhaust memory or crash parsers; `.inf` is not a dose.",
        example="summary: !!python/object:os.system echo hello\n",
        use_instead="summary: Zolgensma is a one-time gene therapy for young children with SMA.\n",
        references=(_YAML_SPEC, "CWE-502: Deserialization of Untrusted Data",
                    "CWE-776: Improper Restriction of Recursive Entity References (billion laughs)"),
    ),
)

NOT_A_MAPPING = Rule(
    code="ML006", name="not-a-record", family="loading", severity=Severity.ERROR,
    check_file=_reports("not-a-record"),
    summary="The file is empty or its top level is not a mapping.",
    docs=Docs(
        what="Reports files whose document is empty, a list or a single value.",
        why="A record is a mapping of fields; anything else means the wrong file or a broken edit.",
        example="---\n- schema_version: 1\n",
        use_instead="schema_version: 1\n",
        references=("docs/record-format.md: the drug-indication record",),
    ),
)

@dataclass(frozen=True)
class SizeOptions:
    max_bytes: int = option(1_000_000, "largest file, in bytes, that medlint reads as a record")


FILE_TOO_LARGE = Rule(
    code="ML007", name="file-too-large", family="loading", severity=Severity.ERROR,
    check_file=_reports("too-large"),
    summary="The file is larger than a record can be, so it is not read.",
    options=SizeOptions,
    docs=Docs(
        what="Reports files over `max-bytes` (default 1,000,000) without reading them. The example "
             "shows a 7 kB summary checked with `max-bytes = 5000`.",
        why="A record is a few kilobytes. A huge file is a mistake or an attack, and reading it would stall "
            "every pre-commit run and CI job.",
        example="summary: >-\n" + "  Zolgensma is a one-time gene therapy for young children with SMA.\n" * 100,
        use_instead="summary: Zolgensma is a one-time gene therapy for young children with SMA.\n",
        references=("CWE-400: Uncontrolled Resource Consumption",),
        example_options={"max-bytes": 5000},
    ),
)

RULES = (INVALID_YAML, DUPLICATE_KEY, INVALID_ENCODING, BYTE_ORDER_MARK, UNSUPPORTED_YAML, NOT_A_MAPPING,
         FILE_TOO_LARGE)


def rule_of(problem: Problem) -> Rule:
    """The rule that reports `problem`."""
    return next(rule for rule in RULES if rule.check_file is not None and any(rule.check_file([problem])))
