"""Markup, template syntax and bidi controls in records and settings come out as inert text on every page."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from shelfmark import records
from shelfmark.builder import BuildFailed
from shelfmark.collection import slugify
from site_helpers import build, empty_content, html_files, soup, write_record

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
END_SCRIPT = "</script>"
JAVASCRIPT = "javascript:alert(1)"
TEMPLATE = "{{ 7*7 }}"
RAW = "{% raw %}"
BIDI = "\u202e"
HOSTILE = f"{SCRIPT} {ATTRIBUTE} {END_SCRIPT} {JAVASCRIPT} {TEMPLATE} {RAW} left{BIDI}right"
SHOWN = HOSTILE.replace(BIDI, "")
# Same shape and length class, nothing special: the structure every page should have.
BENIGN = "plain words standing in for the hostile text of this record"
THESIS_ID = "evil-2024-x"


def write_content(folder: Path, text: str) -> Path:
    content = empty_content(folder, yaml.safe_dump({"title": text, "description": text}, allow_unicode=True))
    write_record(content, THESIS_ID, title=text, authors=[f"Evil, {text}"], advisors=[f"Advisor, {text}"],
                 department=text, publishers=[text], subjects=[text], date_issued="2024",
                 abstract=f"{text}\n\n{text}")
    (content / "pages").mkdir()
    (content / "pages" / "about.md").write_text("---\ntitle: About\nmenu: 1\n---\nAbout this site.\n", encoding="utf-8")
    (content / "collection.yaml").write_text(
        yaml.safe_dump({"scopes": [{"name": text, "description": text, "announced_total": 3}]}, allow_unicode=True),
        encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    """(hostile site, benign site) built from the same content shape."""
    built = []
    for name, text in (("hostile", HOSTILE), ("benign", BENIGN)):
        folder = tmp_path_factory.mktemp(name)
        build(write_content(folder, text), folder / "site")
        built.append(folder / "site")
    return built[0], built[1]


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind, by kind; browse value pages are found by folder, since their slugs differ."""
    def only_value(facet: str) -> str:
        [folder] = [path for path in (site / "browse" / facet).iterdir() if path.is_dir()]
        return folder.relative_to(site).as_posix() + "/index.html"

    return {
        "home": "index.html",
        "listing": "theses/index.html",
        "thesis": f"theses/{THESIS_ID}/index.html",
        "browse hub": "browse/index.html",
        "author facet": "browse/author/index.html",
        "department facet": "browse/department/index.html",
        "author value": only_value("author"),
        "advisor value": only_value("advisor"),
        "department value": only_value("department"),
        "year value": "browse/year/2024/index.html",
        "about": "about/index.html",
        "search": "search/index.html",
        "not found": "404.html",
    }


KINDS = ("home", "listing", "thesis", "browse hub", "author facet", "department facet", "author value",
         "advisor value", "department value", "year value", "about", "search", "not found")


def shape(page: BeautifulSoup) -> Counter:
    """Each element with its attribute names, counted: what an injection would change."""
    return Counter((tag.name, tuple(sorted(tag.attrs))) for tag in page.find_all(True))


def visible_texts(page: BeautifulSoup) -> list[str]:
    return [str(text) for text in page.find_all(string=True) if text.parent.name not in ("script", "style")]


def hostile_page(sites, kind: str) -> BeautifulSoup:
    return soup(sites[0], page_kinds(sites[0])[kind])


@pytest.mark.parametrize("kind", KINDS)
def test_no_element_or_attribute_injected(sites, kind):
    hostile, benign = sites
    assert shape(soup(hostile, page_kinds(hostile)[kind])) == shape(soup(benign, page_kinds(benign)[kind]))


@pytest.mark.parametrize("kind", KINDS)
def test_no_event_handler_attribute(sites, kind):
    for tag in hostile_page(sites, kind).find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")], tag.name


@pytest.mark.parametrize("kind", KINDS)
def test_no_javascript_href(sites, kind):
    for tag in hostile_page(sites, kind).find_all(href=True):
        assert not tag["href"].strip().lower().startswith("javascript:"), tag["href"]


@pytest.mark.parametrize("kind", KINDS)
def test_scripts_hold_no_markup(sites, kind):
    for script in hostile_page(sites, kind).find_all("script"):
        assert "<" not in script.get_text(), script.get_text()[:80]


@pytest.mark.parametrize("kind", KINDS)
def test_bidi_controls_removed_from_text(sites, kind):
    for text in visible_texts(hostile_page(sites, kind)):
        assert BIDI not in text


@pytest.mark.parametrize("kind", KINDS)
def test_bidi_controls_removed_from_attributes(sites, kind):
    for tag in hostile_page(sites, kind).find_all(True):
        for name, value in tag.attrs.items():
            assert BIDI not in " ".join(value) if isinstance(value, list) else BIDI not in value, name


@pytest.mark.parametrize("kind", KINDS)
def test_site_title_shown_as_text(sites, kind):
    page = hostile_page(sites, kind)
    assert page.select_one("p.site-name a").get_text() == SHOWN


@pytest.mark.parametrize("kind", KINDS)
def test_site_title_in_page_title(sites, kind):
    assert SHOWN in hostile_page(sites, kind).title.get_text()


@pytest.mark.parametrize("kind", KINDS)
def test_template_syntax_not_evaluated(sites, kind):
    text = hostile_page(sites, kind).get_text()
    assert TEMPLATE in text
    assert "49" not in text


def test_thesis_title_shown_as_text(sites):
    assert hostile_page(sites, "thesis").find("h1").get_text() == SHOWN


def test_thesis_title_escaped_in_source(sites):
    source = (sites[0] / "theses" / THESIS_ID / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source


def test_thesis_author_shown_as_text(sites):
    names = [li.get_text() for li in hostile_page(sites, "thesis").select("dl.fields ul.names li")]
    assert names[0] == f"Evil, {SHOWN}"


def test_thesis_abstract_shown_as_text(sites):
    paragraphs = [p.get_text() for p in hostile_page(sites, "thesis").select("section.abstract p")]
    assert paragraphs == [SHOWN, SHOWN]


def test_listing_title_shown_as_text(sites):
    assert hostile_page(sites, "listing").select_one(".thesis-title a").get_text() == SHOWN


def test_department_value_heading(sites):
    assert hostile_page(sites, "department value").find("h1").get_text() == f"Department: {SHOWN}"


def test_home_scope_shown_as_text(sites):
    assert hostile_page(sites, "home").select_one("section.scope h2").get_text() == SHOWN


def test_raw_tag_shown_literally(sites):
    assert RAW in hostile_page(sites, "thesis").find("h1").get_text()


def test_every_page_checked(sites):
    hostile, _ = sites
    assert set(page_kinds(hostile).values()) <= set(html_files(hostile))


# --- ids and slugs never leave their folder -------------------------------------------------------------

BAD_IDS = {
    "../x": "x",
    "/abs": "abs",
    "con": "con",
    "a" * 61: "a" * 61,
    "Upper-2020": "Upper-2020",
    "a--b": "a--b",
    "a/b": "a-b",
    "": "empty",
}


@pytest.mark.parametrize("record_id, file_name", BAD_IDS.items(), ids=list(BAD_IDS.values()))
def test_bad_id_rejected(tmp_path, record_id, file_name):
    content = empty_content(tmp_path)
    path = content / "theses" / f"{file_name}.yaml"
    path.write_text(f"id: {record_id!r}\ntitle: T\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as raised:
        build(content, tmp_path / "site")
    [problem] = raised.value.problems
    assert problem.startswith(f"{path}:1: ")
    assert "'id'" in problem


@pytest.mark.parametrize("record_id, file_name", BAD_IDS.items(), ids=list(BAD_IDS.values()))
def test_bad_id_writes_nothing(tmp_path, record_id, file_name):
    content = empty_content(tmp_path)
    (content / "theses" / f"{file_name}.yaml").write_text(f"id: {record_id!r}\ntitle: T\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(content, tmp_path / "site")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content"]


def test_sixty_character_id_accepted(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "a" * 60, title="T")
    build(content, tmp_path / "site")
    assert (tmp_path / "site" / "theses" / ("a" * 60) / "index.html").is_file()


@pytest.mark.parametrize("text", ["!!! ???", "../../etc/passwd", "/abs", "..", "   ", "<>&\"'", "\u202e", "ß—ø"])
def test_slug_stays_in_folder(text):
    slug = slugify(text)
    assert records.ID_PATTERN.match(slug) or slug == "x", slug
    assert "/" not in slug
    assert ".." not in slug


@pytest.mark.parametrize("title", ["!!! ???", "...", "<>", "—"])
def test_punctuation_title_gives_valid_id(title):
    assert records.id_error(records.make_id("!!!", None, title, set())) is None


def test_punctuation_names_get_browse_pages(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "p-2020-a", title="!!! ???", authors=["!!!, ???"], department="***", date_issued="2020")
    write_record(content, "p-2020-b", title="...", authors=["###, %%%"], department="+++", date_issued="2020")
    build(content, tmp_path / "site")
    authors = sorted(path.name for path in (tmp_path / "site" / "browse" / "author").iterdir() if path.is_dir())
    assert authors == ["x", "x-2"]


def test_punctuation_names_listed_under_other(tmp_path):
    content = empty_content(tmp_path)
    write_record(content, "p-2020-a", title="!!! ???", authors=["!!!, ???"], date_issued="2020")
    build(content, tmp_path / "site")
    page = soup(tmp_path / "site", "browse/author/index.html")
    assert [a.get_text() for a in page.select("#letter-other ~ ul a")] == ["!!!, ???"]
