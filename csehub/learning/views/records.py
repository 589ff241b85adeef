"""Training records: a person's own (My training) and compliance for leads and the partnership."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.csv_export import Echo, neutralise

from ..record_forms import ComplianceFilterForm
from ..selectors.certificates import certificates_of
from ..selectors.records import (
    DUE_SOON_DAYS,
    ComplianceRow,
    compliance_agencies_visible_to,
    compliance_by,
    compliance_rows,
    compliance_teams_visible_to,
    compliance_totals,
    courses_active,
    training_records_of,
    training_standing_of,
)
from ..services.records import compliance_export_record, compliance_view_record

CSV_HEADER = [
    "Name",
    "Email",
    "Agency",
    "Team",
    "Role",
    "Job title",
    "Course",
    "Last completed",
    "Refresher due",
    "Status",
]


@require_GET
def my_training(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = timezone.localdate()
    return render(
        request,
        "learning/my_training.html",
        {
            "standings": training_standing_of(user=user, today=today),
            "records": training_records_of(user=user),
            "certificates": certificates_of(user=user),
            "due_soon_days": DUE_SOON_DAYS,
        },
    )


def _form(request: HttpRequest, user: User) -> ComplianceFilterForm:
    whole_partnership = scope_for(user, Permission.VIEW_TRAINING_COMPLIANCE) == Scope.ALL
    return ComplianceFilterForm(
        request.GET,
        courses=courses_active(),
        agencies=compliance_agencies_visible_to(user=user) if whole_partnership else None,
        teams=compliance_teams_visible_to(user=user),
    )


def _query(form: ComplianceFilterForm) -> str:
    return urlencode({name: str(form.data[name]) for name in form.fields if form.data.get(name)})


@require_GET
def compliance(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = _form(request, user)
    whole_partnership = "agency" in form.fields
    context: dict[str, object] = {"form": form, "whole_partnership": whole_partnership}
    if form.is_valid():
        filters = form.filters()
        rows = compliance_rows(user=user, filters=filters, today=timezone.localdate())
        compliance_view_record(actor=user, filter_names=filters.names_used())
        context.update(
            rows=rows,
            filtered=bool(filters.names_used()),
            totals=compliance_totals(rows),
            by_agency=compliance_by(rows, group="agency") if whole_partnership else None,
            by_team=compliance_by(rows, group="team"),
            by_role=compliance_by(rows, group="role"),
            export_url=f"{reverse('learning:compliance-export')}?{_query(form)}",
        )
    return render(request, "learning/compliance.html", context)


def _csv_lines(rows: list[ComplianceRow]) -> Iterator[str]:
    writer = csv.writer(Echo())
    # The byte order mark lets spreadsheet programs read names with accents correctly.
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for row in rows:
        person = row.person
        yield writer.writerow(
            [
                neutralise(cell)
                for cell in (
                    person.full_name,
                    person.email,
                    person.agency.name if person.agency else "",
                    person.team,
                    row.role_label,
                    person.job_title,
                    row.course.title if row.course else "",
                    row.completed_on.isoformat() if row.completed_on else "",
                    row.due_on.isoformat() if row.due_on else "",
                    row.status.label,
                )
            ]
        )


@require_GET
def compliance_export(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    form = _form(request, user)
    if not form.is_valid():
        # The page shows what is wrong with the filters, with the choices kept.
        return redirect(f"{reverse('learning:compliance')}?{_query(form)}")
    filters = form.filters()
    rows = compliance_rows(user=user, filters=filters, today=timezone.localdate())
    compliance_export_record(actor=user, filter_names=filters.names_used(), row_count=len(rows))
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="training-compliance-{stamp}.csv"'
    return response
