"""``tk:`` sources against the Tweede Kamer API stand-in (docaudit/testing/tkapi.py) on a local server.

The stand-in is as unkind as the real service: records show up hours after their ``GewijzigdOp``, ties
come back in a new order on every request, deleted records are stripped, dates are local midnight.
tests/test_watch_tk_model.py drives it with random days of edits (hypothesis); these are the cases by name.
"""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from docaudit.store.database import Store
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import FIXTURES, fixture_bytes
from docaudit.testing.tkapi import FakeTK, local_midnight
from docaudit.watch.tk import parse_stamp
from docaudit.watch.tkfeed import _token

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")
ANTWOORDEN = fixture_bytes("2023Z08511.pdf")
DEENS = fixture_bytes("kamerbrief-deens-voorstel.pdf")
NOTA = fixture_bytes("nota-onderbouwing-standpunt.docx")
ONDERWERP = "Ontwikkelingen CSAM-Verordening en de uitvoering van de motie-Kathmann c.s."
LISTING = "/OData/v4/2.0/Document"
RECORDED = json.loads((FIXTURES / "tk" / "recorded.json").read_text(encoding="utf-8"))


@pytest.fixture
def tk(server):
    return FakeTK(server, page_size=2)


@pytest.fixture
def da(da, tk, monkeypatch):
    """The CLI fixture of conftest, pointed at the stand-in."""
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    monkeypatch.setenv("DOCAUDIT_TK_FEED", tk.feed)
    return da


def resource_hits(tk: FakeTK) -> int:
    return sum(1 for r in tk.server.requests if r.path.endswith(("/resource", "Resource()")) or "/Resources/" in r.path)


def filters(tk: FakeTK) -> list[str]:
    return [r.query["$filter"][0] for r in tk.server.hits(LISTING)]


def publish_antwoorden(tk: FakeTK, **kw) -> dict:
    return tk.publish(
        "2023D20001",
        ANTWOORDEN,
        fmt="pdf",
        onderwerp="Antwoorden",
        datum="2023-08-22",
        soort="Antwoord schriftelijke vragen",
        **kw,
    )


def outcomes(result) -> list[tuple[str, str]]:
    return sorted((o["doc"], o["outcome"]) for o in map(json.loads, result.stdout.splitlines()))


def test_one_document_each_new_versie_is_a_version(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    da("track", "tk:2024D46963")
    r = da("run")  # the record is not visible yet: the API shows it ~16 h after GewijzigdOp
    assert r.exit_code == 3 and "has no document 2024D46963 (yet" in r.output
    tk.settle()
    r = da("run")
    assert r.exit_code == 0 and "2024D46963: new, stored as 2024D46963@1" in r.output
    request = tk.server.hits(LISTING)[-1].query
    assert request["$filter"] == ["(DocumentNummer eq '2024D46963') and Verwijderd eq false"]
    assert request["$orderby"] == ["ApiGewijzigdOp,Id"] and request["$top"] == ["100"]
    assert "%24" not in tk.server.hits(LISTING)[-1].target  # OData options go as $filter, $top, never %24…

    r = da("run")  # nothing changed in the API: one listing request, no download
    assert "1 unchanged" in r.output and resource_hits(tk) == 1
    record = tk.docs["2024D46963"].states[-1].record
    overlap = parse_stamp(record["ApiGewijzigdOp"]) - timedelta(hours=1)
    assert filters(tk)[-1].endswith(f"ApiGewijzigdOp ge {overlap.strftime('%Y-%m-%dT%H:%M:%S.%f')}Z")

    record = tk.revise("2024D46963", V2, fmt="docx")
    tk.settle()
    r = da("run", "--exit-code")
    assert r.exit_code == 1 and "changed, 2024D46963@1 → 2024D46963@2" in r.output
    with Store(tmp_path / "audit.db") as store:
        v1, v2 = store.versions("2024D46963")
        assert store.document_title("2024D46963") == ONDERWERP
    assert (v1.meta["tk_versie"], v2.meta["tk_versie"]) == (1, 2)
    assert v2.meta["tk_api_gewijzigd_op"] == record["ApiGewijzigdOp"] and v2.meta["tk_id"] == record["Id"]
    assert v2.meta["tk_gewijzigd_op"] == record["GewijzigdOp"] and v2.meta["tk_content_length"] == len(V2)
    assert v2.meta["tk_soort"] == "Brief regering" and v2.meta["tk_dossiers"] == ["32317"]
    assert v2.filename == "2024D46963.docx" and v2.letter_date == "2024-11-29"


def test_a_record_that_shows_up_late_is_not_passed_by_the_cursor(da, tk, tmp_path):
    """The bug this cursor fixes: B changed before C but became visible after it. A cursor on GewijzigdOp
    would have passed B when C was stored; on ApiGewijzigdOp it has not."""
    tk.publish("2024D00001", V1, fmt="docx", onderwerp="A", datum="2024-11-01")
    tk.settle()
    da("track", "tk:dossier/32317")
    assert "1 new" in da("run").output
    tk.publish("2024D00002", DEENS, fmt="pdf", onderwerp="B", datum="2024-11-02")  # shows in 16 h
    tk.lag = timedelta(minutes=5)
    tk.publish("2024D00003", NOTA, fmt="docx", onderwerp="C", datum="2024-11-03")  # changed later, shows sooner
    tk.advance(hours=1)
    r = da("run", "--json")
    assert outcomes(r) == [("2024D00003", "new")]
    b = tk.docs["2024D00002"].states[-1].record
    assert parse_stamp(b["GewijzigdOp"]) < parse_stamp(tk.docs["2024D00003"].states[-1].record["GewijzigdOp"])
    tk.settle()
    assert outcomes(da("run", "--json")) == [("2024D00002", "new")]
    assert outcomes(da("run", "--json")) == []  # and nothing twice


def test_a_stamp_assigned_before_the_record_shows_is_caught_by_the_overlap(da, tk):
    tk.lag, tk.race = timedelta(0), timedelta(minutes=40)
    tk.publish("2024D00001", V1, fmt="docx", onderwerp="A", datum="2024-11-01")
    tk.settle()
    da("track", "tk:dossier/32317")
    da("run")
    early = tk.publish("2024D00002", DEENS, fmt="pdf", onderwerp="B", datum="2024-11-02")
    tk.race = timedelta(0)
    tk.publish("2024D00003", NOTA, fmt="docx", onderwerp="C", datum="2024-11-03")
    tk.docs["2024D00002"].states[-1].visible_at = parse_stamp(early["ApiGewijzigdOp"]) + timedelta(minutes=40)
    tk.advance(minutes=5)
    assert outcomes(da("run", "--json")) == [("2024D00003", "new")]
    tk.settle()
    assert outcomes(da("run", "--json")) == [("2024D00002", "new")]


def test_paging_restarts_from_the_last_stamp_and_survives_changes_between_pages(da, tk, tmp_path):
    for n in range(7):
        tk.publish(
            f"2025D0000{n}",
            DEENS if n % 2 else V1,
            fmt="pdf" if n % 2 else "docx",
            onderwerp=f"B{n}",
            datum="2025-01-0" + str(n + 1),
        )
    tk.settle()

    def touch_the_first(api: FakeTK) -> None:  # the first record moves to the end while we page
        if len(api.server.hits(LISTING)) == 1:
            api.lag = timedelta(0)
            api.touch("2025D00000")
            api.settle()

    tk.between_pages = touch_the_first
    da("track", "tk:dossier/32317")
    r = da("run", "--json")
    assert outcomes(r) == [(f"2025D0000{n}", "new") for n in range(7)]
    pages = tk.server.hits(LISTING)
    assert len(pages) >= 4 and all("$skip" not in p.query for p in pages[1:])  # each page restarts from a stamp
    assert "ApiGewijzigdOp ge" in pages[1].query["$filter"][0]


def test_a_mass_retouch_with_one_stamp_is_paged_through_skip(da, tk):
    for n in range(5):
        tk.publish(f"2025D0000{n}", NOTA, fmt="docx", onderwerp=f"B{n}", datum="2025-01-01")
    tk.settle()
    da("track", "tk:dossier/32317")
    assert "5 new" in da("run").output
    tk.retouch_all()  # OpenDataPortaal #127: every record re-touched at once
    tk.settle()
    before = len(tk.server.hits(LISTING))
    r = da("run", "--json")
    assert outcomes(r) == [(f"2025D0000{n}", "unchanged") for n in range(5)]
    skips = [p.query.get("$skip") for p in tk.server.hits(LISTING)[before:]]
    assert ["2"] in skips and ["4"] in skips  # the tie is followed through its nextLinks


def test_since_is_a_local_date(da, tk):
    tk.publish("2024D00031", V1, fmt="docx", onderwerp="31 oktober", datum="2024-10-31")
    tk.publish("2024D00001", NOTA, fmt="docx", onderwerp="1 november", datum="2024-11-01")
    tk.settle()
    assert (
        tk.docs["2024D00001"].states[-1].record["Datum"] == local_midnight("2024-11-01") == "2024-11-01T00:00:00+01:00"
    )
    da("track", "tk:dossier/32317", "--since", "2024-11-01")
    assert outcomes(da("run", "--json")) == [("2024D00001", "new")]
    assert "Datum ge 2024-10-31T00:00:00Z" in filters(tk)[-1]


def test_a_stripped_deletion_is_seen_once_and_history_kept(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    tk.settle()
    da("track", "tk:dossier/32317")
    da("run")
    tk.delete("2024D46963")
    tk.settle()
    assert "DocumentNummer" not in tk.docs["2024D46963"].states[-1].record  # stripped: no filter matches it
    r = da("run", "--exit-code")
    assert r.exit_code == 1 and "2024D46963: withdrawn (Verwijderd in the API" in r.output
    assert any(f.startswith("Verwijderd eq true and ApiGewijzigdOp ge") for f in filters(tk))
    r = da("run", "--exit-code")
    assert r.exit_code == 0 and "withdrawn" not in r.output  # announced once
    with Store(tmp_path / "audit.db") as store:
        assert len(store.versions("2024D46963")) == 1


def test_dossier_with_and_without_toevoeging(da, tk):
    tk.publish("2025D00001", V1, fmt="docx", onderwerp="JenV", datum="2025-01-01", dossier=36800, toevoeging="VI")
    tk.publish("2025D00002", NOTA, fmt="docx", onderwerp="VWS", datum="2025-01-01", dossier=36800, toevoeging="XVI")
    tk.publish("2025D00003", DEENS, fmt="pdf", onderwerp="other", datum="2025-01-01", dossier=36801)
    tk.settle()
    da("track", "tk:dossier/36800-XVI")
    da("track", "tk:dossier/36800")
    r = da("run", "--json")
    by_source = {}
    for o in map(json.loads, r.stdout.splitlines()):
        by_source.setdefault(o["source"], []).append(o["doc"])
    assert sorted(by_source["tk-dossier-36800-XVI"]) == ["2025D00002"]
    assert sorted(by_source["tk-dossier-36800"]) == ["2025D00001", "2025D00002"]
    assert any("d/Toevoeging eq 'XVI'" in f for f in filters(tk))


def test_a_body_of_the_wrong_size_is_refused_and_asked_again(da, tk, tmp_path):
    record = tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    tk.settle()
    da("track", "tk:2024D46963")
    da("run")  # lists it (the stand-in routes the file now)
    cut = f"/OData/v4/2.0/Document({record['Id']})/resource"
    tk.revise("2024D46963", V2, fmt="docx")
    tk.settle()
    tk.server.route(cut, Reply(body=V2[:-100]))
    r = da("run")
    assert r.exit_code == 3 and "but the API says ContentLength" in r.output
    tk.server.route(cut, Reply(body=V2))
    r = da("run")
    assert r.exit_code == 0 and "changed, 2024D46963@1 → 2024D46963@2" in r.output


def test_the_advertised_file_link_is_preferred(server, da, monkeypatch):
    tk = FakeTK(server, advertise_resource=True)
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    tk.settle()
    da("track", "tk:2024D46963")
    r = da("run")
    assert r.exit_code == 0 and "new, stored" in r.output
    assert [h.path for h in server.requests if "Resource()" in h.path]


def test_query_source_and_a_filter_the_api_rejects(da, tk):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    publish_antwoorden(tk)
    tk.settle()
    da("track", "tk:query/Soort eq 'Antwoord schriftelijke vragen'", "--doc", "antwoorden")
    da("track", "tk:query/Titel has 'x'", "--doc", "bad")
    r = da("run", "--json")
    by_source = {}
    for o in map(json.loads, r.stdout.splitlines()):
        by_source.setdefault(o["source"], []).append(o)
    assert [(o["doc"], o["outcome"]) for o in by_source["antwoorden"]] == [("2023D20001", "new")]
    assert by_source["bad"][0]["outcome"] == "failed" and "HTTP 400" in by_source["bad"][0]["error"]
    assert r.exit_code == 2


def test_a_failed_download_is_asked_again_next_run(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    rec = tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03")
    tk.settle()
    tk.server.route(f"/OData/v4/2.0/Document({rec['Id']})/resource", Reply(status=500))
    da("track", "tk:dossier/32317")
    r = da("run")
    assert r.exit_code == 2 and "1 new, 1 failed" in r.output
    tk.server.route(f"/OData/v4/2.0/Document({rec['Id']})/resource", Reply(body=DEENS))
    r = da("run")
    assert r.exit_code == 0 and "1 new" in r.output and "2025D01234" in r.output, r.output


def test_unknown_document_number_and_a_moved_api_fail_clearly(da, tk, monkeypatch):
    da("track", "tk:2024D99999")
    r = da("run")
    assert r.exit_code == 3 and "the API has no document 2024D99999" in r.output
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.server.url("/OData/v6"))  # an address where nothing answers
    r = da("run")  # a setting to fix, not an outage: 2 even though it is the only source
    assert r.exit_code == 2 and r.output.count("\n") == 2, r.output
    assert f"the Tweede Kamer API at {tk.server.url('/OData/v6')} answered HTTP 404" in r.output
    assert "docaudit tk check" in r.output


def test_a_cursor_kept_on_gewijzigdop_by_an_older_docaudit_is_taken_over(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    tk.settle()
    da("track", "tk:dossier/32317")
    da("run")
    with Store(tmp_path / "audit.db") as store, store.transaction():
        old = tk.docs["2024D46963"].states[-1].record["GewijzigdOp"]
        store.conn.execute("UPDATE sources SET state = ?", (json.dumps({"cursor": old}),))
    tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03")
    tk.settle()
    assert outcomes(da("run", "--json")) == [("2024D46963", "unchanged"), ("2025D01234", "new")]


# -- the SyncFeed ------------------------------------------------------------------------------


def test_feed_stores_every_change_in_order_with_deletions(da, tk, tmp_path):
    tk.page_size = 2
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    publish_antwoorden(tk)
    tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03")
    tk.settle()
    r = da("track", "tk:feed")
    assert r.exit_code == 0 and "tk-feed-all" in r.output
    r = da("run", "--json")
    assert outcomes(r) == [("2023D20001", "new"), ("2024D46963", "new"), ("2025D01234", "new")]
    pages = tk.server.hits("/SyncFeed/2.0/Feed")
    assert len(pages) == 2 and pages[0].query == {"category": ["Document"]} and "skiptoken" in pages[1].query

    tk.revise("2024D46963", V2, fmt="docx")
    tk.delete("2025D01234")
    tk.settle()
    r = da("run", "--json")
    assert outcomes(r) == [("2024D46963", "changed"), ("2025D01234", "withdrawn")]
    assert outcomes(da("run", "--json")) == []  # resumed from the stored skiptoken: nothing twice
    state = json.loads(da("sources", "--json").stdout)[0]
    assert state["kind"] == "tk-feed" and state["status"] == "ok"


def test_feed_filters_on_soort_dossier_and_since(da, tk):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29", dossier=36800, toevoeging="VI")
    publish_antwoorden(tk, dossier=36800, toevoeging="VI")
    tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03", dossier=99999)
    tk.settle()
    da("track", "tk:feed?soort=Brief regering", "--doc", "brieven")
    da("track", "tk:feed?dossier=36800-VI", "--doc", "jenv", "--since", "2024-01-01")
    r = da("run", "--json")
    by_source = {}
    for o in map(json.loads, r.stdout.splitlines()):
        by_source.setdefault(o["source"], []).append(o["doc"])
    assert sorted(by_source["brieven"]) == ["2024D46963", "2025D01234"]
    assert by_source["jenv"] == ["2024D46963"]
    assert tk.server.hits("/OData/v4/2.0/Kamerstukdossier")[0].query["$filter"] == [
        "Nummer eq 36800 and Toevoeging eq 'VI'"
    ]
    assert da("track", "tk:feed?kamer=2").exit_code == 1


def test_feed_reads_a_failed_entry_again_and_checks_content_length(da, tk, server):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    rec = tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03")
    tk.settle()
    broken = f"/SyncFeed/2.0/Resources/{rec['Id']}"
    tk.between_pages = None

    def cut(_request):
        return Reply(body=DEENS[:1000])

    da("track", "tk:feed")
    original = tk._feed_page

    def feed_then_break(request):
        reply = original(request)
        server.route(broken, cut)
        return reply

    server.route("/SyncFeed/2.0/Feed", feed_then_break)
    r = da("run", "--json")
    got = {o["doc"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert got["2024D46963"]["outcome"] == "new" and got["2025D01234"]["outcome"] == "failed"
    assert "ContentLength" in got["2025D01234"]["error"]
    server.route("/SyncFeed/2.0/Feed", original)
    tk._route_files(tk.docs["2025D01234"], force=True)
    assert outcomes(da("run", "--json")) == [("2025D01234", "new")]


# -- the real shapes -----------------------------------------------------------------------------


def test_the_stand_in_pages_like_the_recorded_service(da, tk):
    """Recorded: the nextLink is the same query re-encoded plus &$skip=250, then &$skip=500."""
    recorded = RECORDED["odata_paging"]["requests"]
    assert [parse_qs(urlsplit(u).query).get("$skip") for u in recorded] == [None, ["250"], ["500"]]
    assert all(u.startswith(recorded[0].split("?")[0]) for u in recorded)
    tk.page_size = 250
    for n in range(260):
        tk.publish(f"2025D{n:05d}", b"Brief " + str(n).encode(), fmt="txt", onderwerp=f"B{n}", datum="2025-01-01")
    tk.settle()
    import httpx

    query = {"$filter": "Soort eq 'Brief regering'", "$format": "application/json;odata.metadata=minimal"}
    first = httpx.get(f"{tk.api}/Document", params=query).json()
    link = first["@odata.nextLink"]
    assert len(first["value"]) == 250 and link.endswith("&$skip=250")
    # the same re-encoding as the recorded links: quotes, slashes, semicolons and = escaped, $ kept
    assert "$filter=Soort%20eq%20%27Brief%20regering%27" in link
    assert "$format=application%2Fjson%3Bodata.metadata%3Dminimal" in link
    second = httpx.get(link).json()
    assert len(second["value"]) == 10 and "@odata.nextLink" not in second
    topped = httpx.get(f"{tk.api}/Document", params={"$filter": "Verwijderd eq false", "$top": "5"}).json()
    assert len(topped["value"]) == 5 and "@odata.nextLink" not in topped  # as one client reports


def test_real_stamps_and_feed_links_parse():
    stamps = RECORDED["stamps"]
    changed, visible = parse_stamp(stamps["GewijzigdOp"]), parse_stamp(stamps["ApiGewijzigdOp"])
    assert timedelta(hours=15) < visible - changed < timedelta(hours=16)
    assert _token(RECORDED["syncfeed"]["entry_next"]) == 20127222
    assert _token(RECORDED["syncfeed"]["feed_next"]) == 11902974
