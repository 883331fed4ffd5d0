"""What a change does to meaning: levels, signals with direction, severity, summary, and the ranked listing."""

from __future__ import annotations

import pytest

from docaudit.diff import semantic_diff
from docaudit.diff.render import render_diff


def one(old: str, new: str):
    [change] = [c for c in semantic_diff(old, new).changes if c.kind != "cosmetic"]
    return change


@pytest.mark.parametrize(
    ("old", "new", "signal", "at_least"),
    [
        ("Het kabinet zal dit doen.", "Het kabinet zal dit niet doen.", "negation added", 90),
        ("Het kabinet steunt dit niet.", "Het kabinet steunt dit.", "negation removed", 90),
        ("Het kabinet zal de Kamer informeren.", "Het kabinet kan de Kamer informeren.", "commitment weakened", 80),
        ("Het kabinet zal dit doen.", "Het kabinet zal voorlopig bezien of het dit doet.", "commitment weakened", 80),
        ("Het kabinet kan dit doen.", "Het kabinet moet dit doen.", "commitment strengthened", 65),
        (
            "Het kabinet is positief over het voorstel.",
            "Het kabinet is kritisch over het voorstel.",
            "stance reversed",
            80,
        ),
        ("Het kabinet steunt het voorstel.", "Het kabinet wijst het voorstel af.", "stance reversed", 80),
        (
            "U ontvangt uiterlijk 1 januari 2025 een brief.",
            "U ontvangt zo spoedig mogelijk een brief.",
            "deadline made vague",
            75,
        ),
        ("Ik informeer u voor de zomer van 2025.", "Ik informeer u na de zomer van 2025.", "deadline moved later", 70),
        ("De raad is op 12 en 13 december.", "De raad is op 5 en 6 december.", "deadline moved earlier", 50),
        ("Het budget is € 12 miljoen.", "Het budget is € 9,5 miljoen.", "amount changed: -21%", 55),
        ("Met vriendelijke groet, Van Weel", "Met vriendelijke groet, Yeşilgöz", "name changed", 40),
    ],
)
def test_signals_name_the_direction(old, new, signal, at_least):
    change = one(old, new)
    assert change.level == "substantive"
    assert any(s.startswith(signal) for s in change.signals), change.signals
    assert change.severity >= at_least and change.summary


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Zie de bijlage. Vragen kunt u stellen.", "Zie de bijlage; vragen kunt u stellen."),
        ("## 2. Inleiding", "## 2 Inleiding"),
        ("1. Het kabinet zal de Kamer informeren.", "a) Het kabinet zal de Kamer informeren."),
    ],
)
def test_punctuation_capitals_and_numbering_are_minor_and_no_alarm(old, new):
    diff = semantic_diff(old, new)
    assert [c.level for c in diff.changes if c.kind != "cosmetic"] in (["minor"], [])
    assert not diff.substantive and diff.summary_line().startswith("no substantive changes")
    diff.strict = True
    assert diff.substantive == any(c.level == "minor" for c in diff.changes)


def test_the_most_severe_change_is_listed_first_and_json_keeps_text_order():
    old = "De brief is verstuurd. Het kabinet zal dit doen. Het budget is € 10 miljoen."
    new = "De brief is op tijd verstuurd. Het kabinet zal dit niet doen. Het budget is € 11 miljoen."
    diff = semantic_diff(old, new)
    text = render_diff(diff, "terminal")
    assert text.index("negation added") < text.index("amount changed") < text.index("wording changed")
    assert [c.old_index for c in diff.changes] == sorted(c.old_index for c in diff.changes)
    diff.order = "document"
    text = render_diff(diff, "terminal")
    assert text.index("wording changed") < text.index("negation added")
    diff.order, diff.min_severity = "severity", 80
    text = render_diff(diff, "markdown")
    assert "negation added" in text and "amount changed" not in text
    data = diff.to_dict()
    assert data["severity"] == 95 and data["levels"]["substantive"] == 3
    assert data["changes"][1]["summary"] == "negation added" and data["changes"][1]["severity"] == 95


def test_diff_command_orders_filters_and_strict(da, tmp_path):
    (tmp_path / "a.txt").write_text("Zie de bijlage. Vragen kunt u stellen.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Zie de bijlage; vragen kunt u stellen.\n", encoding="utf-8")
    assert da("diff", "a.txt", "b.txt").exit_code == 0  # minor: no alarm
    assert da("diff", "a.txt", "b.txt", "--strict").exit_code == 1
    r = da("diff", "a.txt", "b.txt", "--order", "document", "--min-severity", "50")
    assert r.exit_code == 0 and "minor" not in r.output.split("\n", 2)[2]


def test_the_changes_digest_ranks_every_documents_changes(da):
    import json

    da("demo")
    r = da("changes", "--color", "never")
    lines = [x for x in r.output.splitlines() if x[:3].strip().isdigit()]
    severities = [int(x[:3]) for x in lines]
    assert r.exit_code == 0 and severities == sorted(severities, reverse=True) and severities[0] == 95
    data = json.loads(da("changes", "--json", "--min-severity", "70").stdout)
    assert data and all(e["severity"] >= 70 for e in data)
    assert {e["doc"] for e in data} >= {"2024D46963", "nota-onderbouwing-standpunt"}
    assert "No changes stored since 2099-01-01" in da("changes", "--since", "2099-01-01").output
    assert da("changes", "--since", "gisteren").exit_code == 1


def test_a_new_sentence_naming_de_kamer_is_no_entity_news():
    diff = semantic_diff("Het kabinet zal dit doen.", "Het kabinet zal dit doen. De Kamer wordt hierover geïnformeerd.")
    assert [(c.kind, c.flags) for c in diff.changes] == [("inserted", [])]


def test_changes_name_their_section():
    old = (
        "## Vraag 1\n\nWat gaat u doen?\n\n## Antwoord op vraag 1\n\nIk zal de Kamer informeren.\n\n"
        "1. Uitgangspunten\n\nHet kabinet steunt dit."
    )
    new = old.replace("Ik zal", "Ik kan").replace("steunt dit.", "steunt dit niet.")
    diff = semantic_diff(old, new)
    sections = {c.summary.split(":")[0]: c.section for c in diff.changes if c.kind == "modified"}
    assert sections == {"commitment weakened": "Antwoord op vraag 1", "negation added": "1. Uitgangspunten"}
    assert "(Antwoord op vraag 1)" in render_diff(diff, "terminal")
    assert diff.to_dict()["changes"][0]["section"] == "Antwoord op vraag 1"
