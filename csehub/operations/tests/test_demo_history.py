"""The demo's year of history, as the partnership's people would notice it: the problem profile
shows a trend across the months, the missing coordinator's figures and the panel have a past,
overdue actions come back to the next agenda, and loading twice doubles nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from csehub.accounts.models import User
from csehub.mace import services
from csehub.mace.models import ActionStatus, DisruptionAction, Meeting, MeetingKind
from csehub.missing.models import MissingEpisode
from csehub.operations.demo import demo_load
from csehub.profile.selectors import profile_for
from csehub.referrals.models import Notification
from csehub.testing.clients import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _year():
    today = timezone.localdate()
    return today - dt.timedelta(days=364), today


def test_the_profile_of_the_demo_year_shows_a_trend_and_every_part():
    demo_load()
    admin = User.objects.get(email="admin@fernbridge.example")
    start, end = _year()
    tables = {t.key: t for t in profile_for(user=admin, start=start, end=end).tables}
    months = tables["activity"].rows
    assert len(months) >= 12
    # Concerns in at least ten of the months, and more in the later half than the earlier.
    concerns = [row.counts[0] for row in months]
    assert sum(1 for n in concerns if n) >= 10
    assert sum(concerns[len(concerns) // 2 :]) > sum(concerns[: len(concerns) // 2])
    assert sum(row.counts[1] for row in months) >= 20  # referrals
    assert sum(row.counts[2] for row in months) >= 40  # intelligence reports
    missing = {row.label: row.counts[0] for row in tables["missing"].rows}
    assert missing["Missing episodes"] >= 30
    assert missing["Return interviews held"] >= 20
    # Hotspots at real postcodes, so the map draws them.
    where = [row.label for row in tables["where"].rows]
    assert {"DN15 6NS", "DN16 1XL"} <= set(where)
    # "Not recorded" is a finding in the demographics too.
    ethnicity = {row.label: row.counts[0] for row in tables["ethnicity"].rows}
    assert ethnicity["Not recorded"] > 0
    page = signed_in_client(admin).get(
        reverse("profile:dashboard"), {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    )
    text = page.content.decode()
    assert text.count("<svg") >= 10
    assert "DN15 6NS: " in text  # a marker on the map, with its figures


def test_the_panel_has_a_year_of_meetings_and_its_overdue_actions_return():
    demo_load()
    meetings = Meeting.objects.filter(panel__partnership__slug="fernbridge")
    assert meetings.filter(kind=MeetingKind.CASE).count() >= 6
    assert meetings.filter(kind=MeetingKind.STRATEGIC).count() >= 3
    assert meetings.filter(items__recorded_at__isnull=False).distinct().count() >= 8
    actions = DisruptionAction.objects.all()
    assert actions.filter(status=ActionStatus.DONE).count() >= 8
    overdue = actions.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
    assert overdue.count() >= 2
    chair = User.objects.get(email="mace@fernbridge.example")
    panel = meetings.first().panel
    upcoming = services.meeting_create(
        actor=chair, panel=panel, kind=MeetingKind.CASE, held_on=timezone.localdate()
    )
    returned = set(upcoming.items.exclude(action=None).values_list("action_id", flat=True))
    assert set(overdue.values_list("pk", flat=True)) <= returned
    # The list keeps the panel's decisions: Tanz listed, taken off, and listed again.
    page = _text(signed_in_client(chair).get(reverse("mace:list")).content.decode())
    assert re.search(
        r"P-\d+: Tanz .*Listed at the case meeting of .*Taken off at the case "
        r"meeting of .*Listed again at the case meeting of",
        page,
    ), page
    assert re.search(r"P-\d+: Big Lee", page)


def test_a_year_of_referrals_leaves_only_the_last_fortnights_notices_unread():
    demo_load()
    teacher = User.objects.get(email="practitioner@fernbridge.example")
    unread = Notification.objects.filter(recipient=teacher, read_at=None)
    assert Notification.objects.filter(recipient=teacher).count() > unread.count()
    fortnight_ago = timezone.now() - dt.timedelta(days=14, minutes=5)
    assert not unread.filter(created_at__lt=fortnight_ago).exists()


def test_loading_the_history_twice_doubles_nothing():
    demo_load()
    counts = (
        MissingEpisode.objects.count(),
        Meeting.objects.count(),
        DisruptionAction.objects.count(),
    )
    demo_load()
    assert (
        MissingEpisode.objects.count(),
        Meeting.objects.count(),
        DisruptionAction.objects.count(),
    ) == counts
