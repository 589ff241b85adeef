"""Sharing intelligence (quick and full forms), what became of it, and the police inbox."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from csehub.access.reads import audited_page, audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.linking import selectors as link_selectors

from . import selectors, services
from .extract import Suggestion, SuggestionKind, extract
from .forms import ITEM_KINDS, TEXT_MAX, GradingForm, ShareForm, TriageFilterForm, item_formset
from .models import Grading, IntelligenceReport

TARGET = "intelligence_report"


# ---------------------------------------------------------------------------------------------
# Sharing
# ---------------------------------------------------------------------------------------------


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def share(request: HttpRequest) -> HttpResponse:
    """The quick form: one observation, nothing is too small."""
    user = request_user(request)
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        report = _share(user, form, items=None)
        if report is not None:
            return redirect("intelligence:shared", pk=report.pk)
    return render(request, "intelligence/share_quick.html", {"form": form})


def _share(
    user: User, form: ShareForm, items: services.SharedItems | None
) -> IntelligenceReport | None:
    observed_at, time_known = form.observed()
    try:
        return services.report_share(
            actor=user,
            text=form.cleaned_data["text"],
            how_known=form.cleaned_data["how_known"],
            observed_at=observed_at,
            observed_time_known=time_known,
            items=items,
        )
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            target = "observed_on" if name == "observed_at" else name
            form.add_error(target if target in form.fields else None, errors)
        return None


def _suggestion_values(suggestion: Suggestion) -> dict[str, str]:
    """The fields of the new row a confirmed suggestion fills."""
    kind = suggestion.kind
    values: dict[str, str] = {}
    if kind == SuggestionKind.PLATE:
        values = {"plate": suggestion.value}
    elif kind == SuggestionKind.PHONE:
        values = {"number": suggestion.value}
    elif kind == SuggestionKind.USERNAME:
        values = {"platform": suggestion.platform, "username": suggestion.value}
    elif kind == SuggestionKind.EMAIL:
        values = {"platform": "email", "username": suggestion.value}
    elif kind == SuggestionKind.POSTCODE:
        values = {"postcode": suggestion.value}
    elif kind == SuggestionKind.NICKNAME:
        values = {"nickname": suggestion.value}
    elif kind == SuggestionKind.NAME:
        values = {"name": suggestion.value}
    # A plate's make and colour, a vehicle's, a place's name and postcode.
    return {**values, **dict(suggestion.fields)}


def _item_formsets(data: QueryDict | None, *, add: str = "", remove: str = "") -> dict[str, Any]:
    """One formset per kind of detail; `add` appends an empty row, `remove` leaves one out."""
    formsets: dict[str, Any] = {}
    for prefix in ITEM_KINDS:
        formset_class = item_formset(prefix)
        if data is None:
            formsets[prefix] = formset_class(prefix=prefix)
            continue
        data = data.copy()
        total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
        index = remove.removeprefix(f"{prefix}-")
        if remove.startswith(f"{prefix}-") and index.isdigit() and int(index) < total:
            _row_leave_out(data, prefix=prefix, index=int(index), total=total)
            total -= 1
            data[f"{prefix}-TOTAL_FORMS"] = str(total)
        if add == prefix:
            data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
        formsets[prefix] = formset_class(data, prefix=prefix)
    return formsets


def _row_leave_out(data: QueryDict, *, prefix: str, index: int, total: int) -> None:
    """Drop one row from mutable form data and move the rows after it up one place, so the
    removed row disappears rather than staying on the page empty."""
    moved: dict[str, list[str]] = {}
    for name in list(data):
        for row in range(index, total):
            start = f"{prefix}-{row}-"
            if name.startswith(start):
                if row > index:
                    moved[f"{prefix}-{row - 1}-{name.removeprefix(start)}"] = data.getlist(name)
                del data[name]
                break
    for name, values in moved.items():
        data.setlist(name, values)


def _with_suggestion_added(data: QueryDict, suggestion: Suggestion) -> QueryDict:
    data = data.copy()
    prefix = suggestion.list_name
    total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
    for name, value in _suggestion_values(suggestion).items():
        data[f"{prefix}-{total}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    return data


def _items_from(formsets: dict[str, Any]) -> services.SharedItems:
    return services.SharedItems(
        **{
            prefix: [form.row() for form in formset.forms if not form.is_blank()]
            for prefix, formset in formsets.items()
        }
    )


def _open_suggestions(text: str, decided: list[str]) -> list[Suggestion]:
    return [s for s in extract(text) if s.key not in decided]


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def share_full(request: HttpRequest) -> HttpResponse:
    """The full form: the text, then people, vehicles, phones, usernames and places.

    Details found in the text are offered with "Add" and "Ignore"; only what the submitter adds
    becomes a structured detail. Every button is a plain submit, so all of it works without
    JavaScript; with it, htmx refreshes the suggestions as the text is typed.
    """
    user = request_user(request)
    if request.method == "GET":
        return _full_page(request, ShareForm(), _item_formsets(None), decided=[])

    data: QueryDict = request.POST
    decided = [key for key in data.getlist("decided") if key]
    text = data.get("text", "")
    notice = ""
    add_key = data.get("suggestion_add", "")
    ignore_key = data.get("suggestion_ignore", "")
    if add_key or ignore_key:
        chosen = next((s for s in extract(text) if s.key in (add_key, ignore_key)), None)
        if chosen is not None:
            decided.append(chosen.key)
            if add_key:
                data = _with_suggestion_added(data, chosen)
                notice = f"Added {chosen.label.lower()} {chosen.value}"
            else:
                notice = f"Ignored {chosen.label.lower()} {chosen.value}"
    formsets = _item_formsets(data, add=data.get("add", ""), remove=data.get("remove", ""))
    form = ShareForm(data)
    if "submit" not in data and "submit_anyway" not in data:
        # Adding or removing a row, finding details, or deciding on a suggestion.
        return _full_page(
            request,
            _quiet(ShareForm(data)),
            _quiet_formsets(formsets),
            decided=decided,
            notice=notice,
            focus=data.get("add", ""),
            removed_from=data.get("remove", "").partition("-")[0],
            validate=False,
        )
    valid = form.is_valid() and all(fs.is_valid() for fs in formsets.values())
    open_suggestions = _open_suggestions(text, decided)
    if valid and open_suggestions and "submit_anyway" not in data:
        return _full_page(request, form, formsets, decided=decided, undecided_warning=True)
    if valid:
        report = _share(user, form, items=_items_from(formsets))
        if report is not None:
            return redirect("intelligence:shared", pk=report.pk)
    return _full_page(request, form, formsets, decided=decided)


def _quiet(form: ShareForm) -> ShareForm:
    """A bound form shown again without judging it yet (the user pressed Add or Find)."""
    # The template reading field.errors would otherwise validate the form.
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    return form


def _quiet_formsets(formsets: dict[str, Any]) -> dict[str, Any]:
    for formset in formsets.values():
        for row in formset.forms:
            row._errors = ErrorDict()
    return formsets


def _full_page(
    request: HttpRequest,
    form: ShareForm,
    formsets: dict[str, Any],
    *,
    decided: list[str],
    notice: str = "",
    focus: str = "",
    removed_from: str = "",
    undecided_warning: bool = False,
    validate: bool = True,
) -> HttpResponse:
    groups = [
        {"prefix": prefix, "heading": heading, "noun": noun, "formset": formsets[prefix]}
        for prefix, (_form, heading, noun) in ITEM_KINDS.items()
    ]
    has_errors = validate and (
        bool(form.errors) or any(fs.total_error_count() for fs in formsets.values() if fs.is_bound)
    )
    if focus in formsets and not has_errors and formsets[focus].forms:
        # "Add a vehicle" reloads the page: put the cursor in the new row, not back at the top.
        new_row = formsets[focus].forms[-1]
        new_row.fields[next(iter(new_row.fields))].widget.attrs["autofocus"] = True
    text = form.data.get("text", "") if form.is_bound else ""
    return render(
        request,
        "intelligence/share_full.html",
        {
            "form": form,
            "groups": groups,
            "has_errors": has_errors,
            "show_errors": validate,
            "decided": decided,
            "suggestions": _open_suggestions(text, decided),
            "searched": bool(text.strip()),
            "notice": notice,
            "focus": focus,
            "removed_from": removed_from,
            "undecided_warning": undecided_warning,
        },
    )


@sensitive_post_parameters()
@never_cache
@require_POST
def find_details(request: HttpRequest) -> HttpResponse:
    """The suggestions for the text typed so far, as a fragment for htmx to swap in.

    The text is looked at and forgotten: never saved, logged or audited here.
    """
    text = request.POST.get("text", "")[:TEXT_MAX]
    decided = [key for key in request.POST.getlist("decided") if key]
    return render(
        request,
        "intelligence/includes/suggestions.html",
        {
            "suggestions": _open_suggestions(text, decided),
            "searched": bool(text.strip()),
        },
    )


@require_GET
def shared(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation, with the reference to quote."""
    user = request_user(request)
    report: IntelligenceReport = audited_record_or_404(
        user=user, visible=selectors.reports_shared_by(user=user), pk=pk, target_type=TARGET
    )
    links = link_selectors.links_for_submitter(user=user, report=report)
    return render(
        request,
        "intelligence/shared.html",
        {"report": report, "links": links, "has_details": bool(report.mentions())},
    )


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """What the user shared (a safeguarding lead: their agency), and what became of it."""
    user = request_user(request)
    # What was shared names children and the people around them: listing it is a read too.
    page = audited_page(request, selectors.reports_shared_by(user=user), target_type=TARGET)
    return render(
        request,
        "intelligence/mine.html",
        {
            "page": page,
            "rows": [_row(report) for report in page.rows],
            "agency_wide": selectors.shares_agency_wide(user=user),
        },
    )


def _row(report: IntelligenceReport) -> dict[str, Any]:
    gradings = list(report.gradings.all())
    return {"report": report, "grading": gradings[0] if gradings else None}


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report: IntelligenceReport = audited_record_or_404(
        user=user, visible=selectors.reports_visible_to(user=user), pk=pk, target_type=TARGET
    )
    report = selectors.report_full(report)
    gradings: list[Grading] = list(report.gradings.all())
    latest = gradings[0] if gradings else None
    if latest is not None and report.submitted_by_id == user.pk:
        services.grading_mark_read(actor=user, grading=latest)
    return render(
        request,
        "intelligence/detail.html",
        {
            "report": report,
            "grading": latest,
            "gradings": gradings,
            "can_see_grading": selectors.can_see_grading(user=user),
        },
    )


# ---------------------------------------------------------------------------------------------
# The police triage inbox
# ---------------------------------------------------------------------------------------------


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    partnership_id = user.agency.partnership_id if user.agency else None
    filters = TriageFilterForm(request.GET or None, partnership_id=partnership_id)
    status, agency_id = "", None
    if filters.is_bound and filters.is_valid():
        status = filters.cleaned_data["status"] or ""
        agency = filters.cleaned_data["agency"]
        agency_id = agency.pk if agency else None
    page = audited_page(
        request,
        selectors.reports_for_triage(user=user, status=status, agency_id=agency_id),
        target_type=TARGET,
    )
    links = link_selectors.links_count_for_reports(
        user=user, report_ids=[report.pk for report in page.rows]
    )
    rows = [{**_row(report), "links": links.get(report.pk)} for report in page.rows]
    return render(
        request, "intelligence/inbox.html", {"filters": filters, "page": page, "rows": rows}
    )


@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report: IntelligenceReport = audited_record_or_404(
        user=user,
        visible=selectors.reports_for_triage(user=user),
        pk=pk,
        target_type=TARGET,
    )
    report = selectors.report_full(report)
    gradings: list[Grading] = list(report.gradings.all())
    latest = gradings[0] if gradings else None
    form = GradingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("corrects", "") != (
        str(latest.pk) if latest else ""
    ):
        # Someone graded it (again) after this page was opened: show them their colleague's.
        form.is_valid()
        form.add_error(
            None,
            "Someone else graded this report while you had it open. Check their grading below "
            "before you correct it.",
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = services.GradingAnswers(
            source_evaluation=data["source_evaluation"],
            intelligence_assessment=data["intelligence_assessment"],
            handling_code=data["handling_code"],
            handling_conditions=data["handling_conditions"],
            outcome=data["outcome"],
            outcome_reference=data["outcome_reference"],
            feedback=data["feedback"],
        )
        try:
            services.report_grade(
                actor=user,
                report=report,
                answers=answers,
                correcting=latest,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            return redirect(f"{request.path}?graded=1")
    return render(
        request,
        "intelligence/grade.html",
        {
            "report": report,
            "form": form,
            "grading": latest,
            "gradings": gradings,
            "just_graded": request.GET.get("graded") == "1" and latest is not None,
        },
    )
