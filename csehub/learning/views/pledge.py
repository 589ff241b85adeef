"""The pledge: take it, tick its commitments over time, invite colleagues; the partnership's
counts of pledges and of invitations that turned into completed courses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.request import request_user
from csehub.govuk_forms import service_errors_onto

from ..models import CourseKind
from ..pledge_forms import INVITE_SLOTS, PledgeCommitmentsForm, PledgeInviteForm, PublicPledgeForm
from ..selectors import content as content_selectors
from ..selectors import pledge as selectors
from ..selectors import workbook as workbook_selectors
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
            "wording": selectors.pledge_wording(),
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


@require_http_methods(["GET", "POST"])
def pledge_public(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation links to, for people with no account: take the pledge (once per
    link) and start the course. Open to anyone holding the link until it expires."""
    invitation = selectors.pledge_invitation_by_token_unchecked(token=token)
    wording = selectors.pledge_wording()
    form = PublicPledgeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        state = selectors.pledge_invitation_link_state(invitation)
        if state == selectors.LINK_OPEN and form.is_valid():
            try:
                services.pledge_invitation_pledge(token=token, pledged=form.cleaned_data["pledge"])
            except ValidationError as error:
                service_errors_onto(form, error)
            else:
                return redirect("learning:pledge-public", token=token)
    else:
        state = services.pledge_invitation_view_record(invitation=invitation, page="pledge_page")
    status = 404 if state in (selectors.LINK_UNKNOWN, selectors.LINK_EXPIRED) else 200
    return render(
        request,
        "learning/pledge_public.html",
        {
            "state": state,
            "token": token,
            "form": form,
            "wording": wording,
            "inviter_name": invitation.inviter.full_name if invitation else "",
            "partnership": invitation.inviter.partnership if invitation else None,
        },
        status=status,
    )


@require_GET
def pledge_public_course(request: HttpRequest, token: str, section_code: str = "") -> HttpResponse:
    """The awareness course's reading, one section a page, for someone holding a live
    invitation link. No questions and no certificate: those need an account and a reviewer."""
    invitation = selectors.pledge_invitation_by_token_unchecked(token=token)
    course = workbook_selectors.courses_available().filter(kind=CourseKind.WORKBOOK).first()
    state = selectors.pledge_invitation_link_state(invitation)
    if course is None or invitation is None or state == selectors.LINK_EXPIRED:
        services.pledge_invitation_view_record(invitation=invitation, page="course")
        raise Http404
    sections = workbook_selectors.sections_of(course)
    codes = [section.code for section in sections]
    if not section_code and codes:
        return redirect("learning:pledge-public-section", token=token, section_code=codes[0])
    if section_code not in codes:
        raise Http404
    services.pledge_invitation_view_record(
        invitation=invitation, page="course", section=section_code
    )
    index = codes.index(section_code)
    current = sections[index]
    return render(
        request,
        "learning/pledge_public_course.html",
        {
            "token": token,
            "course": course,
            "section": current,
            "blocks": content_selectors.section_blocks(
                current, partnership=invitation.inviter.partnership
            ),
            "number": index + 1,
            "total": len(sections),
            "previous": sections[index - 1] if index > 0 else None,
            "following": sections[index + 1] if index + 1 < len(sections) else None,
        },
    )
