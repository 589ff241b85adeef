"""Bearer-token authentication for the API: the token's user becomes request.user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from csehub.accounts.models import User
from csehub.audit.models import Outcome, Verb
from csehub.audit.services import audit_record

from .models import ApiToken
from .services import api_token_touch
from .tokens import secret_matches, token_parse


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        parsed = token_parse(token)
        found = (
            ApiToken.objects.select_related("user").filter(prefix=parsed.prefix).first()
            if parsed
            else None
        )
        if (
            found is None
            or parsed is None
            or not secret_matches(parsed.secret, found.secret_hash)
            or not found.is_usable()
            or not found.user.can_use_service
        ):
            audit_record(
                actor=None,
                verb=Verb.SIGN_IN_FAILED,
                target_type="api_token",
                target_id=found.pk if found else "",
                outcome=Outcome.DENIED,
                # The token holder's partnership sees the attempt; a token nobody holds
                # belongs to no partnership, so no partnership's IG sees its address.
                partnership=found.user.partnership_id if found else None,
            )
            return None
        api_token_touch(token=found)
        request.user = found.user
        return found.user

    def __call__(self, request: HttpRequest) -> Any:
        return super().__call__(request)
