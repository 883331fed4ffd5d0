"""The HTML diff in a real browser (Debian's chromium, headless): document text never runs as markup."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from docaudit.diff import semantic_diff
from docaudit.diff.render import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: .ci/run installs it (apt-get install chromium)")
    pytestmark = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium)")


def dump_dom(path) -> str:
    """The DOM after the page has loaded and any scripts in it have run."""
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=2000",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_hostile_document_text_is_shown_not_run(tmp_path):
    hostile = (
        "<script>document.title='pwned'</script> <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
    )
    old = f"Het kabinet zal dit niet doen. {hostile}\n\nDe brief eindigt hier."
    new = f"Het kabinet kan dit doen. {hostile}\n\nDe brief eindigt hier. Een nieuwe zin <b>vet</b>."
    page = tmp_path / "diff.html"
    page.write_text(render(semantic_diff(old, new, "v1.txt", "v2.txt"), "html"), encoding="utf-8")
    dom = dump_dom(page)
    assert "<title>v1.txt → v2.txt — docaudit</title>" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]  # the handler never ran
    body = dom.split("<main>", 1)[1]
    assert "<img" not in body and "<script" not in body and "<b>" not in body
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in body
    assert "&lt;b&gt;vet&lt;/b&gt;" in body
    # the summary, the badges and both views reached the DOM
    assert "1 modified (1 negation, 1 modality), 1 inserted" in dom
    assert re.search(r'class="badge flag flag-negation">negation<', dom)
    assert 'aria-label="Side by side view"' in dom and 'aria-label="Inline view"' in dom
