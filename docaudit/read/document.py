"""Reading a document: a file's bytes under a size bound, then text out of them under the limits.

The one road from untrusted bytes to a :class:`~docaudit.read.prepare.Prepared` (extraction, normalized
text, metadata found): in a limited worker process, or here for plain text and Markdown, whose bounds can be
checked without one. ``docaudit add``, ``run``, ``import`` and ``diff FILE`` all read through it, so a file
gives the same text whichever command reads it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocauditError, ExtractionError, FileTooLarge
from ..text.formatting import human_size
from ..values import sha256
from .limits import DEFAULT_MAX_SIZE, Limits
from .prepare import Prepared, prepare_here


def prepare(data: bytes, limits: Limits | None = None, *, text_here: bool = True) -> Prepared:
    """Extract and normalize untrusted document bytes under ``limits`` (by default those of the environment,
    :meth:`Limits.from_env`): in a child process with memory, CPU and time limits unless
    ``limits.isolate`` is false. Plain text within bounds is read here (no worker to start) unless
    ``text_here`` is false: a bulk import keeps its workers busy, and this process's one core for storing.
    What the format check refuses (an empty file, an unsupported format, a broken zip) is refused here, before
    any worker (a worker that answered with an error is replaced, at the cost of starting another).
    Raises an ExtractionError for unreadable or oversized input."""
    from ..read.sniff import sniff

    limits = limits or Limits.from_env()
    # a file of up to 16 MB is sniffed here (magic bytes, a zip's directory, the first 64 KB); text of that
    # size expands to nothing, its bounds (the characters limit) are checked here and no worker is needed
    small = len(data) <= min(limits.characters * 4, 16 * 1024 * 1024)
    fmt = sniff(data) if small else None
    if limits.isolate and not (text_here and fmt == "text"):
        from ..read.isolation import prepare_isolated

        return prepare_isolated(data, limits)
    try:
        return prepare_here(data, limits, fmt)
    except MemoryError:
        raise ExtractionError("ran out of memory reading the document (it expands too far)") from None


def read_document(path: str | os.PathLike[str], max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """The bytes of a regular file, refused past ``max_size`` (devices, FIFOs and folders are refused too:
    their reported size says nothing about what a read would bring)."""
    p = Path(path)
    try:
        info = p.stat()
    except OSError as exc:
        raise DocauditError(f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocauditError("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise DocauditError("not a regular file (a device, FIFO or socket): give a document file")
    if info.st_size > max_size:
        raise FileTooLarge(f"file is {human_size(info.st_size)}, over the {human_size(max_size)} limit (--max-size)")
    try:
        with p.open("rb") as fh:
            data = fh.read(max_size + 1)
    except OSError as exc:
        raise DocauditError(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > max_size:  # grew while we read it
        raise FileTooLarge(f"file is over the {human_size(max_size)} limit (--max-size)")
    return data


@dataclass
class ReadFile:
    """A document file read for comparison, not stored: its bytes' sha256 and what :func:`prepare` made."""

    sha256: str
    prepared: Prepared

    @property
    def letter_date(self) -> str | None:
        found = self.prepared.found.get("date")
        return str(found) if found else None


def read_file(path: str | os.PathLike[str], max_size: int = DEFAULT_MAX_SIZE, limits: Limits | None = None) -> ReadFile:
    """Read and prepare a document file without storing it (``docaudit diff FILE``), under ``limits``."""
    try:
        data = read_document(path, max_size)
        return ReadFile(sha256(data), prepare(data, limits))
    except DocauditError as exc:
        raise type(exc)(f"{path}: {exc}") from None
