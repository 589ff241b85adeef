"""The demo partnership tells a linked story: what the CSE team sees once the demo has loaded.

Ryz's car (a partial plate in Kira's concern, the full plate in Leah's and in a report), his
phone and the car park reach two children; the handle blockmaster_77 (once without a platform)
links Jayden and Sami; Ryz is on the MACE list and a later report about him raised the MACE
alert. All of it is fictional demo data.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from csehub.accounts.models import User
from csehub.linking.models import Alert, AlertKind, Entity, EntityType, LinkSuggestion
from csehub.operations.demo import demo_load
from csehub.testing.clients import signed_in_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_database")]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _hub_row(measures: str, reference: str) -> str:
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", measures, re.S)
    return next(_text(row) for row in rows if f">{reference}<" in row)


def test_after_the_demo_loads_the_network_alerts_and_mace_list_show_the_story():
    demo_load()
    analyst = signed_in_client(User.objects.get(email="analyst@fernbridge.example"))
    car = Entity.objects.get(entity_type=EntityType.VEHICLE, label="FB61AKX")
    handle = Entity.objects.get(entity_type=EntityType.ONLINE, label__startswith="blockmaster_77")

    # The car holds the partial plate from Kira's concern and the full plate twice.
    page = _text(analyst.get(reverse("linking:entity", args=[car.pk])).content.decode())
    assert page.count("Vehicle FB6??KX") == 1 and page.count("Vehicle FB61AKX") == 2

    # Alerts: the car, the phone, the car park and the handle each reached a second child, and
    # a report after the panel linked to Ryz on the MACE list.
    alerts = _text(analyst.get(reverse("linking:alerts")).content.decode())
    for reference in (car.reference, handle.reference):
        assert re.search(rf"{reference} \S+ Linked to 2 children", alerts), reference
    assert Alert.objects.filter(kind=AlertKind.LINKS_SECOND_CHILD).count() >= 4
    assert "Linked to a person on the MACE list" in alerts

    # The network's hubs: the car and the handle, each with its two children.
    measures = analyst.get(reverse("linking:network-measures")).content.decode()
    assert "Nothing is linked to two or more children." not in measures
    car_row = _hub_row(measures, car.reference)
    assert " 2 " in car_row and "Kira Thorne" in car_row and "Leah Carver" in car_row
    handle_row = _hub_row(measures, handle.reference)
    assert "Jayden Mills" in handle_row and "Sami Haddad" in handle_row

    # The MACE list: Ryz, whose nickname-only mentions the analyst confirmed as one person.
    mace = _text(analyst.get(reverse("mace:list")).content.decode())
    assert re.search(r"P-\d+: Ryz", mace)


def test_loading_the_demo_again_doubles_no_link_alert_or_listing():
    demo_load()
    counts = (Entity.objects.count(), LinkSuggestion.objects.count(), Alert.objects.count())
    demo_load()
    assert (
        Entity.objects.count(),
        LinkSuggestion.objects.count(),
        Alert.objects.count(),
    ) == counts
