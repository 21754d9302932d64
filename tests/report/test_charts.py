from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from medlint.report.svg import Bar, bar_chart, column_chart
from medlint.summary import Bucket

SVG = "{http://www.w3.org/2000/svg}"


def rects(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(SVG + "rect"))


def test_bar_chart_scales_stacks_and_escapes() -> None:
    svg = bar_chart([Bar("<b>one</b> & two", ((3, "error"), (1, "warning")), "#rule-ML101"),
                     Bar("zero", ((0, "error"),))], "Findings <by> rule")
    root = ET.fromstring(svg)  # well-formed XML: every label was escaped
    assert root.find(SVG + "title").text == "Findings <by> rule"  # type: ignore[union-attr]
    bars = rects(svg)
    assert [bar.get("class") for bar in bars] == ["bar error", "bar warning"]  # nothing drawn for a zero
    widths = [float(bar.get("width", 0)) for bar in bars]
    assert widths[0] == 3 * widths[1] > 0
    assert float(bars[1].get("x", 0)) == float(bars[0].get("x", 0)) + widths[0]
    assert "<b>" not in svg and "&lt;b&gt;one&lt;/b&gt; &amp; two" in svg
    assert [a.get("href") for a in root.iter(SVG + "a")] == ["#rule-ML101"]


def test_long_labels_are_cut_but_kept_whole_in_the_tooltip() -> None:
    label = "ML999 " + "a-very-long-rule-name-" * 5
    svg = bar_chart([Bar(label, ((1, "error"),))], "t", width=520, label_width=110)
    texts = [t.text or "" for t in ET.fromstring(svg).iter(SVG + "text")]
    assert texts[0].endswith("\u2026") and len(texts[0]) < len(label)
    assert label in svg


def test_column_chart_highlights_overdue_and_labels_months() -> None:
    svg = column_chart([Bucket("Overdue", 2, True), Bucket("Nov 2026", 4), Bucket("Dec 2026", 0)], "Due")
    bars = rects(svg)
    assert [bar.get("class") for bar in bars] == ["bar overdue", "bar due"]
    assert float(bars[1].get("height", 0)) == 2 * float(bars[0].get("height", 0)) > 0
    labels = [t.text for t in ET.fromstring(svg).iter(SVG + "text")]
    assert labels.count("0") == 1 and "Nov" in labels and "2026" in labels


def test_empty_charts_are_still_valid_svg() -> None:
    for svg in (bar_chart([], "nothing"), column_chart([], "nothing")):
        assert ET.fromstring(svg).tag == SVG + "svg"
        assert not re.search(r"nan|inf", svg)
