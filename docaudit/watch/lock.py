"""One run at a time per database: an OS file lock next to ``audit.db``.

The lock is ``flock``/``LockFileEx`` through :mod:`filelock`, held by the open file, so the kernel
releases it when the process dies, even by ``kill -9``: a crashed run never blocks the next one.
"""

from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import DocauditError


class Busy(DocauditError):
    """Another run holds the lock and did not finish within the wait."""


class RunLock:
    """``with RunLock(db_path, wait=60): …`` waits up to ``wait`` seconds for a running run to finish."""

    def __init__(self, db_path: str | os.PathLike[str], *, wait: float = 0.0) -> None:
        self.path = Path(f"{db_path}.lock")
        self.wait = wait
        self._lock = FileLock(self.path, timeout=wait, is_singleton=False)

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise Busy(
                f"another docaudit run is still going on {self.path.with_suffix('')} "
                f"(lock {self.path}); waited {self.wait:g} s. It will be checked on the next run."
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
