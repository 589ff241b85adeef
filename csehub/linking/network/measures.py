"""Hubs, groups and hotspots in the network, each with the sentence that says how it was found.

Pure functions over node kinds and edge lists. Connected components use an iterative
union-find on integer indexes (path halving, union by size), so a million nodes and a few
million edges take seconds and never recurse. Themes are left out: two children who share an
abuse model are not thereby linked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..models import EntityType
from .graph import THEME

HUB_KINDS = frozenset({EntityType.PERSON, EntityType.VEHICLE, EntityType.PHONE, EntityType.ONLINE})

HUBS_HOW = (
    "A person, vehicle, phone or online account is listed when it is mentioned in the same "
    "report or concern as two or more different children. The number is how many different "
    "children."
)
GROUPS_HOW = (
    "A group is everything that can be reached from one thing to the next through reports and "
    "concerns that mention them together (a connected component). It is listed when it contains "
    "two or more different children, which may point to organised or networked exploitation. "
    "Themes are left out, so sharing an abuse model does not join two children."
)
HOTSPOTS_HOW = (
    "A place is listed when it is mentioned in the same report or concern as two or more "
    "different children. The number is how many different children."
)


def component_roots(size: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """The component of each node 0..size-1, named by one of its members."""
    parent = list(range(size))
    weight = [1] * size
    for a, b in edges:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        while parent[b] != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        if a == b:
            continue
        if weight[a] < weight[b]:
            a, b = b, a
        parent[b] = a
        weight[a] += weight[b]
    for node in range(size):
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
    return parent


def components(keys: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of the named nodes, largest first."""
    names = list(dict.fromkeys(keys))
    index = {name: number for number, name in enumerate(names)}
    pairs = ((index[a], index[b]) for a, b in edges if a in index and b in index)
    roots = component_roots(len(names), pairs)
    found: dict[int, list[str]] = defaultdict(list)
    for number, root in enumerate(roots):
        found[root].append(names[number])
    return sorted(found.values(), key=lambda group: (-len(group), group[0]))


@dataclass(frozen=True)
class Linked:
    """A hub or hotspot: the node and the children it is linked to."""

    key: str
    children: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.children)


@dataclass(frozen=True)
class Group:
    keys: tuple[str, ...]
    children: tuple[str, ...]


@dataclass(frozen=True)
class Measures:
    hubs: tuple[Linked, ...]
    groups: tuple[Group, ...]
    hotspots: tuple[Linked, ...]


def _linked(found: dict[int, set[int]], names: list[str]) -> tuple[Linked, ...]:
    items = [
        Linked(names[node], tuple(sorted(names[child] for child in kids)))
        for node, kids in found.items()
        if len(kids) >= 2
    ]
    return tuple(sorted(items, key=lambda item: (-item.count, item.key)))


def measures_find(kinds: Mapping[str, str], edges: Iterable[tuple[str, str]]) -> Measures:
    """Hubs, groups and hotspots of a network given each node's kind and its edges.

    Names are turned into integer indexes once, and every edge is read in a single pass.
    """
    names = [key for key, kind in kinds.items() if kind != THEME]
    index = {name: number for number, name in enumerate(names)}
    child = [kinds[name] == EntityType.CHILD for name in names]
    hub = [kinds[name] in HUB_KINDS for name in names]
    place = [kinds[name] == EntityType.LOCATION for name in names]
    hubs: dict[int, set[int]] = defaultdict(set)
    hotspots: dict[int, set[int]] = defaultdict(set)
    pairs: list[tuple[int, int]] = []
    get = index.get
    for name_a, name_b in edges:
        a, b = get(name_a), get(name_b)
        if a is None or b is None:
            continue  # a theme, or a node not in the list
        pairs.append((a, b))
        if child[a] or child[b]:
            kid, other = (a, b) if child[a] else (b, a)
            if hub[other]:
                hubs[other].add(kid)
            elif place[other]:
                hotspots[other].add(kid)
    roots = component_roots(len(names), pairs)
    children_of: dict[int, list[int]] = defaultdict(list)
    for node, is_child in enumerate(child):
        if is_child:
            children_of[roots[node]].append(node)
    wanted = {root for root, kids in children_of.items() if len(kids) >= 2}
    members: dict[int, list[str]] = defaultdict(list)
    for node, root in enumerate(roots):
        if root in wanted:
            members[root].append(names[node])
    groups = sorted(
        (
            Group(
                keys=tuple(sorted(members[root])),
                children=tuple(sorted(names[kid] for kid in children_of[root])),
            )
            for root in wanted
        ),
        key=lambda group: (-len(group.children), group.children[0]),
    )
    return Measures(
        hubs=_linked(hubs, names), groups=tuple(groups), hotspots=_linked(hotspots, names)
    )
