"""``tk:`` sources against the Tweede Kamer API as it is since 2026: OData v5 (docaudit/testing/tkapi.py in
``version="v5"``): ``Nummer``/``Ondernummer``, ``$top`` capped at 100, no next links, a ``$metadata`` that may
lack ``ApiGewijzigdOp`` or a navigation, and the old ``/OData/v4/2.0`` answering 410.

tests/test_watch_tk.py holds the same sources against v4 (mirrors still serve it); the property test in
tests/test_watch_tk_model.py runs against both.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from test_contracts import errors

from docaudit.store.database import Store
from docaudit.testing.localserver import LocalServer, Reply
from docaudit.testing.repo import FIXTURES, fixture_bytes
from docaudit.testing.tkapi import FakeTK
from docaudit.watch import tk as tk_module
from docaudit.watch.tkschema import SchemaError, parse_metadata, query_string

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")
DEENS = fixture_bytes("kamerbrief-deens-voorstel.pdf")
NOTA = fixture_bytes("nota-onderbouwing-standpunt.docx")
LISTING = "/OData/v5/Document"


@pytest.fixture
def tk(server):
    return FakeTK(server, version="v5", old_prefix="gone")


@pytest.fixture
def da(da, tk, monkeypatch):
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    monkeypatch.setenv("DOCAUDIT_TK_FEED", tk.feed)
    return da


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of two records, so that a handful of documents exercises paging."""
    monkeypatch.setattr(tk_module, "PAGE", 2)


def publish(tk: FakeTK, number: str, data: bytes = V1, *, fmt: str = "docx", **kw) -> dict:
    kw.setdefault("onderwerp", f"Brief {number}")
    kw.setdefault("datum", "2025-01-10")
    return tk.publish(number, data, fmt=fmt, **kw)


def outcomes(result) -> list[tuple[str, str]]:
    return sorted((o["doc"], o["outcome"]) for o in map(json.loads, result.stdout.splitlines()))


def test_v5_is_the_default_and_speaks_its_names(da, tk, tmp_path):
    publish(tk, "2024D46963", onderwerp="CSAM-Verordening", volgnummer=12)
    tk.settle()
    da("track", "tk:2024D46963")
    r = da("run")
    assert r.exit_code == 0 and "2024D46963: new, stored as 2024D46963@1" in r.output, r.output
    listing = tk.server.hits(LISTING)[-1]
    assert listing.query["$filter"] == ["(Nummer eq '2024D46963') and Verwijderd eq false"]
    assert listing.query["$top"] == ["100"] and listing.query["$orderby"] == ["ApiGewijzigdOp,Id"]
    assert "%24" not in listing.target and "+" not in listing.target
    with Store(tmp_path / "audit.db") as store:
        (v1,) = store.versions("2024D46963")
        cached = json.loads(store.conn.execute("SELECT value FROM settings WHERE key LIKE 'tk_schema:%'").fetchone()[0])
    assert v1.meta["tk_documentnummer"] == "2024D46963" and v1.meta["tk_volgnummer"] == 12
    assert v1.meta["tk_odata"] == "v5" and v1.meta["tk_versie"] == 1 and v1.meta["tk_dossiers"] == ["32317"]
    assert cached["version"] == "v5" and len(cached["sha256"]) == 64 and "<edmx:Edmx" in cached["csdl"]

    tk.revise("2024D46963", V2, fmt="docx")
    tk.settle()
    r = da("run", "--exit-code")
    assert r.exit_code == 1 and "2024D46963@1 → 2024D46963@2" in r.output
    assert len(tk.server.hits("/OData/v5/$metadata")) == 2  # once per run
    assert "note:" not in r.output  # the schema did not change: nothing to say


def test_an_ondernummer_of_minus_one_means_none(da, tk, tmp_path):
    record = publish(tk, "2025D00001")
    record["Volgnummer"] = None  # served as Ondernummer -1
    tk.settle()
    da("track", "tk:dossier/32317")
    assert "1 new" in da("run").output
    with Store(tmp_path / "audit.db") as store:
        assert "tk_volgnummer" not in store.versions("2025D00001")[0].meta


def test_paging_by_top_and_skip_without_next_links(da, tk, small_pages, tmp_path):
    """v5 sends no next link: a full page is followed by asking again from its newest stamp, and a run of
    records sharing one stamp (a mass re-touch) by $skip. Five documents in pages of two."""
    for n in range(5):
        publish(tk, f"2025D0000{n}")
    tk.settle()
    da("track", "tk:dossier/32317")
    r = da("run", "--json")
    assert outcomes(r) == [(f"2025D0000{n}", "new") for n in range(5)]
    assert all("@odata.nextLink" not in json.dumps(h.query) for h in tk.server.hits(LISTING))
    tk.retouch_all()  # every record at one stamp: only $skip gets past the first page
    tk.settle()
    r = da("run", "--json")
    assert outcomes(r) == [(f"2025D0000{n}", "unchanged") for n in range(5)]
    skips = [h.query.get("$skip", ["0"])[0] for h in tk.server.hits(LISTING)[-4:]]
    assert "2" in skips and "4" in skips


def test_the_service_refuses_more_than_100_a_page(tk):
    """The stand-in holds the client to the cap the real service enforces."""
    import httpx

    page = httpx.get(f"{tk.api}/Document?{query_string({'$top': '101'})}")
    assert page.status_code == 400 and "limit of '100'" in page.text


def test_without_api_stamp_the_cursor_runs_on_gewijzigdop_and_passes_no_late_record(da, tk, tmp_path):
    """The service may have dropped ApiGewijzigdOp: the cursor then runs on GewijzigdOp with a 72 h overlap.
    B changed before C but shows 16 h later; it is still found, and nothing is stored twice."""
    tk.api_stamp = False
    publish(tk, "2024D00001")
    tk.settle()
    da("track", "tk:dossier/32317")
    r = da("run")
    assert "1 new" in r.output and "no Document.ApiGewijzigdOp" in r.output  # said once, when first read
    publish(tk, "2024D00002", DEENS, fmt="pdf")  # shows in 16 h
    tk.lag = timedelta(minutes=5)
    publish(tk, "2024D00003", NOTA)  # changed later, shows sooner
    tk.advance(hours=1)
    assert outcomes(da("run", "--json")) == [("2024D00003", "new")]
    assert "ApiGewijzigdOp" not in tk.server.hits(LISTING)[-1].query["$filter"][0]
    tk.settle()
    assert outcomes(da("run", "--json")) == [("2024D00002", "new")]
    assert outcomes(da("run", "--json")) == []  # the seen set keeps the wide overlap from repeating them
    tk.delete("2024D00001")
    tk.settle()
    r = da("run", "--json")
    assert outcomes(r) == [("2024D00001", "withdrawn")]
    sources = json.loads(da("sources", "--json").stdout)
    assert errors("sources", sources) == []
    assert sources[0]["cursor"].startswith("GewijzigdOp −72h (no ApiGewijzigdOp) ≥ 2024-")
    assert "GewijzigdOp −72h (no ApiGewijzigdOp)" in da("sources").output


def test_a_source_still_pointed_at_v4_fails_in_one_line_naming_v5(da, tk, monkeypatch):
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:2024D46963")
    da("track", "https://example.invalid/x.pdf", "--doc", "x")  # another source: it does not stop the run
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.old_api)
    r = da("run", "--only", "2024D46963")
    assert r.exit_code == 2
    (line,) = [x for x in r.output.splitlines() if "2024D46963" in x]
    assert "answered HTTP 410" in line and f'set [tk] api = "{tk.api}"' in line and "/OData/v5" in line
    assert "Traceback" not in r.output


def test_a_redirect_to_another_host_and_an_html_page_are_loud(da, tk, monkeypatch, tmp_path):
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:2024D46963")
    with LocalServer() as elsewhere:
        tk.server.route("/moved/$metadata", Reply(status=301, location=elsewhere.url("/OData/v5/$metadata")))
        monkeypatch.setenv("DOCAUDIT_TK_API", tk.server.url("/moved"))
        r = da("run")  # another origin on loopback: not followed, and said so
        assert r.exit_code == 2 and "answered a redirect" in r.output and "refused" in r.output, r.output
        (tmp_path / "docaudit.toml").write_text("[run]\nallow_private_redirects = true\n")
        tk.server.route("/moved/$metadata", Reply(status=301, location=elsewhere.url("/OData/v5/$metadata")))
        elsewhere.route("/OData/v5/$metadata", Reply(body=tk.csdl(), content_type="application/xml"))
        monkeypatch.setenv("DOCAUDIT_TK_API", tk.server.url("/moved"))
        r = da("run")
        assert r.exit_code == 2 and f"answered a redirect to {elsewhere.base}" in r.output, r.output
        assert elsewhere.url("/OData/v5") in r.output
    page = b"<!DOCTYPE html><html><head><title>Onderhoud</title></head><body>We zijn zo terug</body></html>"
    tk.server.route("/portal/$metadata", Reply(body=page, content_type="text/html"))
    tk.server.route("/portal/Document", Reply(body=page, content_type="text/html"))
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.server.url("/portal"))
    r = da("run")
    assert r.exit_code == 2 and 'an HTML page where OData was asked for ("Onderhoud")' in r.output


def test_a_query_with_v4_names_is_refused_with_the_new_ones(da, tk):
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:query/DocumentNummer eq '2024D46963'")
    r = da("run")
    assert r.exit_code == 3 and "DocumentNummer (now Nummer)" in r.output
    da("track", "tk:query/Nummer eq '2024D46963'", "--doc", "q5")
    assert "2024D46963: new" in da("run", "--only", "q5").output


def test_a_missing_navigation_degrades_the_feature_that_needs_it_and_says_so(server, da, monkeypatch):
    tk = FakeTK(server, version="v5", drop=("Kamerstukdossier", "ContentLength"))
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    monkeypatch.setenv("DOCAUDIT_TK_FEED", tk.feed)
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:dossier/32317")
    da("track", "tk:2024D46963")
    da("track", "tk:feed?dossier=32317")
    r = da("run")
    assert "2024D46963: new" in r.output  # a document needs neither the dossier nor ContentLength
    assert "has no Document.Kamerstukdossier, which tk:dossier/ sources needs" in r.output
    assert "tk:feed?dossier=N" in r.output  # and what to do instead
    assert "no Document.ContentLength: checking that a download is whole degrades" in r.output
    # the SyncFeed names dossiers by Id: without OData's dossiers they come from the feed's own list
    feed_lookups = [h for h in tk.server.hits("/SyncFeed/2.0/Feed") if h.query.get("category") == ["Kamerstukdossier"]]
    assert feed_lookups


def test_tkfeed_dossier_is_looked_up_through_v5(da, tk):
    publish(tk, "2024D46963", dossier=36800, toevoeging="XV")
    tk.settle()
    da("track", "tk:feed?dossier=36800-XV")
    r = da("run")
    assert "2024D46963: new" in r.output, r.output
    lookup = tk.server.hits("/OData/v5/Kamerstukdossier")[-1]
    assert lookup.query["$filter"] == ["Nummer eq 36800 and Toevoeging eq 'XV'"] and "%24" not in lookup.target


def test_tk_check_says_what_the_service_is_and_which_sources_will_work(server, da, monkeypatch):
    tk = FakeTK(server, version="v5", api_stamp=False, drop=("Kamerstukdossier",))
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    monkeypatch.setenv("DOCAUDIT_TK_FEED", tk.feed)
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:2024D46963")
    da("track", "tk:dossier/32317")
    da("track", "tk:query/DocumentNummer eq 'x'")
    da("track", "tk:feed?dossier=32317")
    r = da("tk", "check")
    assert r.exit_code == 2
    assert "version   v5" in r.output and "Document.Nummer" in r.output and "Document.Ondernummer" in r.output
    assert "api_stamp        MISSING" in r.output and "newest document 2024D46963" in r.output
    assert "2024D46963: works (OData v5, cursor on GewijzigdOp − 72 h)" in r.output
    assert "tk-dossier-32317: WILL NOT WORK" in r.output and "Kamerstukdossier" in r.output
    assert "the filter names DocumentNummer (now Nummer)" in r.output
    assert "SyncFeed's Kamerstukdossier list" in r.output
    report = json.loads(da("tk", "check", "--json").stdout)
    assert errors("tk-check", report) == []
    assert report["version"] == "v5" and report["fields"]["number"]["name"] == "Nummer"
    assert set(report["missing"]) == {"api_stamp", "dossier", "dossier_number", "dossier_suffix"}
    assert report["exit_code"] == 2

    ok = json.loads(da("tk", "check", "--json", "--api", tk.api).stdout)  # the same, asked by URL
    assert ok["ok"] is True and ok["page"]["records"] == 1

    gone = json.loads(da("tk", "check", "--json", "--api", tk.old_api).stdout)
    assert errors("tk-check", gone) == [] and gone["ok"] is False and gone["exit_code"] == 2
    assert "answered HTTP 410" in gone["error"] and tk.api in gone["error"]
    assert all(not s["works"] for s in gone["sources"] if not s["id"].startswith("tk-feed"))


def test_tk_check_reads_a_v4_service_too(server, da, monkeypatch):
    tk = FakeTK(server)  # v4: a mirror that still serves it
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:2024D46963")
    report = json.loads(da("tk", "check", "--json").stdout)
    assert report["version"] == "v4" and report["fields"]["number"]["name"] == "DocumentNummer"
    assert report["missing"] == [] and report["exit_code"] == 0 and report["sources"][0]["works"]


def test_an_unreachable_metadata_falls_back_to_the_copy_kept(da, tk, tmp_path):
    publish(tk, "2024D46963")
    tk.settle()
    da("track", "tk:2024D46963")
    assert "new" in da("run").output
    tk.server.route("/OData/v5/$metadata", Reply(status=503))
    tk.revise("2024D46963", V2, fmt="docx")
    tk.settle()
    r = da("run", "--retries", "0")
    assert "changed" in r.output and "using the copy of an earlier run" in r.output


def test_metadata_is_read_safely():
    with pytest.raises(SchemaError, match="DTD"):
        parse_metadata(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>', "http://x")
    with pytest.raises(SchemaError, match="not an OData CSDL"):
        parse_metadata(b"<html/>", "http://x")
    with pytest.raises(SchemaError, match="no Document"):
        parse_metadata(b'<Edmx xmlns="http://docs.oasis-open.org/odata/ns/edmx"/>', "http://x")


RECORDED = json.loads((FIXTURES / "tk" / "recorded.json").read_text(encoding="utf-8"))


def test_the_stand_in_holds_to_what_is_recorded_of_v5(tk):
    import httpx

    public = RECORDED["v5"]["public"]
    record = publish(tk, "2024D46963")
    record["Volgnummer"] = None
    tk.settle()
    assert tk.api.endswith(public["base_url"].removeprefix("https://gegevensmagazijn.tweedekamer.nl"))
    (served,) = httpx.get(f"{tk.api}/Document?{query_string({'$top': '1'})}").json()["value"]
    for old, new in public["renamed"].items():
        assert new in served and old not in served
    assert served["Ondernummer"] == public["ondernummer_none"]
    assert set(public["present_on_document"]) <= set(served)
    over = httpx.get(f"{tk.api}/Document?{query_string({'$top': str(public['top_limit'] + 1)})}")
    assert over.status_code == int(public["top_over_limit"].split()[1])


def test_a_dossier_is_found_in_the_syncfeed_entry_as_recorded(server):
    from docaudit.read.fetch import Fetcher
    from docaudit.watch.tkfeed import feed_dossier

    recorded = RECORDED["syncfeed_kamerstukdossier"]["entry_content"]
    page = (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:tk="http://www.tweedekamer.nl/xsd/tkData/v1-0">'
        '<entry><title>1f031e16-cb3b-45b5-b3c9-a8abd27c913a</title><content type="application/xml">'
        + recorded
        + "</content></entry></feed>"
    )
    server.route("/SyncFeed/2.0/Feed", Reply(body=page.encode(), content_type="application/atom+xml"))
    with Fetcher() as fetcher:
        assert feed_dossier(fetcher, server.url("/SyncFeed/2.0"), "30218") == {"1f031e16-cb3b-45b5-b3c9-a8abd27c913a"}
        assert feed_dossier(fetcher, server.url("/SyncFeed/2.0"), "30219") == set()
