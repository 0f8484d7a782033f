"""Citation exports, the Atom feed, the sitemap and robots.txt, as output files.

`write_outputs` writes, through the build's output sink:

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
from pathlib import Path
from typing import Any, BinaryIO, Iterable
from xml.sax.saxutils import escape

from . import scholarly
from .collection import Collection, Thesis
from .cache import fingerprint
from .config import Config
from .outputs import OutputSink, Reusable
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


DOWNLOADS = ("downloads/theses.bib", "downloads/theses.ris", "downloads/theses.json", "downloads/theses.csv",
             "downloads/records.json")


def write_outputs(collection: Collection, config: Config, profile: Profile, sink: OutputSink,
                  cache: dict[str, Any] | None = None) -> None:
    """Write the citation files of every thesis, the collection downloads and the crawl files.

    One pass over the theses makes each thesis's citation texts once, for its own files and for
    the downloads, which are streamed so a large collection is never held in memory whole. A
    thesis whose inputs did not change since the last build makes no texts at all: its own files
    are hard-linked and its parts of the downloads are copied from the previous build's files,
    whose offsets `cache` keeps.
    """
    cache = {} if cache is None else cache
    shared = fingerprint(config.values, profile)
    keys = {thesis.id: fingerprint(shared, thesis.fingerprint_data()) for thesis in collection.theses}
    previous = _previous_segments(cache, sink)
    segments: dict[str, list[tuple[int, int]]] = {thesis_id: [] for thesis_id in keys}
    texts_of = _TextsCache(config, profile)

    with sink.stream(DOWNLOADS[0]) as bib, sink.stream(DOWNLOADS[1]) as ris, \
            sink.stream(DOWNLOADS[2]) as csl, sink.stream(DOWNLOADS[3]) as table:
        parts = [_Segments(stream, sink.writer.out / path) for stream, path in zip((bib, ris, csl, table), DOWNLOADS)]
        parts[2].write(b"[\n" if collection.theses else b"[]\n")
        # The byte order mark makes Excel read the CSV file as UTF-8.
        parts[3].write(("\ufeff" + _csv_line(CSV_COLUMNS)).encode("utf-8"))
        for number, thesis in enumerate(collection.theses):
            key, old = keys[thesis.id], previous.get(thesis.id)
            folder = f"theses/{thesis.id}/"
            sink.reusable(Reusable(key, (folder + "cite.bib", folder + "cite.ris", folder + "cite.json"),
                                   partial(_thesis_files, folder, thesis, texts_of)))
            if number:
                parts[0].write(b"\n")
                parts[2].write(b",\n")
            for index, part in enumerate(parts):
                reused = old is not None and old[0] == key and part.copy(old[1][index])
                segments[thesis.id].append(reused or part.add(texts_of(thesis).segment(index)))
        parts[2].write(b"\n]\n" if collection.theses else b"")
        for part in parts:
            part.close()
    with sink.stream(DOWNLOADS[4]) as stream:
        part = _Segments(stream, sink.writer.out / DOWNLOADS[4])
        ordered = sorted(collection.theses, key=lambda thesis: thesis.id)
        part.write(b"[\n" if ordered else b"[]\n")
        for number, thesis in enumerate(ordered):
            part.write(b",\n" if number else b"")
            old = previous.get(thesis.id)
            reused = old is not None and old[0] == keys[thesis.id] and part.copy(old[1][4])
            segments[thesis.id].append(reused or part.add(json_item(thesis.data).encode("utf-8")))
        part.write(b"\n]\n" if ordered else b"")
        part.close()
    cache["segments"] = {thesis_id: (keys[thesis_id], tuple(offsets)) for thesis_id, offsets in segments.items()}
    cache["files"] = {path: _stat(sink.writer.staging / path) for path in DOWNLOADS}

    if profile.writes_crawl_files:
        sink.file("atom.xml", atom_feed(collection, config, profile))
        for path, data in sitemap_files(page_urls(collection, config, profile), profile):
            sink.file(path, data)
        if profile.robots_allowed:
            sink.file("robots.txt", robots_txt(profile))


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _previous_segments(cache: dict[str, Any], sink: OutputSink) -> dict[str, tuple[str, tuple[tuple[int, int], ...]]]:
    """The offsets of each thesis's parts in the previous downloads, if those files are still as the last build left them."""
    files = cache.get("files", {})
    for path in DOWNLOADS:
        previous = sink.writer.out / path
        if path not in files or not previous.is_file() or _stat(previous) != files[path]:
            return {}
    return cache.get("segments", {})


class _Segments:
    """A download written part by part: new bytes, or a range copied from the previous build's file."""

    def __init__(self, stream: BinaryIO, previous: Path):
        self.stream = stream
        self.previous_path = previous
        self.previous: BinaryIO | None = None
        self.offset = 0

    def write(self, data: bytes) -> None:
        self.stream.write(data)
        self.offset += len(data)

    def add(self, data: bytes) -> tuple[int, int]:
        start = self.offset
        self.write(data)
        return start, len(data)

    def copy(self, segment: tuple[int, int]) -> tuple[int, int] | None:
        """Copy a range of the previous file; None when it cannot be read whole."""
        if self.previous is None:
            try:
                self.previous = open(self.previous_path, "rb")
            except OSError:
                return None
        start, length = segment
        self.previous.seek(start)
        data = self.previous.read(length)
        return self.add(data) if len(data) == length else None

    def close(self) -> None:
        if self.previous is not None:
            self.previous.close()


def _csv_line(cells: Iterable[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


class _TextsCache:
    """The citation texts of the thesis in hand, made on first use and kept until the next thesis."""

    def __init__(self, config: Config, profile: Profile):
        self.config, self.profile = config, profile
        self.thesis_id: str | None = None
        self.texts: ThesisTexts | None = None

    def __call__(self, thesis: Thesis) -> "ThesisTexts":
        if self.thesis_id != thesis.id or self.texts is None:
            cite = scholarly.citation(thesis, self.config, self.profile)
            self.texts = ThesisTexts(scholarly.bibtex(cite), scholarly.ris(cite), json_item(scholarly.csl_item(cite)),
                                     _csv_line(csv_row(thesis, cite)))
            self.thesis_id = thesis.id
        return self.texts


@dataclass(frozen=True)
class ThesisTexts:
    bibtex: str
    ris: str
    csl_json: str  # one CSL-JSON item, on one line
    csv_line: str

    def segment(self, index: int) -> bytes:
        """The thesis's part of the index-th download, in DOWNLOADS order (not records.json)."""
        return (self.bibtex, self.ris, self.csl_json, self.csv_line)[index].encode("utf-8")


def _thesis_files(folder: str, thesis: Thesis, texts_of: "_TextsCache") -> list[tuple[str, bytes]]:
    texts = texts_of(thesis)
    return [(folder + "cite.bib", texts.bibtex.encode("utf-8")),
            (folder + "cite.ris", texts.ris.encode("utf-8")),
            (folder + "cite.json", f"[\n{texts.csl_json}\n]\n".encode("utf-8"))]


def json_item(value: Any) -> str:
    """A JSON value on one line, as an element of the JSON lists written here (one element per line).

    Compact JSON is made by the json module's C encoder; indented JSON is not, and took most of the
    export time of a large collection.
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def csv_row(thesis: Thesis, cite: Citation) -> list[str]:
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
    return [spreadsheet_safe(flat(row[column])) for column in CSV_COLUMNS]


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
