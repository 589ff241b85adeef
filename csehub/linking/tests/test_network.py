"""The VOLT network: building it, its measures, its pages, exports and who may see them."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.linking import services
from csehub.linking.models import Entity, EntityType
from csehub.linking.network.graph import (
    THEME,
    Member,
    PartnershipGraph,
    co_mention_edges,
    network_around,
    network_arrays,
    node_key,
)
from csehub.linking.network.measures import (
    component_roots,
    components,
    measures_find,
    measures_of,
)
from csehub.testing.clients import signed_in_client
from csehub.testing.pdfs import pdf_fonts

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


def _measures_by_hand(kinds, edges):
    """The measures worked out the plain way: neighbour sets and a breadth-first search."""
    nodes = [key for key, kind in kinds.items() if kind != "theme"]
    near = {key: set() for key in nodes}
    for a, b in edges:
        if a in near and b in near:
            near[a].add(b)
            near[b].add(a)

    def linked(wanted):
        found = [
            (key, tuple(sorted(k for k in near[key] if kinds[k] == EntityType.CHILD)))
            for key in nodes
            if kinds[key] in wanted
        ]
        return sorted(
            ((key, kids) for key, kids in found if len(kids) >= 2),
            key=lambda item: (-len(item[1]), item[0]),
        )

    seen, groups = set(), []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        group, queue = [start], [start]
        while queue:
            for other in near[queue.pop()] - seen:
                seen.add(other)
                group.append(other)
                queue.append(other)
        kids = sorted(k for k in group if kinds[k] == EntityType.CHILD)
        if len(kids) >= 2:
            groups.append((tuple(sorted(group)), tuple(kids)))
    groups.sort(key=lambda group: (-len(group[1]), group[1][0]))
    hub_kinds = {EntityType.PERSON, EntityType.VEHICLE, EntityType.PHONE, EntityType.ONLINE}
    return linked(hub_kinds), groups, linked({EntityType.LOCATION})


@pytest.mark.parametrize("seed", range(40))
def test_the_measures_agree_with_working_them_out_by_hand(seed):
    chooser = random.Random(seed)
    kinds = {
        f"E{chooser.randrange(200)}": chooser.choice(
            ["child", "child", "person", "vehicle", "phone", "online", "location", "theme"]
        )
        for _ in range(chooser.randrange(1, 80))
    }
    keys = [*kinds, "unknown"]
    edges = [(chooser.choice(keys), chooser.choice(keys)) for _ in range(chooser.randrange(120))]
    found = measures_find(kinds, edges)
    hubs, groups, hotspots = _measures_by_hand(kinds, edges)
    assert [(h.key, h.children) for h in found.hubs] == hubs
    assert [(g.keys, g.children) for g in found.groups] == groups
    assert [(h.key, h.children) for h in found.hotspots] == hotspots


def _random_mentions(chooser):
    """Mention rows as the whole-network query returns them, and the themes ticked."""
    containers = [f"A-{n}" for n in range(6)] + [f"concern-{n}" for n in range(4)]
    entity_kinds = {
        number: chooser.choice(["child", "person", "vehicle", "phone", "online", "location"])
        for number in range(1, 30)
    }
    rows, pks = [], chooser.sample(range(1, 10_000), 90)
    for number in range(chooser.randrange(0, 90)):
        container = chooser.choice(containers)
        entity = chooser.choice([None, *entity_kinds]) if chooser.random() < 0.7 else None
        kind = entity_kinds[entity] if entity else chooser.choice(["child", "person", "location"])
        record = chooser.randrange(1, 8) if kind == "child" and chooser.random() < 0.8 else None
        rows.append((container, entity, record, kind, f"{container}/m{number}", pks[number]))
    rows.sort(key=lambda row: (row[0], row[5]))
    themes = [
        (chooser.choice([*containers[6:], "concern-99"]), f"T{chooser.choice('abc')}")
        for _ in range(chooser.randrange(6))
    ]
    return rows, themes


def _members_of_rows(rows, themes):
    """The same mentions as Members, made the way the network pages make them."""
    members = [
        Member(
            container,
            mention_id,
            node_key(mention_id=mention_id, entity_id=entity, child_record_id=record),
            kind,
            "label",
            "reference",
            entity,
        )
        for container, entity, record, kind, mention_id, _ in sorted(rows, key=lambda r: r[5])
    ]
    present = {member.container for member in members}
    members += [
        Member(container, f"{container}/theme", key, THEME, "Theme", "Theme")
        for container, key in sorted(set(themes))
        if container in present
    ]
    return members


@pytest.mark.parametrize("seed", range(40))
def test_the_network_as_arrays_has_the_nodes_and_links_the_pages_have(seed):
    chooser = random.Random(seed)
    rows, themes = _random_mentions(chooser)
    network = network_arrays(rows, themes)
    members = _members_of_rows(rows, themes)
    kinds = {}
    for member in members:
        kinds.setdefault(member.key, member.kind)
    edges = co_mention_edges(members)
    keys = network.keys.tolist()
    assert sorted(keys) == sorted(kinds)
    order = ["child", "person", "vehicle", "phone", "online", "location", THEME]
    assert {
        key: order[code] for key, code in zip(keys, network.kinds.tolist(), strict=True)
    } == kinds
    assert sorted(zip(network.a.tolist(), network.b.tolist(), strict=True)) == sorted(
        tuple(sorted((keys.index(edge.a), keys.index(edge.b)))) for edge in edges
    )
    found = measures_of(network)
    hubs, groups, hotspots = _measures_by_hand(kinds, [(edge.a, edge.b) for edge in edges])
    assert [(h.key, h.children) for h in found.hubs] == hubs
    assert [(g.keys, g.children) for g in found.groups] == groups
    assert [(h.key, h.children) for h in found.hotspots] == hotspots
    named = {key for key, kids in hubs + hotspots for key in (key, *kids)}
    assert set(found.named_keys()) == named | {key for group in groups for key in group[0]}


def test_the_whole_network_read_from_the_database_is_the_one_the_pages_draw(world):
    graph = PartnershipGraph(world["amy"].partnership_id)
    network = graph.whole_network()
    containers = {"A-1", "A-2", "A-3"}
    members = graph.members_of(containers)
    keys = network.keys.tolist()
    assert sorted(keys) == sorted({member.key for member in members})
    edges = {(edge.a, edge.b) for edge in co_mention_edges(members)}
    assert {
        tuple(sorted((keys[a], keys[b]))) for a, b in zip(network.a, network.b, strict=True)
    } == edges
    shown = graph.members_for_keys(keys)
    first = {}
    for member in members:
        first.setdefault(member.key, member)
    assert shown == first


def test_the_lists_are_read_a_part_at_a_time_and_equal_the_whole():
    kinds = {f"E{n}": "child" for n in range(10)} | {f"P{n}": "person" for n in range(6000)}
    edges = [(f"P{n}", f"E{n % 10}") for n in range(6000)] + [
        (f"P{n}", f"E{(n + 1) % 10}") for n in range(6000)
    ]
    found = measures_find(kinds, edges)
    assert len(found.hubs) == 6000
    every = list(found.hubs)
    assert found.hubs[:3] == every[:3] and found.hubs[-1] == every[-1]
    assert [hub.key for hub in every] == sorted(f"P{n}" for n in range(6000))
    assert every[0].children == ("E0", "E1")


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


def _exported(response, *, content_type: str, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.content


def test_the_picture_downloads_as_a_pdf_with_the_labels_and_the_tables(world, police_analyst):
    ref = world["amy"].reference
    response = signed_in_client(police_analyst).get(
        reverse("linking:network-pdf", args=[ref]) + "?depth=2"
    )
    content = _exported(response, content_type="application/pdf", filename=f"network-{ref}.pdf")
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    first = reader.pages[0].extract_text()
    assert f"Network around {ref}, 2 steps" in first
    # The picture's labels and references, as under each node on screen.
    for name in ("amy", "beth", "danny", "car", "place"):
        assert world[name].label in first and world[name].reference in first
    everything = "\n".join(page.extract_text() for page in reader.pages)
    assert "Report A-2" in everything and "drives" in everything  # the links table
    event = AuditEvent.objects.get(verb=Verb.EXPORTED, target_type="link_network")
    assert event.target_id == str(world["amy"].pk)
    assert event.detail == {"depth": 2, "format": "pdf", "rows": 5}


def test_names_in_other_alphabets_read_as_typed_in_the_pdf(partnership, police_analyst):
    """Polish, Cyrillic, Greek and Vietnamese letters, in the picture and the tables alike."""
    names = ["Łucja Wiśniewska", "Анна Петрова", "Αθηνά Παππά", "Nguyễn Thị Hồng"]
    report_import(
        partnership,
        "B-1",
        children=[{"ref": "c1", "name": names[0]}],
        persons=[{"ref": f"p{n}", "name": name} for n, name in enumerate(names[1:])],
    )
    child = _entity(partnership, EntityType.CHILD, names[0], "B-1/c1")
    for n, name in enumerate(names[1:]):
        _entity(partnership, EntityType.PERSON, name, f"B-1/p{n}")
    response = signed_in_client(police_analyst).get(
        reverse("linking:network-pdf", args=[child.reference])
    )
    content = _exported(
        response, content_type="application/pdf", filename=f"network-{child.reference}.pdf"
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    for name in names:
        assert text.count(name) >= 2, name  # under its node, and in the nodes table
    fonts = pdf_fonts(content)
    assert fonts and all(fonts.values())
    assert {font.split("+")[-1] for font in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert partnership.name in text  # the page template's footer


def test_the_picture_downloads_as_a_png_the_size_of_the_picture(world, police_analyst):
    client = signed_in_client(police_analyst)
    ref = world["amy"].reference
    response = client.get(reverse("linking:network-png", args=[ref]) + "?depth=1")
    content = _exported(response, content_type="image/png", filename=f"network-{ref}.png")
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(content))
    image.verify()
    image = Image.open(io.BytesIO(content)).convert("RGB")
    # Twice the SVG's own size: the SVG's viewBox is "left top width height".
    svg = client.get(reverse("linking:network-svg", args=[ref]) + "?depth=1").content.decode()
    left, top, width, height = (
        float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()
    )
    assert image.size == (2 * width, 2 * height)
    assert 800 <= image.width <= 4000 and 600 <= image.height <= 4000
    # Amy, the focus, is the red circle in the middle of the rings.
    assert image.getpixel((round(-2 * left), round(-2 * top))) == (0xD4, 0x35, 0x1C)
    assert len(image.getcolors(maxcolors=1_000_000)) > 50  # a picture, not a blank page
    event = AuditEvent.objects.get(verb=Verb.EXPORTED, detail__format="png")
    assert event.target_id == str(world["amy"].pk)
    assert event.detail == {"depth": 1, "format": "png", "rows": 4}


def test_the_network_page_offers_every_download(world, police_analyst):
    text = _page(police_analyst, world["amy"], depth=2).content.decode()
    ref = world["amy"].reference
    for name in ("nodes-csv", "edges-csv", "svg", "pdf", "png"):
        assert reverse(f"linking:network-{name}", args=[ref]) + "?depth=2" in text


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
        "linking:network-pdf",
        "linking:network-png",
    ],
)
def test_a_school_practitioner_cannot_open_the_network(name, world, school_practitioner):
    response = signed_in_client(school_practitioner).get(
        reverse(name, args=[world["amy"].reference])
    )
    assert response.status_code == 403
    assert world["danny"].reference not in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=school_practitioner, outcome=Outcome.DENIED, target_type="page", target_id=name
    ).exists()
    assert not AuditEvent.objects.filter(verb=Verb.EXPORTED).exists()


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
