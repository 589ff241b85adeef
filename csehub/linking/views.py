"""Analysts' pages: an entity with its mentions, link decisions, and the alerts list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csehub.access.lookups import object_for_user_or_none
from csehub.access.reads import audited_page, audited_record_or_404, record_or_404_unaudited
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.mace import selectors as mace_selectors

from . import selectors, services
from .forms import DecideForm, EntityMergeForm
from .models import Alert, AnalystDecision, Entity, LinkSuggestion


def _entity(user: User, pk: int) -> Entity:
    return audited_record_or_404(
        user=user,
        visible=selectors.entities_visible_to(user=user),
        pk=pk,
        target_type="link_entity",
    )


def _entity_to_change(user: User, pk: int) -> Entity:
    # The service that merges or splits it writes the event.
    return record_or_404_unaudited(
        user=user,
        visible=selectors.entities_visible_to(user=user),
        pk=pk,
        target_type="link_entity",
    )


def _entity_page(
    request: HttpRequest, entity: Entity, merge_form: EntityMergeForm | None = None
) -> HttpResponse:
    return render(
        request,
        "linking/entity.html",
        {
            "entity": entity,
            "mentions": selectors.entity_mentions(entity=entity),
            "decisions": selectors.entity_decisions(entity=entity),
            "form": merge_form or EntityMergeForm(),
            "can_decide": selectors.can_decide_links(user=request_user(request)),
            "mace_listing": mace_selectors.current_listing(entity=entity),
            "can_manage_mace": mace_selectors.can_manage_mace_list(user=request_user(request)),
        },
        status=400 if merge_form is not None and merge_form.errors else 200,
    )


def _entity_emptied_page(request: HttpRequest, entity: Entity) -> HttpResponse:
    """The page of an entity that holds no mentions: where they went and when, and the
    decisions that moved them (a merge can be undone from here)."""
    live = selectors.entity_live(entity=entity)
    return render(
        request,
        "linking/entity_emptied.html",
        {
            "entity": entity,
            "live": live,
            "successor": entity.successor if live is not None else None,
            "decisions": selectors.entity_decisions(entity=entity),
            "can_decide": selectors.can_decide_links(user=request_user(request)),
        },
    )


@require_GET
def entity(request: HttpRequest, pk: int) -> HttpResponse:
    found = _entity(request_user(request), pk)
    if found.emptied_at is not None:
        return _entity_emptied_page(request, found)
    return _entity_page(request, found)


@require_http_methods(["POST"])
def entity_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    keep = _entity_to_change(user, pk)
    form = EntityMergeForm(request.POST)
    if form.is_valid():
        # Missing and not yours look the same, but a hidden one leaves a denied event.
        found = object_for_user_or_none(
            user=user,
            visible=selectors.entities_visible_to(user=user),
            pk=form.cleaned_data["other"],
            target_type="link_entity",
            audit_view=False,
        )
        if found is None:
            form.add_error("other", "No entity has that reference")
        else:
            try:
                services.entity_merge(actor=user, entity=keep, other=found)
            except ValidationError as error:
                form.add_error("other", error.messages)
            else:
                messages.success(request, f"{found.reference} has been merged into this entity.")
                return redirect("linking:entity", pk=keep.pk)
    return _entity_page(request, keep, form)


@require_POST
def mention_split(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entity = _entity_to_change(user, pk)
    try:
        decision = services.mention_split(
            actor=user, entity=entity, mention_id=request.POST.get("mention_id", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("linking:entity", pk=entity.pk)
    moved = decision.changes.first()
    messages.success(request, "The mention now has an entity of its own.")
    return redirect("linking:entity", pk=moved.to_entity_id if moved else entity.pk)


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@require_POST
def suggestion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    suggestion: LinkSuggestion = record_or_404_unaudited(
        user=user,
        visible=selectors.suggestions_visible_to(user=user),
        pk=pk,
        target_type="link_suggestion",
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to confirm or reject the link.")
        return _back(request, "linking:alerts")
    try:
        if form.cleaned_data["decision"] == "confirm":
            services.suggestion_confirm(actor=user, suggestion=suggestion)
            messages.success(request, "Link confirmed: both mentions are now one entity.")
        else:
            services.suggestion_reject(actor=user, suggestion=suggestion)
            messages.success(request, "Link rejected: it will not be suggested again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, "linking:alerts")


@require_POST
def decision_undo(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    decision: AnalystDecision = record_or_404_unaudited(
        user=user,
        visible=selectors.decisions_visible_to(user=user),
        pk=pk,
        target_type="link_decision",
    )
    try:
        services.decision_undo(actor=user, decision=decision)
        messages.success(request, "The decision has been undone.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, "linking:alerts")


@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    # The list names children's links: showing it is a read of those alerts.
    page = audited_page(request, selectors.alerts_visible_to(user=user), target_type="link_alert")
    rows = [
        {
            "alert": alert,
            "seen": user in alert.seen_by.all(),
            "mentions": selectors.alert_mentions(alert=alert),
        }
        for alert in page.rows
    ]
    opens_entities = selectors.can_view_links(user=user)
    return render(
        request,
        "linking/alerts.html",
        {
            "page": page,
            "rows": rows,
            "opens_entities": opens_entities,
            "plain_mentions": not opens_entities,
        },
    )


@require_POST
def alert_seen(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    alert: Alert = record_or_404_unaudited(
        user=user, visible=selectors.alerts_visible_to(user=user), pk=pk, target_type="link_alert"
    )
    services.alert_mark_seen(actor=user, alert=alert)
    return redirect("linking:alerts")
