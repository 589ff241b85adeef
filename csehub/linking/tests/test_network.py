"""The VOLT network: building it, its measures, its pages, exports and who may see them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from csehub.audit.models import AuditEvent, Verb
from csehub.linking import services
from csehub.linking.models import Entity, EntityType
from csehub.linking.network.graph import Member, co_mention_edges, network_around
from csehub.linking.network.measures import component_roots, components, measures_find
from csehub.testing.clients import signed_in_client

from .helpers import report_import

pytestmark = pytest.mark.django_db


def _entity(partnership, kind: str, label: str, *mention_ids: str) -> Entity:
    entity = services.entity_create(partnership_id=partnership.pk, entity_type=kind, label=label)
    services.mentions_assign_by_engine(entity=entity, mention_ids=mention_ids)
    return entity


@pytest.fixture
def world(partnership):
    """Amy and Beth; Danny is with Amy (A-1) and with Beth (A-2); his car is in A-1; the takeaway
    is where Beth (A-2) and Amy (A-3) were seen."""
    place = {"ref": "l1", "name": "Golden Fry takeaway", "postcode": "FB1 4QT"}
    report_import(
        partnership,
        "A-1",
        children=[{"ref": "c1", "name": "Amy Testchild"}],
        persons=[{"ref": "p1", "name": "Danny Dean"}],
        vehicles=[{"ref": "v1", "plate": "YX12 ABC"}],
        links=[{"from": "p1", "to": "v1", "kind": "drives"}],
    )
    report_import(
        partnership,
        "A-2",
        children=[{"ref": "c1", "name": "Beth Testchild"}],
        persons=[{"ref": "p1", "name": "Danny Dean"}],
        locations=[place],
    )
    report_import(
        partnership, "A-3", children=[{"ref": "c1", "name": "Amy Testchild"}], locations=[place]
    )
    return {
        "amy": _entity(partnership, EntityType.CHILD, "amy testchild", "A-1/c1", "A-3/c1"),
        "beth": _entity(partnership, EntityType.CHILD, "beth testchild", "A-2/c1"),
        "danny": _entity(partnership, EntityType.PERSON, "danny dean", "A-1/p1", "A-2/p1"),
        "car": _entity(partnership, EntityType.VEHICLE, "YX12ABC", "A-1/v1"),
        "place": _entity(partnership, EntityType.LOCATION, "FB1 4QT", "A-2/l1", "A-3/l1"),
    }


def _refs(network) -> set[str]:
    return {node.reference for node in network.nodes}


# ---------------------------------------------------------------------------------------------
# Building and measures
# ---------------------------------------------------------------------------------------------


def test_one_step_from_a_child_shows_what_is_mentioned_with_her(world):
    network = network_around(entity=world["amy"], depth=1)
    assert _refs(network) == {world[name].reference for name in ("amy", "danny", "car", "place")}
    danny = next(n for n in network.nodes if n.entity_id == world["danny"].pk)
    assert danny.depth == 1


def test_a_second_step_reaches_the_other_child(world):
    network = network_around(entity=world["amy"], depth=2)
    assert world["beth"].reference in _refs(network)
    beth = next(n for n in network.nodes if n.entity_id == world["beth"].pk)
    assert beth.depth == 2
    # Beth is joined both to Danny and to the takeaway.
    joined = {other.entity_id for other, _ in network.neighbours(beth.key)}
    assert joined == {world["danny"].pk, world["place"].pk}


def test_an_edge_counts_shared_reports_and_carries_the_stated_kind(world):
    network = network_around(entity=world["danny"], depth=1)
    car = next(n for n in network.nodes if n.entity_id == world["car"].pk)
    ((_, edge),) = [
        pair for pair in network.neighbours(car.key) if pair[0].entity_id == world["danny"].pk
    ]
    assert edge.containers == ("A-1",) and edge.weight == 1
    assert edge.kinds == ("drives",)


def test_measures_find_the_hub_the_group_and_the_hotspot(world, police_analyst):
    from csehub.linking.network.selectors import measures_for_user

    found = measures_for_user(user=police_analyst)
    assert found is not None
    amy, beth = f"E{world['amy'].pk}", f"E{world['beth'].pk}"
    hubs = {h.key: h.children for h in found.measures.hubs}
    assert hubs == {f"E{world['danny'].pk}": tuple(sorted((amy, beth)))}
    assert [h.key for h in found.measures.hotspots] == [f"E{world['place'].pk}"]
    (group,) = found.measures.groups
    assert set(group.children) == {amy, beth}
    assert f"E{world['car'].pk}" in group.keys


def test_a_theme_joins_only_the_child_and_never_joins_two_children():
    members = [
        Member("concern-1", "concern-1/c1", "R1", EntityType.CHILD, "a", "a"),
        Member("concern-1", "concern-1/p1", "E5", EntityType.PERSON, "p", "P-000005"),
        Member("concern-1", "x", "Tparty", "theme", "Party", "Party"),
        Member("concern-2", "concern-2/c1", "R2", EntityType.CHILD, "b", "b"),
        Member("concern-2", "y", "Tparty", "theme", "Party", "Party"),
    ]
    edges = co_mention_edges(members)
    pairs = {(e.a, e.b) for e in edges}
    assert pairs == {("E5", "R1"), ("R1", "Tparty"), ("R2", "Tparty")}
    kinds = {m.key: m.kind for m in members}
    assert measures_find(kinds, [(e.a, e.b) for e in edges]).groups == ()


def test_union_find_handles_a_long_chain_without_recursion():
    size = 200_000
    roots = component_roots(size, ((n, n + 1) for n in range(size - 1)))
    assert len(set(roots)) == 1
    assert components(["a", "b", "c", "d"], [("a", "b"), ("c", "d")]) == [["a", "b"], ["c", "d"]]


# ---------------------------------------------------------------------------------------------
# Pages and exports
# ---------------------------------------------------------------------------------------------


def _page(user, entity, depth=1):
    url = reverse("linking:network", args=[entity.reference]) + f"?depth={depth}"
    return signed_in_client(user).get(url)


def test_the_picture_and_the_table_show_the_same_nodes(world, police_analyst):
    page = _page(police_analyst, world["amy"], depth=2)
    assert page.status_code == 200
    text = page.content.decode()
    svg = text[text.index("<svg") : text.index("</svg>")]
    in_picture = set(re.findall(r'data-node="([^"]+)"', svg))
    table = text[text.index('data-table="nodes"') :]
    in_table = set(re.findall(r'<tr class="govuk-table__row" data-node="([^"]+)"', table))
    assert in_picture == in_table
    assert {f"E{world[n].pk}" for n in ("amy", "beth", "danny", "car", "place")} <= in_table
    assert "Show one more step" in text and "Show one step fewer" in text
    assert "Report A-2" in text
    event = AuditEvent.objects.filter(verb=Verb.VIEWED, target_type="link_network").last()
    assert event is not None and event.target_id == str(world["amy"].pk)
    assert event.detail == {"depth": 2, "nodes": len(in_table)}


def test_each_expandable_node_links_to_its_own_network(world, police_analyst):
    text = _page(police_analyst, world["amy"]).content.decode()
    danny = reverse("linking:network", args=[world["danny"].reference]) + "?depth=1"
    assert f'href="{danny}"' in text


def test_the_network_opens_by_number_and_a_wrong_prefix_is_not_found(world, police_analyst):
    client = signed_in_client(police_analyst)
    assert client.get(reverse("linking:network", args=[world["amy"].pk])).status_code == 200
    wrong = "P-" + world["amy"].reference.split("-")[1]
    assert client.get(reverse("linking:network", args=[wrong])).status_code == 404


def test_csv_exports_list_nodes_and_links_and_are_audited(world, police_analyst):
    client = signed_in_client(police_analyst)
    ref = world["danny"].reference
    nodes = client.get(reverse("linking:network-nodes-csv", args=[ref]) + "?depth=1")
    assert nodes.status_code == 200
    rows = list(csv.reader(io.StringIO(nodes.content.decode())))
    assert rows[0][:3] == ["key", "reference", "type"]
    assert {row[1] for row in rows[1:]} == {
        world[n].reference for n in ("danny", "amy", "beth", "car", "place")
    }
    links = client.get(reverse("linking:network-edges-csv", args=[ref]) + "?depth=1")
    rows = list(csv.reader(io.StringIO(links.content.decode())))
    danny_car = [r for r in rows if {r[0], r[1]} == {ref, world["car"].reference}]
    assert danny_car == [
        [ref, world["car"].reference, "1", "Report A-1", "drives"]
    ] or danny_car == [[world["car"].reference, ref, "1", "Report A-1", "drives"]]
    formats = set(
        AuditEvent.objects.filter(verb=Verb.EXPORTED, target_type="link_network").values_list(
            "detail__format", flat=True
        )
    )
    assert formats == {"nodes_csv", "edges_csv"}


def test_a_label_that_looks_like_a_formula_is_neutralised(world, police_analyst):
    Entity.objects.filter(pk=world["car"].pk).update(label="=HYPERLINK(1)")
    client = signed_in_client(police_analyst)
    nodes = client.get(reverse("linking:network-nodes-csv", args=[world["car"].reference]))
    assert "'=HYPERLINK(1)" in nodes.content.decode()


def test_the_picture_downloads_as_an_svg_file(world, police_analyst):
    response = signed_in_client(police_analyst).get(
        reverse("linking:network-svg", args=[world["amy"].reference])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().startswith("<?xml")
    assert f'data-node="E{world["danny"].pk}"' in response.content.decode()


def test_the_measures_page_says_how_each_measure_was_found(world, police_analyst):
    page = signed_in_client(police_analyst).get(reverse("linking:network-measures"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "two or more different children" in text
    assert world["danny"].reference in text and world["place"].reference in text
    assert AuditEvent.objects.filter(verb=Verb.VIEWED, target_type="link_measures").exists()


# ---------------------------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "linking:network",
        "linking:network-nodes-csv",
        "linking:network-edges-csv",
        "linking:network-svg",
    ],
)
def test_a_school_practitioner_cannot_open_the_network(name, world, school_practitioner):
    response = signed_in_client(school_practitioner).get(
        reverse(name, args=[world["amy"].reference])
    )
    assert response.status_code == 403
    assert world["danny"].reference not in response.content.decode()


def test_partners_never_see_the_measures(world, school_practitioner, social_worker):
    for user in (school_practitioner, social_worker):
        response = signed_in_client(user).get(reverse("linking:network-measures"))
        assert response.status_code == 403


def test_an_analyst_of_another_partnership_gets_not_found_and_it_is_audited(world, police_analyst):
    from csehub.accounts.models import Partnership

    other = Partnership.objects.create(name="Elsewhere Partnership", slug="elsewhere")
    stranger = services.entity_create(partnership_id=other.pk, entity_type="person", label="x")
    response = signed_in_client(police_analyst).get(
        reverse("linking:network", args=[stranger.reference])
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        target_type="link_network", target_id=str(stranger.pk), outcome="denied"
    ).exists()
