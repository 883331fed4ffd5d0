"""A version's normalized text stored as an edit script against its text (docaudit.store.textdelta, migration 8)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from docaudit.ingest import add_bytes
from docaudit.phrases.index import pending
from docaudit.phrases.trace import trace
from docaudit.store import textdelta
from docaudit.store.database import Store
from docaudit.store.migrations import SCHEMA_VERSION
from docaudit.text.normalize import normalize_text

FIXTURES = Path(__file__).parent / "fixtures"
WRAPPED = (
    "Aan de Voorzitter van de Tweede Kamer\nder Staten-Generaal\n\n"
    "Hierbij informeer ik uw Kamer over de stand\nvan zaken rond het wetsvoorstel.   Het kabinet\n"
    "zal voor de zomer een besluit nemen.\n\n\n\nHoogachtend,\n\nDe minister van Justitie en Veiligheid\n"
)


@given(st.text(alphabet=st.sampled_from("ab c\n\n\t-.é"), max_size=300))
@settings(max_examples=200, deadline=None)
def test_a_delta_rebuilds_the_normalized_text_exactly(text):
    normalized = normalize_text(text)
    delta = textdelta.encode(text, normalized)
    assert textdelta.normalized_of(text, None if delta is not None else normalized, delta) == normalized
    if delta is not None:
        assert textdelta.decode(text, delta) == normalized


def test_a_wrapped_text_letter_stores_a_short_delta_and_reads_back_the_same(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        add_bytes(store, WRAPPED.encode(), "brief", filename="brief.txt")
        row = store.conn.execute("SELECT normalized, normalized_delta, text FROM versions").fetchone()
        assert row["normalized"] is None and 0 < len(row["normalized_delta"]) < len(row["text"]) / 2
        version = store.latest("brief")
        assert version.normalized == normalize_text(version.text) != version.text
        assert store.verify().ok
        assert store.search("besluit")[0].doc_id == "brief"


def test_an_extracted_docx_stores_its_normalized_text_as_an_empty_delta(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        add_bytes(store, (FIXTURES / "2024D46963.docx").read_bytes(), "brief", filename="brief.docx")
        assert store.conn.execute("SELECT normalized_delta FROM versions").fetchone()[0] == ""
        assert store.latest("brief").normalized == store.latest("brief").text


def test_an_edited_delta_is_caught_by_verify(tmp_path):
    db = tmp_path / "audit.db"
    with Store(db) as store:
        add_bytes(store, WRAPPED.encode(), "brief", filename="brief.txt")
    with sqlite3.connect(db) as conn:
        delta = conn.execute("SELECT normalized_delta FROM versions").fetchone()[0]
        conn.execute("UPDATE versions SET normalized_delta = ?", (delta.replace("+ ", "+%20niet%20", 1),))
    with Store(db) as store:
        report = store.verify()
        assert not report.ok and report.bad_text_hash == ["brief@1"]


def test_a_version_7_database_is_compacted_on_opening(tmp_path):
    """Migration 8 on a database as version 7 wrote it: texts whole, fingerprints with positions."""
    db = tmp_path / "audit.db"
    with Store(db) as store:
        add_bytes(store, WRAPPED.encode(), "brief", filename="brief.txt")
        add_bytes(store, (FIXTURES / "2024D46963.docx").read_bytes(), "letter", filename="letter.docx")
        expected = {v.doc_id: v.normalized for v in (store.latest("brief"), store.latest("letter"))}
        prints = store.conn.execute("SELECT count(*) FROM phrase_fingerprints").fetchone()[0]
    with sqlite3.connect(db) as conn:  # the version 7 shape and content
        conn.execute("ALTER TABLE phrase_fingerprints RENAME TO later")
        conn.execute(
            "CREATE TABLE phrase_fingerprints (hash INTEGER NOT NULL, sentence_id INTEGER NOT NULL, "
            "pos INTEGER NOT NULL, PRIMARY KEY (hash, sentence_id, pos)) WITHOUT ROWID"
        )
        conn.execute("INSERT INTO phrase_fingerprints SELECT hash, sentence_id, 0 FROM later")
        conn.execute("INSERT INTO phrase_fingerprints SELECT hash, sentence_id, 1 FROM later")  # a repeated shingle
        conn.execute("DROP TABLE later")
        conn.execute("UPDATE versions SET normalized_delta = NULL, normalized = ? WHERE doc_id = 'brief'",
                     (expected["brief"],))  # fmt: skip
        conn.execute("UPDATE versions SET normalized_delta = NULL, normalized = text WHERE doc_id = 'letter'")
        conn.execute("PRAGMA user_version = 7")
    with Store(db) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # 8 and on
        rows = dict(store.conn.execute("SELECT doc_id, normalized IS NULL FROM versions"))
        assert rows == {"brief": 1, "letter": 1}
        assert {d: store.latest(d).normalized for d in expected} == expected
        assert store.verify().ok
        assert store.search("besluit")[0].doc_id == "brief"  # the full-text index was not rebuilt, still right
        assert "pos" not in {r[1] for r in store.conn.execute("PRAGMA table_info(phrase_fingerprints)")}
        # the phrase index (derived, its fingerprints now 32-bit) was emptied; the next lookup rebuilds it
        assert pending(store.conn) == 2
        assert trace(store, "Het kabinet zal voor de zomer een besluit nemen.").occurrences[0].doc == "brief"
        assert pending(store.conn) == 0
        assert store.conn.execute("SELECT count(*) FROM phrase_fingerprints").fetchone()[0] == prints
