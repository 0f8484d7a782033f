"""Layout in a real browser: screenshots at 360 and 1280 px in both colour schemes, no horizontal overflow,
nothing overlapping the text, long words wrapping, the dark scheme, and a thesis page printed as a record.

Screenshots go to $BROWSER_ARTIFACTS_DIR, or to a temporary folder when it is not set.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = ROOT / "content"

SHOTS = {
    "home": "index.html",
    "thesis": "theses/devaraj-2024-from-parts-to-whole/index.html",
    "browse-year": "browse/year/index.html",
    "browse-author": "browse/author/index.html",
    "search": "search/index.html#q=learning",
}
WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")
# Every page type, for the overflow check at the narrowest width.
ALL_PAGES = list(SHOTS.values()) + [
    "theses/index.html", "browse/index.html", "browse/department/electrical-engineering/index.html",
    "about/index.html", "downloads/index.html", "404.html",
]

# Computed colours of the page, the masthead and the chart bars in each scheme, as set in assets/site.css.
BACKGROUNDS = {
    "light": ("rgb(253, 252, 250)", "rgb(122, 31, 43)"),
    "dark": ("rgb(23, 21, 20)", "rgb(59, 17, 23)"),
}
BAR_COLOURS = {"light": "rgb(122, 31, 43)", "dark": "rgb(226, 154, 163)"}

LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4
LONG_URL = "https://repository.example.edu/bitstreams/" + "0123456789abcdef" * 8 + "/thesis.pdf"

# Pairs of boxes that must not intersect: the header parts with each other and with the page heading,
# each menu item with the next, and the chart's year labels with each other.
OVERLAPS_JS = """() => {
  const box = (el) => el.getBoundingClientRect();
  const meets = (a, b) => a.width > 0 && b.width > 0 && a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const named = (selector) => [...document.querySelectorAll(selector)].map((el) => [selector, el]);
  const h1 = document.querySelector("h1");
  const header = [...named(".site-name"), ...named(".site-search"), ...named(".site-institution"),
                  ...named(".menu li"), ...named(".breadcrumbs li")];
  const problems = [];
  for (const [name, el] of header) {
    if (meets(box(el), box(h1))) problems.push(`${name} overlaps the h1`);
  }
  for (let i = 0; i < header.length; i++) {
    for (let j = i + 1; j < header.length; j++) {
      if (meets(box(header[i][1]), box(header[j][1]))) {
        problems.push(`${header[i][0]} "${header[i][1].textContent.trim()}" overlaps ${header[j][0]} "${header[j][1].textContent.trim()}"`);
      }
    }
  }
  const labels = [...document.querySelectorAll("text.chart-label, text.chart-count")];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (meets(box(labels[i]), box(labels[j]))) problems.push(`chart labels ${labels[i].textContent} and ${labels[j].textContent} overlap`);
    }
  }
  return problems;
}"""

# Elements in the header and the main content whose box reaches past the right edge of the viewport, or
# whose text runs out of their own box (an unbroken word in a block that kept its width).
PAST_EDGE_JS = """() => [...document.querySelectorAll("main *, header *")]
  .filter((el) => el.getClientRects().length && !el.closest(".visually-hidden, .skip-link"))
  .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5
    || (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible"))
  .map((el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className : ""))"""


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("BROWSER_ARTIFACTS_DIR")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("browser-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show(page: Any, base: str, path: str, width: int, scheme: str = "light") -> None:
    """Open a page at a viewport width in a colour scheme. On the search page, wait for the results."""
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(base + path)
    if "#q=" in path:
        expect()(page.locator("#search-results")).to_have_attribute("data-query", path.split("#q=", 1)[1])


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


# --- screenshots and the checks made on them ---------------------------------------------------------


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(SHOTS))
def test_page_layout(page, site_url, artifacts_dir, name, width, scheme):
    show(page, site_url, SHOTS[name], width, scheme)
    page.screenshot(path=str(artifacts_dir / f"{name}-{width}-{scheme}.png"), full_page=True)
    assert horizontal_overflow(page) == 0
    assert page.evaluate(PAST_EDGE_JS) == []
    assert page.evaluate(OVERLAPS_JS) == []


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_no_overflow_at_360_on_any_page(page, site_url):
    for path in ALL_PAGES:
        show(page, site_url, path, 360)
        assert horizontal_overflow(page) == 0, path


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_menu_fits_at_360(page, site_url):
    show(page, site_url, "index.html", 360)
    links = page.locator("nav[aria-label=Main] a")
    assert links.count() >= 5
    for index in range(links.count()):
        label = links.nth(index).inner_text()
        box = links.nth(index).bounding_box()
        assert box is not None, label
        assert box["x"] >= 0, label
        assert box["x"] + box["width"] <= 360, label
        assert box["height"] >= 24, label


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_chart_columns_fill_the_width(page, site_url):
    for width in WIDTHS:
        show(page, site_url, "index.html", width)
        chart = page.locator("div.chart svg").bounding_box()
        panel = page.locator("section.years").bounding_box()
        assert chart is not None
        assert panel is not None
        assert panel["width"] - chart["width"] < 60, width
        assert chart["height"] == 164


# --- every mode loads the stylesheet; the dark scheme follows the system -------------------------------


def test_stylesheet_applies_in_every_mode(page, site_url):
    page.goto(site_url + "theses/index.html")
    page_colour, masthead_colour = BACKGROUNDS["light"]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == page_colour
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == masthead_colour


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_colour_scheme_follows_system(page, site_url, scheme):
    show(page, site_url, "index.html", 1280, scheme)
    page_colour, masthead_colour = BACKGROUNDS[scheme]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == page_colour
    assert page.evaluate("getComputedStyle(document.querySelector('.masthead')).backgroundColor") == masthead_colour
    assert page.evaluate("getComputedStyle(document.querySelector('rect.chart-bar')).fill") == BAR_COLOURS[scheme]


# --- long words and addresses wrap ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_words_site(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped content plus one record full of long unbroken words and addresses, built offline."""
    folder = tmp_path_factory.mktemp("long-words")
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    record = records.empty_record("longword-2022-unbroken")
    record.update({
        "title": f"On {LONG_WORD} and Other Long Words",
        "authors": [f"{LONG_WORD[:60]}, Aleksandra-Konstantina"],
        "advisors": ["Groth, Katrina M"],
        "department": f"Department of {LONG_WORD[:70]}",
        "date_issued": "2022",
        "subjects": [LONG_WORD],
        "abstract": f"The data are at {LONG_URL} and the word {LONG_WORD} appears twice: {LONG_WORD}.",
        "handle": "http://hdl.handle.net/1903/" + "9" * 60,
        "pdf_url": LONG_URL,
    })
    (content / "theses" / "longword-2022-unbroken.yaml").write_text(records.dump_record(record), encoding="utf-8")
    build_site(BuildOptions(content=content, out=folder / "site", profile="offline", use_cache=False))
    return (folder / "site").resolve().as_uri() + "/"


@pytest.mark.parametrize("path", [
    "theses/longword-2022-unbroken/index.html",
    "theses/index.html",
    "index.html",
    "browse/department/index.html",
    "browse/author/index.html",
])
def test_long_words_wrap_at_360(page, guard, long_words_site, artifacts_dir, path):
    guard.prefix = long_words_site
    show(page, long_words_site, path, 360)
    if path.startswith("theses/longword"):
        page.screenshot(path=str(artifacts_dir / "long-words-thesis-360.png"), full_page=True)
    assert horizontal_overflow(page) == 0
    assert page.evaluate(PAST_EDGE_JS) == []


def test_long_department_page_wraps_at_360(page, guard, long_words_site):
    guard.prefix = long_words_site
    show(page, long_words_site, "browse/department/index.html", 360)
    page.locator("ul.browse-values a", has_text="Department of").click()
    expect()(page.locator("h1")).to_contain_text("Department of")
    assert horizontal_overflow(page) == 0
    h1 = page.locator("h1").bounding_box()
    assert h1 is not None
    assert h1["height"] > 60


# --- print -------------------------------------------------------------------------------------------


def hidden_in_print(page: Any, selector: str) -> bool:
    return page.evaluate(f"[...document.querySelectorAll({selector!r})].every((el) => getComputedStyle(el).display === 'none')")


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_thesis_prints_as_a_record(page, site_url, artifacts_dir):
    show(page, site_url, SHOTS["thesis"], 800)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "thesis-print.png"), full_page=True)
    for selector in (".site-nav", ".site-search", ".breadcrumbs", ".prev-next", ".site-footer", ".cite", ".skip-link"):
        assert page.locator(selector).count() >= 1, selector
        assert hidden_in_print(page, selector), selector
    paragraphs = page.locator("section.abstract p")
    assert paragraphs.count() >= 1
    for index in range(paragraphs.count()):
        assert paragraphs.nth(index).is_visible()
    title = page.locator("h1")
    assert title.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('dl.fields a')).color") == "rgb(0, 0, 0)"
    assert "none" in page.evaluate("getComputedStyle(document.querySelector('dl.fields a')).textDecorationLine")


def test_print_spells_out_outside_links(page, guard, long_words_site):
    guard.prefix = long_words_site
    show(page, long_words_site, "theses/longword-2022-unbroken/index.html", 800)
    page.emulate_media(media="print")
    after_pdf = page.evaluate("getComputedStyle(document.querySelector('dl.fields a[href$=\"thesis.pdf\"]'), '::after').content")
    assert LONG_URL in after_pdf
    after_handle = page.evaluate("getComputedStyle(document.querySelector('dl.fields a.url'), '::after').content")
    assert after_handle == "none"
    internal = page.evaluate("getComputedStyle(document.querySelector('dl.fields ul.names a'), '::after').content")
    assert internal == "none"


@pytest.mark.parametrize("site_url", ["file"], indirect=True)
def test_layout_checks_catch_problems(page, site_url):
    """The overflow and overlap checks report a page that is broken on purpose."""
    show(page, site_url, "index.html", 360)
    page.add_style_tag(content=".menu { position: absolute; top: 12rem; left: 0; } "
                               "h1 { white-space: nowrap; }")
    assert horizontal_overflow(page) > 0
    assert any("h1" in problem for problem in page.evaluate(OVERLAPS_JS))
    assert "h1" in page.evaluate(PAST_EDGE_JS)
