"""Reads of the language guidance counts, scoped to the asking user's partnership."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User

from .models import LanguageFeedback
from .phrases import phrase_book


def language_feedback_visible_to(*, user: User) -> QuerySet[LanguageFeedback]:
    scope = scope_for(user, Permission.VIEW_LANGUAGE_REPORT)
    if scope is None or user.agency_id is None:
        return LanguageFeedback.objects.none()
    if scope is Scope.ALL:
        return LanguageFeedback.objects.filter(agency__partnership_id=user.partnership_id)
    if scope is Scope.AGENCY:
        return LanguageFeedback.objects.filter(agency_id=user.agency_id)
    return LanguageFeedback.objects.none()


@dataclass(frozen=True)
class Counts:
    shown: int
    accepted: int
    ignored: int

    @property
    def accepted_percent(self) -> int | None:
        """Of the guidance shown, the share where the wording was changed (whole per cent)."""
        return round(100 * self.accepted / self.shown) if self.shown else None


@dataclass(frozen=True)
class ReportRow:
    month: datetime.date | None
    phrase_code: str
    phrase_label: str
    counts: Counts


@dataclass(frozen=True)
class LanguageReport:
    since: datetime.date
    total: Counts
    by_month: list[ReportRow]
    by_phrase: list[ReportRow]
    by_month_and_phrase: list[ReportRow]


def _counts(row: dict[str, int | None]) -> Counts:
    return Counts(
        shown=row["shown"] or 0, accepted=row["accepted"] or 0, ignored=row["ignored"] or 0
    )


_SUMS = {
    "shown": Sum("shown_count"),
    "accepted": Sum("accepted_count"),
    "ignored": Sum("ignored_count"),
}


def language_feedback_report(*, user: User, since: datetime.date) -> LanguageReport:
    """Counts from `since` onwards: in total, by month, by phrase, and by month and phrase."""
    book = phrase_book()
    rows = language_feedback_visible_to(user=user).filter(day__gte=since)
    by_month = [
        ReportRow(month=row["month"], phrase_code="", phrase_label="", counts=_counts(row))
        for row in rows.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**_SUMS)
        .order_by("-month")
    ]
    by_phrase = sorted(
        (
            ReportRow(
                month=None,
                phrase_code=row["phrase_code"],
                phrase_label=book.label_for(row["phrase_code"]),
                counts=_counts(row),
            )
            for row in rows.values("phrase_code").annotate(**_SUMS)
        ),
        key=lambda r: (-r.counts.shown, r.phrase_label),
    )
    by_month_and_phrase = sorted(
        (
            ReportRow(
                month=row["month"],
                phrase_code=row["phrase_code"],
                phrase_label=book.label_for(row["phrase_code"]),
                counts=_counts(row),
            )
            for row in rows.annotate(month=TruncMonth("day"))
            .values("month", "phrase_code")
            .annotate(**_SUMS)
        ),
        key=lambda r: (-(r.month or since).toordinal(), -r.counts.shown, r.phrase_label),
    )
    total = _counts(rows.aggregate(**_SUMS))
    return LanguageReport(
        since=since,
        total=total,
        by_month=by_month,
        by_phrase=by_phrase,
        by_month_and_phrase=by_month_and_phrase,
    )
