"""Fictional children, concerns and risk assessments for the Fernbridge demo partnership.

Every child, person, plate, phone number and username here is invented (phone numbers come from
Ofcom's drama ranges). Loading is idempotent: a child is found by partnership, names and the
demo user who recorded it, and a child that already exists gets nothing added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.children import services as child_services
from csehub.children.models import CareStatus, Child, Disability, Ethnicity, Gender
from csehub.taxonomy.selectors import item_by_code

from . import services


@dataclass(frozen=True)
class DemoSign:
    vocabulary: str
    code: str
    seen: str
    when: str


@dataclass(frozen=True)
class DemoConcern:
    raised_by: str  # demo user email
    days_ago: int
    how_known: str
    what: str
    where: str
    involved: services.Involved = field(default_factory=services.Involved)
    danger: bool = False
    signs: tuple[DemoSign, ...] = ()
    judgement: tuple[str, str, str] | None = None  # (email, level, rationale)


@dataclass(frozen=True)
class DemoChild:
    recorded_by: str
    details: child_services.ChildDetails
    aliases: tuple[child_services.AliasInput, ...] = ()
    allocated_to: str = ""
    concerns: tuple[DemoConcern, ...] = ()


TEACHER = "practitioner@fernbridge.example"
DSL = "dsl@fernbridge.example"
MISSING = "missing@fernbridge.example"
SOCIAL_WORKER = "socialworker@fernbridge.example"

DEMO_CHILDREN: list[DemoChild] = [
    DemoChild(
        recorded_by=TEACHER,
        details=child_services.ChildDetails(
            given_name="Kira",
            family_name="Thorne",
            known_as="Kiki",
            date_of_birth=dt.date(2011, 5, 14),
            gender=Gender.FEMALE,
            ethnicity=Ethnicity.WHITE_BRITISH,
            disability=Disability.NO,
            care_status=CareStatus.CHILD_IN_NEED,
            school_or_setting="Oakhill Academy",
            home_postcode="FB2 4QT",
        ),
        aliases=(child_services.AliasInput(name="Kiki T", kind="nickname"),),
        allocated_to=SOCIAL_WORKER,
        concerns=(
            DemoConcern(
                raised_by=TEACHER,
                days_ago=70,
                how_known="saw",
                what="Kira has a new phone and expensive trainers and would not say where they "
                "came from. She has been late to registration three times this month.",
                where="Oakhill Academy",
                signs=(
                    DemoSign(
                        "warning_signs",
                        "unexplained_gifts_or_belongings",
                        "New phone and trainers, would not say who gave them",
                        "last_month",
                    ),
                    DemoSign(
                        "vulnerability_factors",
                        "family_breakdown",
                        "Parents separated last year; she moves between two homes",
                        "over_a_year",
                    ),
                ),
            ),
            DemoConcern(
                raised_by=TEACHER,
                days_ago=3,
                how_known="saw",
                what="Kira was picked up at the school gate by a man in his twenties in a black "
                "car. She looked anxious and got into the back seat. I saw part of the plate.",
                where="Oakhill Academy, Mill Lane gate",
                involved=services.Involved(
                    people=[
                        {
                            "name": "",
                            "nickname": "Ryz",
                            "age_estimate": 24,
                            "description": "Slim, short dark hair, grey tracksuit",
                        }
                    ],
                    vehicles=[{"plate": "FB6? ?KX", "make": "Audi A3", "colour": "black"}],
                    phones=[{"number": "07700 900456"}],
                    online=[{"platform": "Snapchat", "username": "@ryz_fb22"}],
                    locations=[
                        {
                            "name": "Mill Lane car park",
                            "address": "Mill Lane",
                            "postcode": "FB2 6LP",
                        }
                    ],
                ),
                signs=(
                    DemoSign(
                        "warning_signs",
                        "picked_up_in_cars",
                        "Collected by an unknown adult man in a black car",
                        "last_week",
                    ),
                    DemoSign(
                        "warning_signs",
                        "older_partner_or_friends",
                        "Friends say she has an older boyfriend called Ryz",
                        "last_month",
                    ),
                    DemoSign(
                        "warning_signs",
                        "unexplained_gifts_or_belongings",
                        "Still has the new phone; now also a designer bag",
                        "last_month",
                    ),
                    DemoSign(
                        "warning_signs",
                        "parties_flats_or_hotels",
                        "Told a friend she went to a party at a flat in town",
                        "last_month",
                    ),
                    DemoSign(
                        "grooming_behaviours",
                        "giving_gifts",
                        "Gifts appear to come from the same man",
                        "last_month",
                    ),
                ),
            ),
        ),
    ),
    DemoChild(
        recorded_by=DSL,
        details=child_services.ChildDetails(
            given_name="Jayden",
            family_name="Mills",
            age_estimate_years=15,
            gender=Gender.MALE,
            care_status=CareStatus.LOOKED_AFTER,
            school_or_setting="Oakhill Academy",
        ),
        concerns=(
            DemoConcern(
                raised_by=DSL,
                days_ago=10,
                how_known="other_told",
                what="His carer says Jayden has been coming home after midnight and has money "
                "for taxis. He talks about a gaming friend he has met up with in town.",
                where="Told by his foster carer",
                involved=services.Involved(
                    online=[{"platform": "Discord", "username": "blockmaster_77"}],
                ),
                signs=(
                    DemoSign(
                        "warning_signs",
                        "returning_late",
                        "Home after midnight on several school nights",
                        "last_month",
                    ),
                    DemoSign(
                        "warning_signs",
                        "paid_for_taxis_food_or_stays",
                        "Has money for taxis and will not say where it comes from",
                        "last_month",
                    ),
                    DemoSign(
                        "vulnerability_factors",
                        "looked_after_child",
                        "In foster care since last year",
                        "over_a_year",
                    ),
                ),
            ),
        ),
    ),
    DemoChild(
        recorded_by=MISSING,
        details=child_services.ChildDetails(
            given_name="Leah",
            family_name="Carver",
            date_of_birth=dt.date(2012, 9, 3),
            gender=Gender.FEMALE,
            ethnicity=Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN,
            disability=Disability.NOT_RECORDED,
            school_or_setting="Fernbridge Pupil Referral Unit",
        ),
        concerns=(
            DemoConcern(
                raised_by=MISSING,
                days_ago=6,
                how_known="child_told",
                what="At her return home interview Leah said she stayed with “a mate's older "
                "brother” and that he bought her food and vapes.",
                where="Return home interview at the youth centre",
                signs=(
                    DemoSign(
                        "warning_signs",
                        "missing_from_home_or_care",
                        "Missing overnight, found the next afternoon",
                        "last_week",
                    ),
                ),
                judgement=(
                    MISSING,
                    "significant_risk",
                    "Third missing episode in two months, each time with the same older male. "
                    "The tool only sees this episode.",
                ),
            ),
            # The same man as in Kira's concern: his car (the full plate this time), his phone
            # and the car park. The linking engine joins them, so the car and the phone each
            # reach a second child and the analysts are alerted.
            DemoConcern(
                raised_by=MISSING,
                days_ago=2,
                how_known="saw",
                what="A youth worker saw Leah get into a black Audi A3, FB61 AKX, in the Mill "
                "Lane car park at about 10pm. Her friends say the driver is called Ryz and that "
                "she has his number saved.",
                where="Mill Lane car park",
                involved=services.Involved(
                    people=[{"name": "", "nickname": "Ryz", "age_estimate": 24}],
                    vehicles=[{"plate": "FB61 AKX", "make": "Audi A3", "colour": "black"}],
                    phones=[{"number": "07700 900456"}],
                    locations=[
                        {
                            "name": "Mill Lane car park",
                            "address": "Mill Lane",
                            "postcode": "FB2 6LP",
                        }
                    ],
                ),
                signs=(
                    DemoSign(
                        "warning_signs",
                        "picked_up_in_cars",
                        "Got into a black car driven by an older man, late at night",
                        "last_week",
                    ),
                    DemoSign(
                        "warning_signs",
                        "older_partner_or_friends",
                        "Friends say she sees an older man called Ryz",
                        "last_month",
                    ),
                ),
            ),
        ),
    ),
    DemoChild(
        recorded_by=TEACHER,
        details=child_services.ChildDetails(
            given_name="Sami",
            family_name="Haddad",
            date_of_birth=dt.date(2010, 1, 22),
            gender=Gender.MALE,
            ethnicity=Ethnicity.OTHER_ARAB,
            disability=Disability.YES,
            care_status=CareStatus.NONE_KNOWN,
            school_or_setting="Oakhill Academy",
        ),
        concerns=(
            DemoConcern(
                raised_by=TEACHER,
                days_ago=1,
                how_known="saw",
                what="Sami seemed withdrawn in class and left early. Nothing else noticed yet.",
                where="Oakhill Academy",
            ),
            # The gaming friend from Jayden's concern, named without the platform: the only
            # account with that handle, so the engine resolves it and links the two boys.
            DemoConcern(
                raised_by=MISSING,
                days_ago=1,
                how_known="child_told",
                what="At youth club Sami said he is meeting an older gaming friend, "
                "blockmaster_77, in town on Saturday. The friend sent him a new headset.",
                where="Friday youth club",
                involved=services.Involved(online=[{"platform": "", "username": "blockmaster_77"}]),
                signs=(
                    DemoSign(
                        "warning_signs",
                        "unexplained_gifts_or_belongings",
                        "A new headset from someone he knows only online",
                        "last_week",
                    ),
                    DemoSign(
                        "grooming_behaviours",
                        "giving_gifts",
                        "The online friend sends him gifts and wants to meet",
                        "last_week",
                    ),
                ),
            ),
        ),
    ),
]


def _user(email: str) -> User:
    return User.objects.get(email=email)


@transaction.atomic
def demo_children_and_concerns(partnership: Partnership) -> list[Child]:
    """Create the demo children with their concerns and assessments; children that already
    exist are left as they are, so running it twice doubles nothing."""
    today = timezone.localdate()
    children: list[Child] = []
    for spec in DEMO_CHILDREN:
        recorder = _user(spec.recorded_by)
        existing = Child.objects.filter(
            partnership=partnership,
            given_name=spec.details.given_name,
            family_name=spec.details.family_name,
            created_by=recorder,
        ).first()
        if existing is not None:
            children.append(existing)
            continue
        details = spec.details
        if spec.allocated_to:
            details = child_services.ChildDetails(
                **{**vars(details), "allocated_social_worker": _user(spec.allocated_to)}
            )
        child = child_services.child_create(actor=recorder, details=details, aliases=spec.aliases)
        for demo in spec.concerns:
            raiser = _user(demo.raised_by)
            concern = services.concern_create(actor=raiser, child=child)
            services.concern_submit(
                actor=raiser,
                concern=concern,
                answers=services.ConcernAnswers(
                    how_known=demo.how_known,
                    what_was_seen=demo.what,
                    observed_on=today - dt.timedelta(days=demo.days_ago),
                    where=demo.where,
                    involved=demo.involved,
                ),
            )
            assessment = services.risk_assessment_create(
                actor=raiser,
                concern=concern,
                immediate_danger=demo.danger,
                observations=[
                    services.ObservationInput(
                        item=item_by_code(sign.vocabulary, sign.code),
                        what_was_seen=sign.seen,
                        roughly_when=sign.when,
                    )
                    for sign in demo.signs
                ],
            )
            if demo.judgement:
                email, level, rationale = demo.judgement
                services.risk_judgement_record(
                    actor=_user(email), assessment=assessment, level=level, rationale=rationale
                )
        children.append(child)
    return children
