"""The missing pages with real records in each relationship: what each person sees, what is
refused (and audited), and what a form keeps when it refuses an answer."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome
from csehub.children.chronology import chronology_for
from csehub.missing import services
from csehub.missing.models import InterviewStatus, MissingEpisode
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, ChildFactory, PartnershipFactory, UserFactory

from .conftest import NOW, at, episode_details, return_details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _episode(actor, child, seen=None, **returned):
    details = episode_details(last_seen_at=seen, reported_at=seen) if seen else episode_details()
    return services.missing_episode_record(
        actor=actor,
        child=child,
        details=details,
        returned=return_details(**returned) if returned else None,
    )


FORM = {
    "last_seen_on": "18/11/2026",
    "last_seen_time": "16:30",
    "last_seen_place": "Northgate shops",
    "last_seen_with": "an older man called Dee",
    "reported_on": "18/11/2026",
    "reported_time": "22:00",
    "reported_by": "Residential worker at Elm House",
    "police_reference": "MP/2026/0412",
    "has_returned": "no",
}


def test_the_coordinator_records_an_episode_from_the_childs_page(missing_coordinator, child):
    client = signed_in_client(missing_coordinator)
    page = client.get(reverse("children:detail", args=[child.pk]))
    assert "Record a missing episode" in page.content.decode()
    answer = client.post(reverse("missing:create", args=[child.pk]), FORM, follow=True)
    text = answer.content.decode()
    assert "The missing episode has been recorded" in text
    assert "Still missing" in text
    episode = MissingEpisode.objects.get()
    assert episode.last_seen_at == at(18, 16, 30)
    assert episode.reported_at == at(18, 22)


def test_a_refused_episode_keeps_everything_entered(missing_coordinator, child):
    client = signed_in_client(missing_coordinator)
    form = FORM | {"reported_time": "15:00", "has_returned": "yes", "found_by": ""}
    answer = client.post(reverse("missing:create", args=[child.pk]), form)
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "Enter the date the child came back" in text
    assert "Enter who found the child" in text
    assert 'value="an older man called Dee"' in text
    assert 'value="MP/2026/0412"' in text
    assert not MissingEpisode.objects.exists()
    answer = client.post(
        reverse("missing:create", args=[child.pk]), FORM | {"reported_time": "15:00"}
    )
    assert "The child must have been last seen before they were reported missing" in (
        answer.content.decode()
    )
    assert not MissingEpisode.objects.exists()


def test_the_work_list_puts_overdue_interviews_first_with_their_clock(
    missing_coordinator, child, school_practitioner
):
    later_child = ChildFactory(
        created_by=school_practitioner, given_name="Ava", family_name="Brook"
    )
    _episode(missing_coordinator, later_child, returned_at=at(20, 9))  # due 23rd, 9:00
    _episode(
        missing_coordinator, child, seen=at(16, 20), returned_at=at(17, 9)
    )  # due 20th 9:00: overdue
    page = signed_in_client(missing_coordinator).get(reverse("missing:work-list"))
    text = page.content.decode()
    assert text.index("Tia Marsh") < text.index("Ava Brook")
    assert "12\xa0hours overdue" in text
    assert "2\xa0days, 12\xa0hours left" in text
    event = AuditEvent.objects.filter(target_type="return_interview_list").latest("pk")
    assert len(event.detail["ids"]) == 2


def test_the_clock_turns_overdue_and_the_interview_is_done(missing_coordinator, child):
    episode = _episode(missing_coordinator, child, returned_at=at(20, 9))
    client = signed_in_client(missing_coordinator)
    detail = reverse("missing:detail", args=[episode.pk])
    assert "Due by" in client.get(detail).content.decode()
    with time_machine.travel(at(23, 10), tick=False):
        client = signed_in_client(missing_coordinator)
        assert "Overdue" in client.get(detail).content.decode()
        answer = client.post(
            reverse("missing:interview", args=[episode.interview.pk]),
            {
                "outcome": "done",
                "on": "23/11/2026",
                "time": "09:45",
                "childs_account": "I went to Dee's.",
            },
            follow=True,
        )
    text = answer.content.decode()
    assert "The return interview has been recorded" in text
    assert "I went to Dee&#x27;s." in text
    assert "later than 72 hours" in text
    episode.interview.refresh_from_db()
    assert episode.interview.status == InterviewStatus.DONE


def test_an_interview_step_refused_keeps_the_childs_words(missing_coordinator, child):
    episode = _episode(missing_coordinator, child, returned_at=at(20, 9))
    answer = signed_in_client(missing_coordinator).post(
        reverse("missing:interview", args=[episode.interview.pk]),
        {
            "outcome": "done",
            "on": "19/11/2026",
            "time": "09:45",
            "childs_account": "I went to Dee's.",
        },
    )
    text = answer.content.decode()
    assert "must be after the child came back (20/11/2026 09:00)" in text
    assert "I went to Dee&#x27;s." in text


def test_who_sees_an_episode(
    missing_coordinator, social_worker, school_practitioner, council, child, partnership
):
    episode = _episode(missing_coordinator, child, returned_at=at(19, 9))
    detail = reverse("missing:detail", args=[episode.pk])
    other_worker = UserFactory(agency=council, role=Role.SOCIAL_WORKER)
    front_door = UserFactory(agency=council, role=Role.FRONT_DOOR)
    elsewhere = AgencyFactory(partnership=PartnershipFactory(slug="otherton", name="Otherton"))
    other_coordinator = UserFactory(agency=elsewhere, role=Role.MISSING_COORDINATOR)
    expected = {
        missing_coordinator: 200,
        social_worker: 200,  # allocated to the child
        front_door: 200,
        other_worker: 404,  # not allocated
        other_coordinator: 404,  # another partnership
        school_practitioner: 403,  # no missing episodes at all
    }
    for user, status in expected.items():
        answer = signed_in_client(user).get(detail)
        assert answer.status_code == status, user.role
        if status == 200:
            assert "Northgate shops" in answer.content.decode()
        else:
            assert "Northgate shops" not in answer.content.decode()
    denied = AuditEvent.objects.filter(
        target_type="missing_episode", outcome=Outcome.DENIED, target_id=str(episode.pk)
    )
    assert set(denied.values_list("actor_id", flat=True)) == {other_worker.pk, other_coordinator.pk}


def test_only_the_coordinator_reaches_the_interview(missing_coordinator, social_worker, child):
    episode = _episode(missing_coordinator, child, returned_at=at(19, 9))
    url = reverse("missing:interview", args=[episode.interview.pk])
    assert signed_in_client(social_worker).get(url).status_code == 403
    assert signed_in_client(missing_coordinator).get(url).status_code == 200


def test_what_the_child_said_is_in_the_chronology_for_those_who_may_see_it(
    missing_coordinator, school_practitioner, social_worker, child
):
    episode = _episode(missing_coordinator, child, returned_at=at(19, 9))
    services.interview_done(
        actor=missing_coordinator,
        interview=episode.interview,
        held_at=at(20, 10),
        childs_account="Dee drove me to Castlegate.",
    )
    seen = chronology_for(child=child, user=social_worker)
    assert [e.kind for e in seen if e.kind.startswith(("missing", "return"))] == [
        "missing",
        "missing_return",
        "return_interview",
    ]
    assert any("Dee drove me to Castlegate." in e.summary for e in seen)
    assert not any(
        e.kind.startswith(("missing", "return"))
        for e in chronology_for(child=child, user=school_practitioner)
    )


def test_children_going_missing_more_often_are_listed(
    missing_coordinator, child, school_practitioner
):
    steady = ChildFactory(created_by=school_practitioner, given_name="Ava", family_name="Brook")
    for day, month in ((1, 9), (15, 10), (2, 11), (12, 11), (18, 11)):
        # Tia: one in the 30 days before, three in the last 30: rising.
        services.missing_episode_record(
            actor=missing_coordinator,
            child=child,
            details=episode_details(
                last_seen_at=at(day, 10, month=month), reported_at=at(day, 12, month=month)
            ),
        )
    for day, month in ((25, 9), (5, 10), (15, 10), (5, 11), (12, 11)):
        # Ava: two in the last 30, three in the 30 before: not rising.
        services.missing_episode_record(
            actor=missing_coordinator,
            child=steady,
            details=episode_details(
                last_seen_at=at(day, 10, month=month), reported_at=at(day, 12, month=month)
            ),
        )
    text = signed_in_client(missing_coordinator).get(reverse("missing:work-list")).content.decode()
    rising = text[text.index("Going missing more often") :]
    assert "Tia Marsh" in rising
    assert "Ava Brook" not in rising
    page = signed_in_client(missing_coordinator).get(reverse("children:detail", args=[child.pk]))
    assert "3 in the last 30 days, 5 in the last 90 days" in page.content.decode()


def test_passing_on_opens_prefilled_and_shares_in_one_step(missing_coordinator, child):
    episode = _episode(missing_coordinator, child, returned_at=at(19, 9))
    services.interview_done(
        actor=missing_coordinator,
        interview=episode.interview,
        held_at=at(20, 10),
        childs_account="Dee drove me to Castlegate.",
    )
    client = signed_in_client(missing_coordinator)
    url = reverse("missing:interview-share", args=[episode.interview.pk])
    form = client.get(url).content.decode()
    assert "Dee drove me to Castlegate." in form
    assert "The child: Tia Marsh, born 2 April 2011" in form
    answer = client.post(url, {"text": "What Tia said: Dee drove her to Castlegate."}, follow=True)
    assert "What the child said has been shared as" in answer.content.decode()
    episode.interview.refresh_from_db()
    assert episode.interview.shared_as.text == "What Tia said: Dee drove her to Castlegate."
    again = client.get(url, follow=True)
    assert "already been passed on" in again.content.decode()
