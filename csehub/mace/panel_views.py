"""The MACE panel's pages: meetings and their agenda for members; running the panel (members,
meetings, items, records, actions and the MACE list decisions) for the MACE coordinator."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csehub.access.lookups import object_for_user_or_none
from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_record_or_404, record_or_404_unaudited
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.audit.services import list_view_record
from csehub.govuk_forms import service_errors_onto
from csehub.linking import selectors as linking_selectors
from csehub.linking.models import Entity, EntityType

from . import selectors, services
from .forms import (
    ActionForm,
    ItemAddForm,
    ItemRecordForm,
    ListingDecision,
    MeetingForm,
    MeetingListingForm,
    MemberAddForm,
)
from .models import ActionStatus, AgendaItem, DisruptionAction, MaceListing, Meeting, Panel


@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    found = list(selectors.meetings_visible_to(user=user).order_by("-held_on", "-pk"))
    if found:
        list_view_record(actor=user, target_type="panel_meeting", ids=[m.pk for m in found])
    return render(
        request,
        "mace/panel/meetings.html",
        {
            "meetings": found,
            "panels": list(selectors.panels_visible_to(user=user)),
            "runs": has_permission(user, Permission.RUN_MACE_PANEL),
            "sees_list": linking_selectors.can_view_network(user=user),
        },
    )


@require_POST
def panel_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    name = f"{user.partnership} MACE panel" if user.partnership else "MACE panel"
    try:
        services.panel_create(actor=user, name=name)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("mace:meetings")


def _panel(user: User, pk: int) -> Panel:
    return audited_record_or_404(
        user=user,
        visible=selectors.panels_visible_to(user=user),
        pk=pk,
        target_type="panel",
        child_of=lambda panel: None,
    )


@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    panel = _panel(user, pk)
    form = MemberAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        member = selectors.partnership_user_by_email(
            partnership_id=panel.partnership_id, email=form.cleaned_data["email"]
        )
        if member is None:
            form.add_error("email", "No one in this partnership has that email address")
        else:
            try:
                services.panel_member_add(actor=user, panel=panel, member=member)
            except ValidationError as error:
                form.add_error("email", error.messages)
            else:
                messages.success(request, f"{member.full_name} now sits on the panel")
                return redirect("mace:members", pk=panel.pk)
    return render(
        request,
        "mace/panel/members.html",
        {
            "panel": panel,
            "form": form,
            "memberships": panel.memberships.filter(left_at__isnull=True).select_related(
                "user", "user__agency"
            ),
        },
    )


@require_POST
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    membership = record_or_404_unaudited(
        user=user,
        visible=selectors.memberships_runnable_by(user=user),
        pk=pk,
        target_type="panel_membership",
    )
    try:
        services.panel_member_end(actor=user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user.full_name} no longer sits on the panel")
    return redirect("mace:members", pk=membership.panel_id)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    panel = _panel(user, pk)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=user,
                panel=panel,
                kind=form.cleaned_data["kind"],
                held_on=form.cleaned_data["held_on"],
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request,
                f"The meeting has been set up with {meeting.items.count()} items from what "
                "CSE Hub knows. Add others by hand below.",
            )
            return redirect("mace:meeting", pk=meeting.pk)
    return render(request, "mace/panel/meeting_form.html", {"panel": panel, "form": form})


def _meeting(user: User, pk: int) -> Meeting:
    return audited_record_or_404(
        user=user,
        visible=selectors.meetings_visible_to(user=user),
        pk=pk,
        target_type="panel_meeting",
        child_of=lambda meeting: None,
    )


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    person: bool  # about a person of concern, who can be put on the MACE list or taken off it
    listing: MaceListing | None  # their listing now, if they are on the list


@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda, with what was recorded; the coordinator adds items by hand here."""
    user = request_user(request)
    found = _meeting(user, pk)
    runs = has_permission(user, Permission.RUN_MACE_PANEL)
    form = ItemAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not runs:
            raise PermissionDenied("Only the MACE coordinator adds items")
        if form.is_valid():
            try:
                services.agenda_item_add(
                    actor=user, meeting=found, title=form.cleaned_data["title"]
                )
            except ValidationError as error:
                service_errors_onto(form, error)
            else:
                messages.success(request, "The item has been added to the agenda")
                return redirect("mace:meeting", pk=found.pk)
    items = list(
        selectors.agenda_items_visible_to(user=user)
        .filter(meeting=found)
        .prefetch_related("actions_agreed__owner", "actions_agreed__agency")
        .order_by("position")
    )
    children = sorted({item.child_id for item in items if item.child_id})
    if children:
        list_view_record(actor=user, target_type="child", ids=children)
    persons = {
        item.entity.pk
        for item in items
        if item.entity is not None and item.entity.entity_type == EntityType.PERSON
    }
    listed = selectors.current_listings_visible_to(user=user, entity_ids=persons)
    agenda = [
        AgendaRow(item, item.entity_id in persons, listed.get(item.entity_id or 0))
        for item in items
    ]
    return render(
        request,
        "mace/panel/meeting.html",
        {
            "meeting": found,
            "items": items,
            "agenda": agenda,
            "runs": runs,
            "form": form,
            "list_decisions": selectors.listing_decisions_visible_to(user=user, meeting=found),
            "decides_listing": runs and found.held_on <= timezone.localdate(),
            "sees_list": linking_selectors.can_view_network(user=user),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_listing(request: HttpRequest, pk: int) -> HttpResponse:
    """A MACE list decision of a meeting: a person, named by reference, added to the list or
    taken off it. The agenda's buttons post here; the form also takes any person."""
    user = request_user(request)
    # Showing the form reads the meeting; the decision is audited by the service.
    lookup = audited_record_or_404 if request.method == "GET" else record_or_404_unaudited
    found: Meeting = lookup(
        user=user,
        visible=selectors.meetings_visible_to(user=user),
        pk=pk,
        target_type="panel_meeting",
    )
    form = MeetingListingForm(
        request.POST if request.method == "POST" else None,
        initial={"decision": request.GET.get("decision", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Missing, another partnership's and hidden all read alike; a hidden one is audited.
        entity = object_for_user_or_none(
            user=user,
            visible=linking_selectors.network_entities_visible_to(user=user),
            pk=data["reference"],
            target_type="link_entity",
            audit_view=False,
        )
        if entity is None:
            form.add_error("reference", "No person has that reference")
        else:
            try:
                text = _listing_decide(user, found, entity, data["decision"])
            except ValidationError as error:
                service_errors_onto(form, error)
            else:
                messages.success(request, text)
                item = data.get("item")
                at = f"#item-{item}" if item and found.items.filter(pk=item).exists() else ""
                return redirect(reverse("mace:meeting", args=[found.pk]) + (at or "#mace-list"))
    return render(
        request,
        "mace/panel/meeting_listing.html",
        {"meeting": found, "form": form},
        status=400 if form.errors else 200,
    )


def _listing_decide(user: User, meeting: Meeting, entity: Entity, decision: str) -> str:
    """Record the decision; what the coordinator is told."""
    if decision == ListingDecision.ADD:
        services.mace_listing_add(actor=user, entity=entity, meeting=meeting)
        return f"{entity.reference} is now on the MACE list, as a decision of this meeting"
    listing = selectors.current_listing(entity=entity)
    if listing is None:
        raise ValidationError({"entity": f"{entity.reference} is not on the MACE list"})
    services.mace_listing_remove(actor=user, listing=listing, meeting=meeting)
    return f"{entity.reference} has been taken off the MACE list, as a decision of this meeting"


def _at_item(item: AgendaItem) -> str:
    return f"{reverse('mace:meeting', args=[item.meeting_id])}#item-{item.pk}"


def _item(user: User, pk: int) -> AgendaItem:
    return audited_record_or_404(
        user=user,
        visible=selectors.agenda_items_visible_to(user=user),
        pk=pk,
        target_type="agenda_item",
    )


@require_http_methods(["GET", "POST"])
def item_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = _item(user, pk)
    initial = {name: getattr(item, name) for name in ItemRecordForm.base_fields}
    form = ItemRecordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_record(
                actor=user, item=item, record=services.ItemRecord(**form.cleaned_data)
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, "What the panel recorded has been saved")
            return redirect(_at_item(item))
    return render(request, "mace/panel/item_record.html", {"item": item, "form": form})


@require_http_methods(["GET", "POST"])
def action_agree(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = _item(user, pk)
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = selectors.partnership_user_by_email(
            partnership_id=item.meeting.panel.partnership_id, email=data["owner_email"]
        )
        if owner is None or owner.agency is None:
            form.add_error("owner_email", "No one in this partnership has that email address")
        else:
            try:
                services.action_agree(
                    actor=user,
                    item=item,
                    details=services.ActionDetails(
                        kind=data["kind"],
                        description=data["description"],
                        owner=owner,
                        agency=owner.agency,
                        due_on=data["due_on"],
                        served_on=data.get("served_on"),
                        expires_on=data.get("expires_on"),
                    ),
                )
            except ValidationError as error:
                service_errors_onto(form, error)
            else:
                messages.success(request, "The action has been recorded")
                return redirect(_at_item(item))
    return render(request, "mace/panel/action_form.html", {"item": item, "form": form})


@require_POST
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    action: DisruptionAction = record_or_404_unaudited(
        user=user,
        visible=selectors.actions_runnable_by(user=user),
        pk=pk,
        target_type="disruption_action",
    )
    status = request.POST.get("status", "")
    try:
        services.action_close(actor=user, action=action, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "The action is done" if status == ActionStatus.DONE else "The action is closed",
        )
    # Back to the meeting being held, where the action was listed (an overdue item's, or the
    # item that agreed it).
    meeting_id = request.POST.get("meeting", "")
    if (
        meeting_id.isdigit()
        and selectors.meetings_visible_to(user=user).filter(pk=meeting_id).exists()
    ):
        return redirect("mace:meeting", pk=int(meeting_id))
    return redirect("mace:meeting", pk=action.agreed_at.meeting_id)
