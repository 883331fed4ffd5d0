"""A hash chain over the history: nobody edits, deletes or re-orders a version, a fetch record or an edit unseen.

Every version, fetch record and title/date edit gets a *link*, written in the same transaction as its row:

    link = sha256(previous link + "\\n" + payload)

where ``payload`` is the canonical JSON (sorted keys, no spaces, UTF-8) of what the row asserts — for a
version its document, number, stored-at time, file name, format, size, raw/text/normalized sha256 and
snapshot path; for a fetch its URL, time, HTTP status, outcome, the version it stored and the response's
dating headers (ETag, Last-Modified); for an edit the field, old and new value. The first link follows 64
zeros. :func:`verify_chain` recomputes every link and compares each payload with the row as it is now, and
names the first thing that broke: a row edited, a row deleted, a link deleted or re-ordered, a row that was
never chained. A seal (:mod:`docaudit.evidence`) fixes the head in time with a trusted timestamp, so even a
rewrite of the whole chain shows.

A database from before the chain gets one on migration: a ``start`` link, then its existing rows in the
order they were written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

GENESIS = "0" * 64
KINDS = ("start", "version", "fetch", "edit")
_VERSION = "id, doc_id, number, added_at, filename, format, size, raw_sha256, text_sha256, normalized_sha256, snapshot"
_FETCH = (
    "id, run_id, doc_id, url, started_at, status, bytes, outcome, version_id, final_url, content_type, etag, "
    "last_modified"
)
_EDIT = "id, at, doc_id, version, field, old, new, note"
_SEAL = "id, seq, link, at, tsa, tsa_time"
_TABLES = {
    "version": ("versions", _VERSION),
    "fetch": ("fetches", _FETCH),
    "edit": ("edits", _EDIT),
    "seal": ("seals", _SEAL),
}
_NAMES = {kind: tuple(c.strip() for c in columns.split(",")) for kind, (_, columns) in _TABLES.items()}
# what else a version asserts, chained since schema 9: its letter date, the document's title as it stood after
# this version, and a hash over its meta, headers, footers, margin and footnotes (what a reader sees beside the
# text). Links written before carry none of these, and are compared on the keys they have.
_FACTS = "meta, headers, footers, margin, footnotes"


def _facts_sha256(row: sqlite3.Row | dict[str, Any]) -> str:
    facts = {k.strip(): row[k.strip()] for k in _FACTS.split(",")}
    return hashlib.sha256(canonical(facts).encode("utf-8")).hexdigest()


def canonical(payload: dict[str, Any]) -> str:
    """The one text a payload hashes as: JSON with sorted keys and no spaces."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link_of(prev: str, payload: str) -> str:
    """The link hash of ``payload`` following ``prev`` (what ``sha256sum`` gives for ``prev\\npayload``)."""
    return hashlib.sha256(f"{prev}\n{payload}".encode()).hexdigest()


def payload_of(kind: str, row: sqlite3.Row | dict[str, Any]) -> dict[str, Any]:
    """What a row asserts, as recorded in its link."""
    payload = {"kind": kind, **{c: row[c] for c in _NAMES[kind]}}
    if kind == "version":
        payload.update(letter_date=row["letter_date"], title=row["title"], facts_sha256=_facts_sha256(row))
    return payload


def _row(conn: sqlite3.Connection, kind: str, ref_id: int) -> sqlite3.Row | None:
    table, columns = _TABLES[kind]
    if kind == "version":
        return conn.execute(
            f"SELECT {columns}, letter_date, {_FACTS}, (SELECT title FROM documents WHERE id = doc_id) AS title "
            "FROM versions WHERE id = ?",
            (ref_id,),
        ).fetchone()
    return conn.execute(f"SELECT {columns} FROM {table} WHERE id = ?", (ref_id,)).fetchone()


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(seq, link) of the newest link; (0, 64 zeros) for an empty chain."""
    row = conn.execute("SELECT seq, link FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(conn: sqlite3.Connection, kind: str, ref_id: int, payload: dict[str, Any] | None = None) -> str:
    """Chain the row ``ref_id`` of ``kind`` (inside the caller's transaction); return its link."""
    if payload is None:
        row = _row(conn, kind, ref_id)
        if row is None:
            raise LookupError(f"no {kind} {ref_id} to chain")
        payload = payload_of(kind, row)
    _, prev = head(conn)
    text = canonical(payload)
    link = link_of(prev, text)
    conn.execute(
        "INSERT INTO chain (kind, ref_id, payload, prev, link) VALUES (?, ?, ?, ?, ?)", (kind, ref_id, text, prev, link)
    )
    return link


def start(conn: sqlite3.Connection, at: str) -> None:
    """Start the chain of a database (run once, by the migration): a ``start`` link, then every existing
    version, fetch record and edit in the order they were written."""
    first = {k: _TABLES[k] for k in ("version", "fetch", "edit")}  # what the chain covered when it began
    counts = {k: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for k, (t, _) in first.items()}
    append(conn, "start", 0, {"kind": "start", "at": at, "existing": counts})
    for kind, (table, _) in first.items():
        for (ref_id,) in conn.execute(f"SELECT id FROM {table} ORDER BY id").fetchall():
            append(conn, kind, ref_id)


def _ref(kind: str, payload: dict[str, Any]) -> str:
    if kind == "version":
        return f"version {payload.get('doc_id')}@{payload.get('number')}"
    if kind == "fetch":
        return f"fetch {payload.get('id')} of {payload.get('url')}"
    if kind == "edit":
        return f"edit {payload.get('id')} of {payload.get('doc_id')} ({payload.get('field')})"
    return kind


def verify_chain(conn: sqlite3.Connection) -> list[str]:
    """Every way the chain and the rows it covers disagree, the first break first (empty when all holds).

    A version's letter date and its document's title are compared with what the chain says they are now: the
    value recorded with the version, or the newest chained edit (or later version, for a title) after it."""
    problems: list[str] = []
    prev, prev_seq = GENESIS, 0
    chained: dict[str, set[int]] = {k: set() for k in _TABLES}
    dates: dict[int, tuple[int, Any]] = {}  # version id → (seq, the letter date the chain says it has)
    titles: dict[str, tuple[int, Any]] = {}  # document → (seq, the title the chain says it has)
    numbers: dict[tuple[str, int], int] = {}  # (document, number) → version id
    for seq, kind, ref_id, text, recorded_prev, link in conn.execute(
        "SELECT seq, kind, ref_id, payload, prev, link FROM chain ORDER BY seq"
    ):
        try:
            payload = json.loads(text)
        except ValueError:
            payload = {}
        what = _ref(kind, payload)
        if recorded_prev != prev:
            problems.append(
                f"link {seq} ({what}) does not follow link {prev_seq}: a link was deleted, inserted or re-ordered"
            )
        elif link_of(prev, text) != link:
            problems.append(f"link {seq} ({what}) does not hash to what it records: the chain row was edited")
        prev, prev_seq = link, seq
        if kind == "edit" and payload.get("field") == "letter_date":
            target = numbers.get((payload.get("doc_id"), payload.get("version")))
            if target is not None:
                dates[target] = (seq, payload.get("new"))
        elif kind == "edit" and payload.get("field") == "title":
            titles[payload.get("doc_id")] = (seq, payload.get("new"))
        if kind not in _TABLES:
            continue
        chained[kind].add(ref_id)
        row = _row(conn, kind, ref_id)
        if row is None:
            problems.append(f"link {seq}: {what} was deleted from the database")
            continue
        now = payload_of(kind, row)
        if kind == "version":
            numbers[(payload.get("doc_id"), payload.get("number"))] = ref_id
            if "letter_date" in payload:
                dates[ref_id] = (seq, payload["letter_date"])
            if "title" in payload:  # the title after this version was stored (edits before it included)
                titles[payload.get("doc_id")] = (seq, payload["title"])
        compared = set(payload) - {"letter_date", "title"} if kind == "version" else set(now) | set(payload)
        changed = sorted(k for k in compared if now.get(k) != payload.get(k))
        if changed:
            problems.append(f"link {seq}: {what} changed since it was recorded: {', '.join(changed)}")
    problems += _facts_now(conn, dates, titles)
    for kind, (table, _) in _TABLES.items():
        for (ref_id,) in conn.execute(f"SELECT id FROM {table} ORDER BY id"):
            if ref_id not in chained[kind]:
                problems.append(f"{kind} row {ref_id} of {table} is not in the chain: written behind docaudit's back")
    return problems


def _facts_now(
    conn: sqlite3.Connection, dates: dict[int, tuple[int, Any]], titles: dict[str, tuple[int, Any]]
) -> list[str]:
    """The letter dates and titles as they are now, against what the chain says they should be."""
    out = []
    for version_id, (seq, expected) in dates.items():
        row = conn.execute("SELECT doc_id, number, letter_date FROM versions WHERE id = ?", (version_id,)).fetchone()
        if row is not None and row[2] != expected:
            out.append(
                f"version {row[0]}@{row[1]}: letter date {row[2]!r}, the chain says {expected!r} (link {seq}): "
                "changed behind docaudit's back (docaudit edit records such changes)"
            )
    for doc_id, (seq, expected) in titles.items():
        row = conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is not None and row[0] != expected:
            out.append(
                f"document {doc_id}: title {row[0]!r}, the chain says {expected!r} (link {seq}): "
                "changed behind docaudit's back (docaudit edit records such changes)"
            )
    return out


def path(conn: sqlite3.Connection, from_seq: int, to_seq: int) -> list[dict[str, Any]]:
    """The links from ``from_seq`` to ``to_seq`` (both included), for an evidence pack."""
    return [
        {"seq": r[0], "kind": r[1], "ref_id": r[2], "payload": r[3], "prev": r[4], "link": r[5]}
        for r in conn.execute(
            "SELECT seq, kind, ref_id, payload, prev, link FROM chain WHERE seq BETWEEN ? AND ? ORDER BY seq",
            (from_seq, to_seq),
        )
    ]


def check_path(links: Iterable[dict[str, Any]]) -> list[str]:
    """Whether a run of links holds together: each hashes to its link and follows the one before."""
    problems = []
    before: dict[str, Any] | None = None
    for item in links:
        if before is not None and item["prev"] != before["link"]:
            problems.append(f"link {item['seq']} does not follow link {before['seq']}")
        if link_of(item["prev"], item["payload"]) != item["link"]:
            problems.append(f"link {item['seq']} does not hash to what it records")
        before = item
    return problems


def seq_of(conn: sqlite3.Connection, kind: str, ref_id: int) -> int | None:
    row = conn.execute("SELECT seq FROM chain WHERE kind = ? AND ref_id = ?", (kind, ref_id)).fetchone()
    return row[0] if row else None


def sealed_imprint(token: bytes) -> bytes:
    """The message imprint (sha256 digest) an RFC 3161 time-stamp response vouches for."""
    from rfc3161_client import decode_timestamp_response

    return decode_timestamp_response(token).tst_info.message_imprint.message


def verify_seals(conn: sqlite3.Connection) -> list[str]:
    """Whether each seal still matches the chain: its link at its place, and its token over that link."""
    problems = []
    for seal_id, seq, link, at, token in conn.execute("SELECT id, seq, link, at, token FROM seals ORDER BY id"):
        row = conn.execute("SELECT link FROM chain WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            problems.append(f"seal {seal_id} ({at}): link {seq} it sealed is gone from the chain")
        elif row[0] != link:
            problems.append(f"seal {seal_id} ({at}): the chain at link {seq} is no longer what was sealed")
        if token:
            try:
                imprint = sealed_imprint(bytes(token))
            except Exception as exc:  # a token that does not parse is as bad as a wrong one
                problems.append(f"seal {seal_id} ({at}): its time-stamp token does not parse ({exc})")
                continue
            if imprint != hashlib.sha256(link.encode()).digest():
                problems.append(f"seal {seal_id} ({at}): its time-stamp token is over another link")
    return problems
