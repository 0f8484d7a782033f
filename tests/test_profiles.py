"""The three profiles: hosted canonical URLs and folder links, preview under a sub-path, offline file links."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from shelfmark.builder import BuildFailed
from site_helpers import (CONTENT, PROFILES, build, copy_content, html_files, is_external, loaded_urls, resolve,
                          soup)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    built = {}
    for profile in PROFILES:
        out = tmp_path_factory.mktemp(profile) / "site"
        build(CONTENT, out, profile=profile)
        built[profile] = out
    return built


def internal_links(page) -> list[str]:
    """Hrefs of <a> elements that point into the site, fragment-only links left out."""
    return [a["href"] for a in page.find_all("a", href=True) if not is_external(a["href"]) and not a["href"].startswith("#")]


def page_url(name: str) -> str:
    """The address a server gives a page: its folder for index.html."""
    return name[: -len("index.html")] if name.endswith("index.html") else name


# --- hosted -----------------------------------------------------------------------------------------


def test_hosted_canonical_from_site_yaml(sites):
    canonical = soup(sites["hosted"], "theses/zhou-2020-deep-learning-for-forensics/index.html").find("link", rel="canonical")
    assert canonical["href"] == "https://theses.example.edu/theses/zhou-2020-deep-learning-for-forensics/"


def test_hosted_canonical_home(sites):
    assert soup(sites["hosted"], "index.html").find("link", rel="canonical")["href"] == "https://theses.example.edu/"


def test_hosted_canonical_on_every_page(sites):
    for name in html_files(sites["hosted"]):
        if name == "404.html":
            continue
        canonical = soup(sites["hosted"], name).find("link", rel="canonical")
        assert canonical["href"] == "https://theses.example.edu/" + page_url(name), name


def test_not_found_has_no_canonical(sites):
    assert soup(sites["hosted"], "404.html").find("link", rel="canonical") is None


def test_hosted_canonical_from_option(tmp_path):
    build(CONTENT, tmp_path / "site", base_url="https://library.example.org/theses/")
    canonical = soup(tmp_path / "site", "browse/index.html").find("link", rel="canonical")
    assert canonical["href"] == "https://library.example.org/theses/browse/"


def test_hosted_canonical_option_without_slash(tmp_path):
    build(CONTENT, tmp_path / "site", base_url="https://library.example.org/theses")
    canonical = soup(tmp_path / "site", "index.html").find("link", rel="canonical")
    assert canonical["href"] == "https://library.example.org/theses/"


def test_hosted_without_base_url_has_no_canonical(tmp_path):
    content = copy_content(tmp_path)
    text = (content / "site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(text.replace("base_url: https://theses.example.edu/\n", ""), encoding="utf-8")
    build(content, tmp_path / "site")
    assert soup(tmp_path / "site", "index.html").find("link", rel="canonical") is None


def test_hosted_links_end_in_folders(sites):
    site = sites["hosted"]
    for name in html_files(site):
        for href in internal_links(soup(site, name)):
            assert not urlsplit(href).path.endswith("index.html"), f"{name}: {href}"


def test_hosted_links_relative(sites):
    site = sites["hosted"]
    for name in html_files(site):
        if name == "404.html":
            continue
        for href in internal_links(soup(site, name)):
            assert not href.startswith("/"), f"{name}: {href}"


def test_hosted_rejects_relative_base_url(tmp_path):
    with pytest.raises(BuildFailed) as raised:
        build(CONTENT, tmp_path / "site", base_url="/pr-42/")
    assert raised.value.problems == [
        "--base-url '/pr-42/': the hosted profile needs an absolute URL such as https://theses.example.edu/"
    ]


# --- preview ----------------------------------------------------------------------------------------


def test_preview_noindex_on_every_page(sites):
    site = sites["preview"]
    for name in html_files(site):
        robots = soup(site, name).find("meta", attrs={"name": "robots"})
        assert robots is not None, name
        assert "noindex" in robots["content"], name


def test_hosted_pages_are_indexed(sites):
    assert soup(sites["hosted"], "index.html").find("meta", attrs={"name": "robots"}) is None


def test_preview_links_relative(sites):
    site = sites["preview"]
    for name in html_files(site):
        if name == "404.html":
            continue
        page = soup(site, name)
        for href in internal_links(page) + loaded_urls(page):
            assert not href.startswith("/"), f"{name}: {href}"


def test_preview_links_stay_under_base_path(sites):
    site = sites["preview"]
    for name in html_files(site):
        address = "http://127.0.0.1/pr-42/" + page_url(name)
        page = soup(site, name)
        for href in internal_links(page) + loaded_urls(page):
            path = urlsplit(urljoin(address, href)).path
            assert path.startswith("/pr-42/"), f"{name}: {href} -> {path}"
            target = path[len("/pr-42/"):]
            target = posixpath.join(target, "index.html") if target.endswith("/") or not target else target
            assert (site / target).is_file(), f"{name}: {href}"


def test_preview_canonical_points_at_hosted(sites):
    canonical = soup(sites["preview"], "about/index.html").find("link", rel="canonical")
    assert canonical["href"] == "https://theses.example.edu/about/"


def test_preview_records_base_path(sites):
    assert soup(sites["preview"], "index.html").html["data-base"] == "/pr-42/"


# --- offline ----------------------------------------------------------------------------------------


def test_offline_links_name_files(sites):
    site = sites["offline"]
    for name in html_files(site):
        page = soup(site, name)
        for href in internal_links(page) + loaded_urls(page):
            last = urlsplit(href).path.rsplit("/", 1)[-1]
            assert "." in last, f"{name}: {href}"
            assert last not in (".", ".."), f"{name}: {href}"


def test_offline_no_link_ends_in_slash(sites):
    site = sites["offline"]
    for name in html_files(site):
        page = soup(site, name)
        hrefs = [a["href"] for a in page.find_all("a", href=True)] + loaded_urls(page)
        for href in hrefs:
            assert not urlsplit(href).path.endswith("/"), f"{name}: {href}"


def test_offline_links_relative(sites):
    site = sites["offline"]
    for name in html_files(site):
        page = soup(site, name)
        for href in internal_links(page) + loaded_urls(page):
            assert not href.startswith("/"), f"{name}: {href}"


def test_offline_links_resolve(sites):
    site = sites["offline"]
    for name in html_files(site):
        page = soup(site, name)
        for href in internal_links(page) + loaded_urls(page):
            assert resolve(site, name, href).is_file(), f"{name}: {href}"


def test_offline_not_found_links_relative(sites):
    hrefs = [a["href"] for a in soup(sites["offline"], "404.html").find_all("a", href=True)]
    assert hrefs == ["#main", "index.html", "index.html", "theses/index.html", "search/index.html"]


# --- every profile ----------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_nothing_loaded_from_another_host(sites, profile):
    site = sites[profile]
    for name in html_files(site):
        for url in loaded_urls(soup(site, name)):
            assert not is_external(url), f"{name}: {url}"


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_named_on_every_page(sites, profile):
    site = sites[profile]
    for name in html_files(site):
        assert soup(site, name).html["data-profile"] == profile, name


@pytest.mark.parametrize("profile", PROFILES)
def test_profiles_write_same_pages(sites, profile):
    assert html_files(sites[profile]) == html_files(sites["hosted"])
