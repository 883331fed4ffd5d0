"""Meaning judgement: one analysis of a sentence pair behind the diff, the commitments and every list; letter
furniture, number roles, stance and hedge classes, spelling, ignore rules; and the labelled set's figures."""

from __future__ import annotations

import json

import pytest

from docaudit.changes.compare import with_commitments
from docaudit.diff import semantic_diff
from docaudit.diff.render import render_diff
from docaudit.meaning.numbers import amounts, numbers
from docaudit.testing import meaningset
from docaudit.testing.localserver import Reply


def one(old: str, new: str):
    changes = [c for c in semantic_diff(old, new).changes if c.kind != "cosmetic"]
    assert len(changes) == 1, changes
    return changes[0]


@pytest.mark.parametrize(
    ("old", "new", "signal"),
    [
        # hedges, in classes rather than single entries
        (
            "Het kabinet zal de regeling aanpassen.",
            "Het kabinet zal de regeling mogelijk aanpassen.",
            "commitment weakened",
        ),
        (
            "Het kabinet zal de regeling aanpassen.",
            "Het kabinet neemt in overweging de regeling aan te passen.",
            "commitment weakened",
        ),
        (
            "Het kabinet zal de regeling aanpassen.",
            "Het kabinet streeft ernaar de regeling aan te passen.",
            "commitment weakened",
        ),
        ("Het kabinet wil de regeling aanpassen.", "Het kabinet zal de regeling aanpassen.", "commitment strengthened"),
        # stance, both ways, with intensity
        (
            "Het kabinet steunt het voorstel van de Commissie.",
            "Het kabinet heeft zorgen over het voorstel van de Commissie.",
            "stance reversed",
        ),
        (
            "Nederland is kritisch over het compromis.",
            "Nederland staat positief tegenover het compromis.",
            "stance reversed",
        ),
        ("Nederland zal tegen het voorstel stemmen.", "Nederland zal zich van stemming onthouden.", "stance softened"),
        (
            "Wij hebben ernstige zorgen over de verordening.",
            "Wij hebben enige vragen over de verordening.",
            "stance softened",
        ),
        # deadlines read as date ranges, the promise's event named in the same line
        (
            "Ik zal de evaluatie vóór 1 juli 2025 naar uw Kamer sturen.",
            "Ik zal de evaluatie na het zomerreces van 2025 naar uw Kamer sturen.",
            "deadline moved later",
        ),
        (
            "U ontvangt de rapportage uiterlijk 1 december.",
            "U ontvangt de rapportage in het voorjaar van 2025.",
            "deadline moved later",
        ),
        # numbers by role
        (
            "Zie Kamerstuk 36 410, nr. 113 voor de achtergrond.",
            "Zie Kamerstuk 36 410, nr. 115 voor de achtergrond.",
            "reference changed",
        ),
        ("Het budget stijgt met 12 procent.", "Het budget stijgt met 15 procent.", "amount changed: 12% → 15%"),
        ("De zorgen vallen uiteen in twee delen.", "De zorgen vallen uiteen in drie delen.", "amount changed: +50%"),
    ],
)
def test_new_wordings_fall_into_classes(old, new, signal):
    change = one(old, new)
    assert change.level == "substantive" and any(s.startswith(signal) for s in change.signals), change.signals
    assert change.why and change.why[0].startswith(f"{change.severity if len(change.why) == 1 else ''}")


@pytest.mark.parametrize(
    ("old", "new", "summary"),
    [
        ("Den Haag, 29 november 2024", "Den Haag, 2 december 2024", "letter furniture: den"),
        ("Vastgesteld 30 september 2024", "Vastgesteld 2 oktober 2024", "letter furniture: vastgesteld"),
        ("Pagina 3 van 7", "Pagina 3 van 8", "letter furniture: pagina"),
        (
            "Tweede Kamer der Staten-Generaal 2",
            "Tweede Kamer, vergaderjaar 2024–2025, 36 410, nr. 12 2",
            "letter furniture: tweede",
        ),
        (
            "Nummer: 2024D46963, datum: 2024-11-29, bijgewerkt: 2024-12-16 17:20, versie: 2",
            "Nummer: 2024D46963, datum: 2024-11-29, bijgewerkt: 2024-12-19 09:00, versie: 3",
            "letter furniture: nummer:",
        ),
        ("Het doel blijft onverminderdt van kracht.", "Het doel blijft onverminderd van kracht.", "spelling:"),
        (
            "De minister van Justitie en Veiligheid,",
            "De staatssecretaris van Justitie en Veiligheid,",
            "signatory changed",
        ),
    ],
)
def test_furniture_spelling_and_signatories_raise_no_alarm(old, new, summary):
    body = "\n\nHet kabinet zal de Kamer voor de zomer informeren over de voortgang.\n\n"
    diff = semantic_diff(f"{old}{body}", f"{new}{body}")
    (change,) = [c for c in diff.changes if c.kind != "cosmetic"]
    assert change.level == "minor" and change.summary.startswith(summary), change.summary
    assert not diff.substantive and change.severity <= 10


def test_a_real_word_swapped_is_no_spelling_fix():
    assert one("Het kabinet steunt het voorstel.", "Het kabinet stuurt het voorstel.").level == "substantive"
    assert one("Het kabinet wil dit invoeren.", "Het kabinet wil dit uitvoeren.").level == "substantive"


def test_numbers_have_roles():
    roles = {(n.role, n.unit) for n in numbers("€ 12 miljoen voor 334 gemeenten (Kamerstuk 30 982, nr. 46), p. 3")}
    assert roles == {
        ("money", "€"),
        ("count", "gemeenten"),
        ("reference", "kamerstuk"),
        ("reference", "nr"),
        ("page", "p"),
    }
    assert amounts("Tweede Kamer, vergaderjaar 2024–2025, 36 410, nr. 12 2") == []
    assert amounts("**5. Toelichting**") == [] and amounts("Pagina 3 van 7")[0:1] == []
    assert [n.value for n in amounts("met circa 1 mld. worden verminderd")] == [1e9]


def test_encoding_debris_in_latin1_and_cp1252_is_repaired_before_comparing():
    text = "Het kabinet – dat is ‘mooi’ – steunt café Ćorić en de € 5 bijdrage.\n\nTweede zin blijft."
    latin1 = text.encode("utf-8").decode("latin-1")
    cp1252 = meaningset._cp1252_mojibake(text)
    for broken in (latin1, cp1252):
        diff = semantic_diff(text, broken)
        assert not diff.substantive and all(c.kind == "cosmetic" for c in diff.changes)


def test_one_story_the_change_and_the_commitments_say_the_same():
    old = (
        "Ik zal uw Kamer voor de zomer informeren over de resultaten.\n\n"
        "Ik zal geen nieuwe verplichtingen voor gemeenten invoeren."
    )
    new = (
        "Ik zal uw Kamer na de zomer informeren over de resultaten.\n\n"
        "Ik zal nieuwe verplichtingen voor gemeenten invoeren."
    )
    diff = with_commitments(semantic_diff(old, new))
    summaries = sorted(c.summary for c in diff.changes)
    assert summaries[0].startswith("deadline moved later") and "(commitment postponed)" in summaries[0]
    assert summaries[1] == "negation removed (commitment reversed)"
    assert sorted(e["event"] for e in diff.commitments) == ["postponed", "reversed"]


def test_a_dated_occasion_is_a_deadline_of_a_promise():
    from datetime import date

    from docaudit.meaning.promise import commitment_of
    from docaudit.text.segment import Sentence

    c = commitment_of(
        Sentence("Vóór de Raad van 13 oktober informeer ik uw Kamer over de inzet.", 0, 0), date(2025, 9, 1)
    )
    assert c is not None and c.deadline and c.deadline.end == date(2025, 10, 13)


def test_ignore_rules_silence_only_the_ignored_text(da, tmp_path):
    (tmp_path / "a.txt").write_text("Het kabinet zal de Kamer informeren.\n\nDe teller staat op 12 bezoekers.\n")
    (tmp_path / "b.txt").write_text("Het kabinet zal de Kamer informeren.\n\nDe teller staat op 19 bezoekers.\n")
    assert da("diff", "a.txt", "b.txt").exit_code == 1
    quiet = da("diff", "a.txt", "b.txt", "--ignore", r"teller staat op \d+", "--json")
    assert quiet.exit_code == 0
    (change,) = json.loads(quiet.stdout)["changes"]
    assert change["kind"] == "cosmetic" and change["reasons"] == [r"ignored: teller staat op \d+"]
    (tmp_path / "c.txt").write_text("Het kabinet zal de Kamer niet informeren.\n\nDe teller staat op 19 bezoekers.\n")
    loud = da("diff", "a.txt", "c.txt", "--ignore", r"teller staat op \d+")
    assert loud.exit_code == 1 and "negation added" in loud.output  # the rest of the letter still speaks
    bad = da("diff", "a.txt", "b.txt", "--ignore", "(")
    assert bad.exit_code == 2 and "not a regular expression" in bad.output


def test_ignore_rules_in_the_watchlist_keep_a_change_from_alerting(da, server, tmp_path):
    page = (
        "<html><body><h1>Brief</h1><p>Het kabinet zal de Kamer informeren.</p>"
        "<p>Bezoekers vandaag: {n}</p></body></html>"
    )
    server.route("/brief.html", Reply(body=page.format(n=12).encode(), content_type="text/html"))
    (tmp_path / "docaudit.toml").write_text(
        f'[[source]]\nurl = "{server.url("/brief.html")}"\ndoc = "brief"\nignore = ["Bezoekers vandaag: \\\\d+"]\n'
    )
    assert da("run").exit_code == 0
    server.route("/brief.html", Reply(body=page.format(n=19).encode(), content_type="text/html"))
    r = da("run", "--exit-code")
    assert r.exit_code == 0 and "only text an ignore rule matches" in r.output, r.output
    (line,) = [json.loads(x) for x in da("run", "--json", "--refetch").stdout.splitlines()] or [None]
    assert line is None or line["outcome"] == "unchanged"
    (tmp_path / "docaudit.toml").write_text('[run]\nignore = ["("]\n')
    assert "not a regular expression" in da("run").output


def test_the_labelled_set_holds():
    """The figures of tests/fixtures/meaning (the part tuned on, and the part kept frozen)."""
    every = meaningset.pairs()
    for part in ([p for p in every if not p.get("frozen")], [p for p in every if p.get("frozen")]):
        score = meaningset.score(part)
        assert score.found == score.edits, score.misses
        assert score.false_substantive / score.pairs <= 0.5, score.misses
        assert score.signal / score.signal_of >= 0.85, score.misses
        assert score.quiet == score.quiet_of, score.misses
        assert score.first / score.first_of >= 0.75, score.misses


def test_severity_reasons_are_shown_on_the_html_badge():
    html = render_diff(semantic_diff("Het kabinet zal dit doen.", "Het kabinet zal dit niet doen."), "html")
    assert "95: negation added" in html
