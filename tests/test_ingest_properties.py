"""Property tests: no input crashes the parser or ingest, and no item of a generated page is lost silently."""

from __future__ import annotations


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_records, run_ingest
from shelfmark.ingest import candidate_from_item
from shelfmark.listing.detect import NotAListingPage, parse_listing
from shelfmark.textio import InputError

# Example counts keep this file at about 7 s of CPU time (pytest, measured on a 2-core machine). Arbitrary
# input is cheap, generated pages cost more, and ingesting them (files written and read) costs most.
_CHECKS = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
FAST = settings(derandomize=True, max_examples=100, deadline=None, suppress_health_check=_CHECKS)
PAGES = settings(derandomize=True, max_examples=40, deadline=None, suppress_health_check=_CHECKS)
INGESTING = settings(derandomize=True, max_examples=25, deadline=None, suppress_health_check=_CHECKS)

# --- arbitrary input -------------------------------------------------------------------------------------

# Pieces of real listing pages, so that random text often reaches deep parser paths.
LISTING_PIECES = [
    "Item", "Item ", "Item type: Item , ", "Thumbnail Image", "No Thumbnail Available", "  • ", "- ", "    ",
    "\n", "\n\n", " ", "(2024) ", "(2025-04)", "(0023-08-24)", "(20-Aug-2010)", "(Press, 1967) ",
    "(University of Wexmoor, 2025-05) ", "Now showing 1 - 10 of 22", "106 results", "Now showing items 1-10 of 73",
    "Permanent URI for this community", "Permanent URI for this collection", "http://hdl.handle.net/1903/2",
    "Communities of this Community", "Recent Submissions", "Browse", "Search Results", "Smith, John; ",
    "Chellappa,, Rama; ", "Sawyer Halvorsen", "Electrical Engineering; ", "Education Policy, and Leadership; ",
    "Digital Repository at the University of Maryland; ", "University of Maryland (College Park, Md.)",
    "Md.)", "A Title", "ALL CAPS TITLE", "The abstract starts here. ", "It ends", "(", ")", ";", ",", ".",
    "“", "”", "’", "é", "ø", "\t", "\r\n", "\u2028", "\ufeff",
]
HTML_PIECES = [
    "<html>", "<body>", "</body></html>", "<div class=\"pagination-info\">", "</div>", "<!-- x -->",
    "<ul class=\"list-unstyled\"><li>", "</li></ul>", "<ds-item-search-result-list-element>",
    "<a class=\"item-list-title\" href=\"/items/0b7e4e5e-1111-2222-3333-444455556666\">", "</a>",
    "<span class=\"item-list-authors\">", "<span class=\"item-list-date\">", "</span>",
    "<div class=\"item-list-abstract\">", "<table>", "<tr><td>20-Aug-2010</td>", "<h4 class=\"artifact-title\">",
    "<a href=\"/handle/1903/1234\">", "<p class=\"pagination-info\">", "<li class=\"ds-artifact-item\">",
    "<script id=\"dspace-angular-state\" type=\"application/json\">", "{&q;x&q;:1}", "</script>", "&amp;", "&#8217;",
]
LISTING_TEXT = st.lists(st.one_of(st.sampled_from(LISTING_PIECES), st.text(max_size=12)), max_size=40).map("".join)
HTML_TEXT = st.lists(
    st.one_of(st.sampled_from(HTML_PIECES), st.sampled_from(LISTING_PIECES), st.text(max_size=8)), max_size=40,
).map(lambda pieces: "<!DOCTYPE html>" + "".join(pieces))


def parse_or_reject(text: str):
    """Parse `text`; return None when it is rejected as not a listing page (the only allowed failure)."""
    try:
        return parse_listing(text, "input.txt")
    except NotAListingPage:
        return None


@FAST
@given(text=st.text(max_size=300))
def test_random_text_no_crash(text):
    page = parse_or_reject(text)
    assert page is None or page.format


@FAST
@given(text=LISTING_TEXT)
def test_listing_like_text_no_crash(text):
    page = parse_or_reject(text)
    for item in page.items if page else []:
        if item.problem is None:
            candidate_from_item(item, "department")


@FAST
@given(text=LISTING_TEXT)
def test_listing_like_positions(text):
    page = parse_or_reject(text)
    positions = [item.position for item in page.items] if page else []
    assert positions == list(range(1, len(positions) + 1))


@FAST
@given(text=LISTING_TEXT)
def test_recordable_items_have_title_and_date(text):
    page = parse_or_reject(text)
    for item in page.items if page else []:
        assert item.problem is not None or (item.title and item.date)


@FAST
@given(text=HTML_TEXT)
def test_html_like_no_crash(text):
    page = parse_or_reject(text)
    assert page is None or page.format


@INGESTING
@given(data=st.one_of(LISTING_TEXT.map(lambda text: text.encode("utf-8")), st.binary(max_size=200)))
def test_ingest_any_bytes_no_crash(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("any")
    page = folder / "page.txt"
    page.write_bytes(data)
    try:
        report = run_ingest([page], folder / "content")
    except InputError:
        return
    file_report = report.files[0]
    seen = len(file_report.page.items) if file_report.page else 0
    recorded = sum(file_report.count(status) for status in ("created", "updated", "unchanged"))
    assert seen == recorded + len(file_report.reported)


# --- generated pages ---------------------------------------------------------------------------------------

FAMILIES = ["Devaraj", "Groth", "Espy-Wilson", "Brøndum", "Quiñones", "Van Hulzen", "von Stellwag", "O'Neill",
            "McFarlow", "Xu", "Tan Morales", "Szymańska", "Lemieux", "Okafor"]
GIVENS = ["Chinmaya", "Katrina M", "Carol", "Helle A", "Marisol", "Maarten", "Jonas", "Al", "Sven E.", "Rubén L",
          "Étienne", "Chidi E.", "Kerri-Lyn", "Lan"]
DEPARTMENTS = ["Electrical Engineering", "Reliability Engineering", "Education Policy, and Leadership",
               "Library & Information Services", "Plant Science and Landscape Architecture (PSLA)", "Physics",
               "French Language and Literature", "History and Geography"]
TITLE_WORDS = ["Learning", "deep", "Models", "of", "the", "River", "Shaping", "Networks", "in", "Urban", "2016",
               "Soil", "Voice", "PHM", "Graphs", "Memory", "and", "Risk", "Light", "Nest-Site", "Adolescents’"]
SENTENCES = ["This thesis studies the problem in detail.", "Results show a clear effect (n=14) at 0.62x.",
             "We propose a new method.", "The data come from 1995 – 2019 records.",
             "Interviews with 34 teachers were analysed.", "A final chapter asks what this means?",
             "Shielding fixtures would be a low-cost step.", "Gains appear only where processes were joined."]
PUBLISHERS = ["Digital Repository at the University of Maryland", "University of Maryland (College Park, Md.)"]


@st.composite
def theses(draw, index: int):
    """One synthetic thesis: its title carries `index` so that no two generated theses are the same."""
    words = draw(st.lists(st.sampled_from(TITLE_WORDS), min_size=1, max_size=8))
    title = " ".join([f"Study{index}"] + words)
    if draw(st.booleans()):
        title = title.upper()
    persons = draw(st.lists(st.tuples(st.sampled_from(FAMILIES), st.sampled_from(GIVENS)), min_size=1, max_size=4))
    department = draw(st.one_of(st.none(), st.sampled_from(DEPARTMENTS)))
    abstract = " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4)))
    return {
        "title": title,
        "year": draw(st.integers(1960, 2025)),
        "names": [f"{family}, {given}" for family, given in persons],
        "department": department,
        "publishers": PUBLISHERS if draw(st.booleans()) else [],
        "abstract": abstract,
        "thumbnail": draw(st.booleans()),
    }


@st.composite
def thesis_lists(draw):
    count = draw(st.integers(1, 8))
    return [draw(theses(index)) for index in range(1, count + 1)]


def contributor_line(thesis: dict) -> str:
    values = thesis["names"] + ([thesis["department"]] if thesis["department"] else []) + thesis["publishers"]
    return f"({thesis['year']}) " + "; ".join(values)


def line_form(items: list[dict]) -> str:
    """A page in the seed's form: header, count, then bullet, badge, title, contributor line and abstract lines."""
    lines = ["Theses from the Test Collection", "", "Permanent URI for this collectionhttp://hdl.handle.net/1903/9",
             "", "Search Results", "", f"Now showing 1 - {len(items)} of {len(items)}"]
    for thesis in items:
        if thesis["thumbnail"]:
            lines += ["  • Thumbnail Image", "    Item"]
        else:
            lines += ["  • Item"]
        lines += [f"    {thesis['title']}", f"    {contributor_line(thesis)}", f"    {thesis['abstract']}"]
    return "\n".join(lines)


def glued_form(items: list[dict]) -> str:
    """A page copied with everything glued: "Item TITLE(2022) Names; …; …Md.)Abstract…Item NEXT…"."""
    body = "".join(f"Item {thesis['title']}{contributor_line(thesis)}{thesis['abstract']}" for thesis in items)
    return f"Theses from the Test Collection\nPermanent URI for this collectionhttp://hdl.handle.net/1903/9\n" \
           f"{len(items)} results\nSearch Results\n{body}"


def check_nothing_lost(tmp_path_factory, items: list[dict], text: str) -> None:
    folder = tmp_path_factory.mktemp("page")
    page = folder / "page.txt"
    page.write_text(text, encoding="utf-8")
    content = folder / "content"
    report = run_ingest([page], content)
    file_report = report.files[0]
    titles = {record["title"] for record in load_records(content).values()}
    reported = {outcome.position for outcome in file_report.reported}
    assert len(file_report.page.items) == len(items)
    for position, thesis in enumerate(items, start=1):
        assert thesis["title"] in titles or position in reported, f"item {position} lost: {thesis['title']!r}"


def check_fields(items: list[dict], text: str) -> None:
    page = parse_listing(text, "page.txt")
    for thesis, item in zip(items, page.items):
        fields = candidate_from_item(item, "all-authors").fields
        assert (fields["title"], fields["date_issued"], fields["authors"]) == (
            thesis["title"], str(thesis["year"]), thesis["names"])


@INGESTING
@given(items=thesis_lists())
def test_line_form_nothing_lost(tmp_path_factory, items):
    check_nothing_lost(tmp_path_factory, items, line_form(items))


@INGESTING
@given(items=thesis_lists())
def test_glued_form_nothing_lost(tmp_path_factory, items):
    check_nothing_lost(tmp_path_factory, items, glued_form(items))


@PAGES
@given(items=thesis_lists())
def test_line_form_fields(items):
    check_fields(items, line_form(items))


@PAGES
@given(items=thesis_lists())
def test_glued_form_fields(items):
    check_fields(items, glued_form(items))


@PAGES
@given(items=thesis_lists())
def test_line_form_department(items):
    page = parse_listing(line_form(items), "page.txt")
    for thesis, item in zip(items, page.items):
        assert candidate_from_item(item, "department").fields["department"] == thesis["department"]


@PAGES
@given(items=thesis_lists())
def test_glued_form_abstract(items):
    page = parse_listing(glued_form(items), "page.txt")
    for thesis, item in zip(items, page.items):
        assert item.abstract == thesis["abstract"]
