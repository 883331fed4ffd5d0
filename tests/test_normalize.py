from collections import Counter

import pytest

from docaudit.text.normalize import (
    clean,
    comparison_key,
    join_hyphenated,
    join_lines,
    normalize_text,
    paragraphs,
    tokens,
)


def test_clean_nfc_spaces_and_invisible_characters():
    decomposed = "Yes\u0327ilgo\u0308z"  # ş and ö as base letter + combining mark
    text = clean(f"{decomposed}\u00a0zegt:\u200b  iets\u00ad\r\nnieuw\t regel  ")
    assert text == "Yeşilgöz zegt: iets\nnieuw regel"


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("de cyber-", "security van", "de cybersecurity van"),
        ("met end-to-", "end encryptie", "met end-to-end encryptie"),
        ("het brief-", "en telecommunicatiegeheim", "het brief- en telecommunicatiegeheim"),
        ("de CSAM-", "verordening", "de CSAM-verordening"),
        ("Kamerstuk 32317-", "906", "Kamerstuk 32317-906"),
        ("zo-", "als gezegd", "zoals gezegd"),
    ],
)
def test_join_hyphenated(left, right, joined):
    assert join_hyphenated(left, right) == joined


def test_join_hyphenated_prefers_the_documents_own_spelling():
    vocab = Counter({"risico-diensten": 3})
    assert join_hyphenated("hoog risico-", "diensten", vocab) == "hoog risico-diensten"
    assert join_hyphenated("hoog risico-", "diensten", Counter({"risicodiensten": 1})) == "hoog risicodiensten"


def test_join_lines_of_a_pdf_paragraph():
    lines = [
        "Vanuit het perspectief van cybersecurity neemt het nieuwe voorstel ",
        "de zorgen van de AIVD nog onvoldoende weg. De cyber-",
        "securityrisico’s van het voorstel moeten worden bezien.",
    ]
    assert join_lines(lines) == (
        "Vanuit het perspectief van cybersecurity neemt het nieuwe voorstel de zorgen van de AIVD nog "
        "onvoldoende weg. De cybersecurityrisico’s van het voorstel moeten worden bezien."
    )


def test_paragraphs_of_hard_wrapped_text_split_headings_and_keep_lists():
    # from 2025_kamerbrief_deens_voorstel_pdf.txt: a heading line directly above its paragraph
    text = (
        "brief worden de toezeggingen aan uw Kamer zoals gedaan in het \n"
        "commissiedebat gestand gedaan.   \n \n"
        "Kabinetsstandpunt \n"
        "In het Deense voorstel dat nu voorligt is verplichte detectie van \n"
        "online seksueel beeldmateriaal van kinderen helemaal uit het \n"
        "voorstel geschrapt en end-to-end-encryptie wordt niet onmogelijk \n"
        "gemaakt.\n\n"
        "- WODC onderzoek;\n- Europol rapport;\n"
    )
    assert paragraphs(text) == [
        "brief worden de toezeggingen aan uw Kamer zoals gedaan in het commissiedebat gestand gedaan.",
        "Kabinetsstandpunt",
        "In het Deense voorstel dat nu voorligt is verplichte detectie van online seksueel beeldmateriaal "
        "van kinderen helemaal uit het voorstel geschrapt en end-to-end-encryptie wordt niet onmogelijk gemaakt.",
        "- WODC onderzoek;",
        "- Europol rapport;",
    ]


def test_normalize_text_is_stable_under_reflow():
    a = "Het kabinet zal geen voorstellen\nondersteunen die de verplichting inhouden.\n\nTweede alinea."
    b = "Het kabinet zal geen voorstellen ondersteunen\ndie de verplichting\ninhouden.\n\n\n\nTweede   alinea."
    assert normalize_text(a) == normalize_text(b)
    assert normalize_text(a).count("\n\n") == 1


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("de ‘CSAM-Verordening’ genoemd", "de 'CSAM-verordening' genoemd"),
        ("Kamerstuk 34 843, nr. 113", "Kamerstuk 34843, nr. 113"),
        ("end-to-end-encryptie – waarvan", "end-to-endencryptie - waarvan"),
        ("1. Uitgangspunten", "Uitgangspunten"),
        ("We zijn **eensgezind** dat", "We zijn eensgezind dat"),
        ("De Minister van Justitie", "de minister van justitie"),
    ],
)
def test_comparison_key_folds_cosmetic_differences(a, b):
    assert comparison_key(a) == comparison_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("zal Nederland zich onthouden", "kan Nederland zich onthouden"),
        ("het is niet aannemelijk", "het is aannemelijk"),
        ("op 12 en 13 december", "op 5 en 6 december"),
        ("één zaak", "een zaak"),
    ],
)
def test_comparison_key_keeps_real_differences(a, b):
    assert comparison_key(a) != comparison_key(b)


def test_tokens():
    assert tokens("De ‘CSAM-Verordening’, nr. 906!") == ["de", "csamverordening", "nr", "906"]
