"""Stable entity references: a run never renumbers, and an emptied entity says where it went.

A reference ("L-000001") is written in notes and MACE minutes, so it must keep opening: through
`csehub link run` (with and without Splink), analysts' merges and their undoing. Everyone in
these reports is fictional; the reports are imported through the intelligence app, so the
on-arrival engine has linked them first, as it would in use.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse

from csehub.audit.models import AuditEvent, Verb
from csehub.linking import services
from csehub.linking.models import (
    AnalystDecision,
    DecisionKind,
    Entity,
    EntityType,
    MentionEntity,
)
from csehub.testing.clients import signed_in_client

from .helpers import report_import

pytestmark = pytest.mark.django_db

SHELTER = {"ref": "l1", "name": "Test bus station shelter", "postcode": "DN15 6NL"}
RUNS = [
    pytest.param(None, None, id="deterministic"),
    pytest.param("duckdb", None, id="duckdb"),
    pytest.param("duckdb", True, id="duckdb-replay"),
]


def _entity_of(mention_id: str) -> Entity:
    return MentionEntity.objects.select_related("entity").get(mention_id=mention_id).entity


def _live() -> dict[str, set[str]]:
    """Each live entity's reference, with the mentions it holds."""
    found: dict[str, set[str]] = defaultdict(set)
    for assignment in MentionEntity.objects.select_related("entity"):
        found[assignment.entity.reference].add(assignment.mention_id)
    return dict(found)


def _text(client, url: str, *, follow: bool = False) -> str:
    page = client.get(url, follow=follow)
    assert page.status_code == 200, (url, page.status_code)
    return page.content.decode()


def _phone_entity(partnership, prefix: str, number: str, *children: str) -> Entity:
    """Two reports with one phone (each naming a child, if given): one phone entity."""
    for index, child in enumerate(children or ("", ""), start=1):
        extra = {"children": [{"ref": "c1", "name": child}]} if child else {}
        report_import(
            partnership,
            f"{prefix}-{index}",
            phones=[{"ref": "t1", "number": number}],
            **extra,
        )
    return _entity_of(f"{prefix}-1/t1")


@pytest.fixture
def linked(partnership):
    """A bus station shelter and a phone in two reports, and a car in two others."""
    report_import(
        partnership,
        "R-1",
        locations=[SHELTER],
        phones=[{"ref": "t1", "number": "07700 900123"}],
        persons=[{"ref": "p1", "name": "Kieran Lowther", "age_estimate": 24}],
    )
    report_import(
        partnership,
        "R-2",
        locations=[SHELTER],
        phones=[{"ref": "t1", "number": "+44 7700 900123"}],
        persons=[{"ref": "p1", "name": "Kieran Lowther", "age_estimate": 25}],
    )
    report_import(partnership, "R-3", vehicles=[{"ref": "v1", "plate": "YX12 ABC"}])
    report_import(partnership, "R-4", vehicles=[{"ref": "v1", "plate": "yx12abc"}])
    return partnership


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("engine", "replay"), RUNS)
def test_a_bookmarked_entity_page_opens_after_a_run_with_the_same_reference_and_mentions(
    linked, police_analyst, engine, replay
):
    place = _entity_of("R-1/l1")
    assert _entity_of("R-2/l1") == place
    bookmark = reverse("linking:entity", args=[place.pk])
    network = reverse("linking:network", args=[place.reference])
    client = signed_in_client(police_analyst)
    assert place.reference in _text(client, bookmark)
    before = _live()

    services.links_run(partnership=linked, engine=engine, replay=replay)

    text = _text(client, bookmark)
    assert f"{place.reference}: " in text and "R-1/l1" in text and "R-2/l1" in text
    assert "was merged into" not in text and "no longer holds" not in text
    assert f"Network around {place.reference}" in _text(client, network)
    after = _live()
    # Every reference live before the run is live after it, holding the same mentions.
    assert {ref: after.get(ref) for ref in before} == before


@pytest.mark.parametrize(("engine", "replay"), RUNS)
def test_runs_one_after_another_never_renumber_anything(linked, engine, replay):
    services.links_run(partnership=linked, engine=engine, replay=replay)
    first = _live()
    services.links_run(partnership=linked, engine=engine, replay=replay)
    assert _live() == first
    services.links_run(partnership=linked)
    assert _live() == first
    assert not Entity.objects.filter(emptied_at__isnull=False).exists()


def test_a_run_over_a_generated_partnership_keeps_every_reference(tmp_path, partnership):
    path = tmp_path / "gen.jsonl"
    call_command("intel", "generate", str(path), "--reports", "80", "--seed", "11")
    call_command("intel", "import", str(path), "--partnership", partnership.slug)
    before = _live()
    entities = set(Entity.objects.values_list("pk", flat=True))
    assert len(before) > 10

    services.links_run(partnership=partnership)
    assert _live() == before

    services.links_run(partnership=partnership, engine="duckdb", replay=True)
    after = _live()
    # The model may join persons afresh; nothing else moves, and no entity is ever deleted.
    persons = {ref for ref in before if ref.startswith("P-")}
    assert {ref: after.get(ref) for ref in before if ref not in persons} == {
        ref: mentions for ref, mentions in before.items() if ref not in persons
    }
    assert entities <= set(Entity.objects.values_list("pk", flat=True))
    assert not Entity.objects.filter(
        pk__in=entities, assignments__isnull=True, emptied_at__isnull=True
    ).exists()


def test_entities_a_run_joins_keep_the_older_reference_and_the_other_says_where_it_went(
    linked, police_analyst
):
    # An earlier engine kept R-2's mention of the phone apart from R-1's in an entity of its own.
    phone = _entity_of("R-1/t1")
    apart = services.entity_create(
        partnership_id=linked.pk, entity_type=EntityType.PHONE, label="+447700900123"
    )
    services.mentions_assign_by_engine(entity=apart, mention_ids=["R-2/t1"])

    services.links_run(partnership=linked)

    assert _entity_of("R-1/t1") == phone and _entity_of("R-2/t1") == phone
    apart.refresh_from_db()
    assert apart.successor == phone and apart.emptied_at is not None
    text = _text(signed_in_client(police_analyst), reverse("linking:entity", args=[apart.pk]))
    assert f"{apart.reference} was merged into {phone.reference}" in text


def test_namesakes_an_earlier_run_joined_and_this_one_takes_apart_stand_alone(
    partnership, police_analyst
):
    for number, age in ((1, 27), (2, 52)):
        report_import(
            partnership,
            f"N-{number}",
            persons=[{"ref": "p1", "name": "Connor Redfern", "age_estimate": age}],
        )
    joined = services.entity_create(
        partnership_id=partnership.pk, entity_type=EntityType.PERSON, label="connor redfern"
    )
    services.mentions_assign_by_engine(entity=joined, mention_ids=["N-1/p1", "N-2/p1"])

    services.links_run(partnership=partnership, engine="duckdb")

    assert not MentionEntity.objects.filter(mention_id__in=["N-1/p1", "N-2/p1"]).exists()
    joined.refresh_from_db()
    assert joined.successor is None and joined.emptied_at is not None
    client = signed_in_client(police_analyst)
    text = _text(client, reverse("linking:entity", args=[joined.pk]))
    assert f"{joined.reference} no longer holds any mentions" in text
    text = _text(client, reverse("linking:network", args=[joined.reference]))
    assert f"{joined.reference} no longer holds any mentions" in text


# ---------------------------------------------------------------------------------------------
# Analysts' merges, and undoing them
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_phones(partnership):
    """One phone with two children, another with two more: each is linked to two children."""
    keep = _phone_entity(partnership, "A", "07700 900123", "Amy Testchild", "Beth Testchild")
    other = _phone_entity(partnership, "B", "07700 900456", "Cara Testchild", "Dana Testchild")
    return keep, other


def _merge(client, keep: Entity, other: Entity) -> None:
    response = client.post(
        reverse("linking:entity-merge", args=[keep.pk]), {"other": other.reference}
    )
    assert response.status_code == 302


def test_a_merged_entity_names_its_survivor_and_undoing_the_merge_brings_it_back(
    two_phones, police_analyst
):
    keep, other = two_phones
    client = signed_in_client(police_analyst)
    bookmark = reverse("linking:entity", args=[other.pk])
    _merge(client, keep, other)

    text = _text(client, bookmark)
    assert f"{other.reference} was merged into {keep.reference}" in text
    assert reverse("linking:entity", args=[keep.pk]) in text
    assert "Merged two entities" in text  # the merge is listed here, with its undo
    assert AuditEvent.objects.filter(
        verb=Verb.VIEWED, target_type="link_entity", target_id=str(other.pk)
    ).exists()
    # The survivor keeps its reference and holds every mention.
    text = _text(client, reverse("linking:entity", args=[keep.pk]))
    assert f"{keep.reference}: " in text and "B-1/t1" in text and "B-2/t1" in text

    merge = AnalystDecision.objects.get(kind=DecisionKind.MERGE)
    response = client.post(
        reverse("linking:decision-undo", args=[merge.pk]), {"next": bookmark}, follow=True
    )
    text = response.content.decode()
    assert f"{other.reference}: " in text and "B-1/t1" in text and "B-2/t1" in text
    assert "was merged into" not in text
    other.refresh_from_db()
    assert other.successor is None and other.emptied_at is None
    assert "A-1/t1" not in _text(client, bookmark)


def test_a_chain_of_merges_leads_to_the_live_entity(partnership, police_analyst):
    first = _phone_entity(partnership, "A", "07700 900111")
    second = _phone_entity(partnership, "B", "07700 900222")
    third = _phone_entity(partnership, "C", "07700 900333")
    services.entity_merge(actor=police_analyst, entity=second, other=first, notify=False)
    services.entity_merge(actor=police_analyst, entity=third, other=second, notify=False)

    text = _text(signed_in_client(police_analyst), reverse("linking:entity", args=[first.pk]))
    assert f"{first.reference} was merged into {third.reference}" in text
    assert f"moved to {second.reference}, which has since been merged into" in text
    assert reverse("linking:entity", args=[third.pk]) in text


def test_the_network_of_an_old_reference_opens_the_survivors(two_phones, police_analyst):
    keep, other = two_phones
    client = signed_in_client(police_analyst)
    measures = _text(client, reverse("linking:network-measures"))
    assert other.reference in measures
    _merge(client, keep, other)

    for name in ("linking:network", "linking:network-nodes-csv", "linking:network-map"):
        response = client.get(reverse(name, args=[other.reference]) + "?depth=2")
        assert response.status_code == 302, name
        assert response["Location"] == reverse(name, args=[keep.reference]) + "?depth=2"
    url = reverse("linking:network", args=[other.reference]) + "?depth=2"
    text = _text(client, url, follow=True)
    assert f"Network around {keep.reference}" in text
    # The measures list the survivor, never the emptied entity.
    measures = _text(client, reverse("linking:network-measures"))
    assert keep.reference in measures and other.reference not in measures


def test_an_emptied_entity_cannot_be_merged_again(two_phones, police_analyst):
    keep, other = two_phones
    client = signed_in_client(police_analyst)
    _merge(client, keep, other)
    third = _phone_entity(keep.partnership, "C", "07700 900789")
    response = client.post(
        reverse("linking:entity-merge", args=[third.pk]), {"other": other.reference}
    )
    assert response.status_code == 400
    assert f"{other.reference} no longer holds any mentions" in response.content.decode()
    other.refresh_from_db()
    assert other.successor == keep


def test_the_export_writes_live_references_only(two_phones, police_analyst):
    keep, other = two_phones
    services.entity_merge(actor=police_analyst, entity=keep, other=other, notify=False)
    services.links_run(partnership=keep.partnership)
    output = io.StringIO()
    services.links_export(partnership=keep.partnership, output=output)
    written = {row["entity_id"] for row in csv.DictReader(io.StringIO(output.getvalue()))}
    live = {entity.reference for entity in Entity.objects.filter(emptied_at__isnull=True)}
    assert keep.reference in written and other.reference not in written
    assert {ref for ref in written if "-S" not in ref} <= live
