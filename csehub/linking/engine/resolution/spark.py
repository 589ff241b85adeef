"""The model on Spark: local mode here, a cluster for national-scale runs.

pyspark (and Java) are installed with the `test` extra and wherever national runs happen; the
embedded default is DuckDB. A session already active in the process (on a cluster) is used as
it is; otherwise a small local one is started for the run and stopped after it.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any

from splink import Linker

from . import model
from .pipeline import Pair, Progress, pairs_from_rows, prediction_columns

LOCAL_MASTER = os.environ.get("CSEHUB_SPARK_MASTER", "local[2]")


def _session() -> tuple[Any, bool]:
    # py4j logs each connection it closes, even at exit when logging's streams are closed.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False  # a cluster's session: it must have Splink's jar on its classpath
    session = (
        SparkSession.builder.master(LOCAL_MASTER)
        .appName("csehub-link-run")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Splink's string similarity functions (Jaro-Winkler) for Spark SQL.
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.driver.memory", os.environ.get("CSEHUB_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="csehub-spark-"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="csehub-spark-checkpoints-"))
    return session, True


def _frame(session: Any, columns: dict[str, list[Any]]) -> Any:
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    types: dict[str, Any] = {
        "given_keys": ArrayType(StringType()),
        "context": ArrayType(StringType()),
        "age_estimate": IntegerType(),
    }
    fields = [StructField(name, types.get(name, StringType())) for name in model.ALL_COLUMNS]
    rows = list(zip(*(columns[name] for name in model.ALL_COLUMNS), strict=True))
    return session.createDataFrame(rows, StructType(fields))


def score(columns: dict[str, list[Any]], progress: Progress) -> tuple[list[Pair], dict[str, Any]]:
    """Every blocked pair at or above SUGGEST_AT, scored by the stored model on Spark."""
    from splink import SparkAPI

    records = len(columns["unique_id"])
    session, started_here = _session()
    try:
        db_api = SparkAPI(spark_session=session, break_lineage_method="parquet")
        table = db_api.register(_frame(session, columns), table_name="persons")
        linker = Linker(table, model.settings(records=records), log_level=logging.WARNING)
        progress("score", 0, records)
        predictions = linker.inference.predict(
            threshold_match_probability=model.SUGGEST_AT, warning_mode="never"
        )
        frame = predictions.as_spark_dataframe().selectExpr(*prediction_columns().split(", "))
        found = [tuple(r) for r in frame.collect()]
        progress("score", records, records)
        return pairs_from_rows(found), linker.misc.save_model_to_json()
    finally:
        if started_here:
            session.stop()
