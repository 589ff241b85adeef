"""Recording episodes and returns, and each step of the return interview, as a coordinator
would notice them: what is stored, what is refused and why, and what the audit trail says."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent
from csehub.intelligence.models import ChildMention, HowKnown
from csehub.missing import services
from csehub.missing.models import InterviewStatus, MissingEpisode, ReturnInterview
from csehub.testing.factories import UserFactory

from .conftest import NOW, at, episode_details, return_details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_episode_is_recorded_still_missing_with_no_interview(missing_coordinator, child):
    episode = services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details()
    )
    assert episode.is_open
    assert episode.partnership_id == child.partnership_id
    assert episode.agency_id == missing_coordinator.agency_id
    assert not ReturnInterview.objects.exists()
    event = AuditEvent.objects.get(target_type="missing_episode")
    assert (event.verb, event.target_id, event.child_id) == ("created", str(episode.pk), child.pk)
    assert "Northgate" not in str(event.detail)  # ids and verbs only


def test_the_return_starts_a_72_hour_clock_in_elapsed_hours(missing_coordinator, child):
    episode = services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details()
    )
    # Back on a Friday evening: due on Monday evening, weekend hours included.
    services.missing_return_record(
        actor=missing_coordinator, episode=episode, details=return_details(returned_at=at(20, 19))
    )
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.status == InterviewStatus.DUE
    assert interview.due_by == at(23, 19)
    assert not interview.is_overdue()
    assert interview.is_overdue(at(23, 19, 1))


def test_an_episode_with_its_return_known_gets_its_interview_at_once(missing_coordinator, child):
    episode = services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details(), returned=return_details()
    )
    assert not episode.is_open
    assert episode.interview.due_by == at(22, 9, 15)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"last_seen_at": at(18, 23)}, "last_seen_at", "last seen before they were reported"),
        ({"reported_at": at(21, 9), "last_seen_at": at(18, 9)}, "reported_at", "in the past"),
        ({"reported_by": "  "}, "reported_by", "who reported"),
        ({"last_seen_place": ""}, "last_seen_place", "where the child was last seen"),
    ],
)
def test_an_episode_that_cannot_be_right_is_refused_saying_why(
    missing_coordinator, child, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        services.missing_episode_record(
            actor=missing_coordinator, child=child, details=episode_details(**overrides)
        )
    assert message in " ".join(refused.value.message_dict[field])
    assert not MissingEpisode.objects.exists()


def test_a_return_before_the_child_was_last_seen_is_refused(missing_coordinator, child):
    episode = services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details()
    )
    with pytest.raises(ValidationError) as refused:
        services.missing_return_record(
            actor=missing_coordinator,
            episode=episode,
            details=return_details(returned_at=at(18, 10), found_by=""),
        )
    errors = refused.value.message_dict
    assert "after they were last seen (18/11/2026 16:30)" in errors["returned_at"][0]
    assert "who found the child" in errors["found_by"][0]
    episode.refresh_from_db()
    assert episode.is_open


def test_a_return_is_recorded_once(missing_coordinator, child):
    episode = services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details(), returned=return_details()
    )
    with pytest.raises(ValidationError, match="already been recorded"):
        services.missing_return_record(
            actor=missing_coordinator, episode=episode, details=return_details()
        )
    assert ReturnInterview.objects.count() == 1


def test_who_may_record_an_episode(
    missing_coordinator, social_worker, school_practitioner, police_analyst, child
):
    services.missing_episode_record(actor=social_worker, child=child, details=episode_details())
    not_theirs = UserFactory(agency=social_worker.agency, role=Role.SOCIAL_WORKER)
    for refused in (school_practitioner, police_analyst, not_theirs):
        with pytest.raises(PermissionDenied):
            services.missing_episode_record(actor=refused, child=child, details=episode_details())
    assert MissingEpisode.objects.count() == 1


@pytest.fixture
def interview(missing_coordinator, child):
    episode = services.missing_episode_record(
        actor=missing_coordinator, child=child, details=episode_details(), returned=return_details()
    )
    return episode.interview


def test_offered_then_done_keeps_what_the_child_said(missing_coordinator, interview):
    services.interview_offer(actor=missing_coordinator, interview=interview, offered_at=at(19, 14))
    done = services.interview_done(
        actor=missing_coordinator,
        interview=interview,
        held_at=at(20, 16),
        childs_account="  Dee drove me to a flat in Castlegate. There were other girls.  ",
    )
    assert done.status == InterviewStatus.DONE
    assert done.offered_at == at(19, 14) and done.offered_in_time
    assert done.closed_at == at(20, 16)
    assert done.interviewer == missing_coordinator
    assert done.childs_account == "Dee drove me to a flat in Castlegate. There were other girls."
    actions = list(
        AuditEvent.objects.filter(target_type="return_interview")
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert actions == [{"action": "offered"}, {"action": "done"}]


def test_done_without_an_offer_counts_as_offered_then(missing_coordinator, interview):
    services.interview_done(
        actor=missing_coordinator, interview=interview, held_at=at(20, 10), childs_account="Fine."
    )
    interview.refresh_from_db()
    assert interview.offered_at == at(20, 10)


def test_a_late_interview_is_shown_as_offered_late(missing_coordinator, interview):
    with time_machine.travel(at(24, 12), tick=False):
        assert interview.is_overdue()
        services.interview_declined(
            actor=missing_coordinator, interview=interview, declined_at=at(24, 11)
        )
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DECLINED
    assert interview.offered_in_time is False


@pytest.mark.parametrize(
    ("step", "kwargs", "field", "message"),
    [
        (
            "interview_done",
            {"held_at": at(20, 10), "childs_account": " "},
            "childs_account",
            "what the child said",
        ),
        (
            "interview_done",
            {"held_at": at(19, 8), "childs_account": "x"},
            "held_at",
            "after the child came back",
        ),
        ("interview_offer", {"offered_at": at(21, 9)}, "offered_at", "now or in the past"),
        ("interview_not_possible", {"reason": ""}, "not_possible_reason", "why"),
    ],
)
def test_an_interview_step_that_cannot_be_right_is_refused(
    missing_coordinator, interview, step, kwargs, field, message
):
    with pytest.raises(ValidationError) as refused:
        getattr(services, step)(actor=missing_coordinator, interview=interview, **kwargs)
    assert message in " ".join(refused.value.message_dict[field])
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.DUE


def test_a_closed_interview_cannot_be_changed(missing_coordinator, interview):
    services.interview_not_possible(
        actor=missing_coordinator, interview=interview, reason="Moved to Scotland with family"
    )
    with pytest.raises(ValidationError, match="already been closed: not possible"):
        services.interview_done(
            actor=missing_coordinator, interview=interview, held_at=at(20, 10), childs_account="x"
        )


def test_only_the_missing_coordinator_records_interviews(social_worker, interview):
    with pytest.raises(PermissionDenied):
        services.interview_offer(actor=social_worker, interview=interview, offered_at=at(19, 14))


def test_passing_the_interview_on_makes_a_report_naming_the_child_and_places(
    missing_coordinator, interview, child
):
    services.interview_done(
        actor=missing_coordinator,
        interview=interview,
        held_at=at(20, 16),
        childs_account="Dee drove me to a flat in Castlegate.",
    )
    interview.refresh_from_db()
    text = services.share_text(interview)
    assert "Last seen 18/11/2026 16:30 at Northgate shops, with an older man called Dee." in text
    assert "Dee drove me to a flat in Castlegate." in text
    report = services.interview_share(actor=missing_coordinator, interview=interview, text=text)
    assert report.how_known == HowKnown.WAS_TOLD
    assert report.submitted_by == missing_coordinator
    named = ChildMention.objects.get(report=report)
    assert (named.name, named.dob) == ("Tia Marsh", dt.date(2011, 4, 2))
    assert sorted(report.locations.values_list("name", flat=True)) == [
        "Elm House",
        "Northgate shops",
    ]
    interview.refresh_from_db()
    assert interview.shared_as == report
    with pytest.raises(ValidationError, match="already been passed on"):
        services.interview_share(actor=missing_coordinator, interview=interview, text=text)


def test_an_interview_not_done_cannot_be_passed_on(missing_coordinator, interview):
    with pytest.raises(ValidationError, match="as done before"):
        services.interview_share(actor=missing_coordinator, interview=interview, text="x")
