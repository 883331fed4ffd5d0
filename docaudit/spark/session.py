"""Starting Spark for docaudit's jobs (the phrase index, bulk extraction)."""

from __future__ import annotations

import os
import sys

from ..errors import DocauditError

DRIVER_MEMORY = "4g"  # DOCAUDIT_SPARK_DRIVER_MEMORY overrides it; executors' memory is the cluster's setting


def session(master: str = "local[2]", app: str = "docaudit", conf: dict[str, str] | None = None):
    """A Spark session (quiet: no UI, errors only); Python workers run this interpreter unless
    ``PYSPARK_PYTHON`` says otherwise (on a cluster, an environment with docaudit installed). The driver
    gets :data:`DRIVER_MEMORY` of heap unless ``DOCAUDIT_SPARK_DRIVER_MEMORY`` says otherwise (it is read
    when the JVM starts: a session already running keeps its own). ``conf``: more Spark settings, applied
    last (bench/spark.py turns the UI on to read stage metrics)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DocauditError(f"Spark is not installed ({exc}): pip install 'docaudit[spark]'") from None

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        # the driver's heap (in local mode, the whole engine's): Spark's 1 GB default ran out at 10,000 letters
        .config("spark.driver.memory", os.environ.get("DOCAUDIT_SPARK_DRIVER_MEMORY", DRIVER_MEMORY))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def owns_context() -> bool:
    """Whether no Spark context is running in this process (a job that starts one stops it after)."""
    try:
        from pyspark import SparkContext
    except ImportError:
        return True  # session() says what is missing
    return SparkContext._active_spark_context is None
