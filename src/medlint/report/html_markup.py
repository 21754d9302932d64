"""The markup the editors' page is built of (`medlint.report.html`): escaping (every piece of record text
goes through `e`), links, badges, panels, and lists that stay small at any size."""
from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from html import escape

from .. import packaged
from ..escaping import visible
from ..summary import QUEUE_WINDOWS
from .editors import Glyph, glyphs

CHUNK = 100
_BACKTICKS = re.compile(r"`([^`]+)`")
SHORT_WINDOW = {"no-date": "No date", "overdue": "Overdue", **{f"due-{days}": f"≤ {days} d" for days in QUEUE_WINDOWS}}


def e(text: object) -> str:
    return escape(visible(str(text)), quote=True)


def _code_spans(markup: str) -> str:
    """`code spans` shown as code (safe on escaped text: it holds no markup of the record's)."""
    return _BACKTICKS.sub(r"<code>\1</code>", markup)


def prose(text: str) -> str:
    return _code_spans(e(text))


def _glyph(glyph: Glyph) -> str:
    shown = "" if glyph.invisible else f'<span class="glyph">{e(glyph.char)}</span>'
    return f'<span class="cp" title="{e(glyph.code)} {e(glyph.name)}">{shown}<small>{glyph.code}</small></span>'


def finding_text(text: str) -> str:
    """A finding's message or hint: characters a font may lack, or that cannot be seen, with their code points."""
    return _code_spans("".join(_glyph(part) if isinstance(part, Glyph) else e(part) for part in glyphs(text)))


def asset(name: str) -> str:
    return packaged.path("html", name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def date(value: object) -> str:
    return e(value) if value else '<span class="muted">none</span>'


def link(href: str | None, text: str, cls: str = "") -> str:
    """`text` must already be escaped; `href` is escaped here."""
    attr = f' class="{cls}"' if cls else ""
    return f'<a href="{e(href)}"{attr}>{text}</a>' if href else f"<span{attr}>{text}</span>"


def badge(kind: str, text: str) -> str:
    return f'<span class="badge {kind}">{e(text)}</span>'


def count_cell(number: int) -> str:
    return str(number) if number else '<span class="muted">0</span>'


def panel(title: str, body: str, wide: bool = False) -> str:
    return f'<figure class="panel{" wide" if wide else ""}"><figcaption>{e(title)}</figcaption>{body}</figure>'


class ChunkedList:
    """A list of the page (a section, or a panel) that report.js pages, filters and links to: its groups
    show their first items, the rest waits in <noscript> chunks. `group_key` and `page_key` name the
    URL-fragment parameters that open one group and turn its pages."""

    def __init__(self, first: int, size: int, group_key: str, page_key: str, sort_key: str = "") -> None:
        self.first, self.size, self.group_key, self.page_key, self.sort_key = first, size, group_key, page_key, sort_key

    def attributes(self) -> str:
        sort = f' data-sort-key="{self.sort_key}"' if self.sort_key else ""
        return (f' data-list data-first="{self.first}" data-size="{self.size}" data-group-key="{self.group_key}"'
                f' data-page-key="{self.page_key}"{sort}')

    def group(self, name: str, heading: str, items: Sequence[str], frame: Callable[[str], str],
              noun: str = "rows") -> str:
        """One group: `frame` wraps items in their container (a table, a <div>), marked `items` for the
        script. Without scripts, each chunk is a folded <details> after the first items."""
        first, rest = items[: self.first], items[self.first:]
        chunks = []
        for start in range(0, len(rest), CHUNK):
            part = rest[start: start + CHUNK]
            low, high = self.first + start + 1, self.first + start + len(part)
            which = f"{noun} {low:,}–{high:,}" if high > low else f"{noun[:-1]} {low:,}"
            chunks.append(f'<noscript data-chunk><details class="more"><summary>{e(which.capitalize())} of '
                          f"{len(items):,}</summary>{frame(''.join(part))}</details></noscript>")
        tally = f' <span class="tally">{len(items):,}</span>' if heading else ""
        title = f"<h3>{e(heading)}{tally}</h3>" if heading else ""
        return (f'<section class="group" data-group="{e(name)}" data-total="{len(items)}">{title}'
                f"{frame(''.join(first))}{''.join(chunks)}</section>")


def filters(*fields: str) -> str:
    """Filters need the script: without it they are not shown at all."""
    return f'<div class="controls js-only">{"".join(fields)}<span class="count" aria-live="polite"></span></div>'


def search(key: str, placeholder: str) -> str:
    return (f'<label>Filter <input type="search" data-key="{key}" data-match="text" placeholder="{e(placeholder)}" '
            'autocomplete="off"></label>')


def choice(key: str, label: str, options: Iterable[tuple[str, str]], match: str, anyone: str = "All") -> str:
    choices = "".join(f'<option value="{e(value)}">{e(text)}</option>' for value, text in options)
    return (f'<label>{e(label)} <select data-key="{key}" data-match="{match}"><option value="">{e(anyone)}</option>'
            f"{choices}</select></label>")
