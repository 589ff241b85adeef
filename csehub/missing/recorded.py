"""Missing episodes as a sign the risk tool counts: going missing is the strongest single
warning sign, so an assessment counts the child's most recent episode in the last year as
"Missing from home or care", with a link to it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.concerns.recorded import (
    RecordedSign,
    register_recorded_signs,
    register_recorded_source,
)

from .selectors import episodes_for_child

SIGN = ("warning_signs", "missing_from_home_or_care")
COUNTED_FOR = dt.timedelta(days=365)

register_recorded_source("missing_episode", "Missing episode", "missing:detail")


@register_recorded_signs
def missing_signs(child: Child, user: User, as_of: dt.date) -> list[RecordedSign]:
    if not has_permission(user, Permission.VIEW_MISSING):
        return []
    episodes = [
        episode
        for episode in episodes_for_child(user=user, child=child)
        if as_of - COUNTED_FOR <= timezone.localdate(episode.last_seen_at) <= as_of
    ]
    if not episodes:
        return []
    latest = episodes[0]  # most recent first
    seen_on = timezone.localdate(latest.last_seen_at)
    in_90_days = sum(
        1 for e in episodes if timezone.localdate(e.last_seen_at) > as_of - dt.timedelta(days=90)
    )
    times = f"{len(episodes)} time{'s' if len(episodes) != 1 else ''} in the last year"
    return [
        RecordedSign(
            vocabulary=SIGN[0],
            code=SIGN[1],
            seen_on=seen_on,
            what=f"Recorded missing {times} ({in_90_days} in the last 90 days); most recently "
            f"last seen {seen_on:%d/%m/%Y} at {latest.last_seen_place}.",
            source="missing_episode",
            source_id=latest.pk,
        )
    ]
