"""Demo missing episodes: a year of them for the demo children, back-dated so the work list
shows an interview overdue, one due, a child still missing and a child going missing more
often. Everything is fictional and made through the services. Idempotent: when the demo
partnership already has episodes, nothing is added."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.children.models import Child

from . import services
from .models import MissingEpisode

COORDINATOR = "missing@fernbridge.example"


@dataclass(frozen=True)
class DemoEpisode:
    child: tuple[str, str]  # given and family name of a demo child
    days_ago: float  # when the child was last seen
    place: str
    with_whom: str = ""
    away_hours: float | None = None  # None: still missing
    interview: str = ""  # "", "offered", "done", "declined" or "not_possible"
    account: str = ""


KIRA, JAYDEN, LEAH, SAMI = (
    ("Kira", "Thorne"),
    ("Jayden", "Mills"),
    ("Leah", "Carver"),
    (
        "Sami",
        "Haddad",
    ),
)

DEMO_EPISODES = [
    DemoEpisode(
        KIRA,
        290,
        "Fernbridge bus station",
        "two older girls",
        20,
        "done",
        "I stayed at a friend's house. Her mum was there. I turned my phone off.",
    ),
    DemoEpisode(KIRA, 75, "Outside Castle Park shops", "", 30, "declined"),
    DemoEpisode(
        KIRA,
        24,
        "Fernbridge bus station",
        "a man she calls Dee",
        26,
        "done",
        "Dee picked me up in his car. We went to a flat above the takeaway on Mill "
        "Street. There were other girls there and older men. He gave me vodka.",
    ),
    DemoEpisode(KIRA, 11, "Her foster home", "", 40, "offered"),
    DemoEpisode(KIRA, 4.5, "Castle Park", "a man in a silver car", 14),  # overdue
    DemoEpisode(LEAH, 2, "Fernbridge Academy gates", "", 18),  # due
    DemoEpisode(JAYDEN, 0.4, "The snooker hall on Canal Street", "two older boys"),
    DemoEpisode(SAMI, 200, "Home", "", 10, "not_possible", ""),
]


def _child(partnership: Partnership, names: tuple[str, str]) -> Child | None:
    given, family = names
    return Child.objects.filter(
        partnership=partnership, given_name=given, family_name=family
    ).first()


def demo_missing(partnership: Partnership) -> None:
    if MissingEpisode.objects.filter(partnership=partnership).exists():
        return
    coordinator = User.objects.get(email=COORDINATOR)
    now = timezone.now()
    for spec in DEMO_EPISODES:
        child = _child(partnership, spec.child)
        if child is None:
            continue
        seen = now - dt.timedelta(days=spec.days_ago)
        returned_at = seen + dt.timedelta(hours=spec.away_hours) if spec.away_hours else None
        episode = services.missing_episode_record(
            actor=coordinator,
            child=child,
            details=services.EpisodeDetails(
                reported_at=seen + dt.timedelta(hours=3),
                reported_by="Foster carer" if spec.child == KIRA else "Parent",
                last_seen_at=seen,
                last_seen_place=spec.place,
                last_seen_with=spec.with_whom,
                police_reference=f"MP/FB/{seen:%y%m%d}",
            ),
            returned=services.ReturnDetails(
                returned_at=returned_at,
                returned_place="Her foster home" if spec.child == KIRA else "Home",
                found_by="Police" if (spec.away_hours or 0) > 24 else "Came back on their own",
            )
            if returned_at is not None
            else None,
        )
        if returned_at is None or not spec.interview:
            continue
        interview = episode.interview
        later = returned_at + dt.timedelta(hours=30)
        if spec.interview == "offered":
            services.interview_offer(actor=coordinator, interview=interview, offered_at=later)
        elif spec.interview == "done":
            services.interview_done(
                actor=coordinator, interview=interview, held_at=later, childs_account=spec.account
            )
        elif spec.interview == "declined":
            services.interview_declined(actor=coordinator, interview=interview, declined_at=later)
        else:
            services.interview_not_possible(
                actor=coordinator,
                interview=interview,
                reason="The family moved out of the area before the interview could be offered.",
            )
