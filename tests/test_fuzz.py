"""Property tests (hypothesis) on the pure parts: normalization, sentences, diffs, the in-place view and
extraction of arbitrary bytes. The suite runs a small budget; ``DOCAUDIT_FUZZ_EXAMPLES=2000`` searches longer
(``python -m pytest tests/test_fuzz.py``)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docaudit.diff import semantic_diff
from docaudit.diff.inplace import in_place
from docaudit.errors import DocauditError
from docaudit.read.extract import extract
from docaudit.read.limits import Limits
from docaudit.testing.inplace import placement_problems
from docaudit.text.normalize import normalize_text
from docaudit.text.segment import split_sentences

EXAMPLES = int(os.environ.get("DOCAUDIT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = "het kabinet zal niet kan de Kamer voor 1 januari 2025 informeren over c.s. nr. 12 motie € 3,5 miljoen".split()
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
letter = st.lists(paragraph, min_size=1, max_size=6).map("\n\n".join)
anything = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)


@FUZZ
@given(anything)
def test_normalizing_twice_changes_nothing(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@FUZZ
@given(anything)
def test_sentences_keep_every_word(text):
    normalized = normalize_text(text)
    words = " ".join(split_sentences(normalized.replace("\n", " "))).split()
    assert words == normalized.replace("\n", " ").split()


@FUZZ
@given(letter)
def test_a_text_against_itself_has_no_changes(text):
    assert semantic_diff(text, text).changes == []


@FUZZ
@given(
    letter,
    st.lists(st.tuples(st.sampled_from(["drop", "insert", "swap", "edit"]), st.integers(0, 50)), max_size=4),
    sentence,
)
def test_the_in_place_view_gives_back_the_new_text(old, edits, extra):
    paras = old.split("\n\n")
    for op, n in edits:
        i = n % len(paras)
        if op == "drop" and len(paras) > 1:
            paras.pop(i)
        elif op == "insert":
            paras.insert(i, extra)
        elif op == "swap" and len(paras) > 1:
            j = (i + 1) % len(paras)
            paras[i], paras[j] = paras[j], paras[i]
        elif op == "edit":
            paras[i] = paras[i].replace("zal", "zal niet", 1) if "zal" in paras[i] else paras[i] + " " + extra
    diff = semantic_diff(old, "\n\n".join(paras))
    assert placement_problems(diff, in_place(diff)) == []


PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"{\\rtf1", b"\xff\xfe"]


@FUZZ
@given(st.sampled_from(PREFIXES), st.binary(max_size=2000))
def test_any_bytes_give_a_text_or_a_documented_error(prefix, data):
    try:
        result = extract(prefix + data, limits=Limits(isolate=False))
    except DocauditError:
        return
    assert result.text.strip()
