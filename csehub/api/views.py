"""Pages for API tokens: your own, and (for administrators) partner systems' accounts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission, has_permission
from csehub.access.request import request_user
from csehub.accounts.models import Role, User
from csehub.accounts.selectors import agencies_visible_to

from . import selectors, services
from .forms import PartnerSystemForm, TokenForm


@require_http_methods(["GET"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "api/token_list.html",
        {
            "tokens": selectors.tokens_of(user=user),
            "systems": selectors.partner_systems_visible_to(user=user).prefetch_related(
                "api_tokens"
            ),
            "can_manage_systems": has_permission(user, Permission.MANAGE_USERS),
        },
    )


def _issue(request: HttpRequest, *, owner: User, back: str) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, full = services.api_token_issue(
                actor=request_user(request), user=owner, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown once, on this response only: it is stored as a hash.
            return render(request, "api/token_issued.html", {"token": token, "full": full})
    return render(request, "api/token_form.html", {"form": form, "owner": owner, "back": back})


@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    return _issue(request, owner=request_user(request), back="api:tokens")


@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    token = object_for_user_or_404(
        user=user,
        visible=selectors.tokens_manageable_by(user=user),
        pk=pk,
        target_type="api_token",
        audit_view=False,
    )
    if request.method == "POST":
        services.api_token_revoke(actor=user, token=token)
        messages.success(request, f"The token “{token.name}” no longer works.")
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token})


@require_http_methods(["GET", "POST"])
def partner_system_create(request: HttpRequest) -> HttpResponse:
    admin = request_user(request)
    form = PartnerSystemForm(request.POST or None, agencies=agencies_visible_to(user=admin))
    if request.method == "POST" and form.is_valid():
        try:
            system = services.partner_system_create(
                actor=admin,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                agency=form.cleaned_data["agency"],
                role=Role(form.cleaned_data["role"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{system.full_name} can now be given a token.")
            return redirect("api:partner-system-token-create", pk=system.pk)
    return render(request, "api/partner_system_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def partner_system_token_create(request: HttpRequest, pk: int) -> HttpResponse:
    admin = request_user(request)
    system = object_for_user_or_404(
        user=admin,
        visible=selectors.partner_systems_visible_to(user=admin),
        pk=pk,
        target_type="user",
    )
    return _issue(request, owner=system, back="api:tokens")
