"""Scholarly metadata: what a thesis is as a citation, and that citation in each format.

One `Citation` is built per thesis from its record, the config and the profile. Every format
reads the same Citation, so the Highwire tags, Dublin Core, JSON-LD, BibTeX, RIS and CSL-JSON
of a thesis agree on its title, authors, date and institution:

* authors come from the record's `authors` field only. Advisors are never authors: Dublin Core,
  JSON-LD, RIS and the Atom feed name them as contributors, BibTeX and CSL-JSON leave them out;
* the institution is `institution` from site.yaml, else the last publisher value that names a
  university ("University of Maryland (College Park, Md.)" gives "University of Maryland");
* the degree level is the record's `degree` when it names a master's or doctoral degree, else
  `degree_level` from site.yaml;
* the citation key is the thesis id: unique, ASCII and stable when other theses are added.

`for_page` gathers what the templates need for one page (head tags, citation texts, the list
of collection downloads).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .collection import Thesis
from .config import Config
from .pages import Page
from .urls import Profile

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
GENRES = {"doctoral": "Doctoral dissertation", "masters": "Master's thesis"}
BIBTEX_TYPES = {"doctoral": "phdthesis", "masters": "mastersthesis"}
CITE_FILES = (("cite.bib", "BibTeX"), ("cite.ris", "RIS"), ("cite.json", "CSL-JSON"))

# Characters that are not allowed in XML 1.0 and that no citation format wants either.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Unicode bidi controls reorder the text after them, so they are removed, as render.plain_text does for pages.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_UNIVERSITY = re.compile(r"\buniversi(?:ty|t[äé]|dad|dade|teit)", re.IGNORECASE)
_TRAILING_PLACE = re.compile(r"\s*\([^()]*\)\s*$")
_MASTER = re.compile(r"\bmaster", re.IGNORECASE)
_DOCTOR = re.compile(r"\bdoctor|\bph\.?\s?d\b|\bd\.?\s?phil\b|\bed\.?\s?d\b", re.IGNORECASE)


@dataclass(frozen=True)
class Download:
    """A file of the whole collection, offered on the downloads page."""

    path: str
    label: str
    description: str


DOWNLOADS = (
    Download("downloads/theses.bib", "BibTeX", "for LaTeX, JabRef and most reference managers"),
    Download("downloads/theses.ris", "RIS", "for EndNote, Zotero, Mendeley and RefWorks"),
    Download("downloads/theses.json", "CSL-JSON", "for Zotero, Pandoc and other CSL processors"),
    Download("downloads/theses.csv", "CSV", "one row per thesis, for spreadsheets"),
    Download("downloads/records.json", "Records (JSON)", "every field of every record, as the site stores it"),
)


# --- text ------------------------------------------------------------------------------------


def flat(text: Any) -> str:
    """Put a value on one line: remove control and bidi characters and turn every run of whitespace into one space."""
    if text is None:
        return ""
    text = str(text)
    if text.isascii() and text.isprintable():
        # Nothing to remove: no bidi controls, no control characters, and spaces are the only whitespace.
        if "  " not in text and text[:1] != " " and text[-1:] != " ":
            return text  # already on one line with single spaces, as most values are
        return " ".join(text.split())
    if not text.isascii():
        text = _BIDI_CONTROL.sub("", text)
    return " ".join(_CONTROL.sub(" ", text).split())


def split_name(name: str) -> tuple[str, str] | None:
    """Split a "Family, Given" name into (family, given). Return None for other names, such as organisations."""
    if "," not in name:
        return None
    family, given = (part.strip() for part in name.split(",", 1))
    return (family, given) if family and given else None


def natural_name(name: str) -> str:
    """Turn "Weiner, Matthew" into "Matthew Weiner"; return other names unchanged."""
    parts = split_name(name)
    return f"{parts[1]} {parts[0]}" if parts else name


# --- the citation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """The fields of a thesis that every citation format reads. Text fields are single-line (see `flat`)."""

    id: str
    title: str
    authors: tuple[str, ...]  # "Family, Given"
    advisors: tuple[str, ...]
    date: str | None  # ISO: 2024, 2024-05 or 2024-05-20
    institution: str | None
    department: str | None
    level: str  # "doctoral" or "masters"
    degree: str | None
    type: str | None
    language: str | None
    subjects: tuple[str, ...]
    abstract: str
    handle: str | None
    pdf_url: str | None
    page_url: str | None  # the thesis page on the hosted site, when a base URL is known

    @property
    def date_parts(self) -> list[int]:
        return [int(part) for part in self.date.split("-")] if self.date else []

    @property
    def year(self) -> int | None:
        return self.date_parts[0] if self.date else None

    @property
    def genre(self) -> str:
        return GENRES[self.level]

    @property
    def url(self) -> str | None:
        """The one link a citation carries: the handle, which outlives any web page, else the hosted page."""
        return self.handle or self.page_url


def citation(thesis: Thesis, config: Config, profile: Profile) -> Citation:
    data = thesis.data
    return Citation(
        id=thesis.id,
        title=flat(data.get("title")),
        authors=tuple(flat(name) for name in thesis.authors),
        advisors=tuple(flat(name) for name in thesis.advisors),
        date=data.get("date_issued") or None,
        institution=institution(config, data.get("publishers") or []),
        department=flat(data.get("department")) or None,
        level=degree_level(data.get("degree"), config),
        degree=flat(data.get("degree")) or None,
        type=flat(data.get("type")) or None,
        language=flat(data.get("language")) or None,
        subjects=tuple(flat(subject) for subject in data.get("subjects") or []),
        abstract=" ".join(flat(paragraph) for paragraph in thesis.abstract_paragraphs),
        handle=flat(data.get("handle")) or None,
        pdf_url=flat(data.get("pdf_url")) or None,
        page_url=profile.absolute(f"theses/{thesis.id}/index.html"),
    )


def institution(config: Config, publishers: list[str]) -> str | None:
    """Return the degree-granting institution: the configured one, else the last publisher value naming a university."""
    configured = flat(config["institution"])
    if configured:
        return configured
    for value in reversed(publishers):
        if _UNIVERSITY.search(value):
            return _TRAILING_PLACE.sub("", flat(value)) or None
    return None


def degree_level(degree: str | None, config: Config) -> str:
    if degree and _MASTER.search(degree):
        return "masters"
    if degree and _DOCTOR.search(degree):
        return "doctoral"
    return config["degree_level"]


# --- dates in each format --------------------------------------------------------------------


def highwire_date(iso: str) -> str:
    """Format a date for citation_publication_date: 2019-05-20 gives 2019/05/20, and 2019-05 gives 2019.

    Google Scholar's inclusion guidelines ask for a full date with slashes or a year alone, and name
    no year-and-month form.
    """
    parts = iso.split("-")
    return "/".join(parts) if len(parts) == 3 else parts[0]


def ris_date(iso: str) -> str | None:
    """Format a date for RIS DA as YYYY/MM/DD/ with unknown parts empty. Return None for a year alone, which PY carries."""
    parts = iso.split("-")
    if len(parts) == 1:
        return None
    return f"{parts[0]}/{parts[1]}/{parts[2] if len(parts) == 3 else ''}/"


# --- HTML head: Highwire, Dublin Core, JSON-LD -----------------------------------------------


def highwire_tags(cite: Citation) -> list[tuple[str, str]]:
    tags = [("citation_title", cite.title)]
    tags += [("citation_author", name) for name in cite.authors]
    if cite.date:
        tags.append(("citation_publication_date", highwire_date(cite.date)))
    if cite.institution:
        tags.append(("citation_dissertation_institution", cite.institution))
    if cite.page_url:
        tags.append(("citation_abstract_html_url", cite.page_url))
    if cite.language:
        tags.append(("citation_language", cite.language))
    if cite.subjects:
        tags.append(("citation_keywords", "; ".join(cite.subjects)))
    if cite.pdf_url:
        tags.append(("citation_pdf_url", cite.pdf_url))
    return tags


def dublin_core_tags(cite: Citation) -> list[tuple[str, str]]:
    tags = [("DC.title", cite.title)]
    tags += [("DC.creator", name) for name in cite.authors]
    tags += [("DC.contributor", name) for name in cite.advisors]
    if cite.date:
        tags += [("DC.date", cite.date), ("DCTERMS.issued", cite.date)]
    if cite.institution:
        tags.append(("DC.publisher", cite.institution))
    if cite.abstract:
        tags.append(("DC.description", cite.abstract))
    tags += [("DC.subject", subject) for subject in cite.subjects]
    if cite.handle:
        tags.append(("DC.identifier", cite.handle))
    tags.append(("DC.type", cite.type or "Thesis"))
    if cite.language:
        tags.append(("DC.language", cite.language))
    return tags


def person(name: str) -> dict[str, str]:
    parts = split_name(name)
    if parts is None:
        return {"@type": "Person", "name": name}
    return {"@type": "Person", "name": natural_name(name), "familyName": parts[0], "givenName": parts[1]}


def thesis_json_ld(cite: Citation) -> dict[str, Any]:
    """Build the schema.org Thesis. Each advisor is a Role named "advisor" that wraps the Person, as schema.org documents for Role."""
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Thesis",
        "name": cite.title,
        "author": [person(name) for name in cite.authors],
    }
    if cite.advisors:
        item["contributor"] = [{"@type": "Role", "roleName": "advisor", "contributor": person(name)} for name in cite.advisors]
    if cite.institution:
        university: dict[str, Any] = {"@type": "CollegeOrUniversity", "name": cite.institution}
        item["publisher"] = dict(university)
        if cite.department:
            university["department"] = {"@type": "Organization", "name": cite.department}
        item["sourceOrganization"] = university
    optional = {
        "datePublished": cite.date,
        "abstract": cite.abstract,
        "identifier": cite.handle,
        "url": cite.page_url,
        "inLanguage": cite.language,
        "keywords": list(cite.subjects),
        "inSupportOf": cite.degree,
    }
    item.update({key: value for key, value in optional.items() if value})
    if cite.pdf_url:
        item["encoding"] = {"@type": "MediaObject", "contentUrl": cite.pdf_url, "encodingFormat": "application/pdf"}
    return item


def breadcrumbs_json_ld(page: Page, profile: Profile) -> dict[str, Any] | None:
    """Build the BreadcrumbList of a page. Items are absolute URLs when a base URL is known, else relative links."""
    if not page.breadcrumbs:
        return None
    elements = []
    for position, (label, path) in enumerate(page.breadcrumbs, start=1):
        target = path or page.path
        elements.append({
            "@type": "ListItem",
            "position": position,
            "name": flat(label),
            "item": profile.absolute(target) or profile.link(page.path, target),
        })
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": elements}


# --- citation files --------------------------------------------------------------------------

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "$": r"\$", "&": r"\&",
    "%": r"\%", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile(r"[\\{}$&%#_^~]")


def bibtex_escape(text: str) -> str:
    """Escape text for a braced BibTeX value: LaTeX specials become commands, so braces stay balanced."""
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_SPECIALS[match.group()], flat(text))


def bibtex_name(name: str) -> str:
    """Escape a name for the author list, bracing a name that contains the word "and" so it stays one name."""
    escaped = bibtex_escape(name)
    return f"{{{escaped}}}" if re.search(r"\band\b", escaped, re.IGNORECASE) else escaped


def bibtex(cite: Citation) -> str:
    """Write one BibTeX entry keyed by the thesis id. The title is double-braced to keep its capitals."""
    fields: list[tuple[str, str]] = []
    if cite.authors:
        fields.append(("author", "{" + " and ".join(bibtex_name(name) for name in cite.authors) + "}"))
    fields.append(("title", "{{" + bibtex_escape(cite.title) + "}}"))
    if cite.institution:
        fields.append(("school", "{" + bibtex_escape(cite.institution) + "}"))
    if cite.year is not None:
        fields.append(("year", "{" + f"{cite.year:04d}" + "}"))
    if len(cite.date_parts) > 1:
        fields.append(("month", MONTH_MACROS[cite.date_parts[1] - 1]))
    if cite.language:
        fields.append(("language", "{" + bibtex_escape(cite.language) + "}"))
    if cite.subjects:
        fields.append(("keywords", "{" + bibtex_escape(", ".join(cite.subjects)) + "}"))
    if cite.abstract:
        fields.append(("abstract", "{" + bibtex_escape(cite.abstract) + "}"))
    if cite.url:
        fields.append(("url", "{" + bibtex_escape(cite.url) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{BIBTEX_TYPES[cite.level]}{{{cite.id},\n{body}\n}}\n"


def ris(cite: Citation, newline: str = "\r\n") -> str:
    """Write one RIS record: TY first, ER last, and every value on one line, so no value can start a tag."""
    lines = [("TY", "THES"), ("ID", cite.id), ("TI", cite.title)]
    lines += [("AU", name) for name in cite.authors]
    # Advisors go in A3, which Zotero's RIS translator reads as a contributor of a thesis (PB as its university).
    lines += [("A3", name) for name in cite.advisors]
    if cite.year is not None:
        lines.append(("PY", f"{cite.year:04d}"))
    if cite.date:
        lines.append(("DA", ris_date(cite.date) or ""))  # empty when only the year is known: dropped below
    if cite.institution:
        lines.append(("PB", cite.institution))
    lines.append(("M3", cite.genre))
    if cite.language:
        lines.append(("LA", cite.language))
    lines += [("KW", subject) for subject in cite.subjects]
    if cite.abstract:
        lines.append(("AB", cite.abstract))
    if cite.url:
        lines.append(("UR", cite.url))
    if cite.pdf_url:
        lines.append(("L1", cite.pdf_url))
    flattened = ((tag, flat(value)) for tag, value in lines)
    text = newline.join(f"{tag}  - {value}" for tag, value in flattened if value)
    return text + newline + "ER  - " + newline


def csl_name(name: str) -> dict[str, str]:
    parts = split_name(name)
    return {"family": parts[0], "given": parts[1]} if parts else {"literal": name}


def csl_item(cite: Citation) -> dict[str, Any]:
    """Build one CSL-JSON item of type "thesis".

    Advisors are left out: CSL has a name variable for them ("contributor") only since 1.0.2, the
    earlier schema rejects it, and citation styles do not print advisors of a thesis.
    """
    item: dict[str, Any] = {"id": cite.id, "type": "thesis", "title": cite.title, "genre": cite.genre}
    if cite.authors:
        item["author"] = [csl_name(name) for name in cite.authors]
    if cite.date:
        item["issued"] = {"date-parts": [cite.date_parts]}
    optional = {
        "publisher": cite.institution,
        "abstract": cite.abstract,
        "URL": cite.url,
        "language": cite.language,
        "keyword": ", ".join(cite.subjects),
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


# --- what the templates get --------------------------------------------------------------------


@dataclass
class PageMetadata:
    """Head metadata and citation texts for one page; built by `for_page` for the templates."""

    highwire: list[tuple[str, str]] = field(default_factory=list)
    dublin_core: list[tuple[str, str]] = field(default_factory=list)
    json_ld: list[dict[str, Any]] = field(default_factory=list)
    feed_url: str | None = None
    bibtex: str | None = None
    ris: str | None = None
    cite_files: list[tuple[str, str]] = field(default_factory=list)  # (output path, label)
    downloads: tuple[Download, ...] = DOWNLOADS


def for_page(page: Page, config: Config, profile: Profile) -> PageMetadata:
    """Collect what head_extra.html, cite.html and downloads.html show for one page."""
    metadata = PageMetadata()
    if profile.writes_crawl_files:
        # The 404 page is served at any missing URL and links root-relative, like its other links.
        metadata.feed_url = profile.root_path("atom.xml") if page.kind == "not-found" else profile.absolute("atom.xml")
    if page.kind == "thesis":
        cite = citation(page.data["thesis"], config, profile)
        metadata.highwire = highwire_tags(cite)
        metadata.dublin_core = dublin_core_tags(cite)
        metadata.json_ld.append(thesis_json_ld(cite))
        metadata.bibtex = bibtex(cite)
        metadata.ris = ris(cite, newline="\n")
        metadata.cite_files = [(f"theses/{cite.id}/{name}", label) for name, label in CITE_FILES]
    crumbs = breadcrumbs_json_ld(page, profile)
    if crumbs:
        metadata.json_ld.append(crumbs)
    return metadata
