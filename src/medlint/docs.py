"""Rule docs as Markdown: one text feeds `medlint explain`, SARIF help and the rule catalogue."""
from __future__ import annotations

from .rules.base import Rule

HEADINGS = ("What it does", "Why it matters", "Example", "Use instead", "References")


def _fence(text: str) -> str:
    return "```yaml\n" + text.rstrip("\n").replace("\ufeff", "<U+FEFF>") + "\n```"


def rule_markdown(rule: Rule) -> str:
    docs = rule.docs
    parts = [f"# {rule.code} {rule.name}", "",
             f"{rule.summary}", "",
             f"Family: {rule.family}. Default severity: {rule.severity.value}."
             + (" Fixable: `medlint fix` repairs it." if rule.fixable else ""), ""]
    sections = [(HEADINGS[0], docs.what), (HEADINGS[1], docs.why),
                (HEADINGS[2], _fence(docs.example) if docs.example else "(none: see What it does)"),
                (HEADINGS[3], _fence(docs.use_instead) if docs.use_instead else "(none)"),
                (HEADINGS[4], "\n".join(f"- {ref}" for ref in docs.references) or "- none")]
    for heading, body in sections:
        parts += [f"## {heading}", "", body, ""]
    if rule.options:
        parts += ["## Options", ""]
        parts += [f"- `{name}` (default `{option.default!r}`): {option.description}"
                  for name, option in rule.options.items()]
        parts.append("")
    return "\n".join(parts)


def catalogue_markdown(rules: tuple[Rule, ...]) -> str:
    lines = ["| code | name | family | severity | fixable | what it catches |", "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r.code} | `{r.name}` | {r.family} | {r.severity.value} | {'yes' if r.fixable else ''} | {r.summary} |"
              for r in rules]
    return "\n".join(lines) + "\n"
