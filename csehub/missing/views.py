"""Missing episode pages: the coordinator's work list, an episode, its return, the interview."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from csehub.access.permissions import Permission, has_permission
from csehub.access.reads import audited_page, audited_record_or_404
from csehub.access.request import request_user
from csehub.accounts.models import User
from csehub.audit.services import list_view_record
from csehub.govuk_forms import service_errors_onto

from . import selectors, services
from .forms import EpisodeForm, InterviewForm, ReturnForm, ShareForm
from .models import InterviewStatus, MissingEpisode, ReturnInterview


@require_http_methods(["GET"])
def work_list(request: HttpRequest) -> HttpResponse:
    """Interviews to arrange (overdue first), children still missing, and children going
    missing more often."""
    user = request_user(request)
    manages = has_permission(user, Permission.MANAGE_RETURN_INTERVIEWS)
    interviews = (
        audited_page(request, selectors.interviews_open(user=user), target_type="return_interview")
        if manages
        else None
    )
    still_missing = list(selectors.episodes_still_missing(user=user))
    rising = selectors.children_going_missing_more(user=user)
    if still_missing:
        list_view_record(
            actor=user, target_type="missing_episode", ids=[e.pk for e in still_missing]
        )
    if rising:
        list_view_record(actor=user, target_type="child", ids=[p.child.pk for p in rising])
    return render(
        request,
        "missing/work_list.html",
        {
            "interviews": interviews,
            "still_missing": still_missing,
            "rising": rising,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def episode_create(request: HttpRequest, child_pk: int) -> HttpResponse:
    user = request_user(request)
    child = audited_record_or_404(
        user=user,
        visible=selectors.children_recordable_by(user=user),
        pk=child_pk,
        target_type="child",
    )
    form = EpisodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.missing_episode_record(
                actor=user, child=child, details=form.details(), returned=form.returned()
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The missing episode has been recorded"
                if episode.is_open
                else "The missing episode and the child's return have been recorded. "
                "The return interview is due within 72 hours.",
            )
            return redirect("missing:detail", pk=episode.pk)
    return render(request, "missing/episode_form.html", {"form": form, "child": child})


def _episode(user: User, pk: int) -> MissingEpisode:
    return audited_record_or_404(
        user=user,
        visible=selectors.episodes_visible_to(user=user).select_related("interview"),
        pk=pk,
        target_type="missing_episode",
    )


@require_http_methods(["GET"])
def episode_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    episode = _episode(user, pk)
    interview: ReturnInterview | None = getattr(episode, "interview", None)
    return render(
        request,
        "missing/episode_detail.html",
        {
            "episode": episode,
            "interview": interview,
            "counts": selectors.episode_counts(user=user, child=episode.child),
            "can_return": episode.is_open
            and selectors.episodes_changeable_by(user=user).filter(pk=episode.pk).exists(),
            "manages": has_permission(user, Permission.MANAGE_RETURN_INTERVIEWS),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def episode_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    episode = audited_record_or_404(
        user=user,
        visible=selectors.episodes_changeable_by(user=user),
        pk=pk,
        target_type="missing_episode",
    )
    form = ReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_return_record(actor=user, episode=episode, details=form.details())
        except ValidationError as error:
            service_errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The child's return has been recorded. The return interview is due within "
                "72 hours.",
            )
            return redirect("missing:detail", pk=episode.pk)
    return render(request, "missing/return_form.html", {"form": form, "episode": episode})


def _interview(user: User, pk: int) -> ReturnInterview:
    return audited_record_or_404(
        user=user,
        visible=selectors.interviews_managed_by(user=user),
        pk=pk,
        target_type="return_interview",
        child_of=lambda interview: interview.episode.child_id,
    )


def _interview_step(user: User, interview: ReturnInterview, form: InterviewForm) -> None:
    outcome = form.cleaned_data["outcome"]
    if outcome == InterviewStatus.OFFERED:
        services.interview_offer(
            actor=user, interview=interview, offered_at=form.moment("offered_at")
        )
    elif outcome == InterviewStatus.DONE:
        services.interview_done(
            actor=user,
            interview=interview,
            held_at=form.moment("held_at"),
            childs_account=form.cleaned_data.get("childs_account") or "",
        )
    elif outcome == InterviewStatus.DECLINED:
        services.interview_declined(
            actor=user, interview=interview, declined_at=form.moment("declined_at")
        )
    else:
        services.interview_not_possible(
            actor=user,
            interview=interview,
            reason=form.cleaned_data.get("not_possible_reason") or "",
        )


STEP_DONE = {
    InterviewStatus.OFFERED: "The offer of a return interview has been recorded",
    InterviewStatus.DONE: "The return interview has been recorded",
    InterviewStatus.DECLINED: "The child declined the return interview: this has been recorded",
    InterviewStatus.NOT_POSSIBLE: "The return interview has been recorded as not possible",
}


@require_http_methods(["GET", "POST"])
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    interview = _interview(user, pk)
    if interview.is_closed:
        messages.info(
            request,
            services.INTERVIEW_CLOSED.format(status=interview.get_status_display().lower()),
        )
        return redirect("missing:detail", pk=interview.episode_id)
    form = InterviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _interview_step(user, interview, form)
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, STEP_DONE[InterviewStatus(form.cleaned_data["outcome"])])
            return redirect("missing:detail", pk=interview.episode_id)
    return render(
        request,
        "missing/interview_form.html",
        {"form": form, "interview": interview, "episode": interview.episode, "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def interview_share(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    interview = _interview(user, pk)
    if interview.status != InterviewStatus.DONE or interview.shared_as_id is not None:
        messages.info(
            request,
            services.ALREADY_SHARED
            if interview.shared_as_id is not None
            else "Record the interview as done before passing it on",
        )
        return redirect("missing:detail", pk=interview.episode_id)
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        initial={"text": services.share_text(interview)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.interview_share(
                actor=user, interview=interview, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(
                request, f"What the child said has been shared as {report.external_id}"
            )
            return redirect("missing:detail", pk=interview.episode_id)
    episode = interview.episode
    return render(
        request,
        "missing/interview_share.html",
        {
            "form": form,
            "interview": interview,
            "episode": episode,
            "places": services.shared_places(episode),
        },
    )
