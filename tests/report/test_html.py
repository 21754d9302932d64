from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

from editors_support import HOSTILE, HOSTILE_URL, editors_report, hostile_record, record, review

from medlint.report import html


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


def render(*files: tuple[str, str], **fields: object) -> Page:
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


def test_overview_charts_queue_records_and_rule_docs() -> None:
    page = render(record("a", "clean"),
                  record("b", "late", "sumary: TODO\n" + review("2026-01-01", "2026-11-01", "Dr Late")),
                  record("c", "soon", review("2026-01-01", "2026-12-20", "Dr Soon")))
    text = " ".join(page.text)
    assert "3 records checked" in text
    assert len(page.all("svg")) == 4
    queue = [attrs["data-status"] for tag, attrs in page.tags if tag == "tr" and "data-status" in attrs
             and attrs["data-status"].startswith(("overdue", "due-"))]
    assert queue == ["overdue", "due-30"]
    assert "Dr Late, PharmD" in text and "Dr Soon, PharmD" in text
    cards = [attrs["id"] for attrs in page.all("article")]
    assert cards and all(anchor.startswith("rec-") for anchor in cards)
    rules = [attrs["id"] for attrs in page.all("section") if attrs.get("id", "").startswith("rule-")]
    assert "rule-ML102" in rules  # the unknown-field rule fired, so its docs are in the page
    hrefs = {attrs["href"] for attrs in page.all("a")}
    assert "#rule-ML102" in hrefs
    assert any(href.startswith("records/b/late.yaml") for href in hrefs)  # path:line links to the file


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
