"""A real HTTP server on 127.0.0.1 for tests and benchmarks: scripted responses, faults included.

server.route("/brief.docx", Reply(body=data, etag='"v1"'))          # 200, then 304 to If-None-Match
server.route("/flaky", Reply(status=500), Reply(status=500), Reply(body=b"ok"))  # in order, last repeats
server.route("/slow", Reply(body=b"x", delay=5))
server.route("/cut", Reply(body=data, truncate=100))                 # Content-Length says more
server.route("/api", handler)                                        # handler(request) -> Reply
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    truncate: int | None = None
    location: str | None = None
    no_length: bool = False  # send no Content-Length; the body ends when the connection closes
    drip: float = 0.0  # seconds between bytes: a server that sends its body a byte at a time


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    target: str
    body: bytes = b""


class LocalServer:
    """Threaded HTTP/1.1 server; use as a context manager or call ``close()``."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply] | Callable[[Request], Reply]] = {}
        self.fallback: Callable[[Request], Reply | None] | None = None  # asked for paths with no route
        self.requests: list[Request] = []
        self._served: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address) -> None:
                # a client that hangs up mid-reply (a timeout test, a killed run) is expected here;
                # keep it for the test to inspect instead of printing a traceback into captured output
                import sys

                server.errors.append(repr(sys.exc_info()[1]))

        self.errors: list[str] = []
        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, *replies: Reply | Callable[[Request], Reply]) -> None:
        with self._lock:
            if len(replies) == 1 and callable(replies[0]) and not isinstance(replies[0], Reply):
                self.routes[path] = replies[0]
            else:
                self.routes[path] = list(replies)  # type: ignore[arg-type]
            self._served[path] = 0

    def hits(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        headers = {k.lower(): v for k, v in h.headers.items()}
        length = int(headers.get("content-length") or 0)
        body = h.rfile.read(length) if length else b""
        request = Request(method, parts.path, parse_qs(parts.query), headers, h.path, body)
        with self._lock:
            self.requests.append(request)
            route = self.routes.get(parts.path)
            if route is None:
                reply = (self.fallback(request) if self.fallback else None) or Reply(status=404, body=b"not found")
            elif callable(route):
                reply = None
            else:
                n = self._served[parts.path]
                self._served[parts.path] = n + 1
                reply = route[min(n, len(route) - 1)]
        if reply is None:
            reply = route(request)  # type: ignore[operator]
        if reply.delay:
            time.sleep(reply.delay)
        status, body = reply.status, reply.body
        if (
            reply.etag
            and request.headers.get("if-none-match") == reply.etag
            and status == 200
            or (
                reply.last_modified
                and not reply.etag
                and request.headers.get("if-modified-since") == reply.last_modified
                and status == 200
            )
        ):
            status, body = 304, b""
        try:
            h.send_response(status)
            if reply.content_type:
                h.send_header("Content-Type", reply.content_type)
            if reply.etag:
                h.send_header("ETag", reply.etag)
            if reply.last_modified:
                h.send_header("Last-Modified", reply.last_modified)
            if reply.location:
                h.send_header("Location", reply.location)
            for key, value in reply.headers.items():
                h.send_header(key, value)
            if not reply.no_length:
                h.send_header("Content-Length", str(len(body)))
            if reply.truncate is not None or reply.no_length:
                h.send_header("Connection", "close")
            h.end_headers()
            if status != 304 and reply.drip:
                for i in range(len(body)):
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                    time.sleep(reply.drip)
            elif status != 304:
                h.wfile.write(body if reply.truncate is None else body[: reply.truncate])
            h.wfile.flush()
            if reply.truncate is not None or reply.no_length:
                h.close_connection = True
        except (BrokenPipeError, ConnectionResetError):
            pass
