"""What a change does to meaning: levels, signals with direction, severity, summary, and the ranked listing."""

from __future__ import annotations

import pytest

from docaudit.diff import semantic_diff
from docaudit.diff.render import render_diff
from docaudit.testing.repo import FIXTURES


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
    assert diff.changed(strict=True) == any(c.level == "minor" for c in diff.changes)
    assert render_diff(diff, "json", strict=True) == render_diff(diff, "json")  # display options stay out of data


def test_the_most_severe_change_is_listed_first_and_json_keeps_text_order():
    old = "De brief is verstuurd. Het kabinet zal dit doen. Het budget is € 10 miljoen."
    new = "De brief is op tijd verstuurd. Het kabinet zal dit niet doen. Het budget is € 11 miljoen."
    diff = semantic_diff(old, new)
    text = render_diff(diff, "terminal")
    assert text.index("negation added") < text.index("amount changed") < text.index("wording changed")
    assert [c.old_index for c in diff.changes] == sorted(c.old_index for c in diff.changes)
    text = render_diff(diff, "terminal", order="document")
    assert text.index("wording changed") < text.index("negation added")
    text = render_diff(diff, "markdown", min_severity=80)
    assert "negation added" in text and "amount changed" not in text
    data = diff.to_dict()
    assert data["severity"] == 95 and data["levels"]["substantive"] == 3
    assert data["changes"][1]["summary"] == "negation added (commitment reversed)"
    assert data["changes"][1]["severity"] == 95


def test_diff_command_orders_filters_and_strict(da, tmp_path):
    (tmp_path / "a.txt").write_text("Zie de bijlage. Vragen kunt u stellen.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Zie de bijlage; vragen kunt u stellen.\n", encoding="utf-8")
    assert da("diff", "a.txt", "b.txt").exit_code == 0  # minor: no alarm
    assert da("diff", "a.txt", "b.txt", "--strict").exit_code == 1
    plain, strict = da("diff", "a.txt", "b.txt", "--json"), da("diff", "a.txt", "b.txt", "--json", "--strict")
    assert (plain.exit_code, strict.exit_code) == (0, 1) and plain.output == strict.output  # --strict: the exit only
    r = da("diff", "a.txt", "b.txt", "--order", "document", "--min-severity", "50")
    assert r.exit_code == 0 and "minor" not in r.output.split("\n", 2)[2]


def test_the_changes_digest_ranks_every_documents_changes(da):
    import json

    da("demo")
    r = da("changes", "--color", "never")
    groups: list[list[int]] = []  # each document once, then its changes: most severe first, within and across
    for line in r.output.splitlines():
        if line and not line.startswith(" "):
            groups.append([])
        elif line.startswith("  ") and line.split()[0].isdigit():
            groups[-1].append(int(line.split()[0]))
    assert r.exit_code == 0 and all(g == sorted(g, reverse=True) for g in groups) and groups[0][0] == 95
    assert [g[0] for g in groups] == sorted((g[0] for g in groups), reverse=True)
    assert "[-" in r.output or "{+" in r.output  # old → new, the changed words marked
    data = json.loads(da("changes", "--json", "--min-severity", "70").stdout)
    assert data and all(e["severity"] >= 70 for e in data)
    assert {e["doc"] for e in data} >= {"2024D46963", "nota-onderbouwing-standpunt"}
    assert "No changes stored since 2099-01-01" in da("changes", "--since", "2099-01-01").output
    assert da("changes", "--since", "gisteren").exit_code == 1


def test_changes_keeps_each_pairs_changes_and_diffs_a_pair_once(da, tmp_path, monkeypatch):
    import json
    import sqlite3

    from docaudit.changes import digest

    da("demo")
    first = json.loads(da("changes", "--json", "--limit", "0").stdout)
    diffed: list[str] = []
    pair = digest.pair_changes
    monkeypatch.setattr(digest, "pair_changes", lambda *a, **k: diffed.append(a[1].ref) or pair(*a, **k))
    assert json.loads(da("changes", "--json", "--limit", "0").stdout) == first and diffed == []  # read, not diffed
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        kept = conn.execute("SELECT count(*), count(DISTINCT made_with) FROM pair_changes").fetchone()
        assert kept[0] >= len({e["version"] for e in first}) and kept[1] == 1
        # other ignore rules are another question: diffed, and kept beside the first answers
        da("changes", "--json", "--ignore", "Den Haag")
        assert diffed and conn.execute("SELECT count(*) FROM pair_changes").fetchone()[0] > kept[0]
        # what older code made is not read: diffed again, and the old rows go
        conn.execute("UPDATE pair_changes SET made_with = 'older code'")
    diffed.clear()
    assert json.loads(da("changes", "--json", "--limit", "0").stdout) == first and diffed
    with sqlite3.connect(tmp_path / "audit.db") as conn:
        assert conn.execute("SELECT count(*) FROM pair_changes WHERE made_with = 'older code'").fetchone()[0] == 0


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


LETTER = (FIXTURES / "letters" / "2024D46963.txt").read_text(encoding="utf-8")


def _variant(*pairs: tuple[str, str]) -> str:
    text = LETTER
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(
    "new, reason",
    [
        (
            _variant(
                (
                    "De afgelopen tijd is met",
                    "Tweede Kamer der Staten-Generaal 2 Vergaderjaar 2024–2025\n\nDe afgelopen tijd is met",
                )
            ),
            "letterhead",
        ),
        (
            _variant(
                (
                    "Den Haag, 29 november 2024\n\n",
                    "Den Haag, 29 november 2024\n\nDatum 29 november 2024\n\nKenmerk 5937451\n\n",
                )
            ),
            "letterhead",
        ),
        (_variant(("Veiligheid,\n\nD.M. van Weel", "Veiligheid, D.M. van Weel")), "sentence boundaries"),
        (
            _variant(
                ("Om die reden is het de verwachting", "**Om die reden is het de verwachting"),
                ("dat dit nog zal gebeuren.", "dat dit nog zal gebeuren.**"),
            ),
            "emphasis",
        ),
        (LETTER.encode("utf-8").decode("cp1252", errors="ignore"), "encoding repaired"),
    ],
    ids=["running header", "datum and kenmerk", "signature re-flowed", "bold across sentences", "mojibake"],
)
def test_layout_noise_is_cosmetic_with_its_reason(new, reason):
    diff = semantic_diff(LETTER, new)
    assert diff.changes and all(c.level == "cosmetic" for c in diff.changes)
    assert reason in {r for c in diff.changes for r in c.reasons}
    assert not diff.substantive


def test_a_letterhead_field_with_a_new_value_is_shown_as_furniture_and_raises_no_alarm():
    old = "Datum 29 november 2024\n\nKenmerk 5937451\n\nDe brief begint hier met een zin."
    new = "Datum 29 november 2024\n\nKenmerk 6012345-AB\n\nDe brief begint hier met een zin."
    diff = semantic_diff(old, new)
    (change,) = diff.changes
    assert change.kind == "modified" and change.level == "minor" and change.signals == ["letter furniture: kenmerk"]
    assert not diff.substantive and change.severity < 5


def test_punctuation_for_en_is_minor():
    new = _variant(("geen nieuw voorstel gedaan en het is niet", "geen nieuw voorstel gedaan; het is niet"))
    (change,) = semantic_diff(LETTER, new).changes
    assert change.level == "minor"
    worse = _variant(("geen nieuw voorstel gedaan en het is niet", "geen nieuw voorstel gedaan of het is niet"))
    assert semantic_diff(LETTER, worse).changes[0].level == "substantive"


def test_english_mojibake_with_a_lost_byte_is_repaired_and_real_edits_still_show():
    old = (
        "FEMA is working with the “roaming” teams in 40 towns of Puerto Rico. The teams will deliver water.\n\n"
        "Assistance is available to residents who register before October 31."
    )
    broken = old.encode("utf-8").decode("cp1252", errors="ignore")  # "”" loses its last byte, 0x9D
    assert "â€" in broken and "\x9d" not in broken
    diff = semantic_diff(old, broken.replace("40 towns", "25 towns"))
    kinds = sorted((c.level, c.kind) for c in diff.changes)
    assert kinds == [("substantive", "modified")] or kinds == [("cosmetic", "cosmetic"), ("substantive", "modified")]
    (edit,) = [c for c in diff.changes if c.level == "substantive"]
    assert edit.signals == ["amount changed: -38%"] and "name changed" not in " ".join(edit.signals)
    assert "â€" in (edit.new_text or "")  # shown as the version holds it; compared repaired


def test_a_name_replaced_under_the_signature_is_one_change_naming_the_new_signatory():
    diff = semantic_diff(LETTER, _variant(("D.M. van Weel", "I. Coenradie")))
    (change,) = diff.changes
    assert change.kind == "modified" and change.summary == "signatory changed: D.M. van Weel → I. Coenradie"
    assert change.level == "minor" and not diff.substantive


def test_a_swapped_modal_counts_even_when_a_stronger_one_stays():
    old = "De risico's moeten worden bezien, omdat een aanvaller misbruik zal maken van de functie."
    new = "De risico's moeten worden bezien, omdat een aanvaller misbruik kan maken van de functie."
    (change,) = semantic_diff(old, new).changes
    assert change.signals[0] == "commitment weakened: 'zal' → 'kan'"


def test_one_date_moved_among_several_is_a_deadline_moved():
    old = "Zie de brieven van 2 februari 2023, 8 mei 2023 en 27 juni 2023 over dit onderwerp."
    new = "Zie de brieven van 2 juni 2023, 8 mei 2023 en 27 juni 2023 over dit onderwerp."
    (change,) = semantic_diff(old, new).changes
    assert change.signals[0] == "deadline moved later"


def test_a_changed_footnote_is_located_and_a_kamerstuk_number_is_no_amount():
    new = _variant(("Kamerstuk 34 843, nr. 113.", "Kamerstuk 34 843, nr. 115."))
    (change,) = semantic_diff(LETTER, new).changes
    assert change.section == "footnote 2"
    assert not any(s.startswith("amount changed") for s in change.signals) and "number" in change.flags
    numbered = "Inleiding.\n\n1. Conclusie\n\nHet kabinet zal dit doen.\n\n2. Vervolg\n\nDaarna volgt meer."
    diff = semantic_diff(numbered, numbered.replace("Daarna volgt meer.", "Daarna volgt veel meer."))
    assert diff.changes[0].section == "2. Vervolg"  # a numbered heading is no footnote
