"""Listing pages saved as HTML: DSpace 7 (Angular), DSpace 6 XMLUI (Mirage2) and JSPUI.

Each rendering is recognised by its own element and class names and read from them, never from
positions on the page:

* DSpace 7 and later: one ``ds-item-search-result-list-element`` per item, with the title in
  ``.item-list-title``, "(publisher, date)" in ``.item-list-publisher`` and ``.item-list-date``, every
  contributor value in ``.item-list-authors`` and the whole abstract in ``.item-list-abstract``. A page
  saved from the server response also carries Angular's transfer state, a JSON copy of the REST
  objects the server fetched. It contains each item's qualified metadata, so roles and handles are exact.
* XMLUI Mirage2: ``.ds-artifact-item`` elements with ``.artifact-title``, ``span.author``,
  ``span.publisher-date`` and an abstract the server shortened to about 220 characters.
* JSPUI: a results table with Issue Date, Title and Author(s) columns.

Pages that list sub-communities or collections instead of items are read as containers.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning

from .header import CONTAINER_HEADINGS, PERMANENT_URI, container_kind, parse_count
from .model import Count, ListingItem, ListingPage, Roles, Scope
from .text import DATE_GROUP

HANDLE_RESOLVER = "http://hdl.handle.net/"

_HANDLE_PATH = re.compile(r"/handle/([^/?#\s]+/[^/?#\s]+)")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_UUID_PATH = re.compile(r"/(?:items|entities/[^/?#]+)/(" + _UUID + ")")
_CONTAINER_HREF = re.compile(
    r"/(?:handle/[^/?#]+/[^/?#]+|communities/" + _UUID + "|collections/" + _UUID + ")/?$"
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_COUNT_WORDS = re.compile(r"now\s+showing|results", re.IGNORECASE)
_SECTION_TAGS = ("h1", "h2", "h3")
# Elements that never have an end tag, so a file that stops after one does not stop inside it.
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TRAILING_END_TAGS = re.compile(r"(?:</\s*[A-Za-z][\w:.-]*\s*>\s*)+$")


# --- the parsed document ------------------------------------------------------------------------


@dataclass
class _Document:
    """A parsed page with what every rendering needs: source lines, base URL, where the file stops."""

    soup: BeautifulSoup
    base_url: str | None
    lines: dict[int, int]  # id(tag) -> 1-based source line
    open_tags: set[int]  # ids of the elements the file ends inside (empty for a whole page)

    def line_of(self, tag: Tag | None) -> int | None:
        return self.lines.get(id(tag)) if tag is not None else None

    def ends_inside(self, tag: Tag | None) -> bool:
        return tag is not None and id(tag) in self.open_tags

    def absolute(self, href: str | None) -> str | None:
        """Return the link made absolute against the page's URL, or as printed when the page has no URL."""
        if not href:
            return None
        if urlsplit(href).scheme or not self.base_url:
            return href
        return urljoin(self.base_url, href)


def parse_html(text: str) -> ListingPage | None:
    """Parse an HTML listing page, or return None when it is not a DSpace listing page."""
    with warnings.catch_warnings():
        # Pages saved as XHTML start with an XML declaration, but they are still read as HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(text, "lxml")
    document = _Document(soup, _page_url(soup, text), _source_lines(text, soup), _open_elements(text, soup))
    for button in soup.find_all("button"):
        button.decompose()  # DSpace 7 puts "Show more" and "Collapse" buttons inside abstracts and contributor lists
    for parse in (_parse_dspace7, _parse_xmlui, _parse_jspui):
        page = parse(document)
        if page is not None:
            return page if _has_listing(page) else None
    return None


def _has_listing(page: ListingPage) -> bool:
    return bool(page.items or page.containers or page.count or page.scope.kind)


def _source_lines(text: str, soup: BeautifulSoup) -> dict[int, int]:
    """Map each tag of the soup (by id) to its source line.

    BeautifulSoup's lxml tree builder records no line numbers, so the text is parsed a second time
    by lxml itself. Both parses run libxml2's HTML parser on the same text, so the n-th element of
    a given name is the same element in both trees. Names whose counts differ get no line.
    """
    parser = lxml.etree.HTMLParser(encoding="utf-8")
    root = lxml.etree.fromstring(text.encode("utf-8"), parser)
    if root is None:
        return {}
    lxml_lines: dict[str, list[int]] = defaultdict(list)
    for element in root.iter():
        if isinstance(element.tag, str):
            lxml_lines[element.tag].append(element.sourceline)

    tags = soup.find_all(True)
    totals = Counter(tag.name for tag in tags)
    seen: Counter[str] = Counter()
    lines = {}
    for tag in tags:
        index = seen[tag.name]
        seen[tag.name] += 1
        if totals[tag.name] == len(lxml_lines[tag.name]):
            lines[id(tag)] = lxml_lines[tag.name][index]
    return lines


def _open_elements(text: str, soup: BeautifulSoup) -> set[int]:
    """Find the elements a cut-off file ends inside, as a set of tag ids.

    libxml2 closes whatever is still open at the end of the file, so the tree alone cannot tell a
    cut page from a whole one. The last content of the tree is its last text or start tag, not
    counting white space. The elements still open are that content's ancestors, less those that
    the run of end tags at the very end of the text closes, innermost first.
    """
    node = _last_content(soup)
    chain = [node] if isinstance(node, Tag) and node is not soup and node.name not in _VOID_TAGS else []
    chain += [parent for parent in node.parents if parent is not soup]

    trailing = _TRAILING_END_TAGS.search(text.rstrip())
    closed = re.findall(r"</\s*([A-Za-z][\w:.-]*)", trailing.group(0)) if trailing else []
    for name in closed:
        if not chain or chain[0].name != name.lower():
            break
        chain.pop(0)
    return {id(tag) for tag in chain}


def _last_content(soup: BeautifulSoup) -> Tag | NavigableString:
    node: Tag | NavigableString = soup
    while isinstance(node, Tag):
        children = [child for child in node.contents if isinstance(child, Tag) or child.strip()]
        if not children:
            break
        node = children[-1]
    return node


def _page_url(soup: BeautifulSoup, text: str) -> str | None:
    """Return the page's absolute URL from <base>, the canonical link, og:url or a browser's "saved from" mark."""
    candidates = [
        (soup.find("base", href=True) or {}).get("href"),
        (soup.find("link", rel="canonical", href=True) or {}).get("href"),
        (soup.find("meta", property="og:url", content=True) or {}).get("content"),
    ]
    saved = _SAVED_FROM.search(text[:4096])
    candidates.append(saved.group(1) if saved else None)
    return next((url for url in candidates if url and urlsplit(url).scheme in ("http", "https")), None)


# --- small readers shared by the renderings -------------------------------------------------------


def _text(element: Tag | None, separator: str = "") -> str:
    """Return the element's text with runs of white space collapsed, or "" for a missing element."""
    if element is None:
        return ""
    return " ".join(element.get_text(separator).split())


def _paragraphs(text: str | None) -> str | None:
    """Join the text's non-empty lines, each with white space collapsed, with blank lines between them."""
    lines = [" ".join(line.split()) for line in (text or "").split("\n")]
    return "\n\n".join(line for line in lines if line) or None


def _split_values(text: str) -> list[str]:
    return [value.strip() for value in text.split(";") if value.strip()]


def _handle_url(href: str | None) -> str | None:
    match = _HANDLE_PATH.search(href or "")
    return HANDLE_RESOLVER + match.group(1) if match else None


def _uuid(href: str | None) -> str | None:
    match = _UUID_PATH.search(href or "")
    return match.group(1).lower() if match else None


def _count(soup: BeautifulSoup) -> Count | None:
    """Find the announced count: "Now showing 1 - 10 of 22", "Results 1-10 of 73" or "N results"."""
    for element in soup.find_all(class_="pagination-info"):
        if count := parse_count(_text(element, " ")):
            return count
    for string in soup.find_all(string=_COUNT_WORDS):
        if string.parent.name in ("script", "style"):
            continue
        if count := parse_count(_text(string.parent, " ")):
            return count
    return None


def _under_container_heading(element: Tag) -> bool:
    heading = element.find_previous(_SECTION_TAGS)
    return heading is not None and bool(CONTAINER_HEADINGS.match(_text(heading)))


def _containers(soup: BeautifulSoup) -> tuple[list[str], str | None]:
    """Collect the names under headings such as "Communities of this Community", and their kind."""
    names: list[str] = []
    kinds: list[str] = []
    for heading in soup.find_all(_SECTION_TAGS):
        title = _text(heading)
        if CONTAINER_HEADINGS.match(title):
            found = _container_names(heading)
            names.extend(found)
            if found and container_kind(title) not in kinds:
                kinds.append(container_kind(title))
    # NOTE: a page listing both kinds gets the kind "sub-communities and collections".
    return names, " and ".join(kinds) or None


def _container_names(heading: Tag) -> list[str]:
    """Collect the community and collection links between a heading and the next section heading."""
    names: list[str] = []
    seen: set[str] = set()
    for element in heading.find_all_next(["a", *_SECTION_TAGS]):
        if element.name != "a":
            if _text(element):
                break
            continue
        href = element.get("href", "")
        name = _text(element)
        if _CONTAINER_HREF.search(href) and name and href not in seen:
            seen.add(href)
            names.append(name)
    return names


def _check_complete(item: ListingItem, document: _Document, root: Tag, *, title: Tag | None,
                    contributors: Tag | None, abstract: Tag | None) -> None:
    """Set the item's problem, or mark the part the file stops in as incomplete.

    `title`, `contributors` and `abstract` are the item's elements for those parts, None where missing.
    """
    if document.ends_inside(root):
        if document.ends_inside(abstract):
            item.abstract_complete = False
        elif document.ends_inside(contributors):
            item.contributor_line_complete = False
            item.problem = "cut inside its contributor list"
        elif title is None:
            item.problem = "cut before its title"
        elif document.ends_inside(title) or (contributors is None and abstract is None):
            item.problem = "cut before its contributor line"
    if item.problem is None and not item.title:
        item.problem = "no title"
    elif item.problem is None and not item.contributors and not item.group_publisher:
        item.problem = "no contributors"


def _finish(page: ListingPage, document: _Document, roots: list[Tag]) -> ListingPage:
    if not page.items:
        page.containers, page.container_kind = _containers(document.soup)
    page.truncated = any(document.ends_inside(root) for root in roots)
    return page


# --- DSpace 7 and later (Angular) ----------------------------------------------------------------


_DSPACE7_ITEM = re.compile(r"^ds-(?:themed-)?(?!community|collection)[\w-]*search-result-list-element$")
_DSPACE7_ANY = re.compile(r"^ds-")
# NOTE: "ng-state" is the id newer Angular releases give the script. No DSpace page using it was checked.
_STATE_SCRIPT_IDS = ["dspace-angular-state", "ng-state"]


def _parse_dspace7(document: _Document) -> ListingPage | None:
    soup = document.soup
    roots = _dspace7_item_elements(soup)
    if not roots and soup.find(_DSPACE7_ANY) is None and soup.find("script", id=_STATE_SCRIPT_IDS) is None:
        return None
    page = ListingPage(format="dspace7-html", scope=_dspace7_scope(soup), count=_count(soup))
    page.items = [_dspace7_item(root, position, document) for position, root in enumerate(roots, start=1)]
    exact = _transfer_state(soup, page.notes)
    if exact:
        _apply_exact(page.items, exact, page.notes)
    return _finish(page, document, roots)


def _dspace7_item_elements(soup: BeautifulSoup) -> list[Tag]:
    """Find the outermost item elements, or for unknown themes the list entries that contain an item title."""
    found = [tag for tag in soup.find_all(_DSPACE7_ITEM) if tag.find_parent(_DSPACE7_ITEM) is None]
    if found:
        return found
    return [title.find_parent("li") or title.parent for title in soup.find_all(class_="item-list-title")]


def _dspace7_scope(soup: BeautifulSoup) -> Scope:
    """Read the community or collection named above "Permanent URI for this …" and its handle link."""
    marker = soup.find(string=PERMANENT_URI)
    if marker is None:
        return Scope()
    match = PERMANENT_URI.search(marker)
    block = marker.find_parent(["p", "div"]) or marker.parent
    link = block.find("a", href=True) if block else None
    handle = match.group(2)
    if link is not None and not handle.startswith("http"):
        handle = link["href"] if link["href"].startswith("http") else _text(link)
    heading = marker.find_previous(["h1", "h2"])
    return Scope(
        name=_text(heading) or None,
        kind=match.group(1).casefold(),
        handle=handle if handle.startswith("http") else None,
        description=_dspace7_description(soup),
    )


def _dspace7_description(soup: BeautifulSoup) -> str | None:
    content = soup.find(["ds-comcol-page-content", "ds-themed-comcol-page-content"])
    if content is None:
        return None
    blocks = content.find_all(["p", "li"]) or [content]
    return "\n\n".join(text for text in (_text(block, " ") for block in blocks) if text) or None


def _dspace7_item(root: Tag, position: int, document: _Document) -> ListingItem:
    item = ListingItem(position=position, line=document.line_of(root), thumbnail=_dspace7_thumbnail(root))
    item.item_type = _text(root.find("ds-type-badge")) or None
    title = root.find(class_="item-list-title")
    item.title = _text(title) or None
    link = title if title is not None and title.get("href") else root.find("a", href=_UUID_PATH)
    if link is not None:
        item.url = document.absolute(link["href"])
        item.uuid = _uuid(link["href"])

    item.group_publisher = _text(root.find(class_="item-list-publisher")).rstrip(" ,") or None
    item.date = _text(root.find(class_="item-list-date")) or None
    authors = root.find(class_="item-list-authors")
    item.contributors = _split_values(_text(authors))
    abstract = root.find(class_="item-list-abstract")
    # The abstract keeps the line breaks of the metadata value (CSS white-space: pre-line).
    item.abstract = _paragraphs(abstract.get_text()) if abstract is not None else None
    _check_complete(item, document, root, title=title, contributors=authors, abstract=abstract)
    return item


def _dspace7_thumbnail(root: Tag) -> bool | None:
    """Return True for a thumbnail image, False for the "No Thumbnail Available" placeholder, None for neither."""
    if root.find("img", alt=re.compile(r"thumbnail", re.IGNORECASE)) is not None:
        return True
    if root.find(class_="thumbnail-placeholder") is not None or root.find(string=re.compile("No Thumbnail Available")):
        return False
    return None


# --- DSpace 7 transfer state: exact metadata ----------------------------------------------------------


# Older Angular releases escape these characters in the transfer state script.
_ANGULAR_ESCAPES = {"&a;": "&", "&q;": '"', "&s;": "'", "&l;": "<", "&g;": ">"}


def _transfer_state(soup: BeautifulSoup, notes: list[str]) -> dict[str, Roles]:
    """Read the exact metadata of every item in the page's transfer state, by item UUID."""
    script = soup.find("script", id=_STATE_SCRIPT_IDS)
    if script is None:
        return {}
    raw = script.string or ""
    if "&q;" in raw:
        raw = re.sub(r"&[aqslg];", lambda match: _ANGULAR_ESCAPES[match.group(0)], raw)
    try:
        state = json.loads(raw)
    except json.JSONDecodeError as error:
        notes.append(
            f"the embedded metadata (script #{script['id']}) is not valid JSON ({error.msg} at character "
            f"{error.pos}); roles were inferred from the visible text"
        )
        return {}
    return {uuid: _roles(item) for uuid, item in _state_items(state).items()}


def _state_items(state: Any) -> dict[str, dict[str, Any]]:
    """Find every item object in the state, by UUID, wherever the cache keeps it."""
    found: dict[str, dict[str, Any]] = {}
    stack = [state]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            uuid = value.get("uuid") or value.get("id")
            metadata = value.get("metadata")
            if isinstance(uuid, str) and isinstance(metadata, (dict, list)) and _type_name(value) in (None, "item"):
                previous = found.get(uuid.lower())
                if previous is None or len(_metadata(previous)) < len(_metadata(value)):
                    found[uuid.lower()] = value
            stack.extend(value.values())
    return found


def _type_name(value: dict[str, Any]) -> str | None:
    kind = value.get("type")
    if isinstance(kind, dict):
        kind = kind.get("value")
    return kind if isinstance(kind, str) else None


def _metadata(item: dict[str, Any]) -> dict[str, list[str]]:
    """Return the item's metadata as field -> values, from the REST map or a list of {key, value} entries."""
    metadata = item.get("metadata")
    pairs: list[tuple[Any, Any]] = []
    if isinstance(metadata, dict):
        pairs = [(key, entry) for key, entries in metadata.items() if isinstance(entries, list) for entry in entries]
    elif isinstance(metadata, list):
        pairs = [(entry.get("key"), entry) for entry in metadata if isinstance(entry, dict)]
    values: dict[str, list[str]] = defaultdict(list)
    for key, entry in pairs:
        value = entry.get("value") if isinstance(entry, dict) else entry
        if isinstance(key, str) and isinstance(value, str):
            values[key].append(value)
    return dict(values)


def _roles(item: dict[str, Any]) -> Roles:
    values = _metadata(item)

    def first(*fields: str) -> str | None:
        return next((values[name][0] for name in fields if values.get(name)), None)

    subjects = [value for name, found in values.items() if name == "dc.subject" or name.startswith("dc.subject.")
                for value in found]
    return Roles(
        authors=values.get("dc.contributor.author") or values.get("dc.creator", []),
        advisors=values.get("dc.contributor.advisor", []),
        departments=values.get("dc.contributor.department", []),
        publishers=_unique(values.get("dc.publisher", []) + values.get("dc.contributor.publisher", [])),
        subjects=subjects,
        degree=first("thesis.degree.name"),
        type=first("dc.type"),
        language=first("dc.language.iso", "dc.language"),
        date_issued=first("dc.date.issued"),
        abstract=first("dc.description.abstract"),
        title=first("dc.title"),
        handle=_state_handle(values.get("dc.identifier.uri", []), item.get("handle")),
    )


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _state_handle(uris: list[str], handle: Any) -> str | None:
    for uri in uris:
        if "hdl.handle.net/" in uri or "/handle/" in uri:
            return uri
    return HANDLE_RESOLVER + handle if isinstance(handle, str) and handle else None


def _apply_exact(items: list[ListingItem], exact: dict[str, Roles], notes: list[str]) -> None:
    """Attach each item's exact metadata and check the visible text against it."""
    for item in items:
        roles = exact.get(item.uuid or "")
        if roles is None and item.problem is None:
            notes.append(f"{item.where}: not in the embedded metadata; roles were inferred from the visible text")
        if roles is None:
            continue
        item.exact = roles
        item.handle = roles.handle
        notes.extend(f"{item.where}: {message}" for message in _cross_check(item, roles))
        if item.problem in ("no title", "no contributors") and item.title and (roles.authors or roles.advisors):
            item.problem = None  # the metadata gives what the visible text left out


def _cross_check(item: ListingItem, roles: Roles) -> list[str]:
    """Compare the visible title, date, abstract and contributors with the metadata, which wins."""
    messages = []
    exact_values = {
        "title": " ".join((roles.title or "").split()) or None,
        "date": roles.date_issued,
        "abstract": _paragraphs(roles.abstract),
    }
    for name, exact in exact_values.items():
        visible = getattr(item, name)
        if exact is None:
            continue
        if visible is not None and visible.split() != exact.split():
            messages.append(f"the visible {name} {_short(visible)} differs from the metadata {_short(exact)}; "
                            "used the metadata")
        setattr(item, name, exact)

    visible_values = set(item.contributors)
    missing = [value for value in roles.authors + roles.advisors + roles.departments if value not in visible_values]
    if item.contributors and missing:
        messages.append(f"the visible contributor list lacks {'; '.join(missing)}, which the metadata gives")
    return messages


def _short(value: str) -> str:
    return repr(value) if len(value) <= 60 else repr(value[:57] + "...")


# --- DSpace 6 XMLUI (Mirage2) ------------------------------------------------------------------------


_XMLUI_VIEWER = re.compile(r"(collection|community)(?:-home|Viewer)", re.IGNORECASE)


def _parse_xmlui(document: _Document) -> ListingPage | None:
    soup = document.soup
    markers = soup.select_one(".ds-artifact-item, .ds-artifact-list, p.pagination-info")
    if markers is None and soup.find(id=re.compile(r"^aspect_")) is None:
        return None
    roots = [root for root in soup.find_all(class_="ds-artifact-item")
             if root.find_parent(class_="ds-artifact-item") is None and not _under_container_heading(root)]
    page = ListingPage(format="xmlui-html", scope=_xmlui_scope(document), count=_count(soup))
    page.items = [_xmlui_item(root, position, document) for position, root in enumerate(roots, start=1)]
    return _finish(page, document, roots)


def _xmlui_scope(document: _Document) -> Scope:
    soup = document.soup
    heading = soup.select_one("h2.page-header, h1.page-header") or soup.find("h1")
    viewer = soup.find(id=_XMLUI_VIEWER)
    kind = _XMLUI_VIEWER.search(viewer["id"]).group(1).casefold() if viewer is not None else None
    return Scope(name=_text(heading) or None, kind=kind, handle=_handle_url(document.base_url))


def _xmlui_item(root: Tag, position: int, document: _Document) -> ListingItem:
    item = ListingItem(position=position, line=document.line_of(root), authors_only=True)
    heading = root.find(class_="artifact-title")
    title = (heading.find("a", href=True) if heading is not None else None) or heading
    item.title = _text(title).strip("\ufeff ") or None  # Mirage2 pads its COinS span with U+FEFF
    href = title.get("href") if title is not None else None
    item.url = document.absolute(href)
    item.handle = _handle_url(href)

    authors = root.find(class_="author")
    item.contributors = _xmlui_authors(authors)
    _xmlui_publisher_date(item, root.find(class_="publisher-date"))
    abstract = root.find(class_="artifact-abstract")
    item.abstract = _text(abstract, " ") or None
    if item.abstract and item.abstract.endswith(("...", "…")):
        item.abstract_complete = False  # the server shortened it
    item.thumbnail = _xmlui_thumbnail(root)
    _check_complete(item, document, root, title=title, contributors=authors, abstract=abstract)
    return item


def _xmlui_authors(authors: Tag | None) -> list[str]:
    """Read one value per innermost <span> in span.author, or split its text at "; " when it has none."""
    if authors is None:
        return []
    spans = [span for span in authors.find_all("span") if span.find("span") is None and _text(span)]
    if spans:
        return [value for span in spans for value in _split_values(_text(span))]
    return _split_values(_text(authors))


def _xmlui_publisher_date(item: ListingItem, group: Tag | None) -> None:
    """Read "(Publisher, 2021-05-14)" from span.publisher and span.date, or from the group's text."""
    if group is None:
        return
    publisher, date = group.find(class_="publisher"), group.find(class_="date")
    if publisher is not None or date is not None:
        item.group_publisher = _text(publisher).rstrip(" ,") or None
        item.date = _text(date) or None
        return
    match = DATE_GROUP.search(_text(group))
    if match:
        item.group_publisher = (match.group("publisher") or "").strip() or None
        item.date = match.group("date")


def _xmlui_thumbnail(root: Tag) -> bool | None:
    """Return True for a thumbnail image, False for the "No Thumbnail" holder, None when the theme shows none."""
    preview = root.find(class_=["artifact-preview", "thumbnail"])
    image = preview.find("img") if preview is not None else None
    if image is None:
        return None
    source = image.get("src") or ""
    return bool(source) and "holder.js" not in source


# --- DSpace JSPUI 5 and 6 --------------------------------------------------------------------------


_JSPUI_COLUMNS = {
    "date": re.compile(r"^(?:issue\s+)?date\b", re.IGNORECASE),
    "title": re.compile(r"^title$", re.IGNORECASE),
    "authors": re.compile(r"^(?:author|creator|contributor)", re.IGNORECASE),
}
_JSPUI_EMPTY = "-"  # what JSPUI prints in a cell whose field has no value
_ET_AL = re.compile(r",?\s*et\s+al\.?$", re.IGNORECASE)
_JSPUI_BROWSING = re.compile(r'Browsing\s+"(.+?)"\s+by\b', re.IGNORECASE)
_JSPUI_HOME = re.compile(r"^(collection|community) home page$", re.IGNORECASE)


def _parse_jspui(document: _Document) -> ListingPage | None:
    soup = document.soup
    table, columns = _jspui_table(soup)
    rows = [row for row in table.find_all("tr") if row.find("td", recursive=False)] if table else []
    page = ListingPage(format="jspui-html", scope=_jspui_scope(soup), count=_count(soup))
    page.scope.handle = _handle_url(document.base_url)
    page.items = [_jspui_item(row, columns, position, document, page.notes)
                  for position, row in enumerate(rows, start=1)]
    page = _finish(page, document, rows)
    return page if table is not None or page.containers else None


def _jspui_table(soup: BeautifulSoup) -> tuple[Tag | None, dict[str, int]]:
    """Find the first table whose headers name a Title column and a date or author column."""
    for table in soup.find_all("table"):
        columns: dict[str, int] = {}
        for index, header in enumerate(table.find_all("th")):
            for name, pattern in _JSPUI_COLUMNS.items():
                if name not in columns and pattern.match(_text(header)):
                    columns[name] = index
        if "title" in columns and ("date" in columns or "authors" in columns):
            return table, columns
    return None, {}


def _jspui_scope(soup: BeautifulSoup) -> Scope:
    """Read the scope from "NAME <small>Collection home page</small>" or 'Browsing "NAME" by Issue Date'."""
    for heading in soup.find_all(["h1", "h2"]):
        label = heading.find("small")
        home = _JSPUI_HOME.match(_text(label))
        if home:
            name = _text(heading).removesuffix(_text(label)).strip()
            return Scope(name=name or None, kind=home.group(1).casefold())
        browsing = _JSPUI_BROWSING.search(_text(heading))
        if browsing:
            return Scope(name=browsing.group(1))
    return Scope()


def _jspui_item(row: Tag, columns: dict[str, int], position: int, document: _Document,
                notes: list[str]) -> ListingItem:
    cells = row.find_all("td", recursive=False)

    def cell(name: str) -> Tag | None:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    item = ListingItem(position=position, line=document.line_of(row), authors_only=True)
    title = cell("title")
    link = title.find("a", href=True) if title is not None else None
    item.title = _text(link or title) or None
    item.url = document.absolute(link["href"]) if link is not None else None
    item.handle = _handle_url(link["href"]) if link is not None else None
    date = _text(cell("date"))
    item.date = date if date not in ("", _JSPUI_EMPTY) else None

    authors = cell("authors")
    names = _text(authors)
    if _ET_AL.search(names):
        names = _ET_AL.sub("", names)
        notes.append(f"{item.where}: the author list ends in \"et al.\", so only the authors shown were kept")
    item.contributors = _split_values(names) if names != _JSPUI_EMPTY else []
    _check_complete(item, document, row, title=title, contributors=authors, abstract=None)
    return item
