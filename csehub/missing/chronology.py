"""Missing episodes in a child's chronology.

What the child said at the return interview is shown in the chronology, to those who may see
the child's episodes (VIEW_MISSING, scoped by the selectors).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.children.chronology import (
    ChronologyEntry,
    register_chronology_kind,
    register_chronology_source,
)
from csehub.children.models import Child

from .models import InterviewStatus, ReturnInterview
from .selectors import episodes_for_child

register_chronology_kind("missing", "Went missing")
register_chronology_kind("missing_return", "Came back or was found")
register_chronology_kind("return_interview", "Return interview")


@register_chronology_source
def missing_entries(child: Child, user: User) -> list[ChronologyEntry]:
    if not has_permission(user, Permission.VIEW_MISSING):
        return []
    entries: list[ChronologyEntry] = []
    for episode in episodes_for_child(user=user, child=child):
        url = reverse("missing:detail", kwargs={"pk": episode.pk})
        with_whom = f", with {episode.last_seen_with}" if episode.last_seen_with else ""
        entries.append(
            ChronologyEntry(
                at=episode.last_seen_at,
                kind="missing",
                kind_label="Went missing",
                title=f"Last seen at {episode.last_seen_place}{with_whom}",
                summary=f"Reported missing by {episode.reported_by} at "
                f"{timezone.localtime(episode.reported_at):%H:%M on %d/%m/%Y}",
                url=url,
                agency=str(episode.agency),
            )
        )
        if episode.returned_at is None:
            continue
        entries.append(
            ChronologyEntry(
                at=episode.returned_at,
                kind="missing_return",
                kind_label="Came back or was found",
                title=f"Back at {episode.returned_place}",
                summary=f"Found by: {episode.found_by}",
                url=url,
                agency=str(episode.agency),
            )
        )
        interview: ReturnInterview | None = getattr(episode, "interview", None)
        if interview is not None and interview.status == InterviewStatus.DONE:
            assert interview.closed_at is not None
            entries.append(
                ChronologyEntry(
                    at=interview.closed_at,
                    kind="return_interview",
                    kind_label="Return interview",
                    title="What the child said at the return interview",
                    summary=interview.childs_account,
                    url=url,
                    agency=str(episode.agency),
                )
            )
    return entries
