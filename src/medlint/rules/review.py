"""Review dates: a record is reviewed in full on a schedule, and clinical changes need a new review.

Every date is measured against `context.today` (`--today`), so that CI runs are reproducible. Dates that
are not valid ISO dates (`2026-02-30`, `20260302`) are the schema's to report (ML104): these rules skip them.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Hit, Severity
from ..record import Record, iso_date
from .base import Docs, Rule, RuleContext, option

_POLICY = "House review policy (docs/record-format.md: `review`): full clinical review at least every 3 years"
_LAST: tuple[str, str] = ("review", "last_reviewed")
_NEXT: tuple[str, str] = ("review", "next_review_due")
_REVIEWERS = """  reviewers:
    - name: A. Reviewer
      credentials: PharmD
"""


def _block(last: str, due: str) -> str:
    """A whole `review:` block for docs examples (fragments replace top-level keys whole)."""
    return f"review:\n  last_reviewed: {last}\n  next_review_due: {due}\n{_REVIEWERS}"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


# --- dates in order ---------------------------------------------------------------------------

def _check_future(record: Record, context: RuleContext) -> Iterator[Hit]:
    last, _ = record.review_dates
    if last is not None and last > context.today:
        yield Hit(_LAST, f"`last_reviewed` is {last.isoformat()}, {_days((last - context.today).days)} after today "
                         f"({context.today.isoformat()}): a review cannot be signed in the future",
                  hint="write the date on which the full review was done", subject="last_reviewed")


REVIEW_DATE_IN_FUTURE = Rule(
    code="ML501", name="review-date-in-future", family="review", severity=Severity.ERROR,
    summary="The last review date is after today.",
    check=_check_future, check_table=_check_future,
    docs=Docs(
        what="Reports a `review.last_reviewed` date later than today (`--today`, default the current date).",
        why="A future review date makes a page look reviewed when it is not, and pushes every later check "
            "(overdue, due soon, changed since review) out by the same amount.",
        example=_block("2026-12-15", "2027-12-15"),
        use_instead=_block("2026-11-15", "2027-11-15"),
        references=(_POLICY,),
    ),
)


def _check_order(record: Record, context: RuleContext) -> Iterator[Hit]:
    last, due = record.review_dates
    if last is not None and due is not None and due <= last:
        yield Hit(_NEXT, f"`next_review_due` ({due.isoformat()}) is not after `last_reviewed` "
                         f"({last.isoformat()}): the dates are swapped or mistyped",
                  hint="set the next review date after the last review, within the review interval",
                  subject="next_review_due")


REVIEW_DUE_BEFORE_REVIEW = Rule(
    code="ML502", name="review-due-before-review", family="review", severity=Severity.ERROR,
    summary="The next review is due on or before the last review date.",
    check=_check_order, check_table=_check_order,
    docs=Docs(
        what="Reports a `review.next_review_due` that is not later than `review.last_reviewed`.",
        why="Swapped or mistyped dates make every review-schedule check meaningless: the record looks either "
            "permanently overdue or never due.",
        example=_block("2026-03-02", "2025-03-02"),
        use_instead=_block("2026-03-02", "2027-03-02"),
        references=(_POLICY,),
    ),
)


@dataclass(frozen=True)
class IntervalOptions:
    max_interval_days: int = option(1096, "the longest allowed time from last review to next review, in days "
                                          "(default 3 years, counting one leap day)")


def _check_interval(record: Record, context: RuleContext) -> Iterator[Hit]:
    last, due = record.review_dates
    options: IntervalOptions = context.options
    limit = options.max_interval_days
    if last is None or due is None or due <= last or (due - last).days <= limit:
        return
    yield Hit(_NEXT, f"`next_review_due` ({due.isoformat()}) is {_days((due - last).days)} after `last_reviewed` "
                     f"({last.isoformat()}); the review policy allows at most {_days(limit)}",
              hint=f"set it no later than {(last + dt.timedelta(days=limit)).isoformat()}",
              subject="next_review_due")


REVIEW_INTERVAL_TOO_LONG = Rule(
    code="ML503", name="review-interval-too-long", family="review", severity=Severity.ERROR,
    summary="The next review is due later than the review policy allows.",
    check=_check_interval, check_table=_check_interval,
    options=IntervalOptions,
    docs=Docs(
        what="Reports a `review.next_review_due` more than `max-interval-days` after `review.last_reviewed`. "
             "Exactly three years (1096 days when they span a 29 February) is allowed.",
        why="Labels change: new warnings, new doses, withdrawn indications. A page scheduled for review in "
            "five years will go out of date long before anyone looks at it.",
        example=_block("2026-03-02", "2031-03-02"),
        use_instead=_block("2026-03-02", "2029-03-02"),
        references=(_POLICY,),
    ),
)


# --- due dates --------------------------------------------------------------------------------

def _check_overdue(record: Record, context: RuleContext) -> Iterator[Hit]:
    _, due = record.review_dates
    if due is not None and context.today > due:
        yield Hit(_NEXT, f"the review was due on {due.isoformat()}, {_days((context.today - due).days)} ago: "
                         "the page may no longer match the current label",
                  hint="review the record against its sources, then update `last_reviewed` and `next_review_due`",
                  subject="next_review_due")


REVIEW_OVERDUE = Rule(
    code="ML504", name="review-overdue", family="review", severity=Severity.ERROR,
    summary="The record's next review date has passed.",
    check=_check_overdue, check_table=_check_overdue,
    docs=Docs(
        what="Reports a record whose `review.next_review_due` is before today. A review due today is not yet "
             "overdue (ML505 warns about it).",
        why="An overdue page is one nobody has checked against the current label for longer than the policy "
            "allows; it must not be published until it is reviewed.",
        example=_block("2025-06-02", "2026-06-02"),
        use_instead=_block("2026-03-02", "2027-03-02"),
        references=(_POLICY,),
    ),
)


@dataclass(frozen=True)
class DueSoonOptions:
    warning_days: int = option(60, "warn when the next review is due within this many days (inclusive)")


def _check_due_soon(record: Record, context: RuleContext) -> Iterator[Hit]:
    _, due = record.review_dates
    if due is None:
        return
    left = (due - context.today).days
    options: DueSoonOptions = context.options
    if 0 <= left <= options.warning_days:
        when = "today" if left == 0 else f"in {_days(left)}"
        yield Hit(_NEXT, f"the next review is due on {due.isoformat()}, {when}",
                  hint="schedule the review now, so that the page does not go overdue",
                  subject="next_review_due")


REVIEW_DUE_SOON = Rule(
    code="ML505", name="review-due-soon", family="review", severity=Severity.WARNING,
    summary="The record's next review is due within the warning window.",
    check=_check_due_soon, check_table=_check_due_soon,
    options=DueSoonOptions,
    docs=Docs(
        what="Warns when `review.next_review_due` is today or within `warning-days` days of today; the message "
             "gives the date and the days left.",
        why="A review takes time to schedule. A warning before the due date keeps pages from going overdue, "
            "which is an error that blocks publishing.",
        example=_block("2025-12-15", "2026-12-15"),
        use_instead=_block("2026-03-02", "2027-03-02"),
        references=(_POLICY,),
    ),
)


# --- changes since review ---------------------------------------------------------------------

def _check_sources(record: Record, context: RuleContext) -> Iterator[Hit]:
    last, _ = record.review_dates
    if last is None:
        return
    sources = record.data.get("sources")
    if not isinstance(sources, list):
        return
    for index, source in enumerate(sources):
        accessed = iso_date(source.get("accessed")) if isinstance(source, dict) else None
        if accessed is not None and accessed > last:
            title = source.get("title")
            yield Hit(("sources", index, "accessed"),
                      f"this source was accessed on {accessed.isoformat()}, after the last review "
                      f"({last.isoformat()}): content based on it has not had a full review",
                      hint="have the record reviewed and update `review.last_reviewed`, or correct the date",
                      subject=title if isinstance(title, str) else f"sources[{index}]")


SOURCE_ACCESSED_AFTER_REVIEW = Rule(
    code="ML506", name="source-accessed-after-review", family="review", severity=Severity.WARNING,
    summary="A source was accessed after the record's last review.",
    check=_check_sources, check_table=_check_sources,
    docs=Docs(
        what="Warns about a source whose `accessed` date is after `review.last_reviewed` (the same day is fine). "
             "It is a warning, not an error: the date is evidence, not proof, of an unreviewed change (an "
             "author may only have re-checked a link). The certain case, clinical content that differs from "
             "the base revision while `last_reviewed` did not change, is ML507, an error.",
        why="Authors record when they read a source to write content. A source read after the review means "
            "the text may have been changed from it without a full clinical review.",
        example="sources:\n  - title: ZOLGENSMA prescribing information\n    kind: prescribing-information\n"
                "    url: https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=ZOLGENSMA\n"
                "    accessed: 2026-04-10\n",
        use_instead="sources:\n  - title: ZOLGENSMA prescribing information\n    kind: prescribing-information\n"
                    "    url: https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=ZOLGENSMA\n"
                    "    accessed: 2026-02-27\n",
        references=(_POLICY,),
    ),
)


@dataclass(frozen=True)
class ChangedOptions:
    fields: tuple[str, ...] = option(("indication", "summary", "sections", "dosing", "warnings"),
                                     "the top-level blocks that hold clinical content")


def _check_changed(record: Record, context: RuleContext) -> Iterator[Hit]:
    previous = context.previous
    if previous is None:
        return  # a new record, or no --changed-since: nothing to compare with
    review, before = record.data.get("review"), previous.data.get("review")
    if not isinstance(review, dict) or not isinstance(before, dict):
        return
    last = review.get("last_reviewed")
    if not isinstance(last, str) or last != before.get("last_reviewed"):
        return
    options: ChangedOptions = context.options
    changed = [key for key in options.fields if record.data.get(key) != previous.data.get(key)]
    if changed:
        yield Hit(_LAST, f"content changed without a new review: {', '.join(f'`{key}`' for key in changed)} "
                         f"changed but `last_reviewed` is still {last}",
                  hint="have the change reviewed, then set `last_reviewed` to the review date "
                       "(and `next_review_due` from it)",
                  subject="last_reviewed")


CONTENT_CHANGED_WITHOUT_REVIEW = Rule(
    code="ML507", name="content-changed-without-review", family="review", severity=Severity.ERROR,
    summary="Clinical content changed since the base revision while the review date did not.",
    check=_check_changed, check_table=_check_changed,
    options=ChangedOptions,
    docs=Docs(
        what="With `--changed-since REV` (as on a pull request), compares the record with the same file at REV. "
             "When any clinical block (indication, summary, sections, dosing, warnings) differs in value while "
             "`review.last_reviewed` is unchanged, it reports the review date. Changes to comments, layout, "
             "sources or reviewers alone do not count. New records and runs without `--changed-since` are not "
             "checked. The Example is compared with the same record before its boxed warning was edited.",
        why="A page is only as trustworthy as its last review. An edit to a dose or a warning that goes out "
            "under an old review date tells readers it was checked when it was not.",
        example="warnings:\n  boxed: Acute serious liver injury and acute liver failure\n",
        use_instead="warnings:\n  boxed: Acute serious liver injury and acute liver failure\n"
                    + _block("2026-11-20", "2027-11-20"),
        references=(_POLICY, "House review policy: on a pull request, changed clinical content needs a new review"),
    ),
)

RULES: tuple[Rule, ...] = (REVIEW_DATE_IN_FUTURE, REVIEW_DUE_BEFORE_REVIEW, REVIEW_INTERVAL_TOO_LONG, REVIEW_OVERDUE,
                           REVIEW_DUE_SOON, SOURCE_ACCESSED_AFTER_REVIEW, CONTENT_CHANGED_WITHOUT_REVIEW)
