from __future__ import annotations

import csv
import datetime as dt
import io

from editors_support import editors_report, record, review

from medlint.history import Week
from medlint.report import queue_csv


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_queue_as_csv() -> None:
    out = queue_csv.render(editors_report(dict([
        record("a", "clean"),
        record("b", "late", review("2026-01-01", "2026-11-01", "Dr Late")),
        record("c", "soon", review("2026-01-01", "2027-01-20", "Dr Soon")),
        record("d", "week", review("2026-01-01", "2026-12-01", "Dr Week")),
    ])))
    assert out.splitlines()[0] == ",".join(queue_csv.COLUMNS)
    table = rows(out)
    assert [(r["status"], r["days_until_due"], r["next_review_due"], r["path"]) for r in table] == [
        ("overdue", "-24", "2026-11-01", "records/b/late.yaml"), ("due-7", "6", "2026-12-01", "records/d/week.yaml"),
        ("due-60", "56", "2027-01-20", "records/c/soon.yaml")]
    assert table[0]["reviewers"] == "Dr Late, PharmD" and table[0]["last_reviewed"] == "2026-01-01"
    assert table[0]["record"] == "Zolgensma: Spinal muscular atrophy (SMA)" and table[0]["population"] == "pediatric"


def test_formulas_in_record_text_stay_text() -> None:
    fragment = (review("2026-01-01", "=HYPERLINK(\"http://evil\")", "=cmd|' /C calc'!A0") +
                "drug:\n  brand_name: '@SUM(1+1)'\n  generic_name: x\n  drug_class: y\n")
    table = rows(queue_csv.render(editors_report(dict([record("a", "b", fragment)]))))
    (row,) = table
    assert row["status"] == "no-date" and row["days_until_due"] == ""
    assert row["next_review_due"].startswith("'=") and row["reviewers"].startswith("'=")
    assert row["record"].startswith("'@")
    assert queue_csv.cell("-1") == "'-1" and queue_csv.cell("plain") == "plain"


def test_with_history_the_csv_is_the_weekly_trend() -> None:
    weeks = [Week(dt.date(2026, 11, 18), "", 0, 0, 0, 0, 0, 0), Week(dt.date(2026, 11, 25), "abc", 3, 2, 1, 1, 1, 0)]
    table = rows(queue_csv.render(editors_report(dict([record("a", "b")]))._replace(history=weeks)))
    assert table == [
        {"week_to": "2026-11-18", "commit": "", "records": "0", "errors": "0", "warnings": "0", "with_errors": "0",
         "overdue": "0", "due_soon": "0"},
        {"week_to": "2026-11-25", "commit": "abc", "records": "3", "errors": "2", "warnings": "1", "with_errors": "1",
         "overdue": "1", "due_soon": "0"}]
