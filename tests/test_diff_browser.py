"""``docaudit diff --format html`` in a real browser (Debian's chromium, headless): one self-contained
page — its stylesheet inlined, nothing fetched — on which document text never runs as markup."""

from __future__ import annotations

from docaudit.diff import semantic_diff
from docaudit.diff.render import render_diff
from docaudit.diff.render.templating import asset
from docaudit.testing.repo import SCREENSHOTS

HOSTILE = "<script>document.title='pwned'</script> <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
OLD = (
    f"Het kabinet zal dit niet doen. {HOSTILE}\n\nDe brief eindigt hier.\n\n"
    "Een alinea die naar achteren gaat, met genoeg woorden."
)
NEW = (
    f"Het kabinet kan dit doen. {HOSTILE}\n\nDe brief eindigt hier. Een nieuwe zin <b>vet</b>.\n\n"
    "Een alinea die naar achteren gaat, met genoeg woorden."
)


def test_hostile_document_text_is_shown_not_run(browser, tmp_path):
    page = tmp_path / "diff.html"
    page.write_text(render_diff(semantic_diff(OLD, NEW, "v1.txt", "v2.txt"), "html"), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert "<link" not in html and "<script" not in html.split("<main>", 1)[1]  # self-contained, no script
    assert "content=\"default-src 'none'; style-src 'unsafe-inline';" in html  # and a policy that runs none
    browser.open(page)
    assert browser.errors() == []  # the hostile <img src=x> is text, so nothing failed to load
    assert browser.evaluate("document.title") == "v1.txt → v2.txt — docaudit"
    assert browser.evaluate("document.body.getAttribute('data-pwned')") is None
    assert browser.evaluate("document.querySelectorAll('main img, main script, main b').length") == 0
    text = browser.evaluate("document.querySelector('main').textContent")
    assert "<script>document.title='pwned'</script>" in text and "<b>vet</b>" in text
    assert browser.evaluate("document.querySelector('#summary').textContent") == (
        "1 modified (1 negation, 1 modality), 1 inserted"
    )
    assert browser.evaluate("document.querySelectorAll('.badge.flag-negation').length") >= 1
    assert browser.evaluate("document.querySelectorAll('.inplace .piece-inserted').length") == 1
    colour = browser.evaluate("getComputedStyle(document.querySelector('ins')).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the inlined stylesheet applied …
    assert html.split("<style>\n", 1)[1].split("\n</style>", 1)[0] == asset("style.css")  # … all of it, unescaped
    rule = "[...document.styleSheets[0].cssRules].map(r => r.cssText).join('\\n')"
    assert 'content: " (removed)"' in browser.evaluate(rule)  # quotes and ">" survive in the inlined CSS
    browser.screenshot(SCREENSHOTS / "diff.png")


def test_line_and_word_diffs_render_too(browser, tmp_path):
    from docaudit.diff import line_diff, word_diff

    for name, diff in (("line", line_diff(OLD, NEW)), ("word", word_diff(OLD, NEW))):
        page = tmp_path / f"{name}.html"
        page.write_text(render_diff(diff, "html"), encoding="utf-8")
        browser.open(page)
        assert browser.errors() == []
        assert browser.evaluate("document.querySelectorAll('main img, main script').length") == 0
        marks = "document.querySelectorAll('td.line-del, td.line-ins, del, ins').length"
        assert browser.evaluate(marks) >= 2, name


def test_the_page_ranks_changes_and_keeps_minor_ones_apart(browser, tmp_path):
    old = (
        "De brief begint met een zin die blijft.\n\n"
        "Het kabinet heeft de stukken ontvangen en bekeken. Daarna volgt overleg.\n\n"
        "Het kabinet zal het voorstel niet steunen."
    )
    new = (
        "De brief begint met een zin die blijft, en een toevoeging.\n\n"
        "Het kabinet heeft de stukken ontvangen en bekeken; daarna volgt overleg.\n\n"
        "Het kabinet zal het voorstel steunen."
    )
    page = tmp_path / "ranked.html"
    page.write_text(render_diff(semantic_diff(old, new), "html"), encoding="utf-8")
    browser.open(page)
    first = "document.querySelector('.view-inline li.change')"
    summary = browser.evaluate(f"{first}.querySelector('.change-summary').textContent")
    assert summary == "negation removed (commitment reversed)"
    assert browser.evaluate(f"{first}.querySelector('.badge.severity').textContent") == "95"
    severities = browser.evaluate(
        "[...document.querySelectorAll('.view-inline .badge.severity')].map(b => +b.textContent)"
    )
    assert severities == sorted(severities, reverse=True) and len(severities) == 2
    assert browser.evaluate("document.querySelectorAll('#minor li.change').length") == 1
    assert "punctuation" in browser.evaluate("document.querySelector('#minor summary').textContent")
