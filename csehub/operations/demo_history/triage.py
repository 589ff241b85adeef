"""What the teams did with the year as it came in: the analyst confirmed the men named by
nickname, and saw the alerts, and the referral notices were read, all but the last fortnight's."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.concerns.models import Concern
from csehub.intelligence.demo import ANALYST
from csehub.intelligence.models import IntelligenceReport
from csehub.linking.demo import demo_nickname_confirm
from csehub.linking.models import (
    Alert,
)
from csehub.linking.network.graph import CONCERN_PREFIX
from csehub.linking.services.alerts import alert_mark_seen
from csehub.referrals.models import Notification
from csehub.referrals.services.notifications import notification_mark_read

from .story import (
    SUSPECTS,
)


def notifications_read(partnership: Partnership, since: dt.datetime) -> None:
    """The year's referrals told their teams as they were sent; each notice takes its
    referral's time, and those over a fortnight old have been read, so a newcomer's
    "Notifications" count is what is new."""
    fortnight_ago = timezone.now() - dt.timedelta(days=14)
    sent = Notification.objects.filter(
        created_at__gte=since, recipient__partnership=partnership
    ).select_related("referral", "recipient")
    for notice in sent:
        when = notice.referral.submitted_at if notice.referral is not None else None
        if when is None:
            continue
        Notification.objects.filter(pk=notice.pk).update(created_at=when)
        if when < fortnight_ago:
            notification_mark_read(actor=notice.recipient, notification=notice)


def suspects_confirmed(partnership: Partnership, users: dict[str, User]) -> None:
    """The year's men are named by nickname alone, which the engine leaves to an analyst as
    "possibly the same"; over the year the analyst confirmed each man's mentions as one."""
    analyst = users.get(ANALYST)
    if analyst is None:
        return
    for suspect in SUSPECTS:
        demo_nickname_confirm(partnership, analyst, suspect.nickname)


def alerts_dated(partnership: Partnership, users: dict[str, User], since: dt.datetime) -> None:
    """The links the year's concerns and reports made were found as each arrived, so each alert
    takes the time of the latest record it names; the analyst has seen those over a fortnight
    old, which leaves the alerts list with what is new."""
    received = dict(
        IntelligenceReport.objects.filter(partnership=partnership).values_list(
            "external_id", "received_at"
        )
    )
    submitted = {
        f"{CONCERN_PREFIX}{pk}": at
        for pk, at in Concern.objects.filter(child__partnership=partnership).values_list(
            "pk", "submitted_at"
        )
    }
    analyst = users.get(ANALYST)
    fortnight_ago = timezone.now() - dt.timedelta(days=14)
    raised = Alert.objects.filter(partnership=partnership, created_at__gte=since)
    for alert in raised.prefetch_related("mentions"):
        containers = {m.mention_id.rsplit("/", 1)[0] for m in alert.mentions.all()}
        times = [t for c in containers if (t := received.get(c) or submitted.get(c))]
        if not times:
            continue
        when = max(times)
        Alert.objects.filter(pk=alert.pk).update(created_at=when)
        if analyst is not None and when < fortnight_ago:
            alert_mark_seen(actor=analyst, alert=alert)
