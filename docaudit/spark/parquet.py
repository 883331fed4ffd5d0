"""audit.db as Parquet and back: what a cluster reads, and how its phrase tables come home.

    docaudit export DIR                 # documents/, versions/ (texts included), phrase_*/ as Parquet
    python -m docaudit.spark.phrases --input DIR --output OUT --master yarn
    docaudit index --from OUT           # the phrase tables computed elsewhere, loaded into audit.db

Each table is a folder of Parquet files (``part-00000.parquet`` …, at most :data:`ROWS_PER_FILE` rows each,
versions ordered by id), readable by Spark, DuckDB or pandas as one dataset. Loading checks that every version
the tables cover is in this database with the same text hash, and replaces the phrase tables in one
transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from ..errors import DocauditError
from ..phrases.index import TABLES, reset
from ..store import NORMALIZED, Store

ROWS_PER_FILE = 10_000
EXPORTED = {
    "documents": "SELECT id, title, created_at, updated_at, meta FROM documents ORDER BY id",
    "versions": (
        "SELECT id, doc_id, number, added_at, letter_date, format, raw_sha256, normalized_sha256, text, "
        f"{NORMALIZED} AS normalized "
        "FROM versions ORDER BY id"
    ),
    **{t: f"SELECT * FROM {t}" for t in TABLES},
}


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise DocauditError(f"Parquet needs pyarrow ({exc}): pip install 'docaudit[spark]'") from None
    return pa, pq


def write_table(folder: Path, cursor: sqlite3.Cursor) -> int:
    """Write a query's rows as Parquet files in ``folder``; return the number of rows."""
    pa, pq = _pyarrow()
    folder.mkdir(parents=True, exist_ok=True)
    names = [d[0] for d in cursor.description]
    total = part = 0
    while True:
        rows = cursor.fetchmany(ROWS_PER_FILE)
        if not rows and part:
            break
        columns = {n: [r[i] for r in rows] for i, n in enumerate(names)}
        pq.write_table(pa.table(columns), folder / f"part-{part:05d}.parquet")
        total += len(rows)
        part += 1
        if not rows:
            break
    return total


def export(store: Store, out: str | Path) -> dict[str, int]:
    """Every exported table of ``store`` as Parquet under ``out``; rows per table."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise DocauditError(f"{out} is not empty: export into a new folder")
    return {name: write_table(out / name, store.conn.execute(sql)) for name, sql in EXPORTED.items()}


def read_rows(folder: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) of a Parquet dataset folder."""
    _, pq = _pyarrow()
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise DocauditError(f"{folder}: no Parquet files")
    names: list[str] = []
    rows: list[tuple[Any, ...]] = []
    for f in files:
        table = pq.read_table(f)
        names = table.column_names
        rows.extend(zip(*(table.column(n).to_pylist() for n in names), strict=True))
    return names, rows


def load_index(store: Store, folder: str | Path) -> dict[str, int]:
    """Replace the phrase tables with those under ``folder`` (as written by the Spark build's ``--output``)."""
    folder = Path(folder)
    data = {t: read_rows(folder / t) for t in TABLES}
    known = dict(store.conn.execute("SELECT id, normalized_sha256 FROM versions"))
    covered = {r[0] for r in data["phrase_versions"][1]}
    missing = sorted(covered - set(known))
    if missing:
        raise DocauditError(
            f"{folder}: the index covers {len(missing)} version(s) this database does not have (first: id "
            f"{missing[0]}): load it into the database it was exported from"
        )
    counts = {}
    conn = store.conn
    with store.transaction():
        reset(conn)
        for table in TABLES:
            names, rows = data[table]
            marks = ", ".join("?" * len(names))
            conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)
            counts[table] = len(rows)
    return counts
