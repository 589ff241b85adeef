"""The pledge: take it, tick its commitments over time, invite colleagues; the partnership's
counts of pledges and of invitations that turned into completed courses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.request import request_user

from ..pledge_forms import INVITE_SLOTS, PledgeCommitmentsForm, PledgeInviteForm
from ..selectors import pledge as selectors
from ..services import pledge as services


@require_http_methods(["GET", "POST"])
def pledge(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    current = selectors.pledge_for(user=user)
    form = None
    if request.method == "POST" and request.POST.get("action") == "take":
        services.pledge_take(actor=user)
        messages.success(request, "Thank you for taking the pledge")
        return redirect("learning:pledge")
    if current is not None:
        form = PledgeCommitmentsForm(
            request.POST if request.method == "POST" else None,
            initial={
                "found_out_more": current.found_out_more,
                "completed_course": current.completed_course,
                "told_five_people": current.told_five_people,
            },
        )
        if request.method == "POST" and form.is_valid():
            services.pledge_commitments_update(actor=user, **form.cleaned_data)
            messages.success(request, "Your pledge has been updated")
            return redirect("learning:pledge")
    return render(
        request,
        "learning/pledge.html",
        {
            "pledge": current,
            "form": form,
            "invitations": selectors.pledge_invitations_sent_by(user=user),
            "can_see_report": has_permission(user, Permission.VIEW_PLEDGE_REPORT),
        },
    )


@require_http_methods(["GET", "POST"])
def pledge_invite(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = PledgeInviteForm(
        request.POST if request.method == "POST" else None, own_email=user.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.pledge_invitations_send(actor=user, emails=form.emails())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = len(sent)
            messages.success(
                request,
                f"Invitation sent to {count} {'person' if count == 1 else 'people'}",
            )
            return redirect("learning:pledge")
    return render(
        request,
        "learning/pledge_invite.html",
        {
            "form": form,
            "slots": [form[f"email_{number}"] for number in range(1, INVITE_SLOTS + 1)],
        },
    )


@require_GET
def pledge_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: sign-in happens first (the access policy sends the
    visitor to sign in and back), then the invitation counts as accepted."""
    invitation = services.pledge_invitation_accept(actor=request_user(request), token=token)
    if invitation is not None:
        messages.success(
            request,
            f"{invitation.inviter.full_name} invited you to take the pledge. "
            "Start with the CSE awareness course below.",
        )
    return redirect("learning:index")


@require_GET
def pledge_report(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "learning/pledge_report.html",
        {"report": selectors.pledge_report_for(user=request_user(request))},
    )
