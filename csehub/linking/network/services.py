"""Audit events for looking at and exporting the network (ids and codes only)."""

from __future__ import annotations

from django.db import transaction

from csehub.accounts.models import User
from csehub.audit.models import AuditEvent, Verb
from csehub.audit.services import audit_record


@transaction.atomic
def network_view_record(*, actor: User, entity_id: int, depth: int, nodes: int) -> AuditEvent:
    return audit_record(
        actor=actor,
        verb=Verb.VIEWED,
        target_type="link_network",
        target_id=entity_id,
        detail={"depth": depth, "nodes": nodes},
    )


@transaction.atomic
def network_export_record(
    *, actor: User, entity_id: int, depth: int, export_format: str, rows: int
) -> AuditEvent:
    return audit_record(
        actor=actor,
        verb=Verb.EXPORTED,
        target_type="link_network",
        target_id=entity_id,
        detail={"depth": depth, "format": export_format, "rows": rows},
    )


@transaction.atomic
def measures_view_record(*, actor: User, hubs: int, groups: int, hotspots: int) -> AuditEvent:
    return audit_record(
        actor=actor,
        verb=Verb.VIEWED,
        target_type="link_measures",
        detail={"hubs": hubs, "groups": groups, "hotspots": hotspots},
    )


@transaction.atomic
def network_map_view_record(
    *, actor: User, entity_id: int, depth: int, places: int, shown: int
) -> AuditEvent:
    """The map of a network's places was looked at: how many places, how many drawn."""
    return audit_record(
        actor=actor,
        verb=Verb.VIEWED,
        target_type="link_network",
        target_id=entity_id,
        detail={"depth": depth, "view": "map", "places": places, "shown": shown},
    )
