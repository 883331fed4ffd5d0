"""Commitments in the database: found at ingest (a version writer, in the version's transaction), caught up
for versions stored before, and read back as histories.

Tables (migration 6): ``commitments`` — one row per commitment per version, with the sentence it comes
from; ``commitment_versions`` — which versions were read, and by which extractor (``PARAMS``): a version
read by another is read again on the next catch-up.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from typing import Any

from ..meaning.deadline import Deadline, iso_day
from ..meaning.promise import Commitment, find_commitments
from ..store.database import NORMALIZED, AddResult, Store
from ..text.segment import sentences_of
from .history import Found, Thread, histories

PARAMS = "commitments v1"
_COLUMNS = (
    "version_id, doc_id, version, sentence, text, actor, act, object, deadline_text, deadline_start, deadline_end, "
    "polarity, modality, strength"
)


def _letter_date(letter_date: str | None, added_at: str) -> date | None:
    return iso_day(letter_date) or iso_day(added_at)


def record(conn: sqlite3.Connection, version_id: int, doc_id: str, number: int, text: str, when: date | None) -> int:
    """Find and store the commitments of one version (replacing earlier rows); return how many."""
    found = find_commitments(sentences_of(text), when)
    conn.execute("DELETE FROM commitments WHERE version_id = ?", (version_id,))
    conn.executemany(
        f"INSERT INTO commitments ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                version_id,
                doc_id,
                number,
                c.sentence,
                c.text,
                c.actor,
                c.act,
                c.object,
                c.deadline.text if c.deadline else None,
                c.deadline.start.isoformat() if c.deadline and c.deadline.start else None,
                c.deadline.end.isoformat() if c.deadline and c.deadline.end else None,
                c.polarity,
                c.modality,
                c.strength,
            )
            for c in found
        ],
    )
    conn.execute(
        "INSERT OR REPLACE INTO commitment_versions (version_id, found, params) VALUES (?, ?, ?)",
        (version_id, len(found), PARAMS),
    )
    return len(found)


def write_commitments(conn: sqlite3.Connection, result: AddResult) -> None:
    """A version writer (:data:`docaudit.store.VersionWriter`): the commitments of a version just stored, in
    its transaction."""
    version = result.version
    if not result.stored or version is None:
        return
    record(
        conn,
        version.id,
        version.doc_id,
        version.number,
        version.normalized,
        _letter_date(version.letter_date, version.added_at),
    )


def catch_up(store: Store) -> int:
    """Read the versions no commitment scan (or an older extractor) has read; return how many were read."""
    rows = store.conn.execute(
        f"SELECT v.id, v.doc_id, v.number, {NORMALIZED}, v.letter_date, v.added_at FROM versions v "
        "LEFT JOIN commitment_versions c ON c.version_id = v.id WHERE c.version_id IS NULL OR c.params != ?",
        (PARAMS,),
    ).fetchall()
    for row in rows:
        with store.transaction():
            record(store.conn, row[0], row[1], row[2], row[3], _letter_date(row[4], row[5]))
    return len(rows)


def _commitment(row: sqlite3.Row) -> Commitment:
    deadline = None
    if row["deadline_text"]:
        start = date.fromisoformat(row["deadline_start"]) if row["deadline_start"] else None
        end = date.fromisoformat(row["deadline_end"]) if row["deadline_end"] else None
        deadline = Deadline(row["deadline_text"], start, end)
    return Commitment(
        row["sentence"],
        row["text"],
        row["actor"],
        row["act"],
        row["object"],
        deadline,
        row["polarity"],
        row["modality"],
        row["strength"],
    )


def threads(store: Store) -> list[Thread]:
    """Every promise in the database with its history (reads the versions not read yet first)."""
    catch_up(store)
    versions = store.conn.execute(
        "SELECT v.id, v.doc_id, v.number, coalesce(v.letter_date, substr(v.added_at, 1, 10)) AS day "
        "FROM versions v ORDER BY v.doc_id, v.number"
    ).fetchall()
    rows: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in store.conn.execute("SELECT * FROM commitments ORDER BY version_id, sentence"):
        rows[row["version_id"]].append(row)
    letters: dict[str, list[tuple[int, str | None, list[Found]]]] = defaultdict(list)
    for v in versions:
        found = [Found(v["doc_id"], v["number"], v["day"], _commitment(r), r["id"]) for r in rows.get(v["id"], [])]
        letters[v["doc_id"]].append((v["number"], v["day"], found))
    return histories(letters.items())


def list_commitments(
    store: Store,
    doc: str | None = None,
    *,
    status: str | None = None,
    since: date | str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """The promises as records (``docs/schemas/commitments.schema.json``): of one document (any letter in
    their history) or all, with a given status, or with an event dated on or after ``since``."""
    out = []
    for thread in threads(store):
        if doc and all(e.doc != doc for e in thread.history):
            continue
        record_ = thread.to_dict(today)
        if status and record_["status"] != status:
            continue
        if since and all((e.date or "") < str(since)[:10] for e in thread.history):
            continue
        out.append(record_)
    out.sort(key=lambda r: (r["history"][-1]["date"] or "", r["doc"], r["id"]), reverse=True)
    return out
