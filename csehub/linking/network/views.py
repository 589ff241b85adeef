"""Analysts' network pages: the picture with its table, the exports, and the measures."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable, Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from csehub.access.reads import record_or_404_unaudited
from csehub.access.request import request_user
from csehub.accounts.models import User

from .. import selectors as link_selectors
from ..models import ENTITY_PREFIX, Entity
from . import export, selectors, services
from .graph import MAX_DEPTH, MIN_DEPTH, Network, Node, container_label
from .measures import GROUPS_HOW, HOTSPOTS_HOW, HUBS_HOW, Linked
from .picture import svg_draw
from .picture_files import network_pdf, network_png

REFERENCE = re.compile(r"^(?:(?P<prefix>[A-Z])-)?(?P<pk>\d{1,12})$")


def _depth(request: HttpRequest) -> int:
    value = request.GET.get("depth", "")
    depth = int(value) if value.isdigit() else MIN_DEPTH
    return max(MIN_DEPTH, min(MAX_DEPTH, depth))


def _focus(user: User, ref: str) -> Entity:
    """The entity named by a reference ("P-000042") or a plain number; 404 alike otherwise."""
    found = REFERENCE.match(ref.strip().upper())
    pk = int(found["pk"]) if found else 0
    # Each page writes its own read event once the network is built, with the depth and how
    # many nodes or rows it showed (services.network_view_record and the others below).
    entity = record_or_404_unaudited(
        user=user,
        visible=link_selectors.network_entities_visible_to(user=user),
        pk=pk,
        target_type="link_network",
    )
    if found and found["prefix"] and ENTITY_PREFIX.get(entity.entity_type) != found["prefix"]:
        raise Http404
    return entity


class EntityEmptied(Exception):
    """The entity a network page names holds no mentions any more (`follows_successor`)."""

    def __init__(self, entity: Entity) -> None:
        super().__init__(entity.reference)
        self.entity = entity


NetworkView = Callable[[HttpRequest, str], HttpResponse]


def follows_successor(view: NetworkView) -> NetworkView:
    """A network page of an emptied entity: the same page of the live entity its mentions went
    to (302), so an old reference in notes or minutes still works, or a page saying it no
    longer holds any mentions."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, ref: str) -> HttpResponse:
        try:
            return view(request, ref)
        except EntityEmptied as emptied:
            entity = emptied.entity
        live = link_selectors.entity_live(entity=entity)
        if live is not None and request.resolver_match is not None:
            url = reverse(request.resolver_match.view_name, args=[live.reference])
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url)
        services.network_view_record(
            actor=request_user(request), entity_id=entity.pk, depth=_depth(request), nodes=0
        )
        return render(
            request,
            "linking/entity_emptied.html",
            {"entity": entity, "live": None, "decisions": None, "from_network": True},
        )

    return wrapped


def _network(user: User, ref: str, depth: int) -> tuple[Entity, Network]:
    entity = _focus(user, ref)
    if entity.emptied_at is not None:
        raise EntityEmptied(entity)
    network = selectors.network_for_user(user=user, entity=entity, depth=depth)
    if network is None:
        raise Http404
    return entity, network


def _href(depth: int) -> Callable[[Node], str | None]:
    def href(node: Node) -> str | None:
        if node.entity_id is None:
            return None
        return reverse("linking:network", args=[node.reference]) + f"?depth={depth}"

    return href


def _title(network: Network, entity: Entity) -> str:
    steps = "step" if network.depth == 1 else "steps"
    return f"Network around {entity.reference}, {network.depth} {steps}"


def _picture(network: Network, entity: Entity) -> str:
    return svg_draw(network, href=_href(network.depth), title=_title(network, entity))


@require_GET
@follows_successor
def network(request: HttpRequest, ref: str) -> HttpResponse:
    user = request_user(request)
    depth = _depth(request)
    entity, found = _network(user, ref, depth)
    services.network_view_record(
        actor=user, entity_id=entity.pk, depth=depth, nodes=len(found.nodes)
    )
    rows = [
        {"node": node, "links": found.neighbours(node.key), "href": _href(depth)(node)}
        for node in found.nodes
    ]
    edges = [
        {
            "a": found.by_key[edge.a],
            "b": found.by_key[edge.b],
            "edge": edge,
            "containers": [container_label(c) for c in edge.containers],
        }
        for edge in found.edges
    ]
    return render(
        request,
        "linking/network.html",
        {
            "entity": entity,
            "network": found,
            "picture": mark_safe(_picture(found, entity)),
            "rows": rows,
            "edges": edges,
            "depth": depth,
            "more": depth + 1 if depth < MAX_DEPTH else None,
            "fewer": depth - 1 if depth > MIN_DEPTH else None,
            "opens_entities": link_selectors.can_view_links(user=user),
        },
    )


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@follows_successor
def network_nodes_csv(request: HttpRequest, ref: str) -> HttpResponse:
    user = request_user(request)
    depth = _depth(request)
    entity, found = _network(user, ref, depth)
    rows = export.node_rows(found)
    services.network_export_record(
        actor=user, entity_id=entity.pk, depth=depth, export_format="nodes_csv", rows=len(rows) - 1
    )
    return _csv(rows, f"network-{entity.reference}-nodes.csv")


@require_GET
@follows_successor
def network_edges_csv(request: HttpRequest, ref: str) -> HttpResponse:
    user = request_user(request)
    depth = _depth(request)
    entity, found = _network(user, ref, depth)
    rows = export.edge_rows(found)
    services.network_export_record(
        actor=user, entity_id=entity.pk, depth=depth, export_format="edges_csv", rows=len(rows) - 1
    )
    return _csv(rows, f"network-{entity.reference}-links.csv")


@require_GET
@follows_successor
def network_svg(request: HttpRequest, ref: str) -> HttpResponse:
    user = request_user(request)
    depth = _depth(request)
    entity, found = _network(user, ref, depth)
    services.network_export_record(
        actor=user, entity_id=entity.pk, depth=depth, export_format="svg", rows=len(found.nodes)
    )
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + _picture(found, entity)
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-{entity.reference}.svg"'
    return response


def _picture_file(request: HttpRequest, ref: str, export_format: str) -> HttpResponse:
    """The picture as a PDF or PNG download, audited like the other exports."""
    user = request_user(request)
    depth = _depth(request)
    entity, found = _network(user, ref, depth)
    services.network_export_record(
        actor=user,
        entity_id=entity.pk,
        depth=depth,
        export_format=export_format,
        rows=len(found.nodes),
    )
    if export_format == "pdf":
        body = network_pdf(
            found, title=_title(found, entity), partnership_name=user.partnership.name
        )
        content_type = "application/pdf"
    else:
        body, content_type = network_png(found, title=_title(found, entity)), "image/png"
    response = HttpResponse(body, content_type=content_type)
    filename = f"network-{entity.reference}.{export_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@follows_successor
def network_pdf_file(request: HttpRequest, ref: str) -> HttpResponse:
    return _picture_file(request, ref, "pdf")


@require_GET
@follows_successor
def network_png_file(request: HttpRequest, ref: str) -> HttpResponse:
    return _picture_file(request, ref, "png")


@require_GET
def measures(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    found = selectors.measures_for_user(user=user)
    if found is None:
        raise Http404
    services.measures_view_record(
        actor=user,
        hubs=len(found.measures.hubs),
        groups=len(found.measures.groups),
        hotspots=len(found.measures.hotspots),
    )
    nodes = found.nodes

    def linked(items: Sequence[Linked]) -> list[dict[str, object]]:
        return [
            {
                "nodes": [nodes[item.key]],
                "count": item.count,
                "children": [nodes[c] for c in item.children],
            }
            for item in items
        ]

    groups = [
        {
            "size": len(group.keys),
            "children": [nodes[c] for c in group.children],
            "others": [nodes[k] for k in group.keys if nodes[k].kind != "child"],
        }
        for group in found.measures.groups
    ]
    return render(
        request,
        "linking/network_measures.html",
        {
            "hubs": linked(found.measures.hubs),
            "hotspots": linked(found.measures.hotspots),
            "groups": groups,
            "hubs_how": HUBS_HOW,
            "groups_how": GROUPS_HOW,
            "hotspots_how": HOTSPOTS_HOW,
            "node_count": found.node_count,
            "edge_count": found.edge_count,
        },
    )
