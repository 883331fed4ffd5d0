"""``docaudit diff``: inputs (files and stored versions), formats, the JSON contract and exit codes."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from docaudit.testing.repo import EXAMPLES, FIXTURES

DIFFSET = FIXTURES / "diffset"


@pytest.fixture
def letters(tmp_path):
    """Two small text versions whose document text contains markup and Markdown syntax."""
    old = tmp_path / "v1.txt"
    new = tmp_path / "v2.txt"
    old.write_text(
        "Het kabinet zal de motie <b>niet</b> uitvoeren vóór 1 maart 2025.\n\n"
        "De Minister schrijft over *encryptie* en <script>alert('x')</script>.\n\n"
        "Deze zin verdwijnt uit de brief.\n",
        encoding="utf-8",
    )
    new.write_text(
        "Het kabinet kan de motie <b></b> uitvoeren vóór 1 juni 2025.\n\n"
        "De minister schrijft over *encryptie* en <script>alert('x')</script>.\n\n"
        "Een [nieuwe](javascript:alert(1)) zin | met ~~tekens~~.\n",
        encoding="utf-8",
    )
    return old, new


# --- the JSON contract (README, "docaudit diff --format json") ------------------------------------

KINDS = {"inserted", "deleted", "modified", "moved", "cosmetic"}
FLAGS = {"negation", "modality", "number", "date", "entity"}


def validate_contract(doc: dict) -> None:
    """Fail unless ``doc`` has the documented shape and its parts agree with each other."""
    for side in ("old", "new"):
        assert isinstance(doc[side]["ref"], str) and doc[side]["ref"]
        assert isinstance(doc[side]["sha256"], str) and len(doc[side]["sha256"]) == 64
    assert set(doc["summary"]) == KINDS and all(isinstance(v, int) for v in doc["summary"].values())
    counted = dict.fromkeys(KINDS, 0)
    for c in doc["changes"]:
        assert c["kind"] in KINDS
        counted[c["kind"]] += 1
        for key in ("old_text", "new_text"):
            assert c[key] is None or isinstance(c[key], str)
        for key in ("old_index", "new_index"):
            assert c[key] is None or (isinstance(c[key], int) and c[key] >= 0)
        assert (c["old_text"] is None) == (c["old_index"] is None)
        assert (c["new_text"] is None) == (c["new_index"] is None)
        assert isinstance(c["flags"], list) and set(c["flags"]) <= FLAGS
        assert isinstance(c["words"], list)
        for op, text in c["words"]:
            assert op in (-1, 0, 1) and isinstance(text, str)
        if c["kind"] == "inserted":
            assert c["old_text"] is None and c["new_text"]
        if c["kind"] == "deleted":
            assert c["new_text"] is None and c["old_text"]
        if c["kind"] == "modified":
            assert c["words"], "a modified change carries its word diff"
            assert "".join(t for op, t in c["words"] if op <= 0) == c["old_text"]
            assert "".join(t for op, t in c["words"] if op >= 0) == c["new_text"]
    assert counted == doc["summary"]


def test_json_follows_the_contract(da, letters):
    r = da("diff", *letters, "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.output)
    validate_contract(doc)
    assert doc["summary"] == {"inserted": 1, "deleted": 1, "modified": 1, "moved": 0, "cosmetic": 1}
    modified = next(c for c in doc["changes"] if c["kind"] == "modified")
    assert modified["flags"] == ["negation", "modality", "date"]
    assert [-1, "zal"] in modified["words"] and [1, "kan"] in modified["words"]


def test_json_contract_on_the_planted_pdf_set(da):
    r = da("diff", FIXTURES / "2023Z08511.pdf", DIFFSET / "2023Z08511_edited.pdf", "--format", "json")
    doc = json.loads(r.output)
    validate_contract(doc)
    assert doc["summary"]["modified"] >= 7 and doc["summary"]["moved"] == 1


# --- exit codes ----------------------------------------------------------------------------------


def test_exit_status_is_0_for_cosmetic_only_and_1_for_substantive(da):
    r = da("diff", FIXTURES / "2024D46963.pdf", FIXTURES / "2024D46963.docx")
    assert r.exit_code == 0, r.output
    assert "no substantive changes; 2 cosmetic" in r.output
    r = da("diff", FIXTURES / "2024D46963.docx", DIFFSET / "2024D46963_edited.docx")
    assert r.exit_code == 1
    assert r.output.splitlines()[1].startswith("7 modified (")


@pytest.mark.parametrize("mode", ["line", "word"])
def test_every_mode_exits_by_the_semantic_verdict(da, mode):
    assert da("diff", FIXTURES / "2024D46963.pdf", FIXTURES / "2024D46963.docx", "--mode", mode).exit_code == 0
    edited = DIFFSET / "2024D46963_edited.docx"
    assert da("diff", FIXTURES / "2024D46963.docx", edited, "--mode", mode).exit_code == 1


def test_trouble_exits_2_with_one_line(da, tmp_path):
    r = da("diff", tmp_path / "missing.pdf", FIXTURES / "2024D46963.pdf")
    assert r.exit_code == 2 and "Error:" in r.output and "missing.pdf: no such file" in r.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage")
    r = da("diff", broken, FIXTURES / "2024D46963.pdf")
    assert r.exit_code == 2 and "broken.pdf" in r.output
    r = da("diff", FIXTURES / "encrypted.pdf", FIXTURES / "2024D46963.pdf")
    assert r.exit_code == 2 and "encrypted" in r.output
    assert da("diff", FIXTURES / "2024D46963.pdf").exit_code == 2
    assert da("diff", "a", "b", "--mode", "nonsense").exit_code == 2


# --- stored versions -----------------------------------------------------------------------------


def test_stored_versions_by_reference_and_mixed_with_files(da):
    v1, v2 = EXAMPLES / "2023Z08511_v1.pdf", EXAMPLES / "2023Z08511_v2.pdf"
    da("add", v1, v2, "--doc", "2023Z08511")
    last_two = da("diff", "2023Z08511", "--format", "json")
    assert last_two.exit_code == 1
    doc = json.loads(last_two.output)
    assert (doc["old"]["ref"], doc["new"]["ref"]) == ("2023Z08511@1", "2023Z08511@2")
    by_ref = json.loads(da("diff", "2023Z08511@-1", "2023Z08511@latest", "--format", "json").output)
    assert by_ref["changes"] == doc["changes"]
    mixed = json.loads(da("diff", "2023Z08511@1", v2, "--format", "json").output)
    assert mixed["changes"] == doc["changes"] and mixed["new"]["ref"] == str(v2)
    assert doc["new"]["sha256"] == mixed["new"]["sha256"]  # the snapshot's hash is the file's hash
    assert da("diff", "2023Z08511@2", v2).exit_code == 0


def test_stored_reference_trouble(da):
    da("add", EXAMPLES / "2023Z08511_v1.pdf", "--doc", "2023Z08511")
    r = da("diff", "2023Z08511")
    assert r.exit_code == 2 and "only one version" in r.output
    r = da("diff", "2023Z08511@1", "2023Z08511@7")
    assert r.exit_code == 2 and "no version 7" in r.output
    r = da("diff", "nope@1", "2023Z08511@1")
    assert r.exit_code == 2 and "no document 'nope'" in r.output


# --- formats -------------------------------------------------------------------------------------


def test_terminal_is_plain_when_piped_and_coloured_when_asked(da, letters):
    plain = da("diff", *letters).output
    assert "\x1b[" not in plain
    assert "[-zal-]{+kan+}" in plain
    assert plain.splitlines()[1] == "1 modified (1 negation, 1 modality, 1 date), 1 inserted, 1 deleted; 1 cosmetic"
    assert "1 cosmetic change not shown (case ×1)" in plain
    coloured = da("diff", *letters, "--color", "always").output
    assert "\x1b[" in coloured and "[-zal-]" not in coloured
    listed = da("diff", *letters, "--cosmetic").output
    assert "cosmetic  [case]" in listed


def test_unified_semantic_hunks_name_kind_and_flags(da, letters):
    out = da("diff", *letters, "--format", "unified").output.splitlines()
    assert out[0].startswith("--- ") and out[1].startswith("+++ ")
    assert "@@ -1 +1 @@ modified negation modality date" in out
    assert "@@ -3 +0,0 @@ deleted" in out


def test_line_mode_unified_is_what_patch_tools_expect(da, letters):
    out = da("diff", *letters, "--mode", "line", "--format", "unified", "-U", "0").output.splitlines()
    assert out[2] == "@@ -1,3 +1,3 @@"
    assert out[3].startswith("-Het kabinet zal") and out[6].startswith("+Het kabinet kan")


def test_markdown_escapes_document_text(da, letters):
    out = da("diff", *letters, "--format", "markdown").output
    assert "**1 modified (1 negation, 1 modality, 1 date), 1 inserted, 1 deleted; 1 cosmetic**" in out
    assert "~~zal~~" in out and "**kan**" in out
    assert "\\[nieuwe\\](javascript:alert(1))" in out  # no live link
    assert "\\~\\~tekens\\~\\~" in out and "\\<b\\>" in out


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_self_contained_page_with_escaped_text(da, letters, tmp_path):
    out = tmp_path / "diff.html"
    r = da("diff", *letters, "--format", "html", "-o", out)
    assert r.exit_code == 1 and r.output.startswith(f"wrote {out} (html): 1 modified")  # what -o wrote, one line
    page = out.read_text(encoding="utf-8")
    parsed = _Collect()
    parsed.feed(page)
    assert "script" not in parsed.tags and "b" not in parsed.tags  # document markup stays text
    text = "".join(parsed.text)
    assert "<script>alert('x')</script>" in text and "<b>niet</b>" in text
    assert "&lt;script&gt;" in page
    assert parsed.tags.count("link") == 0 and "src=" not in page  # nothing loaded from elsewhere
    for badge in ("negation", "modality", "date"):
        assert f'class="badge flag flag-{badge}"' in page
    assert 'id="view-inline"' in page and 'id="view-side"' in page  # both views
    assert '<details id="cosmetic">' in page


@pytest.mark.parametrize("fmt", ["terminal", "unified", "json", "html", "markdown"])
@pytest.mark.parametrize("mode", ["semantic", "line", "word"])
def test_every_mode_renders_in_every_format(da, letters, fmt, mode):
    r = da("diff", *letters, "--mode", mode, "--format", fmt)
    assert r.exit_code == 1, r.output
    assert "kan" in r.output
    if fmt == "json":
        doc = json.loads(r.output)
        assert doc["old"]["ref"].endswith("v1.txt")
