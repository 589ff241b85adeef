"""Fetching one record for a user: 404 alike for "missing" and "not yours", always audited.

The lookups themselves live in `reads` (with the audited paginator); these keep the names that
pages about staff and training, and the API, already call. Pages about a child call `reads`.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from csehub.accounts.models import User

from .reads import audited_record_or_404, record_or_404_unaudited

M = TypeVar("M", bound=Model)


def object_for_user_or_none(
    *, user: User, visible: QuerySet[M], pk: object, target_type: str, audit_view: bool = True
) -> M | None:
    """As `object_for_user_or_404`, for a record named in a form: None instead of a 404."""
    try:
        return object_for_user_or_404(
            user=user, visible=visible, pk=pk, target_type=target_type, audit_view=audit_view
        )
    except Http404:
        return None


def object_for_user_or_404(
    *, user: User, visible: QuerySet[M], pk: object, target_type: str, audit_view: bool = True
) -> M:
    """Look `pk` up in `visible` (a selector's scoped queryset).

    Not found there means either it does not exist or the user may not see it; both answer 404
    and both leave a denied audit event, so existence never leaks but IG can see the attempt.
    An allowed read leaves a VIEWED event (naming the child, for a record about one) unless
    `audit_view` is False because the caller's service records what it did with it.
    """
    if audit_view:
        return audited_record_or_404(user=user, visible=visible, pk=pk, target_type=target_type)
    return record_or_404_unaudited(user=user, visible=visible, pk=pk, target_type=target_type)
