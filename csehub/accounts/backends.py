"""Password sign-in through Django's model backend, refusing users of an inactive agency.

Django asks the backend both at sign-in and on every request that restores a session, so when
an administrator makes an agency inactive its users' open sessions end at their next click.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class ActiveAgencyBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return bool(getattr(user, "can_use_service", False))
