"""Issuing and revoking API tokens, and creating partner-system accounts."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from csehub.accounts.models import Agency, Role, User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .models import ApiToken
from .tokens import secret_hash, token_generate

MAX_TOKEN_DAYS = 365


@transaction.atomic
def api_token_issue(*, actor: User, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user`. Returns the token and its full string, which is never stored."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": f"A token can last from 1 to {MAX_TOKEN_DAYS} days"})
    if not user.is_active:
        raise ValidationError("Tokens cannot be issued to an inactive account")
    generated = token_generate()
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=generated.prefix,
        secret_hash=secret_hash(generated.secret),
        created_at=now,
        created_by=actor,
        expires_at=now + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="api_token",
        target_id=token.pk,
        detail={"user": user.pk},
    )
    return token, generated.full


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, verb=Verb.DEACTIVATED, target_type="api_token", target_id=token.pk
        )
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (not audited: it is not a change)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@transaction.atomic
def partner_system_create(
    *, actor: User, name: str, email: str, agency: Agency, role: Role
) -> User:
    """An account for a partner system: it calls the API with tokens and never signs in."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": "There is already an account with this email address. Enter another"}
        )
    system = User(
        email=email,
        full_name=name.strip(),
        agency=agency,
        partnership=agency.partnership,
        role=role,
        is_system_account=True,
        job_title="Partner system",
    )
    system.set_unusable_password()
    system.full_clean()
    system.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="user",
        target_id=system.pk,
        detail={"fields": ["is_system_account"]},
    )
    return system
