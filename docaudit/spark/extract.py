"""Bulk extraction on Apache Spark: files in, ``Prepared`` rows out, stored by the driver in order
(``docaudit import --engine spark``), for archive backfills where extracting PDFs is the long part.

Executors read each file (a path they can reach: the local disk in ``local[N]``, a shared file system
on a cluster), check it as :func:`docaudit.read.document.read_document` does, and extract it with
:func:`docaudit.read.document.prepare` — the same limited worker process as a local import, so a hostile file
costs an executor no more than it costs this machine. The driver gets back each file's SHA-256 and its
``Prepared`` record (the text, not the bytes), reads the bytes itself for the snapshot, and stores the
files in the order given. A file changed between the two reads is extracted again on the driver.

Files go to the cluster in batches of :data:`BATCH`, the next batch extracted while the driver stores
the last, so the driver holds two batches of texts at most.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from ..errors import DocauditError
from ..read.document import prepare, read_document
from ..read.limits import Limits
from ..read.prepare import Prepared
from ..values import sha256
from .session import running

BATCH = 2_000  # files per Spark job


def _extract(max_size: int, limits: Limits, items):
    """One partition: (index, path) in, (index, sha256, Prepared as a dict, error) out."""
    for i, path in items:
        try:
            data = read_document(path, max_size)
            yield i, sha256(data), prepare(data, limits).to_dict(), None
        except DocauditError as exc:
            yield i, None, None, str(exc) or exc.__class__.__name__


class Outcome:
    """One file's extraction from the cluster; :meth:`result` gives (bytes, Prepared) or raises."""

    def __init__(self, path: Path, digest: str | None, record: dict | None, error: str | None, max_size: int,
                 limits: Limits) -> None:  # fmt: skip
        self.path, self.digest, self.record, self.error = path, digest, record, error
        self.max_size, self.limits = max_size, limits

    def result(self) -> tuple[bytes, Prepared]:
        if self.error is not None:
            raise DocauditError(self.error)
        data = read_document(self.path, self.max_size)
        if sha256(data) != self.digest:  # changed since the executor read it: extract what is there now
            return data, prepare(data, self.limits)
        return data, Prepared.from_dict(self.record or {})


def prepared_on_spark(
    files: list[Path],
    max_size: int,
    limits: Limits,
    *,
    master: str = "local[2]",
    spark=None,
    batch: int = BATCH,
) -> Iterator[tuple[Path, Outcome]]:
    """Each file with its :class:`Outcome`, in the order given, extracted on Spark."""
    if not files:
        return
    job = partial(_extract, max_size, limits)
    with running(spark, master, "docaudit-import") as spark:
        sc = spark.sparkContext

        def run(start: int) -> list[tuple]:
            chunk = [(i, str(files[i])) for i in range(start, min(start + batch, len(files)))]
            slices = max(1, min(len(chunk), sc.defaultParallelism * 4))
            return sorted(sc.parallelize(chunk, slices).mapPartitions(job).collect())

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="docaudit-spark") as ahead:
            starts = list(range(0, len(files), batch))
            future = ahead.submit(run, starts[0]) if starts else None
            for n, _ in enumerate(starts):
                rows = future.result()
                future = ahead.submit(run, starts[n + 1]) if n + 1 < len(starts) else None
                for i, digest, record, error in rows:
                    yield files[i], Outcome(files[i], digest, record, error, max_size, limits)
