"""The MACE list: persons of concern the multi-agency panel has listed.

For now the list is what the linking engine needs to raise an alert when a new piece of
intelligence or a concern links to a listed person; the panel's agenda, reviews and actions are
the oversee work still to come. A listing is never deleted: taking someone off the list records
who did it and when, so the panel's history stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.linking.models import Entity


class MaceListing(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mace_listings")
    panel_date = models.DateField(help_text="The date of the panel that agreed the listing")
    listed_at = models.DateTimeField(default=timezone.now)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-listed_at", "-pk"]
        constraints = [
            # One current listing per person; earlier, removed listings stay as history.
            models.UniqueConstraint(
                fields=["entity"],
                condition=models.Q(removed_at__isnull=True),
                name="mace_listing_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True)
                | models.Q(removed_at__isnull=False, removed_by__isnull=False),
                name="mace_listing_removed_with_who",
            ),
        ]

    def __str__(self) -> str:
        return f"MACE listing of {self.entity_id}"

    @property
    def is_current(self) -> bool:
        return self.removed_at is None
