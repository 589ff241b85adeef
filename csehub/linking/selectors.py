"""Reads about links, entities and alerts, always through the asking user's scope.

Only police analysts (VIEW_LINKS, scope ALL) see match results: everyone else gets nothing,
so a partner never learns what their intelligence was linked to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from csehub.access.permissions import Permission, Scope, scope_for
from csehub.accounts.models import User
from csehub.intelligence.models import IntelligenceReport

from .models import (
    Alert,
    AnalystDecision,
    Entity,
    IndexedMention,
    LinkSuggestion,
    MentionEntity,
    ResolutionRun,
    SuggestionStatus,
)


def can_view_links(*, user: User) -> bool:
    return scope_for(user, Permission.VIEW_LINKS) == Scope.ALL and user.agency_id is not None


def can_view_network(*, user: User) -> bool:
    """The alerts, the network views and the MACE list: the CSE team and the MACE panel's
    coordinator (VIEW_NETWORK), who do not open entity pages or the queue."""
    return scope_for(user, Permission.VIEW_NETWORK) == Scope.ALL and user.agency_id is not None


def network_entities_visible_to(*, user: User) -> QuerySet[Entity]:
    """Entities whose network the user may see (the network pages look them up here)."""
    if not can_view_network(user=user):
        return Entity.objects.none()
    return Entity.objects.filter(partnership_id=_partnership_id(user))


def can_decide_links(*, user: User) -> bool:
    return scope_for(user, Permission.DECIDE_LINKS) == Scope.ALL and user.agency_id is not None


def _partnership_id(user: User) -> int:
    return user.partnership_id


def entities_visible_to(*, user: User) -> QuerySet[Entity]:
    if not can_view_links(user=user):
        return Entity.objects.none()
    return Entity.objects.filter(partnership_id=_partnership_id(user))


def suggestions_visible_to(*, user: User) -> QuerySet[LinkSuggestion]:
    if not can_view_links(user=user):
        return LinkSuggestion.objects.none()
    return LinkSuggestion.objects.filter(partnership_id=_partnership_id(user))


def decisions_visible_to(*, user: User) -> QuerySet[AnalystDecision]:
    if not can_view_links(user=user):
        return AnalystDecision.objects.none()
    return AnalystDecision.objects.filter(partnership_id=_partnership_id(user))


def alerts_visible_to(*, user: User) -> QuerySet[Alert]:
    if not can_view_network(user=user):
        return Alert.objects.none()
    return (
        Alert.objects.filter(partnership_id=_partnership_id(user))
        .select_related("entity")
        .prefetch_related("mentions", "seen_by")
    )


@dataclass(frozen=True)
class MentionView:
    """A mention as shown to an analyst: what it is and where it came from."""

    mention_id: str
    entity_type: str
    label: str
    report_id: int | None
    concern_id: int | None
    entity: Entity | None
    assigned_by: str


def _mention_views(mention_ids: list[str]) -> dict[str, MentionView]:
    rows = {r.mention_id: r for r in IndexedMention.objects.filter(mention_id__in=mention_ids)}
    assignments = {
        a.mention_id: a
        for a in MentionEntity.objects.filter(mention_id__in=mention_ids).select_related("entity")
    }
    found = {}
    for mention_id in mention_ids:
        row = rows.get(mention_id)
        assignment = assignments.get(mention_id)
        found[mention_id] = MentionView(
            mention_id=mention_id,
            entity_type=row.get_entity_type_display() if row else "",
            label=row.label if row else mention_id,
            report_id=row.report_id if row else None,
            concern_id=row.concern_id if row else None,
            entity=assignment.entity if assignment else None,
            assigned_by=assignment.get_assigned_by_display() if assignment else "",
        )
    return found


@dataclass(frozen=True)
class LinkView:
    suggestion: LinkSuggestion
    mine: MentionView  # the mention of the report being looked at
    other: MentionView

    @property
    def same_entity(self) -> bool:
        return (
            self.mine.entity is not None
            and self.other.entity is not None
            and self.mine.entity.pk == self.other.entity.pk
        )


def links_for_report(*, user: User, report: IntelligenceReport) -> list[LinkView]:
    """What a report's mentions link to and why, strongest first; empty for non-analysts."""
    if not can_view_links(user=user) or report.partnership_id != _partnership_id(user):
        return []
    ids = [f"{report.external_id}/{m.ref}" for m in report.mentions()]
    suggestions = list(
        suggestions_visible_to(user=user)
        .filter(Q(mention_id__in=ids) | Q(target_mention_id__in=ids))
        .prefetch_related("reasons")
        .order_by("-weight", "pk")
    )
    wanted = {s.mention_id for s in suggestions} | {s.target_mention_id for s in suggestions}
    views = _mention_views(sorted(wanted))
    found = []
    for suggestion in suggestions:
        if suggestion.mention_id in ids:
            mine, other = suggestion.mention_id, suggestion.target_mention_id
        else:
            mine, other = suggestion.target_mention_id, suggestion.mention_id
        found.append(LinkView(suggestion, views[mine], views[other]))
    return found


def pair_views(*, suggestions: list[LinkSuggestion]) -> list[LinkView]:
    """Pairs as the queue shows them: the mention that arrived, then the one it may be."""
    ids = {s.mention_id for s in suggestions} | {s.target_mention_id for s in suggestions}
    views = _mention_views(sorted(ids))
    return [LinkView(s, views[s.mention_id], views[s.target_mention_id]) for s in suggestions]


def entity_mentions(*, entity: Entity) -> list[MentionView]:
    ids = list(entity.assignments.order_by("pk").values_list("mention_id", flat=True))
    return list(_mention_views(ids).values())


def entity_live(*, entity: Entity) -> Entity | None:
    """Where an entity's mentions are now: itself while it holds any, else the live entity its
    successors lead to (A -> B -> C), or None when they stand alone."""
    seen = {entity.pk}
    current: Entity | None = entity
    while current is not None and current.emptied_at is not None:
        if current.successor_id is None or current.successor_id in seen:
            return None
        seen.add(current.successor_id)
        current = Entity.objects.filter(
            pk=current.successor_id, partnership_id=entity.partnership_id
        ).first()
    return current


def entity_decisions(*, entity: Entity) -> QuerySet[AnalystDecision]:
    # Decisions that moved mentions out of it too: an emptied entity lists the merge to undo.
    return (
        AnalystDecision.objects.filter(
            Q(entity=entity) | Q(changes__to_entity=entity) | Q(changes__from_entity=entity)
        )
        .distinct()
        .select_related("actor", "undone_by")
        .order_by("-at", "-pk")
    )


def alerts_unseen_count(*, user: User) -> int:
    return alerts_visible_to(user=user).exclude(seen_by=user).count()


def alert_mentions(*, alert: Alert) -> list[MentionView]:
    ids = list(alert.mentions.values_list("mention_id", flat=True))
    return list(_mention_views(ids).values())


# ---------------------------------------------------------------------------------------------
# What a submitter may learn of their own report's links
# ---------------------------------------------------------------------------------------------

REASON_FIELDS = {
    "plate": "Registration plate",
    "e164": "Phone number",
    "username": "Username",
    "name": "Name",
    "nickname": "Nickname",
    "dob": "Date of birth",
    "age_estimate": "Age",
    "postcode": "Postcode",
    "child_record": "Child's record",
    "context": "Mentioned alongside",
}


@dataclass(frozen=True)
class SubmitterLink:
    """A link as its submitter sees it: their own detail, the kind of thing it matched, whether
    that came from their own agency or another, which fields agreed and the weight. Never the
    other report or concern, its agency, its reference or any of its values."""

    label: str
    entity_type: str
    other_agency: bool
    percent: int
    reasons: tuple[str, ...]


def links_for_submitter(*, user: User, report: IntelligenceReport) -> list[SubmitterLink]:
    """What the details of a report the user shared link to, strongest first.

    The caller has already checked the user may see the report (their own, or their agency's
    for a lead). Rejected links are left out: an analyst has said they are not the same.
    """
    if report.partnership_id != (user.agency.partnership_id if user.agency else None):
        return []
    ids = [f"{report.external_id}/{m.ref}" for m in report.mentions()]
    suggestions = list(
        LinkSuggestion.objects.filter(partnership_id=report.partnership_id)
        .filter(Q(mention_id__in=ids) | Q(target_mention_id__in=ids))
        .exclude(status=SuggestionStatus.REJECTED)
        .prefetch_related("reasons")
        .order_by("-weight", "pk")
    )
    wanted = {s.mention_id for s in suggestions} | {s.target_mention_id for s in suggestions}
    rows = {
        row.mention_id: row
        for row in IndexedMention.objects.filter(mention_id__in=wanted).select_related(
            "report", "concern"
        )
    }
    found = []
    for suggestion in suggestions:
        mine_id, other_id = (
            (suggestion.mention_id, suggestion.target_mention_id)
            if suggestion.mention_id in ids
            else (suggestion.target_mention_id, suggestion.mention_id)
        )
        mine, other = rows.get(mine_id), rows.get(other_id)
        if mine is None or other is None:
            continue
        holder = other.report or other.concern
        found.append(
            SubmitterLink(
                label=mine.label,
                entity_type=other.get_entity_type_display(),
                other_agency=holder is None or holder.agency_id != report.agency_id,
                percent=suggestion.percent,
                reasons=tuple(
                    f"{REASON_FIELDS.get(r.field, r.field.replace('_', ' ').capitalize())}: "
                    f"{r.get_how_display().lower()}"
                    for r in suggestion.reasons.all()
                ),
            )
        )
    return found


@dataclass(frozen=True)
class ReportLinks:
    """How many links a report in the triage inbox has, and the strongest one's weight."""

    count: int
    strongest: int


def links_count_for_reports(*, user: User, report_ids: list[int]) -> dict[int, ReportLinks]:
    """For the triage inbox: each report's suggested and confirmed links, in two queries."""
    if not can_view_links(user=user) or not report_ids:
        return {}
    owners = dict(
        IndexedMention.objects.filter(report_id__in=report_ids).values_list(
            "mention_id", "report_id"
        )
    )
    weights: dict[int, list[float]] = {}
    for one, two, weight in (
        suggestions_visible_to(user=user)
        .filter(Q(mention_id__in=list(owners)) | Q(target_mention_id__in=list(owners)))
        .exclude(status=SuggestionStatus.REJECTED)
        .values_list("mention_id", "target_mention_id", "weight")
    ):
        for report_id in {owners.get(one), owners.get(two)} - {None}:
            weights.setdefault(report_id, []).append(weight)  # type: ignore[arg-type]
    return {
        report_id: ReportLinks(count=len(found), strongest=round(max(found) * 100))
        for report_id, found in weights.items()
    }


def runs_visible_to(*, user: User) -> QuerySet[ResolutionRun]:
    """The batch linking runs (`csehub link run`) of the user's partnership."""
    if not can_view_links(user=user):
        return ResolutionRun.objects.none()
    return ResolutionRun.objects.filter(partnership_id=_partnership_id(user))
