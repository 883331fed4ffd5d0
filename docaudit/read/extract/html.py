"""HTML: the main text of a page, without navigation, menus and scripts.

Parsing is selectolax (the lexbor engine: a fast, standards-compliant HTML5 parser). Which part of the
page is the letter follows explicit rules rather than a statistical model, so a nightly run reduces the
same page to the same text every time:

1. drop scripts, styles, forms, ``nav``/``header``/``footer``/``aside`` and elements whose role, id or
   class says navigation, menu, breadcrumb, cookie banner, sidebar or footer;
2. take ``main`` (or ``[role=main]``, or the longest ``article``) when the page has one, else ``body``;
3. render blocks as paragraphs: ``<p>``, headings and ``<li>`` end a paragraph, ``<br>`` a line,
   ordered lists keep their numbers, table rows become ``a | b`` lines;
4. drop blocks that are mostly links (menus written as plain ``<div>`` of links).
"""

from __future__ import annotations

import re

from ...text.normalize import clean
from . import Extraction

VERSION = "1"

_DROP_TAGS = (
    "script, style, noscript, template, svg, iframe, object, embed, canvas, form, button, select, "
    "input, textarea, dialog, nav, aside, menu, [hidden], [aria-hidden=true], [role=navigation], "
    "[role=banner], [role=contentinfo], [role=search], [role=menu], [role=menubar], [role=dialog]"
)
_BOILER_ATTR = re.compile(
    r"(?:^|[\s_-])(nav|navbar|navigation|menu|breadcrumbs?|cookies?|cookie-?banner|skip-?links?|"
    r"sidebar|site-?footer|site-?header|share|social|pagination)(?:$|[\s_-])",
    re.I,
)
_BLOCK = frozenset(
    """p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table thead tbody tfoot
    tr figure figcaption address hr header footer center details summary body html""".split()
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: BOM, then ``<meta charset>``, then UTF-8, then cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    m = _CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), "strict"), m.group(1).decode("ascii").lower()
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace"), "cp1252"


class _Renderer:
    """Walks the DOM and collects paragraphs, counting link text to spot menus."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, int]] = []
        self.buf: list[str] = []
        self.link_chars = 0

    def flush(self) -> None:
        text = "".join(self.buf)
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip("\n ")
        if text.strip():
            self.blocks.append((text, self.link_chars))
        self.buf, self.link_chars = [], 0

    def walk(self, node, in_link: bool = False, in_pre: bool = False) -> None:  # noqa: C901
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                text = child.text_content or ""
                if not in_pre:
                    text = re.sub(r"\s+", " ", text)
                self.buf.append(text)
                if in_link:
                    self.link_chars += len(text.strip())
            elif tag == "br":
                self.buf.append("\n")
            elif tag in ("li", "dt", "dd"):
                self.flush()
                self.buf.append(self._marker(child))
                self.walk(child, in_link, in_pre)
                self.flush()
            elif tag == "tr":
                self.flush()
                cells = []
                for cell in child.iter():
                    if cell.tag in ("td", "th"):
                        sub = _Renderer()
                        sub.walk(cell)
                        sub.flush()
                        cells.append(" ".join(b for b, _ in sub.blocks))
                line = " | ".join(c for c in cells)
                if line.strip(" |"):
                    self.blocks.append((line, 0))
            elif tag in _BLOCK:
                self.flush()
                self.walk(child, in_link, in_pre or tag == "pre")
                self.flush()
            elif tag.startswith("-") or (tag == "a" and (child.attributes.get("href") or "").startswith("#fnref")):
                continue
            else:
                self.walk(child, in_link or tag == "a", in_pre)

    @staticmethod
    def _marker(li) -> str:
        parent = li.parent
        if li.tag != "li" or parent is None or parent.tag != "ol":
            return "- " if li.tag == "li" else ""
        if (li.attributes.get("value") or "").isdigit():
            number = int(li.attributes["value"])
        else:
            try:
                number = int(parent.attributes.get("start") or 1)
            except ValueError:
                number = 1
            for sib in parent.iter():
                if sib.mem_id == li.mem_id:
                    break
                if sib.tag == "li":
                    number += 1
        # a footnote (pandoc style, id="fn1"): "1 text", as footnotes are printed
        footnote = re.fullmatch(r"fn-?\d+", li.attributes.get("id") or "")
        return f"{number} " if footnote else f"{number}. "


def _is_menu(text: str, link_chars: int) -> bool:
    """A block that is mostly link text and short is navigation, not letter."""
    size = len(text.replace(" ", ""))
    return size > 0 and link_chars / max(size, 1) > 0.6 and size < 400


def _main_node(tree):
    for selector in ("main", "[role=main]"):
        node = tree.css_first(selector)
        if node is not None and len(node.text(strip=True)) > 80:
            return node
    articles = tree.css("article")
    if articles:
        best = max(articles, key=lambda n: len(n.text(strip=True)))
        if len(best.text(strip=True)) > 200:
            return best
    return tree.body or tree.root


def _without_site_name(title: str | None) -> str | None:
    """``Kamerbrief over X | Rijksoverheid.nl`` → ``Kamerbrief over X``: the page's own part of a <title>."""
    if not title:
        return None
    for separator in (" | ", " – ", " — ", " - "):
        if separator in title:
            return title.split(separator)[0].strip() or title
    return title


MAX_DEPTH = 400  # nested containers; real pages stay far below (a letter's page: some tens), the renderer too
# tags that are closed in real pages (an unclosed <p> or <li> closes itself and is not counted)
_CONTAINER = re.compile(
    r"<(/?)(?:div|span|section|article|main|nav|aside|header|footer|table|tbody|blockquote|ul|ol|dl|form|fieldset"
    r"|figure|details|object|svg|g)\b[^>]*>",
    re.I,
)


def too_deep(html: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the page nests containers deeper than ``limit``: found by one scan of the tags, before a parser
    spends its CPU limit building (and a renderer recursing through) a tree of 100,000 levels."""
    depth = 0
    for m in _CONTAINER.finditer(html):
        if m.group(1):
            depth = max(0, depth - 1)
        elif not m.group(0).endswith("/>"):
            depth += 1
            if depth > limit:
                return True
    return False


def extract(data: bytes) -> Extraction:
    from selectolax import __version__ as sx_version
    from selectolax.lexbor import LexborHTMLParser

    from ...errors import ExtractionError

    html, encoding = decode_html(data)
    if too_deep(html):
        raise ExtractionError(f"cannot read the html: nested too deeply (over {MAX_DEPTH:,} levels)")
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node is not None else None
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[class], [id]"):
        attrs = node.attributes
        label = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        if node.tag not in ("body", "html", "main", "article") and _BOILER_ATTR.search(label):
            node.decompose()
    root = _main_node(tree)
    for node in root.css("header, footer"):
        if node.parent is not None and node.parent.tag in ("body", "html"):
            node.decompose()
    renderer = _Renderer()
    renderer.walk(root)
    renderer.flush()
    paragraphs = [text for text, links in renderer.blocks if not _is_menu(text, links)]
    h1 = root.css_first("h1") or tree.css_first("h1")
    heading = " ".join(h1.text().split()) if h1 is not None else None
    title = heading or _without_site_name(title)
    return Extraction(
        text=clean("\n\n".join(paragraphs)).strip("\n"),
        format="html",
        extractor="selectolax",
        extractor_version=f"docaudit-html/{VERSION} selectolax/{sx_version}",
        title=title or None,
        encoding=encoding,
    )
