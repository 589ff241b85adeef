"""Pages about children: find, record (with the likely-duplicate check), the child's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_page, audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.audit.models import Verb

from . import selectors, services
from .chronology import KIND_LABELS, chronology_for
from .forms import AliasFormSet, ChildForm, ChronologyFilterForm
from .matching import NewChildNames
from .models import Child
from .sections import child_sections_for

ALIAS_ROWS = 3


@require_http_methods(["GET"])
def child_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    query = request.GET.get("q", "").strip()[:100]
    page = audited_page(
        request, selectors.children_search(user=user, query=query), target_type="child"
    )
    if query:
        services.children_search_record(actor=user, results=page.count)
    return render(
        request,
        "children/child_list.html",
        {
            "page": page,
            "query": query,
            "can_create": has_permission(user, Permission.CREATE_CHILD),
        },
    )


def _alias_formset(data: Any = None, initial: list[dict[str, str]] | None = None) -> Any:
    initial = initial or []
    formset = AliasFormSet(data, prefix="aliases", initial=initial)
    if data is None:
        formset.extra = max(ALIAS_ROWS - len(initial), 1)
    return formset


def _aliases_from(formset: Any) -> list[services.AliasInput]:
    return [
        services.AliasInput(
            name=f.cleaned_data["name"], kind=f.cleaned_data.get("kind") or "nickname"
        )
        for f in formset.forms
        if f.cleaned_data.get("name", "").strip()
    ]


def _social_workers(user: User) -> Any:
    return (
        selectors.social_workers_for(user=user)
        if has_permission(user, Permission.EDIT_CHILD)
        else None
    )


@require_http_methods(["GET", "POST"])
def child_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    data = request.POST if request.method == "POST" else None
    form = ChildForm(data, social_workers=_social_workers(user))
    aliases = _alias_formset(data)
    if request.method == "POST" and form.is_valid() and aliases.is_valid():
        alias_inputs = _aliases_from(aliases)
        new = NewChildNames(
            given_name=form.cleaned_data["given_name"],
            family_name=form.cleaned_data["family_name"],
            known_as=form.cleaned_data["known_as"],
            aliases=tuple(a.name for a in alias_inputs),
            date_of_birth=form.details_kwargs()["date_of_birth"],
        )
        candidates, elsewhere = selectors.possible_duplicates(user=user, new=new)
        shown = len(candidates) + elsewhere
        if shown and request.POST.get("different_child") != "yes":
            services.child_duplicates_shown_record(
                actor=user, shown_ids=[c.child.pk for c in candidates], elsewhere=elsewhere
            )
            carried = [
                (name, value)
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", "different_child")
                for value in values
            ]
            return render(
                request,
                "children/child_duplicates.html",
                {"candidates": candidates, "elsewhere": elsewhere, "carried": carried, "new": new},
            )
        try:
            child = services.child_create(
                actor=user,
                details=services.ChildDetails(**form.details_kwargs()),
                aliases=alias_inputs,
                duplicates_shown=shown,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"A record for {child.display_name} has been created")
            return redirect("children:detail", pk=child.pk)
    return render(
        request, "children/child_form.html", {"form": form, "aliases": aliases, "child": None}
    )


@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    child: Child = audited_record_or_404(
        user=user, visible=selectors.children_editable_by(user=user), pk=pk, target_type="child"
    )
    if child.date_of_birth:
        age_known = "dob"
    elif child.age_estimate_years is not None:
        age_known = "estimate"
    else:
        age_known = "unknown"
    initial = {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "known_as": child.known_as,
        "age_known": age_known,
        "date_of_birth": child.date_of_birth,
        "age_estimate_years": child.age_estimate_years,
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "disability": child.disability,
        "care_status": child.care_status,
        "school_or_setting": child.school_or_setting,
        "home_postcode": child.home_postcode,
        "allocated_social_worker": child.allocated_social_worker_id,
    }
    data = request.POST if request.method == "POST" else None
    form = ChildForm(data, initial=initial, social_workers=selectors.social_workers_for(user=user))
    aliases = _alias_formset(
        data, initial=[{"name": a.name, "kind": a.kind} for a in child.aliases.all()]
    )
    if request.method == "POST" and form.is_valid() and aliases.is_valid():
        try:
            services.child_update(
                actor=user,
                child=child,
                details=services.ChildDetails(**form.details_kwargs()),
                aliases=_aliases_from(aliases),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The child's details have been saved")
            return redirect("children:detail", pk=child.pk)
    return render(
        request, "children/child_form.html", {"form": form, "aliases": aliases, "child": child}
    )


def _chronology(request: HttpRequest, user: User, child: Child) -> dict[str, Any]:
    filters = ChronologyFilterForm(request.GET or None, kinds=KIND_LABELS)
    kinds, start = filters.values(timezone.localdate())
    entries = chronology_for(child=child, user=user, kinds=kinds, start=start)
    return {"filters": filters, "entries": entries, "filtered": bool(kinds or start)}


@require_http_methods(["GET"])
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    child: Child = audited_record_or_404(
        user=user, visible=selectors.children_visible_to(user=user), pk=pk, target_type="child"
    )
    context = {
        "child": child,
        "age": child.age_on(timezone.localdate()),
        "sections": child_sections_for(child=child, user=user),
        "can_edit": selectors.children_editable_by(user=user).filter(pk=child.pk).exists(),
        "can_raise": has_permission(user, Permission.RAISE_CONCERN),
        **_chronology(request, user, child),
    }
    return render(request, "children/child_detail.html", context)


@require_http_methods(["GET"])
def child_chronology_print(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    # A printout leaves the system on paper: recorded as an export, not a view.
    child: Child = audited_record_or_404(
        user=user,
        visible=selectors.children_visible_to(user=user),
        pk=pk,
        target_type="child",
        verb=Verb.EXPORTED,
        detail={"format": "print"},
    )
    context = {
        "child": child,
        "printed_at": timezone.localtime(),
        "printed_by": user,
        **_chronology(request, user, child),
    }
    return render(request, "children/chronology_print.html", context)
