from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
LETTERS = FIXTURES / "letters"
# letters built by scripts/build_fixtures.py: each has a source text and .docx/.pdf renderings
BUILT = ["2024D46963", "2023Z08511", "kamerbrief-deens-voorstel", "nota-onderbouwing-standpunt"]


@pytest.fixture
def store(tmp_path):
    from docaudit.store import Store

    with Store(tmp_path / "audit.db") as s:
        yield s


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def source_text(name: str) -> str:
    return (LETTERS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 (see tests/localserver.py)."""
    from localserver import LocalServer

    with LocalServer() as srv:
        yield srv


@pytest.fixture
def da(tmp_path, monkeypatch):
    """Invoke the CLI in a fresh watch folder (the working directory); ``run`` retries once, quickly."""
    from click.testing import CliRunner

    from docaudit.cli import cli

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args):
        if args and args[0] == "run" and "--retries" not in args:
            args = (*args, "--retries", "1", "--backoff", "0.01")
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"  # git-ignored; the browser tests leave their screenshots here


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, headless with a fresh profile, driven over DevTools (see tests/browser.py)."""
    import os

    from browser import CHROMIUM, Browser

    if CHROMIUM is None:
        if os.environ.get("CI"):
            raise RuntimeError("chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with Browser() as b:
        yield b
