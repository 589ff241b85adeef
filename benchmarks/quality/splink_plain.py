"""A plain, competent Splink 5 build over an exchange-format file, written apart from csehub.

    .venv/bin/python benchmarks/quality/splink_plain.py REPORTS.jsonl OUT.csv [--seed 7]

The yardstick beside CSE Hub's export: what an analyst who knows Splink would build in a day
on the same JSON Lines file, with no knowledge of the engine. Nothing is imported from csehub;
the normalising functions here are deliberately small (lower case, spaces and punctuation
out, a handful of common abbreviations: splink_records.py). Per entity type one DuckDB model:

- person: forename and surname (the levels of Splink's ForenameSurnameComparison: both
  exact, either order, Jaro-Winkler 0.92 and 0.88, one of the two exact; no term frequencies,
  as counted over mentions they measure how often someone is mentioned), street name
  exact, age estimate (same, within 3, within 6), and the identifiers in the same report
  (phones, full plates, handles) sharing at least one.
- child: forename and surname as for persons, date of birth (Splink's DateOfBirthComparison:
  exact, one character, within a month, a year, ten years).
- vehicle: plate (exact, exact once look-alike characters are folded, a partial plate that
  fits the other, one edit apart), make, colour.
- phone: the national number alone, so Splink's deterministic link on it (a probabilistic
  model has nothing to weigh when there is one field).
- online: handle (exact, one edit apart), platform.
- location: name (exact, the same words in any order, Jaro-Winkler 0.88), postcode (exact,
  same district).

Each model is trained by Splink alone: the chance that two records match from deterministic
rules, u by random sampling, m by expectation maximisation on two blocking rules; then u is
corrected for the true matches among random pairs (u_corrected: with each entity mentioned a
few times in a few thousand reports they inflate it) and m estimated again. `--textbook`
leaves the correction out. Pairs are clustered (connected components) at a match
probability of 0.95, fixed before any score was seen. Output: the linking export of
INTERCHANGE.md (mention_id,entity_type,entity_id), so that it is scored exactly as the
product's export is. The last line of standard output is a JSON summary (seconds per type,
and any type whose model failed: its mentions are left alone).
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splink_records import KINDS, Table, tables_read

MATCH_AT = 0.95  # fixed before measuring
U_PAIRS = 5e6
EM_PAIRS = 2e6

# ---------------------------------------------------------------------------------------------
# The models
# ---------------------------------------------------------------------------------------------


@dataclass
class Model:
    comparisons: list[Any]
    blocking: list[Any]  # to generate the pairs scored
    training: list[Any]  # one EM session each (one that finds no pairs is left out)
    deterministic: list[Any]  # for the chance that two records match
    recall: float  # of the deterministic rules, as guessed before measuring


def _age() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        [
            cll.NullLevel("age"),
            cll.ExactMatchLevel("age"),
            cll.AbsoluteDifferenceLevel("age", 3),
            cll.AbsoluteDifferenceLevel("age", 6),
            cll.ElseLevel(),
        ],
        output_column_name="age",
    )


def _names() -> Any:
    """Splink's ForenameSurnameComparison levels, without term frequencies.

    Term frequencies counted over mentions measure how often a person is mentioned more than
    how common the name is: with them, an exact full name weighed less than a near one.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        [
            cll.And(cll.NullLevel("forename"), cll.NullLevel("surname")),
            cll.And(cll.ExactMatchLevel("forename"), cll.ExactMatchLevel("surname")),
            cll.ColumnsReversedLevel("forename", "surname", symmetrical=True),
            cll.And(cll.JaroWinklerLevel("forename", 0.92), cll.JaroWinklerLevel("surname", 0.92)),
            cll.And(cll.JaroWinklerLevel("forename", 0.88), cll.JaroWinklerLevel("surname", 0.88)),
            cll.ExactMatchLevel("surname"),
            cll.ExactMatchLevel("forename"),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )


SWAPPED = "l.forename = r.surname AND l.surname = r.forename"


def model_for(kind: str) -> Model:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import block_on

    names = _names()
    if kind == "person":
        return Model(
            comparisons=[
                names,
                cl.ExactMatch("street_name"),
                _age(),
                cl.ArrayIntersectAtSizes("context", [1]),
            ],
            blocking=[
                block_on("surname", "substr(forename, 1, 1)"),
                SWAPPED,
                block_on("forename", "street_name"),
                block_on("context", arrays_to_explode=["context"]),
            ],
            training=[
                block_on("forename", "surname"),
                block_on("street_name"),
                block_on("age"),
            ],
            deterministic=[block_on("full_name")],
            recall=0.5,
        )
    if kind == "child":
        return Model(
            comparisons=[
                names,
                cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            ],
            blocking=[
                block_on("surname", "substr(forename, 1, 1)"),
                SWAPPED,
                block_on("dob"),
            ],
            training=[block_on("dob"), block_on("forename", "surname")],
            deterministic=[block_on("full_name")],
            recall=0.5,
        )
    if kind == "vehicle":
        fits = "(plate_fold_l LIKE plate_pattern_r OR plate_fold_r LIKE plate_pattern_l)"
        plate = cl.CustomComparison(
            [
                cll.NullLevel("plate"),
                cll.ExactMatchLevel("plate"),
                cll.ExactMatchLevel("plate_fold"),
                cll.CustomLevel(fits, label_for_charts="partial plate fits"),
                cll.DamerauLevenshteinLevel("plate_fold", 1),
                cll.ElseLevel(),
            ],
            output_column_name="plate",
        )
        return Model(
            comparisons=[plate, cl.ExactMatch("make"), cl.ExactMatch("colour")],
            blocking=[
                block_on("plate_fold"),
                block_on("substr(plate_fold, 1, 4)"),
                block_on("right(plate_fold, 3)"),
                block_on("substr(plate_fold, 1, 2)", "right(plate_fold, 2)"),
            ],
            training=[block_on("plate_fold"), block_on("make", "colour")],
            deterministic=[block_on("plate_fold")],
            recall=0.5,
        )
    if kind == "phone":
        # One field, so nothing for a probabilistic model to weigh: Splink links it
        # deterministically on the normalised number.
        return Model(
            comparisons=[],
            blocking=[block_on("number")],
            training=[],
            deterministic=[],
            recall=1.0,
        )
    if kind == "online":
        return Model(
            comparisons=[
                cl.DamerauLevenshteinAtThresholds("handle", [1]),
                cl.ExactMatch("platform"),
            ],
            blocking=[block_on("handle"), block_on("substr(handle, 1, 5)")],
            training=[block_on("handle"), block_on("platform")],
            deterministic=[block_on("handle", "platform")],
            recall=0.6,
        )
    name = cl.CustomComparison(
        [
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name"),
            cll.ExactMatchLevel("name_key"),
            cll.JaroWinklerLevel("name", 0.88),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )
    postcode = cl.CustomComparison(
        [
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode"),
            cll.ExactMatchLevel("district"),
            cll.ElseLevel(),
        ],
        output_column_name="postcode",
    )
    return Model(
        comparisons=[name, postcode],
        blocking=[block_on("postcode"), block_on("name_key"), block_on("name")],
        training=[block_on("postcode"), block_on("name_key")],
        deterministic=[block_on("name_key", "postcode")],
        recall=0.3,
    )


def u_corrected(model: dict[str, Any]) -> dict[str, Any]:
    """The model with u taken back to non-matches only: u = (P(agree) - lambda m) / (1 - lambda).

    Random sampling measures how often two random records agree, which is u only when true
    matches are a negligible share of random pairs. Here each entity is mentioned a few times
    in a few thousand reports, so they are not, and u comes out too high (an exact date of
    birth about five times too high). Never more than a hundredfold below what random pairs
    show, so that a level seen mostly among matches keeps a finite weight.
    """
    share = model["probability_two_random_records_match"]
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if not level.get("is_null_level") and m is not None and u is not None:
                level["u_probability"] = max(u - share * m, u / 100) / (1 - share)
    return model


def _em(linker: Any, rules: list[Any]) -> None:
    """One EM session per rule; a rule that finds no pairs in this data is left out."""
    from splink.internals.exceptions import EMTrainingException

    for rule in rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=EM_PAIRS
            )
        except EMTrainingException:
            continue


def clusters_of(kind: str, table: Table, *, seed: int, textbook: bool = False) -> dict[str, int]:
    """Mention id -> cluster id, from a Splink model trained on this table alone.

    `textbook`: Splink's usual recipe only, without u_corrected (for comparison).
    """
    from splink import DuckDBAPI, Linker, SettingsCreator

    model = model_for(kind)
    db_api = DuckDBAPI()
    frame = db_api.register(table.arrow(), table_name=f"{kind}_records")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=model.comparisons,
        blocking_rules_to_generate_predictions=model.blocking,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(frame, settings, log_level=logging.ERROR)
    if not model.comparisons:
        links = linker.inference.deterministic_link()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(links)
    else:
        linker.training.estimate_probability_two_random_records_match(
            model.deterministic, recall=model.recall
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=seed)
        _em(linker, model.training)
        if not textbook:
            linker = Linker(frame, u_corrected(linker.misc.save_model_to_json()), log_level=None)
            _em(linker, model.training)
        predictions = linker.inference.predict(threshold_match_probability=0.5)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=MATCH_AT
        )
    rows = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    numbers: dict[str, int] = {}
    return {mention: numbers.setdefault(str(cluster), len(numbers)) for mention, cluster in rows}


def resolve(
    path: Path,
    output: Path,
    *,
    seed: int,
    textbook: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Write the export of every type's clusters; returns seconds and failures per type."""
    summary: dict[str, Any] = {"seconds": {}, "failed": {}}
    started = time.perf_counter()
    tables = tables_read(path)
    summary["seconds"]["read"] = round(time.perf_counter() - started, 2)
    with output.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["mention_id", "entity_type", "entity_id"])
        for kind in KINDS:
            table = tables[kind]
            began = time.perf_counter()
            clusters: dict[str, int] = {}
            if len(table) > 1:
                try:
                    clusters = clusters_of(kind, table, seed=seed, textbook=textbook)
                except Exception as error:  # one type's model failing must not stop the rest
                    summary["failed"][kind] = f"{type(error).__name__}: {error}"[:500]
                    log(f"splink {kind}: failed ({summary['failed'][kind]}); mentions left alone")
            for row in _rows(kind, table.columns.get("unique_id", []), clusters):
                writer.writerow(row)
            summary["seconds"][kind] = round(time.perf_counter() - began, 2)
    summary["seconds"]["total"] = round(time.perf_counter() - started, 2)
    return summary


def _rows(kind: str, mentions: list[str], clusters: dict[str, int]) -> Iterator[list[str]]:
    """Export rows; a mention no cluster holds is an entity of its own."""
    for number, mention in enumerate(mentions):
        cluster = clusters.get(mention)
        entity = f"{kind}-{cluster}" if cluster is not None else f"{kind}-alone-{number}"
        yield [mention, kind, entity]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, help="the .jsonl file")
    parser.add_argument("output", type=Path, help="the export .csv to write")
    parser.add_argument("--seed", type=int, default=7, help="for Splink's random sampling")
    parser.add_argument(
        "--textbook", action="store_true", help="Splink's usual training only, u uncorrected"
    )
    args = parser.parse_args(argv)
    summary = resolve(
        args.reports,
        args.output,
        seed=args.seed,
        textbook=args.textbook,
        log=lambda message: print(message, file=sys.stderr),
    )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
