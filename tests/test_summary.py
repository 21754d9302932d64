from __future__ import annotations

import datetime as dt

from support import BASE, ROOT, TODAY, limit_set, merge, run_config, source

from medlint import engine
from medlint.summary import SUMMARY, CitedSource, RecordSummary, by_population, due_by_month, review_queue, summarise

TABLE = (ROOT / "limits" / "zolgensma.yaml").read_text(encoding="utf-8")


def summary_of(fragment: str = "", path: str = "records/zolgensma/spinal-muscular-atrophy.yaml") -> RecordSummary:
    record = source(merge(fragment)[0] if fragment else BASE, path).record
    assert record is not None
    return summarise(record)


def record(path: str, due: dt.date | None, population: str = "adult") -> RecordSummary:
    return RecordSummary(path, None, None, None, None, population, None, due, "" if due else "soon", 1, (), ())


def test_summary_of_a_clean_record() -> None:
    summary = summary_of()
    assert summary.id == "zolgensma/spinal-muscular-atrophy"
    assert summary.title == "Zolgensma: Spinal muscular atrophy (SMA)"
    assert summary.population == "pediatric"
    assert summary.last_reviewed == dt.date(2026, 3, 2)
    assert summary.next_review_due == dt.date(2027, 3, 2)
    assert summary.due_as_written == ""
    assert summary.reviewers == ("A. Reviewer, PharmD",)
    assert summary.sources[0].title == "ZOLGENSMA prescribing information"
    assert summary.sources[0].url.startswith("https://dailymed.nlm.nih.gov/")
    assert BASE.splitlines()[summary.due_line - 1].strip().startswith("next_review_due:")


def test_summary_survives_a_record_of_the_wrong_shape() -> None:
    summary = summary_of("drug: 3\nindication: [a]\nreview:\n  next_review_due: next spring\n  reviewers: nobody\n"
                         "sources: {title: x}\n")
    assert (summary.brand_name, summary.condition, summary.population) == (None, None, "not stated")
    assert summary.next_review_due is None and summary.due_as_written == "next spring"
    assert summary.reviewers == () and summary.sources == ()
    assert summary.title == "zolgensma/spinal-muscular-atrophy"


def test_impossible_and_non_iso_dates_are_not_dates() -> None:
    assert summary_of("review:\n  last_reviewed: 2026-02-30\n  next_review_due: 20270302\n"
                      "  reviewers: [{name: B}]\n").next_review_due is None
    assert summary_of("review:\n  last_reviewed: 2026-02-30\n  next_review_due: 2027-03-02\n"
                      "  reviewers: [{name: B}]\n").last_reviewed is None


def test_reviewer_without_credentials_and_untitled_source() -> None:
    summary = summary_of("review:\n  last_reviewed: 2026-03-02\n  next_review_due: 2027-03-02\n"
                         "  reviewers: [{name: B. Editor}, {credentials: MD}]\nsources: [{url: 'https://x.org'}]\n")
    assert summary.reviewers == ("B. Editor",)
    assert summary.sources == (CitedSource("(untitled source)", "https://x.org"),)


def test_the_engine_extracts_the_summary_in_the_lint_pass_when_asked() -> None:
    result = engine.lint_source(source(BASE), run_config(), engine.Run(TODAY), (SUMMARY,))
    assert result.facts is not None and SUMMARY.of(result.facts) == summary_of()._replace(drug="zolgensma",
                                                                                         dose_entries=1)
    run = engine.Run(TODAY, limits=limit_set(TABLE))
    covered = engine.lint_source(source(BASE), run_config(), run, (SUMMARY,))
    assert covered.facts is not None
    assert SUMMARY.of(covered.facts) == summary_of()._replace(drug="zolgensma", dose_entries=1, limited_entries=1,
                                                              limits_table="limits/zolgensma.yaml")
    assert engine.lint_source(source(b"\x00"), run_config(), engine.Run(TODAY), (SUMMARY,)).facts is None
    unasked = engine.lint_source(source(BASE), run_config(), engine.Run(TODAY)).facts
    assert unasked is not None and "summary" not in dict(unasked.values)


def test_review_queue_buckets_and_order() -> None:
    days = {"a": -400, "b": -1, "c": 0, "c7": 7, "d8": 8, "d": 30, "e": 31, "f": 60, "g": 61, "h": 90, "i": 91}
    records = [record(name, TODAY + dt.timedelta(days=offset)) for name, offset in days.items()]
    records.append(record("z", None))
    rows = review_queue(records, TODAY)
    assert [(row.record.path, row.status, row.days) for row in rows] == [
        ("z", "no-date", None), ("a", "overdue", -400), ("b", "overdue", -1), ("c", "due-7", 0),
        ("c7", "due-7", 7), ("d8", "due-30", 8), ("d", "due-30", 30), ("e", "due-60", 31), ("f", "due-60", 60),
        ("g", "due-90", 61), ("h", "due-90", 90)]
    assert rows[0].label == "No valid due date" and rows[1].label == "Overdue" and rows[3].label == "Due within 7 days"


def test_due_by_month_puts_each_date_in_its_month() -> None:
    dates = [dt.date(2026, 11, 24), dt.date(2020, 1, 1), dt.date(2026, 11, 25), dt.date(2026, 11, 30),
             dt.date(2026, 12, 1), dt.date(2027, 10, 31), dt.date(2027, 11, 1), None]
    buckets = due_by_month([record(str(i), due) for i, due in enumerate(dates)], TODAY)
    assert buckets[0] == ("Overdue", 2, True)
    assert buckets[1] == ("Nov 2026", 2, False)
    assert buckets[2] == ("Dec 2026", 1, False)
    assert buckets[12] == ("Oct 2027", 1, False)
    assert buckets[13] == ("Later", 1, False)
    assert len(buckets) == 14 and sum(b.total for b in buckets) == 7


def test_by_population_lists_the_vocabulary_and_unknowns_only_when_present() -> None:
    assert [tuple(b) for b in by_population([record("a", None, "adult")])] == [
        ("pediatric", 0, False), ("adult", 1, False), ("all", 0, False)]
    assert by_population([record("a", None, "not stated")])[-1] == ("not stated", 1, False)
