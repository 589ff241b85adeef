"""The demo panel: members from several agencies, last month's meeting with a VOLT record
and an action now overdue, so that the next agenda has real items; the demo's MACE listing
(csehub/linking/demo.py) is recorded at that meeting. Everything is fictional and made through
the services. Idempotent: when the demo partnership has a panel, nothing is added."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from csehub.accounts.models import Partnership, User

from . import services
from .models import ActionKind, Meeting, MeetingKind, Panel

CHAIR = "mace@fernbridge.example"
MEMBERS = [
    "analyst@fernbridge.example",
    "socialworker@fernbridge.example",
    "dsl@fernbridge.example",
    "frontdoor@fernbridge.example",
    "missing@fernbridge.example",
]


def demo_panel(partnership: Partnership) -> None:
    if Panel.objects.filter(partnership=partnership).exists():
        return
    chair = User.objects.get(email=CHAIR)
    panel = services.panel_create(actor=chair, name=f"{partnership.name} MACE panel")
    for email in MEMBERS:
        services.panel_member_add(actor=chair, panel=panel, member=User.objects.get(email=email))
    today = timezone.localdate()
    # Last month's meeting was a strategic one: the demo's links and alerts are all dated today,
    # so a case agenda built then would list them as if they had already happened.
    meeting = services.meeting_create(
        actor=chair, panel=panel, kind=MeetingKind.STRATEGIC, held_on=today - dt.timedelta(days=35)
    )
    item = services.agenda_item_add(
        actor=chair, meeting=meeting, title="Lifts after school at Castle Park shops"
    )
    services.agenda_item_record(
        actor=chair,
        item=item,
        record=services.ItemRecord(
            victim="Two girls aged 14 and 15 from Fernbridge Academy",
            offender="A man in his twenties known as Dee, with a silver car",
            location="Castle Park shops and a flat above the takeaway on Mill Street",
            theme="Lifts after school and a party house",
            decisions="The police to identify Dee; a child abduction warning notice if he is "
            "identified; licensing to visit the takeaway.",
            minutes="The school has seen the car at the gates three times this month.",
        ),
    )
    social_worker = User.objects.select_related("agency").get(email=MEMBERS[1])
    assert social_worker.agency is not None
    services.action_agree(
        actor=chair,
        item=item,
        details=services.ActionDetails(
            kind=ActionKind.SCHOOL_SAFETY_PLAN,
            description="A safety plan with Fernbridge Academy for both girls",
            owner=social_worker,
            agency=social_worker.agency,
            due_on=today - dt.timedelta(days=10),
        ),
    )


def demo_listing_meeting(partnership: Partnership) -> Meeting | None:
    """The demo panel's latest meeting before today: the one that agreed the demo's listing."""
    return (
        Meeting.objects.filter(panel__partnership=partnership, held_on__lt=timezone.localdate())
        .order_by("-held_on", "-pk")
        .first()
    )
