"""Reads for the analysts' queue of possible links: open pairs, grouped by what they would join.

A group is every open "possibly the same" pair whose known mention is in one entity (so that
confirming them all joins their mentions to that entity), or, when the known mention is in no
entity, every open pair to that mention. Groups come most at stake first: a person on the MACE
list, then a child involved (a pair about children, or a report or concern of the pair that
names a child), then the strongest pair.

The queue is tallied from a few set-based queries (the open pairs, the entities of their known
mentions, the mentions in a report or concern naming a child) and grouped here: one pass,
where grouping in SQL needs a lookup per pair for each of those, and a second pass to count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload

from django.db.models import QuerySet

from csehub.accounts.models import User
from csehub.mace import selectors as mace_selectors

from . import selectors
from .models import (
    ENTITY_PREFIX,
    Entity,
    EntityType,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)

# What a group's address says after /linking/possible/: an entity's reference, or
# "mention/<mention id>" for a known mention in no entity.
MENTION_REF = "mention/"
_ENTITY_REF = re.compile(r"^([A-Z])-(\d{1,12})$")


class Stakes:
    """The queue's "what is at stake" filter."""

    MACE = "mace"
    CHILD = "child"


@dataclass(frozen=True)
class GroupKey:
    """What a group's pairs would join mentions to: an entity, or a known mention in none."""

    entity_id: int | None = None
    mention_id: str = ""


def group_key_from_ref(ref: str) -> GroupKey | None:
    """The group a queue address names ("P-000042", "mention/R-1/p1"), or None if it names none."""
    if ref.startswith(MENTION_REF):
        mention_id = ref.removeprefix(MENTION_REF)
        return GroupKey(mention_id=mention_id) if mention_id else None
    match = _ENTITY_REF.match(ref)
    if match is None or match[1] not in ENTITY_PREFIX.values():
        return None
    return GroupKey(entity_id=int(match[2]))


@dataclass
class _Tally:
    """A group's figures, added up pair by pair."""

    entity_type: str
    pairs: int
    strongest: float
    first_pair_id: int
    child: bool
    mace: bool

    def add(self, *, pk: int, weight: float, child: bool, mace: bool) -> None:
        self.pairs += 1
        self.strongest = max(self.strongest, weight)
        self.first_pair_id = min(self.first_pair_id, pk)
        self.child = self.child or child
        self.mace = self.mace or mace

    def rank(self) -> tuple[bool, bool, float, int]:
        """Sorts most at stake first, then strongest, then oldest."""
        return (not self.mace, not self.child, -self.strongest, self.first_pair_id)


@dataclass(frozen=True)
class PossibleGroup:
    """One group as the queue shows it."""

    key: GroupKey
    entity: Entity | None  # the entity, for an entity's group
    label: str  # the entity's label, or the lone known mention's
    entity_type: str
    pairs: int
    strongest: float
    child: bool
    mace: bool
    first_pair_id: int  # the group's oldest open pair (how the audit event names the group)

    @property
    def ref(self) -> str:
        """The group's address after /linking/possible/."""
        if self.entity is not None:
            return self.entity.reference
        return f"{MENTION_REF}{self.key.mention_id}"

    @property
    def name(self) -> str:
        """How the page names the group: the entity's reference, or the known mention's id."""
        return self.entity.reference if self.entity is not None else self.key.mention_id

    @property
    def strongest_percent(self) -> int:
        return round(self.strongest * 100)

    @property
    def entity_type_display(self) -> str:
        return str(EntityType(self.entity_type).label)


# ---------------------------------------------------------------------------------------------
# Tallying the open pairs into groups
# ---------------------------------------------------------------------------------------------


def open_pairs_visible_to(*, user: User) -> QuerySet[LinkSuggestion]:
    """Every open "possibly the same" pair the user may decide (none for partners)."""
    return selectors.suggestions_visible_to(user=user).filter(status=SuggestionStatus.SUGGESTED)


def _naming_a_child(*, user: User, pairs: QuerySet[LinkSuggestion]) -> set[str]:
    """The pairs' mentions whose report or concern also names a child."""
    mentions = IndexedMention.objects.filter(partnership_id=user.partnership_id).order_by()
    beside_a_child = mentions.filter(
        container__in=mentions.filter(entity_type=EntityType.CHILD).values("container")
    )
    found: set[str] = set()
    for side in ("mention_id", "target_mention_id"):
        found.update(
            beside_a_child.filter(mention_id__in=pairs.values(side)).values_list(
                "mention_id", flat=True
            )
        )
    return found


def _in_listed_entities(*, user: User) -> set[str]:
    """The mentions of the persons on the partnership's MACE list now (a short list)."""
    listed = (
        mace_selectors.listings_visible_to(user=user)
        .filter(removed_at__isnull=True)
        .values("entity_id")
    )
    return set(
        MentionEntity.objects.filter(entity_id__in=listed).values_list("mention_id", flat=True)
    )


def _tallies(*, user: User, pairs: QuerySet[LinkSuggestion]) -> dict[GroupKey, _Tally]:
    """Each group of `pairs` (open pairs the user may see) with its figures."""
    pairs = pairs.order_by()
    rows = list(pairs.values_list("pk", "entity_type", "weight", "mention_id", "target_mention_id"))
    if not rows:
        return {}
    entity_of = dict(
        MentionEntity.objects.filter(mention_id__in=pairs.values("target_mention_id")).values_list(
            "mention_id", "entity_id"
        )
    )
    with_child = _naming_a_child(user=user, pairs=pairs)
    # A listed person on either side is at stake, whichever side would join which.
    listed = _in_listed_entities(user=user)
    tallies: dict[GroupKey, _Tally] = {}
    for pk, entity_type, weight, mention_id, known_id in rows:
        entity_id = entity_of.get(known_id)
        key = GroupKey(entity_id=entity_id, mention_id="" if entity_id else known_id)
        child = (
            entity_type == EntityType.CHILD or mention_id in with_child or known_id in with_child
        )
        mace = mention_id in listed or known_id in listed
        tally = tallies.get(key)
        if tally is None:
            tallies[key] = _Tally(entity_type, 1, weight, pk, child, mace)
        else:
            tally.add(pk=pk, weight=weight, child=child, mace=mace)
    return tallies


def _shown(items: list[tuple[GroupKey, _Tally]]) -> list[PossibleGroup]:
    """Groups as shown: their entities, and lone mentions' labels, fetched once for the page."""
    entities = Entity.objects.in_bulk([key.entity_id for key, _ in items if key.entity_id])
    labels = dict(
        IndexedMention.objects.filter(
            mention_id__in=[key.mention_id for key, _ in items if key.mention_id]
        ).values_list("mention_id", "label")
    )
    found = []
    for key, tally in items:
        entity = entities.get(key.entity_id) if key.entity_id else None
        found.append(
            PossibleGroup(
                key=key,
                entity=entity,
                label=entity.label if entity else labels.get(key.mention_id, key.mention_id),
                entity_type=entity.entity_type if entity else tally.entity_type,
                pairs=tally.pairs,
                strongest=tally.strongest,
                child=tally.child,
                mace=tally.mace,
                first_pair_id=tally.first_pair_id,
            )
        )
    return found


# ---------------------------------------------------------------------------------------------
# The queue
# ---------------------------------------------------------------------------------------------


class PossibleQueue(Sequence[LinkSuggestion]):
    """The queue, one group per row, as `access.reads.audited_page` pages it.

    The shared paginator audits a page by its records' ids, and a group is not a record: each
    row is the group's oldest open pair, which names the group in the audit event (its known
    mention leads to the entity or mention), and `groups()` gives a page's groups. Entities,
    labels and the pairs themselves are fetched only for the page shown.
    """

    def __init__(self, items: list[tuple[GroupKey, _Tally]]) -> None:
        self._items = items
        self._shown: dict[int, PossibleGroup] = {}

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> LinkSuggestion: ...

    @overload
    def __getitem__(self, index: slice) -> list[LinkSuggestion]: ...

    def __getitem__(self, index: int | slice) -> LinkSuggestion | list[LinkSuggestion]:
        if isinstance(index, int):
            at = range(len(self))[index]  # IndexError past either end, as a list would
            return self[at : at + 1][0]
        groups = _shown(self._items[index])
        firsts = LinkSuggestion.objects.in_bulk([g.first_pair_id for g in groups])
        self._shown.update({g.first_pair_id: g for g in groups})
        return [firsts[g.first_pair_id] for g in groups]

    def __iter__(self) -> Iterator[LinkSuggestion]:
        return iter(self[:])

    def groups(self, rows: list[LinkSuggestion]) -> list[PossibleGroup]:
        """The groups of rows this queue gave (a page of `audited_page`)."""
        return [self._shown[row.pk] for row in rows]

    def pairs_count(self) -> int:
        """How many open pairs the groups hold together."""
        return sum(tally.pairs for _, tally in self._items)


def possible_queue(*, user: User, entity_type: str = "", stakes: str = "") -> PossibleQueue:
    """The user's queue: groups of one entity type, or only those with something at stake, if
    asked; most at stake first, then strongest."""
    pairs = open_pairs_visible_to(user=user)
    if entity_type:
        pairs = pairs.filter(entity_type=entity_type)
    items = list(_tallies(user=user, pairs=pairs).items())
    if stakes == Stakes.MACE:
        items = [item for item in items if item[1].mace]
    elif stakes == Stakes.CHILD:
        items = [item for item in items if item[1].child]
    return PossibleQueue(sorted(items, key=lambda item: item[1].rank()))


# ---------------------------------------------------------------------------------------------
# One group
# ---------------------------------------------------------------------------------------------


def group_pairs(*, user: User, key: GroupKey) -> QuerySet[LinkSuggestion]:
    """The group's open pairs, strongest first, with their reasons."""
    pairs = open_pairs_visible_to(user=user)
    if key.entity_id is not None:
        in_entity = MentionEntity.objects.filter(entity_id=key.entity_id).values("mention_id")
        pairs = pairs.filter(target_mention_id__in=in_entity)
    else:
        placed = MentionEntity.objects.filter(mention_id=key.mention_id).values("mention_id")
        pairs = pairs.filter(target_mention_id=key.mention_id).exclude(target_mention_id__in=placed)
    return pairs.prefetch_related("reasons").order_by("-weight", "pk")


def possible_group(*, user: User, key: GroupKey) -> PossibleGroup | None:
    """The group's figures, or None when it has no open pair the user may see."""
    tally = _tallies(user=user, pairs=group_pairs(user=user, key=key)).get(key)
    return _shown([(key, tally)])[0] if tally is not None else None
