"""The map of the places in a network: an offline SVG and a table with the same data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from csehub.access.request import request_user

from . import services
from .graph import MAX_DEPTH, MIN_DEPTH
from .map import ATTRIBUTION, LICENCE_URL, MapPlace, Where, directory_version, svg_map
from .map_selectors import network_places
from .views import _depth, _network, follows_successor


@require_GET
@follows_successor
def network_map(request: HttpRequest, ref: str) -> HttpResponse:
    user = request_user(request)
    depth = _depth(request)
    entity, found = _network(user, ref, depth)
    # _network went through selectors.network_for_user: the entity is in the user's partnership.
    places = network_places(network=found, partnership_id=entity.partnership_id)
    shown = [p for p in places if p.located.where == Where.FOUND]
    services.network_map_view_record(
        actor=user, entity_id=entity.pk, depth=depth, places=len(places), shown=len(shown)
    )

    def href(place: MapPlace) -> str | None:
        if place.entity_id is None:
            return None
        return reverse("linking:network", args=[place.reference]) + f"?depth={depth}"

    title = f"Map of the places in the network around {entity.reference}"
    return render(
        request,
        "linking/network_map.html",
        {
            "entity": entity,
            "network": found,
            "places": places,
            "shown": len(shown),
            "picture": mark_safe(svg_map(places, href=href, title=title)),
            "depth": depth,
            "more": depth + 1 if depth < MAX_DEPTH else None,
            "fewer": depth - 1 if depth > MIN_DEPTH else None,
            "attribution": ATTRIBUTION,
            "licence_url": LICENCE_URL,
            "directory_version": directory_version(),
        },
    )
