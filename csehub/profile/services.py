"""The board report as a CSV of the profile's tables, with small numbers suppressed, and the
audit event for each time a profile is shown or exported (counts only: ids of nothing)."""

from __future__ import annotations

import csv
import io

from django.db import transaction

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .selectors import Profile


def profile_csv(profile: Profile) -> str:
    """One block per table: its title, its header, its rows as published ("<5")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    scope = profile.agency.name if profile.agency else "The whole partnership"
    writer.writerow(
        ["CSE Hub problem profile", f"{profile.start:%Y-%m-%d}", f"{profile.end:%Y-%m-%d}", scope]
    )
    writer.writerow(["Counts from 1 to 4 are shown as <5."])
    for table in profile.tables:
        writer.writerow([])
        writer.writerow([table.title])
        writer.writerow([table.columns[0] or "", *table.columns[1:]])
        for row in table.rows:
            writer.writerow([row.label, *row.shown])
    return buffer.getvalue()


@transaction.atomic
def profile_view_record(*, actor: User, profile: Profile, exported: bool) -> None:
    audit_record(
        actor=actor,
        verb=Verb.EXPORTED if exported else Verb.VIEWED,
        target_type="problem_profile",
        detail={
            "from": f"{profile.start:%Y-%m-%d}",
            "to": f"{profile.end:%Y-%m-%d}",
            "agency": profile.agency.pk if profile.agency else None,
        },
    )
