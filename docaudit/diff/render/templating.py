"""The Jinja2 templates (``docaudit/templates``) behind every HTML page: one environment, autoescaping on.

``docaudit diff --format html`` and ``docaudit report`` render through :func:`render`, with the same
macros and the same stylesheet (inlined in a single diff page, linked from the report's pages).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from ...version import __version__

DEFAULTS: dict[str, Any] = {
    "root": "",  # relative path from the page to the site's top folder
    "nav": None,  # the report section the page belongs to (no navigation outside the report)
    "inline_css": None,
    "pair": None,
    "generated": None,
    "site_title": "docaudit",
}


@cache
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("docaudit", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def asset(name: str) -> str:
    """A static file of the templates folder (``style.css``, ``report.js``)."""
    return files("docaudit").joinpath("templates", name).read_text(encoding="utf-8")


def stylesheet() -> Any:
    """The stylesheet, to inline in a ``<style>`` element: trusted (our own file), so not escaped."""
    from markupsafe import Markup

    css = asset("style.css")
    if "</" in css:
        raise ValueError("style.css must not contain '</' (it is inlined in a <style> element)")
    return Markup(css)


def render_template(template: str, **context: Any) -> str:
    """Render ``template`` with every piece of text escaped; ``context`` overrides :data:`DEFAULTS`."""
    values = {**DEFAULTS, "version": __version__, **context}
    return environment().get_template(template).render(**values)
