"""Who may see intelligence, links, the network and alerts: with real records, not samples.

csehub/access/tests/test_policy.py walks every URL with sample arguments for every role. Here
the records are real (another agency's report, a real entity, suggestion, decision and alert),
so what is checked is what a partner would meet: the record is refused (404 alike for "not
yours" and "missing", 403 for a page of a kind they may not use), nothing changes, nothing of
the record shows on the page, and every refusal leaves its audit event naming who, what and
which record.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.urls import reverse

from csehub.access.permissions import Permission
from csehub.access.policy import rule_for
from csehub.access.urlwalk import named_routes
from csehub.accounts.models import Role, User
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.intelligence.models import Grading, IntelligenceReport
from csehub.intelligence.services import SharedItems, report_share
from csehub.linking import services as linking_services
from csehub.linking.models import (
    Alert,
    AnalystDecision,
    Entity,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import AgencyFactory, PartnershipFactory, UserFactory

from .helpers import report_import

pytestmark = pytest.mark.django_db

# Every role but the police analyst's is a partner's: none of them may see match results.
PARTNER_ROLES = [role for role in Role if role != Role.POLICE_ANALYST]
ANALYST_ONLY = ("linking:", "intelligence:inbox", "intelligence:grade")
# Views that change something are tried with a real request body, the rest with GET.
POSTS = {
    "linking:alert-seen",
    "linking:entity-merge",
    "linking:mention-split",
    "linking:suggestion-decide",
    "linking:decision-undo",
    "linking:possible-decide",
    "intelligence:grade",
}


@pytest.fixture
def world(partnership, school, council, police_analyst, social_worker) -> dict[str, Any]:
    """Children's Services (the social worker) shared a report with a car; a school shared a
    partial plate that links to it; two imported reports name two children with one phone (an
    alert); the analyst has confirmed one link (a decision)."""
    theirs = report_share(
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
    confirmed = LinkSuggestion.objects.get(mention_id="A-3/v1")
    decision = linking_services.suggestion_confirm(
        actor=police_analyst, suggestion=confirmed, notify=False
    )
    mine_user = cast(User, UserFactory(agency=school, role=Role.PRACTITIONER, full_name="Pat"))
    mine = report_share(
        actor=mine_user,
        text="A car, plate YX1? ?BC, waits outside the school gates.",
        how_known="saw_it",
        observed_at=None,
        items=SharedItems(vehicles=[{"plate": "YX1? ?BC"}]),
    )
    suggestion = LinkSuggestion.objects.get(
        mention_id=f"{mine.external_id}/v1", target_mention_id=f"{theirs.external_id}/v1"
    )
    alert = Alert.objects.get()
    entity = MentionEntity.objects.get(mention_id=f"{theirs.external_id}/v1").entity
    return {
        "theirs": theirs,
        "mine": mine,
        "mine_user": mine_user,
        "suggestion": suggestion,
        "decision": decision,
        "alert": alert,
        "entity": entity,
    }


def _kwargs(view_name: str, sample: dict[str, object], world: dict[str, Any]) -> dict[str, Any]:
    """The real record each URL names."""
    if "ref" in sample:
        return {"ref": world["entity"].reference}
    if "pk" not in sample:
        return {}
    records = {
        "linking:alert-seen": world["alert"],
        "linking:suggestion-decide": world["suggestion"],
        "linking:decision-undo": world["decision"],
        "intelligence:grade": world["theirs"],
    }
    return {"pk": records.get(view_name, world["entity"]).pk}


def _bodies(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "linking:entity-merge": {"other": world["entity"].reference},
        "linking:mention-split": {"mention_id": f"{world['theirs'].external_id}/v1"},
        "linking:suggestion-decide": {"decision": "confirm"},
        "linking:possible-decide": {"decision": "confirm", "pairs": [world["suggestion"].pk]},
        "intelligence:grade": {
            "corrects": "",
            "source_evaluation": "1",
            "intelligence_assessment": "A",
            "handling_code": "P",
            "outcome": "no_further_action",
            "feedback": "Thank you.",
        },
    }


def _denied(user, target_type: str, target_id: object) -> bool:
    return AuditEvent.objects.filter(
        actor=user,
        verb=Verb.VIEWED,
        outcome=Outcome.DENIED,
        target_type=target_type,
        target_id=str(target_id),
    ).exists()


def _state(world: dict[str, Any]) -> tuple[object, ...]:
    """What a refused request must leave as it was."""
    return (
        world["suggestion"].__class__.objects.get(pk=world["suggestion"].pk).status,
        AnalystDecision.objects.count(),
        Entity.objects.count(),
        sorted(MentionEntity.objects.values_list("mention_id", "entity_id")),
        world["alert"].seen_by.count(),
        Grading.objects.count(),
    )


@pytest.mark.parametrize("role", PARTNER_ROLES, ids=str)
def test_a_partner_is_refused_every_link_network_alert_and_triage_page(role, school, world):
    """Each analyst-only URL, with the real record it names: 403, nothing changes, nothing of
    the record shows, and a denied audit event names the user and the page."""
    user = UserFactory(agency=school, role=role)
    client = signed_in_client(user)
    before = _state(world)
    bodies = _bodies(world)
    routes = [r for r in named_routes() if r.view_name.startswith(ANALYST_ONLY)]
    assert {"linking:network-nodes-csv", "linking:network-svg", "linking:alerts"} <= {
        r.view_name for r in routes
    }
    if role == Role.MACE_COORDINATOR:
        # The panel's coordinator sees the alerts and the network (below), nothing else.
        routes = [r for r in routes if rule_for(r.view_name) != Permission.VIEW_NETWORK]
    problems = []
    for route in routes:
        url = reverse(route.view_name, kwargs=_kwargs(route.view_name, route.sample_kwargs, world))
        if route.view_name in POSTS:
            response = client.post(url, bodies.get(route.view_name, {}))
        else:
            response = client.get(url)
        page = response.content.decode(errors="replace")
        if response.status_code != 403:
            problems.append(f"{route.view_name}: {response.status_code}")
        elif "YX12" in page or world["entity"].reference in page.split("<main")[-1]:
            problems.append(f"{route.view_name}: shows the record")
        elif not _denied(user, "page", route.view_name):
            problems.append(f"{route.view_name}: no denied audit event")
    assert problems == []
    assert _state(world) == before


def test_the_mace_coordinator_sees_the_alerts_and_the_network_without_entity_pages(council, world):
    user = UserFactory(agency=council, role=Role.MACE_COORDINATOR)
    client = signed_in_client(user)
    entity = world["alert"].entity  # the phone that links two children
    alerts = client.get(reverse("linking:alerts")).content.decode()
    assert entity.reference in alerts
    assert reverse("linking:network", args=[entity.reference]) in alerts
    assert reverse("linking:entity", args=[entity.pk]) not in alerts
    assert "/intelligence/" not in alerts.split("<main")[-1]  # no way into the reports
    network = client.get(reverse("linking:network", args=[entity.reference]))
    assert network.status_code == 200
    assert reverse("linking:entity", args=[entity.pk]) not in network.content.decode()
    assert client.get(reverse("mace:list")).status_code == 200
    assert client.get(reverse("linking:entity", args=[entity.pk])).status_code == 403
    assert client.post(reverse("linking:alert-seen", args=[world["alert"].pk])).status_code == 302
    assert world["alert"].seen_by.filter(pk=user.pk).exists()


@pytest.mark.parametrize("role", PARTNER_ROLES, ids=str)
@pytest.mark.parametrize("name", ["intelligence:detail", "intelligence:shared"])
def test_a_partner_cannot_open_another_agencys_intelligence(role, name, school, world):
    """Another agency's report: 404, as if it did not exist, and a denied audit event for it."""
    user = UserFactory(agency=school, role=role)
    client = signed_in_client(user)
    theirs = world["theirs"]
    response = client.get(reverse(name, args=[theirs.pk]))
    assert response.status_code == 404
    assert "YX12" not in response.content.decode()
    assert _denied(user, "intelligence_report", theirs.pk)
    # Nor is it in their list of what they (or their agency) shared.
    listing = client.get(reverse("intelligence:mine")).content.decode()
    assert theirs.reference not in listing and "YX12" not in listing


def test_a_practitioner_cannot_open_a_colleagues_report_but_their_lead_can(school, world):
    """Own scope for a practitioner, agency scope for the agency's safeguarding lead."""
    mine = world["mine"]
    colleague = UserFactory(agency=school, role=Role.PRACTITIONER)
    response = signed_in_client(colleague).get(reverse("intelligence:detail", args=[mine.pk]))
    assert response.status_code == 404
    assert _denied(colleague, "intelligence_report", mine.pk)
    lead = UserFactory(agency=school, role=Role.SAFEGUARDING_LEAD)
    response = signed_in_client(lead).get(reverse("intelligence:detail", args=[mine.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor=lead,
        verb=Verb.VIEWED,
        outcome=Outcome.ALLOWED,
        target_type="intelligence_report",
        target_id=str(mine.pk),
    ).exists()


def test_the_submitter_learns_that_it_links_but_nothing_of_the_other_report(world):
    """The submitter's own pages say their plate matches a vehicle another agency knows, why and
    with what weight; never the other report's reference, plate, agency or the suggestion."""
    client = signed_in_client(world["mine_user"])
    mine, theirs = world["mine"], world["theirs"]
    shared = client.get(reverse("intelligence:shared", args=[mine.pk])).content.decode()
    assert "A vehicle already known from another agency" in shared
    assert "Registration plate: partial plate fits" in shared
    assert f">{world['suggestion'].percent}<" in shared
    detail = client.get(reverse("intelligence:detail", args=[mine.pk])).content.decode()
    for page in (shared, detail):
        assert theirs.reference not in page
        assert "YX12" not in page
        assert "Testshire Children" not in page
        assert world["entity"].reference not in page
        assert "suggestion-decide" not in page and "/linking/" not in page


def test_an_analyst_of_another_partnership_is_refused_every_record(world):
    """The same role elsewhere: every record of this partnership answers 404, each refusal
    audited with the record it named."""
    elsewhere = PartnershipFactory(name="Otherton Partnership", slug="otherton")
    police = AgencyFactory(partnership=elsewhere, name="Otherton Police")
    analyst = UserFactory(agency=police, role=Role.POLICE_ANALYST)
    client = signed_in_client(analyst)
    entity, theirs = world["entity"], world["theirs"]
    tried = [
        (reverse("intelligence:grade", args=[theirs.pk]), "intelligence_report", theirs.pk),
        (reverse("intelligence:detail", args=[theirs.pk]), "intelligence_report", theirs.pk),
        (reverse("linking:entity", args=[entity.pk]), "link_entity", entity.pk),
        (reverse("linking:network", args=[entity.reference]), "link_network", entity.pk),
        (reverse("linking:network-nodes-csv", args=[entity.reference]), "link_network", entity.pk),
        (reverse("linking:network-svg", args=[entity.reference]), "link_network", entity.pk),
    ]
    for url, target_type, target_id in tried:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "YX12" not in response.content.decode()
        assert _denied(analyst, target_type, target_id), url
    before = _state(world)
    response = client.post(
        reverse("linking:suggestion-decide", args=[world["suggestion"].pk]),
        {"decision": "confirm"},
    )
    assert response.status_code == 404
    assert _denied(analyst, "link_suggestion", world["suggestion"].pk)
    response = client.post(reverse("linking:alert-seen", args=[world["alert"].pk]))
    assert response.status_code == 404
    assert _denied(analyst, "link_alert", world["alert"].pk)
    assert _state(world) == before
    inbox = client.get(reverse("intelligence:inbox")).content.decode()
    alerts = client.get(reverse("linking:alerts")).content.decode()
    assert theirs.reference not in inbox and "YX12" not in inbox
    assert entity.reference not in alerts and world["alert"].entity.reference not in alerts
    # The partial plate fits only the car's plate: the engine resolved it, and it stays so.
    world["suggestion"].refresh_from_db()
    assert world["suggestion"].status == SuggestionStatus.RESOLVED
    assert IntelligenceReport.objects.filter(partnership=elsewhere).count() == 0


def test_the_analysts_alert_list_is_audited(police_analyst, world):
    """The alerts page names children's links: showing it is a read, recorded with its ids."""
    response = signed_in_client(police_analyst).get(reverse("linking:alerts"))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(actor=police_analyst, target_type="link_alert_list").get()
    assert event.outcome == Outcome.ALLOWED
    assert event.detail == {"ids": [world["alert"].pk]}
