"""The report's output folder: every file written atomically and only when its bytes changed.

A manifest (``.docaudit-report.json``) remembers the files the report wrote, and for each page it
rendered a key of its inputs and what the builder chose to keep with it (a diff page: the diff's
summary), so the next run skips pages that are up to date and removes pages that are no longer produced
(only files it wrote itself). A lock keeps two reports from writing one folder at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..errors import DocauditError
from ..store.snapshots import FILE_MODE, atomic_write

MANIFEST = ".docaudit-report.json"
PERMANENT = ("docs/", "snapshots/")  # what a store never deletes: kept when it vanishes, unless --force
LOCK = ".docaudit-report.lock"
FORMAT = 2


class Site:
    """Writes into ``root``; use as a context manager (takes the folder's lock, saves the manifest)."""

    def __init__(self, root: str | os.PathLike[str], *, force: bool = False) -> None:
        self.root = Path(root)
        self.force = force
        self.files: set[str] = set()
        self.pages: dict[str, dict[str, Any]] = {}  # page → {"key": its inputs' key, "data": kept with it}
        self.previous: dict[str, Any] = {"files": [], "pages": {}}
        self.written = self.unchanged = self.copied = self.removed = 0
        self.kept: list[str] = []  # pages of documents no longer in the store, kept (see _finish)
        self.state: dict[str, Any] = {}  # what the builder keeps about the whole site (its inputs' key, counts)
        self._lock = None

    def __enter__(self) -> Site:
        from filelock import FileLock, Timeout

        if self.root.exists() and not self.root.is_dir():
            raise DocauditError(f"{self.root} exists and is not a folder")
        self.root.mkdir(parents=True, exist_ok=True)
        manifest = self.root / MANIFEST
        others = [p.name for p in self.root.iterdir() if p.name not in (MANIFEST, LOCK)]
        if others and not manifest.exists() and not self.force:
            raise DocauditError(
                f"{self.root} is not empty and holds no docaudit report; choose an empty folder "
                "(or --force to write into it anyway)"
            )
        self._lock = FileLock(str(self.root / LOCK))
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise DocauditError(f"another docaudit report is being written to {self.root}; try again later") from None
        if not manifest.exists():  # claim the folder now, so that a run interrupted before the end is resumed
            atomic_write(manifest, json.dumps({"format": FORMAT, "files": [], "pages": {}}).encode("utf-8"))
        else:
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT:
                    self.previous = data
            except (OSError, ValueError):
                pass  # an unreadable manifest only costs recomputing every diff
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._finish()
        finally:
            if self._lock is not None:
                self._lock.release()

    # --- writing ---------------------------------------------------------------------------------

    def write(self, rel: str, data: str | bytes) -> None:
        """Write ``rel`` (a path with forward slashes) unless it already holds exactly these bytes."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.files.add(rel)
        target = self.root / rel
        try:
            if target.stat().st_size == len(raw) and target.read_bytes() == raw:
                self.unchanged += 1
                return
        except OSError:
            pass
        atomic_write(target, raw)
        self.written += 1

    def copy(self, rel: str, source: Path, sha256: str | None = None) -> bool:
        """Put a copy of ``source`` (an immutable snapshot) at ``rel``; False when the source is missing, or
        (with ``sha256``) when its bytes no longer match it: an altered snapshot is never published."""
        self.files.add(rel)
        target = self.root / rel
        try:
            size = source.stat().st_size
        except OSError:
            return False
        if target.exists() and target.stat().st_size == size:
            return True
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.unlink(missing_ok=True)
        # a copy, never a hard link: whatever writes in the web folder must not alter the archive
        data = source.read_bytes()
        if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
            self.files.discard(rel)
            return False
        tmp.write_bytes(data)
        tmp.chmod(FILE_MODE)
        os.replace(tmp, target)
        self.copied += 1
        return True

    def keep_everything(self) -> bool:
        """Keep every file and page of the earlier run as it is (its inputs did not change); False, keeping
        nothing, when one of its files is gone from the folder."""
        files = self.previous.get("files", [])
        if not all((self.root / rel).is_file() for rel in files):
            return False
        self.files.update(files)
        self.pages.update(self.previous.get("pages", {}))
        self.unchanged += len(files)
        return True

    def reuse(self, rel: str) -> None:
        """Keep ``rel`` as the earlier run wrote it (its inputs did not change)."""
        self.files.add(rel)

    def keep(self, prefix: str) -> None:
        """Keep the earlier run's files under ``prefix`` (and ``prefix.html``) although not written now."""
        for rel in self.previous.get("files", []):
            if rel == f"{prefix}.html" or rel.startswith(f"{prefix}/"):
                self.files.add(rel)
        for rel, entry in self.previous.get("pages", {}).items():
            if rel == f"{prefix}.html" or rel.startswith(f"{prefix}/"):
                self.pages.setdefault(rel, entry)

    # --- pages kept between runs -----------------------------------------------------------------

    def fresh(self, rel: str, key: str) -> bool:
        """Whether ``rel`` is on disk as rendered from inputs with this key (then it is kept as it is,
        with what was remembered with it)."""
        previous = self.previous.get("pages", {}).get(rel)
        if previous and previous.get("key") == key and (self.root / rel).exists():
            self.pages[rel] = previous
            self.reuse(rel)
            return True
        self.pages[rel] = {"key": key}
        return False

    def recall(self, rel: str) -> Any:
        """What was remembered with a fresh page (None if nothing)."""
        return self.pages.get(rel, {}).get("data")

    def remember(self, rel: str, data: Any) -> None:
        """Keep ``data`` with the page ``rel`` (registered by :meth:`fresh`) for the next run."""
        self.pages[rel]["data"] = data

    # --- finishing -------------------------------------------------------------------------------

    def _finish(self) -> None:
        root = self.root.resolve()
        for rel in sorted(set(self.previous.get("files", [])) - self.files):
            path = (self.root / rel).resolve()
            if not (path.is_relative_to(root) and path.is_file()):
                continue
            if rel.startswith(PERMANENT) and not self.force:
                # documents, versions and snapshots are never deleted from a store: if one is gone, the
                # database is damaged or another one; its published pages stay until --force
                self.files.add(rel)
                self.kept.append(rel)
                continue
            path.unlink()
            self.removed += 1
        manifest = {"format": FORMAT, "files": sorted(self.files), "pages": self.pages, "state": self.state}
        atomic_write(self.root / MANIFEST, json.dumps(manifest, ensure_ascii=False).encode("utf-8"))
