"""One referral, and the receiving team's steps: receive, screen, record the outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import Role, User

from .. import selectors, services
from ..forms import OutcomeForm, ScreenForm
from ..models import Referral, ReferralState
from .common import (
    form_errors_add,
    problem_message,
    site_url,
)


def _referral(user: User, pk: int) -> Referral:
    return audited_record_or_404(
        user=user, visible=selectors.referrals_visible_to(user=user), pk=pk, target_type="referral"
    )


def _receivable(user: User, pk: int) -> Referral:
    return audited_record_or_404(
        user=user,
        visible=selectors.referrals_receivable_by(user=user),
        pk=pk,
        target_type="referral",
    )


@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    referral = _referral(user, pk)
    can_act = (
        has_permission(user, Permission.RECEIVE_REFERRAL)
        and selectors.referrals_receivable_by(user=user).filter(pk=referral.pk).exists()
    )
    # The police desk sees the child's CSE flag as its own team recorded it.
    flagged = (
        selectors.with_cse_flag(selectors.referrals_to_team(user=user))
        .filter(pk=referral.pk)
        .first()
        if user.role == Role.POLICE_REFERRAL_DESK
        else None
    )
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "transitions": selectors.transitions_for(referral=referral),
            "risk_details": referral.risk_details.all(),
            "can_act": can_act,
            "flagged": flagged,
            "states": ReferralState,
        },
    )


def _step_response(
    request: HttpRequest, referral: Referral, template: str, form: Any, error: str = ""
) -> HttpResponse:
    return render(request, template, {"referral": referral, "form": form, "error": error})


@require_http_methods(["GET", "POST"])
def referral_receive(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    referral = _receivable(user, pk)
    error = ""
    if request.method == "POST":
        try:
            services.referral_receive(actor=user, referral=referral, site_url=site_url(request))
        except (ValidationError, PermissionDenied) as problem:
            error = problem_message(problem)
        else:
            messages.success(request, "The referral has been marked as received")
            return redirect("referrals:detail", pk=referral.pk)
    return _step_response(request, referral, "referrals/referral_receive.html", None, error)


@require_http_methods(["GET", "POST"])
def referral_screen(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    referral = _receivable(user, pk)
    form = ScreenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_screen(
                actor=user, referral=referral, note=form.cleaned_data.get("note", "")
            )
        except (ValidationError, PermissionDenied) as problem:
            form.add_error(None, problem_message(problem))
        else:
            messages.success(request, "The referral has been marked as screened")
            return redirect("referrals:detail", pk=referral.pk)
    return _step_response(request, referral, "referrals/referral_screen.html", form)


@require_http_methods(["GET", "POST"])
def referral_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    referral = _receivable(user, pk)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None, destination=referral.destination
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_outcome_record(
                actor=user,
                referral=referral,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                police_reference=form.cleaned_data.get("police_reference", ""),
                flagged_record_existed=form.flagged,
                site_url=site_url(request),
            )
        except ValidationError as problem:
            form_errors_add(form, problem)
        except PermissionDenied as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(
                request, "The outcome has been recorded and the referrer has been told"
            )
            return redirect("referrals:detail", pk=referral.pk)
    return _step_response(request, referral, "referrals/referral_outcome.html", form)
