"""The service navigation, the home page's list and the footer's links: each entry shows to
users whose role holds its permission (the MACE panel's to those who sit on it), and never
unless the access policy lets them open its page (may_open), so no link leads to a refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse

from csehub.access.permissions import Permission, has_permission
from csehub.access.policy import Open, rule_for
from csehub.access.session import is_fully_signed_in
from csehub.accounts.models import User


def may_open(user: User | AnonymousUser, url_name: str) -> bool:
    """Whether the access policy lets this user open the page: what every link shown to them
    must pass (object-level scope is the page's own business)."""
    rule = rule_for(url_name)
    if rule is None or rule is Open.API:
        return False
    if rule is Open.PUBLIC:
        return True
    if not (isinstance(user, User) and user.is_active):
        return False
    return rule is Open.SIGNED_IN or has_permission(user, rule)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: Permission | None
    description: str = ""  # shown on the home page, which lists every entry the user may use
    # A relation rather than a permission decides (sitting on a panel): asked when given.
    shown_to: Callable[[User], bool] | None = None


def _sits_on_a_panel(user: User) -> bool:
    from csehub.mace.selectors import panels_visible_to

    return panels_visible_to(user=user).exists()


NAV: list[NavEntry] = [
    NavEntry("Home", "accounts:home", None),
    NavEntry(
        "Children",
        "children:list",
        Permission.VIEW_CHILD,
        "Children you may see, their details, risk over time and chronology.",
    ),
    NavEntry(
        "Concerns",
        "concerns:list",
        Permission.VIEW_CONCERN,
        "Concerns raised about children, and the risk identification tool.",
    ),
    NavEntry(
        "Missing episodes",
        "missing:work-list",
        Permission.VIEW_MISSING,
        "Children who go missing: episodes, return interviews due and overdue, and patterns.",
    ),
    NavEntry(
        "MACE panel",
        "mace:meetings",
        None,
        "The panel's meetings: the agenda, what was recorded and the actions agreed.",
        shown_to=_sits_on_a_panel,
    ),
    NavEntry(
        "Referrals to my team",
        "referrals:team",
        Permission.RECEIVE_REFERRAL,
        "Referrals sent to your team: receive, screen and record the outcome.",
    ),
    NavEntry(
        "Referrals made",
        "referrals:made",
        Permission.MAKE_REFERRAL,
        "Referrals your agency has made, and what became of them.",
    ),
    NavEntry(
        "My referrals",
        "referrals:made",
        Permission.REQUEST_REFERRAL,
        "Referrals about the concerns you raised, and their outcomes.",
    ),
    NavEntry(
        "MACE list",
        "mace:list",
        Permission.VIEW_NETWORK,
        "The persons of concern the MACE panel has listed: new links to them raise alerts.",
    ),
    NavEntry(
        "Intelligence inbox",
        "intelligence:inbox",
        Permission.GRADE_INTELLIGENCE,
        "Intelligence shared by partners: grade it and tell them what became of it.",
    ),
    NavEntry(
        "Possible links",
        "linking:possible",
        Permission.VIEW_LINKS,
        "What the linking engine thinks may be the same, grouped by entity: confirm or reject.",
    ),
    NavEntry(
        "Linking runs",
        "linking:runs",
        Permission.VIEW_LINKS,
        "Each batch linking run: the model, its parameters and thresholds, and what it found.",
    ),
    NavEntry(
        "Network overview",
        "linking:network-measures",
        Permission.VIEW_NETWORK,
        "Hubs, groups and hotspots across the partnership's network of people, places and "
        "vehicles.",
    ),
    NavEntry(
        "Problem profile",
        "profile:dashboard",
        Permission.VIEW_PROBLEM_PROFILE,
        "What the records add up to: trends, risk, missing episodes, places, times, who.",
    ),
    NavEntry(
        "Link alerts",
        "linking:alerts",
        Permission.VIEW_NETWORK,
        "New links to a second child or to a person on the MACE list, with their networks.",
    ),
    NavEntry(
        "Shared intelligence",
        "intelligence:mine",
        Permission.SHARE_INTELLIGENCE,
        "Share what you have noticed with the police, and see what became of it.",
    ),
    NavEntry(
        "Guidance",
        "taxonomy:guidance-index",
        Permission.VIEW_GUIDANCE,
        "The shared vocabulary: warning signs, SAFEGUARD areas, vulnerability factors and more.",
    ),
    NavEntry(
        "Pathway",
        "pathways:pathway",
        Permission.VIEW_PATHWAYS,
        "What your partnership's referral pathway says to do, and who to call now.",
    ),
    NavEntry(
        "Agencies",
        "accounts:agency-list",
        Permission.MANAGE_AGENCIES,
        "The agencies in the partnership: add one, change its details or make it inactive.",
    ),
    NavEntry(
        "Users",
        "accounts:user-list",
        Permission.MANAGE_USERS,
        "Add people and invite them, change their role or agency, reset an authenticator.",
    ),
    NavEntry(
        "Audit log",
        "audit:search",
        Permission.VIEW_AUDIT_LOG,
        "Who viewed or changed which record, when, and from where.",
    ),
    NavEntry(
        "Language",
        "language:report",
        Permission.VIEW_LANGUAGE_REPORT,
        "How often the language guidance was shown, taken up or ignored.",
    ),
    NavEntry(
        "My training",
        "learning:my-training",
        Permission.TAKE_TRAINING,
        "The CSE awareness course, your progress, certificates and refresher dates.",
    ),
    NavEntry(
        "Training compliance",
        "learning:compliance",
        Permission.VIEW_TRAINING_COMPLIANCE,
        "Who has completed the training, and whose refresher is due or overdue.",
    ),
    NavEntry(
        "Briefings",
        "learning:briefing-list",
        Permission.PRESENT_BRIEFING,
        "Present the Awareness Plus briefing to your team, and record who attended.",
    ),
]


# The footer's links beside the guidance: the API tokens page is for whoever connects partner
# systems (the administrator), not for every practitioner, though anyone may open it.
FOOTER: list[NavEntry] = [
    NavEntry("Guidance", "taxonomy:guidance-index", Permission.VIEW_GUIDANCE),
    NavEntry("Check your wording", "language:try", Permission.USE_LANGUAGE_CHECK),
    NavEntry("API tokens", "api:tokens", Permission.MANAGE_USERS),
]


def _request_user(request: HttpRequest) -> User | AnonymousUser:
    # Pages answered before the user is known (an error page, say) have no user yet.
    return getattr(request, "user", None) or AnonymousUser()


def _shown(entries: list[NavEntry], user: User | AnonymousUser) -> list[NavEntry]:
    return [
        entry
        for entry in entries
        if may_open(user, entry.url_name)
        and (not entry.permission or has_permission(user, entry.permission))
        and (entry.shown_to is None or (isinstance(user, User) and entry.shown_to(user)))
    ]


def nav_entries_for(request: HttpRequest) -> list[NavEntry]:
    """The entries this user's role may use (the home page lists them with descriptions)."""
    return _shown(NAV, _request_user(request))


def footer_items(request: HttpRequest) -> list[dict[str, str]]:
    if not is_fully_signed_in(request):
        return []
    return [
        {"label": entry.label, "href": reverse(entry.url_name)}
        for entry in _shown(FOOTER, _request_user(request))
    ]


def nav_items(request: HttpRequest) -> list[dict[str, object]]:
    if not is_fully_signed_in(request):
        return []
    entries = [(entry, reverse(entry.url_name)) for entry in nav_entries_for(request)]
    # The current entry is the one whose address is the longest start of this page's address.
    under = [href for _, href in entries if request.path.startswith(href) and href != "/"]
    current = max(under, key=len) if under else ("/" if request.path == "/" else None)
    items: list[dict[str, object]] = [
        {"label": entry.label, "href": href, "current": href == current} for entry, href in entries
    ]
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
