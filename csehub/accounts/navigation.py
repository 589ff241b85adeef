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
    description: str = ""  # shown on the home page, which lists every entry the user may use


NAV: list[NavEntry] = [
    NavEntry("Home", "accounts:home", None, ""),
    NavEntry(
        "Children",
        "children:list",
        Permission.VIEW_CHILD,
        "children",
        "Children you may see, their details, risk over time and chronology.",
    ),
    NavEntry(
        "Concerns",
        "concerns:list",
        Permission.VIEW_CONCERN,
        "concerns",
        "Concerns raised about children, and the risk identification tool.",
    ),
    NavEntry(
        "Referrals to my team",
        "referrals:team",
        Permission.RECEIVE_REFERRAL,
        "referrals",
        "Referrals sent to your team: receive, screen and record the outcome.",
    ),
    NavEntry(
        "Referrals made",
        "referrals:made",
        Permission.MAKE_REFERRAL,
        "referrals",
        "Referrals your agency has made, and what became of them.",
    ),
    NavEntry(
        "My referrals",
        "referrals:made",
        Permission.REQUEST_REFERRAL,
        "referrals",
        "Referrals about the concerns you raised, and their outcomes.",
    ),
    NavEntry(
        "Guidance",
        "taxonomy:guidance-index",
        Permission.VIEW_GUIDANCE,
        "guidance",
        "The shared vocabulary: warning signs, SAFEGUARD areas, vulnerability factors and more.",
    ),
    NavEntry(
        "Pathway",
        "pathways:pathway",
        Permission.VIEW_PATHWAYS,
        "pathways",
        "What your partnership's referral pathway says to do, and who to call now.",
    ),
    NavEntry(
        "Agencies",
        "accounts:agency-list",
        Permission.MANAGE_AGENCIES,
        "agencies",
        "The agencies in the partnership: add one, change its details or make it inactive.",
    ),
    NavEntry(
        "Users",
        "accounts:user-list",
        Permission.MANAGE_USERS,
        "users",
        "Add people and invite them, change their role or agency, reset an authenticator.",
    ),
    NavEntry(
        "Audit log",
        "audit:search",
        Permission.VIEW_AUDIT_LOG,
        "audit",
        "Who viewed or changed which record, when, and from where.",
    ),
    NavEntry(
        "Language",
        "language:report",
        Permission.VIEW_LANGUAGE_REPORT,
        "language",
        "How often the language guidance was shown, taken up or ignored.",
    ),
    NavEntry(
        "My training",
        "learning:my-training",
        Permission.TAKE_TRAINING,
        "learning",
        "The CSE awareness course, your progress, certificates and refresher dates.",
    ),
    NavEntry(
        "Training compliance",
        "learning:compliance",
        Permission.VIEW_TRAINING_COMPLIANCE,
        "learning",
        "Who has completed the training, and whose refresher is due or overdue.",
    ),
    NavEntry(
        "Briefings",
        "learning:briefing-list",
        Permission.PRESENT_BRIEFING,
        "learning",
        "Present the Awareness Plus briefing to your team, and record who attended.",
    ),
]


def nav_entries_for(request: HttpRequest) -> list[NavEntry]:
    """The entries this user's role may use (the home page lists them with descriptions)."""
    return [
        entry
        for entry in NAV
        if not entry.permission or has_permission(request.user, entry.permission)
    ]


def nav_items(request: HttpRequest) -> list[dict[str, object]]:
    if not is_fully_signed_in(request):
        return []
    section = request.path.strip("/").split("/")[0]
    items: list[dict[str, object]] = []
    for entry in nav_entries_for(request):
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
