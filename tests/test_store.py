from __future__ import annotations

import json
import multiprocessing
import sqlite3

import pytest

from docaudit.errors import NotFound, StoreError
from docaudit.ingest import add_bytes, add_file
from docaudit.store.database import Store
from docaudit.store.migrations import SCHEMA_VERSION
from docaudit.testing.repo import EXAMPLES, FIXTURES, fixture_bytes
from docaudit.values import parse_size

V2 = EXAMPLES


def test_a_version_keeps_bytes_text_hashes_extractor_and_metadata(store):
    result = add_file(store, FIXTURES / "2024D46963.pdf", "2024D46963", meta={"bron": "test"})
    assert result.stored and result.number == 1
    v = result.version
    assert store.snapshots.read(v.snapshot) == fixture_bytes("2024D46963.pdf")
    assert v.snapshot.endswith(".pdf") and v.snapshot.startswith(v.raw_sha256[:2] + "/")
    assert v.format == "pdf" and v.extractor == "pdfminer.six" and "pdfminer.six/" in v.extractor_version
    assert v.letter_date == "2024-11-29" and v.date_source == "text"
    assert v.meta["kamerstuk"] == "32317-906" and v.meta["bron"] == "test"
    assert v.footnotes[0] == "1 Kamerstuk 32 317, nr. 891."
    assert v.headers and v.footers
    assert "\n\n" in v.normalized and v.added_at.endswith("Z")


def test_same_bytes_or_same_text_store_nothing(store):
    first = add_file(store, FIXTURES / "2024D46963.docx", "doc")
    again = add_file(store, FIXTURES / "2024D46963.docx", "doc")
    assert again.status == "unchanged" and again.reason == "same bytes" and again.number == 1
    # another format of the same letter, reflowed into the same normalized text
    text_only = ("\n\n".join(p for p in first.version.normalized.split("\n\n"))).replace(". ", ".\n", 3)
    same_text = add_bytes(store, text_only.encode(), "doc", filename="same.txt")
    assert same_text.status == "unchanged" and same_text.reason == "same text"
    assert same_text.message() == "unchanged (same text), still version 1 of doc"
    assert store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 1


def test_changed_text_is_the_next_version_and_date_option_wins(store):
    add_file(store, V2 / "2024D46963_v1.docx", "2024D46963")
    second = add_file(store, V2 / "2024D46963_v2.docx", "2024D46963", letter_date="2024-12-16")
    assert second.number == 2 and second.version.letter_date == "2024-12-16"
    assert second.version.date_source == "given"
    assert [v.number for v in store.versions("2024D46963")] == [1, 2]


def test_resolve_references(store):
    for name in ("2024D46963_v1.docx", "2024D46963_v2.docx"):
        add_file(store, V2 / name, "D")
    add_file(store, FIXTURES / "2024D46963.pdf", "D")  # text differs slightly from the docx: version 3
    assert store.resolve("D").number == 3
    assert store.resolve("D@latest").number == 3
    assert store.resolve("D@-1").number == 2
    assert store.resolve("D@-2").number == 1
    assert store.resolve("D@1").number == 1
    with pytest.raises(NotFound, match="has no version 7"):
        store.resolve("D@7")
    with pytest.raises(NotFound, match="has only 3 version"):
        store.resolve("D@-3")
    with pytest.raises(NotFound, match="did you mean D"):
        store.resolve("DD")


def test_full_text_search_with_snippets(store):
    add_file(store, V2 / "2024D46963_v1.docx", "2024D46963")
    add_file(store, V2 / "2024D46963_v2.docx", "2024D46963")
    add_file(store, FIXTURES / "2023Z08511.docx", "2023Z08511")
    hits = store.search("Online Safety Bill")
    assert {h.doc_id for h in hits} == {"2023Z08511"}
    assert "[Online] [Safety] [Bill]" in hits[0].snippet
    # only the later version says "niet aannemelijk"
    hits = store.search('"niet aannemelijk"')
    assert [(h.doc_id, h.number, h.latest) for h in hits] == [("2024D46963", 2, True)]
    assert store.search("aannemelijk", latest_only=True)[0].number == 2
    assert store.search("encryptie OR xyzzy", raw=True)
    assert store.search("c.s. (motie)")  # punctuation in free text is not FTS syntax


def test_verify_reports_missing_and_altered_snapshots(store):
    a = add_file(store, FIXTURES / "2024D46963.docx", "a").version
    b = add_file(store, FIXTURES / "2023Z08511.pdf", "b").version
    assert store.verify().ok
    store.snapshots.path(a.snapshot).unlink()
    data = bytearray(store.snapshots.read(b.snapshot))
    data[500] ^= 0xFF
    store.snapshots.path(b.snapshot).write_bytes(bytes(data))
    report = store.verify()
    assert not report.ok
    assert report.missing == [("a@1", a.snapshot)]
    assert report.altered == [("b@1", b.snapshot)]


def test_verify_detects_edited_text_in_the_database(store):
    add_file(store, FIXTURES / "2024D46963.docx", "a")
    store.conn.execute("UPDATE versions SET text = replace(text, 'niet', 'wel')")
    assert store.verify().bad_text_hash == ["a@1"]


def test_failed_commit_leaves_no_row_and_no_dangling_reference(tmp_path):
    """A failure between writing the snapshot and committing the row: no row, the file is only an orphan."""
    db = tmp_path / "audit.db"
    with Store(db) as s:
        add_file(s, FIXTURES / "2024D46963.docx", "a")
    store = Store(db, timeout=0.2)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another writer holds the database when the row is to be written
    with pytest.raises(StoreError, match="database is busy"):
        add_file(store, FIXTURES / "2023Z08511.pdf", "b")
    blocker.execute("ROLLBACK")
    blocker.close()
    report = store.verify()
    assert report.ok and report.checked == 1
    assert len(report.orphans) == 1 and report.orphans[0].endswith(".pdf")
    # the next attempt stores it normally, re-using the snapshot already on disk
    assert add_file(store, FIXTURES / "2023Z08511.pdf", "b").stored
    assert store.verify().orphans == []
    store.close()


def test_failed_snapshot_write_stores_nothing(tmp_path):
    blocked = tmp_path / "snapshots"
    blocked.write_text("a file where the folder should be")
    with Store(tmp_path / "audit.db", blocked) as store:
        with pytest.raises(StoreError, match="cannot write the snapshot"):
            add_file(store, FIXTURES / "2024D46963.docx", "a")
        assert store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def _add_many(db: str, name: str, doc: str) -> list[int]:
    with Store(db) as store:
        return [add_file(store, FIXTURES / name, doc).number for _ in range(3)]


def test_concurrent_writers_never_double_store(tmp_path):
    db = str(tmp_path / "audit.db")
    Store(db).close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as pool:
        results = pool.starmap(
            _add_many,
            [
                (db, "2024D46963.docx", "x"),
                (db, "2024D46963.docx", "x"),
                (db, "2024D46963.pdf", "x"),
                (db, "2023Z08511.docx", "y"),
            ],
        )
    with Store(db) as store:
        numbers = [v.number for v in store.versions("x")]
        assert numbers == list(range(1, len(numbers) + 1))
        texts = [v.normalized_sha256 for v in store.versions("x")]
        assert all(a != b for a, b in zip(texts, texts[1:], strict=False))  # no two equal in a row
        assert len(store.versions("y")) == 1
        assert store.verify().ok
    assert all(n >= 1 for r in results for n in r)


def test_schema_is_migrated_and_versioned(tmp_path):
    db = tmp_path / "audit.db"
    Store(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "versions", "versions_fts"} <= tables
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this docaudit"):
        Store(db)


def test_not_a_database(tmp_path):
    bad = tmp_path / "audit.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store(bad)


def test_parse_size():
    assert parse_size("50MB") == 50 * 1024 * 1024
    assert parse_size("500k") == 500 * 1024
    assert parse_size("2 GiB") == 2 * 1024**3
    assert parse_size("1234") == 1234
    with pytest.raises(ValueError):
        parse_size("lots")


def test_version_json_round_trip(store):
    v = add_file(store, FIXTURES / "2023Z08511.pdf", "b").version
    data = json.loads(json.dumps(v.to_dict(text=False)))
    assert data["ref"] == "b@1" and "text" not in data and data["margin"]


def test_a_version_is_written_with_exactly_the_writers_it_is_given(tmp_path):
    """The store runs the writers passed to it, in the version's transaction, and nothing else: no writer, no
    phrase rows; a writer that fails takes the version with it."""
    seen: list[tuple[str, int]] = []

    def note(conn, result):
        seen.append((result.status, result.number))
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"note:{len(seen)}", result.status))

    def fail(conn, result):
        raise RuntimeError("writer failed")

    with Store(tmp_path / "audit.db") as store:
        add_bytes(store, b"Een eerste brief.\n", "brief", writers=(), also=[note])
        add_bytes(store, b"Een eerste brief.\n", "brief", writers=(), also=[note])
        assert seen == [("stored", 1), ("unchanged", 1)]
        assert store.conn.execute("SELECT count(*) FROM phrase_versions").fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM settings WHERE key LIKE 'note:%'").fetchone()[0] == 2
        with pytest.raises(RuntimeError, match="writer failed"):
            add_bytes(store, b"Een tweede brief.\n", "brief", also=[fail])
        assert [v.number for v in store.versions("brief")] == [1]
        add_bytes(store, b"Een tweede brief.\n", "brief")
        assert store.conn.execute("SELECT count(*) FROM phrase_versions").fetchone()[0] == 1


def test_a_batch_of_versions_commits_together_after_its_snapshots_are_in_place(tmp_path):
    letters = [f"Brief {n}. Het kabinet zal de Kamer informeren over punt {n}.\n".encode() for n in range(3)]
    with Store(tmp_path / "audit.db") as store:
        with pytest.raises(RuntimeError), store.batch():
            for n, data in enumerate(letters):
                add_bytes(store, data, f"brief-{n}", filename="b.txt")
            raise RuntimeError("interrupted")
        assert store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
        assert not list((tmp_path / "snapshots").rglob("*.txt"))  # nothing of it left, not even a temporary file
        with store.batch():
            results = [add_bytes(store, data, f"brief-{n}", filename="b.txt") for n, data in enumerate(letters)]
            # written under temporary names until the batch ends: no row can name a file that is not whole
            assert not any(store.snapshots.path(r.version.snapshot).exists() for r in results)
            assert len(list((tmp_path / "snapshots").rglob(".tmp-*"))) == 3
        assert all(store.snapshots.hash_file(r.version.snapshot) == r.version.raw_sha256 for r in results)
        assert not list((tmp_path / "snapshots").rglob(".tmp-*"))
        assert [v.doc_id for v in (store.latest(f"brief-{n}") for n in range(3))] == ["brief-0", "brief-1", "brief-2"]
        assert store.verify().ok
