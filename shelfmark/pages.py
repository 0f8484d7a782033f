"""Planning the site's pages: each page's output path, template, title, breadcrumbs and data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import charts
from .collection import BROWSE_FACETS, BrowseValue, Collection, Thesis
from .config import Config
from .pagination import Pagination, paginate
from .people import family_name, fold

FACET_LABELS = {
    "author": ("Authors", "Author"),
    "advisor": ("Advisors", "Advisor"),
    "department": ("Departments", "Department"),
    "year": ("Years", "Year"),
}
LISTING_BASE = "theses/"
_EXAMPLE_WORD = re.compile(r"[a-z]{3,}")


@dataclass
class Page:
    path: str  # output path, e.g. "theses/x/index.html"
    template: str
    title: str
    kind: str  # home, thesis, listing, browse, browse-value, browse-facet, content, search, not-found
    breadcrumbs: list[tuple[str, str | None]] = field(default_factory=list)  # (label, path or None for here)
    data: dict[str, Any] = field(default_factory=dict)


def thesis_path(thesis: Thesis) -> str:
    return f"theses/{thesis.id}/index.html"


def browse_facet_path(facet: str) -> str:
    return f"browse/{facet}/index.html"


def browse_value_base(value: BrowseValue) -> str:
    return f"browse/{value.facet}/{value.slug}/"


def browse_value_path(value: BrowseValue) -> str:
    return browse_value_base(value) + "index.html"


def content_page_path(slug: str) -> str:
    return f"{slug}/index.html"


HOME = ("Home", "index.html")
BROWSE = ("Browse", "browse/index.html")


def plan_pages(collection: Collection, config: Config) -> list[Page]:
    """Every HTML page of the site, in a fixed order; planned once per collection and settings."""
    key = ("pages", tuple(sorted(config.values.items())))
    if key not in collection.memo:
        collection.memo[key] = _plan(collection, config)
    return collection.memo[key]


def _plan(collection: Collection, config: Config) -> list[Page]:
    pages = [home_page(collection, config)]
    pages.extend(listing_pages(collection, config))
    pages.extend(thesis_pages(collection))
    pages.append(browse_hub(collection))
    for facet in BROWSE_FACETS:
        pages.extend(browse_pages(collection, facet, config["page_size"]))
    pages.extend(content_pages(collection))
    pages.append(Page("downloads/index.html", "downloads.html", "Downloads", "downloads", [HOME, ("Downloads", None)]))
    pages.append(Page("search/index.html", "search.html", "Search", "search", [HOME, ("Search", None)],
                      {"example_query": example_query(collection)}))
    pages.append(Page("404.html", "404.html", "Page not found", "not-found"))
    return pages


def example_query(collection: Collection) -> str | None:
    """Return a field query for the search help that finds a thesis: the family name of the newest thesis's first author."""
    for thesis in collection.theses:
        for author in thesis.authors:
            # The search index drops apostrophes, so "O'Brien" is the word "obrien".
            word = _EXAMPLE_WORD.search(fold(family_name(author)).replace("'", "").replace("\u2019", ""))
            if word:
                return f"author:{word.group()}"
    return None


def path_clashes(pages: list[Page]) -> list[str]:
    """Describe each output path that two pages claim, naming the input behind both pages."""
    owners: dict[str, Page] = {}
    problems = []
    for page in pages:
        owner = owners.setdefault(page.path, page)
        if owner is not page:
            problems.append(f"{_source_of(page)}: output path {page.path} is already used by {_source_of(owner)}; "
                            "choose another slug or id")
    return problems


def _source_of(page: Page) -> str:
    if page.kind == "content":
        return str(page.data["page"].path)
    if page.kind == "thesis":
        return str(page.data["thesis"].path)
    return f"the {page.kind} page"


def home_page(collection: Collection, config: Config) -> Page:
    newest = collection.theses[: config["page_size"]]
    return Page("index.html", "home.html", config["title"], "home", [], {
        "newest": newest,
        "total": len(collection.theses),
        "held": _held_per_scope(collection),
        "years": collection.browse["year"],
        "year_chart": _year_chart(collection, "home-years"),
    })


def _held_per_scope(collection: Collection) -> list[int]:
    """Count, for each scope in order, the theses whose record names that scope as their source."""
    counts: dict[str, int] = {}
    for thesis in collection.theses:
        source = thesis.data.get("source")
        key = source.get("scope") if isinstance(source, dict) else None
        if isinstance(key, str):
            counts[key] = counts.get(key, 0) + 1
    return [counts.get(scope.handle or scope.name or "", 0) for scope in collection.scopes]


def _year_chart(collection: Collection, chart_id: str) -> charts.YearChart | None:
    return charts.year_chart(((int(value.name), len(value.theses)) for value in collection.browse["year"]), chart_id)


def listing_pages(collection: Collection, config: Config) -> list[Page]:
    pages = []
    for pagination, theses in paginate(collection.theses, config["page_size"], LISTING_BASE):
        title = _paged_title("All theses", pagination)
        crumbs = [HOME, ("All theses", None if pagination.number == 1 else pagination.path_of(1))]
        if pagination.number > 1:
            crumbs.append((f"Page {pagination.number}", None))
        pages.append(Page(pagination.path, "listing.html", title, "listing", crumbs,
                          {"theses": theses, "pagination": pagination, "heading": "All theses"}))
    return pages


def _paged_title(title: str, pagination: Pagination) -> str:
    return title if pagination.count == 1 else f"{title}, page {pagination.number} of {pagination.count}"


def thesis_pages(collection: Collection) -> list[Page]:
    pages = []
    theses = collection.theses
    for index, thesis in enumerate(theses):
        previous = theses[index - 1] if index > 0 else None
        following = theses[index + 1] if index + 1 < len(theses) else None
        crumbs = [HOME, ("All theses", LISTING_BASE + "index.html"), (thesis.title, None)]
        pages.append(Page(thesis_path(thesis), "thesis.html", thesis.title, "thesis", crumbs,
                          {"thesis": thesis, "previous": previous, "next": following}))
    return pages


def browse_hub(collection: Collection) -> Page:
    counts = {facet: len(collection.browse[facet]) for facet in BROWSE_FACETS}
    return Page("browse/index.html", "browse.html", "Browse", "browse", [HOME, ("Browse", None)],
                {"counts": counts, "labels": FACET_LABELS})


def browse_pages(collection: Collection, facet: str, page_size: int) -> list[Page]:
    plural, singular = FACET_LABELS[facet]
    values = collection.browse[facet]
    pages = [Page(browse_facet_path(facet), "browse_facet.html", f"Browse by {singular.lower()}", "browse-facet",
                  [HOME, BROWSE, (plural, None)],
                  {"facet": facet, "entries": values, "letters": _letters(values) if facet != "year" else [],
                   "plural": plural, "singular": singular,
                   "year_chart": _year_chart(collection, "browse-years") if facet == "year" else None})]
    for value in values:
        share = charts.share(len(value.theses), len(collection.theses)) if facet == "department" else None
        for pagination, theses in paginate(value.theses, page_size, browse_value_base(value)):
            crumbs = [HOME, BROWSE, (plural, browse_facet_path(facet)),
                      (value.name, None if pagination.number == 1 else pagination.path_of(1))]
            if pagination.number > 1:
                crumbs.append((f"Page {pagination.number}", None))
            heading = f"{singular}: {value.name}"
            pages.append(Page(pagination.path, "listing.html", _paged_title(heading, pagination), "browse-value",
                              crumbs, {"theses": theses, "pagination": pagination, "heading": heading, "value": value,
                                     "share": share}))
    return pages


def _letters(values: list[BrowseValue]) -> dict[str, list[BrowseValue]]:
    """The values grouped by first letter, letters in the values' order."""
    groups: dict[str, list[BrowseValue]] = {}
    for value in values:
        groups.setdefault(value.letter, []).append(value)
    return groups


def content_pages(collection: Collection) -> list[Page]:
    return [Page(content_page_path(page.slug), "page.html", page.title, "content", [HOME, (page.title, None)],
                 {"page": page}) for page in collection.pages]


def menu(collection: Collection) -> list[tuple[str, str]]:
    """The header menu: home, theses, browse, search, downloads, then content pages by their menu order."""
    items = [("Home", "index.html"), ("Theses", LISTING_BASE + "index.html"), ("Browse", "browse/index.html"),
             ("Search", "search/index.html"), ("Downloads", "downloads/index.html")]
    ordered = sorted((p for p in collection.pages if p.menu is not None), key=lambda p: (p.menu, p.title))
    items.extend((page.title, content_page_path(page.slug)) for page in ordered)
    return items
