"""The printable chronology, as a social worker would read it on paper."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from csehub.children.chronology import ChronologyEntry
from csehub.concerns import services
from csehub.deadlines.clocks import LONDON
from csehub.taxonomy.selectors import item_by_code
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import ChildFactory, ConcernFactory

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_sign_seen_in_the_last_week_is_dated_to_that_week_and_the_birth_date_reads_plainly(
    taxonomy, school_practitioner
):
    child = ChildFactory(
        created_by=school_practitioner,
        given_name="Maya",
        family_name="Stone",
        date_of_birth=dt.date(2012, 3, 12),
        age_estimate_years=None,
    )
    with time_machine.travel(dt.datetime(2026, 12, 6, 11, 0, tzinfo=LONDON), tick=False):
        concern = ConcernFactory(raised_by=school_practitioner, child=child)
        services.risk_assessment_create(
            actor=school_practitioner,
            concern=concern,
            immediate_danger=False,
            observations=[
                services.ObservationInput(
                    item=item_by_code("warning_signs", "sexualised_behaviour"),
                    what_was_seen="Talked about an older boyfriend with a car",
                    roughly_when="last_week",
                )
            ],
        )
    page = _text(
        signed_in_client(school_practitioner)
        .get(reverse("children:chronology-print", args=[child.pk]))
        .content.decode()
    )
    assert "Born 12 March 2012. Printed by" in page
    assert "2012 ." not in page
    assert "Between 29 Nov and 6 Dec 2026" in page
    assert "Around" not in page


@pytest.mark.parametrize(
    ("at", "until", "shown"),
    [
        (dt.datetime(2026, 12, 6, 10, tzinfo=LONDON), None, "6 Dec 2026"),
        (
            dt.datetime(2025, 12, 6, 10, tzinfo=LONDON),
            dt.datetime(2026, 1, 4, 10, tzinfo=LONDON),
            "Between 6 Dec 2025 and 4 Jan 2026",
        ),
        # A meeting's day or a disclosure without a time: the day is known.
        (dt.datetime(2026, 11, 30, 0, tzinfo=LONDON), None, "30 Nov 2026"),
    ],
)
def test_the_date_column_reads_as_a_date_or_a_range(at, until, shown):
    entry = ChronologyEntry(
        at=at, kind="x", kind_label="X", title="t", approximate=True, approximate_until=until
    )
    assert entry.when_text == shown
