"""The demo gives the MACE coordinator a panel with members and an agenda with real items, and
its MACE listing is a decision of the panel's last meeting."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.mace import services
from csehub.mace.models import ItemSource, MaceListing, MeetingKind, Panel
from csehub.operations.demo import demo_load
from csehub.testing.clients import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def test_the_next_demo_meeting_has_an_overdue_action_and_children_surfaced():
    demo_load()
    chair = User.objects.get(email="mace@fernbridge.example")
    panel = Panel.objects.get()
    assert panel.memberships.filter(left_at__isnull=True).count() == 6  # the chair and five
    # Ryz was put on the MACE list at the panel's meeting last month (the demo's year of
    # history lists others at earlier meetings).
    listing = MaceListing.objects.get(entity__label="Ryz")
    assert listing.agreed_at is not None and listing.agreed_at.panel == panel
    assert listing.panel_date == listing.agreed_at.held_on < timezone.localdate()
    meeting = services.meeting_create(
        actor=chair, panel=panel, kind=MeetingKind.CASE, held_on=timezone.localdate()
    )
    sources = set(meeting.items.values_list("source", flat=True))
    assert ItemSource.OVERDUE_ACTION in sources
    assert {ItemSource.CHILD_AT_RISK, ItemSource.MISSING_MORE} <= sources
    member = User.objects.get(email="socialworker@fernbridge.example")
    page = signed_in_client(member).get(reverse("mace:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    demo_load()
    assert Panel.objects.count() == 1
