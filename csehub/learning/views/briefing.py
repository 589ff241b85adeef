"""The Awareness Plus briefing: presenter view, audience view, and recording a session.

Both views render every slide and hide all but the current one, so the pages work without
JavaScript (each slide has its own address, and previous and next are plain links) and
learning/briefing.js can move between slides without reloading, keeping the timer running and
the audience view in step.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.request import request_user
from csehub.accounts.models import Agency, User

from .. import briefing_forms
from ..models import BriefingSession, Course
from ..selectors import briefing as selectors
from ..services.briefing import briefing_session_record


def _briefing(user: User, code: str) -> Course:
    # Course content is not about anyone, so an unknown code is simply not found.
    course = selectors.briefings_for_presenter(user=user).filter(code=code).first()
    if course is None:
        raise Http404
    return course


def _slides_context(user: User, code: str, number: int) -> dict[str, object]:
    course = _briefing(user, code)
    slides = selectors.briefing_slides(course=course)
    if not 1 <= number <= len(slides):
        raise Http404
    frames = [
        {"slide": slide, "next": slides[index + 1] if index + 1 < len(slides) else None}
        for index, slide in enumerate(slides)
    ]
    return {
        "course": course,
        "frames": frames,
        "slide": slides[number - 1],
        "total": len(slides),
        "previous_number": number - 1 if number > 1 else None,
        "next_number": number + 1 if number < len(slides) else None,
    }


@require_GET
def briefing_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "learning/briefing_list.html",
        {
            "briefings": selectors.briefings_for_presenter(user=user),
            "sessions": selectors.briefing_sessions_visible_to(user=user)[:50],
        },
    )


@require_GET
def briefing_present(request: HttpRequest, code: str, number: int) -> HttpResponse:
    context = _slides_context(request_user(request), code, number)
    return render(request, "learning/briefing_present.html", context)


@require_GET
def briefing_audience(request: HttpRequest, code: str, number: int) -> HttpResponse:
    context = _slides_context(request_user(request), code, number)
    return render(request, "learning/briefing_audience.html", context)


def _shown_agency_ids(user: User, form: briefing_forms.BriefingSessionForm) -> list[int]:
    """The agencies whose people are listed: the presenter's own, the session's, and any the
    presenter added (carried in hidden fields so nothing ticked is lost)."""
    data: QueryDict = form.data  # type: ignore[assignment]
    ids: list[int] = []
    if user.agency_id:
        ids.append(user.agency_id)
    for raw in [data.get("agency", ""), *data.getlist("shown"), data.get("other_agency", "")]:
        if str(raw).isdigit() and int(raw) not in ids:
            ids.append(int(raw))
    allowed = set(selectors.briefing_attendee_agencies_for(user=user).values_list("pk", flat=True))
    return [pk for pk in ids if pk in allowed]


def _session_form(
    request: HttpRequest, user: User, *, saving: bool
) -> tuple[briefing_forms.BriefingSessionForm, list[Agency]]:
    data = request.POST if request.method == "POST" else None
    attendee_agencies = selectors.briefing_attendee_agencies_for(user=user)
    probe = briefing_forms.BriefingSessionForm(
        data,
        session_agencies=selectors.briefing_session_agencies_for(user=user),
        attendee_agencies=attendee_agencies,
        candidates=User.objects.none(),
        saving=saving,
    )
    shown_ids = _shown_agency_ids(user, probe) if data is not None else [user.agency_id or 0]
    candidates = selectors.briefing_attendee_candidates(
        user=user, agency_ids=attendee_agencies.values_list("pk", flat=True)
    )
    if data is not None:
        # Whoever is ticked stays listed, whichever agency they are from.
        ticked = [raw for raw in data.getlist("attendees") if raw.isdigit()]
        shown_ids += candidates.filter(pk__in=ticked).values_list("agency_id", flat=True)
    shown = list(attendee_agencies.filter(pk__in=shown_ids))
    form = briefing_forms.BriefingSessionForm(
        data,
        session_agencies=selectors.briefing_session_agencies_for(user=user),
        attendee_agencies=attendee_agencies,
        candidates=candidates,
        saving=saving,
        initial={"agency": user.agency_id, "shown": [a.pk for a in shown]},
    )
    return form, shown


def _people_by_agency(
    form: briefing_forms.BriefingSessionForm, shown: list[Agency]
) -> list[dict[str, object]]:
    """The attendee checkboxes, grouped under their agency, each ticked as it was sent."""
    data: QueryDict = form.data  # type: ignore[assignment]
    ticked = {str(pk) for pk in (data.getlist("attendees") if form.is_bound else [])}
    shown_ids = {agency.pk for agency in shown}
    candidates = form.fields["attendees"].queryset.filter(  # type: ignore[attr-defined]
        agency_id__in=shown_ids
    )
    groups: list[dict[str, object]] = []
    first = True
    for agency in shown:
        people = []
        for person in candidates:
            if person.agency_id == agency.pk:
                people.append({"user": person, "checked": str(person.pk) in ticked, "first": first})
                first = False
        groups.append({"agency": agency, "people": people})
    return groups


@require_http_methods(["GET", "POST"])
def briefing_session_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request_user(request)
    course = _briefing(user, code)
    # Enter in a text box presses the form's first button, "Add their people": with no agency
    # chosen that is taken as saving.
    saving = not (
        request.POST.get("action") == briefing_forms.SHOW_AGENCY
        and request.POST.get("other_agency")
    )
    form, shown = _session_form(request, user, saving=saving)
    if request.method == "POST" and saving and form.is_valid():
        try:
            session = briefing_session_record(
                actor=user,
                course=course,
                agency=form.cleaned_data["agency"],
                held_on=form.cleaned_data["held_on"],
                location=form.cleaned_data["location"],
                attendees=list(form.cleaned_data["attendees"]),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            count = session.attendances.count()
            messages.success(
                request,
                f"Session recorded: {count} {'person' if count == 1 else 'people'} "
                "now have this briefing on their training record",
            )
            return redirect("learning:briefing-session-detail", pk=session.pk)
    elif request.method == "POST" and not saving:
        form.is_valid()  # a malformed date still says so; nothing else is required yet
    return render(
        request,
        "learning/briefing_session_form.html",
        {
            "course": course,
            "form": form,
            "groups": _people_by_agency(form, shown),
            "shown": shown,
            "other_agencies": [
                agency
                for agency in form.fields["other_agency"].queryset  # type: ignore[attr-defined]
                if agency not in shown
            ],
        },
    )


@require_GET
def briefing_session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    session: BriefingSession = object_for_user_or_404(
        user=user,
        visible=selectors.briefing_sessions_visible_to(user=user),
        pk=pk,
        target_type="briefing_session",
    )
    return render(
        request,
        "learning/briefing_session_detail.html",
        {"session": session, "attendees": selectors.briefing_session_attendees(session=session)},
    )
