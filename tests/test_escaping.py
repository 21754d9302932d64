"""The one escaper for untrusted text: what it shows, and that it misses no character it must show."""
from __future__ import annotations

import json
import sys
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from medlint.escaping import hidden, json_text, visible

HIDDEN = hidden()

_MUST_SHOW = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def test_the_class_holds_every_control_format_and_separator_character_of_this_python() -> None:
    """Checked against the running Python's Unicode database, so a newer Unicode's new format character
    fails here instead of reaching a terminal."""
    missed = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
              if unicodedata.category(chr(code)) in _MUST_SHOW and chr(code) != "\t" and not HIDDEN.match(chr(code))]
    assert not missed, missed
    # and nothing a reader needs to see as it is: only those categories, or code points not yet assigned
    extra = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
             if HIDDEN.match(chr(code)) and unicodedata.category(chr(code)) not in _MUST_SHOW | {"Cn"}]
    assert not extra, extra


def test_what_it_shows() -> None:
    assert visible("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert visible("\x9b2J \x85 \u2028 \u202e \u2066 \u200b \ufeff") == \
        "\\x9b2J \\x85 \\u2028 \\u202e \\u2066 \\u200b \\ufeff"
    assert visible("\U000e0001") == "\\U000e0001"
    assert visible("records/\udcff\udcfe/x.yaml") == "records/\\xff\\xfe/x.yaml"  # the bytes of a non-UTF-8 name
    assert visible("tab\tstays; µg × 10^14, ไทย, عربي") == "tab\tstays; µg × 10^14, ไทย, عربي"
    assert visible("a\r\nb\x1b", line_breaks=True) == "a\r\nb\\x1b"


_ANY = st.text(st.one_of(st.characters(), st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Cs"))))


@given(_ANY)
def test_nothing_hidden_is_left_and_plain_text_is_untouched(text: str) -> None:
    shown = visible(text)
    assert not HIDDEN.search(shown)
    shown.encode("utf-8")  # a lone surrogate is shown, so the text can always be written
    if not HIDDEN.search(text):
        assert shown == text


@pytest.mark.slow  # Hypothesis, seconds
@settings(max_examples=100)
@given(st.recursive(_ANY | st.integers() | st.none(), lambda inner: st.lists(inner) | st.dictionaries(_ANY, inner)))
def test_json_text_decodes_to_the_same_value_and_holds_nothing_hidden(value: object) -> None:
    text = json_text(value, indent=2)
    assert json.loads(text) == value
    assert not HIDDEN.search(text.replace("\n", ""))
