"""Each corpus page (text copies of real listing renderings) parses as tests/fixtures/corpus/README.md describes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, load_records, run_ingest
from shelfmark.ingest import candidate_from_item
from shelfmark.ingest_report import format_report
from shelfmark.listing.detect import parse_listing

DRUM = "Digital Repository at the University of Maryland"
UMD = "University of Maryland (College Park, Md.)"
UMD_TD = ("Theses and Dissertations from UMD", "community", "http://hdl.handle.net/1903/2")
NO_SCOPE = (None, None, None)

# file -> format, count (first, last, total, printed) or None, scope (name, kind, handle), complete and cut items.
# An item is cut when the file ends inside it or a part it needs (title, contributor line) is missing.
PAGES = {
    "dspace7-community-bullets.txt": dict(
        format="dspace7-text", count=(1, 10, 40, "Now showing 1 - 10 of 40"), scope=UMD_TD, complete=0, cut=1),
    "dspace7-glued-results-count.txt": dict(
        format="dspace7-text", count=(None, None, 106, "106 results"), scope=UMD_TD, complete=0, cut=1),
    "dspace7-collection-comma-department.txt": dict(
        format="dspace7-text", count=(1, 10, 31, "Now showing 1 - 10 of 31"),
        scope=("UMD Theses and Dissertations", "collection", "http://hdl.handle.net/1903/3"), complete=0, cut=1),
    "dspace7-item-type-badge-glued.txt": dict(format="dspace7-text", count=None, scope=NO_SCOPE, complete=0, cut=1),
    "dspace7-community-bullets-caps-title.txt": dict(
        format="dspace7-text", count=(1, 2, 2, "Now showing 1 - 2 of 2"), scope=UMD_TD, complete=0, cut=1),
    "dspace7-glued-cut-in-names.txt": dict(
        format="dspace7-text", count=(None, None, 3, "3 results"), scope=UMD_TD, complete=1, cut=1),
    "dspace7-collection-no-handle-degree.txt": dict(
        format="dspace7-text", count=(1, 4, 4, "Now showing 1 - 4 of 4"),
        scope=("Halden University Dissertation and Theses", "collection", None), complete=0, cut=1),
    "dspace7-subcommunities-not-items.txt": dict(
        format="dspace7-text", count=(1, 10, 10, "Now showing 1 - 10 of 10"), scope=(None, "community", None),
        complete=0, cut=0),
    "dspace7-home-unindented-item.txt": dict(format="dspace7-text", count=None, scope=NO_SCOPE, complete=0, cut=1),
    "dspace7-browse-by-date-glued.txt": dict(format="dspace7-text", count=None, scope=NO_SCOPE, complete=2, cut=1),
    "dspace7-glued-natural-order-names.txt": dict(
        format="dspace7-text", count=None, scope=("Undergraduate Senior Theses", "collection", None), complete=1, cut=1),
    "xmlui-recent-submissions-one-item.txt": dict(format="xmlui-text", count=None, scope=NO_SCOPE, complete=0, cut=1),
    "xmlui-no-abstracts.txt": dict(format="xmlui-text", count=None, scope=NO_SCOPE, complete=2, cut=1),
    "dspace7-dash-list-glued-items.txt": dict(
        format="dspace7-text", count=None, scope=("Graduate Theses", "collection", None), complete=1, cut=1),
    "dspace7-unbulleted-missing-title.txt": dict(format="dspace7-text", count=None, scope=NO_SCOPE, complete=2, cut=1),
}


def item(file, position, line, title, date, authors, advisors=(), department=None, publishers=(DRUM, UMD),
         degree=None, head=None, tail=None, complete=True, thumbnail=None, item_type="Item", problem=None):
    return dict(file=file, position=position, line=line, title=title, date=date, authors=list(authors),
                advisors=list(advisors), department=department, publishers=list(publishers), degree=degree,
                head=head, tail=tail, complete=complete, thumbnail=thumbnail, item_type=item_type, problem=problem)


# Every item that can become a record; "head" and "tail" are the first and last 30 characters of the abstract.
ITEMS = [
    item("dspace7-community-bullets.txt", 1, 14,
         "Holding the Door Open: Peer Mentoring, Caseload Pressure, and Burnout among Residence Life Coordinators "
         "at Four Public Research Universities",
         "2024", ["Brandvold, Tessa Whitlock"], ["Quiñones, Marisol"], "Counseling and Personnel Services",
         head="Residence life coordinators si", tail="an by individual weakness, and", complete=False, thumbnail=True),
    item("dspace7-glued-results-count.txt", 1, 8,
         "CREDIT, CARE & THE CORNER STORE: AN ORAL HISTORY OF IMMIGRANT SHOPKEEPERS’ TIES TO MID-ATLANTIC "
         "NEIGHBORHOODS",
         "2022", ["Adeyemi, Folasade Renée"], ["Harcastle-Nwosu, Imani"], "American Studies",
         head="Corner stores run by immigrant", tail="ng in MARNs was negotiated one", complete=False),
    item("dspace7-collection-comma-department.txt", 1, 14,
         "Keeping Two Languages in the Classroom: Organizational Ambidexterity and the Survival of Rural "
         "Dual-Language Programs",
         "2024", ["Lindqvist, Aurelio Bram"], ["Małecka, Dorota J"], "Education Policy, and Leadership",
         head="Dual-language programs promise", tail=" offices built small, protecte", complete=False, thumbnail=True),
    item("dspace7-item-type-badge-glued.txt", 1, 8,
         "Paving the Periphery: Participatory Budgeting, Ward Inequality, and Municipal Service Delivery in the "
         "Secondary Cities of Southeast Asia",
         "2025-11", ["Santoso, Hendrawan"], ["Kettering, Al", "Hallowell, Benedikt", "Daniel, Spyridon"],
         "University of Ashgrove. College of Public Affairs, School of Public and International Affairs",
         publishers=[], degree="University of Ashgrove. Doctor of Public Adimistration",
         head="Participatory budgeting has sp", tail="rrangements—standing ward coun", complete=False),
    item("dspace7-community-bullets-caps-title.txt", 1, 14,
         "DESIGNING POLLINATOR CORRIDORS FOR SCHOOLYARDS IN LOW-CANOPY URBAN NEIGHBORHOODS",
         "2023", ["Oyelaran, Kerri-Lyn"], ["Brøndum, Helle A"], "Plant Science and Landscape Architecture (PSLA)",
         head="Schoolyards cover a surprising", tail=" The proposal pairs planted sw", complete=False, thumbnail=True),
    item("dspace7-glued-cut-in-names.txt", 1, 8,
         "Good-Enough Metadata: Cataloging Support for Volunteer-Run Community Oral History Archives",
         "2020", ["Ferreira, Joanna Beatriz"], ["Szymańska, Agata"], "Library & Information Services",
         head="Community oral history archive", tail="hile protecting future access."),
    item("dspace7-collection-no-handle-degree.txt", 1, 9,
         "Lines on the Water: Colonial Survey Charts as Evidence in Present-Day Fishing Disputes",
         "2019-10-25", ["Grant, Tobias"], ["Neville, Marcus R.", "Ashdown, Fiona", "Okafor, Chidi E."],
         "History and Geography", publishers=[], degree="Master of Arts",
         head="When fishing communities in We", tail=" charts alongside the oral tra", complete=False, thumbnail=False),
    item("dspace7-home-unindented-item.txt", 1, 19,
         "Mapping heat exposure along public transit corridors in mid-sized Maryland cities",
         "2020-02-07", ["Talukdar, Rafiul H."], ["Lemieux, Étienne"],
         "Larkmoor University. Department of Geography & Environmental Planning", publishers=[],
         head="Heat is now the deadliest weat", tail=" trees. The results suggest th", complete=False, thumbnail=False),
    item("dspace7-browse-by-date-glued.txt", 1, 1, "Achterberg transcripts 2023",
         "0023-08-24", ["Achterberg, Lucinda", "Osei, Kwabena"], publishers=[]),
    item("dspace7-browse-by-date-glued.txt", 2, 1,
         "Thermal Conduction in Compressed Mixtures of Helium, Argon and Xenon",
         "1965", ["Whitcombe, Harold Ambrose"], ["Lindahl, Sven E."], "Physics",
         publishers=[DRUM, "University of Maryland (College Park, Md)"],
         head="A guarded hot-wire cell was us", tail="ple composition is+ 3 percent."),
    item("dspace7-browse-by-date-glued.txt", 3, 1, "Anomalous Skin-Effects in Warm Plasma Slabs",
         "1967", ["Sørlie, Arne W", "Castellanos, Rubén L"], publishers=["Cornell University Press"],
         head="A high-frequency field penetra", tail=" results when the slab is thic", complete=False),
    item("dspace7-glued-natural-order-names.txt", 1, 7,
         "ARTIFICIAL LIGHT AND NEST-SITE CHOICE IN DIAMONDBACK TERRAPINS (Malaclemys terrapin)",
         "2025-05", ["Halvorsen, Sawyer"], publishers=["University of Wexmoor"],
         head="Artificial light along develop", tail="tecting this estuarine turtle."),
    item("dspace7-glued-natural-order-names.txt", 2, 7,
         "COVER CROP MIXTURES, REDUCED TILLAGE, AND POULTRY LITTER: NITROGEN LOSSES FROM SANDY COASTAL PLAIN "
         "FIELDS UNDER TWO MANAGEMENT REGIMES",
         "2025-05", ["McFarlow, Maisie"], publishers=["University of Wexmoor"],
         head="Nitrogen leaching from sandy c", tail="concentrations, total soil nit", complete=False),
    item("xmlui-recent-submissions-one-item.txt", 1, 17, "SLEEP QUALITY IN NIGHT-SHIFT NURSES",
         "2021", ["Castañeda, Inmaculada", "Whitfield, Harper Louise"], publishers=["The University of Veldmark."],
         head="Roughly one in four hospital n", tail=" scheduled naps to melatonin s", complete=False, item_type=None),
    item("xmlui-no-abstracts.txt", 1, 14, "A Study of Coastal Dialects and Their Fading Vocabulary",
         "2019-05", ["Pennington, Graham", "Haddad, Karim"], publishers=["The University of Veldmark."], item_type=None),
    item("xmlui-no-abstracts.txt", 2, 17,
         "Detecting Anomalies In Logs From Distributed HPC Storage With GPU Acceleration",
         "2019-05", ["Xu, Lan", "Oberlin, Matthias", "von Stellwag, Jonas"], publishers=["The University of Veldmark."],
         item_type=None),
    item("dspace7-dash-list-glued-items.txt", 1, 5,
         "Fine Print and Front Doors: Tenant Organizing, Municipal Mediation, and the 2016 Harbourview Rent Strike",
         "2025-04", ["Qiao, Yuning"], publishers=["Mount Saint Aldric University"],
         head="When tenants in three Harbourv", tail="ather than a settlement of it."),
    item("dspace7-dash-list-glued-items.txt", 2, 6,
         "Adolescents’ Late-Night Screens: Sleep, Stress, and Next-Day Mood Across Two School Weeks",
         "2025-04", ["Tan Morales, Priscilla Anne"], publishers=["Mount Saint Aldric University"],
         head="Late-night phone use is common", tail="leep Habits Inventory (ASHI) (", complete=False),
    item("dspace7-unbulleted-missing-title.txt", 1, 1,
         "Drawn Cities: on memory and the street in graphic novels by Noémie Castagnède, Inès Taleb and "
         "Solène Marivaux",
         "2024", ["Brünner, Thomas Leopold"], ["Marchetti, Hélène"], "French Language and Literature",
         head="Read side by side, Rues d’été ", tail=" the city as a site of memory.", item_type=None),
    item("dspace7-unbulleted-missing-title.txt", 2, 4,
         "Can You Hear Me? Radio Drama's Return and the Close-Miked Voice in Mathieu Lérot, Nadir Benhadj, "
         "and Maëlle Rivès",
         "2024", ["Kovalenko, Oksana"], ["Marchetti, Hélène"], "French Language and Literature",
         head="Since the late 2010s, a small ", tail=" commuting, or falling asleep.", item_type=None),
]
ITEM_IDS = [f"{row['file'].removesuffix('.txt')}-{row['position']}" for row in ITEMS]

# Items that cannot become records: file, position, first line, reason, printed contributor values.
SKIPPED = [
    ("dspace7-glued-cut-in-names.txt", 2, 8, "cut inside its contributor list",
     ["Okonjo, Samuel Chidera", "Van Hulzen, Maarten", "Computer"]),
    ("dspace7-unbulleted-missing-title.txt", 3, 7, "no title",
     ["Darrow, Nathaniel", "Vik, Ilse", "Lau, Desmond", "Second Language Acquisition and Application", DRUM, UMD]),
    ("xmlui-no-abstracts.txt", 3, 21, "no title", ["Ferris, Maureen Holt", "Alcantara, Rosalind Joy"]),
]
SKIPPED_IDS = [f"{file.removesuffix('.txt')}-{position}" for file, position, *_ in SKIPPED]

_pages: dict[str, object] = {}


def parsed(name: str):
    if name not in _pages:
        path = CORPUS / name
        _pages[name] = parse_listing(path.read_text(encoding="utf-8"), str(path))
    return _pages[name]


def item_of(row_or_name, position: int | None = None):
    """The parsed item of an ITEMS row, or of a file name and position."""
    if isinstance(row_or_name, dict):
        row_or_name, position = row_or_name["file"], row_or_name["position"]
    return parsed(row_or_name).items[position - 1]


def fields_of(row_or_name, position: int | None = None) -> dict:
    return candidate_from_item(item_of(row_or_name, position), "department").fields


def report_lines(tmp_path: Path, name: str) -> list[str]:
    content = tmp_path / "content"
    report = run_ingest([CORPUS / name], content)
    return format_report(report)


def is_cut(listing_item) -> bool:
    return listing_item.problem is not None or not listing_item.abstract_complete


# --- the corpus itself -----------------------------------------------------------------------------


def test_corpus_files_all_listed():
    assert sorted(path.name for path in CORPUS.glob("*.txt")) == sorted(PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_corpus_file_no_final_newline(name):
    assert not (CORPUS / name).read_bytes().endswith(b"\n")


# --- pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_format(name):
    assert parsed(name).format == PAGES[name]["format"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_count(name):
    count = parsed(name).count
    found = None if count is None else (count.first, count.last, count.total, count.printed)
    assert found == PAGES[name]["count"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_scope(name):
    scope = parsed(name).scope
    assert (scope.name, scope.kind, scope.handle) == PAGES[name]["scope"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_complete_items(name):
    assert sum(1 for found in parsed(name).items if not is_cut(found)) == PAGES[name]["complete"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_cut_items(name):
    assert sum(1 for found in parsed(name).items if is_cut(found)) == PAGES[name]["cut"]


@pytest.mark.parametrize("name", sorted(set(PAGES) - {"dspace7-subcommunities-not-items.txt"}))
def test_page_truncated(name):
    assert parsed(name).truncated is True


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_positions_in_order(name):
    positions = [found.position for found in parsed(name).items]
    assert positions == list(range(1, len(positions) + 1))


def test_description_without_full_stop():
    description = parsed("dspace7-community-bullets.txt").scope.description
    assert description.split("\n\n")[0].endswith("can take as long as 4 months to show up in DRUM")


def test_description_keeps_typo():
    assert "a recenty approved thesis" in parsed("dspace7-community-bullets.txt").scope.description


def test_description_paragraphs():
    description = parsed("dspace7-collection-comma-department.txt").scope.description
    assert description.split("\n\n")[1] == (
        "Deposit timing and accepted formats are set out on the graduate theses page of the UMD Libraries."
    )


def test_description_missing_with_bare_uri_line():
    assert parsed("dspace7-collection-no-handle-degree.txt").scope.description is None


def test_description_keeps_straight_quotes():
    description = parsed("dspace7-glued-natural-order-names.txt").scope.description
    assert description.endswith('choose "Titles" at the top of the page or from the menu in the right-hand column, '
                                'beneath "Browse This Collection".')


def test_description_stops_at_browse():
    assert "Browse" not in parsed("dspace7-glued-results-count.txt").scope.description.split("\n\n")[-1]


# --- items ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_line(row):
    assert item_of(row).line == row["line"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_no_problem(row):
    assert item_of(row).problem is None


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_title(row):
    assert item_of(row).title == row["title"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_date_printed(row):
    assert item_of(row).date == row["date"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_thumbnail(row):
    assert item_of(row).thumbnail is row["thumbnail"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_type_badge(row):
    assert item_of(row).item_type == row["item_type"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_abstract_head(row):
    abstract = item_of(row).abstract
    assert (abstract[:30] if abstract else None) == row["head"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_abstract_tail(row):
    abstract = item_of(row).abstract
    assert (abstract[-30:] if abstract else None) == row["tail"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_item_abstract_complete(row):
    assert item_of(row).abstract_complete is row["complete"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_title(row):
    assert fields_of(row)["title"] == row["title"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_date_issued(row):
    assert fields_of(row)["date_issued"] == row["date"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_authors(row):
    assert fields_of(row)["authors"] == row["authors"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_advisors(row):
    assert fields_of(row)["advisors"] == row["advisors"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_department(row):
    assert fields_of(row)["department"] == row["department"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_publishers(row):
    assert fields_of(row)["publishers"] == row["publishers"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_degree(row):
    assert fields_of(row)["degree"] == row["degree"]


@pytest.mark.parametrize("row", ITEMS, ids=ITEM_IDS)
def test_fields_abstract_complete(row):
    assert fields_of(row)["abstract_complete"] is row["complete"]


# --- items that cannot become records --------------------------------------------------------------------


@pytest.mark.parametrize("row", SKIPPED, ids=SKIPPED_IDS)
def test_skipped_reason(row):
    name, position, _, reason, _ = row
    assert parsed(name).items[position - 1].problem == reason


@pytest.mark.parametrize("row", SKIPPED, ids=SKIPPED_IDS)
def test_skipped_line(row):
    name, position, line, _, _ = row
    assert parsed(name).items[position - 1].line == line


@pytest.mark.parametrize("row", SKIPPED, ids=SKIPPED_IDS)
def test_skipped_contributors(row):
    name, position, _, _, contributors = row
    assert parsed(name).items[position - 1].contributors == contributors


@pytest.mark.parametrize("row", SKIPPED, ids=SKIPPED_IDS)
def test_skipped_in_report(tmp_path, row):
    name, position, line, reason, _ = row
    assert f"  {CORPUS / name}: skipped item {position} (line {line}): {reason}" in report_lines(tmp_path, name)


def test_cut_in_names_title_kept():
    assert parsed("dspace7-glued-cut-in-names.txt").items[1].title == "Certifying Incremental Type Inference"


def test_cut_in_names_line_incomplete():
    assert parsed("dspace7-glued-cut-in-names.txt").items[1].contributor_line_complete is False


def test_cut_in_names_no_abstract():
    assert parsed("dspace7-glued-cut-in-names.txt").items[1].abstract is None


def test_missing_title_abstract_cut():
    assert parsed("dspace7-unbulleted-missing-title.txt").items[2].abstract == "How adult learne"


def test_xmlui_missing_title_abstract_head():
    abstract = parsed("xmlui-no-abstracts.txt").items[2].abstract
    assert abstract.startswith("Children in crowded public housing often sleep poorly")


# --- quirks named in the README ---------------------------------------------------------------------------


def test_comma_department_is_one_field():
    values = item_of("dspace7-collection-comma-department.txt", 1).contributors
    assert values[2] == "Education Policy, and Leadership"


def test_abstract_keeps_name_date_group():
    assert "(NCBS, n.d.), a standard that few" in item_of("dspace7-collection-comma-department.txt", 1).abstract


def test_abstract_keeps_curly_quotes():
    assert "“always-on-ness”" in item_of("dspace7-community-bullets.txt", 1).abstract


def test_abstract_keeps_citation_year():
    abstract = item_of("dspace7-glued-results-count.txt", 1).abstract
    assert "Establishments (2020) counted 212,640 small grocery" in abstract


def test_abstract_keeps_percentage_and_question():
    abstract = item_of("dspace7-glued-results-count.txt", 1).abstract
    assert "27.7%, to immigrant owners" in abstract
    assert "who was allowed to run one? Chapters" in abstract


def test_abstract_keeps_em_dash():
    assert "arrangements—standing" in item_of("dspace7-item-type-badge-glued.txt", 1).abstract


def test_abstract_keeps_en_dash_and_semicolon():
    abstract = item_of("dspace7-home-unindented-item.txt", 1).abstract
    assert "summers of 1995 – 2019 and" in abstract
    assert "hottest afternoons; Shaded stops" in abstract


def test_abstract_keeps_ocr_damage():
    abstract = item_of("dspace7-browse-by-date-glued.txt", 2).abstract
    assert "from minus s 0 c. to 80°c." in abstract
    assert "+ 4 x 10-6 cal/cm sec deg" in abstract


def test_abstract_keeps_parenthesised_list():
    assert "Three dimensionless groups (slab thickness over mean free path," in item_of("dspace7-browse-by-date-glued.txt", 3).abstract


def test_abstract_keeps_md_sentence():
    assert "two farms near Salisbury, Md. The plots compared" in item_of("dspace7-glued-natural-order-names.txt", 2).abstract


def test_abstract_keeps_measurements():
    abstract = item_of("dspace7-glued-natural-order-names.txt", 1).abstract
    assert "marked females (n=14)" in abstract
    assert "only 0.62x as often" in abstract
    assert "rated at 2200K near" in abstract


def test_abstract_keeps_cited_authors():
    abstract = item_of("dspace7-dash-list-glued-items.txt", 1).abstract
    assert "(Okwuosa-Brandt, 2019)" in abstract
    assert "Bergström’s (2020) approach" in abstract


def test_abstract_keeps_spaced_hyphens():
    assert "three techniques - proximity, breath, and silence - that" in item_of("dspace7-unbulleted-missing-title.txt", 2).abstract


def test_glued_badge_after_abstract():
    assert item_of("dspace7-glued-cut-in-names.txt", 1).abstract.endswith("while protecting future access.")


def test_species_name_kept_in_title():
    assert item_of("dspace7-glued-natural-order-names.txt", 1).title.endswith("DIAMONDBACK TERRAPINS (Malaclemys terrapin)")


def test_publisher_first_group():
    assert item_of("dspace7-glued-natural-order-names.txt", 1).group_publisher == "University of Wexmoor"


def test_press_group_publisher():
    assert item_of("dspace7-browse-by-date-glued.txt", 3).group_publisher == "Cornell University Press"


def test_castellanos_initial_split_from_abstract():
    assert item_of("dspace7-browse-by-date-glued.txt", 3).contributors == ["Sørlie, Arne W", "Castellanos, Rubén L"]


def test_castellanos_abstract_start():
    assert item_of("dspace7-browse-by-date-glued.txt", 3).abstract.startswith("A high-frequency field penetrates")


def test_glued_name_before_next_badge():
    assert item_of("dspace7-browse-by-date-glued.txt", 1).contributors == ["Achterberg, Lucinda", "Osei, Kwabena"]


def test_year_in_title_not_a_date():
    assert item_of("dspace7-browse-by-date-glued.txt", 1).title == "Achterberg transcripts 2023"


def test_year_0023_kept():
    assert fields_of("dspace7-browse-by-date-glued.txt", 1)["date_issued"] == "0023-08-24"


def test_year_0023_warned():
    warnings = candidate_from_item(item_of("dspace7-browse-by-date-glued.txt", 1), "department").warnings
    assert warnings == ["implausible date '0023-08-24' (year 0023 is before 1800); kept as printed"]


def test_year_0023_not_a_thesis_recorded(tmp_path):
    content = tmp_path / "content"
    run_ingest([CORPUS / "dspace7-browse-by-date-glued.txt"], content)
    assert load_records(content)["achterberg-0023-achterberg-transcripts-2023"]["date_issued"] == "0023-08-24"


def test_no_full_stop_md_publisher():
    assert item_of("dspace7-browse-by-date-glued.txt", 2).contributors[-1] == "University of Maryland (College Park, Md)"


def test_year_in_title_dash_list():
    assert "the 2016 Harbourview Rent Strike" in item_of("dspace7-dash-list-glued-items.txt", 1).title


def test_particle_van_capitalised():
    values = parsed("dspace7-glued-cut-in-names.txt").items[1].contributors
    assert values[1] == "Van Hulzen, Maarten"


def test_natural_order_printed_kept():
    assert candidate_from_item(item_of("dspace7-glued-natural-order-names.txt", 1), "department").printed == {"authors": ["Sawyer Halvorsen"]}


def test_natural_order_inner_capital():
    assert item_of("dspace7-glued-natural-order-names.txt", 2).contributors == ["Maisie McFarlow"]


def test_french_title_spaced_colon():
    assert "Rues d’été : l’enfance à Marseille" in item_of("dspace7-unbulleted-missing-title.txt", 1).abstract


def test_question_mark_title():
    assert item_of("dspace7-unbulleted-missing-title.txt", 2).title.startswith("Can You Hear Me? Radio Drama's Return")


def test_same_advisor_on_two_items():
    assert fields_of("dspace7-unbulleted-missing-title.txt", 1)["advisors"] == fields_of("dspace7-unbulleted-missing-title.txt", 2)["advisors"]


def test_subcommunities_no_items():
    assert parsed("dspace7-subcommunities-not-items.txt").items == []


def test_subcommunities_containers():
    assert parsed("dspace7-subcommunities-not-items.txt").containers == [
        "Harland T. Ruffin Jr. School of Engineering",
        "Lionel P. Ashby School of Business & Management",
        "Walter J. Pemberly Jr. College of Liberal Arts",
    ]


def test_subcommunities_kind():
    assert parsed("dspace7-subcommunities-not-items.txt").container_kind == "sub-communities"


def test_subcommunities_file_bullets_not_containers():
    assert "Text documents: PDF" not in parsed("dspace7-subcommunities-not-items.txt").containers


# --- report lines -------------------------------------------------------------------------------------------


def test_report_natural_order_guess(tmp_path):
    name = "dspace7-glued-natural-order-names.txt"
    expected = f"  {CORPUS / name}: item 1 (line 7): guess: read the name 'Sawyer Halvorsen' as 'Halvorsen, Sawyer' (natural order)"
    assert expected in report_lines(tmp_path, name)


def test_report_roles_uncertain(tmp_path):
    name = "dspace7-browse-by-date-glued.txt"
    lines = report_lines(tmp_path, name)
    uncertain = "guess: roles uncertain: no department follows the 2 persons, so all are recorded as authors"
    assert f"  {CORPUS / name}: item 1 (line 1): {uncertain}" in lines
    assert f"  {CORPUS / name}: item 3 (line 1): {uncertain}" in lines


def test_report_roles_certain_with_department(tmp_path):
    lines = report_lines(tmp_path, "dspace7-browse-by-date-glued.txt")
    assert not any("item 2 (line 1): guess" in line for line in lines)


def test_report_implausible_year(tmp_path):
    name = "dspace7-browse-by-date-glued.txt"
    expected = (f"  {CORPUS / name}: item 1 (line 1): warning: implausible date '0023-08-24' "
                "(year 0023 is before 1800); kept as printed")
    assert expected in report_lines(tmp_path, name)


def test_report_cut_abstract(tmp_path):
    name = "dspace7-community-bullets.txt"
    expected = f"  {CORPUS / name}: item 1 (line 14): the abstract is cut off where the file ends; recorded as incomplete"
    assert expected in report_lines(tmp_path, name)


def test_report_missing_announced_items(tmp_path):
    lines = report_lines(tmp_path, "dspace7-community-bullets-caps-title.txt")
    assert "  the page announces items 1-2 but holds 1: 1 cut off after item 1" in lines


def test_report_results_count_gap(tmp_path):
    lines = report_lines(tmp_path, "dspace7-glued-results-count.txt")
    assert "http://hdl.handle.net/1903/2: 1 of 106 harvested" in lines


def test_report_subcommunities(tmp_path):
    lines = report_lines(tmp_path, "dspace7-subcommunities-not-items.txt")
    assert lines[1] == (
        "  no items: this page lists 3 sub-communities (Harland T. Ruffin Jr. School of Engineering; "
        "Lionel P. Ashby School of Business & Management; Walter J. Pemberly Jr. College of Liberal Arts)"
    )


def test_report_subcommunities_nothing_missing(tmp_path):
    lines = report_lines(tmp_path, "dspace7-subcommunities-not-items.txt")
    assert not any("missing" in line or "cut off" in line or "harvested" in line for line in lines)


def test_report_subcommunities_not_failed(tmp_path):
    content = tmp_path / "content"
    report = run_ingest([CORPUS / "dspace7-subcommunities-not-items.txt"], content)
    assert report.failed == []


@pytest.mark.parametrize("name", sorted(PAGES))
def test_report_accounts_every_item(tmp_path, name):
    content = tmp_path / "content"
    report = run_ingest([CORPUS / name], content)
    recorded = sum(report.total(status) for status in ("created", "updated", "unchanged"))
    reported = sum(len(file_report.reported) for file_report in report.files)
    assert recorded + reported == len(parsed(name).items)


def test_whole_corpus_records(tmp_path):
    content = tmp_path / "content"
    report = run_ingest([CORPUS], content)
    assert report.total("created") == len(ITEMS)


# --- shapes beyond the corpus, found by the property tests ------------------------------------------------

GLUED_HEADER = "Theses\nPermanent URI for this collectionhttp://hdl.handle.net/1903/9\n1 results\n"


def test_particle_first_author_line_form():
    page = parse_listing("Now showing 1 - 1 of 1\n  • Item\n    A Title\n"
                         "    (1960) von Stellwag, Jonas; Physics\n    The abstract.", "page.txt")
    assert page.items[0].contributors == ["von Stellwag, Jonas", "Physics"]


def test_particle_first_author_glued():
    page = parse_listing(GLUED_HEADER + "Item A Title(1960) de la Cruz, AnaThe abstract starts here and ends.",
                         "page.txt")
    assert page.items[0].contributors == ["de la Cruz, Ana"]


def test_cited_year_not_contributor_start():
    page = parse_listing(GLUED_HEADER + "Item A Title(2021) Smith, John; PhysicsIt follows Bergström’s (2020) "
                         "approach in detail.", "page.txt")
    assert page.items[0].abstract == "It follows Bergström’s (2020) approach in detail."


def test_inner_capital_family_glued():
    page = parse_listing(GLUED_HEADER + "Item A Title(1960) McFarlow, ChinmayaThis thesis studies the problem.",
                         "page.txt")
    assert page.items[0].contributors == ["McFarlow, Chinmaya"]


def test_inner_capital_family_abstract():
    page = parse_listing(GLUED_HEADER + "Item A Title(1960) McFarlow, ChinmayaThis thesis studies the problem.",
                         "page.txt")
    assert page.items[0].abstract == "This thesis studies the problem."


def test_abstract_starting_with_a_glued():
    page = parse_listing(GLUED_HEADER + "Item A Title(1960) Devaraj, ChinmayaA final chapter asks what it means?",
                         "page.txt")
    assert page.items[0].abstract == "A final chapter asks what it means?"
