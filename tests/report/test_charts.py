from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from medlint.report.charts import SCALE, Bar, bar_chart, column_chart


def tree(html: str) -> ET.Element:
    return ET.fromstring(html)  # well-formed XML: every label was escaped


def rects(element: ET.Element, cls: str) -> list[ET.Element]:
    return [rect for svg in element.iter("svg") if svg.get("class") == cls for rect in svg.iter("rect")]


def test_bar_chart_scales_stacks_and_escapes() -> None:
    html = bar_chart([Bar("<b>one</b> & two", ((3, "error"), (1, "warning")), "#rule-ML101"),
                      Bar("zero", ((0, "error"),))], "Findings <by> rule")
    root = tree(html)
    assert root.get("aria-label") == "Findings <by> rule"
    bars = rects(root, "bar-h")
    assert [bar.get("class") for bar in bars] == ["error", "warning"]  # nothing drawn for a zero
    widths = [float(bar.get("width", 0)) for bar in bars]
    assert widths == [SCALE * 3 / 4, SCALE / 4]  # the longest bar fills its track
    assert float(bars[1].get("x", 0)) == widths[0]
    assert "<b>" not in html and "&lt;b&gt;one&lt;/b&gt; &amp; two" in html
    labels = [element for element in root.iter() if element.get("class") == "label"]
    assert [label.tag for label in labels] == ["a", "span"] and labels[0].get("href") == "#rule-ML101"
    assert [label.text for label in labels] == ["<b>one</b> & two", "zero"]  # labels are text, not drawing
    assert [v.text for v in root.iter("span") if v.get("class") == "value"] == ["4", "0"]


def test_a_small_value_stays_visible() -> None:
    (bar,) = rects(tree(bar_chart([Bar("big", ((10_000, "error"),)), Bar("small", ((1, "error"),))], "t")),
                   "bar-h")[1:]
    assert float(bar.get("width", 0)) > 0.5 * 10


def test_column_chart_draws_each_column_both_ways_and_labels_months() -> None:
    root = tree(column_chart([Bar("Overdue", ((2, "overdue"),)), Bar("Nov 2026", ((4, "due"),)),
                              Bar("Dec 2026", ((0, "due"),))], "Due"))
    upright, flat = rects(root, "bar-v"), rects(root, "bar-h")  # columns, and bars on a narrow screen
    assert [bar.get("class") for bar in upright] == [bar.get("class") for bar in flat] == ["overdue", "due"]
    heights = [float(bar.get("height", 0)) for bar in upright]
    assert heights == [SCALE / 2, SCALE] and float(upright[1].get("y", 1)) == 0  # drawn up from the bottom
    assert [float(bar.get("width", 0)) for bar in flat] == heights
    labels = ["".join(element.itertext()) for element in root.iter() if element.get("class") == "label"]
    assert labels == ["Overdue", "Nov 2026", "Dec 2026"]
    assert [small.text for small in root.iter("small")] == ["2026", "2026"]


def test_stacked_columns() -> None:
    upright = rects(tree(column_chart([Bar("1 Jun", ((3, "error"), (1, "warning")))], "Week")), "bar-v")
    assert [(bar.get("class"), float(bar.get("y", 0)), float(bar.get("height", 0))) for bar in upright] == [
        ("error", SCALE / 4, SCALE * 3 / 4), ("warning", 0, SCALE / 4)]


def test_empty_charts_are_still_valid() -> None:
    for html in (bar_chart([], "nothing"), column_chart([], "nothing")):
        assert tree(html).get("aria-label") == "nothing"
        assert not re.search(r"nan|inf", html)
