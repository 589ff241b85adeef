"""The service navigation: each entry shows only to users whose role holds its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from csehub.access.permissions import Permission, has_permission
from csehub.access.session import is_fully_signed_in


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: Permission | None
    section: str  # the first path segment that marks the entry as current


NAV: list[NavEntry] = [
    NavEntry("Home", "accounts:home", None, ""),
    NavEntry("Children", "children:list", Permission.VIEW_CHILD, "children"),
    NavEntry("Concerns", "concerns:list", Permission.VIEW_CONCERN, "concerns"),
    NavEntry("Referrals to my team", "referrals:team", Permission.RECEIVE_REFERRAL, "referrals"),
    NavEntry("Referrals made", "referrals:made", Permission.MAKE_REFERRAL, "referrals"),
    NavEntry("My referrals", "referrals:made", Permission.REQUEST_REFERRAL, "referrals"),
    NavEntry("Guidance", "taxonomy:guidance-index", Permission.VIEW_GUIDANCE, "guidance"),
    NavEntry("Pathway", "pathways:pathway", Permission.VIEW_PATHWAYS, "pathways"),
    NavEntry("Agencies", "accounts:agency-list", Permission.MANAGE_AGENCIES, "agencies"),
    NavEntry("Users", "accounts:user-list", Permission.MANAGE_USERS, "users"),
    NavEntry("Audit log", "audit:search", Permission.VIEW_AUDIT_LOG, "audit"),
    NavEntry("Language", "language:report", Permission.VIEW_LANGUAGE_REPORT, "language"),
]


def nav_items(request: HttpRequest) -> list[dict[str, object]]:
    if not is_fully_signed_in(request):
        return []
    section = request.path.strip("/").split("/")[0]
    items: list[dict[str, object]] = []
    for entry in NAV:
        if entry.permission and not has_permission(request.user, entry.permission):
            continue
        items.append(
            {
                "label": entry.label,
                "href": reverse(entry.url_name),
                "current": entry.section == section,
            }
        )
    items.append(_notifications_item(request))
    return items


def _notifications_item(request: HttpRequest) -> dict[str, object]:
    """Notifications, with the unread count in the label (referrals app)."""
    from csehub.referrals.selectors import unread_notification_count

    href = reverse("referrals:notifications")
    unread = unread_notification_count(user=request.user)  # type: ignore[arg-type]
    return {
        "label": f"Notifications ({unread} new)" if unread else "Notifications",
        "href": href,
        "current": request.path == href,
    }
