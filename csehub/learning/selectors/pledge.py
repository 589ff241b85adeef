"""Reads for the pledge: a user's own pledge and invitations, and the partnership's counts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from csehub.access.permissions import Permission, scope_for
from csehub.accounts.models import Agency, User
from csehub.datafiles import DataFileError, yaml_load_strict

from ..models import Pledge, PledgeInvitation


def pledge_for(*, user: User) -> Pledge | None:
    return Pledge.objects.filter(user=user).first()


def pledge_invitations_sent_by(*, user: User) -> QuerySet[PledgeInvitation]:
    return PledgeInvitation.objects.filter(inviter=user).order_by("-sent_at", "-pk")


def pledge_invitation_by_token_unchecked(*, token: str) -> PledgeInvitation | None:
    """The invitation a link names. Anyone holding the link may use it: that is its purpose."""
    if not token or len(token) > 64:
        return None
    return PledgeInvitation.objects.filter(token=token).select_related("inviter").first()


PLEDGE_FILE = Path(__file__).resolve().parent.parent / "data" / "pledge.yaml"


@dataclass(frozen=True)
class PledgeWording:
    statement: str
    promises: tuple[str, ...]


def pledge_wording_read(path: Path = PLEDGE_FILE) -> PledgeWording:
    """The pledge's words from its data file; raises DataFileError naming what is wrong."""
    raw = yaml_load_strict(path.read_text(encoding="utf-8"))
    problems = []
    if not isinstance(raw, dict) or set(raw) != {"version", "statement", "promises"}:
        raise DataFileError([f"{path.name}: must have exactly version, statement and promises"])
    if not isinstance(raw["statement"], str) or not raw["statement"].strip():
        problems.append(f"{path.name}: statement must be non-empty text")
    promises = raw["promises"]
    if not isinstance(promises, list) or not all(isinstance(p, str) and p for p in promises):
        problems.append(f"{path.name}: promises must be a list of non-empty text")
    if problems:
        raise DataFileError(problems)
    return PledgeWording(
        statement=" ".join(raw["statement"].split()),
        promises=tuple(" ".join(p.split()) for p in promises),
    )


@lru_cache(maxsize=1)
def pledge_wording() -> PledgeWording:
    return pledge_wording_read()


# What a public invitation link finds.
LINK_OPEN = "open"
LINK_PLEDGED = "pledged"
LINK_EXPIRED = "expired"
LINK_UNKNOWN = "unknown"


def pledge_invitation_link_state(
    invitation: PledgeInvitation | None, *, now: datetime.datetime | None = None
) -> str:
    """Open to take the pledge, already used, expired, or no such link. A used link still
    opens the course until it expires."""
    if invitation is None:
        return LINK_UNKNOWN
    if invitation.expires_at is None or invitation.expires_at <= (now or timezone.now()):
        return LINK_EXPIRED
    return LINK_PLEDGED if invitation.pledged_at is not None else LINK_OPEN


@dataclass(frozen=True)
class PledgeCounts:
    pledged: int
    found_out_more: int
    completed_course: int
    told_five_people: int
    invitations_sent: int
    invitations_accepted: int
    invitations_completed: int


@dataclass(frozen=True)
class PledgeAgencyRow:
    agency: Agency
    counts: PledgeCounts


@dataclass(frozen=True)
class PledgeReport:
    totals: PledgeCounts
    by_agency: list[PledgeAgencyRow]


def _counts(pledges: QuerySet[Pledge], invitations: QuerySet[PledgeInvitation]) -> PledgeCounts:
    p = pledges.aggregate(
        pledged=Count("pk"),
        found_out_more=Count("pk", filter=Q(found_out_more=True)),
        completed_course=Count("pk", filter=Q(completed_course=True)),
        told_five_people=Count("pk", filter=Q(told_five_people=True)),
    )
    i = invitations.aggregate(
        sent=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_user__isnull=False)),
        completed=Count("pk", filter=Q(completed=True)),
    )
    return PledgeCounts(
        pledged=p["pledged"],
        found_out_more=p["found_out_more"],
        completed_course=p["completed_course"],
        told_five_people=p["told_five_people"],
        invitations_sent=i["sent"],
        invitations_accepted=i["accepted"],
        invitations_completed=i["completed"],
    )


def pledge_report_for(*, user: User) -> PledgeReport | None:
    """Counts only, never names: pledges taken and invitations sent within the user's
    partnership, in total and by the agency of the person who pledged or invited."""
    if scope_for(user, Permission.VIEW_PLEDGE_REPORT) is None or user.agency is None:
        return None
    partnership_id = user.agency.partnership_id
    pledges = Pledge.objects.filter(user__agency__partnership_id=partnership_id)
    invitations = PledgeInvitation.objects.filter(inviter__agency__partnership_id=partnership_id)
    agencies = Agency.objects.filter(partnership_id=partnership_id).order_by("name")
    rows = []
    for agency in agencies:
        counts = _counts(
            pledges.filter(user__agency=agency), invitations.filter(inviter__agency=agency)
        )
        if counts.pledged or counts.invitations_sent:
            rows.append(PledgeAgencyRow(agency=agency, counts=counts))
    return PledgeReport(totals=_counts(pledges, invitations), by_agency=rows)
