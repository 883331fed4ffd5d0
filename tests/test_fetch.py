"""The HTTP fetcher against a real local server: retries, backoff, timeouts, caps, redirects, validators."""

from __future__ import annotations

import socket

import pytest

from docaudit.read.fetch import Fetcher, FetchError, FetchSettings
from docaudit.testing.localserver import Reply


def fetcher(**kw) -> tuple[Fetcher, list[float]]:
    delays: list[float] = []
    settings = FetchSettings(**{"backoff": 0.01, "retries": 3, "timeout": 2.0, **kw})
    return Fetcher(settings, sleep=delays.append), delays


def test_500s_then_success_is_retried_with_growing_backoff(server):
    server.route("/f", Reply(status=500), Reply(status=502), Reply(body=b"brief"))
    f, delays = fetcher(backoff=1.0)
    with f:
        got = f.get(server.url("/f"))
    assert (got.status, got.data, got.attempts) == (200, b"brief", 3)
    assert len(server.hits("/f")) == 3
    assert len(delays) == 2 and 0.75 <= delays[0] <= 1.25 and 1.5 <= delays[1] <= 2.5


def test_retries_give_up_with_the_last_status(server):
    server.route("/f", Reply(status=503))
    f, delays = fetcher(retries=2)
    with f, pytest.raises(FetchError) as info:
        f.get(server.url("/f"))
    assert (info.value.kind, info.value.status, info.value.attempts) == ("http", 503, 3)
    assert "HTTP 503" in str(info.value)
    assert len(server.hits("/f")) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_4xx_is_not_retried(server, status):
    server.route("/f", Reply(status=status))
    f, delays = fetcher()
    with f, pytest.raises(FetchError) as info:
        f.get(server.url("/f"))
    assert info.value.status == status and info.value.attempts == 1
    assert len(server.hits("/f")) == 1 and delays == []


def test_429_honours_retry_after(server):
    server.route("/f", Reply(status=429, headers={"Retry-After": "7"}), Reply(body=b"ok"))
    f, delays = fetcher(backoff=0.01, backoff_max=30)
    with f:
        assert f.get(server.url("/f")).data == b"ok"
    assert delays == [7.0]


def test_timeout_is_retried_then_reported(server):
    server.route("/slow", Reply(body=b"late", delay=1.0))
    f, _ = fetcher(timeout=0.2, retries=1)
    with f, pytest.raises(FetchError) as info:
        f.get(server.url("/slow"))
    assert info.value.kind == "timeout" and info.value.attempts == 2
    assert "timed out" in str(info.value)


def test_connection_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    f, delays = fetcher(retries=1)
    with f, pytest.raises(FetchError) as info:
        f.get(f"http://127.0.0.1:{port}/brief.pdf")
    assert info.value.kind == "connection" and info.value.attempts == 2
    assert "cannot connect" in str(info.value)


def test_truncated_body_is_an_error_not_a_short_document(server):
    server.route("/cut", Reply(body=b"x" * 10_000, truncate=1000))
    f, _ = fetcher(retries=1)
    with f, pytest.raises(FetchError) as info:
        f.get(server.url("/cut"))
    assert info.value.kind == "truncated"


def test_size_cap_from_content_length_and_while_streaming(server):
    server.route("/big", Reply(body=b"x" * 5000))
    server.route("/big-unannounced", Reply(body=b"x" * 5000, no_length=True))
    f, _ = fetcher(max_size=1000)
    with f:
        for path in ("/big", "/big-unannounced"):
            with pytest.raises(FetchError) as info:
                f.get(server.url(path))
            assert info.value.kind == "too-large" and "limit" in str(info.value)
            assert len(server.hits(path)) == 1  # not retried


def test_redirects_are_followed_and_recorded(server):
    server.route("/old", Reply(status=301, location="/moved"))
    server.route("/moved", Reply(status=302, location="/brief.pdf"))
    server.route("/brief.pdf", Reply(body=b"%PDF-1.4"))
    f, _ = fetcher()
    with f:
        got = f.get(server.url("/old"))
    assert got.final_url == server.url("/brief.pdf")
    assert got.redirects == [server.url("/old"), server.url("/moved")]


def test_redirect_loop(server):
    server.route("/a", Reply(status=302, location="/b"))
    server.route("/b", Reply(status=302, location="/a"))
    f, _ = fetcher(max_redirects=5)
    with f, pytest.raises(FetchError) as info:
        f.get(server.url("/a"))
    assert info.value.kind == "redirects" and "redirect loop" in str(info.value)


def test_conditional_get_sends_validators_and_reads_304(server):
    server.route("/f", Reply(body=b"v1", etag='"abc"', last_modified="Fri, 29 Nov 2024 10:00:00 GMT"))
    f, _ = fetcher()
    with f:
        first = f.get(server.url("/f"))
        again = f.get(server.url("/f"), etag=first.etag, last_modified=first.last_modified)
    assert first.etag == '"abc"' and first.status == 200
    assert again.not_modified and again.data == b""
    sent = server.hits("/f")[1].headers
    assert sent["if-none-match"] == '"abc"' and sent["if-modified-since"] == "Fri, 29 Nov 2024 10:00:00 GMT"
    assert sent["user-agent"].startswith("docaudit/")
