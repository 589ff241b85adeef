"""The panel's record of a child in the child's chronology: the VOLT summary, decisions and
minutes of each item about them, shown only to those who sit on the panel (and its coordinator),
through mace.selectors."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.children.chronology import (
    ChronologyEntry,
    register_chronology_kind,
    register_chronology_source,
)
from csehub.children.models import Child

from .selectors import agenda_items_visible_to

register_chronology_kind("mace_item", "MACE panel")


@register_chronology_source
def panel_entries(child: Child, user: User) -> list[ChronologyEntry]:
    items = agenda_items_visible_to(user=user).filter(child=child, recorded_at__isnull=False)
    entries = []
    for item in items:
        held = timezone.make_aware(dt.datetime.combine(item.meeting.held_on, dt.time(12, 0)))
        summary = " ".join(
            f"{label}: {text}"
            for label, text in (("Decisions", item.decisions), ("Minutes", item.minutes))
            if text
        )
        entries.append(
            ChronologyEntry(
                at=held,
                kind="mace_item",
                kind_label="MACE panel",
                title=f"Discussed at the MACE panel: {item.title}",
                summary=summary,
                url=f"{reverse('mace:meeting', args=[item.meeting_id])}#item-{item.pk}",
                approximate=True,  # the meeting's day, not the minute
            )
        )
    return entries
