"""Referrals, their steps and their outcomes as entries in a child's chronology."""

from __future__ import annotations

from django.urls import reverse

from csehub.accounts.models import User
from csehub.children.chronology import (
    ChronologyEntry,
    register_chronology_kind,
    register_chronology_source,
)
from csehub.children.models import Child

from .models import ReferralOutcome, ReferralState, ReferralTransition
from .selectors import referrals_for_child

register_chronology_kind("referral", "Referral made")
register_chronology_kind("referral_step", "Referral received or screened")
register_chronology_kind("referral_outcome", "Referral decision")


@register_chronology_source
def referral_entries(child: Child, user: User) -> list[ChronologyEntry]:
    referrals = list(referrals_for_child(user=user, child=child))
    transitions = (
        ReferralTransition.objects.filter(referral__in=[r.pk for r in referrals])
        .select_related("referral", "actor", "actor__agency")
        .order_by("at", "pk")
    )
    by_pk = {r.pk: r for r in referrals}
    entries: list[ChronologyEntry] = []
    for step in transitions:
        referral = by_pk[step.referral_id]
        url = reverse("referrals:detail", kwargs={"pk": referral.pk})
        agency = str(referral.referring_agency)
        if step.to_state == ReferralState.SUBMITTED:
            entries.append(
                ChronologyEntry(
                    at=step.at,
                    kind="referral",
                    kind_label="Referral made",
                    title=f"Referral sent to {referral.addressee}",
                    summary=f"Made by {referral.referred_by}",
                    url=url,
                    agency=agency,
                )
            )
        elif step.to_state == ReferralState.OUTCOME_RECORDED:
            entries.append(
                ChronologyEntry(
                    at=step.at,
                    kind="referral_outcome",
                    kind_label="Referral decision",
                    title=f"Outcome: {ReferralOutcome(step.outcome).label}",
                    summary=f"Recorded by {step.actor} for the referral to {referral.addressee}",
                    url=url,
                    agency=str(step.actor.agency or ""),
                )
            )
        else:
            entries.append(
                ChronologyEntry(
                    at=step.at,
                    kind="referral_step",
                    kind_label="Referral received or screened",
                    title=f"Referral {ReferralState(step.to_state).label.lower()} by "
                    f"{referral.addressee}",
                    summary=f"By {step.actor}",
                    url=url,
                    agency=str(step.actor.agency or ""),
                )
            )
    return entries
