"""The map of a network's places: postcode coordinates offline, the picture, the page, access."""

from __future__ import annotations

import re
import socket

import pytest
from django.urls import reverse

from csehub.audit.models import AuditEvent, Outcome, Verb
from csehub.linking import services
from csehub.linking.models import Entity, EntityType
from csehub.linking.network.map import (
    Located,
    MapPlace,
    Where,
    directory_version,
    frame_fit,
    letter_table,
    nice_length,
    postcode_locate,
    svg_map,
)
from csehub.testing.clients import signed_in_client

from .helpers import report_import

pytestmark = pytest.mark.django_db

# Real postcodes with made-up places: the places and everything said about them are fictional.
BUS_STATION = {"ref": "l1", "name": "Test bus station shelter", "postcode": "DN15 6NL"}
CAR_PARK = {"ref": "l2", "name": "Test retail park car park", "postcode": "dn156bs"}
TAKEAWAY = {"ref": "l3", "name": "Golden Fry takeaway", "postcode": "FB1 4QT"}  # FB is no area


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: the directory must be on disk."""

    def refuse(*args, **kwargs):
        raise AssertionError("the postcode lookup tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    letter_table.cache_clear()
    yield
    letter_table.cache_clear()


# ---------------------------------------------------------------------------------------------
# The directory
# ---------------------------------------------------------------------------------------------


def test_a_real_postcode_resolves_offline_to_its_grid_reference(no_network):
    found = postcode_locate("SW1A 1AA")
    assert found.where == Where.FOUND
    # Buckingham Palace: the directory's grid reference, to the metre.
    assert (found.easting, found.northing) == (529090, 179645)


def test_any_writing_of_a_postcode_is_looked_up_in_its_standard_form(no_network):
    found = postcode_locate(" dn156nl ")
    assert found.postcode == "DN15 6NL"
    assert found.where == Where.FOUND
    # Scunthorpe, North Lincolnshire: plausibly placed on the national grid.
    assert 480_000 < (found.easting or 0) < 500_000
    assert 400_000 < (found.northing or 0) < 420_000
    # A one-letter area ("S1 1AA") is padded the directory's way.
    assert postcode_locate("S1 1AA").where == Where.FOUND


def test_a_postcode_not_in_the_directory_is_not_found_and_never_guessed(no_network):
    fictional = postcode_locate("FB1 4QT")
    assert fictional == Located(postcode="FB1 4QT", where=Where.NOT_FOUND)
    assert fictional.label == "Not on the map: postcode not found"
    # The right shape in a real area, but a unit that does not exist.
    assert postcode_locate("SW1A 9ZZ").where == Where.NOT_FOUND


def test_postcodes_that_cannot_be_drawn_say_why(no_network):
    assert postcode_locate("").where == Where.NO_POSTCODE
    assert postcode_locate("by the canal").where == Where.NOT_A_POSTCODE
    # Northern Ireland's grid references are on the Irish Grid, not the British one.
    assert postcode_locate("BT1 1AA").where == Where.IRISH_GRID


def test_the_directory_is_the_installed_package_and_names_its_version():
    assert re.fullmatch(r"\d{4}\.\d+(\.\d+)?", directory_version())


# ---------------------------------------------------------------------------------------------
# The picture
# ---------------------------------------------------------------------------------------------


def test_nice_lengths_for_the_scale_bar():
    assert [nice_length(m) for m in (0.5, 1, 3, 70, 240, 999, 1000, 7300)] == [
        1,
        1,
        2,
        50,
        200,
        500,
        1000,
        5000,
    ]


def test_the_frame_keeps_north_up_east_right_and_one_scale_for_both_axes():
    frame = frame_fit([(489000, 411000), (491000, 412000)], width=600, height=400)
    x1, y1 = frame.point(489000, 411000)
    x2, y2 = frame.point(491000, 412000)
    assert x2 > x1 and y2 < y1  # further east is to the right, further north is higher
    assert x2 - x1 == pytest.approx(2000 * frame.scale)
    assert y1 - y2 == pytest.approx(1000 * frame.scale)
    assert x1 >= 0 and y2 >= 0
    assert x2 <= 600 and y1 <= 400


def _place(key: str, postcode: str, *, entity_id: int | None = 1) -> MapPlace:
    return MapPlace(
        key=key,
        reference=f"L-{key}",
        label=f"place {key}",
        located=postcode_locate(postcode),
        children=2,
        entity_id=entity_id,
    )


def test_the_svg_draws_each_found_place_as_a_link_with_a_scale_and_no_outside_requests():
    places = [
        _place("E1", "DN15 6NL"),
        _place("E2", "DN15 6BS"),
        _place("M3", "DN15 6NL", entity_id=None),  # the same postcode: set beside the first
        _place("E4", "FB1 4QT"),
    ]
    svg = svg_map(places, href=lambda p: f"/go/{p.key}" if p.entity_id else None, title="Map")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'href="/go/E1"' in svg and 'href="/go/E2"' in svg
    assert 'data-node="M3"' in svg and "/go/M3" not in svg
    assert 'data-node="E4"' not in svg  # not found: listed in the table only
    assert "Place L-E1: place E1, DN15 6NL, 2 children linked" in svg
    assert re.search(r'data-scale="\d+"', svg)
    assert "North is up" in svg
    # Nothing to fetch: the only URLs are the SVG namespace and our own links.
    assert set(re.findall(r"https?://[^\"' ]+", svg)) == {"http://www.w3.org/2000/svg"}


def test_no_picture_when_nothing_can_be_drawn():
    assert svg_map([_place("E4", "FB1 4QT")], href=lambda p: None) == ""


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------


def _entity(partnership, kind: str, label: str, *mention_ids: str) -> Entity:
    entity = services.entity_create(partnership_id=partnership.pk, entity_type=kind, label=label)
    services.mentions_assign_by_engine(entity=entity, mention_ids=mention_ids)
    return entity


@pytest.fixture
def places(partnership):
    """Amy was seen at the bus station, the car park and the takeaway (B-1); Beth at the bus
    station (B-2), and Cara at the bus station too (B-3), so it is linked to three children."""
    report_import(
        partnership,
        "B-1",
        children=[{"ref": "c1", "name": "Amy Testchild"}],
        locations=[BUS_STATION, CAR_PARK, TAKEAWAY, {"ref": "l4", "name": "Canal towpath"}],
    )
    report_import(
        partnership,
        "B-2",
        children=[{"ref": "c1", "name": "Beth Testchild"}],
        locations=[BUS_STATION],
    )
    report_import(
        partnership,
        "B-3",
        children=[{"ref": "c1", "name": "Cara Testchild"}],
        locations=[BUS_STATION],
    )
    return {
        "amy": _entity(partnership, EntityType.CHILD, "amy testchild", "B-1/c1"),
        "beth": _entity(partnership, EntityType.CHILD, "beth testchild", "B-2/c1"),
        "cara": _entity(partnership, EntityType.CHILD, "cara testchild", "B-3/c1"),
        "bus": _entity(partnership, EntityType.LOCATION, "DN15 6NL", "B-1/l1", "B-2/l1", "B-3/l1"),
        "park": _entity(partnership, EntityType.LOCATION, "DN15 6BS", "B-1/l2"),
        "fry": _entity(partnership, EntityType.LOCATION, "FB1 4QT", "B-1/l3"),
    }


def _rows(html: str) -> dict[str, str]:
    """Each row of the places table as text, by the node key it names."""
    table = html.split('data-table="places"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr class="govuk-table__row" data-node="([^"]+)">(.*?)</tr>', table, re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for key, body in rows}


def test_an_analyst_sees_the_places_on_a_map_and_in_a_table(places, police_analyst):
    client = signed_in_client(police_analyst)
    amy = places["amy"]
    response = client.get(reverse("linking:network-map", args=[amy.reference]))
    assert response.status_code == 200
    html = response.content.decode()

    rows = _rows(html)
    bus, park, fry = (f"E{places[n].pk}" for n in ("bus", "park", "fry"))
    assert set(rows) >= {bus, park, fry}
    assert "DN15 6NL" in rows[bus] and "Easting 489928, northing 411568" in rows[bus]
    assert " 3 " in f" {rows[bus]} "  # Amy, Beth and Cara
    assert "DN15 6BS" in rows[park] and " 1 " in f" {rows[park]} "
    assert "FB1 4QT" in rows[fry] and "Not on the map: postcode not found" in rows[fry]
    towpath = next(key for key, text in rows.items() if "canal towpath" in text.lower())
    assert "Not on the map: no postcode given" in rows[towpath]

    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    for key in (bus, park):
        assert f'data-node="{key}"' in svg
    assert f'data-node="{fry}"' not in svg
    assert "Open Government Licence v3.0" in html
    assert "Source: Office for National Statistics" in html
    assert directory_version() in html

    event = AuditEvent.objects.filter(
        verb=Verb.VIEWED, target_type="link_network", target_id=str(amy.pk)
    ).latest("id")
    assert event.detail == {"depth": 1, "view": "map", "places": 4, "shown": 2}
    # Ids and counts only: no name or postcode is written to the audit trail.
    assert "DN15" not in str(event.detail) and "towpath" not in str(event.detail)


def test_the_network_page_links_to_its_map(places, police_analyst):
    amy = places["amy"]
    html = signed_in_client(police_analyst).get(reverse("linking:network", args=[amy.reference]))
    assert reverse("linking:network-map", args=[amy.reference]) in html.content.decode()


def test_a_network_without_places_says_so(partnership, police_analyst):
    report_import(partnership, "C-1", persons=[{"ref": "p1", "name": "Danny Dean"}])
    danny = _entity(partnership, EntityType.PERSON, "danny dean", "C-1/p1")
    html = (
        signed_in_client(police_analyst)
        .get(reverse("linking:network-map", args=[danny.reference]))
        .content.decode()
    )
    assert "There are no places in the network around" in html
    assert "<svg" not in html


def test_a_partner_is_refused_the_map_and_the_refusal_is_audited(
    places, school_practitioner, social_worker
):
    for user in (school_practitioner, social_worker):
        response = signed_in_client(user).get(
            reverse("linking:network-map", args=[places["amy"].reference])
        )
        assert response.status_code == 403
        assert "DN15 6NL" not in response.content.decode()
        assert AuditEvent.objects.filter(
            actor=user,
            target_type="page",
            target_id="linking:network-map",
            outcome=Outcome.DENIED,
        ).exists()
