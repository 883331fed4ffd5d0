"""Plain text and Markdown: kept as they are, decoded from UTF-8, UTF-16, cp1252 or latin-1."""

from __future__ import annotations

import re

from ...text.normalize import clean
from . import Extraction

VERSION = "1"


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or UTF-16 with BOM, else cp1252, else latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _could_be_title(line: str) -> bool:
    """A line that can name the letter: not blank, not a site's menu or stamp line ("[overzicht] [activiteiten]",
    "Nummer: …, bijgewerkt: …"), not a letterhead, address or date line."""
    from ...text.letterparts import FRAME, kind

    line = line.strip()
    if not line or re.fullmatch(r"(?:\[[^\]]*\]\s*)+", line):
        return False
    return kind(line) not in FRAME


def extract(data: bytes) -> Extraction:
    text, encoding = decode(data)
    title = next((ln.strip("#* ").strip() for ln in text.splitlines() if _could_be_title(ln)), None)
    return Extraction(
        text=clean(text).strip("\n"),
        format="text",
        extractor="text",
        extractor_version=f"docaudit-text/{VERSION}",
        title=title[:200] if title else None,
        encoding=encoding,
    )
