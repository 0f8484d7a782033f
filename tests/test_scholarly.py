"""Scholarly metadata on built pages: Highwire tags, Dublin Core and JSON-LD, built from the shipped content."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

CONTENT = ROOT / "content"
BASE = "https://theses.example.edu/"
INSTITUTION = "University of Maryland"
SCRIPT_ABSTRACT = 'A parser test: the text "</script><script>document.title = 1</script>" must stay text & <b>not</b> markup.'

EXTRA_RECORDS = [
    {
        "id": "okafor-2019-signal-recovery-in-sparse",
        "title": "Signal Recovery in Sparse Arrays",
        "authors": ["Okafor, Adaeze", "Lindqvist, Per"],
        "advisors": ["Brown, Emma"],
        "department": "Electrical and Computer Engineering",
        "publishers": ["Digital Repository at the University of Maryland", "University of Maryland (College Park, Md.)"],
        "date_issued": "2019-05-20",
        "degree": "Doctor of Philosophy",
        "language": "en",
        "subjects": ["Signal processing", "Sparse arrays"],
        "abstract": "We recover signals from sparse arrays.\n\nA second paragraph follows.",
        "handle": "http://hdl.handle.net/1903/99001",
        "pdf_url": "https://repository.example.edu/bitstreams/99001/thesis.pdf",
    },
    {
        "id": "nakamura-2021-tidal-flow-models",
        "title": "Tidal Flow Models",
        "authors": ["Nakamura, Ken"],
        "advisors": [],
        "publishers": ["Digital Repository at the University of Maryland", "University of Maryland (College Park, Md.)"],
        "date_issued": "2021-08",
        "abstract": SCRIPT_ABSTRACT,
    },
]


def write_records(content: Path, extra: list[dict]) -> None:
    for record in extra:
        data = records.empty_record(record["id"]) | record
        (content / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(data), encoding="utf-8")


def content_copy(tmp_path: Path, extra: list[dict] = (), **settings) -> Path:
    """A copy of the shipped content with extra records and changed site.yaml settings (None removes a key)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    write_records(content, list(extra))
    if settings:
        site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
        site.update(settings)
        site = {key: value for key, value in site.items() if value is not None}
        (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    return content


def build(content: Path, out: Path, profile: str = "hosted", base_url: str | None = None) -> Path:
    build_site(BuildOptions(content=content, out=out, profile=profile, base_url=base_url))
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def metas(soup: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": name})]


def json_ld(soup: BeautifulSoup) -> dict[str, dict]:
    """The JSON-LD blocks of a page by @type; each must parse."""
    blocks = [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]
    by_type = {block["@type"]: block for block in blocks}
    assert len(by_type) == len(blocks), "two JSON-LD blocks of one type"
    return by_type


def shipped_records() -> list[dict]:
    return [records.read_record(path).data for path in sorted((CONTENT / "theses").glob("*.yaml"))]


def aliases() -> dict[str, str]:
    people = CONTENT / "people.yaml"
    return (yaml.safe_load(people.read_text(encoding="utf-8")) or {}).get("aliases", {}) if people.exists() else {}


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> Path:
    return build(CONTENT, tmp_path_factory.mktemp("hosted") / "site")


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> Path:
    """A hosted site from the shipped content plus records with full dates, handles, a PDF and "</script>" in an abstract."""
    folder = tmp_path_factory.mktemp("edge")
    return build(content_copy(folder, EXTRA_RECORDS), folder / "site")


# --- Highwire tags on the shipped theses ---------------------------------------------------------


def test_highwire_title_and_authors_in_order(hosted):
    names = aliases()
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        assert metas(soup, "citation_title") == [record["title"]], record["id"]
        assert metas(soup, "citation_author") == [names.get(name, name) for name in record["authors"]], record["id"]


def test_advisors_are_never_highwire_authors(hosted):
    names = aliases()
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        advisors = {names.get(name, name) for name in record["advisors"]}
        assert advisors, f"{record['id']}: the shipped records all name advisors"
        assert advisors.isdisjoint(metas(soup, "citation_author")), record["id"]


def test_highwire_date_institution_and_page_url(hosted):
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        assert metas(soup, "citation_publication_date") == [record["date_issued"]], record["id"]  # years alone
        assert metas(soup, "citation_dissertation_institution") == [INSTITUTION], record["id"]
        assert metas(soup, "citation_abstract_html_url") == [f"{BASE}theses/{record['id']}/"], record["id"]
        assert metas(soup, "citation_pdf_url") == [], record["id"]


def test_canonical_is_the_hosted_page_url(hosted):
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        assert [link["href"] for link in soup.find_all("link", rel="canonical")] == [f"{BASE}theses/{record['id']}/"]


# --- the same values in Dublin Core and JSON-LD --------------------------------------------------


def test_dublin_core_repeats_the_highwire_values(hosted):
    names = aliases()
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        assert metas(soup, "DC.title") == metas(soup, "citation_title")
        assert metas(soup, "DC.creator") == metas(soup, "citation_author")
        assert metas(soup, "DC.contributor") == [names.get(name, name) for name in record["advisors"]]
        assert metas(soup, "DC.publisher") == metas(soup, "citation_dissertation_institution")
        assert metas(soup, "DC.date") == metas(soup, "DCTERMS.issued") == [record["date_issued"]]
        assert metas(soup, "DC.description") == [" ".join(record["abstract"].split())]
        assert soup.find("link", rel="schema.DC")["href"] == "http://purl.org/dc/elements/1.1/"
        assert soup.find("link", rel="schema.DCTERMS")["href"] == "http://purl.org/dc/terms/"


def test_json_ld_thesis_repeats_the_highwire_values(hosted):
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        thesis = json_ld(soup)["Thesis"]
        assert thesis["@context"] == "https://schema.org"
        assert [thesis["name"]] == metas(soup, "citation_title")
        assert all(person["@type"] == "Person" for person in thesis["author"])
        assert [f"{p['familyName']}, {p['givenName']}" for p in thesis["author"]] == metas(soup, "citation_author")
        assert thesis["datePublished"] == record["date_issued"]
        assert [thesis["sourceOrganization"]["name"]] == metas(soup, "citation_dissertation_institution")
        assert thesis["sourceOrganization"]["@type"] == "CollegeOrUniversity"
        assert thesis["url"] == f"{BASE}theses/{record['id']}/"


def test_json_ld_advisors_have_advisor_role(hosted):
    for record in shipped_records():
        soup = page(hosted, f"theses/{record['id']}/index.html")
        roles = json_ld(soup)["Thesis"]["contributor"]
        assert [role["@type"] for role in roles] == ["Role"] * len(roles)
        assert {role["roleName"] for role in roles} == {"advisor"}
        advisors = [f"{r['contributor']['familyName']}, {r['contributor']['givenName']}" for r in roles]
        assert advisors == metas(soup, "DC.contributor")


# --- breadcrumbs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["theses/index.html", "browse/index.html", "browse/year/index.html", "about/index.html"])
def test_listing_and_browse_pages_have_breadcrumbs_only(hosted, path):
    soup = page(hosted, path)
    assert set(json_ld(soup)) == {"BreadcrumbList"}
    names = [meta.get("name", "") for meta in soup.find_all("meta")]
    assert [name for name in names if name.startswith(("citation_", "DC.", "DCTERMS."))] == []


def test_breadcrumb_list_matches_the_visible_breadcrumbs(hosted):
    thesis_page = next((hosted / "theses").glob("*/index.html")).relative_to(hosted).as_posix()
    for path in ["theses/index.html", "browse/year/index.html", thesis_page]:
        soup = page(hosted, path)
        visible = [item.get_text(strip=True) for item in soup.select("nav.breadcrumbs li")]
        elements = json_ld(soup)["BreadcrumbList"]["itemListElement"]
        assert [element["name"] for element in elements] == visible
        assert [element["position"] for element in elements] == list(range(1, len(visible) + 1))
        assert all(element["item"].startswith(BASE) for element in elements)
        assert elements[-1]["item"] == BASE + path.removesuffix("index.html")


def test_home_page_has_no_json_ld(hosted):
    assert json_ld(page(hosted, "index.html")) == {}


# --- records with more fields ----------------------------------------------------------------------


def test_full_date_is_written_with_slashes(edge):
    soup = page(edge, "theses/okafor-2019-signal-recovery-in-sparse/index.html")
    assert metas(soup, "citation_publication_date") == ["2019/05/20"]
    assert metas(soup, "DC.date") == ["2019-05-20"]
    assert json_ld(soup)["Thesis"]["datePublished"] == "2019-05-20"


def test_year_and_month_date_gives_the_year_alone(edge):
    soup = page(edge, "theses/nakamura-2021-tidal-flow-models/index.html")
    assert metas(soup, "citation_publication_date") == ["2021"]
    assert metas(soup, "DCTERMS.issued") == ["2021-08"]


def test_several_authors_keep_their_order(edge):
    soup = page(edge, "theses/okafor-2019-signal-recovery-in-sparse/index.html")
    assert metas(soup, "citation_author") == ["Okafor, Adaeze", "Lindqvist, Per"]
    assert metas(soup, "DC.creator") == ["Okafor, Adaeze", "Lindqvist, Per"]
    assert [person["familyName"] for person in json_ld(soup)["Thesis"]["author"]] == ["Okafor", "Lindqvist"]


def test_optional_fields_appear_when_the_record_has_them(edge):
    soup = page(edge, "theses/okafor-2019-signal-recovery-in-sparse/index.html")
    assert metas(soup, "citation_pdf_url") == ["https://repository.example.edu/bitstreams/99001/thesis.pdf"]
    assert metas(soup, "citation_language") == ["en"]
    assert metas(soup, "citation_keywords") == ["Signal processing; Sparse arrays"]
    assert metas(soup, "DC.identifier") == ["http://hdl.handle.net/1903/99001"]
    assert metas(soup, "DC.language") == ["en"]
    thesis = json_ld(soup)["Thesis"]
    assert thesis["identifier"] == "http://hdl.handle.net/1903/99001"
    assert thesis["inLanguage"] == "en"
    assert thesis["keywords"] == ["Signal processing", "Sparse arrays"]
    assert thesis["inSupportOf"] == "Doctor of Philosophy"


def test_optional_fields_are_left_out_when_unknown(edge):
    soup = page(edge, "theses/nakamura-2021-tidal-flow-models/index.html")
    for name in ("citation_pdf_url", "citation_language", "citation_keywords", "DC.identifier", "DC.contributor"):
        assert metas(soup, name) == [], name
    assert not {"identifier", "inLanguage", "keywords", "contributor"} & set(json_ld(soup)["Thesis"])


def test_canonical_is_page_url_not_handle(edge):
    soup = page(edge, "theses/okafor-2019-signal-recovery-in-sparse/index.html")
    assert soup.find("link", rel="canonical")["href"] == f"{BASE}theses/okafor-2019-signal-recovery-in-sparse/"
    assert json_ld(soup)["Thesis"]["url"] == f"{BASE}theses/okafor-2019-signal-recovery-in-sparse/"


def test_script_end_tag_keeps_json_ld_valid(edge):
    html = (edge / "theses/nakamura-2021-tidal-flow-models/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert json_ld(soup)["Thesis"]["abstract"] == SCRIPT_ABSTRACT
    assert metas(soup, "DC.description") == [SCRIPT_ABSTRACT]
    assert not [script for script in soup.find_all("script") if "document.title" in (script.string or "")
                and script.get("type") != "application/ld+json"]
    assert "document.title = 1</script>" not in html


# --- institution ------------------------------------------------------------------------------------


def test_institution_from_university_publisher(tmp_path):
    site = build(content_copy(tmp_path, EXTRA_RECORDS, institution=None), tmp_path / "site")
    soup = page(site, "theses/okafor-2019-signal-recovery-in-sparse/index.html")
    assert metas(soup, "citation_dissertation_institution") == ["University of Maryland"]
    assert metas(soup, "DC.publisher") == ["University of Maryland"]


def test_institution_is_left_out_when_nothing_names_one(tmp_path):
    record = {"id": "ito-2018-a-short-study", "title": "A Short Study", "authors": ["Ito, Mei"],
              "publishers": ["Digital Repository"], "date_issued": "2018"}
    site = build(content_copy(tmp_path, [record], institution=None), tmp_path / "site")
    soup = page(site, "theses/ito-2018-a-short-study/index.html")
    assert metas(soup, "citation_dissertation_institution") == []
    assert "sourceOrganization" not in json_ld(soup)["Thesis"]


# --- profiles ---------------------------------------------------------------------------------------


def test_no_base_url_no_absolute_urls(tmp_path):
    site = build(content_copy(tmp_path, base_url=None), tmp_path / "site", profile="offline")
    for record in shipped_records():
        soup = page(site, f"theses/{record['id']}/index.html")
        assert metas(soup, "citation_abstract_html_url") == []
        assert soup.find("link", rel="canonical") is None
        assert "url" not in json_ld(soup)["Thesis"]
        assert metas(soup, "citation_title") == [record["title"]]


def test_preview_points_citation_url_at_the_hosted_site(tmp_path):
    site = build(CONTENT, tmp_path / "site", profile="preview", base_url="https://preview.example.org/pr-42/")
    record = shipped_records()[0]
    soup = page(site, f"theses/{record['id']}/index.html")
    assert metas(soup, "citation_abstract_html_url") == [f"{BASE}theses/{record['id']}/"]
    assert soup.find("link", rel="canonical")["href"] == f"{BASE}theses/{record['id']}/"
