"""Recognise a document's format from its bytes, not its name."""

from __future__ import annotations

import io
import re

from ..errors import EmptyDocument, ExtractionError, UnsupportedFormat

FORMATS = ("docx", "pdf", "html", "text")
EXTENSIONS = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "text": ".txt"}

_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|main|table|br)[\s/>]", re.I)
_MAGIC = [
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an encrypted Office document or a legacy .doc (OLE2); save it as .docx",
    ),
    (b"{\\rtf", "RTF; save it as .docx or PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
]


def sniff(data: bytes) -> str:
    """Return "docx", "pdf", "html" or "text"; raise an ExtractionError subclass explaining why not."""
    if not data or not data.strip():
        raise EmptyDocument("empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _sniff_zip(data)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormat(f"unsupported format: {what}")
    if _HTML.search(data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")):
        return "html"
    if _looks_binary(data[:65536]):
        raise UnsupportedFormat("binary data, not a document docaudit can read")
    return "text"


def _sniff_zip(data: bytes) -> str:
    import zipfile  # only for a zip archive (zipfile and shutil: 4 ms of an everyday `diff a.txt b.txt`)

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ExtractionError(f"corrupt or truncated .docx (broken zip archive: {exc})") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise UnsupportedFormat("unsupported format: an Excel workbook (.xlsx)")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat("unsupported format: a PowerPoint presentation (.pptx)")
    if "content.xml" in names:
        raise UnsupportedFormat("unsupported format: an OpenDocument file; save it as .docx or PDF")
    raise UnsupportedFormat("unsupported format: a zip archive without word/document.xml")


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        # UTF-16 text has NULs too; it is decoded by the text extractor when it has a BOM.
        return not sample.startswith((b"\xff\xfe", b"\xfe\xff"))
    control = len(sample.translate(None, _NOT_CONTROL))  # what is left: the control bytes (in C, not a loop)
    return control > max(8, len(sample) // 100)


_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13))
