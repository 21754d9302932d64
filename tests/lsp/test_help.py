"""Hovers and completions from the record schema, and a finding's rule docs."""
from __future__ import annotations

from pathlib import Path

from lsp_support import check, workspace
from lsprotocol import types
from support import BASE

from medlint import docs, rules, schema
from medlint.lsp import help
from medlint.lsp.text import LineIndex

ROOT_SCHEMA = schema.load_schema()


def complete(text: str) -> list[types.CompletionItem]:
    """Completions at the `|` in `text`."""
    offset = text.index("|")
    text = text.replace("|", "", 1)
    index = LineIndex(text)
    return help.completions(text, ROOT_SCHEMA, index, index.position(offset))


def labels(items: list[types.CompletionItem]) -> list[str]:
    return [item.label for item in items]


def test_field_names_at_each_level_without_those_written() -> None:
    top = complete(BASE.replace("warnings:\n", "|\nwarnings:\n"))
    assert labels(top) == []  # every top-level field is there already
    entry = complete("dosing:\n  - label: Adult dose\n    |\n")
    assert labels(entry) == ["population", "dose", "max_dose", "route", "frequency", "age_range", "weight_range",
                             "duration", "notes"]
    route = next(item for item in entry if item.label == "route")
    assert route.detail == "Route (required)" and route.sort_text == "0route"
    assert route.text_edit == types.TextEdit(range=types.Range(start=types.Position(line=2, character=4),
                                                               end=types.Position(line=2, character=4)),
                                             new_text="route: ")
    assert next(item for item in entry if item.label == "dose").text_edit.new_text == "dose:"  # type: ignore[union-attr]
    assert labels(complete("dosing:\n  - dose:\n      value: 1\n      u|\n")) == ["low", "high", "unit"]
    assert labels(complete("review:\n  rev|\n")) == ["last_reviewed", "next_review_due", "reviewers"]


def test_allowed_and_suggested_values() -> None:
    route = complete("dosing:\n  - route: intra|\n")
    assert labels(route) == ROOT_SCHEMA["$defs"]["doseEntry"]["properties"]["route"]["enum"]
    assert route[0].kind == types.CompletionItemKind.EnumMember
    assert route[0].text_edit.range.start.character == 11  # type: ignore[union-attr]  # replaces `intra`
    assert labels(complete("indication:\n  population: |\n")) == ["pediatric", "adult", "all"]
    assert labels(complete("dosing:\n  - population: |\n")) == ["pediatric", "adult"]
    units = complete("dosing:\n  - dose:\n      unit: |\n")
    assert "mg/kg/day" in labels(units) and units[0].kind == types.CompletionItemKind.Value
    assert labels(complete("dosing:\n  - max_dose:\n      unit: |\n")) == labels(units)
    assert "every 6 hours" in labels(complete("dosing:\n  - frequency: |\n"))
    assert labels(complete("schema_version: |\n")) == ["1"]
    assert complete("dosing:\n  - route:|\n")[0].text_edit.new_text == " oral"  # type: ignore[union-attr]
    assert complete("summary: |\n") == [] and complete("nonsense: |\n") == []


def test_hover_on_a_field_gives_its_description_and_allowed_values(tmp_path: Path) -> None:
    analysis = check(BASE, workspace(tmp_path))
    index = LineIndex(BASE)
    at = index.position(BASE.index("route: intravenous") + 2)
    hover = help.hover(analysis, index, at)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**Route** `dosing[].route`\n\nHow the dose is given:")
    assert hover.contents.value.endswith("Allowed values: `oral`, `intravenous`, `intramuscular`, `subcutaneous`, "
                                         "`intrathecal`, `inhaled`, `intranasal`, `topical`, `transdermal`, "
                                         "`rectal`, `sublingual`, `ophthalmic`, `otic`")
    assert hover.range == types.Range(start=types.Position(line=at.line, character=4),
                                      end=types.Position(line=at.line, character=9))
    unit = help.hover(analysis, index, index.position(BASE.index("unit: vector genomes/kg")))
    assert unit is not None and "For example: `mg`, `mcg`" in unit.contents.value  # type: ignore[union-attr]
    assert help.hover(analysis, index, index.position(BASE.index("The dose is worked out"))) is None


def test_hover_on_a_finding_gives_the_rules_docs(tmp_path: Path) -> None:
    text = BASE.replace("route: intravenous", "route: IV").replace("unit: vector genomes/kg", "unit: µg")
    analysis = check(text, workspace(tmp_path))
    index = LineIndex(text)
    hover = help.hover(analysis, index, index.position(text.index("µg") + 1), markdown=False)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.PlainText
    assert hover.contents.value == docs.rule_markdown(rules.BUILTIN.by_code["ML302"])
    for heading in docs.HEADINGS[:4]:
        assert f"## {heading}" in hover.contents.value
    route = help.hover(analysis, index, index.position(text.index("IV")))
    assert route is not None and route.contents.value.startswith("# ML104 invalid-value")  # type: ignore[union-attr]


def test_the_configured_schema_is_the_one_described(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    custom = {**ROOT_SCHEMA, "properties": {**ROOT_SCHEMA["properties"],
                                            "language": {"title": "Language", "description": "Ours.", "enum": ["en"]}}}
    (folder / "house.json").write_text(__import__("json").dumps(custom), encoding="utf-8")
    (folder / "medlint.toml").write_text('schema = "house.json"\n', encoding="utf-8")
    analysis = check(BASE, folder)
    index = LineIndex(BASE)
    hover = help.hover(analysis, index, index.position(BASE.index("language")))
    assert hover is not None and hover.contents.value == "**Language** `language`\n\nOurs.\n\nAllowed values: `en`"  # type: ignore[union-attr]


def test_a_configured_schema_that_cannot_be_read_falls_back_to_the_packaged_one(tmp_path: Path) -> None:
    folder = workspace(tmp_path)
    (folder / "medlint.toml").write_text('schema = "missing.json"\n', encoding="utf-8")
    analysis = check(BASE, folder)
    assert "cannot read the schema" in analysis.error
    assert help.schema_of(analysis) == ROOT_SCHEMA
    index = LineIndex(BASE)
    hover = help.hover(analysis, index, index.position(BASE.index("language")))
    assert hover is not None and hover.contents.value.startswith("**Language** `language`")  # type: ignore[union-attr]
