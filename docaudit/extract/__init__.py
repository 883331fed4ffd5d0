"""Text extraction: bytes in, :class:`Extraction` out. One module per format."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EmptyDocument, ExtractionError
from ..sniff import sniff


@dataclass
class Extraction:
    """What an extractor read from a document.

    ``text`` is the reading text: body paragraphs in reading order separated by blank lines, then the
    footnotes. Page furniture (headers, footers, the letterhead margin) is kept apart, never mixed in.
    """

    text: str
    format: str
    extractor: str
    extractor_version: str
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    margin: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    title: str | None = None
    encoding: str | None = None

    @property
    def context(self) -> str:
        """All text including the margin and headers, for finding metadata such as the date."""
        return "\n\n".join(["\n".join(self.margin), "\n".join(self.headers), self.text])


_MODULES = {"docx": "docx", "pdf": "pdf", "html": "html", "text": "text"}


def extract(data: bytes, fmt: str | None = None) -> Extraction:
    """Extract the text of a document given as bytes. The format is sniffed unless ``fmt`` is given."""
    fmt = fmt or sniff(data)
    module = importlib.import_module(f".{_MODULES[fmt]}", __name__)
    try:
        result: Extraction = module.extract(data)
    except ExtractionError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ExtractionError(f"cannot read {fmt}: {type(exc).__name__}") from None
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything on broken input
        raise ExtractionError(f"corrupt {fmt} ({type(exc).__name__}: {exc})".strip()) from None
    if not result.text.strip():
        hint = " (a scanned PDF without a text layer? OCR it first)" if fmt == "pdf" else ""
        raise EmptyDocument(f"no text found in the {fmt}{hint}")
    return result


def extract_file(path: str | os.PathLike[str], fmt: str | None = None) -> Extraction:
    """Extract the text of a document file (format sniffed from its bytes unless ``fmt`` is given)."""
    return extract(Path(path).read_bytes(), fmt)
