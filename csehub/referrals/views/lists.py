"""The work lists and notifications."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.permissions import Permission, has_permission
from csehub.audit.services import list_view_record

from .. import selectors, services
from ..models import Notification
from .common import (
    request_user,
)


@require_http_methods(["GET"])
def team_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    referrals = list(selectors.work_list_order(selectors.referrals_to_team(user=user))[:300])
    list_view_record(actor=user, target_type="referral", ids=[r.pk for r in referrals])
    return render(
        request,
        "referrals/referral_list.html",
        {
            "referrals": referrals,
            "title": "Referrals to my team",
            "intro": "Referrals sent to your team. Overdue ones are at the top: the timescale "
            "for each is set by the partnership.",
            "received": True,
        },
    )


@require_http_methods(["GET"])
def made_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    referrals = list(selectors.work_list_order(selectors.referrals_made_by(user=user))[:300])
    list_view_record(actor=user, target_type="referral", ids=[r.pk for r in referrals])
    title = (
        "Referrals my agency made"
        if has_permission(user, Permission.MAKE_REFERRAL)
        else "Referrals about my concerns"
    )
    return render(
        request,
        "referrals/referral_list.html",
        {
            "referrals": referrals,
            "title": title,
            "intro": "Where each referral is, and the outcome once the receiving team records "
            "it. Overdue means the team has not decided within the partnership's timescale.",
            "received": False,
        },
    )


@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    notifications = list(selectors.notifications_for(user=user)[:100])
    return render(request, "referrals/notification_list.html", {"notifications": notifications})


@require_http_methods(["GET"])
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    notification: Notification = object_for_user_or_404(
        user=user,
        visible=selectors.notifications_for(user=user),
        pk=pk,
        target_type="notification",
        audit_view=False,  # marking it read is audited
    )
    services.notification_mark_read(actor=user, notification=notification)
    return redirect(services.notification_url(notification))
