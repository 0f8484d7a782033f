"""A sharded search index in a real browser: from disk, at a server root and under a sub-path.

One generated collection of 240 theses is built twice per profile. With search.shard_threshold at
100 its index is split into shards that the page loads as a query needs them. With the default
threshold it is one index file. The page must show the same thing from both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from test_search_corpus import generate_records, write_content

from shelfmark.builder import BuildOptions, build_site

from .browser_support import SiteServer, open_path, serve, stop

SUBPATH = "/preview/pr-7/"
SHARDED_SITE = "title: Sharded search test\npage_size: 5\nsearch:\n  shard_threshold: 100\n"
WHOLE_SITE = "title: Sharded search test\npage_size: 5\n"


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    found = generate_records(240, 31)
    folder = tmp_path_factory.mktemp("shard-content")
    return {"sharded": write_content(folder / "sharded", found, SHARDED_SITE),
            "whole": write_content(folder / "whole", found, WHOLE_SITE)}


@pytest.fixture(scope="module")
def built(contents: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """build(kind, profile) -> the site folder, built once per module."""
    folders: dict[tuple[str, str], Path] = {}

    def build(kind: str, profile: str) -> Path:
        if (kind, profile) not in folders:
            out = tmp_path_factory.mktemp(f"{kind}-{profile}") / "site"
            base_url = SUBPATH if profile == "preview" else None
            build_site(BuildOptions(content=contents[kind], out=out, profile=profile, base_url=base_url, use_cache=False))
            folders[(kind, profile)] = out
        return folders[(kind, profile)]

    return build


@pytest.fixture(scope="module")
def servers(built: Callable[[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SiteServer]]:
    import shutil

    started: dict[str, SiteServer] = {}
    started["root"] = serve(built("sharded", "hosted"), "/")
    document_root = tmp_path_factory.mktemp("shard-subpath")
    shutil.copytree(built("sharded", "preview"), document_root / SUBPATH.strip("/"))
    started["subpath"] = serve(document_root, SUBPATH)
    yield started
    for server in started.values():
        stop(server)


@pytest.fixture(params=["file", "root", "subpath"])
def sharded_url(request: pytest.FixtureRequest, built, guard) -> str:
    if request.param == "file":
        url = built("sharded", "offline").resolve().as_uri() + "/"
    else:
        url = request.getfixturevalue("servers")[request.param].url
    guard.prefix = url
    return url


def search(page: Any, text: str) -> None:
    box = page.get_by_label("Search the theses")
    box.fill("")
    box.press_sequentially(text)
    expect()(page.locator("#search-results")).to_have_attribute("data-query", text)


def shown(page: Any) -> dict[str, Any]:
    """What the page shows: status, notice, result titles, years offered."""
    return {
        "status": page.locator("#search-status").inner_text(),
        "notice": page.locator("#search-notice").inner_text() if page.locator("#search-notice").is_visible() else "",
        "titles": page.locator("#search-results .thesis-title a").all_inner_texts(),
        "years": page.get_by_label("Year").locator("option").all_inner_texts(),
    }


def search_scripts(guard: Any) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in guard.requested if "/assets/search/" in url]


QUERIES = ["department:engineering", "music", "ka", "zurich", "\"of the\"", "may", "advisor:long"]


@pytest.fixture(scope="module")
def expected(browser: Any, built) -> dict[str, dict[str, Any]]:
    """What the one-file index shows for each query, from disk."""
    from .browser_support import Guard, open_context

    whole = built("whole", "offline").resolve().as_uri() + "/"
    guard = Guard(prefix=whole)
    context, page = open_context(browser, guard)
    try:
        open_path(page, whole, "search/index.html")
        found = {}
        for query in QUERIES:
            search(page, query)
            found[query] = shown(page)
    finally:
        context.close()
    assert guard.problems() == []
    return found


def test_sharded_search_shows_what_the_whole_index_shows(page, sharded_url, guard, expected):
    open_path(page, sharded_url, "search/index.html")
    loaded = search_scripts(guard)
    assert loaded == ["index.js"], loaded
    for query in QUERIES:
        search(page, query)
        assert shown(page) == expected[query], query
    assert expected["music"]["titles"], "the test queries must find theses"
    assert re.match(r"Now showing 1 - 5 of \d+ theses", expected["ka"]["status"])
    # Shards load as queries need them, each once.
    loaded = search_scripts(guard)
    assert any(name.startswith("terms-") for name in loaded) and any(name.startswith("docs-") for name in loaded)
    assert len(loaded) == len(set(loaded))


@pytest.mark.parametrize("sharded_url", ["file", "subpath"], indirect=True)
def test_sharded_paging_filters_and_typos(page, sharded_url, guard):
    open_path(page, sharded_url, "search/index.html")
    search(page, "department:engineering")
    first = shown(page)
    assert first["status"].startswith("Now showing 1 - 5 of ")
    page.get_by_role("link", name="Next page").click()
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 6 - 10 of "))
    assert "page=2" in page.url
    assert len(shown(page)["titles"]) == 5
    page.go_back()
    expect()(page.locator("#search-status")).to_have_text(first["status"])
    assert shown(page)["titles"] == first["titles"]

    year = first["years"][1].split(" ")[0]
    page.get_by_label("Year").select_option(year)
    expect()(page.locator("#search-status")).to_have_text(re.compile(r"^Now showing 1 - \d+ of \d+ thes"))
    count = int(re.search(r"\((\d+)\)", first["years"][1]).group(1))
    assert f" of {count} thes" in page.locator("#search-status").inner_text()

    # A word one letter off: the lexicon loads, then the terms of the corrections.
    before = len(search_scripts(guard))
    word = next(title.split()[0] for title in first["titles"] if len(title.split()[0]) >= 6).lower()
    search(page, word[:2] + word[3:] + " ")
    expect()(page.locator("#search-notice")).to_contain_text("one wrong letter")
    assert "lexicon.js" in search_scripts(guard)[before:]


@pytest.mark.parametrize("sharded_url", ["file"], indirect=True)
def test_sharded_awkward_input_never_breaks(page, sharded_url):
    open_path(page, sharded_url, "search/index.html")
    for text in ["C++", "foo:", "-", "^2", "*", "~", ":", "\"", "author:", "title:\"deep", "learn*", "\\", "<b>x</b>",
                 "\u05e9\u05dc\u05d5\u05dd", "e", "x" * 300]:
        search(page, text)
        status = page.locator("#search-status").inner_text()
        assert status, text
        assert "could not run" not in status, (text, status)
        assert "not available" not in status, (text, status)


@pytest.mark.parametrize("sharded_url", ["file"], indirect=True)
def test_sharded_state_from_fragment(page, sharded_url, expected):
    open_path(page, sharded_url, "search/index.html#q=music&page=2")
    expect()(page.locator("#search-results")).to_have_attribute("data-query", "music")
    assert page.locator("#search-status").inner_text().startswith("Now showing 6 - ")


@pytest.mark.parametrize("sharded_url", ["file"], indirect=True)
def test_missing_shard_gives_a_message(page, sharded_url, built, request, tmp_path):
    folder = built("sharded", "offline") / "assets" / "search"
    moved = []
    for path in sorted(folder.glob("docs-*.js")):
        moved.append(path.rename(tmp_path / path.name))
    request.node.allow_blocked = True  # the browser reports the missing files as errors
    try:
        open_path(page, sharded_url, "search/index.html")
        search_box = page.get_by_label("Search the theses")
        search_box.press_sequentially("music")
        expect()(page.locator("#search-results")).to_have_attribute("data-query", "music")
        assert re.match(r"Search is not available: assets/search/docs-\d{4}\.js.* did not load\. Browse the theses instead\.$",
                        page.locator("#search-status").inner_text())
        assert page.locator("#search-results li").count() == 0
    finally:
        for path in moved:
            path.rename(folder / path.name)
