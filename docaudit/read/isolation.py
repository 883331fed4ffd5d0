"""Read untrusted document bytes in a worker process under memory, CPU and wall-clock limits.

A worker is a separate interpreter (``python -m docaudit.read.isolation``), started on first use and reused: it
sets ``RLIMIT_AS`` on itself, and before each document raises ``RLIMIT_CPU`` to what it has used plus the
per-document budget. The caller waits at most ``wall`` seconds. Whatever a document does — inflate to
gigabytes, loop, crash a parser — the caller gets a result or one
:class:`~docaudit.errors.ExtractionError` that names the limit; a worker that ran out of anything is
replaced. Requests and answers cross the pipe as JSON (never pickle), so even a worker subverted by a
hostile file cannot run code in the caller. Nothing is forked from the caller, so its threads are safe.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import json
import os
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import Any

from .. import errors
from ..errors import DocauditError, ExtractionError
from .limits import Limits, how_to_raise
from .prepare import Prepared, prepare_here

_HEADER = struct.Struct(">Q")
_idle: list[_Worker] = []
_lock = threading.Lock()


class _Worker:
    """One worker process and the limits it was started with."""

    def __init__(self, limits: Limits) -> None:
        self.memory = limits.memory
        self.process = subprocess.Popen(
            [sys.executable, "-m", "docaudit.read.isolation", str(limits.memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def ask(self, request: dict[str, Any], data: bytes, wall: float) -> dict[str, Any] | None:
        """Send a request and the bytes; the answer, or None when the worker died or ran out of time
        (``timed_out`` says which)."""
        self.timed_out = False
        body = json.dumps(request).encode()
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(_HEADER.pack(len(body)) + body + _HEADER.pack(len(data)) + data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        deadline = time.monotonic() + wall
        raw = _read(self.process.stdout, _HEADER.size, deadline)
        if raw is not None:
            raw = _read(self.process.stdout, _HEADER.unpack(raw)[0], deadline)
        if raw is None:
            self.timed_out = time.monotonic() >= deadline
            self.kill()
            return None
        return json.loads(raw)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


def _read(stream: Any, n: int, deadline: float) -> bytes | None:
    """Exactly ``n`` bytes from a pipe by ``deadline``, or None."""
    chunks, left = [], n
    fd = stream.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while left:
            timeout = deadline - time.monotonic()
            if timeout <= 0 or not selector.select(timeout):
                return None
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
    return b"".join(chunks)


def prepare_isolated(data: bytes, limits: Limits) -> Any:
    """:func:`docaudit.read.prepare.prepare_here` on ``data`` in a limited worker; the :class:`Prepared` it made."""
    with _lock:
        worker = next((w for w in _idle if w.alive and w.memory == limits.memory), None)
        if worker is not None:
            _idle.remove(worker)
    worker = worker or _Worker(limits)
    answer = worker.ask({"cpu": limits.cpu, "limits": dataclasses.asdict(limits)}, data, limits.wall)
    if answer is None:
        if worker.timed_out:
            raise ExtractionError(f"reading the document took over {limits.wall} s; {how_to_raise('wall')}")
        raise _died(worker.process.returncode, limits)
    if "ok" in answer and worker.alive:
        with _lock:
            _idle.append(worker)
    else:
        worker.kill()
    if "ok" in answer:
        return Prepared.from_dict(answer["ok"])
    if answer.get("limit") == "memory":
        raise ExtractionError(
            f"reading the document needed more than {limits.memory // (1024 * 1024)} MB of memory "
            f"(it expands too far); {how_to_raise('memory')}"
        )
    kind_name, message = answer["error"]
    kind = getattr(errors, kind_name, ExtractionError)
    if not (isinstance(kind, type) and issubclass(kind, DocauditError)):
        kind = ExtractionError
    raise kind(message)


def _died(returncode: int | None, limits: Limits) -> ExtractionError:
    if returncode == -signal.SIGXCPU:
        return ExtractionError(f"reading the document took over {limits.cpu} s of CPU; {how_to_raise('cpu')}")
    if returncode in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
        return ExtractionError(
            f"the process reading the document was stopped (out of memory at {limits.memory // (1024 * 1024)} MB, "
            f"or a parser crashed); {how_to_raise('memory')}"
        )
    return ExtractionError(
        f"the process reading the document died (exit status {returncode}): a hostile or broken file"
    )


def shutdown() -> None:
    """Stop the idle workers (also done at exit; a worker stops by itself when its caller is gone)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.kill()


atexit.register(shutdown)


# -- the worker ----------------------------------------------------------------------------------


def _serve(memory: int) -> None:
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return  # the caller is gone
        request = json.loads(stdin.read(_HEADER.unpack(head)[0]))
        data = stdin.read(_HEADER.unpack(stdin.read(_HEADER.size))[0])
        usage = resource.getrusage(resource.RUSAGE_SELF)
        budget = int(usage.ru_utime + usage.ru_stime) + 1 + int(request["cpu"])
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CPU, (budget, resource.RLIM_INFINITY))
        stop = False
        try:
            answer: dict[str, Any] = {"ok": prepare_here(data, Limits(**request["limits"])).to_dict()}
        except MemoryError:
            answer, stop = {"limit": "memory"}, True
        except DocauditError as exc:
            answer = {"error": [type(exc).__name__, str(exc)]}
        except RecursionError:
            answer = {"error": ["ExtractionError", "cannot read the document: nested too deeply"]}
        except Exception as exc:  # noqa: BLE001 - anything else is a document we cannot read
            answer = {"error": ["ExtractionError", f"cannot read the document ({type(exc).__name__}: {exc})"]}
        body = json.dumps(answer, ensure_ascii=False).encode()
        stdout.write(_HEADER.pack(len(body)) + body)
        stdout.flush()
        if stop:
            return


if __name__ == "__main__":  # pragma: no cover - runs as the worker process
    _serve(int(sys.argv[1]))
