"""``docaudit report``: the static site's pages, links, escaping, incremental rewriting and its guards.

The pages are also loaded in a real browser in ``test_report_browser.py``; here they are read as files.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from docaudit.errors import DocauditError
from docaudit.ingest import add_bytes
from docaudit.phrases.families import find_phrases
from docaudit.report import build_report, slug
from docaudit.report import chart as charts
from docaudit.report.site import FORMAT, LOCK, MANIFEST
from docaudit.store.database import Store
from docaudit.testing import letters


class Page(HTMLParser):
    """The links, ids and text of one HTML page."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for name in ("href", "src"):
            if a.get(name):
                self.links.append((tag, name, a[name]))
        if tag == "script":
            self.scripts.append(a)

    def handle_data(self, data):
        self.text.append(data)


def pages(site: Path) -> dict[Path, Page]:
    return {p: Page(p) for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    with Store(root / "audit.db") as store:
        letters.build(store)
        result = build_report(store, root / "site")
    return root, result


def test_the_site_has_every_page(built):
    root, result = built
    site = root / "site"
    for rel in ("index.html", "timeline.html", "phrases.html", "assets/style.css", "assets/report.js"):
        assert (site / rel).is_file(), rel
    assert result.documents == 11 and result.versions == 15 and result.changes == 4
    assert result.diffs == 4 and result.cached == 0
    for doc in ("2024D46963", "2023Z08511", "nota-onderbouwing-standpunt", "hostile"):
        assert (site / "docs" / f"{doc}.html").is_file()
        assert (site / "docs" / doc / "v2.html").is_file()
    assert (site / "docs" / f"{slug('hostile/copy 2')}.html").is_file()
    assert result.families == len(list((site / "phrases").glob("*.html"))) >= 10


def test_every_link_resolves_and_nothing_is_fetched_from_elsewhere(built):
    root, _ = built
    site = root / "site"
    parsed = pages(site)
    checked = 0
    for path, page in parsed.items():
        for tag, attr, value in page.links:
            url = urlsplit(value)
            if url.scheme:
                assert tag == "a" and url.scheme in ("http", "https"), f"{path.name}: {tag} {attr}={value}"
                continue
            target = path if not url.path else (path.parent / unquote(url.path)).resolve()
            assert target.is_file(), f"{path.relative_to(site)}: broken link {value}"
            assert target.is_relative_to(site.resolve()) or target == path
            if url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else Page(target).ids
                assert url.fragment in ids, f"{path.relative_to(site)}: no #{url.fragment} in {target.name}"
            checked += 1
        for script in page.scripts:  # only the report's own script, never inline code
            assert script.get("src", "").endswith("assets/report.js"), script
    assert checked > 300


def test_document_text_and_titles_are_escaped_everywhere(built):
    root, _ = built
    site = root / "site"
    carrying = [
        site / "index.html",
        site / "timeline.html",
        site / "docs" / "hostile.html",
        site / "docs" / "hostile" / "v2.html",
        site / "phrases.html",
    ]
    family_pages = [p for p in (site / "phrases").glob("*.html") if "__pwned" in p.read_text(encoding="utf-8")]
    assert family_pages, "the hostile sentence is a recurring formulation and has a page"
    for path in carrying + family_pages:
        html = path.read_text(encoding="utf-8")
        assert "__pwned" in html, path  # the text is there …
        assert "<script>window" not in html and "<img" not in html, path  # … but never as markup
        assert "&lt;script&gt;" in html, path  # … shown escaped (a word diff may split the rest of the line)
    # the title shows as text in the <title> element too
    assert "<title>Brief over &lt;script&gt;window.__pwned" in (site / "docs" / "hostile.html").read_text()


def test_the_diff_page_shows_flags_moves_and_removals_in_place(built):
    root, _ = built
    page = root / "site" / "docs" / "hostile" / "v2.html"
    html = page.read_text(encoding="utf-8")
    assert "1 moved" in html and "1 deleted" in html and "negation" in html and "date" in html
    parsed = Page(page)
    # every substantive change is listed (#change-N) and placed in the text (#at-N); moved text both ways
    for n in range(1, 5):
        assert f"change-{n}" in parsed.ids and f"at-{n}" in parsed.ids
    moved = re.search(r'class="piece-moved" id="at-(\d+)"', html)
    assert moved, "moved text is marked where it went"
    n = moved.group(1)
    assert f'id="from-{n}" href="#at-{n}"' in html  # where it came from links to where it went
    assert f'href="#from-{n}">↑ from ¶' in html  # and back
    assert 'class="removed"' in html and "rapportage door providers" in html
    assert 'class="moved-away"' in html
    assert "../../snapshots/" in html  # raw snapshots of both versions


def test_timeline_is_newest_first_and_carries_flags(built):
    root, _ = built
    html = (root / "site" / "timeline.html").read_text(encoding="utf-8")
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(stamps) == 15 and stamps == sorted(stamps, reverse=True)
    flags = re.findall(r'data-flags="([^"]*)"', html)
    assert "negation number date" in flags  # the hostile letter's change: flags in a fixed order
    assert sum("new" in f.split() for f in flags) == 11  # one first version per document
    for f in ("negation", "modality", "date", "new"):
        assert f'data-flag="{f}"' in html


def test_index_lists_documents_with_the_flags_of_their_last_change(built):
    root, _ = built
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-search=.*?</tr>", html, re.S)
    assert len(rows) == 11
    hostile = next(r for r in rows if 'href="docs/hostile.html"' in r)
    assert "flag-negation" in hostile and "flag-date" in hostile and "1 moved" in hostile
    demo = next(r for r in rows if 'href="docs/2023Z08511.html"' in r)
    assert "flag-date" in demo and "flag-negation" not in demo


def test_every_file_can_be_served_by_a_web_server(built):
    """Files get the usual permissions (0666 less the umask), not mkstemp's private 0600."""
    from docaudit.store.snapshots import FILE_MODE

    root, _ = built
    files = [p for p in (root / "site").rglob("*") if p.is_file()]
    assert len(files) > 50
    assert {p.stat().st_mode & 0o777 for p in files} == {FILE_MODE}


def test_snapshots_are_copied_never_linked(tmp_path, store):
    """The site gets readable copies: writing in the web folder must not alter the archive, and snapshots
    written by older versions (0600) stay as they are in the store."""
    from docaudit.store.snapshots import FILE_MODE

    letters.build(store)
    v = store.version("hostile", 1)
    private = store.snapshots.path(v.snapshot)
    private.chmod(0o600)
    build_report(store, tmp_path / "site")
    copy = tmp_path / "site" / "snapshots" / v.snapshot
    assert copy.stat().st_mode & 0o777 == FILE_MODE and copy.read_bytes() == private.read_bytes()
    assert private.stat().st_mode & 0o777 == 0o600 and copy.stat().st_ino != private.stat().st_ino
    other = store.version("hostile", 2)
    published = tmp_path / "site" / "snapshots" / other.snapshot
    assert published.stat().st_ino != store.snapshots.path(other.snapshot).stat().st_ino
    published.write_bytes(b"edited on the web server")  # e.g. an over-eager deploy script
    assert store.verify().ok  # the archive is untouched


def test_snapshots_are_copied_byte_for_byte(built):
    root, _ = built
    with Store(root / "audit.db") as store:
        for doc in store.documents():
            for v in store.versions(doc.id):
                copy = root / "site" / "snapshots" / v.snapshot
                assert copy.read_bytes() == store.snapshots.path(v.snapshot).read_bytes()


def test_family_pages_chart_every_letter(built):
    root, _ = built
    site = root / "site"
    for path in (site / "phrases").glob("*.html"):
        html = path.read_text(encoding="utf-8")
        letters_listed = len(re.findall(r"<tr>\s*<td class=\"nowrap\">", html))
        assert html.count("<circle") == letters_listed >= 2, path.name
    listing = (site / "phrases.html").read_text(encoding="utf-8")
    items = re.findall(r'<li id="family-\d+">.*?</li>', listing, re.S)
    assert len(items) == len(list((site / "phrases").glob("*.html")))
    for item in items:  # each formulation names the letters carrying it
        carriers = re.search(r'<span class="letters">(.*?)</span>', item, re.S).group(1)
        assert carriers.count('href="docs/') >= 2, item


def test_a_second_run_computes_nothing_and_rewrites_only_the_index(built, tmp_path):
    root, _ = built
    site = tmp_path / "site"
    shutil.copytree(root / "site", site)
    with Store(root / "audit.db") as store:
        again = build_report(store, site)
    assert again.diffs == 0 and again.cached == 4
    assert again.written == 0  # nothing stored since: nothing rewritten, not even the index
    assert again.removed == 0 and again.copied == 0


def test_a_new_version_rewrites_what_it_touches_and_the_site_equals_a_fresh_one(tmp_path, monkeypatch):
    """Incremental: nothing new rewrites nothing; one new version diffs its pair once (the morning read keeps the
    pairs it diffed before) and re-traces only the families of its letter, and the site is then byte for byte
    what a report into an empty folder gives (but for the time it was generated)."""
    from docaudit.changes import digest
    from docaudit.phrases import trace

    diffed, traced = [], []
    pair, follow = digest.pair_changes, trace.trace
    monkeypatch.setattr(digest, "pair_changes", lambda *a, **k: diffed.append(a[1].ref) or pair(*a, **k))
    monkeypatch.setattr(trace, "trace", lambda *a, **k: traced.append(k["family"].id) or follow(*a, **k))
    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        build_report(store, tmp_path / "site")
        assert diffed and traced
        diffed.clear(), traced.clear()
        again = build_report(store, tmp_path / "site")
        assert (again.written, diffed, traced) == (0, [], [])
        add_bytes(store, (letters.V2 + "\n\nEen nieuwe slotzin die er niet was.").encode(), "hostile", filename="v3")
        build_report(store, tmp_path / "site")
        assert diffed == ["hostile@3"]  # the morning read diffs the new pair only
        families = {f.id for f in find_phrases(store, min_docs=2, limit=None).families if "hostile" in f.docs}
        assert set(traced) <= families
        build_report(store, tmp_path / "fresh")
    stamp = re.compile(r"generated [^<]* from")
    for page in sorted((tmp_path / "fresh").rglob("*.html")):
        rel = page.relative_to(tmp_path / "fresh")
        kept = (tmp_path / "site" / rel).read_text(encoding="utf-8")
        assert stamp.sub("", kept) == stamp.sub("", page.read_text(encoding="utf-8")), rel


def test_a_new_version_diffs_one_pair_and_links_it_from_the_one_before(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        build_report(store, tmp_path / "site")
        before = (tmp_path / "site" / "docs" / "hostile" / "v2.html").read_text(encoding="utf-8")
        assert 'rel="next"' not in before
        add_bytes(
            store, (letters.V2 + "\n\nEen nieuwe slotzin die er niet was.").encode(), "hostile", filename="v3.txt"
        )
        result = build_report(store, tmp_path / "site")
    assert result.diffs == 2 and result.cached == 3  # the new pair, and the page that gains a "next" link
    after = (tmp_path / "site" / "docs" / "hostile" / "v2.html").read_text(encoding="utf-8")
    assert 'href="v3.html" rel="next"' in after
    assert 'id="v3"' in (tmp_path / "site" / "docs" / "hostile.html").read_text()  # the document page too
    assert 'href="v2.html" rel="prev"' in (tmp_path / "site" / "docs" / "hostile" / "v3.html").read_text()


def test_a_document_page_is_rendered_again_when_what_it_shows_changes(tmp_path):
    """Document pages are kept when their inputs are unchanged, so each input must reach the key."""
    page = tmp_path / "site" / "docs" / "hostile.html"

    def shared() -> str:  # the page's list of formulations shared with other letters
        return page.read_text().split('<details id="text">')[0]

    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        build_report(store, tmp_path / "site")
        assert "begroting voor het programma internetveiligheid" not in shared()  # no one shares P2 yet
        stamp = page.stat().st_mtime_ns
        build_report(store, tmp_path / "site")
        assert page.stat().st_mtime_ns == stamp  # nothing new: kept as it was
        add_bytes(store, f"Den Haag, 1 mei 2025\n\n{letters.P2}\n\nEen ander slot.".encode(), "later", filename="l.txt")
        build_report(store, tmp_path / "site")
        assert "begroting voor het programma internetveiligheid" in shared()  # another letter shares it now
        build_report(store, tmp_path / "site", title="Waakhond")
        assert "<title>Brief over &lt;script&gt;window.__pwned" in page.read_text()
        assert ">Waakhond</a>" in page.read_text()  # the site's name in the navigation


def test_an_interrupted_report_is_finished_by_the_next_run(tmp_path):
    class Stop(Exception):
        pass

    def stop_before_the_index(message: str) -> None:
        if message.startswith("index"):
            raise Stop

    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        with pytest.raises(Stop):
            build_report(store, tmp_path / "site", progress=stop_before_the_index)
        assert not (tmp_path / "site" / "index.html").exists()
        assert not list((tmp_path / "site").rglob(".tmp-*"))  # no half-written file left behind
        resumed = build_report(store, tmp_path / "site")
        build_report(store, tmp_path / "fresh")

    def files(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file() and p.name not in ("index.html", MANIFEST, LOCK)
        }

    assert resumed.documents == 11 and files(tmp_path / "site") == files(tmp_path / "fresh")


def test_pages_no_longer_produced_are_removed_but_nothing_else(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        first = build_report(store, tmp_path / "site")
        mine = tmp_path / "site" / "notes.txt"
        mine.write_text("kept")
        fewer = build_report(store, tmp_path / "site", family_pages=2)
    assert first.families > 2 and fewer.families == 2
    assert len(list((tmp_path / "site" / "phrases").glob("*.html"))) == 2
    assert fewer.removed == first.families - 2
    assert mine.read_text() == "kept"


def test_refuses_a_folder_that_holds_something_else(tmp_path, store):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(DocauditError, match="not empty and holds no docaudit report"):
        build_report(store, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.docx"]
    build_report(store, folder, force=True)
    assert (folder / "index.html").exists() and (folder / "thesis.docx").read_bytes() == b"precious"
    file = tmp_path / "a-file"
    file.write_text("x")
    with pytest.raises(DocauditError, match="not a folder"):
        build_report(store, file)


def test_a_second_report_into_the_same_folder_waits_its_turn(tmp_path, store):
    from filelock import FileLock

    build_report(store, tmp_path / "site")
    with FileLock(str(tmp_path / "site" / LOCK)), pytest.raises(DocauditError, match="another docaudit report"):
        build_report(store, tmp_path / "site")
    build_report(store, tmp_path / "site")  # and goes ahead once the first is done


def test_a_document_that_cannot_be_shown_costs_only_its_own_pages(tmp_path, monkeypatch):
    import docaudit.report.build as build

    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        build_report(store, tmp_path / "site")
        real = build.diff_versions

        def failing(old, new, title=None):
            if old.ref.startswith("hostile@"):
                raise RuntimeError("alignment exploded")
            return real(old, new, title)

        monkeypatch.setattr(build, "diff_versions", failing)
        add_bytes(store, (letters.V2 + "\n\nNog een zin erbij.").encode(), "hostile", filename="v3.txt")
        result = build_report(store, tmp_path / "site")
        assert result.failed == [("hostile", "RuntimeError: alignment exploded")] and not result.ok
        assert (result.documents, result.versions, result.changes) == (10, 13, 3)
        assert "1 left out, could not be shown: hostile" in result.message()
        assert (tmp_path / "site" / "docs" / "hostile" / "v2.html").exists()  # the earlier pages stay
        monkeypatch.setattr(build, "diff_versions", real)
        again = build_report(store, tmp_path / "site")
    assert again.ok and again.documents == 11
    assert (tmp_path / "site" / "docs" / "hostile" / "v3.html").exists()


def test_an_empty_database_gives_a_site_that_says_so(tmp_path, store):
    result = build_report(store, tmp_path / "site")
    assert result.documents == 0 and result.families == 0
    assert "Nothing stored yet" in (tmp_path / "site" / "index.html").read_text()
    assert "Nothing stored yet" in (tmp_path / "site" / "timeline.html").read_text()


def test_missing_snapshots_are_reported_and_not_linked(tmp_path):
    with Store(tmp_path / "audit.db") as store:
        letters.build(store)
        v = store.version("hostile", 1)
        store.snapshots.path(v.snapshot).unlink()
        result = build_report(store, tmp_path / "site")
        assert result.missing_snapshots == ["hostile@1"]
        assert "snapshot missing" in (tmp_path / "site" / "docs" / "hostile.html").read_text()
        pair = (tmp_path / "site" / "docs" / "hostile" / "v2.html").read_text()
        assert pair.count(">raw snapshot</a>") == 1  # the new version's; no link to the missing one
        bare = build_report(store, tmp_path / "bare", snapshots=False)
    assert bare.missing_snapshots == [] and not (tmp_path / "bare" / "snapshots").exists()
    assert "snapshots/" not in (tmp_path / "bare" / "docs" / "hostile" / "v2.html").read_text()


def test_a_corrupt_manifest_only_costs_recomputing(tmp_path, store):
    letters.build(store)
    build_report(store, tmp_path / "site")
    (tmp_path / "site" / MANIFEST).write_text("{not json")
    result = build_report(store, tmp_path / "site")
    assert result.diffs == 4 and result.cached == 0
    assert json.loads((tmp_path / "site" / MANIFEST).read_text())["format"] == FORMAT


def test_report_command(da, tmp_path):
    da("demo")
    r = da("report", "-o", "out", "--title", "Waakhond", "--families", "3")
    assert r.exit_code == 0, r.output
    assert "9 documents, 12 versions, 3 changes (3 flagged), 3 formulation pages" in r.output
    assert "open out/index.html" in r.output
    assert "<title>Waakhond: documents — docaudit</title>" in (tmp_path / "out" / "index.html").read_text()
    r = da("report", "-o", "out", "-q")
    assert r.exit_code == 0 and r.output == ""
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x.txt").write_text("x")
    r = da("report", "-o", "busy")
    assert r.exit_code == 1 and "holds no docaudit report" in r.output


def test_watched_documents_show_withdrawal_and_failed_checks(da, server, tmp_path):
    from docaudit.testing.localserver import Reply
    from docaudit.testing.repo import fixture_bytes

    server.route("/brief.docx", Reply(body=fixture_bytes("2024D46963.docx")))
    server.route("/andere.docx", Reply(body=fixture_bytes("2023Z08511.docx")))
    da("track", server.url("/brief.docx"), "--doc", "brief")
    da("track", server.url("/andere.docx"), "--doc", "andere")
    da("run")
    server.route("/brief.docx", Reply(status=410))
    server.route("/andere.docx", Reply(status=500))
    da("run")
    da("run")  # withdrawn twice: the timeline dates it from the first time
    assert da("report", "-q").exit_code == 0
    site = tmp_path / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"withdrawn since \d{4}-\d\d-\d\d", index) and "check failed" in index
    brief = (site / "docs" / "brief.html").read_text(encoding="utf-8")
    assert "last checked" in brief and "withdrawn" in brief and "HTTP 410" in brief
    assert f'href="{server.url("/brief.docx")}" rel="noopener noreferrer">source</a>' in brief
    timeline = (site / "timeline.html").read_text(encoding="utf-8")
    assert timeline.count('data-flags="withdrawn"') == 1 and 'data-flag="withdrawn"' in timeline
    with Store(tmp_path / "audit.db") as store:
        first = store.conn.execute(
            "SELECT min(started_at) FROM fetches WHERE doc_id = 'brief' AND outcome = 'withdrawn'"
        ).fetchone()[0]
    assert f'<time datetime="{first}">' in timeline.split('data-flags="withdrawn"')[1].split("</li>")[0]


def test_a_phrase_index_built_with_other_parameters_leaves_the_phrase_pages_empty(tmp_path, store):
    letters.build(store)
    with store.transaction():
        store.conn.execute("UPDATE settings SET value = 'k=9' WHERE key = 'phrase_params'")
    result = build_report(store, tmp_path / "site")
    assert result.documents == 11 and result.families == 0
    assert "docaudit index --rebuild" in result.phrase_note
    assert "docaudit index --rebuild" in (tmp_path / "site" / "phrases.html").read_text()


# --- the parts --------------------------------------------------------------------------------------


def test_slugs_are_safe_distinct_and_stable():
    assert slug("2024D46963") == "2024D46963"
    assert slug("nota-onderbouwing-standpunt") == "nota-onderbouwing-standpunt"
    odd = ["../etc/passwd", "a b", "a/b", "a-b-", "..", "<x>"]
    made = [slug(x) for x in odd]
    assert len(set(made) | {"a-b"}) == len(odd) + 1
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", s) for s in made)
    assert slug("a/b") == slug("a/b")


def test_chart_places_dates_in_order_and_undated_letters_apart():
    dots = [
        charts.Dot(0, "2023-01-15", "a", "a", "docs/a.html"),
        charts.Dot(0, "2025-06-01", "b", "b", "docs/b.html", flagged=True),
        charts.Dot(1, "2024-03-01", "c", "c", "docs/c.html", gone=True),
        charts.Dot(1, None, "d", "d", "docs/d.html"),
        charts.Dot(1, "2024-03-01", "e", "e", "docs/e.html"),
    ]
    ch = charts.timeline(dots, ["W1", "W2"])
    x = {p.tooltip: p.x for p in ch.points}
    assert x["a"] < x["c"] < x["b"] < x["d"]
    assert x["e"] != x["c"]  # same day, same lane: fanned out, not hidden
    assert {p.tooltip: p.classes for p in ch.points}["b"] == "flagged"
    assert [t.label for t in ch.ticks] == ["2024", "2025", "undated"]  # January 2023 lies before the first letter
    assert all(ch.left <= p.x <= ch.width - ch.right for p in ch.points)
    one_day = charts.timeline([charts.Dot(0, "2024-05-05", "a", "a", "x")], ["W1"])
    assert one_day.points[0].x == (charts.LEFT + charts.WIDTH - charts.RIGHT) / 2
    months = charts.timeline(
        [charts.Dot(0, "2024-01-10", "a", "a", "x"), charts.Dot(0, "2024-04-20", "b", "b", "x")], ["W1"]
    )
    assert [t.label for t in months.ticks] == ["2024-02", "2024-03", "2024-04"]


def test_a_raw_html_snapshot_is_published_as_text(tmp_path):
    """A tracked page's own scripts must not run in the report's origin when someone opens its snapshot."""
    from docaudit.report.build import published_snapshot

    page = b"<html><body><p>Brief van de minister.</p><script>window.__pwned = 1</script></body></html>"
    with Store(tmp_path / "audit.db") as store:
        v = add_bytes(store, page, "pagina", filename="pagina.html").version
        build_report(store, tmp_path / "site")
    assert v.format == "html" and published_snapshot(v.snapshot).endswith(".html.txt")
    published = tmp_path / "site" / published_snapshot(v.snapshot)
    assert published.read_bytes() == page
    assert not list((tmp_path / "site" / "snapshots").rglob("*.html"))
    doc_page = (tmp_path / "site" / "docs" / "pagina.html").read_text(encoding="utf-8")
    assert published_snapshot(v.snapshot) in doc_page


def test_an_altered_snapshot_is_not_published(tmp_path):
    from docaudit.report.build import published_snapshot

    with Store(tmp_path / "audit.db") as store:
        v = add_bytes(store, b"Het kabinet zal de Kamer informeren.\n", "brief", filename="brief.txt").version
        store.snapshots.path(v.snapshot).write_bytes(b"Het kabinet zal de Kamer niet informeren.\n")
        result = build_report(store, tmp_path / "site")
    assert result.missing_snapshots == ["brief@1"] and "missing or altered" in result.message()
    assert not (tmp_path / "site" / published_snapshot(v.snapshot)).exists()
