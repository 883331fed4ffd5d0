"""Extractors against the real letters: every sentence of the source text must come out of the .docx,
.pdf and .html renderings (made by scripts/build_fixtures.py), in order, and nothing else may get in."""

from __future__ import annotations

import pytest

from docaudit.read.extract import extract
from docaudit.testing.repo import BUILT, FIXTURES, fixture_bytes, source_text
from docaudit.text.normalize import comparison_key
from docaudit.text.segment import sentences


def keys(text: str) -> list[str]:
    return [comparison_key(s.text) for s in sentences(text)]


def assert_in_order(expected: list[str], got: list[str]) -> None:
    """Every expected sentence occurs in ``got``, in the same order."""
    pos = 0
    for sentence in expected:
        try:
            pos = got.index(sentence, pos) + 1
        except ValueError:
            close = [g for g in got if g[:30] == sentence[:30]]
            raise AssertionError(f"missing or out of order: {sentence!r}\nclosest: {close}") from None


@pytest.mark.parametrize("name", BUILT)
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_every_sentence_comes_out_in_order(name, fmt):
    result = extract(fixture_bytes(f"{name}.{fmt}"))
    expected, got = keys(source_text(name)), keys(result.text)
    assert_in_order(expected, got)
    extra = [g for g in got if g not in set(expected)]
    if fmt == "pdf" and name == "nota-onderbouwing-standpunt":
        # a one-page PDF: its running header cannot be told from the body by repetition
        assert extra == ["ministerie van justitie en veiligheid"]
    else:
        assert extra == []
    assert result.format == fmt


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_headers_footers_and_page_numbers_are_kept_apart(fmt):
    result = extract(fixture_bytes(f"2024D46963.{fmt}"))
    assert result.headers == ["Tweede Kamer, vergaderjaar 2024–2025, 32 317 en 34 843, nr. 906"]
    assert result.footers and all(f.startswith("kst-32317-906 — pagina") for f in result.footers)
    assert "vergaderjaar" not in result.text and "pagina" not in result.text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_footnotes_follow_the_body_with_their_numbers(fmt):
    result = extract(fixture_bytes(f"2024D46963.{fmt}"))
    assert result.footnotes == [
        "1 Kamerstuk 32 317, nr. 891.",
        "2 Kamerstuk 34 843, nr. 113.",
        "3 Kamerstuk 26 643, nr. 1022.",
    ]
    assert result.text.endswith("3 Kamerstuk 26 643, nr. 1022.")
    assert "werd aangenomen.1 Het Hongaarse" in result.text.replace("\n\n", " ")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_ministry_letterhead_column_is_margin_not_body(fmt):
    result = extract(fixture_bytes(f"2023Z08511.{fmt}"))
    margin = " ".join(result.margin)
    assert "Turfmarkt 147" in margin and "4728548" in margin
    assert "Turfmarkt" not in result.text
    assert result.text.startswith("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal")


def test_pdf_line_end_hyphenation_is_undone():
    # LibreOffice hyphenated these words at line ends in the fixture PDFs (see the rendered pages)
    text = extract(fixture_bytes("2024D46963.pdf")).text
    for word in ("veelbesproken", "privacy-inbreuken", "kinderpornografisch", "end-to-end-encryptie"):
        assert word in text
    assert not any(line.endswith("-") for line in text.split("\n") if not line.endswith(" -"))
    assert "brief- en telecommunicatiegeheim" in text


def test_docx_numbered_lists_get_their_numbers():
    text = extract(fixture_bytes("2024D46963.docx")).text
    assert "1. Uitgangspunten" in text and "2. Verdere aandachtspunten en ontwikkelingen" in text
    assert "3. Conclusie" in text
    nota = extract(fixture_bytes("nota-onderbouwing-standpunt.docx")).text
    assert "• WODC onderzoek naar encryptie in de opsporing;" in nota


def test_html_keeps_the_letter_and_drops_menus_scripts_and_footer():
    result = extract(fixture_bytes("2024D46963.html"))
    assert_in_order(keys(source_text("2024D46963")), keys(result.text))
    for noise in ("[overzicht]", "uitgebreid zoeken", "cookies", "Akkoord", "dataLayer", "tracking", "privacy |"):
        assert noise not in result.text
    assert result.title.startswith("Ontwikkelingen CSAM-Verordening")
    assert "1 Kamerstuk 32 317, nr. 891." in result.text.split("\n\n")
    assert "↩" not in result.text


def test_html_breaks_lists_and_tables():
    html = (
        b"<html><body><main><p>Den Haag<br>29 november 2024</p><h2>Kop</h2>"
        b"<ol start=3><li>een</li><li>twee</li></ol><ul><li>punt</li></ul>"
        b"<table><tr><th>Jaar</th><th>Meldingen</th></tr><tr><td>2022</td><td>32 miljoen</td></tr></table>"
        b"<p>Lange tekst die de hoofdinhoud vormt van deze pagina, met genoeg woorden om hoofdinhoud te zijn.</p>"
        b"</main></body></html>"
    )
    assert extract(html).text.split("\n\n") == [
        "Den Haag\n29 november 2024",
        "Kop",
        "3. een",
        "4. twee",
        "- punt",
        "Jaar | Meldingen",
        "2022 | 32 miljoen",
        "Lange tekst die de hoofdinhoud vormt van deze pagina, met genoeg woorden om hoofdinhoud te zijn.",
    ]


def test_html_script_text_never_reaches_the_text():
    html = b"<html><body><p>Brief <script>alert('x')</script>tekst &lt;script&gt; blijft tekst.</p></body></html>"
    assert extract(html).text == "Brief tekst <script> blijft tekst."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_text_in_every_encoding(encoding):
    text = "Minister Yeşilgöz: ‘één’ zaak – “privé” – wél."
    if encoding in ("cp1252", "latin-1"):
        text = "Minister Yesilgöz: één zaak – privé – wél." if encoding == "cp1252" else "één zaak, privé, wél."
    result = extract(text.encode(encoding))
    assert result.text == text


def test_cp1252_letter_from_the_corpus():
    result = extract((FIXTURES / "open_brief_cp1252.txt").read_bytes())
    assert result.encoding == "cp1252"
    assert "ruïneert levens" in result.text and "dat helpt slachtoffers wél" in result.text


def test_markdown_is_kept_as_is():
    result = extract(source_text("nota-onderbouwing-standpunt").encode() + b"\n*client-side scanning*\n")
    assert "*client-side scanning*" in result.text


def test_extract_file_sniffs_the_bytes_not_the_extension(tmp_path):
    from docaudit.read.extract import extract_file

    disguised = tmp_path / "brief.txt"
    disguised.write_bytes((FIXTURES / "2024D46963.docx").read_bytes())
    ex = extract_file(disguised)
    assert ex.format == "docx"
    assert ex.text == extract((FIXTURES / "2024D46963.docx").read_bytes()).text
