"""Reads of the shared vocabulary. Guidance is the same for every user, so nothing is scoped."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Item, Vocabulary

SEARCH_MAX_WORDS = 8
SEARCH_MAX_RESULTS = 50


def vocabularies() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.order_by("position", "name")


def vocabulary_by_code(code: str) -> Vocabulary | None:
    return Vocabulary.objects.filter(code=code).first()


def items_for(vocabulary: str | Vocabulary, include_retired: bool = False) -> QuerySet[Item]:
    """The items of a vocabulary in their file order; retired ones only when asked for."""
    items = Item.objects.select_related("vocabulary", "parent", "parent__vocabulary")
    if isinstance(vocabulary, Vocabulary):
        items = items.filter(vocabulary=vocabulary)
    else:
        items = items.filter(vocabulary__code=vocabulary)
    if not include_retired:
        items = items.filter(is_retired=False)
    return items.order_by("position")


def item_by_code(vocabulary: str | Vocabulary, code: str) -> Item:
    """One item, retired or not, so records that used a retired code still resolve.

    Raises Item.DoesNotExist when the vocabulary has no item with that code.
    """
    return items_for(vocabulary, include_retired=True).get(code=code)


def children_of(item: Item, include_retired: bool = False) -> QuerySet[Item]:
    children = item.children.select_related("vocabulary")
    if not include_retired:
        children = children.filter(is_retired=False)
    return children.order_by("vocabulary__position", "position")


def current_codes(vocabulary_code: str) -> set[str] | None:
    """Codes of the current items of a vocabulary, or None when it has never been loaded."""
    if not Vocabulary.objects.filter(code=vocabulary_code).exists():
        return None
    return set(
        Item.objects.filter(vocabulary__code=vocabulary_code, is_retired=False).values_list(
            "code", flat=True
        )
    )


def items_search(*, query: str) -> list[Item]:
    """Current items whose label or explanation contains every word of the query."""
    words = query.split()[:SEARCH_MAX_WORDS]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(label__icontains=word) | Q(explanation__icontains=word)
    matches = (
        Item.objects.filter(condition, is_retired=False)
        .select_related("vocabulary")
        .order_by("vocabulary__position", "vocabulary__name", "position")
    )
    return list(matches[:SEARCH_MAX_RESULTS])
