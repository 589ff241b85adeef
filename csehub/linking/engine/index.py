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
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from django.db import connection

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


# A concern's container, and so the start of its mentions' ids: "concern-42/p1". No report may
# take an id of this form (intelligence.services refuses one on import).
CONCERN_ID_PREFIX = "concern-"


def concern_container(concern_pk: int) -> str:
    return f"{CONCERN_ID_PREFIX}{concern_pk}"


# ---------------------------------------------------------------------------------------------
# Building index rows
# ---------------------------------------------------------------------------------------------


def _label(row: IndexedMention) -> str:
    """What a mention (and an entity made from it) is called on pages: built from the normal
    forms only, with names and place names in capitals as people write them ("Kira Thorne")."""
    if row.entity_type in (EntityType.CHILD, EntityType.PERSON):
        return (row.name or row.nickname).title() or "(no name)"
    if row.entity_type == EntityType.VEHICLE:
        return row.plate or "(no plate)"
    if row.entity_type == EntityType.PHONE:
        return row.e164 or "(not a number)"
    if row.entity_type == EntityType.ONLINE:
        return f"{row.username} ({row.platform})" if row.platform else row.username
    return row.postcode or row.name.title() or "(no postcode)"


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


def mention_row(report: IntelligenceReport, mention: Mention) -> IndexedMention:
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
    return [mention_row(report, mention) for mention in report.mentions()]


def concern_rows(
    concern: Concern, involved: Mapping[str, Sequence[Any]] | None = None
) -> list[IndexedMention]:
    """The child and everyone and everything involved in a concern, as mentions (`involved`:
    the rows by kind, as stored; read from the concern when not given).

    Refs follow the exchange format's prefixes, numbered in the order they were entered.
    """

    def of(kind: str) -> Sequence[Any]:
        return involved[kind] if involved is not None else getattr(concern, kind).all()

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
    for number, person in enumerate(of("people"), start=1):
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
    for number, vehicle in enumerate(of("vehicles"), start=1):
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
    for number, phone in enumerate(of("phones"), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/t{number}",
                entity_type=EntityType.PHONE,
                e164=phone_e164(phone.number),
            )
        )
    for number, account in enumerate(of("online"), start=1):
        rows.append(
            _row(
                **common,
                mention_id=f"{container}/u{number}",
                entity_type=EntityType.ONLINE,
                username=account.username,
                platform=account.platform,
            )
        )
    for number, place in enumerate(of("locations"), start=1):
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


def name_keys_of(row: IndexedMention) -> list[str]:
    """The keys a person's or child's mention (or a place's name) is filed and looked up under."""
    if row.entity_type == EntityType.LOCATION:
        key = place_name_key(row.name)
        return [f"place:{key}"] if key else []
    if row.entity_type not in (EntityType.CHILD, EntityType.PERSON):
        return []
    return [key for key in sorted(name_block_keys(row.name) | name_keys(row.nickname)) if key]


def index_replace(
    *, container: str, rows: Iterable[IndexedMention]
) -> tuple[list[IndexedMention], bool]:
    """Replace what the index holds for one report or concern with `rows`. Returns the rows
    stored, and whether the container was indexed before (a report or concern changed)."""
    replaced, _ = IndexedMention.objects.filter(container=container).delete()
    saved = IndexedMention.objects.bulk_create(list(rows))
    if any(row.pk is None for row in saved):  # a database that does not return keys
        saved = list(IndexedMention.objects.filter(container=container).order_by("pk"))
    keys = [NameKey(mention=row, key=key) for row in saved for key in name_keys_of(row)]
    NameKey.objects.bulk_create(keys)
    return saved, replaced > 0


# ---------------------------------------------------------------------------------------------
# Candidate lookups
# ---------------------------------------------------------------------------------------------


def candidates(row: IndexedMention) -> list[IndexedMention]:
    """Known mentions that might be the same thing as `row`, from other containers."""
    return candidates_each([row])[row.pk]


Param = str | int
# Lookups per statement: SQLite allows 500 terms in one compound SELECT.
LOOKUPS_PER_STATEMENT = 200


def candidates_each(rows: Sequence[IndexedMention]) -> dict[int, list[IndexedMention]]:
    """candidates() for each of several rows (by key): every lookup of every row in one
    statement, and the rows found read in one more, where a query each would take dozens."""
    lookups: list[tuple[int, str, list[Param]]] = []
    found: dict[int, set[int]] = {row.pk: set() for row in rows}
    for number, row in enumerate(rows):
        kind = row.entity_type
        if kind == EntityType.VEHICLE:
            if row.plate:
                found[row.pk].update(_vehicle_candidates(row))
            continue
        lookups += [(number, sql, params) for sql, params in _lookups(row)]
    for start in range(0, len(lookups), LOOKUPS_PER_STATEMENT):
        chunk = lookups[start : start + LOOKUPS_PER_STATEMENT]
        sql = " UNION ALL ".join(
            f"SELECT * FROM ({one.replace('{number}', str(number))}) AS lookup_{at}"  # noqa: S608
            for at, (number, one, _) in enumerate(chunk)
        )
        params = [value for _, _, values in chunk for value in values]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for number, key in cursor.fetchall():
                found[rows[number].pk].add(key)
    wanted = sorted(set().union(*found.values()))
    by_key = {
        known.pk: known
        for start in range(0, len(wanted), KEYS_PER_QUERY)
        for known in IndexedMention.objects.filter(pk__in=wanted[start : start + KEYS_PER_QUERY])
    }
    # Fetched by key alone: each lookup already met the partnership, kind and container.
    return {
        pk: [by_key[key] for key in sorted(keys) if key in by_key] for pk, keys in found.items()
    }


def _lookups(row: IndexedMention) -> list[tuple[str, list[Param]]]:
    """A row's lookups, each (SQL selecting the row's number and a key, its parameters): the
    newest few of each identifier, name key and nickname key ("Gray Kai" finds Kai Gray)."""
    kind = row.entity_type
    newest: list[tuple[str, Param]] = []
    if kind == EntityType.PHONE and row.e164:
        newest.append(("e164", row.e164))
    elif kind == EntityType.ONLINE and row.username:
        newest.append(("username", row.username))
    elif kind == EntityType.LOCATION:
        if row.postcode:
            newest.append(("postcode", row.postcode))
        if row.name:
            newest.append(("name", row.name))
    quote = connection.ops.quote_name
    mention = quote(IndexedMention._meta.db_table)
    same = (
        f"m.{quote('partnership_id')} = %s AND m.{quote('entity_type')} = %s"
        f" AND m.{quote('container')} <> %s"
    )
    where: list[Param] = [row.partnership_id, row.entity_type, row.container]
    found: list[tuple[str, list[Param]]] = [
        (
            f"SELECT {{number}}, m.{quote('id')} FROM {mention} m"  # noqa: S608
            f" WHERE {same} AND m.{quote(column)} = %s"
            f" ORDER BY m.{quote('id')} DESC LIMIT {MAX_PER_IDENTIFIER}",
            [*where, value],
        )
        for column, value in newest
    ]
    if kind == EntityType.CHILD and row.child_record_id:
        found.append(
            (
                f"SELECT {{number}}, m.{quote('id')} FROM {mention} m"  # noqa: S608
                f" WHERE {same} AND m.{quote('child_record_id')} = %s",
                [*where, row.child_record_id],
            )
        )
    if kind in (EntityType.PERSON, EntityType.CHILD, EntityType.LOCATION):
        found += _named(row, same, where)
    return found


def _named(row: IndexedMention, same: str, where: list[Param]) -> list[tuple[str, list[Param]]]:
    """Lookups of the mentions filed under the row's name keys, the newest few of each key
    (each walks the key's index from its newest entry)."""
    keys = name_keys_of(row)
    words = row.name.split() if row.entity_type != EntityType.LOCATION else []
    if len(words) > 1:
        # The name in the other order ("Gray Kai" for Kai Gray) is looked for too; it is only
        # ever filed one way, so looking both ways finds it whichever of the two came first.
        keys += sorted(name_keys(f"{words[-1]} {words[0]}") - set(keys))
    quote = connection.ops.quote_name
    name_key, mention = quote(NameKey._meta.db_table), quote(IndexedMention._meta.db_table)
    # A name's own keys (its words' nickname groups) reach further than the keys that only
    # allow for a slip of the keyboard, which common names share with many others.
    own = name_keys(row.name) | name_keys(row.nickname)
    return [
        (
            f"SELECT {{number}}, k.{quote('mention_id')} FROM {name_key} k"  # noqa: S608
            # CROSS JOIN: SQLite then walks the key's entries first, as meant, rather than
            # every mention of the partnership's type through an index that starts with those.
            f" CROSS JOIN {mention} m WHERE m.{quote('id')} = k.{quote('mention_id')}"
            f" AND k.{quote('key')} = %s AND {same}"
            f" ORDER BY k.{quote('id')} DESC"
            f" LIMIT {MAX_PER_NAME_KEY if key in own else MAX_PER_TYPO_KEY}",
            [key, *where],
        )
        for key in keys
    ]


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


def _vehicle_candidates(row: IndexedMention) -> list[int]:
    """Keys of the plates from the per-position index (engine.plates), each checked again in
    its row, and of the same plate written elsewhere."""
    partnership_id, container = row.partnership_id, row.container
    known = IndexedMention.objects.filter(
        partnership_id=partnership_id, entity_type=row.entity_type
    ).exclude(container=container)
    alike: list[int] = []
    if row.is_partial:
        # A partial against full plates (confusables folded on both sides), the same partial
        # written elsewhere, and other partials of its length that may be the same plate.
        found = plate_search.fitting_full_plates(
            partnership_id, row.plate_like, container=container
        )
        exact = known.filter(plate=row.plate).order_by("-pk")[:MAX_PER_IDENTIFIER]
        alike = [
            p.pk
            for p in plate_search.compatible_partial_plates(
                partnership_id, row.plate_like, container=container, newest=MAX_PER_IDENTIFIER
            )
        ]
    else:
        # A full plate: the same plate, a misread of it, or a partial pattern it fits. The
        # newest few of each, like any identifier: a plate seen thousands of times would
        # otherwise be read, scored and paired whole on every arrival that names it.
        folded = known.filter(plate_confusable=row.plate_confusable).order_by("-pk")
        exact = folded.filter(plate=row.plate)[:MAX_PER_IDENTIFIER]
        alike = list(
            folded.exclude(plate=row.plate).values_list("pk", flat=True)[:MAX_PER_IDENTIFIER]
        )
        found = plate_search.fitted_partial_plates(
            partnership_id, row.plate_confusable, container=container
        )
    return [*exact.values_list("pk", flat=True), *_newest_few(found), *alike]


# Containers asked for in one query (well under SQLite's 999 parameters).
CONTAINERS_PER_QUERY = 500


class Neighbour(NamedTuple):
    """A mention as the context of a pair reads it (scoring.ContextRow), without a model
    instance: an arrival reads dozens of them."""

    pk: int
    container: str
    entity_type: str
    name: str
    e164: str
    username: str
    plate: str
    is_partial: bool
    plate_confusable: str
    postcode: str


def neighbours(containers: Iterable[str]) -> dict[str, list[Neighbour]]:
    """Every indexed mention of the given containers, by container (in chunks: a bulk import
    asks for thousands)."""
    found: dict[str, list[Neighbour]] = {}
    wanted = sorted(set(containers))
    for start in range(0, len(wanted), CONTAINERS_PER_QUERY):
        rows = IndexedMention.objects.filter(
            container__in=wanted[start : start + CONTAINERS_PER_QUERY]
        )
        for values in rows.order_by("pk").values_list(*Neighbour._fields):
            row = Neighbour(*values)
            found.setdefault(row.container, []).append(row)
    return found
