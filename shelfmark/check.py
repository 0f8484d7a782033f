"""Checking a built site: every internal link, asset and anchor resolves, and nothing loads from another host.

The profile is read from the `data-profile` and `data-base` attributes the templates put on each
page's <html> element. In the offline profile a link must name a file, because a browser
opening the site from disk shows a folder listing, not its index.html.
"""

from __future__ import annotations

import argparse
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .console import Console

# Attributes whose URL the browser loads by itself (so another host there is a request off the site).
LOADED = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
          ("audio", "src"), ("embed", "src"), ("object", "data"), ("input", "src")}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass
class PageLinks:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[int, str, str, bool]] = field(default_factory=list)  # (line, tag, url, loaded by the browser)
    profile: str | None = None
    base: str = "/"


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        line = self.getpos()[0]
        if tag == "html":
            self.page.profile = values.get("data-profile")
            self.page.base = values.get("data-base", "/")
        for name in ("id", "name") if tag == "a" else ("id",):
            if name in values:
                self.page.ids.add(values[name])
        for name in ("href", "src", "data"):
            if name in values:
                loaded = (tag, name) in LOADED or (tag == "link" and _is_loaded_link(values))
                self.page.links.append((line, tag, values[name], loaded))
        if "srcset" in values:
            for candidate in values["srcset"].split(","):
                if candidate.strip():
                    self.page.links.append((line, tag, candidate.split()[0], True))


def _is_loaded_link(values: dict[str, str]) -> bool:
    rel = set(values.get("rel", "").lower().split())
    return bool(rel & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"})


def parse_page(text: str) -> PageLinks:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.page


@dataclass
class CheckReport:
    pages: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)


def check_site(site: Path, profile: str | None = None) -> CheckReport:
    """Check every HTML and CSS file under `site`."""
    report = CheckReport()
    pages = {path.relative_to(site).as_posix(): parse_page(path.read_text(encoding="utf-8"))
             for path in sorted(site.rglob("*.html"))}
    report.pages = len(pages)
    for name, page in pages.items():
        page_profile = profile or page.profile or "hosted"
        for line, tag, url, loaded in page.links:
            report.links += 1
            problem = _check_link(site, pages, name, url, loaded, page_profile, page.base)
            if problem:
                report.problems.append(f"{site / name}:{line}: <{tag}> {url!r}: {problem}")
    for css in sorted(site.rglob("*.css")):
        name = css.relative_to(site).as_posix()
        for number, text in enumerate(css.read_text(encoding="utf-8").splitlines(), start=1):
            for url in _CSS_URL.findall(text):
                report.links += 1
                problem = _check_link(site, pages, name, url, True, profile or "hosted", "/")
                if problem:
                    report.problems.append(f"{css}:{number}: url({url!r}): {problem}")
    return report


def _check_link(site: Path, pages: dict[str, PageLinks], here: str, url: str, loaded: bool,
                profile: str, base: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel", "data", "javascript") and not loaded:
        return "javascript: URLs are not allowed" if parts.scheme == "javascript" else None
    if parts.scheme or parts.netloc:
        return "loads a resource from another host" if loaded else None
    if not parts.path:
        return _check_anchor(pages.get(here), parts.fragment, here)

    path = unquote(parts.path)
    if path.startswith("/"):
        if not path.startswith(base):
            return f"root-relative link outside the site's base path {base!r}"
        target = posixpath.normpath(path[len(base):] or ".")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
    if target.startswith("../") or target == "..":
        return "leaves the site"
    # normpath drops a trailing slash, so the path as written shows whether the link names a folder.
    if path.endswith("/") or target == ".":
        if profile == "offline" and not path.startswith("/"):
            return "links to a folder; opened from disk this shows a file listing, so link to its index.html"
        target = "index.html" if target == "." else f"{target}/index.html"
    resolved = site / target
    if resolved.is_dir():
        if profile == "offline":
            return "links to a folder; link to its index.html"
        target = posixpath.join(target, "index.html")
        resolved = site / target
    if not resolved.is_file():
        return f"target {target} does not exist"
    if parts.fragment and target.endswith(".html"):
        return _check_anchor(pages.get(target), parts.fragment, target)
    return None


def _check_anchor(page: PageLinks | None, fragment: str, name: str) -> str | None:
    if not fragment or fragment == "top":
        return None
    if page is None or unquote(fragment) not in page.ids:
        return f"no element with id {fragment!r} in {name}"
    return None


def run_check(args: argparse.Namespace, console: Console) -> int:
    site = args.out
    if not (site / "index.html").is_file():
        console.error(f"{site}/index.html not found; build the site first with `python build.py --out {site}`")
        console.summary("Check failed: no site to check")
        return 2
    report = check_site(site)
    for problem in report.problems:
        console.error(problem)
    broken = len(report.problems)
    console.summary(f"Checked {site}/: {report.pages} pages, {report.links} links and assets, "
                    f"{broken} problem{'s' if broken != 1 else ''}")
    return 1 if broken else 0
