"""The reviewer's pages: the queue of workbooks naming them, and the review itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from csehub.access.lookups import object_for_user_or_404
from csehub.access.request import request_user
from csehub.govuk_forms import service_errors_onto

from ..forms import ReviewForm
from ..models import AttemptStatus
from ..selectors import workbook as selectors
from ..services import workbook as services
from .workbook import TARGET, _answer_rows


@require_http_methods(["GET"])
def review_queue(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(
        request,
        "learning/review_queue.html",
        {
            "waiting": list(selectors.review_queue(user=user)),
            "done": list(selectors.reviews_done(user=user)[:20]),
        },
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = request_user(request)
    attempt = object_for_user_or_404(
        user=user,
        visible=selectors.attempts_to_review(user=user),
        pk=attempt_id,
        target_type=TARGET,
    )
    can_decide = attempt.status == AttemptStatus.SUBMITTED
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and can_decide and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == ReviewForm.CONFIRM:
                services.attempt_confirm(
                    actor=user,
                    attempt=attempt,
                    discussed_with_learner=data["discussed_with_learner"],
                    comments=data["comments"],
                )
                messages.success(
                    request,
                    f"You have confirmed that {attempt.learner.full_name} has completed the "
                    "course. Their training record and certificate have been created.",
                )
            else:
                services.attempt_return(
                    actor=user,
                    attempt=attempt,
                    comments=data["comments"],
                    discussed_with_learner=data["discussed_with_learner"],
                )
                messages.success(
                    request,
                    f"The workbook has been returned to {attempt.learner.full_name} with your "
                    "comments.",
                )
        except ValidationError as error:
            service_errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("learning:review-queue")
    return render(
        request,
        "learning/review.html",
        {
            "attempt": attempt,
            "form": form,
            "can_decide": can_decide,
            "answer_rows": _answer_rows(attempt),
            "result": selectors.attempt_result(attempt),
            "events": list(attempt.review_events.select_related("reviewer")),
        },
    )
