"""Making a referral from a concern, or asking the safeguarding lead to make one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from csehub.access.reads import audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.concerns.models import Concern, ConcernStatus
from csehub.concerns.next_steps import next_steps_for
from csehub.concerns.selectors import concern_full, concerns_visible_to
from csehub.language.forms import language_unseen_flags
from csehub.language.services import language_feedback_record_for_form
from csehub.pathways.graph import Outcome
from csehub.pathways.selectors import PathwayNotLoaded, current_pathway

from .. import selectors, services
from ..forms import ReferralForm, involved_choices
from ..models import Destination, RiskDetailKind
from .common import (
    LANGUAGE_PROMPT,
    OUTCOME_DESTINATIONS,
    REFERRAL_TEXT_FIELDS,
    form_errors_add,
    site_url,
)


def _concern(user: User, pk: int) -> Concern:
    return audited_record_or_404(
        user=user, visible=concerns_visible_to(user=user), pk=pk, target_type="concern"
    )


def _pathway_steps(concern: Concern) -> list[Outcome]:
    """What the partnership's pathway says about referring this concern: the outcomes its
    latest assessment reaches, or (before any assessment) every referral outcome it has."""
    latest = concern.assessments.order_by("-created_at", "-pk").first()
    if latest is not None:
        steps = next_steps_for(assessment=latest, at=timezone.now())
        if steps.walk is not None:
            return [o for o in steps.walk.outcomes if o.kind in OUTCOME_DESTINATIONS]
    try:
        graph = current_pathway(concern.child.partnership)
    except PathwayNotLoaded:
        return []
    return [o for o in graph.outcomes if o.kind in OUTCOME_DESTINATIONS]


def _initial(concern: Concern) -> dict[str, Any]:
    child = concern.child
    lines = [f"Name: {child.display_name}"]
    if child.date_of_birth:
        lines.append(f"Date of birth: {child.date_of_birth:%d %B %Y}")
    elif child.age_estimate_years is not None:
        lines.append(f"Age (estimated): {child.age_estimate_years}")
    lines += [
        f"Gender: {child.get_gender_display()}",
        f"Ethnicity: {child.get_ethnicity_display()}",
        f"Disability: {child.get_disability_display()}",
        f"Care status: {child.get_care_status_display()}",
    ]
    if child.school_or_setting:
        lines.append(f"School or setting: {child.school_or_setting}")
    if child.home_postcode:
        lines.append(f"Home postcode: {child.home_postcode}")
    if child.allocated_social_worker:
        lines.append(f"Allocated social worker: {child.allocated_social_worker}")
    return {
        "what_was_seen": concern.what_was_seen,
        "child_details": "\n".join(lines),
        "involved": [],
    }


def _risk_details(concern: Concern, form: ReferralForm) -> list[services.RiskDetailInput]:
    chosen = set(form.cleaned_data.get("involved") or [])
    found: list[services.RiskDetailInput] = []
    for person in concern.people.all():
        if f"person:{person.pk}" in chosen:
            extra = ", ".join(
                p
                for p in (
                    f"known as {person.nickname}" if person.nickname else "",
                    f"about {person.age_estimate}" if person.age_estimate else "",
                    person.description,
                )
                if p
            )
            found.append(
                services.RiskDetailInput(
                    RiskDetailKind.PERSON, person.name or person.nickname or "Name not known", extra
                )
            )
    for vehicle in concern.vehicles.all():
        if f"vehicle:{vehicle.pk}" in chosen:
            found.append(
                services.RiskDetailInput(
                    RiskDetailKind.VEHICLE,
                    vehicle.plate or "Plate not known",
                    " ".join(p for p in (vehicle.colour, vehicle.make) if p),
                )
            )
    for phone in concern.phones.all():
        if f"phone:{phone.pk}" in chosen:
            found.append(services.RiskDetailInput(RiskDetailKind.PHONE, phone.number))
    for online in concern.online.all():
        if f"username:{online.pk}" in chosen:
            found.append(
                services.RiskDetailInput(RiskDetailKind.USERNAME, online.username, online.platform)
            )
    for place in concern.locations.all():
        if f"place:{place.pk}" in chosen:
            found.append(
                services.RiskDetailInput(
                    RiskDetailKind.PLACE,
                    place.name or place.address or place.postcode,
                    " ".join(p for p in (place.address, place.postcode) if p),
                )
            )
    if form.cleaned_data.get("extra_value", "").strip():
        found.append(
            services.RiskDetailInput(
                form.cleaned_data["extra_kind"],
                form.cleaned_data["extra_value"],
                form.cleaned_data.get("extra_details", ""),
            )
        )
    return found


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, concern_pk: int) -> HttpResponse:
    user = request_user(request)
    concern = concern_full(_concern(user, concern_pk))
    front_doors = selectors.receiving_agencies(
        user=user, destination=Destination.CHILDRENS_SOCIAL_CARE
    )
    police = selectors.receiving_agencies(user=user, destination=Destination.POLICE_CSE_DESK)
    initial = _initial(concern)
    pathway_steps = _pathway_steps(concern)
    initial["destinations"] = list(
        dict.fromkeys(OUTCOME_DESTINATIONS[step.kind] for step in pathway_steps)
    )
    initial["involved"] = [value for value, _ in involved_choices(concern)]
    if front_doors.count() == 1:
        initial["front_door"] = front_doors.first()
    if police.count() == 1:
        initial["police_desk"] = police.first()
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        concern=concern,
        front_doors=front_doors,
        police=police,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and language_unseen_flags(form, REFERRAL_TEXT_FIELDS)
    ):
        # Guidance the writer has not seen yet: show it once; sending again is always allowed.
        messages.info(request, LANGUAGE_PROMPT)
    elif request.method == "POST" and form.is_valid():
        addressees = [
            services.Addressee(
                destination=d,
                to_agency={
                    Destination.CHILDRENS_SOCIAL_CARE: form.cleaned_data.get("front_door"),
                    Destination.POLICE_CSE_DESK: form.cleaned_data.get("police_desk"),
                }.get(Destination(d)),
            )
            for d in form.cleaned_data["destinations"]
        ]
        content = services.ReferralContent(
            what_was_seen=form.cleaned_data["what_was_seen"],
            child_details=form.cleaned_data.get("child_details", ""),
            request=form.cleaned_data.get("request", ""),
            risk_details=_risk_details(concern, form),
        )
        try:
            with transaction.atomic():
                referrals = services.referrals_create(
                    actor=user,
                    concern=concern,
                    addressees=addressees,
                    content=content,
                    site_url=site_url(request),
                )
                language_feedback_record_for_form(
                    user=user, form=form, field_names=REFERRAL_TEXT_FIELDS, form_key="referral"
                )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            count = len(referrals)
            messages.success(
                request,
                f"{count} referral{'s' if count != 1 else ''} sent. You will be told when the "
                "receiving team records an outcome.",
            )
            return redirect("referrals:made")
    return render(
        request,
        "referrals/referral_form.html",
        {
            "form": form,
            "concern": concern,
            "pathway_steps": pathway_steps,
            "is_draft": concern.status != ConcernStatus.SUBMITTED,
        },
    )


@require_http_methods(["GET", "POST"])
def referral_request(request: HttpRequest, concern_pk: int) -> HttpResponse:
    """A practitioner asks their safeguarding lead to consider a referral."""
    user = request_user(request)
    concern = _concern(user, concern_pk)
    leads = list(selectors.safeguarding_leads_for(user=user))
    error = ""
    if request.method == "POST":
        try:
            told = services.referral_request_from_lead(
                actor=user, concern=concern, site_url=site_url(request)
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(
                request,
                f"Your safeguarding lead{'s have' if told != 1 else ' has'} been asked to "
                "consider a referral.",
            )
            return redirect("referrals:made")
    return render(
        request,
        "referrals/referral_request.html",
        {"concern": concern, "leads": leads, "error": error},
    )
