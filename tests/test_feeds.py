"""Atom feed, sitemap and robots.txt: hosted files only, each checked against its own standard."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree

from conftest import ROOT
from shelfmark import exports, records
from shelfmark.builder import BuildOptions, build_site
from shelfmark.urls import make_profile

CONTENT = ROOT / "content"
BASE = "https://theses.example.edu/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# The sitemaps.org schema, as the npm package "sitemap" (MIT) ships it; package.json installs it.
SITEMAP_XSD = ROOT / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
CRAWL_FILES = ("atom.xml", "sitemap.xml", "robots.txt")

DATED_RECORDS = [
    {"id": "okafor-2019-signal-recovery", "title": "Signal Recovery", "authors": ["Okafor, Adaeze"],
     "date_issued": "2019-05-20"},
    {"id": "lee-2025-newest-work", "title": "Newest Work", "authors": ["Lee, Min"], "advisors": ["Park, Ji"],
     "date_issued": "2025-03-02", "subjects": ["Optics"]},
    {"id": "vu-nd-undated-work", "title": "Undated Work", "authors": ["Vu, An"]},
]


def content_copy(tmp_path: Path, extra: list[dict] = (), **settings) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for record in extra:
        data = records.empty_record(record["id"]) | record
        (content / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(data), encoding="utf-8")
    if settings:
        site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8")) | settings
        site = {key: value for key, value in site.items() if value is not None}
        (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    return content


def build(content: Path, out: Path, profile: str = "hosted", base_url: str | None = None) -> Path:
    build_site(BuildOptions(content=content, out=out, profile=profile, base_url=base_url))
    return out


def html_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def hosted_url(path: str) -> str:
    return BASE + path.removesuffix("index.html")


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return content_copy(tmp_path_factory.mktemp("content"), DATED_RECORDS)


@pytest.fixture(scope="module")
def hosted(content, tmp_path_factory) -> Path:
    return build(content, tmp_path_factory.mktemp("hosted") / "site")


# --- Atom ----------------------------------------------------------------------------------------------


def feed(site: Path) -> ET.Element:
    root = ET.parse(site / "atom.xml").getroot()
    assert root.tag == ATOM + "feed"
    return root


def test_feed_has_the_elements_atom_requires(hosted):
    root = feed(hosted)
    for tag in ("id", "title", "updated"):
        assert len(root.findall(ATOM + tag)) == 1, tag
    assert root.find(ATOM + "author/" + ATOM + "name").text
    self_links = [link for link in root.findall(ATOM + "link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == [BASE + "atom.xml"]
    entries = root.findall(ATOM + "entry")
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(ATOM + tag)) == 1, tag
        assert entry.find(ATOM + "id").text.startswith(BASE)
        alternate = entry.find(ATOM + "link")
        assert alternate.get("rel") == "alternate"
        assert alternate.get("href") == entry.find(ATOM + "id").text


def test_feed_ids_are_unique_absolute_urls(hosted):
    root = feed(hosted)
    ids = [root.find(ATOM + "id").text] + [entry.find(ATOM + "id").text for entry in root.iter(ATOM + "entry")]
    assert len(set(ids)) == len(ids)
    assert all(value.startswith("https://") for value in ids)


def test_feed_updated_is_the_newest_date_of_issue(hosted):
    root = feed(hosted)
    assert root.find(ATOM + "updated").text == "2025-03-02T00:00:00Z"
    first = root.find(ATOM + "entry")
    assert first.find(ATOM + "title").text == "Newest Work"
    assert first.find(ATOM + "updated").text == "2025-03-02T00:00:00Z"
    assert [author.find(ATOM + "name").text for author in first.findall(ATOM + "author")] == ["Lee, Min"]
    assert [person.find(ATOM + "name").text for person in first.findall(ATOM + "contributor")] == ["Park, Ji"]


def test_feed_omits_undated_theses(hosted):
    dates = [entry.find(ATOM + "updated").text for entry in feed(hosted).iter(ATOM + "entry")]
    titles = [entry.find(ATOM + "title").text for entry in feed(hosted).iter(ATOM + "entry")]
    assert dates == sorted(dates, reverse=True)
    assert "Undated Work" not in titles
    assert len(titles) == 12  # ten shipped theses and two dated extra records, under the default feed_size of 20


def test_feed_size_limits_the_entries(tmp_path):
    site = build(content_copy(tmp_path, DATED_RECORDS, feed_size=3), tmp_path / "site")
    titles = [entry.find(ATOM + "title").text for entry in feed(site).iter(ATOM + "entry")]
    assert len(titles) == 3
    assert titles[0] == "Newest Work"


def test_crawl_files_are_reproducible(content, tmp_path):
    first = build(content, tmp_path / "one")
    second = build(content, tmp_path / "two")
    for name in ("atom.xml", "sitemap.xml", "robots.txt"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_pages_link_to_the_feed(hosted):
    for path in ("index.html", "theses/index.html", "theses/lee-2025-newest-work/index.html"):
        soup = BeautifulSoup((hosted / path).read_text(encoding="utf-8"), "html.parser")
        links = soup.find_all("link", rel="alternate", type="application/atom+xml")
        assert [link["href"] for link in links] == [BASE + "atom.xml"], path


# --- sitemap -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sitemap_schema() -> etree.XMLSchema:
    if not SITEMAP_XSD.exists():
        pytest.fail(f"{SITEMAP_XSD} is missing: run `npm ci --ignore-scripts` at the repository root")
    return etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))


def test_sitemap_validates_against_the_sitemaps_org_schema(hosted, sitemap_schema):
    document = etree.parse(str(hosted / "sitemap.xml"))
    assert sitemap_schema.validate(document), sitemap_schema.error_log


def test_sitemap_lists_every_page(hosted):
    locations = [loc.text for loc in ET.parse(hosted / "sitemap.xml").getroot().iter(SITEMAP + "loc")]
    expected = [hosted_url(path) for path in html_pages(hosted) if path != "404.html"]
    assert sorted(locations) == sorted(expected)
    assert len(set(locations)) == len(locations)


def test_sitemap_splits_into_an_index_past_50000_urls():
    profile = make_profile("hosted", BASE, None)
    urls = [f"{BASE}theses/t{number}/" for number in range(50_001)]
    files = dict(exports.sitemap_files(urls, profile))
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == SITEMAP + "sitemapindex"
    assert [loc.text for loc in index.iter(SITEMAP + "loc")] == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml"]
    parts = [[loc.text for loc in ET.fromstring(files[name]).iter(SITEMAP + "loc")] for name in ("sitemap-1.xml", "sitemap-2.xml")]
    assert [len(part) for part in parts] == [50_000, 1]
    assert parts[0] + parts[1] == urls


def test_split_sitemaps_validate_against_the_schema(sitemap_schema):
    profile = make_profile("hosted", BASE, None)
    files = dict(exports.sitemap_files([f"{BASE}p{number}/" for number in range(7)], profile, limit=3))
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    for name in ("sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"):
        assert sitemap_schema.validate(etree.fromstring(files[name])), name


def test_exactly_50000_urls_need_no_index():
    profile = make_profile("hosted", BASE, None)
    files = exports.sitemap_files([f"{BASE}p{number}/" for number in range(50_000)], profile)
    assert [name for name, _ in files] == ["sitemap.xml"]


# --- robots.txt --------------------------------------------------------------------------------------------


def test_robots_txt_names_the_absolute_sitemap(hosted):
    lines = (hosted / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert [line for line in lines if line.startswith("Sitemap:")] == [f"Sitemap: {BASE}sitemap.xml"]


def test_sub_path_site_has_no_robots_txt(tmp_path):
    site = build(CONTENT, tmp_path / "site", base_url="https://www.example.edu/theses/")
    assert (site / "atom.xml").is_file()
    assert (site / "sitemap.xml").is_file()
    assert not (site / "robots.txt").exists()
    locations = [loc.text for loc in ET.parse(site / "sitemap.xml").getroot().iter(SITEMAP + "loc")]
    assert all(location.startswith("https://www.example.edu/theses/") for location in locations)


# --- other profiles ---------------------------------------------------------------------------------------


def test_preview_has_no_crawl_files_and_noindex_everywhere(tmp_path):
    site = build(CONTENT, tmp_path / "site", profile="preview", base_url="https://preview.example.org/pr-42/")
    assert [name for name in CRAWL_FILES if (site / name).exists()] == []
    for path in html_pages(site):
        soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
        robots = [meta["content"] for meta in soup.find_all("meta", attrs={"name": "robots"})]
        assert len(robots) == 1, path
        assert "noindex" in robots[0], path
        assert soup.find("link", type="application/atom+xml") is None, path


def test_offline_has_no_crawl_files(tmp_path):
    site = build(CONTENT, tmp_path / "site", profile="offline")
    assert [name for name in CRAWL_FILES if (site / name).exists()] == []


def test_no_base_url_no_crawl_files(tmp_path):
    site = build(content_copy(tmp_path, base_url=None), tmp_path / "site")
    assert [name for name in CRAWL_FILES if (site / name).exists()] == []
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("link", type="application/atom+xml") is None
