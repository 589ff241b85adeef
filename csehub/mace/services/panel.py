"""The MACE panel: its members, meetings, agenda, what it records and the actions it agrees.

The MACE coordinator runs the panel (`RUN_MACE_PANEL`): adds and ends memberships, creates
meetings, adds items by hand, records each item and agrees actions. A case meeting's agenda is
built from what CSE Hub knows when the meeting is created (`agenda_sources`); items can be
added by hand at any time. Every write is audited with ids and codes only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from csehub.access.permissions import Permission, has_permission
from csehub.accounts.models import Agency, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.children.models import Child
from csehub.concerns.models import RiskAssessment, RiskLevel
from csehub.linking.models import Alert, AlertKind, AlertMention, IndexedMention
from csehub.missing.selectors import children_going_missing_more

from ..models import (
    ActionKind,
    ActionStatus,
    AgendaItem,
    DisruptionAction,
    ItemSource,
    Meeting,
    MeetingKind,
    Panel,
    PanelMembership,
)

# With no earlier meeting, a first agenda looks back this far for new links and mentions.
FIRST_LOOK_BACK = dt.timedelta(days=31)
AT_RISK = (RiskLevel.SIGNIFICANT_RISK, RiskLevel.HIGH_RISK)


def _check(actor: User, panel: Panel) -> None:
    if (
        not has_permission(actor, Permission.RUN_MACE_PANEL)
        or panel.partnership_id != actor.partnership_id
    ):
        raise PermissionDenied("Only the MACE coordinator runs the panel")


# ---------------------------------------------------------------------------------------------
# The panel and its members
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def panel_create(*, actor: User, name: str) -> Panel:
    """A panel for the actor's partnership; the MACE coordinator who sets it up sits on it."""
    if not has_permission(actor, Permission.RUN_MACE_PANEL) or actor.partnership_id is None:
        raise PermissionDenied("Only the MACE coordinator runs the panel")
    if not name.strip():
        raise ValidationError({"name": "Enter the panel's name"})
    if Panel.objects.filter(partnership_id=actor.partnership_id, name=name.strip()).exists():
        raise ValidationError({"name": "There is already a panel with that name"})
    panel = Panel.objects.create(partnership_id=actor.partnership_id, name=name.strip())
    PanelMembership.objects.create(panel=panel, user=actor)
    audit_record(actor=actor, verb=Verb.CREATED, target_type="panel", target_id=panel.pk)
    return panel


@transaction.atomic
def panel_member_add(*, actor: User, panel: Panel, member: User) -> PanelMembership:
    _check(actor, panel)
    if member.partnership_id != panel.partnership_id or not member.is_active:
        raise ValidationError("Only an active user of this partnership can sit on its panel")
    if PanelMembership.objects.filter(panel=panel, user=member, left_at__isnull=True).exists():
        raise ValidationError(f"{member.full_name} already sits on the panel")
    membership = PanelMembership.objects.create(panel=panel, user=member)
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="panel_membership",
        target_id=membership.pk,
        detail={"panel": panel.pk, "user": member.pk},
    )
    return membership


@transaction.atomic
def panel_member_end(*, actor: User, membership: PanelMembership) -> PanelMembership:
    membership = (
        PanelMembership.objects.select_for_update().select_related("panel").get(pk=membership.pk)
    )
    _check(actor, membership.panel)
    if membership.left_at is not None:
        raise ValidationError("This membership has already ended")
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="panel_membership",
        target_id=membership.pk,
        detail={"action": "ended"},
    )
    return membership


# ---------------------------------------------------------------------------------------------
# The agenda: what CSE Hub knows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposed:
    source: ItemSource
    title: str
    why: str
    child: Child | None = None
    entity_id: int | None = None
    alert: Alert | None = None
    action: DisruptionAction | None = None

    @property
    def key(self) -> tuple[str, int | None, int | None, int | None]:
        # Each overdue action is its own item, even when two are about the same child.
        return (
            self.source,
            self.child.pk if self.child else None,
            self.entity_id,
            self.action.pk if self.action else None,
        )


def _overdue_actions(panel: Panel, on: dt.date) -> list[Proposed]:
    found = DisruptionAction.objects.filter(
        partnership_id=panel.partnership_id, status=ActionStatus.OPEN, due_on__lt=on
    ).select_related("agreed_at__child", "owner", "agency")
    return [
        Proposed(
            ItemSource.OVERDUE_ACTION,
            f"Overdue: {action.get_kind_display().lower()}, due {action.due_on:%d/%m/%Y}",
            f"Agreed for {action.owner.full_name} ({action.agency}); still open",
            child=action.agreed_at.child,
            action=action,
        )
        for action in found
    ]


def _children_at_risk(panel: Panel) -> list[Proposed]:
    """Children whose latest risk assessment, with any professional judgement, is at
    significant or high risk."""
    latest = RiskAssessment.objects.filter(concern__child=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    children = (
        Child.objects.filter(partnership_id=panel.partnership_id)
        .annotate(
            computed=Subquery(latest.values("computed_level")[:1]),
            judged=Subquery(latest.values("judgement_level")[:1]),
        )
        .order_by("family_name", "given_name", "pk")
    )
    found = []
    for child in children:
        level = child.judged or child.computed
        if level in AT_RISK:
            label = RiskLevel(level).label
            found.append(
                Proposed(
                    ItemSource.CHILD_AT_RISK,
                    f"{child.display_name}: {label.lower()}",
                    f"Latest risk assessment: {label.lower()}",
                    child=child,
                )
            )
    return found


def _since(panel: Panel, on: dt.date) -> dt.datetime:
    previous = Meeting.objects.filter(panel=panel, held_on__lt=on).aggregate(last=Max("held_on"))[
        "last"
    ]
    if previous is None:
        return timezone.now() - FIRST_LOOK_BACK
    return timezone.make_aware(dt.datetime.combine(previous, dt.time()))


def _children_of_alert(alert: Alert) -> list[Child]:
    """The children with a record in the reports and concerns an alert's new mentions are in."""
    mention_ids = AlertMention.objects.filter(alert=alert).values("mention_id")
    containers = IndexedMention.objects.filter(mention_id__in=mention_ids).values("container")
    linked = IndexedMention.objects.filter(
        container__in=containers, child_record__isnull=False
    ).values("child_record_id")
    return list(Child.objects.filter(pk__in=linked).order_by("family_name", "given_name", "pk"))


def _links(count: int) -> str:
    return "new links" if count > 1 else "new link"


def _new_links(panel: Panel, since: dt.datetime) -> list[Proposed]:
    """One item per child with a record that new links reached (naming each vehicle, phone,
    place or person and the first alert), one per link that reached no child with a record,
    and one per MACE-listed person with new mentions."""
    alerts = Alert.objects.filter(
        partnership_id=panel.partnership_id, created_at__gte=since
    ).select_related("entity")
    found: list[Proposed] = []
    by_child: dict[int, tuple[Child, list[Alert]]] = {}
    for alert in alerts.order_by("created_at", "pk"):
        what = alert.entity.get_entity_type_display().lower()
        day = f"{timezone.localtime(alert.created_at):%d/%m/%Y}"
        if alert.kind == AlertKind.LINKS_MACE_PERSON:
            found.append(
                Proposed(
                    ItemSource.LISTED_PERSON,
                    f"{alert.entity.label} ({alert.entity.reference}): new mentions",
                    f"A person on the MACE list was linked to new intelligence on {day}",
                    entity_id=alert.entity_id,
                    alert=alert,
                )
            )
            continue
        children = _children_of_alert(alert)
        if not children:
            found.append(
                Proposed(
                    ItemSource.NEW_LINK,
                    f"The {what} {alert.entity.label}: linked to {alert.children_linked} children",
                    f"The linking engine joined the {what} {alert.entity.reference} on {day}",
                    entity_id=alert.entity_id,
                    alert=alert,
                )
            )
        for child in children:
            by_child.setdefault(child.pk, (child, []))[1].append(alert)
    for child, reached in by_child.values():
        through = ", ".join(
            f"the {a.entity.get_entity_type_display().lower()} {a.entity.label}" for a in reached
        )
        refs = ", ".join(a.entity.reference for a in reached)
        found.append(
            Proposed(
                ItemSource.NEW_LINK,
                f"{child.display_name}: {_links(len(reached))} through {through}",
                f"The linking engine joined {refs} to another child since the last meeting",
                child=child,
                entity_id=reached[0].entity_id if len(reached) == 1 else None,
                alert=reached[0],
            )
        )
    return found


def _missing_more(actor: User) -> list[Proposed]:
    return [
        Proposed(
            ItemSource.MISSING_MORE,
            f"{pattern.child.display_name}: going missing more often",
            f"{pattern.counts.last_30_days} episodes in the last 30 days, "
            f"{pattern.counts.previous_30_days} in the 30 days before",
            child=pattern.child,
        )
        for pattern in children_going_missing_more(user=actor)
    ]


def agenda_sources(*, actor: User, panel: Panel, kind: MeetingKind, on: dt.date) -> list[Proposed]:
    """What CSE Hub proposes for a meeting's agenda, in agenda order, one item per child (or
    person) and reason. A strategic meeting gets the overdue actions; its themes are added by
    hand."""
    proposed = _overdue_actions(panel, on)
    if kind == MeetingKind.CASE:
        since = _since(panel, on)
        proposed += _children_at_risk(panel) + _new_links(panel, since) + _missing_more(actor)
    seen: set[tuple[str, int | None, int | None, int | None]] = set()
    unique = []
    for item in proposed:
        if item.key not in seen:
            seen.add(item.key)
            unique.append(item)
    return unique


@transaction.atomic
def meeting_create(
    *, actor: User, panel: Panel, kind: str, held_on: dt.date, build_agenda: bool = True
) -> Meeting:
    """A meeting, with its agenda built from what CSE Hub knows now (or, for a meeting
    recorded after it was held, an empty agenda to add its items to by hand)."""
    _check(actor, panel)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "Choose a case meeting or a strategic meeting"})
    meeting = Meeting(panel=panel, kind=kind, held_on=held_on, created_by=actor)
    meeting.full_clean()
    meeting.save()
    proposed = (
        agenda_sources(actor=actor, panel=panel, kind=MeetingKind(kind), on=held_on)
        if build_agenda
        else []
    )
    for position, item in enumerate(proposed, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            source=item.source,
            title=item.title[:300],
            why=item.why[:500],
            child=item.child,
            entity_id=item.entity_id,
            alert=item.alert,
            action=item.action,
        )
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="panel_meeting",
        target_id=meeting.pk,
        detail={"panel": panel.pk, "kind": kind, "items": meeting.items.count()},
    )
    return meeting


@transaction.atomic
def agenda_item_add(
    *, actor: User, meeting: Meeting, title: str, child: Child | None = None
) -> AgendaItem:
    """An item added by hand: a theme, a place, or a child CSE Hub did not surface."""
    meeting = Meeting.objects.select_for_update().select_related("panel").get(pk=meeting.pk)
    _check(actor, meeting.panel)
    if not title.strip():
        raise ValidationError({"title": "Say what the item is about"})
    if child is not None and child.partnership_id != meeting.panel.partnership_id:
        raise PermissionDenied("The child belongs to another partnership")
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=last + 1,
        source=ItemSource.BY_HAND,
        title=title.strip(),
        child=child,
        added_by=actor,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="agenda_item",
        target_id=item.pk,
        child=child.pk if child else None,
        detail={"meeting": meeting.pk},
    )
    return item


@dataclass(frozen=True)
class ItemRecord:
    """What the panel recorded about an item: VOLT, the decisions and the minutes."""

    victim: str = ""
    offender: str = ""
    location: str = ""
    theme: str = ""
    decisions: str = ""
    minutes: str = ""


@transaction.atomic
def agenda_item_record(*, actor: User, item: AgendaItem, record: ItemRecord) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().select_related("meeting__panel").get(pk=item.pk)
    _check(actor, item.meeting.panel)
    if not any(value.strip() for value in vars(record).values()):
        raise ValidationError(
            "Record at least one of the VOLT summary, the decisions or the minutes"
        )
    for name, value in vars(record).items():
        setattr(item, name, value.strip())
    item.recorded_at = timezone.now()
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="agenda_item",
        target_id=item.pk,
        child=item.child_id,
        detail={"meeting": item.meeting_id, "action": "recorded"},
    )
    return item


@dataclass(frozen=True)
class ActionDetails:
    kind: str
    description: str
    owner: User
    agency: Agency
    due_on: dt.date
    served_on: dt.date | None = None
    expires_on: dt.date | None = None


@transaction.atomic
def action_agree(*, actor: User, item: AgendaItem, details: ActionDetails) -> DisruptionAction:
    """An action the panel agreed on an item: who, which agency, what, and by when."""
    item = AgendaItem.objects.select_related("meeting__panel").get(pk=item.pk)
    panel = item.meeting.panel
    _check(actor, panel)
    errors: dict[str, str] = {}
    if details.kind not in ActionKind.values:
        errors["kind"] = "Choose what kind of action it is"
    if not details.description.strip():
        errors["description"] = "Say what will be done"
    if details.owner.partnership_id != panel.partnership_id or not details.owner.is_active:
        errors["owner"] = "The owner must be an active user of this partnership"
    if details.agency.partnership_id != panel.partnership_id:
        errors["agency"] = "The agency must be one of this partnership's"
    if details.expires_on is not None and details.served_on is None:
        errors["served_on"] = "Enter the date the notice was served"
    if errors:
        raise ValidationError(errors)
    action = DisruptionAction(
        partnership_id=panel.partnership_id,
        agreed_at=item,
        kind=details.kind,
        description=details.description.strip(),
        owner=details.owner,
        agency=details.agency,
        due_on=details.due_on,
        served_on=details.served_on,
        expires_on=details.expires_on,
    )
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="disruption_action",
        target_id=action.pk,
        child=item.child_id,
        detail={"item": item.pk, "kind": details.kind},
    )
    return action


@transaction.atomic
def action_close(*, actor: User, action: DisruptionAction, status: str) -> DisruptionAction:
    action = (
        DisruptionAction.objects.select_for_update()
        .select_related("agreed_at__meeting__panel")
        .get(pk=action.pk)
    )
    _check(actor, action.agreed_at.meeting.panel)
    if status not in (ActionStatus.DONE, ActionStatus.DROPPED):
        raise ValidationError({"status": "Choose done or no longer needed"})
    if action.status != ActionStatus.OPEN:
        raise ValidationError("This action has already been closed")
    action.status, action.closed_at = status, timezone.now()
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="disruption_action",
        target_id=action.pk,
        child=action.agreed_at.child_id,
        detail={"status": status},
    )
    return action
