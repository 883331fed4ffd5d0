"""Content-addressed storage of raw bytes: ``snapshots/ab/abcdef….pdf``.

A file is written to a temporary name in the same folder, flushed to disk and renamed into place, so a
snapshot path either does not exist or holds the complete bytes. The database row that points to it is
committed only after the rename (in a :meth:`Snapshots.batch`, after every file of the batch is flushed and
renamed and their folders flushed).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..values import sha256


class Snapshots:
    """A folder of raw document bytes addressed by their sha256."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._pending: list[tuple[Path, Path]] | None = None  # (temporary, target) in a batch

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Write many snapshots with one flush to disk for all of them, when the block ends: each is written
        to a temporary name first, and only when the block ends are they flushed, renamed into place and their
        folders flushed (one journal commit instead of one a file). End the block before the rows that name
        them commit; a block left by an error leaves none of its files behind."""
        if self._pending is not None:  # already in a batch: the outer one finishes them
            yield
            return
        self._pending = []
        try:
            yield
        except BaseException:
            pending, self._pending = self._pending, None
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)
            raise
        pending, self._pending = self._pending, None
        try:
            for tmp, _ in pending:
                _fsync_file(tmp)
            for tmp, target in pending:
                os.replace(tmp, target)
            for folder in sorted({target.parent for _, target in pending}):
                _fsync_dir(folder)
        except OSError as exc:
            for tmp, _ in pending:
                tmp.unlink(missing_ok=True)
            from ..errors import StoreError

            raise StoreError(f"cannot write the snapshots to {self.root}: {exc.strerror or exc}") from None

    def relpath(self, digest: str, ext: str) -> str:
        """Path relative to the root, as stored in the database (always with forward slashes)."""
        return f"{digest[:2]}/{digest}{ext}"

    def path(self, relpath: str) -> Path:
        return self.root / relpath

    def write(self, data: bytes, ext: str) -> str:
        """Store bytes (atomically, once) and return their relative path."""
        digest = sha256(data)
        rel = self.relpath(digest, ext)
        target = self.path(rel)
        if target.exists() and target.stat().st_size == len(data):
            return rel
        try:
            if self._pending is not None:
                self._pending.append((_write_temporary(target, data), target))
            else:
                atomic_write(target, data)
        except OSError as exc:
            from ..errors import StoreError

            raise StoreError(f"cannot write the snapshot to {self.root}: {exc.strerror or exc}") from None
        return rel

    def read(self, relpath: str, expected_sha256: str | None = None) -> bytes:
        """A snapshot's bytes; with ``expected_sha256``, refused (StoreError) unless they still hash to it."""
        from ..errors import StoreError

        try:
            data = self.path(relpath).read_bytes()
        except FileNotFoundError:
            raise StoreError(f"snapshot {relpath} is missing (docaudit verify lists what else is)") from None
        except OSError as exc:
            raise StoreError(f"cannot read snapshot {relpath}: {exc.strerror or exc}") from None
        if expected_sha256 is not None and sha256(data) != expected_sha256:
            raise StoreError(
                f"snapshot {relpath} was altered: its bytes no longer match their sha256 (see docaudit verify)"
            )
        return data

    def hash_file(self, relpath: str) -> str | None:
        """sha256 of a stored file, or None when it is missing."""
        h = hashlib.sha256()
        try:
            with open(self.path(relpath), "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        except FileNotFoundError:
            return None
        return h.hexdigest()

    def all_files(self) -> set[str]:
        """Relative paths of every stored snapshot (temporary files excluded)."""
        if not self.root.exists():
            return set()
        return {
            p.relative_to(self.root).as_posix()
            for p in self.root.glob("??/*")
            if p.is_file() and not p.name.startswith(".tmp-")
        }


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file (mkstemp's own 0600 would hide it)


def atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target``, flush it to disk, rename it into place: a reader
    sees the old file or the whole new one, never half of it. The file gets the usual permissions
    (0666 less the umask), so a web server can serve a report or a feed written this way."""
    tmp = _write_temporary(target, data, flush=True)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _write_temporary(target: Path, data: bytes, *, flush: bool = False) -> Path:
    """``data`` in a new temporary file beside ``target`` (flushed to disk with ``flush``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        if hasattr(os, "fchmod"):  # POSIX
            os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if flush:
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
