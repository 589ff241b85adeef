"""The problem profile page, and the board report as a CSV and a PDF."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from csehub.access.request import request_user

from . import selectors, services
from .board_pdf import profile_pdf
from .forms import PeriodForm, default_period


def _profile(request: HttpRequest) -> tuple[PeriodForm, selectors.Profile | None]:
    user = request_user(request)
    start, end = default_period()
    data = request.GET if request.GET else {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    form = PeriodForm(data, agencies=selectors.profile_agencies(user=user))
    if not form.is_valid():
        return form, None
    profile = selectors.profile_for(
        user=user,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        agency=form.cleaned_data.get("agency"),
    )
    return form, profile


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, profile = _profile(request)
    if profile is not None:
        services.profile_view_record(actor=request_user(request), profile=profile, exported=False)
    return render(
        request,
        "profile/dashboard.html",
        {"form": form, "profile": profile, "query": request.GET.urlencode()},
    )


def _board_file(request: HttpRequest, extension: str) -> HttpResponse:
    """The board report as a download, audited as an export like every other."""
    form, profile = _profile(request)
    if profile is None:
        return render(
            request, "profile/dashboard.html", {"form": form, "profile": None}, status=400
        )
    user = request_user(request)
    services.profile_view_record(actor=user, profile=profile, exported=True)
    if extension == "pdf":
        body: str | bytes = profile_pdf(profile, partnership_name=user.partnership.name)
        content_type = "application/pdf"
    else:
        body, content_type = services.profile_csv(profile), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    name = f"problem-profile-{profile.start:%Y%m%d}-{profile.end:%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def board_csv(request: HttpRequest) -> HttpResponse:
    return _board_file(request, "csv")


@require_GET
def board_pdf(request: HttpRequest) -> HttpResponse:
    return _board_file(request, "pdf")
