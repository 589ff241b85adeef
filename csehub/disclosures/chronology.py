"""Disclosures and their addenda as entries in a child's chronology."""

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

from .models import Addendum
from .selectors import disclosures_for_child

register_chronology_kind("disclosure", "Disclosure")
register_chronology_kind("disclosure_addendum", "Addendum to a disclosure")


@register_chronology_source
def disclosure_entries(child: Child, user: User) -> list[ChronologyEntry]:
    disclosures = list(disclosures_for_child(user=user, child=child))
    entries: list[ChronologyEntry] = []
    for disclosure in disclosures:
        url = reverse("disclosures:detail", kwargs={"pk": disclosure.pk})
        if disclosure.occurred_on is not None:
            at = timezone.make_aware(
                dt.datetime.combine(
                    disclosure.occurred_on, disclosure.occurred_time or dt.time(12, 0)
                )
            )
        else:
            at = disclosure.created_at
        entries.append(
            ChronologyEntry(
                at=at,
                kind="disclosure",
                kind_label="Disclosure",
                title="The child told "
                f"{disclosure.recorded_by}{'' if disclosure.is_signed else ' (draft, not signed)'}",
                summary=disclosure.place,
                url=url,
                agency=str(disclosure.agency),
                approximate=disclosure.occurred_time is None,
            )
        )
    for addendum in Addendum.objects.filter(disclosure__in=disclosures).select_related(
        "author", "agency"
    ):
        entries.append(
            ChronologyEntry(
                at=addendum.created_at,
                kind="disclosure_addendum",
                kind_label="Addendum to a disclosure",
                title=f"Addendum by {addendum.author}",
                url=reverse("disclosures:detail", kwargs={"pk": addendum.disclosure_id}),
                agency=str(addendum.agency),
            )
        )
    return entries
