"""Reads of the network, through the asking user's scope: police analysts (VIEW_LINKS) only."""

from __future__ import annotations

from dataclasses import dataclass

from csehub.accounts.models import User

from ..models import Entity
from ..selectors import can_view_links
from .graph import Member, Network, PartnershipGraph, network_around, whole_network_edges
from .measures import Measures, measures_find


def network_for_user(*, user: User, entity: Entity, depth: int) -> Network | None:
    """The network around an entity the user may see, or None for anyone else."""
    if not can_view_links(user=user) or user.agency is None:
        return None
    if entity.partnership_id != user.agency.partnership_id:
        return None
    return network_around(entity=entity, depth=depth)


@dataclass(frozen=True)
class MeasuresView:
    measures: Measures
    nodes: dict[str, Member]
    node_count: int
    edge_count: int


def measures_for_user(*, user: User) -> MeasuresView | None:
    """Hubs, groups and hotspots across the user's partnership, or None for non-analysts."""
    if not can_view_links(user=user) or user.agency is None:
        return None
    graph = PartnershipGraph(user.agency.partnership_id)
    nodes, edges = whole_network_edges(graph.members_all())
    kinds = {key: member.kind for key, member in nodes.items()}
    found = measures_find(kinds, ((edge.a, edge.b) for edge in edges))
    return MeasuresView(
        measures=found, nodes=dict(nodes), node_count=len(nodes), edge_count=len(edges)
    )
