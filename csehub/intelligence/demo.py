"""Demo intelligence: a few fictional reports from several agencies, some already graded.

Made through the services, so the audit trail and normal forms are as in real use. Idempotent:
a report is recognised by its text from the same demo user, and left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership, User

from . import services
from .models import HowKnown, IntelligenceReport, Outcome


@dataclass(frozen=True)
class DemoReport:
    submitter: str
    text: str
    how_known: str
    days_ago: int
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    grading: dict[str, str] | None = None


ANALYST = "analyst@fernbridge.example"

DEMO_REPORTS = [
    DemoReport(
        "missing@fernbridge.example",
        "A silver Audi, plate starting YX1, picked a girl up outside the Golden Fry takeaway "
        "on Canal Street at about 9pm. The driver is known as Danny D.",
        HowKnown.SAW_IT,
        12,
        {
            "persons": [{"name": "", "nickname": "Danny D", "age_estimate": 25}],
            "vehicles": [{"plate": "YX1*", "make": "Audi", "colour": "silver"}],
            "locations": [{"name": "Golden Fry takeaway", "postcode": "FB1 4QT", "business": True}],
        },
        {
            "source_evaluation": "2",
            "intelligence_assessment": "B",
            "handling_code": "P",
            "outcome": Outcome.INTELLIGENCE_RECORD_CREATED,
            "outcome_reference": "FB-INT-26-00731",
            "feedback": "Thank you. This has been added to a police intelligence record and "
            "joins other information we hold about the vehicle.",
        },
    ),
    DemoReport(
        "practitioner@fernbridge.example",
        "Two Year 9 girls said an older lad on snap: danny_d22 keeps sending them money for "
        "'favours'. They call him Danny.",
        HowKnown.WAS_TOLD,
        6,
        {
            "online": [{"platform": "snapchat", "username": "danny_d22"}],
            "persons": [{"name": "", "nickname": "Danny", "age_estimate": 19}],
        },
        {
            "source_evaluation": "2",
            "intelligence_assessment": "C",
            "handling_code": "C",
            "handling_conditions": "Do not share outside the CSE team: a live enquiry.",
            "outcome": Outcome.SAFEGUARDING_REFERRAL,
            "feedback": "Thank you: this has helped. A safeguarding referral has been made and "
            "the school's safeguarding lead will be contacted.",
        },
    ),
    DemoReport(
        "frontdoor@fernbridge.example",
        "Rumour among young people that parties happen at a flat above the shops on Mill Lane, "
        "number to call for an invite is 07700 900461.",
        HowKnown.RUMOUR,
        3,
        {"phones": [{"number": "07700 900461"}]},
    ),
    DemoReport(
        "dsl@fernbridge.example",
        "A black BMW, partial plate YX1? ?BC, waits by the school gate most afternoons.",
        HowKnown.SAW_IT,
        1,
        {"vehicles": [{"plate": "YX1? ?BC", "make": "BMW", "colour": "black"}]},
    ),
    # Ryz: the man in Kira's and Leah's concerns (csehub/concerns/demo.py). This report puts
    # his car, his handle (platform written "snap"), his phone and the car park together.
    DemoReport(
        "socialworker@fernbridge.example",
        "Kira's friends say the man she calls Ryz drives a black Audi A3, FB61 AKX, and waits "
        "for girls in the Mill Lane car park after school. He messages them on snap as "
        "ryz_fb22 and gives out his number, 07700 900456.",
        HowKnown.WAS_TOLD,
        1,
        {
            "persons": [{"name": "", "nickname": "Ryz", "age_estimate": 24}],
            "vehicles": [{"plate": "FB61 AKX", "make": "Audi", "colour": "black"}],
            "online": [{"platform": "snap", "username": "ryz_fb22"}],
            "phones": [{"number": "07700 900456"}],
            "locations": [{"name": "Mill Lane car park", "postcode": "FB2 6LP"}],
        },
        {
            "source_evaluation": "2",
            "intelligence_assessment": "B",
            "handling_code": "P",
            "outcome": Outcome.INTELLIGENCE_RECORD_CREATED,
            "outcome_reference": "FB-INT-26-00802",
            "feedback": "Thank you. The car and the number are linked to two children we know "
            "of; this goes to the next MACE panel.",
        },
    ),
    # The places below have real postcodes (in the ONS postcode directory, so they are drawn
    # on the network's map); the places, people and events are made up. The takeaway's FB
    # postcode above is fictional and is listed as not found.
    DemoReport(
        "practitioner@fernbridge.example",
        "A Year 10 girl says older lads hand out vapes at the bus station on Friday nights "
        "and offer lifts from there to the retail park car park.",
        HowKnown.WAS_TOLD,
        4,
        {
            "persons": [{"name": "", "nickname": "Danny", "age_estimate": 20}],
            "locations": [
                {"name": "Bus station", "postcode": "DN15 6NL"},
                {"name": "Retail park car park", "postcode": "DN15 6BS"},
            ],
        },
    ),
    DemoReport(
        "missing@fernbridge.example",
        "Returned after missing overnight. Said she waited at the bus station and was driven "
        "off by a lad called Danny D.",
        HowKnown.WAS_TOLD,
        2,
        {
            "persons": [{"name": "", "nickname": "Danny D", "age_estimate": 25}],
            "locations": [{"name": "Bus station", "postcode": "DN15 6NL"}],
        },
    ),
]


@transaction.atomic
def demo_intelligence(partnership: Partnership) -> None:
    for spec in DEMO_REPORTS:
        demo_report_share(partnership, spec)


def demo_report_share(partnership: Partnership, spec: DemoReport) -> None:
    """Share one demo report (linked on arrival) and grade it, unless it is there already."""
    users = {u.email: u for u in User.objects.filter(agency__partnership=partnership)}
    analyst = users.get(ANALYST)
    submitter = users.get(spec.submitter)
    if submitter is None:
        return
    if IntelligenceReport.objects.filter(submitted_by=submitter, text=spec.text).exists():
        return
    observed = timezone.now() - dt.timedelta(days=spec.days_ago, hours=2)
    report = services.report_share(
        actor=submitter,
        text=spec.text,
        how_known=spec.how_known,
        observed_at=observed,
        items=services.SharedItems(**spec.items),
    )
    received = timezone.now() - dt.timedelta(days=spec.days_ago)
    IntelligenceReport.objects.filter(pk=report.pk).update(
        received_at=received, submitted_at=received
    )
    if spec.grading and analyst is not None:
        grading = services.report_grade(
            actor=analyst, report=report, answers=services.GradingAnswers(**spec.grading)
        )
        grading.graded_at = received + dt.timedelta(days=1)
        grading.save(update_fields=["graded_at"])
