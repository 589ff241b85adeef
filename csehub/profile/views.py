"""The problem profile page, and its CSV for the board."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from csehub.access.request import request_user

from . import selectors, services
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


@require_GET
def board_csv(request: HttpRequest) -> HttpResponse:
    form, profile = _profile(request)
    if profile is None:
        return render(
            request, "profile/dashboard.html", {"form": form, "profile": None}, status=400
        )
    services.profile_view_record(actor=request_user(request), profile=profile, exported=True)
    response = HttpResponse(services.profile_csv(profile), content_type="text/csv; charset=utf-8")
    name = f"problem-profile-{profile.start:%Y%m%d}-{profile.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
