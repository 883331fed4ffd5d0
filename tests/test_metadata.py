from datetime import date

from docaudit.testing.repo import LETTERS
from docaudit.text.metadata import find_date, find_kamerstukken, find_metadata, parse_dutch_date


def test_dates_in_the_forms_letters_use():
    assert find_date("Aan de Voorzitter\n\nDen Haag, 29 november 2024\n\nTijdens") == date(2024, 11, 29)
    assert find_date("Ons kenmerk\n4728548\n\nDatum 22 augustus 2023\nOnderwerp") == date(2023, 8, 22)
    assert find_date("Datum\n22 augustus 2023") == date(2023, 8, 22)
    assert find_date("Datum: 1 oktober 2024") == date(2024, 10, 1)
    assert find_date("Vastgesteld 8 oktober 2024\n\nDe vaste commissie") == date(2024, 10, 8)
    assert find_date("gesproken op 9 oktober jl.") is None  # a date in the text is not the letter's date
    assert parse_dutch_date("12 dec. 2024") == date(2024, 12, 12)
    assert find_date("Den Haag, 31 februari 2024") is None


def test_metadata_of_the_tkconv_page():
    meta = find_metadata((LETTERS / "2024D46963_v2_tkconv_page.txt").read_text(encoding="utf-8"))
    assert meta["date"] == "2024-11-29"
    assert meta["document_number"] == "2024D46963"
    assert meta["zaak"] == "2024Z19846"
    assert meta["kamerstuk"] == "32317-906"
    assert meta["version"] == 2
    assert meta["kamerstuk_refs"] == ["32317-891", "34843-113", "26643-1022"]


def test_metadata_of_answers_to_questions():
    meta = find_metadata((LETTERS / "2023-08-22_antwoorden_kamervragen_2023Z08511.txt").read_text(encoding="utf-8"))
    assert meta["date"] == "2023-08-22"
    assert meta["kenmerk"] == "4728548"
    assert meta["uw_kenmerk"] == "2023Z08511"
    assert "document_number" not in meta


def test_kamerstuk_references():
    text = "zie Kamerstuk 32 317, nr. 891 en Kamerstuk 32317-906; Kamerstukken 32 317 en 34 843, nr. 977."
    assert find_kamerstukken(text) == ["32317-891", "32317-906", "32317-977"]
