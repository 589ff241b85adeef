"""The partnership's agencies: list, add, change. Administrators only (URL_POLICY)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.request import request_user

from .. import selectors, services
from ..forms import AgencyEditForm, AgencyForm
from ..models import Agency


@require_http_methods(["GET"])
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = selectors.agencies_with_user_counts(user=request_user(request))
    return render(request, "accounts/agency_list.html", {"agencies": agencies})


@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                actor=request_user(request),
                name=form.cleaned_data["name"],
                agency_type=form.cleaned_data["agency_type"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{agency.name} has been added")
            return redirect("accounts:agency-list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = request_user(request)
    agency: Agency = object_for_user_or_404(
        user=admin,
        visible=selectors.agencies_visible_to(user=admin),
        pk=pk,
        target_type="agency",
        audit_view=False,  # agency details are not sensitive; changes are audited
    )
    initial = {
        "name": agency.name,
        "agency_type": agency.agency_type,
        "is_active": "active" if agency.is_active else "inactive",
    }
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(
                actor=admin,
                agency=agency,
                name=form.cleaned_data["name"],
                agency_type=form.cleaned_data["agency_type"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"The changes to {agency.name} have been saved")
            return redirect("accounts:agency-list")
    return render(request, "accounts/agency_form.html", {"form": form, "agency": agency})
