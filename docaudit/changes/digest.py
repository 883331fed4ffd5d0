"""The morning read: every change stored in a window, over all documents, most severe first
(``docaudit changes``)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import MutableMapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import DocauditError
from ..store.database import Store, Version
from ..values import code_digest, parse_date
from .compare import diff_versions

# what the changes of a version pair are made by: a pair kept in the database is diffed again when this code changes
DIFF_CODE = ("diff", "meaning", "text", "changes", "commitments")


@dataclass
class Entry:
    """One change of one stored version."""

    doc: str
    title: str | None
    version: str
    previous: str
    stored_at: str
    letter_date: str | None
    announced: bool | None
    kind: str
    level: str
    severity: int
    summary: str
    signals: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    old_text: str | None = None
    new_text: str | None = None
    reverted_to: str | None = None  # the new version's text is again that of this earlier version (DOC@N)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def since_stamp(since: str, now: datetime | None = None) -> str:
    """``7d``, ``24h``, ``2w`` (before now) or a date ``YYYY-MM-DD`` as the UTC stamp a window starts at."""
    now = now or datetime.now(UTC)
    m = re.fullmatch(r"\s*(\d+)\s*([hdw])\s*", since)
    if m:
        hours = int(m.group(1)) * {"h": 1, "d": 24, "w": 168}[m.group(2)]
        try:
            return (now - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (OverflowError, ValueError):  # a window longer than the calendar: everything stored
            return "0001-01-01T00:00:00Z"
    try:
        return f"{parse_date(since)}T00:00:00Z"
    except ValueError:
        raise DocauditError(f"--since {since!r}: give 7d, 24h, 2w or a date YYYY-MM-DD") from None


def read_up_to(store: Store, reader: str) -> int:
    """The last version (by row id) ``reader`` has marked read; 0 when never."""
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (f"read:{reader}",)).fetchone()
    return int(row[0]) if row else 0


def mark_read(store: Store, reader: str) -> int:
    """Mark every version stored so far as read by ``reader`` (a person at the terminal, a cron digest: each
    reader has a position of its own); return the position."""
    upto = store.conn.execute("SELECT coalesce(max(id), 0) FROM versions").fetchone()[0]
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (f"read:{reader}", str(upto)))
    return upto


def changes(
    store: Store,
    *,
    since: str = "7d",
    min_severity: int = 1,
    include_minor: bool = False,
    ignore: Sequence[str] = (),
    unread_by: str | None = None,
    cache: MutableMapping[str, list[dict[str, Any]]] | None = None,
) -> list[Entry]:
    """Every change of the versions stored since ``since`` (or, with ``unread_by``, of the versions that reader
    has not marked read, whenever stored), most severe first (then newest first); a change only in text an
    ``ignore`` rule matches is left out (:mod:`docaudit.diff.ignore`).

    ``cache``: the changes of version pairs diffed before, by :func:`pair_key` (the report keeps one in its
    site); pairs not in it are diffed and added. Without one, the database keeps them (``pair_changes``,
    :meth:`Store.kept_pair_changes`), so each pair is diffed once by the code that reads it."""
    if unread_by is not None:
        rows = store.conn.execute(
            "SELECT doc_id, number FROM versions WHERE id > ? AND number > 1 ORDER BY added_at, doc_id, number",
            (read_up_to(store, unread_by),),
        ).fetchall()
    else:
        rows = store.conn.execute(
            "SELECT doc_id, number FROM versions WHERE added_at >= ? AND number > 1 ORDER BY added_at, doc_id, number",
            (since_stamp(since),),
        ).fetchall()
    pairs = []
    for doc_id, number in rows:
        old, new = store.version(doc_id, number - 1), store.version(doc_id, number)
        title = store.document_title(doc_id)
        pairs.append((doc_id, old, new, title, pair_key(old, new, title, ignore)))
    kept: MutableMapping[str, list[dict[str, Any]]]
    made_with = None
    if cache is not None:
        kept = cache
    else:
        made_with = code_digest(*DIFF_CODE)
        kept = store.kept_pair_changes([p[-1] for p in pairs], made_with)
    new_here: dict[str, list[dict[str, Any]]] = {}
    out: list[Entry] = []
    for doc_id, old, new, title, key in pairs:
        found = kept.get(key)
        if found is None:
            found = kept[key] = new_here[key] = pair_changes(old, new, title, ignore)
        back = store.reverted_to(new)
        for c in found:
            if c["severity"] < min_severity or (c["level"] == "minor" and not include_minor):
                continue
            out.append(
                Entry(
                    doc_id,
                    title,
                    new.ref,
                    old.ref,
                    new.added_at,
                    new.letter_date,
                    new.announced,
                    c["kind"],
                    c["level"],
                    c["severity"],
                    c["summary"],
                    list(c["signals"]),
                    list(c["flags"]),
                    c["old_text"],
                    c["new_text"],
                    f"{doc_id}@{back}" if back else None,
                )
            )
    if made_with is not None:
        store.keep_pair_changes(new_here, made_with)
    out.sort(key=lambda e: (-e.severity, e.stored_at), reverse=False)
    return out


def pair_key(old: Version, new: Version, title: str | None, ignore: Sequence[str] = ()) -> str:
    """What the changes of a version pair depend on: both texts, the title, the ignore rules, docaudit."""
    from ..version import __version__

    parts = [old.normalized_sha256, new.normalized_sha256, title or "", *ignore, __version__]
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def pair_changes(old: Version, new: Version, title: str | None, ignore: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The changes from ``old`` to ``new`` that are not cosmetic, as plain data (in text order)."""
    diff = diff_versions(old, new, title, ignore)
    return [
        {
            "kind": c.kind,
            "level": c.level,
            "severity": c.severity,
            "summary": c.summary,
            "signals": list(c.signals),
            "flags": list(c.flags),
            "old_text": c.old_text,
            "new_text": c.new_text,
        }
        for c in diff.changes
        if c.kind != "cosmetic"
    ]
