"""HTML listing pages: DSpace 7 (saved from a browser and from the server response), XMLUI Mirage2 and JSPUI."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfmark import records
from shelfmark.ingest import IngestOptions, candidate_from_item, ingest
from shelfmark.listing.detect import NotAListingPage, looks_like_html, parse_listing
from shelfmark.listing.html import parse_html
from shelfmark.listing.model import ListingItem, ListingPage

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"

REPOSITORY = "Kestrel Scholarly Repository"
UNIVERSITY = "Kestrel State University (Kestrel, Ore.)"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def parse_fixture(name: str) -> ListingPage:
    return parse_listing(read_fixture(name), name)


def parse_cut(name: str, marker: str) -> ListingPage:
    """Parse the fixture cut off just after the first occurrence of `marker`."""
    text = read_fixture(name)
    end = text.index(marker) + len(marker)
    return parse_listing(text[:end], name)


def item_at(page: ListingPage, position: int) -> ListingItem:
    return page.items[position - 1]


def source_line(name: str, number: int) -> str:
    return read_fixture(name).split("\n")[number - 1]


def assert_listing_fields(item: ListingItem, expected: dict) -> None:
    """Compare each listing field that `expected` names with the item's value.

    "head" and "tail" are the abstract's first and last 40 characters. "roles" is for assert_record_fields.
    """
    for name, value in expected.items():
        if name == "head":
            assert item.abstract[:40] == value
        elif name == "tail":
            assert item.abstract[-40:] == value
        elif name != "roles":
            assert getattr(item, name) == value, name


def assert_record_fields(item: ListingItem, expected: dict) -> None:
    """Compare the record fields ingest makes of the item with `expected`."""
    candidate = candidate_from_item(item, "department")
    for name, value in expected.items():
        if name in ("printed", "guesses"):
            assert getattr(candidate, name) == value, name
        else:
            assert candidate.fields[name] == value, name


# --- DSpace 7, saved from a browser ---------------------------------------------------------------

SAVED = "dspace7-search-browser-saved.html"
SAVED_BASE = "http://127.0.0.1:4000/items/"

SAVED_ITEMS = [
    dict(
        position=1, line=42, title="Tidal Mixing and Sediment Transport in Braided Estuarine Channels", date="2024",
        contributors=["Quintero-Lindqvist, Adela", "Brennholt, Oskar", "Civil and Environmental Engineering",
                      REPOSITORY, UNIVERSITY],
        group_publisher=None, thumbnail=True, item_type="Item",
        uuid="3f6c1a2e-8d4b-4c7a-9e21-0b5d7f3a9c11", url=SAVED_BASE + "3f6c1a2e-8d4b-4c7a-9e21-0b5d7f3a9c11",
        handle=None, exact=None, authors_only=False, abstract_complete=True, contributor_line_complete=True,
        problem=None,
        head="Braided estuaries exchange sediment betw", tail=" dredging should be timed to neap tides.",
        roles=dict(authors=["Quintero-Lindqvist, Adela"], advisors=["Brennholt, Oskar"],
                   department="Civil and Environmental Engineering", publishers=[REPOSITORY, UNIVERSITY],
                   date_issued="2024", printed={}, guesses=[]),
    ),
    dict(
        position=2, line=58, title="Sparse Sensing for Acoustic Leak Localisation in Municipal Water Networks",
        date="2023",
        contributors=["Dvořák, Tomáš", "Okonkwo-Hale,, Marisol", "Electrical and Computer Engineering",
                      REPOSITORY, UNIVERSITY],
        group_publisher=None, thumbnail=False, item_type="Item",
        uuid="9a2e7b4d-1c3f-4e8a-b6d0-5f7c2e9a1b34", url=SAVED_BASE + "9a2e7b4d-1c3f-4e8a-b6d0-5f7c2e9a1b34",
        handle=None, exact=None, authors_only=False, abstract_complete=True, contributor_line_complete=True,
        problem=None,
        head="Leaks waste a fifth of the treated water", tail="e method’s accuracy under traffic noise.",
        roles=dict(authors=["Dvořák, Tomáš"], advisors=["Okonkwo-Hale, Marisol"],
                   department="Electrical and Computer Engineering", publishers=[REPOSITORY, UNIVERSITY],
                   date_issued="2023", printed={"advisors": ["Okonkwo-Hale,, Marisol"]}, guesses=[]),
    ),
    dict(
        position=3, line=75, title="Fatigue of Bolted Timber Connections under Cyclic Humidity", date="2025-04",
        contributors=["Nakamura-Ellis, Joaquín", "Ferreira, Ana Luísa", "Mechanical Engineering"],
        group_publisher="Kestrel State University", thumbnail=True, item_type="Item",
        uuid="c41d8e2f-6a7b-4b9c-8d3e-2e1f0a9b8c75", url=SAVED_BASE + "c41d8e2f-6a7b-4b9c-8d3e-2e1f0a9b8c75",
        handle=None, exact=None, authors_only=False, abstract_complete=True, contributor_line_complete=True,
        problem=None,
        head="Timber connections lose stiffness when m", tail="ntage points. A design rule is proposed.",
        roles=dict(authors=["Nakamura-Ellis, Joaquín"], advisors=["Ferreira, Ana Luísa"],
                   department="Mechanical Engineering", publishers=["Kestrel State University"],
                   date_issued="2025-04", printed={}, guesses=[]),
    ),
    dict(
        position=4, line=91, title="Notes on Frost Heave beneath Unheated Slabs", date="2022",
        contributors=["Brandvold, Signe", "Ødegård, Halvor"],
        group_publisher=None, thumbnail=True, item_type="Item", abstract=None,
        uuid="7e5b3a1c-2d9f-4a6e-8b7c-1d0e9f8a6b52", url=SAVED_BASE + "7e5b3a1c-2d9f-4a6e-8b7c-1d0e9f8a6b52",
        handle=None, exact=None, authors_only=False, abstract_complete=True, contributor_line_complete=True,
        problem=None,
        roles=dict(authors=["Brandvold, Signe", "Ødegård, Halvor"], advisors=[], department=None, publishers=[],
                   date_issued="2022", printed={},
                   guesses=["roles uncertain: no department follows the 2 persons, so all are recorded as authors"]),
    ),
]


def test_dspace7_saved_page_header():
    page = parse_fixture(SAVED)
    assert page.format == "dspace7-html"
    assert page.scope.name == "Civil and Environmental Engineering Theses and Dissertations"
    assert page.scope.kind == "collection"
    assert page.scope.handle == "http://hdl.handle.net/11990/880"
    assert page.scope.description == (
        "Doctoral dissertations and master's theses from the Department of Civil and Environmental Engineering."
        "\n\nTheses deposited before 2012 are being added in batches."
    )
    assert (page.count.first, page.count.last, page.count.total) == (1, 4, 4)
    assert page.count.printed == "Now showing 1 - 4 of 4"
    assert len(page.items) == 4
    assert page.containers == []
    assert page.notes == []
    assert page.truncated is False


@pytest.mark.parametrize("expected", SAVED_ITEMS, ids=lambda row: f"item{row['position']}")
def test_dspace7_saved_item_fields(expected):
    item = item_at(parse_fixture(SAVED), expected["position"])
    assert_listing_fields(item, expected)
    assert "<ds-item-search-result-list-element>" in source_line(SAVED, item.line)


@pytest.mark.parametrize("expected", SAVED_ITEMS, ids=lambda row: f"item{row['position']}")
def test_dspace7_saved_item_roles(expected):
    item = item_at(parse_fixture(SAVED), expected["position"])
    assert_record_fields(item, expected["roles"])


def test_dspace7_item_without_contributors():
    authors = ('<span class="item-list-authors"><span><span>Brandvold, Signe</span><span>; </span></span>'
               '<span><span>Ødegård, Halvor</span></span></span>')
    text = read_fixture(SAVED).replace(authors, "")
    item = item_at(parse_html(text), 4)
    assert item.contributors == []
    assert item.contributor_line_complete is True
    assert item.problem == "no contributors"


def test_dspace7_saved_abstract_keeps_line_breaks():
    item = item_at(parse_fixture(SAVED), 2)
    assert item.abstract == (
        "Leaks waste a fifth of the treated water in many cities. We show that a handful of hydrophones, placed by "
        "a greedy algorithm, can locate a leak to within 8 m in a network of 1,200 pipes.\n\nField trials in "
        "Västerby confirmed the method’s accuracy under traffic noise."
    )


def test_dspace7_saved_show_more_buttons_ignored():
    item = item_at(parse_fixture(SAVED), 1)
    assert item.contributors[-1] == UNIVERSITY
    assert item.abstract.endswith("channel dredging should be timed to neap tides.")


# --- DSpace 7, saved from the server response with its transfer state ----------------------------------

STATE = "dspace7-server-rendered-state.html"
STATE_BASE = "http://127.0.0.1:4000/items/"

STATE_ITEMS = [
    dict(
        position=1, line=28, title="Soil & Water Conservation on Terraced Hillslopes of the Ardennes", date="2021",
        contributors=["Lefèvre, Aurélie", "Marchetti, Paolo", "Geography", REPOSITORY, UNIVERSITY],
        group_publisher=None, thumbnail=True, item_type="Item",
        uuid="0c8e4f2a-5b7d-4e1c-9a3f-6d2b8e0f4a17", url=STATE_BASE + "0c8e4f2a-5b7d-4e1c-9a3f-6d2b8e0f4a17",
        handle="http://hdl.handle.net/11990/1301", authors_only=False, abstract_complete=True, problem=None,
        head="Stone terraces slow runoff, but many in ", tail="” repairs recovered most of the benefit.",
        roles=dict(authors=["Lefèvre, Aurélie"], advisors=["Marchetti, Paolo"], department="Geography",
                   publishers=[REPOSITORY, UNIVERSITY], degree=None, date_issued="2021", type="Thesis",
                   subjects=["Soil erosion", "Agricultural terraces", "Physical geography"], language="en",
                   handle="http://hdl.handle.net/11990/1301", printed={}, guesses=[]),
    ),
    dict(
        position=2, line=45, title="Urban Heat Islands and Night-Time Cooling in Mid-Sized Cities", date="2022",
        contributors=["Ekström, Linnea", "Balogun, Tunde", "Achterberg, Femke", "Geographical Sciences",
                      REPOSITORY, UNIVERSITY],
        group_publisher=None, thumbnail=False, item_type="Item",
        uuid="6b1f9d3e-2a4c-4f8b-a7e6-3c5d1e9b0f28", url=STATE_BASE + "6b1f9d3e-2a4c-4f8b-a7e6-3c5d1e9b0f28",
        handle="http://hdl.handle.net/11990/1302", authors_only=False, abstract_complete=True, problem=None,
        head="Night-time cooling rates were measured a", tail="d. Street trees offset part of the loss.",
        roles=dict(authors=["Ekström, Linnea"], advisors=["Balogun, Tunde", "Achterberg, Femke"],
                   department="Geographical Sciences", publishers=[REPOSITORY, UNIVERSITY],
                   degree="Doctor of Philosophy", date_issued="2022", type="Dissertation",
                   subjects=["Urban climate"], language="en", handle="http://hdl.handle.net/11990/1302",
                   printed={}, guesses=[]),
    ),
    dict(
        position=3, line=62, title="Mapping Informal Trails with Crowd-Sourced GPS Traces", date="2023",
        contributors=["Halvorsen, Sawyer", "Lindgren, Maja", REPOSITORY, UNIVERSITY],
        group_publisher=None, thumbnail=True, item_type="Item",
        uuid="d7a3c5e1-9f2b-4d6a-8c4e-0b7f3a1d5e96", url=STATE_BASE + "d7a3c5e1-9f2b-4d6a-8c4e-0b7f3a1d5e96",
        handle="http://hdl.handle.net/11990/1303", authors_only=False, abstract_complete=True, problem=None,
        head="Hikers create informal trails that land ", tail="t field surveys. Precision reached 0.91.",
        roles=dict(authors=["Halvorsen, Sawyer"], advisors=["Lindgren, Maja"], department=None,
                   publishers=[REPOSITORY, UNIVERSITY], degree=None, date_issued="2023", type="Thesis",
                   subjects=["Trails", "Volunteered geographic information"], language="en",
                   handle="http://hdl.handle.net/11990/1303", printed={}, guesses=[]),
    ),
]


def test_dspace7_state_page_header():
    page = parse_fixture(STATE)
    assert page.format == "dspace7-html"
    assert page.scope.name == "Geography and Environmental Systems Theses"
    assert page.scope.kind == "collection"
    assert page.scope.handle == "http://hdl.handle.net/11990/1207"
    assert page.scope.description == (
        "Master's theses and doctoral dissertations in geography, environmental systems and geographic "
        "information science."
    )
    assert (page.count.first, page.count.last, page.count.total) == (None, None, 3)
    assert page.count.printed == "3 results"
    assert len(page.items) == 3
    assert page.notes == []
    assert page.truncated is False


@pytest.mark.parametrize("expected", STATE_ITEMS, ids=lambda row: f"item{row['position']}")
def test_dspace7_state_item_fields(expected):
    item = item_at(parse_fixture(STATE), expected["position"])
    assert_listing_fields(item, expected)
    assert "<ds-item-search-result-list-element" in source_line(STATE, item.line)


@pytest.mark.parametrize("expected", STATE_ITEMS, ids=lambda row: f"item{row['position']}")
def test_dspace7_state_item_roles(expected):
    item = item_at(parse_fixture(STATE), expected["position"])
    candidate = candidate_from_item(item, "department")
    assert candidate.exact_roles is True
    assert_record_fields(item, expected["roles"])


def test_dspace7_state_exact_metadata():
    item = item_at(parse_fixture(STATE), 2)
    exact = item.exact
    assert exact.authors == ["Ekström, Linnea"]
    assert exact.advisors == ["Balogun, Tunde", "Achterberg, Femke"]
    assert exact.departments == ["Geographical Sciences"]
    assert exact.publishers == [REPOSITORY, UNIVERSITY]
    assert exact.title == "Urban Heat Islands and Night-Time Cooling in Mid-Sized Cities"
    assert exact.date_issued == "2022"
    assert exact.type == "Dissertation"
    assert exact.language == "en"
    assert exact.degree == "Doctor of Philosophy"
    assert exact.handle == "http://hdl.handle.net/11990/1302"


def test_dspace7_state_escapes_decoded():
    page = parse_fixture(STATE)
    assert item_at(page, 1).exact.title == "Soil & Water Conservation on Terraced Hillslopes of the Ardennes"
    assert "Farmers' “low-effort” repairs" in item_at(page, 1).exact.abstract
    assert "sky-view factor was < 0.4" in item_at(page, 2).exact.abstract


def test_dspace7_inference_alone_misreads_advisor():
    """The visible list of item 3 has no department, so inference alone would make both persons authors."""
    item = item_at(parse_fixture(STATE), 3)
    item.exact = None
    inferred = candidate_from_item(item, "department")
    assert inferred.fields["authors"] == ["Halvorsen, Sawyer", "Lindgren, Maja"]
    assert inferred.fields["advisors"] == []


def test_dspace7_state_title_disagreement_noted():
    visible = ">Mapping Informal Trails with Crowd-Sourced GPS Traces</a>"
    text = read_fixture(STATE).replace(visible, ">Mapping Informal Trails</a>")
    page = parse_html(text)
    item = item_at(page, 3)
    assert item.title == "Mapping Informal Trails with Crowd-Sourced GPS Traces"
    assert page.notes == [
        "item 3 (line 62): the visible title 'Mapping Informal Trails' differs from the metadata "
        "'Mapping Informal Trails with Crowd-Sourced GPS Traces'; used the metadata"
    ]


def test_dspace7_state_missing_contributor_noted():
    text = read_fixture(STATE).replace("<span _ngcontent-dspace-angular-c98=\"\">Marchetti, Paolo</span>", "")
    page = parse_html(text)
    assert item_at(page, 1).contributors == ["Lefèvre, Aurélie", "Geography", REPOSITORY, UNIVERSITY]
    assert item_at(page, 1).exact.advisors == ["Marchetti, Paolo"]
    assert page.notes == [
        "item 1 (line 28): the visible contributor list lacks Marchetti, Paolo, which the metadata gives"
    ]


def test_dspace7_state_unknown_item_noted():
    text = read_fixture(STATE).replace('href="/items/d7a3c5e1-9f2b-4d6a-8c4e-0b7f3a1d5e96"',
                                       'href="/items/d7a3c5e1-9f2b-4d6a-8c4e-000000000000"')
    page = parse_html(text)
    item = item_at(page, 3)
    assert item.exact is None
    assert item.handle is None
    assert page.notes == ["item 3 (line 62): not in the embedded metadata; roles were inferred from the visible text"]


def test_dspace7_state_cut_inside_script():
    text = read_fixture(STATE)
    page = parse_html(text[:text.index("&q;dc.contributor.author&q;")])
    assert [item.exact for item in page.items] == [None, None, None]
    assert [item.problem for item in page.items] == [None, None, None]
    assert page.truncated is False
    assert len(page.notes) == 1
    assert page.notes[0].startswith("the embedded metadata (script #dspace-angular-state) is not valid JSON (")
    assert page.notes[0].endswith("); roles were inferred from the visible text")


def test_dspace7_state_unescaped_form():
    """Newer Angular releases write the transfer state as plain JSON, without &q; entities."""
    text = read_fixture(STATE)
    start = text.index('<script id="dspace-angular-state"')
    escaped = text[text.index(">", start) + 1:text.index("</script>", start)]
    plain = escaped.replace("&q;", '"').replace("&s;", "'").replace("&l;", "<").replace("&g;", ">").replace("&a;", "&")
    page = parse_html(text.replace(escaped, plain))
    assert [item.handle for item in page.items] == [
        "http://hdl.handle.net/11990/1301", "http://hdl.handle.net/11990/1302", "http://hdl.handle.net/11990/1303",
    ]
    assert item_at(page, 1).exact.title == "Soil & Water Conservation on Terraced Hillslopes of the Ardennes"


# --- DSpace 7 community page listing sub-communities and collections ------------------------------------

COMMUNITY = "dspace7-community-subcommunities.html"


def test_dspace7_community_lists_containers():
    page = parse_fixture(COMMUNITY)
    assert page.format == "dspace7-html"
    assert page.items == []
    assert page.containers == [
        "Centre for Glacier & Ice-Sheet Studies",
        "Marine Geochemistry",
        "Paleoclimate Laboratory – Ruiz-Tagle Archive",
        "Earth and Ocean Studies Theses and Dissertations",
        "Earth and Ocean Studies Faculty Publications",
    ]
    assert page.container_kind == "sub-communities and collections"


def test_dspace7_community_header():
    page = parse_fixture(COMMUNITY)
    assert page.scope.name == "School of Earth and Ocean Studies"
    assert page.scope.kind == "community"
    assert page.scope.handle == "http://hdl.handle.net/11990/1100"
    assert page.scope.description == (
        "Research and theses of the School of Earth and Ocean Studies, including the former "
        "Institut für Küstenforschung."
    )
    assert page.count.printed == "Now showing 1 - 3 of 3"
    assert page.truncated is False


def test_dspace7_community_one_kind():
    text = read_fixture(COMMUNITY)
    start = text.index("<ds-community-page-sub-collection-list>")
    end = text.index("</ds-community-page-sub-collection-list>") + len("</ds-community-page-sub-collection-list>")
    page = parse_html(text[:start] + text[end:])
    assert page.container_kind == "sub-communities"
    assert len(page.containers) == 3


# --- a DSpace 7 page cut off in the middle of an item ----------------------------------------------------

TRUNCATED = "dspace7-truncated-mid-item.html"


def test_truncated_page_keeps_complete_items():
    page = parse_fixture(TRUNCATED)
    assert page.truncated is True
    assert page.scope.kind is None
    assert page.count.printed == "Now showing 1 - 10 of 58"
    assert [item.problem for item in page.items] == [None, None, "cut before its contributor line"]
    assert [item.line for item in page.items] == [19, 35, 51]


def test_truncated_page_complete_item_fields():
    page = parse_fixture(TRUNCATED)
    first, second = item_at(page, 1), item_at(page, 2)
    assert first.title == "Groundwater Recharge beneath Irrigated Orchards in the Río Tinto Basin"
    assert first.date == "2020-09"
    assert first.contributors == ["Ibáñez Soler, Carmen", "Whitlock, Graham", "Geology", REPOSITORY]
    assert first.abstract[-40:] == " under the flood irrigation it replaced."
    assert first.thumbnail is True
    assert second.title == "Seismic Anisotropy of the Lower Crust beneath the Øresund"
    assert second.contributors == ["Kjærgaard, Nils Peter", "Moreau-Diallo, Awa", "Geophysics"]
    assert second.abstract[-40:] == "s sills intruded during Permian rifting."
    assert second.thumbnail is False


def test_truncated_page_cut_item_fields():
    item = item_at(parse_fixture(TRUNCATED), 3)
    assert item.title == "Coastal Fog Frequency and Redwood Water Use"
    assert item.uuid == "5d7f9b1c-3e5a-4c8d-9f2b-4a6c8e0a2d53"
    assert item.url == "/items/5d7f9b1c-3e5a-4c8d-9f2b-4a6c8e0a2d53"
    assert item.thumbnail is True
    assert item.date is None
    assert item.contributors == []
    assert item.abstract is None


def test_cut_inside_contributor_list():
    page = parse_cut(SAVED, "<span><span>Brandvold, Signe</span><span>; </span></span><span><span>Ødeg")
    item = item_at(page, 4)
    assert item.contributors == ["Brandvold, Signe", "Ødeg"]
    assert item.contributor_line_complete is False
    assert item.problem == "cut inside its contributor list"
    assert page.truncated is True


def test_cut_inside_abstract():
    page = parse_cut(SAVED, "exceeds 30 percentage points. A design")
    item = item_at(page, 3)
    assert len(page.items) == 3
    assert item.abstract == (
        "Timber connections lose stiffness when moisture cycles swell and shrink the wood around each bolt. "
        "Tests on 48 glulam specimens show that fatigue life halves once the humidity range exceeds 30 percentage "
        "points. A design"
    )
    assert item.abstract_complete is False
    assert item.problem is None
    assert page.truncated is True


def test_cut_before_title():
    marker = "access-status-list-element-badge\">Open Access</span></span></ds-access-status-badge></ds-badges></div>"
    text = read_fixture(SAVED)
    end = text.rindex(marker) + len(marker)
    page = parse_html(text[:end])
    item = item_at(page, 4)
    assert item.title is None
    assert item.uuid == "7e5b3a1c-2d9f-4a6e-8b7c-1d0e9f8a6b52"
    assert item.problem == "cut before its title"


def test_cut_between_items():
    marker = "</ds-item-search-result-list-element></ds-listable-object-component-loader></li>"
    text = read_fixture(SAVED)
    end = text.index(marker, text.index("Fatigue of Bolted")) + len(marker)
    page = parse_html(text[:end])
    assert len(page.items) == 3
    assert [item.problem for item in page.items] == [None, None, None]
    assert page.truncated is False


def test_cut_item_skipped_by_ingest(tmp_path):
    content = tmp_path / "content"
    (content / "theses").mkdir(parents=True)
    report = ingest([FIXTURES / TRUNCATED], content, IngestOptions())
    outcomes = report.files[0].outcomes
    assert [outcome.status for outcome in outcomes] == ["created", "created", "skipped"]
    assert outcomes[2].reason == "cut before its contributor line"
    assert outcomes[2].line == 51


# --- DSpace 6 XMLUI (Mirage2) ------------------------------------------------------------------------

XMLUI = "xmlui-mirage2-collection.html"
XMLUI_BASE = "http://127.0.0.1:8080/xmlui/handle/11990/"

XMLUI_ITEMS = [
    dict(
        position=1, line=36, title="Evidentiality Marking in Three Andean Contact Varieties", date="2019-05-14",
        contributors=["Quispe Mamani, Rosalía", "Thorsen, Eirik"], group_publisher="Kestrel State University",
        thumbnail=True, item_type=None, uuid=None, url=XMLUI_BASE + "1433",
        handle="http://hdl.handle.net/11990/1433", exact=None, authors_only=True, abstract_complete=False,
        problem=None,
        head="Quechua and Aymara both mark how a speak", tail="to Spanish verb morphology, while the...",
        roles=dict(authors=["Quispe Mamani, Rosalía", "Thorsen, Eirik"], advisors=[], department=None,
                   publishers=["Kestrel State University"], date_issued="2019-05-14", printed={}, guesses=[]),
    ),
    dict(
        position=2, line=49, title="Prosodic Cues to Sentence Boundaries in Child-Directed Speech", date="2018",
        contributors=["Mbeki-Laurent, Océane"], group_publisher="Kestrel State University.",
        thumbnail=True, item_type=None, uuid=None, url=XMLUI_BASE + "1431",
        handle="http://hdl.handle.net/11990/1431", exact=None, authors_only=True, abstract_complete=True,
        problem=None,
        head="Caregivers lengthen the final syllable b", tail="nts attend to this cue from nine months.",
        roles=dict(authors=["Mbeki-Laurent, Océane"], advisors=[], department=None,
                   publishers=["Kestrel State University."], date_issued="2018", printed={}, guesses=[]),
    ),
    dict(
        position=3, line=62, title="Loanword Adaptation of Consonant Clusters in Tongan", date="2017",
        contributors=["Fifita, Sione"], group_publisher=None, abstract=None,
        thumbnail=False, item_type=None, uuid=None, url=XMLUI_BASE + "1427",
        handle="http://hdl.handle.net/11990/1427", exact=None, authors_only=True, abstract_complete=True,
        problem=None,
        roles=dict(authors=["Fifita, Sione"], advisors=[], department=None, publishers=[], date_issued="2017",
                   printed={}, guesses=[]),
    ),
]


def test_xmlui_page_header():
    page = parse_fixture(XMLUI)
    assert page.format == "xmlui-html"
    assert page.scope.name == "Theses – Department of Linguistics"
    assert page.scope.kind == "collection"
    assert page.scope.handle == "http://hdl.handle.net/11990/1420"
    assert (page.count.first, page.count.last, page.count.total) == (1, 3, 41)
    assert page.count.printed == "Now showing items 1-3 of 41"
    assert len(page.items) == 3
    assert page.notes == []
    assert page.truncated is False


@pytest.mark.parametrize("expected", XMLUI_ITEMS, ids=lambda row: f"item{row['position']}")
def test_xmlui_item_fields(expected):
    item = item_at(parse_fixture(XMLUI), expected["position"])
    assert_listing_fields(item, expected)
    assert 'class="ds-artifact-item' in source_line(XMLUI, item.line)


@pytest.mark.parametrize("expected", XMLUI_ITEMS, ids=lambda row: f"item{row['position']}")
def test_xmlui_item_roles(expected):
    item = item_at(parse_fixture(XMLUI), expected["position"])
    assert_record_fields(item, expected["roles"])


def test_xmlui_cut_inside_abstract():
    page = parse_cut(XMLUI, "Caregivers lengthen the final syllable")
    item = item_at(page, 2)
    assert len(page.items) == 2
    assert item.abstract == "Caregivers lengthen the final syllable"
    assert item.abstract_complete is False
    assert item.problem is None
    assert page.truncated is True


def test_xmlui_cut_before_authors():
    page = parse_cut(XMLUI, "Loanword Adaptation of Consonant Clusters in Tongan</a>")
    item = item_at(page, 3)
    assert item.title == "Loanword Adaptation of Consonant Clusters in Tongan"
    assert item.problem == "cut before its contributor line"


def test_xmlui_community_lists_containers():
    text = """<!DOCTYPE html>
<html><body><div id="aspect_artifactbrowser_CommunityViewer_div_community-home" class="ds-static-div primary">
<h2 class="page-header first-page-header">Faculty of Arts</h2>
<h3 class="ds-div-head">Sub-communities within this community</h3>
<ul class="ds-artifact-list list-unstyled">
<li class="ds-artifact-item odd"><div class="artifact-description"><h4 class="artifact-title">
<a href="/xmlui/handle/11990/1401"><span class="Z3988">Department of Linguistics</span></a> [41]</h4></div></li>
<li class="ds-artifact-item even"><div class="artifact-description"><h4 class="artifact-title">
<a href="/xmlui/handle/11990/1402"><span class="Z3988">Département d’Études Françaises</span></a></h4></div></li>
</ul>
</div></body></html>
"""
    page = parse_html(text)
    assert page.format == "xmlui-html"
    assert page.scope.name == "Faculty of Arts"
    assert page.scope.kind == "community"
    assert page.items == []
    assert page.containers == ["Department of Linguistics", "Département d’Études Françaises"]
    assert page.container_kind == "sub-communities"


# --- DSpace JSPUI ----------------------------------------------------------------------------------

JSPUI = "jspui-results-table.html"
JSPUI_BASE = "http://127.0.0.1:8080/jspui/handle/11990/"

JSPUI_ITEMS = [
    dict(
        position=1, line=52, title="Kelp Forest Recovery after Urchin Barrens", date="20-Aug-2010",
        contributors=["Ngata, Aroha", "Villalobos, Iñaki"], group_publisher=None, abstract=None, thumbnail=None,
        item_type=None, uuid=None, url=JSPUI_BASE + "2001", handle="http://hdl.handle.net/11990/2001",
        exact=None, authors_only=True, abstract_complete=True, problem=None,
        roles=dict(authors=["Ngata, Aroha", "Villalobos, Iñaki"], advisors=[], department=None, publishers=[],
                   date_issued="2010-08-20", printed={"date_issued": "20-Aug-2010"}, guesses=[]),
    ),
    dict(
        position=2, line=53, title="Larval Dispersal of the Blue Swimmer Crab in Shallow Lagoons", date="3-May-2009",
        contributors=["Søndergaard, Mette"], group_publisher=None, abstract=None, thumbnail=None,
        item_type=None, uuid=None, url=JSPUI_BASE + "1987", handle="http://hdl.handle.net/11990/1987",
        exact=None, authors_only=True, abstract_complete=True, problem=None,
        roles=dict(authors=["Søndergaard, Mette"], advisors=[], department=None, publishers=[],
                   date_issued="2009-05-03", printed={"date_issued": "3-May-2009"}, guesses=[]),
    ),
    dict(
        position=3, line=54, title="Otolith Chemistry as a Tracer of Estuarine Nursery Use", date="14-Dec-2008",
        contributors=["Whitcombe, Ellis", "Park, Seo-yeon", "Abernathy, Colm"], group_publisher=None, abstract=None,
        thumbnail=None, item_type=None, uuid=None, url=JSPUI_BASE + "1954", handle="http://hdl.handle.net/11990/1954",
        exact=None, authors_only=True, abstract_complete=True, problem=None,
        roles=dict(authors=["Whitcombe, Ellis", "Park, Seo-yeon", "Abernathy, Colm"], advisors=[], department=None,
                   publishers=[], date_issued="2008-12-14", printed={"date_issued": "14-Dec-2008"}, guesses=[]),
    ),
]


def test_jspui_page_header():
    page = parse_fixture(JSPUI)
    assert page.format == "jspui-html"
    assert page.scope.name == "Theses - Marine Biology"
    assert page.scope.kind is None
    assert page.scope.handle == "http://hdl.handle.net/11990/1900"
    assert (page.count.first, page.count.last, page.count.total) == (1, 3, 73)
    assert page.count.printed == "Showing results 1 to 3 of 73"
    assert len(page.items) == 3
    assert page.notes == ['item 3 (line 54): the author list ends in "et al.", so only the authors shown were kept']
    assert page.truncated is False


@pytest.mark.parametrize("expected", JSPUI_ITEMS, ids=lambda row: f"item{row['position']}")
def test_jspui_item_fields(expected):
    item = item_at(parse_fixture(JSPUI), expected["position"])
    assert_listing_fields(item, expected)
    assert f'<td headers="t2"><a href="/jspui/handle/11990/{item.url[-4:]}">' in source_line(JSPUI, item.line)


@pytest.mark.parametrize("expected", JSPUI_ITEMS, ids=lambda row: f"item{row['position']}")
def test_jspui_item_roles(expected):
    item = item_at(parse_fixture(JSPUI), expected["position"])
    assert_record_fields(item, expected["roles"])


def test_jspui_empty_cells():
    date_cell = '<td headers="t1" nowrap="nowrap" align="right">3-May-2009</td>'
    author_cell = ('<td headers="t3"><em><a href="/jspui/browse?type=author&amp;value=S%C3%B8ndergaard%2C+Mette">'
                   'Søndergaard, Mette</a></em></td>')
    text = read_fixture(JSPUI).replace(date_cell, '<td headers="t1" nowrap="nowrap" align="right">-</td>')
    text = text.replace(author_cell, '<td headers="t3">-</td>')
    item = item_at(parse_html(text), 2)
    assert item.date is None
    assert item.contributors == []
    assert item.problem == "no contributors"


def test_jspui_collection_home_scope():
    text = read_fixture(JSPUI).replace(
        '<h2>Browsing "Theses - Marine Biology" by Issue Date</h2>',
        "<h2>Theses - Marine Biology <small>Collection home page</small></h2>",
    )
    page = parse_html(text)
    assert page.scope.name == "Theses - Marine Biology"
    assert page.scope.kind == "collection"


def test_jspui_cut_inside_authors():
    page = parse_cut(JSPUI, '<a href="/jspui/browse?type=author&amp;value=Whitcombe%2C+Ellis">Whitcombe, Ellis</a>; ')
    item = item_at(page, 3)
    assert item.contributors == ["Whitcombe, Ellis"]
    assert item.problem == "cut inside its contributor list"
    assert page.truncated is True


def test_jspui_community_lists_containers():
    text = """<html><head><meta name="Generator" content="DSpace 6.2"></head><body>
<h2>School of Marine Sciences <small>Community home page</small></h2>
<h3>Collections in this community</h3>
<div class="list-group">
<div class="list-group-item row"><h4 class="list-group-item-heading"><a href="/jspui/handle/11990/1900">Theses - Marine Biology</a>
<span class="badge pull-right">73</span></h4></div>
<div class="list-group-item row"><h4 class="list-group-item-heading"><a href="/jspui/handle/11990/1901">Theses - Oceanography</a></h4></div>
</div>
</body></html>"""
    page = parse_html(text)
    assert page.format == "jspui-html"
    assert page.scope.name == "School of Marine Sciences"
    assert page.scope.kind == "community"
    assert page.containers == ["Theses - Marine Biology", "Theses - Oceanography"]
    assert page.container_kind == "collections"


# --- pages that are not listings, and detection ---------------------------------------------------------


def test_plain_html_is_not_a_listing():
    text = "<!DOCTYPE html>\n<html><body><h1>Opening hours</h1><p>Monday to Friday.</p></body></html>\n"
    assert parse_html(text) is None
    with pytest.raises(NotAListingPage, match="hours.html: HTML, but not a DSpace listing page"):
        parse_listing(text, "hours.html")


def test_dspace7_item_page_is_not_a_listing():
    text = "<html><body><ds-app><ds-item-page><h1>A single thesis</h1></ds-item-page></ds-app></body></html>"
    assert parse_html(text) is None


@pytest.mark.parametrize(
    "start",
    [
        "\ufeff<!DOCTYPE html>\n<html>",
        "\n\n  <!DOCTYPE html>\n<html>",
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html>',
        "<!-- saved from url=(0022)http://127.0.0.1:4000/ -->\n<html>",
        "<!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"ie6\"> <![endif]-->\n<html>",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"xhtml1-strict.dtd\">\n<html>",
        "<ds-app><ds-root>",
    ],
    ids=["bom", "blank-lines", "xml-declaration", "saved-from-comment", "conditional-comment", "xhtml-doctype",
         "fragment"],
)
def test_looks_like_html_saved_page_starts(start):
    assert looks_like_html(start + "<body></body></html>")


@pytest.mark.parametrize("text", ["Now showing 1 - 10 of 22\n", "(2024) Family, Given; Other, Name\n",
                                  "A < B and C > D"])
def test_looks_like_html_rejects_text(text):
    assert not looks_like_html(text)


@pytest.mark.parametrize("name", [SAVED, STATE, COMMUNITY, XMLUI, JSPUI, TRUNCATED])
def test_fixture_detected_as_html(name):
    assert looks_like_html(read_fixture(name))


# --- end to end: a text copy first, then the server-rendered HTML of the same items ----------------------

TEXT_COPY = "dspace7-server-rendered-copy.txt"


def test_html_updates_records_from_text_copy(tmp_path):
    content = tmp_path / "content"
    (content / "theses").mkdir(parents=True)

    first = ingest([FIXTURES / TEXT_COPY], content, IngestOptions())
    assert first.failed == []
    assert first.total("created") == 3
    before = {path.stem: records.read_record(path).data for path in sorted((content / "theses").glob("*.yaml"))}
    assert [record["handle"] for record in before.values()] == [None, None, None]
    assert before["halvorsen-2023-mapping-informal-trails-with"]["authors"] == ["Halvorsen, Sawyer", "Lindgren, Maja"]

    second = ingest([FIXTURES / STATE], content, IngestOptions())
    assert second.failed == []
    assert [outcome.status for outcome in second.files[0].outcomes] == ["updated", "updated", "updated"]
    after = {path.stem: records.read_record(path).data for path in sorted((content / "theses").glob("*.yaml"))}
    assert sorted(after) == sorted(before)
    assert {record_id: record["handle"] for record_id, record in after.items()} == {
        "lefevre-2021-soil-water-conservation-on": "http://hdl.handle.net/11990/1301",
        "ekstrom-2022-urban-heat-islands-and": "http://hdl.handle.net/11990/1302",
        "halvorsen-2023-mapping-informal-trails-with": "http://hdl.handle.net/11990/1303",
    }
    trails = after["halvorsen-2023-mapping-informal-trails-with"]
    assert trails["authors"] == ["Halvorsen, Sawyer"]
    assert trails["advisors"] == ["Lindgren, Maja"]
    assert trails["source_url"] == STATE_BASE + "d7a3c5e1-9f2b-4d6a-8c4e-0b7f3a1d5e96"
    assert trails["source"]["roles"] == "exact"
    assert trails["source"]["format"] == "dspace7-html"
