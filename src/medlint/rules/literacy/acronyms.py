"""ML713: acronyms that the page does not explain where the reader first meets them."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ... import packaged
from ...lazyre import Lazy
from ...model import Hit, Pointer, Severity
from ...record import Record
from ...syllables import in_dictionary
from ..base import Docs, Rule, RuleContext, option
from ._page import page

# a word with its inner hyphens (`GLP-1`, `5-HT3`, `IL-13`); an acronym is one with two capitals and no
# lower-case letter but a plural `s` (`NSAIDs`)
_TOKEN = Lazy(r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")
# the words with two capitals, found at C speed: most words of a page are not (a loop over every word in
# Python cost the rule ten times as much)
_CANDIDATE = Lazy(r"(?<![\w-])(?=[\w-]*?[A-Z][\w-]*?[A-Z])[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")
_ROMAN = Lazy(r"X{0,3}(?:IX|IV|V?I{0,3})")  # factor IX, angiotensin II, type IV
# what tells the reader what the letters are, just before them ("a protein called TNF") or just after
# ("TNF, a protein", "SSRIs such as escitalopram", "(tuberculosis)")
_CALLED = Lazy(r"(?:\bcalled|\bnamed|\bknown as|\bsuch as|\bincluding)(?: the| a| an)?\s*$", re.I)
_AFTER = Lazy(r"(?:\s+\d+)?(?:,\s+(?:a|an|the)\s|,?\s+(?:such as|like|including)\s|\s+\()", re.I)
# kinds of thing an acronym names: "the SMN1 gene", "LDL cholesterol", "ACE inhibitors", "an IV line"
_KINDS = frozenset((
    "gene", "genes", "protein", "proteins", "hormone", "hormones", "enzyme", "enzymes", "receptor", "receptors",
    "cholesterol", "virus", "viruses", "vaccine", "vaccines", "blocker", "blockers", "inhibitor", "inhibitors",
    "agonist", "agonists", "antibody", "antibodies", "cell", "cells", "test", "tests", "line", "lines", "medicine",
    "medicines", "drug", "drugs", "pill", "pills", "level", "levels", "infection", "infections", "disease",
    "condition"))
_KIND_BEFORE = Lazy(r"\b(\w+),\s*$")  # "two immune proteins, IL-4"
_PRODUCT = Lazy(r"([A-Z][A-Za-z]{1,30})[ -]$")
_CHAIN = Lazy(r"(?:\s*(?:,|and|or)\s*)$")  # the "and" of "GIP and GLP-1"


@functools.cache
def _known() -> frozenset[str]:
    text = packaged.path("data", "known-acronyms.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))


@functools.lru_cache(maxsize=65536)
def _acronym(token: str) -> str | None:
    """The acronym a token is (`NSAIDs` -> `NSAID`), or None."""
    core = token[:-1] if token.endswith("s") and len(token) > 2 and token[-2].isupper() else token
    if any(c.islower() for c in core) or sum(c.isupper() for c in core) < 2 or _ROMAN.fullmatch(core):
        return None
    if re.search(r"[0-9]{3}", core):  # a phone number or a code: 1-800-QUIT-NOW
        return None
    return core


def _is_product(text: str, start: int) -> bool:
    """The letters close a product name: `Xopenex HFA`, `Recombivax HB` (a capitalised word the dictionary
    does not list, just before)."""
    before = _PRODUCT.search(text, max(0, start - 40), start)
    return before is not None and not in_dictionary(before.group(1).lower())


def _explained(text: str, start: int, end: int) -> bool:
    """The text says what the letters are, at this use."""
    before, after = text[max(0, start - 60) : start], text[end : end + 40]
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":  # "tuberculosis (TB)"
        return True
    if _CALLED.search(before) or _AFTER.match(after):
        return True
    following = re.match(r"\s+(\w+)", after)
    if following and following.group(1).lower() in _KINDS:
        return True
    kind = _KIND_BEFORE.search(before)
    return kind is not None and kind.group(1).lower() in _KINDS


def _chained(text: str, start: int, previous_end: int | None) -> bool:
    """The second of a list the text explains together: "hormones, called GIP and GLP-1"."""
    return (previous_end is not None and start - previous_end <= len(" and ")
            and _CHAIN.fullmatch(text[previous_end:start]) is not None)


def _names(record: Record) -> frozenset[str]:
    drug = record.data.get("drug")
    if not isinstance(drug, dict):
        return frozenset()
    return frozenset(word for key in ("brand_name", "generic_name") if isinstance(drug.get(key), str)
                     for word in _TOKEN.findall(drug[key]))


def _texts(record: Record) -> Iterator[tuple[Pointer | None, str]]:
    """The page in reading order; the drug class, shown with the names, only explains (pointer None)."""
    drug = record.data.get("drug")
    if isinstance(drug, dict) and isinstance(drug.get("drug_class"), str):
        yield None, drug["drug_class"]
    yield from page(record)


@dataclass(frozen=True)
class AcronymOptions:
    known: tuple[str, ...] = option((), "acronyms the team's readers know without explanation, added to medlint's "
                                        "list (data/known-acronyms.txt)")


def _check(record: Record, context: RuleContext) -> Iterator[Hit]:
    options: AcronymOptions = context.options
    known = _known() | frozenset(options.known)
    skip = _names(record)
    seen: set[str] = set()
    for pointer, text in _texts(record):
        explained_end: int | None = None
        for match in _CANDIDATE.finditer(text):
            token = match.group()
            acronym = _acronym(token) if token not in skip else None
            if acronym is None or acronym in known:
                continue
            if acronym in seen:  # only a first use is judged, and only it can start a list ("GIP and GLP-1")
                explained_end = None
                continue
            seen.add(acronym)
            start, end = match.span()
            explained = _explained(text, start, end) or _chained(text, start, explained_end)
            explained_end = end if explained else None
            if pointer is None or explained or _is_product(text, start):
                continue
            yield Hit(pointer, f"`{acronym}` is not explained where the page first uses it",
                      f"spell it out the first time, `words ({acronym})`, or say what it is: `{acronym}, a ...`",
                      start, end, subject=acronym)


UNDEFINED_ACRONYM = Rule(
    code="ML713", name="undefined-acronym", family="health-literacy", severity=Severity.WARNING,
    summary="An acronym in patient-facing text is not explained where the reader first meets it.",
    check=_check, default_enabled=False,
    options=AcronymOptions,
    docs=Docs(
        what="Reads the page in order (the title, the summary, then each section) and reports the first use "
             "of each acronym that the page does not explain there. An acronym is a word of two or more "
             "capitals and no lower-case letter but a plural `s` (`SMA`, `GLP-1`, `NSAIDs`). A use is "
             "explained when the text spells it out or says what it is: `atrial fibrillation (AFib)`, "
             "`SMA (spinal muscular atrophy)`, `a protein called TNF`, `A1C, a blood test ...`, `SSRIs such "
             "as escitalopram`, or names the kind of thing it is (`the SMN1 gene`, `LDL cholesterol`, `ACE "
             "inhibitors`, `two immune proteins, IL-4 and IL-13`): for a reader, knowing that SMN1 is a gene "
             "is the point, and `survival of motor neuron 1` would not help. The drug class the page shows "
             "(`nonsteroidal anti-inflammatory drug (NSAID)`) explains its acronym for the whole page. Not "
             "acronyms, and never reported: the record's brand and generic names (`Ventolin HFA`), the "
             "letters that close another product's name (`Recombivax HB`), roman numerals (`factor IX`), "
             "phone numbers (`1-800-QUIT-NOW`), units (written in lower or mixed case: `mg`, `mL`), and the "
             "acronyms better known than their words (data/known-acronyms.txt: `DNA`, `HIV`, `IV`, `MRI` "
             "...), to which the `known` option adds. The dose table is not read (see ML714).",
        why="An acronym a reader cannot expand is a word they cannot read: PEMAT's understandability item 4 "
            "asks that medical terms be used only to familiarise the reader with them, and be defined; "
            "the NHS content guide asks for acronyms to be written out in full the first time. A parent "
            "who meets `MAOI` in a list of medicines not to combine cannot tell whether theirs is one.",
        example="""summary: >-
  Zolgensma is a gene therapy that is given one time, for children younger than 2 years with
  spinal muscular atrophy (SMA). Before the infusion, your child has an LFT.
""",
        use_instead="""summary: >-
  Zolgensma is a gene therapy that is given one time, for children younger than 2 years with
  spinal muscular atrophy (SMA). Before the infusion, your child has a liver function test (LFT).
""",
        references=(
            "Shoemaker SJ, Wolf MS, Brach C. The Patient Education Materials Assessment Tool (PEMAT) and "
            "user's guide. AHRQ Publication No. 14-0002-EF, 2013 (updated 2020): item 4",
            "NHS digital service manual, content guide, A to Z of NHS health writing: abbreviations and acronyms",
            "medlint team, known-acronyms list (src/medlint/data/known-acronyms.txt)",
        ),
    ),
)
