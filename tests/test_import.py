"""``docaudit import``: many files in one go, one document per file, in parallel, in a stable order."""

from __future__ import annotations

import json
import shutil

from docaudit.testing.repo import EXAMPLES, FIXTURES


def _folder(tmp_path):
    src = tmp_path / "brieven"
    (src / "2024").mkdir(parents=True)
    shutil.copy(FIXTURES / "2024D46963.docx", src / "2024D46963.docx")
    shutil.copy(FIXTURES / "2023Z08511.pdf", src / "2023Z08511.pdf")
    shutil.copy(EXAMPLES / "nota-onderbouwing-standpunt_v1.md", src / "2024" / "nota.md")
    (src / "2024" / "leeg.txt").write_bytes(b"")
    (src / ".verborgen.txt").write_text("niet meenemen", encoding="utf-8")
    (src / "plaatje.png").write_bytes(b"\x89PNG\r\n")
    return src


def test_a_folder_becomes_one_document_per_file(da, tmp_path):
    src = _folder(tmp_path)
    r = da("import", src)
    assert r.exit_code == 0 and "2 files: 2 stored (2 new documents, 0 new versions)" in r.output
    r = da("import", src, "--recursive", "--json")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(x["file"].split("brieven/")[1], x["status"]) for x in lines] == [
        ("2023Z08511.pdf", "unchanged"),
        ("2024/leeg.txt", "error"),
        ("2024/nota.md", "stored"),
        ("2024D46963.docx", "unchanged"),
    ]  # path order, whatever order the workers finish in
    assert r.exit_code == 1 and "empty file" in lines[1]["error"]
    docs = {d["id"] for d in json.loads(da("docs", "--json").stdout)}
    assert docs == {"2023Z08511", "2024D46963", "nota"}


def test_a_file_whose_id_exists_becomes_its_next_version_and_templates_name_ids(da, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    shutil.copy(EXAMPLES / "nota-onderbouwing-standpunt_v1.md", first / "nota.md")
    shutil.copy(EXAMPLES / "nota-onderbouwing-standpunt_v2.md", second / "nota.md")
    da("import", first)
    r = da("import", second)
    assert "1 stored (0 new documents, 1 new versions)" in r.output
    assert len(json.loads(da("log", "nota", "--json").stdout)) == 2
    r = da("import", first, "--doc-id", "{parent}-{stem}")
    assert "a-nota@1" in r.output
    r = da("import", first, "--doc-id", "{onbekend}")
    assert r.exit_code == 1 and "unknown: onbekend" in r.output


def test_kenmerk_rule_falls_back_to_the_stem(da, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    letter = "Den Haag, 1 mei 2025\n\nOns kenmerk 6015843\n\nHet kabinet zal de Kamer informeren.\n"
    (src / "met-kenmerk.txt").write_text(letter, encoding="utf-8")
    (src / "zonder.txt").write_text("Een brief zonder kenmerk.\n", encoding="utf-8")
    da("import", src, "--doc-id", "kenmerk")
    assert {d["id"] for d in json.loads(da("docs", "--json").stdout)} == {"6015843", "zonder"}


def test_links_out_of_the_folder_and_special_files_are_refused_and_named(da, tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Het kabinet zal de Kamer informeren.\n", encoding="utf-8")
    secret = tmp_path / "geheim.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "binnen.txt").symlink_to(folder / "a.txt")  # a link inside the folder is read as usual
    os.mkfifo(folder / "pipe.txt")
    r = da("import", folder, "--json")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    skipped = {x["file"].rsplit("/", 1)[-1]: x["reason"] for x in lines if x["status"] == "skipped"}
    assert set(skipped) == {"passwd.txt", "pipe.txt"}
    assert "outside the folder" in skipped["passwd.txt"] and skipped["pipe.txt"] == "not a regular file"
    assert {x["doc"] for x in lines if x["status"] == "stored"} == {"a", "binnen"}
    assert "root:x" not in da("search", "root").output
    terminal = da("import", folder)
    assert "skipped: " in terminal.output and "2 skipped" in terminal.output
    followed = [json.loads(x) for x in da("import", folder, "--json", "--follow-links").stdout.splitlines()]
    assert {x["doc"] for x in followed if x["status"] == "stored"} == {"passwd"}


def test_names_that_are_not_utf8_and_names_that_collide(da, tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"brief-\xe9t\xe9.txt"), "wb") as f:  # a zip made on Windows
        f.write(b"Brief vier.\n")
    (folder / "$(id).txt").write_text("Brief twee.\n", encoding="utf-8")
    (folder / "`id`.txt").write_text("Brief drie.\n", encoding="utf-8")
    (folder / "z.txt").write_text("Brief vijf.\n", encoding="utf-8")  # the file after the odd ones is stored too
    r = da("import", folder, "--json")
    assert "Traceback" not in r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    stored = {x["file"].rsplit("/", 1)[-1]: x for x in lines}
    assert stored["brief-été.txt"]["doc"] == "brief-été" and stored["z.txt"]["status"] == "stored"
    assert stored["`id`.txt"]["status"] == "error" and "two different names" in stored["`id`.txt"]["error"]
    added = da(
        "add",
        os.path.join(os.fsencode(folder), b"brief-\xe9t\xe9.txt").decode("utf-8", "surrogateescape"),
        "--doc",
        "x",
        "--json",
    )
    assert json.loads(added.stdout)["file"].endswith("brief-été.txt")


def test_files_the_format_check_refuses_never_reach_a_worker(tmp_path, monkeypatch):
    """A worker that answers with an error is replaced; an empty or binary file is refused before any is asked
    (2,000 empty files once took a minute, a new worker each). From 50 files text is read in workers too."""
    from docaudit.ingest.bulk import import_files
    from docaudit.read import isolation
    from docaudit.store.database import Store

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(60):
        (folder / f"leeg-{n:02d}.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)

    def no_worker(*args, **kwargs):
        raise AssertionError("a worker was started for a file the format check refuses")

    monkeypatch.setattr(isolation, "_Worker", no_worker)
    with Store(tmp_path / "audit.db") as store:
        report = import_files(store, [folder])
    assert len(report.failed) == 61 and not [f for f in report.files if f.result is not None]
    said = {f.path.name: f.error for f in report.failed}
    assert said["leeg-00.txt"] == "empty file" and "binary data" in said["binary.txt"]
