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

MIGRATIONS: list[list[str]] = [M001_INITIAL]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations; return the schema version. Refuse a database newer than this code."""
    from .errors import StoreError

    conn.execute("BEGIN IMMEDIATE")
    try:
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {current} is newer than this docaudit understands "
                f"({SCHEMA_VERSION}); upgrade docaudit"
            )
        for number in range(current, SCHEMA_VERSION):
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION
