"""Pages for raising a concern, the risk identification tool and its result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_page, audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.children.models import Child
from csehub.children.selectors import children_visible_to
from csehub.language.forms import language_unseen_flags
from csehub.language.services import language_feedback_record_for_form
from csehub.learning.selectors.workbook import (
    course_sections_by_vocabulary,
    has_completed_awareness,
)

from . import selectors, services
from .forms import (
    INVOLVED_KINDS,
    ConcernForm,
    JudgementForm,
    RiskToolForm,
    involved_formset,
)
from .models import Concern, RiskAssessment
from .next_steps import next_steps_for
from .rating import Scheme, scheme_load
from .recorded import recorded_signs_for
from .result import CountedSign, result_sentences

LANGUAGE_CHECKED_FIELDS = ["what_was_seen"]
LANGUAGE_PROMPT = (
    "Please look at the wording guidance under your description before you submit. It is "
    "advice only: you can submit again as it is."
)


@require_http_methods(["GET"])
def concern_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = audited_page(request, selectors.concern_list_for(user=user), target_type="concern")
    return render(request, "concerns/concern_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest, child_pk: int) -> HttpResponse:
    user = request_user(request)
    child: Child = audited_record_or_404(
        user=user, visible=children_visible_to(user=user), pk=child_pk, target_type="child"
    )
    if request.method == "POST":
        concern = services.concern_create(actor=user, child=child)
        return redirect("concerns:edit", pk=concern.pk)
    # Never a condition for raising a concern: an invitation, shown beside the start button.
    invite_training = not has_completed_awareness(user)
    return render(
        request,
        "concerns/concern_start.html",
        {"child": child, "invite_training": invite_training},
    )


def _involved_formsets(
    data: Any, concern: Concern, *, add: str = "", remove: str = ""
) -> dict[str, Any]:
    """One formset per kind of involvement; `add` appends an empty row to one kind and
    `remove` ("vehicles-2") leaves one row out."""
    formsets: dict[str, Any] = {}
    for prefix in INVOLVED_KINDS:
        formset_class = involved_formset(prefix)
        if data is None:
            fields = list(formset_class.form.base_fields)
            initial = [
                {name: getattr(row, name) for name in fields}
                for row in getattr(concern, prefix).all()
            ]
            formset = formset_class(prefix=prefix, initial=initial)
            formset.extra = 0 if initial else 1
        else:
            data = data.copy()
            total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
            if remove.startswith(f"{prefix}-"):
                index = remove.removeprefix(f"{prefix}-")
                for name in list(data):
                    if name.startswith(f"{prefix}-{index}-"):
                        data[name] = ""
            if add == prefix:
                data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
            formset = formset_class(data, prefix=prefix)
        formsets[prefix] = formset
    return formsets


def _involved_from(formsets: dict[str, Any]) -> services.Involved:
    return services.Involved(
        **{
            prefix: [form.row() for form in formset.forms if not form.is_blank()]
            for prefix, formset in formsets.items()
        }
    )


@require_http_methods(["GET", "POST"])
def concern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    concern: Concern = audited_record_or_404(
        user=user,
        visible=selectors.concern_drafts_editable_by(user=user),
        pk=pk,
        target_type="concern",
    )
    if request.method == "GET":
        form = ConcernForm(
            initial={
                "how_known": concern.how_known,
                "what_was_seen": concern.what_was_seen,
                "observed_on": concern.observed_on,
                "observed_time": concern.observed_time.strftime("%H:%M")
                if concern.observed_time
                else "",
                "where": concern.where,
            }
        )
        formsets = _involved_formsets(None, concern)
        return _edit_page(request, concern, form, formsets)

    add = request.POST.get("add", "")
    remove = request.POST.get("remove", "")
    form = ConcernForm(request.POST)
    formsets = _involved_formsets(request.POST, concern, add=add, remove=remove)
    valid = form.is_valid() and all(fs.is_valid() for fs in formsets.values())
    if not valid:
        return _edit_page(request, concern, form, formsets)
    answers = services.ConcernAnswers(**form.answers_kwargs(), involved=_involved_from(formsets))
    if "submit" in request.POST:
        if language_unseen_flags(form, LANGUAGE_CHECKED_FIELDS):
            # Guidance the writer has not seen yet (scripts off, or pasted and sent at once):
            # show it once; submitting again is always allowed.
            if _save_draft_or_show_why(user, concern, answers, form):
                messages.info(request, LANGUAGE_PROMPT)
            return _edit_page(request, concern, form, formsets)
        try:
            with transaction.atomic():
                services.concern_submit(actor=user, concern=concern, answers=answers)
                language_feedback_record_for_form(
                    user=user, form=form, field_names=LANGUAGE_CHECKED_FIELDS, form_key="concern"
                )
        except ValidationError as error:
            for field_name, errors in error.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
            return _edit_page(request, concern, form, formsets)
        messages.success(
            request,
            "Your concern has been submitted. Now use the risk identification tool to record "
            "the signs you have noticed.",
        )
        if has_permission(user, Permission.ASSESS_RISK):
            return redirect("concerns:assess", pk=concern.pk)
        return redirect("concerns:detail", pk=concern.pk)
    if not _save_draft_or_show_why(user, concern, answers, form):
        return _edit_page(request, concern, form, formsets)
    if add:
        # The draft is saved; show the form again with the new empty row in its list.
        return _edit_page(request, concern, form, formsets, focus=add)
    if remove:
        return redirect(f"{request.path}#{remove.split('-')[0]}")
    messages.success(request, "Your draft has been saved. You can come back to it at any time.")
    return redirect("concerns:detail", pk=concern.pk)


def _save_draft_or_show_why(
    user: User, concern: Concern, answers: services.ConcernAnswers, form: ConcernForm
) -> bool:
    """Save the draft; if it moved on meanwhile (submitted from another tab), say so on the
    form, keeping what was typed, and return False."""
    try:
        services.concern_save_draft(actor=user, concern=concern, answers=answers)
    except ValidationError as error:
        for field_name, errors in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
        return False
    return True


def _edit_page(
    request: HttpRequest,
    concern: Concern,
    form: ConcernForm,
    formsets: dict[str, Any],
    focus: str = "",
) -> HttpResponse:
    involved = [
        {
            "prefix": prefix,
            "heading": heading,
            "noun": noun,
            "formset": formsets[prefix],
        }
        for prefix, (_form, heading, noun) in INVOLVED_KINDS.items()
    ]
    has_errors = bool(form.errors) or any(
        fs.total_error_count() for fs in formsets.values() if fs.is_bound
    )
    if focus and not has_errors and formsets[focus].forms:
        # "Add another" reloads the page: put the cursor in the new row, not back at the top.
        new_row = formsets[focus].forms[-1]
        new_row.fields[next(iter(new_row.fields))].widget.attrs["autofocus"] = True
    return render(
        request,
        "concerns/concern_form.html",
        {
            "concern": concern,
            "form": form,
            "involved": involved,
            "has_errors": has_errors,
            "focus": focus,
        },
    )


def _referral_action(user: User, concern: Concern) -> str:
    """What the user can do to hand a submitted concern on: "refer" (a safeguarding lead),
    "ask" (ask the lead to refer) or "" (nothing)."""
    if concern.is_draft:
        return ""
    if has_permission(user, Permission.MAKE_REFERRAL):
        return "refer"
    if has_permission(user, Permission.REQUEST_REFERRAL):
        return "ask"
    return ""


@require_http_methods(["GET"])
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    concern: Concern = audited_record_or_404(
        user=user, visible=selectors.concerns_visible_to(user=user), pk=pk, target_type="concern"
    )
    concern = selectors.concern_full(concern)
    assessments = list(
        selectors.assessments_visible_to(user=user).filter(concern=concern).order_by("created_at")
    )
    can_assess = (
        not concern.is_draft
        and selectors.concerns_assessable_by(user=user).filter(pk=concern.pk).exists()
    )
    return render(
        request,
        "concerns/concern_detail.html",
        {
            "concern": concern,
            "assessments": assessments,
            "can_assess": can_assess,
            "can_edit": concern.is_draft and concern.raised_by_id == user.pk,
            "referral_action": _referral_action(user, concern),
        },
    )


def _assessable(request: HttpRequest, pk: int) -> tuple[User, Concern]:
    user = request_user(request)
    concern: Concern = audited_record_or_404(
        user=user,
        visible=selectors.concerns_assessable_by(user=user),
        pk=pk,
        target_type="concern",
    )
    return user, concern


def _tool_form(concern: Concern, data: Any) -> tuple[Scheme, RiskToolForm]:
    scheme = scheme_load(concern.child.partnership.slug)
    sections = selectors.tool_sections(vocabulary_roles=scheme.vocabularies)
    age = concern.child.age_on(timezone.localdate())
    return scheme, RiskToolForm(data, sections=sections, age=age)


def _live_result(
    user: User, concern: Concern, scheme: Scheme, form: RiskToolForm
) -> dict[str, Any]:
    """The result so far, from the same rating the saved assessment will use."""
    ticked = form.ticked_so_far() if form.is_bound else []
    danger = form.is_bound and form.data.get("immediate_danger") == "yes"
    rating = services.risk_rating_preview(
        actor=user,
        concern=concern,
        immediate_danger=danger,
        observations=[
            services.ObservationInput(item=item, what_was_seen="", roughly_when=when)
            for item, when in ticked
        ],
    )
    return {
        "level": rating.level.value,
        "danger": danger,
        "when_not_answered": form.is_bound and form.when_not_answered(),
        "sentences": result_sentences(
            scheme=scheme,
            computed_level=rating.level,
            points=rating.points,
            signs=[
                CountedSign(r.observation.label, counted=r.counted, significant=r.significant)
                for r in rating.reasons
            ],
            age=form.age,
        ),
    }


@require_http_methods(["GET", "POST"])
def concern_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user, concern = _assessable(request, pk)
    if concern.is_draft:
        messages.info(request, "Submit the concern before you use the risk identification tool")
        return redirect("concerns:edit", pk=concern.pk)
    scheme, form = _tool_form(concern, request.POST or None)
    # "Update the result" (the live result without scripts) shows the result and saves nothing.
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            assessment = services.risk_assessment_create(
                actor=user,
                concern=concern,
                immediate_danger=form.cleaned_data["immediate_danger"] == "yes",
                observations=[
                    services.ObservationInput(item=item, what_was_seen=seen, roughly_when=when)
                    for item, seen, when in form.ticked()
                ],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("concerns:assessment", pk=assessment.pk)
    result = _live_result(user, concern, scheme, form)
    if "preview" in request.POST:
        # Shown again as answered, without the errors of a form not yet finished.
        form = RiskToolForm(initial=request.POST.dict(), sections=form.sections, age=form.age)
    return render(
        request,
        "concerns/risk_tool.html",
        {
            "concern": concern,
            "form": form,
            "rows": _with_course_sections(form.rows()),
            "under_13": form.under_13_entry(),
            "age": form.age,
            "scheme": scheme,
            "result": result,
            "recorded": recorded_signs_for(
                child=concern.child, user=user, as_of=timezone.localdate()
            ),
        },
    )


@sensitive_post_parameters()
@never_cache
@require_POST
def concern_assess_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The live result for the answers so far, as a fragment for the tool's page to swap in.
    Writes nothing; the answers are looked at and forgotten."""
    user, concern = _assessable(request, pk)
    if concern.is_draft:
        raise Http404
    scheme, form = _tool_form(concern, request.POST)
    return render(
        request,
        "concerns/includes/live_result.html",
        {"result": _live_result(user, concern, scheme, form)},
    )


def _with_course_sections(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each vocabulary's section of the tool links to the course section that teaches it."""
    taught = course_sections_by_vocabulary()
    return [{**row, "taught": taught.get(row["section"].vocabulary.code)} for row in rows]


def _assessment_child(assessment: RiskAssessment) -> int:
    return assessment.concern.child_id


@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    assessment: RiskAssessment = audited_record_or_404(
        user=user,
        visible=selectors.assessments_visible_to(user=user),
        pk=pk,
        target_type="risk_assessment",
        child_of=_assessment_child,
    )
    can_judge = selectors.assessments_judgeable_by(user=user).filter(pk=assessment.pk).exists()
    scheme = scheme_load(assessment.scheme_slug)
    reasons = list(assessment.reasons.select_related("item"))
    sentences = result_sentences(
        scheme=scheme,
        computed_level=assessment.computed_level,
        points=assessment.points,
        signs=[
            CountedSign(
                r.item.label if r.item else "", counted=r.counted, significant=r.significant
            )
            for r in reasons
        ],
        judgement_level=assessment.judgement_level,
        judged_by=assessment.judgement_by.full_name if assessment.judgement_by else "",
        age=assessment.concern.child.age_on(assessment.as_of),
    )
    return render(
        request,
        "concerns/assessment_detail.html",
        {
            "assessment": assessment,
            "concern": assessment.concern,
            "child": assessment.concern.child,
            "sentences": sentences,
            "scheme": scheme,
            "next_steps": next_steps_for(assessment=assessment, at=timezone.now()),
            "can_judge": can_judge,
            "referral_action": _referral_action(user, assessment.concern),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_judgement(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    assessment: RiskAssessment = audited_record_or_404(
        user=user,
        visible=selectors.assessments_judgeable_by(user=user),
        pk=pk,
        target_type="risk_assessment",
        child_of=_assessment_child,
    )
    initial = {
        "judgement_level": assessment.judgement_level or assessment.computed_level,
        "judgement_rationale": assessment.judgement_rationale,
    }
    form = JudgementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if language_unseen_flags(form, ["judgement_rationale"]):
            messages.info(request, LANGUAGE_PROMPT.replace("your description", "your reasons"))
            return render(
                request,
                "concerns/judgement_form.html",
                {"assessment": assessment, "concern": assessment.concern, "form": form},
            )
        try:
            with transaction.atomic():
                services.risk_judgement_record(
                    actor=user,
                    assessment=assessment,
                    level=form.cleaned_data["judgement_level"],
                    rationale=form.cleaned_data["judgement_rationale"],
                )
                language_feedback_record_for_form(
                    user=user,
                    form=form,
                    field_names=["judgement_rationale"],
                    form_key="risk_judgement",
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your professional judgement has been recorded")
            return redirect("concerns:assessment", pk=assessment.pk)
    return render(
        request,
        "concerns/judgement_form.html",
        {"assessment": assessment, "concern": assessment.concern, "form": form},
    )
