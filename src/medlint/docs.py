"""Rule docs as Markdown: one text feeds `medlint explain`, SARIF help and the rule catalogue."""
from __future__ import annotations

from .rules.base import Rule

HEADINGS = ("What it does", "Why it matters", "Example", "Use instead", "References")


def _fence(text: str) -> str:
    return "```yaml\n" + text.rstrip("\n").replace("\ufeff", "<U+FEFF>") + "\n```"


def _example(rule: Rule, text: str, table: bool) -> str:
    """A record fragment; a whole file of another kind under its name; or a record with the dose-limit table
    it is checked against (shown once, under Example)."""
    docs = rule.docs
    if docs.example_file:
        return f"`{docs.example_file}`:\n\n{_fence(text)}"
    if docs.example_limits and table:
        table_text = _fence(docs.example_limits)
        return f"{_fence(text)}\n\nchecked against the drug's table, `limits/<drug>.yaml`:\n\n{table_text}"
    return _fence(text)


def rule_markdown(rule: Rule) -> str:
    docs = rule.docs
    parts = [f"# {rule.code} {rule.name}", "",
             f"{rule.summary}", "",
             f"Family: {rule.family}. Default severity: {rule.severity.value}."
             + (" Fixable: `medlint fix` repairs it." if rule.fixable else "")
             + ("" if rule.default_enabled else f" Opt-in: off unless selected by its code, name or family "
                                                 f"(`extend-select = [\"{rule.family}\"]`, `--select {rule.family}`)."),
             ""]
    sections = [(HEADINGS[0], docs.what), (HEADINGS[1], docs.why),
                (HEADINGS[2], _example(rule, docs.example, True) if docs.example else "(none: see What it does)"),
                (HEADINGS[3], _example(rule, docs.use_instead, False) if docs.use_instead else "(none)"),
                (HEADINGS[4], "\n".join(f"- {ref}" for ref in docs.references) or "- none")]
    for heading, body in sections:
        parts += [f"## {heading}", "", body, ""]
    if rule.option_list():
        parts += ["## Options", ""]
        parts += [f"- `{option.name}` (default `{option.default!r}`): {option.description}"
                  for option in rule.option_list()]
        parts.append("")
    return "\n".join(parts)


def rule_url(docs_url: str, rule: Rule) -> str:
    """The rule's section of rules.md in the docs folder published at `docs_url` (the config's `docs-url`),
    by the anchor GitHub gives its heading (`## ML301 unknown-unit` -> `#ml301-unknown-unit`)."""
    return f"{docs_url}/rules.md#{rule.code.lower()}-{rule.name}"


def catalogue_markdown(rules: tuple[Rule, ...]) -> str:
    lines = ["| code | name | family | severity | fixable | what it catches |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r.code} | `{r.name}` | {r.family}{'' if r.default_enabled else ' (opt-in)'} | {r.severity.value} | "
              f"{'yes' if r.fixable else ''} | {r.summary} |" for r in rules]
    return "\n".join(lines) + "\n"


SEVERITY_POLICY = """\
## Severity policy

A rule's default severity says what its finding does to a reader of the published page. Errors fail
`medlint check` (exit 1) and so block the merge; warnings are reported and do not.

- **error**: the record is wrong or misreadable as written, and that can harm a patient or break the page.
  - Harm: a dose that can be read or taken at the wrong size (a tenfold slip or a unit swap between the text
    and the dosing, an error-prone unit or abbreviation such as `U`, `µg` or `qd`, `1.0 mg`, `.5 mg`,
    `10mg`, `100000 units`, `1.1 x 10^14`, mg and mcg mixed for one population, a cap below its dose), a dose
    for the wrong population or age, a contradiction about how the medicine is given (stopping advice on a
    one-time therapy), and clinical content published past its review or changed without one.
  - Breaking the page: a record that cannot be read, validated or shown as written (invalid YAML, a schema
    error, a wrong or duplicate id, one drug's names spelt two ways, placeholder text, mis-encoded, foreign
    or invisible characters), and anything that breaks the gate itself (a rule that crashed, a suppression
    without a reason).
- **warning**: style, consistency and reminders, which a careful reader gets past without risk: readability,
  capitalisation, a byte-order mark, the indication repeated as template residue, related units across dose
  entries (mg/kg and mg), a source accessed after the review, a review falling due, a suppression that
  suppresses nothing.
  Also a warning: a finding where medlint cannot know that the page is wrong (a weight-based dose without a
  cap: the label may give none), and a dose in the text that disagrees with the dose table by other than a
  power of ten or a unit (the page shows the table beside it; the slips of scale are the error ML313).

`[tool.medlint.severity]` changes a rule's severity for a project; the defaults in the table below follow
this policy.
"""


def reference_markdown(rules: tuple[Rule, ...]) -> str:
    """docs/rules.md: the severity policy, the catalogue table, then every rule's docs
    (`medlint rules --format markdown`)."""
    parts = ["# medlint rules", "",
             "Generated by `medlint rules --format markdown` from the rule registry; a test keeps it current.",
             "`medlint explain CODE` prints one rule.", "", SEVERITY_POLICY, "## Rules", "", catalogue_markdown(rules)]
    for rule in rules:
        parts.append(rule_markdown(rule).replace("\n## ", "\n### ").replace("# ", "## ", 1))
    return "\n".join(parts)
