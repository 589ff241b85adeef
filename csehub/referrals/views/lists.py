"""The work lists and notifications."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_page, record_or_404_unaudited
from csehub.access.request import request_user
from csehub.accounts.models import Role

from .. import selectors, services
from ..models import Notification


@require_http_methods(["GET"])
def team_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # The police desk works by the CSE flag: whether it already holds a flagged record.
    is_police_desk = user.role == Role.POLICE_REFERRAL_DESK
    referrals = selectors.referrals_to_team(user=user)
    if is_police_desk:
        referrals = selectors.with_cse_flag(referrals)
    page = audited_page(request, selectors.work_list_order(referrals), target_type="referral")
    return render(
        request,
        "referrals/referral_list.html",
        {
            "page": page,
            "title": "Referrals to my team",
            "intro": "Referrals sent to your team. Overdue ones are at the top: the timescale "
            "for each is set by the partnership.",
            "received": True,
            "show_cse_flag": is_police_desk,
        },
    )


@require_http_methods(["GET"])
def made_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = audited_page(
        request,
        selectors.work_list_order(selectors.referrals_made_by(user=user)),
        target_type="referral",
    )
    title = (
        "Referrals my agency made"
        if has_permission(user, Permission.MAKE_REFERRAL)
        else "Referrals about my concerns"
    )
    return render(
        request,
        "referrals/referral_list.html",
        {
            "page": page,
            "title": title,
            "intro": "Where each referral is, and the outcome once the receiving team records "
            "it. Overdue means the team has not decided within the partnership's timescale.",
            "received": False,
        },
    )


@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # Each notification names its referral or concern by number only, never the child, so
    # the list is not a read of a child's record; opening one reads it (audited there).
    notifications = list(selectors.notifications_for(user=user)[:100])
    return render(request, "referrals/notification_list.html", {"notifications": notifications})


@require_http_methods(["GET"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    # Marking it read is audited; the page it leads to audits its own read.
    notification: Notification = record_or_404_unaudited(
        user=user, visible=selectors.notifications_for(user=user), pk=pk, target_type="notification"
    )
    services.notification_mark_read(actor=user, notification=notification)
    return redirect(services.notification_url(notification))
