"""Reads of the network, through the asking user's scope: the CSE team and the MACE
coordinator (VIEW_NETWORK)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from csehub.accounts.models import User

from ..models import Entity
from ..selectors import can_view_network
from .graph import Member, Network, PartnershipGraph, network_around
from .measures import Measures, measures_of


def network_for_user(*, user: User, entity: Entity, depth: int) -> Network | None:
    """The network around an entity the user may see, or None for anyone else."""
    if not can_view_network(user=user) or user.agency is None:
        return None
    if entity.partnership_id != user.agency.partnership_id:
        return None
    return network_around(entity=entity, depth=depth)


class NamedMembers(Mapping[str, Member]):
    """The members of the nodes the measures name, read from the database when first asked."""

    def __init__(self, graph: PartnershipGraph, measures: Measures) -> None:
        self._graph, self._measures = graph, measures
        self._found: dict[str, Member] | None = None

    def _members(self) -> dict[str, Member]:
        if self._found is None:
            self._found = self._graph.members_for_keys(self._measures.named_keys())
        return self._found

    def __getitem__(self, key: str) -> Member:
        return self._members()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._members())

    def __len__(self) -> int:
        return len(self._members())


@dataclass(frozen=True)
class MeasuresView:
    measures: Measures
    nodes: Mapping[str, Member]
    node_count: int
    edge_count: int


def measures_for_user(*, user: User) -> MeasuresView | None:
    """Hubs, groups and hotspots across the user's partnership, or None for non-analysts."""
    if not can_view_network(user=user) or user.agency is None:
        return None
    graph = PartnershipGraph(user.agency.partnership_id)
    network = graph.whole_network()
    found = measures_of(network)
    return MeasuresView(
        measures=found,
        nodes=NamedMembers(graph, found),
        node_count=network.node_count,
        edge_count=network.edge_count,
    )
