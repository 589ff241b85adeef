"""Reads about partnerships, agencies and users, scoped to the asking user."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Agency, Partnership, User


def partnership_for_request(*, request: HttpRequest) -> Partnership | None:
    """The partnership whose name heads the page: the user's own, or the configured one."""
    user = request.user
    if user.is_authenticated and user.agency_id:  # type: ignore[union-attr]
        return user.agency.partnership  # type: ignore[union-attr]
    return Partnership.objects.filter(slug=settings.CSEHUB_PARTNERSHIP_SLUG).first()


def agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    """Administrators manage the agencies of their own partnership."""
    if user.agency_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=user.agency.partnership_id).select_related(  # type: ignore[union-attr]
        "partnership"
    )


def users_visible_to(*, user: User) -> QuerySet[User]:
    if user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(
        agency__partnership_id=user.agency.partnership_id  # type: ignore[union-attr]
    ).select_related("agency")
