"""Lists of records about children are reads too: each showing leaves an event with the ids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Verb
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ConcernFactory, UserFactory

pytestmark = pytest.mark.django_db


def _listed(user, target_type):
    event = AuditEvent.objects.filter(
        actor=user, verb=Verb.VIEWED, target_type=f"{target_type}_list"
    ).latest("id")
    return event.detail["ids"]


def test_the_concern_and_child_lists_record_which_records_were_shown(school_practitioner):
    mine = ConcernFactory(raised_by=school_practitioner)
    ConcernFactory()  # another agency's: not shown, not recorded
    client = signed_in_client(school_practitioner)
    assert client.get(reverse("concerns:list")).status_code == 200
    assert _listed(school_practitioner, "concern") == [mine.pk]
    assert client.get(reverse("children:list")).status_code == 200
    assert _listed(school_practitioner, "child") == [mine.child_id]


def test_work_lists_and_the_inbox_are_recorded(council, police):
    front_door = UserFactory(agency=council, role=Role.FRONT_DOOR)
    analyst = UserFactory(agency=police, role=Role.POLICE_ANALYST)
    assert signed_in_client(front_door).get(reverse("referrals:team")).status_code == 200
    assert _listed(front_door, "referral") == []
    assert signed_in_client(analyst).get(reverse("intelligence:inbox")).status_code == 200
    assert _listed(analyst, "intelligence_report") == []


def test_list_events_hold_ids_only(school_practitioner):
    ConcernFactory(raised_by=school_practitioner, what_was_seen="Seen near the canal")
    signed_in_client(school_practitioner).get(reverse("concerns:list"))
    event = AuditEvent.objects.filter(target_type="concern_list").latest("id")
    assert "canal" not in str(event.detail)
    assert set(event.detail) == {"ids"}
