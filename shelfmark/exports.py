"""Citation exports, the Atom feed, the sitemap and robots.txt, as output files.

`files` yields every file as (output path, bytes):

* per thesis: theses/<id>/cite.bib, cite.ris and cite.json (CSL-JSON), in every profile;
* for the collection: downloads/theses.bib, .ris, .json, .csv and downloads/records.json;
* on the hosted profile with a base URL only: atom.xml and sitemap.xml (a sitemap index with
  numbered sitemaps past 50,000 pages), and robots.txt when the site sits at a host root.

Nothing here reads the clock: the feed's dates come from the records, so two builds of the same
input give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any, Iterator
from xml.sax.saxutils import escape

from . import scholarly
from .collection import Collection, Thesis
from .config import Config
from .pages import plan_pages
from .scholarly import Citation, flat
from .urls import Profile

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_LIMIT = 50_000  # URLs per sitemap file, as sitemaps.org allows
# The feed's date when no thesis has one: fixed, so the feed stays byte-identical between builds.
UNDATED = "1970-01-01T00:00:00Z"
CSV_COLUMNS = (
    "id", "title", "authors", "advisors", "department", "publishers", "date_issued", "degree", "type",
    "subjects", "language", "abstract", "handle", "source_url", "pdf_url", "page_url",
)
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def files(collection: Collection, config: Config, profile: Profile) -> Iterator[tuple[str, bytes]]:
    citations = [scholarly.citation(thesis, config, profile) for thesis in collection.theses]
    yield from thesis_files(citations)
    yield from collection_files(collection, citations)
    if profile.writes_crawl_files:
        yield "atom.xml", atom_feed(citations, config, profile)
        yield from sitemap_files(page_urls(collection, config, profile), profile)
        if profile.robots_allowed:
            yield "robots.txt", robots_txt(profile)


# --- citation files ----------------------------------------------------------------------------


def thesis_files(citations: list[Citation]) -> Iterator[tuple[str, bytes]]:
    for cite in citations:
        folder = f"theses/{cite.id}/"
        yield folder + "cite.bib", scholarly.bibtex(cite).encode("utf-8")
        yield folder + "cite.ris", scholarly.ris(cite).encode("utf-8")
        yield folder + "cite.json", _json([scholarly.csl_item(cite)])


def collection_files(collection: Collection, citations: list[Citation]) -> Iterator[tuple[str, bytes]]:
    yield "downloads/theses.bib", "\n".join(scholarly.bibtex(cite) for cite in citations).encode("utf-8")
    yield "downloads/theses.ris", "".join(scholarly.ris(cite) for cite in citations).encode("utf-8")
    yield "downloads/theses.json", _json([scholarly.csl_item(cite) for cite in citations])
    yield "downloads/theses.csv", theses_csv(collection.theses, citations)
    yield "downloads/records.json", _json(sorted((thesis.data for thesis in collection.theses), key=lambda data: data["id"]))


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def theses_csv(theses: list[Thesis], citations: list[Citation]) -> bytes:
    """Write one row per thesis, lists joined by "; ". The file starts with a byte order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for thesis, cite in zip(theses, citations):
        data = thesis.data
        row = {
            "id": thesis.id, "title": cite.title, "authors": "; ".join(cite.authors), "advisors": "; ".join(cite.advisors),
            "department": data.get("department"), "publishers": "; ".join(data.get("publishers") or []),
            "date_issued": data.get("date_issued"), "degree": data.get("degree"), "type": data.get("type"),
            "subjects": "; ".join(cite.subjects), "language": data.get("language"), "abstract": cite.abstract,
            "handle": data.get("handle"), "source_url": data.get("source_url"), "pdf_url": data.get("pdf_url"),
            "page_url": cite.page_url,
        }
        writer.writerow([spreadsheet_safe(flat(row[column])) for column in CSV_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def spreadsheet_safe(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe, so it shows as text."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


# --- Atom ------------------------------------------------------------------------------------


def atom_time(iso: str) -> str:
    """Turn a date of issue of any precision into an RFC 3339 time: 2024 gives 2024-01-01T00:00:00Z."""
    parts = iso.split("-") + ["01", "01"]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def atom_feed(citations: list[Citation], config: Config, profile: Profile) -> bytes:
    """Write the feed of the newest `feed_size` dated theses, in listing order. Its <updated> is the newest date of issue."""
    dated = [cite for cite in citations if cite.date]
    newest = dated[: config["feed_size"]]
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, "{http://www.w3.org/XML/1998/namespace}lang": config["language"]})
    _text(feed, "id", profile.absolute("index.html"))
    _text(feed, "title", config["title"])
    if config["description"]:
        _text(feed, "subtitle", config["description"])
    _text(feed, "updated", max((atom_time(cite.date) for cite in dated if cite.date), default=UNDATED))
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": profile.absolute("atom.xml") or ""})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": profile.absolute("index.html") or ""})
    _person(feed, "author", scholarly.institution(config, []) or config["title"])
    for cite in newest:
        _entry(feed, cite)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(feed: ET.Element, cite: Citation) -> None:
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", cite.page_url)
    _text(entry, "title", cite.title)
    _text(entry, "updated", atom_time(cite.date or ""))
    _text(entry, "published", atom_time(cite.date or ""))
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": cite.page_url or ""})
    for name in cite.authors:
        _person(entry, "author", name)
    for name in cite.advisors:
        _person(entry, "contributor", name)
    for subject in cite.subjects:
        ET.SubElement(entry, "category", {"term": subject})
    if cite.abstract:
        _text(entry, "summary", cite.abstract)


def _text(parent: ET.Element, tag: str, text: str | None) -> None:
    ET.SubElement(parent, tag).text = flat(text)


def _person(parent: ET.Element, tag: str, name: str) -> None:
    _text(ET.SubElement(parent, tag), "name", name)


# --- sitemap and robots.txt ------------------------------------------------------------------------


def page_urls(collection: Collection, config: Config, profile: Profile) -> list[str]:
    """Return the hosted URL of every HTML page but the 404 page, in the build's page order."""
    urls = (profile.absolute(page.path) for page in plan_pages(collection, config) if page.kind != "not-found")
    return [url for url in urls if url]


def sitemap_files(urls: list[str], profile: Profile, limit: int = SITEMAP_LIMIT) -> list[tuple[str, bytes]]:
    """Write sitemap.xml. Past `limit` URLs it becomes a sitemap index of sitemap-1.xml, sitemap-2.xml and so on."""
    if len(urls) <= limit:
        return [("sitemap.xml", _urlset(urls))]
    parts = [(f"sitemap-{number}.xml", _urlset(urls[start:start + limit]))
             for number, start in enumerate(range(0, len(urls), limit), start=1)]
    index = _sitemap_xml("sitemapindex", "sitemap", [profile.absolute(path) or path for path, _ in parts])
    return [("sitemap.xml", index), *parts]


def _urlset(urls: list[str]) -> bytes:
    return _sitemap_xml("urlset", "url", urls)


def _sitemap_xml(root: str, element: str, urls: list[str]) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{SITEMAP_NAMESPACE}">']
    lines += [f"  <{element}><loc>{escape(url)}</loc></{element}>" for url in urls]
    lines.append(f"</{root}>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(profile: Profile) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {profile.absolute('sitemap.xml')}\n".encode("utf-8")
