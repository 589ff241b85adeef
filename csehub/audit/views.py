"""Information governance: search the audit trail and download what was found."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from csehub.access.permissions import Permission, has_permission
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.accounts.selectors import users_visible_to

from .export import csv_lines
from .forms import AuditSearchForm
from .selectors import audit_events_visible_to, audit_latest_id, audit_record_types
from .services import audit_log_export_record, audit_log_search_record

PAGE_SIZE = 50


def _form(request: HttpRequest, user: User) -> AuditSearchForm:
    return AuditSearchForm(
        request.GET, users=users_visible_to(user=user), record_types=audit_record_types()
    )


def _until(request: HttpRequest) -> int:
    """The newest row a search covers. Later pages keep it, so new events do not shift them."""
    value = request.GET.get("until", "")
    if value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    return audit_latest_id()


def _query(form: AuditSearchForm, **extra: str | int) -> str:
    params: dict[str, str | int] = {
        name: str(form.data[name]) for name in form.fields if form.data.get(name)
    }
    return urlencode({**params, **extra})


def _pagination(page: Page, query: str) -> dict[str, object]:
    """The GOV.UK pagination component's items: first, last, neighbours, ellipses between."""

    def href(number: int) -> str:
        return f"?{query}&page={number}"

    last = page.paginator.num_pages
    wanted = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    items: list[dict[str, object]] = []
    for index, number in enumerate(wanted):
        if index and number - wanted[index - 1] > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == page.number})
    return {
        "items": items,
        "previous": href(page.number - 1) if page.has_previous() else None,
        "next": href(page.number + 1) if page.has_next() else None,
    }


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = _form(request, user)
    context: dict[str, object] = {
        "form": form,
        "can_export": has_permission(user, Permission.EXPORT_AUDIT_LOG),
    }
    if form.is_valid():
        until = _until(request)
        filters = form.filters(until=until)
        events = audit_events_visible_to(user=user, filters=filters).select_related("actor")
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        audit_log_search_record(actor=user, filter_names=filters.names_used())
        query = _query(form, until=until)
        context.update(
            page=page,
            filtered=bool(filters.names_used()),
            pagination=_pagination(page, query) if page.paginator.num_pages > 1 else None,
            export_url=f"{reverse('audit:export')}?{query}",
        )
    return render(request, "audit/search.html", context)


@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    user = request_user(request)
    form = _form(request, user)
    if not form.is_valid():
        # The search page shows what is wrong with the filters, with the answers kept.
        return redirect(f"{reverse('audit:search')}?{_query(form)}")
    filters = form.filters(until=_until(request))
    events = audit_events_visible_to(user=user, filters=filters)
    audit_log_export_record(actor=user, filter_names=filters.names_used(), row_count=events.count())
    response = StreamingHttpResponse(csv_lines(events), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
