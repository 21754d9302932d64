"""Bounded quotes of record text, for messages, hints and subjects.

A finding quotes what it is about (`10.0 mg`, a word with a Cyrillic letter). Record text is untrusted and
can be one 60,000-character word; quoted whole in each of thousands of findings, it made output grow with
the square of the input. Every quote of record text goes through here, and the engine bounds every
message, hint and subject with the same helper as a last line of defence.
"""
from __future__ import annotations

QUOTE_LIMIT = 60  # characters of record text a message quotes
MESSAGE_LIMIT = 600  # characters of a whole message, hint or subject


def quote(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` whole when it is short; else its start and end around an ellipsis, with its length, so that
    two long quotes that differ in the middle still read as different."""
    if len(text) <= limit:
        return text
    head = max(1, limit * 2 // 3)
    tail = max(1, limit - head - 1)
    return f"{text[:head]}…{text[-tail:]} ({len(text):,} characters)"


def around(text: str, start: int, end: int, context: int = 20, limit: int = QUOTE_LIMIT) -> str:
    """Characters [start, end) of `text` with up to `context` characters either side, ellipses where the
    text goes on: where in a long value something is (or differs)."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    return ("…" if left else "") + quote(text[left:right], limit + 2 * context) + ("…" if right < len(text) else "")


def bounded(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A whole message, hint or subject cut to `limit` characters (the engine's backstop)."""
    return quote(text, limit)
