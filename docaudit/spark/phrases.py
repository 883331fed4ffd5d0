"""The phrase index built on Apache Spark: the same tables as ``docaudit index --rebuild``, for corpora past
one machine.

    python -m docaudit.spark.phrases audit.db [--master local[2]|spark://host:7077|yarn]
    docaudit index --rebuild --engine spark [--master …]
    python -m docaudit.spark.phrases --input EXPORT --output TABLES --master yarn   # Parquet in and out

The work is the local build's, step for step, with the same Python functions (so the engines cannot drift):

1. each version's sentences fingerprinted by :func:`docaudit.phrases.index.prints_of` (in ``map`` tasks);
2. distinct wordings numbered in order of first appearance (version id, then position) — the ids the local
   build gives;
3. occurrences per wording and document (first and last version, position and count in the last);
4. fingerprints grouped by hash; groups of 2 to :data:`~docaudit.phrases.index.POSTINGS` rows give candidate
   pairs, verified with :func:`docaudit.phrases.fingerprint.similarity` against
   :func:`~docaudit.phrases.fingerprint.threshold`, exactly as :func:`~docaudit.phrases.index.link_families`;
5. families: connected components of the verified pairs, by large-star/small-star (:func:`components`),
   labelled by their smallest id, so a family's id is its oldest wording's.

The driver then replaces the phrase tables in ``audit.db`` in one transaction: a job that fails or is
interrupted before that leaves the database as it was. Executors need docaudit installed (the same version).
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..phrases import fingerprint as fp
from ..phrases.index import POSTINGS, prints_of, reset
from ..store.database import NORMALIZED, Store
from .session import running

MAX_ROUNDS = 100  # large-star/small-star rounds: they grow with log(component size), this is never reached


@dataclass
class SparkBuild:
    versions: int = 0
    occurrences: int = 0  # sentences read, over all versions
    sentences: int = 0  # distinct wordings
    fingerprints: int = 0
    edges: int = 0
    families: int = 0
    rounds: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _fingerprint(row: tuple[int, str, int, str]):
    vid, doc, number, text = row
    total, located = prints_of(text)
    return vid, doc, number, total, [(loc.position, loc.print) for loc in located]


def _verified_pairs(members: list[tuple[int, tuple[str, ...]]]):
    """The pairs of one fingerprint group that are variants (as link_families decides)."""
    members = sorted(set(members))
    for i, (a, ta) in enumerate(members):
        n = len(ta)
        for b, tb in members[i + 1 :]:
            m = len(tb)
            need = fp.threshold(n, m)
            if 2 * min(n, m) < need * (n + m):
                continue
            if fp.similarity(ta, tb) >= need:
                yield (a, b)


def compute(sc, rows, postings: int = POSTINGS, partitions: int | None = None):
    """The phrase tables of ``rows`` (version id, doc, number, normalized text: a list, or an RDD of them),
    computed on Spark.

    Returns RDDs (sentences, fingerprints, occurrences, versions) and build figures."""
    from pyspark import StorageLevel

    spill = StorageLevel.MEMORY_AND_DISK  # kept RDDs spill to disk rather than fill the heap
    if isinstance(rows, list):
        build = SparkBuild(versions=len(rows))
        parts = partitions or max(2, min(len(rows) // 100 + 1, 512))
        source = sc.parallelize(rows, parts)
    else:  # an RDD of the same tuples (read from Parquet on the cluster)
        build = SparkBuild(versions=rows.count())
        parts = partitions or max(2, min(build.versions // 100 + 1, 512))
        source = rows.repartition(parts)
    per_version = source.map(_fingerprint).persist(spill)
    versions = per_version.map(lambda v: (v[0], v[1], v[2], v[3]))
    # every sentence occurrence: key -> ((version id, position), doc, number, print)
    occurrences = per_version.flatMap(lambda v: [(p.key, ((v[0], pos), v[1], v[2], p)) for pos, p in v[4]])
    occurrences.persist(spill)
    first = occurrences.reduceByKey(
        lambda a, b: a if a[0] <= b[0] else b, parts
    )  # the first appearance of each wording
    numbered = (
        first.sortBy(lambda kv: kv[1][0], numPartitions=parts)  # (version id, position): the local build's order
        .zipWithIndex()
        .map(lambda kv_i: (kv_i[0][0], (kv_i[1] + 1, kv_i[0][1][3])))  # key -> (id, print)
        .persist(spill)
    )
    ids = numbered.mapValues(lambda v: v[0])
    sentence_tokens = numbered.map(lambda kv: (kv[1][0], kv[1][1].tokens)).persist(spill)
    fingerprints = numbered.flatMap(lambda kv: [(h, kv[1][0]) for h, _ in kv[1][1].fingerprints]).distinct(parts)
    # occurrences per (wording, document): first and last version; position and count in the last one
    per_version_sentence = (
        occurrences.join(ids, parts)  # key -> (occurrence, id)
        .map(lambda kv: ((kv[1][1], kv[1][0][0][0]), (kv[1][0][1], kv[1][0][2], kv[1][0][0][1], 1)))
        .reduceByKey(lambda a, b: (a[0], a[1], min(a[2], b[2]), a[3] + b[3]), parts)  # (sid, vid) -> (doc, n°, pos, n)
    )

    def merge(a, b):  # (first, last, position, count) over the versions of one document
        last = a if a[1] >= b[1] else b
        return (min(a[0], b[0]), last[1], last[2], last[3])

    occurrence_rows = (
        per_version_sentence.map(lambda kv: ((kv[0][0], kv[1][0]), (kv[1][1], kv[1][1], kv[1][2], kv[1][3])))
        .reduceByKey(merge, parts)
        .map(lambda kv: (kv[0][0], kv[0][1], *kv[1]))
    )
    # candidate pairs from fingerprint groups of 2..postings rows, verified
    groups = fingerprints.groupByKey(parts).mapValues(list).filter(lambda kv: 2 <= len(kv[1]) <= postings)
    member_rows = groups.flatMap(lambda kv: [(sid, kv[0]) for sid in set(kv[1])])
    with_tokens = member_rows.join(sentence_tokens, parts).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
    edges = with_tokens.groupByKey(parts).flatMap(lambda kv: _verified_pairs(list(kv[1]))).distinct(parts)
    edges.persist(spill)
    build.edges = edges.count()
    build.occurrences = occurrences.count()
    families, build.rounds = components(edges, parts)
    sentences = numbered.map(lambda kv: (kv[1][0], kv[0], kv[1][1])).map(
        lambda r: (r[0], (r[1], r[2].text, len(r[2].tokens), len(r[2].fingerprints)))
    )
    sentence_rows = sentences.leftOuterJoin(families, parts).map(
        lambda kv: (kv[0], kv[1][0][0], kv[1][0][1], kv[1][0][2], kv[1][0][3], kv[1][1] or kv[0])
    )
    return sentence_rows, fingerprints, occurrence_rows, versions, build


def components(edges, parts: int = 2):
    """Connected components of an edge RDD: (node, smallest node id of its component), and the rounds taken.

    The large-star/small-star algorithm (Kiveris et al., "Connected Components in MapReduce and Beyond",
    SoCC 2014) in DataFrame operations, so joins and groupings run in the JVM without Python: each
    large-star links every node to the smallest of its neighbourhood's ids among its larger neighbours,
    each small-star links a node's smaller neighbours to their minimum; they alternate until the edge
    set no longer changes, at which point every component is a star around its smallest id. Rounds grow
    with the logarithm of a component's size (min-label propagation needs its diameter). Every shuffle
    keeps ``parts`` partitions; each round's edges are checkpointed locally so the plan stays short."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    spark = SparkSession.builder.getOrCreate()
    src, dst = F.col("src"), F.col("dst")
    current = (
        spark.createDataFrame(edges.map(lambda e: (min(e), max(e))), "src long, dst long")
        .where(src != dst)
        .distinct()
        .repartition(parts)
        .localCheckpoint()
    )
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        # large-star: m(u) = min(Γ(u) ∪ {u}); every neighbour v > u is linked to m(u)
        both = current.union(current.select(dst.alias("src"), src.alias("dst")))
        low = both.groupBy("src").agg(F.least(F.min("dst"), F.first("src")).alias("m"))
        large = both.join(low, "src").where(dst > src).select(dst.alias("src"), F.col("m").alias("dst"))
        # small-star: each node u's smaller neighbours (and u) are linked to their minimum
        down = large.select(F.greatest(src, dst).alias("src"), F.least(src, dst).alias("dst")).distinct()
        low = down.groupBy("src").agg(F.min("dst").alias("m"))
        small = (
            down.join(low, "src")
            .select(dst.alias("src"), F.col("m").alias("dst"))
            .union(low.select(src, F.col("m").alias("dst")))
            .where(src != dst)
            .select(F.greatest(src, dst).alias("src"), F.least(src, dst).alias("dst"))
            .distinct()
            .repartition(parts)
            .localCheckpoint()
        )
        # settled when no edge came or went: one job over the two edge sets joined
        settled = (
            small.withColumn("new", F.lit(1))
            .join(current.withColumn("old", F.lit(1)), ["src", "dst"], "full_outer")
            .where(F.col("new").isNull() | F.col("old").isNull())
            .isEmpty()
        )
        current = small
        if settled:
            break
    # a star around each component's smallest id: every other node has one edge, to it
    labels = current.groupBy("src").agg(F.min("dst").alias("label"))
    centres = labels.select(F.col("label").alias("src"), F.col("label")).distinct()
    result = labels.union(centres).distinct().rdd.map(lambda r: (r[0], r[1]))
    return result.repartition(parts), rounds


def write(conn: sqlite3.Connection, sentence_rows, fingerprints, occurrence_rows, versions) -> dict[str, int]:
    """Replace the phrase tables with the Spark build's rows, in one transaction (rolled back on failure)."""
    counts = {}
    conn.execute("BEGIN IMMEDIATE")
    try:
        reset(conn)
        rows = sorted(sentence_rows.toLocalIterator())
        conn.executemany(
            "INSERT INTO phrase_sentences (id, key, text, tokens, prints, family) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        counts["sentences"] = len(rows)
        counts["families"] = len({r[5] for r in rows})
        prints = sorted(fingerprints.toLocalIterator())
        conn.executemany("INSERT INTO phrase_fingerprints (hash, sentence_id) VALUES (?, ?)", prints)
        counts["fingerprints"] = len(prints)
        conn.executemany(
            "INSERT INTO phrase_occurrences (sentence_id, doc_id, first_version, last_version, position, count) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            occurrence_rows.toLocalIterator(),
        )
        conn.executemany(
            "INSERT INTO phrase_versions (version_id, doc_id, number, sentences) VALUES (?, ?, ?, ?)",
            versions.toLocalIterator(),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return counts


def rebuild_on_spark(store: Store, *, master: str = "local[2]", spark=None) -> SparkBuild:
    """``docaudit index --rebuild`` on Spark: read the versions, build on the cluster, write the tables back."""
    started = time.perf_counter()
    rows = [
        tuple(r)
        for r in store.conn.execute(f"SELECT id, doc_id, number, {NORMALIZED} AS normalized FROM versions ORDER BY id")
    ]
    with running(spark, master, "docaudit-phrases") as spark:  # never stops a session someone else runs
        sentence_rows, fingerprints, occurrence_rows, versions, build = compute(spark.sparkContext, rows)
        counts = write(store.conn, sentence_rows, fingerprints, occurrence_rows, versions)
    build.sentences, build.fingerprints, build.families = (
        counts["sentences"],
        counts["fingerprints"],
        counts["families"],
    )
    build.seconds = time.perf_counter() - started
    return build


SCHEMAS = {
    "phrase_sentences": "id long, key long, text string, tokens int, prints int, family long",
    "phrase_fingerprints": "hash long, sentence_id long",
    "phrase_occurrences": "sentence_id long, doc_id string, first_version int, last_version int, position int, "
    "count int",
    "phrase_versions": "version_id long, doc_id string, number int, sentences int",
}


def build_parquet(spark, input_dir: str | Path, output_dir: str | Path) -> SparkBuild:
    """The cluster path: versions from ``docaudit export``'s Parquet in, the four phrase tables as Parquet out
    (for ``docaudit index --from``). Paths may be anything Spark reads (hdfs://, s3a://, a local folder)."""
    started = time.perf_counter()
    versions_df = spark.read.parquet(f"{input_dir}/versions").select("id", "doc_id", "number", "normalized")
    rows = versions_df.rdd.map(lambda r: (r[0], r[1], r[2], r[3]))
    sentence_rows, fingerprints, occurrence_rows, versions, build = compute(spark.sparkContext, rows)
    for name, rdd in (
        ("phrase_sentences", sentence_rows),
        ("phrase_fingerprints", fingerprints),
        ("phrase_occurrences", occurrence_rows),
        ("phrase_versions", versions),
    ):
        spark.createDataFrame(rdd, SCHEMAS[name]).write.mode("overwrite").parquet(f"{output_dir}/{name}")
    build.seconds = time.perf_counter() - started
    return build


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rebuild the phrase index of an audit.db on Apache Spark.")
    parser.add_argument("db", type=Path, nargs="?", help="an audit.db (read and written by the driver)")
    parser.add_argument("--input", help="instead: a `docaudit export` folder (Parquet), read by the executors")
    parser.add_argument("--output", help="with --input: where to write the phrase tables (for `index --from`)")
    parser.add_argument("--master", default="local[2]", help="Spark master URL [default: local[2]]")
    args = parser.parse_args(argv)
    if args.input:
        if not args.output:
            parser.error("--input needs --output")
        with running(master=args.master) as spark:
            build = build_parquet(spark, args.input, args.output)
        print(
            f"indexed {build.versions} versions on Spark in {build.seconds:.1f} s: {build.edges} variant pairs, "
            f"{build.rounds} large-star/small-star rounds; tables in {args.output} (load: docaudit index --from)"
        )
        return
    if args.db is None:
        parser.error("give an audit.db, or --input and --output")
    with Store(args.db, create=False) as store:
        build = rebuild_on_spark(store, master=args.master)
    print(
        f"indexed {build.versions} versions on Spark in {build.seconds:.1f} s: {build.sentences} wordings, "
        f"{build.fingerprints} fingerprints, {build.edges} variant pairs, {build.families} families "
        f"({build.rounds} large-star/small-star rounds)"
    )


if __name__ == "__main__":
    main()
