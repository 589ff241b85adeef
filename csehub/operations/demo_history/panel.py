"""The panel's past year: a case meeting each month and a strategic one each quarter, with
VOLT records, minutes, actions and the MACE list's decisions."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.children.models import Child
from csehub.linking.demo import demo_nickname_entity
from csehub.mace import selectors as mace_selectors
from csehub.mace import services as mace_services
from csehub.mace.models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    DisruptionAction,
    Meeting,
    MeetingKind,
    Panel,
)

from .story import (
    ACTION_WORDS,
    CHAIR,
    DSL,
    MISSING,
    PLACES,
    SEED,
    SOCIAL_WORKER,
    SUSPECTS,
    at_london,
    users_by_email,
)

# ---------------------------------------------------------------------------------------------
# The panel's year
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def demo_history_panel(partnership: Partnership) -> None:
    """The panel's past year: a case meeting each month and a strategic one each quarter,
    with VOLT records, minutes and actions (done, dropped, and two now overdue). Runs after
    csehub.mace.demo has made the panel."""
    panel = Panel.objects.filter(partnership=partnership).first()
    if panel is None or panel.meetings.count() > 1:
        return
    rng = random.Random(SEED + 1)  # noqa: S311 - fictional demo data, reproducible
    users = users_by_email(partnership)
    chair = users[CHAIR]
    owners = [
        users[email]
        for email in (SOCIAL_WORKER, DSL, "analyst@fernbridge.example", MISSING, CHAIR)
        if email in users
    ]
    today = timezone.localdate()
    history = list(
        Child.objects.filter(partnership=partnership, concerns__isnull=False)
        .exclude(family_name="")
        .distinct()
        .order_by("pk")
    )
    first_concern = {child.pk: _first_concern(child) or today for child in history}
    held: dict[int, Meeting] = {}
    for months_ago in range(11, 1, -1):
        held_on = _tuesday(today - dt.timedelta(days=30 * months_ago + 5))
        # Quarterly, in step with demo_panel's strategic meeting of last month.
        kind = MeetingKind.STRATEGIC if months_ago % 3 == 1 else MeetingKind.CASE
        meeting = mace_services.meeting_create(
            actor=chair, panel=panel, kind=kind, held_on=held_on, build_agenda=False
        )
        held[months_ago] = meeting
        if kind == MeetingKind.STRATEGIC:
            _strategic_item(rng, chair, meeting)
            continue
        known = [c for c in history if first_concern[c.pk] < held_on]
        for child in rng.sample(known, min(len(known), rng.randint(2, 4))):
            _case_item(rng, chair, owners, meeting, child, held_on, today)
    _listings(partnership, chair, held)


def _listings(partnership: Partnership, chair: User, held: dict[int, Meeting]) -> None:
    """The panel's decisions about the year's men: Tanz listed in the spring, taken off in the
    summer when he was in custody, and listed again in the autumn; Big Lee listed since May."""
    decisions = {SUSPECTS[0].nickname: (9, 5, 2), SUSPECTS[1].nickname: (8,)}
    for nickname, months in decisions.items():
        person = demo_nickname_entity(partnership, nickname)
        if person is None:
            continue
        for step, months_ago in enumerate(months):
            meeting = held.get(months_ago)
            if meeting is None:
                break
            if step % 2 == 0:
                mace_services.mace_listing_add(actor=chair, entity=person, meeting=meeting)
            else:
                listing = mace_selectors.current_listing(entity=person)
                if listing is not None:
                    mace_services.mace_listing_remove(actor=chair, listing=listing, meeting=meeting)


def _tuesday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def _first_concern(child: Child) -> dt.date | None:
    first = child.concerns.exclude(submitted_at=None).order_by("submitted_at").first()
    return first.submitted_at.date() if first and first.submitted_at else None


def _strategic_item(rng: random.Random, chair: User, meeting: Meeting) -> None:
    place = rng.choice(PLACES)
    item = mace_services.agenda_item_add(
        actor=chair,
        meeting=meeting,
        title=f"Theme: the night-time economy around {place.name}",
    )
    mace_services.agenda_item_record(
        actor=chair,
        item=item,
        record=mace_services.ItemRecord(
            theme="Lifts, food and taxis paid for by older men; parties in flats",
            location=place.name,
            decisions="Ask licensing to include the premises in the next round of visits; "
            "the problem profile to be brought to the board.",
            minutes="The profile shows more concerns in the evenings at the weekend.",
        ),
    )
    AgendaItem.objects.filter(pk=item.pk).update(recorded_at=at_london(meeting.held_on, 13))


def _case_item(
    rng: random.Random,
    chair: User,
    owners: list[User],
    meeting: Meeting,
    child: Child,
    held_on: dt.date,
    today: dt.date,
) -> None:
    place, suspect = rng.choice(PLACES), rng.choice(SUSPECTS)
    item = mace_services.agenda_item_add(
        actor=chair,
        meeting=meeting,
        title=f"{child.display_name}: review of risk",
        child=child,
    )
    mace_services.agenda_item_record(
        actor=chair,
        item=item,
        record=mace_services.ItemRecord(
            victim=f"{child.display_name}, known to the panel",
            offender=f"A man known as {suspect.nickname}, about {suspect.age}, with a "
            f"{suspect.colour} {suspect.make}",
            location=place.name,
            theme=rng.choice(("Lifts and gifts", "Parties in flats", "Online grooming")),
            decisions="Keep the child on the panel's list; share the plate with patrols.",
            minutes="Agencies agreed the risk remains; the school reports better attendance.",
        ),
    )
    AgendaItem.objects.filter(pk=item.pk).update(recorded_at=at_london(held_on, 13))
    for _ in range(rng.randint(1, 2)):
        owner = rng.choice(owners)
        if owner.agency is None:
            continue
        kind = rng.choice(tuple(ACTION_WORDS))
        due_on = held_on + dt.timedelta(days=rng.randint(14, 42))
        notice = kind == ActionKind.ABDUCTION_NOTICE
        action = mace_services.action_agree(
            actor=chair,
            item=item,
            details=mace_services.ActionDetails(
                kind=kind,
                description=ACTION_WORDS[kind].format(place=place.name, suspect=suspect.nickname),
                owner=owner,
                agency=owner.agency,
                due_on=due_on,
                served_on=due_on - dt.timedelta(days=3) if notice else None,
                expires_on=due_on + dt.timedelta(days=730) if notice else None,
            ),
        )
        # Most actions were done by their date; a few were dropped, and the latest few stay
        # open, so the next agenda brings back those now overdue.
        if due_on >= today - dt.timedelta(days=45):
            continue
        status = ActionStatus.DROPPED if rng.random() < 0.1 else ActionStatus.DONE
        mace_services.action_close(actor=chair, action=action, status=status)
        closed = at_london(min(due_on, today), 12)
        DisruptionAction.objects.filter(pk=action.pk).update(closed_at=closed)
