"""The problem profile as a board member or a lead would notice it: the right counts for the
period and the agency, small numbers shown as "<5", "not recorded" counted, and only the
people who may see it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from csehub.audit.models import AuditEvent
from csehub.children.models import Gender
from csehub.profile.selectors import profile_for, shown
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _concerns(raiser, count, when, **child):
    for _ in range(count):
        ConcernFactory(
            raised_by=raiser,
            child=ChildFactory(created_by=raiser, **child),
            submitted_at=when,
            observed_on=when.date(),
        )


@pytest.fixture
def world(school_practitioner, social_worker):
    november = timezone.make_aware(dt.datetime(2026, 11, 10, 12, 0))
    _concerns(school_practitioner, 6, november, gender=Gender.FEMALE)
    _concerns(social_worker, 2, november)  # gender not recorded
    _concerns(school_practitioner, 3, november - dt.timedelta(days=200))  # outside the period


def test_small_numbers_read_under_5():
    assert [shown(n) for n in (0, 1, 4, 5, 1234)] == ["0", "<5", "<5", "5", "1,234"]


def test_the_partnership_profile_counts_the_period(world, partnership_admin):
    profile = profile_for(
        user=partnership_admin, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)
    )
    tables = {t.key: t for t in profile.tables}
    assert tables["activity"].rows[0].label == "November 2026"
    assert tables["activity"].rows[0].counts[0] == 8
    gender = {row.label: row.shown[0] for row in tables["gender"].rows}
    assert gender["Female"] == "6"
    assert gender["Not recorded"] == "<5"  # a data-quality finding, suppressed when small


def test_a_lead_sees_their_own_agencys_figures_only(world, school_dsl):
    profile = profile_for(user=school_dsl, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert profile.agency == school_dsl.agency
    activity = next(t for t in profile.tables if t.key == "activity")
    assert activity.rows[0].counts[0] == 6
    assert "network" not in {t.key for t in profile.tables}  # the partnership's, not theirs


def test_the_page_and_the_csv_for_the_board(world, partnership_admin, school_practitioner):
    client = signed_in_client(partnership_admin)
    query = {"start": "01/11/2026", "end": "30/11/2026"}
    page = client.get(reverse("profile:dashboard"), query)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Concerns, referrals and intelligence over time" in text
    assert "<svg" in text and "&lt;5" in text
    answer = client.get(reverse("profile:board-csv"), query)
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert ["November 2026", "8", "0", "0"] in rows
    assert ["Not recorded", "<5"] in rows
    assert AuditEvent.objects.filter(target_type="problem_profile", verb="exported").exists()
    assert (
        signed_in_client(school_practitioner).get(reverse("profile:dashboard")).status_code == 403
    )


def test_a_period_that_cannot_be_right_says_why(partnership_admin):
    page = signed_in_client(partnership_admin).get(
        reverse("profile:dashboard"), {"start": "30/11/2026", "end": "01/11/2026"}
    )
    assert "The last day must be on or after the first day" in page.content.decode()


def test_the_board_command_writes_the_csv(world, partnership, tmp_path):
    out = tmp_path / "board.csv"
    call_command(
        "report",
        "board",
        "--partnership",
        partnership.slug,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--csv",
        str(out),
    )
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert ["November 2026", "8", "0", "0"] in rows
