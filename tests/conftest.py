"""Fixtures only: shared helpers live in :mod:`docaudit.testing` (servers, the TK stand-in, the browser,
the labelled sets) and the checkout's fixture paths in :mod:`docaudit.testing.repo`."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def store(tmp_path):
    """A fresh store in a temporary folder."""
    from docaudit.store.database import Store

    with Store(tmp_path / "audit.db") as s:
        yield s


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 (see docaudit.testing.localserver)."""
    from docaudit.testing.localserver import LocalServer

    with LocalServer() as srv:
        yield srv


@pytest.fixture
def da(tmp_path, monkeypatch):
    """Invoke the CLI in a fresh folder (the working directory); ``run`` retries once, quickly."""
    from docaudit.testing.cli import invoker

    monkeypatch.chdir(tmp_path)
    return invoker()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless with a fresh profile, driven over DevTools (see docaudit.testing.browser)."""
    from docaudit.testing.browser import CHROMIUM, Browser

    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with Browser() as b:
        yield b
