"""A partnership with a real record of every kind for every relationship a user can have to it.

One signed-in user per role (the "viewers"), each in the agency their role usually works in,
and one case per (role, relationship): a child, a submitted concern, a risk assessment, a signed
disclosure, a referral, a shared intelligence report and the linking entity of the vehicle it
names, all made through the services, as the people involved would make them.

Relationships, always from the viewer's side:
- own: the viewer made the records (a referral: the viewer made it, or, for a role that cannot
  refer, their agency's safeguarding lead made it from the viewer's concern). A role that cannot
  record a child has only its own intelligence report (and its entity).
- same_agency: a practitioner colleague of the viewer's agency made them; a lead colleague
  referred the concern.
- allocated: another agency made them about a child allocated to the viewers' social worker.
- referred: another agency made them and its lead sent the referral to the viewer's team (the
  front door, the police desk, or the social worker by name); only roles that receive referrals.
- other_agency: another agency of the same partnership made them, nothing sent to the viewer.
- other_partnership: an agency of another partnership made them.

Every referral not addressed to a viewer's team goes to a second children's social care front
door, so that "referred" stays the only way a referral reaches a viewer's team. Synthetic data
only: every person, plate and place here is made up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import cast

from django.test import Client
from django.utils import timezone

from csehub.accounts.models import Agency, AgencyType, Partnership, Role, User
from csehub.api.services import api_token_issue
from csehub.children import services as children_services
from csehub.children.models import Child
from csehub.concerns import services as concerns_services
from csehub.concerns.models import Concern, RiskAssessment
from csehub.disclosures import services as disclosures_services
from csehub.disclosures.models import Disclosure
from csehub.intelligence import services as intelligence_services
from csehub.intelligence.models import IntelligenceReport
from csehub.linking import services as linking_services
from csehub.linking.models import Entity, EntityType
from csehub.referrals import services as referrals_services
from csehub.referrals.models import Destination, Referral

from .clients import signed_in_client
from .factories import TEST_PASSWORD, AgencyFactory, PartnershipFactory, UserFactory


class Relationship(enum.StrEnum):
    OWN = "own"
    SAME_AGENCY = "same_agency"
    ALLOCATED = "allocated"
    REFERRED = "referred"
    OTHER_AGENCY = "other_agency"
    OTHER_PARTNERSHIP = "other_partnership"


class Home(enum.StrEnum):
    SCHOOL = "school"
    COUNCIL = "council"
    POLICE = "police"


# Where each role usually works: it decides who the viewer's colleagues are.
HOME: dict[Role, Home] = {
    Role.PRACTITIONER: Home.SCHOOL,
    Role.SAFEGUARDING_LEAD: Home.SCHOOL,
    Role.FRONT_DOOR: Home.COUNCIL,
    Role.SOCIAL_WORKER: Home.COUNCIL,
    Role.POLICE_REFERRAL_DESK: Home.POLICE,
    Role.POLICE_ANALYST: Home.POLICE,
    Role.MACE_COORDINATOR: Home.COUNCIL,
    Role.MISSING_COORDINATOR: Home.COUNCIL,
    Role.PARTNERSHIP_ADMIN: Home.COUNCIL,
    Role.INFORMATION_GOVERNANCE: Home.COUNCIL,
}

# Roles that record children (and so raise concerns, assess and record disclosures about them).
RECORDING_ROLES = (
    Role.PRACTITIONER,
    Role.SAFEGUARDING_LEAD,
    Role.FRONT_DOOR,
    Role.SOCIAL_WORKER,
    Role.MISSING_COORDINATOR,
)
# Roles whose team receives referrals: only they have a "referred" case.
RECEIVING_ROLES = (Role.FRONT_DOOR, Role.POLICE_REFERRAL_DESK, Role.SOCIAL_WORKER)

# Made-up surnames, one per case: each case's records carry its own so a page shows whose it is.
_SURNAMES = (
    *("Ashcombe", "Brackenby", "Corliss", "Dunmere", "Elsworth", "Fennimore", "Gorsedale"),
    *("Hollinbrook", "Ivesmere", "Jessamy", "Kestley", "Lowmoor", "Marrowby", "Nettlecombe"),
    *("Orrington", "Pellworth", "Quillan", "Rushmere", "Stavewood", "Thistleby", "Umberleigh"),
    *("Vantry", "Wrenfield", "Yarrowby"),
)


@dataclass
class Case:
    """The records about one child, made by one agency, and their markers: text that appears
    on a record's page only when that record is shown."""

    name: str  # e.g. "own practitioner", for failure messages
    surname: str
    child: Child | None = None
    concern: Concern | None = None
    assessment: RiskAssessment | None = None
    disclosure: Disclosure | None = None
    referral: Referral | None = None
    report: IntelligenceReport | None = None
    entity: Entity | None = None  # the vehicle the report names
    phone_entity: Entity | None = None  # the phone named with it: the network's one link

    @property
    def child_marker(self) -> str:
        return f"Robin {self.surname}"

    @property
    def concern_marker(self) -> str:
        return f"outside the {self.surname} Arcade"

    @property
    def referral_marker(self) -> str:
        return f"strategy discussion for the {self.surname} case"

    @property
    def disclosure_marker(self) -> str:
        return f"the {self.surname} library office"

    @property
    def report_marker(self) -> str:
        return f"by the {self.surname} taxi rank"

    @property
    def entity_marker(self) -> str:
        return self.entity.reference if self.entity is not None else ""

    @property
    def plate(self) -> str:
        index = _SURNAMES.index(self.surname)
        return f"{self.surname[:2].upper()}{10 + index} {self.surname[-3:].upper()}"

    @property
    def phone(self) -> str:
        # Ofcom's range for drama: numbers that are never anyone's.
        return f"07700 900{100 + _SURNAMES.index(self.surname)}"


@dataclass
class Scenario:
    partnership: Partnership
    elsewhere: Partnership
    viewers: dict[Role, User]
    cases: dict[tuple[Role, Relationship], Case]
    # Built once for speed: a signed-in page client and a bearer-token API client per viewer.
    pages: dict[Role, Client] = field(default_factory=dict)
    api: dict[Role, Client] = field(default_factory=dict)

    def case(self, role: Role, relationship: Relationship) -> Case | None:
        """The case that stands in this relationship to the role's viewer; None when the
        relationship cannot exist for the role (it records no children, receives no referrals)."""
        return self.cases.get((role, relationship))


@dataclass(frozen=True)
class _Makers:
    """Who makes a case's records: a recorder, the lead who refers, and where it is sent."""

    recorder: User
    referrer: User
    addressee: referrals_services.Addressee


def _agency(partnership: Partnership, name: str, kind: str) -> Agency:
    return cast(Agency, AgencyFactory(partnership=partnership, name=name, agency_type=kind))


def _user(agency: Agency, role: Role, name: str) -> User:
    return cast(User, UserFactory(agency=agency, role=role, full_name=name))


def _entity(report: IntelligenceReport, kind: str, label: str, ref: str) -> Entity:
    """The entity the linking engine resolves one of the report's mentions into."""
    entity = linking_services.entity_create(
        partnership_id=report.partnership_id, entity_type=kind, label=label
    )
    linking_services.mentions_assign_by_engine(
        entity=entity, mention_ids=[f"{report.external_id}/{ref}"]
    )
    return entity


def _case_build(
    *,
    name: str,
    surname: str,
    makers: _Makers,
    allocate_to: User | None = None,
    allocated_by: User | None = None,
    report_only: bool = False,
) -> Case:
    case = Case(name=name, surname=surname)
    recorder = makers.recorder
    case.report = intelligence_services.report_share(
        actor=recorder,
        text=(
            f"A grey hatchback, plate {case.plate}, waits {case.report_marker} most evenings. "
            f"The driver gives girls the number {case.phone}."
        ),
        how_known="saw_it",
        observed_at=None,
        items=intelligence_services.SharedItems(
            vehicles=[{"plate": case.plate}], phones=[{"number": case.phone}]
        ),
    )
    case.entity = _entity(case.report, EntityType.VEHICLE, case.plate.replace(" ", ""), "v1")
    case.phone_entity = _entity(case.report, EntityType.PHONE, case.phone, "t1")
    if report_only:
        return case
    details = children_services.ChildDetails(
        given_name="Robin", family_name=surname, age_estimate_years=14
    )
    case.child = children_services.child_create(actor=recorder, details=details)
    if allocate_to is not None:
        # The front door allocates the social worker, as it would on the child's page.
        case.child = children_services.child_update(
            actor=cast(User, allocated_by),
            child=case.child,
            details=dataclasses.replace(details, allocated_social_worker=allocate_to),
            aliases=[],
        )
    concern = concerns_services.concern_create(actor=recorder, child=case.child)
    case.concern = concerns_services.concern_submit(
        actor=recorder,
        concern=concern,
        answers=concerns_services.ConcernAnswers(
            how_known="saw",
            what_was_seen=f"Seen {case.concern_marker} getting into a car with an older man.",
            observed_on=timezone.localdate() - dt.timedelta(days=2),
        ),
    )
    case.assessment = concerns_services.risk_assessment_create(
        actor=recorder, concern=case.concern, immediate_danger=False, observations=[]
    )
    case.disclosure = disclosures_services.disclosure_create(
        actor=recorder,
        child=case.child,
        concern=case.concern,
        details=disclosures_services.DisclosureDetails(
            occurred_on=timezone.localdate() - dt.timedelta(days=1),
            occurred_time=dt.time(10, 15),
            place=f"In {case.disclosure_marker}",
            childs_words='She said "he buys me things and says I owe him".',
            practitioner_response="I listened and told her I would tell the safeguarding lead.",
        ),
        sign_with_password=TEST_PASSWORD,
    )
    case.referral = referrals_services.referral_create(
        actor=makers.referrer,
        concern=case.concern,
        addressee=makers.addressee,
        content=referrals_services.ReferralContent(
            what_was_seen=case.concern.what_was_seen,
            request=f"Please consider a {case.referral_marker}.",
        ),
    )
    return case


def scenario_build() -> Scenario:
    """Every role's viewer and every case, with their signed-in page and API clients."""
    surnames = iter(_SURNAMES)
    here = cast(Partnership, PartnershipFactory())
    elsewhere = cast(
        Partnership,
        PartnershipFactory(slug="otherton", name="Otherton Safeguarding Children Partnership"),
    )
    csc = AgencyType.CHILDRENS_SOCIAL_CARE
    homes = {
        Home.SCHOOL: _agency(here, "Elmfield Academy", AgencyType.SCHOOL),
        Home.COUNCIL: _agency(here, "Testshire Children's Services", csc),
        Home.POLICE: _agency(here, "Testshire Police", AgencyType.POLICE),
    }
    other_school = _agency(here, "Brookside High School", AgencyType.SCHOOL)
    # A second front door of the partnership: where referrals go that reach no viewer's team.
    other_front_door = _agency(here, "Northvale Children's Services", csc)
    far_school = _agency(elsewhere, "Otherton Grammar School", AgencyType.SCHOOL)
    far_front_door = _agency(elsewhere, "Otherton Children's Services", csc)

    viewers = {role: _user(homes[HOME[role]], role, f"Viewer {role.label}") for role in Role}
    colleagues = {
        home: (
            _user(agency, Role.PRACTITIONER, f"Colleague practitioner at {agency.name}"),
            _user(agency, Role.SAFEGUARDING_LEAD, f"Colleague lead at {agency.name}"),
        )
        for home, agency in homes.items()
    }
    other_practitioner = _user(other_school, Role.PRACTITIONER, "Owen Other")
    other_lead = _user(other_school, Role.SAFEGUARDING_LEAD, "Olive Otherlead")
    far_practitioner = _user(far_school, Role.PRACTITIONER, "Fay Faraway")
    far_lead = _user(far_school, Role.SAFEGUARDING_LEAD, "Finn Farlead")

    def to(destination: str, agency: Agency | None = None) -> referrals_services.Addressee:
        return referrals_services.Addressee(destination=destination, to_agency=agency)

    to_no_viewers_team = to(Destination.CHILDRENS_SOCIAL_CARE, other_front_door)
    front_door = viewers[Role.FRONT_DOOR]
    social_worker = viewers[Role.SOCIAL_WORKER]
    cases: dict[tuple[Role, Relationship], Case] = {}

    for role in Role:
        viewer = viewers[role]
        home = HOME[role]
        lead = viewer if role == Role.SAFEGUARDING_LEAD else colleagues[home][1]
        cases[(role, Relationship.OWN)] = _case_build(
            name=f"own ({role})",
            surname=next(surnames),
            makers=_Makers(recorder=viewer, referrer=lead, addressee=to_no_viewers_team),
            report_only=role not in RECORDING_ROLES,
        )

    for home in Home:
        practitioner, lead = colleagues[home]
        case = _case_build(
            name=f"same agency ({home})",
            surname=next(surnames),
            makers=_Makers(recorder=practitioner, referrer=lead, addressee=to_no_viewers_team),
        )
        for role in Role:
            if HOME[role] == home:
                cases[(role, Relationship.SAME_AGENCY)] = case

    other_agency = _Makers(
        recorder=other_practitioner, referrer=other_lead, addressee=to_no_viewers_team
    )
    allocated = _case_build(
        name="allocated to the social worker",
        surname=next(surnames),
        makers=other_agency,
        allocate_to=social_worker,
        allocated_by=front_door,
    )
    other = _case_build(name="other agency", surname=next(surnames), makers=other_agency)
    far = _case_build(
        name="other partnership",
        surname=next(surnames),
        makers=_Makers(
            recorder=far_practitioner,
            referrer=far_lead,
            addressee=to(Destination.CHILDRENS_SOCIAL_CARE, far_front_door),
        ),
    )
    for role in Role:
        cases[(role, Relationship.ALLOCATED)] = allocated
        cases[(role, Relationship.OTHER_AGENCY)] = other
        cases[(role, Relationship.OTHER_PARTNERSHIP)] = far

    team_addressee = {
        Role.FRONT_DOOR: to(Destination.CHILDRENS_SOCIAL_CARE, homes[Home.COUNCIL]),
        Role.POLICE_REFERRAL_DESK: to(Destination.POLICE_CSE_DESK, homes[Home.POLICE]),
        # Sent for information to the allocated social worker, so the child is allocated.
        Role.SOCIAL_WORKER: to(Destination.ALLOCATED_SOCIAL_WORKER),
    }
    for role in RECEIVING_ROLES:
        cases[(role, Relationship.REFERRED)] = _case_build(
            name=f"referred to the {role} team",
            surname=next(surnames),
            makers=_Makers(
                recorder=other_practitioner, referrer=other_lead, addressee=team_addressee[role]
            ),
            allocate_to=social_worker if role == Role.SOCIAL_WORKER else None,
            allocated_by=front_door,
        )

    scenario = Scenario(partnership=here, elsewhere=elsewhere, viewers=viewers, cases=cases)
    for role, viewer in viewers.items():
        scenario.pages[role] = signed_in_client(viewer)
        _, token = api_token_issue(actor=viewer, user=viewer, name="scope matrix", days=1)
        scenario.api[role] = Client(headers={"Authorization": f"Bearer {token}"})
    return scenario


def cases_of(scenario: Scenario) -> list[Case]:
    """Each case once (several relationships share one)."""
    seen: dict[int, Case] = {}
    for case in scenario.cases.values():
        seen.setdefault(id(case), case)
    return list(seen.values())
