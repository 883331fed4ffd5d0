"""Commitments in the database: found at ingest (a version writer, in the version's transaction), caught up
for versions stored before, and read back as histories.

Tables (migration 6): ``commitments`` — one row per commitment per version, with the sentence it comes
from; ``commitment_versions`` — which versions were read, and by which extractor (``PARAMS``): a version
read by another is read again on the next catch-up. The histories are linked from these rows and kept
(:mod:`docaudit.commitments.linking`).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from ..meaning.deadline import iso_day
from ..meaning.promise import find_commitments
from ..store.database import NORMALIZED, AddResult, Store
from ..text.segment import sentences_of
from .history import Thread
from .linking import link

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


def threads(store: Store, *, relink: bool = False) -> list[Thread]:
    """Every promise in the database with its history: reads the versions not read yet, then continues the
    threads kept in audit.db from the earliest letter that changed (:func:`docaudit.commitments.linking.link`);
    ``relink``: links every letter afresh (the same result, and kept)."""
    catch_up(store)
    return link(store, afresh=relink).threads


def list_commitments(
    store: Store,
    doc: str | None = None,
    *,
    status: str | None = None,
    since: date | str | None = None,
    today: date | None = None,
    relink: bool = False,
) -> list[dict[str, Any]]:
    """The promises as records (``docs/schemas/commitments.schema.json``): of one document (any letter in
    their history) or all, with a given status, or with an event dated on or after ``since``."""
    out = []
    for thread in threads(store, relink=relink):
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
