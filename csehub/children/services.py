"""The only writes to child records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from .models import AliasKind, CareStatus, Child, ChildAlias, Disability, Ethnicity, Gender


@dataclass(frozen=True)
class ChildDetails:
    given_name: str
    family_name: str = ""
    known_as: str = ""
    date_of_birth: date | None = None
    age_estimate_years: int | None = None
    age_not_known: bool = False
    gender: str = Gender.NOT_RECORDED
    ethnicity: str = Ethnicity.NOT_RECORDED
    disability: str = Disability.NOT_RECORDED
    care_status: str = CareStatus.NOT_RECORDED
    school_or_setting: str = ""
    home_postcode: str = ""
    allocated_social_worker: User | None = None


@dataclass(frozen=True)
class AliasInput:
    name: str
    kind: str = AliasKind.NICKNAME


def _apply(child: Child, details: ChildDetails) -> None:
    for name, value in vars(details).items():
        setattr(child, name, value.strip() if isinstance(value, str) else value)


def _aliases_replace(child: Child, aliases: Sequence[AliasInput]) -> None:
    child.aliases.all().delete()
    for alias in aliases:
        row = ChildAlias(child=child, name=alias.name.strip(), kind=alias.kind)
        row.full_clean()
        row.save()


@transaction.atomic
def child_create(
    *,
    actor: User,
    details: ChildDetails,
    aliases: Sequence[AliasInput] = (),
    duplicates_shown: int = 0,
) -> Child:
    """Record a child. `duplicates_shown` is how many likely existing records the person was
    shown and chose to pass over (audited as a count, so IG can review near-duplicates)."""
    if actor.agency_id is None:
        raise ValidationError("Only a member of an agency can record a child")
    child = Child(
        partnership_id=actor.partnership_id,
        created_by=actor,
        created_by_agency_id=actor.agency_id,
    )
    _apply(child, details)
    child.full_clean()
    child.save()
    _aliases_replace(child, aliases)
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="child",
        target_id=child.pk,
        detail={"aliases": len(aliases), "duplicates_shown": duplicates_shown},
    )
    return child


@transaction.atomic
def child_update(
    *, actor: User, child: Child, details: ChildDetails, aliases: Sequence[AliasInput]
) -> Child:
    before = {name: getattr(child, name) for name in vars(details)}
    _apply(child, details)
    child.full_clean()
    child.save()
    old_aliases = sorted((a.name, a.kind) for a in child.aliases.all())
    new_aliases = sorted((a.name.strip(), a.kind) for a in aliases)
    if old_aliases != new_aliases:
        _aliases_replace(child, aliases)
    changed = sorted(name for name, value in before.items() if getattr(child, name) != value)
    if old_aliases != new_aliases:
        changed.append("aliases")
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="child",
        target_id=child.pk,
        detail={"fields": changed},
    )
    return child


@transaction.atomic
def children_search_record(*, actor: User, results: int | None = None, api: bool = False) -> None:
    """A search by name reads personal data, so it is audited: the count, never the words."""
    detail: dict[str, object] = {}
    if results is not None:
        detail["results"] = results
    if api:
        detail["api"] = True
    audit_record(actor=actor, verb=Verb.SEARCHED, target_type="child", detail=detail)


@transaction.atomic
def child_duplicates_shown_record(*, actor: User, shown_ids: Sequence[int], elsewhere: int) -> None:
    """Likely existing records shown before recording a child: which ones, and how many more
    the person may not see (a count only)."""
    audit_record(
        actor=actor,
        verb=Verb.SEARCHED,
        target_type="child",
        detail={"purpose": "duplicate_check", "shown": list(shown_ids), "elsewhere": elsewhere},
    )
