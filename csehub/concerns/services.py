"""The only writes to concerns and risk assessments.

Changing or submitting a draft first reloads it under a row lock, so a double click (or the same
draft open in two tabs) submits it once: the second waits, then finds it submitted and is told.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from csehub.accounts.models import User
from csehub.audit.models import Verb
from csehub.audit.services import audit_record
from csehub.children.models import Child
from csehub.linking.engine.arrival import link_concern_on_arrival
from csehub.taxonomy.models import Item

from .models import (
    ROUGHLY_WHEN_DAYS,
    Concern,
    ConcernLocation,
    ConcernOnline,
    ConcernPerson,
    ConcernPhone,
    ConcernStatus,
    ConcernVehicle,
    IndicatorObservation,
    RiskAssessment,
    RiskLevel,
    RiskReason,
    RoughlyWhen,
)
from .rating import RatedObservation, Rating, Scheme, risk_rate, scheme_load
from .recorded import RecordedSign, recorded_signs_for


@dataclass(frozen=True)
class Involved:
    """Who and what else was involved, as in the intelligence exchange format."""

    people: Sequence[dict[str, object]] = ()
    vehicles: Sequence[dict[str, object]] = ()
    phones: Sequence[dict[str, object]] = ()
    online: Sequence[dict[str, object]] = ()
    locations: Sequence[dict[str, object]] = ()


@dataclass(frozen=True)
class ConcernAnswers:
    how_known: str = ""
    what_was_seen: str = ""
    observed_on: dt.date | None = None
    observed_time: dt.time | None = None
    where: str = ""
    involved: Involved = field(default_factory=Involved)


_INVOLVED_MODELS = {
    "people": ConcernPerson,
    "vehicles": ConcernVehicle,
    "phones": ConcernPhone,
    "online": ConcernOnline,
    "locations": ConcernLocation,
}


# The concern's own links, fixed by the service (and locked with the concern): checked once,
# not again for every row or save (each check is a query).
_OWN_LINKS = ["child", "raised_by", "agency"]


def _involved_replace(concern: Concern, involved: Involved) -> dict[str, list[Model]]:
    """Store who and what is involved in place of what was; the rows stored, by kind."""
    stored: dict[str, list[Model]] = {}
    for name, model in _INVOLVED_MODELS.items():
        getattr(concern, name).all().delete()
        rows = [model(concern=concern, **values) for values in getattr(involved, name)]
        for row in rows:
            row.full_clean(exclude=["concern"])
        model.objects.bulk_create(rows)  # type: ignore[attr-defined]
        stored[name] = rows
    return stored


def _counts(stored: dict[str, list[Model]]) -> dict[str, int]:
    return {name: len(rows) for name, rows in stored.items()}


@transaction.atomic
def concern_create(*, actor: User, child: Child) -> Concern:
    """Start a draft concern about a child; it is saved at once so nothing is lost."""
    if actor.agency_id is None:
        raise ValidationError("Only a member of an agency can raise a concern")
    concern = Concern(child=child, raised_by=actor, agency_id=actor.agency_id)
    # The child was read through the access layer; a new draft meets every constraint (and
    # the database still enforces them): checking each would cost a query apiece.
    concern.full_clean(exclude=_OWN_LINKS, validate_constraints=False)
    concern.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="concern",
        target_id=concern.pk,
        child=concern.child_id,
        detail={"child": child.pk},
    )
    return concern


ALREADY_SUBMITTED = "This concern has already been submitted, so it cannot be changed or sent again"


def _lock_draft(*, actor: User, concern: Concern, doing: str) -> None:
    """Reload the concern as stored now, locked until the transaction ends, and refuse unless it
    is still a draft of the actor's (a page loaded before it was submitted may send it again)."""
    concern.refresh_from_db(from_queryset=Concern.objects.select_for_update())
    if concern.raised_by_id != actor.pk:
        raise ValidationError(
            {NON_FIELD_ERRORS: f"Only the person who raised a draft concern can {doing} it"}
        )
    if concern.status != ConcernStatus.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: ALREADY_SUBMITTED})


def _apply(concern: Concern, answers: ConcernAnswers) -> None:
    concern.how_known = answers.how_known
    concern.what_was_seen = answers.what_was_seen.strip()
    concern.observed_on = answers.observed_on
    concern.observed_time = answers.observed_time
    concern.where = answers.where.strip()
    concern.updated_at = timezone.now()


@transaction.atomic
def concern_save_draft(*, actor: User, concern: Concern, answers: ConcernAnswers) -> Concern:
    """Keep whatever has been entered so far; a draft may be incomplete."""
    _lock_draft(actor=actor, concern=concern, doing="change")
    _apply(concern, answers)
    concern.full_clean(exclude=_OWN_LINKS)
    concern.save()
    stored = _involved_replace(concern, answers.involved)
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="concern",
        target_id=concern.pk,
        child=concern.child_id,
        detail={"status": "draft", "involved": _counts(stored)},
    )
    return concern


@transaction.atomic
def concern_submit(*, actor: User, concern: Concern, answers: ConcernAnswers) -> Concern:
    """Save and submit: from now on the concern is part of the child's record."""
    _lock_draft(actor=actor, concern=concern, doing="submit")
    _apply(concern, answers)
    errors: dict[str, str] = {}
    if not concern.what_was_seen:
        errors["what_was_seen"] = "Enter what you saw or were told"
    if concern.observed_on is None:
        errors["observed_on"] = "Enter the date it happened"
    elif concern.observed_on > timezone.localdate():
        errors["observed_on"] = "The date it happened must be today or in the past"
    if not concern.how_known:
        errors["how_known"] = "Select how you know about it"
    if errors:
        raise ValidationError(errors)
    concern.status = ConcernStatus.SUBMITTED
    concern.submitted_at = timezone.now()
    # The checks above are the constraints a submitted concern must meet, each with its own
    # message; the database enforces them again on save.
    concern.full_clean(exclude=_OWN_LINKS, validate_constraints=False)
    concern.save()
    stored = _involved_replace(concern, answers.involved)
    # Match what it mentions against all known (from the rows just stored, not read again).
    link_concern_on_arrival(concern=concern, involved=stored)
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="concern",
        target_id=concern.pk,
        child=concern.child_id,
        detail={"status": "submitted", "involved": _counts(stored)},
    )
    return concern


@dataclass(frozen=True)
class ObservationInput:
    item: Item
    what_was_seen: str
    roughly_when: str


def observation_seen_on(roughly_when: str, as_of: dt.date) -> dt.date | None:
    days = ROUGHLY_WHEN_DAYS.get(roughly_when)
    return None if days is None else as_of - dt.timedelta(days=days)


def _roughly_when_of(seen_on: dt.date, as_of: dt.date) -> str:
    """The narrowest "roughly when" band a known day falls in."""
    ago = (as_of - seen_on).days
    for band, days in ROUGHLY_WHEN_DAYS.items():
        if days is not None and ago <= days:
            return band
    return RoughlyWhen.OVER_A_YEAR


def _recorded_rows(
    assessment: RiskAssessment, signs: list[RecordedSign], ticked: set[int], scheme_roles: set[str]
) -> list[IndicatorObservation]:
    """Observations for the signs CSE Hub holds that the practitioner did not tick: the most
    recent of each item, with a link to the record it came from."""
    newest: dict[tuple[str, str], RecordedSign] = {}
    for sign in signs:
        key = (sign.vocabulary, sign.code)
        if key not in newest or sign.seen_on > newest[key].seen_on:
            newest[key] = sign
    items = {
        (item.vocabulary.code, item.code): item
        for item in Item.objects.filter(
            vocabulary__code__in={v for v, _ in newest} & scheme_roles,
            code__in={c for _, c in newest},
        ).select_related("vocabulary")
    }
    rows = []
    for key, sign in sorted(newest.items()):
        item = items.get(key)
        if item is None or item.pk in ticked:
            continue  # not in this partnership's tool, or the practitioner recorded it
        rows.append(
            IndicatorObservation(
                assessment=assessment,
                item=item,
                what_was_seen=sign.what,
                roughly_when=_roughly_when_of(sign.seen_on, assessment.as_of),
                seen_on=sign.seen_on,
                recorded_source=sign.source,
                recorded_id=sign.source_id,
            )
        )
    return rows


def _rate(
    scheme: Scheme,
    rows: Sequence[IndicatorObservation],
    as_of: dt.date,
    *,
    immediate_danger: bool,
    key: Callable[[IndicatorObservation], object],
) -> Rating:
    return risk_rate(
        scheme,
        [
            RatedObservation(
                vocabulary=row.item.vocabulary.code,
                code=row.item.code,
                label=row.item.label,
                significant=row.item.significant,
                seen_on=row.seen_on,
                key=key(row),
            )
            for row in rows
        ],
        as_of,
        immediate_danger=immediate_danger,
    )


def risk_rating_preview(
    *,
    actor: User,
    concern: Concern,
    immediate_danger: bool,
    observations: Sequence[ObservationInput],
    as_of: dt.date | None = None,
) -> Rating:
    """The rating `risk_assessment_create` would give for these answers, reached the same way
    (the signs CSE Hub already holds included) but writing nothing: the tool's live result."""
    as_of = as_of or timezone.localdate()
    scheme = scheme_load(concern.child.partnership.slug)
    draft = RiskAssessment(concern=concern, as_of=as_of)
    rows = [
        IndicatorObservation(
            assessment=draft,
            item=obs.item,
            roughly_when=obs.roughly_when,
            seen_on=observation_seen_on(obs.roughly_when, as_of),
        )
        for obs in observations
        if scheme.role_of(obs.item.vocabulary.code) is not None
    ]
    signs = recorded_signs_for(child=concern.child, user=actor, as_of=as_of)
    rows += _recorded_rows(
        draft, signs, {obs.item.pk for obs in observations}, set(scheme.vocabularies)
    )
    return _rate(scheme, rows, as_of, immediate_danger=immediate_danger, key=id)


@transaction.atomic
def risk_assessment_create(
    *,
    actor: User,
    concern: Concern,
    immediate_danger: bool,
    observations: Sequence[ObservationInput],
    as_of: dt.date | None = None,
) -> RiskAssessment:
    """Record what the risk tool was told and the rating the partnership's scheme gives."""
    if concern.status != ConcernStatus.SUBMITTED:
        raise ValidationError("Submit the concern before using the risk identification tool")
    if len({o.item.pk for o in observations}) != len(observations):
        raise ValidationError("Each indicator can be recorded once in an assessment")
    as_of = as_of or timezone.localdate()
    scheme = scheme_load(concern.child.partnership.slug)
    for obs in observations:
        if scheme.role_of(obs.item.vocabulary.code) is None:
            raise ValidationError(f"{obs.item.label} is not part of the risk identification tool")
    assessment = RiskAssessment(
        concern=concern,
        assessor=actor,
        as_of=as_of,
        immediate_danger=immediate_danger,
        computed_level=RiskLevel.NO_INDICATORS_RECORDED,
        scheme_slug=scheme.slug,
        scheme_version=scheme.version,
    )
    assessment.full_clean()
    assessment.save()
    saved: list[IndicatorObservation] = []
    for obs in observations:
        row = IndicatorObservation(
            assessment=assessment,
            item=obs.item,
            what_was_seen=obs.what_was_seen.strip(),
            roughly_when=obs.roughly_when,
            seen_on=observation_seen_on(obs.roughly_when, as_of),
        )
        row.full_clean()
        row.save()
        saved.append(row)
    signs = recorded_signs_for(child=concern.child, user=actor, as_of=as_of)
    for row in _recorded_rows(
        assessment, signs, {row.item_id for row in saved}, set(scheme.vocabularies)
    ):
        row.full_clean()
        row.save()
        saved.append(row)
    rating = _rate(scheme, saved, as_of, immediate_danger=immediate_danger, key=lambda row: row.pk)
    by_pk = {row.pk: row for row in saved}
    for position, reason in enumerate(rating.reasons):
        row = by_pk[cast(int, reason.observation.key)]
        reason_row = RiskReason(
            assessment=assessment,
            observation=row,
            item=row.item,
            points=reason.points,
            counted=reason.counted,
            significant=reason.significant,
            explanation=reason.explanation,
            position=position,
        )
        reason_row.full_clean()
        reason_row.save()
    assessment.computed_level = rating.level
    assessment.points = rating.points
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        verb=Verb.CREATED,
        target_type="risk_assessment",
        target_id=assessment.pk,
        child=assessment.concern.child_id,
        detail={
            "concern": concern.pk,
            "level": rating.level.value,
            "immediate_danger": immediate_danger,
            "indicators": sorted(f"{r.item.vocabulary.code}.{r.item.code}" for r in saved),
            "scheme": f"{scheme.slug}@{scheme.version}",
        },
    )
    return assessment


@transaction.atomic
def risk_judgement_record(
    *, actor: User, assessment: RiskAssessment, level: str, rationale: str
) -> RiskAssessment:
    """A professional judgement: a level set by a person, with their reasons, kept beside the
    computed one. A later judgement replaces an earlier one (the audit trail keeps both)."""
    if level not in RiskLevel.values:
        raise ValidationError({"judgement_level": "Select a level"})
    if not rationale.strip():
        raise ValidationError({"judgement_rationale": "Explain why you have set this level"})
    assessment.judgement_level = level
    assessment.judgement_rationale = rationale.strip()
    assessment.judgement_by = actor
    assessment.judgement_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        verb=Verb.UPDATED,
        target_type="risk_assessment",
        target_id=assessment.pk,
        child=assessment.concern.child_id,
        detail={"judgement_level": level, "computed_level": assessment.computed_level},
    )
    return assessment
