"""Numbered schema migrations, tracked in SQLite's ``user_version``.

Each migration is a list of SQL statements run in one transaction (statement by statement, never
``executescript``, which would commit half-way). A database is brought up to date when the store opens
it. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3

M001_INITIAL = [
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        title TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}'
    )""",
    """CREATE TABLE versions (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id),
        number INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        letter_date TEXT,
        date_source TEXT,
        filename TEXT,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        raw_sha256 TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        normalized TEXT NOT NULL,
        normalized_sha256 TEXT NOT NULL,
        extractor TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        headers TEXT NOT NULL DEFAULT '[]',
        footers TEXT NOT NULL DEFAULT '[]',
        margin TEXT NOT NULL DEFAULT '[]',
        footnotes TEXT NOT NULL DEFAULT '[]',
        meta TEXT NOT NULL DEFAULT '{}',
        UNIQUE (doc_id, number)
    )""",
    "CREATE INDEX idx_versions_raw_sha256 ON versions(raw_sha256)",
    "CREATE INDEX idx_versions_letter_date ON versions(letter_date)",
    """CREATE VIRTUAL TABLE versions_fts USING fts5(
        text, content='versions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER versions_ai AFTER INSERT ON versions BEGIN
        INSERT INTO versions_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER versions_ad AFTER DELETE ON versions BEGIN
        INSERT INTO versions_fts(versions_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER versions_au AFTER UPDATE ON versions BEGIN
        INSERT INTO versions_fts(versions_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO versions_fts(rowid, text) VALUES (new.id, new.text);
    END""",
]

# Watching: what is tracked, every run, every check (see docaudit.watch).
M002_WATCH = [
    """CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        doc_id TEXT,
        name TEXT,
        since TEXT,
        origin TEXT NOT NULL DEFAULT 'cli',
        active INTEGER NOT NULL DEFAULT 1,
        added_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT '{}',
        status TEXT,
        last_check TEXT,
        last_change TEXT,
        last_error TEXT,
        failures INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        pid INTEGER NOT NULL,
        host TEXT,
        status TEXT NOT NULL,
        sources INTEGER NOT NULL DEFAULT 0,
        new INTEGER NOT NULL DEFAULT 0,
        changed INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        withdrawn INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        notified TEXT,
        error TEXT
    )""",
    """CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        source_id TEXT NOT NULL,
        doc_id TEXT,
        url TEXT,
        started_at TEXT NOT NULL,
        duration_ms INTEGER,
        status INTEGER,
        bytes INTEGER,
        outcome TEXT NOT NULL,
        version_id INTEGER REFERENCES versions(id),
        error TEXT,
        warning TEXT,
        attempts INTEGER NOT NULL DEFAULT 1,
        final_url TEXT,
        redirects TEXT NOT NULL DEFAULT '[]',
        content_type TEXT,
        etag TEXT,
        last_modified TEXT
    )""",
    "CREATE INDEX idx_fetches_source ON fetches(source_id, started_at)",
    "CREATE INDEX idx_fetches_run ON fetches(run_id)",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO settings (key, value) VALUES ('instance_id', lower(hex(randomblob(16))))",
]

# Phrase tracking: distinct sentences (by folded wording), their winnowed fingerprints, where they occur
# (one row per sentence and document, spanning the versions that carry it), and which versions are indexed.
M003_PHRASES = [
    """CREATE TABLE phrase_sentences (
        id INTEGER PRIMARY KEY,
        key INTEGER NOT NULL UNIQUE,
        text TEXT NOT NULL,
        tokens INTEGER NOT NULL,
        prints INTEGER NOT NULL,
        family INTEGER NOT NULL
    )""",
    "CREATE INDEX idx_phrase_sentences_family ON phrase_sentences(family)",
    """CREATE TABLE phrase_fingerprints (
        hash INTEGER NOT NULL,
        sentence_id INTEGER NOT NULL,
        pos INTEGER NOT NULL,
        PRIMARY KEY (hash, sentence_id, pos)
    ) WITHOUT ROWID""",
    """CREATE TABLE phrase_occurrences (
        sentence_id INTEGER NOT NULL,
        doc_id TEXT NOT NULL,
        first_version INTEGER NOT NULL,
        last_version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (sentence_id, doc_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX idx_phrase_occurrences_doc ON phrase_occurrences(doc_id)",
    """CREATE TABLE phrase_versions (
        version_id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        sentences INTEGER NOT NULL
    )""",
]

# Whether a new version was announced by its source (a higher Tweede Kamer Versienummer, a new
# DocumentVersie, "versie 2", "herdruk", "rectificatie", "erratum" in the letter or its file name) or came
# silently; NULL for first versions and for versions stored before this was recorded.
M004_ANNOUNCED = [
    "ALTER TABLE versions ADD COLUMN announced INTEGER",
    "ALTER TABLE versions ADD COLUMN announced_by TEXT",
]

# Every change a user makes to a title or a date (docaudit edit): what it was, what it became, when.
# Texts are never edited.
M005_EDITS = [
    """CREATE TABLE edits (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        doc_id TEXT NOT NULL REFERENCES documents(id),
        version INTEGER,
        field TEXT NOT NULL,
        old TEXT,
        new TEXT,
        note TEXT
    )""",
    "CREATE INDEX idx_edits_doc ON edits(doc_id, id)",
]

# Commitments (docaudit.commitments): each promise a version makes, with the sentence it comes from, and
# which versions were read by which extractor. Histories are computed from these rows when asked for.
M006_COMMITMENTS = [
    """CREATE TABLE commitments (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES versions(id),
        doc_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        sentence INTEGER NOT NULL,
        text TEXT NOT NULL,
        actor TEXT NOT NULL,
        act TEXT NOT NULL,
        object TEXT NOT NULL,
        deadline_text TEXT,
        deadline_start TEXT,
        deadline_end TEXT,
        polarity TEXT NOT NULL,
        modality TEXT NOT NULL,
        strength INTEGER NOT NULL
    )""",
    "CREATE INDEX idx_commitments_version ON commitments(version_id)",
    "CREATE INDEX idx_commitments_doc ON commitments(doc_id, version)",
    """CREATE TABLE commitment_versions (
        version_id INTEGER PRIMARY KEY,
        found INTEGER NOT NULL,
        params TEXT NOT NULL
    )""",
]

# The hash chain (docaudit.store.chain) over versions, fetch records and edits, and the seals that fix its head in
# time (docaudit.evidence). On this migration the chain starts with the rows already there (chain.start).
M007_CHAIN = [
    """CREATE TABLE chain (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        ref_id INTEGER NOT NULL,
        payload TEXT NOT NULL,
        prev TEXT NOT NULL,
        link TEXT NOT NULL UNIQUE
    )""",
    "CREATE INDEX idx_chain_ref ON chain(kind, ref_id)",
    """CREATE TABLE seals (
        id INTEGER PRIMARY KEY,
        seq INTEGER NOT NULL,
        link TEXT NOT NULL,
        at TEXT NOT NULL,
        tsa TEXT,
        token BLOB,
        tsa_time TEXT,
        certs TEXT
    )""",
]

# Size (issue: the database was 5× its text): a version's normalized text may be stored as an exact edit
# script against its text (docaudit.store.textdelta; `normalized` NULL, `normalized_delta` set), so the table is
# rebuilt with `normalized` nullable; the full-text index is re-indexed only when `text` changes; the
# fingerprints lose `pos` (never read) and become 32-bit (docaudit.phrases.fingerprint), so the phrase
# index, derived data, is emptied: the next `index`, `trace` or `phrases` rebuilds it in bulk. Existing
# versions are converted after the statements (_delta_texts).
M008_COMPACT = [
    """CREATE TABLE versions_new (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(id),
        number INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        letter_date TEXT,
        date_source TEXT,
        filename TEXT,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        raw_sha256 TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        normalized TEXT,
        normalized_sha256 TEXT NOT NULL,
        extractor TEXT NOT NULL,
        extractor_version TEXT NOT NULL,
        headers TEXT NOT NULL DEFAULT '[]',
        footers TEXT NOT NULL DEFAULT '[]',
        margin TEXT NOT NULL DEFAULT '[]',
        footnotes TEXT NOT NULL DEFAULT '[]',
        meta TEXT NOT NULL DEFAULT '{}',
        announced INTEGER,
        announced_by TEXT,
        normalized_delta TEXT,
        UNIQUE (doc_id, number),
        CHECK ((normalized IS NULL) != (normalized_delta IS NULL))
    )""",
    """INSERT INTO versions_new (id, doc_id, number, added_at, letter_date, date_source, filename, format, size,
        raw_sha256, snapshot, text, text_sha256, normalized, normalized_sha256, extractor, extractor_version,
        headers, footers, margin, footnotes, meta, announced, announced_by)
       SELECT id, doc_id, number, added_at, letter_date, date_source, filename, format, size,
        raw_sha256, snapshot, text, text_sha256, normalized, normalized_sha256, extractor, extractor_version,
        headers, footers, margin, footnotes, meta, announced, announced_by FROM versions""",
    "DROP TABLE versions",
    "ALTER TABLE versions_new RENAME TO versions",
    "CREATE INDEX idx_versions_raw_sha256 ON versions(raw_sha256)",
    "CREATE INDEX idx_versions_letter_date ON versions(letter_date)",
    """CREATE TRIGGER versions_ai AFTER INSERT ON versions BEGIN
        INSERT INTO versions_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER versions_ad AFTER DELETE ON versions BEGIN
        INSERT INTO versions_fts(versions_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER versions_au AFTER UPDATE OF text ON versions BEGIN
        INSERT INTO versions_fts(versions_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO versions_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TABLE phrase_fingerprints_new (
        hash INTEGER NOT NULL,
        sentence_id INTEGER NOT NULL,
        PRIMARY KEY (hash, sentence_id)
    ) WITHOUT ROWID""",
    "DROP TABLE phrase_fingerprints",
    "ALTER TABLE phrase_fingerprints_new RENAME TO phrase_fingerprints",
    "DELETE FROM phrase_sentences",
    "DELETE FROM phrase_occurrences",
    "DELETE FROM phrase_versions",
    "DELETE FROM settings WHERE key IN ('phrase_params', 'phrase_link_pending')",
]

# 10: the changes of version pairs, kept so that `docaudit changes` diffs each pair once (derived data, outside
# the chain: keyed by both texts, the title, the ignore rules, and docaudit's diff code)
M010_PAIR_CHANGES = [
    """CREATE TABLE IF NOT EXISTS pair_changes (
        key TEXT PRIMARY KEY,
        made_with TEXT NOT NULL,
        changes TEXT NOT NULL
    ) WITHOUT ROWID""",
]

# 11: the threads of every promise, kept so that a run links only the letters that changed
# (docaudit.commitments.linking; derived data, outside the chain, rebuilt from the commitments when asked)
# (and commitment_versions.linked_day: the day a version was linked under, NULL when not yet; the step below)
M011_COMMITMENT_THREADS = [
    """CREATE TABLE IF NOT EXISTS commitment_threads (
        id INTEGER PRIMARY KEY,
        origin INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS commitment_events (
        thread INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        doc TEXT NOT NULL,
        version INTEGER NOT NULL,
        date TEXT,
        text TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NOT NULL,
        at INTEGER NOT NULL,
        letter_day TEXT NOT NULL,
        PRIMARY KEY (thread, seq)
    ) WITHOUT ROWID""",
]

MIGRATIONS: list[list[str]] = [
    M001_INITIAL,
    M002_WATCH,
    M003_PHRASES,
    M004_ANNOUNCED,
    M005_EDITS,
    M006_COMMITMENTS,
    M007_CHAIN,
    M008_COMPACT,
    [],  # 9: seals are chained too (and what a version asserts beside its text): the Python step below
    M010_PAIR_CHANGES,
    M011_COMMITMENT_THREADS,
]
# Python steps run after a migration's statements, in its transaction
AFTER = {
    7: lambda conn: _start_chain(conn),
    8: lambda conn: _delta_texts(conn),
    9: lambda conn: _chain_seals(conn),
    11: lambda conn: _linked_day(conn),
}


def _linked_day(conn: sqlite3.Connection) -> None:
    """Add ``commitment_versions.linked_day`` unless it is there (a database rebuilt from a newer schema)."""
    columns = [r[1] for r in conn.execute("PRAGMA table_info(commitment_versions)")]
    if "linked_day" not in columns:
        conn.execute("ALTER TABLE commitment_versions ADD COLUMN linked_day TEXT")


def _chain_seals(conn: sqlite3.Connection) -> None:
    """Seals made before schema 9 get their links now, in the order they were made."""
    from . import chain

    for (seal_id,) in conn.execute("SELECT id FROM seals ORDER BY id").fetchall():
        chain.append(conn, "seal", seal_id)


def _start_chain(conn: sqlite3.Connection) -> None:
    from ..values import now
    from .chain import start

    start(conn, now())


def _delta_texts(conn: sqlite3.Connection) -> None:
    from .textdelta import stored

    ids = [r[0] for r in conn.execute("SELECT id FROM versions ORDER BY id")]
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT id, text, normalized FROM versions WHERE id IN ({marks})", chunk).fetchall()
        for vid, text, normalized in rows:
            whole, delta = stored(text, normalized)
            if delta is not None:
                sql = "UPDATE versions SET normalized = ?, normalized_delta = ? WHERE id = ?"
                conn.execute(sql, (whole, delta, vid))


SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations; return the schema version. Refuse a database newer than this code."""
    from ..errors import StoreError

    # Off while tables are rebuilt (a pragma that is a no-op inside a transaction); checked before commit.
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {current} is newer than this docaudit understands "
                f"({SCHEMA_VERSION}); upgrade docaudit"
            )
        before = len(conn.execute("PRAGMA foreign_key_check").fetchall()) if current < SCHEMA_VERSION else 0
        for number in range(current, SCHEMA_VERSION):
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            if number + 1 in AFTER:
                AFTER[number + 1](conn)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        broken = conn.execute("PRAGMA foreign_key_check").fetchall() if current < SCHEMA_VERSION else []
        if len(broken) > before:
            raise StoreError(f"migration left rows pointing nowhere: {[tuple(r) for r in broken[:5]]}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
    return SCHEMA_VERSION
