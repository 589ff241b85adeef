"""Hubs, groups and hotspots in the network, each with the sentence that says how it was found.

Pure functions over the network as arrays (`graph.WholeNetwork`: node keys, kind codes and each
link once as two index arrays, as the network builder makes them from the database's rows). The
work is NumPy array operations, and connected components come from SciPy's compiled graph
routines (`scipy.sparse.csgraph.connected_components`), so nothing recurses. The lists are
sorted as arrays and a hub, group or hotspot becomes a Python object only when it is read, so a
page that shows the first rows does not pay for the rest (timings:
benchmarks/network_measures.py). Themes are left out: two children who share an abuse model are
not thereby linked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain
from typing import Any, Generic, TypeVar, overload

import numpy as np
from numpy.dtypes import StringDType
from numpy.typing import NDArray
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from ..models import EntityType
from .graph import KIND_CODES, OTHER_KIND, THEME, WholeNetwork, distinct

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

Indexes = NDArray[np.int64]
T = TypeVar("T")
# Rows are made this many at a time when a list is read through.
ROWS_AT_ONCE = 4_096


def _labels(size: int, first: Indexes, second: Indexes) -> Indexes:
    """The component number of each node 0..size-1 (numbers are arbitrary but shared)."""
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    joined = coo_array(
        (np.ones(len(first), dtype=bool), (first, second)), shape=(size, size)
    ).tocsr()
    _, labels = connected_components(joined, directed=False)
    return labels.astype(np.int64, copy=False)


def component_roots(size: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """The component of each node 0..size-1, named by its first member."""
    pairs = np.fromiter(chain.from_iterable(edges), dtype=np.int64).reshape(-1, 2)
    labels = _labels(size, pairs[:, 0], pairs[:, 1])
    _, first = np.unique(labels, return_index=True)
    roots: list[int] = first[labels].tolist()
    return roots


def components(keys: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components of the named nodes, largest first."""
    names = list(dict.fromkeys(keys))
    pairs = _pairs(names, edges)
    labels = _labels(len(names), pairs[:, 0], pairs[:, 1])
    found: dict[int, list[str]] = defaultdict(list)
    for number, label in enumerate(labels.tolist()):
        found[label].append(names[number])
    return sorted(found.values(), key=lambda group: (-len(group), group[0]))


def _pairs(names: Sequence[str], edges: Iterable[tuple[str, str]]) -> Indexes:
    """Edges as an (n, 2) array of indexes into `names`; edges to unlisted nodes are dropped."""
    index = dict(zip(names, range(len(names)), strict=True))
    ends = np.fromiter(
        (index.get(end, -1) for end in chain.from_iterable(edges)), dtype=np.int64
    ).reshape(-1, 2)
    return ends[(ends[:, 0] >= 0) & (ends[:, 1] >= 0)]


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


class Rows(Sequence[T], Generic[T]):
    """A sorted list whose rows are made when read (`make(start, stop)` makes rows start..stop).

    It compares equal to any sequence with the same rows, so it can stand for a tuple."""

    def __init__(self, size: int, make: Callable[[int, int], list[T]]) -> None:
        self._size, self._make = size, make

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._size)
            if step != 1:
                return [self[number] for number in range(start, stop, step)]
            return self._make(start, stop) if start < stop else []
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        return self._make(index, index + 1)[0]

    def __iter__(self) -> Iterator[T]:
        for start in range(0, self._size, ROWS_AT_ONCE):
            yield from self._make(start, min(start + ROWS_AT_ONCE, self._size))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({self._size} rows)"


def _spans(starts: Indexes, counts: Indexes) -> Indexes:
    """The positions start, start + 1, ... start + count - 1 of each span, one after another."""
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()))


def _split(values: list[str], counts: list[int]) -> Iterator[tuple[str, ...]]:
    ends = list(accumulate(counts))
    return (tuple(values[end - count : end]) for end, count in zip(ends, counts, strict=True))


@dataclass(frozen=True)
class Measures:
    hubs: Sequence[Linked]
    groups: Sequence[Group]
    hotspots: Sequence[Linked]
    # The nodes the lists name (as indexes into `keys`), for reading their details.
    named: Callable[[], Indexes] = field(default=lambda: np.zeros(0, np.int64), compare=False)
    keys: NDArray[Any] = field(
        default_factory=lambda: np.zeros(0, StringDType()), compare=False, repr=False
    )

    def named_keys(self) -> list[str]:
        """The key of every node the hubs, groups and hotspots name."""
        names: list[str] = self.keys[self.named()].tolist()
        return names


def _runs(values: Indexes) -> tuple[Indexes, Indexes]:
    """Where each run of equal values in a sorted array starts, and how long it is."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return starts, np.diff(np.r_[starts, len(values)])


@dataclass(frozen=True)
class _Linked:
    """Hubs or hotspots as arrays: row i is node[i], its children the count[i] kids from
    start[i]."""

    keys: NDArray[Any]
    node: Indexes
    kids: Indexes
    start: Indexes
    count: Indexes

    def make(self, first: int, last: int) -> list[Linked]:
        counts = self.count[first:last]
        kids = self.keys[self.kids[_spans(self.start[first:last], counts)]].tolist()
        nodes = self.keys[self.node[first:last]].tolist()
        return list(map(Linked, nodes, _split(kids, counts.tolist())))

    def named(self) -> Indexes:
        return np.r_[self.node, self.kids[_spans(self.start, self.count)]]


def _linked(keys: NDArray[Any], rank: Indexes, node: Indexes, kid: Indexes) -> _Linked:
    """Nodes joined to two or more different children, most children first, then by name.

    Each (node, child) pair must come once, as each link does in a WholeNetwork."""
    order = np.lexsort((rank[kid], rank[node]))  # by the node's name, then the child's
    node, kid = node[order], kid[order]
    starts, counts = _runs(rank[node])
    keep = counts >= 2
    starts, counts = starts[keep], counts[keep]
    order = np.lexsort((rank[node[starts]], -counts))
    starts, counts = starts[order], counts[order]
    return _Linked(keys=keys, node=node[starts], kids=kid, start=starts, count=counts)


@dataclass(frozen=True)
class _Groups:
    """Groups as arrays: group i's members are members[start[i]:...] (children likewise)."""

    keys: NDArray[Any]
    members: Indexes
    start: Indexes
    count: Indexes
    kids: Indexes
    kid_start: Indexes
    kid_count: Indexes

    def make(self, first: int, last: int) -> list[Group]:
        groups = []
        for start, count, kid_start, kid_count in zip(
            self.start[first:last].tolist(),
            self.count[first:last].tolist(),
            self.kid_start[first:last].tolist(),
            self.kid_count[first:last].tolist(),
            strict=True,
        ):
            members = self.keys[self.members[start : start + count]].tolist()
            kids = self.keys[self.kids[kid_start : kid_start + kid_count]].tolist()
            groups.append(Group(keys=tuple(members), children=tuple(kids)))
        return groups


def _groups(
    keys: NDArray[Any], by_name: Indexes, labels: Indexes, child: NDArray[np.bool_]
) -> _Groups:
    """Connected groups with two or more children: most children first, then by the name of
    their first child; members and children each in name order."""
    children_in = np.bincount(labels[child], minlength=labels.max(initial=-1) + 1)
    wanted = children_in[labels] >= 2
    members = by_name[wanted[by_name]]  # in name order
    members = members[np.argsort(labels[members], kind="stable")]  # by group, then name
    kids = members[child[members]]
    starts, counts = _runs(labels[members])
    kid_starts, kid_counts = _runs(labels[kids])  # the same groups in the same order
    rank = np.empty(len(by_name), dtype=np.int64)
    rank[by_name] = np.arange(len(by_name))
    order = np.lexsort((rank[kids[kid_starts]], -kid_counts))
    return _Groups(
        keys=keys,
        members=members,
        start=starts[order],
        count=counts[order],
        kids=kids,
        kid_start=kid_starts[order],
        kid_count=kid_counts[order],
    )


def measures_of(network: WholeNetwork) -> Measures:
    """Hubs, groups and hotspots of the whole network (each link given once, as it is built)."""
    keys, kinds, a, b = network.keys, network.kinds, network.a, network.b
    size = len(keys)
    theme = kinds == KIND_CODES[THEME]
    child = kinds == KIND_CODES[EntityType.CHILD]
    hub = np.isin(kinds, [KIND_CODES[kind] for kind in HUB_KINDS])
    place = kinds == KIND_CODES[EntityType.LOCATION]
    keep = ~(theme[a] | theme[b])
    a, b = a[keep], b[keep]
    # Each name's place in sorted order, so that sorting by name is sorting integers.
    by_name = np.argsort(keys, kind="stable")
    rank = np.empty(size, dtype=np.int64)
    rank[by_name] = np.arange(size)

    # Each link with a child at either end, as the child and the node at the other end.
    first_is_child = child[a]
    touches = first_is_child | child[b]
    kid = np.where(first_is_child, a, b)[touches]
    other = np.where(first_is_child, b, a)[touches]
    to_hub, to_place = hub[other], place[other]
    hubs = _linked(keys, rank, other[to_hub], kid[to_hub])
    hotspots = _linked(keys, rank, other[to_place], kid[to_place])
    groups = _groups(keys, by_name, _labels(size, a, b), child)

    def named() -> Indexes:
        return distinct(np.r_[hubs.named(), hotspots.named(), groups.members])

    return Measures(
        hubs=Rows(len(hubs.node), hubs.make),
        groups=Rows(len(groups.start), groups.make),
        hotspots=Rows(len(hotspots.node), hotspots.make),
        named=named,
        keys=keys,
    )


def measures_find(kinds: Mapping[str, str], edges: Iterable[tuple[str, str]]) -> Measures:
    """The measures of a network given as each node's kind and its edges by key (edges may come
    twice or in either direction; edges to unlisted nodes are left out)."""
    names = list(kinds)
    codes = np.fromiter(
        (KIND_CODES.get(kind, OTHER_KIND) for kind in kinds.values()), np.int8, len(names)
    )
    pairs = _pairs(names, edges)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    size = max(len(names), 1)
    joined = distinct(pairs.min(axis=1) * size + pairs.max(axis=1))
    return measures_of(
        WholeNetwork(
            keys=np.array(names, dtype=StringDType()),
            kinds=codes,
            a=joined // size,
            b=joined % size,
        )
    )
