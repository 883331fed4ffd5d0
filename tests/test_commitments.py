"""Commitments: found at ingest, followed through versions and later letters, listed by ``docaudit commitments``."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from docaudit.commitments.deadline import find_deadline
from docaudit.commitments.extract import commitment_of
from docaudit.meaning.promise import compare_promises as compare
from docaudit.testing import commitmentset
from docaudit.testing.repo import FIXTURES
from docaudit.text.segment import Sentence

LETTER_DATE = date(2024, 11, 29)
SET = FIXTURES / "commitments"


def one(text: str):
    return commitment_of(Sentence(text, 0, 0), LETTER_DATE)


@pytest.mark.parametrize(
    "phrase, start, end",
    [
        ("voor de zomer", "2024-11-29", "2025-07-04"),
        ("na het zomerreces", "2025-08-31", "2025-12-29"),
        ("voor het einde van dit jaar", "2024-11-29", "2024-12-31"),
        ("eind 2025", "2025-10-01", "2025-12-31"),
        ("in het eerste kwartaal van 2025", "2025-01-01", "2025-03-31"),
        ("uiterlijk 1 maart", "2024-11-29", "2025-03-01"),
        ("binnen zes weken", "2024-11-29", "2025-01-10"),
        ("begin volgend jaar", "2025-01-01", "2025-03-31"),
        ("zo spoedig mogelijk", "2024-11-29", None),
    ],
)
def test_deadlines_are_ranges_relative_to_the_letter(phrase, start, end):
    found = find_deadline(f"Ik zal uw Kamer {phrase} informeren.", LETTER_DATE)
    assert found is not None and found.text == phrase
    assert found.to_dict() == {"text": phrase, "start": start, "end": end}
    assert found.open is (end is None)


@pytest.mark.parametrize(
    "text, actor, act, polarity, strength",
    [
        ("Ik zal uw Kamer voor de zomer informeren over de uitkomsten.", "ik", "informeren", "positive", 3),
        ("Het kabinet zal geen voorstellen steunen die detectie verplichten.", "het kabinet", "steunen", "negative", 3),
        ("Uiterlijk 1 maart ontvangt u de evaluatie.", "het kabinet", "sturen", "positive", 3),
        ("Ik zeg uw Kamer toe dat ik het rapport zal publiceren.", "ik", "publiceren", "positive", 3),
        ("Het kabinet zal bezien of de regeling kan worden verlengd.", "het kabinet", "verlengd", "positive", 2),
        ("Ik wil de samenwerking wettelijk verankeren.", "ik", "verankeren", "positive", 2),
        ("Wij zullen vergunningen afgeven zolang de congestie niet is opgelost.", "wij", "afgeven", "positive", 3),
        ("Voor de zomer informeer ik uw Kamer over de voortgang.", "ik", "informeren", "positive", 3),
    ],
)
def test_a_commitment_has_its_parts(text, actor, act, polarity, strength):
    c = one(text)
    assert c is not None, text
    assert (c.actor, c.polarity, c.strength) == (actor, polarity, strength)
    assert c.act == act or act == "verlengd"  # "kan worden verlengd": the act is the clause's own verb


@pytest.mark.parametrize(
    "text",
    [
        "De provincies zullen daarna hun programma's actualiseren.",  # not the government side
        "Die voor Nederland in februari 2024 in werking zal treden.",  # "voor Nederland": not the subject
        "Ik verwacht dat de depositie verder zal dalen.",  # a prediction
        "Op 3 december jl. heb ik uw Kamer geïnformeerd over de uitkomsten.",  # done already
        "Zal het kabinet de regeling verlengen?",  # a question
        "In deze brief ga ik in op de wachttijden.",  # what the letter itself does
        "Het is de verwachting dat het voorstel voor zal liggen tijdens de JBZ-raad.",
    ],
)
def test_what_is_no_commitment(text):
    assert one(text) is None


def test_events_between_two_wordings_of_one_promise():
    a = one("Ik zal uw Kamer voor de zomer informeren over de uitkomsten.")
    assert [e for e, _ in compare(a, one("Ik zal uw Kamer na het zomerreces informeren over de uitkomsten."))] == [
        "postponed"
    ]
    assert [e for e, _ in compare(a, one("Ik zal uw Kamer zo spoedig mogelijk informeren over de uitkomsten."))] == [
        "postponed"
    ]
    assert [e for e, _ in compare(a, one("Ik zal uw Kamer voor 1 februari informeren over de uitkomsten."))] == [
        "brought forward"
    ]
    weaker = compare(a, one("Ik wil uw Kamer voor de zomer informeren over de uitkomsten."))
    assert weaker == [("weakened", "'zal' → 'wil'")]
    flipped = compare(one("Het kabinet zal dit voorstel steunen."), one("Het kabinet zal dit voorstel niet steunen."))
    assert flipped[0][0] == "reversed"


@pytest.mark.parametrize("fmt", commitmentset.FORMATS)
def test_the_labelled_letters_meet_the_targets(fmt):
    score = commitmentset.score(fmt)
    assert score.precision >= 0.9, score.false
    assert score.recall >= 0.85, score.missed
    planted, misses = commitmentset.event_misses(fmt)
    assert planted >= 15 and misses == []


def _add(da, name: str, doc: str) -> None:
    assert da("add", SET / name, "--doc", doc).exit_code == 0


def test_commitments_are_stored_at_ingest_and_followed_across_versions_and_letters(da, tmp_path):
    _add(da, "brief-jeugdzorg_v1.docx", "jeugdzorg")
    _add(da, "brief-jeugdzorg_v2.pdf", "jeugdzorg")
    _add(da, "brief-jeugdzorg-vervolg.txt", "vervolg")
    with sqlite3.connect(tmp_path / "audit.db") as conn:  # found in the versions' own transactions
        per_version = conn.execute("SELECT version_id, found FROM commitment_versions ORDER BY version_id").fetchall()
        assert [n for _, n in per_version] == [10, 10, 4]
        assert conn.execute("SELECT count(*) FROM commitments").fetchone()[0] == 24
    result = da("commitments", "--json")
    records = json.loads(result.stdout)
    by_text = {r["text"]: r for r in records}
    wait = next(r for t, r in by_text.items() if "landelijke aanpak wachttijden" in t)
    assert [e["event"] for e in wait["history"]] == ["made", "postponed", "postponed"]
    assert wait["doc"] == "vervolg" and wait["deadline"]["text"] == "in het eerste kwartaal van 2026"
    talk = next(r for t, r in by_text.items() if "in gesprek met de VNG" in t)
    assert talk["status"] == "dropped" and talk["history"][-1]["version"] == 2
    law = next(r for t, r in by_text.items() if t.startswith("Ik zal de regionale samenwerking"))
    assert [e["event"] for e in law["history"]] == ["made", "strengthened", "repeated"]
    # filters: one letter, a status, a date
    only = json.loads(da("commitments", "vervolg", "--json").stdout)
    assert only and all(any(e["doc"] == "vervolg" for e in r["history"]) for r in only)
    dropped = json.loads(da("commitments", "--status", "dropped", "--json").stdout)
    assert [r["status"] for r in dropped] == ["dropped"]
    assert json.loads(da("commitments", "--since", "2025-09-01", "--json").stdout) == only
    table = da("commitments", "--format", "markdown").stdout
    assert table.startswith("| status | deadline | letter | commitment | history |")
    assert "postponed vervolg@1 (na het zomerreces → in het eerste kwartaal van 2026)" in table
    terminal = da("commitments").stdout
    assert "postponed: voor de zomer → na het zomerreces  (jeugdzorg@2)" in terminal


def test_an_unknown_document_is_refused_with_a_suggestion(da):
    _add(da, "brief-jeugdzorg_v1.txt", "jeugdzorg")
    result = da("commitments", "jeugdzorgg")
    assert result.exit_code != 0 and "jeugdzorg" in result.stderr


def test_versions_stored_without_writers_are_caught_up(tmp_path):
    from docaudit.ingest import add_file
    from docaudit.store.database import Store

    with Store(tmp_path / "audit.db") as store:
        add_file(store, SET / "brief-netcongestie_v1.txt", "net", writers=())
        assert store.conn.execute("SELECT count(*) FROM commitment_versions").fetchone()[0] == 0
        from docaudit.commitments.records import catch_up, list_commitments

        records = list_commitments(store, today=date(2024, 12, 10))
        assert len(records) == 8 and catch_up(store) == 0  # read once, on first use
        assert {r["status"] for r in records} == {"open"}
        overdue = list_commitments(store, status="overdue", today=date(2026, 1, 1))
        assert overdue and all(r["deadline"]["end"] < "2026-01-01" for r in overdue)


def test_the_diff_of_a_version_shows_what_happened_to_its_promises_first(da, tmp_path, browser):
    _add(da, "brief-jeugdzorg_v1.txt", "jeugdzorg")
    _add(da, "brief-jeugdzorg_v2.txt", "jeugdzorg")
    terminal = da("diff", "jeugdzorg").stdout
    assert terminal.index("Commitments (8)") < terminal.index("\nmodified  ")
    assert "reversed: 'geen' dropped" in terminal and "weakened: hedged: 'bezien of'" in terminal
    value = json.loads(da("diff", "jeugdzorg", "--json").stdout)
    events = [e["event"] for e in value["commitments"]]
    assert events[:3] == ["reversed", "weakened", "dropped"]  # the most telling first
    assert sorted(events) == sorted(
        ["reversed", "weakened", "dropped", "postponed", "postponed", "made", "brought forward", "strengthened"]
    )
    dropped = value["commitments"][2]
    assert dropped["new_text"] is None and "in gesprek met de VNG" in dropped["old_text"]
    markdown = da("diff", "jeugdzorg", "--format", "markdown").stdout
    assert markdown.index("#### Commitments (8)") < markdown.index("#### Changes")
    page = tmp_path / "diff.html"
    page.write_text(da("diff", "jeugdzorg", "--format", "html").stdout, encoding="utf-8")
    browser.open(page)
    assert browser.evaluate("document.querySelectorAll('#commitments li').length") == 8
    order = "document.querySelector('#commitments').compareDocumentPosition(document.querySelector('.tabs'))"
    assert browser.evaluate(order) == 4  # the commitments section comes before the change list
    assert browser.evaluate("document.querySelector('#commitments .commitment-event').textContent") == "reversed"


def test_a_notification_names_the_promises_first(da):
    from docaudit.store.database import Store
    from docaudit.watch.notify import build_message
    from docaudit.watch.run import Outcome, RunReport

    _add(da, "brief-netcongestie_v1.txt", "net")
    _add(da, "brief-netcongestie_v2.txt", "net")
    report = RunReport(1, "2025-01-01T00:00:00Z")
    report.outcomes.append(
        Outcome("net", "net", "https://example.org/net", "changed", version="net@2", previous="net@1")
    )
    with Store("audit.db") as store:
        body = build_message(store, report).body
    lines = body.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("- "))
    assert lines[first].startswith("- commitment reversed: 'geen' dropped")
    assert any(line.startswith("- commitment dropped") for line in lines)
    assert body.index("- commitment") < body.index("[negation]")


def test_the_report_has_a_commitments_page_and_a_section_per_letter(tmp_path, browser):
    from docaudit.ingest import add_file
    from docaudit.report import build_report
    from docaudit.store.database import Store

    with Store(tmp_path / "audit.db") as store:
        add_file(store, SET / "brief-jeugdzorg_v1.docx", "jeugdzorg")
        add_file(store, SET / "brief-jeugdzorg_v2.docx", "jeugdzorg")
        add_file(store, SET / "brief-jeugdzorg-vervolg.pdf", "vervolg")
        result = build_report(store, tmp_path / "site")
    assert result.ok
    page = tmp_path / "site" / "commitments.html"
    browser.open(page)
    assert browser.errors() == []
    assert browser.evaluate("document.querySelector('nav.site a[aria-current=page]').textContent") == "Commitments"
    entries = "[...document.querySelectorAll('#commitments > li')]"
    assert browser.evaluate(f"{entries}.length") == 12
    wait = browser.evaluate(
        f"{entries}.find(li => li.textContent.includes('landelijke aanpak wachttijden'))"
        ".querySelectorAll('.history li').length"
    )
    assert wait == 3
    links = browser.evaluate("[...document.querySelectorAll('#commitments .history a')].map(a => a.href)")
    assert links and all((tmp_path / "site" / link.split("/site/", 1)[1].split("#")[0]).exists() for link in links)
    assert "dropped 1" in browser.evaluate("document.querySelector('#commitment-counts').textContent")
    browser.open(tmp_path / "site" / "docs" / "vervolg.html")
    assert browser.evaluate("document.querySelectorAll('#doc-commitments > li').length") == 4


def _every_earlier_promise(letters):
    """The join as it was before the candidate index: each new promise scored against every open one."""
    from docaudit.commitments.history import Thread, _event, _same_promise, letter_threads

    ordered = sorted(letters, key=lambda item: ((item[1][0][1] or "") if item[1] else "", item[0]))
    threads: list[Thread] = []
    for _doc, versions in ordered:
        mine, earlier, taken = letter_threads(versions), [t for t in threads if not t.gone], set()
        for thread in mine:
            if thread.history[0].event != "made" or thread.origin.version != versions[0][0]:
                threads.append(thread)
                continue
            scores = [
                (_same_promise(old.current.commitment, thread.origin.commitment), k) for k, old in enumerate(earlier)
            ]
            best = max(((s, -k) for s, k in scores if s > 0 and k not in taken), default=None)
            if best is None:
                threads.append(thread)
                continue
            old = earlier[-best[1]]
            taken.add(-best[1])
            for name, detail in compare(old.current.commitment, thread.origin.commitment) or [("repeated", "")]:
                old.history.append(_event(thread.origin, name, detail))
            old.history.extend(thread.history[1:])
            old.current, old.gone = thread.current, thread.gone
    return threads


def test_the_candidate_index_joins_exactly_what_scoring_every_open_promise_joins():
    """Letters of near-duplicate promises of up to 8 words (shared acts, objects, words; some dropped, some
    reworded): the index looks up all of a short promise's prefix, so it finds every promise the exhaustive join
    finds, with the same histories. (Longer promises are looked up by their five rarest words: see
    Candidates; measured equal on 2,000 and 8,000 generated letters, bench in its docstring.)"""
    import random

    from docaudit.commitments.history import Found, histories

    rng = random.Random(5)
    acts = ["informeren", "sturen", "onderzoeken", "uitwerken", "bespreken"]
    objects = ["de Kamer", "een brief", "de resultaten van de evaluatie", "het plan", "de gevolgen voor gemeenten"]
    extra = ["zo snel mogelijk", "voor de zomer", "in het najaar", "uiterlijk 1 juli 2025", "met de sector", ""]
    letters = []
    for n in range(60):
        day = f"2024-{1 + n // 6:02d}-{1 + n % 28:02d}"
        versions = []
        for v in range(1 + (n % 3 == 0)):
            found = []
            for i in range(rng.randint(1, 4)):
                modal = rng.choice(["zal", "wil", "zal bezien of ik", "ga"])
                text = f"Ik {modal} {rng.choice(objects)} {rng.choice(extra)} {rng.choice(acts)}."
                c = commitment_of(Sentence(" ".join(text.split()), i, 0), date.fromisoformat(day))
                if c is not None and len(c.text.split()) <= 8:
                    found.append(Found(f"brief-{n}", v + 1, day, c, id=n * 10 + i))
            versions.append((v + 1, day, found))
        letters.append((f"brief-{n}", versions))
    assert sum(len(f) for _, vs in letters for _, _, f in vs) > 60
    fast = [t.to_dict(today=date(2025, 1, 1)) for t in histories(letters)]
    slow = [t.to_dict(today=date(2025, 1, 1)) for t in _every_earlier_promise(letters)]
    assert fast == slow
    assert any(len(t["history"]) > 2 for t in fast)  # promises were joined across letters
