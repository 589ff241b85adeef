"""Adding and changing the agencies of a partnership. Each change leaves an audit event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from csehub.audit.models import Verb
from csehub.audit.services import audit_record

from ..models import Agency, AgencyType, Partnership, User

DUPLICATE_NAME = (
    "There is already an agency called {name} in this partnership. Enter a different name"
)


def _actor_partnership(actor: User) -> Partnership:
    partnership = actor.partnership
    if partnership is None:
        raise ValidationError(
            "Your account is not linked to a partnership, so you cannot manage agencies"
        )
    return partnership


def _check_name_free(*, partnership: Partnership, name: str, exclude_pk: int | None = None) -> None:
    clash = Agency.objects.filter(partnership=partnership, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": DUPLICATE_NAME.format(name=name)})


@transaction.atomic
def agency_create(*, actor: User, name: str, agency_type: AgencyType | str) -> Agency:
    """A new, active agency in the administrator's own partnership."""
    partnership = _actor_partnership(actor)
    name = " ".join(name.split())
    _check_name_free(partnership=partnership, name=name)
    agency = Agency(partnership=partnership, name=name, agency_type=agency_type)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, verb=Verb.CREATED, target_type="agency", target_id=agency.pk)
    return agency


@transaction.atomic
def agency_update(
    *, actor: User, agency: Agency, name: str, agency_type: AgencyType | str, is_active: bool
) -> Agency:
    """Change an agency's details. Audits which fields changed, never their values."""
    partnership = _actor_partnership(actor)
    if agency.partnership_id != partnership.pk:
        # Selectors already keep other partnerships out of reach; this is the last line.
        raise PermissionError(
            "An administrator manages the agencies of their own partnership only."
        )
    name = " ".join(name.split())
    _check_name_free(partnership=partnership, name=name, exclude_pk=agency.pk)
    new_values: dict[str, object] = {"name": name, "agency_type": str(agency_type)}
    changed = [field for field, value in new_values.items() if getattr(agency, field) != value]
    activity_changed = agency.is_active != is_active
    for field, value in new_values.items():
        setattr(agency, field, value)
    agency.is_active = is_active
    agency.full_clean()
    agency.save()
    if changed:
        audit_record(
            actor=actor,
            verb=Verb.UPDATED,
            target_type="agency",
            target_id=agency.pk,
            detail={"fields": changed},
        )
    if activity_changed:
        audit_record(
            actor=actor,
            verb=Verb.REACTIVATED if is_active else Verb.DEACTIVATED,
            target_type="agency",
            target_id=agency.pk,
        )
    return agency
