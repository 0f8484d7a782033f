"""The collection model: every input read and validated, theses sorted, browse indexes built.

Reading stops at nothing: every problem in the records, pages and people file is collected, and
the build fails once with all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import dates, records
from .cache import BuildCache, fingerprint
from .people import fold

BROWSE_FACETS = ("author", "advisor", "department", "year")


class ContentError(Exception):
    """Every problem found in the content folder, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Thesis:
    """One record, ready for the templates. People fields hold display names after aliases."""

    id: str
    data: dict[str, Any]
    authors: list[str]
    advisors: list[str]
    path: Path
    slugs: dict[str, list[str]] = field(default_factory=dict)  # browse page slugs of its people, department, year
    data_digest: str = ""  # fingerprint(data), made when the record is parsed, or empty when not made

    def fingerprint_data(self) -> str:
        """A digest of everything a page can show of this thesis, for the build cache; computed once."""
        cached = self.__dict__.get("_fingerprint")
        if cached is None:
            cached = fingerprint(self.data_digest or self.data, self.authors, self.advisors, self.slugs)
            self.__dict__["_fingerprint"] = cached
        return cached

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def year(self) -> int | None:
        return dates.year_of(self.data.get("date_issued"))

    @property
    def abstract_paragraphs(self) -> list[str]:
        text = self.data.get("abstract") or ""
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


@dataclass
class BrowseValue:
    """One author, advisor, department or year, with its theses in listing order."""

    facet: str
    name: str  # as displayed
    slug: str
    theses: list[Thesis] = field(default_factory=list)

    def fingerprint_data(self) -> list[Any]:
        return [self.facet, self.name, self.slug, len(self.theses)]

    @property
    def sort_key(self) -> tuple:
        if self.facet == "year":
            return (-int(self.name) if self.name.isdigit() else 0, self.name)
        return (fold(self.name), self.name)

    @property
    def letter(self) -> str:
        first = fold(self.name)[:1].upper()
        return first if "A" <= first <= "Z" else "#"


@dataclass
class Scope:
    name: str | None = None
    kind: str | None = None
    handle: str | None = None
    description: str | None = None
    announced_total: int | None = None
    pages_harvested: list[str] | None = None  # "FIRST-LAST" item ranges of the listing pages ingested so far
    items_missing: list[str] | None = None  # "FIRST-LAST" runs of items on those pages that were not recorded


@dataclass
class ContentPage:
    """A Markdown page from content/pages/."""

    slug: str
    title: str
    menu: int | None
    markdown: str
    path: Path


@dataclass
class Collection:
    theses: list[Thesis]
    browse: dict[str, list[BrowseValue]]
    pages: list[ContentPage]
    scopes: list[Scope]
    warnings: list[str] = field(default_factory=list)
    _values: dict[tuple[str, str], BrowseValue] | None = field(default=None, repr=False)
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)  # results derived from the collection, such as the page plan

    def value_of(self, facet: str, name: str) -> BrowseValue | None:
        """The browse entry for a name, however it is spelt in case and accents."""
        if self._values is None:
            self._values = {(v.facet, fold(v.name)): v for values in self.browse.values() for v in values}
        return self._values.get((facet, fold(name)))


# --- reading ---------------------------------------------------------------------------------


def load_collection(content: Path, cache: BuildCache | None = None) -> Collection:
    problems: list[str] = []
    warnings: list[str] = []
    aliases = _load_aliases(content / "people.yaml", problems)
    theses = _load_theses(content / "theses", aliases, problems, warnings, cache or BuildCache(None))
    pages = _load_pages(content / "pages", problems)
    scopes = _load_scopes(content / "collection.yaml", problems)
    if problems:
        raise ContentError(problems)
    sort_theses(theses)
    warnings.extend(_probable_variants(theses, aliases, content / "people.yaml"))
    return Collection(theses, build_browse(theses), pages, scopes, warnings)


# data, key lines, errors, warnings, and a digest of the data for the build cache
RecordResult = tuple[dict[str, Any] | None, dict[str, int], list[str], list[str], str]


def _parse_valid_record(path: Path) -> RecordResult:
    """Parse and validate one record file: (data or None when invalid, key lines, errors, warnings, digest).

    A valid record gets every field, absent ones empty. The digest of its data is kept with it in
    the build cache, so that a build whose records all come from the cache digests none of them.
    """
    try:
        loaded = records.read_record(path)
    except records.RecordSyntaxError as error:
        return None, {}, [str(error)], [], ""
    errors, record_warnings = records.validate_record(loaded)
    if errors:
        return None, loaded.lines, errors, record_warnings, ""
    data = loaded.data
    for name, default in records.empty_record(data["id"]).items():
        data.setdefault(name, default)  # in place: a copy would double the memory of a large collection
    return data, loaded.lines, errors, record_warnings, fingerprint(data)


def _parse_records(paths: list[Path], cache: BuildCache) -> list[RecordResult]:
    """Parse every record file, taking unchanged ones from the cache."""
    stats = [path.stat() for path in paths]
    results: list[RecordResult | None] = [cache.record(path, stat.st_size, stat.st_mtime_ns) for path, stat in zip(paths, stats)]
    # NOTE: parsing in two worker processes was no faster for 10,000 records on 2 cores: sending the
    # parsed records back costs about what the second core saves.
    for index, result in enumerate(results):
        if result is not None:
            continue
        result = results[index] = _parse_valid_record(paths[index])
        cache.remember_record(paths[index], stats[index].st_size, stats[index].st_mtime_ns, result)
    return results  # type: ignore[return-value]


def sort_theses(theses: list[Thesis]) -> None:
    """Sort in listing order: newest first by date issued, then by title; theses without a date come last.

    Two stable sorts: by title, then by date descending. A date is padded with "~", which sorts
    after "-", so within one year "2024" comes before "2024-05".
    """
    theses.sort(key=lambda thesis: (fold(thesis.data.get("title") or ""), thesis.id))
    theses.sort(key=lambda thesis: (bool(thesis.data.get("date_issued")), (thesis.data.get("date_issued") or "").ljust(10, "~")),
                reverse=True)


def _load_theses(folder: Path, aliases: dict[str, str], problems: list[str], warnings: list[str],
                 cache: BuildCache) -> list[Thesis]:
    theses: list[Thesis] = []
    seen: dict[str, Path] = {}
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    stray = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix != ".yaml" and not p.name.startswith(".")) if folder.is_dir() else []
    warnings.extend(f"{path}: not a .yaml file; ignored" for path in stray)
    for path, (data, lines, errors, record_warnings, digest) in zip(paths, _parse_records(paths, cache)):
        problems.extend(errors)
        warnings.extend(record_warnings)
        if data is None:
            continue
        key = data["id"].casefold()
        if key in seen:
            problems.append(f"{path}:{lines.get('id', 1)}: duplicate id {data['id']!r}, also used by {seen[key]}")
            continue
        seen[key] = path
        theses.append(Thesis(
            id=data["id"],
            data=data,
            authors=[aliases.get(name, name) for name in data["authors"]],
            advisors=[aliases.get(name, name) for name in data["advisors"]],
            path=path,
            data_digest=digest,
        ))
    cache.forget_missing_records({str(path) for path in paths})
    return theses


def _load_aliases(path: Path, problems: list[str]) -> dict[str, str]:
    """content/people.yaml maps name variants to one name: {"aliases": {"Groth, Katrina": "Groth, Katrina M"}}."""
    if not path.exists():
        return {}
    known_problems = len(problems)
    data = _read_yaml(path, problems)
    if len(problems) > known_problems:
        return {}
    aliases = data.get("aliases") if isinstance(data, dict) else None
    if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()):
        problems.append(f"{path}: expected 'aliases:' mapping each name variant to one name, both strings")
        return {}
    for variant, name in aliases.items():
        if name in aliases:
            problems.append(f"{path}: alias chain: {variant!r} maps to {name!r}, which is itself mapped; map both to the final name")
    return dict(aliases)


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def _front_matter_lines(front_matter: str) -> dict[str, int]:
    """Return the file line of each top-level front matter key. The front matter starts on line 2, after "---"."""
    lines: dict[str, int] = {}
    for number, line in enumerate(front_matter.split("\n"), start=2):
        match = _TOP_LEVEL_KEY.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _load_pages(folder: Path, problems: list[str]) -> list[ContentPage]:
    pages = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{path}: not UTF-8 (byte {error.start}); save the page as UTF-8")
            continue
        match = _FRONT_MATTER.match(text)
        meta: Any = {}
        if match:
            try:
                meta = yaml.load(match.group(1), Loader=records.Loader) or {}
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                reason = str(getattr(error, "problem", None) or error).replace("tag:yaml.org,2002:", "!!")
                problems.append(f"{path}:{mark.line + 2 if mark else 1}: invalid front matter: {reason}")
                continue
        if not isinstance(meta, dict):
            problems.append(f"{path}:2: front matter must be a mapping with 'title' and optionally 'menu'")
            continue
        lines = _front_matter_lines(match.group(1) if match else "")
        unknown = sorted(set(meta) - {"title", "menu", "slug"})
        if unknown:
            problems.append(f"{path}:{lines.get(unknown[0], 2)}: unknown front matter key {unknown[0]!r}; expected title, menu, slug")
        title, menu, slug = meta.get("title"), meta.get("menu"), meta.get("slug", path.stem)
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{path}:{lines.get('title', 1)}: missing 'title' in the front matter (--- title: About --- at the top)")
            continue
        if menu is not None and (isinstance(menu, bool) or not isinstance(menu, int)):
            problems.append(f"{path}:{lines.get('menu', 2)}: 'menu' must be a whole number (its place in the menu), found {menu!r}")
            continue
        if not isinstance(slug, str) or records.id_error(slug):
            problems.append(f"{path}:{lines.get('slug', 2)}: 'slug' {slug!r} is not valid: use lower-case letters, digits and hyphens")
            continue
        body = text[match.end():] if match else text
        pages.append(ContentPage(slug, title.strip(), menu, body, path))
    return pages


SCOPE_FIELDS = ("name", "kind", "handle", "description", "announced_total", "pages_harvested", "items_missing")
_RANGE = re.compile(r"^\d+-\d+$")


def _load_scopes(path: Path, problems: list[str]) -> list[Scope]:
    """Read and validate content/collection.yaml: {"scopes": [{name, kind, handle, description, announced_total}, ...]}."""
    if not path.exists():
        return []
    data = _read_yaml(path, problems)
    if data is None:
        return []
    entries = data.get("scopes", []) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problems.append(f"{path}: expected 'scopes:' holding a list of scopes, each a mapping of {', '.join(SCOPE_FIELDS)}")
        return []
    scopes = []
    for number, entry in enumerate(entries, start=1):
        entry_problems = _scope_problems(entry)
        problems.extend(f"{path}: scope {number}: {problem}" for problem in entry_problems)
        if not entry_problems:
            scopes.append(Scope(**{name: entry.get(name) for name in SCOPE_FIELDS}))
    return scopes


def _scope_problems(entry: dict[str, Any]) -> list[str]:
    problems = [f"unknown field {name!r}; expected {', '.join(SCOPE_FIELDS)}" for name in entry if name not in SCOPE_FIELDS]
    for name in ("name", "kind", "handle", "description"):
        if entry.get(name) is not None and not isinstance(entry[name], str):
            problems.append(f"field {name!r}: expected a string, found {entry[name]!r}")
    total = entry.get("announced_total")
    if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
        problems.append(f"field 'announced_total': expected a whole number, found {total!r}")
    for name in ("pages_harvested", "items_missing"):
        ranges = entry.get(name)
        if ranges is not None and (not isinstance(ranges, list) or not all(isinstance(r, str) and _RANGE.match(r) for r in ranges)):
            problems.append(f"field {name!r}: expected a list of item ranges such as '1-10', found {ranges!r}")
    handle = entry.get("handle")
    if isinstance(handle, str) and (problem := records.url_error(handle)):
        problems.append(f"field 'handle': {problem}")
    return problems


def _read_yaml(path: Path, problems: list[str]) -> Any:
    """Parse a small YAML file and return its data, or None after adding its problem (not UTF-8, invalid YAML) to `problems`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(f"{path}: not UTF-8 (byte {error.start}); save the file as UTF-8")
        return None
    try:
        return yaml.load(text, Loader=records.Loader)
    except yaml.YAMLError as error:
        line, reason = records.yaml_problem(error)
        problems.append(f"{path}:{line or '?'}: invalid YAML: {reason}")
        return None


# --- browse indexes ---------------------------------------------------------------------------


def slugify(text: str) -> str:
    return "-".join(records.ascii_words(text))[:60].strip("-") or "x"


def build_browse(theses: list[Thesis]) -> dict[str, list[BrowseValue]]:
    """Group theses by author, advisor, department and year; one entry per person however spelt."""
    groups: dict[str, dict[str, list[tuple[str, Thesis]]]] = {facet: defaultdict(list) for facet in BROWSE_FACETS}
    for thesis in theses:
        for name in _unique(thesis.authors):
            groups["author"][fold(name)].append((name, thesis))
        for name in _unique(thesis.advisors):
            groups["advisor"][fold(name)].append((name, thesis))
        if thesis.data.get("department"):
            groups["department"][fold(thesis.data["department"])].append((thesis.data["department"], thesis))
        if thesis.year is not None:
            groups["year"][str(thesis.year)].append((str(thesis.year), thesis))

    browse = {}
    for facet, by_key in groups.items():
        values = [_browse_value(facet, entries) for entries in by_key.values()]
        values.sort(key=lambda value: value.sort_key)
        _assign_slugs(values)
        browse[facet] = values
        for value in values:
            for thesis in value.theses:
                thesis.slugs.setdefault(facet, []).append(value.slug)
    return browse


def _unique(names: list[str]) -> list[str]:
    seen, result = set(), []
    for name in names:
        if fold(name) not in seen:
            seen.add(fold(name))
            result.append(name)
    return result


def _browse_value(facet: str, entries: list[tuple[str, Thesis]]) -> BrowseValue:
    """The spelling used most often is shown; ties go to the first in listing order."""
    counts: dict[str, int] = defaultdict(int)
    for name, _ in entries:
        counts[name] += 1
    display = max(counts, key=lambda name: (counts[name], -[n for n, _ in entries].index(name)))
    return BrowseValue(facet, display, "", [thesis for _, thesis in entries])


def _assign_slugs(values: list[BrowseValue]) -> None:
    taken: set[str] = set()
    for value in values:
        base = slugify(value.name)
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        value.slug = slug


def _probable_variants(theses: list[Thesis], aliases: dict[str, str], aliases_path: Path) -> list[str]:
    """Names with one family name where one given name extends the other ("Groth, Katrina" and "Groth, Katrina M")."""
    names = sorted({fold(n): n for t in theses for n in t.authors + t.advisors}.values(), key=fold)
    by_family: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_family[fold(name.split(",", 1)[0])].append(name)
    warnings = []
    for family, group in sorted(by_family.items()):
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                a, b = (fold(n.split(",", 1)[1]) if "," in n else "" for n in (first, second))
                if a and b and (a.startswith(b) or b.startswith(a)) and first not in aliases and second not in aliases:
                    warnings.append(f"probable variants of one name: {first!r} and {second!r}; map one to the other "
                                    f"under 'aliases:' in {aliases_path}")
    return warnings
