"""The Splink model for persons of concern: one definition for DuckDB and for Spark.

Everything the model is made of lives here: the columns it reads, the comparisons and their
levels, the blocking rules that choose which pairs are compared, the stored m and u
probabilities of each level, the prior, and the thresholds that turn a match probability into
an assignment or a suggestion. Splink turns the definition into each engine's SQL, so a run on
Spark compares exactly what a run on DuckDB does.

The parameters are stored, not trained on each run, so that the same two mentions always get
the same weight (analysts can compare runs) and a run is cheap. They were estimated once on
200,000 mentions from benchmarks/batch_resolution.py's generator, whose truth is known: m with
Splink's estimate_m_from_label_column, u with estimate_u_using_random_sampling and, for the
rare name levels that sampling barely sees, by counting agreeing non-matching pairs; then
rounded. A change to them is a new MODEL_VERSION.

Assignment is conservative (version 2): a false merge of two different persons of concern is far
worse than a missed link, which analysts still see as a suggestion. Before a pair is assigned
its agreeing levels are adjusted for term frequency in the run (TF_LEVELS: a name, street name
or identifier many mentions carry weighs less), it must reach CLUSTER_AT so adjusted, and
something besides the name must agree (CORROBORATING); clusters are checked as a whole
(AGE_APART, CLUSTER_MAX). Splink's own probability and weights are kept for suggestions and
their reasons.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator

from csehub.intelligence.normalise import name_keys, name_normalise

MODEL_NAME = "persons-of-concern"
MODEL_VERSION = 2

# A pair at or above this match probability is the same person: the engine assigns both to one
# entity (unless an analyst's decision forbids it). Children are never assigned, whatever this.
CLUSTER_AT = 0.9
# From here up to CLUSTER_AT (and children's pairs above it) a pair is a suggestion for analysts.
SUGGEST_AT = 0.5
# How likely two records picked at random are the same person: stored, not set from the size
# of each run, so that the same two mentions always get the same weight (an analyst can compare
# runs), whatever else is in the data.
PRIOR = 0.00001
# At most this many questions are open for one group of mentions at a time (its strongest):
# answering one lets the next run ask the next, against the groups as they then stand.
QUESTIONS_PER_GROUP = 2
# Term frequencies: a name, street name or identifier that many mentions carry says less than
# a rare one. The u of an agreeing level is at least the share of the run's mentions that carry
# the value, counted over at least this many mentions (a small run is read as part of a
# partnership's usual size, not as the whole world: two mentions of one name among seven are
# not a common name).
TF_POPULATION_AT_LEAST = 10_000
# The levels whose u is adjusted by term frequency, per comparison (the value they agree on).
TF_LEVELS = {
    "name": ("exact", "nickname or spelling", "similar"),
    "nickname": ("exact",),
    "context": ("shares an identifier",),
}
# A name agreeing is not enough to assign, however rare: the pair must also agree on one of
# these (an identifier in both reports, the same street name, or a consistent age). A street
# name made of the person's own name ("Danny A" for Daniel Ashdown) is what anyone of that name
# may be called: it neither corroborates nor adds weight to an assignment (see
# `nickname_from_name`).
CORROBORATING = {
    "context": ("shares an identifier",),
    "nickname": ("exact",),
    "age_estimate": ("within 2 years", "within 5 years"),
}
# Clusters are checked as a whole, so that chaining cannot glue namesakes: two clusters are only
# joined when every mention of one is compatible with every mention of the other (ages, when
# both are known, at most this many years apart, and given names of one group) and the result
# holds at most CLUSTER_MAX mentions (a bigger one is left to analysts, as suggestions).
AGE_APART = 10
CLUSTER_MAX = 200

THRESHOLDS = {
    "cluster_at_match_probability": CLUSTER_AT,
    "suggest_at_match_probability": SUGGEST_AT,
    "probability_two_random_records_match": PRIOR,
    "questions_per_group": QUESTIONS_PER_GROUP,
    "term_frequency_population_at_least": TF_POPULATION_AT_LEAST,
    "assign_only_when_corroborated_by": (
        "a phone, full plate or username in both reports, the same street name (not one made"
        " of the name), or ages within 5 years"
    ),
    "cluster_members_ages_at_most_apart": AGE_APART,
    "cluster_max_mentions": CLUSTER_MAX,
}

# The columns the model reads, built from a mention's normal forms by `model_record`.
COLUMNS = {
    "unique_id": "the mention id",
    "name": "the name, normalised, first and last words only",
    "full_name": "the same when it has two words or more (a given name alone is not a full name)",
    "first_name": "first word of the name",
    "surname": "last word of the name (none when only one word was written)",
    "given_keys": "the nickname and transliteration group keys of the first word",
    "name_key": "the smallest of the name's keys (normalise.name_keys), for blocking",
    "given_key": "the smallest group key of the first word, for blocking",
    "surname_head": "the first four letters of the surname, for blocking",
    "nickname": "the street name or nickname, normalised",
    "age_estimate": "estimated age in years",
    "context": "identifiers in the same report or concern: phones, full plates, usernames",
}

# Stored parameters: per comparison, m and u for each level that is not the null level, in the
# order the levels are defined below.
PARAMETERS: dict[str, dict[str, list[float]]] = {
    "name": {
        "m": [0.36, 0.33, 0.12, 0.188, 0.002],
        "u": [0.0000005, 0.0000005, 0.000005, 0.0026, 0.997394],
    },
    "nickname": {
        "m": [0.85, 0.05, 0.1],
        "u": [0.0005, 0.013, 0.9865],
    },
    "age_estimate": {
        "m": [0.59, 0.36, 0.04, 0.01],
        "u": [0.12, 0.135, 0.2, 0.545],
    },
    "context": {
        "m": [0.25, 0.75],
        "u": [0.00001, 0.99999],
    },
}

# Which reason each comparison level gives an analyst, by level label: (LinkReason.field,
# LinkReason.how). Plain values, so that this module loads without Django (for benchmarks).
REASONS: dict[str, dict[str, tuple[str, str]]] = {
    "name": {
        "exact": ("name", "exact"),
        "nickname or spelling": ("name", "nickname"),
        "similar": ("name", "fuzzy_name"),
        "given name only": ("name", "nickname"),
    },
    "nickname": {
        "exact": ("nickname", "exact"),
        "similar": ("nickname", "fuzzy_name"),
    },
    "age_estimate": {
        "within 2 years": ("age_estimate", "age"),
        "within 5 years": ("age_estimate", "age"),
        "within 10 years": ("age_estimate", "age"),
        "more than 10 years apart": ("age_estimate", "age"),
    },
    "context": {
        "shares an identifier": ("context", "context"),
    },
}


DESCRIPTIONS = {
    "name": "Full names: the same, nickname or spelling, similar",
    "nickname": "Street names and nicknames",
    "age_estimate": "Estimated ages",
    "context": "A phone, full plate or username in both reports",
}


def _name() -> cl.CustomComparison:
    given_agree = cll.Or(
        cll.ExactMatchLevel("first_name"), cll.ArrayIntersectLevel("given_keys", 1)
    )
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description=DESCRIPTIONS["name"],
        comparison_levels=[
            cll.NullLevel("first_name"),
            # Full names only: a given name alone agreeing says much less (the fourth level).
            cll.ExactMatchLevel("full_name").configure(label_for_charts="exact"),
            cll.And(
                cll.ExactMatchLevel("surname"), cll.ArrayIntersectLevel("given_keys", 1)
            ).configure(label_for_charts="nickname or spelling"),
            cll.And(cll.JaroWinklerLevel("surname", 0.88), given_agree).configure(
                label_for_charts="similar"
            ),
            cll.And(
                given_agree, cll.CustomLevel("surname_l IS NULL OR surname_r IS NULL")
            ).configure(label_for_charts="given name only"),
            cll.ElseLevel(),
        ],
    )


def _nickname() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="nickname",
        comparison_description=DESCRIPTIONS["nickname"],
        comparison_levels=[
            cll.NullLevel("nickname"),
            cll.ExactMatchLevel("nickname").configure(label_for_charts="exact"),
            cll.JaroWinklerLevel("nickname", 0.9).configure(label_for_charts="similar"),
            cll.ElseLevel(),
        ],
    )


def _age() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="age_estimate",
        comparison_description=DESCRIPTIONS["age_estimate"],
        comparison_levels=[
            cll.NullLevel("age_estimate"),
            cll.AbsoluteDifferenceLevel("age_estimate", 2).configure(
                label_for_charts="within 2 years"
            ),
            cll.AbsoluteDifferenceLevel("age_estimate", 5).configure(
                label_for_charts="within 5 years"
            ),
            cll.AbsoluteDifferenceLevel("age_estimate", 10).configure(
                label_for_charts="within 10 years"
            ),
            cll.ElseLevel().configure(label_for_charts="more than 10 years apart"),
        ],
    )


def _context() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="context",
        comparison_description=DESCRIPTIONS["context"],
        comparison_levels=[
            cll.NullLevel("context"),
            cll.ArrayIntersectLevel("context", 1).configure(
                label_for_charts="shares an identifier"
            ),
            cll.ElseLevel(),
        ],
    )


COMPARISONS = {
    "name": _name,
    "nickname": _nickname,
    "age_estimate": _age,
    "context": _context,
}

# Which pairs are compared at all: a pair is scored when it agrees on any one rule.
BLOCKING_RULES = [
    ("name_key",),  # the same name allowing nicknames and spellings
    ("given_key", "surname_head"),  # a typo after the first letters of the family name
    ("nickname",),  # the same street name
]


def prior(records: int) -> float:
    """The probability that two records picked at random are the same person: stored, the
    same for any number of records (see PRIOR)."""
    del records
    return PRIOR


def settings(*, records: int) -> SettingsCreator:
    """The Splink settings for a run over `records` records, with the stored parameters."""
    comparisons: list[ComparisonCreator | dict[str, Any]] = []
    for name, make in COMPARISONS.items():
        comparison = make()
        comparison.configure(
            m_probabilities=PARAMETERS[name]["m"], u_probabilities=PARAMETERS[name]["u"]
        )
        comparisons.append(comparison)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior(records),
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in BLOCKING_RULES],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,  # each comparison's weight: the reasons
        additional_columns_to_retain=[],
    )


def definition() -> dict[str, Any]:
    """The model as stored on a run and shown to analysts (engine independent)."""
    return {
        "name": MODEL_NAME,
        "version": MODEL_VERSION,
        "columns": COLUMNS,
        "comparisons": {
            name: {
                "description": DESCRIPTIONS[name],
                "levels": _level_labels(name),
                "m": PARAMETERS[name]["m"],
                "u": PARAMETERS[name]["u"],
            }
            for name in COMPARISONS
        },
        "blocking_rules": [" and ".join(f"same {c}" for c in rule) for rule in BLOCKING_RULES],
        "thresholds": THRESHOLDS,
    }


def _level_labels(name: str) -> list[str]:
    return [*REASONS[name].keys(), "else"][: len(PARAMETERS[name]["m"])]


def level_weights(name: str) -> list[float]:
    """Each level's match weight (log2 of m over u), in level order."""
    levels = PARAMETERS[name]
    return [math.log2(m / u) for m, u in zip(levels["m"], levels["u"], strict=True)]


@functools.lru_cache(maxsize=4096)
def level_of(name: str, bits: float) -> tuple[str, str, str]:
    """(level label, reason field, reason how) of the level that adds `bits` to a pair's weight;
    empty strings for a level that gives no reason (the else level)."""
    weights = level_weights(name)
    index = min(range(len(weights)), key=lambda i: abs(weights[i] - bits))
    labels = [*REASONS[name].keys()]
    if index >= len(labels):
        return "", "", ""
    label = labels[index]
    return (label, *REASONS[name][label])


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _word_keys(word: str) -> tuple[str, ...]:
    return tuple(sorted(name_keys(word))) if word else ()


NAME_COLUMNS = [
    "name", "full_name", "first_name", "surname", "given_keys", "name_key", "given_key",
    "surname_head",
]  # fmt: skip
ALL_COLUMNS = ["unique_id", *NAME_COLUMNS, "nickname", "age_estimate", "context"]


# For names written in ASCII, name_normalise comes down to this (much faster on a million).
_ASCII_DROP = str.maketrans(
    "", "", "".join(c for c in map(chr, range(128)) if not (c.isalpha() or c.isspace()))
)


def _normal(raw: str) -> str:
    """normalise.name_normalise, with a fast path for ASCII ("SURNAME, Given" is its own)."""
    if raw.isascii() and "," not in raw:
        return " ".join(raw.lower().translate(_ASCII_DROP).split())
    return name_normalise(raw)


def _name_columns(raw: str) -> tuple[Any, ...]:
    """The name columns of NAME_COLUMNS, in that order, for a name as written."""
    words = _normal(raw).split()
    if not words:
        return (None,) * len(NAME_COLUMNS)
    first = words[0]
    given = list(_word_keys(first)) or [first]
    if len(words) == 1:
        # A given name alone: no full name, and not a blocking key of its own (it would put
        # every "Daniel" with every other); it is compared when a street name agrees.
        return first, None, first, None, given, None, given[0], None
    surname = words[-1]
    name = f"{first} {surname}"
    key = min(f"{g} {surname}" for g in given)
    return name, name, first, surname, given, key, given[0], surname[:4]


def model_columns(records: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """The model's input, column by column, for the records of `resolve_person_records`."""
    if not records:
        return {name: [] for name in ALL_COLUMNS}
    seen: dict[str, tuple[Any, ...]] = {}  # one look-up per distinct name as written
    names = zip(
        *[
            seen.get(raw) or seen.setdefault(raw, _name_columns(raw))
            for raw in (r.get("name") or "" for r in records)
        ],
        strict=True,
    )
    columns: dict[str, list[Any]] = {"unique_id": [str(r["mention_id"]) for r in records]}
    columns.update(zip(NAME_COLUMNS, (list(values) for values in names), strict=True))
    columns["nickname"] = [
        _nickname_normal(r["nickname"]) if r.get("nickname") else None for r in records
    ]
    columns["age_estimate"] = [
        int(r["age_estimate"]) if r.get("age_estimate") is not None else None for r in records
    ]
    columns["context"] = [
        sorted({str(c) for c in r["context"] if c}) or None if r.get("context") else None
        for r in records
    ]
    return columns


@functools.lru_cache(maxsize=65536)
def _nickname_normal(raw: str) -> str | None:
    return _normal(raw) or None


def nickname_from_name(
    nickname: str | None, given_keys: list[str] | None, name: str | None
) -> bool:
    """Whether a street name is made of the person's own name: each of its words is the given
    name (any spelling or nickname of it), the family name, the start of either ("Con" for
    Connor) or an initial."""
    if not nickname or not name:
        return False
    words = name.split()
    own = set(given_keys or ()) | set(words)
    return all(
        word in own or set(_word_keys(word)) & own or any(w.startswith(word) for w in own)
        for word in nickname.split()
    )


def model_record(record: dict[str, Any]) -> dict[str, Any]:
    """The model's columns for one record (for reading; runs use `model_columns`)."""
    return {name: values[0] for name, values in model_columns([record]).items()}
