"""Reads about partnerships, agencies and users, scoped to the asking user."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, Partnership, User


def partnership_for_request(*, request: HttpRequest) -> Partnership | None:
    """The partnership whose name heads the page: the user's own, or the configured one."""
    user = request.user
    if user.is_authenticated and user.agency_id:
        return user.partnership
    return Partnership.objects.filter(slug=settings.CSEHUB_PARTNERSHIP_SLUG).first()


def agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    """Administrators manage the agencies of their own partnership."""
    if user.agency_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=user.partnership_id).select_related("partnership")


def agencies_with_user_counts(*, user: User) -> QuerySet[Agency]:
    """The agency list: each visible agency with how many users it has."""
    return agencies_visible_to(user=user).annotate(user_count=Count("users")).order_by("name")


def agencies_assignable_by(*, user: User, current: Agency | None = None) -> QuerySet[Agency]:
    """Agencies a new or changed user may belong to: active ones, and the one they are in now."""
    keep = Q(is_active=True)
    if current is not None:
        keep |= Q(pk=current.pk)
    return agencies_visible_to(user=user).filter(keep).order_by("name")


def users_visible_to(*, user: User) -> QuerySet[User]:
    if user.agency_id is None:
        return User.objects.none()
    return User.objects.filter(agency__partnership_id=user.partnership_id).select_related("agency")


def users_filtered(
    *, user: User, agency: Agency | None = None, role: str | None = None
) -> QuerySet[User]:
    """The user list, optionally narrowed to one agency and one role."""
    users = users_visible_to(user=user)
    if agency is not None:
        users = users.filter(agency=agency)
    if role:
        users = users.filter(role=role)
    return users.order_by("full_name", "email")


def has_authenticator(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_being_set_up(*, user: User) -> TOTPDevice | None:
    """The user's own authenticator that has not yet been confirmed with a code, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def user_for_set_password_link(*, uidb64: str, token: str) -> User | None:
    """The active user a set-password link belongs to, or None if it is wrong, used or old.

    Not scoped by a signed-in user: the token itself is the check (Django's token generator,
    which stops matching once the password changes or the user signs in).
    """
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user
