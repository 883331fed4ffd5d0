"""``feed:`` sources: every document an RSS 2.0 or Atom feed links to, served by a real local server."""

from __future__ import annotations

import json

import pytest

from docaudit.testing.localserver import LocalServer, Reply
from docaudit.testing.repo import fixture_bytes

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")


def rss(server, items) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{path if path.startswith('http') else server.url(path)}</link>"
        f"<guid>{guid}</guid>"
        f"<pubDate>{date}</pubDate></item>"
        for title, path, guid, date in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Kamerstukken</title>'
        f"<link>{server.url('/')}</link><description>nieuw</description>{entries}</channel></rss>"
    ).encode()


def atom(server, items) -> bytes:
    entries = "".join(
        f'<entry><title>{title}</title><link href="{path}"/><id>{guid}</id><updated>{date}</updated></entry>'
        for title, path, guid, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Brieven</title>'
        f"<id>urn:x</id><updated>2025-01-02T00:00:00Z</updated>{entries}</feed>"
    ).encode()


@pytest.fixture
def letters(server):
    server.route("/docs/kamerbrief-csam.docx", Reply(body=V1))
    server.route("/docs/antwoorden.txt", Reply(body=b"Den Haag, 3 januari 2025\n\nHet kabinet zal antwoorden.\n"))
    server.route("/docs/nota.txt", Reply(body=b"Een nota over encryptie.\n"))
    return server


def test_an_rss_feed_is_followed_item_by_item_with_titles_dates_and_a_limit(da, letters, tmp_path):
    server = letters
    items = [
        ("Kamerbrief CSAM", "/docs/kamerbrief-csam.docx", "urn:1", "Mon, 02 Dec 2024 10:00:00 GMT"),
        ("Antwoorden Kamervragen", "/docs/antwoorden.txt", "urn:2", "Fri, 03 Jan 2025 09:00:00 GMT"),
        ("Nota", "/docs/nota.txt", "urn:3", "Tue, 07 Jan 2025 09:00:00 GMT"),
    ]
    server.route("/rss.xml", Reply(body=rss(server, items), content_type="application/rss+xml", etag='"f1"'))
    r = da("track", f"feed:{server.url('/rss.xml')}", "--doc", "ministerie")
    assert r.exit_code == 0 and "tracking feed:" in r.output
    (tmp_path / "docaudit.toml").write_text("[run]\nfeed_items = 2\n", encoding="utf-8")
    r = da("run", "--json")
    got = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(o["doc"], o["outcome"]) for o in got] == [
        ("kamerbrief-csam", "new"),
        ("antwoorden", "new"),
    ]  # oldest first
    docs = {d["id"]: d for d in json.loads(da("docs", "--json").stdout)}
    assert docs["kamerbrief-csam"]["title"] == "Kamerbrief CSAM" and docs["antwoorden"]["letter_date"] == "2025-01-03"
    assert docs["kamerbrief-csam"]["letter_date"] == "2024-11-29"  # the letter's own date wins over the feed's
    got = [json.loads(x) for x in da("run", "--json").stdout.splitlines()]
    assert [(o["doc"], o["outcome"]) for o in got] == [("nota", "new")]  # the rest, next run
    assert da("run", "--exit-code").exit_code == 0  # nothing new: the feed answers 304


def test_an_atom_feed_and_an_updated_item(da, letters):
    server = letters
    items = [("Kamerbrief CSAM", "/docs/kamerbrief-csam.docx", "urn:1", "2024-12-02T10:00:00Z")]
    server.route("/atom.xml", Reply(body=atom(server, items), content_type="application/atom+xml"))
    da("track", f"feed:{server.url('/atom.xml')}")
    assert "+ kamerbrief-csam: new" in da("run").output
    server.route("/docs/kamerbrief-csam.docx", Reply(body=V2))
    items = [("Kamerbrief CSAM (versie 2)", "/docs/kamerbrief-csam.docx", "urn:1", "2024-12-16T10:00:00Z")]
    server.route("/atom.xml", Reply(body=atom(server, items), content_type="application/atom+xml"))
    r = da("run")
    assert "~ kamerbrief-csam: changed, kamerbrief-csam@1 → kamerbrief-csam@2" in r.output


def test_a_feed_linking_into_another_loopback_service_is_refused(da, server):
    with LocalServer() as internal:
        internal.route("/admin.txt", Reply(body=b"Intern."))
        items = [("Beheer", internal.url("/admin.txt"), "urn:9", "Mon, 02 Dec 2024 10:00:00 GMT")]
        body = rss(server, []).replace(
            b"</channel>", rss(internal, items).split(b"</description>")[1].split(b"</channel>")[0] + b"</channel>"
        )
        server.route("/rss.xml", Reply(body=body, content_type="application/rss+xml"))
        da("track", f"feed:{server.url('/rss.xml')}")
        got = [json.loads(x) for x in da("run", "--json").stdout.splitlines()]
        assert got[0]["outcome"] == "failed" and "links to a loopback address" in got[0]["error"]
        assert not internal.hits("/admin.txt")


def test_not_a_feed_is_one_line(da, server):
    server.route("/geen.xml", Reply(body=b"<html><body><p>Geen feed</p></body></html>", content_type="text/html"))
    da("track", f"feed:{server.url('/geen.xml')}", "--doc", "geen")
    r = da("run")
    assert r.exit_code == 3 and "geen" in r.output and "Traceback" not in r.output
