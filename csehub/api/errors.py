"""How the API answers when something is refused or does not add up.

Every 422 has the shape ninja gives schema errors, {"detail": [{"loc": [...], "msg": ...}]}, so a
partner system handles one format whether the schema or a service said no. Messages come from the
services and never name a child.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError

from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

logger = logging.getLogger(__name__)

BODY = "body"
QUERY = "query"
PAYLOAD = "payload"  # every operation names its JSON body `payload`


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ProblemOut]


# Answers operations can give besides their success, for the OpenAPI document: 400 for a body
# that is not JSON, 401 for a missing or unusable token (every operation), 403 for a role
# without the operation, 404 for a record that is missing or not the caller's, 422 for
# parameters or a body that do not add up.
AUTH_ERRORS: dict[int, type[Schema]] = {401: ErrorOut}
GUIDANCE_ERRORS: dict[int, type[Schema]] = {**AUTH_ERRORS, 403: ErrorOut}
LIST_ERRORS: dict[int, type[Schema]] = {**GUIDANCE_ERRORS, 422: ValidationErrorOut}
READ_ERRORS: dict[int, type[Schema]] = {**LIST_ERRORS, 404: ErrorOut}
# A write without a body (submit, receive) answers as a read does.
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 400: ErrorOut}


def problems_from(
    error: DjangoValidationError, *, field_names: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """A Django ValidationError as a list of problems; field errors point into the body."""
    renamed = field_names or {}
    problems: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            loc: list[str | int] = [BODY]
            if field != NON_FIELD_ERRORS:
                loc = [BODY, PAYLOAD, renamed.get(field, field)]
            problems.extend({"loc": loc, "msg": msg, "type": "invalid"} for msg in messages)
    else:
        problems.extend({"loc": [BODY], "msg": msg, "type": "invalid"} for msg in error.messages)
    return problems


def unprocessable(loc: Sequence[str | int], msg: str) -> NinjaValidationError:
    """A 422 for one field of the body, raised by a router before it calls a service."""
    return NinjaValidationError([{"loc": [BODY, PAYLOAD, *loc], "msg": msg, "type": "invalid"}])


def unprocessable_query(name: str, msg: str) -> NinjaValidationError:
    """A 422 for one query parameter, for a check that needs more than the parameter itself."""
    return NinjaValidationError([{"loc": [QUERY, name], "msg": msg, "type": "invalid"}])


def _django_validation_error(
    request: HttpRequest, exc: DjangoValidationError, api: NinjaAPI
) -> HttpResponse:
    return api.create_response(request, {"detail": problems_from(exc)}, status=422)


def _permission_denied(request: HttpRequest, exc: PermissionDenied, api: NinjaAPI) -> HttpResponse:
    """A service refused the caller (for example, referring a concern they may not see)."""
    actor = getattr(request, "auth", None)
    match = request.resolver_match
    audit_record(
        actor=actor if isinstance(actor, User) else None,
        verb=Verb.UPDATED if request.method != "GET" else Verb.VIEWED,
        target_type="api_operation",
        target_id=match.url_name if match and match.url_name else "",
        outcome=Outcome.DENIED,
    )
    message = str(exc) or "You cannot do this"
    return api.create_response(request, {"detail": message}, status=403)


def _unexpected(request: HttpRequest, exc: Exception, api: NinjaAPI) -> HttpResponse:
    """A JSON 500 rather than the HTML error page. The log has the exception's type and where
    it happened, not its message: messages (pydantic's especially) can repeat what was sent."""
    logger.error(
        "API %s %s failed with %s\n%s",
        request.method,
        request.path,
        type(exc).__name__,
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return api.create_response(
        request,
        {"detail": "Something went wrong on our side. Nothing more was done; try again later."},
        status=500,
    )


def install_exception_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(Exception, partial(_unexpected, api=api))
    api.add_exception_handler(DjangoValidationError, partial(_django_validation_error, api=api))
    api.add_exception_handler(PermissionDenied, partial(_permission_denied, api=api))
