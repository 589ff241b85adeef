"""A year of fictional history for the demo partnership, so the problem profile shows real
trends and the panel has a past.

The story children of the other demo modules carry the walk-throughs; this module adds the
year around them: more children with concerns and risk assessments, referrals and their
outcomes, intelligence reports naming places at real postcodes, missing episodes with their
return interviews, and a monthly MACE panel with VOLT records and actions. Everything is
generated from a fixed seed, so every load tells the same story, and everything goes through
the services; only the timestamps are moved back to when each thing happened. The people,
places' names, plates and handles are all invented (the postcodes are real, in DN15 and
DN16, as in docs/decisions/0013, so the map has points to draw).

Idempotent: a partnership that already has the history's first child is left as it is, and a
panel that already has its past meetings gets none added.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Partnership, User
from csehub.children import services as child_services
from csehub.children.models import CareStatus, Child, Disability, Ethnicity, Gender
from csehub.concerns import services as concern_services
from csehub.concerns.models import Concern, RiskAssessment
from csehub.deadlines.clocks import LONDON
from csehub.intelligence.demo import ANALYST, DemoReport, demo_report_share
from csehub.intelligence.models import HowKnown as ReportHowKnown
from csehub.intelligence.models import IntelligenceReport
from csehub.linking import services as linking_services
from csehub.linking.models import (
    Alert,
    Entity,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from csehub.linking.network.graph import CONCERN_PREFIX
from csehub.linking.services.alerts import alert_mark_seen
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
from csehub.missing import services as missing_services
from csehub.missing.models import MissingEpisode
from csehub.referrals.demo import DemoReferral, demo_referral_make
from csehub.referrals.models import Destination, Notification, ReferralOutcome, ReferralState
from csehub.referrals.services.notifications import notification_mark_read
from csehub.taxonomy.selectors import item_by_code

SEED = 20_261_207
CHILDREN = 56
DAYS = 365

TEACHER = "practitioner@fernbridge.example"
DSL = "dsl@fernbridge.example"
SOCIAL_WORKER = "socialworker@fernbridge.example"
MISSING = "missing@fernbridge.example"
CHAIR = "mace@fernbridge.example"
RECORDERS = (TEACHER, TEACHER, DSL, SOCIAL_WORKER, MISSING)
SHARERS = (
    TEACHER,
    DSL,
    SOCIAL_WORKER,
    MISSING,
    "frontdoor@fernbridge.example",
    "referraldesk@fernbridge.example",
)

GIVEN_GIRLS = (
    "Amber", "Bethany", "Caitlin", "Darcy", "Ellie", "Faith", "Gemma", "Holly", "Imani",
    "Jasmine", "Keeley", "Lacey", "Maya", "Nadia", "Paige", "Rosie", "Shannon", "Tegan",
    "Zara", "Aaliyah", "Brooke", "Chantelle", "Demi", "Esme",
)  # fmt: skip
GIVEN_BOYS = (
    "Aaron", "Callum", "Dylan", "Ethan", "Harvey", "Kyle", "Liam", "Mason", "Reece", "Tyler",
    "Kacper", "Jamal", "Owen", "Rhys",
)  # fmt: skip
FAMILY = (
    "Ashcombe", "Birchall", "Coldwell", "Dunmore", "Fairley", "Garside", "Hebden", "Ingleby",
    "Jessop", "Kettlewell", "Lindholme", "Marfleet", "Northam", "Oldroyd", "Pickering",
    "Quarmby", "Rawcliffe", "Sowerby", "Thackray", "Ulverston", "Wadsworth", "Yeadon",
    "Haddow", "Nowicki", "Okonjo", "Rahimi", "Sandhu", "Taverner",
)  # fmt: skip

ETHNICITIES = (
    (Ethnicity.WHITE_BRITISH, 52),
    (Ethnicity.WHITE_OTHER, 7),
    (Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN, 6),
    (Ethnicity.ASIAN_PAKISTANI, 6),
    (Ethnicity.BLACK_AFRICAN, 4),
    (Ethnicity.MIXED_WHITE_ASIAN, 3),
    (Ethnicity.NOT_RECORDED, 14),
)
CARE = (
    (CareStatus.LOOKED_AFTER, 18),
    (CareStatus.CHILD_IN_NEED, 22),
    (CareStatus.CHILD_PROTECTION_PLAN, 10),
    (CareStatus.CARE_LEAVER, 3),
    (CareStatus.NONE_KNOWN, 30),
    (CareStatus.NOT_RECORDED, 17),
)


@dataclass(frozen=True)
class Place:
    name: str
    postcode: str  # real postcodes (DN15, DN16); the names are made up


PLACES = (
    Place("Riverside retail park", "DN15 8QA"),
    Place("Station Approach taxi rank", "DN15 6BH"),
    Place("Old Mill chicken shop", "DN15 6NS"),
    Place("Parkside play area", "DN15 7AT"),
    Place("Kingsway budget hotel", "DN16 1XL"),
    Place("Canal View flats", "DN15 7XD"),
    Place("Westgate skate park", "DN15 8PP"),
    Place("Northfield snooker club", "DN15 7NQ"),
)


@dataclass(frozen=True)
class Suspect:
    nickname: str
    age: int
    plate: str
    make: str
    colour: str
    handle: str


SUSPECTS = (
    Suspect("Tanz", 23, "FN17 WQD", "Volkswagen", "black", "tanz.drip"),
    Suspect("Big Lee", 31, "FN63 KPL", "Ford", "white", "bigleefn"),
    Suspect("Rico", 19, "FN20 HZX", "BMW", "grey", "rico_4real"),
)

# Signs a concern records, by the pattern of what was seen (vocabulary code, item code).
PATTERNS = {
    "lifts": (
        ("warning_signs", "picked_up_in_cars"),
        ("warning_signs", "older_partner_or_friends"),
        ("warning_signs", "unexplained_gifts_or_belongings"),
        ("warning_signs", "returning_late"),
    ),
    "parties": (
        ("warning_signs", "parties_flats_or_hotels"),
        ("warning_signs", "paid_for_taxis_food_or_stays"),
        ("warning_signs", "returning_late"),
        ("warning_signs", "missing_from_home_or_care"),
    ),
    "online": (
        ("grooming_behaviours", "giving_gifts"),
        ("warning_signs", "older_partner_or_friends"),
        ("warning_signs", "unexplained_gifts_or_belongings"),
    ),
}
WHAT = {
    "lifts": "Seen getting into a {colour} car near {place} after school; the driver looked "
    "much older. She would not say who he was.",
    "parties": "Said she had been at a party in a flat near {place} until the early hours, and "
    "that someone paid for her taxi home.",
    "online": "Has a new phone and says an older friend she met online bought it. She meets "
    "him at {place}.",
}
VULNERABLE = (("vulnerability_factors", "family_breakdown"),)

ACTION_WORDS = {
    ActionKind.LICENSING_VISIT: "A licensing visit to {place} with the police",
    ActionKind.HOTEL_AWARENESS: "Awareness session for the staff of {place}",
    ActionKind.TAXI_AWARENESS: "Taxi driver awareness briefing at {place}",
    ActionKind.SCHOOL_SAFETY_PLAN: "A school safety plan for the child, with Oakhill Academy",
    ActionKind.ABDUCTION_NOTICE: "Serve a child abduction warning notice on the man known as "
    "{suspect}",
    ActionKind.OTHER: "Targeted patrols at {place} on Friday and Saturday evenings",
}


@dataclass
class HistoryChild:
    child: Child
    recorder: str
    pattern: str
    place: Place
    suspect: Suspect
    concerns: list[Concern]
    missing: bool  # goes missing over the year


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _days_ago(rng: random.Random, newest: int = 3) -> int:
    """A day in the past year, more often recent: the partnership is finding more."""
    return max(newest, int(DAYS * (1 - rng.random() ** 0.75)))


def _users(partnership: Partnership) -> dict[str, User]:
    return {
        u.email: u for u in User.objects.filter(partnership=partnership).select_related("agency")
    }


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
    users = _users(partnership)
    today = timezone.localdate()
    started = timezone.now()
    children = _children(rng, users, today)
    _referrals(rng, partnership, children)
    _reports(rng, partnership, children)
    _episodes(rng, users, children, today)
    _suspects_confirmed(partnership, users)
    _alerts_dated(partnership, users, started)
    _notifications_read(partnership, started)


def _notifications_read(partnership: Partnership, since: dt.datetime) -> None:
    """The year's referrals told their teams as they were sent; each notice takes its
    referral's time, and those over a fortnight old have been read, so a newcomer's
    "Notifications" count is what is new."""
    fortnight_ago = timezone.now() - dt.timedelta(days=14)
    sent = Notification.objects.filter(
        created_at__gte=since, recipient__partnership=partnership
    ).select_related("referral", "recipient")
    for notice in sent:
        when = notice.referral.submitted_at if notice.referral is not None else None
        if when is None:
            continue
        Notification.objects.filter(pk=notice.pk).update(created_at=when)
        if when < fortnight_ago:
            notification_mark_read(actor=notice.recipient, notification=notice)


def _suspects_confirmed(partnership: Partnership, users: dict[str, User]) -> None:
    """The year's men are named by nickname alone, which the engine leaves to an analyst as
    "possibly the same"; over the year the analyst confirmed each man's mentions as one."""
    analyst = users.get(ANALYST)
    if analyst is None:
        return
    for suspect in SUSPECTS:
        mentions = list(
            IndexedMention.objects.filter(
                partnership=partnership,
                entity_type=EntityType.PERSON,
                nickname__iexact=suspect.nickname,
            ).values_list("mention_id", flat=True)
        )
        pairs = LinkSuggestion.objects.filter(
            partnership=partnership,
            status=SuggestionStatus.SUGGESTED,
            mention_id__in=mentions,
            target_mention_id__in=mentions,
        )
        if pairs.exists():
            linking_services.suggestions_decide_group(
                actor=analyst, suggestions=list(pairs), decision="confirm"
            )


def _alerts_dated(partnership: Partnership, users: dict[str, User], since: dt.datetime) -> None:
    """The links the year's concerns and reports made were found as each arrived, so each alert
    takes the time of the latest record it names; the analyst has seen those over a fortnight
    old, which leaves the alerts list with what is new."""
    received = dict(
        IntelligenceReport.objects.filter(partnership=partnership).values_list(
            "external_id", "received_at"
        )
    )
    submitted = {
        f"{CONCERN_PREFIX}{pk}": at
        for pk, at in Concern.objects.filter(child__partnership=partnership).values_list(
            "pk", "submitted_at"
        )
    }
    analyst = users.get(ANALYST)
    fortnight_ago = timezone.now() - dt.timedelta(days=14)
    raised = Alert.objects.filter(partnership=partnership, created_at__gte=since)
    for alert in raised.prefetch_related("mentions"):
        containers = {m.mention_id.rsplit("/", 1)[0] for m in alert.mentions.all()}
        times = [t for c in containers if (t := received.get(c) or submitted.get(c))]
        if not times:
            continue
        when = max(times)
        Alert.objects.filter(pk=alert.pk).update(created_at=when)
        if analyst is not None and when < fortnight_ago:
            alert_mark_seen(actor=analyst, alert=alert)


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
            ethnicity=_weighted(rng, ETHNICITIES),
            disability=_weighted(
                rng, ((Disability.YES, 14), (Disability.NO, 66), (Disability.NOT_RECORDED, 20))
            ),
            care_status=_weighted(rng, CARE),
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
        first = _days_ago(rng)
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
    recorded = _at(day, 9) + dt.timedelta(days=1 if hour >= 16 else 0, hours=rng.randint(0, 6))
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
        days_ago = _days_ago(rng, newest=2)
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
            days_ago = rng.randint(8, 60) if rising and rng.random() < 0.6 else _days_ago(rng, 8)
            seen = _at(today - dt.timedelta(days=days_ago), rng.choice((16, 18, 20, 21, 22)))
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
    users = _users(partnership)
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
        person = _person(partnership, nickname)
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


def _person(partnership: Partnership, nickname: str) -> Entity | None:
    mentions = IndexedMention.objects.filter(
        partnership=partnership, entity_type=EntityType.PERSON, nickname__iexact=nickname
    ).values_list("mention_id", flat=True)
    held = MentionEntity.objects.filter(mention_id__in=list(mentions)).select_related("entity")
    found = held.first()
    return found.entity if found else None


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
    AgendaItem.objects.filter(pk=item.pk).update(recorded_at=_at(meeting.held_on, 13))


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
    AgendaItem.objects.filter(pk=item.pk).update(recorded_at=_at(held_on, 13))
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
        closed = _at(min(due_on, today), 12)
        DisruptionAction.objects.filter(pk=action.pk).update(closed_at=closed)
