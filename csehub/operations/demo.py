"""The fictional demo partnership: Fernbridge, its agencies and one user for every role.

Every name here is invented. Loading is idempotent: records are found by their natural keys
(partnership slug, agency name, user email) and brought back to the demo state, never doubled.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from csehub.accounts.models import Agency, AgencyType, Partnership, Role, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .models import InstallationMode
from .selectors import installation_mode

DEMO_PASSWORD = "fernbridge-demo-2026"  # noqa: S105 - a published demo password, demo mode only
PARTNERSHIP = ("fernbridge", "Fernbridge Safeguarding Children Partnership")

AGENCIES: list[tuple[str, AgencyType]] = [
    ("Fernbridge Police", AgencyType.POLICE),
    ("Fernbridge Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    ("Oakhill Academy", AgencyType.SCHOOL),
    ("Fernbridge Community Health", AgencyType.HEALTH),
    ("Fernbridge Youth Service", AgencyType.YOUTH_SERVICE),
    ("Fernbridge Homes", AgencyType.HOUSING),
    ("Safe Harbour Project", AgencyType.VOLUNTARY_SECTOR),
    ("Canal Street Hotel", AgencyType.BUSINESS),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: Role
    agency: str
    job_title: str


USERS: list[DemoUser] = [
    DemoUser(
        "practitioner@fernbridge.example",
        "Ruth Okafor",
        Role.PRACTITIONER,
        "Oakhill Academy",
        "Year 9 teacher",
    ),
    DemoUser(
        "dsl@fernbridge.example",
        "Tom Brennan",
        Role.SAFEGUARDING_LEAD,
        "Oakhill Academy",
        "Designated safeguarding lead",
    ),
    DemoUser(
        "frontdoor@fernbridge.example",
        "Aisha Rahman",
        Role.FRONT_DOOR,
        "Fernbridge Children's Social Care",
        "Duty and advice social worker",
    ),
    DemoUser(
        "socialworker@fernbridge.example",
        "Megan Price",
        Role.SOCIAL_WORKER,
        "Fernbridge Children's Social Care",
        "Social worker",
    ),
    DemoUser(
        "referraldesk@fernbridge.example",
        "PC Lewis Grant",
        Role.POLICE_REFERRAL_DESK,
        "Fernbridge Police",
        "Referral desk officer",
    ),
    DemoUser(
        "analyst@fernbridge.example",
        "Chloe Whitaker",
        Role.POLICE_ANALYST,
        "Fernbridge Police",
        "Intelligence analyst",
    ),
    DemoUser(
        "mace@fernbridge.example",
        "Daniel Osei",
        Role.MACE_COORDINATOR,
        "Fernbridge Children's Social Care",
        "Exploitation coordinator",
    ),
    DemoUser(
        "missing@fernbridge.example",
        "Harriet Cole",
        Role.MISSING_COORDINATOR,
        "Fernbridge Youth Service",
        "Missing coordinator",
    ),
    DemoUser(
        "admin@fernbridge.example",
        "Sunil Mehta",
        Role.PARTNERSHIP_ADMIN,
        "Fernbridge Children's Social Care",
        "Partnership business manager",
    ),
    DemoUser(
        "ig@fernbridge.example",
        "Grace Adeyemi",
        Role.INFORMATION_GOVERNANCE,
        "Fernbridge Children's Social Care",
        "Information governance officer",
    ),
]


class DemoRefused(Exception):
    """The demo cannot be loaded here; the message says why and what to do."""


def demo_allowed_check() -> None:
    """Refuse unless both the settings and the database are in demo mode.

    The demo users' password is published, so loading them into a live database would open
    it to anyone who has read the README.
    """
    if not settings.CSEHUB_DEMO_MODE:
        raise DemoRefused(
            "The demo partnership is loaded only with the demo settings "
            f"(these are {settings.SETTINGS_MODULE}): its users' password is published."
        )
    mode = installation_mode()
    if mode != InstallationMode.DEMO:
        raise DemoRefused(
            "This database was not made in demo mode, so the demo users (whose password is "
            "published) are never loaded into it. Use a new database for the demo."
        )


@transaction.atomic
def demo_load() -> Partnership:
    """Create or restore the demo partnership, its agencies and users, and the vocabulary."""
    demo_allowed_check()
    from csehub.concerns.demo import demo_children_and_concerns
    from csehub.intelligence.demo import demo_intelligence
    from csehub.learning.demo import demo_learning
    from csehub.learning.demo_records import demo_certificates_and_records
    from csehub.linking.demo import demo_linking
    from csehub.mace.demo import demo_panel
    from csehub.missing.demo import demo_missing
    from csehub.operations.demo_history import demo_history, demo_history_panel
    from csehub.pathways.services import pathway_load
    from csehub.referrals.demo import demo_referrals_and_disclosures
    from csehub.taxonomy.services import taxonomy_load

    slug, name = PARTNERSHIP
    partnership, _ = Partnership.objects.update_or_create(slug=slug, defaults={"name": name})
    agencies: dict[str, Agency] = {}
    for agency_name, agency_type in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            partnership=partnership,
            name=agency_name,
            defaults={"agency_type": agency_type, "is_active": True},
        )
        agencies[agency_name] = agency
    for spec in USERS:
        user, _ = User.objects.update_or_create(
            email=spec.email,
            defaults={
                "full_name": spec.full_name,
                "role": spec.role,
                "agency": agencies[spec.agency],
                "partnership": partnership,
                "job_title": spec.job_title,
                "is_active": True,
                "is_demo": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    taxonomy_load(actor=None)
    pathway_load(actor=None)  # the demo pathway and contacts, and the examples
    demo_children_and_concerns(partnership)
    demo_referrals_and_disclosures(partnership)
    demo_missing(partnership)  # after the children it is about
    demo_history(partnership)  # the year around the story: after demo_missing, which skips
    # a partnership that has episodes already
    demo_learning(partnership)  # workbook learners in every state
    demo_certificates_and_records(partnership)  # after the learning demo: it loads the course
    demo_intelligence(partnership)
    # The panel's past meeting is a strategic one, so its agenda needs nothing above; it comes
    # before the linking story because it is the meeting that agreed to list Ryz.
    demo_panel(partnership)
    demo_linking(partnership)  # after everything it links: the analyst's part of the story
    demo_history_panel(partnership)  # the panel's past year, in the panel demo_panel made
    audit_record(
        actor=None,
        verb=Verb.LOADED,
        target_type="demo_partnership",
        target_id=slug,
        partnership=partnership,
    )
    return partnership
