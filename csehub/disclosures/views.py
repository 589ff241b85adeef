"""Disclosure pages: record (draft or signed), read, change a draft, add an addendum."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.children.selectors import children_visible_to
from csehub.concerns.models import Concern
from csehub.concerns.selectors import concerns_visible_to
from csehub.govuk_forms import service_errors_onto
from csehub.language.forms import language_unseen_flags
from csehub.language.services import language_feedback_record_for_form

from . import selectors, services
from .forms import AddendumForm, DisclosureForm
from .models import Disclosure

FIELDS = (
    "occurred_on",
    "occurred_time",
    "place",
    "who_was_present",
    "childs_words",
    "practitioner_response",
    "who_was_told",
)


# The child's own words are never checked: they are kept exactly as the child said them.
LANGUAGE_CHECKED_FIELDS = ["practitioner_response", "who_was_told"]
LANGUAGE_PROMPT = (
    "Please look at the wording guidance below before you save. You can change your wording "
    "or keep it. To sign, enter your password again."
)


def _details(form: DisclosureForm) -> services.DisclosureDetails:
    data = form.cleaned_data
    return services.DisclosureDetails(
        occurred_on=data.get("occurred_on"),
        occurred_time=data.get("occurred_time"),
        place=data.get("place") or "",
        who_was_present=data.get("who_was_present") or "",
        childs_words=data.get("childs_words") or "",
        practitioner_response=data.get("practitioner_response") or "",
        who_was_told=data.get("who_was_told") or "",
    )


def _save(request: HttpRequest, form: DisclosureForm, save: Any) -> tuple[Disclosure | None, bool]:
    """Run the service; on a problem, put it on the form (which keeps what was entered)."""
    if language_unseen_flags(form, LANGUAGE_CHECKED_FIELDS):
        # Guidance the writer has not seen yet: show it once; saving again is always allowed.
        messages.info(request, LANGUAGE_PROMPT)
        return None, False
    password = form.cleaned_data.get("password") if form.wants_to_sign() else None
    try:
        saved = save(form, password)
        with transaction.atomic():
            language_feedback_record_for_form(
                user=request_user(request),
                form=form,
                field_names=LANGUAGE_CHECKED_FIELDS,
                form_key="disclosure",
            )
        return saved, password is not None
    except ValidationError as error:
        service_errors_onto(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None, False


@require_http_methods(["GET", "POST"])
def disclosure_create(request: HttpRequest, child_pk: int) -> HttpResponse:
    user = request_user(request)
    child = audited_record_or_404(
        user=user, visible=children_visible_to(user=user), pk=child_pk, target_type="child"
    )
    concern: Concern | None = None
    concern_id = request.GET.get("concern", "")
    if concern_id.isdigit():
        concern = audited_record_or_404(
            user=user,
            visible=concerns_visible_to(user=user).filter(child=child),
            pk=int(concern_id),
            target_type="concern",
        )
    form = DisclosureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        disclosure, signed = _save(
            request,
            form,
            lambda f, password: services.disclosure_create(
                actor=user,
                child=child,
                concern=concern,
                details=_details(f),
                sign_with_password=password,
            ),
        )
        if disclosure is not None:
            messages.success(
                request,
                "The disclosure has been signed"
                if signed
                else "The disclosure has been saved as a draft. Sign it when it is complete.",
            )
            return redirect("disclosures:detail", pk=disclosure.pk)
    return render(
        request,
        "disclosures/disclosure_form.html",
        {"form": form, "child": child, "concern": concern, "disclosure": None},
    )


@require_http_methods(["GET", "POST"])
def disclosure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    disclosure: Disclosure = audited_record_or_404(
        user=user,
        visible=selectors.disclosure_drafts_editable_by(user=user),
        pk=pk,
        target_type="disclosure",
    )
    initial = {name: getattr(disclosure, name) for name in FIELDS}
    form = DisclosureForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved, signed = _save(
            request,
            form,
            lambda f, password: services.disclosure_update(
                actor=user, disclosure=disclosure, details=_details(f), sign_with_password=password
            ),
        )
        if saved is not None:
            messages.success(
                request,
                "The disclosure has been signed" if signed else "The draft has been saved",
            )
            return redirect("disclosures:detail", pk=disclosure.pk)
    return render(
        request,
        "disclosures/disclosure_form.html",
        {
            "form": form,
            "child": disclosure.child,
            "concern": disclosure.concern,
            "disclosure": disclosure,
        },
    )


def _visible(user: User, pk: int) -> Disclosure:
    return audited_record_or_404(
        user=user,
        visible=selectors.disclosures_visible_to(user=user),
        pk=pk,
        target_type="disclosure",
    )


@require_http_methods(["GET"])
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    disclosure = _visible(user, pk)
    return render(
        request,
        "disclosures/disclosure_detail.html",
        {
            "disclosure": disclosure,
            "addenda": selectors.addenda_for(disclosure=disclosure),
            "can_add": disclosure.is_signed and has_permission(user, Permission.RECORD_DISCLOSURE),
            "can_edit": not disclosure.is_signed and disclosure.recorded_by_id == user.pk,
        },
    )


@require_http_methods(["GET", "POST"])
def addendum_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    disclosure = _visible(user, pk)
    form = AddendumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.addendum_add(actor=user, disclosure=disclosure, text=form.cleaned_data["text"])
        except ValidationError as error:
            service_errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your addendum has been added")
            return redirect("disclosures:detail", pk=disclosure.pk)
    return render(
        request, "disclosures/addendum_form.html", {"form": form, "disclosure": disclosure}
    )
