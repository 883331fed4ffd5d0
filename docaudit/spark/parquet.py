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
from ..store.database import NORMALIZED, Store

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


MAX_FILE = 4 * 1024**3  # one Parquet file of an index; more is no index docaudit wrote
MAX_TEXT = 100_000  # characters of one sentence's text
SIGNED = frozenset({"key", "hash"})  # hash values stored as signed integers


def read_rows(folder: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(column names, rows) of a Parquet dataset folder: regular files only (no links), each of bounded size,
    each readable as Parquet with the same columns; anything else is one line."""
    _, pq = _pyarrow()
    if folder.is_symlink() or not folder.is_dir():
        raise DocauditError(f"{folder}: not a folder of Parquet files (links are not followed)")
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise DocauditError(f"{folder}: no Parquet files")
    names: list[str] = []
    rows: list[tuple[Any, ...]] = []
    for f in files:
        if f.is_symlink() or not f.is_file():
            raise DocauditError(f"{f}: not a regular file (links are not followed)")
        if f.stat().st_size > MAX_FILE:
            raise DocauditError(f"{f}: larger than an index file can be")
        try:
            table = pq.read_table(f)
        except Exception as exc:  # pyarrow's ArrowInvalid, OSError …: a file that is not Parquet
            raise DocauditError(f"{f}: not a Parquet file docaudit can read ({type(exc).__name__}: {exc})") from None
        if names and table.column_names != names:
            raise DocauditError(f"{f}: its columns differ from the other files of {folder.name}")
        names = table.column_names
        rows.extend(zip(*(table.column(n).to_pylist() for n in names), strict=True))
    return names, rows


def _check(store: Store, folder: Path, data: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    """Refuse, before anything is written, an index that does not fit this database: other columns, wrong types
    or negative numbers, over-long texts, references to sentences, documents or versions that are not there,
    or no versions at all where the database has some (loading it would wipe the index)."""
    for table in TABLES:
        names, rows = data[table]
        columns = {r[1]: r[2].upper() for r in store.conn.execute(f"PRAGMA table_info({table})")}
        if sorted(names) != sorted(columns):
            raise DocauditError(f"{folder / table}: columns {names}, this database's {table} has {sorted(columns)}")
        for row in rows:
            for name, value in zip(names, row, strict=True):
                kind = columns[name]
                if "INT" in kind and (not isinstance(value, int) or isinstance(value, bool)):
                    raise DocauditError(f"{folder / table}: {name} = {value!r} is not a whole number")
                if "INT" in kind and value < 0 and name not in SIGNED:  # ids and counts; hashes may be negative
                    raise DocauditError(f"{folder / table}: {name} = {value!r} is negative")
                if "TEXT" in kind and (not isinstance(value, str) or len(value) > MAX_TEXT):
                    raise DocauditError(f"{folder / table}: {name} is not a text of at most {MAX_TEXT:,} characters")
    versions = {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT id, doc_id, number FROM versions")}
    names, rows = data["phrase_versions"]
    if versions and not rows:
        raise DocauditError(f"{folder}: the index covers no version (loading it would empty the phrase index)")
    at = {n: i for i, n in enumerate(names)}
    for row in rows:
        vid, ref = row[at["version_id"]], (row[at["doc_id"]], row[at["number"]])
        if versions.get(vid) != ref:
            raise DocauditError(
                f"{folder}: the index covers version id {vid} ({ref[0]}@{ref[1]}), which this database does not "
                "have: load it into the database it was exported from"
            )
    sentences = {r[data["phrase_sentences"][0].index("id")] for r in data["phrase_sentences"][1]}
    docs = {r[0] for r in store.conn.execute("SELECT id FROM documents")}
    for table in ("phrase_fingerprints", "phrase_occurrences"):
        names, rows = data[table]
        sid = names.index("sentence_id")
        doc = names.index("doc_id") if "doc_id" in names else None
        for row in rows:
            if row[sid] not in sentences:
                raise DocauditError(f"{folder / table}: sentence id {row[sid]} is not among phrase_sentences")
            if doc is not None and row[doc] not in docs:
                raise DocauditError(f"{folder / table}: document {row[doc]!r} is not in this database")


def load_index(store: Store, folder: str | Path) -> dict[str, int]:
    """Replace the phrase tables with those under ``folder`` (as written by the Spark build's ``--output``)."""
    folder = Path(folder)
    data = {t: read_rows(folder / t) for t in TABLES}
    _check(store, folder, data)
    counts = {}
    conn = store.conn
    try:
        with store.transaction():
            reset(conn)
            for table in TABLES:
                names, rows = data[table]
                marks = ", ".join("?" * len(names))
                conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", rows)
                counts[table] = len(rows)
    except sqlite3.IntegrityError as exc:  # the index's own rows clash (a duplicate key): not a damaged database
        raise DocauditError(f"{folder}: the index breaks a constraint ({exc}); nothing was loaded") from None
    return counts
