"""The analysts' queue of possible links: grouping, ranking, deciding a group, who may see it.

Every person, plate and report here is made up.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from csehub.accounts.models import Role
from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.linking import queue, queue_views, services
from csehub.linking.models import (
    AnalystDecision,
    DecisionKind,
    Entity,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)
from csehub.mace import services as mace_services
from csehub.testing.clients import signed_in_client
from csehub.testing.factories import (
    AgencyFactory,
    MeetingFactory,
    PartnershipFactory,
    UserFactory,
)

from .helpers import possible_pair, report_import

pytestmark = pytest.mark.django_db


def _person(name: str) -> dict[str, Any]:
    return {"ref": "p1", "name": name}


def _entity_of(mention_id: str) -> int | None:
    found = MentionEntity.objects.filter(mention_id=mention_id).first()
    return found.entity_id if found else None


def _one_entity(partnership, entity_type: str, label: str, *mention_ids: str) -> Entity:
    """Mentions the engine has resolved into one entity."""
    entity = services.entity_create(
        partnership_id=partnership.pk, entity_type=entity_type, label=label
    )
    services.mentions_assign_by_engine(entity=entity, mention_ids=mention_ids)
    return entity


@pytest.fixture
def world(partnership, police_analyst) -> dict[str, Any]:
    """Five groups of open pairs, with the weights set here (the engine's own open pairs are
    cleared first, so that nothing else is open):

    - Daniel Dorrington, one person from K-1 and K-2, and two later mentions that may be him:
      "Danny Dorrington" (N-1, 70) and "Daniel Dorington" (N-2, 60). Nothing at stake.
    - Kieran Voss (K-3), on the MACE list, and "Kieran Vos" (N-3, 50).
    - A Ford, EL30 ZBF (M-1, in no entity), and a Nissan with a partial plate EL30 Z?F (M-2, 90).
    - Jordan Pike (K-4), and "Jordan Pyke" (N-4, 45) in a report that also names a child.
    - Kai Gray (C-1, with a date of birth) and "Kai Grey" (C-2, without; another spelling, so
      not the only child of that name known): the engine's own pair.
    """
    for report_id, name in [
        ("K-1", "Daniel Dorrington"),
        ("K-2", "Daniel Dorrington"),
        ("N-1", "Danny Dorrington"),
        ("N-2", "Daniel Dorington"),
        ("K-3", "Kieran Voss"),
        ("N-3", "Kieran Vos"),
        ("K-4", "Jordan Pike"),
    ]:
        report_import(partnership, report_id, persons=[_person(name)])
    report_import(
        partnership,
        "N-4",
        persons=[_person("Jordan Pyke")],
        children=[{"ref": "c1", "name": "Mia Hartwell", "dob": "2011-05-06"}],
    )
    report_import(partnership, "M-1", vehicles=[{"ref": "v1", "plate": "EL30 ZBF", "make": "Ford"}])
    report_import(
        partnership, "M-2", vehicles=[{"ref": "v1", "plate": "EL30 Z?F", "make": "Nissan"}]
    )
    LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).delete()
    daniel = _one_entity(partnership, "person", "daniel dorrington", "K-1/p1", "K-2/p1")
    kieran = _one_entity(partnership, "person", "kieran voss", "K-3/p1")
    mace_services.mace_listing_add(
        actor=police_analyst,
        entity=kieran,
        meeting=MeetingFactory.create(panel__partnership=partnership),
    )
    pairs = {
        "daniel_1": possible_pair("N-1/p1", "K-1/p1", 0.7, how="nickname"),
        "daniel_2": possible_pair("N-2/p1", "K-2/p1", 0.6),
        "kieran": possible_pair("N-3/p1", "K-3/p1", 0.5),
        "car": possible_pair("M-2/v1", "M-1/v1", 0.9, field="plate", how="partial_plate"),
        "jordan": possible_pair("N-4/p1", "K-4/p1", 0.45),
    }
    report_import(
        partnership, "C-1", children=[{"ref": "c1", "name": "Kai Gray", "dob": "2012-03-04"}]
    )
    report_import(partnership, "C-2", children=[{"ref": "c1", "name": "Kai Grey"}])
    pairs["kai"] = LinkSuggestion.objects.get(
        mention_id="C-2/c1", target_mention_id="C-1/c1", status=SuggestionStatus.SUGGESTED
    )
    for mention_id in ("N-1/p1", "N-2/p1", "N-3/p1", "N-4/p1", "M-2/v1", "C-2/c1"):
        assert _entity_of(mention_id) is None, f"{mention_id} was joined by the engine"
    assert LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).count() == 6
    return {"daniel": daniel, "kieran": kieran, "pairs": pairs}


def _names(user, **filters: str) -> list[str]:
    found = queue.possible_queue(user=user, **filters)
    return [group.name for group in found.groups(found[:])]


def _group_url(ref: str) -> str:
    return reverse("linking:possible-group", kwargs={"ref": ref})


def _decide(client, ref: str, decision: str, pairs: list[LinkSuggestion]):
    return client.post(
        reverse("linking:possible-decide"),
        {"group": ref, "decision": decision, "pairs": [pair.pk for pair in pairs]},
        follow=True,
    )


# ---------------------------------------------------------------------------------------------
# Grouping and ranking
# ---------------------------------------------------------------------------------------------


def test_two_pairs_to_one_entity_are_one_group(world, police_analyst):
    found = queue.possible_queue(user=police_analyst)
    groups = {group.name: group for group in found.groups(found[:])}
    daniel = groups[world["daniel"].reference]
    assert (daniel.pairs, daniel.strongest_percent, daniel.label) == (2, 70, "daniel dorrington")
    assert daniel.entity_type_display == "Person"
    # A known mention in no entity is a group of its own, named by the mention.
    assert groups["M-1/v1"].pairs == 1 and groups["M-1/v1"].entity is None
    assert len(found) == 5 and found.pairs_count() == 6

    page = signed_in_client(police_analyst).get(reverse("linking:possible"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "There are 6 open possible links in 5 groups." in text
    assert _group_url(world["daniel"].reference) in text
    assert _group_url("mention/M-1/v1") in text


def test_groups_most_at_stake_come_first_then_the_strongest(world, police_analyst):
    names = _names(police_analyst)
    daniel, kieran = world["daniel"].reference, world["kieran"].reference
    # The MACE-listed person's group (50) before the car's (90); both groups with a child
    # before any group without one; then the strongest first.
    assert names[0] == kieran
    assert set(names[1:3]) == {"K-4/p1", "C-1/c1"}
    assert names[3:] == ["M-1/v1", daniel]
    found = queue.possible_queue(user=police_analyst)
    groups = {group.name: group for group in found.groups(found[:])}
    assert groups[kieran].mace and not groups[kieran].child
    assert groups["K-4/p1"].child and groups["C-1/c1"].child
    assert not groups[daniel].mace and not groups[daniel].child

    text = signed_in_client(police_analyst).get(reverse("linking:possible")).content.decode()
    shown = [text.index(_group_url(ref)) for ref in (kieran, "mention/M-1/v1", daniel)]
    assert shown == sorted(shown)
    assert "MACE list" in text and "Child involved" in text


def test_a_mace_listing_on_the_arriving_side_counts_as_well(world, partnership, police_analyst):
    # Danny Dorrington (N-1) turns out to be in an entity on the MACE list himself.
    listed = _one_entity(partnership, "person", "danny dorrington", "N-1/p1")
    mace_services.mace_listing_add(
        actor=police_analyst,
        entity=listed,
        meeting=MeetingFactory.create(panel__partnership=partnership),
    )
    # Both groups now have a listed person at stake: the stronger (70 to 50) comes first.
    assert _names(police_analyst)[:2] == [world["daniel"].reference, world["kieran"].reference]


def test_the_queue_filters_by_type_and_by_what_is_at_stake(world, police_analyst):
    client = signed_in_client(police_analyst)
    assert _names(police_analyst, entity_type="vehicle") == ["M-1/v1"]
    assert _names(police_analyst, stakes=queue.Stakes.MACE) == [world["kieran"].reference]
    assert set(_names(police_analyst, stakes=queue.Stakes.CHILD)) == {"K-4/p1", "C-1/c1"}

    page = client.get(reverse("linking:possible"), {"entity_type": "vehicle"})
    text = page.content.decode()
    assert "There is 1 open possible link in 1 group matching these filters." in text
    assert "EL30ZBF" in text and "dorrington" not in text

    page = client.get(reverse("linking:possible"), {"entity_type": "spaceship"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "There is a problem" in text and "Choose a type from the list" in text
    assert "<title>Error: " in text


def test_the_queue_pages_through_groups(world, police_analyst, monkeypatch):
    monkeypatch.setattr(queue_views, "QUEUE_PAGE_GROUPS", 2)
    client = signed_in_client(police_analyst)
    text = client.get(reverse("linking:possible"), {"stakes": "", "page": "3"}).content.decode()
    assert "govuk-pagination" in text and 'aria-current="page">3<' in text
    assert _group_url(world["daniel"].reference) in text
    assert _group_url(world["kieran"].reference) not in text
    # The page's links keep the filters.
    assert "stakes=&amp;page=2" in text


# ---------------------------------------------------------------------------------------------
# A group's page and deciding a group
# ---------------------------------------------------------------------------------------------


def test_a_groups_page_shows_each_pair_with_its_weight_and_reasons(world, police_analyst):
    page = signed_in_client(police_analyst).get(_group_url(world["daniel"].reference))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{world['daniel'].reference}: daniel dorrington" in text
    assert "N-1/p1" in text and "N-2/p1" in text and "K-1/p1" in text
    assert "Same name allowing for nicknames and spellings" in text
    assert ">70<" in text and ">60<" in text
    assert "These are all the same" in text and "None of these are the same" in text


def test_confirming_a_group_joins_every_mention_and_records_a_decision_per_pair(
    world, police_analyst
):
    daniel, pairs = world["daniel"], [world["pairs"]["daniel_1"], world["pairs"]["daniel_2"]]
    client = signed_in_client(police_analyst)
    page = _decide(client, daniel.reference, "confirm", pairs)
    text = page.content.decode()
    assert f"2 links confirmed: the mentions are now one entity, {daniel.reference}." in text
    assert page.redirect_chain[-1][0] == reverse("linking:possible")
    assert _group_url(daniel.reference) not in text  # nothing left to decide in it

    for mention_id in ("K-1/p1", "K-2/p1", "N-1/p1", "N-2/p1"):
        assert _entity_of(mention_id) == daniel.pk
    decisions = AnalystDecision.objects.filter(kind=DecisionKind.CONFIRM, actor=police_analyst)
    assert sorted(decisions.values_list("suggestion_id", flat=True)) == sorted(p.pk for p in pairs)
    for pair in pairs:
        pair.refresh_from_db()
        assert pair.status == SuggestionStatus.CONFIRMED and pair.decided_by == police_analyst
    events = AuditEvent.objects.filter(actor=police_analyst, target_type="link_decision")
    assert sorted(e.detail["suggestion"] for e in events) == sorted(p.pk for p in pairs)
    assert all(e.detail["kind"] == "confirm" for e in events)

    # Each decision is undone on its own, as any other.
    one = decisions.get(suggestion=pairs[1])
    client.post(reverse("linking:decision-undo", args=[one.pk]))
    assert _entity_of("N-2/p1") is None and _entity_of("N-1/p1") == daniel.pk


def test_confirming_a_group_raises_one_alert_and_mails_it_after_commit(
    partnership, police_analyst, django_capture_on_commit_callbacks
):
    """A phone in three reports about three children: two of them possibly the same number."""
    phone = {"ref": "t1", "number": "07700 900123"}
    report_import(partnership, "P-1", phones=[phone], children=[{"ref": "c1", "name": "Ava Lund"}])
    report_import(
        partnership,
        "P-2",
        phones=[{"ref": "t1", "number": "07700 900124"}],
        children=[{"ref": "c1", "name": "Ruby Okafor"}],
    )
    report_import(
        partnership,
        "P-3",
        phones=[{"ref": "t1", "number": "07700 900125"}],
        children=[{"ref": "c1", "name": "Isla Brennan"}],
    )
    LinkSuggestion.objects.filter(status=SuggestionStatus.SUGGESTED).delete()
    known = _one_entity(partnership, "phone", "+447700900123", "P-1/t1")
    pairs = [
        possible_pair("P-2/t1", "P-1/t1", 0.6, field="e164"),
        possible_pair("P-3/t1", "P-1/t1", 0.6, field="e164"),
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.suggestions_decide_group(
            actor=police_analyst, suggestions=pairs, decision="confirm"
        )
    assert result.entity == known and len(result.decisions) == 2
    alerts = list(known.alerts.all())
    assert [a.children_linked for a in alerts] == [3]  # one alert for the group, not one a pair
    assert callbacks and len(mail.outbox) == 1


def test_rejecting_a_group_leaves_them_apart_and_they_are_not_suggested_again(
    world, partnership, police_analyst
):
    kai = world["pairs"]["kai"]
    client = signed_in_client(police_analyst)
    page = _decide(client, "mention/C-1/c1", "reject", [kai])
    assert "1 link rejected: they will not be suggested again." in page.content.decode()
    daniel = world["daniel"]
    pairs = [world["pairs"]["daniel_1"], world["pairs"]["daniel_2"]]
    _decide(client, daniel.reference, "reject", pairs)
    assert _entity_of("N-1/p1") is None and _entity_of("N-2/p1") is None
    assert AnalystDecision.objects.filter(kind=DecisionKind.REJECT).count() == 3

    # The reports come in again: the engine compares them afresh, and leaves these alone.
    again = "Seen again."
    report_import(partnership, "C-2", text=again, children=[{"ref": "c1", "name": "Kai Grey"}])
    report_import(partnership, "N-1", text=again, persons=[_person("Danny Dorrington")])
    report_import(partnership, "N-2", text=again, persons=[_person("Daniel Dorington")])
    for pair in (kai, *pairs):
        again = LinkSuggestion.objects.get(
            mention_id=pair.mention_id, target_mention_id=pair.target_mention_id
        )
        assert again.status == SuggestionStatus.REJECTED
    # Nor as a pair with another mention of the entity they were rejected from: rejecting a
    # group answers "is this that entity?", so the group does not come back.
    assert "C-1/c1" not in _names(police_analyst)
    assert daniel.reference not in _names(police_analyst)
    assert not LinkSuggestion.objects.filter(
        mention_id__in=["N-1/p1", "N-2/p1"],
        target_mention_id__in=["K-1/p1", "K-2/p1"],
        status=SuggestionStatus.SUGGESTED,
    ).exists()


def test_a_pair_decided_since_the_page_was_shown_is_skipped_and_the_page_says_so(
    world, police_analyst, police
):
    daniel = world["daniel"]
    first, second = world["pairs"]["daniel_1"], world["pairs"]["daniel_2"]
    client = signed_in_client(police_analyst)
    assert client.get(_group_url(daniel.reference)).status_code == 200
    colleague = UserFactory(agency=police, role=Role.POLICE_ANALYST, full_name="Chris Colleague")
    services.suggestion_reject(actor=colleague, suggestion=second)

    page = _decide(client, daniel.reference, "confirm", [first, second])
    text = page.content.decode()
    assert "1 link confirmed" in text
    assert "1 link had been decided or changed since the page was shown" in text
    second.refresh_from_db()
    assert second.status == SuggestionStatus.REJECTED and second.decided_by == colleague
    assert _entity_of("N-1/p1") == daniel.pk and _entity_of("N-2/p1") is None

    # Everything shown has been decided since: nothing is, and it says so.
    page = _decide(client, daniel.reference, "reject", [first, second])
    text = page.content.decode()
    assert "Nothing was decided. 2 links had been decided or changed" in text
    assert page.redirect_chain[-1][0] == _group_url(daniel.reference)
    first.refresh_from_db()
    assert first.status == SuggestionStatus.CONFIRMED


def test_the_service_rereads_the_pairs_it_is_given(world, police_analyst):
    stale = LinkSuggestion.objects.get(pk=world["pairs"]["car"].pk)
    services.suggestion_confirm(actor=police_analyst, suggestion=world["pairs"]["car"])
    assert stale.status == SuggestionStatus.SUGGESTED  # what the page had
    result = services.suggestions_decide_group(
        actor=police_analyst, suggestions=[stale], decision="reject"
    )
    assert (result.decisions, result.skipped) == ([], 1)
    stale.refresh_from_db()
    assert stale.status == SuggestionStatus.CONFIRMED


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"decision": "maybe"}, "Choose whether these are all the same or none of them are"),
        ({"decision": "confirm", "pairs": []}, "There are no links to decide"),
        ({"decision": "confirm", "pairs": ["x"]}, "The links to decide were not recognised"),
    ],
)
def test_a_group_decision_that_does_not_say_what_is_refused(world, police_analyst, body, message):
    daniel = world["daniel"]
    body = {"pairs": [world["pairs"]["daniel_1"].pk], "group": daniel.reference, **body}
    page = signed_in_client(police_analyst).post(
        reverse("linking:possible-decide"), body, follow=True
    )
    assert message in page.content.decode()
    assert page.redirect_chain[-1][0] == _group_url(daniel.reference)
    assert not AnalystDecision.objects.exists()


# ---------------------------------------------------------------------------------------------
# Who may see and decide
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.POLICE_ANALYST], ids=str)
def test_partners_are_refused_the_queue_and_nothing_changes(world, school, role):
    client = signed_in_client(UserFactory(agency=school, role=role))
    pairs = [world["pairs"]["daniel_1"], world["pairs"]["daniel_2"]]
    for response in (
        client.get(reverse("linking:possible")),
        client.get(_group_url(world["daniel"].reference)),
        client.get(_group_url("mention/M-1/v1")),
        client.post(
            reverse("linking:possible-decide"),
            {"decision": "confirm", "pairs": [p.pk for p in pairs]},
        ),
    ):
        assert response.status_code == 403
        text = response.content.decode().lower()
        assert "dorrington" not in text and "el30" not in text
    assert not AnalystDecision.objects.exists()
    assert _entity_of("N-1/p1") is None


def test_an_analyst_elsewhere_sees_nothing_of_this_partnership(world):
    elsewhere = PartnershipFactory(name="Otherton Partnership", slug="otherton")
    analyst = UserFactory(agency=AgencyFactory(partnership=elsewhere), role=Role.POLICE_ANALYST)
    client = signed_in_client(analyst)
    text = client.get(reverse("linking:possible")).content.decode()
    assert "There are 0 open possible links in 0 groups." in text
    assert "dorrington" not in text and "M-1/v1" not in text

    daniel = world["daniel"]
    assert client.get(_group_url(daniel.reference)).status_code == 404
    assert AuditEvent.objects.filter(
        actor=analyst, target_type="link_entity", target_id=str(daniel.pk), outcome=Outcome.DENIED
    ).exists()
    # A lone mention's group answers alike whether or not the mention exists.
    for ref in ("mention/M-1/v1", "mention/NO-SUCH/v1"):
        page = client.get(_group_url(ref))
        assert page.status_code == 200 and "Nothing left to decide" in page.content.decode()
        assert "el30" not in page.content.decode().lower()

    pairs = [world["pairs"]["daniel_1"], world["pairs"]["car"]]
    response = client.post(
        reverse("linking:possible-decide"),
        {"group": "mention/M-1/v1", "decision": "confirm", "pairs": [p.pk for p in pairs]},
    )
    assert response.status_code == 302
    assert not AnalystDecision.objects.exists()
    assert all(
        LinkSuggestion.objects.get(pk=p.pk).status == SuggestionStatus.SUGGESTED for p in pairs
    )


def test_a_reference_that_names_no_group_is_not_found(world, police_analyst):
    client = signed_in_client(police_analyst)
    vehicle_ref = "V-" + world["daniel"].reference.split("-")[1]  # the person's number
    for ref in ("nonsense", vehicle_ref, "Q-000001", "mention/"):
        assert client.get(_group_url(ref)).status_code == 404, ref


def test_reading_the_queue_and_a_group_is_audited(world, police_analyst):
    client = signed_in_client(police_analyst)
    client.get(reverse("linking:possible"))
    event = AuditEvent.objects.get(actor=police_analyst, target_type="link_possible_group_list")
    assert event.verb == Verb.VIEWED and event.outcome == Outcome.ALLOWED
    pairs = world["pairs"]
    # Each group is named by its oldest open pair; ids only, never a name.
    assert sorted(event.detail["ids"]) == sorted(
        [
            pairs["daniel_1"].pk,
            pairs["kieran"].pk,
            pairs["car"].pk,
            pairs["jordan"].pk,
            pairs["kai"].pk,
        ]
    )
    assert "dorrington" not in str(event.detail).lower()

    client.get(_group_url(world["daniel"].reference))
    event = AuditEvent.objects.get(actor=police_analyst, target_type="link_suggestion_list")
    assert sorted(event.detail["ids"]) == sorted([pairs["daniel_1"].pk, pairs["daniel_2"].pk])
    assert AuditEvent.objects.filter(
        actor=police_analyst, target_type="link_entity", target_id=str(world["daniel"].pk)
    ).exists()


def test_analysts_find_the_queue_in_the_navigation(world, police_analyst, school_practitioner):
    home = signed_in_client(police_analyst).get(reverse("accounts:home")).content.decode()
    assert re.search(r'href="/linking/possible/"[^>]*>Possible links<', home)
    other = signed_in_client(school_practitioner).get(reverse("accounts:home")).content.decode()
    assert "Possible links" not in other
