"""The shipped content built into a site: thesis pages, listings, browse pages, home and 404, by structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from shelfmark import records
from site_helpers import (CONTENT, build, definition, empty_content, html_files, is_external, resolve,
                          soup, write_record)

RECORD_PATHS = sorted((CONTENT / "theses").glob("*.yaml"))
ALIASES = yaml.safe_load((CONTENT / "people.yaml").read_text(encoding="utf-8"))["aliases"]
# Newest first by date issued, then by title.
LISTING_ORDER = [
    "weiner-2024-a-framework-for-remaining",
    "devaraj-2024-from-parts-to-whole",
    "kattakinda-2024-understanding-and-improving-reliability",
    "mattingly-2023-deep-learning-ensembles-for",
    "seneviratne-2022-generalizable-depression-detection-and",
    "moradi-2021-systematic-integration-of-phm",
    "frazier-2021-wavefront-shaping-in-a",
    "zhou-2020-deep-learning-for-forensics",
    "ding-2020-facial-expression-recognition-and",
    "kavalerov-2020-impact-of-semantics-physics",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "site"
    build(CONTENT, out)
    return out


def record(path: Path) -> dict:
    return records.read_record(path).data


def thesis_page(site: Path, path: Path):
    return soup(site, f"theses/{path.stem}/index.html")


def texts(elements) -> list[str]:
    return [element.get_text(" ", strip=True) for element in elements]


# --- accounting -------------------------------------------------------------------------------------


def test_build_counts_records_and_thesis_pages(tmp_path):
    result = build(CONTENT, tmp_path / "site")
    assert result.theses == 10
    assert result.thesis_pages == 10


def test_build_writes_one_page_per_record(site):
    written = {name.split("/")[1] for name in html_files(site) if re.fullmatch(r"theses/[^/]+/index\.html", name)}
    assert written == {path.stem for path in RECORD_PATHS}


# --- thesis pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_title(site, path):
    assert thesis_page(site, path).find("h1").get_text() == record(path)["title"]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_authors(site, path):
    names = texts(definition(thesis_page(site, path), "Author").select("li"))
    assert names == [ALIASES.get(name, name) for name in record(path)["authors"]]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_advisors(site, path):
    advisors = record(path)["advisors"]
    term = "Advisor" if len(advisors) == 1 else "Advisors"
    assert texts(definition(thesis_page(site, path), term).select("li")) == [ALIASES.get(name, name) for name in advisors]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_department(site, path):
    assert definition(thesis_page(site, path), "Department").get_text(strip=True) == record(path)["department"]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_date_issued(site, path):
    time = definition(thesis_page(site, path), "Date issued").find("time")
    assert time["datetime"] == record(path)["date_issued"]
    assert time.get_text() == record(path)["date_issued"]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_publishers(site, path):
    assert texts(definition(thesis_page(site, path), "Publisher").select("li")) == record(path)["publishers"]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_abstract(site, path):
    paragraphs = texts(thesis_page(site, path).select("section.abstract p"))
    assert paragraphs == [" ".join(record(path)["abstract"].split())]


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_people_link_to_browse_pages(site, path):
    page = thesis_page(site, path)
    data = record(path)
    expected = ([("author", ALIASES.get(name, name)) for name in data["authors"]]
                + [("advisor", ALIASES.get(name, name)) for name in data["advisors"]]
                + [("department", data["department"])])
    links = [a for a in page.select("dl.fields a") if "/browse/" in f"/{a['href']}" and "year" not in a["href"]]
    found = []
    for a in links:
        target = resolve(site, f"theses/{path.stem}/index.html", a["href"])
        assert target.is_file(), a["href"]
        facet = target.relative_to(site).parts[1]
        heading = soup(site, target.relative_to(site).as_posix()).find("h1").get_text(" ", strip=True)
        found.append((facet, heading.split(": ", 1)[1]))
    assert found == expected


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_year_links_to_year_page(site, path):
    link = definition(thesis_page(site, path), "Date issued").find("a")
    target = resolve(site, f"theses/{path.stem}/index.html", link["href"])
    assert target == site / "browse" / "year" / record(path)["date_issued"][:4] / "index.html"
    assert target.is_file()


@pytest.mark.parametrize("path", RECORD_PATHS, ids=lambda path: path.stem)
def test_thesis_breadcrumb(site, path):
    crumbs = thesis_page(site, path).select("nav[aria-label=Breadcrumb] li")
    assert texts(crumbs) == ["Home", "All theses", record(path)["title"]]
    assert crumbs[0].a["href"] == "../../"
    assert crumbs[1].a["href"] == "../"
    assert crumbs[2].find(attrs={"aria-current": "page"}) is not None


@pytest.mark.parametrize("index", range(len(LISTING_ORDER)), ids=LISTING_ORDER)
def test_thesis_previous_next(site, index):
    page = soup(site, f"theses/{LISTING_ORDER[index]}/index.html")
    previous = page.select_one("nav.prev-next a[rel=prev]")
    following = page.select_one("nav.prev-next a[rel=next]")
    if index == 0:
        assert previous is None
    else:
        assert previous["href"] == f"../{LISTING_ORDER[index - 1]}/"
    if index == len(LISTING_ORDER) - 1:
        assert following is None
    else:
        assert following["href"] == f"../{LISTING_ORDER[index + 1]}/"


def test_thesis_handle_link(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "lee-2021-x", title="X", authors=["Lee, Ann"], date_issued="2021",
                 handle="http://hdl.handle.net/1903/27000")
    build(content, tmp_path / "site")
    link = definition(soup(tmp_path / "site", "theses/lee-2021-x/index.html"), "Permanent link").find("a")
    assert link["href"] == "http://hdl.handle.net/1903/27000"
    assert link.get_text() == "http://hdl.handle.net/1903/27000"


def test_thesis_without_handle_has_no_permanent_link(site):
    assert definition(thesis_page(site, RECORD_PATHS[0]), "Permanent link") is None


def test_thesis_abstract_keeps_paragraphs(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "lee-2021-x", title="X", authors=["Lee, Ann"], date_issued="2021",
                 abstract="First paragraph\nwraps here.\n\nSecond paragraph.")
    build(content, tmp_path / "site")
    paragraphs = soup(tmp_path / "site", "theses/lee-2021-x/index.html").select("section.abstract p")
    assert texts(paragraphs) == ["First paragraph wraps here.", "Second paragraph."]


# --- listing pages ----------------------------------------------------------------------------------


def test_listing_order(site):
    links = soup(site, "theses/index.html").select("ol.thesis-list .thesis-title a")
    assert [a["href"] for a in links] == [f"{thesis_id}/" for thesis_id in LISTING_ORDER]


def test_listing_showing(site):
    assert soup(site, "theses/index.html").select_one("p.showing").get_text() == "Now showing 1 - 10 of 10"


def test_listing_one_page_has_no_pagination(site):
    assert soup(site, "theses/index.html").select("nav.pagination") == []


def test_listing_title_has_no_page_number(site):
    assert soup(site, "theses/index.html").title.get_text() == "All theses · Engineering Theses and Dissertations"


def test_home_showing(site):
    assert soup(site, "index.html").select_one("p.showing").get_text() == "Now showing 1 - 10 of 10"


def test_home_lists_newest_first(site):
    links = soup(site, "index.html").select("ol.thesis-list .thesis-title a")
    assert [a["href"] for a in links] == [f"theses/{thesis_id}/" for thesis_id in LISTING_ORDER]


# --- browse pages -----------------------------------------------------------------------------------


def facet_entries(site: Path, facet: str) -> list[tuple[str, str]]:
    """(name, count) of each entry of a browse index, in page order."""
    return [(li.a.get_text(), li.select_one("span.count").get_text())
            for li in soup(site, f"browse/{facet}/index.html").select("ul.browse-values li")]


def test_browse_advisors_with_counts(site):
    assert facet_entries(site, "advisor") == [
        ("Aloimonos, Yiannis", "(1)"), ("Antonsen, Thomas M", "(1)"), ("Azarm, Shapour", "(1)"),
        ("Bhattacharyya, Shuvra S.", "(1)"), ("Chellappa, Rama", "(2)"), ("Czaja, Wojciech", "(1)"),
        ("Davis, Larry", "(1)"), ("Espy-Wilson, Carol", "(1)"), ("Feizi, Soheil", "(1)"),
        ("Groth, Katrina M", "(2)"),
    ]


def test_browse_departments_with_counts(site):
    assert facet_entries(site, "department") == [
        ("Electrical Engineering", "(8)"), ("Mechanical Engineering", "(1)"), ("Reliability Engineering", "(1)"),
    ]


def test_browse_years_newest_first(site):
    assert facet_entries(site, "year") == [("2024", "(3)"), ("2023", "(1)"), ("2022", "(1)"), ("2021", "(2)"),
                                           ("2020", "(3)")]


def test_browse_authors_count(site):
    assert len(facet_entries(site, "author")) == 10


def test_browse_letter_jumps(site):
    page = soup(site, "browse/advisor/index.html")
    jumps = page.select("nav.letters a")
    assert texts(jumps) == ["Names starting with A", "Names starting with B", "Names starting with C",
                            "Names starting with D", "Names starting with E", "Names starting with F",
                            "Names starting with G"]
    for jump in jumps:
        assert page.find(id=jump["href"][1:]) is not None, jump["href"]


def test_browse_entries_under_their_letter(site):
    section = soup(site, "browse/advisor/index.html").find(id="letter-C").find_parent("section")
    assert texts(section.select("li a")) == ["Chellappa, Rama", "Czaja, Wojciech"]


def test_browse_alias_gives_one_entry(site):
    names = [name for name, _ in facet_entries(site, "advisor")]
    assert names.count("Groth, Katrina M") == 1
    assert "Groth, Katrina" not in names


def test_browse_alias_page_lists_both_spellings(site):
    page = soup(site, "browse/advisor/groth-katrina-m/index.html")
    links = [a["href"] for a in page.select("ol.thesis-list .thesis-title a")]
    assert links == ["../../../theses/weiner-2024-a-framework-for-remaining/",
                     "../../../theses/moradi-2021-systematic-integration-of-phm/"]


def test_browse_alias_shown_on_thesis_page(site):
    page = soup(site, "theses/moradi-2021-systematic-integration-of-phm/index.html")
    assert texts(definition(page, "Advisor").select("li")) == ["Groth, Katrina M"]


def test_browse_value_heading_and_showing(site):
    page = soup(site, "browse/advisor/chellappa-rama/index.html")
    assert page.find("h1").get_text() == "Advisor: Chellappa, Rama"
    assert page.select_one("p.showing").get_text() == "Now showing 1 - 2 of 2"


def test_browse_hub_counts(site):
    items = texts(soup(site, "browse/index.html").select("ul.browse-hub li"))
    assert items == ["By author (10 authors)", "By advisor (10 advisors)", "By department (3 departments)",
                     "By year (5 years)"]


def test_browse_names_sort_ignoring_case_and_accents(tmp_path):
    content = empty_content(tmp_path)
    for number, name in enumerate(["Zeller, Zoe", "émile, Eve", "Baker, Ann", "Ångström, Anders", "adams, Al"]):
        write_record(content, f"t-2020-{number}", title=f"T{number}", authors=[name], date_issued="2020")
    build(content, tmp_path / "site")
    entries = facet_entries(tmp_path / "site", "author")
    assert [name for name, _ in entries] == ["adams, Al", "Ångström, Anders", "Baker, Ann", "émile, Eve", "Zeller, Zoe"]


def test_browse_letters_fold_accents(tmp_path):
    content = empty_content(tmp_path)
    for number, name in enumerate(["émile, Eve", "Ångström, Anders", "Øster, Ole"]):
        write_record(content, f"t-2020-{number}", title=f"T{number}", authors=[name], date_issued="2020")
    build(content, tmp_path / "site")
    headings = texts(soup(tmp_path / "site", "browse/author/index.html").select("section h2"))
    assert headings == ["A", "E", "O"]


def test_browse_groups_case_variants(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "t-2020-a", title="A", authors=["Émile, Eve"], date_issued="2020")
    write_record(content, "t-2021-b", title="B", authors=["EMILE, EVE"], date_issued="2021")
    write_record(content, "t-2022-c", title="C", authors=["Émile, Eve"], date_issued="2022")
    build(content, tmp_path / "site")
    assert facet_entries(tmp_path / "site", "author") == [("Émile, Eve", "(3)")]


# --- home page --------------------------------------------------------------------------------------


def test_home_scope_name(site):
    assert soup(site, "index.html").select_one("section.scope h2").get_text() == "A. James Clark School of Engineering"


def test_home_scope_handle(site):
    link = soup(site, "index.html").select_one("section.scope a")
    assert link["href"] == "http://hdl.handle.net/1903/1654"


def test_home_scope_description(site):
    paragraphs = texts(soup(site, "index.html").select("section.scope p"))
    assert ("The collections in this community comprise faculty research works, as well as graduate theses and "
            "dissertations.") in paragraphs


def test_home_announced_total_and_held(site):
    harvest = soup(site, "index.html").select_one("section.scope p.harvest").get_text()
    assert harvest == "The repository lists 22 items here; this site holds 10, so 12 are not yet harvested."


def test_home_title(site):
    assert soup(site, "index.html").find("h1").get_text() == "Engineering Theses and Dissertations"


def test_home_without_theses(tmp_path):
    build(empty_content(tmp_path), tmp_path / "site")
    assert soup(tmp_path / "site", "index.html").select("ol.thesis-list") == []


# --- every page -------------------------------------------------------------------------------------


def test_internal_links_resolve(site):
    for name in html_files(site):
        if name == "404.html":
            continue
        for a in soup(site, name).find_all("a", href=True):
            if is_external(a["href"]) or a["href"].startswith("#"):
                continue
            assert resolve(site, name, a["href"]).is_file(), f"{name}: {a['href']}"


def test_menu_marks_current_page(site):
    current = soup(site, "theses/index.html").select("nav[aria-label=Main] a[aria-current=page]")
    assert texts(current) == ["Theses"]


def test_about_page_from_markdown(site):
    page = soup(site, "about/index.html")
    assert page.find("h1").get_text() == "About"
    assert page.select_one("article p").get_text().startswith("This site presents doctoral dissertations")


# --- 404 --------------------------------------------------------------------------------------------


def not_found_urls(page) -> list[str]:
    return [a["href"] for a in page.find_all("a", href=True)] + [link["href"] for link in page.find_all("link", href=True)]


def test_not_found_links_root_relative_hosted(site):
    urls = not_found_urls(soup(site, "404.html"))
    assert "/theses/" in urls
    assert all(url.startswith("/") or url.startswith("#") for url in urls), urls


def test_not_found_links_under_preview_base(tmp_path):
    build(CONTENT, tmp_path / "site", profile="preview", base_url="/pr-42/")
    urls = not_found_urls(soup(tmp_path / "site", "404.html"))
    assert "/pr-42/theses/" in urls
    assert "/pr-42/assets/site.css" in urls
    assert all(url.startswith("/pr-42/") or url.startswith("#") for url in urls), urls


def test_not_found_links_under_hosted_path(tmp_path):
    build(CONTENT, tmp_path / "site", base_url="https://library.example.org/theses-site/")
    urls = not_found_urls(soup(tmp_path / "site", "404.html"))
    assert "/theses-site/search/" in urls


def test_not_found_targets_exist(tmp_path):
    out = tmp_path / "site"
    build(CONTENT, out, profile="preview", base_url="/pr-42/")
    for url in not_found_urls(soup(out, "404.html")):
        if url.startswith("/pr-42/"):
            assert resolve(out, "404.html", url[len("/pr-42"):]).is_file(), url



def test_home_counts_each_scope_apart(tmp_path):
    content = empty_content(tmp_path)
    (content / "collection.yaml").write_text(
        "scopes:\n"
        "- name: Physics\n  handle: http://hdl.handle.net/1903/2\n  announced_total: 40\n"
        "- name: Chemistry\n  announced_total: 3\n", encoding="utf-8")
    for number in range(3):
        write_record(content, f"physics-{number}", title=f"Physics {number}", date_issued="2020",
                     source={"scope": "http://hdl.handle.net/1903/2"})
    write_record(content, "chemistry-0", title="Chemistry 0", date_issued="2021", source={"scope": "Chemistry"})
    write_record(content, "by-hand", title="Written by hand", date_issued="2022")
    build(content, tmp_path / "site")
    harvest = texts(soup(tmp_path / "site", "index.html").select("section.scope p.harvest"))
    assert harvest == [
        "The repository lists 40 items here; this site holds 3, so 37 are not yet harvested.",
        "The repository lists 3 items here; this site holds 1, so 2 are not yet harvested.",
    ]


# --- search help ------------------------------------------------------------------------------------


def test_search_help_example_names_newest_author(site):
    help_text = soup(site, "search/index.html").find(id="search-help").get_text()
    assert " ".join(help_text.split()).endswith("department: or year:, as in author:weiner.")


def test_search_help_example_skips_short_names(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "ng-2020-a", title="A", authors=["Ng, Li", "O'Brien-Smith, Pat"], date_issued="2020")
    build(content, tmp_path / "site")
    help_text = soup(tmp_path / "site", "search/index.html").find(id="search-help").get_text()
    assert " ".join(help_text.split()).endswith("year:, as in author:obrien.")


def test_search_help_without_authors_has_no_example(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "a-2020-a", title="A", date_issued="2020")
    build(content, tmp_path / "site")
    help_text = soup(tmp_path / "site", "search/index.html").find(id="search-help").get_text()
    assert " ".join(help_text.split()).endswith("department: or year:.")
