"""Listing and browse pagination at the edges of the page size, and page_size from site.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfmark.pagination import paginate
from site_helpers import build, empty_content, html_files, soup, write_numbered_records

# records: (number of pages, "Now showing" on the last page)
EDGES = {
    0: (1, None),
    1: (1, "Now showing 1 - 1 of 1"),
    10: (1, "Now showing 1 - 10 of 10"),
    11: (2, "Now showing 11 - 11 of 11"),
    20: (2, "Now showing 11 - 20 of 20"),
    21: (3, "Now showing 21 - 21 of 21"),
    22: (3, "Now showing 21 - 22 of 22"),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[int, tuple[Path, list[str]]]:
    """One site per record count, each with its thesis ids newest first."""
    built = {}
    for count in EDGES:
        folder = tmp_path_factory.mktemp(f"records-{count}")
        content = empty_content(folder)
        ids = write_numbered_records(content, count)
        build(content, folder / "site")
        built[count] = (folder / "site", ids)
    return built


def listing_files(site: Path, base: str = "theses/") -> list[str]:
    return [name for name in html_files(site) if name == f"{base}index.html" or name.startswith(f"{base}page/")]


def page_name(number: int, base: str = "theses/") -> str:
    return f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"


def listed(site: Path, name: str) -> list[str]:
    """The thesis ids a listing page links, in order."""
    return [a["href"].rstrip("/").split("/")[-1] for a in soup(site, name).select("ol.thesis-list .thesis-title a")]


@pytest.mark.parametrize("count", EDGES)
def test_listing_files(sites, count):
    site, _ = sites[count]
    pages, _ = EDGES[count]
    assert listing_files(site) == sorted(page_name(number) for number in range(1, pages + 1))


@pytest.mark.parametrize("count", EDGES)
def test_no_page_zero_or_one_folder(sites, count):
    site, _ = sites[count]
    assert not (site / "theses" / "page" / "0").exists()
    assert not (site / "theses" / "page" / "1").exists()


@pytest.mark.parametrize("count", [count for count in EDGES if count])
def test_no_empty_page(sites, count):
    site, _ = sites[count]
    for name in listing_files(site):
        assert listed(site, name), name


@pytest.mark.parametrize("count", EDGES)
def test_every_thesis_listed_once_in_order(sites, count):
    site, ids = sites[count]
    pages, _ = EDGES[count]
    seen = [thesis_id for number in range(1, pages + 1) for thesis_id in listed(site, page_name(number))]
    assert seen == ids


@pytest.mark.parametrize("count", [count for count in EDGES if count])
def test_last_page_showing(sites, count):
    site, _ = sites[count]
    pages, showing = EDGES[count]
    assert soup(site, page_name(pages)).select_one("p.showing").get_text() == showing


def test_empty_listing_says_so(sites):
    site, _ = sites[0]
    assert soup(site, "theses/index.html").select_one("p.showing").get_text() == "No theses to show."


def test_empty_listing_has_no_pagination(sites):
    site, _ = sites[0]
    assert soup(site, "theses/index.html").select("nav.pagination") == []


def test_middle_page_showing(sites):
    site, _ = sites[22]
    assert soup(site, "theses/page/2/index.html").select_one("p.showing").get_text() == "Now showing 11 - 20 of 22"


def test_first_page_showing(sites):
    site, _ = sites[22]
    assert soup(site, "theses/index.html").select_one("p.showing").get_text() == "Now showing 1 - 10 of 22"


# --- page titles and the pagination links -------------------------------------------------------------


def test_paged_title_says_page_of(sites):
    site, _ = sites[22]
    assert soup(site, "theses/page/2/index.html").title.get_text() == "All theses, page 2 of 3 · Theses and Dissertations"


def test_first_page_title_says_page_of(sites):
    site, _ = sites[22]
    assert soup(site, "theses/index.html").title.get_text() == "All theses, page 1 of 3 · Theses and Dissertations"


def test_paged_heading_says_page_of(sites):
    site, _ = sites[22]
    assert soup(site, "theses/page/3/index.html").find("h1").get_text() == "All theses (page 3 of 3)"


def pagination_links(site: Path, name: str) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in soup(site, name).select("nav.pagination a")]


def test_pagination_links_middle_page(sites):
    site, _ = sites[22]
    assert pagination_links(site, "theses/page/2/index.html") == [
        ("First page", "../../"), ("Previous page", "../../"), ("Page 1", "../../"), ("Page 2", "./"),
        ("Page 3", "../3/"), ("Next page", "../3/"), ("Last page", "../3/"),
    ]


def test_pagination_links_first_page(sites):
    site, _ = sites[22]
    assert pagination_links(site, "theses/index.html") == [
        ("Page 1", "./"), ("Page 2", "page/2/"), ("Page 3", "page/3/"), ("Next page", "page/2/"),
        ("Last page", "page/3/"),
    ]


def test_pagination_links_last_page(sites):
    site, _ = sites[22]
    assert pagination_links(site, "theses/page/3/index.html") == [
        ("First page", "../../"), ("Previous page", "../2/"), ("Page 1", "../../"), ("Page 2", "../2/"),
        ("Page 3", "./"),
    ]


def test_pagination_marks_current_page(sites):
    site, _ = sites[22]
    current = soup(site, "theses/page/2/index.html").select("nav.pagination [aria-current]")
    assert [(a.get_text(), a["aria-current"]) for a in current] == [("Page 2", "page")]


def test_pagination_nav_has_label(sites):
    site, _ = sites[22]
    assert soup(site, "theses/page/2/index.html").select_one("nav.pagination")["aria-label"] == "All theses pages"


def test_pagination_links_resolve(sites):
    site, _ = sites[22]
    offline = site.parent / "offline"
    build(site.parent / "content", offline, profile="offline")
    for a in soup(offline, "theses/page/2/index.html").select("nav.pagination a"):
        assert (offline / "theses" / "page" / "2" / a["href"]).resolve().is_file(), a["href"]


def test_pagination_gaps(tmp_path):
    content = empty_content(tmp_path, "page_size: 1\n")
    write_numbered_records(content, 12)
    build(content, tmp_path / "site")
    items = [li.get_text(" ", strip=True) for li in soup(tmp_path / "site", "theses/page/6/index.html").select("nav.pagination li")]
    assert items == ["First page", "Previous page", "Page 1", "…", "Page 4", "Page 5", "Page 6", "Page 7", "Page 8",
                     "…", "Page 12", "Next page", "Last page"]


# --- browse pages are paged the same way --------------------------------------------------------------


def test_browse_value_pages(sites):
    site, _ = sites[22]
    assert listing_files(site, "browse/author/author-shared/") == [
        "browse/author/author-shared/index.html",
        "browse/author/author-shared/page/2/index.html",
        "browse/author/author-shared/page/3/index.html",
    ]


def test_browse_value_paged_title(sites):
    site, _ = sites[22]
    title = soup(site, "browse/author/author-shared/page/3/index.html").title.get_text()
    assert title == "Author: Author, Shared, page 3 of 3 · Theses and Dissertations"


def test_browse_value_last_page_showing(sites):
    site, _ = sites[22]
    page = soup(site, "browse/author/author-shared/page/3/index.html")
    assert page.select_one("p.showing").get_text() == "Now showing 21 - 22 of 22"


def test_browse_value_breadcrumb_on_later_page(sites):
    site, _ = sites[22]
    crumbs = soup(site, "browse/author/author-shared/page/2/index.html").select("nav[aria-label=Breadcrumb] li")
    assert [li.get_text(strip=True) for li in crumbs] == ["Home", "Browse", "Authors", "Author, Shared", "Page 2"]


# --- page_size from site.yaml -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("page-size-4")
    content = empty_content(folder, "page_size: 4\n")
    write_numbered_records(content, 10)
    build(content, folder / "site")
    return folder / "site"


def test_page_size_listing_files(small_pages):
    assert listing_files(small_pages) == ["theses/index.html", "theses/page/2/index.html", "theses/page/3/index.html"]


def test_page_size_last_page_showing(small_pages):
    assert soup(small_pages, "theses/page/3/index.html").select_one("p.showing").get_text() == "Now showing 9 - 10 of 10"


def test_page_size_home_shows_one_page(small_pages):
    assert soup(small_pages, "index.html").select_one("p.showing").get_text() == "Now showing 1 - 4 of 10"


def test_page_size_browse_pages(small_pages):
    assert listing_files(small_pages, "browse/department/physics/") == [
        "browse/department/physics/index.html",
        "browse/department/physics/page/2/index.html",
        "browse/department/physics/page/3/index.html",
    ]


# --- the pagination model -----------------------------------------------------------------------------


@pytest.mark.parametrize("count, pages", [(0, 1), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3), (22, 3)])
def test_paginate_page_count(count, pages):
    assert len(paginate(list(range(count)), 10, "theses/")) == pages


def test_paginate_empty_showing():
    pagination, items = paginate([], 10, "theses/")[0]
    assert pagination.showing == "Now showing 0 of 0"
    assert list(items) == []
