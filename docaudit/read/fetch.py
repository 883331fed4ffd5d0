"""HTTP fetching for unattended runs: conditional GET, timeouts, retries with backoff, a size cap.

One :class:`Fetcher` (an ``httpx.Client`` underneath, safe to share between threads) per run. Every
call returns a :class:`Fetched` or raises :class:`FetchError`, whose ``kind`` says what went wrong
in words a cron mail can carry: ``timeout``, ``connection``, ``http``, ``too-large``, ``redirects``,
``truncated``.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from ..errors import DocauditError
from ..settings import default
from ..text.formatting import human_size
from ..version import __version__

USER_AGENT = f"docaudit/{__version__} (+https://github.com/docaudit/docaudit; change monitor for official letters)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ERROR_BODY = 4096  # bytes of an error answer kept to say what the server said


class FetchError(DocauditError):
    """A fetch that failed after its retries. ``status`` is the last HTTP status, if any."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        attempts: int = 1,
        url: str = "",
        body: bytes = b"",
        content_type: str | None = None,
    ):
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.attempts = attempts
        self.url = url
        self.body = body  # the start of an error answer's body (at most ERROR_BODY bytes): what the server said
        self.content_type = content_type


@dataclass
class Fetched:
    """One successful HTTP exchange (200 with a body, or 304 Not Modified)."""

    url: str
    status: int
    data: bytes = b""
    final_url: str = ""
    redirects: list[str] = field(default_factory=list)
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 1
    duration: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class FetchSettings:
    """Knobs for one run; the defaults suit a nightly cron job against government web sites (the settings
    among them are declared in :data:`docaudit.settings.SETTINGS`, section ``run``)."""

    timeout: float = default("run.timeout")
    retries: int = default("run.retries")
    backoff: float = default("run.backoff")
    backoff_max: float = 30.0
    max_size: int = default("run.max_size")
    max_redirects: int = 10
    per_host: int = default("run.per_host")
    total_timeout: float = default("run.total_timeout")  # a whole download; one that takes longer is not retried
    min_rate: float = default("run.min_rate")  # bytes per second, judged from ``rate_after`` seconds into a download
    rate_after: float = 20.0
    allow_private_redirects: bool = default("run.allow_private_redirects")  # into loopback/private ranges


def address_kind(host: str) -> str:
    """``loopback``, ``link-local``, ``private`` or ``public`` for a host name or address (a name that does not
    resolve is ``public``: the fetch itself will fail)."""
    import ipaddress
    import socket

    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(info[4][0]) for info in socket.getaddrinfo(host, None)]
        except (OSError, UnicodeError, ValueError):
            return "public"
    kinds = set()
    for address in addresses:
        if getattr(address, "ipv4_mapped", None):
            address = address.ipv4_mapped
        if address.is_loopback or address.is_unspecified:  # 0.0.0.0 and :: reach this machine on Linux
            kinds.add("loopback")
        elif address.is_link_local:
            kinds.add("link-local")
        elif address.is_private or address.is_reserved or address.is_multicast:
            kinds.add("private")
    for kind in ("loopback", "link-local", "private"):
        if kind in kinds:
            return kind
    return "public"


def redirect_refusal(start: str, address: str, host: str) -> str | None:
    """Why a redirect from ``start`` to ``host`` (at ``address``, a name or an IP) is refused, or None: into
    loopback or link-local from another origin, into a private range from a public origin."""
    target = address_kind(address)
    if target == "public":
        return None
    origin = address_kind(httpx.URL(start).host)
    if target in ("loopback", "link-local") or origin == "public":
        where = host if host == address else f"{host}, connected to {address}"
        return (
            f"redirect from {httpx.URL(start).host} to a {target} address ({where}) refused; "
            "allow it with [run] allow_private_redirects = true"
        )
    return None


def _origin(url: httpx.URL | str) -> tuple[str, str, int | None]:
    u = httpx.URL(str(url))
    return (u.scheme, u.host, u.port)


class Fetcher:
    """Shared HTTP client with per-host concurrency limits; use as a context manager."""

    def __init__(self, settings: FetchSettings | None = None, *, sleep: Callable[[float], None] = time.sleep):
        self.settings = settings or FetchSettings()
        s = self.settings
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(s.timeout, connect=min(10.0, s.timeout)),
            follow_redirects=True,
            max_redirects=s.max_redirects,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            event_hooks={"request": [self._check_redirect]},
        )
        self._current = threading.local()
        self._sleep = sleep
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_redirect(self, request: httpx.Request) -> None:
        """Refuse a redirect from another origin into loopback or link-local addresses (and into private ranges
        from a public origin): a tracked page must not make docaudit fetch and publish an internal one."""
        start = getattr(self._current, "url", None)
        if start is None or self.settings.allow_private_redirects or _origin(request.url) == _origin(start):
            return
        refusal = redirect_refusal(start, request.url.host, request.url.host)
        if refusal:
            raise FetchError("redirects", refusal, url=start)

    def _check_connected(self, url: str, response: httpx.Response) -> None:
        """After a redirect to another origin, the address the connection actually went to (not the one a name
        resolved to a moment before: DNS can answer differently twice) must pass the same rule."""
        if self.settings.allow_private_redirects or not response.history or _origin(response.url) == _origin(url):
            return
        stream = response.extensions.get("network_stream")
        server = stream.get_extra_info("server_addr") if stream is not None else None
        if server:
            refusal = redirect_refusal(url, str(server[0]), response.url.host)
            if refusal:
                raise FetchError("redirects", refusal, url=url)

    def _host(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self.settings.per_host)
            return self._hosts[host]

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        params: dict[str, str] | None = None,
        accept: str | None = None,
    ) -> Fetched:
        """GET with retries on connection errors, timeouts, 429 and 5xx (never on other 4xx)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._host(url):
                    fetched = self._once(url, headers, params)
                fetched.attempts = attempt
                fetched.duration = time.monotonic() - started
                return fetched
            except _Retry as exc:
                if attempt > self.settings.retries:
                    raise FetchError(exc.kind, exc.message, status=exc.status, attempts=attempt, url=url) from None
                self._sleep(self._delay(attempt, exc.retry_after))
            except FetchError as exc:
                exc.attempts = attempt
                raise

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        s = self.settings
        delay = min(s.backoff_max, s.backoff * 2 ** (attempt - 1)) * (0.75 + random.random() / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, s.backoff_max))
        return delay

    def _once(self, url: str, headers: dict[str, str], params: dict[str, str] | None) -> Fetched:
        s = self.settings
        deadline = time.monotonic() + s.total_timeout
        self._current.url = url
        try:
            with self.client.stream("GET", url, headers=headers, params=params) as response:
                self._check_connected(url, response)
                status = response.status_code
                if status in RETRY_STATUSES:
                    raise _Retry("http", f"HTTP {status} {response.reason_phrase}", status, _retry_after(response))
                if status >= 400:
                    raise FetchError(
                        "http",
                        f"HTTP {status} {response.reason_phrase}",
                        status=status,
                        url=url,
                        body=_head(response, ERROR_BODY, deadline),
                        content_type=response.headers.get("Content-Type"),
                    )
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > s.max_size:
                    raise FetchError(
                        "too-large",
                        f"response is {human_size(int(declared))}, over the {human_size(s.max_size)} limit",
                        status=status,
                        url=url,
                    )
                chunks, size = [], 0
                began = time.monotonic()
                if status != 304:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > s.max_size:
                            raise FetchError(
                                "too-large", f"response is over the {human_size(s.max_size)} limit", status=status
                            )
                        elapsed = time.monotonic() - began
                        if time.monotonic() > deadline:  # not retried: a slow server would hold the run again
                            raise FetchError(
                                "timeout", f"download took over {s.total_timeout:.0f} s ([run] total_timeout)", url=url
                            )
                        if elapsed > s.rate_after and size / elapsed < s.min_rate:
                            raise FetchError(
                                "timeout",
                                f"the server sends {size / elapsed:,.0f} bytes/s, under the floor of "
                                f"{s.min_rate:,.0f} ([run] min_rate); not retried",
                                status=status,
                                url=url,
                            )
                        chunks.append(chunk)
                return Fetched(
                    url=url,
                    status=status,
                    data=b"".join(chunks),
                    final_url=str(response.url),
                    redirects=[str(r.url) for r in response.history],
                    content_type=response.headers.get("Content-Type"),
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                )
        except httpx.TooManyRedirects as exc:
            last = exc.request.url if exc._request is not None else url
            raise FetchError(
                "redirects", f"more than {s.max_redirects} redirects (a redirect loop?), last to {last}", url=url
            ) from None
        except httpx.TimeoutException as exc:
            what = type(exc).__name__.replace("Timeout", " timeout").lower()
            raise _Retry("timeout", f"timed out ({what} after {s.timeout:g} s)") from None
        except httpx.RemoteProtocolError as exc:
            raise _Retry("truncated", f"connection broke off mid-response: {exc}") from None
        except httpx.TransportError as exc:
            raise _Retry("connection", f"cannot connect: {exc or type(exc).__name__}") from None
        except httpx.InvalidURL as exc:
            raise FetchError("url", f"invalid URL: {exc}", url=url) from None


def _head(response: httpx.Response, limit: int, deadline: float) -> bytes:
    """Up to ``limit`` bytes of a response body, within the download's deadline (an error page is read for
    what it says, never whole)."""
    out = b""
    try:
        for chunk in response.iter_bytes():
            out += chunk
            if len(out) >= limit or time.monotonic() > deadline:
                break
    except httpx.HTTPError:
        pass
    return out[:limit]


class _Retry(Exception):
    def __init__(self, kind: str, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.kind, self.message, self.status, self.retry_after = kind, message, status, retry_after


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
