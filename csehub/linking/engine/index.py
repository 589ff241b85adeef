"""The candidate index: each mention's normal forms in one table, and the lookups on it.

Exact keys (E.164 number, username, postcode, plate, the plate with look-alike characters
folded, name keys) are indexed columns, so a candidate search is a handful of indexed queries
rather than a scan. Partial plates are SQL LIKE patterns (`_` one unknown character, `%` any run)
compared in both directions: a new partial against known full plates, and a new full plate
against known partial patterns: the per-position plate index (engine.plates) finds the rows
that may fit, and engine.plate_search reads each of them back and checks it. A new partial is
also compared with the same partial written elsewhere and with partials of its length that may
be the same plate. Names are looked for in both orders ("Gray Kai" finds Kai Gray).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

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
    name_block_keys,
    name_keys,
    name_normalise,
    phone_e164,
    place_name_key,
    place_name_normalise,
    plate_is_partial,
    plate_normalise,
    platform_normalise,
    postcode_normalise,
    username_normalise,
)

from ..models import EntityType, IndexedMention, MentionSource, NameKey
from . import plate_search
from .plate_search import KEYS_PER_QUERY, FoundPlate, plate_like_pattern

_FOLD = str.maketrans(CONFUSABLE)
# Candidates per name key, the most recent first. A key as common as "james smith" is shared by
# hundreds of mentions among a million; comparing every one would hold up the arrival, and an
# analyst could not weigh so many suggestions anyway.
MAX_PER_NAME_KEY = 20
MAX_PER_TYPO_KEY = 10
# Candidates per identifier (a number, an account, a postcode, a place name), the most recent
# first. Mentions with the same identifier are already one entity, so a few of them find it; a
# postcode shared by a whole estate would otherwise bring thousands.
MAX_PER_IDENTIFIER = 25
# Candidates for a partial plate that fits many known plates ("YX*" fits thousands), the most
# recent first. Past AMBIGUOUS_AT plates, how ambiguous a pattern is no longer changes its
# weight (scoring.vehicles), so that many of them are always among those kept.
MAX_PLATE_CANDIDATES = 100
AMBIGUOUS_AT = 4


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


def _written(text: str) -> str:
    """ "Dark  Blue " -> "dark blue": lower case, single-spaced (scoring compares its keys)."""
    return " ".join((text or "").split()).lower()


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
    make: str = "",
    colour: str = "",
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
        name=(name_normalise(name) if name else place_name_normalise(place_name))[:200],
        nickname=name_normalise(nickname)[:200],
        dob=dob,
        age_estimate=age_estimate,
        plate=plate_n,
        plate_confusable="" if partial else plate_n.translate(_FOLD),
        is_partial=partial,
        plate_like=plate_like_pattern(plate_n) if partial else "",
        make=_written(make)[:100],
        colour=_written(colour)[:50],
        e164=e164,
        username=username_normalise(username),
        platform=platform_normalise(platform),
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
        return _row(**common, plate=mention.plate, make=mention.make, colour=mention.colour)
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
                make=vehicle.make,
                colour=vehicle.colour,
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


def _name_keys_of(row: IndexedMention) -> list[str]:
    """The keys a person's or child's mention (or a place's name) is filed and looked up under."""
    if row.entity_type == EntityType.LOCATION:
        key = place_name_key(row.name)
        return [f"place:{key}"] if key else []
    if row.entity_type not in (EntityType.CHILD, EntityType.PERSON):
        return []
    return [key for key in sorted(name_block_keys(row.name) | name_keys(row.nickname)) if key]


def index_replace(*, container: str, rows: Iterable[IndexedMention]) -> list[IndexedMention]:
    """Replace what the index holds for one report or concern with `rows`."""
    IndexedMention.objects.filter(container=container).delete()
    made = IndexedMention.objects.bulk_create(list(rows))
    saved = list(IndexedMention.objects.filter(container=container).order_by("pk"))
    keys = [NameKey(mention=row, key=key) for row in saved for key in _name_keys_of(row)]
    NameKey.objects.bulk_create(keys)
    assert len(made) == len(saved)
    return saved


def index_rows_add(
    mentions: Sequence[tuple[IntelligenceReport, Mention]],
) -> list[IndexedMention]:
    """Index the mentions of newly stored reports (a bulk import's batch), in the order given:
    the keys the rows get say which arrived first. The reports hold nothing in the index yet."""
    made = IndexedMention.objects.bulk_create(
        [_report_row(report, mention) for report, mention in mentions], batch_size=1000
    )
    if any(row.pk is None for row in made):  # a database that does not return keys
        ids = [row.mention_id for row in made]
        made = sorted(
            (
                row
                for start in range(0, len(ids), 500)
                for row in IndexedMention.objects.filter(mention_id__in=ids[start : start + 500])
            ),
            key=lambda row: row.pk,
        )
    NameKey.objects.bulk_create(
        [NameKey(mention=row, key=key) for row in made for key in _name_keys_of(row)],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        # The batch is linked next, by look-ups whose plans rest on the tables' statistics. A
        # bulk load outruns autovacuum: without this, a fresh partnership's first batches are
        # planned as if the index were empty (every person read for each name key, about 1 s a
        # look-up). Sampling costs a fraction of a second even at a million rows.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {IndexedMention._meta.db_table}, {NameKey._meta.db_table}")
    return list(made)


# ---------------------------------------------------------------------------------------------
# Candidate lookups
# ---------------------------------------------------------------------------------------------


def candidates(row: IndexedMention) -> list[IndexedMention]:
    """Known mentions that might be the same thing as `row`, from other containers."""
    known = IndexedMention.objects.filter(
        partnership_id=row.partnership_id, entity_type=row.entity_type
    ).exclude(container=row.container)
    kind = row.entity_type
    found: set[int] = set()
    if kind == EntityType.PHONE and row.e164:
        found.update(_newest(known, Q(e164=row.e164)))
    elif kind == EntityType.ONLINE and row.username:
        found.update(_newest(known, Q(username=row.username)))
    elif kind == EntityType.LOCATION:
        if row.postcode:
            found.update(_newest(known, Q(postcode=row.postcode)))
        if row.name:
            found.update(_newest(known, Q(name=row.name)))
            found.update(_named(row))
    elif kind == EntityType.VEHICLE and row.plate:
        return _vehicle_candidates(row, known)
    elif kind in (EntityType.PERSON, EntityType.CHILD):
        # The name keys (typo-tolerant ones included) and the nickname's: each an indexed
        # lookup, the most recent mentions first and at most MAX_PER_NAME_KEY of each.
        found.update(_named(row))
        if kind == EntityType.CHILD and row.child_record_id:
            found.update(
                known.filter(child_record_id=row.child_record_id).values_list("pk", flat=True)
            )
    # Fetched by key alone: each key above already met the partnership, kind and container.
    return list(IndexedMention.objects.filter(pk__in=sorted(found)).order_by("pk"))


def _newest(known: QuerySet[IndexedMention], condition: Q) -> list[int]:
    return list(
        known.filter(condition).order_by("-pk").values_list("pk", flat=True)[:MAX_PER_IDENTIFIER]
    )


def _named(row: IndexedMention) -> list[int]:
    """Keys of the mentions filed under the row's name keys, the newest few of each key.

    One statement, a UNION ALL of one small ordered, limited lookup per key (each walks the
    key's index from its newest entry), where the ORM would need a query per key.
    """
    keys = _name_keys_of(row)
    words = row.name.split() if row.entity_type != EntityType.LOCATION else []
    if len(words) > 1:
        # The name in the other order ("Gray Kai" for Kai Gray) is looked for too; it is only
        # ever filed one way, so looking both ways finds it whichever of the two came first.
        keys += sorted(name_keys(f"{words[-1]} {words[0]}") - set(keys))
    if not keys:
        return []
    quote = connection.ops.quote_name
    name_key, mention = quote(NameKey._meta.db_table), quote(IndexedMention._meta.db_table)
    one = (
        f"SELECT * FROM (SELECT k.{quote('mention_id')} FROM {name_key} k"  # noqa: S608
        # CROSS JOIN: SQLite then walks the key's entries first, as meant, rather than every
        # mention of the partnership's type through an index that starts with those columns.
        f" CROSS JOIN {mention} m WHERE m.{quote('id')} = k.{quote('mention_id')}"
        f" AND k.{quote('key')} = %s AND m.{quote('partnership_id')} = %s"
        f" AND m.{quote('entity_type')} = %s AND m.{quote('container')} <> %s"
        " ORDER BY k.{id} DESC LIMIT {limit}) AS newest_{number}"
    )
    # A name's own keys (its words' nickname groups) reach further than the keys that only
    # allow for a slip of the keyboard, which common names share with many others.
    own = name_keys(row.name) | name_keys(row.nickname)
    sql = " UNION ALL ".join(
        one.format(
            id=quote("id"),
            limit=MAX_PER_NAME_KEY if key in own else MAX_PER_TYPO_KEY,
            number=number,
        )
        for number, key in enumerate(keys)
    )
    params: list[str | int] = []
    for key in keys:
        params += [key, row.partnership_id, row.entity_type, row.container]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted({found for (found,) in cursor.fetchall()})


def _newest_few(found: list[FoundPlate]) -> list[int]:
    """The newest MAX_PLATE_CANDIDATES, and one of each further plate while fewer than
    AMBIGUOUS_AT plates are among them, so that how ambiguous the pattern is stays as scored."""
    newest = sorted(found, key=lambda p: -p.pk)
    chosen = newest[:MAX_PLATE_CANDIDATES]
    seen = {p.plate for p in chosen}
    for plate in newest[MAX_PLATE_CANDIDATES:]:
        if len(seen) >= AMBIGUOUS_AT:
            break
        if plate.plate not in seen:
            seen.add(plate.plate)
            chosen.append(plate)
    return [p.pk for p in chosen]


def _vehicle_candidates(
    row: IndexedMention, known: QuerySet[IndexedMention]
) -> list[IndexedMention]:
    """Plates from the per-position index (engine.plates), each checked again in its row."""
    partnership_id, container = row.partnership_id, row.container
    exact: list[IndexedMention] = []
    alike: list[int] = []
    if row.is_partial:
        # A partial against full plates (confusables folded on both sides), the same partial
        # written elsewhere, and other partials of its length that may be the same plate.
        found = plate_search.fitting_full_plates(
            partnership_id, row.plate_like, container=container
        )
        exact = list(known.filter(plate=row.plate).order_by("-pk")[:MAX_PER_IDENTIFIER])
        alike = [
            p.pk
            for p in plate_search.compatible_partial_plates(
                partnership_id, row.plate_like, container=container, newest=MAX_PER_IDENTIFIER
            )
        ]
    else:
        # A full plate: the same plate, a misread of it, or a partial pattern it fits.
        exact = list(known.filter(plate_confusable=row.plate_confusable))
        found = plate_search.fitted_partial_plates(
            partnership_id, row.plate_confusable, container=container
        )
    seen = {r.pk for r in exact}
    wanted = [pk for pk in dict.fromkeys([*_newest_few(found), *alike]) if pk not in seen]
    fitting = [
        r
        for start in range(0, len(wanted), KEYS_PER_QUERY)
        for r in IndexedMention.objects.filter(pk__in=wanted[start : start + KEYS_PER_QUERY])
    ]
    return sorted({r.pk: r for r in [*exact, *fitting]}.values(), key=lambda r: r.pk)


def neighbours(
    containers: Iterable[str], *, fields: Sequence[str] = ()
) -> dict[str, list[IndexedMention]]:
    """Every indexed mention of the given containers, by container (only `fields`, if given)."""
    found: dict[str, list[IndexedMention]] = {}
    rows = IndexedMention.objects.filter(container__in=set(containers)).order_by("pk")
    for row in rows.only("container", *fields) if fields else rows:
        found.setdefault(row.container, []).append(row)
    return found
