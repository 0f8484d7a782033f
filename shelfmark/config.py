"""The site configuration (content/site.yaml): one schema, each key typed, with a default and a description."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .people import ROLE_RULES
from .records import Loader, yaml_problem


@dataclass(frozen=True)
class Option:
    key: str  # dotted for nested sections: "search.budget_kb"
    kind: type | tuple[type, ...]
    default: Any
    description: str
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    check: Any = None  # callable(value) -> problem or None


def _check_base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "expected an absolute http or https URL such as https://theses.example.edu/"
    if parts.query or parts.fragment:
        return "expected a URL with no query or fragment"
    return None


OPTIONS: tuple[Option, ...] = (
    Option("title", str, "Theses and Dissertations", "Name of the collection, shown in the header and page titles."),
    Option("description", (str, type(None)), None, "One paragraph about the collection for the home page; the scope description is used when empty."),
    Option("base_url", (str, type(None)), None, "Absolute URL of the hosted site, e.g. https://theses.example.edu/; needed for canonical links, the feed and the sitemap.", check=_check_base_url),
    Option("language", str, "en", "Language of the site's pages, as a BCP 47 tag."),
    Option("institution", (str, type(None)), None, 'The degree-granting institution, e.g. "University of Maryland", for citation metadata.'),
    Option("degree_level", str, "doctoral", "Degree level of the collection; chooses @phdthesis or @mastersthesis in BibTeX.", choices=("doctoral", "masters")),
    Option("page_size", int, 10, "Theses per listing and browse page.", minimum=1, maximum=1000),
    Option("feed_size", int, 20, "Newest theses in the Atom feed.", minimum=1, maximum=1000),
    Option("ingest.roles", str, "department", "How ingest assigns roles to the persons of a contributor list (see the README).", choices=ROLE_RULES),
    Option("ingest.max_size_mb", (int, float), 20, "Listing pages larger than this many megabytes are rejected.", minimum=0.001),
    Option("search.budget_kb", int, 400, "Warn when the search data a first query loads exceeds this many kilobytes, gzip-compressed.", minimum=1),
    Option("search.shard_threshold", int, 2000, "Collections with more theses than this get a sharded search index.", minimum=1),
)
OPTIONS_BY_KEY = {option.key: option for option in OPTIONS}
SECTIONS = sorted({option.key.split(".")[0] for option in OPTIONS if "." in option.key})


class ConfigError(Exception):
    """Every problem found in the config, one per line."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Config:
    """Validated settings; read them as config["page_size"] or config["search.budget_kb"]."""

    def __init__(self, values: dict[str, Any], path: Path | None = None):
        self.values = values
        self.path = path

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def replace(self, **changes: Any) -> "Config":
        values = dict(self.values)
        for key, value in changes.items():
            values[key.replace("__", ".")] = value
        return Config(values, self.path)


def defaults() -> Config:
    return Config({option.key: option.default for option in OPTIONS})


def load_config(path: Path) -> Config:
    """Read and validate site.yaml; a missing file gives the defaults. Raise ConfigError listing every problem."""
    if not path.exists():
        return Config(defaults().values, path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError([f"{path}: not UTF-8 (byte {error.start}); save the file as UTF-8"]) from error
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        line, reason = yaml_problem(error)
        raise ConfigError([f"{path}:{line or '?'}: invalid YAML: {reason}"]) from error
    finally:
        loader.dispose()
    if node is None:
        return Config(defaults().values, path)
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError([f"{path}:{node.start_mark.line + 1}: expected a mapping of settings"])
    values = defaults().values
    problems: list[str] = []
    _read_mapping(node, "", path, values, problems, {})
    if problems:
        raise ConfigError(problems)
    return Config(values, path)


def _read_mapping(node: yaml.MappingNode, prefix: str, path: Path, values: dict[str, Any], problems: list[str],
                  seen: dict[str, int]) -> None:
    """Validate each key of a mapping node into `values`. `seen` maps each key read so far to its line."""
    for key_node, value_node in node.value:
        key = f"{prefix}{key_node.value}"
        line = key_node.start_mark.line + 1
        if key in seen:
            # YAML requires unique keys, but PyYAML would silently keep the last value.
            problems.append(f"{path}:{line}: {key!r} is set twice (lines {seen[key]} and {line}); keep one of them")
            continue
        seen[key] = line
        if key in SECTIONS:
            if isinstance(value_node, yaml.MappingNode):
                _read_mapping(value_node, f"{key}.", path, values, problems, seen)
            elif not (isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null")):
                problems.append(f"{path}:{line}: {key}: expected a mapping of {key} settings")
            continue
        option = OPTIONS_BY_KEY.get(key)
        if option is None:
            problems.append(f"{path}:{line}: unknown key {key!r}{_suggestion(key)}")
            continue
        try:
            value = _construct(value_node)
        except yaml.YAMLError as error:
            # The safe loader constructs no Python objects, so a tag such as !!python/object ends here.
            reason = str(getattr(error, "problem", None) or error).replace("tag:yaml.org,2002:", "!!")
            problems.append(f"{path}:{value_node.start_mark.line + 1}: {key}: {reason}; write a plain value")
            continue
        problem = check_value(option, value)
        if problem:
            problems.append(f"{path}:{value_node.start_mark.line + 1}: {key}: {problem}")
        else:
            values[key] = value


def _construct(node: yaml.Node) -> Any:
    document = yaml.serialize(node, Dumper=yaml.SafeDumper)
    return yaml.load(document, Loader=Loader)


def _suggestion(key: str) -> str:
    close = difflib.get_close_matches(key, list(OPTIONS_BY_KEY) + SECTIONS, n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(OPTIONS_BY_KEY)}"


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "a whole number", float: "a number", type(None): "nothing", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def check_value(option: Option, value: Any) -> str | None:
    """Say what is wrong with a value for an option, or return None."""
    kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        return f"expected {_type_name(option.kind)}, found {value!r}"
    if value is None:
        return None
    if option.choices and value not in option.choices:
        return f"expected one of {', '.join(option.choices)}, found {value!r}"
    if option.minimum is not None and value < option.minimum:
        return f"expected at least {option.minimum:g}, found {value!r}"
    if option.maximum is not None and value > option.maximum:
        return f"expected at most {option.maximum:g}, found {value!r}"
    if option.check:
        return option.check(value)
    return None


def describe() -> str:
    """The schema as text, one key per line, for --help and the README."""
    lines = []
    for option in OPTIONS:
        default = "none" if option.default is None else repr(option.default)
        choices = f" ({', '.join(option.choices)})" if option.choices else ""
        lines.append(f"  {option.key}: {_type_name(option.kind)}{choices}, default {default}. {option.description}")
    return "\n".join(lines)
