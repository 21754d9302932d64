"""Where the cursor stands, read from indentation, in records as they are while being typed."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from support import BASE

from medlint.lsp.outline import ITEM, Place, field, place

CURSOR = "|"


def at(text: str) -> Place | None:
    offset = text.index(CURSOR)
    return place(text.replace(CURSOR, "", 1), offset)


def test_a_key_being_typed_at_the_top_level() -> None:
    where = at("schema_version: 1\nid: a/b\nlang|\nsummary: x\n")
    assert where is not None
    assert (where.path, where.key, where.typed) == ((), "", "lang")
    assert where.siblings == {"schema_version", "id", "summary"}


def test_a_key_in_a_list_item_of_a_mapping() -> None:
    text = "dosing:\n  - label: Adult dose\n    population: adult\n    do|\n  - label: Child dose\n    route: oral\n"
    where = at(text)
    assert where is not None and where.path == ("dosing", ITEM) and where.typed == "do"
    assert where.siblings == {"label", "population"}  # not the next item's `route`


def test_a_key_after_a_dash_opens_a_new_item() -> None:
    text = "dosing:\n  - label: Adult dose\n    route: oral\n  - |\n    frequency: once\n"
    where = at(text)
    assert where is not None and where.path == ("dosing", ITEM) and where.siblings == {"frequency"}


def test_a_value_being_typed() -> None:
    where = at("dosing:\n  - dose:\n      value: 1\n    route: intra|\n")
    assert where is not None
    assert (where.path, where.key, where.typed, where.spaced) == (("dosing", ITEM), "route", "intra", True)
    where = at("indication:\n  population:|\n")
    assert where is not None and (where.path, where.key, where.typed, where.spaced) == (
        ("indication",), "population", "", False)


def test_nested_mapping_under_a_list_item() -> None:
    where = at("dosing:\n  - label: x\n    dose:\n      value: 400\n      u|\n")
    assert where is not None and where.path == ("dosing", ITEM, "dose") and where.siblings == {"value"}


def test_a_list_at_its_keys_own_indentation() -> None:
    where = at("sources:\n- title: Label\n  ki|\n")
    assert where is not None and where.path == ("sources", ITEM) and where.siblings == {"title"}


@pytest.mark.parametrize("text", [
    "summary: >-\n  Caldolor is ibuprofen. It|\n",  # inside a folded paragraph
    "summary: >-\n  Caldolor|\n",  # a paragraph's word is not a key
    "summary: Caldolor is\n  ibuprofen|\n",  # a plain text that continues on the next line
    "sections:\n  what_to_expect:\n    - The medicine\n      runs|\n",  # a list item's text
    "dose: {value: 1, un|}\n",  # flow style is not followed
    "  indented|\n",  # indented under nothing
    "# a comment|\n",
])
def test_no_place_inside_text(text: str) -> None:
    assert at(text) is None


def test_the_field_of_a_line_for_hovers() -> None:
    text = BASE
    offset = text.index("route: intravenous") + len("route: intra")
    path, start, end = field(text, offset) or ((), 0, 0)
    assert path == ("dosing", ITEM, "route") and text[start:end] == "route"
    offset = text.index("- label: Pediatric dose") + 4
    assert (field(text, offset) or ((),))[0] == ("dosing", ITEM, "label")
    assert field(text, text.index("The dose is worked out")) is None


@given(st.text(alphabet=" -:abc#>|\n{}'\"", max_size=60), st.data())
def test_any_text_and_cursor_give_a_place_or_none(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    where = place(text, offset)
    assert where is None or 0 <= where.start <= offset
    found = field(text, offset)
    assert found is None or text[found[1] : found[2]] == found[0][-1]
