"""The search page in a real browser: from disk, at a server root and under a sub-path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from .browser_support import Guard, open_context, open_path

from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent.parent
NAMES_CONTENT = ROOT / "tests" / "node" / "fixtures" / "names"


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def search(page: Any, text: str) -> None:
    """Type into the search box as a person does and wait until the page has shown the results for it.

    Long texts are pasted (one input event), as a person would rather than type 2,000 characters.
    """
    box = page.get_by_label("Search the theses")
    box.fill("")
    if len(text) > 100:
        box.fill(text)
    else:
        box.press_sequentially(text)
    expect()(page.locator("#search-results")).to_have_attribute("data-query", text)


def status(page: Any) -> str:
    return page.locator("#search-status").inner_text()


def result_titles(page: Any) -> list[str]:
    return page.locator("#search-results .thesis-title a").all_inner_texts()


@pytest.fixture(scope="module")
def names_site_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The names collection (page size 3), built offline and opened from disk, for paging."""
    out = tmp_path_factory.mktemp("names-offline") / "site"
    build_site(BuildOptions(content=NAMES_CONTENT, out=out, profile="offline"))
    return out.resolve().as_uri() + "/"


# --- in all three modes ---------------------------------------------------------------------------


def test_query_finds_and_follows_result(page, site_url):
    open_path(page, site_url, "search/index.html")
    search(page, "reliability")
    assert status(page) == "Now showing 1 - 5 of 5 theses for \u201creliability\u201d."
    titles = result_titles(page)
    assert titles[0] == "Systematic Integration of PHM and PRA (SIPPRA) for Risk and Reliability Analysis of Complex Engineering Systems"
    assert re.search(r"[#&]?q=reliability", page.url)

    page.locator("#search-results .thesis-title a").first.click()
    expect()(page.locator("h1")).to_have_text(titles[0])
    thesis_url = site_url + "theses/moradi-2021-systematic-integration-of-phm/"
    assert page.url == (thesis_url + "index.html" if site_url.startswith("file:") else thesis_url)

    page.go_back()
    expect()(page.locator("#search-results")).to_have_attribute("data-query", "reliability")
    expect()(page.get_by_label("Search the theses")).to_have_value("reliability")
    assert len(result_titles(page)) == 5


def test_filters_and_back(page, site_url):
    open_path(page, site_url, "search/index.html")
    search(page, "deep learning")
    assert status(page).startswith("Now showing 1 - 8 of 8 theses")
    year = page.get_by_label("Year")
    assert year.locator("option").all_inner_texts() == ["All years", "2024 (2)", "2023 (1)", "2022 (1)", "2021 (1)", "2020 (3)"]

    year.select_option("2020")
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 3 of 3 theses"))
    assert "year=2020" in page.url
    advisor = page.get_by_label("Advisor")
    assert advisor.locator("option").all_inner_texts() == ["All advisors", "Chellappa, Rama (2)", "Czaja, Wojciech (1)",
                                                           "Davis, Larry (1)"]
    advisor.select_option("Chellappa, Rama")
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 2 of 2 theses"))

    page.go_back()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 3 of 3 theses"))
    expect()(advisor).to_have_value("")
    page.go_forward()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 2 of 2 theses"))
    expect()(advisor).to_have_value("Chellappa, Rama")
    page.go_back()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 3 of 3 theses"))
    page.get_by_role("button", name="Clear filters").click()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 8 of 8 theses"))


def test_marks_matched_words(page, site_url):
    open_path(page, site_url, "search/index.html")
    search(page, "bayesian network")
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and set(marks) <= {"Bayesian", "network", "networks"}


def test_state_from_fragment(page, site_url):
    open_path(page, site_url, "search/index.html#q=groth&advisor=Groth%2C+Katrina+M")
    expect()(page.locator("#search-results")).to_have_attribute("data-query", "groth")
    assert status(page) == "Now showing 1 - 2 of 2 theses for \u201cgroth\u201d."
    expect()(page.get_by_label("Advisor")).to_have_value("Groth, Katrina M")


def test_query_string_moves_to_fragment(page, site_url):
    open_path(page, site_url, "search/index.html?q=espy-wilson")
    expect()(page.locator("#search-results")).to_have_attribute("data-query", "espy-wilson")
    assert result_titles(page) == [
        "Generalizable Depression Detection and Severity Prediction Using Articulatory Representations of Speech"]
    assert page.url.endswith("#q=espy-wilson")


# --- one mode is enough -----------------------------------------------------------------------------


AWKWARD = ["C++", "foo:", "-", "^2", "+", "*", "~", ":", "\"", "author:", "title:\"deep", "deep~1", "learn*",
           "+deep -learning", "\\", "<b>bold</b>", "\u05e9\u05dc\u05d5\u05dd", "x" * 2000]


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_awkward_input_never_breaks(page, site_url):
    open_path(page, site_url, "search/index.html")
    for text in AWKWARD:
        search(page, text)
        assert status(page), f"no status for {text!r}"
        assert "could not run" not in status(page)
    # Typed markup is shown as text, never parsed.
    search(page, "<b>bold</b>")
    assert page.locator("#search-status b, #search-results b").count() == 0


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_typo_and_accents(page, site_url):
    open_path(page, site_url, "search/index.html")
    search(page, "reliabilty")
    assert len(result_titles(page)) == 5
    expect()(page.locator("#search-notice")).to_have_text(re.compile("one wrong letter in: reliabilty"))
    search(page, "Díng")
    assert result_titles(page) == ["FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA"]
    expect()(page.locator("#search-notice")).to_be_hidden()


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_empty_and_unknown_queries_explain(page, site_url):
    open_path(page, site_url, "search/index.html")
    expect()(page.locator("#search-results")).to_have_attribute("data-query", "")
    assert status(page) == "Type a word to search for, or choose a year, department or advisor."
    search(page, "xyzzyq")
    assert status(page) == "No thesis matches all of these words."
    assert result_titles(page) == []


def test_paging(page, guard, names_site_url):
    guard.prefix = names_site_url
    open_path(page, names_site_url, "search/index.html")
    search(page, "department:engineering")
    assert status(page) == "Now showing 1 - 3 of 5 theses for \u201cdepartment:engineering\u201d."
    first_page = result_titles(page)

    page.get_by_role("link", name="Next page").click()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 4 - 5 of 5 theses"))
    assert "page=2" in page.url
    expect()(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert len(result_titles(page)) == 2

    page.go_back()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 3 of 5 theses"))
    assert result_titles(page) == first_page


def test_names_like_stop_words(page, guard, names_site_url):
    guard.prefix = names_site_url
    open_path(page, names_site_url, "search/index.html")
    search(page, "author:may")
    assert result_titles(page) == ["The Will to Learn: Surveys of Key Deployments in Tutoring"]
    search(page, "will flood")
    assert result_titles(page) == ["Deep Learning for Flood Forecasting", "A Survey of Sensor Networks for Flood Warning"]


@pytest.mark.parametrize("site_url", ["root"], indirect=True)
def test_status_is_announced(page, site_url):
    open_path(page, site_url, "search/index.html")
    status_element = page.locator("#search-status")
    assert status_element.get_attribute("role") == "status"
    assert status_element.get_attribute("aria-live") == "polite"
    search(page, "groth")
    assert status(page) == "Now showing 1 - 2 of 2 theses for \u201cgroth\u201d."


@pytest.mark.parametrize("site_url", ["root"], indirect=True)
def test_search_page_has_no_axe_violations(page, site_url):
    from axe_playwright_python.sync_playwright import Axe

    open_path(page, site_url, "search/index.html")
    search(page, "deep learning")
    page.get_by_label("Year").select_option("2020")
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - 3 of 3"))
    violations = Axe().run(page).response["violations"]
    assert [(violation["id"], violation["impact"]) for violation in violations] == []


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_noscript_message(browser, site_url):
    guard = Guard(prefix=site_url)
    context, page = open_context(browser, guard, java_script_enabled=False)
    try:
        open_path(page, site_url, "search/index.html")
        # Playwright's text locators skip <noscript>, so the paragraph is found by its class.
        message = page.locator(".search-noscript")
        expect()(message).to_be_visible()
        expect()(message).to_contain_text("Search needs JavaScript, which is turned off in this browser.")
    finally:
        context.close()
    assert guard.problems() == []


@pytest.mark.parametrize("site_url", ["subpath"], indirect=True)
def test_guard_catches_outside_request(page, site_url, guard, request):
    # Negative control: a request outside the sub-path, on the same 127.0.0.1 server, is blocked.
    request.node.allow_blocked = True
    open_path(page, site_url, "search/index.html")
    outside = site_url.split("/preview/")[0] + "/outside.png"
    page.evaluate("""(url) => { const image = new Image(); image.src = url; document.body.append(image);
                               return fetch(url).catch(() => null); }""", outside)
    assert guard.blocked.count(outside) >= 1
