"""The candidate index: each mention's normal forms in one table, and the lookups on it.

Exact keys (E.164 number, username, postcode, plate, the plate with look-alike characters
folded, name keys) are indexed columns, so a candidate search is a handful of indexed queries
rather than a scan. Partial plates are SQL LIKE patterns (`_` one unknown character, `%` any run)
compared in both directions: a new partial against known full plates, and a new full plate
against known partial patterns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.lookups import Lookup

from csehub.concerns.models import Concern
from csehub.intelligence.models import (
    ChildMention,
    IntelligenceReport,
    LocationMention,
    Mention,
    OnlineMention,
    PersonMention,
    PhoneMention,
    VehicleMention,
)
from csehub.intelligence.normalise import (
    CONFUSABLE,
    name_keys,
    name_normalise,
    phone_e164,
    plate_is_partial,
    plate_normalise,
    postcode_normalise,
    username_normalise,
)

from ..models import EntityType, IndexedMention, MentionSource, NameKey

_FOLD = str.maketrans(CONFUSABLE)


class Like(Lookup):
    """`lhs LIKE rhs`, for partial plates (both sides are already upper case)."""

    lookup_name = "like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs}", [*lhs_params, *rhs_params]


def plate_like_pattern(normalised: str) -> str:
    """ "YX1??BC" -> "YX1__8C": confusables folded, `?` as `_`, `*` as `%`."""
    return normalised.translate(_FOLD).replace("?", "_").replace("*", "%")


def _place_normalise(value: str) -> str:
    """Like a name, but numbers kept: "Unit 9, Mill Lane" and "Unit 12" are different places."""
    kept = "".join(c if c.isalnum() or c.isspace() else " " for c in (value or "").casefold())
    return " ".join(kept.split())


def concern_container(concern_pk: int) -> str:
    return f"concern-{concern_pk}"


# ---------------------------------------------------------------------------------------------
# Building index rows
# ---------------------------------------------------------------------------------------------


def _label(row: IndexedMention) -> str:
    if row.entity_type in (EntityType.CHILD, EntityType.PERSON):
        return row.name or row.nickname or "(no name)"
    if row.entity_type == EntityType.VEHICLE:
        return row.plate or "(no plate)"
    if row.entity_type == EntityType.PHONE:
        return row.e164 or "(not a number)"
    if row.entity_type == EntityType.ONLINE:
        return f"{row.username} ({row.platform})" if row.platform else row.username
    return row.postcode or row.name or "(no postcode)"


def _row(
    *,
    partnership_id: int,
    mention_id: str,
    source: str,
    entity_type: str,
    container: str,
    report: IntelligenceReport | None = None,
    concern: Concern | None = None,
    child_record_id: int | None = None,
    name: str = "",
    nickname: str = "",
    dob: dt.date | None = None,
    age_estimate: int | None = None,
    plate: str = "",
    e164: str = "",
    username: str = "",
    platform: str = "",
    postcode: str = "",
    place_name: str = "",
) -> IndexedMention:
    plate_n = plate_normalise(plate)
    partial = plate_is_partial(plate_n)
    row = IndexedMention(
        partnership_id=partnership_id,
        mention_id=mention_id,
        source=source,
        entity_type=entity_type,
        container=container,
        report=report,
        concern=concern,
        child_record_id=child_record_id,
        name=(name_normalise(name) if name else _place_normalise(place_name))[:200],
        nickname=name_normalise(nickname)[:200],
        dob=dob,
        age_estimate=age_estimate,
        plate=plate_n,
        plate_confusable="" if partial else plate_n.translate(_FOLD),
        is_partial=partial,
        plate_like=plate_like_pattern(plate_n) if partial else "",
        e164=e164,
        username=username_normalise(username),
        platform=platform.strip().casefold(),
        postcode=postcode,
    )
    row.label = _label(row)[:200]
    return row


def _report_row(report: IntelligenceReport, mention: Mention) -> IndexedMention:
    common: dict[str, Any] = {
        "partnership_id": report.partnership_id,
        "mention_id": f"{report.external_id}/{mention.ref}",
        "source": MentionSource.INTELLIGENCE,
        "entity_type": mention.entity_type,
        "container": report.external_id,
        "report": report,
    }
    if isinstance(mention, ChildMention):
        return _row(**common, name=mention.name, dob=mention.dob)
    if isinstance(mention, PersonMention):
        return _row(
            **common,
            name=mention.name,
            nickname=mention.nickname,
            age_estimate=mention.age_estimate,
        )
    if isinstance(mention, VehicleMention):
        return _row(**common, plate=mention.plate)
    if isinstance(mention, PhoneMention):
        return _row(**common, e164=mention.e164 or phone_e164(mention.number))
    if isinstance(mention, OnlineMention):
        return _row(**common, username=mention.username, platform=mention.platform)
    assert isinstance(mention, LocationMention)
    return _row(
        **common,
        postcode=mention.postcode_normalised or postcode_normalise(mention.postcode),
        place_name=mention.name,
    )


def report_rows(report: IntelligenceReport) -> list[IndexedMention]:
    return [_report_row(report, mention) for mention in report.mentions()]


def concern_rows(concern: Concern) -> list[IndexedMention]:
    """The child and everyone and everything involved in a concern, as mentions.

    Refs follow the exchange format's prefixes, numbered in the order they were entered.
    """
    child = concern.child
    container = concern_container(concern.pk)
    common: dict[str, Any] = {
        "partnership_id": child.partnership_id,
        "source": MentionSource.CONCERN,
        "container": container,
        "concern": concern,
    }
    rows = [
        _row(
            **common,
            mention_id=f"{container}/c1",
            entity_type=EntityType.CHILD,
            child_record_id=child.pk,
            name=f"{child.given_name} {child.family_name}",
            dob=child.date_of_birth,
        )
    ]
    for number, person in enumerate(concern.people.all(), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/p{number}",
                entity_type=EntityType.PERSON,
                name=person.name,
                nickname=person.nickname,
                age_estimate=person.age_estimate,
            )
        )
    for number, vehicle in enumerate(concern.vehicles.all(), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/v{number}",
                entity_type=EntityType.VEHICLE,
                plate=vehicle.plate,
            )
        )
    for number, phone in enumerate(concern.phones.all(), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/t{number}",
                entity_type=EntityType.PHONE,
                e164=phone_e164(phone.number),
            )
        )
    for number, account in enumerate(concern.online.all(), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/u{number}",
                entity_type=EntityType.ONLINE,
                username=account.username,
                platform=account.platform,
            )
        )
    for number, place in enumerate(concern.locations.all(), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/l{number}",
                entity_type=EntityType.LOCATION,
                postcode=postcode_normalise(place.postcode),
                place_name=place.name or place.address,
            )
        )
    return rows


def index_replace(*, container: str, rows: Iterable[IndexedMention]) -> list[IndexedMention]:
    """Replace what the index holds for one report or concern with `rows`."""
    IndexedMention.objects.filter(container=container).delete()
    made = IndexedMention.objects.bulk_create(list(rows))
    saved = list(IndexedMention.objects.filter(container=container).order_by("pk"))
    keys = [
        NameKey(mention=row, key=key)
        for row in saved
        if row.entity_type in (EntityType.CHILD, EntityType.PERSON)
        for key in sorted(name_keys(row.name) | name_keys(row.nickname))
        if key
    ]
    NameKey.objects.bulk_create(keys)
    assert len(made) == len(saved)
    return saved


# ---------------------------------------------------------------------------------------------
# Candidate lookups
# ---------------------------------------------------------------------------------------------


def candidates(row: IndexedMention) -> QuerySet[IndexedMention]:
    """Known mentions that might be the same thing as `row`, from other containers."""
    known = IndexedMention.objects.filter(
        partnership_id=row.partnership_id, entity_type=row.entity_type
    ).exclude(container=row.container)
    condition = Q(pk__in=[])
    kind = row.entity_type
    if kind == EntityType.PHONE and row.e164:
        condition = Q(e164=row.e164)
    elif kind == EntityType.ONLINE and row.username:
        condition = Q(username=row.username)
    elif kind == EntityType.LOCATION:
        if row.postcode:
            condition |= Q(postcode=row.postcode)
        if row.name:
            condition |= Q(name=row.name)
    elif kind == EntityType.VEHICLE and row.plate:
        if row.is_partial:
            # A partial against full plates (confusables folded on both sides).
            condition = Q(Like(F("plate_confusable"), Value(row.plate_like)), is_partial=False)
        else:
            # A full plate: the same plate, a misread of it, or a partial pattern it fits.
            condition = Q(plate_confusable=row.plate_confusable) | Q(
                Like(Value(row.plate_confusable), F("plate_like")), is_partial=True
            )
    elif kind in (EntityType.PERSON, EntityType.CHILD):
        keys = list(row.name_keys.values_list("key", flat=True))
        if keys:
            condition = Q(pk__in=NameKey.objects.filter(key__in=keys).values("mention_id"))
        if kind == EntityType.PERSON:
            # The same surname: lets a typo in the first name or a misspelt given name reach
            # the fuzzy comparison without scanning every person.
            words = row.name.split()
            if len(words) > 1:
                condition |= Q(name__endswith=" " + words[-1])
                condition |= Q(name__startswith=words[0] + " ")
            if row.nickname:
                condition |= Q(nickname=row.nickname)
        if kind == EntityType.CHILD and row.child_record_id:
            condition |= Q(child_record_id=row.child_record_id)
    return known.filter(condition).order_by("pk")


def neighbours(containers: Iterable[str]) -> dict[str, list[IndexedMention]]:
    """Every indexed mention of the given containers, by container."""
    found: dict[str, list[IndexedMention]] = {}
    for row in IndexedMention.objects.filter(container__in=set(containers)).order_by("pk"):
        found.setdefault(row.container, []).append(row)
    return found
