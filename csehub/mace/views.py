"""The MACE list, and the CSE team's pages for recording the panel's decisions about it.

The CSE team (who keep the list) record a decision from a person's entity page, choosing the
panel meeting that agreed it; the MACE coordinator records it on the meeting's page
(panel_views). Both go through the same services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from csehub.access.reads import audited_page, audited_record_or_404, record_or_404_unaudited
from csehub.access.request import request_user
from csehub.audit.services import list_view_record
from csehub.govuk_forms import service_errors_onto
from csehub.linking import selectors as linking_selectors
from csehub.linking.models import Entity

from . import selectors, services
from .forms import ListingMeetingForm
from .models import MaceListing


@dataclass(frozen=True)
class ListingRow:
    listing: MaceListing
    history: list[selectors.ListingEvent]  # the person's listings, this one among them
    listings: int  # how many times the person has been listed


@require_GET
def listings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # Current listings first, so that every page shows them before the panel's history.
    listings = selectors.listings_visible_to(user=user).order_by(
        F("removed_at").desc(nulls_first=True), "-listed_at", "-pk"
    )
    page = audited_page(request, listings, target_type="mace_listing")
    histories = selectors.listing_histories_visible_to(
        user=user, entity_ids={row.entity_id for row in page.rows}
    )
    # The person's other listings, shown as their history, are read as well.
    shown = {row.pk for row in page.rows}
    others = sorted(
        listing.pk for found in histories.values() for listing in found if listing.pk not in shown
    )
    if others:
        list_view_record(actor=user, target_type="mace_listing", ids=others)
    rows = []
    for row in page.rows:
        found = histories.get(row.entity_id, [row])
        rows.append(ListingRow(row, selectors.listing_history(found), len(found)))
    # A meeting is a link for those who may open it (its members, the coordinator); others who
    # see the list read its date.
    meeting_ids = {
        event.meeting.pk for row in rows for event in row.history if event.meeting is not None
    }
    return render(
        request,
        "mace/list.html",
        {
            "page": page,
            "current": [row for row in rows if row.listing.is_current],
            "past": [row for row in rows if not row.listing.is_current],
            "can_manage": selectors.can_manage_mace_list(user=user),
            "opens_entities": linking_selectors.can_view_links(user=user),
            "opens_meetings": set(
                selectors.meetings_visible_to(user=user)
                .filter(pk__in=meeting_ids)
                .values_list("pk", flat=True)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def listing_add(request: HttpRequest, entity_pk: int) -> HttpResponse:
    user = request_user(request)
    # Showing the form reads the entity; adding it to the list is audited by the service.
    lookup = audited_record_or_404 if request.method == "GET" else record_or_404_unaudited
    entity: Entity = lookup(
        user=user,
        visible=linking_selectors.entities_visible_to(user=user),
        pk=entity_pk,
        target_type="link_entity",
    )
    meetings = selectors.listing_meetings_for(user=user, today=timezone.localdate())
    form = ListingMeetingForm(
        request.POST if request.method == "POST" else None,
        meetings=meetings,
        decision="list this person",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mace_listing_add(
                actor=user, entity=entity, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, f"{entity.reference} is now on the MACE list.")
            return redirect("linking:entity", pk=entity.pk)
    return render(
        request,
        "mace/listing_add.html",
        {
            "entity": entity,
            "form": form,
            "current": selectors.current_listing(entity=entity),
            "has_meetings": meetings.exists(),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def listing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    lookup = audited_record_or_404 if request.method == "GET" else record_or_404_unaudited
    listing: MaceListing = lookup(
        user=user,
        visible=selectors.listings_visible_to(user=user),
        pk=pk,
        target_type="mace_listing",
    )
    meetings = selectors.listing_meetings_for(user=user, today=timezone.localdate()).filter(
        held_on__gte=listing.panel_date
    )
    form = ListingMeetingForm(
        request.POST if request.method == "POST" else None,
        meetings=meetings,
        decision="take this person off the list",
    )
    if request.method == "POST" and listing.is_current and form.is_valid():
        try:
            services.mace_listing_remove(
                actor=user, listing=listing, meeting=form.cleaned_data["meeting"]
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request, f"{listing.entity.reference} has been taken off the MACE list."
            )
            return redirect("mace:list")
    return render(
        request,
        "mace/listing_remove.html",
        {"listing": listing, "form": form, "has_meetings": meetings.exists()},
        status=400 if form.errors else 200,
    )
