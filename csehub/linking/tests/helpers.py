"""Reports for the linking tests, imported through the intelligence app's own import."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Q

from csehub.accounts.models import Partnership
from csehub.intelligence import services
from csehub.intelligence.models import IntelligenceReport
from csehub.linking.models import (
    IndexedMention,
    LinkReason,
    LinkSuggestion,
    MentionEntity,
    SuggestionStatus,
)


def report_import(partnership: Partnership, report_id: str, **lists: Any) -> IntelligenceReport:
    line = {"id": report_id, "source": "Fernbridge Youth Service", "text": "Test.", **lists}
    summary = services.reports_import(lines=[json.dumps(line)], partnership=partnership)
    assert summary.imported + summary.updated == 1, summary.skipped
    return IntelligenceReport.objects.get(partnership=partnership, external_id=report_id)


def possible_pair(
    mention_id: str,
    target_mention_id: str,
    weight: float,
    *,
    field: str = "name",
    how: str = "fuzzy_name",
    detail: str = "",
) -> LinkSuggestion:
    """A pair left open for an analyst, as the engine stores one, between two imported mentions.

    Tests of the queue set their pairs and weights here rather than rely on where the engine's
    thresholds fall today; any pair the engine made between the two is replaced."""
    known = IndexedMention.objects.get(mention_id=target_mention_id)
    entity = MentionEntity.objects.filter(mention_id=target_mention_id).first()
    LinkSuggestion.objects.filter(
        Q(mention_id=mention_id, target_mention_id=target_mention_id)
        | Q(mention_id=target_mention_id, target_mention_id=mention_id)
    ).delete()
    pair = LinkSuggestion.objects.create(
        partnership_id=known.partnership_id,
        entity_type=known.entity_type,
        mention_id=mention_id,
        target_mention_id=target_mention_id,
        target_entity=entity.entity if entity else None,
        weight=weight,
        status=SuggestionStatus.SUGGESTED,
    )
    LinkReason.objects.create(
        suggestion=pair, field=field, how=how, detail=detail, contribution=weight
    )
    return pair
