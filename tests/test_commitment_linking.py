"""Commitment threads kept in audit.db and continued from the earliest changed letter (commitments.linking):
whatever happened to the archive, the threads are those of linking every letter afresh."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date

import pytest

from docaudit.commitments.extract import commitment_of
from docaudit.commitments.history import histories
from docaudit.commitments.linking import SETTING, link
from docaudit.commitments.linking import read_letters as letters
from docaudit.commitments.records import catch_up, threads
from docaudit.ingest import add_bytes
from docaudit.store.database import Store
from docaudit.store.edit import edit
from docaudit.text.segment import Sentence

TODAY = date(2026, 1, 1)
ACTS = ["informeren", "sturen", "onderzoeken", "uitwerken", "bespreken"]
OBJECTS = ["de Kamer", "een brief over de wachtlijsten", "de resultaten van de evaluatie", "het plan", "de sector"]
WHEN = ["voor de zomer", "in het najaar", "uiterlijk 1 juli 2025", "zo snel mogelijk", "dit jaar", ""]
MODALS = ["zal", "wil", "zal bezien of ik", "ga"]


def letter(rng: random.Random, promises: int) -> str:
    """A short letter: a greeting, a few promises drawn from a small pool (so that letters repeat, weaken and
    postpone each other's promises), and a closing."""
    lines = ["Geachte voorzitter,", ""]
    for _ in range(promises):
        said = f"Ik {rng.choice(MODALS)} {rng.choice(OBJECTS)} {rng.choice(WHEN)} {rng.choice(ACTS)}."
        lines.append(" ".join(said.split()))
        if rng.random() < 0.3:
            lines.append("Ik zal de Kamer niet informeren over de uitkomst van het overleg.")
    return "\n\n".join(lines + ["", "De minister van Binnenlandse Zaken"]) + "\n"


def fresh(store: Store) -> list[dict]:
    """The threads of linking every letter from the start, in memory."""
    catch_up(store)
    return [t.to_dict(TODAY) for t in histories(letters(store).items())]


def kept(store: Store) -> list[dict]:
    return [t.to_dict(TODAY) for t in threads(store)]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audit.db", create=True) as s:
        yield s


def add(store: Store, doc: str, text: str, day: str) -> None:
    add_bytes(store, text.encode("utf-8"), doc, filename=f"{doc}.txt", letter_date=day)


def monthly(store: Store, seed: int, count: int) -> random.Random:
    """``count`` letters brief-0, brief-1, … dated the 10th of January, February, …; their random source."""
    rng = random.Random(seed)
    for n in range(count):
        add(store, f"brief-{n}", letter(rng, 3), f"2024-0{1 + n}-10")
    return rng


def test_nothing_new_links_nothing_and_writes_nothing(store):
    monthly(store, 1, 8)
    first = link(store)
    assert first.afresh and first.letters == 8 and first.kept
    assert sum(len(t.history) > 1 for t in first.threads) > 0  # later letters joined earlier promises
    before = store.conn.total_changes
    again = link(store)
    assert again.letters == 0 and not again.afresh
    assert store.conn.total_changes == before  # nothing written
    assert [t.to_dict(TODAY) for t in again.threads] == [t.to_dict(TODAY) for t in first.threads] == fresh(store)


def test_a_new_letter_links_only_itself(store):
    rng = monthly(store, 2, 6)
    link(store)
    add(store, "brief-new", letter(rng, 3), "2024-09-01")
    result = link(store)
    assert result.letters == 1 and not result.afresh
    assert kept(store) == fresh(store)


def test_a_backfilled_letter_relinks_from_its_date(store):
    rng = monthly(store, 3, 6)
    link(store)
    add(store, "brief-old", letter(rng, 3), "2024-03-01")  # before brief-2 … brief-5
    result = link(store)
    assert result.letters == 5 and not result.afresh
    assert kept(store) == fresh(store)


def test_a_new_version_of_an_earlier_letter_relinks_from_that_letter(store):
    rng = random.Random(4)
    texts = [letter(rng, 3) for _ in range(6)]
    for n, text in enumerate(texts):
        add(store, f"brief-{n}", text, f"2024-0{1 + n}-10")
    link(store)
    add(store, "brief-3", texts[3].replace("zal", "wil", 1) + "\nIk zal het plan in het najaar sturen.\n", "2024-04-12")
    result = link(store)
    assert result.letters == 3  # brief-3, brief-4, brief-5
    assert kept(store) == fresh(store)


def test_an_edited_letter_date_relinks_from_where_it_was_and_where_it_is(store):
    monthly(store, 5, 6)
    link(store)
    edit(store, "brief-1", letter_date="2024-08-01")  # moved from second to last
    result = link(store)
    assert result.letters == 5  # from where it was (brief-1 … brief-5)
    assert kept(store) == fresh(store)


def test_commitments_read_again_by_a_newer_extractor_are_relinked(store):
    monthly(store, 6, 5)
    link(store)
    store.conn.execute("UPDATE commitment_versions SET params = 'older' WHERE version_id = 3")
    assert catch_up(store) == 1  # new commitment rows, new ids: the kept events pointed at the old ones
    assert link(store).letters == 3
    assert kept(store) == fresh(store)


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM commitment_threads WHERE id = 2",
        "DELETE FROM commitment_events WHERE seq = 0 AND thread = 1",
        "UPDATE commitment_events SET at = 999999 WHERE thread = 1",
        "UPDATE settings SET value = 'other code' WHERE key = '" + SETTING + "'",
    ],
)
def test_kept_threads_that_do_not_fit_are_linked_afresh(store, damage):
    rng = monthly(store, 7, 5)
    link(store)
    store.conn.execute(damage)
    add(store, "brief-new", letter(rng, 2), "2024-09-01")
    result = link(store)
    assert result.afresh and result.letters == 6
    assert kept(store) == fresh(store)
    assert not link(store).afresh  # and kept again


def test_a_read_only_archive_is_linked_in_memory(store, tmp_path):
    monthly(store, 8, 4)
    expected = fresh(store)
    store.read_only = True  # as Store sets it for a file it cannot write
    result = link(store)
    assert not result.kept and [t.to_dict(TODAY) for t in result.threads] == expected
    assert store.conn.execute("SELECT count(*) FROM commitment_events").fetchone()[0] == 0


def test_a_busy_archive_keeps_nothing_rather_than_wait(store, tmp_path):
    monthly(store, 9, 4)
    other = sqlite3.connect(tmp_path / "audit.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        result = link(store)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not result.kept and [t.to_dict(TODAY) for t in result.threads] == fresh(store)
    assert link(store).afresh  # linked and kept now


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_any_order_of_arrivals_gives_the_threads_of_linking_afresh(store, seed):
    """Letters arrive in random order (backfills among them), some get new versions, dates are edited; the
    kept threads, continued after each step, always equal linking everything from the start."""
    rng = random.Random(seed)
    days = sorted(f"2024-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17))
    rng.shuffle(days)
    texts: dict[str, str] = {}
    linked = 0
    for step in range(18):
        roll = rng.random()
        if texts and roll < 0.25:
            doc = rng.choice(sorted(texts))
            texts[doc] = letter(rng, rng.randint(1, 4))
            add(store, doc, texts[doc], days.pop())
        elif texts and roll < 0.35:
            edit(store, rng.choice(sorted(texts)), letter_date=days.pop())
        else:
            doc = f"brief-{step}"
            texts[doc] = letter(rng, rng.randint(1, 4))
            add(store, doc, texts[doc], days.pop())
        result = link(store)
        linked += result.letters
        assert [t.to_dict(TODAY) for t in result.threads] == fresh(store), f"step {step}"
    every = len(letters(store))
    assert linked < every * 18 / 2  # continued, not relinked every time


def test_the_index_looks_up_what_few_open_promises_share():
    """A new promise is looked up by the words the fewest open promises carry now (here "wachtlijsten"), not
    by common ones; what it finds depends only on the promises open now, not on how they got there."""
    from docaudit.commitments.history import Candidates, Found

    def promise(text: str) -> Found:
        return Found("b", 1, "2024-01-01", commitment_of(Sentence(text, 0, 0), date(2024, 1, 1)))

    said = [
        "Ik zal de Kamer voor de zomer informeren over de stand van zaken.",
        "Ik zal de Kamer in het najaar informeren over de stand van zaken bij gemeenten.",
        "Ik zal de Kamer dit jaar informeren over de wachtlijsten in de jeugdzorg.",
    ]
    built, rebuilt = Candidates(), Candidates()
    for k, text in enumerate(said):
        built.add(k, promise(text).commitment)
    built.drop(0, promise(said[0]).commitment)  # joined and moved on, as a linker does
    built.add(0, promise(said[1]).commitment)
    for k, text in [(0, said[1]), (1, said[1]), (2, said[2])]:
        rebuilt.add(k, promise(text).commitment)
    new = promise("Ik zal de Kamer na de zomer informeren over de wachtlijsten in de jeugdzorg.").commitment
    assert built.near(new) == rebuilt.near(new)
    by_words, _by_act = built.near(new)
    assert by_words == {2}  # not the two that share only "ik zal de kamer … informeren over de"


def test_relink_from_the_command_line_gives_what_was_kept(da, tmp_path):
    rng = random.Random(14)
    for n in range(5):
        (tmp_path / f"brief-{n}.txt").write_text(letter(rng, 3), encoding="utf-8")
        assert (
            da("add", tmp_path / f"brief-{n}.txt", "--doc", f"brief-{n}", "--date", f"2024-0{1 + n}-10").exit_code == 0
        )
    first = da("commitments", "--json")
    assert first.exit_code == 0 and json.loads(first.stdout)
    with Store(tmp_path / "audit.db") as store:
        assert link(store).letters == 0  # kept by the first call
        store.conn.execute("UPDATE commitment_events SET detail = 'tampered'")  # wrong, but it fits
    relinked = da("commitments", "--json", "--relink")
    assert relinked.exit_code == 0 and relinked.stdout == first.stdout
    assert da("commitments", "--json").stdout == first.stdout  # and kept again
