"""Paths of a source checkout's test fixtures (``tests/fixtures``): for docaudit's own tests, benchmarks
and scripts. An installed docaudit has no checkout; asking for a fixture then says so."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
LETTERS = FIXTURES / "letters"
DIFFSET = FIXTURES / "diffset"
PHRASESET = FIXTURES / "phrases"
EXAMPLES = ROOT / "docaudit" / "examples"
SCREENSHOTS = ROOT / "build" / "screenshots"  # git-ignored; the browser tests leave their screenshots here
# letters built by scripts/build_fixtures.py: each has a source text and .docx/.pdf renderings
BUILT = ["2024D46963", "2023Z08511", "kamerbrief-deens-voorstel", "nota-onderbouwing-standpunt"]


def fixture_bytes(name: str) -> bytes:
    """The bytes of ``tests/fixtures/<name>``."""
    path = FIXTURES / name
    if not FIXTURES.is_dir():
        raise FileNotFoundError(f"no test fixtures at {FIXTURES}: they come with a source checkout of docaudit")
    return path.read_bytes()


def source_text(name: str) -> str:
    """The source text of a built letter (``tests/fixtures/letters/<name>.txt``)."""
    return (LETTERS / f"{name}.txt").read_text(encoding="utf-8")
