"""The current request's id and address, for audit rows written anywhere below the view."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "csehub_request_context",
    default=RequestContext(),  # noqa: B039 - frozen, so sharing the default is safe
)
