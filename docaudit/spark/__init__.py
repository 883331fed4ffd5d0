"""Spark, for corpora past one machine: the database as Parquet, the phrase index built on a cluster, and
documents extracted there for an archive backfill (``--engine spark``)."""
