"""The build-time charts: theses per year as inline SVG with a text alternative, and a department's share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from shelfmark import charts
from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# Four theses years with a gap in 2023, given out of order.
KNOWN_YEARS = [(2024, 3), (2020, 3), (2021, 2), (2022, 1)]

KNOWN_SVG = """\
<svg class="chart-svg" width="100%" height="164" role="img" aria-labelledby="c-title" aria-describedby="c-desc">
<title id="c-title">Theses per year, 2020 to 2024</title>
<desc id="c-desc">9 theses from 2020 to 2024. The busiest years are 2020 and 2024, with 3 theses each. \
The table after the chart gives the count for each year.</desc>
<rect class="chart-bar" x="3%" y="20" width="14%" height="120"/>
<text class="chart-count" x="10%" y="15" text-anchor="middle">3</text>
<text class="chart-label" x="10%" y="157" text-anchor="middle">2020</text>
<rect class="chart-bar" x="23%" y="60" width="14%" height="80"/>
<text class="chart-count" x="30%" y="55" text-anchor="middle">2</text>
<text class="chart-label" x="30%" y="157" text-anchor="middle">2021</text>
<rect class="chart-bar" x="43%" y="100" width="14%" height="40"/>
<text class="chart-count" x="50%" y="95" text-anchor="middle">1</text>
<text class="chart-label" x="50%" y="157" text-anchor="middle">2022</text>
<text class="chart-count" x="70%" y="135" text-anchor="middle">0</text>
<text class="chart-label" x="70%" y="157" text-anchor="middle">2023</text>
<rect class="chart-bar" x="83%" y="20" width="14%" height="120"/>
<text class="chart-count" x="90%" y="15" text-anchor="middle">3</text>
<text class="chart-label" x="90%" y="157" text-anchor="middle">2024</text>
<line class="chart-axis" x1="0" x2="100%" y1="140" y2="140"/>
</svg>"""


def svg_of(chart: charts.YearChart) -> BeautifulSoup:
    return BeautifulSoup(str(chart.svg), "html.parser").svg


# --- year counts -----------------------------------------------------------------------------------


def test_year_counts_sorted_with_gaps_filled():
    assert charts.year_counts(KNOWN_YEARS) == ((2020, 3), (2021, 2), (2022, 1), (2023, 0), (2024, 3))


def test_year_counts_add_repeated_years():
    assert charts.year_counts([(2020, 1), (2020, 2)]) == ((2020, 3),)


def test_year_counts_empty():
    assert charts.year_counts([]) == ()


def test_year_counts_wide_span_not_filled():
    assert charts.year_counts([(23, 1), (2024, 4)]) == ((23, 1), (2024, 4))


# --- the year chart --------------------------------------------------------------------------------


def test_year_chart_exact_svg():
    assert str(charts.year_chart(KNOWN_YEARS, "c").svg) == KNOWN_SVG


def test_year_chart_none_without_years():
    assert charts.year_chart([], "c") is None


def test_year_chart_names_itself():
    svg = svg_of(charts.year_chart(KNOWN_YEARS, "home-years"))
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "home-years-title"
    assert svg["aria-describedby"] == "home-years-desc"
    assert svg.find("title", id="home-years-title").get_text() == "Theses per year, 2020 to 2024"
    assert svg.find("desc", id="home-years-desc").get_text().startswith("9 theses from 2020 to 2024.")


def test_year_chart_rows_repeat_the_numbers():
    chart = charts.year_chart(KNOWN_YEARS, "c")
    svg = svg_of(chart)
    label_count_pairs = list(zip([t.get_text() for t in svg.select("text.chart-label")],
                                 [t.get_text() for t in svg.select("text.chart-count")]))
    assert label_count_pairs == [(str(year), str(count)) for year, count in chart.rows]


def test_year_chart_one_column_per_year_with_theses():
    svg = svg_of(charts.year_chart(KNOWN_YEARS, "c"))
    heights = [float(rect["height"]) for rect in svg.select("rect.chart-bar")]
    assert heights == [120, 80, 40, 120]


def test_year_chart_is_deterministic():
    first = charts.year_chart(KNOWN_YEARS, "c")
    again = charts.year_chart(list(reversed(KNOWN_YEARS)), "c")
    assert first.svg == again.svg
    assert first.rows == again.rows


def test_year_chart_one_year_is_centred():
    svg = svg_of(charts.year_chart([(2019, 1)], "c"))
    assert svg.select_one("rect.chart-bar")["x"] == "43%"
    assert svg.select_one("rect.chart-bar")["width"] == "14%"
    assert svg.find("title").get_text() == "Theses in 2019"
    assert svg.find("desc").get_text().startswith("1 thesis in 2019.")


def test_year_chart_one_busiest_year():
    chart = charts.year_chart([(2020, 1), (2021, 4)], "c")
    assert "The busiest year is 2021, with 4 theses." in chart.summary


def test_year_chart_many_years_thins_labels():
    years = [(1990 + number, number % 7) for number in range(35)]
    svg = svg_of(charts.year_chart(years, "c"))
    labels = [(text.get_text(), text["text-anchor"]) for text in svg.select("text.chart-label")]
    assert labels == [("1990", "start"), ("1995", "middle"), ("2000", "middle"), ("2005", "middle"),
                      ("2010", "middle"), ("2015", "middle"), ("2020", "middle")]
    assert svg.select("text.chart-count") == []
    assert len(svg.select("rect.chart-bar")) == sum(1 for _, count in years if count)


def test_year_chart_last_label_right_aligned():
    svg = svg_of(charts.year_chart([(2000 + number, 1) for number in range(11)], "c"))
    last = svg.select("text.chart-label")[-1]
    assert (last.get_text(), last["x"], last["text-anchor"]) == ("2010", "100%", "end")


# --- the department share --------------------------------------------------------------------------


@pytest.mark.parametrize("count, total, expected", [
    (3, 10, "30%"),
    (1, 3, "33.3%"),
    (10, 10, "100%"),
    (1, 500, "0.2%"),
    (1, 3000, "less than 0.1%"),
    (2999, 3000, "more than 99.9%"),
    (0, 0, "0%"),
])
def test_share_percent(count, total, expected):
    assert charts.share(count, total).percent == expected


def test_share_bar_is_decorative():
    svg = BeautifulSoup(str(charts.share(3, 10).svg), "html.parser").svg
    assert svg["aria-hidden"] == "true"
    assert svg.select_one("rect.share-track")["width"] == "100%"
    assert svg.select_one("rect.share-fill")["width"] == "30%"


# --- in the built site -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("charts") / "site"
    build_site(BuildOptions(content=CONTENT, out=out, use_cache=False))
    return out


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / name).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("name, chart_id", [("index.html", "home-years"), ("browse/year/index.html", "browse-years")])
def test_page_chart_and_table_agree(site, name, chart_id):
    soup = page(site, name)
    svg = soup.select_one("div.chart svg[role=img]")
    assert svg["aria-labelledby"] == f"{chart_id}-title"
    assert soup.find(id=f"{chart_id}-title").name == "title"
    table_rows = [(row.th.get_text(strip=True), row.td.get_text(strip=True))
                  for row in soup.select("div.chart details table tbody tr")]
    chart_rows = list(zip([t.get_text() for t in svg.select("text.chart-label")],
                          [t.get_text() for t in svg.select("text.chart-count")]))
    assert table_rows == chart_rows == [("2020", "3"), ("2021", "2"), ("2022", "1"), ("2023", "1"), ("2024", "3")]


def test_page_chart_table_links_years(site):
    links = [a["href"] for a in page(site, "index.html").select("div.chart table a")]
    assert links == ["browse/year/2020/", "browse/year/2021/", "browse/year/2022/", "browse/year/2023/",
                     "browse/year/2024/"]


def test_department_page_states_share(site):
    soup = page(site, "browse/department/electrical-engineering/index.html")
    assert soup.select_one("p.share-text").get_text() == \
        "80% of the collection: 8 of 10 theses are from this department."
    assert soup.select_one("div.share svg")["aria-hidden"] == "true"


def test_department_share_only_on_department_pages(site):
    assert page(site, "browse/author/zhou-peng/index.html").select("div.share") == []
    assert page(site, "theses/index.html").select("div.share") == []


def test_chart_pages_build_identically(site, tmp_path):
    again = tmp_path / "site"
    build_site(BuildOptions(content=CONTENT, out=again, use_cache=False))
    for name in ("index.html", "browse/year/index.html", "browse/department/electrical-engineering/index.html"):
        assert (again / name).read_bytes() == (site / name).read_bytes(), name


def test_no_year_chart_without_dated_theses(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    for path in (content / "theses").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text("\n".join(line for line in text.split("\n") if not line.startswith("date_issued:")),
                        encoding="utf-8")
    build_site(BuildOptions(content=content, out=tmp_path / "site", use_cache=False))
    assert page(tmp_path / "site", "index.html").select("div.chart") == []
