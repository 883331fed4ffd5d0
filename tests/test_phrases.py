"""Phrase tracking: fingerprints, the index (incremental, bulk, interrupted), families, trace and the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from docaudit.ingest import add_bytes, add_file
from docaudit.phrases import fingerprint as fp
from docaudit.phrases.families import find_phrases
from docaudit.phrases.index import PARAMS, rebuild, update
from docaudit.phrases.trace import trace
from docaudit.store.database import Store
from docaudit.testing.phraseset import SET, load_labels
from docaudit.testing.phraseset import add_letters as _add_letters

LABELS = load_labels()
ZORGEN = next(f for f in LABELS["formulations"] if f["id"] == "zorgen-onvoldoende-weggenomen")["query"]
SHORT_LETTER = """Aan de Voorzitter van de Tweede Kamer der Staten-Generaal

Het kabinet zal de Kamer voor de zomer informeren over de uitkomst van de onderhandelingen in Brussel.
Daarnaast wordt onderzocht of de voorgestelde maatregelen in de praktijk uitvoerbaar zijn voor de politie.

Hoogachtend,
De Minister van Justitie en Veiligheid,
"""


def add_letters(store: Store, names: list[str] | None = None, **options) -> None:
    _add_letters(store, LABELS, names, **options)


def partition(store: Store) -> set[frozenset[int]]:
    """Families as sets of sentence keys (ids differ between builds; keys do not)."""
    groups: dict[int, set[int]] = {}
    for key, family in store.conn.execute("SELECT key, family FROM phrase_sentences"):
        groups.setdefault(family, set()).add(key)
    return {frozenset(g) for g in groups.values()}


# -- fingerprints ---------------------------------------------------------------------------------


def test_tokens_fold_typography_hyphenation_and_footnote_markers():
    assert fp.words("de CSAM-Veror-dening.") == fp.words("De ‘CSAM-verordening’.")
    assert fp.words("aangenomen.¹") == fp.words("aangenomen.") == ["aangenomen"]
    assert fp.words("Het  KABINET, zo “zegt” men") == ["het", "kabinet", "zo", "zegt", "men"]


def test_fingerprints_are_stable_across_processes():
    """xxhash, not Python's salted hash(): two interpreters with different hash seeds agree."""
    code = (
        "from docaudit.phrases.fingerprint import fingerprint as f; "
        "print(f('Het kabinet steunt het doel van de Verordening.'))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout)
    assert len(outputs) == 1 and "fingerprints" in outputs.pop()


def test_winnowing_finds_every_shared_run_of_k_plus_w_minus_1_words():
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(300)]
    run = fp.K + fp.W - 1
    for _ in range(200):
        shared = rng.choices(vocab, k=run)
        a = rng.choices(vocab, k=rng.randint(0, 30)) + shared + rng.choices(vocab, k=rng.randint(0, 30))
        b = rng.choices(vocab, k=rng.randint(0, 30)) + shared + rng.choices(vocab, k=rng.randint(0, 30))
        pa = {h for h, _ in fp.winnow(fp.shingles(a))}
        pb = {h for h, _ in fp.winnow(fp.shingles(b))}
        assert pa & pb


def test_short_variants_need_more_similarity():
    assert fp.threshold(30, 30) == fp.SIMILARITY
    assert fp.threshold(7, 20) > fp.threshold(11, 20) > fp.SIMILARITY
    same = tuple(fp.words("Encryptie stelt de opsporing voor grote uitdagingen."))
    variant = tuple(fp.words("Encryptie stelt de opsporing voor steeds grotere uitdagingen."))
    other = tuple(fp.words("De opsporing staat voor grote uitdagingen door de personeelstekorten."))
    assert fp.variant_score(same, variant) is not None
    assert fp.variant_score(same, other) is None


# -- the index ------------------------------------------------------------------------------------


def test_incremental_index_equals_a_bulk_rebuild(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        add_letters(store)  # one version at a time, indexed in its own transaction
        incremental = partition(store)
        rebuild(store, workers=1)
        assert partition(store) == incremental
        assert store.conn.execute("SELECT value FROM settings WHERE key = 'phrase_params'").fetchone()[0] == PARAMS


def test_versions_of_one_document_count_once_and_history_stays(store):
    add_bytes(store, f"Eerste brief.\n\n{ZORGEN}\n".encode(), "brief-a", letter_date="2024-10-08")
    add_bytes(store, f"Tweede brief, herzien.\n\n{ZORGEN}\n".encode(), "brief-a", letter_date="2024-10-08")
    add_bytes(store, b"Derde versie zonder de zin.\n", "brief-a", letter_date="2024-10-08")
    add_bytes(store, f"Een andere brief.\n\n{ZORGEN}\n".encode(), "brief-b", letter_date="2024-11-29")
    report = find_phrases(store, min_docs=2)
    family = next(f for f in report.families if f.canonical == ZORGEN)
    assert family.docs == ["brief-a", "brief-b"] and family.current == 1
    occs = trace(store, ZORGEN).occurrences
    a = next(o for o in occs if o.doc == "brief-a")
    assert (a.version, a.last_version, a.current) == (1, 2, False)
    assert find_phrases(store, min_docs=2, current_only=True).families == []


def test_a_stored_version_and_its_index_rows_commit_together(store):
    add_bytes(store, SHORT_LETTER.encode(), "kort")
    indexed = store.conn.execute("SELECT count(*) FROM phrase_versions").fetchone()[0]
    assert indexed == store.conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 1
    with pytest.raises(RuntimeError), store.transaction():
        add_bytes(store, SHORT_LETTER.replace("zomer", "winter").encode(), "kort")
        raise RuntimeError("crash after storing")
    assert store.conn.execute("SELECT count(*) FROM phrase_versions").fetchone()[0] == 1
    assert "winter" not in " ".join(r[0] for r in store.conn.execute("SELECT text FROM phrase_sentences"))


def test_a_database_from_before_the_index_is_caught_up(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        add_letters(store, writers=())
        assert store.conn.execute("SELECT count(*) FROM phrase_versions").fetchone()[0] == 0
    with Store(tmp_path / "audit.db") as store:
        report = find_phrases(store, min_docs=2, limit=None)  # indexes what is pending first
        assert any(f.canonical == ZORGEN for f in report.families)


def test_an_index_built_with_other_parameters_must_be_rebuilt(da):
    da("add", SET / "letters" / "2024D46963.txt", "--doc", "2024D46963")
    with Store("audit.db") as store, store.transaction():
        store.conn.execute("UPDATE settings SET value = 'k=9' WHERE key = 'phrase_params'")
    # storing still works; the new version waits for the rebuild
    assert da("add", SET / "letters" / "open-brief.txt", "--doc", "open-brief").exit_code == 0
    result = da("phrases")
    assert result.exit_code == 1 and "docaudit index --rebuild" in result.output
    assert "indexed 2 versions" in da("index", "--rebuild").output
    assert da("phrases").exit_code == 0


def test_an_interrupted_bulk_build_finishes_on_the_next_run(tmp_path):
    """Interrupted after its first batch (Ctrl-C; a kill -9 leaves the same committed batches), a bulk
    build has indexed versions whose families are not linked yet; the next update links them, and the
    families equal those of an uninterrupted build."""
    with Store(tmp_path / "audit.db") as store:
        for n in range(6):
            for letter in LABELS["letters"]:
                add_file(store, SET / letter["file"], f"{letter['doc']}-{n}", letter_date=letter["date"], writers=())

        def stop(done: int, total: int) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            rebuild(store, workers=1, batch=20, progress=stop)
        assert store.conn.execute("SELECT count(*) FROM phrase_versions").fetchone()[0] == 20
        assert store.conn.execute("SELECT 1 FROM settings WHERE key = 'phrase_link_pending'").fetchone()
        stats = update(store, workers=1)
        assert stats.versions == 66 - 20
        assert not store.conn.execute("SELECT 1 FROM settings WHERE key = 'phrase_link_pending'").fetchone()
        resumed = partition(store)
        assert store.verify().ok
        rebuild(store, workers=1)
        assert partition(store) == resumed
        assert any(len(group) > 1 for group in resumed)


# -- phrases and trace ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("labelled")
    store = Store(folder / "audit.db")
    add_letters(store)
    store.close()
    return folder / "audit.db"


@pytest.fixture
def cli(labelled):
    from docaudit.testing.cli import invoker

    return invoker("--db", labelled)


def test_boilerplate_is_hidden_unless_asked(cli):
    shown = cli("phrases", "--json", "--limit", "0")
    data = json.loads(shown.stdout)
    assert data["boilerplate_hidden"] >= 2
    assert not any("Voorzitter van de Tweede Kamer" in f["canonical"] for f in data["families"])
    everything = json.loads(cli("phrases", "--json", "--limit", "0", "--boilerplate").stdout)
    reasons = {f["boilerplate"] for f in everything["families"] if "Voorzitter van de Tweede" in f["canonical"]}
    assert reasons == {"salutation"}


def test_phrases_json_csv_markdown(cli):
    data = json.loads(cli("phrases", "--json", "--min-docs", "3").stdout)
    family = next(f for f in data["families"] if f["canonical"].startswith("De zorgen van het kabinet"))
    assert family["documents"] == 4 and family["variants"] == 3
    assert family["first_seen"] == {
        "doc": "2024-10-08_antwoorden",
        "date": "2024-10-08",
        "title": family["first_seen"]["title"],
    }
    assert family["last_seen"]["date"] == "2025-03-10"
    assert all(f["documents"] >= 3 for f in data["families"])
    rows = list(csv.DictReader(io.StringIO(cli("phrases", "--csv", "--min-docs", "3").stdout)))
    assert {r["family"] for r in rows} == {str(f["family"]) for f in data["families"]}
    md = cli("phrases", "--markdown", "--min-docs", "3").stdout
    assert md.startswith("# Recurring formulations") and "| documents |" in md


def test_phrases_date_window_and_document(cli):
    data = json.loads(cli("phrases", "--json", "--since", "2025-01-01", "--until", "2025-12-31").stdout)
    for f in data["families"]:
        assert f["first_seen"]["date"] >= "2025-01-01" and f["last_seen"]["date"] <= "2025-12-31"
    only = json.loads(cli("phrases", "--json", "--doc", "open-brief").stdout)
    assert only["families"] and all("open-brief" in f["docs"] for f in only["families"])
    bad = cli("phrases", "--since", "2025-13-01")
    assert bad.exit_code == 2 and "--since" in bad.output
    unknown = cli("phrases", "--doc", "nope")
    assert unknown.exit_code == 1 and "no document 'nope'" in unknown.output


def test_trace_json_in_date_order_with_undated_last(cli):
    query = (
        "Het kabinet zal geen voorstellen ondersteunen die de verplichting inhouden om detectie te laten "
        "plaatsvinden door middel van client-side scanning"
    )
    occs = json.loads(cli("trace", query, "--json").stdout)
    assert [o["doc"] for o in occs] == [
        "2024-10-08_antwoorden",
        "2024D46963",
        "2025-03-10_stand_van_zaken",
        "2025-06-02_antwoorden",
        "memo-zonder-datum",
    ]
    assert occs[-1]["date"] is None and occs[-1]["undated"] is True
    for o in occs:
        assert {"doc", "date", "text", "similarity"} <= set(o) and 0.6 <= o["similarity"] <= 1
    modal = next(o for o in occs if o["doc"] == "2025-03-10_stand_van_zaken")
    assert "modality" in modal["flags"]
    text = cli("trace", query, "--no-color").stdout
    assert "undated: listed last" in text and "[-zal-]{+kan+}" in text


def test_trace_a_clause_inside_longer_sentences(cli):
    occs = json.loads(
        cli("trace", "de mogelijkheid om berichtendiensten te scannen op materiaal van kindermisbruik", "--json").stdout
    )
    assert len(occs) == 3 and all(o["doc"] == "2023Z08511" for o in occs)
    # a variant of the clause too: "chatapps te kunnen scannen" covers 9 of its 10 words in order
    assert sorted(o["similarity"] for o in occs) == [0.9, 1.0, 1.0] and "chatapps" in occs[0]["text"] + occs[1]["text"]


def test_trace_a_family_and_errors(cli):
    data = json.loads(cli("phrases", "--json", "--min-docs", "4").stdout)
    fid = next(f["family"] for f in data["families"] if f["canonical"].startswith("De zorgen van het kabinet"))
    occs = json.loads(cli("trace", "--family", fid, "--json").stdout)
    assert len(occs) == 4 and occs[0]["date"] == "2024-10-08"
    assert cli("trace").exit_code == 2
    missing = cli("trace", "--family", "999999")
    assert missing.exit_code == 1 and "no phrase family 999999" in missing.output
    none = cli("trace", "Een zin die in geen enkele brief voorkomt, over iets heel anders dan encryptie.")
    assert none.exit_code == 0 and "No letter carries" in none.stdout


def test_hostile_text_is_escaped_in_markdown(da):
    hostile = f"<script>alert(1)</script> | **vet** {ZORGEN}"
    for n, date in enumerate(("2024-01-01", "2024-02-01")):
        Path(f"b{n}.txt").write_text(f"{hostile}\n", encoding="utf-8")
        da("add", f"b{n}.txt", "--doc", f"b{n}", "--date", date)
    md = da("phrases", "--markdown").stdout
    assert "<script>" not in md and "\\<script\\>" in md and "\\| \\*\\*vet\\*\\*" in md
    trace_md = da("trace", ZORGEN, "--markdown").stdout
    assert "<script>" not in trace_md


def test_index_command_reports_size(da):
    da("add", SET / "letters" / "2024D46963.txt", "--doc", "2024D46963")
    result = da("index")
    assert result.exit_code == 0 and "phrase index is up to date" in result.stdout
    assert "distinct sentences" in result.stdout and "× the" in result.stdout


def test_reading_phrases_does_not_wait_for_a_writer(tmp_path):
    """`phrases` and `trace` on an up-to-date index only read: a cron run holding the write lock does
    not block them."""
    with Store(tmp_path / "audit.db") as store:
        add_letters(store, ["2024D46963", "2024-10-08_antwoorden"])
        writer = Store(tmp_path / "audit.db", timeout=0.1)
        with writer.transaction():
            assert any(f.canonical == ZORGEN for f in find_phrases(store).families)
            assert trace(store, ZORGEN).occurrences
        writer.close()


def test_trace_finds_a_copy_that_shares_only_a_crowded_opening(tmp_path, monkeypatch):
    """A copy whose edit fell on the query's rare fingerprints shares only its opening with it, and 80 older
    letters open a (different) sentence the same way: capped posting lists (the 64 oldest) miss the copy;
    reading the query's lists rarest first finds it."""
    from docaudit.phrases import trace as trace_mod

    opening = "Het kabinet heeft na zorgvuldige afweging van alle belangen besloten de regeling"
    original, copy = f"{opening} af te schaffen.", f"{opening} op te schaffen."
    rng = random.Random(5)
    words = "subsidie provincie gemeenten onderzoek toezicht uitvoering begroting wetgeving".split() * 3
    with Store(tmp_path / "audit.db") as store:
        for n in range(80):  # not variants: twenty other words after the opening
            filler = f"{opening} {' '.join(rng.sample(words, 20))}."
            add_bytes(store, f"Geachte voorzitter,\n\n{filler} Dit is brief {n}.\n".encode(), f"brief-{n:02d}")
        add_bytes(store, f"Geachte voorzitter,\n\n{copy}\n".encode(), "de-kopie")
        assert {o.doc for o in trace(store, original).occurrences} == {"de-kopie"}
        monkeypatch.setattr(trace_mod, "DEPTH", 0)  # the lookup before: every list capped at its 64 oldest
        assert trace(store, original).occurrences == []


def test_a_large_import_indexes_in_bulk_what_adding_one_by_one_indexes(tmp_path):
    """From BULK files on, `import` stores the versions first and indexes them together: the same families as
    adding them one at a time, and nothing left pending; their promises are linked once, at the end."""
    from datetime import date

    from docaudit.commitments.linking import link
    from docaudit.commitments.records import list_commitments
    from docaudit.ingest.bulk import import_files
    from docaudit.phrases.index import BULK, pending

    folder = tmp_path / "letters"
    folder.mkdir()
    sources = sorted((SET / "letters").glob("*.txt"))
    for n in range(BULK + 5):  # each letter of the set several times, under other names
        source = sources[n % len(sources)]
        (folder / f"{source.stem}-{n:03d}.txt").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with Store(tmp_path / "one-by-one.db") as store:
        for path in sorted(folder.iterdir()):
            add_file(store, path, path.stem)
        one_by_one = partition(store)
        promises = list_commitments(store, today=date(2026, 1, 1))
    with Store(tmp_path / "bulk.db") as store:
        report = import_files(store, [folder], workers=2)
        assert report.indexed is True and pending(store.conn) == 0
        assert partition(store) == one_by_one
        assert link(store).letters == 0  # their promises were linked once, at the end of the import
        assert promises and list_commitments(store, today=date(2026, 1, 1)) == promises
