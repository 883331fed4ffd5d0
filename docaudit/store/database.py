"""The version store: documents and their versions in SQLite, raw bytes in ``snapshots/``.

A new version is stored only when the normalized text changed. Each version is written in one
transaction, after its raw bytes are safely on disk, so no row ever points at a missing file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DocauditError, FileTooLarge, NotFound, StoreError
from ..read.limits import DEFAULT_MAX_SIZE
from ..text.formatting import human_size
from ..values import did_you_mean, now, one_line, validate_doc_id
from . import chain, textdelta
from .snapshots import Snapshots, sha256

DEFAULT_DB = "audit.db"
_REF = re.compile(r"^(?P<doc>.+?)(?:@(?P<n>latest|-?\d+))?$")


@dataclass
class Version:
    """One stored version of a document."""

    id: int
    doc_id: str
    number: int
    added_at: str
    letter_date: str | None
    date_source: str | None
    filename: str | None
    format: str
    size: int
    raw_sha256: str
    snapshot: str
    text: str
    text_sha256: str
    normalized: str
    normalized_sha256: str
    extractor: str
    extractor_version: str
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    margin: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    announced: bool | None = None  # False: a silent revision; None: a first version, or not recorded
    announced_by: str | None = None  # what announced it ("Tweede Kamer Versienummer 1 → 2", …)

    @property
    def silent(self) -> bool:
        """A later version whose source announced no new version: what watchdogs look for."""
        return self.announced is False

    @property
    def ref(self) -> str:
        return f"{self.doc_id}@{self.number}"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Version:
        data = dict(row)
        for key in ("headers", "footers", "margin", "footnotes"):
            data[key] = json.loads(data[key] or "[]")
        data["meta"] = json.loads(data["meta"] or "{}")
        data["normalized"] = textdelta.normalized_of(
            data["text"], data["normalized"], data.pop("normalized_delta", None)
        )
        if data.get("announced") is not None:
            data["announced"] = bool(data["announced"])
        return cls(**data)

    def to_dict(self, text: bool = True) -> dict[str, Any]:
        out = asdict(self)
        out["ref"] = self.ref
        if not text:
            for key in ("text", "normalized"):
                out.pop(key)
        return out


def reverts(versions: list[Version]) -> dict[int, int]:
    """Version number → the earlier version (before the previous one) whose text it has again: the reverts
    of one document's history, as :meth:`Store.reverted_to` finds them one at a time."""
    seen: dict[str, int] = {}
    out: dict[int, int] = {}
    for v in sorted(versions, key=lambda v: v.number):
        earlier = seen.get(v.normalized_sha256)
        if earlier is not None and earlier < v.number - 1:
            out[v.number] = earlier
        seen[v.normalized_sha256] = v.number
    return out


@dataclass
class NewVersion:
    """A version ready to be written: its raw bytes, what extraction made of them, and the decisions
    (date, title, metadata) taken by :mod:`docaudit.ingest.pipeline`. The store writes it as it is."""

    raw: bytes
    extraction: Any  # docaudit.read.extract.Extraction
    normalized: str
    normalized_sha256: str
    letter_date: str | None = None
    date_source: str | None = None
    filename: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    title: str | None = None  # given by the user: replaces the document's title
    fallback_title: str | None = None  # found in the document: used when the document has none yet
    announced: bool | None = None
    announced_by: str | None = None


# A version's normalized text in SQL, however it is stored (docaudit.store.textdelta); needs a Store's connection.
# Stored whole, or equal to the text (an empty delta), it is read without calling into Python.
NORMALIZED = (
    "coalesce(normalized, CASE WHEN normalized_delta = '' THEN text END, "
    "docaudit_normalized(text, normalized, normalized_delta))"
)

VersionWriter = Callable[[sqlite3.Connection, "AddResult"], None]
"""Something written beside a version in the same transaction (its sentences in the phrase index, its
commitments, the fetch that brought it): called with the write's result, stored or unchanged, so that it
commits, or not, together with the version. :func:`docaudit.ingest.pipeline.ingest_writers` names ingest's."""


@dataclass
class AddResult:
    """What happened to one document given to :func:`docaudit.ingest.pipeline.add_bytes` (stored or unchanged)."""

    doc_id: str
    status: str  # "stored" or "unchanged"
    number: int
    reason: str = ""
    version: Version | None = None
    source: str | None = None
    previous: Version | None = None
    reverted_to: int | None = None  # a stored version whose text is that of this earlier version

    @property
    def stored(self) -> bool:
        return self.status == "stored"

    def to_dict(self) -> dict[str, Any]:
        """``status``, ``doc``, ``version``, ``reason`` (``null`` when stored) and ``reverted_to``."""
        return {
            "status": self.status,
            "doc": self.doc_id,
            "version": self.number,
            "reason": self.reason or None,
            "reverted_to": self.reverted_to,
        }

    def message(self) -> str:
        if self.stored:
            assert self.version is not None
            v = self.version
            extra = f", dated {v.letter_date}" if v.letter_date else ""
            back = f"; reverted to {self.doc_id}@{self.reverted_to}" if self.reverted_to else ""
            return f"stored as {self.doc_id}@{self.number} ({v.format}, {len(v.text):,} characters{extra}){back}"
        if self.reason == "already stored":
            return f"already stored as {self.doc_id}@{self.number}"
        return f"unchanged ({self.reason}), still version {self.number} of {self.doc_id}"


@dataclass
class DocumentSummary:
    id: str
    title: str | None
    versions: int
    latest: int
    first_added: str
    last_change: str
    letter_date: str | None
    format: str


@dataclass
class SearchHit:
    doc_id: str
    number: int
    title: str | None
    letter_date: str | None
    snippet: str
    latest: bool

    @property
    def ref(self) -> str:
        return f"{self.doc_id}@{self.number}"


@dataclass
class VerifyReport:
    checked: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)
    altered: list[tuple[str, str]] = field(default_factory=list)
    bad_text_hash: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    temp_files: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)  # the hash chain's breaks, the first first (docaudit.store.chain)
    reextracted: int | None = None  # versions extracted again from their snapshots (None: --quick, not done)
    not_from_snapshot: list[str] = field(default_factory=list)  # stored text that its snapshot does not give
    other_extractor: list[str] = field(default_factory=list)  # stored by another extractor version: not compared

    @property
    def problems(self) -> int:
        return (
            len(self.missing)
            + len(self.altered)
            + len(self.bad_text_hash)
            + len(self.integrity)
            + len(self.chain)
            + len(self.not_from_snapshot)
        )

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "problems": self.problems,
            "missing": [{"ref": r, "snapshot": p} for r, p in self.missing],
            "altered": [{"ref": r, "snapshot": p} for r, p in self.altered],
            "bad_text_hash": self.bad_text_hash,
            "integrity": self.integrity,
            "chain": self.chain,
            "orphans": self.orphans,
            "temp_files": self.temp_files,
            "reextracted": self.reextracted,
            "not_from_snapshot": self.not_from_snapshot,
            "other_extractor": self.other_extractor,
        }


def _writable(path: Path) -> bool:
    """Whether the database and its folder can be written (SQLite's journal lives beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _open_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection; ``immutable`` when the folder cannot take SQLite's shared-memory file either
    (nobody can be writing a database no one can write)."""
    from urllib.parse import quote

    immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro{immutable}"
    return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)


class Store:
    """An ``audit.db`` with its ``snapshots/`` folder (next to the database unless given)."""

    def __init__(
        self,
        db_path: str | os.PathLike[str] = DEFAULT_DB,
        snapshots: str | os.PathLike[str] | None = None,
        *,
        max_size: int = DEFAULT_MAX_SIZE,
        create: bool = True,
        timeout: float = 30.0,
    ) -> None:
        self.path = Path(db_path)
        if not create and not self.path.exists():
            raise StoreError(
                f"no database at {self.path}: store something first (docaudit add FILE --doc ID), or give --db"
            )
        self.snapshots = Snapshots(snapshots if snapshots is not None else self.path.parent / "snapshots")
        self.max_size = max_size
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # a read-only copy (a backup, a court's copy, a read-only mount) is opened read-only, and never changed
        self.read_only = not create and self.path.exists() and not _writable(self.path)
        try:
            if self.read_only:
                self.conn = _open_read_only(self.path, timeout)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=timeout)
            self.conn.row_factory = sqlite3.Row
            # SQL can read a version's normalized text however it is stored (docaudit.store.textdelta)
            self.conn.create_function("docaudit_normalized", 3, textdelta.normalized_of, deterministic=True)
            self.conn.execute("PRAGMA foreign_keys = ON")
            from .migrations import SCHEMA_VERSION, migrate

            if self.read_only:
                found = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if found != SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} is read-only and of schema version {found}, not {SCHEMA_VERSION}: "
                        "copy it somewhere writable to upgrade it (the copy, not the original)"
                    )
            else:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
                migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from None

    # -- life cycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self):
        """The connection as a :class:`sqlite_utils.Database`, for ad-hoc queries."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    # -- writing ------------------------------------------------------------------------------

    def latest(self, doc_id: str) -> Version | None:
        """The newest version of ``doc_id``, or None when it has none."""
        row = self.conn.execute(
            "SELECT * FROM versions WHERE doc_id = ? ORDER BY number DESC LIMIT 1", (doc_id,)
        ).fetchone()
        return Version.from_row(row) if row else None

    def latest_head(self, doc_id: str) -> tuple[int, str] | None:
        """The newest version's number and raw bytes' SHA-256, without reading its text (a run asks this for
        every document it checks), or None when the document has no version."""
        row = self.conn.execute(
            "SELECT number, raw_sha256 FROM versions WHERE doc_id = ? ORDER BY number DESC LIMIT 1", (doc_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def unchanged(
        self,
        latest: Version | None,
        *,
        raw_sha256: str | None = None,
        normalized_sha256: str | None = None,
        filename: str | None = None,
        also: Sequence[VersionWriter] = (),
    ) -> AddResult | None:
        """An "unchanged" result when ``latest`` (the newest stored version of a document, see
        :meth:`latest`) has these bytes (or this text), else None. The writers in ``also`` are given the
        result in a transaction of their own."""
        if latest is None:
            return None
        if raw_sha256 is not None and latest.raw_sha256 == raw_sha256:
            reason = "same bytes"
        elif normalized_sha256 is not None and latest.normalized_sha256 == normalized_sha256:
            reason = "same text"
        else:
            return None
        result = AddResult(latest.doc_id, "unchanged", latest.number, reason, latest, filename)
        if also:
            with self.transaction() as conn:
                for writer in also:
                    writer(conn, result)
        return result

    def write_version(
        self,
        doc_id: str,
        new: NewVersion,
        *,
        added_at: str | None = None,
        also: Sequence[VersionWriter] = (),
    ) -> AddResult:
        """Write ``new`` as the next version of ``doc_id`` (raw bytes first, then the row, its chain link and
        exactly the writers in ``also``, in one transaction), unless the latest version has the same text by
        then. Each writer is given the result, stored or unchanged. Use
        :func:`docaudit.ingest.pipeline.add_bytes` to go from bytes (it names the phrase and commitment writers).
        """
        from ..read.sniff import EXTENSIONS

        doc_id = validate_doc_id(doc_id)
        data, extraction = new.raw, new.extraction
        if len(data) > self.max_size:
            raise FileTooLarge(f"{human_size(len(data))}, over the {human_size(self.max_size)} limit (--max-size)")
        snapshot = self.snapshots.write(data, EXTENSIONS[extraction.format])
        stamp = added_at or now()
        row = {
            "doc_id": doc_id,
            "added_at": stamp,
            "letter_date": new.letter_date,
            "date_source": new.date_source,
            "filename": new.filename,
            "format": extraction.format,
            "size": len(data),
            "raw_sha256": sha256(data),
            "snapshot": snapshot,
            "text": extraction.text,
            "text_sha256": sha256(extraction.text.encode("utf-8")),
            "normalized_sha256": new.normalized_sha256,
            "extractor": extraction.extractor,
            "extractor_version": extraction.extractor_version,
            "headers": json.dumps(extraction.headers, ensure_ascii=False),
            "footers": json.dumps(extraction.footers, ensure_ascii=False),
            "margin": json.dumps(extraction.margin, ensure_ascii=False),
            "footnotes": json.dumps(extraction.footnotes, ensure_ascii=False),
            "meta": json.dumps(new.meta, ensure_ascii=False, sort_keys=True),
            "announced": None if new.announced is None else int(new.announced),
            "announced_by": new.announced_by,
        }
        row["normalized"], row["normalized_delta"] = textdelta.stored(extraction.text, new.normalized)
        with self.transaction():
            latest = self.latest(doc_id)  # another process may have stored a version meanwhile
            if latest is not None and latest.normalized_sha256 == new.normalized_sha256:
                result = AddResult(doc_id, "unchanged", latest.number, "same text", latest, new.filename)
            else:
                if latest is None:
                    row["announced"] = row["announced_by"] = None  # a first version announces nothing
                self._upsert_document(doc_id, new.title, new.fallback_title, stamp)
                row["number"] = (latest.number if latest else 0) + 1
                columns = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                cur = self.conn.execute(f"INSERT INTO versions ({columns}) VALUES ({marks})", row)
                chain.append(self.conn, "version", cur.lastrowid)  # never optional: the history's evidence
                version = self._version_by_id(cur.lastrowid)
                result = AddResult(doc_id, "stored", version.number, "", version, new.filename, previous=latest)
                result.reverted_to = self.reverted_to(version)
            for writer in also:
                writer(self.conn, result)
        return result

    def _upsert_document(self, doc_id: str, title: str | None, fallback_title: str | None, stamp: str) -> None:
        """A given title replaces the document's; a title found in the new version replaces one that was found
        too (the latest version's, not the first's), never one given or set with ``docaudit edit``."""
        title, fallback_title = one_line(title), one_line(fallback_title)
        existing = self.conn.execute("SELECT title, meta FROM documents WHERE id = ?", (doc_id,)).fetchone()
        source = "given" if title else "found"
        if existing is None:
            self.conn.execute(
                "INSERT INTO documents (id, title, created_at, updated_at, meta) VALUES (?, ?, ?, ?, ?)",
                (doc_id, title or fallback_title, stamp, stamp, json.dumps({"title_source": source})),
            )
            return
        meta = json.loads(existing["meta"] or "{}")
        kept = meta.get("title_source", "found")  # titles from before this was recorded count as found
        if title:
            new_title, meta["title_source"] = title, "given"
        elif kept == "found" and fallback_title:
            new_title = fallback_title
        else:
            new_title = existing["title"] or fallback_title
        self.conn.execute(
            "UPDATE documents SET title = ?, updated_at = ?, meta = ? WHERE id = ?",
            (new_title, stamp, json.dumps(meta), doc_id),
        )

    def transaction(self):
        """A write transaction (``BEGIN IMMEDIATE``): commits on success, rolls back on any error."""
        return _Transaction(self.conn)

    @contextlib.contextmanager
    def batch(self):
        """Many versions in one transaction (each :meth:`write_version` a savepoint in it, so one that fails
        leaves the others), their snapshots flushed to disk together before it commits (:meth:`Snapshots.batch`):
        a bulk import pays one commit and one flush where it would pay one a version."""
        with self.transaction(), self.snapshots.batch():  # the snapshots are flushed and in place, then rows commit
            yield self

    # -- reading ------------------------------------------------------------------------------

    def find_by_sha(self, doc_id: str, raw_sha256: str) -> Version | None:
        """The newest version of ``doc_id`` whose raw bytes have this sha256, if any."""
        row = self.conn.execute(
            "SELECT * FROM versions WHERE doc_id = ? AND raw_sha256 = ? ORDER BY number DESC LIMIT 1",
            (doc_id, raw_sha256),
        ).fetchone()
        return Version.from_row(row) if row else None

    def _version_by_id(self, version_id: int | None) -> Version:
        row = self.conn.execute("SELECT * FROM versions WHERE id = ?", (version_id,)).fetchone()
        return Version.from_row(row)

    def documents(self, order: str = "changed") -> list[DocumentSummary]:
        """Every document with its number of versions and its last change: most recently stored first, or with
        ``order="letter_date"`` newest letter first (undated last, then by when stored)."""
        if order not in ("changed", "letter_date"):
            raise ValueError(f"order must be 'changed' or 'letter_date', not {order!r}")
        rows = self.conn.execute(
            """SELECT d.id, d.title, count(v.id) AS versions, max(v.number) AS latest,
                      min(v.added_at) AS first_added, max(v.added_at) AS last_change,
                      (SELECT letter_date FROM versions WHERE doc_id = d.id ORDER BY number DESC LIMIT 1)
                        AS letter_date,
                      (SELECT format FROM versions WHERE doc_id = d.id ORDER BY number DESC LIMIT 1) AS format
               FROM documents d JOIN versions v ON v.doc_id = d.id
               GROUP BY d.id ORDER BY """
            + ("letter_date IS NULL, letter_date DESC, " if order == "letter_date" else "")
            + "last_change DESC, d.id"
        ).fetchall()
        return [DocumentSummary(**{**dict(r), "title": one_line(r["title"])}) for r in rows]

    def document_title(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document {doc_id!r}")
        return one_line(row["title"])  # titles stored by older versions may hold control characters

    def reverted_to(self, version: Version) -> int | None:
        """The number of the latest earlier version (before the previous one) whose text ``version`` has again: a
        revert to it ("reverted to @1"), stored as a version of its own so that the history stays true."""
        row = self.conn.execute(
            "SELECT max(number) FROM versions WHERE doc_id = ? AND number < ? AND normalized_sha256 = ?",
            (version.doc_id, version.number - 1, version.normalized_sha256),
        ).fetchone()
        return row[0] if row and row[0] else None

    def kept_pair_changes(self, keys: Sequence[str], made_with: str) -> dict[str, list[dict[str, Any]]]:
        """The changes of version pairs kept before by :meth:`keep_pair_changes` under ``made_with``, by key."""
        found: dict[str, list[dict[str, Any]]] = {}
        keys = list(keys)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT key, changes FROM pair_changes WHERE made_with = ? AND key IN ({marks})"
            for row in self.conn.execute(sql, (made_with, *chunk)):
                found[row[0]] = json.loads(row[1])
        return found

    def keep_pair_changes(self, found: dict[str, list[dict[str, Any]]], made_with: str) -> bool:
        """Keep the changes of version pairs (derived data, outside the chain) so that the next ``changes`` reads
        them instead of diffing again; those made by other code go. Best effort: a database that cannot be
        written (a read-only copy, another writer holding it) keeps nothing, and says so by returning False."""
        if not found:
            return True
        rows = [(key, made_with, json.dumps(changes, ensure_ascii=False)) for key, changes in found.items()]

        def write(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM pair_changes WHERE made_with != ?", (made_with,))
            conn.executemany("INSERT OR REPLACE INTO pair_changes VALUES (?, ?, ?)", rows)

        return self.keep_derived(write)

    def keep_derived(self, write: Callable[[sqlite3.Connection], None]) -> bool:
        """Run ``write`` in a transaction that keeps derived data (outside the chain: kept pair changes, commitment
        threads), best effort: a database that cannot be written (a read-only copy, another writer holding it
        for more than 250 ms) keeps nothing, and says so by returning False."""
        if self.read_only:
            return False
        waited = self.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        self.conn.execute("PRAGMA busy_timeout = 250")  # a run writing now: keep nothing rather than wait for it
        try:
            with self.transaction() as conn:
                write(conn)
        except (sqlite3.OperationalError, StoreError):
            return False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(waited)}")
        return True

    def versions(self, doc_id: str) -> list[Version]:
        """All versions of a document, oldest first."""
        rows = self.conn.execute("SELECT * FROM versions WHERE doc_id = ? ORDER BY number", (doc_id,)).fetchall()
        if not rows:
            raise NotFound(f"no document {doc_id!r}" + _suggest(self, doc_id))
        return [Version.from_row(r) for r in rows]

    def version(self, doc_id: str, number: int) -> Version:
        row = self.conn.execute("SELECT * FROM versions WHERE doc_id = ? AND number = ?", (doc_id, number)).fetchone()
        if row is None:
            count = self.conn.execute("SELECT count(*) FROM versions WHERE doc_id = ?", (doc_id,)).fetchone()[0]
            if not count:
                raise NotFound(f"no document {doc_id!r}" + _suggest(self, doc_id))
            raise NotFound(f"{doc_id} has no version {number} (it has {count})")
        return Version.from_row(row)

    def document_id(self, name: str) -> str:
        """The document a name means: its id, or an alias found in its letters — a Tweede Kamer document number
        (2024D46963), a Kamerstuk (36410-12, kst-36410-12), a kenmerk or a zaak (2024Z19846). An alias that
        several documents carry is an error naming them."""
        if self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (name,)).fetchone():
            return name
        key = re.sub(r"^kst-", "", name.strip(), flags=re.I).replace(" ", "")
        rows = self.conn.execute(
            f"""SELECT DISTINCT doc_id FROM versions WHERE {
                " OR ".join(
                    f"upper(replace(json_extract(meta, '$.{field}'), ' ', '')) = upper(:key)" for field in ALIAS_FIELDS
                )
            } ORDER BY doc_id""",
            {"key": key},
        ).fetchall()
        found = [r[0] for r in rows]
        if len(found) > 1:
            raise NotFound(f"{name!r} names several documents: {', '.join(found)}; give one of them")
        return found[0] if found else name

    def aliases(self, doc_id: str) -> list[str]:
        """The numbers a document's latest version carries (see :meth:`document_id`)."""
        latest = self.latest(doc_id)
        if latest is None:
            return []
        values = [latest.meta.get(field) for field in ALIAS_FIELDS]
        return list(dict.fromkeys(str(v) for v in values if isinstance(v, str | int) and str(v) != doc_id))

    def resolve(self, ref: str) -> Version:
        """A version from a reference: ``DOC`` or ``DOC@latest`` (newest), ``DOC@N``, ``DOC@-1`` (the one before);
        DOC may be an alias (:meth:`document_id`)."""
        m = _REF.match(ref.strip())
        if not m:
            raise NotFound(f"not a version reference: {ref!r}")
        doc_id, n = self.document_id(m.group("doc")), m.group("n")
        if n is None or n == "latest":
            latest = self.latest(doc_id)
            if latest is None:
                raise NotFound(f"no document {doc_id!r}" + _suggest(self, doc_id))
            return latest
        number = int(n)
        if abs(number) > 2**62:
            raise NotFound(f"{doc_id} has no version {n}")
        if n == "0":
            raise NotFound(
                f"versions count from 1: {doc_id}@1 is the first, {doc_id} the latest, {doc_id}@-1 the one before"
            )
        if number <= 0:
            latest = self.latest(doc_id)
            if latest is None:
                raise NotFound(f"no document {doc_id!r}" + _suggest(self, doc_id))
            if latest.number + number < 1:
                raise NotFound(f"{doc_id} has only {latest.number} version(s); {ref} does not exist")
            number = latest.number + number
        return self.version(doc_id, number)

    def search(self, query: str, *, limit: int = 20, latest_only: bool = False, raw: bool = False) -> list[SearchHit]:
        """Full-text search (SQLite FTS5) over every version; ``raw`` passes FTS5 query syntax through."""
        match = query if raw else _quote_fts(query)
        if not match:
            return []
        latest_filter = (
            "AND v.number = (SELECT max(number) FROM versions WHERE doc_id = v.doc_id)" if latest_only else ""
        )
        sql = f"""SELECT v.doc_id, v.number, d.title, v.letter_date,
                         snippet(versions_fts, 0, '[', ']', '…', 12) AS snippet,
                         v.number = (SELECT max(number) FROM versions WHERE doc_id = v.doc_id) AS latest
                  FROM versions_fts JOIN versions v ON v.id = versions_fts.rowid
                  JOIN documents d ON d.id = v.doc_id
                  WHERE versions_fts MATCH ? {latest_filter}
                  ORDER BY rank, v.doc_id, v.number DESC LIMIT ?"""
        try:
            rows = self.conn.execute(sql, (match, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            raise DocauditError(f"bad search query {query!r}: {exc}") from None
        return [SearchHit(**{**dict(r), "latest": bool(r["latest"]), "title": one_line(r["title"])}) for r in rows]

    # -- integrity ----------------------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Re-hash every snapshot and every stored text; recompute the hash chain and check the seals against
        it; run SQLite's integrity checks."""
        report = VerifyReport()
        referenced: set[str] = set()
        try:
            self._verify_versions(report, referenced)
        except sqlite3.DatabaseError as exc:  # a damaged page: say so, and go on with what can be checked
            report.integrity.append(f"reading the versions: {exc}")
        on_disk = self.snapshots.all_files()
        report.orphans = sorted(on_disk - referenced)
        if self.snapshots.root.exists():
            report.temp_files = sorted(
                p.relative_to(self.snapshots.root).as_posix() for p in self.snapshots.root.glob("??/.tmp-*")
            )
        try:
            result = [r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            result = [f"integrity check: {exc}"]
        if result != ["ok"]:
            report.integrity.extend(result)
        try:
            report.chain = chain.verify_chain(self.conn) + chain.verify_seals(self.conn)
        except sqlite3.DatabaseError as exc:
            report.chain.append(f"reading the chain: {exc}")
        if not self.read_only:  # SQLite runs this check as a write; the index is derived from the texts anyway
            try:
                self.conn.execute("INSERT INTO versions_fts(versions_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                report.integrity.append(f"full-text index: {exc}")
        return report

    def _verify_versions(self, report: VerifyReport, referenced: set[str]) -> None:
        """Re-hash each version's snapshot and texts."""
        for row in self.conn.execute(
            f"SELECT doc_id, number, snapshot, raw_sha256, text, text_sha256, {NORMALIZED} AS normalized, "
            "normalized_sha256 FROM versions ORDER BY doc_id, number"
        ):
            ref = f"{row['doc_id']}@{row['number']}"
            report.checked += 1
            referenced.add(row["snapshot"])
            actual = self.snapshots.hash_file(row["snapshot"])
            if actual is None:
                report.missing.append((ref, row["snapshot"]))
            elif actual != row["raw_sha256"]:
                report.altered.append((ref, row["snapshot"]))
            if (
                sha256(row["text"].encode("utf-8")) != row["text_sha256"]
                or sha256(row["normalized"].encode("utf-8")) != row["normalized_sha256"]
            ):
                report.bad_text_hash.append(ref)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; inside another transaction a savepoint, so writes can be grouped."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nested = False

    def __enter__(self) -> sqlite3.Connection:
        if self.conn.in_transaction:
            self.nested = True
            self.conn.execute("SAVEPOINT docaudit_nested")
            return self.conn
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError("database is busy: another docaudit process is writing; try again") from None
            raise
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.nested:
            if exc_type is not None:
                self.conn.execute("ROLLBACK TO docaudit_nested")
            self.conn.execute("RELEASE docaudit_nested")
        elif exc_type is None:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as commit_error:
                self._rollback()  # SQLite may have rolled back already: keep the COMMIT's reason, not ROLLBACK's
                raise StoreError(f"could not save to the database: {commit_error}; nothing was stored") from None
            except BaseException:
                self._rollback()
                raise
        else:
            self._rollback()

    def _rollback(self) -> None:
        # the transaction may be gone already; the error that ended it is the one to report
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")


_OPERATORS = ("AND", "OR", "NOT")
# the numbers in a version's meta by which people name a letter (found in its text, or given by its source)
ALIAS_FIELDS = ("document_number", "tk_documentnummer", "kamerstuk", "kenmerk", "zaak")


def _quote_fts(query: str) -> str:
    """Turn free text into an FTS5 query: every word must occur (phrases in double quotes kept); AND, OR and NOT
    in capitals between two terms are operators, and one with nothing to join is refused with a hint."""
    parts = re.findall(r'"([^"]+)"|(\S+)', query)
    terms: list[str] = []
    for n, (phrase, word) in enumerate(parts):
        if word in _OPERATORS:
            before = bool(terms) and terms[-1] not in _OPERATORS
            after = n + 1 < len(parts) and parts[n + 1][1] not in _OPERATORS
            if not (before and after):
                raise DocauditError(
                    f"search {query!r}: {word} has nothing to join on {'its right' if before else 'its left'}; "
                    f'give a word on both sides, or write "{word.lower()}" in quotes to search for the word'
                )
            terms.append(word)
            continue
        text = (phrase or word).replace('"', "")
        if re.search(r"\w", text):
            terms.append(f'"{text}"')
    return " ".join(terms)


def _suggest(store: Store, doc_id: str) -> str:
    return did_you_mean(doc_id, [r[0] for r in store.conn.execute("SELECT id FROM documents")])
