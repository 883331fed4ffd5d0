import pytest

from docaudit.testing.repo import LETTERS
from docaudit.text.segment import sentences, split_sentences

# Real sentences from ../shared/corpus (copied to tests/fixtures/letters).
CASES = [
    (
        "U heeft op 28 juni jl. de Kamer geïnformeerd over de beslissing van het kabinet om de motie van "
        "Ginneken c.s. niet uit te voeren. Tijdens het commissiedebat over online veiligheid en "
        "cybercriminaliteit, gehouden op 29 juni jl. is verzocht om een nadere onderbouwing.",
        2,
    ),
    (
        "Hiermee wordt invulling gegeven aan de motie-Kathmann c.s. Hierbij constateert het kabinet dat "
        "technische ontwikkelingen constant in beweging zijn.",
        2,
    ),
    (
        "In deze brief informeert het kabinet uw Kamer nader over de stand van zaken met betrekking tot deze "
        "Verordening naar aanleiding van de motie-Kathmann c.s., die op 9 oktober is ingediend en op dezelfde "
        "datum door uw Kamer werd aangenomen.1 Het Hongaarse voorzitterschap streeft nog steeds naar het "
        "bereiken van een algemene oriëntatie over deze Verordening.",
        2,
    ),
    (
        "De argumenten die daarvoor redengevend zijn, zijn met uw Kamer gedeeld bij brief van 8 mei 2023.3 "
        "Naar het oordeel van Nederland is een van de redenen hiervoor dat geen technologie beschikbaar is.",
        2,
    ),
    ("Kamerstuk 32 317, nr. 891.", 1),
    ("² Kamerstuk 26 643, nr. 998, d.d. 2 februari 2023.", 1),
    ("Zie o.a. het voorbeeld van Apple. Dit blijkt bijv. uit art. 7 van de verordening.", 2),
    ("De minister van Justitie en Veiligheid, D.M. van Weel", 1),
    ("Bent u bekend met het bericht 'WhatsApp en Signal dreigen VK te verlaten vanwege breken encryptie'? (1)", 1),
    ("We zijn eensgezind dat effectieve regels nodig zijn.²³⁴ De plannen zijn volstrekt buiten proportie.", 2),
    ("1. Uitgangspunten", 1),
    ("Dat helpt slachtoffers wél. Is dat zo? Ja!", 3),
    ("Dit is vastgesteld door prof. dr. Jansen en mr. Pietersen op 1 jan. 2024 in Den Haag.", 1),
]


@pytest.mark.parametrize(("text", "count"), CASES)
def test_split_sentences_on_real_letters(text, count):
    parts = split_sentences(text)
    assert len(parts) == count, parts
    assert " ".join(parts) == text  # nothing lost or glued


def test_footnote_marker_stays_with_its_sentence():
    parts = split_sentences("door uw Kamer werd aangenomen.1 Het Hongaarse voorzitterschap streeft.")
    assert parts == ["door uw Kamer werd aangenomen.1", "Het Hongaarse voorzitterschap streeft."]


def test_decimal_and_article_numbers_do_not_split():
    assert len(split_sentences("Artikel 3.1 Wet gegevensbescherming geldt. Het bedrag is € 2.5 miljoen.")) == 2


def test_sentences_of_a_whole_letter_keep_paragraph_positions():
    text = (LETTERS / "2024D46963.txt").read_text(encoding="utf-8")
    result = sentences(text)
    assert [s.index for s in result] == list(range(len(result)))
    assert result[0].text == "32317 JBZ-Raad"
    assert any(s.text == "Hiermee wordt invulling gegeven aan de motie-Kathmann c.s." for s in result)
    paragraphs_seen = [s.paragraph for s in result]
    assert paragraphs_seen == sorted(paragraphs_seen)
    # every sentence ends in terminal punctuation, a footnote marker, or is a heading/address line
    assert all(len(s.text) < 600 for s in result)
