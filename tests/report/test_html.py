from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from editors_support import HOSTILE, HOSTILE_URL, editors_report, hostile_record, record, review, site
from support import TODAY

from medlint.history import Week
from medlint.report import html, html_markup


class Page(HTMLParser):
    """Every element with its attributes, the text, and the contents of <script> and <style>."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in = tag if tag in self.raw else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in].append(data)
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


def render(*files: tuple[str, str], **fields: Any) -> Page:
    return Page(html.render(editors_report(dict(files), **fields)))


def test_the_page_is_self_contained() -> None:
    out = html.render(editors_report(dict([record("a", "b", review("2026-01-01", "2026-12-01"))])))
    page = Page(out)
    assert out.startswith("<!DOCTYPE html>")
    assert not page.all("link") and not page.all("img") and not page.all("iframe")
    assert all("src" not in attrs for _, attrs in page.tags)  # nothing loaded, inline script included
    assert not re.search(r"@import|url\(", "".join(page.raw["style"]))
    assert not re.search(r"fetch\(|XMLHttpRequest|import\(", "".join(page.raw["script"]))


def test_the_content_security_policy_allows_exactly_the_page_own_script_and_style() -> None:
    page = render(record("a", "b"))
    policy = next(a["content"] for a in page.all("meta") if a.get("http-equiv") == "Content-Security-Policy")
    for kind in ("script", "style"):
        (body,) = page.raw[kind]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy


def live(html_text: str) -> str:
    """The page as a browser that runs scripts parses it: each <noscript> is raw text, not elements."""
    return re.sub(r"<noscript[^>]*>.*?</noscript>", "", html_text, flags=re.S)


def test_work_first_then_queue_overview_records_and_rule_docs() -> None:
    out = html.render(editors_report(dict([
        record("a", "clean"),
        record("b", "late", "sumary: TODO\n" + review("2026-01-01", "2026-11-01", "Dr Late")),
        record("c", "soon", review("2026-01-01", "2026-11-30", "Dr Soon")),
        record("d", "later", review("2026-01-01", "2027-01-20", "Dr Late"))])))
    page = Page(out)
    text = " ".join(page.text)
    assert "4 records checked" in text
    sections = [attrs["id"] for attrs in page.all("section") if attrs.get("id") in
                ("work", "queue", "trend", "overview", "records", "rules")]
    assert sections == ["work", "queue", "overview", "records", "rules"]  # no history asked: no trend
    assert [a["href"] for a in page.all("a")][:5] == ["#work", "#queue", "#overview", "#records", "#rules"]
    groups = [attrs["data-group"] for attrs in page.all("section") if "data-group" in attrs]
    # the reviewers, the queue's buckets, the drugs' dose-limit coverage, then the records (the due-soon ones
    # have ML505 warnings)
    assert groups == ["all", "overdue", "due-7", "due-60", "all", "error", "warning", "clean"]
    rows = [attrs for attrs in page.all("tr") if "data-reviewers" in attrs]
    assert [r["data-reviewers"] for r in rows] == ["dr-late-pharmd", "dr-soon-pharmd", "dr-late-pharmd"]
    reviewers = [attrs for attrs in page.all("tr") if attrs.get("id", "").startswith("reviewer-")]
    assert [(r["id"], r["data-state"]) for r in reviewers] == [
        ("reviewer-dr-late-pharmd", "queue?reviewer=dr-late-pharmd"),
        ("reviewer-dr-soon-pharmd", "queue?reviewer=dr-soon-pharmd")]
    assert "Dr Late, PharmD" in text and "Dr Soon, PharmD" in text
    cards = [attrs for attrs in page.all("details") if "record" in attrs.get("class", "")]
    assert len(cards) == 3 and all(c["id"].startswith("rec-") and "open" not in c for c in cards)  # collapsed
    assert cards[0]["data-families"] == "review sections structure"  # TODO is a placeholder too
    assert "rule-ML102" in [attrs.get("id") for attrs in page.all("section")]  # the unknown-field rule's docs
    hrefs = {attrs["href"] for attrs in page.all("a")}
    assert {"#records?show=error&family=structure", "#queue?reviewer=dr-late-pharmd&status=overdue"} <= hrefs
    assert any(href.startswith("records/b/late.yaml") for href in hrefs)  # path:line links to the file
    assert len([attrs for attrs in page.all("div") if "chart" in attrs.get("class", "")]) == 4
    controls = [attrs for attrs in page.all("div") if "controls" in attrs.get("class", "").split()]
    assert len(controls) == 2 and all("js-only" in c["class"] for c in controls)  # scripts only
    assert not page.all("button")  # sort buttons are made by the script; without it, headings are text


def test_long_lists_keep_their_first_items_and_fold_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html, "QUEUE_FIRST", 2)
    monkeypatch.setattr(html_markup, "CHUNK", 2)
    files = dict(record(f"drug{i}", "x", review("2026-01-01", f"2026-11-{10 + i}", f"Dr {i}")) for i in range(7))
    out = html.render(editors_report(files))
    overdue = re.search(r'<section class="group" data-group="overdue".*?</section>', out, re.S)
    assert overdue and 'data-total="7"' in overdue.group()
    first = re.findall(r"records/drug(\d)/x\.yaml</div>", live(overdue.group()))
    assert first == ["0", "1"]  # soonest first: the only rows a browser with scripts lays out at first
    chunks = re.findall(r"<noscript data-chunk>(.*?)</noscript>", overdue.group(), re.S)
    assert [re.findall(r"records/drug(\d)/x\.yaml</div>", chunk) for chunk in chunks] == [["2", "3"], ["4", "5"],
                                                                                          ["6"]]
    assert [re.search(r"<summary>(.*?)</summary>", chunk).group(1) for chunk in chunks] == [  # type: ignore[union-attr]
        "Rows 3–4 of 7", "Rows 5–6 of 7", "Row 7 of 7"]
    assert all("<details" in chunk for chunk in chunks)  # folded without scripts
    every = re.findall(r"records/drug\d/x\.yaml</div>", "".join(c.group() for c in re.finditer(
        r'<section id="queue".*?</section>\s*(?=<section id="overview")', out, re.S)))
    assert len(every) == len(set(every)) == 7  # no record listed twice in the queue


def test_dose_limit_coverage_by_drug_pages_at_thousands_of_drugs() -> None:
    out = html.render(site(1_000))
    coverage = re.search(r'<div id="limits" data-list.*?</section></div>', out, re.S)
    assert coverage and 'data-total="1000"' in coverage.group() and 'data-page-key="dpage"' in coverage.group()
    shown = re.findall(r'<tr data-item><th scope="row">(drug-\d+)</th><td>(.*?)</td>', live(coverage.group()))
    assert shown == [(f"drug-{i:05d}", '<span class="muted">none</span>') for i in range(0, 30, 3)]  # least first
    chunks = re.findall(r"<noscript data-chunk>(.*?)</noscript>", coverage.group(), re.S)
    assert len(chunks) == 10 and "Drugs 11–110 of 1,000" in chunks[0]
    assert '<td>limits/drug-00998.yaml</td><td class="n">1</td><td class="n">1 of 2</td>' in chunks[-1]


def test_findings_show_code_points_of_characters_a_font_may_lack() -> None:
    page = render(record("a", "b", "indication:\n  condition: x ร\n  population: adult\n"))
    chips = [attrs for attrs in page.all("span") if attrs.get("class") == "cp"]
    assert {"title": "U+0E23 THAI CHARACTER RO RUA", "class": "cp"} in chips
    assert "U+0E23" in page.text


def test_the_trend_of_a_history_run() -> None:
    editors = editors_report(dict([record("a", "b")]))._replace(history=[
        Week(TODAY - dt.timedelta(days=7), "", 0, 0, 0, 0, 0, 0),
        Week(TODAY, "0123456789abcdef", 1, 2, 1, 1, 0, 1)])
    page = Page(html.render(editors))
    assert "trend" in [attrs.get("id") for attrs in page.all("section")]
    text = " ".join(page.text)
    assert "From 2026-11-25 to 2026-11-25: errors unchanged at 2" in text
    assert "0123456789" in text and "none" in text
    labels = [attrs["aria-label"] for attrs in page.all("div") if "aria-label" in attrs]
    assert "Errors and warnings, week by week" in labels


def test_links_follow_the_template() -> None:
    page = render(record("b", "late", "sumary: TODO\n"), link_template="https://git.example/blob/main/{path}#L{line}")
    hrefs = [attrs["href"] for attrs in page.all("a") if attrs.get("class") == "loc"]
    assert any(re.fullmatch(r"https://git\.example/blob/main/records/b/late\.yaml#L\d+", h) for h in hrefs)


def test_a_hostile_record_renders_as_inert_text() -> None:
    out = html.render(editors_report(dict([hostile_record(), record("a", "b")])))
    page = Page(out)
    assert len(page.all("script")) == 1  # only the page's own
    handlers = [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    assert handlers == []
    assert not page.all("img")
    for _, attrs in page.tags:
        for value in attrs.values():
            assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), value
    text = "".join(page.text)
    assert text.count(HOSTILE) >= 5  # shown as text: titles, names, reviewers, sources
    assert HOSTILE_URL in text  # the URL is shown, not linked
    assert "window.__pwned" not in "".join(page.raw["script"])


def test_hostile_file_paths_are_escaped_in_text_and_links() -> None:
    _, text = record("a", "b", "sumary: TODO\n")
    evil = 'records/a/"><svg onload=alert(1)>.yaml'
    page = render((evil, text))
    assert not page.all("svg") or all("onload" not in attrs for attrs in page.all("svg"))
    assert evil in "".join(page.text)
    assert any(attrs.get("title", "").startswith(evil) for _, attrs in page.tags)


def test_an_empty_corpus_still_renders() -> None:
    page = Page(html.render(editors_report({})))
    text = " ".join(page.text)
    assert "0 records checked" in text and "No findings." in text and "No review is overdue" in text
    assert "No rule found anything." in text  # the navigation's #rules still lands somewhere
