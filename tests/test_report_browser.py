"""The report in a real browser (Debian's chromium, headless, fresh profile): pages load without console
errors from file://, highlights and badges reach the DOM with the stylesheet applied, injected markup
never runs, the search box and the flag filter work, moved text links to where it went, the pages fit a
phone's width. Screenshots are left in ``build/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import pytest

from docaudit.report import build_report
from docaudit.store.database import Store
from docaudit.testing import letters
from docaudit.testing.repo import SCREENSHOTS

PWNED = "[window.__pwned, document.body.getAttribute('data-pwned'), document.title === 'pwned']"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("report-browser")
    with Store(root / "audit.db") as store:
        letters.build(store)
        build_report(store, root / "site")
    return root / "site"


def family_page(site, needle: str):
    return next(p for p in sorted((site / "phrases").glob("*.html")) if needle in p.read_text(encoding="utf-8"))


def test_the_error_collector_sees_errors(browser, tmp_path):
    """The check the other tests rely on: a failing script and a missing file are reported."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><img src="missing.png"><script>undefinedFunction()</script>', encoding="utf-8")
    browser.open(page)
    errors = browser.errors()
    assert any("undefinedFunction" in e for e in errors), errors
    assert any("missing.png" in e or "ERR_FILE_NOT_FOUND" in e for e in errors), errors


@pytest.mark.parametrize(
    "rel",
    [
        "index.html",
        "timeline.html",
        "phrases.html",
        "docs/hostile.html",
        "docs/hostile/v2.html",
        "docs/2024D46963/v2.html",
        "docs/2023Z08511.html",
    ],
)
def test_pages_load_cleanly_and_injected_markup_never_runs(browser, site, rel):
    browser.open(site / rel)
    assert browser.errors() == []
    assert browser.evaluate(PWNED) == [None, None, False]
    assert browser.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # the stylesheet applied


def test_the_hostile_letter_shows_its_markup_as_text(browser, site):
    browser.open(site / "docs" / "hostile" / "v2.html")
    assert browser.evaluate("document.querySelectorAll('main script, main img').length") == 0
    text = browser.evaluate("document.querySelector('main').textContent")
    assert letters.SCRIPT in text and "<img src=x onerror=" in text
    assert browser.evaluate("document.title").startswith("Brief over <script>window.__pwned")
    browser.open(family_page(site, "__pwned"))
    assert browser.errors() == [] and browser.evaluate(PWNED) == [None, None, False]
    tooltips = browser.evaluate("[...document.querySelectorAll('svg.chart circle title')].map(t => t.textContent)")
    assert any("Brief over <script>" in t for t in tooltips)  # in the chart's tooltips as text, too


def test_the_pages_content_security_policy_stops_markup_that_got_through(browser, site, tmp_path):
    """Defence in depth: were a letter's markup ever left unescaped, the page's policy would not run it."""
    for rel in ("index.html", "docs/hostile/v2.html"):
        html = (site / rel).read_text(encoding="utf-8")
        planted = site / rel.replace(".html", "-planted.html")
        planted.write_text(html.replace("<main>", "<main><script>window.__ran = 1</script>", 1), encoding="utf-8")
        browser.open(planted)
        assert browser.evaluate("window.__ran") is None
        assert any("Content Security Policy" in e for e in browser.errors()), browser.errors()
        planted.unlink()


def test_diff_highlights_and_badges_reach_the_dom(browser, site):
    browser.open(site / "docs" / "hostile" / "v2.html")
    counts = browser.evaluate(
        "['ins', 'del', '.badge.flag-negation', '.badge.flag-date', '.piece-moved', '.piece-deleted', '.view-side tr']"
        ".map(s => document.querySelectorAll(s).length)"
    )
    ins, dels, negation, date, moved, deleted, rows = counts
    assert ins >= 2 and dels >= 2 and negation >= 2 and date >= 2 and moved == 1 and deleted == 1 and rows == 5
    colours = browser.evaluate(
        "['ins', 'del', '.piece-moved'].map(s => getComputedStyle(document.querySelector(s)).backgroundColor)"
    )
    assert all(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in colours), colours
    assert (
        browser.evaluate("document.querySelector('#summary').textContent")
        == "2 modified (1 negation, 1 date), 1 deleted, 1 moved"
    )
    browser.screenshot(SCREENSHOTS / "report-diff.png")


def test_moved_text_links_to_where_it_went_and_back(browser, site):
    browser.open(site / "docs" / "hostile" / "v2.html")
    browser.click("a.piece-moved-from")
    target = browser.evaluate(
        "(() => { const t = document.querySelector(':target'); const r = t.getBoundingClientRect();"
        " return [location.hash, t.className, r.top >= 0 && r.bottom <= innerHeight]; })()"
    )
    assert target[0].startswith("#at-") and target[1] == "piece-moved" and target[2] is True
    browser.click(".piece-moved + a.jump")
    assert browser.evaluate("location.hash").startswith("#from-")
    assert browser.evaluate("document.querySelector(':target').className") == "piece-moved-from"


def test_side_by_side_view(browser, site):
    browser.open(site / "docs" / "2024D46963" / "v2.html")
    visible = "s => document.querySelector(s).offsetParent !== null"
    assert browser.evaluate(f"['.view-inline', '.view-side'].map({visible})") == [True, False]
    browser.click("label[for=view-side]")
    assert browser.evaluate(f"['.view-inline', '.view-side'].map({visible})") == [False, True]
    assert browser.evaluate("document.querySelectorAll('.view-side td.old del').length") >= 2
    assert browser.evaluate("document.querySelectorAll('.view-side td.old ins').length") == 0  # one side each


def test_title_search_filters_the_documents(browser, site):
    browser.open(site / "index.html")
    shown = "[...document.querySelectorAll('#documents tbody tr')].filter(r => !r.hidden).length"
    assert browser.evaluate("document.querySelector('[data-search-box]').hidden") is False
    assert browser.evaluate(shown) == 11
    browser.type("#search", "kamervragen")
    titles = browser.evaluate(
        "[...document.querySelectorAll('#documents tbody tr')].filter(r => !r.hidden).map(r => r.dataset.search)"
    )
    assert len(titles) == 3 and all("kamervragen" in t.lower() for t in titles)
    assert browser.evaluate("document.querySelector('[data-filter-count]').textContent") == "3 of 11"
    browser.type("#search", " signal")  # every word must match
    assert browser.evaluate(shown) == 1
    browser.open(site / "index.html")
    browser.type("#search", "2024d469")  # document numbers too, case-insensitive
    assert browser.evaluate(shown) == 1
    browser.screenshot(SCREENSHOTS / "report-index.png")


def test_timeline_filter_by_flag(browser, site):
    browser.open(site / "timeline.html")
    events = "[...document.querySelectorAll('li.event')]"
    assert browser.evaluate(f"{events}.filter(e => !e.hidden).length") == 15
    browser.click("button[data-flag=negation]")
    shown = browser.evaluate(f"{events}.filter(e => !e.hidden).map(e => e.dataset.flags)")
    assert len(shown) == 3 and all("negation" in f.split() for f in shown)
    assert browser.evaluate("location.hash") == "#flag=negation"
    assert (
        browser.evaluate("document.querySelector('button[data-flag=negation]').getAttribute('aria-pressed')") == "true"
    )
    browser.click("button[data-flag='']")
    assert browser.evaluate(f"{events}.filter(e => !e.hidden).length") == 15
    browser.open(f"{(site / 'timeline.html').as_uri()}#flag=date")  # a filtered view can be linked to
    shown = browser.evaluate(f"{events}.filter(e => !e.hidden).map(e => e.dataset.flags)")
    assert len(shown) == 3 and all("date" in f.split() for f in shown)
    assert browser.errors() == []
    browser.screenshot(SCREENSHOTS / "report-timeline.png")


def test_family_page_chart(browser, site):
    browser.open(family_page(site, "staat voor Nederland"))
    assert browser.errors() == []
    dots = browser.evaluate("document.querySelectorAll('svg.chart circle').length")
    rows = browser.evaluate("document.querySelectorAll('#occurrences tbody tr').length")
    assert dots == rows >= 3
    box = browser.evaluate("(r => [r.width, r.height])(document.querySelector('svg.chart').getBoundingClientRect())")
    assert box[0] > 300 and box[1] > 60  # drawn at a readable size
    assert browser.evaluate("document.querySelectorAll('svg.chart circle.flagged').length") >= 1
    browser.screenshot(SCREENSHOTS / "report-family.png")


@pytest.mark.parametrize(
    "rel", ["index.html", "timeline.html", "docs/hostile/v2.html", "docs/hostile.html", "phrases.html", "family"]
)
def test_pages_fit_a_phone(browser, site, rel):
    page = family_page(site, "staat voor Nederland") if rel == "family" else site / rel
    browser.open(page, width=390, height=844, mobile=True)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    # no table needs sideways scrolling either: on a phone rows become blocks
    assert (
        browser.evaluate("[...document.querySelectorAll('.scroll')].filter(e => e.scrollWidth > e.clientWidth).length")
        == 0
    )
    assert browser.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 14
    if rel.endswith("/v2.html"):
        browser.click("label[for=view-side]")
        assert browser.evaluate("document.documentElement.scrollWidth") <= 390
        path = browser.screenshot(SCREENSHOTS / "report-diff-phone.png")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


def test_the_front_page_opens_with_the_morning_read(browser, site):
    browser.open(site / "index.html")
    items = "[...document.querySelectorAll('section.morning li.change')]"
    assert browser.evaluate(f"{items}.length") > 0
    severities = browser.evaluate(f"{items}.map(li => +li.querySelector('.badge.severity').textContent)")
    assert severities == sorted(severities, reverse=True)  # what matters most first
    first = f"{items}[0]"
    assert browser.evaluate(f"!!{first}.querySelector('del, ins')")  # old → new, the changed words marked
    assert browser.evaluate(f"!!{first}.querySelector('.badge.unread')")  # nobody marked anything read here
    order = browser.evaluate(
        "document.querySelector('section.morning').compareDocumentPosition(document.querySelector('#documents'))"
    )
    assert order & 4  # the morning read comes before the document table
