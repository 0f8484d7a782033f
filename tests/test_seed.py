"""The shipped listing page content/listings/000_fb90645d63e332b6.txt: every field of its ten theses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEED, load_records, run_ingest, snapshot
from shelfmark.listing.detect import parse_listing

DRUM = "Digital Repository at the University of Maryland"
UMD = "University of Maryland (College Park, Md.)"
EE = "Electrical Engineering"

# One row per item, in page order. "line" is the item's first line (bullet), "abstract_line" the line holding
# its whole abstract, "head" and "tail" the first and last 40 characters of that abstract.
SEED_ITEMS = [
    dict(
        id="devaraj-2024-from-parts-to-whole",
        title="FROM PARTS TO WHOLE IN ACTION AND OBJECT UNDERSTANDING",
        date="2024", authors=["Devaraj, Chinmaya"], advisors=["Aloimonos, Yiannis"], department=EE,
        thumbnail=False, line=12, abstract_line=15,
        head="The traditional paradigm of supervised l", tail="ined motion during video-text retrieval.",
    ),
    dict(
        id="kattakinda-2024-understanding-and-improving-reliability",
        title="Understanding and Improving Reliability of Predictive and Generative Deep Learning Models",
        date="2024", authors=["Kattakinda, Priyatham"], advisors=["Feizi, Soheil"], department=EE,
        thumbnail=True, line=16, abstract_line=20,
        head="Deep learning models are prone to acquir", tail="tively compute constrained environments.",
    ),
    dict(
        id="weiner-2024-a-framework-for-remaining",
        title="A Framework for Remaining Useful Life Prediction and Optimization for Complex Engineering Systems",
        date="2024", authors=["Weiner, Matthew Joesph"], advisors=["Azarm, Shapour", "Groth, Katrina M"],
        department="Reliability Engineering", thumbnail=True, line=21, abstract_line=25,
        head="Remaining useful life (RUL) prediction p", tail="eading to more informed decision-making.",
    ),
    dict(
        id="mattingly-2023-deep-learning-ensembles-for",
        title="DEEP LEARNING ENSEMBLES FOR LIGHTWEIGHT OBJECT DETECTION",
        date="2023", authors=["Mattingly, Alexander Singfei"], advisors=["Bhattacharyya, Shuvra S."], department=EE,
        thumbnail=True, line=26, abstract_line=30,
        head="Object detection, the task of identifyin", tail="tection using an elastic neural network.",
    ),
    dict(
        id="seneviratne-2022-generalizable-depression-detection-and",
        title="Generalizable Depression Detection and Severity Prediction Using Articulatory Representations of Speech",
        date="2022", authors=["Seneviratne, Nadee"], advisors=["Espy-Wilson, Carol"], department=EE,
        thumbnail=True, line=31, abstract_line=35,
        head="Major Depressive Disorder (MDD) is a men", tail="rom direct articulatory representations.",
    ),
    dict(
        id="frazier-2021-wavefront-shaping-in-a",
        title="Wavefront Shaping in a Complex Reverberant Environment with a Binary Tunable Metasurface",
        date="2021", authors=["Frazier, Benjamin West"], advisors=["Antonsen, Thomas M"], department=EE,
        thumbnail=True, line=36, abstract_line=40,
        head="Electromagnetic environments are becomin", tail=" ~1.5% of the total cavity surface area.",
    ),
    dict(
        id="moradi-2021-systematic-integration-of-phm",
        title="Systematic Integration of PHM and PRA (SIPPRA) for Risk and Reliability Analysis of "
              "Complex Engineering Systems",
        date="2021", authors=["Moradi, Ramin"], advisors=["Groth, Katrina"], department="Mechanical Engineering",
        thumbnail=True, line=41, abstract_line=45,
        head="Complex Engineering Systems (CES) such a", tail="ondition together with operational risk.",
    ),
    dict(
        id="kavalerov-2020-impact-of-semantics-physics",
        title="Impact Of Semantics, Physics And Adversarial Mechanisms In Deep Learning",
        date="2020", authors=["Kavalerov, Ilya"], advisors=["Chellappa, Rama", "Czaja, Wojciech"], department=EE,
        thumbnail=True, line=46, abstract_line=50,
        head="Deep learning has greatly advanced the p", tail="th some theoretical results on K+1 GANs.",
    ),
    dict(
        id="zhou-2020-deep-learning-for-forensics",
        title="DEEP LEARNING FOR FORENSICS",
        date="2020", authors=["Zhou, Peng"], advisors=["Davis, Larry"], department=EE,
        thumbnail=True, line=51, abstract_line=55,
        head="The advent of media sharing platforms an", tail="e over standard distillation techniques.",
    ),
    dict(
        id="ding-2020-facial-expression-recognition-and",
        title="FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA",
        date="2020", authors=["Ding, Hui"], advisors=["Chellappa, Rama"], department=EE,
        thumbnail=True, line=56, abstract_line=60,
        head="Over the past five years, methods based ", tail="emonstrate the effectiveness of ExprGAN.",
    ),
]
POSITIONS = list(range(1, len(SEED_ITEMS) + 1))


def expected(position: int) -> dict:
    return SEED_ITEMS[position - 1]


@pytest.fixture(scope="module")
def page():
    return parse_listing(SEED.read_text(encoding="utf-8"), str(SEED))


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory) -> dict[str, dict]:
    content = tmp_path_factory.mktemp("seed") / "content"
    (content / "theses").mkdir(parents=True)
    run_ingest([SEED], content)
    return load_records(content)


def record_at(seed_records: dict[str, dict], position: int) -> dict:
    return seed_records[expected(position)["id"]]


# --- the page ------------------------------------------------------------------------------------


def test_page_format(page):
    assert page.format == "dspace7-text"


def test_page_item_count(page):
    assert len(page.items) == 10


def test_page_not_truncated(page):
    assert page.truncated is False


def test_count_first(page):
    assert page.count.first == 1


def test_count_last(page):
    assert page.count.last == 10


def test_count_total(page):
    assert page.count.total == 22


def test_count_printed(page):
    assert page.count.printed == "Now showing 1 - 10 of 22"


def test_scope_name(page):
    assert page.scope.name == "A. James Clark School of Engineering"


def test_scope_kind(page):
    assert page.scope.kind == "community"


def test_scope_handle(page):
    assert page.scope.handle == "http://hdl.handle.net/1903/1654"


def test_scope_description(page):
    assert page.scope.description == (
        "The collections in this community comprise faculty research works, as well as graduate theses "
        "and dissertations."
    )


def test_no_containers(page):
    assert page.containers == []


# --- each item as parsed ---------------------------------------------------------------------------


@pytest.mark.parametrize("position", POSITIONS)
def test_item_position(page, position):
    assert page.items[position - 1].position == position


@pytest.mark.parametrize("position", POSITIONS)
def test_item_line(page, position):
    assert page.items[position - 1].line == expected(position)["line"]


@pytest.mark.parametrize("position", POSITIONS)
def test_item_title(page, position):
    assert page.items[position - 1].title == expected(position)["title"]


@pytest.mark.parametrize("position", POSITIONS)
def test_item_date_printed(page, position):
    assert page.items[position - 1].date == expected(position)["date"]


@pytest.mark.parametrize("position", POSITIONS)
def test_item_thumbnail(page, position):
    assert page.items[position - 1].thumbnail is expected(position)["thumbnail"]


@pytest.mark.parametrize("position", POSITIONS)
def test_item_type_badge(page, position):
    assert page.items[position - 1].item_type == "Item"


@pytest.mark.parametrize("position", POSITIONS)
def test_item_no_problem(page, position):
    assert page.items[position - 1].problem is None


@pytest.mark.parametrize("position", POSITIONS)
def test_item_abstract_head(page, position):
    assert page.items[position - 1].abstract[:40] == expected(position)["head"]


@pytest.mark.parametrize("position", POSITIONS)
def test_item_abstract_tail(page, position):
    assert page.items[position - 1].abstract[-40:] == expected(position)["tail"]


@pytest.mark.parametrize("position", POSITIONS)
def test_item_abstract_is_whole_line(page, position):
    line = SEED.read_text(encoding="utf-8").split("\n")[expected(position)["abstract_line"] - 1]
    assert page.items[position - 1].abstract == line.strip()


@pytest.mark.parametrize("position", POSITIONS)
def test_item_abstract_complete(page, position):
    assert page.items[position - 1].abstract_complete is True


def test_item10_contributors_printed(page):
    assert page.items[9].contributors == ["Ding, Hui", "Chellappa,, Rama", EE, DRUM, UMD]


def test_item3_contributors_printed(page):
    assert page.items[2].contributors == [
        "Weiner, Matthew Joesph", "Azarm, Shapour", "Groth, Katrina M", "Reliability Engineering", DRUM, UMD,
    ]


# --- each record ------------------------------------------------------------------------------------


def test_record_ids(seed_records):
    assert sorted(seed_records) == sorted(item["id"] for item in SEED_ITEMS)


@pytest.mark.parametrize("position", POSITIONS)
def test_record_id_field(seed_records, position):
    assert record_at(seed_records, position)["id"] == expected(position)["id"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_title(seed_records, position):
    assert record_at(seed_records, position)["title"] == expected(position)["title"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_date_issued(seed_records, position):
    assert record_at(seed_records, position)["date_issued"] == expected(position)["date"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_authors(seed_records, position):
    assert record_at(seed_records, position)["authors"] == expected(position)["authors"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_advisors(seed_records, position):
    assert record_at(seed_records, position)["advisors"] == expected(position)["advisors"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_department(seed_records, position):
    assert record_at(seed_records, position)["department"] == expected(position)["department"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_publishers(seed_records, position):
    assert record_at(seed_records, position)["publishers"] == [DRUM, UMD]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_thumbnail(seed_records, position):
    assert record_at(seed_records, position)["thumbnail"] is expected(position)["thumbnail"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_item_type(seed_records, position):
    assert record_at(seed_records, position)["item_type"] == "Item"


@pytest.mark.parametrize("position", POSITIONS)
def test_record_degree_unknown(seed_records, position):
    assert record_at(seed_records, position)["degree"] is None


@pytest.mark.parametrize("position", POSITIONS)
def test_record_abstract_head(seed_records, position):
    assert record_at(seed_records, position)["abstract"][:40] == expected(position)["head"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_abstract_tail(seed_records, position):
    assert record_at(seed_records, position)["abstract"][-40:] == expected(position)["tail"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_abstract_complete(seed_records, position):
    assert record_at(seed_records, position)["abstract_complete"] is True


@pytest.mark.parametrize("position", POSITIONS)
def test_record_source_position(seed_records, position):
    assert record_at(seed_records, position)["source"]["position"] == position


@pytest.mark.parametrize("position", POSITIONS)
def test_record_source_line(seed_records, position):
    assert record_at(seed_records, position)["source"]["line"] == expected(position)["line"]


@pytest.mark.parametrize("position", POSITIONS)
def test_record_source_file(seed_records, position):
    assert record_at(seed_records, position)["source"]["file"] == SEED.name


@pytest.mark.parametrize("position", POSITIONS)
def test_record_source_scope(seed_records, position):
    assert record_at(seed_records, position)["source"]["scope"] == "http://hdl.handle.net/1903/1654"


@pytest.mark.parametrize("position", POSITIONS[:9])
def test_record_printed_empty(seed_records, position):
    assert record_at(seed_records, position)["printed"] == {}


def test_chellappa_normalised(seed_records):
    assert record_at(seed_records, 10)["advisors"] == ["Chellappa, Rama"]


def test_chellappa_printed_kept(seed_records):
    assert record_at(seed_records, 10)["printed"] == {"advisors": ["Chellappa,, Rama"]}


def test_chellappa_same_on_both_items(seed_records):
    assert record_at(seed_records, 8)["advisors"][0] == record_at(seed_records, 10)["advisors"][0]


# --- scope file and round trip ----------------------------------------------------------------------


def test_collection_file_scope(tmp_path):
    content = tmp_path / "content"
    run_ingest([SEED], content)
    text = (content / "collection.yaml").read_text(encoding="utf-8")
    assert text == (
        "scopes:\n"
        "- name: A. James Clark School of Engineering\n"
        "  kind: community\n"
        "  handle: http://hdl.handle.net/1903/1654\n"
        "  description: The collections in this community comprise faculty research works, as well\n"
        "    as graduate theses and dissertations.\n"
        "  announced_total: 22\n"
        "  pages_harvested:\n"
        "  - 1-10\n"
    )


def test_reingest_changes_no_byte(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert len(list((content / "theses").glob("*.yaml"))) == 10
    before = snapshot(content)
    report = run_ingest([content / "listings"], content)
    assert snapshot(content) == before
    assert report.total("unchanged") == 10
