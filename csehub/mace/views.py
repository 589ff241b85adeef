"""The CSE team's pages for the MACE list of persons of concern."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csehub.access.reads import audited_page, audited_record_or_404, record_or_404_unaudited
from csehub.access.request import request_user
from csehub.linking import selectors as linking_selectors
from csehub.linking.models import Entity

from . import selectors, services
from .forms import MaceListingForm
from .models import MaceListing


@require_GET
def listings(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # Current listings first, so that every page shows them before the panel's history.
    listings = selectors.listings_visible_to(user=user).order_by(
        F("removed_at").desc(nulls_first=True), "-listed_at", "-pk"
    )
    page = audited_page(request, listings, target_type="mace_listing")
    return render(
        request,
        "mace/list.html",
        {
            "page": page,
            "current": [item for item in page.rows if item.is_current],
            "past": [item for item in page.rows if not item.is_current],
            "can_manage": selectors.can_manage_mace_list(user=user),
            "opens_entities": linking_selectors.can_view_links(user=user),
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
    form = MaceListingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.mace_listing_add(
                actor=user, entity=entity, panel_date=form.cleaned_data["panel_date"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"{entity.reference} is now on the MACE list.")
            return redirect("linking:entity", pk=entity.pk)
    return render(
        request,
        "mace/listing_add.html",
        {"entity": entity, "form": form, "current": selectors.current_listing(entity=entity)},
        status=400 if form.errors else 200,
    )


@require_POST
def listing_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    listing: MaceListing = record_or_404_unaudited(
        user=user,
        visible=selectors.listings_visible_to(user=user),
        pk=pk,
        target_type="mace_listing",
    )
    try:
        services.mace_listing_remove(actor=user, listing=listing)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{listing.entity.reference} has been taken off the MACE list.")
    return redirect("mace:list")
