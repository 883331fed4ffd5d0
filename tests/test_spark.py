"""The phrase index on Apache Spark (local mode): exactly the local build's tables, and a failed job leaves
audit.db as it was. Needs pyspark (the ``spark`` extra) and a Java runtime, which CI installs."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3

import pytest

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - CI installs it
    pytest.skip("Spark needs a Java runtime (apt-get install openjdk-17-jre-headless)", allow_module_level=True)

from docaudit.ingest import add_bytes  # noqa: E402
from docaudit.phrases.index import TABLES, rebuild  # noqa: E402
from docaudit.spark import phrases as spark_phrases  # noqa: E402
from docaudit.store.database import Store  # noqa: E402
from docaudit.testing import phraseset  # noqa: E402
from docaudit.testing.repo import LETTERS  # noqa: E402
from docaudit.text.normalize import paragraphs  # noqa: E402
from docaudit.text.segment import split_sentences  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from docaudit.spark.session import session, stop

    started = session("local[2]")
    yield started
    stop(started)


def tables(db) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def both_engines(db, tmp_path, spark) -> tuple[dict, dict]:
    other = tmp_path / "spark.db"
    shutil.copy(db, other)
    with Store(db) as store:
        rebuild(store, workers=2)
    with Store(other) as store:
        spark_phrases.rebuild_on_spark(store, spark=spark)
    return tables(db), tables(other)


def assert_same(local: dict, on_spark: dict) -> None:
    for table in TABLES:
        a, b = set(local[table]), set(on_spark[table])
        assert a == b, f"{table}: only local {sorted(a - b)[:3]}, only Spark {sorted(b - a)[:3]}"


def test_the_labelled_phrase_set_gives_the_same_families(tmp_path, spark):
    db = tmp_path / "audit.db"
    with Store(db) as store:
        phraseset.add_letters(store, phraseset.load_labels(), writers=())
    local, on_spark = both_engines(db, tmp_path, spark)
    assert_same(local, on_spark)
    families = {row[5] for row in local["phrase_sentences"]}
    assert len(families) < len(local["phrase_sentences"])  # some wordings were joined into families


def generated(n: int, seed: int = 5) -> list[str]:
    """Letters shuffled from the real letters' sentences, with planted formulations and their variants."""
    rng = random.Random(seed)
    pool = [s for p in sorted(LETTERS.glob("*.txt")) for para in paragraphs(p.read_text("utf-8"))
            for s in split_sentences(para) if len(s.split()) >= 6]  # fmt: skip
    planted = rng.sample(pool, 30)
    letters = []
    for _ in range(n):
        body = rng.sample(pool, 25)
        for f in rng.sample(planted, 3):
            words = f.split()
            if rng.random() < 0.5:  # a variant: a word dropped or two swapped
                i = rng.randrange(1, len(words) - 1)
                words = (
                    words[:i] + words[i + 1 :]
                    if rng.random() < 0.5
                    else words[: i - 1] + [words[i], words[i - 1]] + words[i + 1 :]
                )
            body.insert(rng.randrange(len(body)), " ".join(words))
        letters.append("\n\n".join(" ".join(body[i : i + 4]) for i in range(0, len(body), 4)))
    return letters


def test_a_generated_corpus_gives_the_same_tables(tmp_path, spark):
    db = tmp_path / "audit.db"
    with Store(db) as store, store.transaction():
        for i, text in enumerate(generated(150)):  # ≥ 50 versions: the local build links families in bulk
            add_bytes(store, text.encode(), f"L{i:04d}", filename=f"L{i:04d}.txt", writers=())
            if i % 7 == 0:  # some documents get a second version
                extra = "\n\nEen extra zin voor de tweede versie van deze brief."
                add_bytes(store, (text + extra).encode(), f"L{i:04d}", writers=())
    local, on_spark = both_engines(db, tmp_path, spark)
    assert_same(local, on_spark)
    assert len(local["phrase_versions"]) == 172


def test_a_failed_job_leaves_the_database_as_it_was(tmp_path, spark, monkeypatch):
    db = tmp_path / "audit.db"
    with Store(db) as store:
        phraseset.add_letters(store, phraseset.load_labels(), writers=())
        rebuild(store, workers=1)
    before = tables(db)
    real = spark_phrases.compute

    def failing(sc, rows, **kw):
        sentences, prints, occurrences, versions, build = real(sc, rows, **kw)

        def boom(row):
            raise RuntimeError("executor lost")

        return sentences, prints, occurrences.map(boom), versions, build  # fails after the sentences were written

    monkeypatch.setattr(spark_phrases, "compute", failing)
    with Store(db) as store, pytest.raises(Exception, match="executor lost"):
        spark_phrases.rebuild_on_spark(store, spark=spark)
    assert tables(db) == before


def test_the_index_command_runs_on_spark(da, tmp_path):
    phraseset.add_letters(Store("audit.db"), phraseset.load_labels())
    result = da("index", "--rebuild", "--engine", "spark", "--master", "local[1]", "--json")
    assert result.exit_code == 0, result.output
    import json

    value = json.loads(result.stdout)
    assert value["engine"] == "spark" and value["versions"] == 11 and value["families"] > 0
    assert da("phrases", "--json").exit_code == 0  # the local commands read what Spark wrote
    assert da("index", "--engine", "spark").exit_code != 0  # only a whole rebuild runs on Spark


def test_the_cluster_path_parquet_out_and_back_gives_the_same_tables(da, tmp_path, spark):
    with Store("audit.db") as store:  # closed, so its WAL is checkpointed before the file is copied below
        phraseset.add_letters(store, phraseset.load_labels(), writers=())
    exported = da("export", "export", "--json")
    assert exported.exit_code == 0, exported.output
    counts = json.loads(exported.stdout)["tables"]
    assert counts["versions"] == 11 and counts["documents"] == 11
    build = spark_phrases.build_parquet(spark, tmp_path / "export", tmp_path / "tables")
    assert build.versions == 11
    shutil.copy(tmp_path / "audit.db", tmp_path / "local.db")
    with Store(tmp_path / "local.db") as store:
        rebuild(store, workers=1)
    loaded = da("index", "--from", "tables", "--json")
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["engine"] == "parquet"
    assert_same(tables(tmp_path / "local.db"), tables(tmp_path / "audit.db"))
    assert da("export", "export").exit_code != 0  # never into a folder that holds something
    other = tmp_path / "other"
    other.mkdir()
    with Store(other / "audit.db") as store:  # an index of another database is refused
        from docaudit.spark.parquet import load_index

        with pytest.raises(Exception, match="does not have"):
            load_index(store, tmp_path / "tables")


# -- bulk extraction on Spark (docaudit import --engine spark) ----------------------------------------


def _archive(folder):
    """Real letters in every format, and files that must fail: encrypted, corrupt, empty."""
    from docaudit.testing.repo import FIXTURES

    folder.mkdir()
    for name in ("2024D46963.docx", "2024D46963.pdf", "2023Z08511.pdf", "kamerbrief-deens-voorstel.docx",
                 "2024D46963.html", "encrypted.pdf", "open_brief_cp1252.txt"):  # fmt: skip
        stem, suffix = name.rsplit(".", 1)
        shutil.copy(FIXTURES / name, folder / f"{stem}-{suffix}.{suffix}")  # one document per file
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (folder / "empty.docx").write_bytes(b"")
    return folder


def _stored(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT doc_id, number, format, text_sha256, normalized_sha256, extractor, raw_sha256 FROM versions "
            "ORDER BY id"
        ).fetchall()


def test_import_on_spark_stores_what_a_local_import_stores(tmp_path, spark):
    from docaudit.ingest.bulk import import_files

    archive = _archive(tmp_path / "archive")
    reports = {}
    for engine in ("local", "spark"):
        with Store(tmp_path / f"{engine}.db", snapshots=tmp_path / f"{engine}-snapshots") as store:
            reports[engine] = import_files(store, [archive], engine=engine)
    local, on_spark = ([f.to_dict() for f in reports[e].files] for e in ("local", "spark"))
    assert on_spark == local
    assert len(reports["spark"].failed) == 3 and len(_stored(tmp_path / "spark.db")) == 6
    assert _stored(tmp_path / "spark.db") == _stored(tmp_path / "local.db")
    errors = {f["file"].rsplit("/", 1)[1]: f["error"] for f in on_spark if f["status"] == "error"}
    assert "encrypted" in errors["encrypted-pdf.pdf"] and errors.keys() == {
        "encrypted-pdf.pdf",
        "corrupt.pdf",
        "empty.docx",
    }


def test_the_import_command_runs_on_spark(tmp_path, spark, monkeypatch):
    from docaudit.testing.cli import invoker

    archive = _archive(tmp_path / "archive")
    monkeypatch.chdir(tmp_path)
    result = invoker()("import", str(archive), "--engine", "spark", "--master", "local[2]", "--json")
    assert result.exit_code == 1  # three files cannot be read; the others are stored
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["status"] for x in lines].count("stored") == 6 and len(lines) == 9
    assert len(_stored(tmp_path / "audit.db")) == 6


def _left_in(group: int) -> list[str]:
    """The processes still in a process group (the command's JVM would be one)."""
    import subprocess

    out = subprocess.run(["ps", "-eo", "pgid=,pid=,stat=,comm="], capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()]
    return [" ".join(r) for r in rows if r[0] == str(group) and not r[2].startswith("Z")]  # zombies are gone


@pytest.mark.parametrize("how", ["done", "ctrl-c"])
def test_spark_leaves_nothing_behind(tmp_path, how):
    """`import --engine spark` ends its session and its JVM when it ends: done, or interrupted with Ctrl-C."""
    import signal
    import subprocess
    import sys
    import time

    archive = _archive(tmp_path / "archive")
    command = [sys.executable, "-m", "docaudit", "import", str(archive), "--engine", "spark", "--master", "local[1]"]
    proc = subprocess.Popen(
        command, cwd=tmp_path, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if how == "ctrl-c":
        deadline = time.monotonic() + 120
        while not any("java" in line for line in _left_in(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert proc.poll() is None, "the import ended before Spark started"
        time.sleep(2)  # Spark is starting or running its job
        proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode != 0 if how == "ctrl-c" else proc.returncode == 1, err  # 1: three files unreadable
    assert _left_in(proc.pid) == [], _left_in(proc.pid)


def test_components_label_long_chains_and_stars_by_their_smallest_id_in_few_rounds(spark):
    """A chain of 300 variants (min-label propagation would need 300 rounds), a star, a pair, in random order."""
    rng = random.Random(2)
    chain = list(range(1000, 1300))
    rng.shuffle(chain)
    edges = list(zip(chain, chain[1:], strict=False)) + [(5, x) for x in range(6, 60)] + [(70, 71)]
    rng.shuffle(edges)
    labels, rounds = spark_phrases.components(spark.sparkContext.parallelize(edges, 4), 2)
    got = dict(labels.collect())
    assert got == {**{x: 1000 for x in chain}, **{x: 5 for x in range(5, 60)}, 70: 70, 71: 70}
    assert rounds <= 12, rounds
