"""What the referral pages share: the site address, error messages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from csehub.pathways.graph import OutcomeKind

from ..models import Destination

# Pathway outcomes that become referrals, and the destination each one names.
LANGUAGE_PROMPT = (
    "Please look at the wording guidance below before you send this. You can change your "
    "wording or keep it: send again when you are ready."
)
REFERRAL_TEXT_FIELDS = ["what_was_seen", "request"]

OUTCOME_DESTINATIONS: dict[OutcomeKind, Destination] = {
    OutcomeKind.REFER_CHILDRENS_SOCIAL_CARE: Destination.CHILDRENS_SOCIAL_CARE,
    OutcomeKind.INFORM_ALLOCATED_SOCIAL_WORKER: Destination.ALLOCATED_SOCIAL_WORKER,
    OutcomeKind.REFER_POLICE_CSE_DESK: Destination.POLICE_CSE_DESK,
}


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def form_errors_add(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def problem_message(problem: Exception) -> str:
    if isinstance(problem, ValidationError):
        return " ".join(problem.messages)
    return str(problem)
