"""Shared helpers for the site build tests: building, writing records, reading pages and links."""

from __future__ import annotations

import hashlib
import posixpath
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from shelfmark import records
from shelfmark.builder import BuildOptions, BuildResult, build_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PROFILES = ("hosted", "preview", "offline")
PREVIEW_BASE = "/pr-42/"


def build(content: Path, out: Path, profile: str = "hosted", base_url: str | None = None, **options) -> BuildResult:
    """Build `content` into `out`. The preview profile gets the base path /pr-42/ unless another is given."""
    if profile == "preview" and base_url is None:
        base_url = PREVIEW_BASE
    return build_site(BuildOptions(content=content, out=out, profile=profile, base_url=base_url, **options))


def copy_content(tmp_path: Path, name: str = "content") -> Path:
    """A copy of the shipped content folder that a test may change."""
    target = tmp_path / name
    shutil.copytree(CONTENT, target)
    return target


def empty_content(tmp_path: Path, site_yaml: str = "") -> Path:
    """A content folder with an empty theses/ folder and the given site.yaml text."""
    content = tmp_path / "content"
    (content / "theses").mkdir(parents=True)
    if site_yaml:
        (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
    return content


def write_record(content: Path, record_id: str, **fields) -> Path:
    """Write a record with the tool's own serialiser. Fields not given keep their empty values."""
    record = records.empty_record(record_id)
    record.update(fields)
    path = content / "theses" / f"{record_id}.yaml"
    path.write_text(records.dump_record(record), encoding="utf-8")
    return path


def write_numbered_records(content: Path, count: int) -> list[str]:
    """Write `count` records, one a year from 1990, all by one author, and return their ids newest first."""
    ids = []
    for number in range(count):
        year = 1990 + number
        record_id = f"author-{year}-thesis-{number:02d}"
        write_record(content, record_id, title=f"Thesis {number:02d}", authors=["Author, Shared"],
                     advisors=[f"Advisor, Number {number:02d}"], department="Physics", date_issued=str(year),
                     abstract=f"Abstract of thesis {number}.")
        ids.append(record_id)
    return ids[::-1]


def tree_digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file under `folder`, by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def html_files(site: Path) -> list[str]:
    """Every HTML file of a site, as sorted relative paths."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def resolve(site: Path, page: str, href: str) -> Path:
    """The file a relative or root-relative link names, as the browser or a static server would find it."""
    path = unquote(urlsplit(href).path)
    if path.startswith("/"):
        target = path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if target in ("", ".") or path.endswith("/"):
        target = posixpath.join(target, "index.html") if target not in ("", ".") else "index.html"
    return site / target


def loaded_urls(page: BeautifulSoup) -> list[str]:
    """URLs the browser loads by itself: scripts, images, stylesheets and icons."""
    urls = [tag["src"] for tag in page.find_all(["script", "img", "iframe", "source", "audio", "video"], src=True)]
    for tag in page.find_all("link", href=True):
        if set(tag.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload", "manifest"}:
            urls.append(tag["href"])
    return urls


def definition(page: BeautifulSoup, term: str):
    """The <dd> that follows the <dt> with this text in the thesis fields, or None."""
    for dt in page.select("dl.fields > dt"):
        if dt.get_text(strip=True) == term:
            return dt.find_next_sibling("dd")
    return None
