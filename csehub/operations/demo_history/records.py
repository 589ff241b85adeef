"""The year's records: children, concerns and assessments, referrals, intelligence reports and
missing episodes with their return interviews, made through the services and back-dated."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.children import services as child_services
from csehub.children.models import Child, Disability, Gender
from csehub.concerns import services as concern_services
from csehub.concerns.models import Concern, RiskAssessment
from csehub.intelligence.demo import DemoReport, demo_report_share
from csehub.intelligence.models import HowKnown as ReportHowKnown
from csehub.missing import services as missing_services
from csehub.missing.models import MissingEpisode
from csehub.referrals.demo import DemoReferral, demo_referral_make
from csehub.referrals.models import Destination, ReferralOutcome, ReferralState
from csehub.taxonomy.selectors import item_by_code

from .story import (
    CARE,
    CHILDREN,
    DSL,
    ETHNICITIES,
    FAMILY,
    GIVEN_BOYS,
    GIVEN_GIRLS,
    MISSING,
    PATTERNS,
    PLACES,
    RECORDERS,
    SEED,
    SHARERS,
    SOCIAL_WORKER,
    SUSPECTS,
    TEACHER,
    VULNERABLE,
    WHAT,
    HistoryChild,
    Place,
    at_london,
    days_back,
    users_by_email,
    weighted_choice,
)
from .triage import alerts_dated, notifications_read, suspects_confirmed


def _loaded(partnership: Partnership) -> bool:
    return Child.objects.filter(
        partnership=partnership,
        given_name=GIVEN_GIRLS[0],
        family_name=FAMILY[0],
    ).exists()


@transaction.atomic
def demo_history(partnership: Partnership) -> None:
    """The year's children, concerns, referrals, intelligence and missing episodes."""
    if _loaded(partnership):
        return
    rng = random.Random(SEED)  # noqa: S311 - fictional demo data, the same story every load
    users = users_by_email(partnership)
    today = timezone.localdate()
    started = timezone.now()
    children = _children(rng, users, today)
    _referrals(rng, partnership, children)
    _reports(rng, partnership, children)
    _episodes(rng, users, children, today)
    suspects_confirmed(partnership, users)
    alerts_dated(partnership, users, started)
    notifications_read(partnership, started)


def _children(rng: random.Random, users: dict[str, User], today: dt.date) -> list[HistoryChild]:
    made = []
    for number in range(CHILDREN):
        girl = number % 4 != 3
        given = (GIVEN_GIRLS if girl else GIVEN_BOYS)[
            number % (len(GIVEN_GIRLS) if girl else len(GIVEN_BOYS))
        ]
        family = FAMILY[number % len(FAMILY)]
        age = rng.choice((11, 12, 13, 13, 14, 14, 14, 15, 15, 15, 16, 16, 17))
        known, guessed = rng.random() > 0.12, rng.random() > 0.4
        recorder = users[RECORDERS[number % len(RECORDERS)]]
        details = child_services.ChildDetails(
            given_name=given,
            family_name=family,
            date_of_birth=today - dt.timedelta(days=age * 365 + rng.randint(20, 340))
            if known
            else None,
            age_estimate_years=None if known or not guessed else age,
            age_not_known=not known and not guessed,
            gender=(Gender.FEMALE if girl else Gender.MALE)
            if rng.random() > 0.06
            else Gender.NOT_RECORDED,
            ethnicity=weighted_choice(rng, ETHNICITIES),
            disability=weighted_choice(
                rng, ((Disability.YES, 14), (Disability.NO, 66), (Disability.NOT_RECORDED, 20))
            ),
            care_status=weighted_choice(rng, CARE),
            school_or_setting="Oakhill Academy" if recorder.email in (TEACHER, DSL) else "",
            allocated_social_worker=users[SOCIAL_WORKER]
            if recorder.email == SOCIAL_WORKER
            else None,
        )
        child = child_services.child_create(actor=recorder, details=details)
        pattern = rng.choice(tuple(PATTERNS))
        spec = HistoryChild(
            child=child,
            recorder=recorder.email,
            pattern=pattern,
            place=rng.choice(PLACES),
            suspect=rng.choice(SUSPECTS),
            concerns=[],
            missing=number % 3 == 0,
        )
        first = days_back(rng)
        days = sorted(
            {first, *(max(1, first - rng.randint(5, 60)) for _ in range(rng.choice((0, 0, 1, 2))))},
            reverse=True,
        )
        for days_ago in days:
            spec.concerns.append(_concern(rng, recorder, spec, today - dt.timedelta(days=days_ago)))
        made.append(spec)
    return made


def _concern(rng: random.Random, raiser: User, spec: HistoryChild, day: dt.date) -> Concern:
    # Evenings and late nights, as the seeds' profiles find.
    hour = rng.choices(range(24), weights=[3] * 3 + [1] * 12 + [3] * 3 + [8] * 6)[0]
    concern = concern_services.concern_create(actor=raiser, child=spec.child)
    suspect = spec.suspect
    involved = concern_services.Involved(
        locations=[{"name": spec.place.name, "postcode": spec.place.postcode}],
        vehicles=[{"plate": suspect.plate, "make": suspect.make, "colour": suspect.colour}]
        if spec.pattern == "lifts"
        else [],
        online=[{"platform": "", "username": suspect.handle}] if spec.pattern == "online" else [],
    )
    concern_services.concern_submit(
        actor=raiser,
        concern=concern,
        answers=concern_services.ConcernAnswers(
            how_known=rng.choice(("saw", "child_told", "other_told")),
            what_was_seen=WHAT[spec.pattern].format(colour=suspect.colour, place=spec.place.name),
            observed_on=day,
            observed_time=dt.time(hour, rng.choice((0, 15, 30, 45)))
            if rng.random() > 0.2
            else None,
            where=spec.place.name,
            involved=involved,
        ),
    )
    signs = list(PATTERNS[spec.pattern])
    chosen = rng.sample(signs, rng.randint(0, len(signs)))
    if rng.random() < 0.3:
        chosen += list(VULNERABLE)
    concern_services.risk_assessment_create(
        actor=raiser,
        concern=concern,
        immediate_danger=False,
        observations=[
            concern_services.ObservationInput(
                item=item_by_code(vocabulary, code),
                what_was_seen="Recorded in the concern",
                roughly_when="last_week",
            )
            for vocabulary, code in chosen
        ],
        as_of=day,
    )
    # Back to when it was recorded: the same evening or the next morning.
    recorded = at_london(day, 9) + dt.timedelta(
        days=1 if hour >= 16 else 0, hours=rng.randint(0, 6)
    )
    recorded = min(recorded, timezone.now())
    Concern.objects.filter(pk=concern.pk).update(
        created_at=recorded, updated_at=recorded, submitted_at=recorded
    )
    RiskAssessment.objects.filter(concern=concern).update(created_at=recorded)
    concern.refresh_from_db()
    return concern


def _referrals(rng: random.Random, partnership: Partnership, children: list[HistoryChild]) -> None:
    """The school's safeguarding lead refers most of the school's concerns; the front door and
    the police desk record what they decided."""
    now = timezone.now()
    for spec in children:
        if spec.recorder not in (TEACHER, DSL):
            continue
        for concern in spec.concerns:
            if rng.random() > 0.7 or concern.submitted_at is None:
                continue
            days_ago = max(0, (now - concern.submitted_at).days - 1)
            recent = days_ago < 10
            demo_referral_make(
                partnership,
                concern,
                DemoReferral(
                    0,
                    Destination.CHILDRENS_SOCIAL_CARE,
                    days_ago,
                    ReferralState.SCREENED if recent else ReferralState.OUTCOME_RECORDED,
                    None
                    if recent
                    else rng.choice(
                        (
                            ReferralOutcome.STRATEGY_DISCUSSION,
                            ReferralOutcome.ASSESSMENT,
                            ReferralOutcome.EARLY_HELP,
                        )
                    ),
                    reason="Agreed at the daily safeguarding meeting.",
                ),
                now,
            )


def _reports(rng: random.Random, partnership: Partnership, children: list[HistoryChild]) -> None:
    """Intelligence across the year: the same men, cars and places, from several agencies."""
    for number in range(48):
        suspect = rng.choice(SUSPECTS)
        place = rng.choice(PLACES)
        spec = rng.choice(children)
        named = rng.random() < 0.35
        days_ago = days_back(rng, newest=2)
        items: dict[str, list[dict[str, object]]] = {
            "persons": [{"name": "", "nickname": suspect.nickname, "age_estimate": suspect.age}],
            "locations": [{"name": place.name, "postcode": place.postcode}],
        }
        if rng.random() < 0.6:
            items["vehicles"] = [
                {"plate": suspect.plate, "make": suspect.make, "colour": suspect.colour}
            ]
        if named:
            child = spec.child
            items["children"] = [{"name": f"{child.given_name} {child.family_name}"}]
        text = (
            f"Report {number + 1} of the year's pattern: a man known as {suspect.nickname}, in "
            f"a {suspect.colour} {suspect.make}, seen with "
            + ("a girl we know" if named else "young people")
            + f" at {place.name}."
        )
        demo_report_share(
            partnership,
            DemoReport(
                SHARERS[number % len(SHARERS)],
                text,
                rng.choice((ReportHowKnown.SAW_IT, ReportHowKnown.WAS_TOLD)),
                days_ago,
                items,
            ),
        )


def _episodes(
    rng: random.Random, users: dict[str, User], children: list[HistoryChild], today: dt.date
) -> None:
    """Episodes for a third of the children, more often as the year goes on for some, each
    with its return interview: most offered in time and held, a few late or declined."""
    coordinator = users[MISSING]
    now = timezone.now()
    for spec in children:
        if not spec.missing:
            continue
        count = rng.randint(2, 6)
        rising = rng.random() < 0.4
        for _ in range(count):
            days_ago = rng.randint(8, 60) if rising and rng.random() < 0.6 else days_back(rng, 8)
            seen = at_london(today - dt.timedelta(days=days_ago), rng.choice((16, 18, 20, 21, 22)))
            away = dt.timedelta(hours=rng.randint(4, 50))
            returned = min(seen + away, now - dt.timedelta(hours=80))
            if returned <= seen:
                continue
            episode = missing_services.missing_episode_record(
                actor=coordinator,
                child=spec.child,
                details=missing_services.EpisodeDetails(
                    reported_at=seen + dt.timedelta(hours=3),
                    reported_by=rng.choice(("Parent", "Foster carer", "Residential home staff")),
                    last_seen_at=seen,
                    last_seen_place=spec.place.name,
                    police_reference=f"MP/FB/{seen:%y%m%d}/{spec.child.pk}",
                ),
                returned=missing_services.ReturnDetails(
                    returned_at=returned,
                    returned_place="Home",
                    found_by=rng.choice(("Police", "Came back on their own", "Family")),
                ),
            )
            _interview(rng, coordinator, episode, returned, spec.place)


def _interview(
    rng: random.Random,
    coordinator: User,
    episode: MissingEpisode,
    returned: dt.datetime,
    place: Place,
) -> None:
    interview = episode.interview
    late = rng.random() < 0.15
    held = returned + dt.timedelta(hours=rng.randint(80, 120) if late else rng.randint(12, 66))
    if rng.random() < 0.12:
        missing_services.interview_declined(
            actor=coordinator, interview=interview, declined_at=held
        )
        return
    missing_services.interview_done(
        actor=coordinator,
        interview=interview,
        held_at=held,
        childs_account=f"Said they had been with friends near {place.name} and that an "
        "older lad had bought food for everyone.",
    )
