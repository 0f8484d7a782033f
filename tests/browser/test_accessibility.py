"""Accessibility of every page type in a real browser: axe-core in both colour schemes, landmarks and
headings, visible focus, contrast of controls and charts, and keyboard use of search, filters and paging.

The pages come from the shipped content built with three theses a page, so listings and browse pages have
later pages, served over HTTP on 127.0.0.1: from disk, axe-core's request for the stylesheets fails.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from .browser_support import serve, stop

from shelfmark.builder import BuildOptions, build_site

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = ROOT / "content"
PAGE_SIZE = 3

# One page of each type, as paths in the built site.
PAGE_TYPES = {
    "home": "index.html",
    "listing": "theses/index.html",
    "listing-later-page": "theses/page/2/index.html",
    "thesis": "theses/devaraj-2024-from-parts-to-whole/index.html",
    "browse-hub": "browse/index.html",
    "browse-facet-letters": "browse/author/index.html",
    "browse-year-chart": "browse/year/index.html",
    "browse-value": "browse/department/electrical-engineering/index.html",
    "browse-value-later-page": "browse/department/electrical-engineering/page/2/index.html",
    "about": "about/index.html",
    "search-results": "search/index.html#q=learning",
    "not-found": "404.html",
}
SCHEMES = ("light", "dark")

# axe-core runs its default rules: WCAG 2.0 to 2.2 levels A and AA, plus best practices. The WCAG 2.2 AA
# rule for 24 px targets (target-size) is off by default in axe-core 4.12, so it is switched on here.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}

# WCAG 2 contrast ratio of two computed colours ("rgb(r, g, b)" or "rgba(...)"), in the page.
CONTRAST_JS = """
window.__contrast = (first, second) => {
  const channels = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = (text) => {
    const [r, g, b] = channels(text).map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
};
window.__backdrop = (element) => {
  for (let node = element; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "transparent" && !/rgba\\(.*,\\s*0\\)$/.test(colour)) {
      return colour;
    }
  }
  return getComputedStyle(document.documentElement).backgroundColor;
};
"""


def expect():
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def unavailable(message: str) -> None:
    """Skip without the tool, but fail when $CI is set, because CI must run every test."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def axe() -> Any:
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python not installed: pip install axe-playwright-python==0.1.8")
    return Axe()


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the shipped content with PAGE_SIZE theses a page, at the root of a 127.0.0.1 server."""
    folder = tmp_path_factory.mktemp("accessibility")
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    settings = content / "site.yaml"
    lines = [line for line in settings.read_text(encoding="utf-8").splitlines() if not line.startswith("page_size:")]
    settings.write_text("\n".join(lines + [f"page_size: {PAGE_SIZE}"]) + "\n", encoding="utf-8")
    build_site(BuildOptions(content=content, out=folder / "site", use_cache=False))
    server = serve(folder / "site", "/")
    yield server.url
    stop(server)


def open_page(page: Any, guard: Any, base: str, path: str, scheme: str = "light") -> None:
    """Open a page of the site in a colour scheme. On the search page, wait until the results are shown."""
    guard.prefix = base
    page.emulate_media(color_scheme=scheme)
    page.goto(base + path)
    query = re.search(r"#q=([^&]*)", path)
    if query:
        expect()(page.locator("#search-results")).to_have_attribute("data-query", query.group(1))
    page.evaluate(CONTRAST_JS)


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
                     for v in violations)


def press_tab_until(page: Any, condition: str, limit: int = 80) -> None:
    """Press Tab until the JavaScript expression `condition` on `document.activeElement` (as `el`) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return Boolean({condition}); }})()"):
            return
    raise AssertionError(f"no element matching {condition} within {limit} presses of Tab")


# --- axe-core --------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_axe_finds_nothing(page, guard, paged_site, axe, page_type, scheme):
    open_page(page, guard, paged_site, PAGE_TYPES[page_type], scheme)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == [], describe(violations)


def test_search_page_really_has_results(page, guard, paged_site):
    open_page(page, guard, paged_site, PAGE_TYPES["search-results"])
    assert page.locator("#search-results li").count() == PAGE_SIZE
    assert page.locator("#search-pages").is_visible()


def test_axe_reports_known_problems(page, guard, paged_site, axe):
    open_page(page, guard, paged_site, PAGE_TYPES["home"])
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend",
        '<img src="data:,">' +
        '<p style="color:#bbbbbb;background:#ffffff">faint text</p>' +
        '<p><button style="width:10px;height:10px;padding:0;margin:0">a</button>' +
        '<button style="width:10px;height:10px;padding:0;margin:0">b</button></p>');
    }""")
    found = {violation["id"] for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]}
    assert {"image-alt", "color-contrast", "target-size"} <= found


# --- landmarks, headings, current page ---------------------------------------------------------------


@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_landmarks_and_one_h1(page, guard, paged_site, page_type):
    open_page(page, guard, paged_site, PAGE_TYPES[page_type])
    assert page.locator("h1").count() == 1
    assert page.get_by_role("banner").count() == 1
    assert page.get_by_role("main").count() == 1
    assert page.get_by_role("contentinfo").count() == 1
    if page_type != "not-found":
        assert page.get_by_role("navigation", name="Main").count() == 1


@pytest.mark.parametrize("path, current", [
    ("index.html", ("Home", "page")),
    ("theses/index.html", ("Theses", "page")),
    ("theses/page/2/index.html", ("Theses", "true")),
    ("theses/devaraj-2024-from-parts-to-whole/index.html", ("Theses", "true")),
    ("browse/author/index.html", ("Browse", "true")),
    ("about/index.html", ("About", "page")),
])
def test_menu_marks_current_page(page, guard, paged_site, path, current):
    open_page(page, guard, paged_site, path)
    marked = page.locator("nav[aria-label=Main] a[aria-current]")
    assert [(marked.nth(i).inner_text(), marked.nth(i).get_attribute("aria-current")) for i in range(marked.count())] \
        == [current]


def test_pagination_marks_current_page(page, guard, paged_site):
    open_page(page, guard, paged_site, "theses/page/2/index.html")
    current = page.locator("nav.pagination a[aria-current=page]")
    assert current.count() == 1
    assert " ".join(current.text_content().split()) == "Page 2"


def test_every_link_and_button_has_a_name(page, guard, paged_site):
    for path in PAGE_TYPES.values():
        open_page(page, guard, paged_site, path)
        nameless = page.evaluate("""() => [...document.querySelectorAll("a[href], button")]
          .filter((el) => !(el.textContent.trim() || el.getAttribute("aria-label")))
          .map((el) => el.outerHTML.slice(0, 120))""")
        assert nameless == [], path


# --- focus and contrast ------------------------------------------------------------------------------

# For the element that has focus: its outline, and the lowest contrast of the outline colour with what lies
# under the ring on any of the four sides. An outline drawn outside the element is compared with what hit
# testing finds just outside each side, so the skip link is compared with the masthead it covers. An
# outline drawn inside (negative offset) is compared with the element's own background.
FOCUS_RING_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const inside = parseFloat(style.outlineOffset) < 0;
  const middle = [box.left + box.width / 2, box.top + box.height / 2];
  const sides = [[box.left - 5, middle[1]], [box.right + 5, middle[1]], [middle[0], box.top - 5], [middle[0], box.bottom + 5]]
    .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  const contrasts = sides.map(([x, y]) => {
    const under = inside ? el : document.elementsFromPoint(x, y).find((node) => node !== el && !el.contains(node));
    return window.__contrast(style.outlineColor, window.__backdrop(under || document.body));
  });
  return {
    element: el.outerHTML.slice(0, 100),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    contrast: Math.min(...contrasts),
  };
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", ["theses/devaraj-2024-from-parts-to-whole/index.html", "browse/year/index.html",
                                  "theses/page/2/index.html"])
def test_focus_is_visible(page, guard, paged_site, path, scheme):
    open_page(page, guard, paged_site, path, scheme)
    seen = 0
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        ring = page.evaluate(FOCUS_RING_JS)
        assert ring["style"] != "none", ring["element"]
        assert ring["width"] >= 2, ring["element"]
        assert ring["contrast"] >= 3, ring
        seen += 1
    assert seen >= 10


@pytest.mark.parametrize("scheme", SCHEMES)
def test_controls_and_charts_contrast(page, guard, paged_site, scheme):
    """Borders of the page and letter links, the search box and the chart bars stand out 3:1 from their backdrop."""
    checks = [
        ("theses/page/2/index.html", "nav.pagination a:not([aria-current])", "borderTopColor"),
        ("theses/page/2/index.html", "nav.pagination a[aria-current]", "backgroundColor"),
        ("browse/author/index.html", "nav.letters a", "borderTopColor"),
        ("index.html", "#site-search-input", "backgroundColor"),
        ("index.html", "rect.chart-bar", "fill"),
        ("browse/department/electrical-engineering/index.html", "rect.share-fill", "fill"),
    ]
    for path, selector, property_name in checks:
        open_page(page, guard, paged_site, path, scheme)
        ratio = page.evaluate("""([selector, property]) => {
          const el = document.querySelector(selector);
          return window.__contrast(getComputedStyle(el)[property], window.__backdrop(el.parentElement));
        }""", [selector, property_name])
        assert ratio >= 3, (path, selector, round(ratio, 2))


def test_chart_labels_contrast(page, guard, paged_site):
    for scheme in SCHEMES:
        open_page(page, guard, paged_site, "index.html", scheme)
        ratio = page.evaluate("""() => {
          const label = document.querySelector("text.chart-label");
          return window.__contrast(getComputedStyle(label).fill, window.__backdrop(label.closest("div")));
        }""")
        assert ratio >= 4.5, (scheme, round(ratio, 2))


# --- keyboard ------------------------------------------------------------------------------------------


def test_skip_link_moves_focus_to_main(page, guard, paged_site):
    open_page(page, guard, paged_site, PAGE_TYPES["thesis"])
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect()(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["x"] >= 0
    page.keyboard.press("Enter")
    expect()(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("path", ["index.html", "theses/devaraj-2024-from-parts-to-whole/index.html"])
def test_tab_order_follows_the_page(page, guard, paged_site, path):
    open_page(page, guard, paged_site, path)
    assert page.locator("[tabindex]:not([tabindex='-1']):not([tabindex='0'])").count() == 0
    expected = page.evaluate("""() => [...document.querySelectorAll(
        "a[href], button, input, select, summary, [tabindex='0']")]
      .filter((el) => el.checkVisibility())
      .map((el, index) => { el.dataset.order = String(index); return index; })""")
    reached = []
    for _ in expected:
        page.keyboard.press("Tab")
        reached.append(int(page.evaluate("document.activeElement.dataset.order ?? -1")))
    assert reached == expected


def test_header_search_submits_with_enter(page, guard, paged_site):
    open_page(page, guard, paged_site, "index.html")
    press_tab_until(page, "el.id === 'site-search-input'")
    page.keyboard.type("reliability")
    page.keyboard.press("Enter")
    results = page.locator("#search-results")
    expect()(results).to_have_attribute("data-query", "reliability")
    assert results.locator("li").count() >= 1
    assert "reliability" in page.locator("#search-status").inner_text()


def test_filter_by_keyboard(page, guard, paged_site):
    open_page(page, guard, paged_site, PAGE_TYPES["search-results"])
    before = page.locator("#search-status").inner_text()
    press_tab_until(page, "el.id === 'filter-year'")
    page.keyboard.press("ArrowDown")
    expect()(page.locator("#filter-year")).not_to_have_value("")
    expect()(page.locator("#search-status")).not_to_have_text(before)
    assert "year=" in page.url


def test_listing_paging_by_keyboard(page, guard, paged_site):
    open_page(page, guard, paged_site, "theses/index.html")
    press_tab_until(page, "el.rel === 'next'")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"theses/page/2/(index\.html)?$"))
    expect()(page.locator("h1")).to_have_text("All theses (page 2 of 4)")
    page.keyboard.press("Tab")
    expect()(page.locator("a.skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first_in_main = page.locator("main a[href]").first
    expect()(first_in_main).to_be_focused()


def test_search_paging_moves_focus_to_status(page, guard, paged_site):
    open_page(page, guard, paged_site, PAGE_TYPES["search-results"])
    press_tab_until(page, "el.closest('#search-pages') && el.rel === 'next'")
    page.keyboard.press("Enter")
    status = page.locator("#search-status")
    expect()(status).to_contain_text(f"Now showing {PAGE_SIZE + 1} - {2 * PAGE_SIZE}")
    expect()(status).to_be_focused()


def test_letter_jump_by_keyboard(page, guard, paged_site):
    open_page(page, guard, paged_site, "browse/author/index.html")
    press_tab_until(page, "el.closest('nav.letters') && el.textContent.trim().endsWith('K')")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect()(page.locator("#letter-K ~ ul a").first).to_be_focused()


def test_chart_table_opens_by_keyboard(page, guard, paged_site):
    open_page(page, guard, paged_site, "index.html")
    table = page.locator("div.chart table")
    expect()(table).to_be_hidden()
    press_tab_until(page, "el.tagName === 'SUMMARY' && el.closest('div.chart')")
    page.keyboard.press("Enter")
    expect()(table).to_be_visible()
    assert table.locator("tbody tr").count() == 5
