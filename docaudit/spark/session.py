"""Starting Spark for docaudit's jobs (the phrase index, bulk extraction)."""

from __future__ import annotations

import os
import sys

from ..errors import DocauditError


def session(master: str = "local[2]", app: str = "docaudit"):
    """A Spark session (quiet: no UI, errors only); Python workers run this interpreter unless
    ``PYSPARK_PYTHON`` says otherwise (on a cluster, an environment with docaudit installed)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DocauditError(f"Spark is not installed ({exc}): pip install 'docaudit[spark]'") from None

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def owns_context() -> bool:
    """Whether no Spark context is running in this process (a job that starts one stops it after)."""
    try:
        from pyspark import SparkContext
    except ImportError:
        return True  # session() says what is missing
    return SparkContext._active_spark_context is None
