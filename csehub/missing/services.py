"""The only writes to missing episodes and return interviews.

Each state change re-reads and locks the row it changes, checks the step is allowed from the
state it finds, and writes its audit event (ids and verbs only) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.children.models import Child
from csehub.deadlines.clocks import hours_after
from csehub.intelligence.models import HowKnown, IntelligenceReport
from csehub.intelligence.services import SharedItems, report_share

from .models import (
    INTERVIEW_WITHIN_HOURS,
    InterviewStatus,
    MissingEpisode,
    ReturnInterview,
)
from .selectors import children_recordable_by
from .tasks import interview_reminders_enqueue

ALREADY_RETURNED = "The child's return has already been recorded for this episode"
INTERVIEW_CLOSED = "This return interview has already been closed: {status}"
ALREADY_SHARED = "What the child said has already been passed on as intelligence"


@dataclass(frozen=True)
class EpisodeDetails:
    reported_at: dt.datetime
    reported_by: str
    last_seen_at: dt.datetime
    last_seen_place: str
    last_seen_with: str = ""
    police_reference: str = ""


@dataclass(frozen=True)
class ReturnDetails:
    returned_at: dt.datetime
    returned_place: str
    found_by: str
    returned_with: str = ""


def _not_future(errors: dict[str, str], field: str, when: dt.datetime, what: str) -> None:
    if when > timezone.now():
        errors.setdefault(field, f"{what} must be now or in the past")


def _episode_errors(details: EpisodeDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    _not_future(errors, "reported_at", details.reported_at, "The time the child was reported")
    _not_future(errors, "last_seen_at", details.last_seen_at, "The time the child was last seen")
    if details.last_seen_at > details.reported_at:
        errors.setdefault(
            "last_seen_at", "The child must have been last seen before they were reported missing"
        )
    if not details.reported_by.strip():
        errors["reported_by"] = "Enter who reported the child missing"
    if not details.last_seen_place.strip():
        errors["last_seen_place"] = "Enter where the child was last seen"
    return errors


def _return_errors(episode: MissingEpisode, details: ReturnDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    _not_future(errors, "returned_at", details.returned_at, "The time the child came back")
    if details.returned_at < episode.last_seen_at:
        errors.setdefault(
            "returned_at",
            "The child must have come back after they were last seen "
            f"({timezone.localtime(episode.last_seen_at):%d/%m/%Y %H:%M})",
        )
    if not details.returned_place.strip():
        errors["returned_place"] = "Enter where the child came back to or was found"
    if not details.found_by.strip():
        errors["found_by"] = "Enter who found the child, or that they came back on their own"
    return errors


def _recording_agency(actor: User, child: Child) -> int:
    """The agency an episode is recorded for; refused unless the actor may record one."""
    agency_id = actor.agency_id
    if agency_id is None or not children_recordable_by(user=actor).filter(pk=child.pk).exists():
        raise PermissionDenied("You cannot record a missing episode for this child")
    return agency_id


@transaction.atomic
def missing_episode_record(
    *,
    actor: User,
    child: Child,
    details: EpisodeDetails,
    returned: ReturnDetails | None = None,
) -> MissingEpisode:
    """Record that a child went missing, and their return when it is already known."""
    episode = MissingEpisode(
        partnership_id=child.partnership_id,
        child=child,
        recorded_by=actor,
        agency_id=_recording_agency(actor, child),
        reported_at=details.reported_at,
        reported_by=details.reported_by.strip(),
        last_seen_at=details.last_seen_at,
        last_seen_place=details.last_seen_place.strip(),
        last_seen_with=details.last_seen_with.strip(),
        police_reference=details.police_reference.strip(),
    )
    errors = _episode_errors(details)
    if returned is not None:
        errors |= {k: v for k, v in _return_errors(episode, returned).items() if k not in errors}
    if errors:
        raise ValidationError(errors)
    episode.full_clean(exclude=["partnership", "child", "recorded_by", "agency"])
    episode.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="missing_episode",
        target_id=episode.pk,
        child=child.pk,
    )
    if returned is not None:
        _return_apply(actor, episode, returned)
    return episode


@transaction.atomic
def missing_return_record(
    *, actor: User, episode: MissingEpisode, details: ReturnDetails
) -> MissingEpisode:
    """Record that the child came back or was found; this starts the interview's 72 hours."""
    _recording_agency(actor, episode.child)
    episode = MissingEpisode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    if episode.returned_at is not None:
        raise ValidationError(ALREADY_RETURNED)
    errors = _return_errors(episode, details)
    if errors:
        raise ValidationError(errors)
    _return_apply(actor, episode, details)
    return episode


def _return_apply(actor: User, episode: MissingEpisode, details: ReturnDetails) -> None:
    episode.returned_at = details.returned_at
    episode.returned_place = details.returned_place.strip()
    episode.returned_with = details.returned_with.strip()
    episode.found_by = details.found_by.strip()
    episode.updated_at = timezone.now()
    episode.full_clean(exclude=["partnership", "child", "recorded_by", "agency"])
    episode.save()
    interview = ReturnInterview(
        episode=episode,
        partnership_id=episode.partnership_id,
        due_by=hours_after(details.returned_at, INTERVIEW_WITHIN_HOURS),
    )
    interview.full_clean(exclude=["episode", "partnership"])
    interview.save()
    # The reminder before it falls due and the escalation when overdue, queued once committed.
    transaction.on_commit(lambda: interview_reminders_enqueue(interview))
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="missing_episode",
        target_id=episode.pk,
        child=episode.child_id,
        detail={"action": "returned", "interview": interview.pk},
    )


# ---------------------------------------------------------------------------------------------
# The return interview
# ---------------------------------------------------------------------------------------------


def _locked_open(actor: User, interview: ReturnInterview) -> ReturnInterview:
    if not has_permission(actor, Permission.MANAGE_RETURN_INTERVIEWS):
        raise PermissionDenied("Only the missing coordinator records return interviews")
    locked = (
        ReturnInterview.objects.select_for_update()
        .select_related("episode", "episode__child")
        .get(pk=interview.pk)
    )
    if locked.partnership_id != actor.partnership_id:
        raise PermissionDenied("Only the missing coordinator records return interviews")
    if locked.is_closed:
        raise ValidationError(INTERVIEW_CLOSED.format(status=locked.get_status_display().lower()))
    return locked


def _when_errors(interview: ReturnInterview, field: str, when: dt.datetime) -> dict[str, str]:
    returned = interview.episode.returned_at
    assert returned is not None  # an interview exists only once the return is recorded
    if when > timezone.now():
        return {field: "The date and time must be now or in the past"}
    if when < returned:
        return {
            field: "The date and time must be after the child came back "
            f"({timezone.localtime(returned):%d/%m/%Y %H:%M})"
        }
    return {}


def _save(actor: User, interview: ReturnInterview, action: str) -> ReturnInterview:
    interview.updated_at = timezone.now()
    interview.full_clean(exclude=["episode", "partnership", "interviewer", "shared_as"])
    interview.save()
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="return_interview",
        target_id=interview.pk,
        child=interview.episode.child_id,
        detail={"action": action},
    )
    return interview


@transaction.atomic
def interview_offer(
    *, actor: User, interview: ReturnInterview, offered_at: dt.datetime
) -> ReturnInterview:
    interview = _locked_open(actor, interview)
    if interview.status != InterviewStatus.DUE:
        raise ValidationError("The interview has already been offered")
    errors = _when_errors(interview, "offered_at", offered_at)
    if errors:
        raise ValidationError(errors)
    interview.status, interview.offered_at = InterviewStatus.OFFERED, offered_at
    return _save(actor, interview, "offered")


def _close(
    interview: ReturnInterview, status: InterviewStatus, at: dt.datetime, actor: User
) -> None:
    interview.status, interview.closed_at = status, at
    if status in (InterviewStatus.DONE, InterviewStatus.DECLINED):
        # Held or declined without an earlier offer: it was offered then.
        interview.offered_at = interview.offered_at or at
        interview.interviewer = actor


@transaction.atomic
def interview_done(
    *, actor: User, interview: ReturnInterview, held_at: dt.datetime, childs_account: str
) -> ReturnInterview:
    """The interview took place; what the child said is kept as they said it."""
    interview = _locked_open(actor, interview)
    errors = _when_errors(interview, "held_at", held_at)
    if not childs_account.strip():
        errors["childs_account"] = "Write down what the child said"
    if errors:
        raise ValidationError(errors)
    _close(interview, InterviewStatus.DONE, held_at, actor)
    interview.childs_account = childs_account.strip()
    return _save(actor, interview, "done")


@transaction.atomic
def interview_declined(
    *, actor: User, interview: ReturnInterview, declined_at: dt.datetime
) -> ReturnInterview:
    interview = _locked_open(actor, interview)
    errors = _when_errors(interview, "declined_at", declined_at)
    if errors:
        raise ValidationError(errors)
    _close(interview, InterviewStatus.DECLINED, declined_at, actor)
    return _save(actor, interview, "declined")


@transaction.atomic
def interview_not_possible(
    *, actor: User, interview: ReturnInterview, reason: str
) -> ReturnInterview:
    interview = _locked_open(actor, interview)
    if not reason.strip():
        raise ValidationError({"not_possible_reason": "Say why the interview is not possible"})
    _close(interview, InterviewStatus.NOT_POSSIBLE, timezone.now(), actor)
    interview.not_possible_reason = reason.strip()
    return _save(actor, interview, "not_possible")


def shared_places(episode: MissingEpisode) -> list[str]:
    """The places a shared interview names: where the child was last seen and came back to."""
    return [p for p in dict.fromkeys([episode.last_seen_place, episode.returned_place]) if p]


def share_text(interview: ReturnInterview) -> str:
    """What the shared report says, before the coordinator changes it."""
    episode = interview.episode
    seen = timezone.localtime(episode.last_seen_at)
    returned = timezone.localtime(episode.returned_at) if episode.returned_at else None
    lines = [
        f"Return home interview after a missing episode (police reference "
        f"{episode.police_reference or 'not known'}).",
        f"Last seen {seen:%d/%m/%Y %H:%M} at {episode.last_seen_place}"
        + (f", with {episode.last_seen_with}" if episode.last_seen_with else "")
        + ".",
    ]
    if returned is not None:
        lines.append(
            f"Came back {returned:%d/%m/%Y %H:%M} at {episode.returned_place}"
            + (f", with {episode.returned_with}" if episode.returned_with else "")
            + "."
        )
    lines += ["", "What the child said:", interview.childs_account]
    return "\n".join(lines)


@transaction.atomic
def interview_share(*, actor: User, interview: ReturnInterview, text: str) -> IntelligenceReport:
    """Pass what the child said on to the police as intelligence, naming the child and the
    places, like any shared report; the interview keeps a link to it."""
    interview = (
        ReturnInterview.objects.select_for_update()
        .select_related("episode", "episode__child")
        .get(pk=interview.pk)
    )
    if not has_permission(actor, Permission.MANAGE_RETURN_INTERVIEWS):
        raise PermissionDenied("Only the missing coordinator passes interviews on")
    if interview.status != InterviewStatus.DONE:
        raise ValidationError("Record the interview as done before passing it on")
    if interview.shared_as_id is not None:
        raise ValidationError(ALREADY_SHARED)
    episode, child = interview.episode, interview.episode.child
    child_name = f"{child.given_name} {child.family_name}".strip()
    places = [{"name": name} for name in shared_places(episode)]
    report = report_share(
        actor=actor,
        text=text,
        how_known=HowKnown.WAS_TOLD,
        observed_at=interview.closed_at,
        items=SharedItems(
            children=[{"name": child_name, "dob": child.date_of_birth}],
            locations=places,
        ),
    )
    interview.shared_as = report
    interview.updated_at = timezone.now()
    interview.save(update_fields=["shared_as", "updated_at"])
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="return_interview",
        target_id=interview.pk,
        child=child.pk,
        detail={"action": "shared", "report": report.pk},
    )
    return report
