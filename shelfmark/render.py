"""Rendering pages with Jinja: autoescape on, undefined values are errors, errors name template and line."""

from __future__ import annotations

import functools
import json
import re
import traceback
from pathlib import Path
from typing import Any, Callable

import jinja2
import markdown as markdown_module
from markupsafe import Markup

from . import scholarly
from .collection import Collection, Thesis
from .config import Config
from .pages import Page, browse_value_path, menu, thesis_path
from .people import fold
from .urls import Profile

# Unicode bidi controls: shown as text would reorder what follows them, so they are removed.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


class TemplateProblem(Exception):
    """A template failed; the message names the template file and line."""


def make_environment(template_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build; checking costs a stat per include
    )
    env.filters["excerpt"] = excerpt
    env.filters["plain"] = plain_text
    env.filters["json_script"] = json_for_script
    env.filters["fold"] = fold
    return env


def plain_text(value: Any) -> str:
    """Text for display: bidi controls removed (autoescape still escapes it)."""
    text = "" if value is None else str(value)
    return text if text.isascii() else _BIDI_CONTROLS.sub("", text)


@functools.lru_cache(maxsize=4096)
def excerpt(text: str | None, length: int = 280) -> str:
    """The start of a text, cut at a word boundary, with an ellipsis when shortened.

    Kept for the last few thousand texts: a thesis shows its excerpt on every listing and browse
    page it is on, and pages of the same browse facet follow one another.
    """
    flat = " ".join(plain_text(text).split())
    if len(flat) <= length:
        return flat
    cut = flat[:length].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def json_for_script(value: Any) -> Markup:
    """JSON safe inside a <script> element: "<", ">" and "&" are escaped so "</script>" cannot end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


class Renderer:
    """Renders planned pages for one profile."""

    def __init__(self, template_dir: Path, collection: Collection, config: Config, profile: Profile,
                 extra: dict[str, Any] | None = None):
        self.env = make_environment(template_dir)
        self.template_dir = template_dir
        self.collection = collection
        self.config = config
        self.profile = profile
        self.menu = menu(collection)
        self.extra = extra or {}
        self._markdown = markdown_module.Markdown(extensions=["extra", "sane_lists", "smarty"], output_format="html")

    def render(self, page: Page) -> bytes:
        try:
            template = self.env.get_template(page.template)
            html = template.render(self.context(page))
        except jinja2.TemplateSyntaxError as error:
            raise TemplateProblem(f"{self._template_file(error.name)}:{error.lineno}: template syntax error: {error.message}") from error
        except jinja2.TemplateNotFound as error:
            raise TemplateProblem(f"template {error.name!r} not found in {self.template_dir} (needed for {page.path})") from error
        except Exception as error:
            raise TemplateProblem(f"{self._failing_line(error)}: {type(error).__name__}: {error} (rendering {page.path})") from error
        return html.encode("utf-8")

    def _template_file(self, name: str | None) -> str:
        return str(self.template_dir / name) if name else str(self.template_dir)

    def _failing_line(self, error: Exception) -> str:
        """The innermost template frame of a traceback, as file:line."""
        location = str(self.template_dir)
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.startswith(str(self.template_dir)):
                location = f"{frame.filename}:{frame.lineno}"
        return location

    def context(self, page: Page) -> dict[str, Any]:
        here = page.path

        def link(path: str) -> str:
            return self.profile.link(here, path)

        return {
            "site": self.config,
            "profile": self.profile,
            "page": page,
            "data": page.data,
            "link": link,
            "asset": lambda name: link(f"assets/{name}"),
            "canonical": None if page.kind == "not-found" else self.profile.absolute(here),
            "menu": self._menu_for(here),
            "collection": self.collection,
            "thesis_link": lambda thesis: link(thesis_path(thesis)),
            "browse_link": self._browse_linker(link),
            "markdown": self.markdown,
            "scholarly": scholarly.for_page(page, self.config, self.profile),
            **self.extra,
        }

    def _menu_for(self, here: str) -> list[tuple[str, str, str | None]]:
        """Menu entries with their aria-current state: "page" for this page, "true" for its section."""
        entries = []
        for label, path in self.menu:
            section = path[: -len("index.html")]
            if path == here:
                current = "page"
            elif section and here.startswith(section):
                current = "true"
            else:
                current = None
            entries.append((label, path, current))
        return entries

    def _browse_linker(self, link: Callable[[str], str]) -> Callable[[str, Any], str | None]:
        def browse_link(facet: str, name: Any) -> str | None:
            value = self.collection.value_of(facet, str(name))
            return link(browse_value_path(value)) if value else None
        return browse_link

    def markdown(self, text: str) -> Markup:
        self._markdown.reset()
        return Markup(self._markdown.convert(text))


def thesis_year(thesis: Thesis) -> str:
    return str(thesis.year) if thesis.year is not None else "n.d."
