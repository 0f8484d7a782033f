"""The listing model: what one repository listing page says, before it becomes records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Scope:
    """The community or collection a listing page belongs to."""

    name: str | None = None
    kind: str | None = None  # "community" or "collection"
    handle: str | None = None  # the handle URL, e.g. http://hdl.handle.net/1903/1654
    description: str | None = None


@dataclass
class Count:
    """The announced "Now showing FIRST - LAST of TOTAL", or "N results" (FIRST and LAST unknown)."""

    total: int
    first: int | None = None
    last: int | None = None
    printed: str = ""


@dataclass
class Roles:
    """Contributor values whose roles the source states exactly (DSpace metadata), not inferred."""

    authors: list[str] = field(default_factory=list)
    advisors: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    degree: str | None = None
    type: str | None = None
    language: str | None = None
    date_issued: str | None = None
    abstract: str | None = None
    title: str | None = None
    handle: str | None = None


@dataclass
class ListingItem:
    """One item of a listing page, in the words the page used."""

    position: int  # 1-based, in page order
    line: int | None = None  # 1-based line of the file where the item starts, when known
    title: str | None = None
    date: str | None = None  # as printed: "2024", "2025-04", "20-Aug-2010"
    contributors: list[str] = field(default_factory=list)  # printed "; "-separated values, in order
    contributor_line_complete: bool = True
    group_publisher: str | None = None  # the publisher of a "(Publisher, 2025-04)" group
    abstract: str | None = None
    abstract_complete: bool = True
    thumbnail: bool | None = None
    item_type: str | None = None  # the badge, e.g. "Item"
    url: str | None = None  # the item's page in the repository
    handle: str | None = None  # handle URL
    uuid: str | None = None
    exact: Roles | None = None  # roles straight from repository metadata, when the page carries it
    authors_only: bool = False  # the rendering shows authors alone (DSpace 6 XMLUI, JSPUI)
    problem: str | None = None  # why this item cannot become a record; None when it can

    @property
    def where(self) -> str:
        return f"item {self.position}" + (f" (line {self.line})" if self.line else "")


@dataclass
class ListingPage:
    """A parsed listing page: scope, announced count and items in page order."""

    format: str  # detected rendering, e.g. "dspace7-text", "dspace7-html", "xmlui-html", "jspui-html"
    scope: Scope = field(default_factory=Scope)
    count: Count | None = None
    items: list[ListingItem] = field(default_factory=list)
    containers: list[str] = field(default_factory=list)  # sub-communities or collections listed instead of items
    container_kind: str | None = None  # "sub-communities" or "collections"
    notes: list[str] = field(default_factory=list)  # warnings about the page as a whole
    truncated: bool = False  # the file ends inside an item
