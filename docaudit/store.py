"""The version store: documents and their versions in SQLite, raw bytes in ``snapshots/``.

A new version is stored only when the normalized text changed. Each version is written in one
transaction, after its raw bytes are safely on disk, so no row ever points at a missing file.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .errors import DocauditError, FileTooLarge, NotFound, StoreError
from .render import human_size
from .snapshots import Snapshots, sha256

DEFAULT_DB = "audit.db"
DEFAULT_MAX_SIZE = 50 * 1024 * 1024
_REF = re.compile(r"^(?P<doc>.+?)(?:@(?P<n>latest|-?\d+))?$")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_size(text: str | int) -> int:
    """Parse "50MB", "2 GiB", "500k" or a plain number of bytes."""
    if isinstance(text, int):
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", str(text).lower())
    if not m:
        raise ValueError(f"not a size: {text!r} (use e.g. 50MB)")
    factor = 1024 ** "_kmgt".index(m.group(2) or "_") if m.group(2) else 1
    return int(float(m.group(1)) * factor)


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

    @property
    def ref(self) -> str:
        return f"{self.doc_id}@{self.number}"

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Version:
        data = dict(row)
        for key in ("headers", "footers", "margin", "footnotes"):
            data[key] = json.loads(data[key] or "[]")
        data["meta"] = json.loads(data["meta"] or "{}")
        return cls(**data)

    def to_dict(self, text: bool = True) -> dict[str, Any]:
        out = asdict(self)
        out["ref"] = self.ref
        if not text:
            for key in ("text", "normalized"):
                out.pop(key)
        return out


@dataclass
class Prepared:
    """The CPU-heavy part of storing bytes (extract, normalize, find metadata): picklable, so a run can
    do it in worker processes and store the result in the main one."""

    extraction: Any
    normalized: str
    normalized_sha256: str
    found: dict[str, Any]


def prepare(data: bytes) -> Prepared:
    """Extract and normalize document bytes; raises an ExtractionError for unreadable input."""
    from .extract import extract
    from .metadata import find_metadata
    from .normalize import normalize_text

    extraction = extract(data)
    normalized = normalize_text(extraction.text)
    return Prepared(extraction, normalized, sha256(normalized.encode("utf-8")), find_metadata(extraction.context))


@dataclass
class AddResult:
    """What happened to one file given to :meth:`Store.add_file`."""

    doc_id: str
    status: str  # "stored" or "unchanged"
    number: int
    reason: str = ""
    version: Version | None = None
    source: str | None = None
    previous: Version | None = None

    @property
    def stored(self) -> bool:
        return self.status == "stored"

    def message(self) -> str:
        if self.stored:
            assert self.version is not None
            v = self.version
            extra = f", dated {v.letter_date}" if v.letter_date else ""
            return f"stored as {self.doc_id}@{self.number} ({v.format}, {len(v.text):,} characters{extra})"
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

    @property
    def ok(self) -> bool:
        return not (self.missing or self.altered or self.bad_text_hash or self.integrity)


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
        index_phrases: bool = True,
    ) -> None:
        self.path = Path(db_path)
        self.index_phrases = index_phrases
        if not create and not self.path.exists():
            raise StoreError(f"no database at {self.path} (store something first: docaudit add or docaudit demo)")
        self.snapshots = Snapshots(snapshots if snapshots is not None else self.path.parent / "snapshots")
        self.max_size = max_size
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=timeout)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            from .migrations import migrate

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

    def add_file(
        self,
        path: str | os.PathLike[str],
        doc_id: str,
        *,
        title: str | None = None,
        letter_date: date | str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> AddResult:
        """Store a file as the next version of ``doc_id`` unless its text is unchanged."""
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise DocauditError(f"cannot read file: {exc.strerror or exc}") from None
        if path.is_dir():
            raise DocauditError("is a directory")
        if size > self.max_size:
            raise FileTooLarge(f"file is {human_size(size)}, over the {human_size(self.max_size)} limit")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocauditError(f"cannot read file: {exc.strerror or exc}") from None
        return self.add_bytes(data, doc_id, filename=path.name, title=title, letter_date=letter_date, meta=meta)

    def add_bytes(
        self,
        data: bytes,
        doc_id: str,
        *,
        filename: str | None = None,
        title: str | None = None,
        letter_date: date | str | None = None,
        meta: dict[str, Any] | None = None,
        added_at: str | None = None,
        default_date: tuple[str, str] | None = None,
        then: Callable[[AddResult], None] | None = None,
        prepared: Prepared | None = None,
    ) -> AddResult:
        """Store bytes as the next version of ``doc_id`` unless they or their text are unchanged.

        ``default_date``: (date, source) used when neither ``letter_date`` nor the text gives a date,
        e.g. the date the Tweede Kamer API records for the document. ``then`` is called with the result
        inside the write transaction, so what the caller records about it commits (or not) with the version.
        ``prepared``: the result of :func:`prepare` on these bytes, if already computed.
        """
        from .sniff import EXTENSIONS

        doc_id = validate_doc_id(doc_id)
        if len(data) > self.max_size:
            raise FileTooLarge(f"{human_size(len(data))}, over the {human_size(self.max_size)} limit")
        raw_sha = sha256(data)
        latest = self._latest(doc_id)
        if latest is not None and latest.raw_sha256 == raw_sha:
            return self._finish(AddResult(doc_id, "unchanged", latest.number, "same bytes", latest, filename), then)
        prepared = prepared or prepare(data)
        extraction, normalized, norm_sha = prepared.extraction, prepared.normalized, prepared.normalized_sha256
        if latest is not None and latest.normalized_sha256 == norm_sha:
            return self._finish(AddResult(doc_id, "unchanged", latest.number, "same text", latest, filename), then)
        found = prepared.found
        if isinstance(letter_date, date):
            letter_date = letter_date.isoformat()
        date_source = "given" if letter_date else ("text" if found.get("date") else None)
        letter_date = letter_date or found.get("date")
        if not letter_date and default_date:
            letter_date, date_source = default_date
        version_meta = {**found, **(meta or {})}
        if extraction.encoding:
            version_meta.setdefault("encoding", extraction.encoding)
        snapshot = self.snapshots.write(data, EXTENSIONS[extraction.format])
        stamp = added_at or now()
        row = {
            "doc_id": doc_id,
            "added_at": stamp,
            "letter_date": letter_date,
            "date_source": date_source,
            "filename": filename,
            "format": extraction.format,
            "size": len(data),
            "raw_sha256": raw_sha,
            "snapshot": snapshot,
            "text": extraction.text,
            "text_sha256": sha256(extraction.text.encode("utf-8")),
            "normalized": normalized,
            "normalized_sha256": norm_sha,
            "extractor": extraction.extractor,
            "extractor_version": extraction.extractor_version,
            "headers": json.dumps(extraction.headers, ensure_ascii=False),
            "footers": json.dumps(extraction.footers, ensure_ascii=False),
            "margin": json.dumps(extraction.margin, ensure_ascii=False),
            "footnotes": json.dumps(extraction.footnotes, ensure_ascii=False),
            "meta": json.dumps(version_meta, ensure_ascii=False, sort_keys=True),
        }
        doc_title = title or extraction.title or (Path(filename).stem if filename else None)
        with self.transaction():
            latest = self._latest(doc_id)  # another process may have stored a version meanwhile
            if latest is not None and latest.normalized_sha256 == norm_sha:
                result = AddResult(doc_id, "unchanged", latest.number, "same text", latest, filename)
            else:
                self._upsert_document(doc_id, title, doc_title, stamp)
                row["number"] = (latest.number if latest else 0) + 1
                columns = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                cur = self.conn.execute(f"INSERT INTO versions ({columns}) VALUES ({marks})", row)
                version = self._version_by_id(cur.lastrowid)
                self._index(version)
                result = AddResult(doc_id, "stored", version.number, "", version, filename, previous=latest)
            if then is not None:
                then(result)
        return result

    def _index(self, version: Version) -> None:
        """Add a new version to the phrase index, in its transaction. An index built with other
        parameters is left alone (the version stays pending until ``docaudit index --rebuild``)."""
        if not self.index_phrases:
            return
        from .phrases.index import PARAMS, Indexer, check_params, record_params

        built = check_params(self.conn)
        if built is not None and built != PARAMS:
            return
        if built is None:
            record_params(self.conn)
        # A fresh indexer each time: its cache must not outlive a transaction that may roll back.
        Indexer(self.conn).index(version.id, version.doc_id, version.number, version.normalized)

    def _finish(self, result: AddResult, then: Callable[[AddResult], None] | None) -> AddResult:
        if then is not None:
            with self.transaction():
                then(result)
        return result

    def _upsert_document(self, doc_id: str, title: str | None, fallback_title: str | None, stamp: str) -> None:
        existing = self.conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if existing is None:
            self.conn.execute(
                "INSERT INTO documents (id, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (doc_id, title or fallback_title, stamp, stamp),
            )
        else:
            self.conn.execute(
                "UPDATE documents SET title = ?, updated_at = ? WHERE id = ?",
                (title or existing["title"] or fallback_title, stamp, doc_id),
            )

    def transaction(self):
        """A write transaction (``BEGIN IMMEDIATE``): commits on success, rolls back on any error."""
        return _Transaction(self.conn)

    # -- reading ------------------------------------------------------------------------------

    def _latest(self, doc_id: str) -> Version | None:
        row = self.conn.execute(
            "SELECT * FROM versions WHERE doc_id = ? ORDER BY number DESC LIMIT 1", (doc_id,)
        ).fetchone()
        return Version.from_row(row) if row else None

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

    def documents(self) -> list[DocumentSummary]:
        """Every document with its number of versions and its last change, most recently changed first."""
        rows = self.conn.execute(
            """SELECT d.id, d.title, count(v.id) AS versions, max(v.number) AS latest,
                      min(v.added_at) AS first_added, max(v.added_at) AS last_change,
                      (SELECT letter_date FROM versions WHERE doc_id = d.id ORDER BY number DESC LIMIT 1)
                        AS letter_date,
                      (SELECT format FROM versions WHERE doc_id = d.id ORDER BY number DESC LIMIT 1) AS format
               FROM documents d JOIN versions v ON v.doc_id = d.id
               GROUP BY d.id ORDER BY last_change DESC, d.id"""
        ).fetchall()
        return [DocumentSummary(**dict(r)) for r in rows]

    def document_title(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document {doc_id!r}")
        return row["title"]

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

    def resolve(self, ref: str) -> Version:
        """A version from a reference: ``DOC`` or ``DOC@latest`` (newest), ``DOC@N``, ``DOC@-1`` (the one before)."""
        m = _REF.match(ref.strip())
        if not m:
            raise NotFound(f"not a version reference: {ref!r}")
        doc_id, n = m.group("doc"), m.group("n")
        if n is None or n == "latest":
            latest = self._latest(doc_id)
            if latest is None:
                raise NotFound(f"no document {doc_id!r}" + _suggest(self, doc_id))
            return latest
        number = int(n)
        if number <= 0:
            latest = self._latest(doc_id)
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
        return [SearchHit(**{**dict(r), "latest": bool(r["latest"])}) for r in rows]

    # -- integrity ----------------------------------------------------------------------------

    def verify(self) -> VerifyReport:
        """Re-hash every snapshot and every stored text; run SQLite's integrity checks."""
        report = VerifyReport()
        referenced: set[str] = set()
        for row in self.conn.execute(
            "SELECT doc_id, number, snapshot, raw_sha256, text, text_sha256, normalized, normalized_sha256 "
            "FROM versions ORDER BY doc_id, number"
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
        on_disk = self.snapshots.all_files()
        report.orphans = sorted(on_disk - referenced)
        if self.snapshots.root.exists():
            report.temp_files = sorted(
                p.relative_to(self.snapshots.root).as_posix() for p in self.snapshots.root.glob("??/.tmp-*")
            )
        result = [r[0] for r in self.conn.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            report.integrity.extend(result)
        try:
            self.conn.execute("INSERT INTO versions_fts(versions_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            report.integrity.append(f"full-text index: {exc}")
        return report


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
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        else:
            self.conn.execute("ROLLBACK")


def validate_doc_id(doc_id: str) -> str:
    """Document ids are short, printable and free of "@" (which separates the version number)."""
    doc_id = (doc_id or "").strip()
    if not doc_id or len(doc_id) > 200 or "@" in doc_id or any(ch.isspace() and ch != " " for ch in doc_id):
        raise DocauditError(f"invalid document id {doc_id!r}: use letters, digits, - _ . / (no @)")
    return doc_id


def _quote_fts(query: str) -> str:
    """Turn free text into an FTS5 query: every word must occur (phrases in double quotes kept)."""
    parts = re.findall(r'"([^"]+)"|(\S+)', query)
    terms = []
    for phrase, word in parts:
        text = (phrase or word).replace('"', "")
        if re.search(r"\w", text):
            terms.append(f'"{text}"')
    return " ".join(terms)


def _suggest(store: Store, doc_id: str) -> str:
    return did_you_mean(doc_id, [r[0] for r in store.conn.execute("SELECT id FROM documents")])


def did_you_mean(name: str, candidates: list[str]) -> str:
    """`` (did you mean a, b?)`` for the closest candidates, or nothing."""
    import difflib

    close = difflib.get_close_matches(name, candidates, n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""
