"""`csehub link export --with-possible FILE.csv`: the open "possibly the same" pairs.

Beside the resolved entities (`links_export`), a partner or an analyst's tool may want what the
engine left for people to judge: each open pair with its weight and the entities the two
mentions are in now, strongest first. Pairs an analyst has decided, and pairs the engine
resolved, are not open and are not written.
"""

from __future__ import annotations

import csv
from typing import IO

from django.db import transaction

from csehub.accounts.models import Partnership
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import ENTITY_PREFIX, LinkSuggestion, MentionEntity, SuggestionStatus

POSSIBLE_HEADER = [
    "mention_id",
    "other_mention_id",
    "entity_type",
    "weight",
    "entity_id",
    "other_entity_id",
    "reasons",
]


def possible_pairs_export(*, partnership: Partnership, output: IO[str]) -> int:
    """Write the open possible pairs as CSV; returns how many were written.

    `entity_id` is the entity the mention is in now, blank when it stands alone; `reasons`
    lists each comparison as `field:how`, separated by `;`.
    """
    pairs = (
        LinkSuggestion.objects.filter(partnership=partnership, status=SuggestionStatus.SUGGESTED)
        .order_by("-weight", "pk")
        .prefetch_related("reasons")
    )
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(POSSIBLE_HEADER)
    count = 0
    for start in range(0, pairs.count(), 5000):
        chunk = list(pairs[start : start + 5000])
        ids = {p.mention_id for p in chunk} | {p.target_mention_id for p in chunk}
        entities = {
            mention_id: f"{ENTITY_PREFIX[kind]}-{pk:06d}"
            for mention_id, kind, pk in MentionEntity.objects.filter(
                mention_id__in=ids, entity__partnership=partnership
            ).values_list("mention_id", "entity__entity_type", "entity_id")
        }
        for pair in chunk:
            writer.writerow(
                [
                    pair.mention_id,
                    pair.target_mention_id,
                    pair.entity_type,
                    f"{pair.weight:.3f}",
                    entities.get(pair.mention_id, ""),
                    entities.get(pair.target_mention_id, ""),
                    ";".join(f"{r.field}:{r.how}" for r in pair.reasons.all()),
                ]
            )
            count += 1
    with transaction.atomic():
        audit_record(
            actor=None,
            verb=Verb.EXPORTED,
            target_type="link_possible_export",
            target_id=partnership.slug,
            partnership=partnership,
            detail={"pairs": count},
        )
    return count
