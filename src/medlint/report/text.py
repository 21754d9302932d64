"""`path:line:col: CODE name message`, a hint line, and a summary: what authors read in a terminal."""
from __future__ import annotations

import unicodedata

from ..model import Severity
from .base import Report, plural

_RESET, _BOLD, _RED, _YELLOW, _CYAN, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[2m"
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _safe(text: str) -> str:
    """Record text must not drive the terminal (ESC, and CSI in its one-character form U+009B) nor hide or
    reorder what it shows (bidi overrides, zero-width and line-separator characters): those are escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch == "\t" or unicodedata.category(ch) not in _HIDDEN
                   else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" for ch in text)


def render(report: Report) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if report.color else text

    lines: list[str] = []
    for finding in report.active:
        colour = _RED if finding.severity is Severity.ERROR else _YELLOW
        where = paint(_BOLD, f"{_safe(finding.path)}:{finding.line}:{finding.column}:")
        code = paint(colour, f"{finding.code} {finding.name}")
        lines.append(f"{where} {code} {_safe(finding.message)}")
        hint = finding.hint
        if finding.fix is not None and finding.fix.safe:
            hint = f"{hint} [fixable: medlint fix]" if hint else "[fixable: medlint fix]"
        if hint:
            lines.append(paint(_CYAN, f"    hint: {_safe(hint)}"))
    counts = report.counts()
    if not report.active:
        summary = f"All clear: {plural(report.records, 'record')} checked, no problems found."
    else:
        summary = (f"Found {plural(counts['error'], 'error')} and {plural(counts['warning'], 'warning')} "
                   f"in {plural(report.files, 'file')}.")
        if counts["fixable"]:
            summary += f" {counts['fixable']} fixable with `medlint fix`."
    if counts["suppressed"]:
        summary += f" ({counts['suppressed']} suppressed inline.)"
    if counts["baselined"]:
        summary += f" ({counts['baselined']} baselined.)"
    lines.append(paint(_DIM, summary) if not report.active else summary)
    notice = report.baseline.stale_notice() if report.baseline else ""
    if notice:
        lines.append(paint(_YELLOW, f"warning: {_safe(notice)}"))
    return "\n".join(lines) + "\n"
