"""Listing pages copied from a browser as text.

DSpace 7 copies come in several shapes, all handled here:

* line form: "Thumbnail Image" / "Item" / title / "(2024) Names; …" / abstract, one per line,
  often under "  • " bullets and indented;
* glued form: "Item TITLE(2022) Names; …; …Md.)Abstract…Item NEXT…", no line breaks;
* "Item type: Item , TITLE(…)…" badges and "- ItemTITLE(Publisher, 2025-04) Name…" dash lists;
* lists with no badges at all, where each item is found by its "(2024) …" line.

DSpace 6 (XMLUI) copies print "  • TITLE", then "Names (Publisher., 2021)", then the abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..people import PARTICLES
from .header import CONTAINER_HEADINGS, PERMANENT_URI, SECTION_HEADINGS, container_kind, parse_count
from .model import ListingItem, ListingPage, Scope

_DATE = r"\d{4}(?:-\d{1,2}){0,2}|\d{1,2}-[A-Za-z]{3}-\d{4}"
# "(2024)", "(2025-11)", "(University of Wexmoor, 2025-05)", "(0023-08-24)".
DATE_GROUP = re.compile(r"\((?:(?P<publisher>[^()\n]*?),\s*)?(?P<date>" + _DATE + r")\)")
# DSpace 6: "Names (The University of Veldmark., 2021)" at the end of a line.
NAMES_GROUP = re.compile(r"^(?P<names>\S.*?)\s*\((?P<publisher>[^()\n]*?),\s*(?P<date>" + _DATE + r")\)\s*$")
BULLET = re.compile(r"^\s*(?:[•·▪◦*]|-(?=\s))\s?")
THUMBNAIL_MARKERS = {"Thumbnail Image": True, "No Thumbnail Available": False}
BADGE = re.compile(r"(?P<thumb>Thumbnail Image|No Thumbnail Available)?Item(?P<typed> type:\s*Item\s*,)?\s*")
_LINE_BADGE = re.compile(r"^Item(?: type:\s*Item\s*,?)?$")
_SENTENCE_END = re.compile(r"[.!?…)\]\"”’']$")
# A badge, then a title and a date group on the same line: "Item TITLE(2022) …". The title is bounded so that
# a long line with many "Item" words and no date group (minified script, say) is not rescanned per word.
_MAX_TITLE = 1000  # characters; longer runs of text before a date group are not taken as a title
_BADGE_THEN_GROUP = re.compile(
    r"(?:^|\S)Item(?: type:\s*Item\s*,)?\s*\S[^\n]{0,%d}?" % _MAX_TITLE + DATE_GROUP.pattern, re.MULTILINE)


@dataclass
class _Line:
    number: int
    raw: str
    content: str
    bullet: bool


@dataclass
class _Segment:
    """The lines of one item, from its first marker to the next item."""

    line: int
    thumbnail: bool | None = None
    item_type: str | None = None
    texts: list[tuple[int, str]] = field(default_factory=list)


def _lines(text: str) -> list[_Line]:
    result = []
    for number, raw in enumerate(text.split("\n"), start=1):
        bullet = BULLET.match(raw)
        content = raw[bullet.end():] if bullet else raw
        result.append(_Line(number, raw, content.strip(), bool(bullet)))
    return result


def looks_like_text_listing(text: str) -> bool:
    """True when the text shows an item group, a count line or a scope line of a repository page."""
    if PERMANENT_URI.search(text) or any(parse_count(line) for line in text.split("\n")[:400]):
        return True
    if _BADGE_THEN_GROUP.search(text):
        return True
    return any(NAMES_GROUP.match(line.strip()) for line in text.split("\n")) or bool(
        re.search(r"^\s*" + DATE_GROUP.pattern + r"\s+[^\W\d_]", text, re.MULTILINE)
    )


def parse_text(text: str) -> ListingPage:
    """Parse a listing page copied as text."""
    lines = _lines(text)
    ends_with_newline = text.endswith("\n")
    if _is_xmlui_copy(lines):
        page = ListingPage(format="xmlui-text")
        _parse_header(lines, page)
        _parse_xmlui_items(lines, page, ends_with_newline)
        page.truncated = _ends_inside_item(page)
        return page

    page = ListingPage(format="dspace7-text")
    segments, header_end = _badge_segments(lines)
    _parse_header(lines[:header_end] if segments else lines, page)
    if segments:
        page.items = [
            _item_from_segment(seg, position, last=position == len(segments), eof_newline=ends_with_newline)
            for position, seg in enumerate(segments, start=1)
        ]
    else:
        _parse_unbadged_items(lines, page, ends_with_newline)
    if not page.items:
        _parse_containers(lines, page)
    page.truncated = _ends_inside_item(page)
    return page


def _ends_inside_item(page: ListingPage) -> bool:
    return bool(page.items) and (page.items[-1].problem is not None or not page.items[-1].abstract_complete)


# --- page header ------------------------------------------------------------------------------


def _parse_header(lines: list[_Line], page: ListingPage) -> None:
    for index, line in enumerate(lines):
        if page.count is None and (count := parse_count(line.content)):
            page.count = count
        uri = PERMANENT_URI.search(line.content)
        if uri and page.scope.kind is None:
            page.scope = _scope_from(lines, index, uri)


def _scope_from(lines: list[_Line], index: int, uri: re.Match) -> Scope:
    scope = Scope(kind=uri.group(1).casefold())
    handle = uri.group(2)
    if not handle.startswith("http") and index + 1 < len(lines) and lines[index + 1].content.startswith("http"):
        handle = lines[index + 1].content.split()[0]
    scope.handle = handle if handle.startswith("http") else None

    before = [line.content for line in lines[:index] if line.content]
    if before and not SECTION_HEADINGS.match(before[-1]):
        scope.name = before[-1]

    paragraphs = []
    for line in lines[index + 1:]:
        if SECTION_HEADINGS.match(line.content) or parse_count(line.content):
            break
        if line.content and line.content != scope.handle:
            paragraphs.append(line.content)
    scope.description = "\n\n".join(paragraphs) or None
    return scope


def _parse_containers(lines: list[_Line], page: ListingPage) -> None:
    """Recognise a page that lists sub-communities or collections instead of items."""
    for index, line in enumerate(lines):
        if CONTAINER_HEADINGS.match(line.content):
            page.container_kind = container_kind(line.content)
            indent = None
            for entry in lines[index + 1:]:
                if entry.bullet and entry.content and not parse_count(entry.content):
                    width = len(entry.raw) - len(entry.raw.lstrip())
                    indent = width if indent is None else indent
                    if width == indent:
                        page.containers.append(entry.content)
            return


# --- DSpace 7 items marked by badges ----------------------------------------------------------


def _badge_segments(lines: list[_Line]) -> tuple[list[_Segment], int]:
    """Split the page into item segments at "Thumbnail Image" / "Item" markers, glued or on lines."""
    segments: list[_Segment] = []
    header_end = len(lines)
    pending_thumbnail: bool | None = None
    for index, line in enumerate(lines):
        content = line.content
        if content in THUMBNAIL_MARKERS:
            pending_thumbnail = THUMBNAIL_MARKERS[content]
            header_end = min(header_end, index)
            segments.append(_Segment(line.number, thumbnail=pending_thumbnail))
            continue
        if _LINE_BADGE.match(content):
            header_end = min(header_end, index)
            if pending_thumbnail is not None and segments and not segments[-1].texts and segments[-1].item_type is None:
                segments[-1].item_type = "Item"
            else:
                segments.append(_Segment(line.number, thumbnail=False, item_type="Item"))
            pending_thumbnail = None
            continue
        pending_thumbnail = None
        pieces = _split_glued(content)
        if pieces:
            header_end = min(header_end, index)
            lead, glued = pieces
            if lead and segments:
                segments[-1].texts.append((line.number, lead))
            segments.extend(_Segment(line.number, thumbnail, "Item", [(line.number, rest)]) for thumbnail, rest in glued)
        elif segments:
            segments[-1].texts.append((line.number, content))
    return segments, header_end


def _split_glued(content: str) -> tuple[str, list[tuple[bool | None, str]]] | None:
    """Split a line at glued item badges: "Item A(2020) …access.Item B(2017) …".

    Return the text before the first badge and (thumbnail, text) per item, or None when the
    line holds no badge. A badge counts at the start of the line, glued to the text before it, or
    after a space that follows the end of a sentence ("…access. Item B(2017) …"), and only when
    a date group and a contributor list follow before the next badge (or, for the last badge,
    when it follows the end of a sentence).
    """
    candidates = []
    for match in BADGE.finditer(content):
        start = match.start()
        if start > 0 and content[start - 1].isspace() and not _after_sentence(content, start):
            continue
        following = content[match.end():match.end() + 1]
        if not following or not (following.isupper() or following.isdigit() or following in "\"“‘'("):
            continue
        candidates.append(match)
    accepted = []
    for number, match in enumerate(candidates):
        end = candidates[number + 1].start() if number + 1 < len(candidates) else len(content)
        body = content[match.end():end]
        is_last = number + 1 == len(candidates)
        if find_date_group(body[:_MAX_TITLE + 200]) or (is_last and _after_sentence(content, match.start()) and accepted):
            accepted.append(match)
    if not accepted:
        return None
    items = []
    for number, match in enumerate(accepted):
        end = accepted[number + 1].start() if number + 1 < len(accepted) else len(content)
        thumbnail = THUMBNAIL_MARKERS.get(match.group("thumb") or "")
        items.append((thumbnail, content[match.end():end]))
    return content[:accepted[0].start()], items


def _after_sentence(content: str, start: int) -> bool:
    """True when the text before `start`, spaces aside, ends a sentence."""
    before = content[:start].rstrip()
    return bool(before) and before[-1] in ".!?)”\"’"


def _item_from_segment(segment: _Segment, position: int, last: bool, eof_newline: bool) -> ListingItem:
    item = ListingItem(position=position, line=segment.line, thumbnail=segment.thumbnail, item_type=segment.item_type)
    texts = [text for _, text in segment.texts if text]
    body = "\n".join(texts)
    _fill_from_body(item, body, last=last, eof_newline=eof_newline)
    return item


def _contributor_start(text: str, offset: int) -> bool:
    rest = text[offset:].lstrip(" ")
    if not rest or rest[0] == "\n" or rest[0].isupper():
        return True
    # A first author whose family name starts with a particle: "(1960) von Stellwag, Jonas; …". A year cited
    # in an abstract ("Bergström’s (2020) approach") is followed by a lower-case word with no capital after it.
    words = rest.split(maxsplit=4)
    particles = 0
    while particles < len(words) and words[particles].casefold() in PARTICLES:
        particles += 1
    return 0 < particles < len(words) and words[particles][0].isupper()


def find_date_group(body: str) -> re.Match | None:
    """The first date group that is followed by the contributor list (not a year in the title)."""
    for match in DATE_GROUP.finditer(body):
        if _contributor_start(body, match.end()):
            return match
    return None


def _fill_from_body(item: ListingItem, body: str, last: bool, eof_newline: bool) -> None:
    group = find_date_group(body)
    if group is None:
        item.title = " ".join(body.split()) or None
        if last:
            item.problem = "cut before its contributor line" if item.title else "cut before its title"
        else:
            item.problem = "no date and contributor line found"
        return

    item.title = " ".join(body[:group.start()].split()) or None
    item.date = group.group("date")
    item.group_publisher = (group.group("publisher") or "").strip() or None
    rest = body[group.end():]
    newline = rest.find("\n")
    contributors, after = (rest, "") if newline < 0 else (rest[:newline], rest[newline + 1:])
    glue = find_glued_abstract(contributors)
    abstract_start = ""
    if glue is not None:
        contributors, abstract_start = contributors[:glue], contributors[glue:]
    item.contributors = [value.strip() for value in contributors.split(";") if value.strip()]

    abstract_lines = [line.strip() for line in ([abstract_start] + after.split("\n")) if line.strip()]
    item.abstract = "\n\n".join(abstract_lines) or None
    if last and not eof_newline:
        if item.abstract is None and not contributors.rstrip().endswith(")"):
            item.contributor_line_complete = False
        elif item.abstract is not None and not _SENTENCE_END.search(item.abstract):
            item.abstract_complete = False

    if not item.contributor_line_complete:
        item.problem = "cut inside its contributor list"
    elif item.title is None:
        item.problem = "no title"
    elif not item.contributors and not item.group_publisher:
        item.problem = "no contributors"


# --- where a glued abstract begins --------------------------------------------------------------


def _looks_like_prose(text: str) -> bool:
    """True when `text` starts like a sentence: a capitalised word, then lower-case words, no "; " list."""
    words = text.split()
    if len(words) < 3 or not (words[0][0].isupper() or words[0][0].isdigit()):
        return False
    head = " ".join(words[:6])
    if ";" in head:
        return False
    return any(word[0].islower() for word in words[1:4])


def find_glued_abstract(contributors: str) -> int | None:
    """Find where an abstract glued to the end of a contributor list begins, or return None.

    The abstract may follow a closing bracket ("…Md.)Community oral…"), a full stop
    ("…Sven E.Abstract"), or the last word of a name with no space ("Yuning" + "When tenants",
    "McFarlow" + "Nitrogen", the initial "L" + "A high-frequency").
    """
    text = contributors
    for index in range(1, len(text) - 1):
        before, here, after = text[index - 1], text[index], text[index + 1]
        candidate = False
        if before in ").":
            candidate = here.isupper() or here.isdigit()
        elif before.isalpha() and here.isupper() and after.islower():
            # The last capital of a glued word: in "McFarlowNitrogen" the abstract starts at "N". A capital
            # inside the family name of a "Family, Given" value ("McFarlow, Maisie") is not a glue point.
            word_end = _word_end(text, index)
            candidate = not _has_inner_capital(text[index + 1:word_end]) and not (
                text[word_end - 1] == "," and _starts_value(text, index))
        elif before.isupper() and here in "AI" and after == " " and index >= 2 and text[index - 2] == " ":
            candidate = True  # "Rubén LA high-…": initial "L", abstract starts with "A".
        elif before.islower() and here in "AI" and after == " ":
            candidate = True  # "Devaraj, ChinmayaA final chapter…": abstract starts with the word "A" or "I".
        if candidate and _looks_like_prose(text[index:]):
            return index
    return None


def _word_end(text: str, index: int) -> int:
    end = index
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def _starts_value(text: str, index: int) -> bool:
    """True when `index` lies in the first word of a "; "-separated value."""
    value_start = text.rfind(";", 0, index) + 1
    return " " not in text[value_start:index].strip()


def _has_inner_capital(word: str) -> bool:
    return any(a.isalpha() and b.isupper() and c.islower() for a, b, c in zip(word, word[1:], word[2:]))


# --- DSpace 7 lists with no badges --------------------------------------------------------------


_GROUP_LINE = re.compile(r"^" + DATE_GROUP.pattern + r"(?=\s+\S|\s*$)")


def _looks_like_abstract(line: str) -> bool:
    if len(line) >= 200:
        return True
    return len(line) > 120 and line.endswith(".") and len(re.findall(r"[.!?]\s+[A-Z]", line)) >= 1


def _parse_unbadged_items(lines: list[_Line], page: ListingPage, eof_newline: bool) -> None:
    """Items found by their "(2024) Names; …" lines; the title is the line before, the abstract after."""
    anchors = [i for i, line in enumerate(lines) if _GROUP_LINE.match(line.content) and find_date_group(line.content)]
    if not anchors:
        return
    bodies: list[tuple[int, list[str]]] = []  # (first line index, lines of the item)
    previous_end = 0
    for number, anchor in enumerate(anchors):
        between = [i for i in range(previous_end, anchor) if lines[i].content]
        title_index = None
        if between:
            candidate = between[-1]
            is_first = number == 0
            if is_first or len(between) >= 2 or not _looks_like_abstract(lines[candidate].content):
                if not SECTION_HEADINGS.match(lines[candidate].content) and not parse_count(lines[candidate].content):
                    title_index = candidate
        if bodies:
            abstract_end = title_index if title_index is not None else anchor
            bodies[-1][1].extend(lines[i].content for i in range(previous_end, abstract_end) if lines[i].content)
        start = title_index if title_index is not None else anchor
        body = ([lines[title_index].content] if title_index is not None else []) + [lines[anchor].content]
        bodies.append((start, body))
        previous_end = anchor + 1
    bodies[-1][1].extend(line.content for line in lines[previous_end:] if line.content)

    for position, (start, body) in enumerate(bodies, start=1):
        item = ListingItem(position=position, line=lines[start].number)
        text = "\n".join(body)
        if start == anchors[position - 1]:
            text = "\n" + text  # no title line: the group line comes first
        _fill_from_body(item, text, last=position == len(bodies), eof_newline=eof_newline)
        page.items.append(item)


# --- DSpace 6 (XMLUI) copies ---------------------------------------------------------------------


def _is_xmlui_copy(lines: list[_Line]) -> bool:
    names_lines = sum(1 for line in lines if NAMES_GROUP.match(line.content) and not line.content.startswith("("))
    if not names_lines:
        return False
    dspace7 = any(_GROUP_LINE.match(line.content) or _LINE_BADGE.match(line.content) for line in lines)
    return not dspace7


def _parse_xmlui_items(lines: list[_Line], page: ListingPage, eof_newline: bool) -> None:
    anchors = [i for i, line in enumerate(lines) if NAMES_GROUP.match(line.content) and not line.content.startswith("(")]
    previous_end = 0
    for position, anchor in enumerate(anchors, start=1):
        title_index = next((i for i in range(anchor - 1, previous_end - 1, -1) if lines[i].bullet), None)
        if position > 1:
            last_item = page.items[-1]
            abstract_end = title_index if title_index is not None else anchor
            _append_abstract(last_item, [lines[i].content for i in range(previous_end, abstract_end)])
        match = NAMES_GROUP.match(lines[anchor].content)
        item = ListingItem(
            position=position,
            line=lines[title_index if title_index is not None else anchor].number,
            title=lines[title_index].content or None if title_index is not None else None,
            date=match.group("date"),
            contributors=[v.strip() for v in match.group("names").split(";") if v.strip()],
            group_publisher=match.group("publisher").strip() or None,
            authors_only=True,
        )
        page.items.append(item)
        previous_end = anchor + 1
    if page.items:
        last_item = page.items[-1]
        _append_abstract(last_item, [line.content for line in lines[previous_end:]])
        if last_item.abstract and not eof_newline and not _SENTENCE_END.search(last_item.abstract):
            last_item.abstract_complete = False
    for item in page.items:
        if item.title is None:
            item.problem = "no title"


def _append_abstract(item: ListingItem, contents: list[str]) -> None:
    paragraphs = [c for c in contents if c]
    if paragraphs:
        item.abstract = "\n\n".join(([item.abstract] if item.abstract else []) + paragraphs)
