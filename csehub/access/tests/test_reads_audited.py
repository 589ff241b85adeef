"""Every page that shows data about a child leaves an audit event naming what it showed.

The walk covers every URL pattern of the site (from the resolver, as test_policy.py does)
except the JSON API, which csehub/api tests walk. Each pattern is one of:

- READS: a page about children. It is opened with real records by someone allowed to see them,
  and must answer 200 and leave a VIEWED (or EXPORTED) event naming the record, or listing its
  id among those shown, and naming the child where the page is about one.
- POST_ONLY: changes something; a GET is refused (405), so it shows nothing.
- NO_CHILD_DATA: a page that shows nothing about any child, with the reason.

A new URL pattern is in none of them until someone decides, so the walk fails for it; a page
about children that does not read through csehub.access.reads fails for want of its event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.access.policy import rule_for
from csehub.access.urlwalk import named_routes
from csehub.accounts.models import Role, User
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.concerns import services as concern_services
from csehub.concerns.models import ConcernStatus
from csehub.disclosures import services as disclosure_services
from csehub.intelligence.services import SharedItems, report_share
from csehub.linking import services as linking_services
from csehub.linking.models import (
    Alert,
    LinkSuggestion,
    MentionEntity,
    ResolutionRun,
    RunEngine,
    RunStatus,
)
from csehub.linking.tests.helpers import possible_pair, report_import
from csehub.mace import services as mace_services
from csehub.missing import services as missing_services
from csehub.referrals import services as referral_services
from csehub.referrals.models import Destination
from csehub.taxonomy.services import taxonomy_load
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import TEST_PASSWORD, ChildFactory, ConcernFactory, UserFactory

API_PREFIX = "api-v1:"


@dataclass(frozen=True)
class Read:
    """A page about children: who opens it, the records its URL names (URL argument -> key in
    the world), and the event it must leave."""

    persona: str
    target_type: str
    args: dict[str, str] = field(default_factory=dict)
    record: str | None = None  # the event's target is this record
    listed: str | None = None  # a list page: this record's id is among those shown
    child: str | None = None  # the event names this child
    verb: Verb = Verb.VIEWED


def _one(
    persona: str, target_type: str, key: str, *, child: bool = True, verb: Verb = Verb.VIEWED
) -> Read:
    """A page about one record, named in its URL as `pk`, of a child unless `child` is False."""
    return Read(
        persona,
        target_type,
        args={"pk": key},
        record=key,
        child="child" if child else None,
        verb=verb,
    )


READS: dict[str, Read] = {
    # children
    "children:list": Read("practitioner", "child_list", listed="child"),
    "children:detail": _one("practitioner", "child", "child"),
    "children:edit": _one("lead", "child", "child"),
    "children:chronology-print": _one("practitioner", "child", "child", verb=Verb.EXPORTED),
    # concerns and risk assessments
    "concerns:list": Read("practitioner", "concern_list", listed="concern"),
    "concerns:create": Read(
        "practitioner", "child", args={"child_pk": "child"}, record="child", child="child"
    ),
    "concerns:detail": _one("practitioner", "concern", "concern"),
    "concerns:edit": _one("practitioner", "concern", "draft_concern"),
    "concerns:assess": _one("practitioner", "concern", "concern"),
    "concerns:assessment": _one("practitioner", "risk_assessment", "assessment"),
    "concerns:judgement": _one("lead", "risk_assessment", "assessment"),
    # referrals: the work lists, making one, and the receiving team's steps
    "referrals:team": Read("front_door", "referral_list", listed="referral"),
    "referrals:made": Read("lead", "referral_list", listed="referral"),
    "referrals:create": Read(
        "lead", "concern", args={"concern_pk": "concern"}, record="concern", child="child"
    ),
    "referrals:request": Read(
        "practitioner", "concern", args={"concern_pk": "concern"}, record="concern", child="child"
    ),
    "referrals:detail": _one("front_door", "referral", "referral"),
    "referrals:receive": _one("front_door", "referral", "referral"),
    "referrals:screen": _one("front_door", "referral", "referral"),
    "referrals:outcome": _one("front_door", "referral", "referral"),
    # disclosures
    "disclosures:create": Read(
        "practitioner", "child", args={"child_pk": "child"}, record="child", child="child"
    ),
    "disclosures:detail": _one("practitioner", "disclosure", "disclosure"),
    "disclosures:edit": _one("practitioner", "disclosure", "draft_disclosure"),
    "disclosures:addendum": _one("practitioner", "disclosure", "disclosure"),
    # missing episodes: the coordinator's work list, an episode, its return and the interview
    "missing:work-list": Read("coordinator", "return_interview_list", listed="interview"),
    "missing:create": Read(
        "coordinator", "child", args={"child_pk": "child"}, record="child", child="child"
    ),
    "missing:detail": _one("coordinator", "missing_episode", "episode"),
    "missing:return": _one("coordinator", "missing_episode", "open_episode"),
    "missing:interview": _one("coordinator", "return_interview", "interview"),
    "missing:interview-share": _one("coordinator", "return_interview", "done_interview"),
    # intelligence: what the sharer sees of their own, and the police inbox. Reports name
    # children by what the sharer wrote, not by a child's record, so no child is named.
    "intelligence:mine": Read("practitioner", "intelligence_report_list", listed="my_report"),
    "intelligence:shared": _one("practitioner", "intelligence_report", "my_report", child=False),
    "intelligence:detail": _one("practitioner", "intelligence_report", "my_report", child=False),
    "intelligence:inbox": Read("analyst", "intelligence_report_list", listed="their_report"),
    "intelligence:grade": _one("analyst", "intelligence_report", "their_report", child=False),
    # linking: alerts, entities, runs and the network with its exports
    "linking:alerts": Read("analyst", "link_alert_list", listed="alert"),
    "linking:entity": _one("analyst", "link_entity", "entity", child=False),
    # Runs hold counts and the model, no one's details; they are recorded all the same.
    "linking:runs": Read("analyst", "resolution_run_list", listed="run"),
    "linking:run": _one("analyst", "resolution_run", "run", child=False),
    "linking:network": Read("analyst", "link_network", args={"ref": "entity"}, record="entity"),
    "linking:network-map": Read("analyst", "link_network", args={"ref": "entity"}, record="entity"),
    **{
        f"linking:network-{name}": Read(
            "analyst", "link_network", args={"ref": "entity"}, record="entity", verb=Verb.EXPORTED
        )
        for name in ("nodes-csv", "edges-csv", "svg", "pdf", "png")
    },
    # The measures cover the partnership's whole network: the event counts what was shown.
    "linking:network-measures": Read("analyst", "link_measures"),
    # The queue of possible links: a group is named by its oldest open pair; a group's page
    # lists its pairs.
    "linking:possible": Read("analyst", "link_possible_group_list", listed="possible_pair"),
    "linking:possible-group": Read(
        "analyst", "link_suggestion_list", args={"ref": "entity"}, listed="possible_pair"
    ),
    # the MACE list
    "mace:list": Read("analyst", "mace_listing_list", listed="listing"),
    # the MACE panel: a meeting's agenda names children, each item with its record
    "mace:meetings": Read("mace", "panel_meeting_list", listed="meeting"),
    "mace:meeting": _one("mace", "panel_meeting", "meeting", child=False),
    "mace:item-record": _one("mace", "agenda_item", "item"),
    "mace:action-agree": _one("mace", "agenda_item", "item"),
    "mace:listing-add": Read(
        "analyst", "link_entity", args={"entity_pk": "person"}, record="person"
    ),
    # Listings name persons of concern, not children; the form to take one off reads it.
    "mace:listing-remove": _one("analyst", "mace_listing", "listing", child=False),
    # The form for a MACE list decision names its meeting only.
    "mace:meeting-listing": _one("mace", "panel_meeting", "meeting", child=False),
}

# Change something and answer GET with 405: nothing shown, the service audits the change.
POST_ONLY = {
    # the risk tool's result so far for the answers being ticked: never stored; the concern
    # it is about is read through csehub.access.reads, which audits it
    "concerns:assess-result",
    "intelligence:find-details",  # suggestions for text being typed: never stored or audited
    "linking:alert-seen",
    "linking:decision-undo",
    "linking:entity-merge",
    "linking:mention-split",
    "linking:possible-decide",
    "linking:suggestion-decide",
    "mace:panel-create",
    "mace:member-end",
    "mace:action-close",
}

# Pages that show nothing about any child. Each needs a reason: adding a page here says it
# never will.
NO_CHILD_DATA = {
    # signing in and out, the start page (links to the user's pages), the health check
    "accounts:home",
    "accounts:sign-in",
    "accounts:sign-in-code",
    "accounts:mfa-setup",
    "accounts:sign-out",
    "accounts:set-password",
    "health",
    # partnership administration: agencies and staff accounts
    "accounts:agency-list",
    "accounts:agency-create",
    "accounts:agency-edit",
    "accounts:user-list",
    "accounts:user-create",
    "accounts:user-edit",
    "accounts:user-reset-mfa",
    "accounts:user-send-password-link",
    # API tokens and partner systems (names and dates of credentials)
    "api:tokens",
    "api:token-create",
    "api:token-revoke",
    "api:partner-system-create",
    "api:partner-system-token-create",
    # the audit trail holds ids and codes only; searching and exporting it are audited by
    # their own SEARCHED and EXPORTED events
    "audit:search",
    "audit:export",
    # guidance, the pathway and the contact directory: the partnership's vocabulary and
    # services, not anyone's record
    "taxonomy:guidance-index",
    "taxonomy:guidance-vocabulary",
    "taxonomy:guidance-item",
    "pathways:pathway",
    "pathways:contacts",
    # the wording checker (text looked at and forgotten) and its report (counts per phrase)
    "language:report",
    "language:try",
    "language:check",
    # learning: a practitioner's own training, certificates, briefings and the pledge; the
    # course's case studies are fictional
    "learning:index",
    "learning:course",
    "learning:attempt",
    "learning:section",
    "learning:question",
    "learning:submit",
    "learning:review-queue",
    "learning:review",
    "learning:my-training",
    "learning:compliance",
    "learning:compliance-export",
    "learning:certificate-detail",
    "learning:certificate-pdf",
    "learning:certificate-revoke",
    "learning:briefing-list",
    "learning:briefing-present",
    "learning:briefing-audience",
    "learning:briefing-session-create",
    "learning:briefing-session-detail",
    "learning:pledge",
    "learning:pledge-invite",
    "learning:pledge-invitation",
    "learning:pledge-report",
    "learning:pledge-public",  # public invitation link: the pledge and the course text
    "learning:pledge-public-course",
    "learning:pledge-public-section",
    "certificates:verify",
    # the problem profile and its board report: counts only, 1 to 4 shown as "<5" (audited all
    # the same)
    "profile:dashboard",
    "profile:board-csv",
    "profile:board-pdf",
    # forms that start something new: empty until the user fills them in
    "children:create",
    "mace:meeting-create",
    # who sits on the MACE panel: staff names and agencies
    "mace:members",
    "intelligence:share",
    "intelligence:share-full",
    # notifications name a referral or concern by number only, never the child; opening one
    # marks it read (audited) and goes to the record's page, which audits its own read
    "referrals:notifications",
    "referrals:notification-open",
}

ROUTES = sorted(
    (r for r in named_routes() if not r.view_name.startswith(API_PREFIX)),
    key=lambda r: r.view_name,
)


def test_every_page_is_either_an_audited_read_or_says_why_it_shows_no_child():
    names = {r.view_name for r in ROUTES}
    undecided = sorted(names - set(READS) - POST_ONLY - NO_CHILD_DATA)
    assert undecided == [], (
        "URL patterns not yet classified: add each to READS (a page about children, read "
        "through csehub.access.reads), POST_ONLY, or NO_CHILD_DATA with the reason: "
        f"{undecided}"
    )
    assert sorted((set(READS) | POST_ONLY | NO_CHILD_DATA) - names) == []
    assert not set(READS) & NO_CHILD_DATA
    assert not POST_ONLY & NO_CHILD_DATA


@pytest.fixture
def world(partnership, school, council, police):
    """One child known to a school, with a concern (and a draft), a risk assessment, a referral
    to Children's Services, a signed disclosure (and a draft); shared and imported reports with
    an alert, a vehicle entity with a network, a person on the MACE list, and a linking run.
    Everyone is fictional."""
    taxonomy_load(actor=None)
    practitioner = UserFactory(agency=school, role=Role.PRACTITIONER, full_name="Priya Teacher")
    lead = UserFactory(agency=school, role=Role.SAFEGUARDING_LEAD, full_name="Dana Lead")
    social_worker = UserFactory(agency=council, role=Role.SOCIAL_WORKER, full_name="Sam Worker")
    front_door = UserFactory(agency=council, role=Role.FRONT_DOOR, full_name="Farah Frontdoor")
    analyst = UserFactory(agency=police, role=Role.POLICE_ANALYST, full_name="Alex Analyst")
    coordinator = UserFactory(
        agency=council, role=Role.MISSING_COORDINATOR, full_name="Robin Coordinator"
    )
    mace_coordinator = UserFactory(
        agency=council, role=Role.MACE_COORDINATOR, full_name="Dan Chair"
    )

    child = ChildFactory(
        created_by=practitioner,
        given_name="Zarelda",
        family_name="Quenby",
        allocated_social_worker=social_worker,
    )
    concern = ConcernFactory(raised_by=practitioner, child=child)
    draft_concern = ConcernFactory(
        raised_by=practitioner, child=child, status=ConcernStatus.DRAFT, submitted_at=None
    )
    assessment = concern_services.risk_assessment_create(
        actor=practitioner, concern=concern, immediate_danger=False, observations=[]
    )
    referral = referral_services.referral_create(
        actor=lead,
        concern=concern,
        addressee=referral_services.Addressee(
            destination=Destination.CHILDRENS_SOCIAL_CARE, to_agency=council
        ),
        content=referral_services.ReferralContent(
            what_was_seen="Seen getting into a grey car with an older man after school.",
            child_details="Year 9 pupil.",
            request="Please consider a strategy discussion.",
            risk_details=[],
        ),
        site_url="https://csehub.test",
    )
    details = disclosure_services.DisclosureDetails(
        occurred_on=dt.date(2026, 11, 20),
        occurred_time=dt.time(10, 15),
        place="The library office",
        who_was_present="No one else.",
        childs_words="He said I owe him now.",
        practitioner_response="I listened and told the safeguarding lead.",
        who_was_told="Dana Lead, at 10:40.",
    )
    disclosure = disclosure_services.disclosure_create(
        actor=practitioner, child=child, details=details, sign_with_password=TEST_PASSWORD
    )
    draft_disclosure = disclosure_services.disclosure_create(
        actor=practitioner, child=child, details=details
    )

    episodes = []
    for days_ago, returned in ((9, True), (5, True), (1, False)):
        seen = timezone.now() - dt.timedelta(days=days_ago)
        episodes.append(
            missing_services.missing_episode_record(
                actor=coordinator,
                child=child,
                details=missing_services.EpisodeDetails(
                    reported_at=seen + dt.timedelta(hours=2),
                    reported_by="Her foster carer",
                    last_seen_at=seen,
                    last_seen_place="Northgate shops",
                ),
                returned=missing_services.ReturnDetails(
                    returned_at=seen + dt.timedelta(days=1),
                    returned_place="Her foster home",
                    found_by="Police",
                )
                if returned
                else None,
            )
        )
    done_interview = missing_services.interview_done(
        actor=coordinator,
        interview=episodes[0].interview,
        held_at=episodes[0].returned_at + dt.timedelta(hours=20),
        childs_account="I stayed at a friend's.",
    )

    panel = mace_services.panel_create(actor=mace_coordinator, name="Testshire MACE panel")
    meeting = mace_services.meeting_create(
        actor=mace_coordinator, panel=panel, kind="case", held_on=timezone.localdate()
    )
    item = mace_services.agenda_item_add(
        actor=mace_coordinator, meeting=meeting, title="Zarelda", child=child
    )

    their_report = report_share(
        actor=social_worker,
        text="A silver Audi YX12 ABC collects her after school.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX12 ABC", "make": "Audi", "colour": "Silver"}]),
    )
    phone = {"ref": "t1", "number": "07700 900123"}
    report_import(
        partnership, "A-1", children=[{"ref": "c1", "name": "Jessica Ashdown"}], phones=[phone]
    )
    report_import(
        partnership, "A-2", children=[{"ref": "c1", "name": "Olivia Brackley"}], phones=[phone]
    )
    report_import(partnership, "A-3", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    linking_services.suggestion_confirm(
        actor=analyst, suggestion=LinkSuggestion.objects.get(mention_id="A-3/v1"), notify=False
    )
    # Shared after the confirmed link, so that its partial plate is only suggested.
    my_report = report_share(
        actor=practitioner,
        text="A car, plate YX1? ?BC, waits outside the school gates.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX1? ?BC"}]),
    )
    person = {"ref": "p1", "name": "Daniel Dorrington", "age_estimate": 30}
    report_import(partnership, "A-4", persons=[person])
    report_import(partnership, "A-5", persons=[person])
    linking_services.suggestion_confirm(
        actor=analyst,
        suggestion=LinkSuggestion.objects.get(mention_id="A-5/p1", target_mention_id="A-4/p1"),
        notify=False,
    )
    person_entity = MentionEntity.objects.get(mention_id="A-5/p1").entity
    listing = mace_services.mace_listing_add(actor=analyst, entity=person_entity, meeting=meeting)
    run = ResolutionRun.objects.create(
        partnership=partnership, engine=RunEngine.DETERMINISTIC, status=RunStatus.FINISHED
    )
    # A plate that may be the car's, left open for the analysts' queue.
    report_import(partnership, "A-6", vehicles=[{"ref": "v1", "plate": "YX62 ABC"}])
    possible = possible_pair("A-6/v1", f"{their_report.external_id}/v1", 0.6, field="plate")
    return {
        "personas": {
            "practitioner": practitioner,
            "lead": lead,
            "front_door": front_door,
            "analyst": analyst,
            "coordinator": coordinator,
            "mace": mace_coordinator,
        },
        "meeting": meeting,
        "item": item,
        "child": child,
        "episode": episodes[1],
        "open_episode": episodes[2],
        "interview": episodes[1].interview,
        "done_interview": done_interview,
        "concern": concern,
        "draft_concern": draft_concern,
        "assessment": assessment,
        "referral": referral,
        "disclosure": disclosure,
        "draft_disclosure": draft_disclosure,
        "my_report": my_report,
        "their_report": their_report,
        "alert": Alert.objects.get(),
        "entity": MentionEntity.objects.get(mention_id=f"{their_report.external_id}/v1").entity,
        "person": person_entity,
        "listing": listing,
        "run": run,
        "possible_pair": possible,
    }


def _url(view_name: str, read: Read, world: dict[str, Any]) -> str:
    kwargs = {
        name: world[key].reference if name == "ref" else world[key].pk
        for name, key in read.args.items()
    }
    return reverse(view_name, kwargs=kwargs or None)


def _problem(read: Read, user: User, events: list[AuditEvent], world: dict[str, Any]) -> str:
    """What is wrong with the events one page left, or "" when one of them names the read."""
    reads = [
        e
        for e in events
        if e.actor_id == user.pk
        and e.outcome == Outcome.ALLOWED
        and e.verb == read.verb
        and e.target_type == read.target_type
    ]
    if read.record is not None:
        reads = [e for e in reads if e.target_id == str(world[read.record].pk)]
    if read.listed is not None:
        reads = [e for e in reads if world[read.listed].pk in e.detail.get("ids", [])]
    if not reads:
        seen = [(e.verb, e.target_type, e.target_id, e.detail) for e in events]
        return f"no {read.verb} {read.target_type} event naming what was shown (saw {seen})"
    if read.child is not None and not any(e.child_id == world[read.child].pk for e in reads):
        return f"the {read.target_type} event does not name the child it is about"
    return ""


@pytest.mark.django_db
def test_every_page_about_children_audits_what_it_showed(world: dict[str, Any]) -> None:
    clients: dict[str, Client] = {
        name: signed_in_client(user) for name, user in world["personas"].items()
    }
    problems: dict[str, str] = {}
    opened = 0
    for route in ROUTES:
        name = route.view_name
        if name in POST_ONLY:
            url = reverse(name, kwargs=route.sample_kwargs or None)
            # Asked by someone the policy lets through, so the view itself answers.
            rule = rule_for(name)
            who = next(
                persona
                for persona, user in world["personas"].items()
                if not isinstance(rule, Permission) or has_permission(user, rule)
            )
            status = clients[who].get(url).status_code
            if status != 405:
                problems[name] = f"listed as POST only, but a GET answered {status}"
        elif name in READS:
            read = READS[name]
            before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            response = clients[read.persona].get(_url(name, read, world))
            opened += 1
            if response.status_code != 200:
                problems[name] = f"{read.persona} was answered {response.status_code}, not 200"
                continue
            events = list(AuditEvent.objects.filter(pk__gt=before).order_by("pk"))
            user = world["personas"][read.persona]
            if problem := _problem(read, user, events, world):
                problems[name] = problem
    assert problems == {}
    assert opened == len(READS)
