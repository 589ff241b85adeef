"""Referrals made from a concern, where they went, and every step the receiving team took.

One concern can produce several referrals, one per destination (the children's social care
front door, the allocated social worker for information, the police referral desk). A referral
moves submitted -> received -> screened -> outcome recorded, only through services; each step is
a ReferralTransition row with its actor, time and (for outcomes) the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from csehub.accounts.models import Agency, Partnership, Role
from csehub.children.models import Child
from csehub.concerns.models import Concern, RiskLevel


class Destination(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care front door"
    ALLOCATED_SOCIAL_WORKER = "allocated_social_worker", "Allocated social worker (for information)"
    POLICE_CSE_DESK = "police_cse_desk", "Police referral desk"


# The role whose members receive and act on referrals to each destination.
RECEIVING_ROLE: dict[str, Role] = {
    Destination.CHILDRENS_SOCIAL_CARE: Role.FRONT_DOOR,
    Destination.ALLOCATED_SOCIAL_WORKER: Role.SOCIAL_WORKER,
    Destination.POLICE_CSE_DESK: Role.POLICE_REFERRAL_DESK,
}


class ReferralState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RECEIVED = "received", "Received"
    SCREENED = "screened", "Screened"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"


class ReferralOutcome(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    ASSESSMENT = "assessment", "Assessment"
    EARLY_HELP = "early_help", "Early help"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    INFORMATION_ONLY = "information_only", "Information only"


# Which outcomes each receiving team can record. A social worker sent a referral for
# information acknowledges it; the front door and the police desk decide what happens next.
ALLOWED_OUTCOMES: dict[str, tuple[str, ...]] = {
    Destination.CHILDRENS_SOCIAL_CARE: (
        ReferralOutcome.STRATEGY_DISCUSSION,
        ReferralOutcome.ASSESSMENT,
        ReferralOutcome.EARLY_HELP,
        ReferralOutcome.NO_FURTHER_ACTION,
    ),
    Destination.POLICE_CSE_DESK: (
        ReferralOutcome.STRATEGY_DISCUSSION,
        ReferralOutcome.NO_FURTHER_ACTION,
        ReferralOutcome.INFORMATION_ONLY,
    ),
    Destination.ALLOCATED_SOCIAL_WORKER: (ReferralOutcome.INFORMATION_ONLY,),
}

# The steps a referral may take. A referral sent for information skips screening.
ALLOWED_TRANSITIONS: dict[str, set[tuple[str, str]]] = {
    destination: {
        (ReferralState.SUBMITTED, ReferralState.RECEIVED),
        (ReferralState.RECEIVED, ReferralState.SCREENED),
        (ReferralState.SCREENED, ReferralState.OUTCOME_RECORDED),
    }
    for destination in Destination.values
}
ALLOWED_TRANSITIONS[Destination.ALLOCATED_SOCIAL_WORKER] = {
    (ReferralState.SUBMITTED, ReferralState.RECEIVED),
    (ReferralState.RECEIVED, ReferralState.OUTCOME_RECORDED),
}


class Referral(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    # The concern's child, kept here too so scopes and the chronology need no join through it.
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    destination = models.CharField(max_length=32, choices=Destination.choices)
    # The receiving agency (front door or police) ...
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received"
    )
    # ... or the allocated social worker, for a referral sent for information.
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_made"
    )
    what_was_seen = models.TextField()
    child_details = models.TextField(blank=True)
    request = models.TextField(blank=True)  # what the referrer asks the receiving team to do
    risk_level = models.CharField(max_length=32, choices=RiskLevel.choices, blank=True)
    state = models.CharField(
        max_length=20, choices=ReferralState.choices, default=ReferralState.SUBMITTED
    )
    outcome = models.CharField(max_length=32, choices=ReferralOutcome.choices, blank=True)
    police_reference = models.CharField(max_length=64, blank=True)
    # Whether the police already held a CSE-flagged record when the referral arrived.
    flagged_record_existed = models.BooleanField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()  # the decision deadline from the timescales file
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["destination", "to_agency", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(destination__in=Destination.values),
                name="referral_destination_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=ReferralState.values), name="referral_state_valid"
            ),
            # A referral goes to an agency, or (for information) to one social worker.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        destination=Destination.ALLOCATED_SOCIAL_WORKER,
                        to_user__isnull=False,
                        to_agency__isnull=True,
                    )
                    | (
                        ~models.Q(destination=Destination.ALLOCATED_SOCIAL_WORKER)
                        & models.Q(to_agency__isnull=False, to_user__isnull=True)
                    )
                ),
                name="referral_addressed",
            ),
            # An outcome is recorded exactly when the referral reaches its last state.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        state=ReferralState.OUTCOME_RECORDED,
                        outcome__in=ReferralOutcome.values,
                        decided_at__isnull=False,
                    )
                    | (
                        ~models.Q(state=ReferralState.OUTCOME_RECORDED)
                        & models.Q(outcome="", decided_at__isnull=True)
                    )
                ),
                name="referral_outcome_with_state",
            ),
            # The police desk's decision always carries its own reference for the flagged record.
            models.CheckConstraint(
                condition=~models.Q(
                    destination=Destination.POLICE_CSE_DESK,
                    state=ReferralState.OUTCOME_RECORDED,
                )
                | (~models.Q(police_reference="") & models.Q(flagged_record_existed__isnull=False)),
                name="referral_police_outcome_has_reference",
            ),
            models.CheckConstraint(
                condition=~models.Q(what_was_seen=""), name="referral_says_what_was_seen"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state != ReferralState.OUTCOME_RECORDED

    def is_overdue_at(self, moment: object) -> bool:
        return self.is_open and self.due_at < moment  # type: ignore[operator]

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_at(timezone.now())

    @property
    def addressee(self) -> str:
        """Who it went to, as the page reads it."""
        if self.to_user_id is not None:
            return f"{self.to_user} (allocated social worker)"
        return str(self.to_agency)


class RiskDetailKind(models.TextChoices):
    PERSON = "person", "Person"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone number"
    USERNAME = "username", "Online username"
    PLACE = "place", "Place"


class ReferralRiskDetail(models.Model):
    """Something the receiving team should know about people posing a risk: a person, vehicle,
    phone, username or place, copied from the concern when the referral was made."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="risk_details")
    kind = models.CharField(max_length=16, choices=RiskDetailKind.choices)
    value = models.CharField(max_length=300)  # a name, plate, number, username or place
    details = models.CharField(max_length=500, blank=True)  # nickname, make, platform, address

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RiskDetailKind.values),
                name="referral_risk_detail_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(value=""), name="referral_risk_detail_has_value"
            ),
        ]

    def __str__(self) -> str:
        return self.value


class ReferralTransition(models.Model):
    """One step in a referral's life: who moved it, when, from where to where, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referral_transitions"
    )
    at = models.DateTimeField(default=timezone.now)
    from_state = models.CharField(max_length=20, choices=ReferralState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=ReferralState.choices)
    outcome = models.CharField(max_length=32, choices=ReferralOutcome.choices, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_state__in=ReferralState.values),
                name="referral_transition_to_state_valid",
            ),
            # Recording an outcome always says which outcome and why.
            models.CheckConstraint(
                condition=~models.Q(to_state=ReferralState.OUTCOME_RECORDED)
                | (models.Q(outcome__in=ReferralOutcome.values) & ~models.Q(reason="")),
                name="referral_transition_outcome_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} -> {self.to_state}"


class NotificationVerb(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", "A referral has been sent to your team"
    REFERRAL_PROGRESS = "referral_progress", "A referral you made has moved on"
    REFERRAL_OUTCOME = "referral_outcome", "An outcome has been recorded on a referral"
    REFERRAL_REQUESTED = "referral_requested", "A colleague has asked you to consider a referral"


class Notification(models.Model):
    """A message in the app for one user. It names the record by id; the page says the rest."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=32, choices=NotificationVerb.choices)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verb__in=NotificationVerb.values),
                name="notification_verb_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(referral__isnull=False) | models.Q(concern__isnull=False),
                name="notification_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.get_verb_display()

    @property
    def target_type(self) -> str:
        return "referral" if self.referral_id else "concern"

    @property
    def target_id(self) -> int:
        return int(self.referral_id or self.concern_id or 0)
