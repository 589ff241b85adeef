"""The access policy of every URL: which permission a view needs before it runs.

AccessPolicyMiddleware enforces this table for every request, and a test fails when a URL
pattern has no entry, so a new view cannot be reached without a decision recorded here.
Object-level scope (whose records) is then applied by the app's selectors.
"""

from __future__ import annotations

import enum

from .permissions import Permission


class Open(enum.StrEnum):
    PUBLIC = "public"  # no sign-in: sign-in steps, health check, certificate verification
    SIGNED_IN = "signed_in"  # any user who has completed sign-in (both factors)


Rule = Permission | Open

URL_POLICY: dict[str, Rule] = {
    # accounts: signing in and out, the start page, your own account
    "accounts:sign-in": Open.PUBLIC,
    "accounts:sign-in-code": Open.PUBLIC,
    "accounts:mfa-setup": Open.PUBLIC,
    "accounts:sign-out": Open.PUBLIC,
    "accounts:set-password": Open.PUBLIC,
    "accounts:home": Open.SIGNED_IN,
    "health": Open.PUBLIC,
    # accounts: partnership administration
    "accounts:agency-list": Permission.MANAGE_AGENCIES,
    "accounts:agency-create": Permission.MANAGE_AGENCIES,
    "accounts:agency-edit": Permission.MANAGE_AGENCIES,
    "accounts:user-list": Permission.MANAGE_USERS,
    "accounts:user-create": Permission.MANAGE_USERS,
    "accounts:user-edit": Permission.MANAGE_USERS,
    "accounts:user-reset-mfa": Permission.MANAGE_USERS,
    "accounts:user-send-password-link": Permission.MANAGE_USERS,
    # taxonomy: guidance
    "taxonomy:guidance-index": Permission.VIEW_GUIDANCE,
    "taxonomy:guidance-vocabulary": Permission.VIEW_GUIDANCE,
    "taxonomy:guidance-item": Permission.VIEW_GUIDANCE,
    # audit: information governance
    "audit:search": Permission.VIEW_AUDIT_LOG,
    "audit:export": Permission.EXPORT_AUDIT_LOG,
}


def rule_for(view_name: str) -> Rule | None:
    return URL_POLICY.get(view_name)
