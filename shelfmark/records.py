"""Thesis records: one YAML file per thesis in content/theses/, named by its stable id.

A record file is written by the tool with a fixed key order, UTF-8 and the abstract as a folded
block, so loading a record and writing it back gives the same bytes. People may edit any field
by hand. To tell their edits from what the source said, `source.digests` keeps a short digest of
each value ingest last wrote: a field whose digest no longer matches was edited by a person.
Digests rather than copies keep each file readable and stop anyone from editing the wrong copy.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Container
from urllib.parse import urlsplit

import yaml

from . import dates, record_yaml
from .people import fold

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_ONE_WORD = re.compile(r"[^\W\d_][^\s,]*")  # a word of letters, such as a family name without its given names
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 60
ID_TITLE_WORDS = 4
# Names that Windows reserves for devices; an id must never be one of them.
RESERVED_IDS = frozenset({"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(1, 10)} | {f"lpt{n}" for n in range(1, 10)})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "str", "list", "bool", "dict"
    description: str
    required: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "str", "stable identifier and file name; never changes once written", required=True),
    FieldSpec("title", "str", "title as the repository gives it", required=True),
    FieldSpec("authors", "list", 'authors as "Family, Given", in order'),
    FieldSpec("advisors", "list", 'advisors as "Family, Given", in order'),
    FieldSpec("department", "str", "department or programme"),
    FieldSpec("publishers", "list", "publisher values, in order"),
    FieldSpec("date_issued", "str", "date of issue as YYYY, YYYY-MM or YYYY-MM-DD"),
    FieldSpec("degree", "str", 'degree name when known, e.g. "Master of Arts"'),
    FieldSpec("type", "str", 'type of work when known, e.g. "Dissertation"'),
    FieldSpec("item_type", "str", 'the repository\'s item badge, e.g. "Item"'),
    FieldSpec("subjects", "list", "subject keywords"),
    FieldSpec("language", "str", 'language of the work, e.g. "en"'),
    FieldSpec("abstract", "str", "abstract; paragraphs separated by a blank line"),
    FieldSpec("abstract_complete", "bool", "false when the listing page cut the abstract short"),
    FieldSpec("handle", "str", "handle URL, e.g. http://hdl.handle.net/1903/1234"),
    FieldSpec("source_url", "str", "the item's page in the repository"),
    FieldSpec("thumbnail", "bool", "whether the repository shows a thumbnail; null when unknown"),
    FieldSpec("pdf_url", "str", "URL of the full text PDF, when one is linked"),
    FieldSpec("roles", "str", "role rule for this record, overriding the config: department, first-author or all-authors"),
    FieldSpec("printed", "dict", "values as the source printed them, where they differ from the normalised fields"),
    FieldSpec("source", "dict", "where the record came from, and digests of what ingest last wrote"),
)
FIELD_NAMES = tuple(spec.name for spec in FIELDS)
FIELD_SPECS = {spec.name: spec for spec in FIELDS}
# Fields that ingest fills from listing pages and that hand edits protect.
SOURCE_FIELDS = (
    "title", "authors", "advisors", "department", "publishers", "date_issued", "degree", "type",
    "item_type", "subjects", "language", "abstract", "abstract_complete", "handle", "source_url", "thumbnail",
)


def empty_record(record_id: str) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for spec in FIELDS:
        record[spec.name] = {"list": [], "dict": {}, "bool": None}.get(spec.kind)
    record["id"] = record_id
    record["abstract_complete"] = True
    return record


def digest(value: Any) -> str:
    """A short digest of a field value, for telling hand edits from ingested values."""
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


# --- YAML ------------------------------------------------------------------------------------


class _Folded(str):
    """A string written as a folded YAML block."""


class _RecordDumper(Dumper):  # type: ignore[misc, valid-type]
    pass


_RecordDumper.add_representer(
    _Folded, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=">")
)


def dump_record(record: dict[str, Any]) -> str:
    """Serialise a record with the fixed key order; unknown keys follow in sorted order."""
    ordered: dict[str, Any] = {}
    for name in FIELD_NAMES:
        ordered[name] = record.get(name, empty_record("")[name] if name != "id" else None)
    for name in sorted(set(record) - set(FIELD_NAMES)):
        ordered[name] = record[name]
    if isinstance(ordered.get("abstract"), str) and ordered["abstract"]:
        ordered["abstract"] = _Folded(ordered["abstract"])
    return yaml.dump(ordered, Dumper=_RecordDumper, sort_keys=False, allow_unicode=True, width=88, default_flow_style=False)


@dataclass
class LoadedRecord:
    path: Path
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)  # top-level key -> 1-based line


class RecordSyntaxError(Exception):
    def __init__(self, path: Path, line: int | None, message: str):
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path, self.line, self.message = path, line, message


def parse_record(path: Path, text: str) -> LoadedRecord:
    """Parse a record file safely (no object tags), keeping the line of each top-level key.

    A record in the form dump_record writes is read by record_yaml, which gives the same values
    about three times faster. Anything else goes through PyYAML.
    """
    quick = record_yaml.read(text)
    if quick is not None:
        return LoadedRecord(path, quick[0], quick[1])
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RecordSyntaxError(path, None, "the file is empty; expected a mapping of record fields")
        if not isinstance(node, yaml.MappingNode):
            raise RecordSyntaxError(path, node.start_mark.line + 1, "expected a mapping of record fields")
        lines: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in lines:
                    # YAML requires unique keys, but PyYAML silently keeps the last value.
                    raise RecordSyntaxError(path, line, f"field {key_node.value!r} appears twice (lines "
                                                        f"{lines[key_node.value]} and {line}); keep one of them")
                lines[key_node.value] = line
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        line, reason = yaml_problem(error)
        raise RecordSyntaxError(path, line, f"invalid YAML: {reason}") from error
    except yaml.YAMLError as error:
        raise RecordSyntaxError(path, None, f"invalid YAML: {error}") from error
    finally:
        loader.dispose()
    return LoadedRecord(path, data, lines)


def yaml_problem(error: yaml.YAMLError) -> tuple[int | None, str]:
    """Return the 1-based line to report a YAML error at, and its reason.

    An unclosed quote or a key without its colon shows only where the reader gave up, often many
    lines further on. For such scanning errors the line reported is where the scalar or key began.
    """
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    reason = str(getattr(error, "problem", None) or error).replace("tag:yaml.org,2002:", "!!")
    context = getattr(error, "context", None) or ""
    if context.startswith("while scanning") and context_mark and problem_mark and context_mark.line != problem_mark.line:
        return context_mark.line + 1, f"{reason} on line {problem_mark.line + 1}, {context} that starts on this line"
    mark = problem_mark or context_mark
    return (mark.line + 1 if mark else None), reason


def read_record(path: Path) -> LoadedRecord:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RecordSyntaxError(path, None, f"not UTF-8 (byte {error.start}); save the record as UTF-8") from error
    return parse_record(path, text)


# --- validation --------------------------------------------------------------------------------

_KIND_NAMES = {"str": "a string", "list": "a list of strings", "bool": "true or false", "dict": "a mapping"}


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the unquoted date {value.isoformat()}"
    return f"a {type(value).__name__} ({value!r})"


def validate_record(loaded: LoadedRecord) -> tuple[list[str], list[str]]:
    """Check one record against the field table: return (errors, warnings), each naming file and line."""
    errors: list[str] = []
    warnings: list[str] = []
    data = loaded.data

    def where(name: str) -> str:
        line = loaded.lines.get(name)
        return f"{loaded.path}:{line}" if line else str(loaded.path)

    for name in data:
        if name not in FIELD_SPECS:
            errors.append(f"{where(name)}: unknown field {name!r}; known fields: {', '.join(FIELD_NAMES)}")
    for spec in FIELDS:
        value = data.get(spec.name)
        if value is None or value == "" and spec.kind == "str":
            if spec.required:
                errors.append(f"{where(spec.name) if spec.name in data else loaded.path}: missing required field {spec.name!r}")
            continue
        problem = _type_problem(spec, value)
        if problem:
            hint = ""
            if spec.kind == "str" and isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
                hint = f"; put the value in quotes: '{value}'"
            errors.append(f"{where(spec.name)}: field {spec.name!r}: expected {_KIND_NAMES[spec.kind]}, "
                          f"found {problem}{hint}")

    record_id = data.get("id")
    if isinstance(record_id, str) and record_id:  # an empty id is reported above as missing
        id_problem = id_error(record_id)
        if id_problem:
            errors.append(f"{where('id')}: field 'id': {id_problem}")
        elif record_id != loaded.path.stem:
            errors.append(f"{where('id')}: field 'id' is {record_id!r} but the file is named {loaded.path.name!r}; they must match")
    date = data.get("date_issued")
    if isinstance(date, str) and date:
        try:
            iso = dates.to_iso(date)
        except dates.DateError as error:
            errors.append(f"{where('date_issued')}: field 'date_issued': {error}")
        else:
            if iso != date:
                errors.append(f"{where('date_issued')}: field 'date_issued': expected the ISO form {iso!r}, found {date!r}")
            elif reason := dates.implausibility(iso):
                warnings.append(f"{where('date_issued')}: implausible date {date!r}: {reason}")
    roles = data.get("roles")
    if isinstance(roles, str) and roles not in ("department", "first-author", "all-authors"):
        errors.append(f"{where('roles')}: field 'roles': expected department, first-author or all-authors, found {roles!r}")
    for name in URL_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and (problem := url_error(value)):
            errors.append(f"{where(name)}: field {name!r}: {problem}")
    for name in ("authors", "advisors"):
        joined = _split_names(data.get(name))
        if joined:
            pairs, names = joined
            described = ", ".join(f"{first!r} and {second!r}" for first, second in pairs)
            looks = "look like one name split at its comma" if len(pairs) == 1 else "look like names split at their commas"
            quoted = ", ".join(f'"{person}"' for person in names)
            warnings.append(f"{where(name)}: field {name!r}: {described} {looks}; quote each name, as in [{quoted}]")
    return errors, warnings


def _split_names(people: Any) -> tuple[list[tuple[str, str]], list[str]] | None:
    """Find the names that an unquoted [Family, Given] list splits in two, and join them again.

    A single word followed by an item that starts with a word ("Shapour", "Katrina M") is taken as
    one "Family, Given" name. Return the pairs found and the whole list with each pair joined, or
    None when there is no such pair.
    """
    if not isinstance(people, list) or not all(isinstance(person, str) for person in people):
        return None
    pairs: list[tuple[str, str]] = []
    names: list[str] = []
    index = 0
    while index < len(people):
        first = people[index]
        second = people[index + 1] if index + 1 < len(people) else ""
        if _ONE_WORD.fullmatch(first) and second.strip() and _ONE_WORD.fullmatch(second.split()[0]):
            pairs.append((first, second))
            names.append(f"{first}, {second}")
            index += 2
        else:
            names.append(first)
            index += 1
    return (pairs, names) if pairs else None


def _type_problem(spec: FieldSpec, value: Any) -> str | None:
    if spec.kind == "str" and not isinstance(value, str):
        return _kind_of(value)
    if spec.kind == "bool" and not isinstance(value, bool):
        return _kind_of(value)
    if spec.kind == "dict" and not isinstance(value, dict):
        return _kind_of(value)
    if spec.kind == "list":
        if not isinstance(value, list):
            return _kind_of(value)
        bad = [item for item in value if not isinstance(item, str) or not item.strip()]
        if bad:
            return f"a list holding {_kind_of(bad[0])}"
    return None


# Fields that thesis pages show as links.
URL_FIELDS = ("handle", "source_url", "pdf_url")


def url_error(url: str) -> str | None:
    """Say why a URL must not become a link (a javascript: or data: URL, say), or return None."""
    scheme = urlsplit(url).scheme
    if scheme and scheme not in ("http", "https"):
        return f"expected an http or https URL, found {url!r}"
    return None


def id_error(record_id: str) -> str | None:
    if not ID_PATTERN.match(record_id):
        return f"{record_id!r} is not a valid id: use lower-case letters, digits and single hyphens"
    if len(record_id) > MAX_ID_LENGTH:
        return f"{record_id!r} is longer than {MAX_ID_LENGTH} characters"
    if record_id in RESERVED_IDS:
        return f"{record_id!r} is a reserved device name on Windows"
    return None


# --- ids ---------------------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE",
                                  "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of a text, accents removed: "Brøndum, Helle" gives ["brondum", "helle"]."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").casefold()
    return re.findall(r"[a-z0-9]+", ascii_text.replace("'", "").replace("’", ""))


def make_id(family: str | None, year: int | None, title: str | None, taken: Container[str]) -> str:
    """Build an id like devaraj-2024-from-parts-to-whole, unique among `taken`."""
    # A family name with no Latin letters gives "thesis"; no family name at all gives "anonymous".
    family_part = "-".join(ascii_words(family or "")) or ("thesis" if family and family.strip(" .") else "anonymous")
    year_part = f"{year:04d}" if year is not None else "nd"
    words = ascii_words(title or "")[:ID_TITLE_WORDS] or ["untitled"]
    # A long family name is shortened, never the year: "family-year" takes at most 50 characters.
    family_part = family_part[:MAX_ID_LENGTH - 11 - len(year_part)].rstrip("-")
    base = f"{family_part}-{year_part}"
    for word in words:
        if len(base) + 1 + len(word) > MAX_ID_LENGTH - 3:
            break
        base = f"{base}-{word}"
    candidate, number = base, 1
    while candidate in taken or candidate in RESERVED_IDS:
        number += 1
        suffix = f"-{number}"
        candidate = base[:MAX_ID_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate


def match_key(title: str | None, first_person: str | None, year: int | None) -> str:
    """The key that matches a thesis when no handle or item id is known: title, author family name, year."""
    title_part = " ".join(re.findall(r"[^\W_]+", fold(title or "")))
    family_part = " ".join(re.findall(r"[^\W_]+", fold((first_person or "").split(",", 1)[0])))
    return f"{title_part}|{family_part}|{year if year is not None else ''}"
