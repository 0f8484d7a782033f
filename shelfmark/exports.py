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
from dataclasses import dataclass
from functools import partial
from typing import Any, Iterator
from xml.sax.saxutils import escape

from . import scholarly
from .collection import Collection, Thesis
from .cache import fingerprint
from .config import Config
from .outputs import Reusable
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


@dataclass(frozen=True)
class ThesisExport:
    """The citation texts of one thesis, kept in the build cache while the thesis, settings and profile stay the same."""

    key: str
    bibtex: str
    ris: str
    csl: dict[str, Any]
    csv_row: tuple[str, ...]


def files(collection: Collection, config: Config, profile: Profile,
          cache: dict[str, Any] | None = None) -> Iterator[tuple[str, bytes] | Reusable]:
    exports = thesis_exports(collection, config, profile, {} if cache is None else cache)
    for export, thesis in zip(exports, collection.theses):
        folder = f"theses/{thesis.id}/"
        yield Reusable(export.key, (folder + "cite.bib", folder + "cite.ris", folder + "cite.json"),
                       partial(_thesis_files, folder, export))
    yield from collection_files(collection, exports)
    if profile.writes_crawl_files:
        yield "atom.xml", atom_feed(collection, config, profile)
        yield from sitemap_files(page_urls(collection, config, profile), profile)
        if profile.robots_allowed:
            yield "robots.txt", robots_txt(profile)


def thesis_exports(collection: Collection, config: Config, profile: Profile, cache: dict[str, Any]) -> list[ThesisExport]:
    """Each thesis's citation texts, taken from `cache` when its inputs are unchanged; `cache` is updated."""
    shared = fingerprint(config.values, profile)
    known: dict[str, ThesisExport] = cache.get("theses", {})
    exports = []
    for thesis in collection.theses:
        key = fingerprint(shared, thesis.fingerprint_data())
        export = known.get(thesis.id)
        if export is None or export.key != key:
            cite = scholarly.citation(thesis, config, profile)
            export = ThesisExport(key, scholarly.bibtex(cite), scholarly.ris(cite), scholarly.csl_item(cite),
                                  csv_row(thesis, cite))
        exports.append(export)
    cache["theses"] = {thesis.id: export for thesis, export in zip(collection.theses, exports)}
    return exports


def _thesis_files(folder: str, export: ThesisExport) -> list[tuple[str, bytes]]:
    return [(folder + "cite.bib", export.bibtex.encode("utf-8")),
            (folder + "cite.ris", export.ris.encode("utf-8")),
            (folder + "cite.json", _json([export.csl]))]


def collection_files(collection: Collection, exports: list[ThesisExport]) -> Iterator[tuple[str, bytes]]:
    yield "downloads/theses.bib", "\n".join(export.bibtex for export in exports).encode("utf-8")
    yield "downloads/theses.ris", "".join(export.ris for export in exports).encode("utf-8")
    yield "downloads/theses.json", _json([export.csl for export in exports])
    yield "downloads/theses.csv", theses_csv(exports)
    yield "downloads/records.json", _json(sorted((thesis.data for thesis in collection.theses), key=lambda data: data["id"]))


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def csv_row(thesis: Thesis, cite: Citation) -> tuple[str, ...]:
    """One thesis as CSV cells, lists joined by "; ", each cell safe from spreadsheet formulas."""
    data = thesis.data
    row = {
        "id": thesis.id, "title": cite.title, "authors": "; ".join(cite.authors), "advisors": "; ".join(cite.advisors),
        "department": data.get("department"), "publishers": "; ".join(data.get("publishers") or []),
        "date_issued": data.get("date_issued"), "degree": data.get("degree"), "type": data.get("type"),
        "subjects": "; ".join(cite.subjects), "language": data.get("language"), "abstract": cite.abstract,
        "handle": data.get("handle"), "source_url": data.get("source_url"), "pdf_url": data.get("pdf_url"),
        "page_url": cite.page_url,
    }
    return tuple(spreadsheet_safe(flat(row[column])) for column in CSV_COLUMNS)


def theses_csv(exports: list[ThesisExport]) -> bytes:
    """Write one row per thesis. The file starts with a byte order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(export.csv_row for export in exports)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def spreadsheet_safe(cell: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe, so it shows as text."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


# --- Atom ------------------------------------------------------------------------------------


def atom_time(iso: str) -> str:
    """Turn a date of issue of any precision into an RFC 3339 time: 2024 gives 2024-01-01T00:00:00Z."""
    parts = iso.split("-") + ["01", "01"]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def atom_feed(collection: Collection, config: Config, profile: Profile) -> bytes:
    """Write the feed of the newest `feed_size` dated theses, in listing order. Its <updated> is the newest date of issue."""
    dated_theses = [thesis for thesis in collection.theses if thesis.data.get("date_issued")]
    dated = [scholarly.citation(thesis, config, profile) for thesis in dated_theses[: config["feed_size"]]]
    newest = dated
    feed = ET.Element("feed", {"xmlns": ATOM_NAMESPACE, "{http://www.w3.org/XML/1998/namespace}lang": config["language"]})
    _text(feed, "id", profile.absolute("index.html"))
    _text(feed, "title", config["title"])
    if config["description"]:
        _text(feed, "subtitle", config["description"])
    _text(feed, "updated", max((atom_time(thesis.data["date_issued"]) for thesis in dated_theses), default=UNDATED))
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
