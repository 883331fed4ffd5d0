"""Text extraction: bytes in, :class:`Extraction` out. One module per format."""

from __future__ import annotations

import importlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import EmptyDocument, ExtractionError
from ..limits import Limits, how_to_raise
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
MISSING_PDFIUM = (
    "the pdfium engine needs pypdfium2: pip install 'docaudit[pdfium]' (or use the default engine, pdfminer)"
)


def engine_installed(engine: str) -> bool:
    """Whether ``engine`` can read PDFs here: pdfminer.six always, pdfium when pypdfium2 is installed (found without
    importing it)."""
    if engine != "pdfium":
        return True
    import importlib.util

    try:
        return importlib.util.find_spec("pypdfium2") is not None
    except (ImportError, ValueError):  # ValueError: a module set to None in sys.modules
        return False


def require_engine(engine: str) -> None:
    """Raise an ExtractionError that says how to install it when ``engine`` cannot run here (a command checks this
    once, before it reads any file)."""
    if not engine_installed(engine):
        raise ExtractionError(MISSING_PDFIUM)


def extract(data: bytes, fmt: str | None = None, *, limits: Limits | None = None) -> Extraction:
    """Extract the text of a document given as bytes. The format is sniffed unless ``fmt`` is given.

    ``limits`` bound what the document may expand to (see :mod:`docaudit.read.limits`; the defaults unless given):
    a .docx's declared inflated size is checked before anything is inflated, an HTML page's size before it
    is parsed, and the extracted text's length after; ``limits.pdf_engine`` says what reads a PDF (pdfminer.six,
    or PDFium with the ``[pdfium]`` extra: :mod:`.pdfium`)."""
    limits = limits or Limits()
    fmt = fmt or sniff(data)
    check_expansion(data, fmt, limits)
    name = "pdfium" if fmt == "pdf" and limits.pdf_engine == "pdfium" else _MODULES[fmt]
    module = importlib.import_module(f".{name}", __name__)
    try:
        result: Extraction = module.extract(data)
    except ExtractionError:
        raise
    except MemoryError:
        raise  # the caller knows which memory limit it was (docaudit.read.isolation, docaudit.read.document.prepare)
    except RecursionError:
        raise ExtractionError(f"cannot read the {fmt}: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything on broken input
        raise ExtractionError(f"corrupt {fmt} ({type(exc).__name__}: {exc})".strip()) from None
    if not result.text.strip():
        hint = " (a scanned PDF without a text layer? OCR it first)" if fmt == "pdf" else ""
        raise EmptyDocument(f"no text found in the {fmt}{hint}")
    if len(result.text) > limits.characters:
        raise ExtractionError(
            f"the {fmt} expands to {len(result.text):,} characters, over the {limits.characters:,} limit; "
            + how_to_raise("characters")
        )
    return result


def check_expansion(data: bytes, fmt: str, limits: Limits) -> None:
    """Refuse, before parsing, a .docx whose parts would inflate past ``limits.expanded`` (the zip directory
    declares each part's size, and the zip reader never inflates a part past it) or an HTML page over
    ``limits.html``."""
    if fmt == "docx":
        import zipfile  # only for a .docx (3 ms of an everyday `diff a.txt b.txt`)

        try:
            parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise ExtractionError(f"corrupt or truncated .docx (broken zip archive: {exc})") from None
        text = sum(p.file_size for p in parts if p.filename.lower().endswith((".xml", ".rels")))
        everything = sum(p.file_size for p in parts)
        for size, limit, what in ((text, limits.expanded, "its text"), (everything, 4 * limits.expanded, "it")):
            if size > limit:
                raise ExtractionError(
                    f"the .docx would inflate to {size // (1024 * 1024):,} MB, over the {limit // (1024 * 1024):,} MB "
                    f"limit on what {what} may expand to; {how_to_raise('expanded')}"
                )
    elif fmt == "html" and len(data) > limits.html:
        raise ExtractionError(
            f"the HTML page is {len(data) // (1024 * 1024):,} MB, over the {limits.html // (1024 * 1024):,} MB "
            f"limit; {how_to_raise('html')}"
        )


def extract_file(path: str | os.PathLike[str], fmt: str | None = None) -> Extraction:
    """Extract the text of a document file (format sniffed from its bytes unless ``fmt`` is given)."""
    return extract(Path(path).read_bytes(), fmt)
