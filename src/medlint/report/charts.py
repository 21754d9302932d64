"""The report's charts: labels and numbers are HTML text, and only the bars are (inline) SVG.

Text in an SVG scales with the drawing, so a chart drawn for a wide screen has unreadable four-pixel labels
on a phone. Here the labels keep the page's font size at any width, and each bar is a tiny SVG stretched to
the width (or height) of its track. No chart library, no network, every label escaped; colours come from
CSS classes in the report's stylesheet (no inline styles, which the page's Content-Security-Policy forbids).
On a narrow screen the stylesheet lays columns out as horizontal bars, label above or beside each.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from ..escaping import visible

SCALE = 1000  # a bar's length in its SVG's own units: the longest bar fills its track
_SHORTEST = 6  # a non-zero value is never drawn thinner than this, so it stays visible


class Bar(NamedTuple):
    label: str
    segments: tuple[tuple[int, str], ...]  # (value, CSS class), drawn from the start of the bar
    href: str = ""  # an in-page link ("#rule-ML301", "#queue?status=overdue"); never built from record text

    @property
    def total(self) -> int:
        return sum(value for value, _ in self.segments)

    @property
    def tip(self) -> str:
        parts = ", ".join(f"{value} {cls}" for value, cls in self.segments if value)
        return f"{self.label}: {parts or 0}"


def _e(text: object) -> str:
    return escape(visible(str(text)), quote=True)


def _lengths(bar: Bar, top: int) -> list[tuple[float, float, str]]:
    """(start, length, class) of each non-zero segment, in SCALE units."""
    out, start = [], 0.0
    for value, cls in bar.segments:
        if value:
            length = max(float(_SHORTEST), SCALE * value / (top or 1))
            out.append((start, length, cls))
            start += length
    return out


def _track(bar: Bar, top: int, vertical: bool) -> str:
    """One bar as an SVG that CSS stretches over its track (`preserveAspectRatio="none"`)."""
    if vertical:  # drawn upwards from the bottom
        rects = "".join(f'<rect class="{_e(cls)}" x="0" y="{SCALE - start - length:.1f}" width="1" '
                        f'height="{length:.1f}"/>' for start, length, cls in _lengths(bar, top))
        return (f'<svg class="bar-v" viewBox="0 0 1 {SCALE}" preserveAspectRatio="none" aria-hidden="true">'
                f"{rects}</svg>")
    rects = "".join(f'<rect class="{_e(cls)}" x="{start:.1f}" y="0" width="{length:.1f}" height="1"/>'
                    for start, length, cls in _lengths(bar, top))
    return f'<svg class="bar-h" viewBox="0 0 {SCALE} 1" preserveAspectRatio="none" aria-hidden="true">{rects}</svg>'


def _label(bar: Bar, text: str) -> str:
    """`text` is escaped markup of the label."""
    if bar.href:
        return f'<a class="label" href="{_e(bar.href)}" title="{_e(bar.label)}">{text}</a>'
    return f'<span class="label" title="{_e(bar.label)}">{text}</span>'


def bar_chart(bars: Sequence[Bar], title: str) -> str:
    """Horizontal bars, one row each, segments stacked, the total after the bar."""
    top = max((bar.total for bar in bars), default=0)
    rows = "".join(f'<div class="row" title="{_e(bar.tip)}">{_label(bar, _e(bar.label))}{_track(bar, top, False)}'
                   f'<span class="value">{bar.total}</span></div>' for bar in bars)
    return f'<div class="chart bars" role="group" aria-label="{_e(title)}">{rows}</div>'


def column_chart(bars: Sequence[Bar], title: str) -> str:
    """Vertical columns (horizontal bars on a narrow screen), the total above each column and its label
    below, split over two lines at its first space ("Nov" / "2026")."""
    top = max((bar.total for bar in bars), default=0)
    columns = []
    for bar in bars:
        first, _, second = bar.label.partition(" ")
        text = _e(first) + (f" <small>{_e(second)}</small>" if second else "")
        columns.append(f'<div class="column" title="{_e(bar.tip)}">{_label(bar, text)}{_track(bar, top, True)}'
                       f'{_track(bar, top, False)}<span class="value">{bar.total}</span></div>')
    return f'<div class="chart columns" role="group" aria-label="{_e(title)}">{"".join(columns)}</div>'
