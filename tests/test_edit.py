"""Fixing titles and dates (docaudit edit), kept in the edits table; and better automatic titles."""

from __future__ import annotations

import json

from docaudit.ingest import add_bytes
from docaudit.store.database import Store
from docaudit.store.edit import edit, edits

LETTER = "Den Haag, 1 mei 2025\n\nOnderwerp: Voortgang CSAM-verordening\n\nHet kabinet zal de Kamer informeren.\n"


def test_edit_title_and_date_keeps_a_log_and_never_touches_texts(da, tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text(LETTER, encoding="utf-8")
    da("add", brief, "--doc", "brief")
    before = json.loads(da("log", "brief", "--json").stdout)[0]
    r = da("edit", "brief", "--title", "Brief over de CSAM-verordening", "--date", "2025-05-02", "--note", "typo")
    assert r.exit_code == 0
    assert "brief title: 'Voortgang CSAM-verordening' → 'Brief over de CSAM-verordening'" in r.output
    assert "brief@1 letter_date: '2025-05-01' → '2025-05-02'" in r.output
    after = json.loads(da("log", "brief", "--json").stdout)[0]
    assert after["letter_date"] == "2025-05-02" and after["date_source"] == "edited"
    for key in ("raw_sha256", "text_sha256", "normalized_sha256", "snapshot"):
        assert after[key] == before[key]
    assert da("verify").exit_code == 0
    history = json.loads(da("edit", "brief", "--history", "--json").stdout)
    assert [(e["field"], e["old"], e["new"], e["note"]) for e in history] == [
        ("title", "Voortgang CSAM-verordening", "Brief over de CSAM-verordening", "typo"),
        ("letter_date", "2025-05-01", "2025-05-02", "typo"),
    ]
    assert "nothing changed" in da("edit", "brief", "--date", "2025-05-02").output
    assert da("edit", "brief").exit_code == 1 and da("edit", "onbekend", "--title", "x").exit_code == 1


def test_add_with_title_on_an_unchanged_file_points_to_edit(da, tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text(LETTER, encoding="utf-8")
    da("add", brief, "--doc", "brief")
    r = da("add", brief, "--doc", "brief", "--title", "Nieuwe titel")
    assert r.exit_code == 0 and "docaudit edit brief --title" in r.stderr


def test_the_latest_versions_title_replaces_a_found_one_but_never_an_edited_one(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        add_bytes(store, LETTER.encode(), "d")
        assert store.document_title("d") == "Voortgang CSAM-verordening"  # the letter's Onderwerp line
        later = LETTER.replace("Voortgang CSAM-verordening", "Stand van zaken CSAM") + "Een zin erbij.\n"
        add_bytes(store, later.encode(), "d")
        assert store.document_title("d") == "Stand van zaken CSAM"  # the latest version's, not the first's
        edit(store, "d", title="Mijn titel")
        add_bytes(store, (later + "Nog een.\n").encode(), "d")
        assert store.document_title("d") == "Mijn titel"  # an edited title stays
        assert [e.field for e in edits(store, "d")] == ["title"]


def test_an_html_title_without_the_site_name(tmp_path):
    page = (
        b"<html><head><title>Kamerbrief over encryptie | Rijksoverheid.nl</title></head><body>"
        b"<nav>Home</nav><main><p>Het kabinet zal de Kamer informeren over encryptie.</p></main></body></html>"
    )
    with_h1 = page.replace(b"<main>", b"<main><h1>Kamerbrief over end-to-end encryptie</h1>")
    with Store(tmp_path / "audit.db") as store:
        add_bytes(store, page, "a", filename="a.html")
        add_bytes(store, with_h1, "b", filename="b.html")
        assert store.document_title("a") == "Kamerbrief over encryptie"
        assert store.document_title("b") == "Kamerbrief over end-to-end encryptie"
