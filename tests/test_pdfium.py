"""The optional PDFium engine (``--pdf-engine pdfium``, ``[run] pdf_engine``): the same words as pdfminer.six on
every PDF fixture, chosen by flag, file and environment, refused clearly when it cannot run."""

from __future__ import annotations

import difflib
import json
import sys

import pytest

from docaudit.read.extract import engine_installed, extract
from docaudit.read.extract import pdf as pdfminer_engine
from docaudit.read.limits import LimitError, Limits
from docaudit.store.database import Store
from docaudit.testing.localserver import Reply
from docaudit.testing.repo import FIXTURES, fixture_bytes
from docaudit.text.metadata import find_metadata

pytest.importorskip("pypdfium2", reason="pip install 'docaudit[pdfium]' (.ci/run installs it)")


PDFS = sorted(
    p.relative_to(FIXTURES).as_posix()
    for folder in (FIXTURES, FIXTURES / "diffset", FIXTURES / "commitments")
    for p in folder.glob("*.pdf")
    if p.name != "encrypted.pdf"
)
PDFIUM = Limits(pdf_engine="pdfium", isolate=False)


def test_there_are_pdf_fixtures_to_compare():
    assert len(PDFS) >= 19


@pytest.mark.parametrize("name", PDFS)
def test_pdfium_gives_pdfminers_words_and_parts(name):
    data = fixture_bytes(name)
    ours, theirs = pdfminer_engine.extract(data), extract(data, "pdf", limits=PDFIUM)
    assert theirs.extractor == "pdfium" and theirs.extractor_version.startswith("docaudit-pdfium/")
    a, b = ours.text.split(), theirs.text.split()
    same = sum(m.size for m in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    assert same >= 0.99 * len(a), f"{name}: {len(a) - same} of {len(a)} words differ"
    # the parts kept apart, and what is read from them, come out the same too
    assert (theirs.headers, theirs.footers, theirs.margin, theirs.footnotes) == (
        ours.headers,
        ours.footers,
        ours.margin,
        ours.footnotes,
    )
    assert find_metadata(theirs.context) == find_metadata(ours.context)


def test_line_end_hyphen_and_superscript_footnote_marks_join_their_line():
    text = extract(fixture_bytes("2023Z08511.pdf"), limits=PDFIUM).text
    assert "dreigen VK te verlaten vanwege breken encryptie" in text  # "van-" + "wege" across a line end
    assert "te verspreiden.1" in text  # the raised "1" is part of the line, as pdfminer.six reads it
    assert "AG Connect'," in text  # a comma after a raised quote stays on its line


def test_footnotes_of_one_form_on_two_pages_are_not_page_furniture():
    for limits in (PDFIUM, Limits(isolate=False)):
        got = extract(fixture_bytes("2024D46963.pdf"), limits=limits)
        assert got.footnotes[:3] == [
            "1 Kamerstuk 32 317, nr. 891.",
            "2 Kamerstuk 34 843, nr. 113.",
            "3 Kamerstuk 26 643, nr. 1022.",
        ]
        assert all("pagina" in line for line in got.footers)


def test_encrypted_and_broken_pdfs_get_clear_errors():
    from docaudit.errors import ExtractionError

    with pytest.raises(ExtractionError, match="encrypted PDF: a password is needed"):
        extract(fixture_bytes("encrypted.pdf"), limits=PDFIUM)
    with pytest.raises(ExtractionError, match=r"corrupt pdf \(PdfiumError"):
        extract(fixture_bytes("2023Z08511.pdf")[:3000], "pdf", limits=PDFIUM)


def test_add_stores_the_engine_and_verify_reads_each_version_again_with_it(da, tmp_path):
    r = da("add", str(FIXTURES / "2023Z08511.pdf"), "--doc", "X", "--pdf-engine", "pdfium")
    assert r.exit_code == 0, r.output
    r = da("add", str(FIXTURES / "diffset" / "2023Z08511_edited.pdf"), "--doc", "X")  # the default: pdfminer.six
    assert r.exit_code == 0, r.output
    with Store(tmp_path / "audit.db") as store:
        assert [v.extractor for v in store.versions("X")] == ["pdfium", "pdfminer.six"]
    r = da("verify", "--format", "json")
    report = json.loads(r.output)
    assert r.exit_code == 0 and report["reextracted"] == 2 and not report["other_extractor"], r.output


def test_a_stored_text_changed_behind_pdfiums_back_is_found(da, tmp_path):
    da("add", str(FIXTURES / "2023Z08511.pdf"), "--doc", "X", "--pdf-engine", "pdfium")
    import sqlite3

    from docaudit.values import sha256

    forged = "Ik zal niets doen."
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        conn.execute("UPDATE versions SET text_sha256 = ? WHERE doc_id = 'X'", (sha256(forged.encode()),))
    r = da("verify", "--format", "json")
    assert r.exit_code != 0 and "X@1" in json.loads(r.output)["not_from_snapshot"]


def test_the_engine_comes_from_docaudit_toml_and_the_flag_wins(da, tmp_path):
    (tmp_path / "docaudit.toml").write_text('[run]\npdf_engine = "pdfium"\n', encoding="utf-8")
    da("add", str(FIXTURES / "2023Z08511.pdf"), "--doc", "A")
    da("add", str(FIXTURES / "2024D46963.pdf"), "--doc", "B", "--pdf-engine", "pdfminer")
    with Store(tmp_path / "audit.db") as store:
        assert store.latest("A").extractor == "pdfium" and store.latest("B").extractor == "pdfminer.six"


def test_run_reads_fetched_pdfs_with_the_configured_engine(da, server, tmp_path):
    server.route("/p.pdf", Reply(body=fixture_bytes("2023Z08511.pdf"), content_type="application/pdf"))
    da("track", server.url("/p.pdf"))
    (tmp_path / "docaudit.toml").write_text('[run]\npdf_engine = "pdfium"\n', encoding="utf-8")
    r = da("run")
    assert r.exit_code == 0, r.output
    server.route("/q.pdf", Reply(body=fixture_bytes("2024D46963.pdf"), content_type="application/pdf"))
    da("track", server.url("/q.pdf"))
    r = da("run", "--pdf-engine", "pdfminer", "--only", "q")
    assert r.exit_code == 0, r.output
    with Store(tmp_path / "audit.db") as store:
        assert store.latest("p").extractor == "pdfium" and store.latest("q").extractor == "pdfminer.six"


def test_import_takes_the_engine_too(da, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(fixture_bytes("2023Z08511.pdf"))
    r = da("import", str(folder), "--pdf-engine", "pdfium", "--format", "json")
    assert r.exit_code == 0, r.output
    with Store(tmp_path / "audit.db") as store:
        assert store.latest("a").extractor == "pdfium"


def test_diff_with_either_engine_finds_the_same_changes(da):
    old, new = str(FIXTURES / "diffset" / "2023Z08511_layout.pdf"), str(FIXTURES / "diffset" / "2023Z08511_edited.pdf")
    kinds = []
    for engine in ("pdfminer", "pdfium"):
        r = da("diff", old, new, "--format", "json", "--pdf-engine", engine)
        assert r.exit_code == 1, r.output
        kinds.append([(c["kind"], c["old_text"], c["new_text"]) for c in json.loads(r.output)["changes"]])
    assert kinds[0] == kinds[1] and kinds[0]


def test_a_wrong_engine_is_refused_alike_by_flag_file_and_environment(da, tmp_path):
    r = da("add", str(FIXTURES / "2023Z08511.pdf"), "--doc", "X", "--pdf-engine", "mupdf")
    assert r.exit_code == 2 and "'mupdf' is not one of pdfminer, pdfium" in r.output
    with pytest.raises(LimitError, match="DOCAUDIT_PDF_ENGINE: 'mupdf' is not one of pdfminer, pdfium"):
        Limits.from_env({"DOCAUDIT_PDF_ENGINE": "mupdf"})
    assert Limits.from_env({"DOCAUDIT_PDF_ENGINE": "pdfium"}).pdf_engine == "pdfium"
    (tmp_path / "docaudit.toml").write_text('[run]\npdf_engine = "mupdf"\n', encoding="utf-8")
    r = da("add", str(FIXTURES / "2023Z08511.pdf"), "--doc", "X")
    assert r.exit_code == 2 and "[run] pdf_engine: 'mupdf' is not one of pdfminer, pdfium" in r.output
    r = da("run")  # run: nothing could be checked
    assert r.exit_code == 3 and "[run] pdf_engine: 'mupdf' is not one of pdfminer, pdfium" in r.output


def test_without_pypdfium2_the_engine_is_refused_before_any_file_is_read(da, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # as if the [pdfium] extra were not installed
    assert not engine_installed("pdfium")
    r = da("add", str(FIXTURES / "2023Z08511.pdf"), "--doc", "X", "--pdf-engine", "pdfium")
    assert r.exit_code == 2 and "pip install 'docaudit[pdfium]'" in r.output
    assert not (tmp_path / "audit.db").exists()
    r = da("run", "--pdf-engine", "pdfium", "--allow-empty")
    assert r.exit_code == 3 and "pip install 'docaudit[pdfium]'" in r.output
    from docaudit.errors import ExtractionError

    with pytest.raises(ExtractionError, match=r"pip install 'docaudit\[pdfium\]'"):
        extract(fixture_bytes("2023Z08511.pdf"), limits=PDFIUM)


def pdf_bomb(megabytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB of text operators (it zips to ~1/300)."""
    import zlib

    ops = b"BT /F1 10 Tf 72 700 Td (Het kabinet zal de Kamer informeren.) Tj ET\n"
    content = zlib.compress(ops * (megabytes * 1024 * 1024 // len(ops)), 6)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def test_pdfium_reads_in_the_limited_worker_and_a_pdf_bomb_is_stopped_there():
    from docaudit.errors import ExtractionError
    from docaudit.ingest import prepare

    mb = 1024 * 1024
    assert prepare(pdf_bomb(1), Limits(pdf_engine="pdfium")).extraction.extractor == "pdfium"
    with pytest.raises(ExtractionError, match=r"out of memory at 200 MB.*\[limits\] memory"):
        prepare(pdf_bomb(400), Limits(pdf_engine="pdfium", memory=200 * mb))
    # the worker is replaced and the next document is read
    assert prepare(fixture_bytes("2023Z08511.pdf"), Limits(pdf_engine="pdfium")).extraction.text
