"""Ingest: listing pages in, one YAML record per thesis out, merged with what is on disk.

Matching rule. An item is the same thesis as a record when, in this order:
1. both know the handle, and it is the same;
2. both know the repository item id (the UUID in /items/UUID), and it is the same;
3. the normalised title, the family name of the first person and the year are the same, for the
   record's current values or for what the source said when the record was last ingested
   (`source.key`), so a corrected title still matches the next copy of the page.

Merging. For each field the source gives, the record's value is compared with the digest of
what ingest last wrote. Unedited fields take the new value. A field a person edited is kept, and
when the source has also changed, the conflict is reported. `--overwrite` replaces every edited
field that differs from the source with the source's value, and reports each one.
A field the source leaves empty never clears a value. The exception is the authors and advisors of a
contributor list, because a role rule can leave one of them empty on purpose. A cut abstract never replaces
a whole one.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import dates, records
from .listing.detect import NotAListingPage, parse_listing
from .listing.model import ListingItem, ListingPage, Scope
from .people import Contributors, assign_roles, clean_value
from .textio import InputError, read_text, write_atomic

log = logging.getLogger(__name__)

LISTING_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}


@dataclass
class IngestOptions:
    role_rule: str = "department"
    overwrite: bool = False
    dry_run: bool = False
    max_bytes: int = 20 * 1024 * 1024


@dataclass
class ItemOutcome:
    position: int
    line: int | None
    status: str  # created, updated, unchanged, skipped, duplicate
    record_id: str | None = None
    reason: str | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"item {self.position}" + (f" (line {self.line})" if self.line else "")


@dataclass
class FileReport:
    path: Path
    page: ListingPage | None = None
    encoding: str | None = None
    error: str | None = None
    outcomes: list[ItemOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # guesses, conflicts and warnings, each with its item

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def reported(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.status in ("skipped", "duplicate")]


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    conflicts: int = 0
    seconds: float = 0.0
    records: dict[str, int] = field(default_factory=dict)  # distinct records: created, updated, unchanged
    ignored: list[Path] = field(default_factory=list)  # files in the folders given without a listing page's suffix

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.error]

    def total(self, status: str) -> int:
        return sum(f.count(status) for f in self.files)


# --- the record store ----------------------------------------------------------------------------


@dataclass
class StoredRecord:
    path: Path
    data: dict[str, Any]
    original: str  # the file's text as read, to tell whether anything changed
    touched_by: dict[str, int] = field(default_factory=dict)  # listing file -> item position in this run


class RecordStore:
    """The records in content/theses, indexed for matching."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.records: dict[str, StoredRecord] = {}
        self.by_handle: dict[str, StoredRecord] = {}
        self.by_uuid: dict[str, StoredRecord] = {}
        self.by_key: dict[str, StoredRecord] = {}

    @classmethod
    def load(cls, folder: Path) -> "RecordStore":
        store = cls(folder)
        problems = []
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            try:
                loaded = records.read_record(path)
            except records.RecordSyntaxError as error:
                problems.append(str(error))
                continue
            record_id = loaded.data.get("id")
            if not isinstance(record_id, str) or record_id != path.stem:
                problems.append(f"{path}: field 'id' must be the file name without .yaml ({path.stem!r})")
                continue
            store.add(StoredRecord(path, loaded.data, path.read_text(encoding="utf-8")))
        if problems:
            raise InputError("cannot ingest while existing records are unreadable; fix them first:\n  " + "\n  ".join(problems))
        return store

    def add(self, stored: StoredRecord) -> None:
        data = stored.data
        self.records[data["id"]] = stored
        self.index(stored)

    def index(self, stored: StoredRecord) -> None:
        data = stored.data
        if data.get("handle"):
            self.by_handle.setdefault(normalise_handle(data["handle"]), stored)
        uuid = uuid_of(data.get("source_url"))
        if uuid:
            self.by_uuid.setdefault(uuid, stored)
        source = data.get("source") or {}
        keys = {_record_key(data)}
        if isinstance(source, dict) and isinstance(source.get("key"), str):
            keys.add(source["key"])
        for key in keys:
            self.by_key.setdefault(key, stored)

    def find(self, handle: str | None, uuid: str | None, key: str) -> StoredRecord | None:
        if handle and (found := self.by_handle.get(normalise_handle(handle))):
            return found
        if uuid and (found := self.by_uuid.get(uuid)):
            return found
        return self.by_key.get(key)


def normalise_handle(handle: str) -> str:
    """The "PREFIX/N" part of a handle URL or handle path."""
    text = handle.strip().rstrip("/")
    for marker in ("hdl.handle.net/", "/handle/"):
        if marker in text:
            return text.split(marker, 1)[1]
    return text


def uuid_of(url: Any) -> str | None:
    if isinstance(url, str) and "/items/" in url:
        return url.rstrip("/").rsplit("/items/", 1)[1].split("/")[0].split("?")[0] or None
    return None


def _year(data: dict[str, Any]) -> int | None:
    return dates.year_of(data.get("date_issued")) if isinstance(data.get("date_issued"), str) else None


def _record_key(data: dict[str, Any]) -> str:
    people = (data.get("authors") or []) + (data.get("advisors") or [])
    first = people[0] if people and isinstance(people[0], str) else None
    title = data.get("title") if isinstance(data.get("title"), str) else None
    return records.match_key(title, first, _year(data))


# --- from item to record fields ------------------------------------------------------------------


@dataclass
class Candidate:
    """The record fields one listing item gives, with what was guessed."""

    fields: dict[str, Any]
    printed: dict[str, Any]
    guesses: list[str]
    warnings: list[str]
    exact_roles: bool
    key: str
    # Fields whose empty value is a statement, not a gap: a role rule that gives no advisors means there are none.
    stated_when_empty: frozenset[str] = frozenset()


def candidate_from_item(item: ListingItem, rule: str) -> Candidate:
    if item.exact is not None:
        contributors = _exact_contributors(item)
        exact = True
    elif item.authors_only:
        contributors = Contributors(authors=[clean_value(v) for v in item.contributors])
        if item.group_publisher:
            contributors.publishers = [item.group_publisher]
        originals = [v for v in item.contributors]
        if originals != contributors.authors:
            contributors.printed["authors"] = originals
        exact = False
    else:
        contributors = assign_roles(item.contributors, rule, item.group_publisher)
        exact = False

    fields: dict[str, Any] = {
        "title": " ".join((item.title or "").split()),
        "authors": contributors.authors,
        "advisors": contributors.advisors,
        "department": contributors.department,
        "publishers": contributors.publishers,
        "degree": contributors.degree,
        "item_type": item.item_type,
        "abstract": item.abstract,
        "abstract_complete": item.abstract_complete,
        "handle": item.handle,
        "source_url": item.url,
        "thumbnail": item.thumbnail,
    }
    printed: dict[str, Any] = dict(contributors.printed)
    warnings: list[str] = []
    if item.exact is not None:
        for name in ("subjects", "type", "language"):
            fields[name] = getattr(item.exact, name)
    fields["date_issued"] = None
    if item.date:
        try:
            iso = dates.to_iso(item.date)
        except dates.DateError as error:
            warnings.append(f"{error}; the date was left out of the record")
        else:
            fields["date_issued"] = iso
            if iso != item.date:
                printed["date_issued"] = item.date
            if reason := dates.implausibility(iso):
                warnings.append(f"implausible date {item.date!r} ({reason}); kept as printed")
    people = contributors.authors + contributors.advisors
    key = records.match_key(fields["title"], people[0] if people else None, dates.year_of(fields["date_issued"]))
    # DSpace 6 and JSPUI lists show authors alone, so an empty advisor list from them means nothing.
    stated = frozenset() if item.authors_only else frozenset({"authors", "advisors"})
    return Candidate(fields, printed, list(contributors.guesses), warnings, exact, key, stated)


def _exact_contributors(item: ListingItem) -> Contributors:
    exact = item.exact
    assert exact is not None
    result = Contributors(
        authors=[clean_value(v) for v in exact.authors],
        advisors=[clean_value(v) for v in exact.advisors],
        department=exact.departments[0] if exact.departments else None,
        publishers=list(exact.publishers),
        degree=exact.degree,
    )
    for role, values in (("authors", exact.authors), ("advisors", exact.advisors)):
        if values != getattr(result, role):
            result.printed[role] = list(values)
    return result


# --- merging ------------------------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def merge_fields(data: dict[str, Any], candidate: Candidate, overwrite: bool) -> tuple[list[str], list[str]]:
    """Merge candidate fields into a record in place; return (changed field names, conflict messages)."""
    source = data.setdefault("source", {})
    digests = source.setdefault("digests", {})
    changed: list[str] = []
    conflicts: list[str] = []
    skip = set()
    if source.get("roles") == "exact" and not candidate.exact_roles:
        skip |= {"authors", "advisors"}
    if _keeps_complete_abstract(data, candidate.fields):
        skip |= {"abstract", "abstract_complete"}

    for name in records.SOURCE_FIELDS:
        new = candidate.fields.get(name)
        if name in skip or (_is_empty(new) and name not in candidate.stated_when_empty):
            continue
        current = data.get(name)
        edited = name in digests and records.digest(current) != digests[name]
        if edited and new != current:
            source_changed = records.digest(new) != digests[name]
            if source_changed or overwrite:
                conflicts.append(_conflict_message(name, current, new, overwrite))
            if not overwrite:
                digests[name] = records.digest(new)
                continue
        elif edited:
            continue
        if current != new:
            data[name] = new
            changed.append(name)
        digests[name] = records.digest(new)
        _update_printed(data, name, candidate.printed.get(name))
    return changed, conflicts


def _keeps_complete_abstract(data: dict[str, Any], fields: dict[str, Any]) -> bool:
    has_whole = bool(data.get("abstract")) and data.get("abstract_complete") is not False
    if has_whole and fields.get("abstract_complete") is False:
        return True
    if data.get("abstract_complete") is False and fields.get("abstract_complete") is False:
        return len(fields.get("abstract") or "") <= len(data.get("abstract") or "")
    return False


def _conflict_message(name: str, current: Any, new: Any, overwrite: bool) -> str:
    action = "took the source's value (--overwrite)" if overwrite else "kept the edit (--overwrite takes the source)"
    return f"field {name!r} was edited by hand ({_short(current)}) and the source now says {_short(new)}: {action}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _update_printed(data: dict[str, Any], name: str, printed: Any) -> None:
    table = data.get("printed")
    if not isinstance(table, dict):
        table = data["printed"] = {}
    if printed is None:
        table.pop(name, None)
    else:
        table[name] = printed


def new_record(record_id: str, candidate: Candidate) -> dict[str, Any]:
    data = records.empty_record(record_id)
    data["source"] = {"digests": {}}
    merge_fields(data, candidate, overwrite=False)
    return data


def set_provenance(data: dict[str, Any], file_name: str, page: ListingPage, item: ListingItem, candidate: Candidate) -> None:
    source = data.setdefault("source", {})
    digests = source.pop("digests", {})
    roles = "exact" if candidate.exact_roles or source.get("roles") == "exact" else "inferred"
    provenance = {
        "file": file_name,
        "position": item.position,
        "line": item.line,
        "format": page.format,
        "scope": scope_key(page.scope),
        "key": candidate.key,
        "roles": roles,
    }
    source.clear()
    source.update(provenance)
    source["digests"] = dict(sorted(digests.items()))


def scope_key(scope: Scope) -> str | None:
    return scope.handle or scope.name


# --- the run ------------------------------------------------------------------------------------


def collect_paths(inputs: list[Path]) -> tuple[list[Path], list[FileReport], list[Path]]:
    """Expand folders into their listing files (sorted) and report inputs that do not exist.

    Return the files to read, the reports of missing inputs, and the other files found in the
    folders (hidden files aside), which are left unread.
    """
    paths: list[Path] = []
    missing: list[FileReport] = []
    ignored: list[Path] = []
    for given in inputs:
        if given.is_dir():
            files = sorted(p for p in given.rglob("*") if p.is_file() and not p.name.startswith("."))
            found = [p for p in files if p.suffix.lower() in LISTING_SUFFIXES]
            if not found:
                missing.append(FileReport(given, error=f"{given}: no listing pages (.txt, .html, .htm) in this folder"))
            paths.extend(found)
            ignored.extend(p for p in files if p.suffix.lower() not in LISTING_SUFFIXES)
        elif given.is_file():
            paths.append(given)
        else:
            missing.append(FileReport(given, error=f"{given}: no such file or folder"))
    return paths, missing, ignored


def ingest(inputs: list[Path], content: Path, options: IngestOptions, progress=None) -> IngestReport:
    """Parse listing pages and create or update records in content/theses."""
    started = time.perf_counter()
    report = IngestReport()
    store = RecordStore.load(content / "theses")
    paths, missing, report.ignored = collect_paths(inputs)
    report.files.extend(missing)
    scopes: dict[str, Scope] = {}
    totals: dict[str, int] = {}
    result_lists: dict[tuple[str, int], ResultList] = {}

    for number, path in enumerate(paths, start=1):
        file_report = _ingest_file(path, store, options)
        report.files.append(file_report)
        report.conflicts += sum(1 for note in file_report.notes if "edited by hand" in note)
        page = file_report.page
        if page and page.items and (key := scope_key(page.scope)):
            scopes.setdefault(key, page.scope)
            if page.count:
                totals[key] = max(totals.get(key, 0), page.count.total)
        if page and page.count and page.items:
            list_key = (scope_key(page.scope) or path.name, page.count.total)
            result_lists.setdefault(list_key, ResultList()).add_page(page, file_report)
        if progress:
            progress(number, len(paths), path.name)

    collection_file = content / "collection.yaml"
    earlier = earlier_lists(collection_file)
    for list_key, result_list in result_lists.items():
        if list_key in earlier:
            result_list.add_earlier(earlier[list_key])
    report.gaps = _harvest_gaps(result_lists)
    report.records = _record_counts(store)
    if not options.dry_run:
        _write_records(store)
        if scopes:
            update_collection_file(collection_file, scopes, totals, result_lists)
    report.seconds = time.perf_counter() - started
    return report


def _ingest_file(path: Path, store: RecordStore, options: IngestOptions) -> FileReport:
    file_report = FileReport(path)
    try:
        decoded = read_text(path, options.max_bytes)
        file_report.encoding = decoded.encoding
        file_report.notes.extend(decoded.warnings)
        page = parse_listing(decoded.text, str(path))
    except (InputError, NotAListingPage) as error:
        file_report.error = str(error)
        return file_report
    file_report.page = page
    file_report.notes.extend(f"{path}: {note}" for note in page.notes)
    for item in page.items:
        file_report.outcomes.append(_ingest_item(item, page, path, store, options, file_report))
    return file_report


def _ingest_item(item: ListingItem, page: ListingPage, path: Path, store: RecordStore,
                 options: IngestOptions, file_report: FileReport) -> ItemOutcome:
    if item.problem:
        return ItemOutcome(item.position, item.line, "skipped", reason=item.problem)

    candidate = candidate_from_item(item, options.role_rule)
    stored = store.find(item.handle, item.uuid or uuid_of(item.url), candidate.key)
    if stored and stored.data.get("roles") in ("department", "first-author", "all-authors") \
            and stored.data["roles"] != options.role_rule:
        candidate = candidate_from_item(item, stored.data["roles"])
    where = f"{path}: {item.where}"
    file_report.notes.extend(f"{where}: guess: {guess}" for guess in candidate.guesses)
    file_report.notes.extend(f"{where}: warning: {warning}" for warning in candidate.warnings)
    if not item.abstract_complete:
        file_report.notes.append(f"{where}: the abstract is cut off where the file ends; recorded as incomplete")

    if stored and str(path) in stored.touched_by:
        first = stored.touched_by[str(path)]
        return ItemOutcome(item.position, item.line, "duplicate", stored.data["id"],
                           reason=f"the same thesis as item {first} on this page")
    if stored is None:
        first_person = (candidate.fields["authors"] or candidate.fields["advisors"] or [None])[0]
        family = first_person.split(",", 1)[0] if first_person else None
        record_id = records.make_id(family, dates.year_of(candidate.fields["date_issued"]),
                                    candidate.fields["title"], store.records.keys())
        data = new_record(record_id, candidate)
        set_provenance(data, path.name, page, item, candidate)
        stored = StoredRecord(store.folder / f"{record_id}.yaml", data, "")
        store.add(stored)
        stored.touched_by[str(path)] = item.position
        return ItemOutcome(item.position, item.line, "created", record_id)

    # A record already met earlier in this run is compared with its state before this item, not with the file.
    before = records.dump_record(stored.data) if stored.touched_by else stored.original
    changed, conflicts = merge_fields(stored.data, candidate, options.overwrite)
    if changed:
        set_provenance(stored.data, path.name, page, item, candidate)
    store.index(stored)
    stored.touched_by[str(path)] = item.position
    record_file = stored.path.name
    file_report.notes.extend(f"{where}: {record_file}: {message}" for message in conflicts)
    status = "unchanged" if records.dump_record(stored.data) == before else "updated"
    return ItemOutcome(item.position, item.line, status, stored.data["id"], changes=changed)


def _record_counts(store: RecordStore) -> dict[str, int]:
    """How many distinct records this run created, changed and left as they were."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for stored in store.records.values():
        if not stored.touched_by:
            continue
        if not stored.original:
            counts["created"] += 1
        elif records.dump_record(stored.data) != stored.original:
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _write_records(store: RecordStore) -> None:
    for stored in store.records.values():
        text = records.dump_record(stored.data)
        if text != stored.original:
            write_atomic(stored.path, text.encode("utf-8"))
            stored.original = text


@dataclass
class ResultList:
    """The pages of one result list (a scope, or a file, with one announced total) ingested so far."""

    ranges: set[tuple[int, int]] = field(default_factory=set)  # FIRST-LAST item numbers of each page
    recorded: set[int] = field(default_factory=set)  # item numbers on those pages that were recorded
    unnumbered: int = 0  # records from pages that announce only "N results", which give no numbers

    def add_page(self, page: ListingPage, file_report: FileReport) -> None:
        positions = [outcome.position for outcome in file_report.outcomes if outcome.status != "skipped"]
        first = page.count.first if page.count else None
        if first is None:
            self.unnumbered += len(positions)
            return
        self.ranges.add((first, page.count.last or first))
        self.recorded.update(first + position - 1 for position in positions)

    def add_earlier(self, earlier: "ResultList") -> None:
        """Add what earlier runs harvested, as collection.yaml records it. This run's own pages take precedence."""
        for first, last in earlier.ranges - self.ranges:
            self.ranges.add((first, last))
            self.recorded.update(number for number in range(first, last + 1) if number in earlier.recorded)

    def missing(self) -> list[int]:
        """Item numbers on the ingested pages that were not recorded."""
        return sorted({number for first, last in self.ranges for number in range(first, last + 1)} - self.recorded)


def _harvest_gaps(result_lists: dict[tuple[str, int], ResultList]) -> list[str]:
    """Describe how far each result list is from its announced total.

    Missing pages are named when the pages show their range ("Now showing 1 - 10 of 22"), but not for pages
    that announce only a total ("106 results"). So are the items of ingested pages that were not recorded.
    """
    messages = []
    for (list_key, total), result_list in sorted(result_lists.items()):
        page_ranges = sorted(result_list.ranges)
        # Only a page before the last one shows the full page size: "Now showing 21 - 22 of 22" does not.
        page_size = max((last - first + 1 for first, last in page_ranges if last < total), default=0)
        pages = math.ceil(total / page_size) if page_size else 0
        seen_pages = {(first - 1) // page_size + 1 for first, _ in page_ranges} if page_size else set()
        missing_pages = [number for number in range(1, pages + 1) if number not in seen_pages]
        harvested = len(result_list.recorded) + result_list.unnumbered
        gaps = []
        if missing_pages:
            verb = "is" if len(missing_pages) == 1 else "are"
            gaps.append(f"{_page_ranges(missing_pages)} of this result list {verb} missing")
        if missing_items := result_list.missing():
            word, verb = ("item", "was") if len(missing_items) == 1 else ("items", "were")
            gaps.append(f"{word} {_run_texts(missing_items)} on the pages ingested {verb} cut off or skipped "
                        "(see the file reports above)")
        text = f"{list_key}: {min(harvested, total)} of {total} harvested"
        messages.append(text + (": " + "; ".join(gaps) if gaps else ""))
    return messages


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Group sorted whole numbers into (first, last) runs: [1, 2, 3, 7] gives [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _run_texts(numbers: list[int]) -> str:
    """Write sorted whole numbers as runs for a person to read: "1-3, 7"."""
    return ", ".join(f"{first}-{last}" if last > first else str(first) for first, last in _runs(numbers))


def _page_ranges(numbers: list[int]) -> str:
    word = "page" if len(numbers) == 1 else "pages"
    return f"{word} {_run_texts(numbers)}"


# --- content/collection.yaml ----------------------------------------------------------------------


def earlier_lists(path: Path) -> dict[tuple[str, int], ResultList]:
    """Read from collection.yaml what earlier runs harvested of each result list, per (scope, announced total)."""
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=records.Loader) if path.exists() else None
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    result: dict[tuple[str, int], ResultList] = {}
    for entry in (loaded or {}).get("scopes", []) if isinstance(loaded, dict) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("announced_total"), int):
            continue
        earlier = ResultList()
        earlier.ranges = set(_ranges(entry.get("pages_harvested")))
        missing = {number for first, last in _ranges(entry.get("items_missing")) for number in range(first, last + 1)}
        earlier.recorded = {number for first, last in earlier.ranges for number in range(first, last + 1)} - missing
        result[(entry.get("handle") or entry.get("name"), entry["announced_total"])] = earlier
    return result


def _ranges(texts: Any) -> list[tuple[int, int]]:
    """Parse the "FIRST-LAST" ranges of a list read from collection.yaml, leaving out anything else."""
    found = [_parse_range(text) for text in texts or [] if isinstance(text, str)] if isinstance(texts, list) else []
    return [pair for pair in found if pair]


def _parse_range(text: str) -> tuple[int, int] | None:
    first, _, last = text.partition("-")
    return (int(first), int(last)) if first.isdigit() and last.isdigit() else None


def update_collection_file(path: Path, scopes: dict[str, Scope], totals: dict[str, int],
                           result_lists: dict[tuple[str, int], ResultList]) -> None:
    """Store each scope met (name, kind, handle, description, announced total, pages harvested) for the home page.

    The item ranges of the pages ingested so far, and the items on them that were not recorded, are
    kept, so the next run names only what is still missing. They are dropped when the announced
    total changes.
    """
    existing: dict[str, Any] = {}
    if path.exists():
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=records.Loader) or {}
        if isinstance(loaded, dict):
            existing = loaded
    entries = {(entry.get("handle") or entry.get("name")): entry
               for entry in existing.get("scopes", []) if isinstance(entry, dict)}
    for key, scope in scopes.items():
        entry = entries.setdefault(key, {})
        for name in ("name", "kind", "handle", "description"):
            value = getattr(scope, name)
            if value is not None:
                entry[name] = value
    for key, entry in entries.items():
        if key in totals:
            entry["announced_total"] = totals[key]
            result_list = result_lists.get((key, totals[key]), ResultList())
            if result_list.ranges:
                entry["pages_harvested"] = [f"{first}-{last}" for first, last in sorted(result_list.ranges)]
            else:
                entry.pop("pages_harvested", None)
            if missing := result_list.missing():
                entry["items_missing"] = [f"{first}-{last}" for first, last in _runs(missing)]
            else:
                entry.pop("items_missing", None)
    document = {"scopes": [entries[key] for key in sorted(entries, key=str)]}
    text = yaml.dump(document, Dumper=records.Dumper, sort_keys=False, allow_unicode=True, width=88)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text.encode("utf-8"))

