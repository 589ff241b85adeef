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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import QuerySet

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

    def _members(self, rows: QuerySet[IndexedMention]) -> list[Member]:
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
        for mention_id, container, kind, record, label in values:
            entity_id = assigned.get(mention_id)
            if entity_id is not None:
                kind, label = entities[entity_id]
                reference = f"{ENTITY_PREFIX.get(kind, 'E')}-{entity_id:06d}"
            elif kind == EntityType.CHILD and record is not None:
                reference = f"Child record {record}"
            else:
                reference = mention_id
            members.append(
                Member(
                    container=container,
                    mention_id=mention_id,
                    key=node_key(
                        mention_id=mention_id, entity_id=entity_id, child_record_id=record
                    ),
                    kind=kind,
                    label=label,
                    reference=reference,
                    entity_id=entity_id,
                )
            )
        return members + self._themes({m.container for m in members})

    def _themes(self, containers: set[str]) -> list[Member]:
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
        return [
            Member(
                container=f"{CONCERN_PREFIX}{concern_id}",
                mention_id=f"{CONCERN_PREFIX}{concern_id}/theme-{code}",
                key=f"T{code}",
                kind=THEME,
                label=label,
                reference=label,
            )
            for concern_id, code, label in sorted(ticked)
        ]

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

    def members_all(self) -> list[Member]:
        return self._members(self._mentions())

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


def whole_network_edges(
    members: Iterable[Member],
) -> tuple[Mapping[str, Member], list[Edge]]:
    """Every node (one member each) and every edge, for the measures."""
    listed = list(members)
    first: dict[str, Member] = {}
    for member in listed:
        first.setdefault(member.key, member)
    return first, co_mention_edges(listed)
