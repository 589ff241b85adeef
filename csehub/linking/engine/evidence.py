"""What the rest of the partnership says about an arriving mention's pairs (scoring.Evidence).

Whether a pair is clear often depends on what else is known: a partial plate resolves to a full
plate only if no other known plate fits it, a handle without a platform only if the handle is on
one platform. Most of it is read from the candidates already fetched; where those may be only
the newest few, one look-up per arriving mention (never one per candidate) tells the rest.
"""

from __future__ import annotations

from django.db.models import Q

from csehub.intelligence.normalise import place_name_key, place_name_kinds, place_name_streets

from ..models import EntityType, IndexedMention, MentionEntity
from . import plate_search
from .index import MAX_PER_IDENTIFIER, MAX_PER_NAME_KEY
from .scoring import AGES_CLASH, Evidence, place_names_alike
from .scoring.names import names_alike

# How many rows a partial plate may fit before it counts as fitting too many to resolve.
MOST_ROWS_FITTING = 200
# How many of the newest reports or concerns holding an identifier say whose it is.
CONTAINERS_PER_IDENTIFIER = 25
# How many of the newest mentions of a handle or place name say where else it is known.
NEWEST_READ = 500


def evidence_of(row: IndexedMention, pool: list[IndexedMention]) -> Evidence:
    """What the partnership says about the pairs of `row` and its candidates `pool`."""
    kind = row.entity_type
    if kind == EntityType.VEHICLE:
        full = [k for k in pool if not k.is_partial]
        if row.is_partial:
            # A partial is matched with look-alikes folded: plates that fold alike are one to it.
            return Evidence(ambiguity=max(1, len({k.plate_confusable for k in full})))
        return Evidence(same_fold=_plates_folding_alike(row, full))
    if kind == EntityType.ONLINE and row.username:
        return Evidence(platforms=len(_platforms_of(row, pool)))
    if kind == EntityType.LOCATION and row.name:
        postcodes, kinds, kinds_at, streets = _postcodes_of_place(row, pool)
        return Evidence(
            place_postcodes=len(postcodes),
            place_kinds=kinds,
            place_kinds_at=kinds_at,
            place_streets=streets,
        )
    if kind == EntityType.PERSON and row.name:
        same = [k for k in pool if k.name == row.name]
        ages = [k.age_estimate for k in same if k.age_estimate is not None]
        apart = bool(ages) and max(ages) - min(ages) > AGES_CLASH
        return Evidence(namesakes=len(same), ages_apart=apart)
    if kind == EntityType.CHILD and row.name:
        same = [k for k in pool if k.name == row.name]
        alike = [k for k in pool if k.name == row.name or names_alike(row.name, k.name)]
        dobs = {k.dob for k in alike if k.dob} | ({row.dob} if row.dob else set())
        # The candidates are the newest MAX_PER_NAME_KEY of a name: as many, and some unseen.
        return Evidence(child_dobs=2 if len(same) >= MAX_PER_NAME_KEY else len(dobs))
    return Evidence()


def _plates_folding_alike(row: IndexedMention, full: list[IndexedMention]) -> int:
    """How many vehicles the known plates that fold (look-alikes) to `row`'s may be: each
    entity one, each plate in none one more. One plate misread several ways ("FN20H2P",
    "FNZ0HZP") is one vehicle once its misreads are joined. A look-up only when the known
    plates that fold alike are written more than one way."""
    mates = [k for k in full if k.plate_confusable == row.plate_confusable]
    if len({k.plate for k in mates}) <= 1:
        return 1
    entities = dict(
        MentionEntity.objects.filter(mention_id__in=[k.mention_id for k in mates]).values_list(
            "mention_id", "entity_id"
        )
    )
    return len({entities.get(k.mention_id, k.plate) for k in mates})


def fitting_plates_of(row: IndexedMention, pool: list[IndexedMention]) -> dict[str, int]:
    """For a full plate arriving: for each partial plate among its candidates, how many
    distinct full plates of the partnership fit it ("YX1??BC" -> 1 when the arriving plate is
    the only one), MOST_ROWS_FITTING when more rows than that fit. One look-up for them all."""
    likes = sorted({k.plate_like for k in pool if k.is_partial and k.plate_like})
    if row.entity_type != EntityType.VEHICLE or row.is_partial or not likes:
        return {}
    found = plate_search.full_plates_fitting_each(row.partnership_id, likes, most=MOST_ROWS_FITTING)
    return {
        like: MOST_ROWS_FITTING if plates is None else max(1, len(plates))
        for like, plates in found.items()
    }  # (plates folded: full_plates_fitting_each gives their folded forms)


def _platforms_of(row: IndexedMention, pool: list[IndexedMention]) -> set[str]:
    """The platforms the handle is known on (the arriving one's included, blank left out).

    Only asked when a platform is missing on one side; from the candidates when they are all
    there are, else one look-up of the handle's platforms."""
    same = [k for k in pool if k.username == row.username]
    if row.platform and all(k.platform for k in same):
        return {row.platform}  # not asked: every pair has both platforms
    if len(same) < MAX_PER_IDENTIFIER:
        found = {k.platform for k in same}
    else:
        # The platforms of the newest mentions of the handle (a walk down its index; a
        # DISTINCT would read them all).
        found = set(
            IndexedMention.objects.filter(
                partnership_id=row.partnership_id,
                entity_type=EntityType.ONLINE,
                username=row.username,
            )
            .exclude(container=row.container)
            .order_by("-pk")
            .values_list("platform", flat=True)[:NEWEST_READ]
        )
    return {p for p in [*found, row.platform] if p}


def _postcodes_of_place(
    row: IndexedMention, pool: list[IndexedMention]
) -> tuple[set[str], int, frozenset[tuple[str, str]], int]:
    """The postcodes of the places that may be `row`'s place: of its name's own words
    (place_name_key) and of no other kind ("Castle Park" is not "Castle shops"), its own
    included; how many kinds of place that name is known for; each (postcode, kind) it is
    known for; and how many streets a place of that name and kind is known on.

    Only asked when a postcode is missing on one side; from the candidates when they are all
    there are, else one look-up of the name's key."""
    key = place_name_key(row.name)
    if not key:
        return set(), 1, frozenset(), 1
    same = [k for k in pool if k.name and place_name_key(k.name) == key]
    if row.postcode and all(k.postcode for k in same):
        return {row.postcode}, 1, frozenset(), 1  # not asked: every pair has both postcodes
    if len(same) < MAX_PER_NAME_KEY:
        found = {(k.name, k.postcode) for k in same}
    else:
        # The names and postcodes of the newest mentions under the name's key, walking the
        # key's index from its newest entry: a DISTINCT read every mention under a common key
        # (30 ms at 100,000 reports), and with the model's ordering it kept the oldest rows.
        found = set(
            IndexedMention.objects.filter(
                partnership_id=row.partnership_id,
                entity_type=EntityType.LOCATION,
                name_keys__key=f"place:{key}",
            )
            .exclude(container=row.container)
            .order_by("-name_keys__id")
            .values_list("name", "postcode")[:NEWEST_READ]
        )
    kinds = _kinds_of_place({*found, (row.name, row.postcode)})
    # A name written without its kind at a postcode where that name is another kind of place
    # ("the Garfield" where "Garfield takeaway" is) is that place, not `row`'s.
    alike = {
        postcode
        for name, postcode in found
        if place_names_alike(row.name, name)
        and not _other_kind(row.name, kinds.get(postcode, frozenset()))
    }
    known = set().union(*kinds.values()) if kinds else set()
    kinds_at = frozenset((p, kind) for p, found in kinds.items() if p for kind in found)
    mine = place_name_kinds(row.name)
    streets = {
        place_name_streets(name)
        for name, _ in {*found, (row.name, row.postcode)}
        if place_name_streets(name) and not (mine and place_name_kinds(name).isdisjoint(mine))
    }
    return (
        {p for p in [*alike, row.postcode] if p},
        max(1, len(known)),
        kinds_at,
        max(1, len(streets)),
    )


def _kinds_of_place(found: set[tuple[str, str]]) -> dict[str, frozenset[str]]:
    """For each postcode ("" for none), the kinds of place the name is written with there."""
    kinds: dict[str, set[str]] = {}
    for name, postcode in found:
        kinds.setdefault(postcode, set()).update(place_name_kinds(name))
    return {postcode: frozenset(found) for postcode, found in kinds.items()}


def _other_kind(name: str, kinds_there: frozenset[str]) -> bool:
    """Whether a place name of one kind meets, at a postcode, only places of other kinds."""
    mine = place_name_kinds(name)
    return bool(mine and kinds_there and not mine & kinds_there)


def identifier_names(
    partnership_id: int, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], list[str]]:
    """For each identifier (scoring.context_keys form: ("phone", "+447700900123"), ...), the
    names of the persons in the newest CONTAINERS_PER_IDENTIFIER reports or concerns holding
    it: a phone seen mostly with people of other names is no one's in particular, and does not
    tell two persons of one name apart from namesakes (decision 0010). Two queries for all."""
    columns = {"phone": "e164", "online": "username", "vehicle": "plate_confusable"}
    condition = Q()
    for kind, value in keys:
        if kind in columns:
            # The type with the column: the look-up indexes lead with both.
            condition |= Q(entity_type=kind, **{columns[kind]: value})
    if not condition:
        return {}
    holding = (
        IndexedMention.objects.filter(condition, partnership_id=partnership_id, is_partial=False)
        .order_by("-pk")
        .values_list("container", *columns.values())[: CONTAINERS_PER_IDENTIFIER * len(keys)]
    )
    containers: dict[tuple[str, str], list[str]] = {}
    for container, *values in holding:
        for kind, value in zip(columns, values, strict=True):
            found = containers.setdefault((kind, value), []) if (kind, value) in keys else None
            if found is not None and len(found) < CONTAINERS_PER_IDENTIFIER:
                found.append(container)
    wanted = {c for found in containers.values() for c in found}
    persons: dict[str, list[str]] = {}
    for container, name in IndexedMention.objects.filter(
        container__in=wanted, entity_type=EntityType.PERSON
    ).values_list("container", "name"):
        if name:
            persons.setdefault(container, []).append(name)
    return {
        key: [name for container in found for name in persons.get(container, [])]
        for key, found in containers.items()
    }
