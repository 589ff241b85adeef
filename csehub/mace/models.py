"""The MACE list and the multi-agency panel that keeps it.

A listing is a decision of a panel meeting: the meeting that agreed it, and the meeting that
took the person off again. The linking engine raises an alert when new intelligence or a
concern links to a listed person. A listing is never deleted, so the panel's history stays
readable: listed at one meeting, taken off at another, listed again at a third.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Partnership
from csehub.linking.models import Entity


class MaceListing(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="mace_listings")
    # The meeting that agreed the listing. Empty only for listings recorded before meetings
    # were (their panel date was typed in); the services always name one now.
    agreed_at = models.ForeignKey(
        "mace.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings_agreed",
    )
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
    # The meeting that took the person off the list (empty while listed, and for removals
    # recorded before meetings were).
    removed_at_meeting = models.ForeignKey(
        "mace.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings_ended",
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
            models.CheckConstraint(
                condition=models.Q(removed_at_meeting__isnull=True)
                | models.Q(removed_at__isnull=False),
                name="mace_listing_removed_at_meeting_when_removed",
            ),
        ]

    def __str__(self) -> str:
        return f"MACE listing of {self.entity_id}"

    @property
    def is_current(self) -> bool:
        return self.removed_at is None


# ---------------------------------------------------------------------------------------------
# The panel: who sits on it, its meetings, their agenda and the actions they agree
# ---------------------------------------------------------------------------------------------


class Panel(models.Model):
    """A partnership's multi-agency child exploitation (MACE) panel."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="panel_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class PanelMembership(models.Model):
    """Someone sitting on a panel, from whichever agency: a relation, not a role. Ending a
    membership keeps it, so the record shows who could see the minutes when."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user"],
                condition=models.Q(left_at__isnull=True),
                name="panel_membership_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"Member {self.user_id} of panel {self.panel_id}"


class MeetingKind(models.TextChoices):
    CASE = "case", "Case meeting (monthly: children, persons and places)"
    STRATEGIC = "strategic", "Strategic meeting (quarterly: themes and trends)"


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=16, choices=MeetingKind.choices)
    held_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class ItemSource(models.TextChoices):
    """Why an item is on the agenda: what the system surfaced, or added by hand."""

    CHILD_AT_RISK = "child_at_risk", "Child at significant or high risk"
    NEW_LINK = "new_link", "New link to a child"
    LISTED_PERSON = "listed_person", "MACE-listed person with new mentions"
    OVERDUE_ACTION = "overdue_action", "Overdue action"
    MISSING_MORE = "missing_more", "Child going missing more often"
    BY_HAND = "by_hand", "Added by hand"


class AgendaItem(models.Model):
    """One item on a meeting's agenda, with what the panel recorded about it: a VOLT summary
    (victim, offender, location, theme), the decisions made and the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=20, choices=ItemSource.choices)
    title = models.CharField(max_length=300)
    why = models.CharField(max_length=500, blank=True)  # what surfaced it, in plain words
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alert = models.ForeignKey(
        "linking.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.ForeignKey(
        "mace.DisruptionAction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    victim = models.TextField(blank=True)
    offender = models.TextField(blank=True)
    location = models.TextField(blank=True)
    theme = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position"),
            models.CheckConstraint(
                condition=models.Q(source__in=ItemSource.values), name="agenda_item_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActionKind(models.TextChoices):
    ABDUCTION_NOTICE = "abduction_notice", "Child abduction warning notice"
    LICENSING_VISIT = "licensing_visit", "Licensing visit to a business"
    HOTEL_AWARENESS = "hotel_awareness", "Hotel awareness"
    TAXI_AWARENESS = "taxi_awareness", "Taxi awareness"
    SCHOOL_SAFETY_PLAN = "school_safety_plan", "School safety plan"
    OTHER = "other", "Other disruption"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "No longer needed"


class DisruptionAction(models.Model):
    """Something the panel agreed someone will do to disrupt exploitation, by a date. An open
    action past its date returns to the next agenda."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="actions_agreed"
    )
    kind = models.CharField(max_length=24, choices=ActionKind.choices)
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # A child abduction warning notice: when it was served and when it expires.
    served_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ActionKind.values), name="action_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=ActionStatus.OPEN, closed_at__isnull=True)
                | (~models.Q(status=ActionStatus.OPEN) & models.Q(closed_at__isnull=False)),
                name="action_closed_when_finished",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(served_on__isnull=False, expires_on__gte=models.F("served_on")),
                name="action_notice_expires_after_served",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (due {self.due_on})"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today
