"""Bad input: a clear one-line reason, never a traceback, nothing stored."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from docaudit.errors import EmptyDocument, ExtractionError, FileTooLarge, UnsupportedFormat
from docaudit.ingest import add_file
from docaudit.read.extract import extract
from docaudit.read.sniff import sniff
from docaudit.testing.repo import fixture_bytes


def test_sniff_uses_bytes_not_names():
    assert sniff(fixture_bytes("2024D46963.docx")) == "docx"
    assert sniff(fixture_bytes("2024D46963.pdf")) == "pdf"
    assert sniff(fixture_bytes("2024D46963.html")) == "html"
    assert sniff(b"\xef\xbb\xbfGewone tekst.") == "text"
    assert sniff(b"\n\n  <!DOCTYPE html><p>x</p>") == "html"


def truncated_docx() -> bytes:
    data = fixture_bytes("2024D46963.docx")
    return data[: len(data) // 2]


def docx_without_document_xml() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def docx_with_broken_xml() -> bytes:
    src = zipfile.ZipFile(io.BytesIO(fixture_bytes("2024D46963.docx")))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 3]
            z.writestr(item, data)
    return buf.getvalue()


def broken_pdf() -> bytes:
    data = fixture_bytes("2024D46963.pdf")
    return data[:2000]


CASES = [
    ("empty", b"", EmptyDocument, "empty file"),
    ("whitespace", b"  \n\t\n", EmptyDocument, "empty file"),
    ("truncated docx", truncated_docx(), ExtractionError, "corrupt or truncated .docx"),
    ("xlsx", docx_without_document_xml(), UnsupportedFormat, "Excel workbook"),
    ("docx with broken XML", docx_with_broken_xml(), ExtractionError, "corrupt docx"),
    ("encrypted pdf", fixture_bytes("encrypted.pdf"), ExtractionError, "encrypted PDF"),
    ("truncated pdf", broken_pdf(), ExtractionError, "pdf"),
    ("binary garbage", random.Random(7).randbytes(5000), UnsupportedFormat, "binary data"),
    ("legacy .doc / encrypted office", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, UnsupportedFormat, "OLE2"),
    ("png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, UnsupportedFormat, "PNG image"),
    ("html without text", b"<html><body><script>x()</script></body></html>", EmptyDocument, "no text"),
]


@pytest.mark.parametrize(("label", "data", "error", "reason"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_clear_error(label, data, error, reason):
    with pytest.raises(error) as info:
        extract(data)
    message = str(info.value)
    assert reason in message
    assert "\n" not in message and len(message) < 300


def test_pdf_without_text_layer_says_so(tmp_path):
    # a valid one-page PDF with no text objects, as a scanner would produce without OCR
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
        b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
    )
    with pytest.raises(EmptyDocument, match="scanned PDF"):
        extract(pdf)


def test_too_large_file_is_refused_before_reading(tmp_path, store):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(2 * 1024 * 1024)  # sparse: 2 MB that cost nothing to make
    store.max_size = 1024 * 1024
    with pytest.raises(FileTooLarge, match="file is 2.0 MB, over the 1.0 MB limit"):
        add_file(store, big, "groot")
    assert store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
