"""The model on DuckDB, embedded in the process: the default engine."""

from __future__ import annotations

import logging
import os
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from . import model
from .pipeline import Pair, Progress, pairs_from_rows, prediction_columns

# DuckDB spills to disk past this, so a large run stays within the machine's memory.
MEMORY_LIMIT = os.environ.get("CSEHUB_DUCKDB_MEMORY_LIMIT", "2GB")

SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("name", pa.string()),
        ("full_name", pa.string()),
        ("first_name", pa.string()),
        ("surname", pa.string()),
        ("given_keys", pa.list_(pa.string())),
        ("name_key", pa.string()),
        ("given_key", pa.string()),
        ("surname_head", pa.string()),
        ("nickname", pa.string()),
        ("age_estimate", pa.int32()),
        ("context", pa.list_(pa.string())),
    ]
)


def score(columns: dict[str, list[Any]], progress: Progress) -> tuple[list[Pair], dict[str, Any]]:
    """Every blocked pair at or above SUGGEST_AT, scored by the stored model on DuckDB."""
    records = len(columns["unique_id"])
    connection = duckdb.connect(":memory:")
    connection.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    connection.execute("SET preserve_insertion_order = false")
    try:
        db_api = DuckDBAPI(connection)
        table = db_api.register(pa.Table.from_pydict(columns, schema=SCHEMA), table_name="persons")
        linker = Linker(table, model.settings(records=records), log_level=logging.WARNING)
        progress("score", 0, records)
        predictions = linker.inference.predict(
            threshold_match_probability=model.SUGGEST_AT, warning_mode="never"
        )
        found = connection.execute(
            f"SELECT {prediction_columns()} FROM {predictions.physical_name}"  # noqa: S608
        ).fetchall()
        progress("score", records, records)
        return pairs_from_rows(found), linker.misc.save_model_to_json()
    finally:
        connection.close()
