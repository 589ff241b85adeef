"""The language checker's endpoint, the page to try it, and the partnership's report.

Text sent to the checker is looked at and forgotten: it is never saved, logged or audited, and
it is hidden from Django's error reports.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csehub.access.request import request_user

from . import selectors
from .checker import flag_codes, flags_fingerprint, language_check
from .forms import CheckRequestForm, TryForm, check_result_context
from .phrases import phrase_book

REPORT_MONTHS = 12


@sensitive_post_parameters()
@never_cache
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """The guidance for one field's text, as an HTML fragment for the page to swap in.

    Answers 204 (nothing to change) when the guidance on screen is still right, so that screen
    readers do not hear the same advice again after every pause in typing.
    """
    form = CheckRequestForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("The check request did not name a field.")
    data = form.cleaned_data
    flags = language_check(data["text"])
    shown = list(dict.fromkeys([*data["shown"], *flag_codes(flags)]))
    if data["fingerprint"] == flags_fingerprint(flags) and shown == data["shown"]:
        return HttpResponse(status=204)
    return render(
        request,
        "language/check_result.html",
        {
            "result": check_result_context(
                html_name=data["language_field"], flags=flags, shown=shown
            )
        },
    )


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def try_checker(request: HttpRequest) -> HttpResponse:
    """Anyone may try the checker on made-up wording; posting (without scripts) checks it."""
    form = TryForm(request.POST if request.method == "POST" else None)
    checked = form.is_valid()
    flags = language_check(form.cleaned_data["text"]) if checked else []
    return render(
        request,
        "language/try.html",
        {"form": form, "checked": checked, "flagged": bool(flags), "book": phrase_book()},
    )


def _report_start(today: datetime.date) -> datetime.date:
    """The first day of the month REPORT_MONTHS - 1 months before this one."""
    months = today.year * 12 + today.month - 1 - (REPORT_MONTHS - 1)
    return datetime.date(months // 12, months % 12 + 1, 1)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    since = _report_start(timezone.localdate())
    return render(
        request,
        "language/report.html",
        {
            "report": selectors.language_feedback_report(user=request_user(request), since=since),
            "months": REPORT_MONTHS,
        },
    )
