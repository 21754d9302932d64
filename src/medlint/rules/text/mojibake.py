"""ML601 mojibake: Text that was saved as UTF-8 and read in another code page (`Ã—` or `ร` for `×`)."""
from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ...excerpt import quote
from ...model import Hit, Pointer, Severity
from ...mojibake import Damage, find_mojibake
from ...record import Record
from ..base import Docs, Rule, RuleContext
from ..fields import replace_fix
from .common import spelt_out, text_values


def _check_mojibake(record: Record, context: RuleContext) -> Iterator[Hit]:
    thai_is_text = record.language == "th"
    for pointer, text in text_values(record):
        for damage, count in _repeats(text, find_mojibake(text, thai_is_text)):
            yield _mojibake_hit(record, pointer, text, damage, count)


def _repeats(text: str, damages: tuple[Damage, ...]) -> Iterator[tuple[Damage, int]]:
    """Each damage with how many times it repeats right after itself (`รรรร`): one finding, not 80,000."""
    index = 0
    while index < len(damages):
        first, count = damages[index], 1
        damaged = text[first.start:first.end]
        while index + count < len(damages):
            following = damages[index + count]
            if (following.start != first.start + count * len(damaged) or following.intended != first.intended
                    or text[following.start:following.end] != damaged):
                break
            count += 1
        yield first, count
        index += count


def _mojibake_hit(record: Record, pointer: Pointer, text: str, damage: Damage, count: int = 1) -> Hit:
    damaged = text[damage.start:damage.end]
    end = damage.start + len(damaged) * count
    shown = quote(spelt_out(damaged))
    times = f" ({count:,} times in a row)" if count > 1 else ""
    read_as = f"the text was saved as UTF-8 and read as {damage.codepage}"
    if damage.intended is not None:
        fix = partial(replace_fix, record, pointer, damage.start, end, damage.intended * count,
                          f"replace `{shown}` with `{damage.intended}`{times}")
        return Hit(pointer, f"`{shown}`{times} is a mis-encoded `{damage.intended}`: {read_as}",
                   f"replace `{shown}` with `{damage.intended}`", damage.start, end, subject=shown, fix=fix)
    likely = ", ".join(f"`{c}`" for c in damage.candidates[:4])
    perhaps = f" (perhaps {likely}{' or another character' if len(damage.candidates) > 4 else ''})" if likely else ""
    return Hit(pointer, f"`{shown}`{times} is mis-encoded text: {read_as}, and bytes were lost, so what it said "
                        f"cannot be worked out with certainty{perhaps}",
               "retype the intended character from the source document", damage.start, end, subject=shown)


MOJIBAKE = Rule(
    code="ML601", name="mojibake", family="text", severity=Severity.ERROR,
    summary="Text that was saved as UTF-8 and read in another code page (`Ã—` or `ร` for `×`).",
    check=_check_mojibake, fixable=True,
    docs=Docs(
        what="Reports mis-encoded sequences in every text value of a record, each at its own line and "
             "column, with the character it stands for. Two kinds: UTF-8 read as Windows-1252 or Latin-1 "
             "(`Ã—` for `×`, `â€”` for `—`, `Â·` for `·`, `Ã©` for `é`, `â€™` for `’`; found and repaired "
             "with ftfy), and UTF-8 read as the Thai code page cp874 / TIS-620 (`ร` for `×`, `โ` for `—`, "
             "`ยท` for `·`), where the C1 bytes 80-9F are lost. The fix replaces only the damaged characters, "
             "and only where the reading is certain: when ftfy repairs the sequence, when the Thai bytes "
             "leave one possible character, or when bytes were lost and the context decides (`ร` between "
             "numbers is `×`, a spaced `โ` between words is `—`). Other sequences are reported with their "
             "likely readings and no fix. In a record whose `language` is `th`, Thai letters are text; "
             "real text such as `SÃO PAULO`, `×`, `—`, `·`, `é` and `’` is not reported. A sequence repeated back "
             "to back (`รรรร`) is one finding, with the count.",
        why="Mojibake is what readers of the seed page saw: `1.1 ร 10^14 vector genomes/kg` for a dose "
            "of 1.1 × 10^14. A damaged multiplication sign in a dose is a dose that cannot be read, and "
            "garbled text tells readers the page was never checked.",
        example="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                "    notes: 1.1 ร 10^14 vector genomes/kg, as a single infusion.\n",
        use_instead="dosing:\n  - label: Pediatric dose\n    population: pediatric\n    dose:\n      value: 1.1e14\n"
                    "      unit: vector genomes/kg\n    route: intravenous\n    frequency: once\n"
                    "    notes: 1.1 × 10^14 vector genomes/kg, as a single infusion.\n",
        references=("The Unicode Standard, 2.5 Encoding Forms (UTF-8)",
                    "TIS-620 / ISO/IEC 8859-11 (Thai) and Windows code page 874",
                    "WHATWG Encoding Standard: windows-1252",
                    "ftfy (fixes text for you), https://ftfy.readthedocs.io/"),
    ),
)
