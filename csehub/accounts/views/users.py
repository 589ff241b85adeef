"""The partnership's users: list, add and invite, change, reset their authenticator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from csehub.access.lookups import object_for_user_or_404
from csehub.access.request import request_user

from .. import selectors, services
from ..forms import UserEditForm, UserFilterForm, UserForm
from ..models import User

NOT_SENT = (
    "The invitation email could not be sent, so nothing has been saved. "
    "Try again later, or ask your IT team to check the email settings"
)


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _user_or_404(request: HttpRequest, pk: int) -> User:
    admin = request_user(request)
    return object_for_user_or_404(
        user=admin, visible=selectors.users_visible_to(user=admin), pk=pk, target_type="user"
    )


@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    admin = request_user(request)
    filters = UserFilterForm(request.GET, agencies=selectors.agencies_visible_to(user=admin))
    agency, role = filters.values()
    users = selectors.users_filtered(user=admin, agency=agency, role=role)
    return render(
        request,
        "accounts/user_list.html",
        {"users": users, "filters": filters, "filtered": bool(agency or role)},
    )


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    admin = request_user(request)
    form = UserForm(request.POST or None, agencies=selectors.agencies_assignable_by(user=admin))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                actor=admin, site_url=_site_url(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except services.InvitationNotSent:
            form.add_error(None, NOT_SENT)
        else:
            messages.success(
                request, f"{user.full_name} has been added and an invitation sent to {user.email}"
            )
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = request_user(request)
    person = _user_or_404(request, pk)
    initial = {
        "full_name": person.full_name,
        "email": person.email,
        "agency": person.agency,
        "role": person.role,
        "team": person.team,
        "job_title": person.job_title,
        "is_active": "active" if person.is_active else "inactive",
    }
    agencies = selectors.agencies_assignable_by(user=admin, current=person.agency)
    form = UserEditForm(request.POST or None, initial=initial, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=admin, user=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"The changes to {person.full_name}'s account have been saved"
            )
            return redirect("accounts:user-list")
    context = {
        "form": form,
        "person": person,
        "has_authenticator": selectors.has_authenticator(user=person),
        "is_self": person.pk == admin.pk,
    }
    return render(request, "accounts/user_form.html", context)


@require_http_methods(["GET", "POST"])
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure?"; POST removes the authenticator and emails the user."""
    person = _user_or_404(request, pk)
    if request.method == "POST":
        services.user_mfa_reset(actor=request_user(request), user=person)
        messages.success(
            request,
            f"{person.full_name}'s authenticator has been reset and they will be emailed to say "
            "so. They will set up a new one the next time they sign in",
        )
        return redirect("accounts:user-edit", pk=person.pk)
    return render(request, "accounts/user_reset_mfa.html", {"person": person})


@require_POST
def user_send_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    person = _user_or_404(request, pk)
    try:
        services.user_invitation_send(
            actor=request_user(request), user=person, site_url=_site_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.InvitationNotSent:
        messages.error(request, "The email could not be sent. Try again later")
    else:
        messages.success(request, f"A link to set a password has been sent to {person.email}")
    return redirect("accounts:user-edit", pk=person.pk)
