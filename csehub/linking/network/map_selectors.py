"""Reads for the map: the places of a network, their postcodes and the children linked to them.

The network comes from selectors.network_for_user, so the same scope applies (police analysts
of the entity's partnership). "Children linked" is counted as the hotspots of the measures
count it: different children mentioned in the same report or concern as the place, across the
whole partnership, not only the ones inside the picture's steps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from ..models import EntityType, IndexedMention
from .graph import THEME, Member, Network, PartnershipGraph
from .map import MapPlace, Where, postcode_locate


def places_summarise(
    members: Iterable[Member], place_keys: set[str], postcodes: Mapping[str, str]
) -> list[MapPlace]:
    """One MapPlace per place and postcode it was given (a place given none is listed once).

    `members` are everything mentioned in the places' reports and concerns; `postcodes` maps a
    place mention's id to its postcode in standard form.
    """
    children_in: dict[str, set[str]] = defaultdict(set)
    containers_of: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Member] = {}
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for member in members:
        if member.kind == EntityType.CHILD:
            children_in[member.container].add(member.key)
        if member.key in place_keys and member.kind != THEME:
            first.setdefault(member.key, member)
            containers_of[member.key].add(member.container)
            if postcodes.get(member.mention_id):
                written[member.key][postcodes[member.mention_id]] += 1
    found = []
    for key, member in first.items():
        children = set().union(*(children_in[c] for c in containers_of[key]))
        # The most often given postcode first; a place given several is listed at each.
        given = [code for code, _ in written[key].most_common()] or [""]
        for postcode in given:
            found.append(
                MapPlace(
                    key=key,
                    reference=member.reference,
                    label=member.label,
                    located=postcode_locate(postcode),
                    children=len(children),
                    entity_id=member.entity_id,
                )
            )
    return sorted(found, key=lambda p: (p.located.where != Where.FOUND, p.reference, p.key))


def network_places(*, network: Network, partnership_id: int) -> list[MapPlace]:
    """The places among a network's nodes (from selectors.network_for_user: no access check
    here), with their postcodes and the number of children linked to each."""
    place_keys = {node.key for node in network.nodes if node.kind == EntityType.LOCATION}
    if not place_keys:
        return []
    graph = PartnershipGraph(partnership_id)
    members = graph.members_of(graph.containers_of(place_keys))
    mention_ids = [m.mention_id for m in members if m.key in place_keys]
    postcodes = dict(
        IndexedMention.objects.filter(
            partnership_id=partnership_id,
            entity_type=EntityType.LOCATION,
            mention_id__in=mention_ids,
        ).values_list("mention_id", "postcode")
    )
    return places_summarise(members, place_keys, postcodes)
