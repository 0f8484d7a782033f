"""Walking the built site as a reader does: listings, browse pages and thesis pages, in every mode."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from .browser_support import open_path

from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = ROOT / "content"
DEVARAJ = "FROM PARTS TO WHOLE IN ACTION AND OBJECT UNDERSTANDING"


def heading(page: Any) -> str:
    return page.locator("h1").inner_text()


def follow(page: Any, locator: Any) -> None:
    """Click a link and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def test_menu_leads_to_listing(page, site_url):
    open_path(page, site_url)
    follow(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Theses"))
    assert heading(page) == "All theses"
    assert page.locator(".showing").first.inner_text() == "Now showing 1 - 10 of 10"


def test_listing_leads_to_thesis(page, site_url):
    open_path(page, site_url, "theses/index.html")
    follow(page, page.get_by_role("link", name=DEVARAJ))
    assert heading(page) == DEVARAJ
    assert page.url.startswith(site_url)


def test_thesis_author_leads_to_browse_page(page, site_url):
    open_path(page, site_url, "theses/index.html")
    follow(page, page.get_by_role("link", name=DEVARAJ))
    follow(page, page.locator("article.thesis").get_by_role("link", name="Devaraj, Chinmaya"))
    assert heading(page) == "Author: Devaraj, Chinmaya"
    assert page.locator(".thesis-title").all_inner_texts() == [DEVARAJ]


def test_browse_by_advisor_groups_variants(page, site_url):
    open_path(page, site_url, "browse/advisor/index.html")
    links = page.locator(".browse-values a").all_inner_texts()
    assert [name for name in links if name.startswith("Groth")] == ["Groth, Katrina M"]
    follow(page, page.get_by_role("link", name="Groth, Katrina M"))
    assert page.locator(".showing").first.inner_text() == "Now showing 1 - 2 of 2"


def test_breadcrumb_leads_home(page, site_url):
    open_path(page, site_url, "browse/year/index.html")
    follow(page, page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Home"))
    assert page.url in (site_url, site_url + "index.html")


def test_next_thesis_link(page, site_url):
    open_path(page, site_url, "theses/index.html")
    first = page.locator(".thesis-title a").first
    second_title = page.locator(".thesis-title a").nth(1).inner_text()
    follow(page, first)
    follow(page, page.get_by_role("link", name=f"Next thesis {second_title}"))
    assert heading(page) == second_title


# --- paging through a longer listing, from disk -----------------------------------------------------


@pytest.fixture(scope="module")
def paged_site_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped content plus twelve more records (22 in all, page size 10), offline, opened from disk."""
    content = tmp_path_factory.mktemp("paged") / "content"
    shutil.copytree(CONTENT, content)
    template = records.read_record(next((content / "theses").glob("*.yaml"))).data
    for number in range(1, 13):
        record = dict(template, id=f"extra-2001-thesis-{number}", title=f"Extra thesis {number:02d}",
                      date_issued="2001", authors=[f"Extra, Author {number}"], handle=None, source={})
        (content / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(record), encoding="utf-8")
    out = tmp_path_factory.mktemp("paged-site") / "site"
    build_site(BuildOptions(content=content, out=out, profile="offline"))
    return out.resolve().as_uri() + "/"


def pagination(page: Any) -> Any:
    return page.get_by_role("navigation", name="All theses pages")


def test_paging_forward_to_last_page(page, guard, paged_site_url):
    guard.prefix = paged_site_url
    page.goto(paged_site_url + "theses/index.html")
    assert page.locator(".showing").inner_text() == "Now showing 1 - 10 of 22"
    follow(page, pagination(page).get_by_role("link", name="Next page"))
    assert page.locator(".showing").inner_text() == "Now showing 11 - 20 of 22"
    follow(page, pagination(page).get_by_role("link", name="Last page"))
    assert page.locator(".showing").inner_text() == "Now showing 21 - 22 of 22"
    assert page.title().startswith("All theses, page 3 of 3")


def test_paging_by_number_and_back_to_first(page, guard, paged_site_url):
    guard.prefix = paged_site_url
    page.goto(paged_site_url + "theses/index.html")
    follow(page, pagination(page).get_by_role("link", name="Page 3"))
    assert pagination(page).locator("[aria-current=page]").text_content() == "Page 3"
    follow(page, pagination(page).get_by_role("link", name="First page"))
    assert page.locator(".showing").inner_text() == "Now showing 1 - 10 of 22"


def test_paging_keyboard_only(page, guard, paged_site_url):
    guard.prefix = paged_site_url
    page.goto(paged_site_url + "theses/index.html")
    next_link = pagination(page).get_by_role("link", name="Next page")
    next_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".showing").inner_text() == "Now showing 11 - 20 of 22"
