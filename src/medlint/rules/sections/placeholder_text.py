"""ML201 placeholder-text: Placeholder or template residue in the text: TODO, TBD, lorem ipsum, {{ drug }}, [insert
...]."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ...excerpt import quote
from ...model import Hit, Pointer, Severity, yaml_path
from ...record import Record
from ..base import Docs, Rule, RuleContext
from .common import NOT_ALNUM_AFTER, NOT_ALNUM_BEFORE, POLICY, has_clue

# HTML elements an author may type: `<br>` is markup, not a placeholder (and not this rule's business)
_HTML_TAGS = frozenset(("a", "b", "br", "div", "em", "hr", "i", "li", "ol", "p", "small", "span", "strong", "sub",
                       "sup", "u", "ul"))
_PLACEHOLDER = re.compile(
    # TODO in capitals, or `todo:` as a note; "Todo" and "mastodon" are words
    rf"(?P<marker>{NOT_ALNUM_BEFORE}(?:TODO|(?i:todo)(?=\s*:)|(?i:tbd|fixme)){NOT_ALNUM_AFTER}"
    # XXX stands for a missing value; "47,XXX" is a karyotype and "XXXL" a longer token
    rf"|(?<![0-9A-Za-z,])(?i:x{{3,}}){NOT_ALNUM_AFTER})"
    r"|(?P<dummy>(?i:\blorem\s+ipsum(?:\s+dolor\s+sit\s+amet)?\b|\bdolor\s+sit\s+amet\b))"
    # template syntax: {{ drug }}, {% if %}, a stray {{ or }}, {drug}, ${drug}; "{see note}" has a
    # space between words and is not a variable name. What a tag holds stops at the next brace (and a
    # bracket at the next bracket): `.*?` scanned to the end of the text from every `{%`, quadratic on
    # `{%{%{%...` (40 s for 100 KB)
    r"|(?P<template>\{\{[^{}\n]*\}\}|\{%[^{}\n]*?%\}|\{\{|\}\}|\$?\{\s*[A-Za-z_][A-Za-z0-9_.]*\s*\})"
    r"|(?P<blank>\[\s*(?i:insert|add|enter|fill\s+in|placeholder)\b[^\[\]]*\]"
    r"|\[\s*(?i:drug|brand|generic|condition|indication|dose)(?:[\s_]+(?i:name))?\s*\]"
    r"|<[A-Za-z][A-Za-z _-]*[A-Za-z]>)"
)
# every placeholder holds one of these (in lower case): a cheap test that spares most texts the regex
_PLACEHOLDER_CLUES = ("todo", "tbd", "fixme", "xxx", "lorem", "dolor", "{", "}", "[", "<")
_KINDS = {
    "marker": "a placeholder marker left in the text",
    "dummy": "dummy text from a template",
    "template": "template syntax that was never filled in",
    "blank": "a fill-in-the-blank placeholder",
}


def _all_strings(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    """Every string in the record, in source order (prose, labels, names, titles, URLs)."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _all_strings(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _all_strings(item, (*pointer, index))


def _texts(value: Any) -> Iterator[str]:
    """Every string in the record, in no particular order and without its pointer: for the clue test."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _check_placeholders(record: Record, context: RuleContext) -> Iterator[Hit]:
    if not has_clue("\0".join(_texts(record.data)), _PLACEHOLDER_CLUES):
        return  # the common case: one test over all the text (no clue spans the separator)
    for pointer, text in _all_strings(record.data, ()):
        if not has_clue(text, _PLACEHOLDER_CLUES):
            continue
        where = yaml_path(pointer)
        for match in _PLACEHOLDER.finditer(text):
            found = match.group(0)
            if match.lastgroup == "blank" and found[0] == "<" and found[1:-1].lower() in _HTML_TAGS:
                continue
            found = quote(found)
            kind = _KINDS[match.lastgroup or "marker"]
            yield Hit(pointer, f"`{found}` is {kind}: write the text it stands for, or delete it",
                      hint="placeholders are published as they are: search the record for the others too",
                      start=match.start(), end=match.end(), subject=f"{where}: {found}")


PLACEHOLDER_TEXT = Rule(
    code="ML201", name="placeholder-text", family="sections", severity=Severity.ERROR,
    summary="Placeholder or template residue in the text: TODO, TBD, lorem ipsum, {{ drug }}, [insert ...].",
    check=_check_placeholders,
    docs=Docs(
        what="Reports, in every text of the record (prose, labels, names, titles, URLs): the markers "
             "`TODO` (in capitals, or `todo:`), `TBD`, `FIXME` and `XXX` as words of their own; `lorem "
             "ipsum`; template syntax (`{{ drug }}`, `{% if %}`, a stray `{{` or `}}`, `{drug}`, "
             "`${drug}`); and fill-in-the-blanks (`[insert dose]`, `[drug name]`, `<drug name>`). It does "
             "not report these letters inside words (`mastodon`, `XXXL`), the karyotype `47,XXX`, braces "
             "around words that are not a variable name (`{see note}`), or HTML tags such as `<br>`. YAML "
             "comments are not published and are not checked: `# TODO: check the label` is a fine note. A "
             "value that is nothing but a placeholder (`route: <route>`, as `medlint new` writes them) is "
             "reported once, by this rule: not also as an invalid route or a missing number.",
        why="A placeholder is published as it is: a parent reading 'Take TBD mg' or "
            "'Zolgensma treats {indication}' learns nothing and stops trusting the page. Template "
            "residue also shows that nobody read the page before it went out.",
        example="summary: >-\n  Zolgensma is a one-time gene therapy for {indication}. TODO: add the age limit.\n",
        use_instead="summary: >-\n  Zolgensma is a one-time gene therapy for children younger than 2 years with\n"
                    "  spinal muscular atrophy (SMA).\n",
        references=(POLICY,
                    "21 CFR 201.57 (the required content of prescription drug labeling, which the page restates)"),
    ),
)
