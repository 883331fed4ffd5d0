"""``tk:`` sources against a replayed Tweede Kamer OData API (tests/tkapi.py) on a local server."""

from __future__ import annotations

import json

import pytest

from docaudit.store import Store
from docaudit.testing.repo import fixture_bytes
from docaudit.testing.tkapi import FakeTK

V1 = fixture_bytes("2024D46963.docx")
V2 = fixture_bytes("diffset/2024D46963_edited.docx")
ANTWOORDEN = fixture_bytes("2023Z08511.pdf")
DEENS = fixture_bytes("kamerbrief-deens-voorstel.pdf")
NOTA = fixture_bytes("nota-onderbouwing-standpunt.docx")
ONDERWERP = "Ontwikkelingen CSAM-Verordening en de uitvoering van de motie-Kathmann c.s."


@pytest.fixture
def tk(server):
    return FakeTK(server, page_size=2)


@pytest.fixture
def da(da, tk, monkeypatch):
    """The CLI fixture of conftest, pointed at the replayed API."""
    monkeypatch.setenv("DOCAUDIT_TK_API", tk.api)
    return da


def resource_hits(tk: FakeTK) -> int:
    return sum(1 for r in tk.server.requests if r.path.endswith("/resource"))


def test_one_document_each_new_versie_is_a_version(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    da("track", "tk:2024D46963")
    r = da("run")
    assert r.exit_code == 0 and "2024D46963: new, stored as 2024D46963@1" in r.output
    first = tk.server.hits("/OData/v4/2.0/Document")[0].query["$filter"][0]
    assert first == "(DocumentNummer eq '2024D46963') and Verwijderd eq false"

    r = da("run")  # nothing changed in the API: one listing request, no download
    assert "1 unchanged" in r.output and resource_hits(tk) == 1
    last = tk.server.hits("/OData/v4/2.0/Document")[-1].query["$filter"][0]
    assert last.startswith("(DocumentNummer eq '2024D46963') and GewijzigdOp gt 2024-11-29T10:07:00.0012340+01:00")

    record = tk.revise("2024D46963", V2, fmt="docx")
    r = da("run", "--exit-code")
    assert r.exit_code == 1 and "changed, 2024D46963@1 → 2024D46963@2" in r.output
    with Store(tmp_path / "audit.db") as store:
        v1, v2 = store.versions("2024D46963")
        assert store.document_title("2024D46963") == ONDERWERP
    assert (v1.meta["tk_versie"], v2.meta["tk_versie"]) == (1, 2)
    assert v2.meta["tk_gewijzigd_op"] == record["GewijzigdOp"] and v2.meta["tk_id"] == record["Id"]
    assert v2.meta["tk_soort"] == "Brief regering" and v2.meta["tk_dossiers"] == ["32317"]
    assert v2.filename == "2024D46963.docx" and v2.letter_date == "2024-11-29"


def test_a_record_change_without_a_new_file_stores_nothing(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    da("track", "tk:2024D46963")
    da("run")
    tk.touch("2024D46963")
    r = da("run", "--exit-code")
    assert r.exit_code == 0 and "1 unchanged" in r.output
    assert resource_hits(tk) == 2  # downloaded again (new GewijzigdOp), but the text is the same


def test_dossier_pages_through_next_links_and_picks_up_new_documents(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    tk.publish("2023D20001", ANTWOORDEN, fmt="pdf", onderwerp="Antwoorden Kamervragen", datum="2023-08-22")
    tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03")
    tk.publish("2023D10000", NOTA, fmt="docx", onderwerp="Nota", datum="2023-05-01", dossier=99999)
    da("track", "tk:dossier/32317", "--since", "2024-01-01")
    r = da("run")
    assert r.exit_code == 0, r.output
    assert "2 new" in r.output  # the 2023 letter is before --since; the nota is another dossier
    listings = tk.server.hits("/OData/v4/2.0/Document")
    assert len(listings) == 1  # two matches fit one page of 2
    with Store(tmp_path / "audit.db") as store:
        assert sorted(d.id for d in store.documents()) == ["2024D46963", "2025D01234"]

    for n in range(3):  # three more letters: needs two pages
        tk.publish(
            f"2025D0500{n}",
            V1 if n == 0 else DEENS,
            fmt="docx" if n == 0 else "pdf",
            onderwerp=f"Brief {n}",
            datum="2025-03-01",
        )
    before = len(tk.server.hits("/OData/v4/2.0/Document"))
    r = da("run")
    assert "3 new" in r.output, r.output
    pages = tk.server.hits("/OData/v4/2.0/Document")[before:]
    assert len(pages) == 2 and pages[1].query["$skip"] == ["2"]
    source = json.loads(da("sources", "--json").stdout)[0]
    assert source["status"] == "changed" and source["kind"] == "tk-dossier"


def test_deleted_record_is_withdrawn_and_history_kept(da, tk, tmp_path):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    da("track", "tk:dossier/32317")
    da("run")
    tk.delete("2024D46963")
    r = da("run", "--exit-code")
    assert r.exit_code == 1 and "2024D46963: withdrawn (Verwijderd in the API" in r.output
    with Store(tmp_path / "audit.db") as store:
        assert len(store.versions("2024D46963")) == 1


def test_unknown_document_number_fails_clearly(da, tk):
    da("track", "tk:2024D99999")
    r = da("run")
    assert r.exit_code == 3 and "the API has no document 2024D99999" in r.output


def test_query_source_and_a_filter_the_api_rejects(da, tk):
    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    tk.publish(
        "2023D20001",
        ANTWOORDEN,
        fmt="pdf",
        onderwerp="Antwoorden",
        datum="2023-08-22",
        soort="Antwoord schriftelijke vragen",
    )
    da("track", "tk:query/Soort eq 'Antwoord schriftelijke vragen'", "--doc", "antwoorden")
    da("track", "tk:query/Titel has 'x'", "--doc", "bad")
    r = da("run", "--json")
    by_source = {}
    for line in r.stdout.splitlines():
        o = json.loads(line)
        by_source.setdefault(o["source"], []).append(o)
    assert [(o["doc"], o["outcome"]) for o in by_source["antwoorden"]] == [("2023D20001", "new")]
    assert by_source["bad"][0]["outcome"] == "failed" and "HTTP 400" in by_source["bad"][0]["error"]
    assert r.exit_code == 2


def test_a_failed_download_is_asked_again_next_run(da, tk, tmp_path):
    from docaudit.testing.localserver import Reply

    tk.publish("2024D46963", V1, fmt="docx", onderwerp=ONDERWERP, datum="2024-11-29")
    rec = tk.publish("2025D01234", DEENS, fmt="pdf", onderwerp="Deens voorstel", datum="2025-02-03")
    tk.server.route(f"/OData/v4/2.0/Document({rec['Id']})/resource", Reply(status=500))
    da("track", "tk:dossier/32317")
    r = da("run")
    assert r.exit_code == 2 and "1 new, 1 failed" in r.output
    tk.server.route(f"/OData/v4/2.0/Document({rec['Id']})/resource", Reply(body=DEENS))
    r = da("run")
    assert r.exit_code == 0 and "1 new" in r.output and "2025D01234" in r.output
