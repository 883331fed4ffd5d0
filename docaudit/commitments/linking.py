"""The threads of every promise, kept in audit.db and continued from the earliest letter that changed.

Linking takes letters in date order (:func:`~docaudit.commitments.history.letter_key`) and a letter's links
depend only on the letters before it, so what was linked before a changed letter still holds. :func:`link`
reads what was kept (tables ``commitment_threads`` and ``commitment_events``, migration 11), finds the
earliest letter that is new or changed since (a version not linked yet, a version whose day was edited, a
version whose commitments were read again), cuts every thread back to before that letter, links that letter
and all after it, and keeps the result. A nightly run that stored a few new letters links those few; a
backfilled old letter relinks from its date on. The result is the same as linking every letter afresh
(tested), and is kept under a digest of the linking code (``made_with``): other code links afresh.

Derived data, outside the hash chain. Kept best effort: a read-only archive, or another process writing for
longer than a moment, gets the threads all the same, linked in memory and not kept.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..meaning.deadline import Deadline
from ..meaning.promise import Commitment
from ..store.database import Store
from .history import Event, Found, Linker, Thread, letter_key

SETTING = "commitment_links"  # the settings row holding made_with of the kept threads
LINK_CODE = ("commitments", "meaning")  # the packages whose code decides the links
Letter = list[tuple[int, str | None, list[Found]]]  # a letter's versions: (number, day, commitments)


@lru_cache(maxsize=1)
def made_with() -> str:
    """The digest kept threads are valid under: docaudit's version and the linking code (commitments read
    again by another extractor are relinked anyway: their versions are no longer marked linked)."""
    from ..values import code_digest

    return code_digest(*LINK_CODE)


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


def read_letters(store: Store) -> dict[str, Letter]:
    """Every letter's versions, oldest first, each with its day and the commitments read from it."""
    return _read(store)[0]


def _read(store: Store) -> tuple[dict[str, Letter], list[sqlite3.Row]]:
    """The letters (:func:`read_letters`), and each version's row: id, doc_id, day, and the day it was linked
    under (``linked_day``), from one pass over the versions."""
    versions = store.conn.execute(
        "SELECT v.id, v.doc_id, v.number, coalesce(v.letter_date, substr(v.added_at, 1, 10)) AS day, c.linked_day "
        "FROM versions v LEFT JOIN commitment_versions c ON c.version_id = v.id ORDER BY v.doc_id, v.number"
    ).fetchall()
    rows: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in store.conn.execute("SELECT * FROM commitments ORDER BY version_id, sentence"):
        rows[row["version_id"]].append(row)
    out: dict[str, Letter] = defaultdict(list)
    for v in versions:
        found = [Found(v["doc_id"], v["number"], v["day"], _commitment(r), r["id"]) for r in rows.get(v["id"], [])]
        out[v["doc_id"]].append((v["number"], v["day"], found))
    return out, versions


@dataclass
class Linked:
    """What :func:`link` did: the threads, and how many letters it linked (0: all read as kept)."""

    threads: list[Thread]
    letters: int = 0
    afresh: bool = False  # every letter linked (nothing kept, or kept by other code)
    kept: bool = True  # the result is in audit.db


@dataclass
class _Kept:
    """The kept threads as rows: each thread's origin row and events (with the day of the letter that added it)."""

    origins: list[int]
    events: list[list[tuple[Event, str]]]


def _read_kept(store: Store) -> _Kept:
    rows = store.conn.execute("SELECT id, origin FROM commitment_threads ORDER BY id").fetchall()
    if [r[0] for r in rows] != list(range(1, len(rows) + 1)):
        raise LookupError("threads missing")
    origins = [r[1] for r in rows]
    events: list[list[tuple[Event, str]]] = [[] for _ in origins]
    sql = (
        "SELECT thread, seq, doc, version, date, text, event, detail, at, letter_day FROM commitment_events "
        "ORDER BY thread, seq"
    )
    for row in store.conn.execute(sql):
        if not 1 <= row[0] <= len(origins) or row[1] != len(events[row[0] - 1]):
            raise LookupError("an event of no thread, or one missing")
        events[row[0] - 1].append((Event(*row[2:9]), row[9]))
    if any(not e or e[0][0].event != "made" for e in events):
        raise LookupError("a thread that was not made")
    return _Kept(origins, events)


def _cut(kept: _Kept, before: tuple[str, str], found: dict[int, Found]) -> list[Thread]:
    """The kept threads as they stood before letter key ``before``: later threads gone, later events cut.
    Raises LookupError (or KeyError) when what was kept does not fit the rows now: then all is linked afresh."""
    threads: list[Thread] = []
    for origin, events in zip(kept.origins, kept.events, strict=True):
        history = [e for e, day in events if (day, e.doc) < before]
        if not history:
            break  # a thread begun at or after the cut: every later one was begun later still
        if len(history) < len(events) and any((day, e.doc) < before for e, day in events[len(history) :]):
            raise LookupError("events out of letter order")
        last = history[-1]
        threads.append(Thread(found[origin], found[last.at], history, gone=last.event == "dropped"))
    if any(any((day, e.doc) < before for e, day in events) for events in kept.events[len(threads) :]):
        raise LookupError("threads out of letter order")
    return threads


def link(store: Store, *, keep: bool = True, afresh: bool = False) -> Linked:
    """Every promise's thread, continuing what audit.db kept (see the module), and keep the result.

    ``keep=False`` links and keeps nothing; ``afresh=True`` links every letter, whatever was kept."""
    letters, versions = _read(store)
    found = {f.id: f for versions_ in letters.values() for _n, _d, fs in versions_ for f in fs}
    changed = {v["doc_id"] for v in versions if v["linked_day"] != v["day"]}
    keys = {doc: letter_key(vs, doc) for doc, vs in letters.items()}
    kept_by = store.conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    start: tuple[str, str] | None = None  # link from this letter key on; None: from the first
    threads: list[Thread] = []
    lengths: list[tuple[int, int]] = []  # each kept thread's events: as kept, and left after the cut
    if not afresh and kept_by is not None and kept_by[0] == made_with():
        try:
            kept = _read_kept(store)
            starts = [keys[doc] for doc in changed if doc in keys]
            starts += [(day, e.doc) for events in kept.events for e, day in events if e.doc in changed]
            start = min(starts, default=("\uffff", ""))
            threads = _cut(kept, start, found)
            lengths = [(len(events), len(t.history)) for events, t in zip(kept.events, threads, strict=False)]
        except (LookupError, KeyError):
            start, threads, lengths = None, [], []
    todo = sorted((key, doc) for doc, key in keys.items() if start is None or key >= start)
    linker = Linker(threads)
    for _key, doc in todo:
        linker.link(letters[doc])
    result = Linked(linker.threads, len(todo), afresh=start is None)
    if todo or start is None:
        result.kept = keep and _keep(store, result.threads, lengths, start, keys, versions)
    return result


def _keep(
    store: Store,
    threads: Sequence[Thread],
    lengths: Sequence[tuple[int, int]],
    start: tuple[str, str] | None,
    keys: dict[str, tuple[str, str]],
    versions: Sequence[sqlite3.Row],
) -> bool:
    """Write what was linked from ``start`` on (all when None). The first threads were kept and cut back
    (``lengths``: each one's events as kept, and left after the cut): their rows stay, and so do their events
    before the cut. Best effort (:meth:`Store.keep_derived`): False when nothing was kept."""
    unchanged = len(lengths) if start is not None else 0
    thread_rows, event_rows, cut = [], [], []
    for k, thread in enumerate(threads):
        first_new = 0
        if k < unchanged:
            stored, first_new = lengths[k]
            if stored == first_new == len(thread.history):
                continue
            cut.append((k + 1, first_new))
        else:
            thread_rows.append((k + 1, thread.origin.id))
        for seq, e in enumerate(thread.history[first_new:], start=first_new):
            row = (k + 1, seq, e.doc, e.version, e.date, e.text, e.event, e.detail, e.at, keys[e.doc][0])
            event_rows.append(row)

    def write(conn: sqlite3.Connection) -> None:
        if start is None:
            conn.execute("DELETE FROM commitment_events")
            conn.execute("DELETE FROM commitment_threads")
        else:
            conn.execute("DELETE FROM commitment_events WHERE thread > ?", (unchanged,))
            conn.execute("DELETE FROM commitment_threads WHERE id > ?", (unchanged,))
            conn.executemany("DELETE FROM commitment_events WHERE thread = ? AND seq >= ?", cut)
        conn.executemany("INSERT INTO commitment_threads (id, origin) VALUES (?, ?)", thread_rows)
        conn.executemany("INSERT INTO commitment_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", event_rows)
        conn.executemany(
            "UPDATE commitment_versions SET linked_day = ? WHERE version_id = ?",
            [(v["day"], v["id"]) for v in versions if v["linked_day"] != v["day"]],
        )
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (SETTING, made_with()))

    return store.keep_derived(write)
