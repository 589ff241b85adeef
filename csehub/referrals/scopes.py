"""A receiving team sees the children and concerns in the referrals sent to it, and no more.

Registered with the children and concerns apps' scope hooks (Scope.REFERRED): the police
referral desk, say, finds the child in a referral it received, but nothing else of the school's.
"""

from __future__ import annotations

from django.db.models import Q

from csehub.accounts.models import User
from csehub.children.scopes import register_child_scope
from csehub.concerns.scopes import register_concern_scope

from .selectors import referrals_to_team


@register_child_scope
def children_in_referrals_to_team(user: User) -> Q | None:
    referrals = referrals_to_team(user=user)
    if not referrals.exists():
        return None
    return Q(pk__in=referrals.values("child_id"))


@register_concern_scope
def concerns_in_referrals_to_team(user: User) -> Q | None:
    referrals = referrals_to_team(user=user)
    if not referrals.exists():
        return None
    return Q(pk__in=referrals.values("concern_id"))
