"""Building the network: who and what is mentioned together, in which reports and concerns.

A node is an entity when the mention has one; otherwise a child is known by their child record
(the same record is the same child) and anything else by the mention itself, so nothing the
partnership knows drops out of the picture because the engine has not resolved it yet. Themes
are the abuse models ticked in the latest risk assessment of a concern; they join the concern's
child only, and the network is never expanded through a theme (every child with the same model
would otherwise become one group).

Two nodes are joined when they are mentioned in the same report or concern; the weight is the
number of reports and concerns they share, and a link the submitter stated ("p1 drives v1")
adds its kind. The pure functions take plain rows; the queries that feed them are at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations, repeat
from operator import itemgetter
from typing import Any, Literal

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from numpy.dtypes import StringDType
from numpy.typing import NDArray

from csehub.concerns.models import IndicatorObservation, RiskAssessment
from csehub.intelligence.models import MentionLink

from ..models import ENTITY_PREFIX, Entity, EntityType, IndexedMention, MentionEntity

THEME = "theme"
MIN_DEPTH, MAX_DEPTH = 1, 3
MAX_NODES = 200
ABUSE_MODELS = "abuse_models"
CONCERN_PREFIX = "concern-"

# The order node kinds are listed and drawn in.
KIND_ORDER = [
    EntityType.CHILD,
    EntityType.PERSON,
    EntityType.VEHICLE,
    EntityType.PHONE,
    EntityType.ONLINE,
    EntityType.LOCATION,
    THEME,
]
KIND_LABELS = {**dict(EntityType.choices), THEME: "Theme"}


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


@dataclass(frozen=True)
class Member:
    """One mention of a node in one report or concern (the container)."""

    container: str
    mention_id: str
    key: str
    kind: str
    label: str
    reference: str
    entity_id: int | None = None


@dataclass(frozen=True)
class Node:
    key: str
    kind: str
    label: str
    reference: str
    entity_id: int | None
    depth: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def expandable(self) -> bool:
        return self.entity_id is not None


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    containers: tuple[str, ...]
    kinds: tuple[str, ...] = ()

    @property
    def weight(self) -> int:
        return len(self.containers)


@dataclass(frozen=True)
class Network:
    focus: str
    depth: int
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    truncated: bool = False
    by_key: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({node.key: node for node in self.nodes})

    def neighbours(self, key: str) -> list[tuple[Node, Edge]]:
        found = []
        for edge in self.edges:
            if key in (edge.a, edge.b):
                other = edge.b if edge.a == key else edge.a
                found.append((self.by_key[other], edge))
        return sorted(found, key=lambda pair: node_order(pair[0]))


def node_order(node: Node) -> tuple[int, int, str, str]:
    return (node.depth, kind_rank(node.kind), node.reference, node.key)


def container_label(container: str) -> str:
    """ "A-1" -> "Report A-1"; "concern-12" -> "Concern 12"."""
    if container.startswith(CONCERN_PREFIX):
        return f"Concern {container.removeprefix(CONCERN_PREFIX)}"
    return f"Report {container}"


def entity_key(entity_id: int) -> str:
    return f"E{entity_id}"


def node_key(*, mention_id: str, entity_id: int | None, child_record_id: int | None) -> str:
    if entity_id is not None:
        return entity_key(entity_id)
    if child_record_id is not None:
        return f"R{child_record_id}"
    return f"M{mention_id}"


# ---------------------------------------------------------------------------------------------
# Pure building
# ---------------------------------------------------------------------------------------------


def co_mention_edges(
    members: Iterable[Member], stated: Iterable[tuple[str, str, str]] = ()
) -> list[Edge]:
    """Join every two nodes mentioned in the same container (a theme joins the child only).

    `stated` holds (mention id, mention id, kind) links the submitter gave within a report.
    """
    by_container: dict[str, dict[str, Member]] = defaultdict(dict)
    key_of: dict[str, str] = {}
    for member in members:
        by_container[member.container].setdefault(member.key, member)
        key_of[member.mention_id] = member.key
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for container, found in by_container.items():
        for one, two in combinations(sorted(found), 2):
            kinds = {found[one].kind, found[two].kind}
            if THEME in kinds and kinds != {THEME, EntityType.CHILD}:
                continue
            shared[(one, two)].add(container)
    kinds_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for first, second, kind in stated:
        if first in key_of and second in key_of and key_of[first] != key_of[second]:
            pair = tuple(sorted((key_of[first], key_of[second])))
            if kind:
                kinds_of[(pair[0], pair[1])].add(kind)
    return [
        Edge(a=a, b=b, containers=tuple(sorted(containers)), kinds=tuple(sorted(kinds_of[(a, b)])))
        for (a, b), containers in sorted(shared.items())
    ]


@dataclass
class Expansion:
    depths: dict[str, int]
    members: list[Member]
    truncated: bool = False


def expand(
    *,
    focus: Member,
    depth: int,
    containers_of: Callable[[set[str]], set[str]],
    members_of: Callable[[set[str]], list[Member]],
    max_nodes: int = MAX_NODES,
) -> Expansion:
    """Breadth first from `focus`, one step (one shared report or concern) at a time.

    Each step asks for the containers of the newest ring and everything mentioned in them. A
    last look at the outer ring's containers adds the links between nodes already found, so the
    picture shows every link among its nodes, not only the ones that reached them.
    """
    depth = max(MIN_DEPTH, min(MAX_DEPTH, depth))
    found = Expansion(depths={focus.key: 0}, members=[focus])
    frontier = {focus.key}
    seen_containers: set[str] = set()
    for step in range(1, depth + 1):
        containers = containers_of(frontier) - seen_containers
        seen_containers |= containers
        rows = members_of(containers) if containers else []
        new: dict[str, Member] = {}
        for row in rows:
            if row.key not in found.depths:
                new.setdefault(row.key, row)
        ordered = sorted(new.values(), key=lambda m: (kind_rank(m.kind), m.reference, m.key))
        room = max_nodes - len(found.depths)
        if len(ordered) > room:
            ordered, found.truncated = ordered[:room], True
        for member in ordered:
            found.depths[member.key] = step
        found.members += [row for row in rows if row.key in found.depths]
        # Themes are shown but never expanded through.
        frontier = {m.key for m in ordered if m.kind != THEME}
        if not frontier or found.truncated:
            break
    if frontier:
        outer = containers_of(frontier) - seen_containers
        if outer:
            found.members += [row for row in members_of(outer) if row.key in found.depths]
    return found


def network_build(
    *, expansion: Expansion, depth: int, stated: Iterable[tuple[str, str, str]] = ()
) -> Network:
    first: dict[str, Member] = {}
    for member in expansion.members:
        first.setdefault(member.key, member)
    nodes = sorted(
        (
            Node(
                key=key,
                kind=first[key].kind,
                label=first[key].label,
                reference=first[key].reference,
                entity_id=first[key].entity_id,
                depth=node_depth,
            )
            for key, node_depth in expansion.depths.items()
        ),
        key=node_order,
    )
    focus = expansion.members[0].key
    return Network(
        focus=focus,
        depth=depth,
        nodes=tuple(nodes),
        edges=tuple(co_mention_edges(expansion.members, stated)),
        truncated=expansion.truncated,
    )


# ---------------------------------------------------------------------------------------------
# The queries that feed it (one partnership's mentions only)
# ---------------------------------------------------------------------------------------------


class PartnershipGraph:
    """Reads one partnership's mentions as Members."""

    def __init__(self, partnership_id: int) -> None:
        self.partnership_id = partnership_id

    def _mentions(self) -> QuerySet[IndexedMention]:
        return IndexedMention.objects.filter(partnership_id=self.partnership_id)

    def _members(self, rows: QuerySet[IndexedMention], *, themes: bool = True) -> list[Member]:
        values = list(
            rows.order_by("pk").values_list(
                "mention_id", "container", "entity_type", "child_record_id", "label"
            )
        )
        assigned = dict(
            MentionEntity.objects.filter(
                mention_id__in=rows.values("mention_id"),
                entity__partnership_id=self.partnership_id,
            ).values_list("mention_id", "entity_id")
        )
        entities = {
            pk: (kind, label)
            for pk, kind, label in Entity.objects.filter(pk__in=set(assigned.values())).values_list(
                "pk", "entity_type", "label"
            )
        }
        members = []
        # One string object per node key, so the measures' lookups compare by identity.
        keys: dict[str, str] = {}
        for mention_id, container, kind, record, label in values:
            entity_id = assigned.get(mention_id)
            if entity_id is not None:
                kind, label = entities[entity_id]
                reference = f"{ENTITY_PREFIX.get(kind, 'E')}-{entity_id:06d}"
            elif kind == EntityType.CHILD and record is not None:
                reference = f"Child record {record}"
            else:
                reference = mention_id
            key = node_key(mention_id=mention_id, entity_id=entity_id, child_record_id=record)
            members.append(
                Member(
                    container=container,
                    mention_id=mention_id,
                    key=keys.setdefault(key, key),
                    kind=kind,
                    label=label,
                    reference=reference,
                    entity_id=entity_id,
                )
            )
        if not themes:
            return members
        return members + self._themes({m.container for m in members})

    def _themes(self, containers: Iterable[str]) -> list[Member]:
        return [
            Member(
                container=f"{CONCERN_PREFIX}{concern_id}",
                mention_id=f"{CONCERN_PREFIX}{concern_id}/theme-{code}",
                key=f"T{code}",
                kind=THEME,
                label=label,
                reference=label,
            )
            for concern_id, code, label in self._theme_rows(containers)
        ]

    def _theme_rows(self, containers: Iterable[str]) -> list[tuple[int, str, str]]:
        """(concern id, code, label) of the abuse models ticked in each concern's latest
        assessment, for the concerns among `containers`."""
        concern_ids = {
            int(c.removeprefix(CONCERN_PREFIX))
            for c in containers
            if c.startswith(CONCERN_PREFIX) and c.removeprefix(CONCERN_PREFIX).isdigit()
        }
        if not concern_ids:
            return []
        latest: dict[int, int] = {}
        for pk, concern_id in RiskAssessment.objects.filter(concern_id__in=concern_ids).values_list(
            "pk", "concern_id"
        ):  # newest first (the model's ordering)
            latest.setdefault(concern_id, pk)
        ticked = IndicatorObservation.objects.filter(
            assessment_id__in=latest.values(), item__vocabulary__code=ABUSE_MODELS
        ).values_list("assessment__concern_id", "item__code", "item__label")
        return sorted(ticked)

    def member_for_entity(self, entity: Entity) -> Member:
        return Member(
            container="",
            mention_id="",
            key=entity_key(entity.pk),
            kind=entity.entity_type,
            label=entity.label,
            reference=entity.reference,
            entity_id=entity.pk,
        )

    def containers_of(self, keys: set[str]) -> set[str]:
        entity_ids = [int(k[1:]) for k in keys if k.startswith("E")]
        records = [int(k[1:]) for k in keys if k.startswith("R")]
        mentions = [k[1:] for k in keys if k.startswith("M")]
        rows = self._mentions().filter(
            mention_id__in=MentionEntity.objects.filter(entity_id__in=entity_ids).values(
                "mention_id"
            )
        )
        if records:
            rows = rows | self._mentions().filter(child_record_id__in=records).exclude(
                mention_id__in=MentionEntity.objects.values("mention_id")
            )
        if mentions:
            rows = rows | self._mentions().filter(mention_id__in=mentions)
        return set(rows.values_list("container", flat=True).distinct())

    def members_of(self, containers: set[str]) -> list[Member]:
        return self._members(self._mentions().filter(container__in=containers))

    def whole_network(self) -> WholeNetwork:
        """Every node and link of the partnership, as arrays for the measures.

        One query reads each mention's container, entity (and the entity's kind), child record,
        kind, mention id and primary key, ordered by container; two more find the themes of the
        concerns. The rows go to `network_arrays` as the database driver returns them.
        """
        # One join: a correlated subquery per mention for its entity took three times as long
        # on PostgreSQL at two million mentions (16 s against 5 s). MentionEntity.mention_id is
        # unique, so each mention comes once.
        quote = connection.ops.quote_name
        sql = WHOLE_NETWORK_SQL.format(
            mention=quote(IndexedMention._meta.db_table),
            assignment=quote(MentionEntity._meta.db_table),
            entity=quote(Entity._meta.db_table),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.partnership_id, self.partnership_id])
            rows: list[MentionRow] = cursor.fetchall()
        concerns = (
            self._mentions()
            .filter(container__startswith=CONCERN_PREFIX)
            .values_list("container", flat=True)
            .distinct()
        )
        themes = [
            (f"{CONCERN_PREFIX}{concern_id}", f"T{code}")
            for concern_id, code, _ in self._theme_rows(concerns)
        ]
        return network_arrays(rows, themes)

    def members_for_keys(self, keys: Iterable[str]) -> dict[str, Member]:
        """The first member (by mention) of each node key given, as `_members` makes them.

        Reads the mentions of those nodes only, a few thousand keys per query."""
        wanted = set(keys)
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for key in wanted:
            by_prefix[key[:1]].append(key[1:])
        assigned = MentionEntity.objects.filter(entity__partnership_id=self.partnership_id)
        found: dict[str, Member] = {}
        for prefix, values in sorted(by_prefix.items()):
            for start in range(0, len(values), KEYS_PER_QUERY):
                chunk = values[start : start + KEYS_PER_QUERY]
                if prefix == "E":
                    mentions = assigned.filter(entity_id__in=[int(v) for v in chunk])
                    rows = self._mentions().filter(mention_id__in=mentions.values("mention_id"))
                elif prefix == "R":
                    rows = self._mentions().filter(child_record_id__in=[int(v) for v in chunk])
                elif prefix == "M":
                    rows = self._mentions().filter(mention_id__in=chunk)
                else:  # themes are never among the measures' nodes
                    continue
                for member in self._members(rows, themes=False):
                    if member.key in wanted:
                        found.setdefault(member.key, member)
        return found

    def stated_links(self, containers: set[str]) -> list[tuple[str, str, str]]:
        rows = MentionLink.objects.filter(
            report__partnership_id=self.partnership_id, report__external_id__in=containers
        ).values_list("report__external_id", "from_ref", "to_ref", "kind")
        return [(f"{r}/{one}", f"{r}/{two}", kind) for r, one, two, kind in rows]


def network_around(*, entity: Entity, depth: int, graph: PartnershipGraph | None = None) -> Network:
    """The network within `depth` steps (1 to 3) of an entity. No access check: callers use
    selectors.network_for_user."""
    graph = graph or PartnershipGraph(entity.partnership_id)
    depth = max(MIN_DEPTH, min(MAX_DEPTH, depth))
    expansion = expand(
        focus=graph.member_for_entity(entity),
        depth=depth,
        containers_of=graph.containers_of,
        members_of=graph.members_of,
    )
    containers = {m.container for m in expansion.members if m.container}
    return network_build(expansion=expansion, depth=depth, stated=graph.stated_links(containers))


# ---------------------------------------------------------------------------------------------
# The whole network as arrays, for the measures
# ---------------------------------------------------------------------------------------------

# A node kind's code is its place in KIND_ORDER; any other kind is len(KIND_ORDER).
KIND_CODES = {kind: code for code, kind in enumerate(KIND_ORDER)}
OTHER_KIND = len(KIND_ORDER)
KEYS_PER_QUERY = 2_000

# One mention as `PartnershipGraph.whole_network` reads it: container, the entity it is assigned
# to, child record, kind (the entity's when assigned), mention id, primary key.
MentionRow = tuple[str, int | None, int | None, str, str, int]
SortKind = Literal["quicksort", "stable"]
# The same mention rows as `_members` reads, with the entity (of this partnership) each is
# assigned to: `MentionRow`s, ordered by container.
WHOLE_NETWORK_SQL = """
    SELECT m.container, e.id, m.child_record_id, COALESCE(e.entity_type, m.entity_type),
        m.mention_id, m.id
    FROM {mention} m
    LEFT JOIN ({assignment} a JOIN {entity} e ON e.id = a.entity_id AND e.partnership_id = %s)
        ON a.mention_id = m.mention_id
    WHERE m.partnership_id = %s
    ORDER BY m.container, m.id
"""


@dataclass(frozen=True)
class WholeNetwork:
    """Nodes 0..n-1 with their keys and kind codes, and each link once as two index arrays.

    `a[i] < b[i]`, no node is linked to itself, and no pair appears twice: the same links as
    `co_mention_edges` gives for every mention of the partnership (themes included).
    """

    keys: NDArray[Any]  # numpy.dtypes.StringDType
    kinds: NDArray[np.int8]
    a: NDArray[np.int64]
    b: NDArray[np.int64]

    @property
    def node_count(self) -> int:
        return len(self.keys)

    @property
    def edge_count(self) -> int:
        return len(self.a)


def network_arrays(
    rows: Sequence[MentionRow], themes: Iterable[tuple[str, str]] = ()
) -> WholeNetwork:
    """The whole network from the mention rows (grouped by container, as the query orders
    them) and (container, theme key) pairs, with array operations rather than a step per row.

    A node's key and kind follow `node_key` and `_members`: the entity when the mention is
    assigned one, else the child record, else the mention itself; the kind is that of the node's
    first mention (lowest primary key).
    """
    count = len(rows)

    def column(number: int, dtype: type[np.generic]) -> NDArray[Any]:
        return np.fromiter(map(itemgetter(number), rows), dtype=dtype, count=count)

    # None becomes NaN in a float array: ids stay exact up to 2**53.
    entity_at, record_at = column(1, np.float64), column(2, np.float64)
    has_entity, has_record = ~np.isnan(entity_at), ~np.isnan(record_at)
    row_pk = column(5, np.int64)
    kind_at = np.fromiter(
        map(KIND_CODES.get, map(itemgetter(3), rows), repeat(OTHER_KIND)), np.int8, count
    )
    prefix = np.where(has_entity, 0, np.where(has_record, 1, 2))
    number = np.where(has_entity, entity_at, np.where(has_record, record_at, row_pk))
    codes, node_of_row = _numbered(prefix << 53 | number.astype(np.int64))
    # Each node's first row by primary key (primary keys are unique).
    lowest = np.full(len(codes), np.iinfo(np.int64).max)
    np.minimum.at(lowest, node_of_row, row_pk)
    first = np.empty(len(codes), dtype=np.int64)
    is_first = row_pk == lowest[node_of_row]
    first[node_of_row[is_first]] = np.flatnonzero(is_first)
    node_prefix, node_number = codes >> 53, codes & ((1 << 53) - 1)
    words = np.array(["E", "R", "M"], dtype=StringDType())[node_prefix]
    names = node_number.astype(StringDType())
    by_mention = np.flatnonzero(node_prefix == 2)
    names[by_mention] = [rows[row][4] for row in first[by_mention].tolist()]
    kinds = kind_at[first]
    container = list(map(itemgetter(0), rows))

    # Containers numbered in row order: a new number wherever the container changes.
    boxes_at = np.array(container, dtype=StringDType())
    changes = np.r_[True, boxes_at[1:] != boxes_at[:-1]] if len(boxes_at) else np.zeros(0, bool)
    box = np.cumsum(changes) - 1
    # Themes join the nodes after the mentioned ones, in the containers they were ticked in.
    themed = sorted(set(themes))
    box_of: dict[str, int] = {}
    if themed:
        starts = np.flatnonzero(changes)
        concerns = np.flatnonzero(np.strings.startswith(boxes_at[starts], CONCERN_PREFIX))
        box_of = dict(zip(boxes_at[starts[concerns]].tolist(), concerns.tolist(), strict=True))
        themed = [(c, key) for c, key in themed if c in box_of]
    theme_keys = sorted({key for _, key in themed})
    theme_node = {key: len(codes) + number for number, key in enumerate(theme_keys)}
    keys = np.concatenate([np.strings.add(words, names), np.array(theme_keys, dtype=StringDType())])
    kinds = np.r_[kinds, np.full(len(theme_keys), KIND_CODES[THEME], dtype=np.int8)]
    member_box = np.r_[box, [box_of[c] for c, _ in themed]].astype(np.int64)
    member_node = np.r_[node_of_row, [theme_node[key] for _, key in themed]].astype(np.int64)
    a, b = _co_mentioned(len(keys), kinds, member_box, member_node)
    return WholeNetwork(keys=keys, kinds=kinds, a=a, b=b)


def _co_mentioned(
    size: int, kinds: NDArray[np.int8], box: NDArray[np.int64], node: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every two different nodes in the same container, each pair once (a theme with a child
    only), as `co_mention_edges` joins them."""
    # By container and then by node; the rows come by container, so this is nearly in order
    # already, which the stable sort (Timsort) goes through in little more than one pass.
    member = distinct(box * size + node, kind="stable")
    box, node = member // size, member % size
    if len(member) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = _starts(box)
    sizes = np.diff(np.r_[starts, len(member)])
    # Each member is paired with the members after it in its container.
    place = np.arange(len(member)) - np.repeat(starts, sizes)
    later = np.repeat(sizes, sizes) - 1 - place
    left = np.repeat(np.arange(len(member)), later)
    step = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later)
    a, b = node[left], node[left + 1 + step]
    kind_a, kind_b = kinds[a], kinds[b]
    theme, child = KIND_CODES[THEME], KIND_CODES[EntityType.CHILD]
    keep = ((kind_a != theme) & (kind_b != theme)) | (
        (kind_a == theme) & (kind_b == child) | (kind_a == child) & (kind_b == theme)
    )
    pair = distinct(a[keep] * size + b[keep])  # a < b: nodes are sorted in a container
    return pair // size, pair % size


def _starts(values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Where each run of equal values starts."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, values[1:] != values[:-1]])


def distinct(values: NDArray[np.int64], kind: SortKind = "quicksort") -> NDArray[np.int64]:
    """The distinct values, sorted (sorting is quicker than np.unique's hashing here)."""
    ordered = np.sort(values, kind=kind)
    return ordered[_starts(ordered)]


def _numbered(values: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct values, sorted, and each value's place among them."""
    order = np.argsort(values)
    ordered = values[order]
    starts = _starts(ordered)
    place = np.empty(len(values), dtype=np.int64)
    place[order] = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1 if len(values) else 0
    return ordered[starts], place
