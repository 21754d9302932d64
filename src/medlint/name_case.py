"""How a name's capitalisation in a text differs from its field's, and which side is wrong: for a brand name
every letter matters (except a capital that opens a sentence); for a class or substance (a common noun)
only acronyms and symbols do (`AAV9`, `mRNA`, `vitamin K`)."""
from __future__ import annotations

import enum
import functools
import re
from typing import NamedTuple

from .lazyre import Lazy

_SENTENCE_START = Lazy(r"(?:\A|[.!?:]\s+|\n\s*)[\"'“‘(]?\Z")
TOKEN = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=1024)
def name_pattern(name: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in name.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def mentions(name: str, text: str, lowered: str) -> list[tuple[int, int]]:
    r"""Where `name_pattern(name)` matches in `text` (`lowered` is `text.lower()`), as (start, end). Where name
    and text are ASCII, without the pattern: a corpus with a brand per record would compile one per record.
    In ASCII text case-insensitive matching is `str.lower` and `\s`, `\w` are `isspace`, `isalnum` or `_`."""
    if not (name.isascii() and text.isascii()):
        return [match.span() for match in name_pattern(name).finditer(text)]
    first, *rest = name.lower().split()
    out: list[tuple[int, int]] = []
    size = len(lowered)
    at = lowered.find(first)
    while at >= 0:
        end: int | None = at + len(first)
        if at and (lowered[at - 1].isalnum() or lowered[at - 1] == "_"):
            end = None
        for word in rest:
            if end is None:
                break
            gap = end
            while gap < size and lowered[gap].isspace():
                gap += 1
            end = gap + len(word) if gap > end and lowered.startswith(word, gap) else None
        if end is not None and (end == size or not (lowered[end].isalnum() or lowered[end] == "_")):
            out.append((at, end))
            at = lowered.find(first, end)
        else:
            at = lowered.find(first, at + 1)
    return out


def acronym_form(token: str) -> bool:
    """Written as an acronym or symbol, whose case carries meaning: every letter a capital (`AAV9`,
    `K1`, `K`) or a capital after the first character (`mRNA`, `CoA`)."""
    letters = [ch for ch in token if ch.isalpha()]
    return bool(letters) and (all(ch.isupper() for ch in letters) or any(ch.isupper() for ch in token[1:]))


def _case_matters(token: str) -> bool:
    """A token of a common noun whose case still matters: internal capitals, or a digit among letters
    (`AAV9`, `SMN1`, `mRNA`, `K1`), or a single capital (`vitamin K`)."""
    internal_capital = any(ch.isupper() for ch in token[1:])
    digit_among_letters = any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token)
    return internal_capital or digit_among_letters or (len(token) == 1 and token.isupper())


def _raised(lower: str, upper: str) -> bool:
    """`upper` is `lower` with some lowercase letters capitalised, and nothing else changed."""
    return lower != upper and all(a == b or a.upper() == b for a, b in zip(lower, upper, strict=True))


class Verdict(enum.Enum):
    TEXT_WRONG = "the text's form is certainly wrong"  # a fix may write the field's form
    FIELD_WRONG = "the field's form is certainly wrong"  # a lowercased acronym in the field
    UNSURE = "one of the two is wrong"


def verdict_of(pairs: list[tuple[str, str]], proper: bool) -> Verdict:
    """Which side of each differing (field, text) token pair is right, when every pair says the same."""
    def text_wrong(field: str, found: str) -> bool:
        if proper:  # capitalise an all-lowercase brand; lower one shouted in capitals to the field's form
            lowered = found.islower() and not field.islower()
            shouted = found.isupper() and len(found) > 1 and not field.isupper() and not field.islower()
            return (lowered and _raised(found, field)) or (shouted and not any(ch.isdigit() for ch in found))
        return _raised(found, field) and acronym_form(field) and not acronym_form(found)

    def field_wrong(field: str, found: str) -> bool:
        return not proper and _raised(field, found) and acronym_form(found) and not acronym_form(field)

    if all(text_wrong(*pair) for pair in pairs):
        return Verdict.TEXT_WRONG
    if all(field_wrong(*pair) for pair in pairs):
        return Verdict.FIELD_WRONG
    return Verdict.UNSURE


class Change(NamedTuple):
    """A token of a mention whose case differs from the field's where case matters."""

    place: int  # the token's place in the name
    start: int  # where the token is in the text
    end: int
    want: str  # the field's token
    found: str


def differences(name: str, text: str, start: int, end: int, proper: bool) -> tuple[Change, ...]:
    """The tokens of a mention whose case differs from the name's where it matters. For a brand name every
    letter matters, except a capital that opens a sentence; for a class or substance (a common noun) only
    acronyms and symbols do."""
    out = []
    wanted, found_tokens = TOKEN.findall(name), list(TOKEN.finditer(text, start, end))
    if len(wanted) != len(found_tokens):
        return ()  # a letter that only case folding equates with a mark (U+0345 and `ι`): nothing to compare
    for index, (want, got) in enumerate(zip(wanted, found_tokens, strict=True)):
        found = got.group()
        if found == want:
            continue
        if proper:
            if (index == 0 and found == want[:1].upper() + want[1:]
                    and _SENTENCE_START.search(text, max(0, start - 4), start) is not None):
                continue
        elif not (_case_matters(want) or _case_matters(found)):
            continue
        out.append(Change(index, got.start(), got.end(), want, found))
    return tuple(out)
