"""Silent revisions: a version whose text changed while its source announced no new version is stored as
``announced: false`` and shown as such everywhere (run line, JSON, log, diff, notification, feed, report)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from docaudit.ingest import add_bytes, announcement
from docaudit.store.database import Store, Version
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import fixture_bytes
from docaudit.testing.tkapi import FakeTK

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")
LETTER = "Den Haag, 1 mei 2025\n\nHet kabinet zal de Kamer voor de zomer informeren.\n"


def _version(meta=None, text=LETTER, filename="brief.txt") -> Version:
    return Version(
        1, "d", 1, "", None, None, filename, "text", 1, "0" * 64, "", text, "", text, "", "x", "1", meta=meta or {}
    )


@pytest.mark.parametrize(
    ("before", "after", "text", "filename", "expected"),
    [
        ({"tk_versie": 1}, {"tk_versie": 2}, LETTER, "brief.txt", (True, "Tweede Kamer Versienummer 1 → 2")),
        ({"tk_versie": 2}, {"tk_versie": 2}, LETTER + "Herdruk.", "brief.txt", (False, None)),
        (
            {"tk_versie_id": "a"},
            {"tk_versie_id": "b"},
            LETTER,
            "brief.txt",
            (True, "a new Tweede Kamer DocumentVersie"),
        ),
        ({"tk_versie_id": "a"}, {"tk_versie_id": "A"}, LETTER, "brief.txt", (False, None)),
        ({}, {"version": 2}, LETTER, "brief.txt", (True, "“versie 2” in the letter")),
        ({}, {}, "Rectificatie\n\n" + LETTER, "brief.txt", (True, "“rectificatie” in the letter")),
        ({}, {}, LETTER, "brief-versie-2.txt", (True, "version 2 in the file name")),
        ({}, {}, LETTER, "2024D46963_v2.docx", (True, "version 2 in the file name")),
        ({}, {"url": "https://x.nl/brief-herdruk.pdf"}, LETTER, "brief.txt", (True, "“herdruk” in the URL")),
        ({}, {}, LETTER + "Een zin erbij.", "brief.txt", (False, None)),
    ],
)
def test_what_announces_a_new_version(before, after, text, filename, expected):
    assert announcement(_version(before), after, text, filename) == expected


def test_a_first_version_announces_nothing():
    assert announcement(None, {"tk_versie": 1}, LETTER) == (None, None)


def test_stored_with_the_version(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        first = add_bytes(store, LETTER.encode(), "d", filename="brief.txt").version
        silent = add_bytes(store, (LETTER + "Een zin erbij.\n").encode(), "d", filename="brief.txt").version
        loud = add_bytes(store, (LETTER + "Herdruk.\n").encode(), "d", filename="brief.txt").version
    assert (first.announced, silent.announced, loud.announced) == (None, False, True)
    assert silent.silent and not loud.silent and loud.announced_by == "“herdruk” in the letter"


def test_an_older_database_gets_the_columns_empty(tmp_path):
    """A database at schema 3 (before this was recorded) is upgraded; its versions say nothing (null)."""
    from docaudit.store.migrations import MIGRATIONS

    db = tmp_path / "audit.db"
    conn = sqlite3.connect(db)
    for n, migration in enumerate(MIGRATIONS[:3]):
        for statement in migration:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {n + 1}")
    conn.execute("INSERT INTO documents (id, created_at, updated_at) VALUES ('d', 'x', 'x')")
    conn.execute(
        "INSERT INTO versions (doc_id, number, added_at, format, size, raw_sha256, snapshot, text, text_sha256,"
        " normalized, normalized_sha256, extractor, extractor_version) VALUES"
        " ('d', 1, 'x', 'text', 1, 'a', 'a', 't', 'a', 't', 'a', 'e', '1')"
    )
    conn.commit()
    assert "announced" not in [r[1] for r in conn.execute("PRAGMA table_info(versions)")]
    conn.close()
    with Store(db) as store:
        version = store.version("d", 1)
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert version.announced is None and version.announced_by is None and not version.silent


@pytest.fixture
def tk(server):
    return FakeTK(server)


@pytest.fixture
def da(da, tk, monkeypatch):
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    return da


def test_a_silent_tk_revision_is_shown_everywhere(da, tk, server, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp="CSAM", datum="2024-11-29")
    tk.settle()
    da("track", "tk:2024D46963")
    da("run")
    tk.replace_silently("2024D46963", V2)  # same DocumentVersie, same Versienummer, another file
    tk.settle()
    server.route("/hook", Reply(status=200))
    r = da("run", "--notify", f"json://127.0.0.1:{server.port}/hook")
    assert "changed, 2024D46963@1 → 2024D46963@2 (silent revision: no new version announced)" in r.output
    [message] = [json.loads(h.body) for h in server.hits("/hook")]
    assert "silent revision" in message["message"]

    log = json.loads(da("log", "2024D46963", "--json").stdout)
    assert [(v["announced"], v["announced_by"]) for v in log] == [(None, None), (False, None)]
    assert "silent" in da("log", "2024D46963").output
    assert "(silent revision)" in da("diff", "2024D46963").output
    side = json.loads(da("diff", "2024D46963", "--json").stdout)["new"]
    assert side["announced"] is False
    html = da("diff", "2024D46963", "--format", "html").stdout
    assert 'class="badge silent"' in html

    assert da("report", "-o", "site").exit_code == 0
    page = (tmp_path / "site" / "docs" / "2024D46963.html").read_text(encoding="utf-8")
    timeline = (tmp_path / "site" / "timeline.html").read_text(encoding="utf-8")
    assert "silent revision" in page and "silent revision" in timeline


def test_an_announced_tk_revision_says_what_announced_it(da, tk):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp="CSAM", datum="2024-11-29")
    tk.settle()
    da("track", "tk:2024D46963")
    da("run")
    tk.revise("2024D46963", V2, fmt="docx")
    tk.settle()
    r = da("run", "--json")
    [outcome] = [json.loads(line) for line in r.stdout.splitlines()]
    assert outcome["outcome"] == "changed" and outcome["announced"] is True
    log = json.loads(da("log", "2024D46963", "--json").stdout)
    assert log[-1]["announced_by"] == "Tweede Kamer Versienummer 1 → 2"
    assert "(silent revision)" not in da("diff", "2024D46963").output


def test_a_revert_is_stored_and_named_everywhere(da, tmp_path):
    (tmp_path / "v1.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    (tmp_path / "v2.txt").write_text("Het kabinet zal dit niet doen.\n", encoding="utf-8")
    da("add", "v1.txt", "--doc", "d")
    da("add", "v2.txt", "--doc", "d")
    r = da("add", "v1.txt", "--doc", "d")
    assert "stored as d@3" in r.output and "reverted to d@1" in r.output  # the history stays true
    assert "reverted to @1" in da("log", "d").output
    assert da("diff", "d").output.splitlines()[0] == "d@2 → d@3 (reverted to d@1)"
    diff = json.loads(da("diff", "d", "--json").stdout)
    assert diff["new"]["reverted_to"] == "d@1"
    assert "(reverted to d@1)" in da("changes").output
    assert {e["reverted_to"] for e in json.loads(da("changes", "--json").stdout)} == {None, "d@1"}
    assert "Reverted to @1" in da("feed").output


def test_a_run_names_a_revert(da, server):
    from docaudit.testing.localserver import Reply

    one, two = b"Het kabinet zal dit doen.\n", b"Het kabinet zal dit niet doen.\n"
    da("track", server.url("/brief.txt"), "--doc", "brief")
    for body in (one, two, one):
        server.route("/brief.txt", Reply(body=body, content_type="text/plain"))
        r = da("run")
    assert "brief: changed, brief@2 → brief@3 (reverted to brief@1)" in r.output


def test_unread_changes_are_kept_per_reader(da, tmp_path):
    (tmp_path / "v1.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    (tmp_path / "v2.txt").write_text("Het kabinet zal dit niet doen.\n", encoding="utf-8")
    (tmp_path / "v3.txt").write_text("Het kabinet kan dit niet doen.\n", encoding="utf-8")
    for name in ("v1.txt", "v2.txt"):
        da("add", name, "--doc", "d")
    assert "negation added" in da("changes", "--unread", "--mark-read").output
    assert "No changes unread by default." in da("changes", "--unread").output
    assert "negation added" in da("changes", "--unread", "--reader", "cron").output  # each reader its own place
    da("add", "v3.txt", "--doc", "d")
    news = json.loads(da("changes", "--unread", "--json").stdout)
    assert [e["version"] for e in news] == ["d@3"]


def test_the_report_and_the_html_diff_name_a_revert(da, tmp_path):
    (tmp_path / "v1.txt").write_text("Het kabinet zal dit doen.\n", encoding="utf-8")
    (tmp_path / "v2.txt").write_text("Het kabinet zal dit niet doen.\n", encoding="utf-8")
    for name in ("v1.txt", "v2.txt", "v1.txt"):
        da("add", name, "--doc", "d")
    assert "reverted to d@1" in da("diff", "d", "--format", "html").output
    da("report", "-o", "site")
    pages = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
    assert "reverted to d@1" in pages
