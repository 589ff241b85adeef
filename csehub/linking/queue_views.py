"""The analysts' queue of possible links: groups to work through, and deciding a group at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from csehub.access.reads import audited_page, audited_record_or_404
from csehub.access.request import request_user

from . import queue, selectors, services
from .forms import GroupDecideForm, QueueFilterForm
from .models import Entity

# A list shows groups, each named in the event by its oldest open pair (queue.PossibleQueue);
# a group's page shows its pairs, named by their own ids.
GROUP_TARGET = "link_possible_group"
PAIR_TARGET = "link_suggestion"
QUEUE_PAGE_GROUPS = 50
GROUP_PAGE_PAIRS = 50


@require_GET
def possible(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = QueueFilterForm(request.GET or None)
    entity_type, stakes = "", ""
    if filters.is_bound and filters.is_valid():
        entity_type = filters.cleaned_data["entity_type"]
        stakes = filters.cleaned_data["stakes"]
    found = queue.possible_queue(user=user, entity_type=entity_type, stakes=stakes)
    page = audited_page(request, found, target_type=GROUP_TARGET, per_page=QUEUE_PAGE_GROUPS)
    return render(
        request,
        "linking/queue.html",
        {
            "form": filters,
            "page": page,
            "groups": found.groups(page.rows),
            "open_pairs": found.pairs_count(),
            "filtered": bool(entity_type or stakes),
        },
        status=400 if filters.errors else 200,
    )


def _group_key(request: HttpRequest, ref: str) -> tuple[queue.GroupKey, Entity | None]:
    """The group an address names, and its entity (a read of it, audited; 404 alike for missing
    and another partnership's)."""
    key = queue.group_key_from_ref(ref)
    if key is None:
        raise Http404
    if key.entity_id is None:
        return key, None
    user = request_user(request)
    entity: Entity = audited_record_or_404(
        user=user,
        visible=selectors.entities_visible_to(user=user),
        pk=key.entity_id,
        target_type="link_entity",
    )
    if entity.reference != ref:
        raise Http404  # a P- reference for a vehicle, say: not this entity's address
    return key, entity


@require_GET
def possible_group(request: HttpRequest, ref: str) -> HttpResponse:
    user = request_user(request)
    key, entity = _group_key(request, ref)
    group = queue.possible_group(user=user, key=key)
    page = audited_page(
        request,
        queue.group_pairs(user=user, key=key),
        target_type=PAIR_TARGET,
        per_page=GROUP_PAGE_PAIRS,
    )
    # A lone mention's group with nothing open names nothing: the address alone does not show
    # whether the mention exists.
    if group is not None:
        name, label, kind = group.name, group.label, group.entity_type_display
    elif entity is not None:
        name, label, kind = entity.reference, entity.label, entity.get_entity_type_display()
    else:
        name, label, kind = "", "", ""
    return render(
        request,
        "linking/queue_group.html",
        {
            "ref": ref,
            "entity": entity,
            "group": group,
            "name": name,
            "label": label,
            "entity_type": kind,
            "page": page,
            "pairs": selectors.pair_views(suggestions=page.rows),
            "can_decide": selectors.can_decide_links(user=user),
            "decisions": services.GroupDecisionKind,
        },
    )


def _said(result: services.GroupDecision, decision: str, skipped: int) -> str:
    """What a group decision did, as the message after it says."""
    count = len(result.decisions)
    if not count:
        said = "Nothing was decided."
    elif decision == services.GroupDecisionKind.CONFIRM:
        where = f", {result.entity.reference}" if result.entity is not None else ""
        said = f"{count} link{pluralize(count)} confirmed: the mentions are now one entity{where}."
    else:
        said = f"{count} link{pluralize(count)} rejected: they will not be suggested again."
    if skipped == 1:
        said += (
            " 1 link had been decided or changed since the page was shown: it was left as it was."
        )
    elif skipped:
        said += (
            f" {skipped} links had been decided or changed since the page was shown: they were "
            "left as they were."
        )
    return said


@require_POST
def possible_decide(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = GroupDecideForm(request.POST)
    group = request.POST.get("group", "")
    back = (
        reverse("linking:possible-group", kwargs={"ref": group})
        if queue.group_key_from_ref(group) is not None
        else reverse("linking:possible")
    )
    if not form.is_valid():
        for errors in form.errors.as_data().values():
            messages.error(request, " ".join(m for error in errors for m in error.messages))
        return redirect(back)
    decision, shown = form.cleaned_data["decision"], form.cleaned_data["pairs"]
    # Only pairs the user may see. One the engine has made afresh since (a re-import) is gone,
    # and one someone decided is skipped by the service: both are counted as changed.
    pairs = list(selectors.suggestions_visible_to(user=user).filter(pk__in=shown))
    if pairs:
        try:
            result = services.suggestions_decide_group(
                actor=user, suggestions=pairs, decision=decision
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
    else:
        result = services.GroupDecision(decisions=[], skipped=0, entity=None)
    said = _said(result, decision, skipped=result.skipped + len(shown) - len(pairs))
    if result.decisions:
        messages.success(request, said)
        return redirect("linking:possible")
    messages.error(request, said)
    return redirect(back)
