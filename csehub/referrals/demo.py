"""Demo referrals in every state (some overdue) and a signed disclosure with an addendum.

Everything is fictional and made through the services, back-dated so that the work lists show
overdue referrals. Idempotent: when the demo safeguarding lead has already made referrals, or the
demo teacher has already recorded a disclosure, that part is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Agency, AgencyType, Partnership, User
from csehub.concerns.models import Concern, ConcernStatus
from csehub.disclosures import services as disclosure_services
from csehub.disclosures.models import Disclosure

from . import services
from .models import Destination, Referral, ReferralOutcome, ReferralState

DSL = "dsl@fernbridge.example"
TEACHER = "practitioner@fernbridge.example"
RECEIVERS = {
    Destination.CHILDRENS_SOCIAL_CARE: "frontdoor@fernbridge.example",
    Destination.POLICE_CSE_DESK: "referraldesk@fernbridge.example",
    Destination.ALLOCATED_SOCIAL_WORKER: "socialworker@fernbridge.example",
}


@dataclass(frozen=True)
class DemoReferral:
    concern_index: int  # which of the school's concerns, oldest first
    destination: Destination
    days_ago: int  # when it was sent
    state: ReferralState
    outcome: ReferralOutcome | None = None
    reason: str = ""
    police_reference: str = ""


DEMO_REFERRALS: list[DemoReferral] = [
    # Decided: every outcome appears at least once.
    DemoReferral(
        0,
        Destination.CHILDRENS_SOCIAL_CARE,
        60,
        ReferralState.OUTCOME_RECORDED,
        ReferralOutcome.EARLY_HELP,
        "Worries were emerging; the early help hub will work with the family.",
    ),
    DemoReferral(
        0,
        Destination.CHILDRENS_SOCIAL_CARE,
        20,
        ReferralState.OUTCOME_RECORDED,
        ReferralOutcome.STRATEGY_DISCUSSION,
        "New warning signs and an unknown adult with a car: strategy discussion called.",
    ),
    DemoReferral(
        0,
        Destination.ALLOCATED_SOCIAL_WORKER,
        20,
        ReferralState.OUTCOME_RECORDED,
        ReferralOutcome.INFORMATION_ONLY,
        "Read, and added to the child in need plan.",
    ),
    DemoReferral(
        0,
        Destination.POLICE_CSE_DESK,
        20,
        ReferralState.OUTCOME_RECORDED,
        ReferralOutcome.STRATEGY_DISCUSSION,
        "CSE-flagged record created; the vehicle details have gone to the CSE team.",
        "FB-26-0041173",
    ),
    DemoReferral(
        1,
        Destination.CHILDRENS_SOCIAL_CARE,
        30,
        ReferralState.OUTCOME_RECORDED,
        ReferralOutcome.ASSESSMENT,
        "A social worker will assess the family's needs.",
    ),
    DemoReferral(
        1,
        Destination.POLICE_CSE_DESK,
        30,
        ReferralState.OUTCOME_RECORDED,
        ReferralOutcome.NO_FURTHER_ACTION,
        "Record already flagged; nothing new for the police at this stage.",
        "FB-26-0038820",
    ),
    # Open, and overdue.
    DemoReferral(2, Destination.CHILDRENS_SOCIAL_CARE, 6, ReferralState.SCREENED),
    DemoReferral(2, Destination.POLICE_CSE_DESK, 5, ReferralState.RECEIVED),
    DemoReferral(3, Destination.CHILDRENS_SOCIAL_CARE, 4, ReferralState.SUBMITTED),
    # Open, just sent.
    DemoReferral(3, Destination.POLICE_CSE_DESK, 0, ReferralState.SUBMITTED),
]


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _agency(partnership: Partnership, kind: AgencyType) -> Agency | None:
    return Agency.objects.filter(partnership=partnership, agency_type=kind).order_by("pk").first()


def demo_referral_make(
    partnership: Partnership, concern: Concern, spec: DemoReferral, now: dt.datetime
) -> Referral:
    sent = now - dt.timedelta(days=spec.days_ago, hours=2)
    # A referral never comes before what it is about was seen.
    if concern.observed_at is not None:
        sent = max(sent, min(concern.observed_at + dt.timedelta(hours=3), now))
    agency = {
        Destination.CHILDRENS_SOCIAL_CARE: _agency(partnership, AgencyType.CHILDRENS_SOCIAL_CARE),
        Destination.POLICE_CSE_DESK: _agency(partnership, AgencyType.POLICE),
    }.get(spec.destination)
    referral = services.referral_create(
        actor=_user(DSL),
        concern=concern,
        addressee=services.Addressee(spec.destination, agency),
        content=services.ReferralContent(
            what_was_seen=concern.what_was_seen,
            child_details=f"Known as {concern.child.display_name}. Attends Oakhill Academy.",
            request="Please consider a strategy discussion, and a CSE-flagged police record.",
            risk_details=[
                services.RiskDetailInput("vehicle", "FB?? XRT", "silver saloon (fictional)"),
                services.RiskDetailInput("username", "nightowl_fb77", "a photo-sharing app"),
            ],
        ),
        at=sent,
    )
    receiver = _user(RECEIVERS[spec.destination])
    order = [ReferralState.RECEIVED, ReferralState.SCREENED, ReferralState.OUTCOME_RECORDED]
    steps = order[: order.index(spec.state) + 1] if spec.state in order else []
    when = sent
    for step in steps:
        when = min(when + dt.timedelta(hours=3), now)
        if step == ReferralState.RECEIVED:
            services.referral_receive(actor=receiver, referral=referral, at=when)
        elif (
            step == ReferralState.SCREENED
            and spec.destination != Destination.ALLOCATED_SOCIAL_WORKER
        ):
            services.referral_screen(
                actor=receiver, referral=referral, note="Checked our records.", at=when
            )
        elif step == ReferralState.OUTCOME_RECORDED and spec.outcome is not None:
            services.referral_outcome_record(
                actor=receiver,
                referral=referral,
                outcome=spec.outcome,
                reason=spec.reason,
                police_reference=spec.police_reference,
                flagged_record_existed=(
                    spec.outcome == ReferralOutcome.NO_FURTHER_ACTION
                    if spec.police_reference
                    else None
                ),
                at=when,
            )
    return referral


def _demo_disclosure(concern: Concern, now: dt.datetime) -> None:
    teacher = _user(TEACHER)
    if Disclosure.objects.filter(recorded_by=teacher, child=concern.child).exists():
        return
    from csehub.operations.demo import DEMO_PASSWORD

    told = timezone.localtime(now - dt.timedelta(days=19))
    disclosure = disclosure_services.disclosure_create(
        actor=teacher,
        child=concern.child,
        concern=concern,
        details=disclosure_services.DisclosureDetails(
            occurred_on=told.date(),
            occurred_time=dt.time(12, 40),
            place="Quiet room next to the Year 9 office",
            who_was_present="No one else. The door was ajar.",
            childs_words=(
                "he picks me up after school in the silver car and buys me stuff. "
                "he says I owe him now and if I tell anyone he'll send the pictures round"
            ),
            practitioner_response=(
                "I listened and stayed calm. I told her she had done the right thing by "
                "telling me and that it was not her fault. I said I could not keep it secret "
                "and that I would tell Mr Brennan, the safeguarding lead, today. I did not ask "
                "her anything else."
            ),
            who_was_told="Tom Brennan (safeguarding lead) at 13:05 the same day, in person.",
        ),
        sign_with_password=DEMO_PASSWORD,
    )
    disclosure_services.addendum_add(
        actor=_user(DSL),
        disclosure=disclosure,
        text="Referred to the front door and the police referral desk the same afternoon.",
    )


@transaction.atomic
def demo_referrals_and_disclosures(partnership: Partnership) -> list[Referral]:
    """Referrals from the demo school's concerns in every state, and a signed disclosure."""
    concerns = list(
        Concern.objects.filter(
            child__partnership=partnership,
            agency__name="Oakhill Academy",
            status=ConcernStatus.SUBMITTED,
        ).order_by("pk")  # the story's own first: the history's are back-dated, but newer
    )
    if not concerns:
        return []
    now = timezone.now()
    made: list[Referral] = []
    dsl = _user(DSL)
    if not Referral.objects.filter(partnership=partnership, referred_by=dsl).exists():
        for spec in DEMO_REFERRALS:
            concern = concerns[spec.concern_index % len(concerns)]
            if (
                spec.destination == Destination.ALLOCATED_SOCIAL_WORKER
                and concern.child.allocated_social_worker_id is None
            ):
                continue
            if (
                Referral.objects.filter(concern=concern, destination=spec.destination)
                .exclude(state=ReferralState.OUTCOME_RECORDED)
                .exists()
            ):
                continue  # too few demo concerns to give each open referral its own
            made.append(demo_referral_make(partnership, concern, spec, now))
    _demo_disclosure(concerns[0], now)
    return made
