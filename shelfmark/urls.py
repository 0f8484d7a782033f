"""URLs per profile. The three profiles differ only here and in packaging.

Every link between pages is relative, so the same pages work at a host root, under any sub-path
and from disk. The offline profile links to files ("theses/x/index.html"); the others link to
folders ("theses/x/"). Absolute URLs (canonical, feed, sitemap) come from the hosted base URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

PROFILES = ("hosted", "preview", "offline")


@dataclass(frozen=True)
class Profile:
    name: str
    hosted_base: str | None  # absolute URL of the hosted site, ending in "/", or None
    deploy_path: str = "/"  # path the site is served under: "/" or "/pr-42/" (used by 404.html)

    @property
    def noindex(self) -> bool:
        return self.name == "preview"

    @property
    def offline(self) -> bool:
        return self.name == "offline"

    @property
    def writes_crawl_files(self) -> bool:
        """Atom feed, sitemap and robots.txt describe the hosted site only."""
        return self.name == "hosted" and self.hosted_base is not None

    @property
    def robots_allowed(self) -> bool:
        """robots.txt only works at the root of a host."""
        return self.writes_crawl_files and urlsplit(self.hosted_base or "").path in ("", "/")

    def link(self, from_path: str, to_path: str) -> str:
        """A relative link from one output file to another; both are paths like "theses/x/index.html"."""
        target = to_path
        fragment = ""
        if "#" in target:
            target, fragment = target.split("#", 1)
            fragment = "#" + fragment
        relative = relative_path(from_path, target)
        if not self.offline and (relative == "index.html" or relative.endswith("/index.html")):
            relative = relative[: -len("index.html")] or "./"
        return _quote_path(relative) + fragment

    def absolute(self, path: str) -> str | None:
        """The hosted URL of an output file, or None when no hosted base URL is configured."""
        if not self.hosted_base:
            return None
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.hosted_base + _quote_path(path)

    def root_path(self, path: str) -> str:
        """A root-relative URL under the deploy path, for pages served at unknown URLs (404.html)."""
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.deploy_path + _quote_path(path)


_SAFE_PATH = re.compile(r"^[A-Za-z0-9/._~-]*$")


def _quote_path(path: str) -> str:
    return path if _SAFE_PATH.match(path) else quote(path, safe="/.-_~")


def relative_path(from_path: str, to_path: str) -> str:
    """The relative path from the folder of one normalised output path to another.

    posixpath.relpath does the same through the file system's current folder and is several
    times slower; on a large site it was a tenth of the rendering time.
    """
    source = from_path.split("/")[:-1]
    target = to_path.split("/")
    common = 0
    while common < len(source) and common < len(target) - 1 and source[common] == target[common]:
        common += 1
    return "../" * (len(source) - common) + "/".join(target[common:])


def make_profile(name: str, config_base: str | None, base_url_option: str | None) -> Profile:
    """Combine --profile, --base-url and base_url from site.yaml into a Profile."""
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; expected one of {', '.join(PROFILES)}")
    hosted_base = _with_slash(config_base) if config_base else None
    deploy_path = "/"
    if base_url_option:
        parts = urlsplit(base_url_option)
        if name == "hosted":
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"--base-url {base_url_option!r}: the hosted profile needs an absolute URL such as https://theses.example.edu/")
            hosted_base = _with_slash(base_url_option)
        deploy_path = _with_slash(parts.path or "/")
        if not deploy_path.startswith("/"):
            deploy_path = "/" + deploy_path
    elif hosted_base and name == "hosted":
        deploy_path = _with_slash(urlsplit(hosted_base).path or "/")
    return Profile(name, hosted_base, deploy_path)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
