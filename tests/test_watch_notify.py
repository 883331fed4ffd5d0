"""Notifications through apprise to a local webhook, and the Atom feed, validated as Atom."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import feedparser

from docaudit.testing.localserver import Reply
from docaudit.testing.repo import fixture_bytes
from docaudit.watch.notify import redact, redact_text

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")
ATOM = "{http://www.w3.org/2005/Atom}"


def hook_url(server, path="/hook") -> str:
    return f"json://127.0.0.1:{server.port}{path}"


def posted(server, path="/hook") -> list[dict]:
    return [json.loads(r.body) for r in server.requests if r.path == path and r.method == "POST"]


def two_versions(da, server):
    server.route("/brief.docx", Reply(body=V1))
    da("track", server.url("/brief.docx"), "--doc", "2024D46963")
    assert da("run", "--no-notify").exit_code == 0
    server.route("/brief.docx", Reply(body=V2))


def test_one_message_per_run_with_the_semantic_summary(da, server):
    server.route("/hook", Reply(body=b"ok"))
    server.route("/broken", Reply(status=500))
    two_versions(da, server)
    da("track", server.url("/broken"), "--doc", "broken")
    r = da("run", "--notify", hook_url(server))
    assert r.exit_code == 2, r.output  # the broken source, not the notification
    [message] = posted(server)
    assert message["title"] == "docaudit: 1 changed, 1 failed"
    body = message["message"]
    assert "**2024D46963**" in body and "2024D46963@1 → 2024D46963@2" in body
    assert "modified (" in body and "negation" in body
    assert "[negation]" in body and "aannemelijk" in body
    assert "**Failed:**" in body and "broken: HTTP 500" in body
    assert message["type"] == "failure"


def test_no_message_when_nothing_changed(da, server):
    server.route("/hook", Reply(body=b"ok"))
    server.route("/brief.docx", Reply(body=V1))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    da("run", "--no-notify")
    assert da("run", "--notify", hook_url(server)).exit_code == 0
    assert posted(server) == []


def test_an_unreachable_target_is_reported_and_the_versions_are_kept(da, server, tmp_path):
    server.route("/hook", Reply(status=500, body=b"down"))
    two_versions(da, server)
    r = da("run", "--notify", hook_url(server))
    assert r.exit_code == 2
    assert "notification failed: json://127.0.0.1" in r.output and "notification failed (1)" in r.output
    assert len(posted(server)) == 1
    log = json.loads(da("log", "2024D46963", "--json").stdout)
    assert [v["number"] for v in log] == [1, 2]
    import sqlite3

    conn = sqlite3.connect(tmp_path / "audit.db")
    notified = json.loads(conn.execute("SELECT notified FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    assert notified["sent"] == [] and "json://127.0.0.1" in notified["errors"][0]


def test_invalid_apprise_url(da, server):
    two_versions(da, server)
    r = da("run", "--notify", "nosuchscheme://x")
    assert r.exit_code == 2 and "not a valid apprise URL" in r.output


def test_watchlist_notify_and_feed(da, server, tmp_path):
    server.route("/hook", Reply(body=b"ok"))
    server.route("/brief.docx", Reply(body=V1))
    (tmp_path / "docaudit.toml").write_text(
        f"""
[notify]
urls = ["{hook_url(server)}"]
on = "changes"

[feed]
path = "public/changes.xml"
title = "Kamerbrieven: wijzigingen"

[[source]]
url = "{server.url("/brief.docx")}"
doc = "2024D46963"
""",
        encoding="utf-8",
    )
    assert da("run").exit_code == 0
    assert [m["title"] for m in posted(server)] == ["docaudit: 1 new"]
    feed = feedparser.parse((tmp_path / "public" / "changes.xml").read_bytes())
    assert feed.feed.title == "Kamerbrieven: wijzigingen" and len(feed.entries) == 1


def test_credentials_never_show_in_reports():
    url = "mailtos://desk:s3cret-pass@mail.example.org/?to=ngo@example.org"
    assert redact(url) == "mailtos://mail.example.org"
    assert "s3cret" not in redact_text("login failed for desk:s3cret-pass", url)


def test_feed_is_valid_atom_with_stable_ids(da, server, tmp_path):
    two_versions(da, server)
    da("run", "--no-notify")
    assert da("feed", "-o", "changes.xml", "--self-url", "https://ngo.example/changes.xml").exit_code == 0
    data = (tmp_path / "changes.xml").read_bytes()
    _check_atom(data)
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    changed, new = parsed.entries
    # the same URL served a new text and nothing announced a new version: a silent revision
    assert changed.title.startswith("Changed silently: ") and "2024D46963@1 → 2024D46963@2" in changed.title
    assert "silent-revision" in {t.term for t in changed.tags}
    assert "modified" in changed.summary and "negation" in {t.term for t in changed.tags}
    assert "<del>" in changed.content[0].value and "<ins>" in changed.content[0].value
    items = re.findall(r"<li><strong>(\d+) ", changed.content[0].value)  # ranked: most severe first
    assert items and [int(x) for x in items] == sorted((int(x) for x in items), reverse=True)
    assert new.title.startswith("New: ") and {t.term for t in new.tags} == {"new-document"}
    assert changed.link == server.url("/brief.docx")
    # rewriting gives the same ids: feed readers do not see old entries as new
    again = da("feed").stdout_bytes
    assert [e.id for e in feedparser.parse(again).entries] == [e.id for e in parsed.entries]


def test_feed_escapes_document_text(da, server, tmp_path):
    page = b"<html><body><main><p>Den Haag, 1 oktober 2024</p><p>Het kabinet zal dit doen.</p></main></body></html>"
    hostile = (
        b"<html><body><main><p>Den Haag, 1 oktober 2024</p><p>Het kabinet zal dit niet doen "
        b"&lt;script&gt;alert(1)&lt;/script&gt;.</p></main></body></html>"
    )
    server.route("/p", Reply(body=page, content_type="text/html"))
    da("track", server.url("/p"), "--doc", "p")
    da("run")
    server.route("/p", Reply(body=hostile, content_type="text/html"))
    da("run")
    data = da("feed").stdout_bytes
    _check_atom(data)
    content = feedparser.parse(data, sanitize_html=False).entries[0].content[0].value
    assert "&lt;script&gt;" in content and "<script>" not in content


def _check_atom(data: bytes) -> None:
    """The MUSTs of RFC 4287 that a feed reader relies on."""
    root = ET.fromstring(data)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{tag}")) == 1, tag
    assert root.find(f"{ATOM}author/{ATOM}name").text
    ids = set()
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1, tag
        entry_id = entry.find(f"{ATOM}id").text
        assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry_id) and entry_id not in ids
        ids.add(entry_id)
        for tag in ("updated", "published"):
            datetime.fromisoformat(entry.find(f"{ATOM}{tag}").text.replace("Z", "+00:00"))
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        for link in entry.findall(f"{ATOM}link"):
            assert link.get("href") and link.get("rel")
