"""Hand-written inline SVG charts: no chart library, no network, nothing to load, and every label escaped.

Colours come from CSS classes in the report's stylesheet (`fill` is never set inline), so a chart follows
the page's palette and the page's Content-Security-Policy needs no inline styles.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from ..escaping import visible
from ..summary import Bucket

WIDTH = 1100  # viewBox units; the page scales a chart to its panel, so these are about CSS pixels
_ROW = 26  # height of one horizontal bar's row
_LABEL = 300  # default width of the label column of a horizontal bar chart
_CHAR = 7  # roughly the width of one 12px label character, to cut labels that would not fit


class Bar(NamedTuple):
    label: str
    segments: tuple[tuple[int, str], ...]  # (value, CSS class), drawn left to right
    href: str = ""  # an in-page anchor ("#rule-ML301"); never built from record text

    @property
    def total(self) -> int:
        return sum(value for value, _ in self.segments)


def _e(text: object) -> str:
    return escape(visible(str(text)), quote=True)


def _cut(label: str, room: int) -> str:
    most = max(4, room // _CHAR)
    return label if len(label) <= most else label[: most - 1] + "\u2026"


def _frame(title: str, width: int, height: int, body: list[str]) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg"><title>{_e(title)}</title>'
            + "".join(body) + "</svg>")


def bar_chart(bars: Sequence[Bar], title: str, width: int = WIDTH, label_width: int = _LABEL) -> str:
    """Horizontal bars, one row each, segments stacked, the total written after the bar."""
    height = max(1, len(bars)) * _ROW + 8
    plot = width - label_width - 56
    top = max((bar.total for bar in bars), default=0) or 1
    body: list[str] = [f'<line class="axis" x1="{label_width}" y1="4" x2="{label_width}" y2="{height - 4}"/>']
    for index, bar in enumerate(bars):
        y = 4 + index * _ROW
        tip = f"{bar.label}: " + ", ".join(f"{value} {cls}" for value, cls in bar.segments if value)
        row = [f'<title>{_e(tip if bar.total else bar.label + ": 0")}</title>',
               f'<text class="label" x="{label_width - 8}" y="{y + _ROW / 2 + 4:.0f}" text-anchor="end">'
               f'{_e(_cut(bar.label, label_width - 12))}</text>']
        x = float(label_width)
        for value, cls in bar.segments:
            if value:
                length = max(2.0, plot * value / top)
                row.append(f'<rect class="bar {_e(cls)}" x="{x:.1f}" y="{y + 4}" width="{length:.1f}" '
                           f'height="{_ROW - 8}" rx="2"/>')
                x += length
        row.append(f'<text class="value" x="{x + 6:.1f}" y="{y + _ROW / 2 + 4:.0f}">{bar.total}</text>')
        group = "".join(row)
        body.append(f'<a href="{_e(bar.href)}">{group}</a>' if bar.href else f"<g>{group}</g>")
    return _frame(title, width, height, body)


def column_chart(buckets: Sequence[Bucket], title: str, width: int = WIDTH) -> str:
    """Vertical columns, one per bucket (overdue ones highlighted), the count above each column and the
    bucket's label below it, split over two lines at its first space ("Nov" / "2026")."""
    height, base, top_margin = 230, 180, 22
    step = width / max(1, len(buckets))
    column = min(step * 0.62, 56.0)
    top = max((bucket.total for bucket in buckets), default=0) or 1
    body = [f'<line class="axis" x1="0" y1="{base}" x2="{width}" y2="{base}"/>']
    for index, bucket in enumerate(buckets):
        centre = step * index + step / 2
        length = (base - top_margin) * bucket.total / top
        cls = "overdue" if bucket.overdue else "due"
        first, _, second = bucket.label.partition(" ")
        parts = [f"<title>{_e(bucket.label)}: {bucket.total}</title>"]
        if bucket.total:
            parts.append(f'<rect class="bar {cls}" x="{centre - column / 2:.1f}" y="{base - length:.1f}" '
                         f'width="{column:.1f}" height="{length:.1f}" rx="2"/>')
        parts.append(f'<text class="value{" overdue-text" if bucket.overdue and bucket.total else ""}" '
                     f'x="{centre:.1f}" y="{base - length - 6:.1f}" text-anchor="middle">{bucket.total}</text>')
        parts.append(f'<text class="label" x="{centre:.1f}" y="{base + 18}" text-anchor="middle">{_e(first)}</text>')
        if second:
            parts.append(f'<text class="label minor" x="{centre:.1f}" y="{base + 34}" '
                         f'text-anchor="middle">{_e(second)}</text>')
        body.append("<g>" + "".join(parts) + "</g>")
    return _frame(title, width, height, body)
