"""The diff library: alignment, word diff, flags, cosmetic reasons, and the data it returns."""

from __future__ import annotations

import random

import pytest

from docaudit.diff import line_diff, semantic_diff, word_diff
from docaudit.diff.cosmetic import reasons
from docaudit.diff.flags import compute_flags
from docaudit.diff.sequence import decode, encode, grouped, opcodes
from docaudit.diff.words import tokenize
from docaudit.diff.words import word_diff as word_ops
from docaudit.testing.repo import source_text

LETTER = source_text("2024D46963")


def kinds(diff) -> list[str]:
    return [c.kind for c in diff.changes]


# --- sequence alignment -------------------------------------------------------------------------


def test_opcodes_rebuild_the_new_sequence():
    rng = random.Random(7)
    for _ in range(50):
        a = [rng.choice("abcdefgh") for _ in range(rng.randint(0, 30))]
        b = list(a)
        for _ in range(rng.randint(0, 6)):
            op = rng.choice("idr")
            pos = rng.randint(0, len(b))
            if op == "i":
                b.insert(pos, rng.choice("xyz"))
            elif b and pos < len(b):
                if op == "d":
                    del b[pos]
                else:
                    b[pos] = rng.choice("xyz")
        rebuilt: list[str] = []
        for tag, i1, i2, j1, j2 in opcodes(a, b):
            rebuilt.extend(a[i1:i2] if tag == "equal" else b[j1:j2])
            if tag == "equal":
                assert a[i1:i2] == b[j1:j2]
        assert rebuilt == b


def test_encoding_survives_more_items_than_the_surrogate_gap():
    items = [f"s{n}" for n in range(60_000)]
    sa, sb, alphabet = encode(items, items[::-1])
    assert decode(sa, alphabet) == items
    assert len(set(sa)) == 60_000


def test_grouped_hunks_keep_context():
    a = [str(n) for n in range(20)]
    b = list(a)
    b[10] = "x"
    (hunk,) = grouped(opcodes(a, b), 2)
    assert hunk[0] == ("equal", 8, 10, 8, 10)
    assert hunk[-1] == ("equal", 11, 13, 11, 13)
    assert grouped(opcodes(a, a), 3) == []


# --- word diff ---------------------------------------------------------------------------------


def test_tokenize_is_lossless():
    text = "Het kabinet zal, conform de motie-Kathmann c.s., 34 843 ‘meldingen’ — niet — behandelen.\n\nEinde."
    assert "".join(tokenize(text)) == text


def test_word_diff_changes_whole_words_and_rebuilds_both_texts():
    old = "Verder lijkt het op dit moment niet aannemelijk dat de blokkerende minderheid wordt opgeheven."
    new = "Verder lijkt het op dit moment aannemelijk dat de blokkerende minderheid snel wordt opgeheven."
    ops = word_ops(old, new)
    assert "".join(t for op, t in ops if op <= 0) == old
    assert "".join(t for op, t in ops if op >= 0) == new
    assert (-1, "niet ") in ops or (-1, "niet") in ops
    assert [t.strip() for op, t in ops if op == 1] == ["snel"]


# --- flags -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, flags",
    [
        ("Het kabinet steunt dit niet.", "Het kabinet steunt dit.", ["negation"]),
        ("Er is geen bezwaar.", "Er is een bezwaar.", ["negation"]),
        ("Zo acht het kabinet dat wel proportioneel.", "Zo acht het kabinet dat niet proportioneel.", ["negation"]),
        ("Dit is wenselijk.", "Dit is onwenselijk.", ["negation"]),
        ("Het kabinet zal dit doen.", "Het kabinet kan dit doen.", ["modality"]),
        ("De inbreuk moet kunnen worden gerechtvaardigd.", "De inbreuk kan worden gerechtvaardigd.", ["modality"]),
        ("Dit lijkt mogelijk.", "Dit is mogelijk.", ["modality"]),
        ("De JBZ-raad van 12 en 13 december.", "De JBZ-raad van 19 en 20 december.", ["date"]),
        ("Den Haag, 29 november 2024", "Den Haag, 3 december 2024", ["date"]),
        ("In 2025 volgt een brief.", "In 2026 volgt een brief.", ["date"]),
        ("Vóór de zomer volgt een brief.", "Na de zomer volgt een brief.", ["date"]),
        ("Er zijn 34 843 meldingen.", "Er zijn 35 843 meldingen.", ["number"]),
        ("Er komen twee brieven.", "Er komen drie brieven.", ["number"]),
        ("Zie Kamerstuk 26 643, nr. 885.", "Zie Kamerstuk 26 643, nr. 886.", ["number"]),
        ("Het advies van de AIVD.", "Het advies van de NCTV.", ["entity"]),
        ("De motie-Kathmann c.s. vraagt dit.", "De motie-Six Dijkstra c.s. vraagt dit.", ["entity"]),
        ("• Europol rapport over misdaad.", "• Interpol rapport over misdaad.", ["entity"]),
        ("De leden Slootweg en Kuik (CDA).", "De leden Slootweg en Kuik (VVD).", ["entity"]),
        (
            "Het kabinet zal de AIVD in 2025 niet vragen.",
            "Het kabinet kan de NCTV in 2026 vragen.",
            ["negation", "modality", "date", "entity"],
        ),
        # no flags: cosmetic or ordinary rewording
        ("Er zijn 34 843 meldingen.", "Er zijn 34.843 meldingen.", []),
        ("De Minister schrijft.", "De minister schrijft.", []),
        ("Encryptie stelt de opsporing voor uitdagingen.", "Encryptie stelt de opsporing voor grote uitdagingen.", []),
        ("Hierbij constateert het kabinet dit.", "Hierbij stelt het kabinet dit vast.", []),
        ("Ik kom voor de vergadering.", "Ik kom na de vergadering.", []),
        ("Dat is goed te duiden.", "Dat is lastig te duiden.", []),
    ],
)
def test_flags(old, new, flags):
    assert compute_flags(old, new) == flags


def test_words_that_only_move_inside_a_sentence_flag_nothing():
    assert compute_flags("Niet nu zal het kabinet dit doen.", "Het kabinet zal dit niet nu doen.") == []


# --- cosmetic reasons ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, why",
    [
        ("De Minister schrijft.", "De minister schrijft.", ["case"]),
        ("de ‘CSAM-Verordening’", 'de "CSAM-Verordening"', ["quotes and dashes"]),
        ("bedrijven – onder meer", "bedrijven - onder meer", ["quotes and dashes"]),
        ("Kamerstuk 32 317, nr. 891.", "Kamerstuk 32317, nr. 891.", ["number spacing"]),
        ("end-to-end-encryptie", "end-to-endencryptie", ["hyphenation"]),
        ("met *client-side scanning* kan", "met client-side scanning kan", ["emphasis"]),
        ("1. Uitgangspunten", "a) Uitgangspunten", ["list numbering"]),
        ("Het  kabinet , zegt", "Het kabinet, zegt", ["whitespace"]),
        ("Het kabinet zegt dat.", "Het kabinet zegt dat!", []),
    ],
)
def test_cosmetic_reasons(old, new, why):
    assert reasons(old, new) == why


# --- semantic diff -------------------------------------------------------------------------------


def test_identical_texts_have_no_changes():
    diff = semantic_diff(LETTER, LETTER)
    assert diff.changes == [] and not diff.substantive
    assert diff.summary_line() == "no substantive changes"


def test_a_rephrased_sentence_is_one_modified_change_with_its_word_diff():
    old = LETTER
    new = LETTER.replace("onverminderd blijft steunen", "niet langer zal steunen")
    diff = semantic_diff(old, new)
    (change,) = diff.changes
    assert change.kind == "modified"
    assert change.flags == ["negation", "modality"]
    assert change.old_index == change.new_index
    assert "".join(t for op, t in change.words if op >= 0) == change.new_text
    assert diff.summary_line() == "1 modified (1 negation, 1 modality)"


def test_a_moved_paragraph_is_one_move_not_a_delete_and_an_insert():
    paras = LETTER.split("\n\n")
    moved = paras.pop(9)  # "In deze brief worden de Nederlandse uitgangspunten …" (5 sentences)
    assert moved.startswith("In deze brief worden")
    paras.insert(18, moved)
    diff = semantic_diff(LETTER, "\n\n".join(paras))
    assert kinds(diff) == ["moved"]
    (change,) = diff.changes
    assert change.old_count == change.new_count == 5
    assert change.flags == []
    assert not change.words  # moved unchanged: nothing to word-diff


def test_a_moved_and_edited_sentence_is_moved_with_flags():
    text = "Eerste zin hier. Tweede zin die blijft staan.\n\nDe commissie zal het voorstel in december bespreken.\n\n"
    text += "\n\n".join(f"Alinea {n} met eigen inhoud over onderwerp {n}." for n in range(6))
    paras = text.split("\n\n")
    moved = paras.pop(1).replace("zal", "kan")
    paras.append(moved)
    diff = semantic_diff(text, "\n\n".join(paras))
    (change,) = diff.changes
    assert change.kind == "moved"
    assert change.flags == ["modality"]


def test_inserted_and_deleted_sentences_are_grouped_per_paragraph():
    old = "A is waar. B is waar.\n\nC is waar. D is waar. E is waar.\n\nF is waar."
    new = "A is waar. B is waar. Nieuw één is hier. Nieuw twee is hier.\n\nC is waar.\n\nF is waar."
    diff = semantic_diff(old, new)
    assert kinds(diff) == ["inserted", "deleted"]
    inserted, deleted = diff.changes
    assert (inserted.new_index, inserted.new_count) == (2, 2)
    assert (deleted.old_index, deleted.old_count) == (3, 2)
    assert deleted.new_index is None and inserted.old_index is None


def test_a_sentence_split_in_two_is_one_modified_change():
    old = "Het kabinet steunt het voorstel, omdat de waarborgen voor privacy en veiligheid nu voldoende zijn geregeld."
    new = "Het kabinet steunt het voorstel. De waarborgen voor privacy en veiligheid zijn nu voldoende geregeld."
    diff = semantic_diff(old, new)
    (change,) = diff.changes
    assert change.kind == "modified"
    assert (change.old_count, change.new_count) == (1, 2)


def test_resegmented_text_is_cosmetic():
    old = "De minister heeft besloten dat de brief wordt verzonden. Dat gebeurt morgen."
    new = "De minister heeft\n\nbesloten dat de brief wordt verzonden. Dat gebeurt morgen."
    diff = semantic_diff(old, new)
    assert kinds(diff) == ["cosmetic"]
    assert "sentence boundaries" in diff.changes[0].reasons


def test_page_furniture_in_one_version_is_cosmetic():
    old = "Voorlopige versie ter inzage\n\nDe brief zelf begint hier. En gaat hier verder."
    new = "De brief zelf begint hier. En gaat hier verder."
    plain = semantic_diff(old, new)
    assert kinds(plain) == ["deleted"]
    known = semantic_diff(old, new, new_furniture=["Voorlopige versie ter inzage"])
    assert kinds(known) == ["cosmetic"] and known.changes[0].reasons == ["page furniture"]


def test_changes_follow_the_new_version_and_summary_counts_them():
    new = LETTER.replace("12 en 13 december", "19 en 20 december").replace(
        "Het is binnen het huidige Europese krachtenveld niet opportuun voor Nederland om dit te bewerkstelligen.", ""
    )
    new = new.replace("De minister van Justitie en Veiligheid,", "De Minister van Justitie en Veiligheid,")
    diff = semantic_diff(LETTER, new)
    assert diff.summary == {"inserted": 0, "deleted": 1, "modified": 1, "moved": 0, "cosmetic": 1}
    assert diff.summary_line() == "1 modified (1 date), 1 deleted; 1 cosmetic"
    positions = [c.new_index if c.new_index is not None else -1 for c in diff.changes]
    assert kinds(diff) == ["modified", "deleted", "cosmetic"]
    assert positions[0] < positions[2]


def test_completely_different_texts_use_the_index_and_stay_fast():
    import time

    a = " ".join(f"Zin nummer {n} gaat over onderwerp {n * 7 % 101} en meer." for n in range(400))
    b = " ".join(f"Regel {n} bespreekt thema {n * 13 % 97} uitgebreid vandaag." for n in range(400))
    start = time.perf_counter()
    diff = semantic_diff(a, b)
    assert time.perf_counter() - start < 10  # a guard against quadratic blow-up, not a benchmark
    assert diff.summary["inserted"] >= 1 and diff.summary["deleted"] >= 1


# --- line and word diffs -------------------------------------------------------------------------


def test_line_diff_is_one_paragraph_per_line_and_ignores_line_breaks():
    old = "Een alinea die over\ntwee regels loopt.\n\nTweede alinea."
    new = "Een alinea die over twee regels loopt.\n\nTweede alinea, gewijzigd."
    diff = line_diff(old, new)
    (hunk,) = diff.hunks
    assert hunk.lines == [
        (" ", "Een alinea die over twee regels loopt."),
        ("-", "Tweede alinea."),
        ("+", "Tweede alinea, gewijzigd."),
    ]
    assert (hunk.old_start, hunk.old_count, hunk.new_start, hunk.new_count) == (1, 2, 1, 2)
    assert diff.substantive


def test_line_diff_by_sentence():
    diff = line_diff("Een. Twee. Drie.", "Een. Twee! Drie.", by="sentence", context=0)
    (hunk,) = diff.hunks
    assert hunk.lines == [("-", "Twee."), ("+", "Twee!")]


def test_line_diff_of_cosmetic_change_is_not_substantive():
    diff = line_diff("De Minister schrijft.", "De minister schrijft.")
    assert diff.hunks and not diff.substantive


def test_word_diff_of_whole_texts():
    diff = word_diff(LETTER, LETTER.replace("twee delen", "drie delen"))
    assert [t for op, t in diff.words if op] == ["twee", "drie"]
    assert diff.substantive


def test_an_excerpt_keeps_the_changed_words_and_cuts_the_long_stretches_around_them():
    from docaudit.diff.render import markers
    from docaudit.diff.words import excerpt, word_diff

    old = "Het kabinet " + "heeft daarbij veel gesprekken gevoerd met allerlei organisaties " * 8 + "in februari."
    new = old.replace("in februari.", "in juni.")
    shown = markers(excerpt(word_diff(old, new), context=6))
    assert "[-februari-]{+juni+}" in shown and shown.startswith("…") and len(shown) < 120
